// Geometry and the free operations of geometry.hpp, over the GEOS reentrant C API.

#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "geom/detail/geos_context.hpp"
#include "geom/geometry.hpp"

namespace parksim::geom {

using detail::adopt;
using detail::check;
using detail::check_predicate;
using detail::check_status;
using detail::geos;
using detail::GeosGeometryPtr;
using detail::raw;

bool Envelope::intersects(const Envelope& other) const noexcept {
  if (is_empty() || other.is_empty()) return false;
  return min_x <= other.max_x && other.min_x <= max_x && min_y <= other.max_y && other.min_y <= max_y;
}

std::string_view to_string(GeometryType type) noexcept {
  switch (type) {
    case GeometryType::point: return "Point";
    case GeometryType::line_string: return "LineString";
    case GeometryType::linear_ring: return "LinearRing";
    case GeometryType::polygon: return "Polygon";
    case GeometryType::multi_point: return "MultiPoint";
    case GeometryType::multi_line_string: return "MultiLineString";
    case GeometryType::multi_polygon: return "MultiPolygon";
    case GeometryType::geometry_collection: return "GeometryCollection";
  }
  return "Unknown";
}

// ---- Geometry: lifetime ----

void Geometry::Deleter::operator()(GEOSGeom_t* geometry) const noexcept {
  // Any thread's context may free any geometry: the context only routes messages.
  detail::with_cleanup_context([geometry](GEOSContextHandle_t h) { GEOSGeom_destroy_r(h, geometry); });
}

Geometry::Geometry() noexcept = default;
Geometry::Geometry(GEOSGeom_t* owned) noexcept : m_geom(owned) {}
Geometry::Geometry(const Geometry& other)
    : m_geom(other.is_null() ? nullptr : detail::clone_raw(other).release()) {}
Geometry& Geometry::operator=(const Geometry& other) {
  if (this != &other) *this = Geometry(other);
  return *this;
}
Geometry::Geometry(Geometry&&) noexcept = default;
Geometry& Geometry::operator=(Geometry&&) noexcept = default;
Geometry::~Geometry() = default;

// ---- Geometry: construction ----

namespace {

struct WkbReaderDeleter {
  void operator()(GEOSWKBReader* r) const noexcept { GEOSWKBReader_destroy_r(geos(), r); }
};
struct WkbWriterDeleter {
  void operator()(GEOSWKBWriter* w) const noexcept { GEOSWKBWriter_destroy_r(geos(), w); }
};
struct WktReaderDeleter {
  void operator()(GEOSWKTReader* r) const noexcept { GEOSWKTReader_destroy_r(geos(), r); }
};
struct WktWriterDeleter {
  void operator()(GEOSWKTWriter* w) const noexcept { GEOSWKTWriter_destroy_r(geos(), w); }
};
struct CoordSeqDeleter {
  void operator()(GEOSCoordSequence* s) const noexcept { GEOSCoordSeq_destroy_r(geos(), s); }
};
using CoordSeqPtr = std::unique_ptr<GEOSCoordSequence, CoordSeqDeleter>;
template <class T>
struct GeosFreeDeleter {
  void operator()(T* p) const noexcept { GEOSFree_r(geos(), p); }
};

CoordSeqPtr make_sequence(std::span<const Coordinate> points, std::string_view op) {
  // Coordinate is two doubles (x, y), so the span is an interleaved xy buffer.
  static_assert(sizeof(Coordinate) == 2 * sizeof(double));
  return CoordSeqPtr(check(GEOSCoordSeq_copyFromBuffer_r(geos(), &points.front().x,
                                                          static_cast<unsigned>(points.size()), 0, 0),
                           op));
}

GeosGeometryPtr make_ring(const Ring& ring) {
  if (ring.size() < 4 || ring.front() != ring.back()) {
    throw Error(ErrorCode::geometry,
                fmt::format("polygon ring: needs at least 4 vertices with the first repeated at the end, got {}",
                            ring.size()));
  }
  CoordSeqPtr seq = make_sequence(ring, "polygon ring");
  GeosGeometryPtr out(check(GEOSGeom_createLinearRing_r(geos(), seq.get()), "polygon ring"));
  static_cast<void>(seq.release());  // owned by the ring now
  return out;
}

GeosGeometryPtr make_polygon(const Polygon& polygon) {
  GeosGeometryPtr shell = make_ring(polygon.exterior);
  std::vector<GeosGeometryPtr> holes;
  holes.reserve(polygon.holes.size());
  for (const Ring& hole : polygon.holes) holes.push_back(make_ring(hole));
  std::vector<GEOSGeometry*> hole_ptrs;
  for (auto& h : holes) hole_ptrs.push_back(h.get());
  GEOSGeometry* out = check(GEOSGeom_createPolygon_r(geos(), shell.get(), hole_ptrs.data(),
                                                     static_cast<unsigned>(hole_ptrs.size())),
                            "polygon");
  static_cast<void>(shell.release());
  for (auto& h : holes) static_cast<void>(h.release());
  return GeosGeometryPtr(out);
}

Ring read_ring(const GEOSGeometry* ring) {
  const GEOSCoordSequence* seq = check(GEOSGeom_getCoordSeq_r(geos(), ring), "ring coordinates");
  unsigned size = 0;
  check_status(GEOSCoordSeq_getSize_r(geos(), seq, &size), "ring coordinates");
  Ring out(size);
  if (size > 0) check_status(GEOSCoordSeq_copyToBuffer_r(geos(), seq, &out.front().x, 0, 0), "ring coordinates");
  return out;
}

void collect_polygons(const GEOSGeometry* g, std::vector<Polygon>& out) {
  const int type = GEOSGeomTypeId_r(geos(), g);
  if (type == GEOS_POLYGON) {
    if (GEOSisEmpty_r(geos(), g) == 1) return;
    Polygon p;
    p.exterior = read_ring(check(GEOSGetExteriorRing_r(geos(), g), "exterior ring"));
    const int holes = GEOSGetNumInteriorRings_r(geos(), g);
    if (holes < 0) detail::throw_geos_error("interior rings");
    for (int i = 0; i < holes; ++i) p.holes.push_back(read_ring(check(GEOSGetInteriorRingN_r(geos(), g, i), "interior ring")));
    out.push_back(std::move(p));
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(geos(), g);
    if (n < 0) detail::throw_geos_error("parts");
    for (int i = 0; i < n; ++i) collect_polygons(check(GEOSGetGeometryN_r(geos(), g, i), "part"), out);
  } else if (type == -1) {
    detail::throw_geos_error("geometry type");
  }
}

}  // namespace

Geometry Geometry::from_wkb(std::span<const std::uint8_t> wkb, const Context& where) {
  std::unique_ptr<GEOSWKBReader, WkbReaderDeleter> reader(check(GEOSWKBReader_create_r(geos()), "read WKB"));
  return adopt(check(GEOSWKBReader_read_r(geos(), reader.get(), wkb.data(), wkb.size()), "read WKB", where));
}

Geometry Geometry::from_wkt(std::string_view wkt, const Context& where) {
  std::unique_ptr<GEOSWKTReader, WktReaderDeleter> reader(check(GEOSWKTReader_create_r(geos()), "read WKT"));
  const std::string text(wkt);  // GEOS wants a NUL-terminated string
  return adopt(check(GEOSWKTReader_read_r(geos(), reader.get(), text.c_str()), "read WKT", where));
}

Geometry Geometry::from_polygons(std::span<const Polygon> polygons) {
  if (polygons.size() == 1) return adopt(make_polygon(polygons.front()).release());
  std::vector<GeosGeometryPtr> parts;
  parts.reserve(polygons.size());
  for (const Polygon& p : polygons) parts.push_back(make_polygon(p));
  std::vector<GEOSGeometry*> ptrs;
  for (auto& p : parts) ptrs.push_back(p.get());
  GEOSGeometry* out = check(GEOSGeom_createCollection_r(geos(), GEOS_MULTIPOLYGON, ptrs.data(),
                                                        static_cast<unsigned>(ptrs.size())),
                            "multipolygon");
  for (auto& p : parts) static_cast<void>(p.release());
  return adopt(out);
}

Geometry Geometry::from_envelope(const Envelope& e) {
  if (e.is_empty()) throw Error(ErrorCode::geometry, "rectangle: the envelope is empty");
  return adopt(check(GEOSGeom_createRectangle_r(geos(), e.min_x, e.min_y, e.max_x, e.max_y), "rectangle"));
}

Geometry Geometry::point(double x, double y) {
  return adopt(check(GEOSGeom_createPointFromXY_r(geos(), x, y), "point"));
}

Geometry Geometry::line_string(std::span<const Coordinate> vertices) {
  if (vertices.size() < 2) {
    throw Error(ErrorCode::geometry, fmt::format("line string: needs at least 2 vertices, got {}", vertices.size()));
  }
  CoordSeqPtr seq = make_sequence(vertices, "line string");
  GEOSGeometry* out = check(GEOSGeom_createLineString_r(geos(), seq.get()), "line string");
  static_cast<void>(seq.release());
  return adopt(out);
}

// ---- Geometry: inspection ----

GeometryType Geometry::type() const {
  const int id = GEOSGeomTypeId_r(geos(), raw(*this));
  switch (id) {
    case GEOS_POINT: return GeometryType::point;
    case GEOS_LINESTRING: return GeometryType::line_string;
    case GEOS_LINEARRING: return GeometryType::linear_ring;
    case GEOS_POLYGON: return GeometryType::polygon;
    case GEOS_MULTIPOINT: return GeometryType::multi_point;
    case GEOS_MULTILINESTRING: return GeometryType::multi_line_string;
    case GEOS_MULTIPOLYGON: return GeometryType::multi_polygon;
    case GEOS_GEOMETRYCOLLECTION: return GeometryType::geometry_collection;
    default: break;
  }
  detail::throw_geos_error("geometry type");
}

bool Geometry::is_empty() const { return check_predicate(GEOSisEmpty_r(geos(), raw(*this)), "is empty"); }

Envelope Geometry::envelope() const {
  if (is_empty()) return Envelope{};
  Envelope e;
  check_status(GEOSGeom_getExtent_r(geos(), raw(*this), &e.min_x, &e.min_y, &e.max_x, &e.max_y), "envelope");
  return e;
}

std::size_t Geometry::num_coordinates() const {
  const int n = GEOSGetNumCoordinates_r(geos(), raw(*this));
  if (n < 0) detail::throw_geos_error("number of coordinates");
  return static_cast<std::size_t>(n);
}

std::vector<Polygon> Geometry::polygons() const {
  std::vector<Polygon> out;
  collect_polygons(raw(*this), out);
  return out;
}

Coordinate Geometry::as_point() const {
  if (type() != GeometryType::point || is_empty()) {
    throw Error(ErrorCode::geometry, fmt::format("as point: not a non-empty Point but {}", to_string(type())));
  }
  Coordinate c;
  check_status(GEOSGeomGetX_r(geos(), raw(*this), &c.x), "point x");
  check_status(GEOSGeomGetY_r(geos(), raw(*this), &c.y), "point y");
  return c;
}

std::vector<std::uint8_t> Geometry::to_wkb() const {
  std::unique_ptr<GEOSWKBWriter, WkbWriterDeleter> writer(check(GEOSWKBWriter_create_r(geos()), "write WKB"));
  GEOSWKBWriter_setByteOrder_r(geos(), writer.get(), GEOS_WKB_NDR);
  GEOSWKBWriter_setFlavor_r(geos(), writer.get(), GEOS_WKB_ISO);
  GEOSWKBWriter_setOutputDimension_r(geos(), writer.get(), 3);  // Z only where present
  std::size_t size = 0;
  std::unique_ptr<unsigned char, GeosFreeDeleter<unsigned char>> bytes(
      check(GEOSWKBWriter_write_r(geos(), writer.get(), raw(*this), &size), "write WKB"));
  return std::vector<std::uint8_t>(bytes.get(), bytes.get() + size);
}

std::string Geometry::to_wkt(int decimals) const {
  std::unique_ptr<GEOSWKTWriter, WktWriterDeleter> writer(check(GEOSWKTWriter_create_r(geos()), "write WKT"));
  GEOSWKTWriter_setTrim_r(geos(), writer.get(), 1);
  GEOSWKTWriter_setRoundingPrecision_r(geos(), writer.get(), decimals < 0 ? -1 : decimals);
  GEOSWKTWriter_setOutputDimension_r(geos(), writer.get(), 3);
  std::unique_ptr<char, GeosFreeDeleter<char>> text(
      check(GEOSWKTWriter_write_r(geos(), writer.get(), raw(*this)), "write WKT"));
  return std::string(text.get());
}

// ---- Measures ----

double area(const Geometry& g) {
  double out = 0.0;
  check_status(GEOSArea_r(geos(), raw(g), &out), "area");
  return out;
}

double length(const Geometry& g) {
  double out = 0.0;
  check_status(GEOSLength_r(geos(), raw(g), &out), "length");
  return out;
}

double distance(const Geometry& a, const Geometry& b) {
  double out = 0.0;
  check_status(GEOSDistance_r(geos(), raw(a), raw(b), &out), "distance");
  return out;
}

// ---- Constructions ----

Geometry centroid(const Geometry& g) { return adopt(check(GEOSGetCentroid_r(geos(), raw(g)), "centroid")); }

Geometry point_on_surface(const Geometry& g) {
  return adopt(check(GEOSPointOnSurface_r(geos(), raw(g)), "point on surface"));
}

Geometry buffer(const Geometry& g, double distance, int quadrant_segments) {
  return adopt(check(GEOSBuffer_r(geos(), raw(g), distance, quadrant_segments), "buffer"));
}

Geometry intersection(const Geometry& a, const Geometry& b) {
  return adopt(check(GEOSIntersection_r(geos(), raw(a), raw(b)), "intersection"));
}

Geometry difference(const Geometry& a, const Geometry& b) {
  return adopt(check(GEOSDifference_r(geos(), raw(a), raw(b)), "difference"));
}

Geometry union_of(const Geometry& a, const Geometry& b) {
  return adopt(check(GEOSUnion_r(geos(), raw(a), raw(b)), "union"));
}

Geometry unary_union(std::span<const Geometry> geometries) {
  GeosGeometryPtr all = detail::collection_of(geometries);
  return adopt(check(GEOSUnaryUnion_r(geos(), all.get()), "unary union"));
}

Geometry unary_union(std::span<const Geometry* const> geometries) {
  GeosGeometryPtr all = detail::collection_of(geometries);
  return adopt(check(GEOSUnaryUnion_r(geos(), all.get()), "unary union"));
}

Geometry coverage_union(std::span<const Geometry> polygons) {
  GeosGeometryPtr all = detail::collection_of(polygons);
  return adopt(check(GEOSCoverageUnion_r(geos(), all.get()), "coverage union"));
}

Geometry coverage_union(std::span<const Geometry* const> polygons) {
  GeosGeometryPtr all = detail::collection_of(polygons);
  return adopt(check(GEOSCoverageUnion_r(geos(), all.get()), "coverage union"));
}

Geometry polygonal_parts(const Geometry& g) {
  const GeometryType t = g.type();
  if (t == GeometryType::polygon || t == GeometryType::multi_polygon) return g;
  return Geometry::from_polygons(g.polygons());
}

// ---- Predicates ----

bool intersects(const Geometry& a, const Geometry& b) {
  return check_predicate(GEOSIntersects_r(geos(), raw(a), raw(b)), "intersects");
}
bool contains(const Geometry& a, const Geometry& b) {
  return check_predicate(GEOSContains_r(geos(), raw(a), raw(b)), "contains");
}
bool covers(const Geometry& a, const Geometry& b) {
  return check_predicate(GEOSCovers_r(geos(), raw(a), raw(b)), "covers");
}
bool within(const Geometry& a, const Geometry& b) {
  return check_predicate(GEOSWithin_r(geos(), raw(a), raw(b)), "within");
}
bool touches(const Geometry& a, const Geometry& b) {
  return check_predicate(GEOSTouches_r(geos(), raw(a), raw(b)), "touches");
}
bool equals(const Geometry& a, const Geometry& b) {
  return check_predicate(GEOSEquals_r(geos(), raw(a), raw(b)), "equals");
}

}  // namespace parksim::geom
