#pragma once
// Shared pieces of the `_parksim` extension module: one bind_<module>() per engine module (called by module.cpp in
// the engine's dependency order), the zero-copy numpy view of engine memory, and the bridge from a Python progress
// callable to parksim::Progress.
//
// Conventions of every binding:
//  - long engine calls run with the GIL released (py::gil_scoped_release); nothing inside such a region touches a
//    Python object, results are allocated there and converted after the GIL is back;
//  - engine arrays are returned as read-only numpy views whose `base` is the Python object that owns the memory
//    (no copy); the view keeps that owner alive;
//  - parksim::Error becomes the Python exception class of its ErrorCode (core_bindings.cpp), with str() equal to
//    what the CLI prints after "parksim: error: ".

#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "core/progress.hpp"
#include "grid/grid.hpp"
#include "report/run_result.hpp"

namespace parksim::python {

namespace py = pybind11;

void bind_core(py::module_& m);
void bind_grid(py::module_& m);
void bind_plan(py::module_& m);
void bind_sim(py::module_& m);
void bind_metrics(py::module_& m);
void bind_report(py::module_& m);
void bind_scenario(py::module_& m);
void bind_study(py::module_& m);
void bind_pipeline(py::module_& m);
void bind_calibrate(py::module_& m);
void bind_optimize(py::module_& m);

/// The simulation classes as a list of dicts (id, code, key, name_en, name_zh, colour, built, fixed, landuse_codes).
py::list class_list(const std::vector<report::SimClass>& classes);

/// A read-only numpy view of `count` values at `data`, shaped `shape`, C order. `owner` must own the memory (the
/// view holds a reference to it and numpy reports it as `base`). No copy.
template <class T>
py::array readonly_view(const T* data, std::vector<py::ssize_t> shape, py::handle owner) {
  std::vector<py::ssize_t> strides(shape.size());
  py::ssize_t stride = static_cast<py::ssize_t>(sizeof(T));
  for (std::size_t i = shape.size(); i-- > 0;) {
    strides[i] = stride;
    stride *= shape[i];
  }
  py::array out(py::dtype::of<T>(), std::move(shape), std::move(strides), data, owner);
  py::detail::array_proxy(out.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return out;
}

/// A (rows, cols) read-only view of a grid owned by `owner`.
template <class T>
py::array grid_view(const grid::Grid<T>& grid, py::handle owner) {
  return readonly_view<T>(grid.data(), {grid.rows(), grid.cols()}, owner);
}

/// Bridges a Python callable `progress(fraction: float, message: str) -> bool | None` to parksim::Progress.
/// The callable is called with the GIL held (from whichever thread the engine reports on); returning False
/// cancels the run (the engine then throws Error(cancelled)). An exception raised by the callable also cancels,
/// and rethrow_if_failed() re-raises it in place of the engine's cancellation, so the caller sees their own error.
/// Construct and destroy with the GIL held; progress() may be used with the GIL released.
class PyProgress {
 public:
  explicit PyProgress(py::object callable);
  ~PyProgress();
  PyProgress(const PyProgress&) = delete;
  PyProgress& operator=(const PyProgress&) = delete;

  const Progress& progress() const noexcept { return m_progress; }
  /// Re-raises the callable's exception, if it raised one. Call with the GIL held.
  void rethrow_if_failed();

 private:
  struct State {
    py::object callable;
    std::mutex mutex;
    std::exception_ptr failure;
  };
  std::shared_ptr<State> m_state;
  Progress m_progress;
};

/// Runs `work` with the GIL released; when it throws Error(cancelled) because the Python callable failed, raises
/// the callable's exception instead. `progress` may be null (no callback).
template <class Work>
auto call_without_gil(PyProgress* progress, Work&& work) {
  try {
    py::gil_scoped_release release;
    return work();
  } catch (...) {
    if (progress != nullptr) progress->rethrow_if_failed();
    throw;
  }
}

}  // namespace parksim::python
