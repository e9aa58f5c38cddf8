// optimize: the plan search (optimize::optimize_scenario - what `parksim optimize` runs) and its result: the Pareto
// front and the hypervolume history as {column: list} for pandas, the text outputs, and the writer of the folder.
#include <cmath>

#include <fmt/format.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "bindings.hpp"
#include "optimize/optimize.hpp"

namespace parksim::python {

namespace {

using optimize::OptimizeResult;

py::object number(double v) { return std::isfinite(v) ? py::object(py::float_(v)) : py::object(py::none()); }

// The rows of pareto.csv as {column: list}; with the scenario's own setting as the last row when `with_start`.
py::dict front_rows(const OptimizeResult& r, bool with_start) {
  const auto levers = optimize::lever_columns(r.spec);
  const auto indicators = optimize::indicator_columns(r.spec);
  std::vector<const optimize::Solution*> rows;
  for (const auto& s : r.front) rows.push_back(&s);
  if (with_start) rows.push_back(&r.start);
  py::list names;
  for (std::size_t i = 0; i < r.front.size(); ++i) names.append(fmt::format("solution_{:02}", i + 1));
  if (with_start) names.append("scenario");
  py::dict out;
  out["solution"] = names;
  for (std::size_t l = 0; l < levers.size(); ++l) {
    py::list column;
    for (const auto* s : rows) column.append(number(s->levers[l]));
    out[py::str(levers[l])] = column;
  }
  for (std::size_t k = 0; k < indicators.size(); ++k) {
    py::list mean, sd;
    for (const auto* s : rows) {
      mean.append(number(s->mean[k]));
      sd.append(number(s->sd[k]));
    }
    out[py::str(indicators[k] + "_mean")] = mean;
    out[py::str(indicators[k] + "_sd")] = sd;
  }
  py::list feasible;
  for (const auto* s : rows) feasible.append(s->feasible);
  out["feasible"] = feasible;
  return out;
}

}  // namespace

void bind_optimize(py::module_& m) {
  py::class_<OptimizeResult, std::shared_ptr<OptimizeResult>>(
      m, "OptimizeResult", "A plan search's result (optimize::OptimizeResult): the Pareto front and its history.")
      .def_property_readonly("evaluations", [](const OptimizeResult& r) { return r.evaluations; },
                             "distinct lever settings evaluated")
      .def_property_readonly("levers", [](const OptimizeResult& r) { return optimize::lever_columns(r.spec); })
      .def_property_readonly("indicators", [](const OptimizeResult& r) { return optimize::indicator_columns(r.spec); },
                             "objectives, then constraints: '<indicator>[@year]'")
      .def_property_readonly("maximised", [](const OptimizeResult& r) {
        std::vector<bool> out;
        for (const auto& o : r.spec.objectives) out.push_back(o.maximise);
        return out;
      })
      .def_property_readonly("problems", [](const OptimizeResult& r) { return r.problems; })
      .def("front_rows", &front_rows, py::arg("with_start") = false,
           "the rows of pareto.csv as {column: list}; with_start adds the scenario's own setting as a last row")
      .def("history_rows",
           [](const OptimizeResult& r) {
             py::dict out;
             py::list g, e, f, h;
             for (const auto& x : r.history) {
               g.append(x.generation);
               e.append(x.evaluations);
               f.append(x.front_size);
               h.append(x.hypervolume);
             }
             out["generation"] = g;
             out["evaluations"] = e;
             out["front_size"] = f;
             out["hypervolume"] = h;
             return out;
           },
           "the rows of history.csv as {column: list}")
      .def("pareto_csv", &optimize::pareto_csv, "the text of pareto.csv")
      .def("history_csv", &optimize::history_csv, "the text of history.csv")
      .def("table", &optimize::front_table, py::arg("max_rows") = 0,
           "the front as the table `parksim optimize` prints (it shows max_rows = 20; 0 = every solution)")
      .def(
          "write",
          [](const OptimizeResult& r, const std::filesystem::path& out, bool overwrite) {
            py::gil_scoped_release release;
            optimize::write_optimize(r, out, overwrite);
          },
          py::arg("out"), py::arg("overwrite") = false,
          "writes pareto.csv, pareto.gpkg, history.csv, solutions/ and report/ into `out` (optimize::write_optimize)");

  m.def(
      "optimize_scenario",
      [](const scenario::Scenario& scenario, std::optional<std::uint64_t> seed, std::optional<int> threads,
         std::optional<int> generations, std::optional<int> population, std::optional<int> runs,
         std::optional<std::string> algorithm, py::object progress) {
        optimize::OptimizeOptions options;
        options.seed = seed;
        options.threads = threads;
        options.generations = generations;
        options.population = population;
        options.runs = runs;
        options.algorithm = algorithm;
        PyProgress bridge(std::move(progress));
        const scenario::Scenario copy = scenario;
        return call_without_gil(&bridge, [&] {
          return std::make_shared<OptimizeResult>(optimize::optimize_scenario(copy, options, bridge.progress()));
        });
      },
      py::arg("scenario"), py::kw_only(), py::arg("seed") = py::none(), py::arg("threads") = py::none(),
      py::arg("generations") = py::none(), py::arg("population") = py::none(), py::arg("runs") = py::none(),
      py::arg("algorithm") = py::none(), py::arg("progress") = py::none(),
      "The plan search of the scenario's [optimize] table (optimize::optimize_scenario, exactly `parksim optimize`). "
      "Releases the GIL.");
}

}  // namespace parksim::python
