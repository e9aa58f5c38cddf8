#pragma once
// Small shapes shared by the geom tests.

#include <algorithm>
#include <cmath>
#include <vector>

#include "geom/geometry.hpp"

namespace parksim::geom::test {

/// Axis-aligned square (counter-clockwise), side in CRS units.
inline Geometry square(double min_x, double min_y, double side) {
  return Geometry::from_envelope(Envelope{min_x, min_y, min_x + side, min_y + side});
}

/// Closed rectangle ring with a vertex every `step` along each edge (so that edges stay straight lines
/// after a transformation to another CRS, to within the step).
inline Ring dense_rectangle_ring(double min_x, double min_y, double max_x, double max_y, double step) {
  Ring ring;
  auto edge = [&](double x0, double y0, double x1, double y1) {
    const double len = std::max(std::abs(x1 - x0), std::abs(y1 - y0));
    const int n = static_cast<int>(std::ceil(len / step));
    for (int i = 0; i < n; ++i) {
      const double t = static_cast<double>(i) / n;
      ring.push_back({x0 + t * (x1 - x0), y0 + t * (y1 - y0)});
    }
  };
  edge(min_x, min_y, max_x, min_y);
  edge(max_x, min_y, max_x, max_y);
  edge(max_x, max_y, min_x, max_y);
  edge(min_x, max_y, min_x, min_y);
  ring.push_back(ring.front());
  return ring;
}

}  // namespace parksim::geom::test
