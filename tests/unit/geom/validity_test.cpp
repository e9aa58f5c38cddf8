#include "geom/validity.hpp"

#include <cmath>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace parksim::geom {
namespace {

constexpr double area_tolerance_m2 = 1e-9;

TEST(Validity, valid_polygon_reports_valid_without_reason) {
  const ValidityReport r = is_valid_detail(Geometry::from_wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"));
  EXPECT_TRUE(r.valid);
  EXPECT_TRUE(r.reason.empty());
  EXPECT_FALSE(r.location.has_value());
}

TEST(Validity, bow_tie_reports_self_intersection_at_the_crossing) {
  const ValidityReport r = is_valid_detail(Geometry::from_wkt("POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))"));
  EXPECT_FALSE(r.valid);
  EXPECT_THAT(r.reason, ::testing::HasSubstr("Self-intersection"));
  ASSERT_TRUE(r.location.has_value());
  EXPECT_EQ(*r.location, (Coordinate{1, 1}));
}

TEST(Repair, bow_tie_becomes_two_triangles_with_area_preserved) {
  // Two triangles of 1 m2 each, digitised as one crossing ring: its signed area is 0.
  const Geometry bow_tie = Geometry::from_wkt("POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))");
  EXPECT_DOUBLE_EQ(area(bow_tie), 0.0);
  const RepairResult r = repair(bow_tie);
  EXPECT_EQ(r.status, RepairStatus::repaired);
  EXPECT_THAT(r.reason, ::testing::HasSubstr("Self-intersection"));
  EXPECT_NEAR(r.area_before, 2.0, area_tolerance_m2);
  EXPECT_NEAR(r.area_after, 2.0, area_tolerance_m2);
  EXPECT_NEAR(area(r.geometry), 2.0, area_tolerance_m2);
  EXPECT_EQ(r.geometry.type(), GeometryType::multi_polygon);
  EXPECT_EQ(r.geometry.polygons().size(), 2u);
  EXPECT_TRUE(is_valid_detail(r.geometry).valid);
}

TEST(Repair, self_touching_ring_forming_a_hole_keeps_the_hole_and_the_area) {
  // The shell runs into its own vertex (5 10) and loops around a 10 m2 triangle: OGC-invalid, meant as
  // a 100 m2 square with a triangular hole.
  const Geometry g = Geometry::from_wkt("POLYGON ((0 0, 10 0, 10 10, 5 10, 7 5, 3 5, 5 10, 0 10, 0 0))");
  const ValidityReport v = is_valid_detail(g);
  ASSERT_FALSE(v.valid);
  ASSERT_TRUE(v.location.has_value());
  EXPECT_EQ(*v.location, (Coordinate{5, 10}));
  const RepairResult r = repair(g);
  EXPECT_EQ(r.status, RepairStatus::repaired);
  EXPECT_NEAR(r.area_before, 90.0, area_tolerance_m2);
  EXPECT_NEAR(area(r.geometry), 90.0, area_tolerance_m2);
  EXPECT_TRUE(is_valid_detail(r.geometry).valid);
  EXPECT_FALSE(covers(r.geometry, Geometry::point(5, 6)));  // the point in the hole stays outside
}

TEST(Repair, rejects_repair_that_loses_area_and_returns_the_input) {
  // Two 100 m2 parts overlapping by 50 m2: the union keeps 150 of the 200 m2 drawn.
  const Geometry g = Geometry::from_wkt(
      "MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0)), ((5 0, 15 0, 15 10, 5 10, 5 0)))");
  const RepairResult r = repair(g, 0.01);
  EXPECT_EQ(r.status, RepairStatus::rejected);
  EXPECT_NEAR(r.area_before, 200.0, area_tolerance_m2);
  EXPECT_NEAR(r.area_after, 150.0, area_tolerance_m2);
  EXPECT_NEAR(r.area_change_fraction, 0.25, 1e-12);
  EXPECT_EQ(r.geometry.to_wkt(), g.to_wkt());  // the input, untouched
  EXPECT_FALSE(is_valid_detail(r.geometry).valid);
}

TEST(Repair, accepts_the_same_repair_when_the_tolerance_allows_it) {
  const Geometry g = Geometry::from_wkt(
      "MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0)), ((5 0, 15 0, 15 10, 5 10, 5 0)))");
  const RepairResult r = repair(g, 0.3);
  EXPECT_EQ(r.status, RepairStatus::repaired);
  EXPECT_NEAR(area(r.geometry), 150.0, area_tolerance_m2);
  EXPECT_TRUE(is_valid_detail(r.geometry).valid);
}

TEST(Repair, valid_input_is_returned_unchanged) {
  const Geometry g = Geometry::from_wkt("POLYGON ((0 0, 10 0, 10 10, 0 0))");
  const RepairResult r = repair(g);
  EXPECT_EQ(r.status, RepairStatus::already_valid);
  EXPECT_EQ(r.geometry.to_wkt(), g.to_wkt());
  EXPECT_DOUBLE_EQ(r.area_before, 50.0);
  EXPECT_DOUBLE_EQ(r.area_change_fraction, 0.0);
}

TEST(Repair, collapsed_part_is_dropped_and_result_stays_polygonal) {
  // A zero-area spike part next to a real square: LINEWORK would keep a line, STRUCTURE drops it.
  const Geometry g = Geometry::from_wkt(
      "MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0)), ((20 0, 30 0, 20 0, 20 0)))");
  ASSERT_FALSE(is_valid_detail(g).valid);
  const RepairResult r = repair(g);
  EXPECT_EQ(r.status, RepairStatus::repaired);
  EXPECT_EQ(r.geometry.type(), GeometryType::polygon);
  EXPECT_NEAR(area(r.geometry), 100.0, area_tolerance_m2);
}

}  // namespace
}  // namespace parksim::geom
