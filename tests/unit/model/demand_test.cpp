#include "model/demand.hpp"

#include <cmath>

#include <gtest/gtest.h>
#include <unsupported/Eigen/MatrixFunctions>

#include "core/error.hpp"
#include "core/units.hpp"
#include "model/study_demand.hpp"

namespace parksim::model {
namespace {

TEST(PlanTargetDemand, linear_path_reaches_the_target_exactly_in_the_target_year) {
  const PlanTarget t{"Frontier Technology", 0.3e6, 1.2e6, 2030};
  EXPECT_EQ(plan_target_area_m2(t, 2025, 2025), 0.3e6);
  EXPECT_DOUBLE_EQ(plan_target_area_m2(t, 2025, 2027), 0.3e6 + 0.9e6 * 0.4);
  EXPECT_EQ(plan_target_area_m2(t, 2025, 2030), 1.2e6);
  EXPECT_EQ(plan_target_area_m2(t, 2025, 2034), 1.2e6);
  const PlanTarget targets[] = {t};
  const DemandTable d = plan_target_demand(targets, 2025, 2035);
  EXPECT_EQ(d.years.front(), 2026);
  EXPECT_EQ(d.years.back(), 2035);
  EXPECT_NEAR(d.at(2026, "Frontier Technology"), 0.18e6, 1e-6);
  EXPECT_NEAR(d.cumulative_m2()(d.year_index(2030), 0), 0.9e6, 1e-6);
  EXPECT_EQ(d.at(2031, "Frontier Technology"), 0.0);
}

TEST(PlanTargetDemand, logistic_path_is_s_shaped_and_exact_at_both_ends) {
  const PlanTarget t{"Medical Device", 0.0, 2.0e6, 2035};
  const PlanTargetParams logistic{.shape = PathShape::logistic, .logistic_steepness = 8.0};
  EXPECT_EQ(plan_target_area_m2(t, 2025, 2025, logistic), 0.0);
  EXPECT_EQ(plan_target_area_m2(t, 2025, 2035, logistic), 2.0e6);
  EXPECT_NEAR(plan_target_area_m2(t, 2025, 2030, logistic), 1.0e6, 1e-6);  // symmetric: half at mid-time
  const PlanTarget targets[] = {t};
  const DemandTable d = plan_target_demand(targets, 2025, 2035, logistic);
  EXPECT_NEAR(d.new_area_m2.sum(), 2.0e6, 1e-6);
  EXPECT_LT(d.at(2026, "Medical Device"), d.at(2030, "Medical Device"));
  EXPECT_LT(d.at(2035, "Medical Device"), d.at(2031, "Medical Device"));
  EXPECT_GT(d.new_area_m2.minCoeff(), 0.0);
}

TEST(PlanTargetDemand, rejects_a_target_year_not_after_the_base_year) {
  const PlanTarget targets[] = {{"Beauty & Health", 0.0, 1.0e6, 2024}};
  try {
    plan_target_demand(targets, 2025, 2030);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_EQ(e.context().key, "Beauty & Health");
  }
}

// Two maps 5 years apart whose transition counts are exactly round(N * A^5) for a known annual matrix A.
TEST(MarkovDemand, annualised_matrix_recovers_the_yearly_rates_of_a_synthetic_pair) {
  Eigen::Matrix3d annual;
  annual << 0.90, 0.07, 0.03,
            0.00, 0.95, 0.05,
            0.00, 0.00, 1.00;
  const Eigen::Matrix3d five = annual.pow(5.0);
  const int per_class = 20'000;
  grid::GridSpec spec{.origin_x = 0, .origin_y = 0, .cell_size_m = 30.0, .cols = 200, .rows = 300, .crs = ""};
  grid::Grid<std::uint8_t> before(spec, 0), after(spec, 0);
  std::int64_t cell = 0;
  for (int from = 0; from < 3; ++from) {
    int assigned = 0;
    for (int to = 0; to < 3; ++to) {
      const int n = to == 2 ? per_class - assigned : static_cast<int>(std::lround(per_class * five(from, to)));
      for (int k = 0; k < n; ++k, ++cell) {
        before[cell] = static_cast<std::uint8_t>(from);
        after[cell] = static_cast<std::uint8_t>(to);
      }
      assigned += n;
    }
  }
  const TransitionMatrix t = estimate_transitions(before, after, 3, 5.0);
  EXPECT_EQ(t.counts.sum(), 60'000.0);
  EXPECT_NEAR(t.probability(0, 0), five(0, 0), 1e-4);
  const Eigen::MatrixXd a = annualise(t.probability, t.years);
  EXPECT_LT((a - Eigen::MatrixXd(annual)).cwiseAbs().maxCoeff(), 1e-3);
  EXPECT_LT((a.rowwise().sum().array() - 1.0).abs().maxCoeff(), 1e-12);
  EXPECT_GE(a.minCoeff(), 0.0);
}

TEST(MarkovDemand, projection_preserves_total_area) {
  Eigen::Matrix3d annual;
  annual << 0.90, 0.07, 0.03,
            0.01, 0.94, 0.05,
            0.00, 0.02, 0.98;
  const Eigen::Vector3d area(3.0e6, 1.5e6, 2.7e6);
  const DemandTable d = markov_demand(area, annual, {"farmland", "industry", "built"}, 2025, 2040);
  EXPECT_EQ(d.years.size(), 15u);
  for (Eigen::Index r = 0; r < d.new_area_m2.rows(); ++r) EXPECT_NEAR(d.new_area_m2.row(r).sum(), 0.0, 1e-6);
  EXPECT_LT(d.at(2026, "farmland"), 0.0);  // farmland shrinks
  EXPECT_NEAR(d.at(2026, "farmland"), -0.3e6 + 0.015e6, 1e-6);
}

TEST(MarkovDemand, annualising_the_identity_keeps_it) {
  const Eigen::MatrixXd a = annualise(Eigen::MatrixXd::Identity(4, 4), 7.0);
  EXPECT_LT((a - Eigen::MatrixXd::Identity(4, 4)).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(EnterpriseDemand, land_per_year_is_new_enterprises_times_floor_area_over_far_and_site_share) {
  const EnterpriseGrowth growth{.base_year = 2025, .base_enterprises = 1000.0, .growth_rate_per_year = 0.10};
  EXPECT_DOUBLE_EQ(growth.enterprises(2026), 1100.0);
  const EnterpriseParams params{.floor_area_per_enterprise_m2 = 2000.0, .floor_area_ratio = 2.0,
                                .net_site_share = 0.5};
  EXPECT_DOUBLE_EQ(land_per_enterprise_m2(params), 2000.0);  // 2000 m2 floor / FAR 2 / 0.5
  const ZoneShare zones[] = {{"Frontier Technology", 0.25}, {"Medical Device", 0.75}};
  const DemandTable d = enterprise_demand(growth, zones, 2026, 2027, params);
  // 2026: 100 new enterprises x 2000 m2 = 200 000 m2; 2027: 110 new -> 220 000 m2.
  EXPECT_NEAR(d.at(2026, "Frontier Technology"), 50'000.0, 1e-6);
  EXPECT_NEAR(d.at(2026, "Medical Device"), 150'000.0, 1e-6);
  EXPECT_NEAR(d.at(2027, "Medical Device"), 165'000.0, 1e-6);
}

TEST(EnterpriseDemand, growth_fitted_to_the_park_anchors_is_about_17_percent_a_year) {
  const EnterpriseGrowth g = fit_enterprise_growth(park_enterprise_anchors);
  EXPECT_EQ(g.base_year, 2025);
  EXPECT_NEAR(g.growth_rate_per_year, 0.16588, 1e-4);  // log-linear least squares, checked by hand
  EXPECT_NEAR(g.base_enterprises, 1051.69, 0.01);
  const EnterpriseAnchor exact[] = {{2025, 1000.0}, {2027, 1210.0}};
  EXPECT_NEAR(fit_enterprise_growth(exact).growth_rate_per_year, 0.10, 1e-12);
  const EnterpriseAnchor one[] = {{2025, 1000.0}};
  EXPECT_THROW(fit_enterprise_growth(one), Error);
}

TEST(EnterpriseDemand, rejects_zone_shares_that_do_not_sum_to_one) {
  const EnterpriseGrowth growth{.base_year = 2025, .base_enterprises = 1000.0, .growth_rate_per_year = 0.10};
  const ZoneShare zones[] = {{"Frontier Technology", 0.5}, {"Medical Device", 0.4}};
  EXPECT_THROW(enterprise_demand(growth, zones, 2026, 2030), Error);
}

TEST(ExogenousDemand, validates_years_and_shape) {
  Eigen::MatrixXd m(2, 1);
  m << 1.0, 2.0;
  EXPECT_NO_THROW(exogenous_demand({2026, 2027}, {"industry"}, m));
  EXPECT_THROW(exogenous_demand({2026, 2028}, {"industry"}, m), Error);
  EXPECT_THROW(exogenous_demand({2026, 2027}, {"industry", "x"}, m), Error);
  m(1, 0) = std::nan("");
  EXPECT_THROW(exogenous_demand({2026, 2027}, {"industry"}, m), Error);
}

TEST(DemandCells, rounding_follows_the_cumulative_area) {
  Eigen::MatrixXd m(4, 1);
  m << 1350.0, 1350.0, 1350.0, 1350.0;  // 1.5 cells of 900 m2 each year
  const auto d = exogenous_demand({2026, 2027, 2028, 2029}, {"industry"}, m);
  const auto cells = demand_cells(d, 900.0);
  EXPECT_EQ(cells(0, 0), 2);   // round(1.5)
  EXPECT_EQ(cells(1, 0), 1);   // round(3.0) - 2
  EXPECT_EQ(cells(2, 0), 2);   // round(4.5) - 3
  EXPECT_EQ(cells.sum(), 6);   // 5400 m2 = 6 cells, no drift
}

TEST(DemandModel, reports_unmet_demand_instead_of_throwing) {
  Eigen::MatrixXd want(3, 2);
  want << 0.50e6, 0.1e6,
          1.00e6, 0.1e6,
          0.20e6, 0.1e6;
  const DemandTable d = exogenous_demand({2030, 2031, 2032}, {"Medical Device", "Beauty & Health"}, want);
  Eigen::MatrixXd developable(3, 2);  // cumulative land open to each category by the end of each year
  developable << 0.50e6, 1.0e6,
                 1.08e6, 1.0e6,
                 2.00e6, 1.0e6;
  ProblemReporter problems;
  DemandTable capped;
  ASSERT_NO_THROW(capped = check_capacity(d, developable, problems));
  ASSERT_EQ(problems.size(), 1u);
  const Problem p = problems.problems().front();
  EXPECT_EQ(p.code, "demand.unmet");
  EXPECT_EQ(p.severity, Severity::warning);
  EXPECT_EQ(p.message, "unmet demand: 0.42 km² of Medical Device in 2031 (carried to 2032)");
  EXPECT_EQ(p.where.key, "Medical Device");
  EXPECT_NEAR(capped.at(2031, "Medical Device"), 0.58e6, 1e-6);
  EXPECT_NEAR(capped.at(2032, "Medical Device"), 0.20e6 + 0.42e6, 1e-6);  // the shortfall waits for room
  EXPECT_EQ(capped.at(2031, "Beauty & Health"), 0.1e6);
  ProblemReporter dropped_problems;
  const DemandTable dropped = check_capacity(d, developable, dropped_problems, {.carry_forward = false});
  EXPECT_EQ(dropped_problems.problems().front().message, "unmet demand: 0.42 km² of Medical Device in 2031");
  EXPECT_NEAR(dropped.at(2032, "Medical Device"), 0.20e6, 1e-6);  // dropped: not carried over
}

TEST(DemandModel, small_shortfalls_are_reported_in_square_metres_and_tolerance_is_respected) {
  Eigen::MatrixXd want(1, 1);
  want << 1000.0;
  const DemandTable d = exogenous_demand({2028}, {"Frontier Technology"}, want);
  Eigen::MatrixXd developable(1, 1);
  developable << 400.0;
  ProblemReporter problems;
  check_capacity(d, developable, problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems.problems()[0].message, "unmet demand: 600 m² of Frontier Technology in 2028");
  ProblemReporter quiet;
  check_capacity(d, developable, quiet, {.tolerance_m2 = 600.0});
  EXPECT_EQ(quiet.size(), 0u);
}

TEST(DemandParams, parameter_tables_match_the_defaults) {
  const EnterpriseParams e;
  const auto ei = EnterpriseParams::info();
  ASSERT_EQ(ei.size(), 3u);
  EXPECT_DOUBLE_EQ(ei[0].default_value, e.floor_area_per_enterprise_m2);
  EXPECT_DOUBLE_EQ(ei[1].default_value, e.floor_area_ratio);
  EXPECT_DOUBLE_EQ(ei[2].default_value, e.net_site_share);
  EXPECT_DOUBLE_EQ(PlanTargetParams::info()[1].default_value, PlanTargetParams{}.logistic_steepness);
  EXPECT_DOUBLE_EQ(CapacityParams::info()[0].default_value, CapacityParams{}.tolerance_m2);
  EXPECT_EQ(CapacityParams::info()[1].default_value != 0.0, CapacityParams{}.carry_forward);
  EXPECT_NEAR(land_per_enterprise_m2(e), 2000.0 / 1.5 / 0.6, 1e-9);
}

TEST(ParcelFloorArea, is_developed_area_times_the_parcels_own_far_else_the_scenarios_floor_per_land) {
  constexpr double kTolM2 = 1e-6;
  plan::Parcel parcel;
  parcel.area_m2 = 379300.0;  // parcel A: 37.93 ha, published floor area 468,100 m2
  parcel.far = 468100.0 / 379300.0;
  // The dataset's far is gross (floor area / parcel area): no net site share on it.
  EXPECT_NEAR(parcel_floor_area_m2(parcel, 1.0, 0.9), 468100.0, kTolM2);
  EXPECT_NEAR(parcel_floor_area_m2(parcel, 0.25, 0.9), 0.25 * 468100.0, kTolM2);
  EXPECT_EQ(parcel_floor_area_m2(parcel, 0.0, 0.9), 0.0);
  // No far: the scenario's floor area per m2 of land (net_site_share 0.6 x plot ratio 1.5 = 0.9).
  parcel.far = 0.0;
  EXPECT_NEAR(parcel_floor_area_m2(parcel, 1.0, 0.6 * 1.5), 379300.0 * 0.9, kTolM2);
}

TEST(FloorAreaPerLand, is_the_gross_far_of_a_classes_parcels_else_the_net_share_times_the_plot_ratio) {
  plan::Plan plan;
  plan.classes.push_back({.code = "0803", .name_zh = "r", .name_en = "R&D", .sim_class = 3});
  plan::Parcel a;
  a.landuse = "0803";
  a.status = plan::DevelopmentStatus::built;
  a.area_m2 = 379300.0;
  a.far = 468100.0 / 379300.0;
  plan.parcels.push_back(a);
  const study::ClassTable classes({{.key = "open", .code = 0},
                                    {.key = "r_d", .built = true, .code = 3},
                                    {.key = "industry", .built = true, .code = 4}});
  DemandSpec spec;
  spec.enterprise.net_site_share = 0.6;
  spec.enterprise.floor_area_ratio = 1.5;
  const auto floor = floor_area_per_land_m2(spec, &plan, classes);
  ASSERT_EQ(floor.size(), 3u);
  EXPECT_EQ(floor[0], 0.0);                          // not built
  EXPECT_NEAR(floor[1], 468100.0 / 379300.0, 1e-12);  // the parcels' gross far, as their gfa_m2
  EXPECT_NEAR(floor[2], 0.6 * 1.5, 1e-12);           // no parcel: net share x plot ratio
}

}  // namespace
}  // namespace parksim::model
