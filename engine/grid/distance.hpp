#pragma once
// Exact Euclidean distance transform (Felzenszwalb & Huttenlocher 2012, "Distance Transforms of Sampled
// Functions"): for every cell, the distance from its centre to the centre of the nearest source cell.
// Linear time in the number of cells; the 1-D lower envelopes are computed in exact integer arithmetic, so
// squared distances in cell units are exact (tests compare them with brute force for equality).
// Rows are processed in parallel with oneTBB; each row is independent, so results do not depend on the
// number of threads. Functions are thread-safe (no shared state).

#include <cstdint>
#include <limits>

#include "grid/grid.hpp"

namespace parksim::grid {

/// Marker for "no source anywhere" in squared_distance_cells.
inline constexpr std::int64_t no_source_squared_distance = std::numeric_limits<std::int64_t>::max();

/// Squared distance, in cells^2, from each cell centre to the nearest source cell centre (sources: cells
/// != 0). Every value is exact: (drow^2 + dcol^2) of the nearest source. An all-zero mask gives
/// no_source_squared_distance everywhere.
Grid<std::int64_t> squared_distance_cells(const Grid<std::uint8_t>& sources);

/// Distance in metres (float, = sqrt(squared cells) * cell_size_m) from each cell centre to the nearest
/// source cell centre. On a grid of non-square cells the same exact transform runs in metres (double precision):
/// sqrt((drow x cell height)^2 + (dcol x cell width)^2) of the nearest source. Source cells are 0. An all-zero mask gives +infinity everywhere (callers that need
/// a finite driver cap it, see study::distance_driver_m). Memory: the float output (4 bytes per cell)
/// plus a transient int64 grid of squared distances (8 bytes per cell).
Grid<float> distance_m(const Grid<std::uint8_t>& sources);

}  // namespace parksim::grid
