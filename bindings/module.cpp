// The `_parksim` extension module: the engine's modules bound in their dependency order (DESIGN.md §3), so a
// binding only ever refers to types bound before it. The pure-Python package `parksim` is the public face.
#include "bindings.hpp"
#include "core/allocator.hpp"

PYBIND11_MODULE(_parksim, m) {
  m.doc() = "parksim engine core (C++). Use the `parksim` package; this module is its implementation.";
  m.attr("__version__") = PARKSIM_VERSION;
  // The engine's grids are reused instead of returned to the system at every free (core/allocator.hpp).
  m.attr("allocator_tuned") = parksim::tune_allocator();
  parksim::python::bind_core(m);
  parksim::python::bind_grid(m);
  parksim::python::bind_plan(m);
  parksim::python::bind_sim(m);
  parksim::python::bind_metrics(m);
  parksim::python::bind_report(m);
  parksim::python::bind_scenario(m);
  parksim::python::bind_study(m);
  parksim::python::bind_pipeline(m);
  parksim::python::bind_calibrate(m);
  parksim::python::bind_optimize(m);
}
