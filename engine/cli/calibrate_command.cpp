// `parksim calibrate`: calibration of a study scenario (calibrate::calibrate_scenario) into calibrated.toml, with the
// validation table of the model next to persistence on stdout. `--map/--driver` build the study scenario from files.
#include <algorithm>
#include <cmath>
#include <ostream>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "calibrate/scenario_calibration.hpp"
#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "core/error.hpp"
#include "io/raster.hpp"

namespace parksim::cli {

namespace {

namespace fs = std::filesystem;

// "NAME=PATH" -> (NAME, PATH); empty name when there is no '='.
std::pair<std::string, std::string> split_assignment(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos) return {"", text};
  return {text.substr(0, eq), text.substr(eq + 1)};
}

std::string figure(double v) { return std::isnan(v) ? std::string("n/a") : fmt::format("{:.4f}", v); }

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string absolute(const std::string& path) { return fs::absolute(path).lexically_normal().string(); }

// The study scenario of `--map/--driver/--exclude`: the maps, one value driver per raster, the distance to each class
// (measured every simulated year) and the class keys.
scenario::Scenario scenario_of_files(const CalibrateOptions& options) {
  std::string toml = "name = \"calibration\"\nseed = 1\n";
  std::set<int> years;
  toml += "[study.maps]\n";
  std::vector<std::string> map_paths;
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
    if (!years.insert(*year).second) {
      throw Error(ErrorCode::usage, fmt::format("two maps for year {}", *year), Context{.path = path, .key = "--map"});
    }
    toml += fmt::format("{} = {}\n", *year, quoted(absolute(path)));
    map_paths.push_back(path);
  }
  if (years.size() < 2) {
    throw Error(ErrorCode::usage, fmt::format("a calibration needs at least 2 dated maps, got {}", years.size()),
                Context{.key = "--map"});
  }
  if (!options.exclude.empty()) toml += fmt::format("[study]\nexclusion = {}\n", quoted(absolute(options.exclude)));
  if (!options.assume_crs.empty()) toml += fmt::format("[grid]\ncrs = {}\n", quoted(options.assume_crs));
  // Classes: every code of the maps, keyed by --class-keys (by code from 0) or class_<code>.
  std::vector<std::string> keys;
  if (!options.class_keys.empty()) {
    std::string key;
    for (char c : options.class_keys + ",") {
      if (c != ',') {
        key += c;
        continue;
      }
      const bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](char k) {
        return (k >= 'a' && k <= 'z') || (k >= 'A' && k <= 'Z') || (k >= '0' && k <= '9') || k == '_';
      });
      if (!plain) {
        throw Error(ErrorCode::usage,
                    fmt::format("--class-keys: '{}' is not a class key (ASCII letters, digits and _)", key),
                    Context{.key = "--class-keys"});
      }
      keys.push_back(key);
      key.clear();
    }
  }
  std::set<int> codes;
  for (const auto& path : map_paths) {
    const io::RasterInfo info = io::read_raster(path, true);
    for (const double v : info.values) {
      if (std::isnan(v) || (info.nodata && v == *info.nodata) || v < 0 || v > 254 || v != std::floor(v)) continue;
      codes.insert(static_cast<int>(v));
    }
  }
  for (const int code : codes) {
    const std::string key = static_cast<std::size_t>(code) < keys.size() ? keys[static_cast<std::size_t>(code)]
                                                                          : fmt::format("class_{}", code);
    toml += fmt::format("[classes.codes.{}]\nkey = {}\n", code, quoted(key));
  }
  for (const std::string& d : options.drivers) {
    auto [name, path] = split_assignment(d);
    if (name.empty() || path.empty()) {
      throw Error(ErrorCode::usage, fmt::format("--driver {}: expected NAME=PATH", d), Context{.key = "--driver"});
    }
    toml += fmt::format("[drivers.{}]\nkind = \"value\"\nsource = {}\n", name, quoted(absolute(path)));
  }
  for (const int code : codes) {
    const std::string key = static_cast<std::size_t>(code) < keys.size() ? keys[static_cast<std::size_t>(code)]
                                                                          : fmt::format("class_{}", code);
    toml += fmt::format("[drivers.dist_class_{}_m]\nkind = \"distance\"\nclasses = [{}]\n", key, quoted(key));
  }
  return scenario::Scenario::parse(toml, fs::absolute(options.out) / "calibration-input.toml");
}

}  // namespace

