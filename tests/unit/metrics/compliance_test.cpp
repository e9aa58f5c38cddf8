#include "metrics/compliance.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace parksim::metrics {
namespace {

const ComplianceRow* find(const std::vector<ComplianceRow>& rows, const std::string& id, int year = 0) {
  for (const auto& r : rows) {
    if (r.id == id && r.year == year) return &r;
  }
  return nullptr;
}

ComplianceInput two_years() {
  ComplianceInput in;
  in.plan_total_m2 = 7.2e6;
  in.phase12_m2 = 2.5e6;
  in.phase3_m2 = 4.7e6;
  in.years = {2025, 2026};
  in.developed_m2 = {2.0e6, 2.5e6};
  in.ftz_developed_m2 = {1.0e6, 2.0e6};
  in.unmet_demand_m2 = {0.0, 1.5e5};
  in.zone_developed_m2 = {{"frontier_tech", {0.0, 3.0e5}}, {"medical_device", {1.0e5, 2.0e5}}};
  return in;
}

constexpr double kTolKm2 = 1e-12;

TEST(PlanCompliance, plan_areas_are_reported_in_km2_with_fixed_ids_and_both_languages) {
  const auto rows = plan_compliance(two_years());
  const ComplianceRow* total = find(rows, "plan_total_km2");
  ASSERT_NE(total, nullptr);
  EXPECT_NEAR(total->value, 7.2, kTolKm2);
  EXPECT_EQ(total->unit, "km2");
  EXPECT_FALSE(total->label_zh.empty());
  EXPECT_FALSE(total->label_en.empty());
  EXPECT_NEAR(find(rows, "phase12_km2")->value, 2.5, kTolKm2);
  EXPECT_NEAR(find(rows, "phase3_km2")->value, 4.7, kTolKm2);
}

TEST(PlanCompliance, yearly_rows_give_developed_land_ftz_share_unmet_demand_and_zone_areas) {
  const auto rows = plan_compliance(two_years());
  EXPECT_NEAR(find(rows, "developed_km2", 2026)->value, 2.5, kTolKm2);
  EXPECT_NEAR(find(rows, "ftz_developed_share", 2025)->value, 0.5, 1e-12);
  EXPECT_NEAR(find(rows, "ftz_developed_share", 2026)->value, 0.8, 1e-12);
  EXPECT_NEAR(find(rows, "unmet_demand_km2", 2026)->value, 0.15, kTolKm2);
  EXPECT_NEAR(find(rows, "zone_area_km2.frontier_tech", 2026)->value, 0.3, kTolKm2);
  EXPECT_NEAR(find(rows, "zone_area_km2.medical_device", 2025)->value, 0.1, kTolKm2);
  EXPECT_EQ(find(rows, "developed_km2", 2027), nullptr);
}

TEST(PlanCompliance, missing_allocation_and_unfilled_phase_are_nan_not_zero) {
  const auto rows = plan_compliance(two_years());
  EXPECT_TRUE(std::isnan(find(rows, "health_industry_land_mu")->value));
  EXPECT_TRUE(std::isnan(find(rows, "health_industry_target_met")->value));
  EXPECT_TRUE(std::isnan(find(rows, "alloc_gap_pct")->value));
  EXPECT_TRUE(std::isnan(find(rows, "fillup_year_phase3")->value));
}

TEST(PlanCompliance, health_target_is_met_only_at_or_above_the_floor) {
  auto in = two_years();
  in.health_industry_mu = 3100.0;
  in.health_industry_target_mu = 3000.0;
  in.alloc_gap_pct = 0.4;
  in.fillup_year_phase3 = 2031;
  auto rows = plan_compliance(in);
  EXPECT_DOUBLE_EQ(find(rows, "health_industry_land_mu")->value, 3100.0);
  EXPECT_DOUBLE_EQ(find(rows, "health_industry_target_met")->value, 1.0);
  EXPECT_DOUBLE_EQ(find(rows, "alloc_gap_pct")->value, 0.4);
  EXPECT_DOUBLE_EQ(find(rows, "fillup_year_phase3")->value, 2031.0);
  in.health_industry_mu = 2900.0;
  rows = plan_compliance(in);
  EXPECT_DOUBLE_EQ(find(rows, "health_industry_target_met")->value, 0.0);
}

TEST(PlanCompliance, no_ftz_or_no_developed_land_gives_nan_share) {
  auto in = two_years();
  in.ftz_developed_m2.clear();
  EXPECT_TRUE(std::isnan(find(plan_compliance(in), "ftz_developed_share", 2025)->value));
  in = two_years();
  in.developed_m2 = {0.0, 0.0};
  EXPECT_TRUE(std::isnan(find(plan_compliance(in), "ftz_developed_share", 2025)->value));
}

TEST(PlanCompliance, per_year_vectors_of_the_wrong_length_are_an_internal_error) {
  auto in = two_years();
  in.developed_m2 = {1.0};
  EXPECT_THROW(plan_compliance(in), Error);
}

}  // namespace
}  // namespace parksim::metrics
