#include "metrics/expected_map.hpp"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace parksim::metrics {
namespace {

constexpr double kTol = 1e-12;

// Counts laid out [class * cells + cell] from per-class rows.
std::vector<std::uint16_t> counts_of(const std::vector<std::vector<int>>& per_class) {
  std::vector<std::uint16_t> out;
  for (const auto& row : per_class) {
    for (const int v : row) out.push_back(static_cast<std::uint16_t>(v));
  }
  return out;
}

ExpectedMap run(const std::vector<std::vector<int>>& per_class, std::vector<std::int64_t> quantity,
                ExpectedMapParams params = {}) {
  const auto counts = counts_of(per_class);
  return expected_map(counts, static_cast<int>(per_class.size()), static_cast<std::int64_t>(per_class[0].size()),
                      quantity, params);
}

TEST(ExpectedMap, each_class_takes_its_most_probable_cells_up_to_its_quantity) {
  // 10 runs; class 1 probabilities 0.9, 0.6, 0.3, 0 -> with 2 cells it takes the first two.
  const ExpectedMap m = run({{1, 4, 7, 10}, {9, 6, 3, 0}}, {2, 2});
  EXPECT_EQ(m.cells, (std::vector<std::uint8_t>{1, 1, 0, 0}));
  EXPECT_EQ(m.runs, 10);
  EXPECT_EQ(m.cells_with_data, 4);
  ASSERT_EQ(m.classes.size(), 2u);
  EXPECT_EQ(m.classes[1].cells, 2);
  EXPECT_NEAR(m.classes[1].lowest_probability, 0.6, kTol);
  EXPECT_NEAR(m.classes[0].lowest_probability, 0.7, kTol);
  EXPECT_EQ(m.classes[0].cells_not_most_probable, 0);
  EXPECT_EQ(m.classes[1].cells_not_most_probable, 0);
  // A smaller quantity of class 1 leaves its 0.6 cell to class 0, where class 1 was the more probable.
  const ExpectedMap fewer = run({{1, 4, 7, 10}, {9, 6, 3, 0}}, {3, 1});
  EXPECT_EQ(fewer.cells, (std::vector<std::uint8_t>{1, 0, 0, 0}));
  EXPECT_EQ(fewer.classes[0].cells_not_most_probable, 1);
  EXPECT_NEAR(fewer.classes[0].lowest_probability, 0.4, kTol);
}

TEST(ExpectedMap, a_cell_wanted_by_a_full_class_goes_to_the_next_most_probable_class) {
  // Cells A, B, C; 10 runs. Class 2: 1.0, 0.8, 0.6; class 0: 0, 0.2, 0.4; class 1 never.
  // Quantities: class 2 one cell, class 0 two. Class 2 takes A (1.0) and is full; B and C, where class 2 was
  // the most probable, go to class 0 (0.4 at C first, then 0.2 at B).
  const ExpectedMap m = run({{0, 2, 4}, {0, 0, 0}, {10, 8, 6}}, {2, 0, 1});
  EXPECT_EQ(m.cells, (std::vector<std::uint8_t>{2, 0, 0}));
  EXPECT_EQ(m.classes[0].cells, 2);
  EXPECT_EQ(m.classes[0].cells_not_most_probable, 2);
  EXPECT_NEAR(m.classes[0].lowest_probability, 0.2, kTol);
  EXPECT_EQ(m.classes[1].cells, 0);
  EXPECT_TRUE(std::isnan(m.classes[1].lowest_probability));
  EXPECT_NEAR(m.classes[2].lowest_probability, 1.0, kTol);
}

TEST(ExpectedMap, cells_of_probability_zero_fill_what_the_quantity_still_asks) {
  // Class 1 was never simulated but must get 1 cell: it gets one of the cells whose class 0 quota is exceeded.
  const ExpectedMap m = run({{5, 5, 5}, {0, 0, 0}}, {2, 1});
  int ones = 0;
  for (const std::uint8_t v : m.cells) ones += v == 1 ? 1 : 0;
  EXPECT_EQ(ones, 1);
  EXPECT_NEAR(m.classes[1].lowest_probability, 0.0, kTol);
  EXPECT_EQ(m.classes[1].cells_not_most_probable, 1);
}

TEST(ExpectedMap, ties_are_taken_in_a_seeded_order_without_a_positional_bias) {
  // 1000 cells, two classes at 0.5 each, 500 cells each: only the tie-break decides.
  const int n = 1000;
  std::vector<int> half(n, 1);
  const ExpectedMap a = run({half, half}, {500, 500});
  const ExpectedMap again = run({half, half}, {500, 500});
  EXPECT_EQ(a.cells, again.cells);  // deterministic for a seed
  ExpectedMapParams other;
  other.seed = 7;
  const ExpectedMap b = run({half, half}, {500, 500}, other);
  EXPECT_NE(a.cells, b.cells);
  int ones_first_half = 0, ones = 0;
  for (int k = 0; k < n; ++k) {
    ones += a.cells[static_cast<std::size_t>(k)];
    if (k < n / 2) ones_first_half += a.cells[static_cast<std::size_t>(k)];
  }
  EXPECT_EQ(ones, 500);
  // No scan-order bias: class 1 in the first half ~ hypergeometric(1000, 500, 500), sd 11; 200..300 is > 9 sd.
  EXPECT_GT(ones_first_half, 200);
  EXPECT_LT(ones_first_half, 300);
}

TEST(ExpectedMap, cells_without_counts_are_nodata) {
  ExpectedMapParams params;
  params.nodata = 200;
  const ExpectedMap m = run({{3, 0, 0}, {0, 0, 3}}, {1, 1}, params);
  EXPECT_EQ(m.cells, (std::vector<std::uint8_t>{0, 200, 1}));
  EXPECT_EQ(m.cells_with_data, 2);
}

TEST(ExpectedMap, rejects_inconsistent_counts_and_quantities) {
  const auto expect_error = [](const std::vector<std::vector<int>>& per_class, std::vector<std::int64_t> q,
                               ErrorCode code, const char* key) {
    try {
      run(per_class, q);
      FAIL() << "no error for " << key;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code);
      EXPECT_EQ(e.context().key, key);
    }
  };
  expect_error({{1, 1}, {1, 0}}, {1, 1}, ErrorCode::data, "class_counts");  // cell 0: 2 runs, cell 1: 1
  expect_error({{1, 1}, {0, 0}}, {1, 0}, ErrorCode::config, "quantity");    // 1 cell asked, 2 with data
  expect_error({{1, 1}, {0, 0}}, {3, -1}, ErrorCode::config, "quantity");
  expect_error({{1, 1}, {0, 0}}, {2}, ErrorCode::config, "quantity");
  expect_error({{0, 0}, {0, 0}}, {0, 0}, ErrorCode::data, "class_counts");
  const std::vector<std::uint16_t> counts = {1, 1, 1};
  const std::vector<std::int64_t> q = {1, 1};
  EXPECT_THROW(expected_map(counts, 2, 2, q), Error);  // 3 values for 2 x 2
  try {
    expected_map(counts, 0, 3, q);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.context().key, "class_count");
  }
  ExpectedMapParams low_nodata;
  low_nodata.nodata = 1;
  EXPECT_THROW(expected_map(std::vector<std::uint16_t>{1, 0, 0, 1}, 2, 2, q, low_nodata), Error);
}

}  // namespace
}  // namespace parksim::metrics
