#include "geom/coverage.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "shapes.hpp"

namespace parksim::geom {
namespace {

using test::square;
using ::testing::HasSubstr;

// 3 x 3 grid of 100 m parcels with ids 1..9, row by row from the south-west.
std::vector<Geometry> grid3() {
  std::vector<Geometry> out;
  for (int j = 0; j < 3; ++j)
    for (int i = 0; i < 3; ++i) out.push_back(square(i * 100.0, j * 100.0, 100.0));
  return out;
}

std::vector<CoverageItem> items_of(const std::vector<Geometry>& geometries) {
  std::vector<CoverageItem> items;
  for (std::size_t i = 0; i < geometries.size(); ++i)
    items.push_back(CoverageItem{static_cast<std::int64_t>(i + 1), "", &geometries[i]});
  return items;
}

TEST(Dissolve, gives_the_true_union_of_a_coverage_and_of_overlapping_polygons) {
  const auto grid = grid3();
  const Geometry coverage = dissolve(grid);
  EXPECT_NEAR(area(coverage), 90000.0, 1e-6);
  EXPECT_TRUE(equals(coverage, square(0.0, 0.0, 300.0)));
  // Overlapping squares: the coverage union would be wrong; the result must still be the union.
  const std::vector<Geometry> overlapping = {square(0.0, 0.0, 100.0), square(50.0, 0.0, 100.0)};
  const Geometry u = dissolve(overlapping);
  EXPECT_NEAR(area(u), 15000.0, 1e-6);
  EXPECT_TRUE(equals(u, unary_union(overlapping)));
}

TEST(Coverage, clean_grid_of_adjacent_parcels_has_no_problems) {
  const auto parcels = grid3();
  ProblemReporter problems;
  const CoverageSummary s = check_coverage(items_of(parcels), {}, problems);
  EXPECT_EQ(problems.size(), 0u);
  EXPECT_EQ(s.overlaps, 0u);
  EXPECT_EQ(s.gaps, 0u);
}

TEST(Coverage, overlapping_parcels_are_reported_with_both_ids_and_area) {
  std::vector<Geometry> parcels{square(0, 0, 100), square(90, 0, 100), square(300, 0, 100)};
  std::vector<CoverageItem> items{{17, "P3-017", &parcels[0]}, {4, "P3-004", &parcels[1]}, {5, "", &parcels[2]}};
  ProblemReporter problems;
  const CoverageSummary s = check_coverage(items, {}, problems, Context{.path = "plan.gpkg", .layer = "parcels"});
  ASSERT_EQ(problems.size(), 1u);
  const std::vector<Problem> reported = problems.problems();  // a copy: keep it alive
  const Problem& p = reported.front();
  EXPECT_EQ(p.code, "coverage.overlap");
  EXPECT_EQ(p.severity, Severity::warning);
  EXPECT_THAT(p.message, HasSubstr("feature 4 (P3-004)"));
  EXPECT_THAT(p.message, HasSubstr("feature 17 (P3-017)"));
  EXPECT_THAT(p.message, HasSubstr("1000.00 m2"));
  EXPECT_EQ(p.where.feature_id, 4);  // the lower id
  EXPECT_EQ(p.where.layer, "parcels");
  ASSERT_TRUE(p.where.coordinate.has_value());
  EXPECT_GT(p.where.coordinate->x, 90.0);  // inside the overlap strip
  EXPECT_LT(p.where.coordinate->x, 100.0);
  EXPECT_EQ(s.overlaps, 1u);
  EXPECT_DOUBLE_EQ(s.overlap_area_m2, 1000.0);
}

TEST(Coverage, overlap_below_tolerance_is_ignored) {
  std::vector<Geometry> parcels{square(0, 0, 100), square(99.995, 0, 100)};  // 0.5 m2 sliver
  ProblemReporter problems;
  EXPECT_EQ(check_coverage(items_of(parcels), {.overlap_tolerance_m2 = 1.0}, problems).overlaps, 0u);
  EXPECT_EQ(problems.count("coverage.overlap"), 0u);
  EXPECT_EQ(check_coverage(items_of(parcels), {.overlap_tolerance_m2 = 0.1}, problems).overlaps, 1u);
  EXPECT_EQ(problems.count("coverage.overlap"), 1u);
}

TEST(Coverage, hole_in_the_coverage_is_a_gap_with_its_neighbours_and_location) {
  auto parcels = grid3();
  parcels.erase(parcels.begin() + 4);  // the centre parcel (id 5) is missing
  std::vector<CoverageItem> items;
  const std::vector<std::int64_t> ids{1, 2, 3, 4, 6, 7, 8, 9};
  for (std::size_t i = 0; i < parcels.size(); ++i) items.push_back({ids[i], "", &parcels[i]});
  ProblemReporter problems;
  const CoverageSummary s = check_coverage(items, {.severity = Severity::error}, problems);
  ASSERT_EQ(problems.size(), 1u);
  const std::vector<Problem> reported = problems.problems();  // a copy: keep it alive
  const Problem& p = reported.front();
  EXPECT_EQ(p.code, "coverage.gap");
  EXPECT_EQ(p.severity, Severity::error);
  EXPECT_THAT(p.message, HasSubstr("10000.00 m2"));
  EXPECT_THAT(p.message, HasSubstr("1, 2, 3, 4, 6, 7, 8, 9"));
  EXPECT_EQ(p.where.feature_id, 1);
  ASSERT_TRUE(p.where.coordinate.has_value());
  EXPECT_GT(p.where.coordinate->x, 100.0);
  EXPECT_LT(p.where.coordinate->x, 200.0);
  EXPECT_GT(p.where.coordinate->y, 100.0);
  EXPECT_LT(p.where.coordinate->y, 200.0);
  EXPECT_EQ(s.gaps, 1u);
  EXPECT_DOUBLE_EQ(s.gap_area_m2, 10'000.0);
}

TEST(Coverage, bay_open_to_the_outside_is_not_a_gap) {
  auto parcels = grid3();
  parcels.erase(parcels.begin() + 7);  // top middle missing: a notch in the outline, not a hole
  ProblemReporter problems;
  EXPECT_EQ(check_coverage(items_of(parcels), {}, problems).gaps, 0u);
  EXPECT_EQ(problems.size(), 0u);
}

TEST(Coverage, sliver_gap_below_tolerance_is_ignored) {
  auto parcels = grid3();
  parcels[4] = square(100.001, 100.001, 99.998);  // 0.4 m2 ring-shaped sliver around the centre
  ProblemReporter problems;
  EXPECT_EQ(check_coverage(items_of(parcels), {}, problems).gaps, 0u);
  EXPECT_EQ(check_coverage(items_of(parcels), {.gap_tolerance_m2 = 0.1}, problems).gaps, 1u);
}

TEST(Coverage, island_inside_a_hole_reduces_the_gap_to_the_uncovered_part) {
  auto parcels = grid3();
  parcels[4] = square(125.0, 125.0, 50.0);  // centre replaced by a 50 m island: 10000 - 2500 uncovered
  ProblemReporter problems;
  const CoverageSummary s = check_coverage(items_of(parcels), {}, problems);
  EXPECT_EQ(s.gaps, 1u);
  EXPECT_DOUBLE_EQ(s.gap_area_m2, 7'500.0);
  const std::vector<Problem> reported = problems.problems();
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_THAT(reported.front().message, HasSubstr("1, 2, 3, 4, 5, 6, 7, 8, 9"));  // the island borders it too
}

}  // namespace
}  // namespace parksim::geom
