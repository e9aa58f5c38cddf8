#pragma once
// Wiring from the engine's raster type to the metrics' map view (no copy).

#include <cstdint>
#include <span>

#include "grid/grid.hpp"
#include "metrics/map.hpp"

namespace parksim::metrics {

/// A view of `grid`'s cells, shape and cell size; cells equal to `nodata` (DEFAULT 255) are excluded.
/// The view is valid while `grid` is alive and not resized or moved from.
inline CategoricalMapView view_of(const grid::Grid<std::uint8_t>& grid, std::uint8_t nodata = 255) {
  return CategoricalMapView{std::span<const std::uint8_t>(grid.data(), static_cast<std::size_t>(grid.size())),
                            grid.rows(), grid.cols(), grid.spec().cell_size_m, nodata, grid.spec().cell_height_m};
}

}  // namespace parksim::metrics
