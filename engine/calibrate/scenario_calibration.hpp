#pragma once
// Calibration of a study scenario: the land-use maps of [study.maps] (two or more dates), the drivers declared in
// [drivers.*] and the classes of the study, calibrated by calibrate() into a complete, runnable scenario -
// `calibrated.toml`: the same inputs (paths relative to where it is written), the fitted suitability (mode given),
// the tuned [sim] parameters and the demand for the forecast (an area trend of the maps, demand.method "auto"), with a comment
// block that says what was fitted on which years, how well, and what is in-sample.
//
// `parksim run calibrated.toml --end YEAR` then forecasts from the latest map.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calibrate/calibrate.hpp"
#include "core/problem.hpp"
#include "core/progress.hpp"
#include "pipeline/pipeline.hpp"
#include "scenario/scenario.hpp"

namespace parksim::calibrate {

struct ScenarioCalibration {
  CalibrationResult result;
  scenario::Scenario scenario;     ///< the input scenario with the calibrated keys; file paths absolute
  std::vector<std::string> drivers;  ///< the drivers the suitability was fitted on
  std::vector<Problem> problems;   ///< loading's and the calibration's findings
};

/// Calibrates a loaded study on the drivers `drivers` (all declared when empty). The options' class_keys are set to
/// the study's. Throws Error(config, where) when the study has fewer than two maps or no driver, and as calibrate()
/// does. The result's `scenario` is left empty (see calibrate_scenario).
ScenarioCalibration calibrate_study(std::shared_ptr<const pipeline::StudyInput> input, std::vector<std::string> drivers,
                                    CalibrationOptions options, const Progress& progress = Progress(),
                                    const Context& where = {});

/// Calibrates `scenario`: loads its study, calibrate_study on suitability.drivers (DEFAULT all declared) with the
/// scenario's [sim] as base and its seed unless `seed` is given, and sets the calibrated keys in the scenario.
ScenarioCalibration calibrate_scenario(const scenario::Scenario& scenario, CalibrationOptions options,
                                       std::optional<std::uint64_t> seed = std::nullopt,
                                       const Progress& progress = Progress());

/// Sets the calibrated keys in `scenario`: suitability mode given with the fitted coefficients and drivers, the tuned
/// [sim] keys, demand.method auto (an area trend per class), no years.start (the latest map), years.end when absent (the last
/// map's year plus the last interval), name "<name>-calibrated".
void apply_calibration(const ScenarioCalibration& calibration, const study::ClassTable& classes,
                       const std::vector<int>& map_years, scenario::Scenario& scenario);

/// The calibrated scenario for files in `folder`: the boosted-trees models of the fit (if any) named by
/// suitability.model_files.<class> = <folder>/<class>.xgb.json (write_model_files writes them).
scenario::Scenario scenario_in(const ScenarioCalibration& calibration, const std::filesystem::path& folder);
/// Writes the boosted-trees models of the fit as <folder>/<class>.xgb.json (atomically; overwrite as asked).
void write_model_files(const ScenarioCalibration& calibration, const std::filesystem::path& folder, bool overwrite);

/// The text of calibrated.toml for a file in `folder`: a comment block, then scenario_in(folder) (every key
/// resolved) with file paths relative to `folder`.
std::string calibrated_toml(const ScenarioCalibration& calibration, const std::filesystem::path& folder);

/// Writes `<dir>/calibrated.toml`, `<dir>/calibration_metrics.csv` (metrics_csv) and the model files atomically. `dir` is created
/// when missing. Error(output_exists) when either exists and !overwrite (checked before writing either),
/// Error(output) when they cannot be written.
void write_calibration(const ScenarioCalibration& calibration, const std::filesystem::path& dir, bool overwrite);

}  // namespace parksim::calibrate
