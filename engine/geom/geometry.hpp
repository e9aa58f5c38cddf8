#pragma once
// Geometry values and the operations on them (parksim::geom), backed by GEOS.
//
// Units: coordinates are in the units of the geometry's CRS, which the geometry itself does not know.
// In a projected CRS with metre axes (the working CRS, EPSG:4548) areas are m2 and lengths m; callers
// that hold lon/lat geometries use geodesic_area_m2() from crs.hpp instead of area().
//
// Errors: every GEOS failure becomes parksim::Error(ErrorCode::geometry, "<operation>: <GEOS message>").
// Using a null Geometry (default-constructed or moved-from) throws Error(ErrorCode::internal).
//
// Threads: each thread uses its own GEOS context (created on first use, freed at thread exit), so every
// function here may be called from several threads at once. A Geometry is never modified by these
// functions, so one Geometry may be read by several threads at once; writing (assigning) it while
// others read it is a data race, as for any value. A Geometry may outlive the thread that made it and
// may be destroyed on any thread, even during thread or program exit.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

struct GEOSGeom_t;  // GEOS's geometry, opaque here; only geom/detail/ sees its definition.

namespace parksim::geom {

namespace detail {
struct GeometryAccess;
}

/// Axis-aligned bounding box. An empty envelope (of an empty geometry) has min > max.
struct Envelope {
  double min_x = 1.0;
  double min_y = 1.0;
  double max_x = 0.0;
  double max_y = 0.0;

  bool is_empty() const noexcept { return min_x > max_x || min_y > max_y; }
  double width() const noexcept { return is_empty() ? 0.0 : max_x - min_x; }
  double height() const noexcept { return is_empty() ? 0.0 : max_y - min_y; }
  /// True when the boxes share at least one point (closed intervals). False if either is empty.
  bool intersects(const Envelope& other) const noexcept;
  friend bool operator==(const Envelope&, const Envelope&) = default;
};

/// A ring as a closed list of vertices: the first vertex is repeated at the end (as in WKB).
using Ring = std::vector<Coordinate>;

/// Plain coordinates of one polygon: its exterior ring and its holes, in stored order and orientation.
struct Polygon {
  Ring exterior;
  std::vector<Ring> holes;
  friend bool operator==(const Polygon&, const Polygon&) = default;
};

/// OGC simple-feature geometry types (the ones GEOS stores).
enum class GeometryType {
  point,
  line_string,
  linear_ring,
  polygon,
  multi_point,
  multi_line_string,
  multi_polygon,
  geometry_collection,
};

/// "Polygon", "MultiPolygon", ... (the WKT names).
std::string_view to_string(GeometryType type) noexcept;

/// An owned GEOS geometry with value semantics. Copying clones the geometry (O(vertices)); moving is
/// cheap and leaves the source null. A default-constructed Geometry is null: only assignment,
/// destruction and is_null() are allowed on it.
class Geometry {
 public:
  Geometry() noexcept;
  Geometry(const Geometry& other);
  Geometry& operator=(const Geometry& other);
  Geometry(Geometry&&) noexcept;
  Geometry& operator=(Geometry&&) noexcept;
  ~Geometry();

  /// Reads ISO or extended (EWKB) WKB of either byte order. Throws Error(geometry) naming `where`
  /// when the bytes are not WKB.
  static Geometry from_wkb(std::span<const std::uint8_t> wkb, const Context& where = {});
  /// Reads WKT ("POLYGON ((0 0, 1 0, 1 1, 0 0))"). Throws Error(geometry) naming `where` on bad text.
  static Geometry from_wkt(std::string_view wkt, const Context& where = {});
  /// A Polygon for one element, else a MultiPolygon (also for none: MULTIPOLYGON EMPTY). Rings must be
  /// closed and have at least 4 vertices, else Error(geometry). Validity is not checked.
  static Geometry from_polygons(std::span<const Polygon> polygons);
  /// The rectangle polygon of a non-empty envelope (counter-clockwise from (min_x, min_y)).
  static Geometry from_envelope(const Envelope& envelope);
  static Geometry point(double x, double y);
  /// At least two vertices, else Error(geometry).
  static Geometry line_string(std::span<const Coordinate> vertices);

