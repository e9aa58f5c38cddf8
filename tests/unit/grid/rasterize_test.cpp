#include "grid/rasterize.hpp"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

#include "core/rng.hpp"

namespace parksim::grid {
namespace {

// 1 m cells, origin (0, rows): cell (r, c) has its centre at (c + 0.5, rows - r - 0.5).
GridSpec unit_spec(int cols, int rows) {
  return GridSpec{.origin_x = 0.0, .origin_y = static_cast<double>(rows), .cell_size_m = 1.0, .cols = cols,
                  .rows = rows, .crs = "EPSG:4548"};
}

Ring rect(double x0, double y0, double x1, double y1) { return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}; }

// Independent reference: PNPOLY on cell centres.
bool pnpoly(const Polygon& p, double x, double y) {
  bool inside = false;
  for (const Ring& ring : p) {
    const std::size_t n = ring.size();
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
      const Point& a = ring[i];
      const Point& b = ring[j];
      if (((a.y > y) != (b.y > y)) && (x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x)) inside = !inside;
    }
  }
  return inside;
}

TEST(Rasterize, square_with_a_hole_burns_the_ring_only) {
  Grid<std::uint8_t> g(unit_spec(10, 10), 0);
  const Polygon shape{rect(1, 1, 9, 9), rect(3, 3, 6, 6)};
  EXPECT_EQ(rasterize_polygon<std::uint8_t>(g, {shape}, 7), 64 - 9);
  EXPECT_EQ(g(1, 1), 7);   // centre (1.5, 8.5)
  EXPECT_EQ(g(8, 8), 7);   // centre (8.5, 1.5)
  EXPECT_EQ(g(0, 0), 0);   // outside the outer ring
  EXPECT_EQ(g(5, 4), 0);   // centre (4.5, 4.5), in the hole
  EXPECT_EQ(g(6, 3), 0);   // centre (3.5, 3.5), in the hole
  EXPECT_EQ(g(6, 6), 7);   // centre (6.5, 3.5), just east of the hole
  EXPECT_EQ((g.values() == 7).count(), 55);
}

TEST(Rasterize, l_shape_matches_the_expected_cells) {
  Grid<std::uint8_t> g(unit_spec(6, 6), 0);
  const Polygon l{{{0, 0}, {6, 0}, {6, 2}, {2, 2}, {2, 6}, {0, 6}}};
  EXPECT_EQ(rasterize_polygon<std::uint8_t>(g, {l}, 1), 20);
  for (int r = 0; r < 6; ++r) {
    for (int c = 0; c < 6; ++c) {
      const bool expected = r >= 4 || c < 2;
      EXPECT_EQ(g(r, c) == 1, expected) << r << "," << c;
    }
  }
}

TEST(Rasterize, centre_on_boundary_is_inside_on_west_and_south_edges_only) {
  Grid<std::uint8_t> g(unit_spec(4, 4), 0);
  // Edges run exactly through cell centres: x = 0.5 (west), 2.5 (east), y = 0.5 (south), 2.5 (north).
  rasterize_polygon<std::uint8_t>(g, {Polygon{rect(0.5, 0.5, 2.5, 2.5)}}, 1);
  std::vector<Cell> burnt;
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c)
      if (g(r, c)) burnt.push_back({r, c});
  // Rows 2, 3 (centres y = 1.5, 0.5), columns 0, 1 (centres x = 0.5, 1.5).
  EXPECT_EQ(burnt, (std::vector<Cell>{{2, 0}, {2, 1}, {3, 0}, {3, 1}}));
  EXPECT_TRUE(contains_point(Polygon{rect(0.5, 0.5, 2.5, 2.5)}, 0.5, 1.5));
  EXPECT_FALSE(contains_point(Polygon{rect(0.5, 0.5, 2.5, 2.5)}, 2.5, 1.5));
}

TEST(Rasterize, polygons_tiling_the_plane_cover_each_cell_exactly_once) {
  const GridSpec spec = unit_spec(12, 12);
  // A fan of triangles around a cell centre, with spokes through other cell centres; every other
  // triangle is given clockwise, so the rule must not depend on orientation.
  const Point hub{5.5, 6.5};
  const std::vector<Point> rim{{0, 0},     {4.5, 0},  {12, 0},   {12, 3.5}, {12, 12},
                               {7.5, 12},  {0, 12},   {0, 8.5}};
  Grid<int> hits(spec, 0);
  for (std::size_t i = 0; i < rim.size(); ++i) {
    Ring tri{hub, rim[i], rim[(i + 1) % rim.size()]};
    if (i % 2 == 1) std::reverse(tri.begin(), tri.end());
    for (const RowSpan& s : polygon_spans(spec, Polygon{tri}))
      for (int c = s.col_begin; c < s.col_end; ++c) hits(s.row, c) += 1;
  }
  EXPECT_EQ(hits.values().minCoeff(), 1);
  EXPECT_EQ(hits.values().maxCoeff(), 1);
}

