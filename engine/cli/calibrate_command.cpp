// `parksim calibrate`: calibration from a time series of land-use rasters (calibrate::load_series, calibrate,
// write_scenario_fragment), with the validation table of the model next to persistence on stdout.
#include <algorithm>
#include <cmath>
#include <ostream>

#include <fmt/format.h>

#include "calibrate/calibrate.hpp"
#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "core/error.hpp"

namespace parksim::cli {

namespace {

// "NAME=PATH" -> (NAME, PATH); empty name when there is no '='.
std::pair<std::string, std::string> split_assignment(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos) return {"", text};
  return {text.substr(0, eq), text.substr(eq + 1)};
}

std::string figure(double v) { return std::isnan(v) ? std::string("n/a") : fmt::format("{:.4f}", v); }

}  // namespace

int run_calibrate(const CalibrateOptions& options, std::ostream& out, std::ostream& err) {
  output_folder_option(options.out, "--out");
  std::vector<calibrate::MapFile> maps;
  for (const std::string& m : options.maps) {
    auto [year_text, path] = split_assignment(m);
    std::optional<int> year;
    if (year_text.empty()) {
      year = calibrate::year_from_file_name(path);
    } else {
      try {
        std::size_t used = 0;
        year = std::stoi(year_text, &used);
        if (used != year_text.size()) year.reset();
      } catch (const std::exception&) {
        year.reset();
      }
    }
    if (!year) {
      throw Error(ErrorCode::usage,
                  fmt::format("--map {}: give the year as YEAR=PATH or in the file name (landuse_2005.tif)", m),
                  Context{.path = path, .key = "--map"});
    }
    maps.push_back({*year, path});
  }
  std::vector<calibrate::DriverFile> drivers;
  for (const std::string& d : options.drivers) {
    auto [name, path] = split_assignment(d);
    if (name.empty() || path.empty()) {
      throw Error(ErrorCode::usage, fmt::format("--driver {}: expected NAME=PATH", d), Context{.key = "--driver"});
    }
    drivers.push_back({name, path});
  }
  std::optional<std::filesystem::path> exclude;
  if (!options.exclude.empty()) exclude = options.exclude;

  std::vector<Problem> problems;
  const calibrate::Series series = calibrate::load_series(maps, drivers, exclude, options.assume_crs, &problems);
  calibrate::CalibrationOptions co;
  co.budget = options.budget;
  co.runs_per_evaluation = options.runs_per_evaluation;
  co.seed = options.seed;
  if (!options.class_keys.empty()) {
    std::string key;
    for (char c : options.class_keys + ",") {
      if (c != ',') {
        key += c;
        continue;
      }
      co.class_keys.push_back(key);
      key.clear();
    }
  }
  const Progress progress;
  const InterruptScope interrupts(progress);
  calibrate::CalibrationResult result = calibrate::calibrate(series, co, progress);
  problems.insert(problems.begin(), result.problems.begin(), result.problems.end());
  calibrate::write_scenario_fragment(result, options.out, options.overwrite);

  const auto& years = result.years;
  out << fmt::format("Calibration of {} maps ({}..{}), {} x {} cells of {} m\n", years.size(), years.front(),
                     years.back(), series.maps.front().second.rows(), series.maps.front().second.cols(),
                     series.maps.front().second.spec().cell_size_m);
  out << fmt::format("\nSuitability fitted on {}-{}\n", years[0], years[1]);
  for (const auto& f : result.fits) {
    out << fmt::format("  class {}: {} cells changed to it, training AUC {:.3f}\n", f.class_id, f.changed_cells,
                       f.training_auc);
  }
  out << fmt::format("\nSimulation tuned on {}-{}: {} evaluations (a grid at the same resolution: {:.0f})\n",
                     years[1], years[2], result.evaluations.size(), result.grid_evaluations);
  out << fmt::format("  neighbourhood_weight   {:.4f}\n  inertia_adaptation     {:.4f}{}\n  patch_share            "
                     "{:.4f}\n  patch_size_mean_cells  {:.4f}\n",
                     result.params.neighbourhood_weight, result.params.inertia_adaptation,
                     std::find(result.tuned.begin(), result.tuned.end(), "inertia_adaptation") == result.tuned.end()
                         ? "  (not tuned: one growing class)"
                         : "",
                     result.params.patch_share, result.params.patch_size_mean_cells);
  out << fmt::format("\nValidation of {} predicted from {}{}\n", years.back(), years[years.size() - 2],
                     result.validation_in_sample ? " (IN-SAMPLE: only three dates)" : "");
  out << fmt::format("  {:<28} {:>10} {:>12}\n", "metric", "model", "persistence");
  const auto rows = result.validation.to_rows();
  for (const auto& r : rows) {
    if (r.scope != "model" || r.class_code || r.unit != "fraction") continue;
    double persistence = NAN;
    for (const auto& q : rows) {
      if (q.scope == "persistence" && q.id == r.id && !q.class_code) persistence = q.value;
    }
    out << fmt::format("  {:<28} {:>10} {:>12}\n", r.id, figure(r.value), figure(persistence));
  }
  out << fmt::format("  beats persistence on total disagreement: {}, on Kappa simulation: {}\n",
                     result.validation.beats_persistence_on_total_disagreement() ? "yes" : "no",
                     result.validation.beats_persistence_on_kappa_simulation() ? "yes" : "no");
  out << fmt::format("\nScenario fragment: {}\nMetrics table:     {}\n", (options.out / "calibration.toml").string(),
                     (options.out / "calibration_metrics.csv").string());
  for (const Problem& p : problems) err << p.to_string() << "\n";
  return 0;
}

}  // namespace parksim::cli