  bool is_null() const noexcept { return m_geom == nullptr; }
  GeometryType type() const;
  bool is_empty() const;
  /// Bounding box; Envelope{} (empty) for an empty geometry.
  Envelope envelope() const;
  /// Number of vertices over all parts and rings.
  std::size_t num_coordinates() const;
  /// The polygonal parts as plain coordinates: one element for a Polygon, one per part for a
  /// MultiPolygon, the polygonal members (recursively) of a GeometryCollection, none for other types.
  std::vector<Polygon> polygons() const;
  /// x and y of a Point; Error(geometry) for other types or an empty point.
  Coordinate as_point() const;

  /// ISO WKB, little endian (NDR). Z is written only when the geometry has Z.
  std::vector<std::uint8_t> to_wkb() const;
  /// WKT with trailing zeros trimmed. decimals < 0 (the DEFAULT) writes the shortest text that reads
  /// back to the same doubles; decimals >= 0 rounds to that many digits after the point.
  std::string to_wkt(int decimals = -1) const;

 private:
  struct Deleter {
    void operator()(GEOSGeom_t* geometry) const noexcept;
  };
  explicit Geometry(GEOSGeom_t* owned) noexcept;
  std::unique_ptr<GEOSGeom_t, Deleter> m_geom;
  friend struct detail::GeometryAccess;
};

// ---- Measures. Planar, in CRS units (m2 and m in the working CRS). ----

/// Area of the polygonal parts (0 for points and lines).
double area(const Geometry& geometry);
/// Length of lines, perimeter of polygons (all rings), 0 for points.
double length(const Geometry& geometry);
/// Minimum planar distance between the two geometries (0 when they intersect).
double distance(const Geometry& a, const Geometry& b);

// ---- Constructions. Each returns a new Geometry; inputs are unchanged. ----

/// Centre of mass of the highest-dimension parts; POINT EMPTY for an empty geometry.
Geometry centroid(const Geometry& geometry);
/// A point guaranteed to lie in the interior of a polygon (on a line, at a point) - a good label
/// position and a good location to report a finding at.
Geometry point_on_surface(const Geometry& geometry);
/// Buffer by `distance` (CRS units; negative shrinks polygons). quadrant_segments = vertices per
/// quarter circle, DEFAULT 8.
Geometry buffer(const Geometry& geometry, double distance, int quadrant_segments = 8);
Geometry intersection(const Geometry& a, const Geometry& b);
Geometry difference(const Geometry& a, const Geometry& b);
Geometry union_of(const Geometry& a, const Geometry& b);
/// Union of many geometries at once (cascaded; much faster than folding union_of). Empty input gives
/// GEOMETRYCOLLECTION EMPTY.
Geometry unary_union(std::span<const Geometry> geometries);
/// The same for geometries held elsewhere (no copy of the input beyond the one GEOS needs).
Geometry unary_union(std::span<const Geometry* const> geometries);
/// Union of polygons that form a coverage - they may share edges (with identical vertices) but must not
/// overlap. Faster than unary_union for such input; the result is undefined (not an error) when the
/// polygons overlap, so call it only after check_coverage() found no overlap.
Geometry coverage_union(std::span<const Geometry> polygons);
Geometry coverage_union(std::span<const Geometry* const> polygons);
/// Only the polygonal parts (Polygon or MultiPolygon; MULTIPOLYGON EMPTY when there are none). Use it
/// on the result of intersection(), which may contain shared edges or corner points as lines/points.
Geometry polygonal_parts(const Geometry& geometry);

// ---- Predicates (DE-9IM, exact arithmetic on the stored doubles). ----

bool intersects(const Geometry& a, const Geometry& b);
bool contains(const Geometry& a, const Geometry& b);
bool covers(const Geometry& a, const Geometry& b);
bool within(const Geometry& a, const Geometry& b);
bool touches(const Geometry& a, const Geometry& b);
/// Topological equality: the same point set, whatever the vertex order or start point.
bool equals(const Geometry& a, const Geometry& b);

}  // namespace parksim::geom
