// The bundled baseline scenario on the bundled dataset, end to end (corridor grid, fitted suitability, enterprise
// demand, the CBC allocation): what `make run` shows.

#include <cmath>
#include <filesystem>

#include <gtest/gtest.h>

#include "pipeline/pipeline.hpp"

namespace parksim::pipeline {
namespace {

TEST(BundledBaseline, runs_and_allocates_at_least_3000_mu_of_health_industry_land_with_its_gap) {
  const auto s = scenario::Scenario::load(std::filesystem::path(PARKSIM_SOURCE_DIR) / "scenarios" / "baseline.toml");
  const report::RunResult r = run_scenario(s);
  ASSERT_TRUE(r.allocation.has_value());
  EXPECT_TRUE(r.allocation->status == "optimal" || r.allocation->status == "feasible") << r.allocation->status;
  const auto* health = report::find_indicator(r, "health_industry_land_mu");
  ASSERT_NE(health, nullptr);
  EXPECT_GE(health->value, 3000.0 - 1e-6);
  const auto* gap = report::find_indicator(r, "alloc_gap_pct");
  ASSERT_NE(gap, nullptr);
  EXPECT_FALSE(std::isnan(gap->value));
  EXPECT_GE(gap->value, 0.0);
  EXPECT_NEAR(report::find_indicator(r, "plan_total_km2")->value, 7.2, 0.01);
  EXPECT_NEAR(report::find_indicator(r, "phase3_km2")->value, 4.7, 0.01);
  EXPECT_GT(report::find_indicator(r, "developed_km2", r.end_year)->value,
            report::find_indicator(r, "developed_km2", r.start_year)->value);
  EXPECT_EQ(r.parcels.size(), r.plan.parcels.size());
}

}  // namespace
}  // namespace parksim::pipeline
