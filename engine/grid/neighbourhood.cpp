#include "grid/neighbourhood.hpp"

#include <string>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace parksim::grid {
namespace {

// Horizontal sliding sum of one row: out[c] = sum of in[c-h .. c+h] clipped. in(c) gives the value.
template <class Out, class In>
void slide_row(const In& in, Out* out, int cols, int h) {
  Out sum = 0;
  const int first = std::min(h, cols - 1);
  for (int c = 0; c <= first; ++c) sum += static_cast<Out>(in(c));
  for (int c = 0; c < cols; ++c) {
    out[c] = sum;
    const int add = c + h + 1;
    const int drop = c - h;
    if (add < cols) sum += static_cast<Out>(in(add));
    if (drop >= 0) sum -= static_cast<Out>(in(drop));
  }
}

// Separable window sum. `row_value(r, c)` gives the input; Acc is the exact accumulator type, Out the
// stored type (counts fit in uint16 for windows <= 255, so counts use uint16 for both: 4 bytes per cell). The vertical pass keeps one running column sum per
// column and walks rows in order, so memory is read row by row.
template <class Out, class Acc, class RowValue>
Grid<Out> separable_sum(const GridSpec& spec, int window, const RowValue& row_value) {
  const int rows = spec.rows;
  const int cols = spec.cols;
  const int h = window / 2;
  Grid<Acc> horizontal(spec, Acc{0});
  tbb::parallel_for(tbb::blocked_range<int>(0, rows, 16), [&](const tbb::blocked_range<int>& range) {
    for (int r = range.begin(); r < range.end(); ++r) {
      slide_row<Acc>([&](int c) { return row_value(r, c); }, horizontal.row_data(r), cols, h);
    }
  });
  Grid<Out> out(spec, Out{0});
  if (rows == 0 || cols == 0) return out;
  std::vector<Acc> column(static_cast<std::size_t>(cols), Acc{0});
  auto add_row = [&](int r, int sign) {
    const Acc* src = horizontal.row_data(r);
    if (sign > 0) {
      for (int c = 0; c < cols; ++c) column[static_cast<std::size_t>(c)] += src[c];
    } else {
      for (int c = 0; c < cols; ++c) column[static_cast<std::size_t>(c)] -= src[c];
    }
  };
  for (int r = 0; r <= std::min(h, rows - 1); ++r) add_row(r, +1);
  for (int r = 0; r < rows; ++r) {
    Out* dst = out.row_data(r);
    for (int c = 0; c < cols; ++c) dst[c] = static_cast<Out>(column[static_cast<std::size_t>(c)]);
    if (r + h + 1 < rows) add_row(r + h + 1, +1);
    if (r - h >= 0) add_row(r - h, -1);
  }
  return out;
}

}  // namespace

void check_window(int window, int max_window) {
  if (window < 1 || window % 2 == 0 || window > max_window) {
    throw Error(ErrorCode::config,
                "neighbourhood window must be an odd number of cells between 1 and " + std::to_string(max_window) +
                    ", got " + std::to_string(window),
                Context{.key = "window"});
  }
}

Grid<std::uint16_t> window_count(const Grid<std::uint8_t>& mask, int window) {
  check_window(window, max_count_window);
  return separable_sum<std::uint16_t, std::uint16_t>(
      mask.spec(), window, [&](int r, int c) { return mask(r, c) != 0 ? 1 : 0; });
}

Grid<std::uint16_t> window_count_equal(const Grid<std::uint8_t>& classes, std::uint8_t class_value, int window) {
  check_window(window, max_count_window);
  return separable_sum<std::uint16_t, std::uint16_t>(
      classes.spec(), window, [&](int r, int c) { return classes(r, c) == class_value ? 1 : 0; });
}

Grid<std::int64_t> window_sum(const Grid<std::int32_t>& values, int window) {
  const int largest = 2 * std::max(values.rows(), values.cols()) + 1;
  check_window(window, largest);
  return separable_sum<std::int64_t, std::int64_t>(values.spec(), window,
                                                    [&](int r, int c) { return values(r, c); });
}

}  // namespace parksim::grid
