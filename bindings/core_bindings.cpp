// core: the error model as Python exceptions, Problems, units and the progress bridge.
//
// Exception classes are made here (not in the pure-Python package) so the translator can raise them directly; the
// package re-exports them. Each derives from ParksimError and from the builtin a Python user would catch for that
// kind of failure (ConfigError is a ValueError, IoError an OSError, ...), and carries `code`, `exit_code`,
// `message` (without context) and the Context fields.
#include <map>
#include <string>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "core/error.hpp"
#include "core/problem.hpp"
#include "core/units.hpp"

namespace parksim::python {

namespace {

// ErrorCode -> Python class, filled once at import (module lifetime; never freed, like every pybind11 type object).
std::map<ErrorCode, PyObject*>& exception_classes() {
  static std::map<ErrorCode, PyObject*> classes;
  return classes;
}

py::object make_class(py::module_& m, const char* name, py::tuple bases, const char* doc) {
  py::dict ns;
  ns["__doc__"] = doc;
  ns["__module__"] = "parksim";
  py::object cls = py::module_::import("builtins").attr("type")(name, bases, ns);
  m.attr(name) = cls;
  return cls;
}

void raise_error(const Error& e) {
  auto& classes = exception_classes();
  const auto it = classes.find(e.code());
  PyObject* cls = it != classes.end() ? it->second : classes.at(ErrorCode::internal);
  py::object instance = py::reinterpret_borrow<py::object>(cls)(py::str(e.what()));
  const Context& c = e.context();
  instance.attr("code") = std::string(to_string(e.code()));
  instance.attr("exit_code") = exit_code(e.code());
  instance.attr("message") = e.message();
  instance.attr("path") = c.path.empty() ? py::object(py::none()) : py::object(py::str(c.path));
  instance.attr("layer") = c.layer.empty() ? py::object(py::none()) : py::object(py::str(c.layer));
  instance.attr("feature_id") = c.feature_id ? py::object(py::int_(*c.feature_id)) : py::object(py::none());
  instance.attr("feature_key") = c.feature_key.empty() ? py::object(py::none()) : py::object(py::str(c.feature_key));
  instance.attr("key") = c.key.empty() ? py::object(py::none()) : py::object(py::str(c.key));
  instance.attr("line") = c.line ? py::object(py::int_(*c.line)) : py::object(py::none());
  instance.attr("coordinate") =
      c.coordinate ? py::object(py::make_tuple(c.coordinate->x, c.coordinate->y)) : py::object(py::none());
  PyErr_SetObject(cls, instance.ptr());
}

}  // namespace

PyProgress::PyProgress(py::object callable) : m_state(std::make_shared<State>()) {
  if (callable.is_none()) return;
  m_state->callable = std::move(callable);
  std::weak_ptr<State> weak = m_state;
  m_progress = Progress([weak](double fraction, std::string_view message) -> bool {
    const auto state = weak.lock();
    if (!state) return true;
    py::gil_scoped_acquire gil;
    if (!state->callable) return true;
    try {
      const py::object answer = state->callable(fraction, py::str(message.data(), message.size()));
      return answer.is_none() || answer.cast<bool>();
    } catch (...) {
      // Never throw through the engine: remember the error, cancel, and re-raise it once the call returns.
      const std::lock_guard lock(state->mutex);
      if (!state->failure) state->failure = std::current_exception();
      return false;
    }
  });
}

PyProgress::~PyProgress() {
  // The GIL is held here; drop the callable now rather than wherever the last Progress copy dies.
  m_state->callable = py::object();
  m_state->failure = nullptr;
}

void PyProgress::rethrow_if_failed() {
  std::exception_ptr failure;
  {
    const std::lock_guard lock(m_state->mutex);
    failure = m_state->failure;
    m_state->failure = nullptr;
  }
  if (failure) std::rethrow_exception(failure);
}

void bind_core(py::module_& m) {
  py::object base = make_class(m, "ParksimError", py::make_tuple(py::handle(PyExc_Exception)),
                               "Root of every error parksim raises on purpose (parksim::Error).");
  auto builtin = [](PyObject* cls) { return py::handle(cls); };
  struct Spec {
    ErrorCode code;
    const char* name;
    PyObject* builtin;
    const char* doc;
  };
  const Spec specs[] = {
      {ErrorCode::usage, "UsageError", PyExc_ValueError, "A call was made with wrong arguments (CLI exit code 2)."},
      {ErrorCode::config, "ConfigError", PyExc_ValueError,
       "A scenario or mapping value is wrong: unknown key, wrong type, out of range (exit code 3)."},
      {ErrorCode::input, "IoError", PyExc_OSError, "An input file or database cannot be opened or read (exit 4)."},
      {ErrorCode::data, "DataError", PyExc_ValueError, "Input data is unusable (exit code 5)."},
      {ErrorCode::crs, "CrsError", PyExc_ValueError,
       "A CRS is missing, unknown or cannot be transformed (exit code 6)."},
      {ErrorCode::geometry, "GeometryError", PyExc_ValueError, "A geometry operation failed (exit code 7)."},
      {ErrorCode::output, "OutputError", PyExc_OSError, "An output cannot be written (exit code 8)."},
      {ErrorCode::cancelled, "CancelledError", nullptr, "The progress callback cancelled the run (exit code 10)."},
      {ErrorCode::infeasible, "InfeasibleError", PyExc_RuntimeError,
       "An optimisation problem has no solution (exit code 11)."},
      {ErrorCode::database, "DatabaseError", PyExc_OSError, "A database connection or statement failed (exit 12)."},
      {ErrorCode::internal, "InternalError", PyExc_RuntimeError, "A bug in parksim (exit code 70)."},
  };
  auto& classes = exception_classes();
  for (const auto& s : specs) {
    py::tuple bases = s.builtin != nullptr ? py::make_tuple(base, builtin(s.builtin)) : py::make_tuple(base);
    classes[s.code] = make_class(m, s.name, bases, s.doc).release().ptr();
  }
  // output_exists is an OutputError and a FileExistsError.
  classes[ErrorCode::output_exists] =
      make_class(m, "OutputExistsError",
                 py::make_tuple(py::reinterpret_borrow<py::object>(classes[ErrorCode::output]),
                                builtin(PyExc_FileExistsError)),
                 "The output exists and overwriting was not asked for (exit code 9).")
          .release()
          .ptr();

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      raise_error(e);
    }
  });

  py::enum_<Severity>(m, "Severity", "Severity of a Problem.")
      .value("info", Severity::info)
      .value("warning", Severity::warning)
      .value("error", Severity::error);

  py::class_<Problem>(m, "Problem",
                      "An expected finding in the data (a repaired ring, unmet demand): recorded, never raised.")
      .def_property_readonly("severity", [](const Problem& p) { return std::string(to_string(p.severity)); })
      .def_readonly("code", &Problem::code, "stable dotted id, e.g. 'geometry.repaired'")
      .def_readonly("message", &Problem::message)
      .def_property_readonly("where", [](const Problem& p) { return p.where.to_string(); },
                             "'file: layer L: feature F: key K' - only the known parts")
      .def_property_readonly("layer", [](const Problem& p) { return p.where.layer; })
      .def_property_readonly("feature_id", [](const Problem& p) { return p.where.feature_id; })
      .def_property_readonly("feature_key", [](const Problem& p) { return p.where.feature_key; })
      .def_property_readonly("key", [](const Problem& p) { return p.where.key; })
      .def("__str__", &Problem::to_string)
      .def("__repr__", [](const Problem& p) { return "<Problem " + p.to_string() + ">"; })
      .def("__eq__", [](const Problem& a, const Problem& b) { return a == b; })
      // Pickled whole (ensemble pieces carry their runs' Problems between Dask processes).
      .def(py::pickle(
          [](const Problem& p) {
            const Context& w = p.where;
            py::object xy = w.coordinate ? py::object(py::make_tuple(w.coordinate->x, w.coordinate->y)) : py::none();
            return py::make_tuple(static_cast<int>(p.severity), p.code, p.message, w.path, w.layer, w.feature_id,
                                  w.feature_key, w.key, w.line, xy);
          },
          [](const py::tuple& t) {
            if (t.size() != 10) throw Error(ErrorCode::usage, "not a pickled parksim Problem", Context{.key = "state"});
            Problem p;
            p.severity = static_cast<Severity>(t[0].cast<int>());
            p.code = t[1].cast<std::string>();
            p.message = t[2].cast<std::string>();
            p.where.path = t[3].cast<std::string>();
            p.where.layer = t[4].cast<std::string>();
            p.where.feature_id = t[5].cast<std::optional<std::int64_t>>();
            p.where.feature_key = t[6].cast<std::string>();
            p.where.key = t[7].cast<std::string>();
            p.where.line = t[8].cast<std::optional<int>>();
            if (!t[9].is_none()) {
              const auto xy = t[9].cast<std::pair<double, double>>();
              p.where.coordinate = Coordinate{xy.first, xy.second};
            }
            return p;
          }));

  m.attr("M2_PER_MU") = units::m2_per_mu;
  m.def("m2_to_mu", &units::m2_to_mu, py::arg("area_m2"), "m2 -> mu (1 mu = 2000/3 m2 exactly).");
  m.def("mu_to_m2", &units::mu_to_m2, py::arg("area_mu"));
  m.def("m2_to_km2", &units::m2_to_km2, py::arg("area_m2"));
  m.def("m2_to_ha", &units::m2_to_ha, py::arg("area_m2"));
  m.def("error_code_name", [](int code) { return std::string(to_string(static_cast<ErrorCode>(code))); },
        py::arg("exit_code"), "Short name of an error / exit code ('config' for 3).");
}

}  // namespace parksim::python