int run_calibrate(const CalibrateOptions& options, std::ostream& out, std::ostream& err) {
  output_folder_option(options.out, "--out");
  if (options.scenario.empty() == options.maps.empty()) {
    throw Error(ErrorCode::usage, "give a study scenario or --map YEAR=PATH (two or more), not both",
                Context{.key = "SCENARIO"});
  }
  const scenario::Scenario s =
      options.scenario.empty() ? scenario_of_files(options) : scenario::Scenario::load(options.scenario);
  calibrate::CalibrationOptions co;
  co.budget = options.budget;
  co.runs_per_evaluation = options.runs_per_evaluation;
  co.learner = options.learner;
  co.pattern_weight = options.pattern_weight;
  co.search = options.search;
  co.patches = options.patches;
  const Progress progress;
  const InterruptScope interrupts(progress);
  const calibrate::ScenarioCalibration c = calibrate::calibrate_scenario(s, co, options.seed, progress);
  calibrate::write_calibration(c, options.out, options.overwrite);

  const calibrate::CalibrationResult& result = c.result;
  const auto& years = result.years;
  const auto& spec = result.predicted.spec();
  out << fmt::format("Calibration of {} maps ({}..{}), {} x {} cells of {} m\n", years.size(), years.front(),
                     years.back(), spec.rows, spec.cols, spec.cell_size_m);
  out << fmt::format("\nSuitability fitted on the change {}-{} (drivers: {})\n", result.fitted.first,
                     result.fitted.second, fmt::join(c.drivers, ", "));
  for (const auto& f : result.fits) {
    out << fmt::format("  class '{}': {} cells changed to it; learner {}; training AUC {:.3f} (in-sample)\n",
                       result.class_keys.at(static_cast<std::size_t>(f.class_id)), f.changed_cells, f.learner,
                       f.training_auc);
    if (!f.holdout_auc.empty()) {
      std::string aucs;
      for (const auto& [learner, auc] : f.holdout_auc) aucs += fmt::format("  {} {:.3f}", learner, auc);
      out << fmt::format("    out-of-sample AUC ({}):{}\n", f.holdout, aucs);
    }
    std::string shares;
    for (const auto& [driver, share] : f.contributions) shares += fmt::format("  {} {:.0f} %", driver, 100.0 * share);
    out << "    contributions:" << shares << "\n";
  }
  out << fmt::format("\nSimulation tuned on {}-{}: {} evaluations (a grid at the same resolution: {:.0f})\n",
                     result.tuned_on.first, result.tuned_on.second, result.evaluations.size(), result.grid_evaluations);
  auto searched = [&](const char* name) {
    return std::find(result.tuned.begin(), result.tuned.end(), name) != result.tuned.end();
  };
  out << fmt::format("  objective: {}\n", result.objective);
  out << fmt::format("  selection_exponent     {:.4f}\n  inertia_adaptation     {:.4f}{}\n", result.params.selection_exponent,
                     result.params.inertia_adaptation,
                     searched("inertia_adaptation") ? "" : "  (not tuned: one growing class)");
  out << fmt::format("  neighbourhood_weight   {:.4f}{}\n  patch_share            {:.4f}{}\n",
                     result.params.neighbourhood_weight, searched("neighbourhood_weight") ? "" : "  (edge growth: patches observed)",
                     result.params.patch_share, searched("patch_share") ? "" : "  (inferred from the observed growth)");
  if (result.params.patch_sizes_cells.empty()) {
    out << fmt::format("  patch_size_mean_cells  {:.4f}\n", result.params.patch_size_mean_cells);
  }
  out << fmt::format("  best objective {:.4f} +- {:.4f} (standard error over the runs); values the noise cannot tell "
                     "apart:\n", result.best_objective, result.best_standard_error);
  for (const auto& r : result.uncertainty) {
    out << fmt::format("    {:<22} {:.4f}  [{:.4f}, {:.4f}]\n", r.name, r.best, r.low, r.high);
  }
  out << "\nGrowth: organic and new patches\n" << calibrate::growth_summary(result);
  out << fmt::format("\nValidation of {} predicted from {}{}\n", result.validated_on.second, result.validated_on.first,
                     result.validation_in_sample ? " (IN-SAMPLE: no independent date)" : "");
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
  out << fmt::format("\nCalibrated scenario: {}\nMetrics table:       {}\nForecast:            parksim run {} --end YEAR\n",
                     (options.out / "calibrated.toml").string(), (options.out / "calibration_metrics.csv").string(),
                     (options.out / "calibrated.toml").string());
  for (const Problem& p : c.problems) err << p.to_string() << "\n";
  return 0;
}

}  // namespace parksim::cli
