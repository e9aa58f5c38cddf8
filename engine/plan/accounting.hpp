#pragma once
// Plan accounting: areas by phase, zone, land use and development status, in m2, km2 and mu, and the comparison
// with the plan's targets (7.2 / 2.5 / 4.7 km², ≥ 3,000 mu of health-industry land, ...).

#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.hpp"

namespace parksim::plan {

struct AreaRow {
  std::string key;    ///< phase id, zone id, land-use code or status word
  std::string label;  ///< English label where known (zone / class name), else the key
  std::size_t parcels = 0;
  double area_m2 = 0.0;
  double area_km2() const noexcept;
  double area_mu() const noexcept;
};

/// One target checked against the data. `comparison` is ">=" (a floor), "<=" or "=" (within `tolerance`
/// relative).
struct TargetCheck {
  std::string id;
  std::string label_en, label_zh;
  std::string unit;
  std::string comparison;
  double target = 0.0;
  double actual = 0.0;
  double tolerance = 0.0;
  bool met = false;
  std::string note;
};

struct Accounting {
  double parcels_m2 = 0.0;  ///< sum of parcel areas
  double phases_m2 = 0.0;   ///< sum of phase areas (phases layer, or parcels per phase when there is none)
  double health_industry_m2 = 0.0;            ///< parcels whose land use counts as health industry (any phase)
  double health_industry_expansion_m2 = 0.0;  ///< of those, in the expansion (every phase but the built 1-2)
  double health_industry_built_m2 = 0.0;      ///< of the expansion's, built or under construction
  double developable_m2 = 0.0;              ///< vacant or planned parcels of developable classes
  /// by_phase has a row with key "" (label "in no phase") for parcels in no phase; phases_m2 does not count them.
  std::vector<AreaRow> by_phase, by_zone, by_landuse, by_status;
  std::vector<TargetCheck> targets;
};

/// True for the phases of the expansion: every phase but the built "1-2" (or "1" and "2"), and "" (parcels in no
/// phase: new land away from the phases, such as the Beauty & Health site).
bool is_expansion(std::string_view phase) noexcept;

/// Sums the plan (rows sorted by key; deterministic). Targets that the plan does not carry are not checked.
/// The area targets compare the phases' areas (plan_total_km2, phase12_km2, phase3_km2; within 0.1 %); the
/// health-industry target (>= 3,000 mu) is land provided for the industry in the expansion, so it is compared
/// with the current land use of the parcels outside the built phases 1-2 (docs/decisions.md D7): a floor that
/// the allocation must reach.
Accounting account(const Plan& plan);

}  // namespace parksim::plan
