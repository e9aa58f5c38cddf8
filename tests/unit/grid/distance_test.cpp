#include "grid/distance.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "core/rng.hpp"

namespace parksim::grid {
namespace {

Grid<std::int64_t> brute_force_squared(const Grid<std::uint8_t>& m) {
  Grid<std::int64_t> out(m.spec(), no_source_squared_distance);
  for (int r = 0; r < m.rows(); ++r)
    for (int c = 0; c < m.cols(); ++c)
      for (int sr = 0; sr < m.rows(); ++sr)
        for (int sc = 0; sc < m.cols(); ++sc)
          if (m(sr, sc)) {
            const std::int64_t d = std::int64_t(sr - r) * (sr - r) + std::int64_t(sc - c) * (sc - c);
            out(r, c) = std::min(out(r, c), d);
          }
  return out;
}

Grid<std::uint8_t> random_mask(int cols, int rows, double density, std::uint64_t index) {
  GridSpec spec{.origin_x = 0, .origin_y = 0, .cell_size_m = 30.0, .cols = cols, .rows = rows, .crs = ""};
  Grid<std::uint8_t> m(spec, 0);
  RngStream rng(99, "test.distance.mask", index);
  for (std::int64_t i = 0; i < m.size(); ++i) m[i] = rng.uniform() < density ? 1 : 0;
  return m;
}

TEST(DistanceTransform, squared_distances_equal_brute_force_on_random_masks) {
  struct Case { int cols, rows; double density; };
  const Case cases[] = {{37, 23, 0.01}, {23, 37, 0.05}, {40, 40, 0.3}, {1, 30, 0.1}, {30, 1, 0.1},
                        {31, 17, 0.002}, {64, 9, 0.6}};
  std::uint64_t index = 0;
  for (const Case& k : cases) {
    const auto m = random_mask(k.cols, k.rows, k.density, index++);
    const auto fast = squared_distance_cells(m);
    const auto slow = brute_force_squared(m);
    ASSERT_TRUE((fast.values() == slow.values()).all()) << k.cols << "x" << k.rows << " density " << k.density;
  }
}

TEST(DistanceTransform, metres_are_the_scaled_square_root_of_exact_cell_distances) {
  const auto m = random_mask(33, 29, 0.02, 100);
  const auto d2 = brute_force_squared(m);
  const auto d = distance_m(m);
  for (std::int64_t i = 0; i < m.size(); ++i) {
    if (d2[i] == no_source_squared_distance) {
      EXPECT_TRUE(std::isinf(d[i]));
    } else {
      EXPECT_EQ(d[i], static_cast<float>(std::sqrt(static_cast<double>(d2[i])) * 30.0));
    }
  }
}

TEST(DistanceTransform, non_square_cells_give_the_exact_distance_in_metres) {
  // Cells of 30 m x 55 m: the nearest source in metres is not always the nearest in cells.
  constexpr double kToleranceM = 1e-3;
  std::uint64_t index = 200;
  for (const double density : {0.003, 0.02, 0.2}) {
    auto m = random_mask(41, 27, density, index++);
    GridSpec spec = m.spec();
    spec.cell_height_m = 55.0;
    Grid<std::uint8_t> mask(spec, 0);
    for (std::int64_t i = 0; i < m.size(); ++i) mask[i] = m[i];
    const auto d = distance_m(mask);
    for (int r = 0; r < mask.rows(); ++r) {
      for (int c = 0; c < mask.cols(); ++c) {
        double best = std::numeric_limits<double>::infinity();
        for (int sr = 0; sr < mask.rows(); ++sr) {
          for (int sc = 0; sc < mask.cols(); ++sc) {
            if (!mask(sr, sc)) continue;
            best = std::min(best, std::hypot((sr - r) * 55.0, (sc - c) * 30.0));
          }
        }
        if (std::isinf(best)) {
          EXPECT_TRUE(std::isinf(d(r, c)));
        } else {
          EXPECT_NEAR(d(r, c), best, kToleranceM) << "cell " << r << ", " << c << " density " << density;
        }
      }
    }
  }
}

TEST(DistanceTransform, single_source_gives_euclidean_distance_in_metres) {
  GridSpec spec{.origin_x = 0, .origin_y = 0, .cell_size_m = 10.0, .cols = 9, .rows = 7, .crs = ""};
  Grid<std::uint8_t> m(spec, 0);
  m(2, 3) = 1;
  const auto d = distance_m(m);
  EXPECT_EQ(d(2, 3), 0.0f);
  EXPECT_FLOAT_EQ(d(5, 7), 50.0f);  // 3-4-5 triangle, 10 m cells
  EXPECT_FLOAT_EQ(d(0, 0), static_cast<float>(std::sqrt(13.0) * 10.0));
}

TEST(DistanceTransform, empty_mask_gives_infinity_and_full_mask_gives_zero) {
  GridSpec spec{.origin_x = 0, .origin_y = 0, .cell_size_m = 5.0, .cols = 13, .rows = 11, .crs = ""};
  const auto empty = distance_m(Grid<std::uint8_t>(spec, 0));
  EXPECT_TRUE(empty.values().isInf().all());
  EXPECT_TRUE((squared_distance_cells(Grid<std::uint8_t>(spec, 0)).values() == no_source_squared_distance).all());
  const auto full = distance_m(Grid<std::uint8_t>(spec, 1));
  EXPECT_TRUE((full.values() == 0.0f).all());
}

}  // namespace
}  // namespace parksim::grid
