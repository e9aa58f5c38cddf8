// pipeline: run_scenario - the one call behind `parksim run` - and run_study (a study built in Python, the run's
// settings from a scenario), with the GIL released for the whole run and the Python progress callable bridged to
// the engine's Progress (cancellation included).
#include <memory>
#include <optional>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "pipeline/pipeline.hpp"

namespace parksim::python {

namespace {

// The overrides both calls take, and the bridged progress.
pipeline::RunOptions run_options(std::optional<std::uint64_t> seed, std::optional<int> runs, std::optional<int> threads,
                                 const PyProgress& bridge) {
  pipeline::RunOptions options;
  options.seed = seed;
  options.runs = runs;
  options.threads = threads;
  options.progress = bridge.progress();
  return options;
}

}  // namespace

void bind_pipeline(py::module_& m) {
  m.def(
      "run_scenario",
      [](const scenario::Scenario& scenario, std::optional<std::uint64_t> seed, std::optional<int> runs,
         std::optional<int> threads, py::object progress) {
        PyProgress bridge(std::move(progress));
        const pipeline::RunOptions options = run_options(seed, runs, threads, bridge);
        // The scenario is copied while the GIL is held: another Python thread may call set() on it meanwhile.
        const scenario::Scenario copy = scenario;
        return call_without_gil(&bridge, [&] {
          return std::make_shared<report::RunResult>(pipeline::run_scenario(copy, options));
        });
      },
      py::arg("scenario"), py::arg("seed") = py::none(), py::arg("runs") = py::none(), py::arg("threads") = py::none(),
      py::arg("progress") = py::none(),
      "Runs a scenario end to end (pipeline::run_scenario), exactly as `parksim run`. seed/runs/threads override the "
      "scenario's values. progress(fraction, message) is called with the GIL held; returning False cancels "
      "(CancelledError). Releases the GIL while the engine works.");

  m.def(
      "run_study",
      [](std::shared_ptr<pipeline::StudyInput> study, const scenario::Scenario& scenario, py::object progress) {
        PyProgress bridge(std::move(progress));
        const scenario::Scenario copy = scenario;
        return call_without_gil(&bridge, [&] {
          const pipeline::RunSpec spec = pipeline::run_spec(copy);
          // The study is copied: a run consumes its input, and the study stays usable for the next run.
          return std::make_shared<report::RunResult>(pipeline::run_study(*study, spec, bridge.progress()));
        });
      },
      py::arg("study"), py::arg("scenario"), py::arg("progress") = py::none(),
      "Runs a study with everything else from `scenario` (pipeline::run_spec: seed, runs, threads, years.end, "
      "[suitability], [demand], [sim]; its study keys are not read) - pipeline::run_study, the call behind `parksim "
      "run`. Releases the GIL while the engine works.");

  m.def(
      "run_ensemble",
      [](const scenario::Scenario& scenario, std::uint64_t first_run, std::optional<std::uint64_t> seed,
         std::optional<int> runs, std::optional<int> threads, py::object progress) {
        PyProgress bridge(std::move(progress));
        const pipeline::RunOptions options = run_options(seed, runs, threads, bridge);
        const scenario::Scenario copy = scenario;
        auto piece = call_without_gil(&bridge, [&] { return pipeline::run_ensemble(copy, first_run, options); });
        py::array_t<std::uint8_t> study({piece.study.rows(), piece.study.cols()});
        std::copy(piece.study.data(), piece.study.data() + piece.study.size(), study.mutable_data());
        py::dict out;
        out["ensemble"] = std::make_shared<sim::EnsembleResult>(std::move(piece.ensemble));
        out["study"] = study;
        out["classes"] = class_list(piece.classes);
        out["phase_ids"] = piece.phase_ids;
        out["problems"] = piece.problems;
        return out;
      },
      py::arg("scenario"), py::arg("first_run") = 0, py::arg("seed") = py::none(), py::arg("runs") = py::none(),
      py::arg("threads") = py::none(), py::arg("progress") = py::none(),
      "Runs only the simulation ensemble, runs first_run .. first_run + runs - 1 of the seed "
      "(pipeline::run_ensemble): a piece of the ensemble run_scenario(runs=N) runs, on the same input. Returns a "
      "dict of plain picklable values: ensemble (Ensemble; Ensemble.merge() joins consecutive pieces), study "
      "(uint8 (rows, cols), 1 inside the study area), classes, phase_ids (order of Ensemble.phase_full_year), "
      "problems (the preparation's; the runs' own are Ensemble.problems). Releases the GIL while the engine works.");
}

}  // namespace parksim::python
