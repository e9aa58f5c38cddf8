// optimize: the plan search (optimize::optimize_scenario - what `parksim optimize` runs) and its result: the Pareto
// front and the hypervolume history as {column: list} for pandas, the text outputs, and the writer of the folder.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <pybind11/numpy.h>
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
  for (std::size_t i = 0; i < r.front.size(); ++i) names.append(optimize::solution_name(i));
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

// A Solution as the plain picklable value a Dask task returns: (levers, mean, sd, feasible, violation), lists of
// floats (NaN where no run gives a value).
py::tuple plain(const optimize::Solution& s) {
  return py::make_tuple(s.levers, s.mean, s.sd, s.feasible, s.violation);
}

optimize::Solution solution_from(const py::handle& value) {
  const auto wrong = [&] {
    return Error(ErrorCode::usage,
                 "the plan search's evaluate function must return, per setting, a (levers, mean, sd, feasible, "
                 "violation) tuple as OptimizeEvaluator.evaluate does, not " +
                     py::repr(value).cast<std::string>().substr(0, 200));
  };
  if (!PySequence_Check(value.ptr()) || py::isinstance<py::str>(value) || py::len(value) != 5) throw wrong();
  try {
    const auto t = py::reinterpret_borrow<py::sequence>(value);
    optimize::Solution s;
    s.levers = t[0].cast<std::vector<double>>();
    s.mean = t[1].cast<std::vector<double>>();
    s.sd = t[2].cast<std::vector<double>>();
    s.feasible = t[3].cast<bool>();
    s.violation = t[4].cast<double>();
    return s;
  } catch (const py::cast_error&) {
    throw wrong();
  }
}

