#include "metrics/expected_map.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <tuple>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace parksim::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint64_t kTag = stream_tag("metrics.expected_map");

struct Pair {
  std::uint64_t key;
  std::uint32_t cell;
  std::uint8_t cls;
};

bool before(const Pair& a, const Pair& b) noexcept {
  return std::tie(a.key, a.cell, a.cls) < std::tie(b.key, b.cell, b.cls);
}

Pair pair_of(std::uint64_t seed, std::int64_t cell, int cls) noexcept {
  const auto word = philox4x64_block(seed, kTag, static_cast<std::uint64_t>(cell), static_cast<std::uint64_t>(cls));
  return Pair{word[0], static_cast<std::uint32_t>(cell), static_cast<std::uint8_t>(cls)};
}

}  // namespace

ExpectedMap expected_map(std::span<const std::uint16_t> class_counts, int class_count, std::int64_t cells,
                         std::span<const std::int64_t> quantity_cells, const ExpectedMapParams& params) {
  if (class_count < 1 || class_count > 255 || params.nodata < class_count) {
    throw Error(ErrorCode::config,
                fmt::format("{} classes with nodata code {}: need 1 to 255 classes, coded 0 .. classes - 1, and a "
                            "nodata code above them",
                            class_count, params.nodata),
                Context{.key = "class_count"});
  }
  const auto k_classes = static_cast<std::size_t>(class_count);
  if (cells < 1 || cells > std::numeric_limits<std::uint32_t>::max() ||
      class_counts.size() != k_classes * static_cast<std::size_t>(cells)) {
    throw Error(ErrorCode::data,
                fmt::format("the class counts hold {} values; {} classes x {} cells (at most 4294967295) need {}",
                            class_counts.size(), class_count, cells, k_classes * static_cast<std::size_t>(cells)),
                Context{.key = "class_counts"});
  }
  if (quantity_cells.size() != k_classes) {
    throw Error(ErrorCode::config,
                fmt::format("{} quantities given for {} classes; give one per class", quantity_cells.size(), class_count),
                Context{.key = "quantity"});
  }
  const auto n = static_cast<std::size_t>(cells);
  const auto count = [&](std::size_t c, std::size_t k) { return class_counts[c * n + k]; };

  // Runs per cell: 0 (no data) or one common total.
  ExpectedMap out;
  std::int64_t first_cell = -1;
  for (std::size_t k = 0; k < n; ++k) {
    std::int64_t total = 0;
    for (std::size_t c = 0; c < k_classes; ++c) total += count(c, k);
    if (total == 0) continue;
    ++out.cells_with_data;
    if (out.runs == 0) {
      out.runs = total;
      first_cell = static_cast<std::int64_t>(k);
    } else if (total != out.runs) {
      throw Error(ErrorCode::data,
                  fmt::format("cell {} has counts for {} runs but cell {} for {}; every cell with data must have "
                              "the same number of runs",
                              k, total, first_cell, out.runs),
                  Context{.key = "class_counts"});
    }
  }
  if (out.cells_with_data == 0) {
    throw Error(ErrorCode::data, "every cell has zero counts: no cell with data", Context{.key = "class_counts"});
  }
  std::int64_t wanted = 0;
  for (std::size_t c = 0; c < k_classes; ++c) {
    if (quantity_cells[c] < 0) {
      throw Error(ErrorCode::config, fmt::format("quantity of class {} is {} cells; it must be >= 0", c, quantity_cells[c]),
                  Context{.key = "quantity"});
    }
    wanted += quantity_cells[c];
  }
  if (wanted != out.cells_with_data) {
    throw Error(ErrorCode::config,
                fmt::format("the quantities add up to {} cells but {} cells have data; they must be equal",
                            wanted, out.cells_with_data),
                Context{.key = "quantity"});
  }

  // Pairs with a non-zero count, bucketed by count (counting sort), then each level sorted by key.
  const auto levels = static_cast<std::size_t>(out.runs);
  std::vector<std::size_t> start(levels + 2, 0);
  for (std::size_t c = 0; c < k_classes; ++c) {
    for (std::size_t k = 0; k < n; ++k) {
      if (count(c, k) > 0) ++start[count(c, k) + 1];
    }
  }
  for (std::size_t l = 1; l < start.size(); ++l) start[l] += start[l - 1];
  std::vector<Pair> pairs(start.back());
  {
    std::vector<std::size_t> next(start.begin(), start.end() - 1);
    for (std::size_t c = 0; c < k_classes; ++c) {
      for (std::size_t k = 0; k < n; ++k) {
        const std::uint16_t v = count(c, k);
        if (v > 0) pairs[next[v]++] = pair_of(params.seed, static_cast<std::int64_t>(k), static_cast<int>(c));
      }
    }
  }

  out.cells.assign(n, params.nodata);
  std::vector<std::int64_t> room(quantity_cells.begin(), quantity_cells.end());
  std::vector<bool> has_data(n, false);
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t c = 0; c < k_classes && !has_data[k]; ++c) has_data[k] = count(c, k) > 0;
  }
  std::vector<bool> placed(n, false);
  const auto grant = [&](const Pair& p) {
    if (placed[p.cell] || room[p.cls] == 0) return;
    placed[p.cell] = true;
    --room[p.cls];
    out.cells[p.cell] = p.cls;
  };
  for (std::size_t level = levels; level >= 1; --level) {
    const auto first = pairs.begin() + static_cast<std::ptrdiff_t>(start[level]);
    const auto last = pairs.begin() + static_cast<std::ptrdiff_t>(start[level + 1]);
    std::sort(first, last, before);
    for (auto it = first; it != last; ++it) grant(*it);
  }
  // Probability 0: cells still without a class go to classes with room, in key order.
  std::vector<Pair> zero;
  for (std::size_t k = 0; k < n; ++k) {
    if (!has_data[k] || placed[k]) continue;
    for (std::size_t c = 0; c < k_classes; ++c) {
      if (room[c] > 0 && count(c, k) == 0) zero.push_back(pair_of(params.seed, static_cast<std::int64_t>(k), static_cast<int>(c)));
    }
  }
  std::sort(zero.begin(), zero.end(), before);
  for (const Pair& p : zero) grant(p);

  out.classes.resize(k_classes);
  for (std::size_t c = 0; c < k_classes; ++c) {
    out.classes[c].class_code = static_cast<std::uint8_t>(c);
    out.classes[c].lowest_probability = kNaN;
  }
  std::vector<std::uint16_t> lowest(k_classes, std::numeric_limits<std::uint16_t>::max());
  for (std::size_t k = 0; k < n; ++k) {
    if (!has_data[k]) continue;
    const std::size_t c = out.cells[k];
    ExpectedClass& e = out.classes[c];
    ++e.cells;
    lowest[c] = std::min(lowest[c], count(c, k));
    for (std::size_t other = 0; other < k_classes; ++other) {
      if (count(other, k) > count(c, k)) {
        ++e.cells_not_most_probable;
        break;
      }
    }
  }
  for (std::size_t c = 0; c < k_classes; ++c) {
    if (out.classes[c].cells > 0) {
      out.classes[c].lowest_probability = static_cast<double>(lowest[c]) / static_cast<double>(out.runs);
    }
  }
  return out;
}

}  // namespace parksim::metrics
