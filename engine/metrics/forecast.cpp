#include "metrics/forecast.hpp"

#include <cmath>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"

namespace parksim::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

CandidateValidation candidate(const CategoricalMapView& initial, const CategoricalMapView& observed,
                              const CategoricalMapView& simulated, const ValidationScores& scores,
                              const std::vector<int>& factors) {
  CandidateValidation c;
  c.scores = scores;
  MultiResolutionFigureOfMerit m = multi_resolution_figure_of_merit(initial, observed, simulated, factors);
  c.resolutions = std::move(m.resolutions);
  c.transitions = transition_figures_of_merit(initial, observed, simulated);
  return c;
}

void mean_and_sd(ProximitySummary& p) {
  const auto n = static_cast<double>(p.figure_of_merit_draws.size());
  double sum = 0.0;
  for (const double v : p.figure_of_merit_draws) sum += v;
  p.figure_of_merit_mean = sum / n;
  if (p.figure_of_merit_draws.size() < 2) {
    p.figure_of_merit_sd = kNaN;
    return;
  }
  double squares = 0.0;
  for (const double v : p.figure_of_merit_draws) squares += (v - p.figure_of_merit_mean) * (v - p.figure_of_merit_mean);
  p.figure_of_merit_sd = std::sqrt(squares / (n - 1.0));
}

// `quantity` is the map whose gross gains the proximity null reproduces.
ForecastComparison compare(std::string label, const CategoricalMapView& initial, const CategoricalMapView& observed,
                           const CategoricalMapView& model, const CategoricalMapView& quantity,
                           const ForecastValidationParams& params, ValidationResult& model_result) {
  ForecastComparison out;
  out.label = std::move(label);
  model_result = validate_simulation(initial, observed, model);
  out.model = candidate(initial, observed, model, model_result.model, params.factors);
  out.persistence = candidate(initial, observed, initial, model_result.persistence, params.factors);

  ProximitySummary& p = out.proximity_null;
  p.demand = class_gains(initial, quantity);
  ProximityParams proximity;
  proximity.seed = params.seed;
  proximity.draws = params.proximity_draws;
  std::vector<ProximityNull> nulls = proximity_null(initial, p.demand, params.allowed, proximity);
  for (std::size_t d = 0; d < nulls.size(); ++d) {
    const CategoricalMapView map = nulls[d].view(initial);
    const ValidationResult v = validate_simulation(initial, observed, map);
    p.figure_of_merit_draws.push_back(v.model.fom.figure_of_merit);
    if (d == 0) {
      out.proximity = candidate(initial, observed, map, v.model, params.factors);
      p.allocations = nulls[d].allocations;
    }
  }
  mean_and_sd(p);
  out.proximity_map = std::move(nulls.front().cells);
  return out;
}

void add(std::vector<MetricRow>& rows, std::string id, const std::string& scope, std::string label, std::string unit,
         double value, std::optional<std::uint8_t> from = std::nullopt, std::optional<std::uint8_t> to = std::nullopt,
         std::optional<int> factor = std::nullopt) {
  rows.push_back(MetricRow{std::move(id), scope, from, std::move(label), std::move(unit), value, to, factor});
}

void add_transition_rows(std::vector<MetricRow>& rows, const std::vector<TransitionFigureOfMerit>& transitions,
                         const std::string& scope, double cell_area_m2) {
  for (const TransitionFigureOfMerit& t : transitions) {
    const auto row = [&](const char* id, const char* label, const char* unit, double value) {
      add(rows, id, scope, label, unit, value, t.from_class, t.to_class);
    };
    const auto area = [&](const char* id, const char* label, double cells) {
      row(id, label, "m2", cells * cell_area_m2);
    };
    row("transition_figure_of_merit", "Figure of Merit of the transition", "fraction", t.figure_of_merit);
    row("transition_producers_accuracy", "Producer's accuracy of the transition", "fraction", t.producers_accuracy);
    row("transition_users_accuracy", "User's accuracy of the transition", "fraction", t.users_accuracy);
    area("transition_observed_area", "Observed transition", t.observed);
    area("transition_simulated_area", "Simulated transition", t.simulated);
    area("transition_hits_area", "Hits: observed transition simulated", t.hits);
    area("transition_misses_area", "Misses: observed transition simulated as persistence", t.misses);
    area("transition_wrong_hits_observed_area", "Wrong hits: observed transition simulated to another class",
         t.wrong_hits_observed);
    area("transition_false_alarms_area", "False alarms: observed persistence simulated as the transition",
         t.false_alarms);
    area("transition_wrong_hits_simulated_area", "Wrong hits: simulated transition observed to another class",
         t.wrong_hits_simulated);
  }
}

void add_resolution_rows(std::vector<MetricRow>& rows, const std::vector<ResolutionFigureOfMerit>& resolutions,
                         const std::string& scope, double cell_area_m2) {
  for (const ResolutionFigureOfMerit& r : resolutions) {
    const auto row = [&](const char* id, const char* label, const char* unit, double value) {
      add(rows, id, scope, label, unit, value, std::nullopt, std::nullopt, r.factor);
    };
    row("resolution_figure_of_merit", "Figure of Merit at the resolution", "fraction", r.figure_of_merit);
    row("resolution_producers_accuracy", "Producer's accuracy of change at the resolution", "fraction",
        r.producers_accuracy);
    row("resolution_users_accuracy", "User's accuracy of change at the resolution", "fraction", r.users_accuracy);
    row("resolution_cell_width", "Width of the coarse cells", "m", r.coarse_cell_width_m);
    row("resolution_misses_area", "Misses at the resolution", "m2", r.misses * cell_area_m2);
    row("resolution_hits_area", "Hits at the resolution", "m2", r.hits * cell_area_m2);
    row("resolution_wrong_hits_area", "Wrong hits at the resolution", "m2", r.wrong_hits * cell_area_m2);
    row("resolution_false_alarms_area", "False alarms at the resolution", "m2", r.false_alarms * cell_area_m2);
    row("resolution_correct_rejections_area", "Correct rejections at the resolution", "m2",
        r.correct_rejections * cell_area_m2);
    for (const TransitionFigureOfMerit& t : r.transitions) {
      add(rows, "resolution_transition_figure_of_merit", scope, "Figure of Merit of the transition at the resolution",
          "fraction", t.figure_of_merit, t.from_class, t.to_class, r.factor);
    }
  }
}

