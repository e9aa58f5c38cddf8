#pragma once
// Model skill on a held-out map, in one call (`parksim skill SCENARIO --holdout YEAR`): calibrate on the maps before
// the held-out year, forecast that year, and score the forecast next to the null models.
//
//  1. FIT: the study scenario without the maps of the held-out year and later, calibrated by calibrate_scenario
//     (scenario_calibration.hpp) into calibrated.toml - the same calibration `parksim calibrate` runs.
//  2. FORECAST: the calibrated scenario run as `parksim run calibrated.toml --end YEAR --runs N` runs it, from the
//     last map before the held-out year (the REFERENCE: the last map the model saw); an ensemble of N runs
//     (pipeline::run_ensemble).
//  3. EXPECTED MAP (metrics/expected_map.hpp): per class, the cells where the runs agree most, up to the model's
//     OWN quantity = the class totals the runs reached, averaged over the runs (rounded by largest remainder so they
//     add up to the cells). Written as expected_map.tif (class codes of the user's maps, like rasters/landuse_*.tif).
//  4. SCORES (metrics/forecast.hpp, validate_forecast): the held-out map against the reference - change is what
//     differs from the reference - for the expected map at the model's own quantity ("own") and, as a DIAGNOSIS,
//     the expected map of the same ensemble at the OBSERVED quantity ("observed": the held-out map's class totals;
//     not a forecast, since those totals are not known when forecasting), each next to persistence and the
//     proximity null at the same quantity. Every figure: FoM overall and per transition, hits / misses / wrong hits /
//     false alarms, quantity and allocation disagreement, Kappa simulation, FoM at the aggregation factors.
// The maps are compared on the cells with data in the reference and the held-out map; the expected map covers
// exactly those cells (nodata elsewhere). Class codes in the results are the codes of the user's maps.
//
// Deterministic for (scenario, options) at any thread count. Not thread-safe per output folder.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "calibrate/scenario_calibration.hpp"
#include "core/progress.hpp"
#include "grid/grid.hpp"
#include "metrics/expected_map.hpp"
#include "metrics/forecast.hpp"
#include "scenario/scenario.hpp"
#include "study/classes.hpp"

namespace parksim::calibrate {

/// Options of measure_skill(). DEFAULTs as given.
struct SkillOptions {
  int holdout_year = 0;               ///< the map held out: one of the study's map years, with >= 2 maps before it
  int runs = 10;                      ///< runs of the forecast ensemble (1 .. 65 535); DEFAULT 10
  std::optional<std::uint64_t> seed;  ///< seed of calibration, runs and tie-breaks; DEFAULT the scenario's
  std::optional<int> threads;         ///< worker threads (0 = all cores); DEFAULT the scenario's. Results do not
                                      ///< depend on it.
  CalibrationOptions calibration;     ///< budget, runs per evaluation, learner...; DEFAULTs of CalibrationOptions
  int proximity_draws = 10;           ///< draws of the proximity null; DEFAULT 10
  std::vector<int> factors = metrics::default_factors();  ///< aggregation factors; DEFAULT 1, 2, 4, 8, 16
};

/// One row of skill.csv: one figure of one model at one quantity.
struct SkillRow {
  std::string quantity;  ///< "own" (the model's quantity), "observed" (diagnosis) or "" (about the comparison)
  std::string model;     ///< "parksim", "persistence", "proximity", "comparison" (model vs nulls) or ""
  std::string measure;   ///< metric id ("figure_of_merit", "resolution_figure_of_merit", ...; metrics/forecast.hpp)
  std::optional<int> from_class;  ///< class code: the class a per-class figure is about, or a transition's source
  std::optional<int> to_class;    ///< class code a transition goes to
  std::optional<int> factor;      ///< aggregation factor of a multi-resolution figure
  std::string unit;      ///< "fraction", "m2", "m", "count", "boolean"
  double value = 0.0;    ///< NaN when undefined
  std::string label;     ///< English label
};

/// The result of measure_skill(). Value type (copyable, movable).
struct SkillResult {
  explicit SkillResult(ScenarioCalibration fit) : calibration(std::move(fit)) {}

  int holdout_year = 0;
  int reference_year = 0;            ///< the last map the model saw (the forecast's start)
  std::vector<int> fitted_years;     ///< the maps the calibration saw, ascending
  int runs = 0;
  ScenarioCalibration calibration;   ///< the fit (its scenario: calibrated.toml)
  std::vector<study::ClassInfo> classes;
  grid::Grid<std::uint8_t> expected;           ///< class ids at the own quantity, study::no_class without data
  grid::Grid<std::uint8_t> expected_observed;  ///< class ids at the observed quantity (diagnosis)
  std::vector<std::int64_t> own_quantity_cells;       ///< per class id
  std::vector<std::int64_t> observed_quantity_cells;  ///< per class id
  metrics::ExpectedMap expected_own_detail;           ///< how each class was placed (own quantity)
  metrics::ForecastValidation validation;  ///< class codes are the user's codes
  std::vector<Problem> problems;           ///< calibration's and the forecast's findings
  /// The hidden folder beside the output folder that holds calibrated.toml, calibration_metrics.csv and the model
  /// files until write_skill() moves them into place; removed (with whatever it holds) when the last copy of the
  /// result goes, so a failed or abandoned measurement leaves no partial output.
  std::shared_ptr<const std::filesystem::path> staging;

  /// Every figure as rows (skill.csv), in the order of validation.to_rows(), then the quantities (measure
  /// "quantity_area" per class, model "parksim" at "own" and "observed").
  std::vector<SkillRow> rows() const;
};

/// Runs steps 1-4 above on `scenario` (a study scenario with [study.maps]). Writes calibrated.toml,
/// calibration_metrics.csv and the model files into SkillResult::staging, a hidden sibling of `dir` (the forecast
/// runs from them, with the same relative paths as in `dir`); nothing is written into `dir` itself.
/// Throws Error(config, key "holdout") when the held-out year is not one of the maps (the message lists them) or
/// fewer than two maps precede it ("at least two maps are needed"); Error(output_exists) before any work when a
/// file it writes exists and !overwrite; and as calibrate_scenario and pipeline::run_ensemble do.
SkillResult measure_skill(const scenario::Scenario& scenario, const SkillOptions& options,
                          const std::filesystem::path& dir, bool overwrite, const Progress& progress = Progress());

/// skill.csv: UTF-8 with a byte-order mark (Excel opens it as such), columns quantity, model, measure, from_class,
/// to_class, factor, unit, value, label; NaN as an empty cell.
std::string skill_csv(const SkillResult& result);

/// The short table people read: per quantity, FoM (with its budget), Kappa simulation, quantity and allocation
/// disagreement and FoM at each factor, for parksim, persistence and proximity side by side.
std::string skill_table(const SkillResult& result);

/// Writes `<dir>/skill.csv` and `<dir>/expected_map.tif` (+ .aux.xml) atomically and moves the calibration files of
/// result.staging into `dir` (created when missing); Error(output_exists) when one exists and !overwrite.
void write_skill(const SkillResult& result, const std::filesystem::path& dir, bool overwrite);

/// The files measure_skill() and write_skill() write into `dir`, checked before any work (the boosted-trees model
/// files depend on the fit and are checked by write_calibration).
std::vector<std::filesystem::path> skill_files(const std::filesystem::path& dir);

}  // namespace parksim::calibrate
