// calibrate: the engine's calibration of a study (calibrate::calibrate_study, calibrate::calibrate_scenario - what
// `parksim calibrate` runs) with the GIL released while it runs and the Python progress callable bridged to the
// engine's Progress (cancellation included); its result (fits, tuned parameters, search, validation) and the
// calibrated scenario (calibrated.toml) that `parksim run` forecasts with.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "bindings.hpp"
#include "calibrate/scenario_calibration.hpp"
#include "core/error.hpp"
#include "scenario/inputs.hpp"

namespace parksim::python {

namespace {

double param_value(const sim::Params& p, const std::string& name) {
  if (name == "neighbourhood_weight") return p.neighbourhood_weight;
  if (name == "inertia_adaptation") return p.inertia_adaptation;
  if (name == "patch_share") return p.patch_share;
  if (name == "patch_size_mean_cells") return p.patch_size_mean_cells;
  throw Error(ErrorCode::internal, "the calibration searches a parameter the bindings do not know: " + name);
}

}  // namespace

void bind_calibrate(py::module_& m) {
  using calibrate::CalibrationResult;
  using calibrate::ClassFit;
  using calibrate::ScenarioCalibration;

  m.def(
      "calibration_search_box",
      [] {
        std::vector<std::tuple<std::string, double, double>> out;
        for (const auto& d : calibrate::search_box()) out.emplace_back(d.name, d.min, d.max);
        return out;
      },
      "the searched sim parameters as [(name, min, max)], in the order of an evaluation's values");

  py::class_<ClassFit>(m, "ClassFit", "The suitability model of one growing class, fitted on the first interval.")
      .def_readonly("class_id", &ClassFit::class_id)
      .def_readonly("changed_cells", &ClassFit::changed_cells, "cells that became the class over the interval")
      .def_readonly("training_auc", &ClassFit::training_auc)
      .def_property_readonly(
          "raw_coefficients",
          [](const ClassFit& f) {
            py::dict d;
            for (const auto& [name, value] : f.raw_coefficients) d[py::str(name)] = value;
            return d;
          },
          "{driver: coefficient} in raw driver units, 'intercept' first")
      .def("__repr__", [](const ClassFit& f) {
        return "<ClassFit class " + std::to_string(f.class_id) + ", " + std::to_string(f.changed_cells) +
               " changed cells, AUC " + std::to_string(f.training_auc) + ">";
      });

  py::class_<CalibrationResult, std::shared_ptr<CalibrationResult>>(
      m, "CalibrationResult", "What calibrate::calibrate found: fits, tuned sim parameters, search, validation.")
      .def_readonly("years", &CalibrationResult::years)
      .def_readonly("class_keys", &CalibrationResult::class_keys, "the class key of each code (empty: class_<k>)")
      .def_readonly("fits", &CalibrationResult::fits, "growing classes, ascending class id")
      .def_property_readonly(
          "params",
          [](const CalibrationResult& r) {
            py::dict d;
            for (const auto& dim : calibrate::search_box()) d[py::str(dim.name)] = param_value(r.params, dim.name);
            d["patch_size_sd_cells"] = r.params.patch_size_sd_cells;
            return d;
          },
          "the [sim] values of the fragment: every searched parameter (the base value when not tuned) and "
          "patch_size_sd_cells")
      .def_readonly("tuned", &CalibrationResult::tuned, "names of the parameters actually searched")
      .def_property_readonly(
          "evaluations",
          [](const CalibrationResult& r) {
            const auto box = calibrate::search_box();
            py::dict d;
            for (std::size_t j = 0; j < box.size(); ++j) {
              py::list column;
              for (const auto& e : r.evaluations) column.append(e.values.at(j));
              d[py::str(box[j].name)] = column;
            }
            py::list objective;
            for (const auto& e : r.evaluations) objective.append(e.objective);
            d["objective"] = objective;
            return d;
          },
          "the search in run order as {column: list}: one column per searched parameter, then 'objective'")
      .def_readonly("best_objective", &CalibrationResult::best_objective)
      .def_readonly("grid_evaluations", &CalibrationResult::grid_evaluations,
                    "evaluations a full grid at the search's final resolution would need")
      .def_property_readonly("grid", [](const CalibrationResult& r) { return r.predicted.spec(); })
      .def_property_readonly(
          "predicted", [](py::object self) { return grid_view(self.cast<const CalibrationResult&>().predicted, self); },
          "predicted last map (uint8, 255 outside), read-only view of the result's memory (base = this object)")
      .def_readonly("validation", &CalibrationResult::validation,
                    "predicted vs observed last map, next to persistence (a ValidationResult)")
      .def_readonly("validation_in_sample", &CalibrationResult::validation_in_sample)
      .def_readonly("problems", &CalibrationResult::problems)
      .def("metrics_csv", &calibrate::metrics_csv, "the validation table as CSV (calibration_metrics.csv)");

  py::class_<ScenarioCalibration, std::shared_ptr<ScenarioCalibration>>(
      m, "ScenarioCalibration",
      "A calibrated study (calibrate::ScenarioCalibration): the calibration's result, the drivers fitted on, the "
      "findings, and - once applied to the study's scenario - the calibrated scenario.")
      .def_readonly("result", &ScenarioCalibration::result, "the CalibrationResult (a view into this object)")
      .def_readonly("drivers", &ScenarioCalibration::drivers, "the drivers the suitability was fitted on")
      .def_readonly("problems", &ScenarioCalibration::problems, "loading's and the calibration's findings")
      .def_property_readonly("scenario", [](const ScenarioCalibration& c) { return c.scenario; },
                             "a copy of the calibrated scenario (file paths absolute)")
      .def(
          "applied",
          [](const ScenarioCalibration& c, const pipeline::StudyInput& study, const scenario::Scenario& scenario) {
            auto out = std::make_shared<ScenarioCalibration>(c);
            out->scenario = scenario.with_absolute_paths();
            std::vector<int> years;
            for (const auto& map : study.study.maps) years.push_back(map.year);
            calibrate::apply_calibration(*out, study.study.classes, years, out->scenario);
            return out;
          },
          py::arg("study"), py::arg("scenario"),
          "A copy whose scenario is `scenario` (the study's, as files) with the calibrated keys set "
          "(calibrate::apply_calibration).")
      .def("toml", &calibrate::calibrated_toml, py::arg("folder"),
           "the text of calibrated.toml for a file in `folder` (paths relative to it)")
      .def(
          "write",
          [](const ScenarioCalibration& c, const std::filesystem::path& dir, bool overwrite) {
            call_without_gil(nullptr, [&] { calibrate::write_calibration(c, dir, overwrite); });
          },
          py::arg("dir"), py::arg("overwrite") = false,
          "writes dir/calibrated.toml and dir/calibration_metrics.csv; OutputExistsError when one exists and not "
          "overwrite");

  m.def(
      "calibrate_study",
      [](std::shared_ptr<pipeline::StudyInput> study, const scenario::Scenario& settings,
         std::vector<std::string> drivers, int budget, int runs_per_evaluation, std::uint64_t seed,
         std::int64_t sample_cells, double pattern_weight, double min_step, py::object progress) {
        calibrate::CalibrationOptions options;
        options.budget = budget;
        options.runs_per_evaluation = runs_per_evaluation;
        options.seed = seed;
        options.sample_cells = sample_cells;
        options.pattern_weight = pattern_weight;
        options.min_step = min_step;
        options.base = scenario::sim_params(settings);
        PyProgress bridge(std::move(progress));
        return call_without_gil(&bridge, [&] {
          return std::make_shared<ScenarioCalibration>(
              calibrate::calibrate_study(study, std::move(drivers), options, bridge.progress()));
        });
      },
      py::arg("study"), py::arg("settings"), py::arg("drivers") = std::vector<std::string>{}, py::kw_only(),
      py::arg("budget") = 40, py::arg("runs_per_evaluation") = 4, py::arg("seed") = 1, py::arg("sample_cells") = 5000,
      py::arg("pattern_weight") = 1.0, py::arg("min_step") = 1.0 / 32.0, py::arg("progress") = py::none(),
      "Calibrates a study (calibrate::calibrate_study) on `drivers` (DEFAULT all declared), the [sim] of `settings` "
      "as the base; options as calibrate::CalibrationOptions (ConfigError when out of range). progress(fraction, "
      "message) is called with the GIL held; returning False cancels (CancelledError). Releases the GIL.");

  m.def(
      "calibrate_scenario",
      [](const scenario::Scenario& scenario, int budget, int runs_per_evaluation, std::optional<std::uint64_t> seed,
         std::int64_t sample_cells, double pattern_weight, double min_step, py::object progress) {
        calibrate::CalibrationOptions options;
        options.budget = budget;
        options.runs_per_evaluation = runs_per_evaluation;
        options.sample_cells = sample_cells;
        options.pattern_weight = pattern_weight;
        options.min_step = min_step;
        PyProgress bridge(std::move(progress));
        const scenario::Scenario copy = scenario;
        return call_without_gil(&bridge, [&] {
          return std::make_shared<ScenarioCalibration>(
              calibrate::calibrate_scenario(copy, options, seed, bridge.progress()));
        });
      },
      py::arg("scenario"), py::kw_only(), py::arg("budget") = 40, py::arg("runs_per_evaluation") = 4,
      py::arg("seed") = py::none(), py::arg("sample_cells") = 5000, py::arg("pattern_weight") = 1.0,
      py::arg("min_step") = 1.0 / 32.0, py::arg("progress") = py::none(),
      "Calibrates a study scenario (calibrate::calibrate_scenario, exactly `parksim calibrate SCENARIO`): its "
      "suitability.drivers (DEFAULT all declared), its [sim] as the base, its seed unless `seed` is given. Releases "
      "the GIL.");
}

}  // namespace parksim::python
