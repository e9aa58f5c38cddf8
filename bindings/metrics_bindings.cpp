// metrics: validation of a simulated map against an observed one (next to the persistence and proximity null
// models; Figure of Merit overall, per transition and at several resolutions), the expected map of an ensemble and
// FRAGSTATS class metrics, as pure functions on numpy arrays. The arrays are read in place (no copy) when they are
// C-contiguous of the right type; anything else is converted once. The GIL is released while the metrics run.
#include <optional>
#include <span>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "metrics/expected_map.hpp"
#include "metrics/forecast.hpp"
#include "metrics/landscape.hpp"
#include "metrics/null_models.hpp"
#include "metrics/three_map.hpp"
#include "metrics/validation.hpp"

namespace parksim::python {

namespace {

using MapArray = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>;

metrics::CategoricalMapView view_of_array(const MapArray& a, const char* name, double cell_size_m,
                                          std::uint8_t nodata, double cell_height_m = 0.0) {
  if (a.ndim() != 2) {
    throw Error(ErrorCode::data, std::string(name) + " must be a 2-D array (rows, cols), not " +
                                     std::to_string(a.ndim()) + "-D",
                Context{.key = name});
  }
  return metrics::CategoricalMapView{
      std::span<const std::uint8_t>(a.data(), static_cast<std::size_t>(a.size())), static_cast<int>(a.shape(0)),
      static_cast<int>(a.shape(1)), cell_size_m, nodata, cell_height_m};
}

// The mask of cells allowed to change: None (every cell) or an array of the map's shape, non-zero = may change.
std::optional<MapArray> mask_of(const py::object& allowed, const metrics::CategoricalMapView& map) {
  if (allowed.is_none()) return std::nullopt;
  MapArray a = MapArray::ensure(allowed);
  if (!a) PyErr_Clear();  // reported as our own error below
  if (!a || a.ndim() != 2 || a.shape(0) != map.rows || a.shape(1) != map.cols) {
    throw Error(ErrorCode::data,
                "allowed must be None or a 2-D array of the map's shape (" + std::to_string(map.rows) + ", " +
                    std::to_string(map.cols) + ")",
                Context{.key = "allowed"});
  }
  return a;
}

std::span<const std::uint8_t> span_of(const std::optional<MapArray>& a) {
  if (!a) return {};
  return {a->data(), static_cast<std::size_t>(a->size())};
}

// A (rows, cols) numpy copy of a map held in a vector.
py::array_t<std::uint8_t> map_array(const std::vector<std::uint8_t>& cells, int rows, int cols) {
  py::array_t<std::uint8_t> out({rows, cols});
  std::copy(cells.begin(), cells.end(), out.mutable_data());
  return out;
}

std::vector<metrics::ClassDemand> demand_of(const py::dict& demand) {
  std::vector<metrics::ClassDemand> out;
  for (const auto& [key, value] : demand) {
    const int code = key.cast<int>();
    if (code < 0 || code > 255) {
      throw Error(ErrorCode::config, "demand class " + std::to_string(code) + " is not a class code 0..255",
                  Context{.key = "demand"});
    }
    out.push_back(metrics::ClassDemand{static_cast<std::uint8_t>(code), value.cast<std::int64_t>()});
  }
  return out;
}

py::dict rows_columns(const std::vector<metrics::MetricRow>& rows) {
  py::list id, scope, class_code, label, unit, value, to_class_code, factor;
  for (const auto& r : rows) {
    id.append(r.id);
    scope.append(r.scope);
    class_code.append(r.class_code ? py::object(py::int_(*r.class_code)) : py::object(py::none()));
    label.append(r.label_en);
    unit.append(r.unit);
    value.append(r.value);
    to_class_code.append(r.to_class_code ? py::object(py::int_(*r.to_class_code)) : py::object(py::none()));
    factor.append(r.factor ? py::object(py::int_(*r.factor)) : py::object(py::none()));
  }
  py::dict d;
  d["id"] = id;
  d["scope"] = scope;
  d["class_code"] = class_code;
  d["label_en"] = label;
  d["unit"] = unit;
  d["value"] = value;
  d["to_class_code"] = to_class_code;
  d["factor"] = factor;
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

  py::class_<TransitionFigureOfMerit>(m, "TransitionFigureOfMerit",
                                      "Agreement budget of one transition from_class -> to_class, in cells "
                                      "(Pontius et al. 2011, Eq. 11); ratios 0..1 or NaN.")
      .def_readonly("from_class", &TransitionFigureOfMerit::from_class)
      .def_readonly("to_class", &TransitionFigureOfMerit::to_class)
      .def_readonly("hits", &TransitionFigureOfMerit::hits)
      .def_readonly("misses", &TransitionFigureOfMerit::misses)
      .def_readonly("wrong_hits_observed", &TransitionFigureOfMerit::wrong_hits_observed)
      .def_readonly("false_alarms", &TransitionFigureOfMerit::false_alarms)
      .def_readonly("wrong_hits_simulated", &TransitionFigureOfMerit::wrong_hits_simulated)
      .def_readonly("observed", &TransitionFigureOfMerit::observed)
      .def_readonly("simulated", &TransitionFigureOfMerit::simulated)
      .def_readonly("figure_of_merit", &TransitionFigureOfMerit::figure_of_merit)
      .def_readonly("producers_accuracy", &TransitionFigureOfMerit::producers_accuracy)
      .def_readonly("users_accuracy", &TransitionFigureOfMerit::users_accuracy);
  py::class_<ResolutionFigureOfMerit>(m, "ResolutionFigureOfMerit",
                                      "Budget (cells) and Figure of Merit at one aggregation factor.")
      .def_readonly("factor", &ResolutionFigureOfMerit::factor)
      .def_readonly("coarse_cell_width_m", &ResolutionFigureOfMerit::coarse_cell_width_m)
      .def_readonly("coarse_cell_height_m", &ResolutionFigureOfMerit::coarse_cell_height_m)
      .def_readonly("coarse_cells", &ResolutionFigureOfMerit::coarse_cells)
      .def_readonly("misses", &ResolutionFigureOfMerit::misses)
      .def_readonly("hits", &ResolutionFigureOfMerit::hits)
      .def_readonly("wrong_hits", &ResolutionFigureOfMerit::wrong_hits)
      .def_readonly("false_alarms", &ResolutionFigureOfMerit::false_alarms)
      .def_readonly("correct_rejections", &ResolutionFigureOfMerit::correct_rejections)
      .def_readonly("figure_of_merit", &ResolutionFigureOfMerit::figure_of_merit)
      .def_readonly("producers_accuracy", &ResolutionFigureOfMerit::producers_accuracy)
      .def_readonly("users_accuracy", &ResolutionFigureOfMerit::users_accuracy)
      .def_readonly("transitions", &ResolutionFigureOfMerit::transitions)
      .def("find", &ResolutionFigureOfMerit::find, py::arg("from_class"), py::arg("to_class"),
           py::return_value_policy::reference_internal);
  py::class_<MultiResolutionFigureOfMerit>(m, "MultiResolutionFigureOfMerit")
      .def_readonly("resolutions", &MultiResolutionFigureOfMerit::resolutions)
      .def_readonly("cells_compared", &MultiResolutionFigureOfMerit::cells_compared)
      .def_readonly("cells_excluded", &MultiResolutionFigureOfMerit::cells_excluded)
      .def_readonly("classes", &MultiResolutionFigureOfMerit::classes)
      .def("find", &MultiResolutionFigureOfMerit::find, py::arg("factor"), py::return_value_policy::reference_internal);
  py::class_<ProximityClassAllocation>(m, "ProximityClassAllocation", "How the proximity null served one class.")
      .def_readonly("class_code", &ProximityClassAllocation::class_code)
      .def_readonly("demand_cells", &ProximityClassAllocation::demand_cells)
      .def_readonly("allocated_cells", &ProximityClassAllocation::allocated_cells)
      .def_readonly("candidate_cells", &ProximityClassAllocation::candidate_cells)
      .def_readonly("threshold_distance_m", &ProximityClassAllocation::threshold_distance_m)
      .def_readonly("tied_cells", &ProximityClassAllocation::tied_cells);
  py::class_<ExpectedClass>(m, "ExpectedClass", "How the expected map placed one class.")
      .def_readonly("class_code", &ExpectedClass::class_code)
      .def_readonly("cells", &ExpectedClass::cells)
      .def_readonly("lowest_probability", &ExpectedClass::lowest_probability)
      .def_readonly("cells_not_most_probable", &ExpectedClass::cells_not_most_probable);
  py::class_<CandidateValidation>(m, "CandidateValidation", "Every score of one candidate map.")
      .def_readonly("scores", &CandidateValidation::scores)
      .def_readonly("transitions", &CandidateValidation::transitions)
      .def_readonly("resolutions", &CandidateValidation::resolutions);
  py::class_<ProximitySummary>(m, "ProximitySummary")
      .def_property_readonly("demand",
                             [](const ProximitySummary& p) {
                               py::dict d;
                               for (const ClassDemand& c : p.demand) d[py::int_(c.class_code)] = c.cells;
                               return d;
                             })
      .def_readonly("allocations", &ProximitySummary::allocations)
      .def_readonly("figure_of_merit_draws", &ProximitySummary::figure_of_merit_draws)
      .def_readonly("figure_of_merit_mean", &ProximitySummary::figure_of_merit_mean)
      .def_readonly("figure_of_merit_sd", &ProximitySummary::figure_of_merit_sd);
  py::class_<ForecastComparison>(m, "ForecastComparison", "The model and both null models at one quantity.")
      .def_readonly("label", &ForecastComparison::label)
      .def_readonly("model", &ForecastComparison::model)
      .def_readonly("persistence", &ForecastComparison::persistence)
      .def_readonly("proximity", &ForecastComparison::proximity)
      .def_readonly("proximity_null", &ForecastComparison::proximity_null)
      .def("figure_of_merit_over_proximity", &ForecastComparison::figure_of_merit_over_proximity)
      .def("beats_proximity_on_figure_of_merit", &ForecastComparison::beats_proximity_on_figure_of_merit)
      .def("beats_persistence_on_kappa_simulation", &ForecastComparison::beats_persistence_on_kappa_simulation);
  py::class_<ForecastValidation>(m, "ForecastValidation",
                                 "A forecast (and optionally the diagnosis run) next to persistence and proximity.")
      .def_readonly("forecast", &ForecastValidation::forecast)
      .def_readonly("diagnosis", &ForecastValidation::diagnosis)
      .def_readonly("cells_compared", &ForecastValidation::cells_compared)
      .def_readonly("cells_excluded", &ForecastValidation::cells_excluded)
      .def_readonly("cell_area_m2", &ForecastValidation::cell_area_m2)
      .def_readonly("classes", &ForecastValidation::classes)
      .def(
          "proximity_map",
          [](const ForecastValidation& v, const std::string& label) {
            const ForecastComparison* c = label == "forecast"                  ? &v.forecast
                                          : label == "diagnosis" && v.diagnosis ? &*v.diagnosis
                                                                                : nullptr;
            if (c == nullptr) {
              throw Error(ErrorCode::usage, "no comparison labelled '" + label + "' (forecast, or diagnosis when given)",
                          Context{.key = "label"});
            }
            return map_array(c->proximity_map, v.rows, v.cols);
          },
          py::arg("label") = "forecast", "the proximity null map of draw 0 (a (rows, cols) uint8 copy)")
      .def("rows", [](const ForecastValidation& v) { return rows_columns(v.to_rows()); },
           "every figure as {column: list}: id, scope (forecast.model, forecast.persistence, forecast.proximity, "
           "forecast.comparison, the same for diagnosis, comparison), class_code, label_en, unit, value, "
           "to_class_code, factor");

  m.def(
      "transition_figures_of_merit",
      [](const MapArray& initial, const MapArray& observed, const MapArray& simulated, int nodata) {
        const auto code = static_cast<std::uint8_t>(nodata);
        const CategoricalMapView a = view_of_array(initial, "initial", 1.0, code);
        const CategoricalMapView b = view_of_array(observed, "observed", 1.0, code);
        const CategoricalMapView c = view_of_array(simulated, "simulated", 1.0, code);
        return call_without_gil(nullptr, [&] { return transition_figures_of_merit(a, b, c); });
      },
      py::arg("initial"), py::arg("observed"), py::arg("simulated"), py::arg("nodata") = 255,
      "Per-transition Figure of Merit at the native resolution (metrics::transition_figures_of_merit).");

  m.def(
      "multi_resolution_figure_of_merit",
      [](const MapArray& initial, const MapArray& observed, const MapArray& simulated, const std::vector<int>& factors,
         double cell_size_m, double cell_height_m, int nodata) {
        const auto code = static_cast<std::uint8_t>(nodata);
        const CategoricalMapView a = view_of_array(initial, "initial", cell_size_m, code, cell_height_m);
        const CategoricalMapView b = view_of_array(observed, "observed", cell_size_m, code, cell_height_m);
        const CategoricalMapView c = view_of_array(simulated, "simulated", cell_size_m, code, cell_height_m);
        return call_without_gil(nullptr, [&] { return multi_resolution_figure_of_merit(a, b, c, factors); });
      },
      py::arg("initial"), py::arg("observed"), py::arg("simulated"), py::arg("factors"), py::arg("cell_size_m") = 1.0,
      py::arg("cell_height_m") = 0.0, py::arg("nodata") = 255,
      "Figure of Merit at several aggregation factors (Pontius et al. 2011; metrics::multi_resolution_figure_of_merit).");

  m.def(
      "class_gains",
      [](const MapArray& start, const MapArray& target, int nodata) {
        const auto code = static_cast<std::uint8_t>(nodata);
        const CategoricalMapView a = view_of_array(start, "start", 1.0, code);
        const CategoricalMapView b = view_of_array(target, "target", 1.0, code);
        py::dict d;
        for (const ClassDemand& c : class_gains(a, b)) d[py::int_(c.class_code)] = c.cells;
        return d;
      },
      py::arg("start"), py::arg("target"), py::arg("nodata") = 255,
      "{class: cells} each class gains from start to target (metrics::class_gains).");

  m.def(
      "proximity_null",
      [](const MapArray& start, const py::dict& demand, const py::object& allowed, std::uint64_t seed, int first_draw,
         int draws, double cell_size_m, double cell_height_m, int nodata) {
        const CategoricalMapView v =
            view_of_array(start, "start", cell_size_m, static_cast<std::uint8_t>(nodata), cell_height_m);
        const std::optional<MapArray> mask = mask_of(allowed, v);
        const std::vector<ClassDemand> d = demand_of(demand);
        ProximityParams params;
        params.seed = seed;
        params.first_draw = first_draw;
        params.draws = draws;
        const std::vector<ProximityNull> nulls =
            call_without_gil(nullptr, [&] { return proximity_null(v, d, span_of(mask), params); });
        py::list out;
        for (const ProximityNull& n : nulls) {
          out.append(py::make_tuple(n.draw, map_array(n.cells, v.rows, v.cols), py::cast(n.allocations)));
        }
        return out;
      },
      py::arg("start"), py::arg("demand"), py::arg("allowed") = py::none(), py::arg("seed") = 0,
      py::arg("first_draw") = 0, py::arg("draws") = 1, py::arg("cell_size_m") = 1.0, py::arg("cell_height_m") = 0.0,
      py::arg("nodata") = 255,
      "Proximity null maps: [(draw, map, allocations)] (metrics::proximity_null).");

  m.def(
      "expected_map",
      [](const py::array_t<std::uint16_t, py::array::c_style | py::array::forcecast>& counts,
         const std::vector<std::int64_t>& quantity, std::uint64_t seed, int nodata) {
        if (counts.ndim() != 3) {
          throw Error(ErrorCode::data,
                      "class_counts must be a 3-D array (classes, rows, cols), not " + std::to_string(counts.ndim()) +
                          "-D",
                      Context{.key = "class_counts"});
        }
        const int classes = static_cast<int>(counts.shape(0));
        const int rows = static_cast<int>(counts.shape(1)), cols = static_cast<int>(counts.shape(2));
        ExpectedMapParams params;
        params.seed = seed;
        params.nodata = static_cast<std::uint8_t>(nodata);
        const std::span<const std::uint16_t> c(counts.data(), static_cast<std::size_t>(counts.size()));
        const ExpectedMap e = call_without_gil(nullptr, [&] {
          return expected_map(c, classes, static_cast<std::int64_t>(rows) * cols, quantity, params);
        });
        return py::make_tuple(map_array(e.cells, rows, cols), e.runs, e.cells_with_data, py::cast(e.classes));
      },
      py::arg("class_counts"), py::arg("quantity"), py::arg("seed") = 0, py::arg("nodata") = 255,
      "The expected map of an ensemble: (map, runs, cells_with_data, classes) (metrics::expected_map).");

  m.def(
      "validate_forecast",
      [](const MapArray& initial, const MapArray& observed, const MapArray& forecast, const py::object& diagnosis,
         const py::object& allowed, const std::vector<int>& factors, std::uint64_t seed, int proximity_draws,
         double cell_size_m, double cell_height_m, int nodata) {
        const auto code = static_cast<std::uint8_t>(nodata);
        const CategoricalMapView a = view_of_array(initial, "initial", cell_size_m, code, cell_height_m);
        const CategoricalMapView b = view_of_array(observed, "observed", cell_size_m, code, cell_height_m);
        const CategoricalMapView c = view_of_array(forecast, "forecast", cell_size_m, code, cell_height_m);
        std::optional<MapArray> diagnosis_array;
        std::optional<CategoricalMapView> d;
        if (!diagnosis.is_none()) {
          diagnosis_array = MapArray::ensure(diagnosis);
          if (!*diagnosis_array) throw py::error_already_set();
          d = view_of_array(*diagnosis_array, "diagnosis", cell_size_m, code, cell_height_m);
        }
        const std::optional<MapArray> mask = mask_of(allowed, a);
        ForecastValidationParams params;
        params.factors = factors;
        params.seed = seed;
        params.proximity_draws = proximity_draws;
        params.allowed = span_of(mask);
        return call_without_gil(nullptr, [&] { return validate_forecast(a, b, c, d, params); });
      },
      py::arg("initial"), py::arg("observed"), py::arg("forecast"), py::arg("diagnosis") = py::none(),
      py::arg("allowed") = py::none(), py::arg("factors") = default_factors(), py::arg("seed") = 0,
      py::arg("proximity_draws") = 10, py::arg("cell_size_m") = 1.0, py::arg("cell_height_m") = 0.0,
      py::arg("nodata") = 255,
      "Scores a forecast (and the diagnosis run) next to persistence and proximity (metrics::validate_forecast).");

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
