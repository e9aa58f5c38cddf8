// sim: the ensemble of simulation runs as integer counts (sim::EnsembleResult) - the piece of an ensemble that
// travels between processes (picklable) and merges with the next piece (sim::merge) into exactly the ensemble
// run in one call. Counts are a zero-copy numpy view.
#include <cstring>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "core/error.hpp"
#include "sim/ensemble.hpp"

namespace parksim::python {

namespace {

using sim::EnsembleResult;

py::tuple get_state(const EnsembleResult& e) {
  py::bytes counts(reinterpret_cast<const char*>(e.class_counts.data()),
                   e.class_counts.size() * sizeof(std::uint16_t));
  return py::make_tuple(e.seed, e.first_run, e.runs, e.class_count, e.start_year, e.end_year, py::cast(e.spec),
                        counts, e.phase_full_year, e.unmet_cells, e.problems);
}

EnsembleResult set_state(const py::tuple& t) {
  if (t.size() != 11) throw Error(ErrorCode::usage, "not a pickled parksim Ensemble", Context{.key = "state"});
  EnsembleResult e;
  e.seed = t[0].cast<std::uint64_t>();
  e.first_run = t[1].cast<std::uint64_t>();
  e.runs = t[2].cast<std::uint64_t>();
  e.class_count = t[3].cast<int>();
  e.start_year = t[4].cast<int>();
  e.end_year = t[5].cast<int>();
  e.spec = t[6].cast<grid::GridSpec>();
  const std::string counts = t[7].cast<std::string>();
  const auto expected = static_cast<std::size_t>(e.spec.cell_count() * e.class_count) * sizeof(std::uint16_t);
  if (counts.size() != expected) {
    throw Error(ErrorCode::usage, "a pickled parksim Ensemble whose counts do not fit its grid", Context{.key = "state"});
  }
  e.class_counts.resize(counts.size() / sizeof(std::uint16_t));
  std::memcpy(e.class_counts.data(), counts.data(), counts.size());
  e.phase_full_year = t[8].cast<std::vector<std::vector<int>>>();
  e.unmet_cells = t[9].cast<std::vector<std::int64_t>>();
  e.problems = t[10].cast<std::vector<Problem>>();
  return e;
}

}  // namespace

void bind_sim(py::module_& m) {
  m.attr("NOT_FILLED") = sim::not_filled;
  py::class_<EnsembleResult, std::shared_ptr<EnsembleResult>>(
      m, "Ensemble",
      "Runs first_run .. first_run + runs - 1 of one seed (sim::EnsembleResult): per cell, how many runs ended in "
      "each class; per run, the year each phase filled up. Picklable; merge() appends the following runs.")
      .def_readonly("seed", &EnsembleResult::seed)
      .def_readonly("first_run", &EnsembleResult::first_run)
      .def_readonly("runs", &EnsembleResult::runs)
      .def_readonly("class_count", &EnsembleResult::class_count)
      .def_readonly("start_year", &EnsembleResult::start_year)
      .def_readonly("end_year", &EnsembleResult::end_year)
      .def_readonly("grid", &EnsembleResult::spec)
      .def_property_readonly(
          "counts",
          [](py::object self) {
            const auto& e = self.cast<const EnsembleResult&>();
            return readonly_view<std::uint16_t>(e.class_counts.data(), {e.class_count, e.spec.rows, e.spec.cols},
                                                self);
          },
          "(classes, rows, cols) uint16: runs whose final map has the class at the cell (read-only view, no copy)")
      .def_readonly("phase_full_year", &EnsembleResult::phase_full_year,
                    "[run][phase index]: year the phase filled up in that run (NOT_FILLED when it did not)")
      .def_readonly("unmet_cells", &EnsembleResult::unmet_cells, "[run]: unmet demand of the run, cells")
      .def_readonly("problems", &EnsembleResult::problems, "every run's Problems, in run order")
      .def(
          "probability",
          [](const EnsembleResult& e, int cls) {
            if (cls < 0 || cls >= e.class_count) {
              throw Error(ErrorCode::usage,
                          "class " + std::to_string(cls) + " is outside 0.." + std::to_string(e.class_count - 1),
                          Context{.key = "cls"});
            }
            auto owner = std::make_shared<grid::Grid<float>>(e.probability_grid(cls));
            py::object handle = py::cast(owner);
            return grid_view(*owner, handle);
          },
          py::arg("cls"), "(rows, cols) float32: share of runs ending in class `cls` (as RunResult.probability)")
      .def("phase_full_histogram", &EnsembleResult::phase_full_histogram, py::arg("phase_index"),
           "runs per fill-up year start_year..end_year of a phase, then the runs in which it did not fill up")
      .def(
          "merge",
          [](EnsembleResult& self, const EnsembleResult& next) { sim::merge(self, next); }, py::arg("next"),
          "Appends the runs that follow on (same seed, grid, classes and years; next.first_run == first_run + runs); "
          "the result equals the ensemble run in one call. ConfigError otherwise.")
      .def(py::pickle(&get_state, &set_state))
      .def("__repr__", [](const EnsembleResult& e) {
        return "<Ensemble runs " + std::to_string(e.first_run) + ".." + std::to_string(e.first_run + e.runs - 1) +
               " of seed " + std::to_string(e.seed) + ">";
      });

  // The float grid behind probability()'s view.
  py::class_<grid::Grid<float>, std::shared_ptr<grid::Grid<float>>>(m, "_FloatGrid");
}

}  // namespace parksim::python