TEST(Rasterize, random_polygons_agree_with_point_in_polygon_at_every_centre) {
  const GridSpec spec = unit_spec(40, 30);
  RngStream rng(20240611, "test.rasterize.random_polygons");
  for (int trial = 0; trial < 20; ++trial) {
    Polygon p(2);
    for (int ring = 0; ring < 2; ++ring) {
      const int n = 3 + static_cast<int>(rng.uniform_int(8));
      for (int i = 0; i < n; ++i) p[static_cast<std::size_t>(ring)].push_back({rng.uniform(-5, 45), rng.uniform(-5, 35)});
    }
    Grid<std::uint8_t> g(spec, 0);
    rasterize_polygon<std::uint8_t>(g, {p}, 1);
    for (int r = 0; r < spec.rows; ++r)
      for (int c = 0; c < spec.cols; ++c)
        ASSERT_EQ(g(r, c) == 1, pnpoly(p, spec.col_centre_x(c), spec.row_centre_y(r)))
            << "trial " << trial << " cell " << r << "," << c;
  }
}

TEST(Rasterize, shapes_outside_the_grid_are_clipped_and_spans_merged) {
  const GridSpec spec = unit_spec(5, 5);
  const auto spans = polygon_spans(spec, MultiPolygon{Polygon{rect(-100, 1, 100, 2)}, Polygon{rect(2, 1, 3, 2)}});
  EXPECT_EQ(spans, (std::vector<RowSpan>{{3, 0, 5}}));  // row 3 has centre y = 1.5
  EXPECT_TRUE(polygon_spans(spec, Polygon{rect(10, 10, 20, 20)}).empty());
  EXPECT_TRUE(polygon_spans(spec, Polygon{Ring{{1, 1}, {2, 2}}}).empty());
}

// Reference for the line rule: does segment a-b meet the closed box? (Liang-Barsky clipping.)
bool segment_meets_box(Point a, Point b, double x0, double y0, double x1, double y1) {
  double t0 = 0.0, t1 = 1.0;
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {a.x - x0, x1 - a.x, a.y - y0, y1 - a.y};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0.0) {
      if (q[i] < 0.0) return false;
    } else {
      const double t = q[i] / p[i];
      if (p[i] < 0.0) t0 = std::max(t0, t);
      else t1 = std::min(t1, t);
    }
  }
  return t0 <= t1;
}

TEST(Rasterize, lines_mark_every_cell_they_touch) {
  const GridSpec spec = unit_spec(25, 20);
  RngStream rng(7, "test.rasterize.lines");
  for (int trial = 0; trial < 30; ++trial) {
    const Point a{rng.uniform(-3, 28), rng.uniform(-3, 23)};
    const Point b{rng.uniform(-3, 28), rng.uniform(-3, 23)};
    Grid<std::uint8_t> g(spec, 0);
    const std::vector<LineString> lines{{a, b}};
    const std::int64_t n = rasterize_lines(g, lines);
    EXPECT_EQ(n, (g.values() != 0).count());
    for (int r = 0; r < spec.rows; ++r)
      for (int c = 0; c < spec.cols; ++c) {
        const double x0 = spec.origin_x + c * spec.cell_size_m, y1 = spec.origin_y - r * spec.cell_size_m;
        ASSERT_EQ(g(r, c) == 1, segment_meets_box(a, b, x0, y1 - 1.0, x0 + 1.0, y1))
            << "trial " << trial << " cell " << r << "," << c;
      }
  }
}

TEST(Rasterize, a_line_through_row_centres_marks_one_row) {
  Grid<std::uint8_t> g(unit_spec(10, 10), 0);
  const std::vector<LineString> road{{{-1.0, 4.5}, {3.0, 4.5}, {20.0, 4.5}}};
  EXPECT_EQ(rasterize_lines(g, road), 10);
  EXPECT_EQ(g.values().row(5).minCoeff(), 1);
  EXPECT_EQ((g.values() != 0).count(), 10);
}

TEST(Rasterize, points_mark_their_cells_once_and_outside_points_are_ignored) {
  Grid<std::uint8_t> g(unit_spec(10, 10), 0);
  const std::vector<Point> stations{{2.2, 7.9}, {2.8, 7.1}, {9.99, 0.01}, {50.0, 5.0}, {-0.1, 3.0}};
  EXPECT_EQ(rasterize_points(g, stations), 2);
  EXPECT_EQ(g(2, 2), 1);
  EXPECT_EQ(g(9, 9), 1);
  EXPECT_EQ((g.values() != 0).count(), 2);
}

}  // namespace
}  // namespace parksim::grid
