#pragma once
// Land demand per year and category (land-use class or zone), in m2, four ways:
//  1. plan target  - a linear or logistic path from today's area to a target area by a target year;
//  2. Markov trend - a transition matrix estimated from two class maps, annualised, projected yearly;
//  3. enterprise   - enterprise count growth x floor area per enterprise / FAR / net site share;
//  4. exogenous    - a table given by the user.
// check_capacity() turns demand that exceeds developable land into "demand.unmet" Problems and returns the
// capped demand - never a throw, never a silent cap.
//
// All functions are pure, deterministic and thread-safe. Areas are m2 throughout; km2 only in messages.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/problem.hpp"
#include "grid/grid.hpp"
#include "core/params.hpp"

namespace parksim::model {

/// Land to be NEWLY developed for each category during each year (m2; negative: the category shrinks).
/// Plain value type.
struct DemandTable {
  std::vector<int> years;               ///< consecutive, ascending calendar years
  std::vector<std::string> categories;  ///< class or zone names, unique
  Eigen::MatrixXd new_area_m2;          ///< years.size() x categories.size()

  /// Throws Error(config, key "demand") on non-consecutive years, duplicate categories, a shape mismatch
  /// or a non-finite value.
  void validate() const;
  /// Row of `year` (Error(config) when absent) / column of `category` (Error(config) when absent).
  Eigen::Index year_index(int year) const;
  Eigen::Index category_index(const std::string& category) const;
  double at(int year, const std::string& category) const {
    return new_area_m2(year_index(year), category_index(category));
  }
  /// Running sum over years: area added since the start of the first year, m2.
  Eigen::MatrixXd cumulative_m2() const;
};

/// Demand in whole cells of `cell_area_m2`, rounding the CUMULATIVE area (half away from zero) and
/// differencing, so rounding never accumulates: the cells of years 1..t always sum to round(cum(t) / a).
Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic> demand_cells(const DemandTable& demand,
                                                                         double cell_area_m2);

// ---- 1. plan target ---------------------------------------------------------------------------------

enum class PathShape { linear, logistic };

struct PlanTargetParams {
  PathShape shape = PathShape::linear;  ///< DEFAULT linear
  /// Steepness k of the logistic path s(u) = (L(k(u - 1/2)) - L(-k/2)) / (L(k/2) - L(-k/2)), u in [0, 1]
  /// the share of time elapsed, L the logistic function; larger = slower start, faster middle. DEFAULT 8
  double logistic_steepness = 8.0;

  static std::span<const ParamInfo> info();
};

/// One category's target: from `current_area_m2` at the end of the base year to `target_area_m2` at the
/// end of `target_year` (> base year); constant after.
struct PlanTarget {
  std::string category;
  double current_area_m2 = 0.0;
  double target_area_m2 = 0.0;
  int target_year = 0;
};

/// Area of the category at the end of `year` on the path: exactly current at base_year and before, exactly
/// target at target_year and after.
double plan_target_area_m2(const PlanTarget& target, int base_year, int year, const PlanTargetParams& params = {});

/// Demand for years base_year+1 .. end_year (the yearly differences of the path). Throws Error(config) on a
/// target year <= base_year or end_year <= base_year.
DemandTable plan_target_demand(std::span<const PlanTarget> targets, int base_year, int end_year,
                               const PlanTargetParams& params = {});

// ---- 2. Markov trend ----------------------------------------------------------------------------------

struct TransitionMatrix {
  Eigen::MatrixXd counts;       ///< cells moving from class i (row) to class j (column)
  Eigen::MatrixXd probability;  ///< counts / row sums over `years`; a row without cells is the identity row
  double years = 1.0;           ///< time between the two maps
};

/// Transitions between two class maps (values 0 .. class_count-1; others are ignored) on the cells of
/// `mask` (all when null). Throws Error(internal) on different specs, Error(config) on years <= 0.
TransitionMatrix estimate_transitions(const grid::Grid<std::uint8_t>& before, const grid::Grid<std::uint8_t>& after,
                                      int class_count, double years, const grid::Grid<std::uint8_t>* mask = nullptr);

/// One-year transition matrix from an n-year matrix: the principal matrix root P^(1/years) (Schur-based
/// matrix power, real part), then negative entries set to 0 and rows renormalised to sum to 1 (the usual
/// regularisation; it is exact when the root is already stochastic). If the root is not finite, falls
/// back to I + (P - I) / years (same first-order yearly rate). Rows of the result sum to 1.
Eigen::MatrixXd annualise(const Eigen::MatrixXd& probability, double years);

/// Projects class areas a(t+1) = a(t)^T P_annual for base_year+1 .. end_year and returns the yearly
/// differences per class (total area is preserved: rows of P sum to 1). `area_m2` is the area of each class
/// at the end of base_year. Throws Error(config) on mismatched sizes or end_year <= base_year.
DemandTable markov_demand(const Eigen::VectorXd& area_m2, const Eigen::MatrixXd& annual_probability,
                          std::vector<std::string> class_names, int base_year, int end_year);

// ---- 3. enterprise-driven -----------------------------------------------------------------------------

struct EnterpriseParams {
  /// Gross floor area occupied per enterprise, m2. DEFAULT 2000 (order of magnitude of phases 1-2:
  /// about 2.5 km2 for about 1,000 enterprises at the defaults below; calibrate per scenario)
  double floor_area_per_enterprise_m2 = 2000.0;
  /// Floor area ratio (plot ratio) of new industrial plots. DEFAULT 1.5
  double floor_area_ratio = 1.5;
  /// Share of zone land that becomes building plots (the rest: roads, green, utilities) - the "site
  /// coverage" of the issue. land_m2 = floor_m2 / floor_area_ratio / net_site_share. DEFAULT 0.6
  double net_site_share = 0.6;

