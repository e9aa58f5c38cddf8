#include "metrics/landscape.hpp"

#include <cmath>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "metrics/grid_view.hpp"
#include "test_maps.hpp"

namespace parksim::metrics {
namespace {

using testing::kNodata;
using testing::map_of;
using testing::OwnedMap;

constexpr double kTol = 1e-9;  // percentages and m/ha from integer counts

LandscapeMetrics metrics_of(const OwnedMap& m, Connectivity rule = Connectivity::eight) {
  return landscape_metrics(m.view(), LandscapeParams{rule});
}

const ClassLandscapeMetrics& cls(const LandscapeMetrics& m, int code) {
  const ClassLandscapeMetrics* c = m.find(static_cast<std::uint8_t>(code));
  if (c == nullptr) throw std::runtime_error("class " + std::to_string(code) + " missing");
  return *c;
}

// 4 x 4 checkerboard of classes 1 and 2, 10 m cells (A = 1600 m2 = 0.16 ha):
//   1 2 1 2
//   2 1 2 1
//   1 2 1 2
//   2 1 2 1
OwnedMap checkerboard() { return map_of(4, 4, {1, 2, 1, 2, 2, 1, 2, 1, 1, 2, 1, 2, 2, 1, 2, 1}); }

TEST(Landscape, checkerboard_has_no_like_adjacency_and_every_inner_side_is_edge) {
  const LandscapeMetrics m = metrics_of(checkerboard());
  EXPECT_NEAR(m.landscape_area_ha, 0.16, kTol);
  for (const int code : {1, 2}) {
    const ClassLandscapeMetrics& c = cls(m, code);
    EXPECT_EQ(c.cell_count, 8);
    EXPECT_NEAR(c.percent_of_landscape, 50.0, kTol);
    // 2 * 4 * 3 = 24 inner sides, all between 1 and 2: 240 m of edge for each class; 240 / 0.16 = 1500 m/ha.
    EXPECT_NEAR(c.edge_length_m, 240.0, kTol);
    EXPECT_NEAR(c.edge_density_m_per_ha, 1500.0, kTol);
    EXPECT_EQ(c.like_adjacencies, 0);
    EXPECT_EQ(c.percent_like_adjacencies, 0.0);
    EXPECT_EQ(c.aggregation_index, 0.0);
  }
}

TEST(Landscape, checkerboard_is_one_patch_per_class_with_8_neighbours_and_8_with_4) {
  const LandscapeMetrics eight = metrics_of(checkerboard(), Connectivity::eight);
  const LandscapeMetrics four = metrics_of(checkerboard(), Connectivity::four);
  EXPECT_EQ(cls(eight, 1).patch_count, 1);
  EXPECT_EQ(cls(eight, 2).patch_count, 1);
  EXPECT_NEAR(cls(eight, 1).largest_patch_index, 50.0, kTol);
  EXPECT_EQ(cls(four, 1).patch_count, 8);
  EXPECT_EQ(cls(four, 2).patch_count, 8);
  EXPECT_NEAR(cls(four, 1).largest_patch_index, 100.0 / 16.0, kTol);
  EXPECT_NEAR(cls(four, 2).mean_patch_area_ha, 0.01, kTol);  // one 100 m2 cell each
}

TEST(Landscape, diagonal_line_counts_differ_between_4_and_8_neighbour_rules) {
  // 1 0 0 0      class 1: 4 single cells touching at corners -> NP 4 (rook), 1 (queen).
  // 0 1 0 0      class 0: upper and lower triangles of 6 cells, which touch only at corners,
  // 0 0 1 0               e.g. (0,1) and (1,0) -> NP 2 (rook), 1 (queen).
  // 0 0 0 1
  const OwnedMap m = map_of(4, 4, {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1});
  const LandscapeMetrics four = metrics_of(m, Connectivity::four);
  const LandscapeMetrics eight = metrics_of(m, Connectivity::eight);
  EXPECT_EQ(cls(four, 1).patch_count, 4);
  EXPECT_EQ(cls(eight, 1).patch_count, 1);
  EXPECT_EQ(cls(four, 0).patch_count, 2);
  EXPECT_EQ(cls(eight, 0).patch_count, 1);
  EXPECT_NEAR(cls(four, 0).largest_patch_index, 6.0 / 16.0 * 100.0, kTol);
  EXPECT_NEAR(cls(eight, 0).largest_patch_index, 12.0 / 16.0 * 100.0, kTol);
}

TEST(Landscape, default_rule_is_eight_neighbours) {
  EXPECT_EQ(LandscapeParams{}.connectivity, Connectivity::eight);
  const LandscapeMetrics m = landscape_metrics(checkerboard().view());
  EXPECT_EQ(m.connectivity, Connectivity::eight);
  EXPECT_EQ(cls(m, 1).patch_count, 1);
}

TEST(Landscape, grid_view_takes_shape_cell_size_and_cells_from_the_grid) {
  // A 2 x 3 grid of 30 m cells: 1 1 0 / 0 255 1 -> 5 valid cells = 4500 m2 = 0.45 ha; class 1 is 2 patches
  // under the 4-neighbour rule, 1 under the 8-neighbour rule ((0,1) touches (1,2) at a corner).
  grid::GridSpec spec;
  spec.cell_size_m = 30.0;
  spec.rows = 2;
  spec.cols = 3;
  grid::Grid<std::uint8_t> g(spec, 0);
  g(0, 0) = 1;
  g(0, 1) = 1;
  g(1, 1) = 255;
  g(1, 2) = 1;
  const CategoricalMapView view = view_of(g);
  EXPECT_EQ(view.cells.data(), g.data());  // no copy
  const LandscapeMetrics four = landscape_metrics(view, {Connectivity::four});
  EXPECT_NEAR(four.landscape_area_ha, 0.45, kTol);
  EXPECT_EQ(four.nodata_cell_count, 1);
  EXPECT_EQ(cls(four, 1).patch_count, 2);
  EXPECT_EQ(cls(landscape_metrics(view), 1).patch_count, 1);
  EXPECT_EQ(landscape_metrics(view_of(g, 1)).cell_count, 3);  // another nodata code: 1 is excluded, 255 counts
}

TEST(Landscape, largest_patch_index_is_the_biggest_patch_share_of_the_landscape) {
  // 1 1 0      class 1: patches of 2 and 3 cells (rows 0 and 2 do not touch) -> LPI = 3/9 = 33.3 %.
  // 0 0 0      class 0: one patch of 4 cells -> LPI = 4/9 = 44.4 %.
  // 1 1 1
  const LandscapeMetrics m = metrics_of(map_of(3, 3, {1, 1, 0, 0, 0, 0, 1, 1, 1}));
  EXPECT_EQ(cls(m, 1).patch_count, 2);
  EXPECT_EQ(cls(m, 1).largest_patch_cells, 3);
  EXPECT_NEAR(cls(m, 1).largest_patch_index, 100.0 / 3.0, kTol);
  EXPECT_NEAR(cls(m, 1).mean_patch_area_ha, 0.025, kTol);  // 5 cells * 100 m2 / 2 patches
  EXPECT_EQ(cls(m, 0).patch_count, 1);
  EXPECT_NEAR(cls(m, 0).largest_patch_index, 400.0 / 9.0, kTol);
}

TEST(Landscape, l_shape_aggregation_index_and_pladj_by_hand) {
  // 1 1 1 0   class 1, A = 5 cells: like sides (0,0)-(0,1), (0,1)-(0,2), (0,0)-(1,0), (1,0)-(2,0) -> g = 4.
  // 1 0 0 0             n = floor(sqrt 5) = 2, m = 1 <= n -> g_max = 2*2*1 + 2*1 - 1 = 5 -> AI = 80 %.
  // 1 0 0 0             PLADJ = 2g / 4A = 8 / 20 = 40 % (border sides count in the denominator).
  // 0 0 0 0   class 0, A = 11: 24 inner sides - 6 unlike - 4 like(1) = 14 like; n = 3, m = 2 -> g_max = 15.
  //           AI = 14/15; PLADJ = 28/44. Edge: 6 sides = 60 m for both classes; 60 / 0.16 ha = 375 m/ha.
  const LandscapeMetrics m = metrics_of(map_of(4, 4, {1, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}));
  const ClassLandscapeMetrics& one = cls(m, 1);
  const ClassLandscapeMetrics& zero = cls(m, 0);
  EXPECT_EQ(one.like_adjacencies, 4);
  EXPECT_NEAR(one.aggregation_index, 80.0, kTol);
  EXPECT_NEAR(one.percent_like_adjacencies, 40.0, kTol);
  EXPECT_EQ(zero.like_adjacencies, 14);
  EXPECT_NEAR(zero.aggregation_index, 1400.0 / 15.0, kTol);
  EXPECT_NEAR(zero.percent_like_adjacencies, 2800.0 / 44.0, kTol);
  EXPECT_NEAR(one.edge_length_m, 60.0, kTol);
  EXPECT_NEAR(zero.edge_density_m_per_ha, 375.0, kTol);
}

TEST(Landscape, compact_square_has_aggregation_index_100) {
  // A 3 x 3 block of class 4 inside class 0 (5 x 5): g = 2*3*2 = 12 = g_max(9) -> AI = 100 %.
  OwnedMap m = map_of(5, 5, {0, 0, 0, 0, 0, 0, 4, 4, 4, 0, 0, 4, 4, 4, 0, 0, 4, 4, 4, 0, 0, 0, 0, 0, 0});
  const LandscapeMetrics lm = metrics_of(m);
  EXPECT_NEAR(cls(lm, 4).aggregation_index, 100.0, kTol);
  // PLADJ stays below 100: 24 like (double count) of 36 sides.
  EXPECT_NEAR(cls(lm, 4).percent_like_adjacencies, 2400.0 / 36.0, kTol);
  // Spreading the same 9 cells lowers AI: move a corner cell away from the block.
  m.at(3, 3) = 0;
  m.at(0, 0) = 4;  // 8 cells in the block (g = 10), 1 isolated -> g = 10 of g_max 12
  EXPECT_NEAR(cls(metrics_of(m), 4).aggregation_index, 1000.0 / 12.0, kTol);
}

TEST(Landscape, single_cell_class_has_undefined_aggregation_index) {
  const LandscapeMetrics m = metrics_of(map_of(2, 2, {0, 0, 0, 5}));
  EXPECT_TRUE(std::isnan(cls(m, 5).aggregation_index));
  EXPECT_EQ(cls(m, 5).percent_like_adjacencies, 0.0);
  EXPECT_EQ(cls(m, 5).patch_count, 1);
}

TEST(Landscape, map_border_and_nodata_sides_are_not_edge_and_nodata_is_outside_the_landscape) {
  // 1 - 1     ('-' = nodata) A = 7 cells = 700 m2 = 0.07 ha.
  // 1 - 1     class 1: two patches split by the nodata column (4 cells); class 0: one patch of 3.
  // 0 0 0     edge: (1,0)-(2,0) and (1,2)-(2,2) only = 20 m -> ED = 20 / 0.07 = 285.7 m/ha.
  //           PLADJ(1) = 2 like * 2 / (4 * 4) = 25 %; PLADJ(0) = 2 * 2 / 12 = 33.3 %.
  const OwnedMap m = map_of(3, 3, {1, kNodata, 1, 1, kNodata, 1, 0, 0, 0});
  const LandscapeMetrics lm = metrics_of(m);
  EXPECT_EQ(lm.cell_count, 7);
  EXPECT_EQ(lm.nodata_cell_count, 2);
  EXPECT_NEAR(lm.landscape_area_ha, 0.07, kTol);
  EXPECT_EQ(lm.classes.size(), 2u);  // nodata is not a class
  EXPECT_EQ(cls(lm, 1).patch_count, 2);
  EXPECT_NEAR(cls(lm, 1).percent_of_landscape, 400.0 / 7.0, kTol);
  EXPECT_NEAR(cls(lm, 1).largest_patch_index, 200.0 / 7.0, kTol);
  EXPECT_NEAR(cls(lm, 1).edge_length_m, 20.0, kTol);
  EXPECT_NEAR(cls(lm, 1).edge_density_m_per_ha, 20.0 / 0.07, kTol);
  EXPECT_NEAR(cls(lm, 0).edge_density_m_per_ha, 20.0 / 0.07, kTol);
  EXPECT_NEAR(cls(lm, 1).percent_like_adjacencies, 25.0, kTol);
  EXPECT_NEAR(cls(lm, 0).percent_like_adjacencies, 100.0 / 3.0, kTol);
}

TEST(Landscape, u_and_spiral_shapes_merge_into_one_patch) {
  // The two arms of the U get separate labels in the first rows and meet in the last one.
  const LandscapeMetrics u = metrics_of(map_of(3, 3, {1, 0, 1, 1, 0, 1, 1, 1, 1}), Connectivity::four);
  EXPECT_EQ(cls(u, 1).patch_count, 1);
  EXPECT_EQ(cls(u, 1).largest_patch_cells, 7);
  EXPECT_EQ(cls(u, 0).patch_count, 1);
  // A spiral of class 2 wound round class 3 (6 x 6): one patch per class under both rules (23 and 13 cells).
  //   2 2 2 2 2 2
  //   3 3 3 3 3 2
  //   2 2 2 2 3 2
  //   2 3 3 2 3 2
  //   2 3 3 3 3 2
  //   2 2 2 2 2 2
  const OwnedMap spiral = map_of(6, 6, {2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 3, 2,
                                        2, 3, 3, 2, 3, 2, 2, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2});
  for (const Connectivity rule : {Connectivity::four, Connectivity::eight}) {
    const LandscapeMetrics s = metrics_of(spiral, rule);
    EXPECT_EQ(cls(s, 2).patch_count, 1);
    EXPECT_EQ(cls(s, 2).largest_patch_cells, 23);
    EXPECT_EQ(cls(s, 3).patch_count, 1);
    EXPECT_EQ(cls(s, 3).largest_patch_cells, 13);
  }
}

TEST(Landscape, single_row_and_single_column_maps) {
  const LandscapeMetrics row = metrics_of(map_of(1, 6, {1, 1, 0, 1, kNodata, 1}));
  EXPECT_EQ(cls(row, 1).patch_count, 3);
  EXPECT_EQ(cls(row, 1).largest_patch_cells, 2);
  EXPECT_NEAR(cls(row, 1).edge_length_m, 20.0, kTol);
  const LandscapeMetrics col = metrics_of(map_of(6, 1, {1, 1, 0, 1, kNodata, 1}));
  EXPECT_EQ(cls(col, 1).patch_count, 3);
  EXPECT_EQ(cls(col, 1).like_adjacencies, 1);
}

TEST(Landscape, errors_on_empty_all_nodata_or_bad_cell_size) {
  const OwnedMap empty;
  try {
    landscape_metrics(empty.view());
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::data);
    EXPECT_EQ(error.context().key, "map");
  }
  EXPECT_THROW(landscape_metrics(map_of(1, 2, {kNodata, kNodata}).view()), Error);
  OwnedMap zero_cell = map_of(1, 2, {1, 2});
  zero_cell.cell_size_m = 0.0;
  EXPECT_THROW(landscape_metrics(zero_cell.view()), Error);
}

TEST(Landscape, rows_list_every_class_metric_with_units) {
  const LandscapeMetrics m = metrics_of(checkerboard());
  const std::vector<MetricRow> rows = m.to_rows();
  int class_rows = 0;
  for (const MetricRow& r : rows) {
    if (r.scope != "class") continue;
    ++class_rows;
    ASSERT_TRUE(r.class_code.has_value());
    if (r.id == "edge_density") {
      EXPECT_EQ(r.unit, "m/ha");
      EXPECT_NEAR(r.value, 1500.0, kTol);
    }
    if (r.id == "patch_count") {
      EXPECT_EQ(r.value, 1.0);
    }
  }
  EXPECT_EQ(class_rows, 2 * 9);
  EXPECT_EQ(rows.front().id, "landscape_area");
  EXPECT_NEAR(rows.front().value, 0.16, kTol);
}

// Brute force: breadth-first flood fill with an explicit queue, and each cell's four sides inspected.
struct BruteClass {
  std::int64_t cells = 0, patches = 0, largest = 0, like_sides = 0, unlike_sides = 0;
};

std::map<int, BruteClass> brute_force(const OwnedMap& m, bool eight) {
  std::map<int, BruteClass> out;
  std::vector<char> seen(m.cells.size(), 0);
  const auto valid = [&](int r, int c) { return r >= 0 && r < m.rows && c >= 0 && c < m.cols && m.at(r, c) != kNodata; };
  for (int r = 0; r < m.rows; ++r) {
    for (int c = 0; c < m.cols; ++c) {
      if (!valid(r, c)) continue;
      const int v = m.at(r, c);
      BruteClass& b = out[v];
      ++b.cells;
      const int dr4[] = {-1, 1, 0, 0}, dc4[] = {0, 0, -1, 1};
      for (int k = 0; k < 4; ++k) {
        if (!valid(r + dr4[k], c + dc4[k])) continue;
        (m.at(r + dr4[k], c + dc4[k]) == v ? b.like_sides : b.unlike_sides) += 1;
      }
      if (seen[static_cast<std::size_t>(r) * m.cols + c]) continue;
      ++b.patches;
      std::int64_t size = 0;
      std::deque<std::pair<int, int>> queue{{r, c}};
      seen[static_cast<std::size_t>(r) * m.cols + c] = 1;
      while (!queue.empty()) {
        const auto [qr, qc] = queue.front();
        queue.pop_front();
        ++size;
        for (int dr = -1; dr <= 1; ++dr) {
          for (int dc = -1; dc <= 1; ++dc) {
            if ((dr == 0 && dc == 0) || (!eight && dr != 0 && dc != 0)) continue;
            const int nr = qr + dr, nc = qc + dc;
            if (!valid(nr, nc) || m.at(nr, nc) != v) continue;
            char& s = seen[static_cast<std::size_t>(nr) * m.cols + nc];
            if (s) continue;
            s = 1;
            queue.emplace_back(nr, nc);
          }
        }
      }
      b.largest = std::max(b.largest, size);
    }
  }
  return out;
}

TEST(Landscape, larger_random_maps_match_a_brute_force_flood_fill) {
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    const OwnedMap m = testing::random_patchy_map(53, 61, 4, 0.6, 0.04, seed);
    for (const Connectivity rule : {Connectivity::four, Connectivity::eight}) {
      const LandscapeMetrics lm = metrics_of(m, rule);
      const std::map<int, BruteClass> expected = brute_force(m, rule == Connectivity::eight);
      ASSERT_EQ(lm.classes.size(), expected.size());
      for (const auto& [code, b] : expected) {
        SCOPED_TRACE("seed " + std::to_string(seed) + " class " + std::to_string(code));
        const ClassLandscapeMetrics& c = cls(lm, code);
        EXPECT_EQ(c.cell_count, b.cells);
        EXPECT_EQ(c.patch_count, b.patches);
        EXPECT_EQ(c.largest_patch_cells, b.largest);
        EXPECT_EQ(2 * c.like_adjacencies, b.like_sides);
        EXPECT_NEAR(c.edge_length_m, static_cast<double>(b.unlike_sides) * 10.0, kTol);
        EXPECT_NEAR(c.percent_like_adjacencies, 100.0 * static_cast<double>(b.like_sides) / (4.0 * b.cells), kTol);
      }
      EXPECT_GT(cls(lm, 0).patch_count, 10);  // the map really is fragmented
    }
  }
}

}  // namespace
}  // namespace parksim::metrics
