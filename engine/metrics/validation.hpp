#pragma once
// Validation of a simulated land-use map against the observed one, always side by side with the
// persistence (no-change) null model.
//
// Three maps of the same shape and cell size:
//   initial   - reference map at time 1 (the simulation's starting map),
//   observed  - reference map at time 2,
//   simulated - the model's map for time 2.
// The persistence null model is the map "simulated = initial"; every score is computed for it as well,
// because a model that changes cells can easily score below a model that changes nothing.
//
// Sources of the definitions (formulas are repeated on each member below):
//  - Figure of Merit, producer's and user's accuracy: Pontius R.G. Jr. et al. (2008), "Comparing the input,
//    output, and validation maps for several models of land change", Annals of Regional Science 42(1).
//  - Cohen's Kappa, Kappa-location and Kappa-histogram: Cohen (1960); Hagen (2002), "Multi-method assessment
//    of map similarity", AGILE; Pontius (2000) for the location/quantity split.
//  - Kappa simulation, Kappa-transition, Kappa-transition-location: van Vliet J., Bregt A.K. &
//    Hagen-Zanker A. (2011), "Revisions to the landscape-change modelling (land-use) Kappa simulation",
//    Ecological Modelling 222(8): 1367-1375.
//  - Quantity and allocation disagreement: Pontius R.G. Jr. & Millones M. (2011), "Death to Kappa: birth
//    of quantity disagreement and allocation disagreement for accuracy assessment", International Journal
//    of Remote Sensing 32(15): 4407-4429.
//
// Nodata: a cell is compared only when it has data in all three maps (each map's own `nodata` code); the
// other cells are counted in `cells_excluded` and take part in nothing else.
// Undefined scores (a zero denominator, e.g. Kappa when both maps hold one single class, or the Figure of
// Merit when no change is observed nor simulated) are NaN, never a made-up 0 or 1.
// Determinism: counts are integers; every ratio is computed from them in one fixed order, so results are
// bit-identical on every run and thread count. Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "metrics/map.hpp"

