// grid: GridSpec, the raster geometry every map of a run lies on (north-up, origin = upper-left corner, metres;
// cells square unless cell_height_m is set).
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "core/error.hpp"
#include "geom/crs.hpp"
#include "grid/grid.hpp"

namespace parksim::python {

void bind_grid(py::module_& m) {
  py::class_<grid::GridSpec>(m, "GridSpec",
                             "Where a grid lies: upper-left corner (m), cell width and height (m), shape and CRS. "
                             "Row 0 is the northern row; flat index = row * cols + col.")
      .def(py::init([](double origin_x, double origin_y, double cell_size_m, int rows, int cols, std::string crs,
                       double cell_height_m) {
             grid::GridSpec g{origin_x, origin_y, cell_size_m, cols, rows, std::move(crs), cell_height_m};
             if (!(cell_height_m >= 0.0)) {
               throw Error(ErrorCode::config, "cell_height_m must be >= 0 (0 = square cells)",
                           Context{.key = "cell_height_m"});
             }
             g.validate();
             return g;
           }),
           py::arg("origin_x"), py::arg("origin_y"), py::arg("cell_size_m"), py::arg("rows"), py::arg("cols"),
           py::arg("crs") = "EPSG:4548", py::arg("cell_height_m") = 0.0,
           "A grid whose upper-left corner is (origin_x, origin_y), m, of cells cell_size_m wide and cell_height_m "
           "high (DEFAULT 0: square cells). ConfigError for a non-positive cell size, negative shape or non-finite "
           "origin.")
      .def("__eq__", [](const grid::GridSpec& a, const grid::GridSpec& b) { return a == b; })
      .def(py::pickle(
          [](const grid::GridSpec& g) {
            return py::make_tuple(g.origin_x, g.origin_y, g.cell_size_m, g.rows, g.cols, g.crs, g.cell_height_m);
          },
          [](const py::tuple& t) {
            if (t.size() != 6 && t.size() != 7) {
              throw Error(ErrorCode::usage, "not a pickled parksim GridSpec", Context{.key = "state"});
            }
            return grid::GridSpec{t[0].cast<double>(), t[1].cast<double>(), t[2].cast<double>(), t[4].cast<int>(),
                                  t[3].cast<int>(), t[5].cast<std::string>(),
                                  t.size() == 7 ? t[6].cast<double>() : 0.0};
          }))
      .def_readonly("origin_x", &grid::GridSpec::origin_x)
      .def_readonly("origin_y", &grid::GridSpec::origin_y)
      .def_readonly("cell_size_m", &grid::GridSpec::cell_size_m, "cell width (x), m")
      .def_property_readonly("cell_height_m", &grid::GridSpec::cell_height,
                             "cell height (y), m: cell_size_m for square cells")
      .def_property_readonly("square_cells", &grid::GridSpec::square_cells)
      .def_readonly("rows", &grid::GridSpec::rows)
      .def_readonly("cols", &grid::GridSpec::cols)
      .def_readonly("crs", &grid::GridSpec::crs)
      .def_property_readonly(
          "crs_wkt",
          [](const grid::GridSpec& g) {
            return g.crs.empty() ? std::string() : geom::Crs::from_user_input(g.crs, Context{.key = "crs"}).to_wkt();
          },
          "the CRS as WKT2:2019 (PROJ); '' without CRS. CrsError when PROJ does not know it")
      .def_property_readonly("shape", [](const grid::GridSpec& g) { return py::make_tuple(g.rows, g.cols); })
      .def_property_readonly("cell_area_m2", &grid::GridSpec::cell_area_m2)
      .def_property_readonly(
          "bounds", [](const grid::GridSpec& g) { return py::make_tuple(g.min_x(), g.min_y(), g.max_x(), g.max_y()); },
          "(min_x, min_y, max_x, max_y) in the grid's CRS, m")
      .def_property_readonly(
          "geotransform",
          [](const grid::GridSpec& g) {
            return py::make_tuple(g.origin_x, g.cell_width(), 0.0, g.origin_y, 0.0, -g.cell_height());
          },
          "GDAL geotransform (origin_x, cell width, 0, origin_y, 0, -cell height)")
      .def("__repr__", [](const grid::GridSpec& g) {
        const std::string cells = g.square_cells() ? std::to_string(g.cell_size_m) + " m"
                                                   : std::to_string(g.cell_size_m) + " x " +
                                                         std::to_string(g.cell_height()) + " m";
        return "<GridSpec " + std::to_string(g.rows) + " x " + std::to_string(g.cols) + " cells of " + cells + ", " +
               g.crs + ">";
      });
}

}  // namespace parksim::python
