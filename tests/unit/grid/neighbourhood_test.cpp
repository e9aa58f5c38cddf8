#include "grid/neighbourhood.hpp"

#include <gtest/gtest.h>

#include "core/rng.hpp"

namespace parksim::grid {
namespace {

GridSpec small_spec(int cols, int rows) {
  return GridSpec{.origin_x = 0, .origin_y = 0, .cell_size_m = 30.0, .cols = cols, .rows = rows, .crs = ""};
}

template <class F>
std::int64_t brute_window(int rows, int cols, int r, int c, int window, F value) {
  const int h = window / 2;
  std::int64_t sum = 0;
  for (int rr = r - h; rr <= r + h; ++rr)
    for (int cc = c - h; cc <= c + h; ++cc)
      if (rr >= 0 && rr < rows && cc >= 0 && cc < cols) sum += value(rr, cc);
  return sum;
}

TEST(Neighbourhood, counts_equal_brute_force_for_windows_1_3_5_7_and_larger_than_the_grid) {
  Grid<std::uint8_t> classes(small_spec(23, 17), 0);
  RngStream rng(5, "test.neighbourhood.classes");
  for (std::int64_t i = 0; i < classes.size(); ++i) classes[i] = static_cast<std::uint8_t>(rng.uniform_int(4));
  for (int window : {1, 3, 5, 7, 9, 41}) {
    const auto mask_counts = window_count(classes, window);
    const auto class2 = window_count_equal(classes, 2, window);
    for (int r = 0; r < classes.rows(); ++r)
      for (int c = 0; c < classes.cols(); ++c) {
        ASSERT_EQ(mask_counts(r, c), brute_window(17, 23, r, c, window, [&](int a, int b) { return classes(a, b) != 0; }))
            << "window " << window << " at " << r << "," << c;
        ASSERT_EQ(class2(r, c), brute_window(17, 23, r, c, window, [&](int a, int b) { return classes(a, b) == 2; }))
            << "window " << window << " at " << r << "," << c;
      }
  }
}

TEST(Neighbourhood, window_sum_is_exact_for_signed_values_at_edges) {
  Grid<std::int32_t> v(small_spec(11, 14), 0);
  RngStream rng(6, "test.neighbourhood.values");
  for (std::int64_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::int32_t>(rng.uniform_int(2'000'001)) - 1'000'000;
  for (int window : {3, 5, 7}) {
    const auto s = window_sum(v, window);
    for (int r = 0; r < v.rows(); ++r)
      for (int c = 0; c < v.cols(); ++c)
        ASSERT_EQ(s(r, c), brute_window(14, 11, r, c, window, [&](int a, int b) { return v(a, b); }));
  }
}

TEST(Neighbourhood, clipped_window_cell_count_matches_a_full_mask) {
  const GridSpec spec = small_spec(9, 6);
  const auto counts = window_count(Grid<std::uint8_t>(spec, 1), 5);
  for (int r = 0; r < spec.rows; ++r)
    for (int c = 0; c < spec.cols; ++c) EXPECT_EQ(counts(r, c), window_cell_count(spec.rows, spec.cols, r, c, 5));
  EXPECT_EQ(window_cell_count(6, 9, 0, 0, 5), 9);
  EXPECT_EQ(window_cell_count(6, 9, 3, 4, 5), 25);
}

TEST(Neighbourhood, rejects_even_zero_and_oversized_windows) {
  const Grid<std::uint8_t> m(small_spec(4, 4), 0);
  EXPECT_THROW(window_count(m, 4), Error);
  EXPECT_THROW(window_count(m, 0), Error);
  EXPECT_THROW(window_count(m, 257), Error);
  try {
    window_count_equal(m, 1, 2);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_EQ(e.context().key, "window");
  }
}

}  // namespace
}  // namespace parksim::grid
