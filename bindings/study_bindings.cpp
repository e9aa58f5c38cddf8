// study: what a run studies - pipeline::StudyInput, a study::Study with its study::DriverBuilder - made from a
// scenario (pipeline::load_study), or from numpy arrays and files (study::study_from_maps or study::build_study, and
// the declared drivers with in-memory sources); its maps, study area and drivers as numpy arrays; and the raster
// writers that turn an array study into files a scenario can name.
//
// Arrays given by the caller are copied ONCE, straight into the engine's grids (numpy casts while it copies: any
// integer map dtype, any numeric driver dtype, any memory layout); the study then owns its data, so nothing the
// caller does to the arrays afterwards reaches it. Arrays returned are read-only views of the study's memory whose
// base is the study. Checked here is only what the engine's types cannot represent (dimensions, a shape that is
// not the grid's, a dtype, values outside 0..255) and, when the caller gave a class table, codes outside it; the
// rest - two maps of one year, a map without data, an unknown class in a driver - is the engine's check, worded as
// for a scenario.
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "bindings.hpp"
#include "core/error.hpp"
#include "io/raster.hpp"
#include "pipeline/pipeline.hpp"
#include "scenario/inputs.hpp"
#include "study/layers.hpp"
#include "study/study.hpp"

namespace parksim::python {

namespace {

using pipeline::StudyInput;

py::module_ numpy() { return py::module_::import("numpy"); }

std::string shape_text(const py::array& a) {
  std::string out = "(";
  for (py::ssize_t d = 0; d < a.ndim(); ++d) out += (d > 0 ? ", " : "") + std::to_string(a.shape(d));
  return out + (a.ndim() == 1 ? ",)" : ")");
}

/// Where a raster on `spec` lies, for the io writers.
io::RasterGeometry raster_geometry(const grid::GridSpec& spec) {
  io::RasterGeometry g;
  g.origin_x = spec.origin_x;
  g.origin_y = spec.origin_y;
  g.cell_size = spec.cell_size_m;
  g.cell_height = spec.cell_height_m;
  g.cols = spec.cols;
  g.rows = spec.rows;
  if (!spec.crs.empty()) g.crs = io::CrsRef::from_text(spec.crs);
  return g;
}

/// `value` as a numpy array of the grid's shape (rows, cols); Error(data, where) naming `what` otherwise.
py::array grid_array(const py::object& value, const grid::GridSpec& spec, const std::string& what,
                     const Context& where) {
  const py::array a = numpy().attr("asarray")(value);
  if (a.ndim() != 2) {
    throw Error(ErrorCode::data,
                fmt::format("{} must be a 2-D array (rows, cols), not {}-D", what, a.ndim()), where);
  }
  if (a.shape(0) != spec.rows || a.shape(1) != spec.cols) {
    throw Error(ErrorCode::data,
                fmt::format("{} has shape {}, the grid has {} rows and {} columns", what, shape_text(a), spec.rows,
                            spec.cols),
                where);
  }
  return a;
}

/// `a` copied into a new grid on `spec`: one copy, numpy casting on the way (a writable view of the grid's memory
/// is the destination of numpy.copyto; the grid outlives the view).
template <class T>
grid::Grid<T> copy_to_grid(const py::array& a, const grid::GridSpec& spec) {
  grid::Grid<T> g(spec, T{});
  const py::capsule no_owner(g.data(), [](void*) {});
  const py::array view(py::dtype::of<T>(), {static_cast<py::ssize_t>(spec.rows), static_cast<py::ssize_t>(spec.cols)},
                       {static_cast<py::ssize_t>(spec.cols * sizeof(T)), static_cast<py::ssize_t>(sizeof(T))},
                       g.data(), no_owner);
  numpy().attr("copyto")(view, a, py::arg("casting") = "unsafe");
  return g;
}

/// A map of class codes: an integer array with values 0..255 (255 = no data).
grid::Grid<std::uint8_t> code_grid(const py::object& value, const grid::GridSpec& spec, int year) {
  const std::string what = fmt::format("the map of {}", year);
  const Context where{.key = fmt::format("maps[{}]", year)};
  const py::array a = grid_array(value, spec, what, where);
  const char kind = a.dtype().kind();
  if (kind != 'u' && kind != 'i') {
    throw Error(ErrorCode::data,
                fmt::format("{} has dtype {}; a land-use map holds integer class codes 0..254 (255 = no data), e.g. "
                            "numpy.uint8",
                            what, py::str(a.dtype()).cast<std::string>()),
                where);
  }
  if (!a.dtype().is(py::dtype::of<std::uint8_t>()) && a.size() > 0) {
    const auto np = numpy();
    const py::array bad =
        np.attr("argwhere")(np.attr("logical_or")(np.attr("less")(a, 0), np.attr("greater")(a, 255)));
    if (bad.shape(0) > 0) {
      const auto cell = bad.attr("__getitem__")(0).cast<std::pair<long, long>>();
      const auto v = a.attr("__getitem__")(py::make_tuple(cell.first, cell.second)).cast<long long>();
      throw Error(ErrorCode::data,
                  fmt::format("{} has value {} (first at row {}, column {}); class codes are 0..254 and 255 is no "
                              "data",
                              what, v, cell.first, cell.second),
                  where);
    }
  }
  return copy_to_grid<std::uint8_t>(a, spec);
}

/// A mask: any numeric or boolean array, non-zero = inside.
grid::Grid<std::uint8_t> mask_grid(const py::object& value, const grid::GridSpec& spec, const std::string& key) {
  const Context where{.key = key};
  const py::array a = grid_array(value, spec, "the " + key + " array", where);
  const char kind = a.dtype().kind();
  if (kind != 'b' && kind != 'u' && kind != 'i' && kind != 'f') {
    throw Error(ErrorCode::data,
                fmt::format("the {} array has dtype {}; give booleans or numbers (non-zero = inside)", key,
                            py::str(a.dtype()).cast<std::string>()),
                where);
  }
  // Booleans and bytes copy as they are (non-zero stays non-zero); wider values are compared with 0 first.
  if (a.dtype().itemsize() == 1 && kind != 'f') return copy_to_grid<std::uint8_t>(a, spec);
  return copy_to_grid<std::uint8_t>(numpy().attr("not_equal")(a, 0), spec);
}

/// A driver source: any numeric array.
grid::Grid<float> driver_grid(const py::object& value, const grid::GridSpec& spec, const std::string& name,
                              std::optional<int> year) {
  const std::string what =
      year ? fmt::format("the array of driver '{}' for {}", name, *year) : fmt::format("the array of driver '{}'", name);
  const Context where{.key = "drivers." + name};
  const py::array a = grid_array(value, spec, what, where);
  const char kind = a.dtype().kind();
  if (kind != 'b' && kind != 'u' && kind != 'i' && kind != 'f') {
    throw Error(ErrorCode::data,
                fmt::format("{} has dtype {}; drivers are numbers", what, py::str(a.dtype()).cast<std::string>()),
                where);
  }
  return copy_to_grid<float>(a, spec);
}

/// Codes of the maps that the caller's class table does not hold: Error(data) naming the map, the code and the
/// first cell, with the map's source when it was read from a file.
void require_declared_codes(const study::Study& s, const std::vector<study::ClassDeclaration>& declared) {
  std::set<int> codes;
  for (const auto& d : declared) codes.insert(d.code);
  std::vector<bool> undeclared(static_cast<std::size_t>(s.classes.count()), false);
  bool any = false;
  for (const auto& c : s.classes.classes()) {
    undeclared[static_cast<std::size_t>(c.id)] = codes.count(c.raster_value()) == 0;
    any = any || undeclared[static_cast<std::size_t>(c.id)];
  }
  if (!any) return;
  for (const auto& m : s.maps) {
    for (std::int64_t i = 0; i < m.classes.size(); ++i) {
      const std::uint8_t k = m.classes[i];
      if (k == study::no_class || !undeclared[k]) continue;
      const grid::Cell cell = s.spec.cell_of_index(i);
      Context where{.path = m.source, .key = fmt::format("maps[{}]", m.year)};
      where.coordinate = Coordinate{s.spec.col_centre_x(cell.col), s.spec.row_centre_y(cell.row)};
      throw Error(ErrorCode::data,
                  fmt::format("the map of {}: code {} (first at row {}, column {}) is not in the class table "
                              "(codes: {}); add it to the classes or set those cells to 255 (no data)",
                              m.year, s.classes[k].raster_value(), cell.row, cell.col, fmt::join(codes, ", ")),
                  where);
    }
  }
}

/// The class declarations of a study: [classes.codes], else the rows of classes.file.
std::vector<study::ClassDeclaration> declarations(const study::StudySpec& spec) {
  if (spec.classes.empty() && !spec.class_table.empty()) return study::read_class_csv(spec.class_table);
  return spec.classes;
}

/// In-memory driver sources: (year it takes effect, or none for "always"; array) per driver name.
using DriverArrays = std::vector<std::pair<std::string, std::vector<std::pair<std::optional<int>, py::object>>>>;

/// The study of `scenario` ([study] maps, mask and exclusion, [classes], [drivers], grid.crs), with what the caller
/// gives as arrays in place of files: `maps` (year, class codes) on `spec`, `mask` / `exclusion`, driver sources.
/// Without any array it is pipeline::load_study(scenario). `declared_only`: codes of array maps outside the
/// scenario's class table are an error (the caller gave a complete table; build_study holds rasters to it anyway).
std::shared_ptr<StudyInput> make_study(const scenario::Scenario& scenario, std::optional<grid::GridSpec> spec,
                                       const std::vector<std::pair<int, py::object>>& maps, const py::object& mask,
                                       const py::object& exclusion, const DriverArrays& drivers, bool declared_only,
                                       py::object progress) {
  PyProgress bridge(std::move(progress));
  const scenario::Scenario s = scenario;  // copied with the GIL held: another thread may set() the original
  if (maps.empty() && mask.is_none() && exclusion.is_none() && drivers.empty()) {
    return call_without_gil(&bridge, [&] {
      // A declared class table is complete for build_study too: it names the file of a code outside it.
      return std::make_shared<StudyInput>(pipeline::load_study(s, bridge.progress()));
    });
  }
  if (maps.empty() && (!mask.is_none() || !exclusion.is_none())) {
    throw Error(ErrorCode::usage, "a mask or exclusion array goes with maps given as arrays; with raster maps give "
                                  "them as files",
                Context{.key = mask.is_none() ? "exclusion" : "mask"});
  }
  if (!maps.empty() && !spec) {
    throw Error(ErrorCode::usage, "maps given as arrays need their grid: a GridSpec (origin, cell size, shape, CRS)",
                Context{.key = "grid"});
  }
  if (!s.get_path("geodata.path").empty()) {
    throw Error(ErrorCode::usage, "arrays go with a study of land-use maps, not with a plan dataset (geodata.path)",
                Context{.key = "geodata.path"});
  }
  // The arrays, copied into grids while the GIL is held (numpy does the copying).
  std::vector<std::pair<int, grid::Grid<std::uint8_t>>> codes;
  grid::Grid<std::uint8_t> mask_cells, exclusion_cells;
  if (spec) {
    spec->validate();
    for (const auto& [year, value] : maps) codes.emplace_back(year, code_grid(value, *spec, year));
    if (!mask.is_none()) mask_cells = mask_grid(mask, *spec, "mask");
    if (!exclusion.is_none()) exclusion_cells = mask_grid(exclusion, *spec, "exclusion");
  }
  ProblemReporter problems;
  auto input = call_without_gil(&bridge, [&] {
    auto out = std::make_shared<StudyInput>();
    for (const auto& f : s.files()) out->input_files.push_back(f.string());
    const study::StudySpec study_spec = scenario::study_spec(s);
    const std::vector<study::ClassDeclaration> declared = declarations(study_spec);
    bridge.progress().check(0.1, "building the study");
    if (codes.empty()) {
      for (const auto& m : study_spec.maps) out->input_files.push_back(m.path.string());
      out->study = study::build_study(study_spec, nullptr, problems);
    } else {
      if (!study_spec.mask.path.empty()) mask_cells = study::read_mask(study_spec.mask, *spec, problems);
      if (!study_spec.exclusion.path.empty()) exclusion_cells = study::read_mask(study_spec.exclusion, *spec, problems);
      out->study = study::study_from_maps(*spec, codes, declared, mask_cells, exclusion_cells, problems);
      if (study_spec.built) out->study.classes.set_built(*study_spec.built, study_spec.built_where);
      if (declared_only) require_declared_codes(out->study, declared);
    }
    return out;
  });
  // Driver arrays on the study's grid (known only now for raster maps), copied while the GIL is held.
  std::vector<study::DriverSpec> specs = scenario::driver_specs(s);
  for (const auto& [name, versions] : drivers) {
    const auto it = std::find_if(specs.begin(), specs.end(), [&](const study::DriverSpec& d) { return d.name == name; });
    if (it == specs.end()) {
      throw Error(ErrorCode::usage, fmt::format("driver '{}' has an array but no declaration (kind)", name),
                  Context{.key = "drivers." + name});
    }
    if (!it->sources.empty()) {
      throw Error(ErrorCode::config, fmt::format("driver '{}' has a source file and an array; give one", name),
                  it->where_declared);
    }
    for (const auto& [year, value] : versions) {
      study::DriverSource src;
      if (year) src.from_year = *year;
      src.values = driver_grid(value, input->study.spec, name, year);
      it->sources.push_back(std::move(src));
    }
  }
  for (const auto& d : specs) {
    for (const auto& src : d.sources) {
      if (!src.path.empty()) input->input_files.push_back(src.path.string());
    }
  }
  return call_without_gil(&bridge, [&] {
    bridge.progress().check(0.5, "preparing the drivers");
    input->drivers = std::make_shared<const study::DriverBuilder>(std::move(specs), input->study, nullptr,
                                                                  s.get_real("suitability.max_distance_m"), problems);
    input->problems = problems.sorted();
    bridge.progress().check(1.0, "study built");
    return input;
  });
}

}  // namespace

void bind_study(py::module_& m) {
  py::class_<StudyInput, std::shared_ptr<StudyInput>>(
      m, "StudyInput",
      "What a run studies (pipeline::StudyInput): the grid, classes, dated land-use maps, study area and exclusion "
      "(study::Study), the plan when there is one, and the declared drivers. Immutable once built; maps and grids "
      "are read-only views of its memory.")
      .def_property_readonly("grid", [](const StudyInput& s) { return s.study.spec; })
      .def_property_readonly("start_year", [](const StudyInput& s) { return s.study.start_year; })
      .def_property_readonly("years",
                             [](const StudyInput& s) {
                               std::vector<int> years;
                               for (const auto& m : s.study.maps) years.push_back(m.year);
                               return years;
                             },
                             "years of the observed maps, ascending (empty for a plan study without maps)")
      .def_property_readonly("classes", [](const StudyInput& s) { return class_list(s.study.classes.classes()); },
                             "the classes: dicts id, code, key, name_en, name_zh, colour, built, fixed, landuse_codes")
      .def_readonly("has_plan", &StudyInput::has_plan)
      .def_readonly("input_files", &StudyInput::input_files)
      .def_readonly("problems", &StudyInput::problems, "what building the study found")
      .def_property_readonly("driver_names", [](const StudyInput& s) { return s.drivers->names(); },
                             "the declared drivers, in declaration order")
      .def(
          "map",
          [](py::object self, int year) {
            const auto& s = self.cast<const StudyInput&>();
            if (year == s.study.start_year && s.study.maps.empty()) return grid_view(s.study.initial, self);
            for (const auto& m : s.study.maps) {
              if (m.year == year) return grid_view(m.classes, self);
            }
            std::vector<int> years;
            for (const auto& m : s.study.maps) years.push_back(m.year);
            throw Error(ErrorCode::usage,
                        fmt::format("the study has no map of {} (maps: {})", year,
                                    years.empty() ? std::string("none") : fmt::format("{}", fmt::join(years, ", "))),
                        Context{.key = "year"});
          },
          py::arg("year"),
          "class id per cell (uint8, 255 outside the study area) of the observed map of `year`: a read-only view")
      .def_property_readonly(
          "initial", [](py::object self) { return grid_view(self.cast<const StudyInput&>().study.initial, self); },
          "class id per cell at the start year (the latest map; 255 outside the study area): a read-only view")
      .def_property_readonly(
          "area", [](py::object self) { return grid_view(self.cast<const StudyInput&>().study.area, self); },
          "1 inside the study area (uint8): a read-only view")
      .def_property_readonly(
          "exclusion", [](py::object self) { return grid_view(self.cast<const StudyInput&>().study.exclusion, self); },
          "1 where land never changes (uint8): a read-only view")
      .def(
          "drivers",
          [](std::shared_ptr<StudyInput> s, std::optional<int> year, std::vector<std::string> names) {
            const int y = year ? *year : s->study.start_year;
            auto layers = std::make_shared<std::vector<study::DriverLayer>>(
                call_without_gil(nullptr, [&] { return s->drivers->build(y, s->study.initial, names); }));
            const py::capsule owner(new std::shared_ptr<std::vector<study::DriverLayer>>(layers), [](void* p) {
              delete static_cast<std::shared_ptr<std::vector<study::DriverLayer>>*>(p);
            });
            py::dict out;
            for (const auto& l : *layers) out[py::str(l.name)] = grid_view(l.values, owner);
            return out;
          },
          py::arg("year") = py::none(), py::arg("names") = std::vector<std::string>{},
          "The drivers `names` (DEFAULT all) of `year` (DEFAULT the start year), class distances measured on the "
          "start map: {name: float32 (rows, cols)} read-only arrays (computed; capped and transformed as declared).")
      .def(
          "write_map",
          [](const StudyInput& s, int year, const std::filesystem::path& path, bool overwrite) {
            const grid::Grid<std::uint8_t>* map = nullptr;
            for (const auto& m : s.study.maps) {
              if (m.year == year) map = &m.classes;
            }
            if (map == nullptr) {
              throw Error(ErrorCode::usage, fmt::format("the study has no map of {}", year), Context{.key = "year"});
            }
            call_without_gil(nullptr, [&] {
              std::vector<io::RasterClass> classes;
              std::array<std::uint8_t, 256> code_of{};
              code_of.fill(io::class_nodata);
              for (const auto& c : s.study.classes.classes()) {
                classes.push_back({c.raster_value(), c.name_en.empty() ? c.key : c.name_en, c.colour});
                code_of[static_cast<std::size_t>(c.id)] = static_cast<std::uint8_t>(c.raster_value());
              }
              std::vector<std::uint8_t> cells(static_cast<std::size_t>(map->size()));
              std::transform(map->data(), map->data() + map->size(), cells.begin(),
                             [&](std::uint8_t k) { return code_of[k]; });
              io::write_class_cog(path, raster_geometry(s.study.spec), cells, classes,
                                  io::RasterWriteOptions{.overwrite = overwrite});
            });
          },
          py::arg("year"), py::arg("path"), py::arg("overwrite") = false,
          "Writes the map of `year` as a Byte COG of the classes' codes (255 = no data, also outside the study "
          "area), with their names and colours, on the study's grid. OutputExistsError unless overwrite.")
      .def(
          "write_mask",
          [](const StudyInput& s, const std::string& which, const std::filesystem::path& path, bool overwrite) {
            if (which != "area" && which != "exclusion") {
              throw Error(ErrorCode::usage, "write_mask writes 'area' or 'exclusion', not '" + which + "'",
                          Context{.key = "which"});
            }
            const grid::Grid<std::uint8_t>& g = which == "area" ? s.study.area : s.study.exclusion;
            call_without_gil(nullptr, [&] {
              const std::vector<io::RasterClass> classes{{0, "outside", "#000000"}, {1, which, "#FFFFFF"}};
              io::write_class_cog(path, raster_geometry(s.study.spec),
                                  std::span<const std::uint8_t>(g.data(), static_cast<std::size_t>(g.size())), classes,
                                  io::RasterWriteOptions{.overwrite = overwrite});
            });
          },
          py::arg("which"), py::arg("path"), py::arg("overwrite") = false,
          "Writes the study area ('area') or the exclusion ('exclusion') as a Byte COG, 1 inside, 0 elsewhere.")
      .def("__repr__", [](const StudyInput& s) {
        std::vector<int> years;
        for (const auto& m : s.study.maps) years.push_back(m.year);
        return fmt::format("<StudyInput {} x {} cells, {} classes, maps {}, {} drivers{}>", s.study.spec.rows,
                           s.study.spec.cols, s.study.classes.count(),
                           years.empty() ? std::string("none") : fmt::format("{}", fmt::join(years, ", ")),
                           s.drivers->names().size(), s.has_plan ? ", with a plan" : "");
      });

  m.def("make_study", &make_study, py::arg("scenario"), py::arg("grid") = py::none(),
        py::arg("maps") = std::vector<std::pair<int, py::object>>{}, py::arg("mask") = py::none(),
        py::arg("exclusion") = py::none(), py::arg("drivers") = DriverArrays{}, py::arg("declared_only") = false,
        py::arg("progress") = py::none(),
        "The study of `scenario` with arrays in place of files (see parksim.study). Without arrays: "
        "pipeline::load_study. Releases the GIL while the engine builds it.");

  m.def(
      "write_value_raster",
      [](const std::filesystem::path& path, const grid::GridSpec& spec, const py::object& values, bool overwrite) {
        const grid::Grid<float> g = copy_to_grid<float>(grid_array(values, spec, "the array", Context{}), spec);
        call_without_gil(nullptr, [&] {
          io::write_real_cog(path, raster_geometry(spec),
                             std::span<const float>(g.data(), static_cast<std::size_t>(g.size())),
                             io::RasterWriteOptions{.overwrite = overwrite});
        });
      },
      py::arg("path"), py::arg("grid"), py::arg("values"), py::arg("overwrite") = false,
      "Writes a 2-D numeric array on `grid` as a Float32 COG (NaN = no data). OutputExistsError unless overwrite.");
}

}  // namespace parksim::python
