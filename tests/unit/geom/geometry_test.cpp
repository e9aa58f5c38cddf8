#include "geom/geometry.hpp"

#include <cmath>
#include <numbers>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/units.hpp"
#include "shapes.hpp"

namespace parksim::geom {
namespace {

using test::square;

TEST(Geometry, one_km_square_in_working_crs_is_one_km2) {
  // Corner at the Life Science Park in EPSG:4548 (easting, northing), metres.
  const Geometry g = square(439'000.0, 4'440'000.0, 1'000.0);
  EXPECT_EQ(g.type(), GeometryType::polygon);
  EXPECT_DOUBLE_EQ(units::m2_to_km2(area(g)), 1.000000);
  EXPECT_DOUBLE_EQ(length(g), 4'000.0);
}

TEST(Geometry, wkt_round_trips_exactly_with_shortest_digits) {
  const std::string wkt = "POLYGON ((439299.46 4440164.8, 439310.1 4440164.8, 439310.1 4440170.25, 439299.46 4440164.8))";
  const Geometry g = Geometry::from_wkt(wkt);
  EXPECT_EQ(g.to_wkt(), wkt);
  EXPECT_EQ(g.to_wkt(0), "POLYGON ((439299 4440165, 439310 4440165, 439310 4440170, 439299 4440165))");
}

TEST(Geometry, writes_iso_little_endian_wkb_and_reads_it_back) {
  const Geometry g = Geometry::from_wkt("POLYGON ((0 0, 10 0, 10 10, 0 0))");
  const std::vector<std::uint8_t> wkb = g.to_wkb();
  ASSERT_GE(wkb.size(), 5u);
  EXPECT_EQ(wkb[0], 1u);  // NDR
  EXPECT_EQ(wkb[1], 3u);  // type 3 = Polygon, little endian
  EXPECT_EQ(wkb[2], 0u);
  EXPECT_EQ(wkb.size(), 1u + 4u + 4u + 4u + 4u * 16u);
  EXPECT_TRUE(equals(Geometry::from_wkb(wkb), g));
}

TEST(Geometry, writes_z_as_iso_type_code_not_ewkb_flag) {
  const std::vector<std::uint8_t> wkb = Geometry::from_wkt("POINT Z (1 2 3)").to_wkb();
  ASSERT_EQ(wkb.size(), 1u + 4u + 24u);
  EXPECT_EQ(wkb[1] | (wkb[2] << 8), 1001);  // ISO: 1000 + Point
  EXPECT_EQ(wkb[4], 0u);                     // no EWKB high-bit flag
}

TEST(Geometry, bad_wkt_throws_geometry_error_with_geos_message_and_context) {
  try {
    Geometry::from_wkt("POLYGON ((0 0, 1 0", Context{.layer = "parcels", .feature_id = 7});
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::geometry);
    EXPECT_THAT(e.message(), ::testing::StartsWith("read WKT: "));
    EXPECT_THAT(e.message(), ::testing::HasSubstr("ParseException"));
    EXPECT_EQ(e.context().feature_id, 7);
  }
}

TEST(Geometry, truncated_wkb_throws_geometry_error) {
  std::vector<std::uint8_t> wkb = square(0, 0, 1).to_wkb();
  wkb.resize(wkb.size() - 8);
  try {
    Geometry::from_wkb(wkb);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::geometry);
    EXPECT_THAT(e.message(), ::testing::StartsWith("read WKB: "));
    EXPECT_GT(e.message().size(), std::string("read WKB: ").size());
  }
}

TEST(Geometry, null_geometry_use_is_an_internal_error) {
  Geometry a = square(0, 0, 1);
  Geometry b = std::move(a);
  EXPECT_TRUE(a.is_null());  // NOLINT(bugprone-use-after-move): moved-from state is specified
  EXPECT_FALSE(b.is_null());
  try {
    static_cast<void>(area(a));
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::internal);
  }
}

TEST(Geometry, copy_is_independent_clone) {
  Geometry a = square(0, 0, 2);
  Geometry b = a;
  a = square(10, 10, 1);
  EXPECT_DOUBLE_EQ(area(b), 4.0);
  EXPECT_DOUBLE_EQ(area(a), 1.0);
}

TEST(Geometry, envelope_and_empty_envelope) {
  const Geometry g = Geometry::from_wkt("LINESTRING (1 5, 4 2, 3 9)");
  EXPECT_EQ(g.envelope(), (Envelope{1, 2, 4, 9}));
  const Geometry empty = Geometry::from_wkt("POLYGON EMPTY");
  EXPECT_TRUE(empty.is_empty());
  EXPECT_TRUE(empty.envelope().is_empty());
  EXPECT_FALSE(empty.envelope().intersects(g.envelope()));
}

