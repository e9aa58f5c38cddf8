// metrics: validation of a simulated map against an observed one (next to the persistence null model) and
// FRAGSTATS class metrics, as pure functions on 2-D uint8 numpy arrays. The arrays are read in place (no copy) when
// they are C-contiguous uint8; anything else is converted once. The GIL is released while the metrics run.
#include <span>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "metrics/landscape.hpp"
#include "metrics/validation.hpp"

namespace parksim::python {

namespace {

using MapArray = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>;

metrics::CategoricalMapView view_of_array(const MapArray& a, const char* name, double cell_size_m,
                                          std::uint8_t nodata) {
  if (a.ndim() != 2) {
    throw Error(ErrorCode::data, std::string(name) + " must be a 2-D array (rows, cols), not " +
                                     std::to_string(a.ndim()) + "-D",
                Context{.key = name});
  }
  return metrics::CategoricalMapView{
      std::span<const std::uint8_t>(a.data(), static_cast<std::size_t>(a.size())), static_cast<int>(a.shape(0)),
      static_cast<int>(a.shape(1)), cell_size_m, nodata};
}

py::dict rows_columns(const std::vector<metrics::MetricRow>& rows) {
  py::list id, scope, class_code, label, unit, value;
  for (const auto& r : rows) {
    id.append(r.id);
    scope.append(r.scope);
    class_code.append(r.class_code ? py::object(py::int_(*r.class_code)) : py::object(py::none()));
    label.append(r.label_en);
    unit.append(r.unit);
    value.append(r.value);
  }
  py::dict d;
  d["id"] = id;
  d["scope"] = scope;
  d["class_code"] = class_code;
  d["label_en"] = label;
  d["unit"] = unit;
  d["value"] = value;
  return d;
}

}  // namespace

void bind_metrics(py::module_& m) {
  using namespace metrics;
  py::class_<FigureOfMerit>(m, "FigureOfMerit", "Pontius et al. (2008) change budget, in cells; ratios 0..1 or NaN.")
      .def_readonly("misses", &FigureOfMerit::misses)
      .def_readonly("hits", &FigureOfMerit::hits)
      .def_readonly("wrong_hits", &FigureOfMerit::wrong_hits)
      .def_readonly("false_alarms", &FigureOfMerit::false_alarms)
      .def_readonly("correct_rejections", &FigureOfMerit::correct_rejections)
      .def_readonly("figure_of_merit", &FigureOfMerit::figure_of_merit)
      .def_readonly("producers_accuracy", &FigureOfMerit::producers_accuracy)
      .def_readonly("users_accuracy", &FigureOfMerit::users_accuracy);
  py::class_<KappaScores>(m, "KappaScores", "Kappa family (Cohen; Hagen; van Vliet et al. 2011); NaN if undefined.")
      .def_readonly("fraction_correct", &KappaScores::fraction_correct)
      .def_readonly("kappa", &KappaScores::kappa)
      .def_readonly("kappa_location", &KappaScores::kappa_location)
      .def_readonly("kappa_histogram", &KappaScores::kappa_histogram)
      .def_readonly("kappa_simulation", &KappaScores::kappa_simulation)
      .def_readonly("kappa_transition", &KappaScores::kappa_transition)
      .def_readonly("kappa_transition_location", &KappaScores::kappa_transition_location);
  py::class_<ClassDisagreement>(m, "ClassDisagreement")
      .def_readonly("class_code", &ClassDisagreement::class_code)
      .def_readonly("quantity", &ClassDisagreement::quantity)
      .def_readonly("allocation", &ClassDisagreement::allocation);
  py::class_<Disagreement>(m, "Disagreement", "Pontius & Millones (2011), fractions of the compared area.")
      .def_readonly("quantity", &Disagreement::quantity)
      .def_readonly("allocation", &Disagreement::allocation)
      .def_readonly("total", &Disagreement::total)
      .def_readonly("per_class", &Disagreement::per_class);
  py::class_<ValidationScores>(m, "ValidationScores")
      .def_readonly("fom", &ValidationScores::fom)
      .def_readonly("kappa", &ValidationScores::kappa)
      .def_readonly("disagreement", &ValidationScores::disagreement);
  py::class_<ValidationResult>(m, "ValidationResult", "The model next to the persistence (no change) null model.")
      .def_readonly("model", &ValidationResult::model)
      .def_readonly("persistence", &ValidationResult::persistence)
      .def_readonly("cells_compared", &ValidationResult::cells_compared)
      .def_readonly("cells_excluded", &ValidationResult::cells_excluded)
      .def_readonly("cell_area_m2", &ValidationResult::cell_area_m2)
      .def_readonly("classes", &ValidationResult::classes)
      .def("beats_persistence_on_total_disagreement", &ValidationResult::beats_persistence_on_total_disagreement)
      .def("beats_persistence_on_kappa", &ValidationResult::beats_persistence_on_kappa)
      .def("beats_persistence_on_kappa_simulation", &ValidationResult::beats_persistence_on_kappa_simulation)
      .def("rows", [](const ValidationResult& r) { return rows_columns(r.to_rows()); },
           "every figure as {column: list}: id, scope (model / persistence / comparison), class_code, label_en, "
           "unit, value");

  py::class_<ClassLandscapeMetrics>(m, "ClassLandscapeMetrics", "FRAGSTATS class-level metrics of one class.")
      .def_readonly("class_code", &ClassLandscapeMetrics::class_code)
      .def_readonly("cell_count", &ClassLandscapeMetrics::cell_count)
      .def_readonly("area_ha", &ClassLandscapeMetrics::area_ha)
      .def_readonly("percent_of_landscape", &ClassLandscapeMetrics::percent_of_landscape)
      .def_readonly("patch_count", &ClassLandscapeMetrics::patch_count)
      .def_readonly("largest_patch_cells", &ClassLandscapeMetrics::largest_patch_cells)
      .def_readonly("largest_patch_index", &ClassLandscapeMetrics::largest_patch_index)
      .def_readonly("mean_patch_area_ha", &ClassLandscapeMetrics::mean_patch_area_ha)
      .def_readonly("edge_length_m", &ClassLandscapeMetrics::edge_length_m)
      .def_readonly("edge_density_m_per_ha", &ClassLandscapeMetrics::edge_density_m_per_ha)
      .def_readonly("like_adjacencies", &ClassLandscapeMetrics::like_adjacencies)
      .def_readonly("aggregation_index", &ClassLandscapeMetrics::aggregation_index)
      .def_readonly("percent_like_adjacencies", &ClassLandscapeMetrics::percent_like_adjacencies);
  py::class_<LandscapeMetrics>(m, "LandscapeMetrics")
      .def_property_readonly("connectivity",
                             [](const LandscapeMetrics& l) { return l.connectivity == Connectivity::four ? 4 : 8; })
      .def_readonly("cell_size_m", &LandscapeMetrics::cell_size_m)
      .def_readonly("cell_count", &LandscapeMetrics::cell_count)
      .def_readonly("nodata_cell_count", &LandscapeMetrics::nodata_cell_count)
      .def_readonly("landscape_area_ha", &LandscapeMetrics::landscape_area_ha)
      .def_readonly("classes", &LandscapeMetrics::classes)
      .def("find", &LandscapeMetrics::find, py::arg("class_code"), py::return_value_policy::reference_internal)
      .def("rows", [](const LandscapeMetrics& l) { return rows_columns(l.to_rows()); });

  m.def(
      "validate_simulation",
      [](const MapArray& initial, const MapArray& observed, const MapArray& simulated, double cell_size_m,
         int nodata) {
        const auto code = static_cast<std::uint8_t>(nodata);
        const CategoricalMapView a = view_of_array(initial, "initial", cell_size_m, code);
        const CategoricalMapView b = view_of_array(observed, "observed", cell_size_m, code);
        const CategoricalMapView c = view_of_array(simulated, "simulated", cell_size_m, code);
        return call_without_gil(nullptr, [&] { return validate_simulation(a, b, c); });
      },
      py::arg("initial"), py::arg("observed"), py::arg("simulated"), py::arg("cell_size_m") = 1.0,
      py::arg("nodata") = 255,
      "Scores `simulated` and the persistence map (= initial) against `observed` (metrics::validate_simulation).");

  m.def(
      "landscape_metrics",
      [](const MapArray& map, double cell_size_m, int nodata, int connectivity) {
        if (connectivity != 4 && connectivity != 8) {
          throw Error(ErrorCode::usage, "connectivity must be 4 or 8, not " + std::to_string(connectivity),
                      Context{.key = "connectivity"});
        }
        const CategoricalMapView v = view_of_array(map, "map", cell_size_m, static_cast<std::uint8_t>(nodata));
        LandscapeParams params;
        params.connectivity = connectivity == 4 ? Connectivity::four : Connectivity::eight;
        return call_without_gil(nullptr, [&] { return landscape_metrics(v, params); });
      },
      py::arg("map"), py::arg("cell_size_m") = 1.0, py::arg("nodata") = 255, py::arg("connectivity") = 8,
      "FRAGSTATS class-level metrics of one categorical map (metrics::landscape_metrics).");
}

}  // namespace parksim::python