namespace parksim::metrics {

/// Pontius et al. (2008) change-agreement budget, in cells. "Change" means a cell whose time-2 class differs
/// from its initial class.
struct FigureOfMerit {
  std::int64_t misses = 0;              ///< A: observed change simulated as persistence
  std::int64_t hits = 0;                ///< B: observed change simulated as change to the observed class
  std::int64_t wrong_hits = 0;          ///< C: observed change simulated as change to another class
  std::int64_t false_alarms = 0;        ///< D: observed persistence simulated as change
  std::int64_t correct_rejections = 0;  ///< observed persistence simulated as persistence
  double figure_of_merit = 0.0;         ///< B / (A + B + C + D), 0..1; NaN when A+B+C+D = 0
  double producers_accuracy = 0.0;      ///< B / (A + B + C), 0..1; NaN when no change is observed
  double users_accuracy = 0.0;          ///< B / (B + C + D), 0..1; NaN when no change is simulated
};

/// Agreement statistics of the Kappa family, as fractions (1 = perfect agreement, 0 = no better than the
/// reference expectation, negative = worse). p_o = fraction of cells where observed == simulated.
struct KappaScores {
  double fraction_correct = 0.0;  ///< p_o
  /// Cohen: (p_o - p_e) / (1 - p_e), p_e = sum_i p(obs=i) p(sim=i). NaN when p_e = 1.
  double kappa = 0.0;
  /// (p_o - p_e) / (p_max - p_e), p_max = sum_i min(p(obs=i), p(sim=i)). NaN when p_max = p_e.
  double kappa_location = 0.0;
  /// (p_max - p_e) / (1 - p_e); kappa = kappa_location * kappa_histogram. NaN when p_e = 1.
  double kappa_histogram = 0.0;
  /// van Vliet et al. (2011): (p_o - p_e(T)) / (1 - p_e(T)) with the expected agreement given the transition
  /// sizes from each initial class j: p_e(T) = sum_j p(ini=j) sum_i p(obs=i | ini=j) p(sim=i | ini=j).
  /// 0 for the persistence map by construction. NaN when p_e(T) = 1 (no change observed nor simulated).
  double kappa_simulation = 0.0;
  /// (p_max(T) - p_e(T)) / (1 - p_e(T)), p_max(T) = sum_j p(ini=j) sum_i min(p(obs=i|ini=j), p(sim=i|ini=j)):
  /// agreement of the transition quantities. NaN when p_e(T) = 1.
  double kappa_transition = 0.0;
  /// (p_o - p_e(T)) / (p_max(T) - p_e(T)): agreement of transition locations given their quantities;
  /// kappa_simulation = kappa_transition * kappa_transition_location. NaN when p_max(T) = p_e(T).
  double kappa_transition_location = 0.0;
};

/// Pontius & Millones (2011) disagreement of one class g, fractions of the compared area. With p_ij the
/// fraction of cells of simulated class i and observed class j, sim_g = sum_j p_gj, obs_g = sum_i p_ig:
/// quantity q_g = |sim_g - obs_g|, allocation a_g = 2 min(sim_g - p_gg, obs_g - p_gg).
struct ClassDisagreement {
  std::uint8_t class_code = 0;
  double quantity = 0.0;    ///< q_g, 0..1
  double allocation = 0.0;  ///< a_g, 0..1
};

/// Pontius & Millones (2011) map-level disagreement, fractions of the compared area.
struct Disagreement {
  double quantity = 0.0;    ///< Q = sum_g q_g / 2
  double allocation = 0.0;  ///< A = sum_g a_g / 2
  double total = 0.0;       ///< D = 1 - p_o = Q + A
  std::vector<ClassDisagreement> per_class;  ///< every class present in any of the three maps, ascending code
};

/// All scores of one candidate map (the model's simulation, or the persistence map) against `observed`.
struct ValidationScores {
  FigureOfMerit fom;
  KappaScores kappa;
  Disagreement disagreement;
};

/// Appends the rows of one candidate map's scores under `scope`, with the ids and labels of
/// ValidationResult::to_rows (FoM budget areas in m2 from `cell_area_m2`; per-class disagreement rows carry
/// class_code). Other results (metrics/forecast.hpp) use it so that the same figure has the same id everywhere.
void append_rows(std::vector<MetricRow>& rows, const ValidationScores& scores, const std::string& scope,
                 double cell_area_m2);

/// The model next to the persistence null model. Plain value type.
struct ValidationResult {
  ValidationScores model;        ///< simulated vs observed
  ValidationScores persistence;  ///< initial (no change) vs observed; its FoM is 0 (or NaN) by definition
  std::int64_t cells_compared = 0;  ///< cells with data in all three maps
  std::int64_t cells_excluded = 0;  ///< cells that are nodata in at least one map
  double cell_area_m2 = 0.0;
  std::vector<std::uint8_t> classes;  ///< class codes present in any of the three maps, ascending

  /// Total disagreement of the model is strictly below that of persistence.
  bool beats_persistence_on_total_disagreement() const noexcept;
  /// Cohen's Kappa of the model is strictly above that of persistence (false when either is NaN).
  bool beats_persistence_on_kappa() const noexcept;
  /// Kappa simulation of the model is strictly above that of persistence, which is 0 by construction
  /// (false when either is NaN).
  bool beats_persistence_on_kappa_simulation() const noexcept;

  /// Every figure as a row: scope "model" and "persistence" (same ids, side by side; FoM budget areas in m2,
  /// per-class disagreement rows carry class_code), then scope "comparison": compared_area and excluded_area
  /// (m2) and the beats_persistence_* flags (1 or 0).
  std::vector<MetricRow> to_rows() const;
};

/// Scores `simulated` and the persistence map (= `initial`) against `observed`.
/// Throws Error(ErrorCode::data, key = the map's name) when a map is empty or malformed (see check_map),
/// when shapes or cell sizes differ (the message names both maps and both values), or when no cell has
/// data in all three maps.
ValidationResult validate_simulation(const CategoricalMapView& initial, const CategoricalMapView& observed,
                                     const CategoricalMapView& simulated);

}  // namespace parksim::metrics