TEST(Geometry, polygons_gives_rings_of_every_polygonal_part) {
  const Geometry g = Geometry::from_wkt(
      "GEOMETRYCOLLECTION (POINT (0 0), MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 2 2)),"
      " ((20 0, 30 0, 30 5, 20 0))))");
  const std::vector<Polygon> parts = g.polygons();
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].exterior.size(), 5u);
  EXPECT_EQ(parts[0].exterior.front(), parts[0].exterior.back());
  ASSERT_EQ(parts[0].holes.size(), 1u);
  EXPECT_EQ(parts[0].holes[0][1], (Coordinate{2, 4}));
  EXPECT_EQ(parts[1].exterior[1], (Coordinate{30, 0}));
  // and back
  const Geometry rebuilt = Geometry::from_polygons(parts);
  EXPECT_EQ(rebuilt.type(), GeometryType::multi_polygon);
  EXPECT_DOUBLE_EQ(area(rebuilt), 100.0 - 2.0 + 25.0);
}

TEST(Geometry, from_polygons_rejects_open_ring) {
  const std::vector<Polygon> bad{Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}, {}}};
  EXPECT_THROW(Geometry::from_polygons(bad), Error);
}

TEST(GeometryOps, overlay_areas_are_exact_for_axis_aligned_squares) {
  const Geometry a = square(0, 0, 10);
  const Geometry b = square(5, 0, 10);
  EXPECT_DOUBLE_EQ(area(intersection(a, b)), 50.0);
  EXPECT_DOUBLE_EQ(area(union_of(a, b)), 150.0);
  EXPECT_DOUBLE_EQ(area(difference(a, b)), 50.0);
  EXPECT_TRUE(intersects(a, b));
  EXPECT_FALSE(touches(a, b));
  EXPECT_TRUE(touches(a, square(10, 0, 1)));
  EXPECT_TRUE(contains(a, square(1, 1, 2)));
  EXPECT_TRUE(within(square(1, 1, 2), a));
  EXPECT_TRUE(covers(a, square(0, 0, 2)));
  EXPECT_FALSE(contains(a, b));
  EXPECT_DOUBLE_EQ(distance(a, square(13, 0, 1)), 3.0);
}

TEST(GeometryOps, unary_and_coverage_union_of_grid_give_one_square) {
  std::vector<Geometry> cells;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) cells.push_back(square(i * 100.0, j * 100.0, 100.0));
  const Geometry u = unary_union(cells);
  const Geometry c = coverage_union(cells);
  EXPECT_DOUBLE_EQ(area(u), 160'000.0);
  EXPECT_DOUBLE_EQ(area(c), 160'000.0);
  EXPECT_EQ(u.type(), GeometryType::polygon);
  EXPECT_TRUE(equals(u, square(0, 0, 400)));
  EXPECT_TRUE(equals(c, square(0, 0, 400)));
  EXPECT_TRUE(unary_union(std::span<const Geometry>{}).is_empty());
}

TEST(GeometryOps, buffer_of_point_approximates_circle_area) {
  const Geometry disc = buffer(Geometry::point(0, 0), 100.0, 32);
  const double circle_m2 = std::numbers::pi * 100.0 * 100.0;
  EXPECT_NEAR(area(disc) / circle_m2, 1.0, 1e-3);
  EXPECT_LT(area(disc), circle_m2);  // inscribed polygon
}

TEST(GeometryOps, centroid_and_point_on_surface) {
  const Geometry l_shape = Geometry::from_wkt("POLYGON ((0 0, 10 0, 10 1, 1 1, 1 10, 0 10, 0 0))");
  const Coordinate c = centroid(l_shape).as_point();
  EXPECT_NEAR(c.x, c.y, 1e-12);                        // symmetric about x = y
  EXPECT_FALSE(contains(l_shape, centroid(l_shape)));  // an L's centroid lies outside it ...
  EXPECT_TRUE(contains(l_shape, point_on_surface(l_shape)));  // ... a surface point never does
}

TEST(GeometryOps, polygonal_parts_drops_shared_edges_of_intersection) {
  // Squares sharing an edge, plus an overlapping third: intersection with the union of the first two
  // contains a line part that polygonal_parts removes.
  const Geometry touching = intersection(square(0, 0, 10), square(10, 0, 10));
  EXPECT_EQ(touching.type(), GeometryType::line_string);
  const Geometry parts = polygonal_parts(touching);
  EXPECT_EQ(parts.type(), GeometryType::multi_polygon);
  EXPECT_TRUE(parts.is_empty());
  const Geometry mixed = Geometry::from_wkt("GEOMETRYCOLLECTION (LINESTRING (0 0, 1 1), POLYGON ((0 0, 2 0, 2 2, 0 0)))");
  EXPECT_EQ(polygonal_parts(mixed).type(), GeometryType::polygon);
  EXPECT_DOUBLE_EQ(area(polygonal_parts(mixed)), 2.0);
}

}  // namespace
}  // namespace parksim::geom
