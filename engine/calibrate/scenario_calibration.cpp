#include "calibrate/scenario_calibration.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"
#include "io/atomic.hpp"
#include "pipeline/pipeline.hpp"
#include "scenario/inputs.hpp"

namespace parksim::calibrate {

namespace fs = std::filesystem;

ScenarioCalibration calibrate_study(std::shared_ptr<const pipeline::StudyInput> input, std::vector<std::string> used,
                                    CalibrationOptions options, const Progress& progress, const Context& where) {
  const study::Study& study = input->study;
  if (study.maps.size() < 2) {
    Context at = where;
    at.key = "study.maps";
    throw Error(ErrorCode::config,
                fmt::format("a calibration needs land-use maps of at least two dates, got {}", study.maps.size()), at);
  }
  if (used.empty()) used = input->drivers->names();
  if (used.empty()) {
    Context at = where;
    at.key = "drivers";
    throw Error(ErrorCode::config, "a calibration fits suitability on drivers: declare at least one [drivers.<name>]",
                at);
  }
  for (const auto& d : used) {
    if (!input->drivers->has(d)) {
      Context at = where;
      at.key = "suitability.drivers";
      throw Error(ErrorCode::config, fmt::format("no driver '{}'; declare it under [drivers.{}]", d, d), at);
    }
  }
  Series series;
  for (const auto& m : study.maps) series.maps.emplace_back(m.year, m.classes);
  series.exclusion = study.exclusion;
  series.class_count = study.classes.count();
  for (const auto& c : study.classes.classes()) {
    series.built.push_back(c.built);
    series.fixed.push_back(c.fixed);
  }
  series.driver_set = [input, used](int year, const grid::Grid<std::uint8_t>& map) {
    model::DriverSet set(input->study.spec, &input->study.area);
    for (auto& layer : input->drivers->build(year, map, used)) {
      set.add(std::move(layer.name), std::move(layer.values), std::move(layer.unit));
    }
    return set;
  };
  series.drivers_follow_map = input->drivers->depends_on_map(used);
  options.class_keys = study.classes.keys();
  ScenarioCalibration out{calibrate(series, options, progress), scenario::Scenario::parse("name = \"x\"\n", "(none)"),
                          used, input->problems};
  out.problems.insert(out.problems.end(), out.result.problems.begin(), out.result.problems.end());
  return out;
}

void apply_calibration(const ScenarioCalibration& calibration, const study::ClassTable& classes,
                       const std::vector<int>& map_years, scenario::Scenario& c) {
  c.remove("suitability.coefficients");
  c.set("suitability.mode", std::string("given"));
  c.set("suitability.drivers", calibration.drivers);
  for (const ClassFit& f : calibration.result.fits) {
    const std::string table = "suitability.coefficients." + classes[f.class_id].key;
    for (const auto& [name, value] : f.raw_coefficients) c.set(table + "." + name, value);
  }
  const sim::Params& p = calibration.result.params;
  c.set("sim.neighbourhood_weight", p.neighbourhood_weight);
  c.set("sim.inertia_adaptation", p.inertia_adaptation);
  c.set("sim.patch_share", p.patch_share);
  c.set("sim.patch_size_mean_cells", p.patch_size_mean_cells);
  c.set("sim.patch_size_sd_cells", p.patch_size_sd_cells);
  c.remove("sim.patch_sizes_cells");
  if (!p.patch_sizes_cells.empty()) {
    c.set("sim.patch_sizes_cells", std::vector<std::int64_t>(p.patch_sizes_cells.begin(), p.patch_sizes_cells.end()));
  }
  c.set("sim.selection_exponent", p.selection_exponent);
  c.set("demand.method", std::string("auto"));
  c.set("demand.by_zone", false);
  c.remove("years.start");  // the start is the latest map
  if (!c.has("years.end") && map_years.size() >= 2) {
    const int last = map_years.back();
    const int previous = map_years[map_years.size() - 2];
    c.set("years.end", static_cast<std::int64_t>(last + (last - previous)));
  }
  if (c.name().find("calibrated") == std::string::npos) c.set("name", c.name() + "-calibrated");
}

ScenarioCalibration calibrate_scenario(const scenario::Scenario& s, CalibrationOptions options,
                                       std::optional<std::uint64_t> seed, const Progress& progress) {
  const auto input = std::make_shared<const pipeline::StudyInput>(pipeline::load_study(s, progress.sub(0.0, 0.1)));
  options.base = scenario::sim_params(s);
  options.seed = seed ? *seed : static_cast<std::uint64_t>(s.get_int("seed"));
  ScenarioCalibration out = calibrate_study(input, s.get_text_list("suitability.drivers"), options,
                                            progress.sub(0.1, 1.0), s.context("study.maps"));
  out.scenario = s.with_absolute_paths();
  std::vector<int> years;
  for (const auto& m : input->study.maps) years.push_back(m.year);
  apply_calibration(out, input->study.classes, years, out.scenario);
  return out;
}

scenario::Scenario scenario_in(const ScenarioCalibration& calibration, const fs::path& folder) {
  scenario::Scenario c = calibration.scenario;
  for (const ClassFit& f : calibration.result.fits) {
    if (!f.boosted) continue;
    const std::string key = calibration.result.class_keys.at(static_cast<std::size_t>(f.class_id));
    c.set("suitability.model_files." + key, (fs::absolute(folder) / (key + ".xgb.json")).lexically_normal().string());
  }
  return c;
}

void write_model_files(const ScenarioCalibration& calibration, const fs::path& folder, bool overwrite) {
  for (const ClassFit& f : calibration.result.fits) {
    if (!f.boosted) continue;
    const std::string key = calibration.result.class_keys.at(static_cast<std::size_t>(f.class_id));
    io::atomic_write_text(folder / (key + ".xgb.json"), f.boosted->to_json(), overwrite);
  }
}

std::string calibrated_toml(const ScenarioCalibration& calibration, const fs::path& folder) {
  const CalibrationResult& r = calibration.result;
  std::ostringstream out;
  out << "# Calibrated by `parksim calibrate`: a complete scenario; `parksim run calibrated.toml --end YEAR` forecasts\n"
      << "# from the latest map.\n"
      << fmt::format("# Suitability fitted on the change {}-{} (drivers: {}), simulation tuned on {}-{} ({} "
                     "evaluations, objective {} {:.4f}), validated on {}-{}{}.\n",
                     r.fitted.first, r.fitted.second, fmt::join(calibration.drivers, ", "), r.tuned_on.first,
                     r.tuned_on.second, r.evaluations.size(), r.objective, r.best_objective, r.validated_on.first,
                     r.validated_on.second, r.validation_in_sample ? " (IN-SAMPLE: no independent date)" : "");
  for (const ClassFit& f : r.fits) {
    std::string holdout;
    for (const auto& [learner, auc] : f.holdout_auc) holdout += fmt::format("{}{} {:.3f}", holdout.empty() ? "" : ", ", learner, auc);
    out << fmt::format("# class '{}': {} cells changed to it; learner {}{}; training AUC {:.3f} (in-sample)\n",
                       r.class_keys.at(static_cast<std::size_t>(f.class_id)), f.changed_cells, f.learner,
                       holdout.empty() ? std::string() : fmt::format(" (out-of-sample AUC on {}: {})", f.holdout, holdout),
                       f.training_auc);
    std::string shares;
    for (const auto& [driver, share] : f.contributions) shares += fmt::format("{}{} {:.0f} %", shares.empty() ? "" : ", ", driver, 100.0 * share);
    out << "#   contributions: " << shares << "\n";
  }
  const auto& v = r.validation;
  out << fmt::format("# validation: Figure of Merit {:.4f} (persistence {:.4f}); total disagreement {:.4f} "
                     "(persistence {:.4f})\n",
                     v.model.fom.figure_of_merit, v.persistence.fom.figure_of_merit, v.model.disagreement.total,
                     v.persistence.disagreement.total);
  out << "# Demand: an area trend of the maps, chosen by a backtest when there are three or more (demand.method = "
         "\"auto\").\n\n";
  out << scenario_in(calibration, folder).with_paths_relative_to(folder).to_toml();
  return out.str();
}

void write_calibration(const ScenarioCalibration& calibration, const fs::path& dir, bool overwrite) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorCode::output, "cannot create the folder: " + ec.message(), Context{.path = dir.string()});
  const fs::path toml = dir / "calibrated.toml";
  const fs::path csv = dir / "calibration_metrics.csv";
  std::vector<fs::path> files = {toml, csv};
  for (const ClassFit& f : calibration.result.fits) {
    if (f.boosted) files.push_back(dir / (calibration.result.class_keys.at(static_cast<std::size_t>(f.class_id)) + ".xgb.json"));
  }
  if (!overwrite) {
    for (const auto& f : files) {
      if (fs::exists(f)) {
        throw Error(ErrorCode::output_exists, "output exists (use --overwrite)", Context{.path = f.string()});
      }
    }
  }
  write_model_files(calibration, dir, overwrite);
  io::atomic_write_text(toml, calibrated_toml(calibration, dir), overwrite);
  io::atomic_write_text(csv, metrics_csv(calibration.result), overwrite);
}

}  // namespace parksim::calibrate
