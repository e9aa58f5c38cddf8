#include "metrics/growth_patches.hpp"

#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "test_maps.hpp"

namespace parksim::metrics {
namespace {

using testing::map_of;

// 1 = the class. Start: one old patch top-left. End: the old patch grew by two cells (organic, one of them only
// diagonal to it), a new 3-cell patch (an L) and a new single cell.
TEST(GrowthPatches, splits_organic_growth_from_new_patches_under_the_eight_neighbour_rule) {
  const auto start = map_of(5, 6, {1, 1, 0, 0, 0, 0,  //
                                   1, 1, 0, 0, 0, 0,  //
                                   0, 0, 0, 0, 0, 0,  //
                                   0, 0, 0, 0, 0, 0,  //
                                   0, 0, 0, 0, 0, 0});
  const auto end = map_of(5, 6, {1, 1, 1, 0, 0, 0,  //
                                 1, 1, 0, 0, 1, 1,  //
                                 0, 0, 1, 0, 0, 1,  //
                                 0, 0, 0, 0, 0, 0,  //
                                 1, 0, 0, 0, 0, 0});
  const GrowthPatches g = growth_patches(start.view(), end.view(), 1);
  EXPECT_EQ(g.new_cells, 6);
  EXPECT_EQ(g.new_patch_cells, 4);
  EXPECT_EQ(g.new_patch_sizes, (std::vector<std::int64_t>{1, 3}));
  EXPECT_DOUBLE_EQ(g.new_patch_share(), 4.0 / 6.0);
}

TEST(GrowthPatches, ignores_nodata_and_cells_that_were_the_class_already) {
  const auto start = map_of(2, 3, {0, 255, 1,  //
                                   0, 0, 0});
  const auto end = map_of(2, 3, {1, 1, 1,  //
                                 0, 0, 255});
  const GrowthPatches g = growth_patches(start.view(), end.view(), 1);
  EXPECT_EQ(g.new_cells, 1);  // (0,0) only: (0,1) was nodata at the start, (0,2) was the class already
  EXPECT_EQ(g.new_patch_sizes, (std::vector<std::int64_t>{1}));
}

TEST(GrowthPatches, pooled_classes_keep_sizes_ascending) {
  GrowthPatches a{.new_cells = 10, .new_patch_cells = 6, .new_patch_sizes = {1, 5}};
  const GrowthPatches b{.new_cells = 4, .new_patch_cells = 4, .new_patch_sizes = {2, 2}};
  a.pool(b);
  EXPECT_EQ(a.new_cells, 14);
  EXPECT_EQ(a.new_patch_cells, 10);
  EXPECT_EQ(a.new_patch_sizes, (std::vector<std::int64_t>{1, 2, 2, 5}));
}

TEST(GrowthPatches, refuses_maps_of_different_shapes) {
  const auto a = map_of(2, 2, {0, 0, 0, 0});
  const auto b = map_of(1, 4, {0, 0, 0, 0});
  EXPECT_THROW(growth_patches(a.view(), b.view(), 1), Error);
}

TEST(KsDistance, is_the_largest_gap_between_the_two_empirical_distributions) {
  const std::vector<std::int64_t> a{1, 2, 3, 4};
  const std::vector<std::int64_t> b{3, 4, 5, 6};
  EXPECT_DOUBLE_EQ(ks_distance(a, b), 0.5);  // at x = 2: F_a = 0.5, F_b = 0
  EXPECT_DOUBLE_EQ(ks_distance(a, a), 0.0);
  const std::vector<std::int64_t> ties{1, 1, 1, 2};
  const std::vector<std::int64_t> other{1, 2, 2, 2};
  EXPECT_DOUBLE_EQ(ks_distance(ties, other), 0.5);  // at x = 1: 0.75 vs 0.25 (ties step together)
  EXPECT_DOUBLE_EQ(ks_distance(a, {}), 1.0);
  EXPECT_DOUBLE_EQ(ks_distance({}, {}), 0.0);
}

}  // namespace
}  // namespace parksim::metrics