  static std::span<const ParamInfo> info();
};

/// Gross land per enterprise, m2 = floor_area_per_enterprise_m2 / floor_area_ratio / net_site_share.
double land_per_enterprise_m2(const EnterpriseParams& params);

struct EnterpriseAnchor {
  int year = 0;
  double enterprises = 0.0;
};

/// Published enterprise counts of the park: 600+ (2022), 900+ (2023), 1,000+ (2025).
inline constexpr EnterpriseAnchor park_enterprise_anchors[] = {{2022, 600.0}, {2023, 900.0}, {2025, 1000.0}};

/// Exponential growth N(year) = base_enterprises * (1 + growth_rate_per_year)^(year - base_year).
struct EnterpriseGrowth {
  int base_year = 0;
  double base_enterprises = 0.0;
  double growth_rate_per_year = 0.0;

  double enterprises(int year) const;
};

/// Least-squares fit of log N = a + b * year to >= 2 anchors of distinct years with N > 0; returns the
/// growth anchored at the last anchor's year on the FITTED curve (growth_rate = e^b - 1). Throws
/// Error(config, key "enterprise.anchors") otherwise.
EnterpriseGrowth fit_enterprise_growth(std::span<const EnterpriseAnchor> anchors);

struct ZoneShare {
  std::string zone;
  double share = 0.0;  ///< share of new enterprises settling in the zone; shares sum to 1 (checked to 1e-9)
};

/// Land per zone for years first_year .. end_year: (N(t) - N(t-1)) * share * land_per_enterprise_m2.
/// Throws Error(config) on shares that do not sum to 1, a negative share or end_year < first_year.
DemandTable enterprise_demand(const EnterpriseGrowth& growth, std::span<const ZoneShare> zones, int first_year,
                              int end_year, const EnterpriseParams& params = {});

// ---- 4. exogenous -------------------------------------------------------------------------------------

/// A table given by the user (years x categories, m2 of new land per year); validated (Error(config)).
DemandTable exogenous_demand(std::vector<int> years, std::vector<std::string> categories,
                             Eigen::MatrixXd new_area_m2);

// ---- capacity -----------------------------------------------------------------------------------------

struct CapacityParams {
  double tolerance_m2 = 1.0;  ///< shortfalls up to this are not reported (rounding). DEFAULT 1 m2
  bool carry_forward = true;  ///< demand without room in a year waits for the next year (false: dropped). DEFAULT true

  static std::span<const ParamInfo> info();
};

/// Caps demand by developable land. `developable_m2` (same shape as demand.new_area_m2) is, for each
/// category, the land that can have been developed for it from the start of the first year to the end of
/// each year (cumulative: e.g. 0 before phase 3 opens, its developable area after). Walking the years in
/// order, room = developable(t) - land already given; positive demand beyond the room is cut to it and
/// the shortfall is reported as a warning Problem with code "demand.unmet", key = category, message
/// "unmet demand: 0.42 km² of Medical Device in 2031 (carried to 2032)" (km² with two decimals; whole m² below
/// 0.005 km²). With carry_forward (DEFAULT) the cut demand is added to the next year's (a phase that opens late
/// takes the demand that waited for it); without, or in the last year, it is dropped. Negative demand is passed
/// through. Never throws for
/// unmet demand; throws Error(internal) on a shape mismatch.
DemandTable check_capacity(const DemandTable& demand, const Eigen::MatrixXd& developable_m2,
                           ProblemReporter& problems, const CapacityParams& params = {});

}  // namespace parksim::model
