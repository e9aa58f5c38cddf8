#pragma once
// Small synthetic inputs for the sim tests.

#include <cstdint>
#include <vector>

#include "sim/simulation.hpp"

namespace parksim::sim::test {

inline std::uint32_t hash32(std::uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

inline grid::GridSpec spec(int rows, int cols) {
  return grid::GridSpec{.origin_x = 500000.0, .origin_y = 4450000.0, .cell_size_m = 10.0, .cols = cols,
                        .rows = rows, .crs = "EPSG:4548"};
}

/// K classes: class 0 = open land (no target, the donor), class 1.. = built classes with a small seed block each;
/// suitability a hashed pattern in [1, 255]. Demand: each built class grows by `growth` cells a year for `years`.
inline SimulationInput basic_input(int rows, int cols, int classes, int years, std::int64_t growth) {
  SimulationInput in;
  in.class_count = classes;
  in.initial_classes = grid::Grid<std::uint8_t>(spec(rows, cols), 0);
  for (int k = 1; k < classes; ++k) {
    const int r0 = (k * rows) / (classes + 1);
    for (int r = r0; r < r0 + 3; ++r) {
      for (int c = cols / 2 - 2; c < cols / 2 + 2; ++c) in.initial_classes(r, c) = static_cast<std::uint8_t>(k);
    }
  }
  in.suitability.resize(static_cast<std::size_t>(classes));
  for (int k = 1; k < classes; ++k) {
    grid::Grid<std::uint8_t> s(spec(rows, cols), 0);
    for (std::int64_t i = 0; i < s.size(); ++i) {
      s[i] = static_cast<std::uint8_t>(1 + hash32(static_cast<std::uint32_t>(i * 31 + k)) % 255);
    }
    in.suitability[static_cast<std::size_t>(k)] = std::move(s);
  }
  in.built_classes.assign(static_cast<std::size_t>(classes), true);
  in.built_classes[0] = false;
  in.start_year = 2024;
  std::vector<std::int64_t> count(static_cast<std::size_t>(classes), 0);
  for (std::int64_t i = 0; i < in.initial_classes.size(); ++i) ++count[in.initial_classes[i]];
  for (int y = 1; y <= years; ++y) {
    YearDemand d{.year = 2024 + y, .cells = std::vector<std::int64_t>(static_cast<std::size_t>(classes))};
    d.cells[0] = no_target;
    for (int k = 1; k < classes; ++k) d.cells[static_cast<std::size_t>(k)] = count[static_cast<std::size_t>(k)] + y * growth;
    in.demand.push_back(d);
  }
  for (int y = 1; y <= years; ++y) in.output_years.push_back(2024 + y);
  return in;
}

inline std::vector<std::int64_t> class_counts(const grid::Grid<std::uint8_t>& g, int classes) {
  std::vector<std::int64_t> n(static_cast<std::size_t>(classes), 0);
  for (std::int64_t i = 0; i < g.size(); ++i) {
    if (g[i] < classes) ++n[g[i]];
  }
  return n;
}

inline bool same_values(const grid::Grid<std::uint8_t>& a, const grid::Grid<std::uint8_t>& b) {
  if (a.size() != b.size()) return false;
  for (std::int64_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace parksim::sim::test
