// calibrate: the engine's calibration of a study (calibrate::calibrate_study, calibrate::calibrate_scenario - what
// `parksim calibrate` runs) with the GIL released while it runs and the Python progress callable bridged to the
// engine's Progress (cancellation included); its result (fits, tuned parameters, search, validation) and the
// calibrated scenario (calibrated.toml) that `parksim run` forecasts with; the skill on a held-out map
// (calibrate::measure_skill - what `parksim skill` runs).
#include <algorithm>
#include <array>
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
#include "calibrate/skill.hpp"
#include "core/error.hpp"
#include "scenario/inputs.hpp"

namespace parksim::python {


namespace {

// {name: value} of (name, value) pairs, in their order.
py::dict named_values(const std::vector<std::pair<std::string, double>>& pairs) {
  py::dict d;
  for (const auto& [name, value] : pairs) d[py::str(name)] = value;
  return d;
}

// The options both Python calibrations take.
calibrate::CalibrationOptions calibration_options(int budget, int runs_per_evaluation, std::int64_t sample_cells,
                                                  double pattern_weight, double min_step, const std::string& learner,
                                                  const std::string& patches) {
  calibrate::CalibrationOptions options;
  options.budget = budget;
  options.runs_per_evaluation = runs_per_evaluation;
  options.sample_cells = sample_cells;
  options.pattern_weight = pattern_weight;
  options.min_step = min_step;
  options.learner = learner;
  options.patches = patches;
  return options;
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
      .def_readonly("training_auc", &ClassFit::training_auc, "AUC on the whole fitting sample (in-sample: not skill)")
      .def_readonly("learner", &ClassFit::learner, "the learner chosen out of sample: logistic, spline or boosted")
      .def_property_readonly(
          "holdout_auc",
          [](const ClassFit& f) { return named_values(f.holdout_auc); },
          "{learner: out-of-sample ROC AUC} of every learner tried")
      .def_readonly("holdout", &ClassFit::holdout, "how the out-of-sample AUC was measured")
      .def_property_readonly(
          "contributions",
          [](const ClassFit& f) { return named_values(f.contributions); },
          "{driver: share of the model's effect}")
      .def_property_readonly(
          "raw_coefficients",
          [](const ClassFit& f) { return named_values(f.raw_coefficients); },
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
            for (const auto& dim : calibrate::search_box()) d[py::str(dim.name)] = calibrate::search_value(r.params, dim.name);
            d["patch_size_sd_cells"] = r.params.patch_size_sd_cells;
            d["patch_sizes_cells"] = r.params.patch_sizes_cells;
            return d;
          },
          "the [sim] values of the fragment: every searched parameter (the base value when not tuned), "
          "patch_size_sd_cells and patch_sizes_cells (the drawn patch sizes; empty: lognormal)")
      .def_property_readonly("growth", &calibrate::growth_summary,
                             "how the growing classes grew over the fitting interval (organic growth, new patches "
                             "and their sizes) and how the calibrated simulation grows there")
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
         std::int64_t sample_cells, double pattern_weight, double min_step, const std::string& learner,
         const std::string& patches, py::object progress) {
        calibrate::CalibrationOptions options =
            calibration_options(budget, runs_per_evaluation, sample_cells, pattern_weight, min_step, learner, patches);
        options.seed = seed;
        options.base = scenario::sim_params(settings);
        PyProgress bridge(std::move(progress));
        return call_without_gil(&bridge, [&] {
          return std::make_shared<ScenarioCalibration>(
              calibrate::calibrate_study(study, std::move(drivers), options, bridge.progress()));
        });
      },
      py::arg("study"), py::arg("settings"), py::arg("drivers") = std::vector<std::string>{}, py::kw_only(),
      py::arg("budget") = 40, py::arg("runs_per_evaluation") = 4, py::arg("seed") = 1, py::arg("sample_cells") = 5000,
      py::arg("pattern_weight") = 0.0, py::arg("min_step") = 1.0 / 32.0, py::arg("learner") = "auto",
      py::arg("patches") = "observed", py::arg("progress") = py::none(),
      "Calibrates a study (calibrate::calibrate_study) on `drivers` (DEFAULT all declared), the [sim] of `settings` "
      "as the base; options as calibrate::CalibrationOptions (ConfigError when out of range). progress(fraction, "
      "message) is called with the GIL held; returning False cancels (CancelledError). Releases the GIL.");

  m.def(
      "calibrate_scenario",
      [](const scenario::Scenario& scenario, int budget, int runs_per_evaluation, std::optional<std::uint64_t> seed,
         std::int64_t sample_cells, double pattern_weight, double min_step, const std::string& learner,
         const std::string& patches, py::object progress) {
        const calibrate::CalibrationOptions options =
            calibration_options(budget, runs_per_evaluation, sample_cells, pattern_weight, min_step, learner, patches);
        PyProgress bridge(std::move(progress));
        const scenario::Scenario copy = scenario;
        return call_without_gil(&bridge, [&] {
          return std::make_shared<ScenarioCalibration>(
              calibrate::calibrate_scenario(copy, options, seed, bridge.progress()));
        });
      },
      py::arg("scenario"), py::kw_only(), py::arg("budget") = 40, py::arg("runs_per_evaluation") = 4,
      py::arg("seed") = py::none(), py::arg("sample_cells") = 5000, py::arg("pattern_weight") = 0.0,
      py::arg("min_step") = 1.0 / 32.0, py::arg("learner") = "auto", py::arg("patches") = "observed",
      py::arg("progress") = py::none(),
      "Calibrates a study scenario (calibrate::calibrate_scenario, exactly `parksim calibrate SCENARIO`): its "
      "suitability.drivers (DEFAULT all declared), its [sim] as the base, its seed unless `seed` is given. Releases "
      "the GIL.");

  using calibrate::SkillResult;
  const auto codes_of = [](const SkillResult& r, const std::vector<std::int64_t>& cells) {
    py::dict d;
    for (const auto& c : r.classes) d[py::int_(c.raster_value())] = cells.at(static_cast<std::size_t>(c.id));
    return d;
  };
  py::class_<SkillResult, std::shared_ptr<SkillResult>>(
      m, "SkillResult",
      "The skill of a study's model on a held-out map (calibrate::SkillResult): the calibration on the earlier maps, "
      "the expected map of the forecast ensemble and its validation next to persistence and proximity.")
      .def_readonly("holdout_year", &SkillResult::holdout_year)
      .def_readonly("reference_year", &SkillResult::reference_year, "the last map the model saw")
      .def_readonly("fitted_years", &SkillResult::fitted_years)
      .def_readonly("runs", &SkillResult::runs)
      .def_readonly("calibration", &SkillResult::calibration, "the ScenarioCalibration on the earlier maps")
      .def_readonly("validation", &SkillResult::validation, "a metrics ForecastValidation (class codes of the maps)")
      .def_readonly("problems", &SkillResult::problems)
      .def_property_readonly("own_quantity", [codes_of](const SkillResult& r) { return codes_of(r, r.own_quantity_cells); },
                             "{class code: cells} of the expected map at the model's own quantity")
      .def_property_readonly("observed_quantity",
                             [codes_of](const SkillResult& r) { return codes_of(r, r.observed_quantity_cells); },
                             "{class code: cells} of the held-out map (the diagnosis's quantity)")
      .def(
          "expected_map",
          [](const SkillResult& r, bool observed_quantity) {
            const grid::Grid<std::uint8_t>& ids = observed_quantity ? r.expected_observed : r.expected;
            std::array<std::uint8_t, 256> code_of;
            code_of.fill(255);
            for (const auto& c : r.classes) code_of[static_cast<std::size_t>(c.id)] = static_cast<std::uint8_t>(c.raster_value());
            py::array_t<std::uint8_t> out({ids.rows(), ids.cols()});
            std::transform(ids.data(), ids.data() + ids.size(), out.mutable_data(),
                           [&](std::uint8_t k) { return code_of[k]; });
            return out;
          },
          py::arg("observed_quantity") = false,
          "the expected map in class codes, 255 without data, a (rows, cols) uint8 copy; observed_quantity=True: "
          "the diagnosis's")
      .def(
          "rows",
          [](const SkillResult& r) {
            py::list quantity, model, measure, from_class, to_class, factor, unit, value, label;
            const auto optional = [](const std::optional<int>& v) { return v ? py::object(py::int_(*v)) : py::object(py::none()); };
            for (const calibrate::SkillRow& row : r.rows()) {
              quantity.append(row.quantity);
              model.append(row.model);
              measure.append(row.measure);
              from_class.append(optional(row.from_class));
              to_class.append(optional(row.to_class));
              factor.append(optional(row.factor));
              unit.append(row.unit);
              value.append(row.value);
              label.append(row.label);
            }
            py::dict d;
            d["quantity"] = quantity;
            d["model"] = model;
            d["measure"] = measure;
            d["from_class"] = from_class;
            d["to_class"] = to_class;
            d["factor"] = factor;
            d["unit"] = unit;
            d["value"] = value;
            d["label"] = label;
            return d;
          },
          "the rows of skill.csv as {column: list}: quantity, model, measure, from_class, to_class, factor, unit, "
          "value, label")
      .def("csv", &calibrate::skill_csv, "the text of skill.csv")
      .def("table", &calibrate::skill_table, "the table `parksim skill` prints");

  m.def(
      "measure_skill",
      [](const scenario::Scenario& scenario, int holdout, const std::filesystem::path& out, bool overwrite, int runs,
         std::optional<std::uint64_t> seed, std::optional<int> threads, int budget, int runs_per_evaluation,
         const std::string& learner, int proximity_draws, double pattern_weight, const std::string& patches,
         py::object progress) {
        calibrate::SkillOptions options;
        options.holdout_year = holdout;
        options.runs = runs;
        options.seed = seed;
        options.threads = threads;
        options.calibration.budget = budget;
        options.calibration.runs_per_evaluation = runs_per_evaluation;
        options.calibration.learner = learner;
        options.calibration.pattern_weight = pattern_weight;
        options.calibration.patches = patches;
        options.proximity_draws = proximity_draws;
        PyProgress bridge(std::move(progress));
        const scenario::Scenario copy = scenario;
        return call_without_gil(&bridge, [&] {
          auto r = std::make_shared<SkillResult>(calibrate::measure_skill(copy, options, out, overwrite, bridge.progress()));
          calibrate::write_skill(*r, out, overwrite);
          return r;
        });
      },
      py::arg("scenario"), py::arg("holdout"), py::arg("out"), py::kw_only(), py::arg("overwrite") = false,
      py::arg("runs") = 10, py::arg("seed") = py::none(), py::arg("threads") = py::none(), py::arg("budget") = 40,
      py::arg("runs_per_evaluation") = 4, py::arg("learner") = "auto", py::arg("proximity_draws") = 10,
      py::arg("pattern_weight") = 0.0, py::arg("patches") = "observed",
      py::arg("progress") = py::none(),
      "The skill on a held-out map (calibrate::measure_skill + write_skill, exactly `parksim skill SCENARIO "
      "--holdout YEAR --out DIR`). Releases the GIL.");
}

}  // namespace parksim::python
