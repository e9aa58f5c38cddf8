#include "grid/grid.hpp"

#include <gtest/gtest.h>

namespace parksim::grid {
namespace {

GridSpec spec_10m() {
  return GridSpec{.origin_x = 1000.0, .origin_y = 5000.0, .cell_size_m = 10.0, .cols = 4, .rows = 3,
                  .crs = "EPSG:4548"};
}

TEST(GridSpec, cell_centres_are_half_a_cell_from_the_upper_left_corner) {
  const GridSpec s = spec_10m();
  EXPECT_EQ(s.cell_centre(0, 0), (Point{1005.0, 4995.0}));
  EXPECT_EQ(s.cell_centre(2, 3), (Point{1035.0, 4975.0}));
  EXPECT_DOUBLE_EQ(s.cell_area_m2(), 100.0);
  EXPECT_EQ(s.cell_count(), 12);
  EXPECT_EQ(s.flat_index(2, 3), 11);
  EXPECT_EQ(s.cell_of_index(7), (Cell{1, 3}));
  EXPECT_DOUBLE_EQ(s.min_y(), 4970.0);
  EXPECT_DOUBLE_EQ(s.max_x(), 1040.0);
}

TEST(GridSpec, cell_at_uses_half_open_cells_and_rejects_outside_points) {
  const GridSpec s = spec_10m();
  EXPECT_EQ(s.cell_at(1005.0, 4995.0), (Cell{0, 0}));
  EXPECT_EQ(s.cell_at(1010.0, 4995.0), (Cell{0, 1}));  // west edge of a cell belongs to it
  EXPECT_EQ(s.cell_at(1005.0, 4990.0), (Cell{1, 0}));  // north edge of a cell belongs to it
  EXPECT_EQ(s.cell_at(1005.0, 4990.001), (Cell{0, 0}));
  EXPECT_EQ(s.cell_at(1000.0, 5000.0), (Cell{0, 0}));
  EXPECT_FALSE(s.cell_at(1040.0, 4995.0).has_value());
  EXPECT_FALSE(s.cell_at(999.99, 4995.0).has_value());
  EXPECT_FALSE(s.cell_at(1005.0, 4970.0).has_value());
  EXPECT_FALSE(s.cell_at(1005.0, 5000.001).has_value());
  for (int r = 0; r < s.rows; ++r) {
    for (int c = 0; c < s.cols; ++c) EXPECT_EQ(s.cell_at(s.col_centre_x(c), s.row_centre_y(r)), (Cell{r, c}));
  }
}

TEST(GridSpec, covering_snaps_to_multiples_of_the_cell_size) {
  const GridSpec s = GridSpec::covering(1003.0, 2001.0, 1047.0, 2029.0, 10.0, "EPSG:4548");
  EXPECT_DOUBLE_EQ(s.origin_x, 1000.0);
  EXPECT_DOUBLE_EQ(s.origin_y, 2030.0);
  EXPECT_EQ(s.cols, 5);
  EXPECT_EQ(s.rows, 3);
  EXPECT_EQ(s.crs, "EPSG:4548");
  EXPECT_THROW(GridSpec::covering(0, 0, 1, 1, 0.0, ""), Error);
}

TEST(GridSpec, equality_compares_every_member) {
  GridSpec a = spec_10m();
  GridSpec b = spec_10m();
  EXPECT_EQ(a, b);
  b.crs = "EPSG:32650";
  EXPECT_NE(a, b);
  b = a;
  b.cell_size_m = 10.5;
  EXPECT_NE(a, b);
}

TEST(GridSpec, non_square_cells_use_their_height_for_rows_areas_and_equality) {
  GridSpec s{.origin_x = 1000.0, .origin_y = 2000.0, .cell_size_m = 10.0, .cols = 4, .rows = 3, .crs = "EPSG:26986",
             .cell_height_m = 12.5};
  EXPECT_FALSE(s.square_cells());
  EXPECT_DOUBLE_EQ(s.cell_height(), 12.5);
  EXPECT_DOUBLE_EQ(s.cell_area_m2(), 125.0);
  EXPECT_DOUBLE_EQ(s.row_centre_y(1), 2000.0 - 1.5 * 12.5);
  EXPECT_DOUBLE_EQ(s.min_y(), 2000.0 - 3 * 12.5);
  ASSERT_TRUE(s.cell_at(1005.0, 2000.0 - 24.0).has_value());
  EXPECT_EQ(*s.cell_at(1005.0, 2000.0 - 24.0), (Cell{1, 0}));
  EXPECT_FALSE(s.cell_at(1005.0, 2000.0 - 37.6).has_value());
  // A height equal to the width is a square grid, whichever way it is written.
  GridSpec square = s;
  square.cell_height_m = 0.0;
  GridSpec explicit_square = s;
  explicit_square.cell_height_m = 10.0;
  EXPECT_EQ(square, explicit_square);
  EXPECT_NE(square, s);
  s.cell_height_m = -1.0;
  EXPECT_THROW(s.validate(), Error);
}

TEST(Grid, is_row_major_with_a_contiguous_data_pointer) {
  Grid<int> g(spec_10m(), 0);
  g(1, 2) = 42;
  EXPECT_EQ(g.data()[1 * 4 + 2], 42);
  EXPECT_EQ(g[6], 42);
  EXPECT_EQ(g.row_data(1)[2], 42);
  EXPECT_EQ(g.at(1, 2), 42);
  EXPECT_THROW(g.at(3, 0), Error);
}

TEST(Grid, rejects_an_invalid_spec_with_a_config_error) {
  GridSpec bad = spec_10m();
  bad.cell_size_m = -1.0;
  try {
    Grid<float> g(bad);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_EQ(e.context().key, "grid.cell_size_m");
  }
}

}  // namespace
}  // namespace parksim::grid
