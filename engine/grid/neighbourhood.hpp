#pragma once
// Neighbourhood (moving-window) sums over square odd windows, in constant time per cell whatever the
// window: a separable sliding sum (a horizontal pass then a vertical pass), in exact integer arithmetic.
//
// EDGES: the window is CLIPPED at the grid edge - cells outside the grid count as 0 - and the centre cell
// is INCLUDED. window_cell_count() gives the number of in-grid cells of a clipped window so callers can
// normalise (share of the window) or subtract the centre.
// Deterministic; rows of the horizontal pass run in parallel with oneTBB. Thread-safe (no shared state).

#include <cstdint>

#include "grid/grid.hpp"

namespace parksim::grid {

/// Largest window side accepted by the uint16 counting functions (255 x 255 = 65 025 < 65 536).
inline constexpr int max_count_window = 255;

/// Throws Error(config, key "window") unless window is odd, >= 1 and <= max_window.
void check_window(int window, int max_window);

/// Number of cells of the window of side `window` centred on (row, col) that lie inside a rows x cols grid.
constexpr int window_cell_count(int rows, int cols, int row, int col, int window) noexcept {
  const int h = window / 2;
  const int r0 = row - h < 0 ? 0 : row - h;
  const int r1 = row + h > rows - 1 ? rows - 1 : row + h;
  const int c0 = col - h < 0 ? 0 : col - h;
  const int c1 = col + h > cols - 1 ? cols - 1 : col + h;
  return (r1 - r0 + 1) * (c1 - c0 + 1);
}

/// For each cell, the number of non-zero cells of `mask` in the window (centre included, clipped).
/// Throws Error(config) on an even, non-positive or > max_count_window window.
Grid<std::uint16_t> window_count(const Grid<std::uint8_t>& mask, int window);

/// For each cell, the number of cells of `classes` equal to `class_value` in the window (centre included,
/// clipped). Evaluate one class at a time to keep memory at 2 bytes per cell per call.
Grid<std::uint16_t> window_count_equal(const Grid<std::uint8_t>& classes, std::uint8_t class_value, int window);

/// For each cell, the exact sum of `values` over the window (centre included, clipped); any odd window
/// up to the grid size.
Grid<std::int64_t> window_sum(const Grid<std::int32_t>& values, int window);

}  // namespace parksim::grid
