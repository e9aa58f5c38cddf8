#pragma once
// Plan-compliance indicators: how a simulated and allocated run measures against the plan's figures (7.2 / 2.5 /
// 4.7 km², >= 3,000 mu of health-industry land, the 10.26 km² free-trade area, phase fill-up). Functions on plain
// data (areas per year, per zone), so they are tested without a plan, a grid or a solver; the pipeline fills the
// input and turns the rows into report indicators.
//
// Every row has a FIXED id (the report, indicators.csv and regression tests rely on them), Chinese and English
// labels and a unit. year 0 = not tied to a year. value NaN = not available (e.g. no allocation was run).
// Pure functions, deterministic, thread-safe.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace parksim::metrics {

/// One plan-compliance figure.
struct ComplianceRow {
  std::string id;          ///< fixed id: "plan_total_km2", "zone_area_km2.frontier_tech", ...
  int year = 0;            ///< calendar year, 0 = not tied to a year
  std::string label_zh, label_en;
  std::string unit;        ///< "km2", "mu", "yr", "%", "1" (share 0..1)
  double value = 0.0;      ///< NaN = not available
};

/// What the indicators are computed from. Areas in m2; per-year vectors are parallel to `years` (the start year
/// = the initial state, then every simulated year).
struct ComplianceInput {
  bool has_plan = true;         ///< false: a study without plan dataset - the plan's rows are NaN (n/a)
  double plan_total_m2 = 0.0;   ///< area of all phases of the plan
  double phase12_m2 = 0.0;      ///< area of the built phases 1-2
  double phase3_m2 = 0.0;       ///< area of the expansion (phase 3)
  std::vector<int> years;
  std::vector<double> developed_m2;       ///< developed (built-class) land in the study area, per year
  std::vector<double> ftz_developed_m2;   ///< of which inside the free-trade area (empty: no FTZ layer)
  std::vector<double> unmet_demand_m2;    ///< demand not placed in that year (0 for the start year)
  /// Per zone id: developed land in the zone, per year.
  std::vector<std::pair<std::string, std::vector<double>>> zone_developed_m2;
  std::optional<double> health_industry_mu;   ///< health-industry land after allocation (expansion), mu
  std::optional<double> health_industry_target_mu;  ///< the floor the allocation had to reach, mu
  std::optional<double> alloc_gap_pct;        ///< proven optimality gap of the allocation, %
  int fillup_year_phase3 = -1;  ///< year phase 3 filled up; -1 = not by the end (value NaN)
  /// Area of each land-use class per year (optional; rows class_area_km2.<key>).
  struct ClassArea {
    std::string key, name_en, name_zh;
    std::vector<double> area_m2;
  };
  std::vector<ClassArea> class_area;
  /// The demand of an area trend per class (optional; rows class_demand_km2.<key> and class_demand_sd_km2.<key>):
  /// projected area and its spread, parallel to `years` (NaN for the start year).
  struct ClassDemand {
    std::string key, name_en, name_zh;
    std::vector<double> area_m2, sd_m2;
  };
  std::vector<ClassDemand> class_demand;
};

/// The indicators, in a fixed order: plan_total_km2, phase12_km2, phase3_km2 (year 0), health_industry_land_mu,
/// health_industry_target_met (1/0), alloc_gap_pct, fillup_year_phase3 (year 0), then per year developed_km2,
/// ftz_developed_share (share 0..1 of developed land inside the FTZ; NaN without FTZ or developed land),
/// unmet_demand_km2, zone_area_km2.<zone> (zones in input order) and class_area_km2.<class> (classes in input
/// order). Without a plan (has_plan false) the plan's figures (areas, health-industry land, allocation, fill-up)
/// are NaN. Throws Error(internal) when a per-year
/// vector is not parallel to `years`.
std::vector<ComplianceRow> plan_compliance(const ComplianceInput& input);

}  // namespace parksim::metrics