// OptimizeOptions::evaluate calling a Python callable(scenario, settings) from the engine's thread (the GIL is
// released around the search, so it is taken here for the call and the conversions). What the callable raises
// propagates as it is.
optimize::BatchEvaluation python_evaluation(py::handle callable) {
  return [callable](const scenario::Scenario& searched, const std::vector<std::vector<double>>& settings) {
    py::gil_scoped_acquire gil;
    const py::object got = callable(py::cast(searched, py::return_value_policy::copy), py::cast(settings));
    if (!py::hasattr(got, "__iter__")) {
      throw Error(ErrorCode::usage, "the plan search's evaluate function must return a list, one value per setting, "
                                    "not " + py::repr(got).cast<std::string>().substr(0, 200));
    }
    std::vector<optimize::Solution> out;
    for (const py::handle item : got) out.push_back(solution_from(item));
    return out;
  };
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
      .def_property_readonly(
          "map_names",
          [](const OptimizeResult& r) {
            std::vector<std::string> out;
            for (const auto& m : r.maps) out.push_back(optimize::solution_name(m.solution));
            if (r.start_map.size() > 0) out.emplace_back("scenario");
            return out;
          },
          "the solutions with a map of developed land (optimize.maps of them, spread over the front), then "
          "\"scenario\" (the scenario's own setting); empty when optimize.maps = 0")
      .def_property_readonly("map_year", [](const OptimizeResult& r) { return r.map_year; },
                             "the year of the maps (the run's end year)")
      .def_property_readonly(
          "map_grid",
          [](const OptimizeResult& r) -> py::object {
            if (r.start_map.size() == 0) return py::none();
            return py::cast(r.start_map.spec());
          },
          "the GridSpec of the maps (None without maps)")
      .def(
          "developed_map",
          [](const OptimizeResult& r, const std::string& name) {
            const grid::Grid<std::uint8_t>* map = nullptr;
            if (name == "scenario" && r.start_map.size() > 0) map = &r.start_map;
            for (const auto& m : r.maps) {
              if (optimize::solution_name(m.solution) == name) map = &m.developed_pct;
            }
            if (map == nullptr) {
              throw Error(ErrorCode::usage,
                          fmt::format("no map is kept for '{}': maps are kept for {} solution(s) of the front and the "
                                      "scenario's own setting (map_names; optimize.maps sets how many); run "
                                      "solutions/{}.toml with parksim.run for its maps",
                                      name, r.maps.size(), name));
            }
            py::array_t<std::uint8_t> out({map->spec().rows, map->spec().cols});
            std::copy(map->values().data(), map->values().data() + map->size(), out.mutable_data());
            return out;
          },
          py::arg("name"),
          "the map of developed land of solution `name` (\"solution_NN\" or \"scenario\") in map_year: a (rows, cols) "
          "uint8 array, per cell the percentage (0-100) of the evaluation's runs in which the cell is in a built "
          "class, 255 outside the study area - what the report page shows. UsageError for a solution without a "
          "kept map (see map_names)")
      .def_property_readonly("scenario", [](const OptimizeResult& r) { return r.scenario; },
                             "the scenario searched: overrides applied, absolute paths, years.start set")
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
         std::optional<std::string> algorithm, py::object progress, py::object evaluate) {
        optimize::OptimizeOptions options;
        if (!evaluate.is_none()) {
          if (!PyCallable_Check(evaluate.ptr())) {
            throw Error(ErrorCode::usage, "evaluate must be a callable(scenario, settings) or None");
          }
          options.evaluate = python_evaluation(evaluate);  // `evaluate` outlives the call
        }
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
      py::arg("algorithm") = py::none(), py::arg("progress") = py::none(), py::arg("evaluate") = py::none(),
      "The plan search of the scenario's [optimize] table (optimize::optimize_scenario, exactly `parksim optimize`). "
      "Releases the GIL. `evaluate(scenario, settings)`, when given, evaluates the search's batches instead of this "
      "process's threads: `scenario` is the searched Scenario (OptimizeResult.scenario), `settings` a list of lever "
      "value lists; it returns per setting, in order, what OptimizeEvaluator(scenario).evaluate(settings) returns "
      "(parksim.optimize(client=...) sends them to Dask workers). It is called with the GIL held; what it raises "
      "propagates.");

  py::class_<optimize::Evaluator, std::shared_ptr<optimize::Evaluator>>(
      m, "OptimizeEvaluator",
      "Evaluates lever settings of a searched scenario exactly as the plan search does (optimize::Evaluator): the "
      "study is loaded on the first evaluation and kept, with the drivers and suitability when no lever changes "
      "them, for the next ones - what a Dask worker keeps between batches. Calls may come from several threads.")
      .def(py::init([](const scenario::Scenario& searched) {
             py::gil_scoped_release release;
             return std::make_shared<optimize::Evaluator>(searched);
           }),
           py::arg("scenario"),
           "`scenario` as OptimizeResult.scenario (overrides applied, absolute paths, years.start set). Raises "
           "ConfigError for a bad [optimize] table.")
      .def_property_readonly("scenario", [](const optimize::Evaluator& e) { return e.scenario(); },
                             "the searched scenario (a copy)")
      .def_property_readonly("levers", [](const optimize::Evaluator& e) { return optimize::lever_columns(e.spec()); })
      .def_property_readonly("indicators",
                             [](const optimize::Evaluator& e) { return optimize::indicator_columns(e.spec()); })
      .def(
          "evaluate",
          [](optimize::Evaluator& e, const std::vector<std::vector<double>>& settings, int threads) {
            std::vector<optimize::Solution> out;
            {
              py::gil_scoped_release release;
              out = e.evaluate(settings, threads);
            }
            py::list values;
            for (const auto& s : out) values.append(plain(s));
            return values;
          },
          py::arg("settings"), py::kw_only(), py::arg("threads") = 1,
          "Evaluates `settings` (lists of lever values, in the order of `levers`) on `threads` engine threads (0 = all "
          "cores): per setting, in order, a (levers, mean, sd, feasible, violation) tuple - means and sample sds per "
          "indicator (NaN: no value), whether it meets the constraints and by how much it misses them. Plain "
          "picklable values; the same values at any thread count. Releases the GIL.");
}

}  // namespace parksim::python
