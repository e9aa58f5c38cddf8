#pragma once
// Small owning maps for the metrics tests: the library only takes views.

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "core/rng.hpp"
#include "metrics/map.hpp"

namespace parksim::metrics::testing {

inline constexpr std::uint8_t kNodata = 255;

struct OwnedMap {
  std::vector<std::uint8_t> cells;
  int rows = 0;
  int cols = 0;
  double cell_size_m = 10.0;
  std::uint8_t nodata = kNodata;

  CategoricalMapView view() const { return CategoricalMapView{cells, rows, cols, cell_size_m, nodata}; }
  std::uint8_t& at(int r, int c) { return cells[static_cast<std::size_t>(r) * cols + c]; }
  std::uint8_t at(int r, int c) const { return cells[static_cast<std::size_t>(r) * cols + c]; }
};

/// A rows x cols map of 10 m cells from row-major codes (255 = nodata).
inline OwnedMap map_of(int rows, int cols, std::initializer_list<int> codes) {
  OwnedMap m;
  m.rows = rows;
  m.cols = cols;
  for (const int c : codes) m.cells.push_back(static_cast<std::uint8_t>(c));
  return m;
}

/// A patchy random map: each cell copies its left or upper neighbour with probability `copy`, else draws one
/// of `classes` codes (0..classes-1); a fraction `nodata_share` of cells is nodata.
inline OwnedMap random_patchy_map(int rows, int cols, int classes, double copy, double nodata_share,
                                  std::uint64_t seed) {
  RngStream rng(seed, "test.metrics.random_map");
  OwnedMap m;
  m.rows = rows;
  m.cols = cols;
  m.cells.assign(static_cast<std::size_t>(rows) * cols, 0);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      std::uint8_t v = static_cast<std::uint8_t>(rng.uniform_int(static_cast<std::uint64_t>(classes)));
      if (rng.uniform() < copy) {
        if (rng.uniform() < 0.5 && c > 0 && m.at(r, c - 1) != kNodata) {
          v = m.at(r, c - 1);
        } else if (r > 0 && m.at(r - 1, c) != kNodata) {
          v = m.at(r - 1, c);
        }
      }
      if (rng.uniform() < nodata_share) v = kNodata;
      m.at(r, c) = v;
    }
  }
  return m;
}

}  // namespace parksim::metrics::testing
