// pipeline: run_scenario - the one call behind `parksim run` - with the GIL released for the whole run and the
// Python progress callable bridged to the engine's Progress (cancellation included).
#include <memory>
#include <optional>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "pipeline/pipeline.hpp"

namespace parksim::python {

void bind_pipeline(py::module_& m) {
  m.def(
      "run_scenario",
      [](const scenario::Scenario& scenario, std::optional<std::uint64_t> seed, std::optional<int> runs,
         std::optional<int> threads, py::object progress) {
        PyProgress bridge(std::move(progress));
        pipeline::RunOptions options;
        options.seed = seed;
        options.runs = runs;
        options.threads = threads;
        options.progress = bridge.progress();
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
}

}  // namespace parksim::python
