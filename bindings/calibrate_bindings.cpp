// calibrate: the engine's calibration from a time series of class maps (calibrate::calibrate), from numpy arrays or
// from raster files (calibrate::load_series), with the GIL released while it runs and the Python progress callable
// bridged to the engine's Progress (cancellation included).
//
// Arrays are copied once into the engine's grids while the GIL is held (the series then owns its data, so nothing
// the caller does to the arrays afterwards can reach the engine). What is checked here is only what the engine's
// types cannot represent (an array that is not 2-D, a shape that differs from the grid, a map dtype that is not an
// integer class code); everything else - fewer than 3 maps, years, class codes, non-finite drivers - is left to
// calibrate::Series::validate(), so Python and the CLI say the same thing.
#include <algorithm>
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
#include "calibrate/calibrate.hpp"
#include "core/error.hpp"
#include "sim/simulation.hpp"

namespace parksim::python {

namespace {

/// A series and what loading it found (driver nodata filled with the mean): the problems travel on to the
/// CalibrationResult, as `parksim calibrate` prints them. Immutable once built; shared with the result's call.
struct LoadedSeries {
  calibrate::Series series;
  std::vector<Problem> problems;
};

py::module_ numpy() { return py::module_::import("numpy"); }

Error data_error(const std::string& message, Context where) {
  return Error(ErrorCode::data, message, std::move(where));
}

std::string shape_text(const py::array& a) {
  std::string out = "(";
  for (py::ssize_t d = 0; d < a.ndim(); ++d) {
    if (d > 0) out += ", ";
    out += std::to_string(a.shape(d));
  }
  return out + ")";
}

/// `value` as a 2-D numpy array whose shape is the grid's; `what` names it in errors ("map of year 2005").
py::array two_d_array(const py::object& value, const grid::GridSpec* spec, const std::string& what,
                      const Context& where) {
  py::array a = numpy().attr("asarray")(value);
  if (a.ndim() != 2) {
    throw data_error(what + " must be a 2-D array (rows, cols), not " + std::to_string(a.ndim()) + "-D", where);
  }
  if (spec != nullptr && (a.shape(0) != spec->rows || a.shape(1) != spec->cols)) {
    throw data_error(what + " has shape " + shape_text(a) + ", the grid is (" + std::to_string(spec->rows) + ", " +
                         std::to_string(spec->cols) + ")",
                     where);
  }
  return a;
}

/// A class map: integer dtype, values 0..255 (codes, nodata included), copied onto `spec`.
grid::Grid<std::uint8_t> class_grid(const py::array& a, const grid::GridSpec& spec, const std::string& what,
                                    const Context& where) {
  const char kind = a.dtype().kind();
  if (kind != 'u' && kind != 'i') {
    throw data_error(what + " has dtype " + py::str(a.dtype()).cast<std::string>() +
                         "; class maps are integer arrays of class codes (uint8)",
                     where);
  }
  grid::Grid<std::uint8_t> g(spec, 0);
  if (a.dtype().is(py::dtype::of<std::uint8_t>())) {
    const auto c = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>::ensure(a);
    std::copy_n(c.data(), static_cast<std::size_t>(g.size()), g.data());
    return g;
  }
  const auto c = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(a);
  const std::int64_t* v = c.data();
  for (std::int64_t i = 0; i < g.size(); ++i) {
    if (v[i] < 0 || v[i] > 255) {
      throw data_error(what + " has value " + std::to_string(v[i]) + ", not a class code 0..255", where);
    }
    g[i] = static_cast<std::uint8_t>(v[i]);
  }
  return g;
}

/// The grid of a numpy series: a GridSpec (its shape must be the arrays') or a cell size in m (origin 0, 0, no CRS;
/// rows and cols from the arrays).
grid::GridSpec grid_of(const py::object& grid, int rows, int cols) {
  if (grid.is_none()) {
    throw Error(ErrorCode::usage, "arrays need grid=: a GridSpec (e.g. Result.grid) or a cell size in m",
                Context{.key = "grid"});
  }
  if (py::isinstance<grid::GridSpec>(grid)) return grid.cast<grid::GridSpec>();
  grid::GridSpec spec;
  spec.cell_size_m = grid.cast<double>();
  spec.rows = rows;
  spec.cols = cols;
  spec.validate();
  return spec;
}

std::shared_ptr<LoadedSeries> series_from_arrays(std::vector<std::pair<int, py::object>> maps, py::object grid,
                                                 std::vector<std::pair<std::string, py::object>> drivers,
                                                 py::object exclusion, std::optional<int> class_count, int nodata) {
  if (nodata < 0 || nodata > 255) {
    throw Error(ErrorCode::usage, "nodata must be a class code 0..255, not " + std::to_string(nodata),
                Context{.key = "nodata"});
  }
  std::stable_sort(maps.begin(), maps.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  auto out = std::make_shared<LoadedSeries>();
  calibrate::Series& s = out->series;
  s.nodata = static_cast<std::uint8_t>(nodata);
  std::optional<grid::GridSpec> spec;
  for (const auto& [year, value] : maps) {
    const std::string what = "the map of year " + std::to_string(year);
    const Context where{.layer = std::to_string(year), .key = "series.maps"};
    const py::array a = two_d_array(value, spec ? &*spec : nullptr, what, where);
    if (!spec) {
      spec = grid_of(grid, static_cast<int>(a.shape(0)), static_cast<int>(a.shape(1)));
      if (spec->rows != a.shape(0) || spec->cols != a.shape(1)) {
        throw data_error(what + " has shape " + shape_text(a) + ", the grid is (" + std::to_string(spec->rows) +
                             ", " + std::to_string(spec->cols) + ")",
                         where);
      }
    }
    s.maps.emplace_back(year, class_grid(a, *spec, what, where));
  }
  if (class_count) {
    s.class_count = *class_count;
  } else {
    // DEFAULT: largest code + 1. Capped at the engine's limit so that validate() names the map with a code above it.
    int max_code = -1;
    for (const auto& [year, map] : s.maps) {
      for (std::int64_t i = 0; i < map.size(); ++i) {
        if (map[i] != s.nodata && map[i] != sim::nodata_class) max_code = std::max(max_code, int{map[i]});
      }
    }
    s.class_count = std::clamp(max_code + 1, 1, sim::max_classes);
  }
  for (const auto& [name, value] : drivers) {
    const std::string what = "driver '" + name + "'";
    const Context where{.layer = name, .key = "series.drivers"};
    if (!spec) break;  // no map: validate() reports that
    const py::array a = two_d_array(value, &*spec, what, where);
    const char kind = a.dtype().kind();
    if (kind != 'f' && kind != 'i' && kind != 'u') {
      throw data_error(what + " has dtype " + py::str(a.dtype()).cast<std::string>() + "; drivers are numeric",
                       where);
    }
    const auto c = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(a);
    grid::Grid<float> g(*spec, 0.0F);
    std::copy_n(c.data(), static_cast<std::size_t>(g.size()), g.data());
    s.drivers.emplace_back(name, std::move(g));
  }
  if (!exclusion.is_none() && spec) {
    const Context where{.key = "series.exclusion"};
    const py::array a = two_d_array(exclusion, &*spec, "the exclusion mask", where);
    const auto mask = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>::ensure(
        numpy().attr("not_equal")(a, 0));
    s.exclusion = grid::Grid<std::uint8_t>(*spec, 0);
    std::copy_n(mask.data(), static_cast<std::size_t>(s.exclusion.size()), s.exclusion.data());
  }
  s.validate();
  return out;
}

std::shared_ptr<LoadedSeries> series_from_files(const std::vector<std::pair<std::optional<int>, std::string>>& maps,
                                                const std::vector<std::pair<std::string, std::string>>& drivers,
                                                const std::optional<std::string>& exclusion,
                                                const std::string& assume_crs) {
  std::vector<calibrate::MapFile> map_files;
  for (const auto& [year, path] : maps) {
    const std::optional<int> y = year ? year : calibrate::year_from_file_name(path);
    if (!y) {
      throw Error(ErrorCode::usage,
                  "no year for " + path + ": give {year: path} or put the year in the file name (landuse_2005.tif)",
                  Context{.path = path, .key = "maps"});
    }
    map_files.push_back({*y, path});
  }
  std::vector<calibrate::DriverFile> driver_files;
  for (const auto& [name, path] : drivers) driver_files.push_back({name, path});
  std::optional<std::filesystem::path> exclusion_path;
  if (exclusion) exclusion_path = *exclusion;
  auto out = std::make_shared<LoadedSeries>();
  out->series = call_without_gil(nullptr, [&] {
    return calibrate::load_series(map_files, driver_files, exclusion_path, assume_crs, &out->problems);
  });
  return out;
}

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

  py::class_<LoadedSeries, std::shared_ptr<LoadedSeries>>(
      m, "CalibrationSeries",
      "A validated time series of class maps on one grid, with driver grids and an exclusion mask "
      "(calibrate::Series). Owns copies of its data; maps and drivers are read-only views of it.")
      .def_property_readonly("years",
                             [](const LoadedSeries& l) {
                               std::vector<int> years;
                               for (const auto& [year, map] : l.series.maps) years.push_back(year);
                               return years;
                             })
      .def_property_readonly("grid", [](const LoadedSeries& l) { return l.series.maps.front().second.spec(); })
      .def_property_readonly("class_count", [](const LoadedSeries& l) { return l.series.class_count; })
      .def_property_readonly("nodata", [](const LoadedSeries& l) { return int{l.series.nodata}; })
      .def_property_readonly("driver_names",
                             [](const LoadedSeries& l) {
                               std::vector<std::string> names;
                               for (const auto& [name, values] : l.series.drivers) names.push_back(name);
                               return names;
                             })
      .def_property_readonly("has_exclusion", [](const LoadedSeries& l) { return l.series.exclusion.size() != 0; })
      .def_readonly("problems", &LoadedSeries::problems, "what loading found (driver nodata filled with the mean)")
      .def(
          "map",
          [](py::object self, int year) {
            const auto& l = self.cast<const LoadedSeries&>();
            for (const auto& [y, map] : l.series.maps) {
              if (y == year) return grid_view(map, self);
            }
            throw Error(ErrorCode::usage, "the series has no map for year " + std::to_string(year),
                        Context{.key = "year"});
          },
          py::arg("year"), "the class map of `year` (uint8, read-only view, no copy)")
      .def(
          "driver",
          [](py::object self, const std::string& name) {
            const auto& l = self.cast<const LoadedSeries&>();
            for (const auto& [n, values] : l.series.drivers) {
              if (n == name) return grid_view(values, self);
            }
            throw Error(ErrorCode::usage, "the series has no driver '" + name + "'", Context{.key = "driver"});
          },
          py::arg("name"), "the driver grid `name` (float32, read-only view, no copy)")
      .def("__repr__", [](const LoadedSeries& l) {
        const auto& first = l.series.maps.front();
        return "<CalibrationSeries " + std::to_string(l.series.maps.size()) + " maps " +
               std::to_string(first.first) + ".." + std::to_string(l.series.maps.back().first) + ", " +
               std::to_string(first.second.rows()) + " x " + std::to_string(first.second.cols()) + " cells, " +
               std::to_string(l.series.class_count) + " classes, " + std::to_string(l.series.drivers.size()) +
               " drivers>";
      });

  m.def("calibration_series", &series_from_arrays, py::arg("maps"), py::arg("grid"),
        py::arg("drivers") = std::vector<std::pair<std::string, py::object>>{}, py::arg("exclusion") = py::none(),
        py::arg("class_count") = py::none(), py::arg("nodata") = 255,
        "A CalibrationSeries from arrays: maps [(year, 2-D integer array of class codes)], grid a GridSpec or a cell "
        "size in m, drivers [(name, 2-D numeric array)], exclusion a 2-D "
        "array (non-zero = never changes), class_count DEFAULT largest code + 1, nodata DEFAULT 255. The arrays are "
        "copied. Raises DataError naming the year or driver at fault (calibrate::Series::validate).");

  m.def("load_calibration_series", &series_from_files, py::arg("maps"),
        py::arg("drivers") = std::vector<std::pair<std::string, std::string>>{}, py::arg("exclusion") = py::none(),
        py::arg("assume_crs") = "",
        "A CalibrationSeries from rasters (calibrate::load_series, as `parksim calibrate`): maps [(year or None, "
        "path)] (None: the year in the file name), drivers [(name, path)], exclusion path, assume_crs the CRS of "
        "rasters without one. Releases the GIL while reading.");

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
      .def("scenario_fragment", &calibrate::scenario_fragment_toml,
           "the tuned [sim] keys and the fitted coefficients as scenario TOML (calibration.toml)")
      .def("metrics_csv", &calibrate::metrics_csv, "the validation table as CSV (calibration_metrics.csv)")
      .def(
          "write",
          [](const CalibrationResult& r, const std::filesystem::path& dir, bool overwrite) {
            call_without_gil(nullptr, [&] { calibrate::write_scenario_fragment(r, dir, overwrite); });
          },
          py::arg("dir"), py::arg("overwrite") = false,
          "writes dir/calibration.toml and dir/calibration_metrics.csv; OutputExistsError when one exists and "
          "not overwrite");

  m.def(
      "calibrate",
      [](std::shared_ptr<LoadedSeries> series, int budget, int runs_per_evaluation, std::uint64_t seed,
         std::int64_t sample_cells, double max_distance_m, bool distance_to_class_driver, double pattern_weight,
         double min_step, std::vector<std::string> class_keys, py::object progress) {
        calibrate::CalibrationOptions options;
        options.class_keys = std::move(class_keys);
        options.budget = budget;
        options.runs_per_evaluation = runs_per_evaluation;
        options.seed = seed;
        options.sample_cells = sample_cells;
        options.max_distance_m = max_distance_m;
        options.distance_to_class_driver = distance_to_class_driver;
        options.pattern_weight = pattern_weight;
        options.min_step = min_step;
        PyProgress bridge(std::move(progress));
        return call_without_gil(&bridge, [&] {
          auto result = std::make_shared<CalibrationResult>(calibrate::calibrate(series->series, options,
                                                                                 bridge.progress()));
          result->problems.insert(result->problems.begin(), series->problems.begin(), series->problems.end());
          return result;
        });
      },
      py::arg("series"), py::kw_only(), py::arg("budget") = 40, py::arg("runs_per_evaluation") = 4,
      py::arg("seed") = 1, py::arg("sample_cells") = 5000, py::arg("max_distance_m") = 10000.0,
      py::arg("distance_to_class_driver") = true, py::arg("pattern_weight") = 1.0, py::arg("min_step") = 1.0 / 32.0,
      py::arg("class_keys") = std::vector<std::string>{}, py::arg("progress") = py::none(),
      "Calibrates the simulation on a CalibrationSeries (calibrate::calibrate, as `parksim calibrate`); options as "
      "calibrate::CalibrationOptions (ConfigError when out of range). progress(fraction, message) is called with "
      "the GIL held; returning False cancels (CancelledError). Releases the GIL while the engine works.");
}

}  // namespace parksim::python
