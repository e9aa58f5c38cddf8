// Validity check and MakeValid(STRUCTURE) repair with an area guard, over GEOS.

#include <cmath>
#include <limits>
#include <memory>

#include "geom/detail/geos_context.hpp"
#include "geom/validity.hpp"

namespace parksim::geom {

using detail::adopt;
using detail::check;
using detail::check_predicate;
using detail::geos;
using detail::GeosGeometryPtr;
using detail::raw;

ValidityReport is_valid_detail(const Geometry& geometry) {
  char* reason = nullptr;
  GEOSGeometry* location = nullptr;
  const char rc = GEOSisValidDetail_r(geos(), raw(geometry), 0, &reason, &location);
  // Take ownership before anything can throw.
  std::unique_ptr<char, void (*)(char*)> reason_owner(reason, [](char* p) { GEOSFree_r(geos(), p); });
  GeosGeometryPtr location_owner(location);
  if (rc == 2) detail::throw_geos_error("validity check");
  ValidityReport report;
  report.valid = rc == 1;
  if (!report.valid) {
    if (reason != nullptr) report.reason = reason;
    if (location != nullptr && GEOSisEmpty_r(geos(), location) == 0) {
      Coordinate c;
      detail::check_status(GEOSGeomGetX_r(geos(), location, &c.x), "validity location");
      detail::check_status(GEOSGeomGetY_r(geos(), location, &c.y), "validity location");
      report.location = c;
    }
  }
  return report;
}

namespace {

// Twice the signed area of a closed ring (shoelace), positive when counter-clockwise.
double signed_area2(const Ring& ring) {
  double sum = 0.0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    sum += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y;
  }
  return sum;
}

// Winding number of a closed ring around p (Sunday's crossing rules). p is an interior point of a face of
// the noded ring, so it is never on the ring and the count is exact.
int winding_number(const Ring& ring, const Coordinate& p) {
  int wn = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    const Coordinate& a = ring[i];
    const Coordinate& b = ring[i + 1];
    const double side = (b.x - a.x) * (p.y - a.y) - (p.x - a.x) * (b.y - a.y);
    if (a.y <= p.y) {
      if (b.y > p.y && side > 0) ++wn;
    } else {
      if (b.y <= p.y && side < 0) --wn;
    }
  }
  return wn;
}

// Area a ring encloses under the non-zero winding rule: the ring is noded, the faces it bounds are
// polygonized, and each face counts once if the ring winds around it. For a simple ring this is the
// plain absolute area. A bow-tie gives both triangles; a ring touching itself to form a hole leaves the
// hole out (its winding number is 0).
double enclosed_area(const Ring& ring) {
  if (ring.size() < 4) return 0.0;
  const Geometry line = Geometry::line_string(ring);
  if (check_predicate(GEOSisSimple_r(geos(), raw(line)), "ring is simple")) return std::abs(signed_area2(ring)) / 2.0;

  GeosGeometryPtr noded(check(GEOSNode_r(geos(), raw(line)), "node ring"));
  const GEOSGeometry* edges[] = {noded.get()};
  const Geometry faces = adopt(check(GEOSPolygonize_r(geos(), edges, 1), "polygonize ring"));
  double total = 0.0;
  const int n = GEOSGetNumGeometries_r(geos(), raw(faces));
  if (n < 0) detail::throw_geos_error("polygonize ring");
  for (int i = 0; i < n; ++i) {
    const GEOSGeometry* face = check(GEOSGetGeometryN_r(geos(), raw(faces), i), "ring face");
    double face_area = 0.0;
    detail::check_status(GEOSArea_r(geos(), face, &face_area), "ring face area");
    GeosGeometryPtr inside(check(GEOSPointOnSurface_r(geos(), face), "ring face interior point"));
    Coordinate p;
    detail::check_status(GEOSGeomGetX_r(geos(), inside.get(), &p.x), "ring face interior point");
    detail::check_status(GEOSGeomGetY_r(geos(), inside.get(), &p.y), "ring face interior point");
    if (winding_number(ring, p) != 0) total += face_area;
  }
  return total;
}

double drawn_area(const Geometry& geometry) {
  double total = 0.0;
  for (const Polygon& polygon : geometry.polygons()) {
    total += enclosed_area(polygon.exterior);
    for (const Ring& hole : polygon.holes) total -= enclosed_area(hole);
  }
  return total;
}

struct MakeValidParamsDeleter {
  void operator()(GEOSMakeValidParams* p) const noexcept { GEOSMakeValidParams_destroy_r(geos(), p); }
};

}  // namespace

RepairResult repair(const Geometry& geometry, double max_area_change_fraction) {
  RepairResult result;
  const ValidityReport validity = is_valid_detail(geometry);
  if (validity.valid) {
    result.status = RepairStatus::already_valid;
    result.geometry = geometry;
    result.area_before = result.area_after = area(geometry);
    return result;
  }
  result.reason = validity.reason;
  result.location = validity.location;

  std::unique_ptr<GEOSMakeValidParams, MakeValidParamsDeleter> params(
      check(GEOSMakeValidParams_create_r(geos()), "make valid"));
  detail::check_status(GEOSMakeValidParams_setMethod_r(geos(), params.get(), GEOS_MAKE_VALID_STRUCTURE), "make valid");
  detail::check_status(GEOSMakeValidParams_setKeepCollapsed_r(geos(), params.get(), 0), "make valid");
  Geometry fixed = adopt(check(GEOSMakeValidWithParams_r(geos(), raw(geometry), params.get()), "make valid"));

  const GeometryType type = geometry.type();
  if (type == GeometryType::polygon || type == GeometryType::multi_polygon) fixed = polygonal_parts(fixed);

  result.area_before = drawn_area(geometry);
  result.area_after = area(polygonal_parts(fixed));
  const double change = std::abs(result.area_after - result.area_before);
  if (result.area_before > 0.0) {
    result.area_change_fraction = change / result.area_before;
  } else {
    result.area_change_fraction = change == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
  }
  if (result.area_change_fraction > max_area_change_fraction) {
    result.status = RepairStatus::rejected;
    result.geometry = geometry;
  } else {
    result.status = RepairStatus::repaired;
    result.geometry = std::move(fixed);
  }
  return result;
}

}  // namespace parksim::geom
