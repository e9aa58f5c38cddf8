// grid: GridSpec, the raster geometry every map of a run lies on (north-up, origin = upper-left corner, metres).
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "core/error.hpp"
#include "grid/grid.hpp"

namespace parksim::python {

void bind_grid(py::module_& m) {
  py::class_<grid::GridSpec>(m, "GridSpec",
                             "Where a grid lies: upper-left corner (m), square cell size (m), shape and CRS. "
                             "Row 0 is the northern row; flat index = row * cols + col.")
      .def(py::init([](double origin_x, double origin_y, double cell_size_m, int rows, int cols, std::string crs) {
             grid::GridSpec g{origin_x, origin_y, cell_size_m, cols, rows, std::move(crs)};
             g.validate();
             return g;
           }),
           py::arg("origin_x"), py::arg("origin_y"), py::arg("cell_size_m"), py::arg("rows"), py::arg("cols"),
           py::arg("crs") = "EPSG:4548",
           "A grid whose upper-left corner is (origin_x, origin_y), m. ConfigError for a non-positive cell size, "
           "negative shape or non-finite origin.")
      .def("__eq__", [](const grid::GridSpec& a, const grid::GridSpec& b) { return a == b; })
      .def(py::pickle(
          [](const grid::GridSpec& g) {
            return py::make_tuple(g.origin_x, g.origin_y, g.cell_size_m, g.rows, g.cols, g.crs);
          },
          [](const py::tuple& t) {
            if (t.size() != 6) throw Error(ErrorCode::usage, "not a pickled parksim GridSpec", Context{.key = "state"});
            return grid::GridSpec{t[0].cast<double>(), t[1].cast<double>(), t[2].cast<double>(), t[4].cast<int>(),
                                  t[3].cast<int>(), t[5].cast<std::string>()};
          }))
      .def_readonly("origin_x", &grid::GridSpec::origin_x)
      .def_readonly("origin_y", &grid::GridSpec::origin_y)
      .def_readonly("cell_size_m", &grid::GridSpec::cell_size_m)
      .def_readonly("rows", &grid::GridSpec::rows)
      .def_readonly("cols", &grid::GridSpec::cols)
      .def_readonly("crs", &grid::GridSpec::crs)
      .def_property_readonly("shape", [](const grid::GridSpec& g) { return py::make_tuple(g.rows, g.cols); })
      .def_property_readonly("cell_area_m2", &grid::GridSpec::cell_area_m2)
      .def_property_readonly(
          "bounds", [](const grid::GridSpec& g) { return py::make_tuple(g.min_x(), g.min_y(), g.max_x(), g.max_y()); },
          "(min_x, min_y, max_x, max_y) in the grid's CRS, m")
      .def_property_readonly(
          "geotransform",
          [](const grid::GridSpec& g) {
            return py::make_tuple(g.origin_x, g.cell_size_m, 0.0, g.origin_y, 0.0, -g.cell_size_m);
          },
          "GDAL geotransform (origin_x, cell, 0, origin_y, 0, -cell)")
      .def("__repr__", [](const grid::GridSpec& g) {
        return "<GridSpec " + std::to_string(g.rows) + " x " + std::to_string(g.cols) + " cells of " +
               std::to_string(g.cell_size_m) + " m, " + g.crs + ">";
      });
}

}  // namespace parksim::python
