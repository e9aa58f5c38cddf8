#include "metrics/null_models.hpp"

#include <cmath>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "test_maps.hpp"

namespace parksim::metrics {
namespace {

using testing::kNodata;
using testing::map_of;
using testing::OwnedMap;

constexpr double kDistanceTol = 1e-4;  // distances come back as float: ~1e-6 relative

std::vector<ProximityNull> draw(const OwnedMap& start, std::vector<ClassDemand> demand,
                                const std::vector<std::uint8_t>& allowed = {}, ProximityParams params = {}) {
  return proximity_null(start.view(), demand, allowed, params);
}

TEST(ClassGains, count_the_cells_each_class_gains_not_its_net_change) {
  // Class 1 gains cell 0 and loses cell 2 (net 0); class 0 gains cell 2; class 2 gains cell 3; nodata is ignored.
  const OwnedMap start = map_of(1, 5, {0, 0, 1, 1, kNodata});
  const OwnedMap target = map_of(1, 5, {1, 0, 0, 2, 2});
  const std::vector<ClassDemand> g = class_gains(start.view(), target.view());
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[0].class_code, 0);
  EXPECT_EQ(g[0].cells, 1);
  EXPECT_EQ(g[1].class_code, 1);
  EXPECT_EQ(g[1].cells, 1);
  EXPECT_EQ(g[2].class_code, 2);
  EXPECT_EQ(g[2].cells, 1);
}

TEST(ProximityNull, gives_a_class_the_cells_nearest_to_its_start_cells) {
  const OwnedMap start = map_of(1, 7, {1, 0, 0, 0, 0, 0, 0});
  const auto nulls = draw(start, {{1, 2}});
  ASSERT_EQ(nulls.size(), 1u);
  EXPECT_EQ(nulls[0].cells, (std::vector<std::uint8_t>{1, 1, 1, 0, 0, 0, 0}));
  ASSERT_EQ(nulls[0].allocations.size(), 1u);
  const ProximityClassAllocation& a = nulls[0].allocations[0];
  EXPECT_EQ(a.demand_cells, 2);
  EXPECT_EQ(a.allocated_cells, 2);
  EXPECT_EQ(a.candidate_cells, 6);
  EXPECT_NEAR(a.threshold_distance_m, 20.0, kDistanceTol);  // two 10 m cells away
  EXPECT_EQ(a.tied_cells, 1);
}

TEST(ProximityNull, measures_distance_in_metres_on_non_square_cells) {
  // 10 m wide, 20 m high cells: the east and west neighbours (10 m) come before the north and south ones (20 m).
  OwnedMap start = map_of(3, 3, {0, 0, 0, 0, 1, 0, 0, 0, 0});
  CategoricalMapView v = start.view();
  v.cell_height_m = 20.0;
  const auto nulls = proximity_null(v, std::vector<ClassDemand>{{1, 2}}, {}, {});
  EXPECT_EQ(nulls[0].cells, (std::vector<std::uint8_t>{0, 0, 0, 1, 1, 1, 0, 0, 0}));
  EXPECT_NEAR(nulls[0].allocations[0].threshold_distance_m, 10.0, kDistanceTol);
  EXPECT_EQ(nulls[0].allocations[0].tied_cells, 2);
  // A third cell: north or south (20 m) before any diagonal (sqrt(10^2 + 20^2) = 22.4 m).
  const auto three = proximity_null(v, std::vector<ClassDemand>{{1, 3}}, {}, {});
  EXPECT_NEAR(three[0].allocations[0].threshold_distance_m, 20.0, kDistanceTol);
  EXPECT_EQ(three[0].cells[1] + three[0].cells[7], 1);  // exactly one of north, south
}

TEST(ProximityNull, draws_ties_at_the_threshold_at_random_but_reproducibly) {
  // The four rook neighbours of the centre are all 10 m away; two of them are drawn.
  const OwnedMap start = map_of(3, 3, {0, 0, 0, 0, 1, 0, 0, 0, 0});
  ProximityParams params;
  params.seed = 42;
  params.draws = 60;
  const auto nulls = draw(start, {{1, 2}}, {}, params);
  ASSERT_EQ(nulls.size(), 60u);
  std::vector<int> chosen(9, 0);
  std::set<std::vector<std::uint8_t>> distinct;
  for (const ProximityNull& n : nulls) {
    EXPECT_EQ(n.allocations[0].tied_cells, 4);
    int changed = 0;
    for (int k = 0; k < 9; ++k) {
      if (k != 4 && n.cells[static_cast<std::size_t>(k)] == 1) {
        ++changed;
        ++chosen[static_cast<std::size_t>(k)];
      }
    }
    EXPECT_EQ(changed, 2);
    distinct.insert(n.cells);
  }
  // Only rook neighbours, each drawn in about half of the draws (binomial(60, 1/2): 15..45 holds with
  // probability > 0.9999), and several different pairs.
  for (const int diagonal : {0, 2, 6, 8}) EXPECT_EQ(chosen[static_cast<std::size_t>(diagonal)], 0);
  for (const int rook : {1, 3, 5, 7}) {
    EXPECT_GE(chosen[static_cast<std::size_t>(rook)], 15);
    EXPECT_LE(chosen[static_cast<std::size_t>(rook)], 45);
  }
  EXPECT_GE(distinct.size(), 4u);
  // The same (seed, draw) gives the same map, whether drawn alone or in a batch.
  ProximityParams one = params;
  one.first_draw = 17;
  one.draws = 1;
  EXPECT_EQ(draw(start, {{1, 2}}, {}, one)[0].cells, nulls[17].cells);
  EXPECT_EQ(draw(start, {{1, 2}}, {}, one)[0].draw, 17);
}

TEST(ProximityNull, serves_the_larger_demand_first_and_the_next_class_takes_what_is_left) {
  //   start: 1 0 0 0 0 0 2, only the 0 cells may change.
  const OwnedMap start = map_of(1, 7, {1, 0, 0, 0, 0, 0, 2});
  const std::vector<std::uint8_t> open = {0, 1, 1, 1, 1, 1, 0};
  // Class 2 (4 cells) goes first and takes columns 5, 4, 3, 2; class 1 then finds only column 1: it gets 1 of
  // its 2 cells and the shortfall is reported.
  const auto a = draw(start, {{1, 2}, {2, 4}}, open);
  EXPECT_EQ(a[0].cells, (std::vector<std::uint8_t>{1, 1, 2, 2, 2, 2, 2}));
  ASSERT_EQ(a[0].allocations.size(), 2u);
  EXPECT_EQ(a[0].allocations[0].class_code, 2);
  EXPECT_EQ(a[0].allocations[0].allocated_cells, 4);
  EXPECT_EQ(a[0].allocations[1].class_code, 1);
  EXPECT_EQ(a[0].allocations[1].demand_cells, 2);
  EXPECT_EQ(a[0].allocations[1].candidate_cells, 1);
  EXPECT_EQ(a[0].allocations[1].allocated_cells, 1);
  // Equal demands: ascending class code first. Class 1 takes columns 1-3, class 2 columns 5 and 4 only.
  const auto b = draw(start, {{2, 3}, {1, 3}}, open);
  EXPECT_EQ(b[0].cells, (std::vector<std::uint8_t>{1, 1, 1, 1, 2, 2, 2}));
  EXPECT_EQ(b[0].allocations[0].class_code, 1);
  EXPECT_EQ(b[0].allocations[1].allocated_cells, 2);
}

TEST(ProximityNull, never_changes_cells_outside_the_mask_or_without_data) {
  const OwnedMap start = map_of(1, 6, {1, kNodata, 0, 0, 3, 0});
  const std::vector<std::uint8_t> allowed = {1, 1, 0, 1, 1, 1};  // column 2 is protected
  const auto n = draw(start, {{1, 2}}, allowed);
  // Nearest allowed non-1 cells with data: column 3 (30 m) and column 4 (40 m, class 3 may change too).
  EXPECT_EQ(n[0].cells, (std::vector<std::uint8_t>{1, kNodata, 0, 1, 1, 0}));
  EXPECT_NEAR(n[0].allocations[0].threshold_distance_m, 40.0, kDistanceTol);
}

TEST(ProximityNull, places_a_class_absent_from_the_start_map_at_random) {
  const OwnedMap start = map_of(2, 5, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  ProximityParams params;
  params.draws = 20;
  const auto nulls = draw(start, {{4, 3}}, {}, params);
  std::set<std::vector<std::uint8_t>> distinct;
  for (const ProximityNull& n : nulls) {
    EXPECT_EQ(n.allocations[0].allocated_cells, 3);
    EXPECT_TRUE(std::isinf(n.allocations[0].threshold_distance_m));
    EXPECT_EQ(n.allocations[0].tied_cells, 10);
    int fours = 0;
    for (const std::uint8_t v : n.cells) fours += v == 4 ? 1 : 0;
    EXPECT_EQ(fours, 3);
    distinct.insert(n.cells);
  }
  EXPECT_GE(distinct.size(), 10u);  // 120 possible maps
}

TEST(ProximityNull, zero_demand_changes_nothing) {
  const OwnedMap start = map_of(1, 3, {1, 0, 0});
  const auto n = draw(start, {{1, 0}});
  EXPECT_EQ(n[0].cells, start.cells);
  EXPECT_TRUE(n[0].allocations.empty());
}

TEST(ProximityNull, rejects_bad_demand_masks_and_draws) {
  const OwnedMap start = map_of(1, 3, {1, 0, 0});
  const auto expect_error = [&](std::vector<ClassDemand> demand, std::vector<std::uint8_t> allowed,
                                ProximityParams params, ErrorCode code, const char* key) {
    try {
      draw(start, demand, allowed, params);
      FAIL() << "no error for key " << key;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code);
      EXPECT_EQ(e.context().key, key);
    }
  };
  expect_error({{1, -1}}, {}, {}, ErrorCode::config, "demand");
  expect_error({{1, 1}, {1, 2}}, {}, {}, ErrorCode::config, "demand");
  expect_error({{kNodata, 1}}, {}, {}, ErrorCode::config, "demand");
  expect_error({{1, 1}}, {1, 1}, {}, ErrorCode::data, "allowed");
  ProximityParams none;
  none.draws = 0;
  expect_error({{1, 1}}, {}, none, ErrorCode::config, "draws");
  const OwnedMap empty;
  EXPECT_THROW(draw(empty, {{1, 1}}), Error);
}

}  // namespace
}  // namespace parksim::metrics