void add_candidate_rows(std::vector<MetricRow>& rows, const CandidateValidation& c, const std::string& scope,
                        double cell_area_m2) {
  append_rows(rows, c.scores, scope, cell_area_m2);
  add_transition_rows(rows, c.transitions, scope, cell_area_m2);
  add_resolution_rows(rows, c.resolutions, scope, cell_area_m2);
}

void add_comparison_rows(std::vector<MetricRow>& rows, const ForecastComparison& f, double cell_area_m2) {
  add_candidate_rows(rows, f.model, f.label + ".model", cell_area_m2);
  add_candidate_rows(rows, f.persistence, f.label + ".persistence", cell_area_m2);
  const std::string proximity = f.label + ".proximity";
  add_candidate_rows(rows, f.proximity, proximity, cell_area_m2);
  const ProximitySummary& p = f.proximity_null;
  add(rows, "proximity_figure_of_merit_mean", proximity, "Figure of Merit of the proximity null, mean over draws",
      "fraction", p.figure_of_merit_mean);
  add(rows, "proximity_figure_of_merit_sd", proximity,
      "Figure of Merit of the proximity null, standard deviation over draws", "fraction", p.figure_of_merit_sd);
  add(rows, "proximity_draws", proximity, "Draws of the proximity null", "count",
      static_cast<double>(p.figure_of_merit_draws.size()));
  for (const ProximityClassAllocation& a : p.allocations) {
    add(rows, "proximity_demand_area", proximity, "New land of the class asked of the proximity null", "m2",
        static_cast<double>(a.demand_cells) * cell_area_m2, a.class_code);
    add(rows, "proximity_allocated_area", proximity, "New land of the class given by the proximity null", "m2",
        static_cast<double>(a.allocated_cells) * cell_area_m2, a.class_code);
  }
  const std::string comparison = f.label + ".comparison";
  add(rows, "figure_of_merit_over_proximity", comparison,
      "Figure of Merit of the model minus that of the proximity null (mean)", "fraction",
      f.figure_of_merit_over_proximity());
  add(rows, "beats_proximity_figure_of_merit", comparison,
      "Model has a higher Figure of Merit than the proximity null (mean)", "boolean",
      f.beats_proximity_on_figure_of_merit() ? 1.0 : 0.0);
  add(rows, "beats_persistence_kappa_simulation", comparison, "Model has a higher Kappa simulation than persistence",
      "boolean", f.beats_persistence_on_kappa_simulation() ? 1.0 : 0.0);
}

}  // namespace

double ForecastComparison::figure_of_merit_over_proximity() const noexcept {
  return model.scores.fom.figure_of_merit - proximity_null.figure_of_merit_mean;  // NaN propagates
}

bool ForecastComparison::beats_proximity_on_figure_of_merit() const noexcept {
  return model.scores.fom.figure_of_merit > proximity_null.figure_of_merit_mean;
}

bool ForecastComparison::beats_persistence_on_kappa_simulation() const noexcept {
  return model.scores.kappa.kappa_simulation > persistence.scores.kappa.kappa_simulation;
}

std::vector<MetricRow> ForecastValidation::to_rows() const {
  std::vector<MetricRow> rows;
  add_comparison_rows(rows, forecast, cell_area_m2);
  if (diagnosis) add_comparison_rows(rows, *diagnosis, cell_area_m2);
  add(rows, "compared_area", "comparison", "Area with data in the initial, observed and forecast maps", "m2",
      static_cast<double>(cells_compared) * cell_area_m2);
  add(rows, "excluded_area", "comparison", "Area without data in at least one of those maps", "m2",
      static_cast<double>(cells_excluded) * cell_area_m2);
  return rows;
}

ForecastValidation validate_forecast(const CategoricalMapView& initial, const CategoricalMapView& observed,
                                     const CategoricalMapView& forecast,
                                     const std::optional<CategoricalMapView>& diagnosis,
                                     const ForecastValidationParams& params) {
  check_three_maps(initial, observed, forecast, "forecast");
  if (diagnosis) {
    check_map(*diagnosis, "diagnosis");
    require_same_shape(initial, "initial", *diagnosis, "diagnosis");
  }
  ForecastValidation out;
  ValidationResult v;
  out.forecast = compare("forecast", initial, observed, forecast, forecast, params, v);
  out.rows = initial.rows;
  out.cols = initial.cols;
  out.cells_compared = v.cells_compared;
  out.cells_excluded = v.cells_excluded;
  out.cell_area_m2 = v.cell_area_m2;
  out.classes = v.classes;
  if (diagnosis) out.diagnosis = compare("diagnosis", initial, observed, *diagnosis, observed, params, v);
  return out;
}

}  // namespace parksim::metrics
