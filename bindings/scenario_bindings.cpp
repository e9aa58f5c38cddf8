// scenario: Scenario (load / parse, typed get by the schema's kind, set validated exactly like a file value,
// to_toml / to_json, pickling) and the schema as data, so Python can list every key with its unit and DEFAULT.
#include <cmath>

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "bindings.hpp"
#include "scenario/schema.hpp"
#include "scenario/scenario.hpp"

namespace parksim::python {

namespace {

using scenario::Scenario;
using scenario::ValueKind;

py::object get_value(const Scenario& s, const std::string& key) {
  const auto& schema = scenario::scenario_schema();
  const auto* spec = schema.find(key);
  if (spec == nullptr && !s.has(key)) {
    const auto suggestion = schema.suggest(key);
    throw Error(ErrorCode::config,
                "'" + key + "': unknown key" + (suggestion ? "; did you mean '" + *suggestion + "'?" : std::string()),
                Context{.key = key});
  }
  if (spec == nullptr || spec->kind == ValueKind::table || spec->kind == ValueKind::table_array) {
    throw Error(ErrorCode::usage, "'" + key + "' is a table; read its keys one by one (see child_keys())",
                Context{.key = key});
  }
  if (!s.has(key)) return py::none();
  switch (spec->kind) {
    case ValueKind::boolean: return py::bool_(s.get_bool(key));
    case ValueKind::integer: return py::int_(s.get_int(key));
    case ValueKind::real: return py::float_(s.get_real(key));
    case ValueKind::text: return py::str(s.get_text(key));
    case ValueKind::integer_list: return py::cast(s.get_int_list(key));
    case ValueKind::real_list: return py::cast(s.get_real_list(key));
    case ValueKind::text_list: return py::cast(s.get_text_list(key));
    default:
      throw Error(ErrorCode::usage, "'" + key + "' is a table; read its keys one by one (see keys())",
                  Context{.key = key});
  }
}

scenario::Value to_value(const std::string& key, const py::handle& value) {
  const py::object v = py::reinterpret_borrow<py::object>(value);
  // bool before int: Python's True is an int too.
  if (py::isinstance<py::bool_>(v)) return v.cast<bool>();
  if (py::isinstance<py::int_>(v)) return v.cast<std::int64_t>();
  if (py::isinstance<py::float_>(v)) return v.cast<double>();
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  if (py::hasattr(v, "__fspath__")) return py::str(v.attr("__fspath__")()).cast<std::string>();
  // numpy scalars and the like: ask the schema which kind is wanted.
  const auto* spec = scenario::scenario_schema().find(key);
  if (spec != nullptr && !py::isinstance<py::sequence>(v)) {
    if (spec->kind == ValueKind::integer) return py::int_(v).cast<std::int64_t>();
    if (spec->kind == ValueKind::real) return py::float_(v).cast<double>();
    if (spec->kind == ValueKind::boolean) return py::bool_(v).cast<bool>();
  }
  if (py::isinstance<py::sequence>(v) || py::hasattr(v, "tolist")) {
    const py::list items = py::hasattr(v, "tolist") ? py::list(v.attr("tolist")()) : py::list(v);
    bool all_int = true, all_num = true, all_str = true;
    for (const auto& e : items) {
      const bool is_bool = py::isinstance<py::bool_>(e);
      all_int = all_int && py::isinstance<py::int_>(e) && !is_bool;
      all_num = all_num && (py::isinstance<py::int_>(e) || py::isinstance<py::float_>(e)) && !is_bool;
      all_str = all_str && py::isinstance<py::str>(e);
    }
    const bool wants_real = spec != nullptr && spec->kind == ValueKind::real_list;
    if (all_int && !wants_real && !items.empty()) return items.cast<std::vector<std::int64_t>>();
    if (all_num && !items.empty()) return items.cast<std::vector<double>>();
    if (all_str && !items.empty()) return items.cast<std::vector<std::string>>();
    if (items.empty()) {
      if (spec != nullptr && spec->kind == ValueKind::integer_list) return std::vector<std::int64_t>{};
      if (spec != nullptr && spec->kind == ValueKind::real_list) return std::vector<double>{};
      return std::vector<std::string>{};
    }
  }
  throw Error(ErrorCode::config,
              "'" + key + "': cannot use a Python " + py::str(py::type::of(v).attr("__name__")).cast<std::string>() +
                  " as a scenario value (bool, int, float, str or a list of one of them)",
              Context{.key = key});
}

// Path-valued keys (KeySpec::path) are written resolved, so a scenario read back elsewhere (a Dask worker) still
// finds its data.
py::tuple get_state(const Scenario& s) {
  return py::make_tuple(s.with_absolute_paths().to_toml(), s.path().string());
}

std::string kind_name(ValueKind kind) { return std::string(scenario::to_string(kind)); }

}  // namespace

void bind_scenario(py::module_& m) {
  py::class_<Scenario>(m, "Scenario",
                       "The effective parameters of one run: a scenario file and its extends chain, validated, "
                       "every DEFAULT resolved. Keys are dotted ('demand.enterprise_growth_rate').")
      .def_static(
          "load",
          // An absolute path from the start: the scenario then names the same files from any folder and in any
          // process it is pickled to (a Dask worker), even after this process changed its working folder.
          [](const std::filesystem::path& path) { return Scenario::load(std::filesystem::absolute(path)); },
          py::arg("path"),
          "Reads a scenario file (and the files it extends); a relative path is taken from the current folder and "
          "kept absolute. Raises ConfigError / IoError.")
      .def_static("parse", &Scenario::parse, py::arg("toml_text"), py::arg("origin"),
                  "Parses TOML text; `origin` names it in messages and its folder resolves relative paths.")
      .def_property_readonly("path", &Scenario::path)
      .def_property_readonly("files", &Scenario::files)
      .def_property_readonly("name", &Scenario::name)
      .def("has", &Scenario::has, py::arg("key"))
      .def("keys", &Scenario::keys, "every key the scenario holds (dotted), in order")
      .def("get", &get_value, py::arg("key"),
           "The value at `key`, typed by the schema (bool, int, float, str, list); None when unset with no DEFAULT.")
      .def("get_path", &Scenario::get_path, py::arg("key"), "a path-valued key resolved against its file's folder")
      .def("child_keys", &Scenario::child_keys, py::arg("key"))
      .def("where", &Scenario::where, py::arg("key"), "'file.toml:12' of the line that set `key`, '' for a default")
      .def(
          "set", [](Scenario& s, const std::string& key, const py::handle& value) { s.set(key, to_value(key, value)); },
          py::arg("key"), py::arg("value"),
          "Changes one value, validated against the schema like a file value (ConfigError when wrong).")
      .def("__getitem__", &get_value, py::arg("key"))
      .def(
          "__setitem__",
          [](Scenario& s, const std::string& key, const py::handle& value) { s.set(key, to_value(key, value)); },
          py::arg("key"), py::arg("value"))
      .def("__contains__", &Scenario::has, py::arg("key"))
      .def("keys", &Scenario::keys, "every key with a value (leaves, dotted), sorted")
      .def("remove", &Scenario::remove, py::arg("key"),
           "removes a value or a whole table; a key with a DEFAULT goes back to it")
      .def("with_absolute_paths", &Scenario::with_absolute_paths,
           "a copy whose file-path keys hold absolute paths (it reads the same files from any folder)")
      .def("with_paths_relative_to", &Scenario::with_paths_relative_to, py::arg("folder"),
           "a copy whose file-path keys hold paths relative to `folder` (for a scenario file written there)")
      .def("to_toml", &Scenario::to_toml)
      .def("to_json", &Scenario::to_json)
      .def("__copy__", [](const Scenario& s) { return Scenario(s); })
      .def("__deepcopy__", [](const Scenario& s, py::dict) { return Scenario(s); }, py::arg("memo"))
      .def(py::pickle(&get_state,
                      [](const py::tuple& state) {
                        if (state.size() != 2) {
                          throw Error(ErrorCode::usage, "not a pickled parksim Scenario", Context{.key = "state"});
                        }
                        return Scenario::parse(state[0].cast<std::string>(),
                                               std::filesystem::path(state[1].cast<std::string>()));
                      }))
      .def("__repr__", [](const Scenario& s) { return "<Scenario '" + s.name() + "' from " + s.path().string() + ">"; });

  m.def(
      "scenario_schema",
      []() {
        py::list out;
        for (const auto& k : scenario::scenario_schema().keys()) {
          py::dict d;
          d["key"] = k.key;
          d["kind"] = kind_name(k.kind);
          d["unit"] = std::string(k.info.unit);
          d["description"] = std::string(k.info.description);
          d["required"] = k.required;
          d["path"] = k.path;
          if (!k.has_default) {
            d["default"] = py::none();
          } else if (k.kind == ValueKind::text) {
            d["default"] = std::string(k.info.default_text);
          } else if (k.kind == ValueKind::integer) {
            d["default"] = static_cast<std::int64_t>(k.info.default_value);
          } else if (k.kind == ValueKind::boolean) {
            d["default"] = k.info.default_value != 0.0;
          } else if (k.kind == ValueKind::real) {
            d["default"] = k.info.default_value;
          } else {
            d["default"] = py::none();
          }
          d["min"] = std::isfinite(k.info.min) ? py::object(py::float_(k.info.min)) : py::object(py::none());
          d["max"] = std::isfinite(k.info.max) ? py::object(py::float_(k.info.max)) : py::object(py::none());
          d["choices"] = std::string(k.info.choices);
          out.append(d);
        }
        return out;
      },
      "Every scenario key: key, kind, unit, default, min, max, choices, description, required, path (a file path "
      "resolved against the file that sets it).");
}

}  // namespace parksim::python
