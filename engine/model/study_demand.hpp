#pragma once
// The land demand of a run: yearly target cell counts per demand bucket (zone x class, or class over the grid),
// built from a DemandSpec on a study with the methods of demand.hpp.
//
//  - enterprise / plan_target / table: new land per zone, split across built classes (demand.class_share, DEFAULT
//    the class mix of the zone's built parcels), capped by the land each zone has open in each year (the cut is
//    reported as "demand.unmet", returned per year, and carried to the next year unless capacity.carry_forward is
//    false);
//  - trend: the Markov chain between the study's two latest maps (or demand.previous_map and the start map),
//    annualised and projected; every class that may grow and whose projected area grows gets that growth as its
//    target over the whole grid (built land never reverts).

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/problem.hpp"
#include "model/demand.hpp"
#include "model/trend.hpp"
#include "plan/plan.hpp"
#include "study/study.hpp"

namespace parksim::model {

/// How a run's demand is built. DEFAULTs as in the scenario schema.
struct DemandSpec {
  /// enterprise, plan_target, table, or an area trend of the study's maps: linear, exponential, logistic, markov
  /// (also "trend"), auto (chosen by a backtest, model/trend.hpp); class_areas (each class's area given by year)
  std::string method = "enterprise";
  Context method_where;
  bool by_zone = true;                ///< targets per zone and class (false: per class over the grid; trend: always)
  CapacityParams capacity;            ///< carry_forward: demand without open land waits for it (DEFAULT true)
  // enterprise
  double base_enterprises = 1000.0;
  double growth_rate = 0.08;
  EnterpriseParams enterprise;
  // enterprise and plan_target: shares of new demand per zone (empty: the plan's zone_share targets, else equal)
  std::vector<std::pair<std::string, double>> zone_shares;
  std::vector<Context> zone_share_where;  ///< parallel to zone_shares
  Context zone_share_table_where;
  /// Per zone, the share of its demand per class key (empty: the class mix of its built parcels).
  std::map<std::string, std::vector<std::pair<std::string, double>>> class_shares;
  std::map<std::string, Context> class_share_where;
  // plan_target
  int target_year = 2035;
  Context target_year_where;
  PlanTargetParams path;
  double buildout_share = 1.0;
  /// One value of a table keyed by name and year ([demand.table.<zone>] "<year>" = ...).
  struct YearValue {
    std::string key;
    int year = 0;
    double value = 0.0;
    Context where;
  };
  // table: (zone, year, m2 of new land)
  std::vector<YearValue> table;
  Context table_where;
  // class_areas: (class key, year, km2 of the class at the end of that year)
  std::vector<YearValue> class_areas;
  Context class_areas_where;
  // trend without two maps in the study: an earlier class map on the grid (class CODES, as the study's maps)
  std::filesystem::path previous_map;
  int previous_year = 0;
  Context previous_where;
};

/// Target cells of one simulated year (see sim::YearDemand): per bucket [zone * K + class] (by_zone) or [class];
/// no_target = no target.
struct YearTargets {
  int year = 0;
  std::vector<std::int64_t> cells;
};
inline constexpr std::int64_t no_target = -1;

struct StudyDemand {
  std::vector<YearTargets> years;       ///< start + 1 .. end
  bool by_zone = true;
  std::vector<double> capacity_cut_m2;  ///< per simulated year: demand dropped for lack of open land
  std::vector<std::string> zones;       ///< zones that grow (by_zone methods)
  std::string summary;                  ///< one line saying what the demand is (for the report)
  std::optional<AreaForecast> forecast; ///< area trends: the projected class areas and their spread
};

/// Builds the demand for years start + 1 .. end. `plan` may be null (raster studies: trend only, or table with zone
/// "outside"); `opening` is the opening year per plan phase. Throws Error(config, where) for contradictions (an
/// unknown zone or class, shares not summing to 1, a target year not after the start, trend with one map and no
/// previous_map).
StudyDemand study_demand(const DemandSpec& spec, const study::Study& study, const plan::Plan* plan,
                         const std::vector<int>& opening, int end_year, ProblemReporter& problems);

/// Floor area per m2 of land of each class (indexed by class): the area-weighted mean `far` of the plan's built and
/// under-construction parcels of the class (a gross ratio, as each parcel's gfa_m2), else (no plan, no parcel with a
/// far) net_site_share x the scenario's demand.floor_area_ratio. 0 for classes that are not built.
std::vector<double> floor_area_per_land_m2(const DemandSpec& spec, const plan::Plan* plan,
                                           const study::ClassTable& classes);

/// Floor area (GFA) on a parcel at the end of a run, m2: parcel.area_m2 x `developed_share` (the share of its cells
/// developed at the end, 0..1; an ensemble's mean) x its floor area per m2 of land. That is the parcel's own `far`
/// when the dataset gives one (> 0): a gross ratio, floor area / parcel area (the bundled parcels' far is gross, e.g.
/// parcel A's published 468,100 m2 / 37.93 ha), so no net site share applies to it. Without one it is
/// `floor_per_land_m2`, the scenario's figure for the parcel's class at the end (floor_area_per_land_m2: net_site_share
/// x a plot ratio). 0 when nothing is developed. Pure function.
double parcel_floor_area_m2(const plan::Parcel& parcel, double developed_share, double floor_per_land_m2);

/// Cells per [zone * K + class] on a class map (study cells only; zone grid empty = one zone).
std::vector<std::int64_t> bucket_counts(const grid::Grid<std::uint8_t>& classes, const grid::Grid<std::uint8_t>& zone,
                                        int zone_count, int class_count);

}  // namespace parksim::model
