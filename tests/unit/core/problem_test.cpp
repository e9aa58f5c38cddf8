#include "core/problem.hpp"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace parksim {
namespace {

TEST(ProblemReporter, counts_by_severity_and_code) {
  ProblemReporter reporter;
  reporter.report(Severity::warning, "geometry.repaired", "bow-tie ring repaired", Context{.feature_id = 3});
  reporter.report(Severity::error, "parcels.overlap", "overlaps feature 4", Context{.feature_id = 3});
  reporter.report(Severity::info, "plan.crs_assumed", "EPSG:4548 assumed");
  EXPECT_EQ(reporter.size(), 3u);
  EXPECT_EQ(reporter.count(Severity::warning), 1u);
  EXPECT_EQ(reporter.count(Severity::error), 1u);
  EXPECT_EQ(reporter.count("parcels.overlap"), 1u);
  EXPECT_TRUE(reporter.has_errors());
}

TEST(ProblemReporter, sorted_order_does_not_depend_on_arrival_order) {
  ProblemReporter a, b;
  const Problem p1{Severity::warning, "x", "one", Context{.layer = "parcels", .feature_id = 2}};
  const Problem p2{Severity::error, "y", "two", Context{.layer = "parcels", .feature_id = 9}};
  const Problem p3{Severity::warning, "x", "three", Context{.layer = "parcels", .feature_id = 1}};
  a.report(p1); a.report(p2); a.report(p3);
  b.report(p3); b.report(p1); b.report(p2);
  EXPECT_EQ(a.sorted(), b.sorted());
  EXPECT_EQ(a.sorted().front().severity, Severity::error);  // errors first
  EXPECT_EQ(a.sorted()[1].where.feature_id, 1);
}

TEST(ProblemReporter, accepts_reports_from_several_threads) {
  ProblemReporter reporter;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&reporter, t] {
      for (int i = 0; i < 250; ++i) reporter.report(Severity::info, "t", std::to_string(t * 1000 + i));
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(reporter.size(), 1000u);
}

TEST(ProblemReporter, merge_moves_problems_in_order) {
  ProblemReporter a, b;
  a.report(Severity::info, "a", "first");
  b.report(Severity::info, "b", "second");
  b.report(Severity::info, "b", "third");
  a.merge(b);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(a.problems()[2].message, "third");
}

TEST(Problem, to_string_names_severity_code_place_and_message) {
  const Problem p{Severity::warning, "parcels.gap", "gap of 120.0 m2",
                  Context{.path = "park.gpkg", .layer = "parcels", .feature_id = 7}};
  EXPECT_EQ(p.to_string(), "warning [parcels.gap] park.gpkg: layer 'parcels': feature 7: gap of 120.0 m2");
}

}  // namespace
}  // namespace parksim
