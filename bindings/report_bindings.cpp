// report: RunResult - what a run produced - with its maps as zero-copy numpy views (the array's base is the
// RunResult object, which owns the memory), its tables as {column: list-or-array} dicts, its layers as attribute
// columns plus ISO WKB (the same layers and fields as results.gpkg), and write_bundle() for the output bundle.
#include <memory>
#include <set>

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "bindings.hpp"
#include "report/bundle.hpp"
#include "report/layers.hpp"
#include "report/run_result.hpp"

namespace parksim::python {

namespace {

using report::Answer;
using report::RunResult;
using report::answer_sentence;

template <class T>
py::array_t<T> to_array(const std::vector<T>& v) {
  py::array_t<T> out(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

const grid::Grid<std::uint8_t>& class_map(const RunResult& r, int year) {
  for (const auto& [y, map] : r.class_maps) {
    if (y == year) return map;
  }
  std::string years;
  for (const auto& entry : r.class_maps) years += (years.empty() ? "" : ", ") + std::to_string(entry.first);
  throw Error(ErrorCode::usage,
              "no land-use map of " + std::to_string(year) + " in this result; maps are kept for " + years +
                  " (the start year and outputs.key_years)",
              Context{.key = "year"});
}

int class_index(const RunResult& r, const py::object& cls) {
  if (py::isinstance<py::str>(cls)) {
    const auto key = cls.cast<std::string>();
    for (const auto& c : r.classes) {
      if (c.key == key) return c.id;
    }
    throw Error(ErrorCode::usage, "no simulation class '" + key + "' in this result", Context{.key = "cls"});
  }
  const int id = cls.cast<int>();
  if (id < 0 || id >= static_cast<int>(r.classes.size())) {
    throw Error(ErrorCode::usage,
                "class " + std::to_string(id) + " is outside 0.." + std::to_string(r.classes.size() - 1),
                Context{.key = "cls"});
  }
  return id;
}

py::object io_value(const io::Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return py::int_(*i);
  if (const auto* d = std::get_if<double>(&v)) return py::float_(*d);
  if (const auto* s = std::get_if<std::string>(&v)) return py::str(*s);
  return py::none();
}

py::dict layer_dict(const io::Layer& layer) {
  py::dict columns;
  std::vector<py::list> values(layer.fields.size());
  py::list fid, wkb;
  for (const auto& f : layer.features) {
    fid.append(f.fid);
    wkb.append(f.wkb.empty() ? py::object(py::none())
                             : py::object(py::bytes(reinterpret_cast<const char*>(f.wkb.data()), f.wkb.size())));
    for (std::size_t i = 0; i < layer.fields.size(); ++i) {
      values[i].append(i < f.values.size() ? io_value(f.values[i]) : py::object(py::none()));
    }
  }
  py::list labels;
  for (std::size_t i = 0; i < layer.fields.size(); ++i) {
    const auto& fd = layer.fields[i];
    columns[py::str(fd.name)] = values[i];
    labels.append(py::make_tuple(fd.name, fd.label_en, fd.label_zh, fd.unit));
  }
  py::dict d;
  d["name"] = layer.name;
  d["columns"] = columns;
  d["fields"] = labels;
  d["fid"] = fid;
  d["spatial"] = layer.geometry_type != io::GeometryType::none;
  d["wkb"] = wkb;
  d["crs"] = layer.crs.epsg ? py::object(py::str("EPSG:" + std::to_string(*layer.crs.epsg)))
                            : (layer.crs.wkt.empty() ? py::object(py::none()) : py::object(py::str(layer.crs.wkt)));
  return d;
}

}  // namespace

py::list class_list(const std::vector<report::SimClass>& classes) {
  py::list out;
  for (const auto& c : classes) {
    py::dict d;
    d["id"] = c.id;
    d["code"] = c.raster_value();
    d["key"] = c.key;
    d["name_en"] = c.name_en;
    d["name_zh"] = c.name_zh;
    d["colour"] = c.colour;
    d["built"] = c.built;
    d["fixed"] = c.fixed;
    d["landuse_codes"] = c.landuse_codes;
    out.append(d);
  }
  return out;
}

void bind_report(py::module_& m) {
  py::class_<RunResult, std::shared_ptr<RunResult>>(
      m, "RunResult",
      "What one scenario run produced (report::RunResult). Maps are read-only numpy views of its memory.")
      .def_readonly("scenario_name", &RunResult::scenario_name)
      .def_readonly("question", &RunResult::question)
      .def_readonly("description", &RunResult::description)
      .def_readonly("effective_scenario_toml", &RunResult::effective_scenario_toml)
      .def_readonly("input_files", &RunResult::input_files)
      .def_readonly("seed", &RunResult::seed)
      .def_readonly("runs", &RunResult::runs)
      .def_readonly("threads", &RunResult::threads)
      .def_readonly("start_year", &RunResult::start_year)
      .def_readonly("end_year", &RunResult::end_year)
      .def_readonly("key_years", &RunResult::key_years)
      .def_readonly("grid", &RunResult::grid)
      .def_readonly("problems", &RunResult::problems)
      .def_readonly("library_versions", &RunResult::library_versions)
      .def_readonly("phase_fillup_year", &RunResult::phase_fillup_year,
                    "phase id -> year it filled up in run 0 (-1 = not by the end)")
      .def_property_readonly(
          "answer",
          [](const RunResult& r) -> py::object {
            if (!r.answer) return py::none();
            const Answer& a = *r.answer;
            py::dict d;
            d["indicator"] = a.indicator;
            d["label_en"] = a.label_en;
            d["unit"] = a.unit;
            d["year"] = a.year;
            d["runs"] = a.runs;
            d["mean"] = a.mean;
            d["sd"] = a.sd;
            d["runs_without_value"] = a.runs_without_value;
            d["baseline"] = a.baseline_name;
            d["baseline_mean"] = a.baseline_mean;
            d["baseline_sd"] = a.baseline_sd;
            d["sentence"] = answer_sentence(a, r.end_year);
            return d;
          },
          "the answering indicator over the runs and against the compared scenario ([answer]), as a dict; None "
          "without [answer]")
      .def_property_readonly("plan", [](const RunResult& r) { return std::make_shared<plan::Plan>(r.plan); },
                             "a copy of the plan the run used")
      .def_property_readonly("years",
                             [](const RunResult& r) {
                               std::vector<int> years;
                               for (const auto& entry : r.class_maps) years.push_back(entry.first);
                               return years;
                             },
                             "years with a land-use map (start year and key years), ascending")
      .def_property_readonly("classes", [](const RunResult& r) { return class_list(r.classes); },
                             "the simulation classes: dicts id, code (value in rasters), key, name_en, name_zh, colour, built, fixed, "
                             "landuse_codes")
      .def(
          "drivers",
          [](py::object self) {
            const auto& r = self.cast<const RunResult&>();
            py::dict out;
            for (const auto& d : r.drivers) out[py::str(d.name)] = grid_view(d.values, self);
            return out;
          },
          "The suitability drivers at the start year: name -> float32 (rows, cols), read-only views, no copy "
          "(distances in m, capped at suitability.max_distance_m).")
      .def_property_readonly("driver_units",
                             [](const RunResult& r) {
                               py::dict out;
                               for (const auto& d : r.drivers) out[py::str(d.name)] = d.unit;
                               return out;
                             })
      .def(
          "landuse",
          [](py::object self, int year) {
            const auto& r = self.cast<const RunResult&>();
            return grid_view(class_map(r, year), self);
          },
          py::arg("year"),
          "Simulation class per cell (uint8, 255 = outside) at the end of `year` (run 0): a read-only view, no copy.")
      .def_property_readonly("is_ensemble", [](const RunResult& r) { return r.ensemble.has_value(); })
      .def(
          "probability",
          [](py::object self, py::object cls) {
            const auto& r = self.cast<const RunResult&>();
            if (!r.ensemble) {
              throw Error(ErrorCode::usage, "probability maps need an ensemble (runs > 1); this result has 1 run",
                          Context{.key = "runs"});
            }
            const int k = class_index(r, cls);
            return grid_view(r.ensemble->probability[static_cast<std::size_t>(k)], self);
          },
          py::arg("cls"),
          "Share of runs (0..1, float32, NaN outside the study area) ending in class `cls` (id or key): a "
          "read-only view, no copy.")
      .def_property_readonly("fillup_years",
                             [](const RunResult& r) {
                               py::dict d;
                               if (r.ensemble) {
                                 for (const auto& [phase, years] : r.ensemble->fillup_years) {
                                   d[py::str(phase)] = to_array(years);
                                 }
                               }
                               return d;
                             },
                             "ensemble: phase id -> year each run filled it up (-1 = not by the end), in run order")
      .def("areas",
           [](const RunResult& r) {
             std::vector<int> year, cls;
             std::vector<double> area;
             py::list zone;
             for (const auto& a : r.areas) {
               year.push_back(a.year);
               cls.push_back(a.sim_class);
               area.push_back(a.area_m2);
               zone.append(a.zone);
             }
             py::dict d;
             d["year"] = to_array(year);
             d["zone"] = zone;
             d["sim_class"] = to_array(cls);
             d["area_m2"] = to_array(area);
             return d;
           })
      .def("indicators",
           [](const RunResult& r) {
             py::list scenario, id, zh, en, unit;
             std::vector<int> year;
             std::vector<double> value;
             for (const auto& i : r.indicators) {
               scenario.append(i.scenario);
               year.push_back(i.year);
               id.append(i.id);
               zh.append(i.label_zh);
               en.append(i.label_en);
               unit.append(i.unit);
               value.push_back(i.value);
             }
             py::dict d;
             d["scenario"] = scenario;
             d["year"] = to_array(year);
             d["indicator_id"] = id;
             d["label_zh"] = zh;
             d["label_en"] = en;
             d["unit"] = unit;
             d["value"] = to_array(value);
             return d;
           },
           "the rows of indicators.csv as columns")
      .def("allocation",
           [](const RunResult& r) -> py::object {
             if (!r.allocation) return py::none();
             const auto& a = *r.allocation;
             py::list name, kind, unit, achieved, target, slack, price, binding;
             for (const auto& c : a.constraints) {
               name.append(c.name);
               kind.append(c.kind);
               unit.append(c.unit);
               achieved.append(c.achieved);
               target.append(c.target);
               slack.append(c.slack);
               price.append(c.shadow_price);
               binding.append(c.binding);
             }
             py::dict rows;
             rows["name"] = name;
             rows["kind"] = kind;
             rows["unit"] = unit;
             rows["achieved"] = achieved;
             rows["target"] = target;
             rows["slack"] = slack;
             rows["shadow_price"] = price;
             rows["binding"] = binding;
             py::dict d;
             d["status"] = a.status;
             d["objective"] = a.objective;
             d["best_bound"] = a.best_bound;
             d["gap_pct"] = a.gap_pct;
             d["solve_seconds"] = a.solve_seconds;
             d["constraints"] = rows;
             d["diagnosis"] = a.diagnosis;
             return d;
           },
           "the allocation summary (status, objective, gap, constraint rows with shadow prices), or None")
      .def("validation",
           [](const RunResult& r) {
             py::list id, label, unit, model, persistence;
             for (const auto& v : r.validation) {
               id.append(v.id);
               label.append(v.label_en);
               unit.append(v.unit);
               model.append(v.model);
               persistence.append(v.persistence);
             }
             py::dict d;
             d["id"] = id;
             d["label_en"] = label;
             d["unit"] = unit;
             d["model"] = model;
             d["persistence"] = persistence;
             return d;
           })
      .def(
          "layer",
          [](const RunResult& r, const std::string& name) {
            auto layers = call_without_gil(nullptr, [&] { return report::result_layers(r); });
            for (const auto& l : layers) {
              if (l.name == name) return layer_dict(l);
            }
            std::string names;
            for (const auto& l : layers) names += (names.empty() ? "" : ", ") + l.name;
            throw Error(ErrorCode::usage, "no layer '" + name + "' in the results; there are " + names,
                        Context{.key = "layer"});
          },
          py::arg("name"),
          "One layer of results.gpkg: {'columns': {field: list}, 'wkb': [bytes|None], 'fid', 'crs', 'fields'}.")
      .def(
          "write",
          [](const RunResult& r, const std::filesystem::path& out_dir, const std::set<std::string>& formats,
             bool overwrite, bool rasters, bool html, py::object progress) {
            PyProgress bridge(std::move(progress));
            report::BundleOptions options;
            options.formats = formats;
            options.overwrite = overwrite;
            options.rasters = rasters;
            options.html = html;
            options.progress = &bridge.progress();
            call_without_gil(&bridge, [&] { report::write_bundle(r, out_dir, options); });
          },
          py::arg("out_dir"), py::arg("formats") = std::set<std::string>{"gpkg"}, py::arg("overwrite") = false,
          py::arg("rasters") = true, py::arg("html") = true, py::arg("progress") = py::none(),
          "Writes the output bundle (report::write_bundle), exactly as `parksim run --out DIR`. Releases the GIL.");
}

}  // namespace parksim::python
