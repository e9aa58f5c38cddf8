#pragma once
// What one scenario run produced, as plain data: the input of every writer (results.gpkg and the Shapefile set,
// rasters, indicators.csv/.json, the HTML report, manifest.json) and of the Python Result. The pipeline fills it;
// report never computes results, it only presents them. Plain value: copyable, movable; no thread-safety needs.
//
// Conventions: areas in m2 (convert with core/units.hpp), years as calendar years, "zone" = zone id of the plan
// ("frontier_tech"), class = simulation class id (0..K-1) described by SimClass.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/problem.hpp"
#include "grid/grid.hpp"
#include "plan/plan.hpp"
#include "study/classes.hpp"

namespace parksim::report {

/// A simulation class: key, names, colour, whether it is built, its land-use codes (plan studies) and its code in the
/// user's rasters (study/classes.hpp).
using SimClass = study::ClassInfo;

/// One row of indicators.csv: `scenario, year, indicator_id, label_zh, label_en, unit, value`. year 0 = not tied to a
/// year (e.g. the plan totals). ids are fixed (plan_total_km2, phase12_km2, phase3_km2, developed_km2,
/// health_industry_land_mu, fillup_year_phase3, alloc_gap_pct, ...). value NaN = not available (written as empty).
struct Indicator {
  std::string scenario;
  int year = 0;
  std::string id;
  std::string label_zh, label_en;
  std::string unit;
  double value = 0.0;
};

/// Area of one simulation class in one zone at the end of one year (the start year = the initial state).
struct YearArea {
  int year = 0;
  std::string zone;  ///< "" = cells in no zone
  int sim_class = 0;
  double area_m2 = 0.0;
};

/// Per plan parcel (same order as RunResult::plan.parcels): what the simulation and the allocation say about it.
struct ParcelResult {
  int developed_year = -1;            ///< first year the parcel counts as developed; start year if built; -1 never
  double developed_share_end = 0.0;   ///< share of its cells developed at the end (single run or ensemble mean)
  double development_probability = 0.0;  ///< ensemble: share of runs in which it is developed at the end
  int sim_class_end = -1;             ///< majority simulation class at the end (-1 no cells)
  std::string alloc_zone;             ///< allocated zone ("" = nothing allocated)
  std::string alloc_landuse;          ///< allocated land-use code ("" = nothing allocated)
  bool alloc_kept = false;            ///< built/fixed parcel kept as it is
  int alloc_year = -1;                ///< year by which the allocated use is developed (follows developed_year)
  double alloc_score = 0.0;           ///< suitability score of the allocated option (0..1)
  /// Floor area (GFA) on the parcel at the end, m2: area x developed_share_end x its far (gross), or without a far
  /// the scenario's floor area per m2 of land of its class at the end (model::parcel_floor_area_m2).
  double gfa_m2 = 0.0;
};

/// One allocation target as solved (rows of the report's "price of each promise" table).
struct ConstraintRow {
  std::string name, kind, unit;
  double achieved = 0.0, target = 0.0, slack = 0.0, shadow_price = 0.0;
  bool binding = false;
};

struct AllocationSummary {
  std::string status;                 ///< optimal / feasible / infeasible / no_solution
  double objective = 0.0, best_bound = 0.0, gap_pct = 0.0, solve_seconds = 0.0;
  std::vector<ConstraintRow> constraints;
  std::vector<std::string> diagnosis;  ///< for infeasible targets: what to relax and by how much
};

/// Monte Carlo ensemble results (runs > 1).
struct EnsembleSummary {
  int runs = 0;
  int first_run = 0;
  /// Per simulation class: the share of runs in which each cell has that class at the end (0..1; NaN outside).
  std::vector<grid::Grid<float>> probability;
  /// Per phase id: the year each run filled the phase up (-1 = not by the end), in run order.
  std::vector<std::pair<std::string, std::vector<int>>> fillup_years;
};

/// Validation against an observed map (calibration), metric by metric, model next to persistence.
struct ValidationRow {
  std::string id, label_en, unit;
  double model = 0.0, persistence = 0.0;
};

/// The scenario's answer to its question: its answering indicator in its year, over the runs of the ensemble, next
/// to the scenario it is compared with (answer.compare_with, same seed and runs). Plain value.
struct Answer {
  std::string indicator;            ///< indicator id, e.g. "zone_area_km2.beauty_health"
  std::string label_en, unit;
  int year = 0;                     ///< year of the value (0 = not tied to a year)
  int runs = 1;
  double mean = 0.0;                ///< over the runs (NaN when no run reached a value, e.g. a year never delivered)
  double sd = 0.0;                  ///< sample sd over the runs (NaN for one run)
  int runs_without_value = 0;       ///< runs with no value (a target not reached by the end)
  std::string baseline_name;        ///< "" = not compared
  double baseline_mean = 0.0, baseline_sd = 0.0;
  int baseline_runs_without_value = 0;
};

/// One sentence that answers the question: the number, its spread, the difference from the baseline.
std::string answer_sentence(const Answer& answer, int end_year);

struct RunResult {
  // What was run.
  std::string scenario_name, question, description;
  std::string effective_scenario_toml;   ///< every default resolved (written into the bundle)
  std::vector<std::string> input_files;  ///< scenario chain and datasets, for the manifest's hashes
  std::uint64_t seed = 0;
  int runs = 1;
  int threads = 0;
  int start_year = 0, end_year = 0;
  std::vector<int> key_years;            ///< years shown as maps

  // The plan and the simulation grid.
  plan::Plan plan;
  grid::GridSpec grid;
  std::vector<SimClass> classes;
  /// Class maps (nodata 255) of the start year and of every simulated year, ascending by year (the report shows the
  /// start and the key_years; the bundle writes a raster per map). Run 0 of an ensemble.
  std::vector<std::pair<int, grid::Grid<std::uint8_t>>> class_maps;
  /// The suitability drivers of the run at years.start (suitability.drivers, DEFAULT all): name, unit, values on
  /// `grid` (distances capped at suitability.max_distance_m). Not written to the bundle; for analysis (Python).
  struct Driver {
    std::string name, unit;
    grid::Grid<float> values;
  };
  std::vector<Driver> drivers;
  std::vector<YearArea> areas;           ///< every year, zone and class (run 0)
  std::map<std::string, int> phase_fillup_year;  ///< phase id -> year it filled up (-1 not by the end), run 0

  std::optional<EnsembleSummary> ensemble;
  std::vector<ParcelResult> parcels;     ///< parallel to plan.parcels
  std::optional<AllocationSummary> allocation;
  std::vector<ValidationRow> validation;  ///< empty unless calibrated
  std::vector<Indicator> indicators;
  std::optional<Answer> answer;          ///< when the scenario names its answering indicator ([answer])
  std::vector<Problem> problems;         ///< everything reported on the way, sorted
  std::vector<std::pair<std::string, std::string>> library_versions;  ///< ("GDAL", "3.6.2"), ...
};

/// The CRS of the run's coordinates: the plan's working CRS, else the grid's (a study without a plan).
const std::string& working_crs(const RunResult& result) noexcept;

/// The indicator with `id` (and `year`, when year != 0), or nullptr.
const Indicator* find_indicator(const RunResult& result, const std::string& id, int year = 0) noexcept;

}  // namespace parksim::report
