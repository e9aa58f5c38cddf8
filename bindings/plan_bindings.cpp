// plan: loading a plan dataset (any GDAL vector source, optionally through a field-mapping file) and its
// accounting - what `parksim info` prints. Tables are returned as {column: list} dicts plus ISO WKB geometries, which
// the Python package turns into pandas / geopandas frames.
#include <memory>

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "bindings.hpp"
#include "core/problem.hpp"
#include "core/units.hpp"
#include "plan/accounting.hpp"
#include "plan/loader.hpp"
#include "plan/plan.hpp"
#include "scenario/mapping.hpp"

namespace parksim::python {

namespace {

py::bytes wkb_bytes(const geom::Geometry& g) {
  if (g.is_null()) return py::bytes();
  const auto wkb = g.to_wkb();
  return py::bytes(reinterpret_cast<const char*>(wkb.data()), wkb.size());
}

py::dict parcels_table(const plan::Plan& plan) {
  py::list fid, id, phase, zone, landuse, status, area_m2, area_mu, far, name_zh, data_status, accuracy_m, source,
      geometry;
  for (const auto& p : plan.parcels) {
    fid.append(p.fid);
    id.append(p.id);
    phase.append(p.phase);
    zone.append(p.zone);
    landuse.append(p.landuse);
    status.append(std::string(plan::to_string(p.status)));
    area_m2.append(p.area_m2);
    area_mu.append(units::m2_to_mu(p.area_m2));
    far.append(p.far);
    name_zh.append(p.name_zh);
    data_status.append(std::string(plan::to_string(p.provenance.status)));
    accuracy_m.append(p.provenance.accuracy_m);
    source.append(p.provenance.source);
    geometry.append(wkb_bytes(p.geometry));
  }
  py::dict t;
  t["fid"] = fid;
  t["parcel_id"] = id;
  t["phase"] = phase;
  t["zone"] = zone;
  t["landuse"] = landuse;
  t["status"] = status;
  t["area_m2"] = area_m2;
  t["area_mu"] = area_mu;
  t["far"] = far;
  t["name_zh"] = name_zh;
  t["data_status"] = data_status;
  t["accuracy_m"] = accuracy_m;
  t["source"] = source;
  t["geometry"] = geometry;
  return t;
}

template <class Item>
py::dict area_table(const std::vector<Item>& items) {
  py::list id, name_zh, name_en, area_m2, area_mu, geometry;
  for (const auto& x : items) {
    id.append(x.id);
    name_zh.append(x.name_zh);
    name_en.append(x.name_en);
    area_m2.append(x.area_m2);
    area_mu.append(units::m2_to_mu(x.area_m2));
    geometry.append(wkb_bytes(x.geometry));
  }
  py::dict t;
  t["id"] = id;
  t["name_zh"] = name_zh;
  t["name_en"] = name_en;
  t["area_m2"] = area_m2;
  t["area_mu"] = area_mu;
  t["geometry"] = geometry;
  return t;
}

py::dict rows_table(const std::vector<plan::AreaRow>& rows) {
  py::list key, label, parcels, area_m2, area_km2, area_mu;
  for (const auto& r : rows) {
    key.append(r.key);
    label.append(r.label);
    parcels.append(r.parcels);
    area_m2.append(r.area_m2);
    area_km2.append(r.area_km2());
    area_mu.append(r.area_mu());
  }
  py::dict t;
  t["key"] = key;
  t["label"] = label;
  t["parcels"] = parcels;
  t["area_m2"] = area_m2;
  t["area_km2"] = area_km2;
  t["area_mu"] = area_mu;
  return t;
}

py::dict targets_table(const std::vector<plan::TargetCheck>& targets) {
  py::list id, label_en, label_zh, unit, comparison, target, actual, met, note;
  for (const auto& t : targets) {
    id.append(t.id);
    label_en.append(t.label_en);
    label_zh.append(t.label_zh);
    unit.append(t.unit);
    comparison.append(t.comparison);
    target.append(t.target);
    actual.append(t.actual);
    met.append(t.met);
    note.append(t.note);
  }
  py::dict d;
  d["id"] = id;
  d["label_en"] = label_en;
  d["label_zh"] = label_zh;
  d["unit"] = unit;
  d["comparison"] = comparison;
  d["target"] = target;
  d["actual"] = actual;
  d["met"] = met;
  d["note"] = note;
  return d;
}

}  // namespace

void bind_plan(py::module_& m) {
  py::class_<plan::Plan, std::shared_ptr<plan::Plan>>(
      m, "Plan", "A park plan in one projected working CRS (parcels, phases, zones, ...). Read-only from Python.")
      .def_readonly("source", &plan::Plan::source)
      .def_readonly("crs", &plan::Plan::crs)
      .def_property_readonly("parcel_count", [](const plan::Plan& p) { return p.parcels.size(); })
      .def("schematic_layers", &plan::Plan::schematic_layers)
      .def("parcels_table", &parcels_table, "parcels as {column: list}; 'geometry' holds ISO WKB bytes")
      .def("phases_table", [](const plan::Plan& p) { return area_table(p.phases); })
      .def("zones_table", [](const plan::Plan& p) { return area_table(p.zones); })
      .def("classes_table",
           [](const plan::Plan& p) {
             py::list code, name_zh, name_en, colour, health, developable, sim_class;
             for (const auto& c : p.classes) {
               code.append(c.code);
               name_zh.append(c.name_zh);
               name_en.append(c.name_en);
               colour.append(c.colour);
               health.append(c.health_industry);
               developable.append(c.developable);
               sim_class.append(c.sim_class);
             }
             py::dict t;
             t["code"] = code;
             t["name_zh"] = name_zh;
             t["name_en"] = name_en;
             t["colour"] = colour;
             t["health_industry"] = health;
             t["developable"] = developable;
             t["sim_class"] = sim_class;
             return t;
           })
      .def("layers_table", [](const plan::Plan& p) {
        py::list name, features, schematic, surveyed;
        for (const auto& l : p.layers) {
          name.append(l.name);
          features.append(l.features);
          schematic.append(l.schematic);
          surveyed.append(l.surveyed);
        }
        py::dict t;
        t["layer"] = name;
        t["features"] = features;
        t["schematic"] = schematic;
        t["surveyed"] = surveyed;
        return t;
      });

  m.def(
      "load_plan",
      [](const std::filesystem::path& dataset, const std::filesystem::path& mapping_file, const std::string& assume_crs,
         py::object progress) {
        PyProgress bridge(std::move(progress));
        auto result = call_without_gil(&bridge, [&] {
          plan::FieldMapping mapping;
          if (!mapping_file.empty()) mapping = scenario::load_mapping(mapping_file);
          if (!assume_crs.empty()) mapping.assume_crs = assume_crs;
          ProblemReporter problems;
          auto plan = std::make_shared<plan::Plan>(
              plan::load_plan(dataset, mapping, problems, plan::LoadOptions{}, bridge.progress()));
          return std::make_pair(std::move(plan), problems.sorted());
        });
        return py::make_tuple(result.first, result.second);
      },
      py::arg("dataset"), py::arg("mapping") = std::filesystem::path(), py::arg("crs") = std::string(),
      py::arg("progress") = py::none(),
      "Reads a plan dataset exactly as `parksim info` does; returns (Plan, [Problem] sorted). Releases the GIL.");

  m.def(
      "account",
      [](const plan::Plan& plan) {
        const plan::Accounting a = plan::account(plan);
        py::dict d;
        d["parcels_m2"] = a.parcels_m2;
        d["phases_m2"] = a.phases_m2;
        d["health_industry_m2"] = a.health_industry_m2;
        d["health_industry_expansion_m2"] = a.health_industry_expansion_m2;
        d["health_industry_built_m2"] = a.health_industry_built_m2;
        d["developable_m2"] = a.developable_m2;
        d["by_phase"] = rows_table(a.by_phase);
        d["by_zone"] = rows_table(a.by_zone);
        d["by_landuse"] = rows_table(a.by_landuse);
        d["by_status"] = rows_table(a.by_status);
        d["targets"] = targets_table(a.targets);
        return d;
      },
      py::arg("plan"), "The plan's accounting (plan::account): area rows by phase/zone/land use/status, targets.");
}

}  // namespace parksim::python
