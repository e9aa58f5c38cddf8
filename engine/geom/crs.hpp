#pragma once
// Coordinate reference systems and transformations (PROJ), and geodesic areas.
//
// AXIS ORDER: every coordinate that crosses this API is x = easting or longitude, y = northing or
// latitude ("GIS order"), whatever the CRS definition says. EPSG:4548 (CGCS2000 / 3-degree
// Gauss-Kruger CM 117E) is defined northing-first and EPSG:4490 / EPSG:4326 latitude-first; the
// Transformer normalises them (proj_normalize_for_visualization), so nothing is ever swapped silently.
//
// Errors: parksim::Error(ErrorCode::crs, "<operation> '<crs text>': <PROJ message>").
//
// Threads: PROJ work runs in one PROJ context per thread (thread_local, created on first use). Crs is a
// plain immutable value - share it freely. A Transformer may be used from several threads at once: each
// thread lazily builds its own PROJ operation from the two CRSs, in its own context.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "geom/geometry.hpp"

namespace parksim::geom {

enum class CrsKind { projected, geographic, other };

namespace detail {
struct CrsBuilder;
struct TransformerState;
}  // namespace detail

/// A coordinate reference system, resolved once by PROJ and kept as plain data (definition, WKT2,
/// name, EPSG code). Copyable, immutable, thread-safe.
class Crs {
 public:
  /// Anything PROJ accepts: "EPSG:4548", WKT1/WKT2, PROJJSON, "+proj=... +type=crs". Throws Error(crs)
  /// naming the text (and `where`) when PROJ cannot resolve it or it is not a CRS.
  static Crs from_user_input(std::string_view text, const Context& where = {});
  /// WKT1 (including ESRI .prj flavour) or WKT2. Throws Error(crs) with PROJ's parser messages.
  static Crs from_wkt(std::string_view wkt, const Context& where = {});
  /// Shorthand for from_user_input("EPSG:<code>").
  static Crs from_epsg(int code);

  /// The text it was created from.
  const std::string& definition() const noexcept { return m_definition; }
  /// Name from the definition, e.g. "CGCS2000 / 3-degree Gauss-Kruger CM 117E".
  const std::string& name() const noexcept { return m_name; }
  /// EPSG code when the CRS carries one or PROJ identifies it with 100 % confidence.
  std::optional<int> epsg() const noexcept { return m_epsg; }
  CrsKind kind() const noexcept { return m_kind; }
  bool is_projected() const noexcept { return m_kind == CrsKind::projected; }
  bool is_geographic() const noexcept { return m_kind == CrsKind::geographic; }
  /// WKT2:2019 as PROJ writes it.
  const std::string& to_wkt() const noexcept { return m_wkt; }
  /// The CRS as a PROJ string ("+proj=lcc +lat_0=41 ... +type=crs"), for command lines; "" when PROJ cannot
  /// write one (e.g. for some compound CRSs).
  const std::string& to_proj_string() const noexcept { return m_proj_string; }
  /// Same CRS up to names and axis order of geographic CRSs (PROJ "equivalent except axis order").
  bool is_equivalent_to(const Crs& other) const;
  /// Where the CRS is meant to be used, from its definition (PROJ proj_get_area_of_use): x = west..east longitude,
  /// y = south..north latitude, in degrees (west > east when the area crosses the antimeridian). nullopt when the
  /// definition names none (e.g. a bare "+proj=..." string or a WKT1 .prj without an EPSG identity).
  const std::optional<Envelope>& area_of_use_deg() const noexcept { return m_area_of_use; }
  /// The area's name ("China - 115°30'E to 118°30'E"), "" when there is none.
  const std::string& area_of_use_name() const noexcept { return m_area_name; }

 private:
  Crs() = default;
  friend struct detail::CrsBuilder;
  std::string m_definition;
  std::string m_name;
  std::string m_wkt;
  std::string m_proj_string;
  std::optional<int> m_epsg;
  CrsKind m_kind = CrsKind::other;
  std::optional<Envelope> m_area_of_use;
  std::string m_area_name;
};

/// The area of use of `crs` widened by `margin_deg` degrees on every side (clamped to the globe), as a box in the
/// CRS's own coordinates (GIS order; PROJ proj_trans_bounds with densified edges): data whose coordinates fall outside
/// it is not plausibly in this CRS. nullopt when the CRS has no area of use or the area crosses the antimeridian.
/// Throws Error(crs) when PROJ cannot transform the box.
std::optional<Envelope> area_of_use_bounds(const Crs& crs, double margin_deg);

/// Transforms coordinates from `source` to `target`, x/y in GIS order on both sides (see above). PROJ
/// chooses the operation (the best available one for the area of use; no network grids). Copies are
/// cheap and share the operation cache. Thread-safe (see above).
class Transformer {
 public:
  /// Throws Error(crs) when PROJ has no operation between the two.
  Transformer(const Crs& source, const Crs& target);

  const Crs& source() const noexcept;
  const Crs& target() const noexcept;
  /// The reverse direction.
  Transformer inverse() const;

  /// Throws Error(crs) with the coordinate in the Context when the point cannot be transformed.
  Coordinate transform(double x, double y) const;
  /// In place; throws Error(crs) at the first point that fails (earlier points stay transformed).
  void transform(std::span<Coordinate> points) const;
  /// All vertices (Z unchanged). Throws Error(crs) when a vertex cannot be transformed.
  Geometry transform(const Geometry& geometry) const;

 private:
  std::shared_ptr<const detail::TransformerState> m_state;
};

/// Ellipsoids for geodesic areas. CGCS2000 uses GRS80's parameters (a = 6378137 m, 1/f = 298.257222101);
/// WGS84 differs from it only in 1/f = 298.257223563.
enum class Ellipsoid { grs80, wgs84 };

/// Area on the ellipsoid of the polygonal parts of a lon/lat geometry (x = longitude, y = latitude, in
/// degrees), in m2: |exterior| minus |holes| per polygon, whatever the ring orientation. 0 for
/// non-polygonal geometries. Uses geodesic polygons (Karney), accurate to a few mm2 per km2.
double geodesic_area_m2(const Geometry& lonlat, Ellipsoid ellipsoid = Ellipsoid::grs80);

}  // namespace parksim::geom
