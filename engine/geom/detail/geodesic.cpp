// Geodesic polygon areas with PROJ's geodesic routines (C. F. F. Karney's algorithms).

#include <geodesic.h>

#include <cmath>
#include <vector>

#include "geom/crs.hpp"

namespace parksim::geom {
namespace {

// |area| of one closed ring of lon/lat degrees, in m2. The repeated closing vertex is left out:
// geod_polygonarea closes the ring itself.
double ring_area_m2(const geod_geodesic& g, const Ring& ring) {
  if (ring.size() < 4) return 0.0;
  const std::size_t n = ring.size() - 1;
  std::vector<double> lats(n);
  std::vector<double> lons(n);
  for (std::size_t i = 0; i < n; ++i) {
    lons[i] = ring[i].x;
    lats[i] = ring[i].y;
  }
  double area = 0.0;
  double perimeter = 0.0;
  geod_polygonarea(&g, lats.data(), lons.data(), static_cast<int>(n), &area, &perimeter);
  return std::abs(area);
}

}  // namespace

double geodesic_area_m2(const Geometry& lonlat, Ellipsoid ellipsoid) {
  constexpr double a_m = 6378137.0;
  const double inverse_flattening = ellipsoid == Ellipsoid::grs80 ? 298.257222101 : 298.257223563;
  geod_geodesic g{};
  geod_init(&g, a_m, 1.0 / inverse_flattening);
  double total = 0.0;
  for (const Polygon& polygon : lonlat.polygons()) {
    total += ring_area_m2(g, polygon.exterior);
    for (const Ring& hole : polygon.holes) total -= ring_area_m2(g, hole);
  }
  return total;
}

}  // namespace parksim::geom
