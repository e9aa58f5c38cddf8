#pragma once
// The validation of a forecast in one call: a model's map for a held-out date scored against the observed map,
// side by side with the two null models at the same quantity, with every figure the report and the CLI print.
//
// Maps (same shape and cell size; each with its own nodata code):
//   initial   - the last map the model saw (the start of the forecast; change is measured from it),
//   observed  - the held-out map,
//   forecast  - the model's map at its OWN quantity (its demand model's totals),
//   diagnosis - optional: the model's map when it is given the OBSERVED totals. Scoring it separates the error of
//               the quantity from that of the location; it is a diagnosis, not a forecast (the observed totals
//               are not known when forecasting), and is labelled so.
// For each of forecast and diagnosis (a ForecastComparison) three candidates are scored against `observed`:
//   model       - the model's map;
//   persistence - the initial map (no change; validation.hpp);
//   proximity   - the proximity null model (null_models.hpp) at the same quantity: the gross gain of every
//                 class from `initial` (class_gains) to the `forecast` map in the forecast, and to the OBSERVED
//                 map in the diagnosis (the model there is run with the observed totals, but its gross gains may
//                 differ from the observed ones; the null gets the observed quantity exactly), allocated nearest
//                 to each class's initial cells. Its tie-breaks are random, so it is drawn `proximity_draws`
//                 times (draws 0 .. n-1 of the seed); the full scores are those of draw 0, its Figure of Merit is
//                 also given as mean and standard deviation over the draws.
// Each candidate gets the scores of validate_simulation (Figure of Merit with misses / hits / wrong hits / false
// alarms, Kappa family incl. Kappa simulation, quantity and allocation disagreement), the per-transition Figures of
// Merit and the multi-resolution Figure of Merit (three_map.hpp).
// Pure function; thread-safe; deterministic for a seed.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "metrics/map.hpp"
#include "metrics/null_models.hpp"
#include "metrics/three_map.hpp"
#include "metrics/validation.hpp"

namespace parksim::metrics {

/// Options of validate_forecast().
struct ForecastValidationParams {
  std::vector<int> factors = default_factors();  ///< aggregation factors; DEFAULT 1, 2, 4, 8, 16
  std::uint64_t seed = 0;                          ///< seed of the proximity tie-breaks; DEFAULT 0
  int proximity_draws = 10;                        ///< draws of the proximity null; DEFAULT 10
  /// Cells allowed to change in the proximity null (one byte per cell, non-zero = may change; empty = every cell
  /// with data). Not owned: must outlive the call. DEFAULT empty
  std::span<const std::uint8_t> allowed;
};

/// Every score of one candidate map against the observed map.
struct CandidateValidation {
  ValidationScores scores;                            ///< FoM budget, Kappa family, disagreement
  std::vector<TransitionFigureOfMerit> transitions;   ///< native resolution, ascending (from, to)
  std::vector<ResolutionFigureOfMerit> resolutions;   ///< one per factor asked, in that order
};

/// The proximity null of one comparison.
struct ProximitySummary {
  std::vector<ClassDemand> demand;                     ///< the quantity matched: gross gain per class (see above)
  std::vector<ProximityClassAllocation> allocations;   ///< of draw 0, in the order served
  std::vector<double> figure_of_merit_draws;           ///< Figure of Merit of each draw
  double figure_of_merit_mean = 0.0;  ///< mean over the draws (NaN when any draw's FoM is NaN)
  double figure_of_merit_sd = 0.0;    ///< sample standard deviation (n - 1); NaN with one draw
};

/// The model and both null models at one quantity.
struct ForecastComparison {
  std::string label;  ///< "forecast" (the model's own quantity) or "diagnosis" (the observed quantity)
  CandidateValidation model;
  CandidateValidation persistence;
  CandidateValidation proximity;      ///< draw 0
  ProximitySummary proximity_null;
  std::vector<std::uint8_t> proximity_map;  ///< draw 0, rows x cols, nodata as `initial`

  /// The model's Figure of Merit minus the mean of the proximity null's (NaN when either is NaN).
  double figure_of_merit_over_proximity() const noexcept;
  /// The model's Figure of Merit is strictly above the proximity null's mean (false when either is NaN).
  bool beats_proximity_on_figure_of_merit() const noexcept;
  /// The model's Kappa simulation is strictly above persistence's (0 by construction; false when NaN).
  bool beats_persistence_on_kappa_simulation() const noexcept;
};

/// The validation of a forecast. Plain value type.
struct ForecastValidation {
  ForecastComparison forecast;                 ///< at the model's own quantity
  std::optional<ForecastComparison> diagnosis;  ///< at the observed quantity, when that map was given
  int rows = 0;                     ///< shape of the maps (and of the proximity maps)
  int cols = 0;
  std::int64_t cells_compared = 0;  ///< cells with data in initial, observed and forecast
  std::int64_t cells_excluded = 0;
  double cell_area_m2 = 0.0;
  std::vector<std::uint8_t> classes;  ///< class codes present in compared cells, ascending

  /// Every figure as a row. Scopes "<label>.model", "<label>.persistence", "<label>.proximity" (label = forecast
  /// or diagnosis) carry the ids of ValidationResult::to_rows, then "transition_*" rows (class_code = from,
  /// to_class_code = to; areas in m2) and "resolution_*" rows (factor set; resolution_transition_figure_of_merit
  /// also from/to). Scope "<label>.proximity" adds proximity_figure_of_merit_mean / _sd / proximity_draws and
  /// per class proximity_demand_area / proximity_allocated_area; scope "<label>.comparison" has
  /// figure_of_merit_over_proximity, beats_proximity_figure_of_merit and beats_persistence_kappa_simulation;
  /// scope "comparison" has compared_area and excluded_area.
  std::vector<MetricRow> to_rows() const;
};

/// Scores `forecast` (and `diagnosis` when given) and their null models against `observed`, as described above.
/// Throws Error(data) when a map is malformed, shapes or cell sizes differ (key = the map's name: "initial",
/// "observed", "forecast", "diagnosis") or no cell has data in initial, observed and forecast; Error(config) on
/// bad params (keys "factors", "draws") and Error(data, key "allowed") on a mask of the wrong size.
ForecastValidation validate_forecast(const CategoricalMapView& initial, const CategoricalMapView& observed,
                                     const CategoricalMapView& forecast,
                                     const std::optional<CategoricalMapView>& diagnosis = std::nullopt,
                                     const ForecastValidationParams& params = {});

}  // namespace parksim::metrics
