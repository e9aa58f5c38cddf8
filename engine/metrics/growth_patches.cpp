#include "metrics/growth_patches.hpp"

#include <algorithm>
#include <cmath>

namespace parksim::metrics {

double GrowthPatches::new_patch_share() const noexcept {
  return new_cells > 0 ? static_cast<double>(new_patch_cells) / static_cast<double>(new_cells) : 0.0;
}

void GrowthPatches::pool(const GrowthPatches& other) {
  new_cells += other.new_cells;
  new_patch_cells += other.new_patch_cells;
  const auto mid = static_cast<std::ptrdiff_t>(new_patch_sizes.size());
  new_patch_sizes.insert(new_patch_sizes.end(), other.new_patch_sizes.begin(), other.new_patch_sizes.end());
  std::inplace_merge(new_patch_sizes.begin(), new_patch_sizes.begin() + mid, new_patch_sizes.end());
}

GrowthPatches growth_patches(const CategoricalMapView& start, const CategoricalMapView& end, std::uint8_t class_code) {
  check_map(start, "start");
  check_map(end, "end");
  require_same_shape(start, "start", end, "end");
  const int rows = start.rows;
  const int cols = start.cols;
  const auto at = [cols](int r, int c) { return static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) + c; };
  const auto is_new = [&](std::size_t i) {
    return end.cells[i] == class_code && end.cells[i] != end.nodata && start.cells[i] != start.nodata &&
           start.cells[i] != class_code;
  };
  GrowthPatches g;
  std::vector<std::uint8_t> seen(start.cells.size(), 0);
  std::vector<std::int64_t> stack;
  for (int r0 = 0; r0 < rows; ++r0) {
    for (int c0 = 0; c0 < cols; ++c0) {
      const std::size_t i0 = at(r0, c0);
      if (seen[i0] || !is_new(i0)) continue;
      // One component, depth-first over the 8 neighbours (an explicit stack: no recursion).
      std::int64_t size = 0;
      bool touches_old = false;
      seen[i0] = 1;
      stack.assign(1, static_cast<std::int64_t>(i0));
      while (!stack.empty()) {
        const auto i = static_cast<std::size_t>(stack.back());
        stack.pop_back();
        ++size;
        const int r = static_cast<int>(i / static_cast<std::size_t>(cols));
        const int c = static_cast<int>(i % static_cast<std::size_t>(cols));
        for (int dr = -1; dr <= 1; ++dr) {
          for (int dc = -1; dc <= 1; ++dc) {
            const int rr = r + dr, cc = c + dc;
            if ((dr == 0 && dc == 0) || rr < 0 || cc < 0 || rr >= rows || cc >= cols) continue;
            const std::size_t j = at(rr, cc);
            if (start.cells[j] == class_code) touches_old = true;
            if (!seen[j] && is_new(j)) {
              seen[j] = 1;
              stack.push_back(static_cast<std::int64_t>(j));
            }
          }
        }
      }
      g.new_cells += size;
      if (!touches_old) {
        g.new_patch_cells += size;
        g.new_patch_sizes.push_back(size);
      }
    }
  }
  std::sort(g.new_patch_sizes.begin(), g.new_patch_sizes.end());
  return g;
}

double ks_distance(std::span<const std::int64_t> a, std::span<const std::int64_t> b) {
  if (a.empty() && b.empty()) return 0.0;
  if (a.empty() || b.empty()) return 1.0;
  std::vector<std::int64_t> x(a.begin(), a.end()), y(b.begin(), b.end());
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  const auto nx = static_cast<double>(x.size());
  const auto ny = static_cast<double>(y.size());
  double d = 0.0;
  std::size_t i = 0, j = 0;
  while (i < x.size() || j < y.size()) {
    // step past every copy of the next value in both samples (ties move both ECDFs at once)
    const std::int64_t v = j >= y.size() || (i < x.size() && x[i] <= y[j]) ? x[i] : y[j];
    while (i < x.size() && x[i] == v) ++i;
    while (j < y.size() && y[j] == v) ++j;
    d = std::max(d, std::abs(static_cast<double>(i) / nx - static_cast<double>(j) / ny));
  }
  return d;
}

}  // namespace parksim::metrics
