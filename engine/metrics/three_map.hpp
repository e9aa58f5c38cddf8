#pragma once
// How well a simulated change agrees with the observed change, per transition and at several resolutions: the
// three-map comparison of
//   Pontius R.G. Jr., Peethambaram S. & Castella J.-C. (2011), "Comparison of three maps at multiple resolutions:
//   a case study of land change simulation in Cho Don District, Vietnam", Annals of the Association of American
//   Geographers 101(1): 45-62 (equation numbers below are theirs),
// as the R package lulcc implements it (functions ThreeMapComparison and FigureOfMerit; Moulds S., Buytaert W. &
// Mijic A. (2015), Geosci. Model Dev. 8: 3215-3229). The overall Figure of Merit at the native resolution is the
// one of validation.hpp (Pontius et al. 2008); this header adds the per-transition scores and coarser resolutions.
//
// Maps, as in validation.hpp: initial (reference at time 1), observed (reference at time 2), simulated (time 2).
// Compared cells are the cells with data in all three maps (each map's own `nodata`); other cells take part in
// nothing - they are neither land of a class nor weight of a coarse cell. (lulcc takes the study area from the
// time-1 map and stops when a time-2 map has NA inside it; excluding is the same where the maps agree on it.)
//
// THE THREE-MAP TABLE T[i][j][k]: the land, in cells, that is class i in `initial`, j in `observed` and k in
// `simulated`. At aggregation factor 1 it is the cross-tabulation of the cells. At factor f the map is cut into
// coarse cells of f x f cells from the upper-left corner (row 0, col 0); in the last coarse row and column they
// hold what is left (raster::aggregate(expand = TRUE), as lulcc). Coarse cells without a compared cell are
// skipped. A coarse cell holding W compared cells, q_i of class i in `initial`, r_j in `observed` and s_k in
// `simulated`, is matched without regard to where its cells lie, in the order of Pontius et al. (2011):
//   Eq. 1  agreement on class j between observed and simulated:  e1_j = min(r_j, s_j)
//   Eq. 2  persistence simulated correctly, T_jjj:                 e2_j = min(q_j, r_j, s_j)
//   Eq. 3  change to j simulated correctly, from i != j, T_ijj:    (e1_j - e2_j) (q_i - e2_i) / sum_{h!=j} (q_h - e2_h)
//   Eq. 4-6  what is left: qq_i = q_i - sum_j T_ijj,  rr_j = r_j - e1_j,  ss_k = s_k - e1_k
//   Eq. 7  disagreement, j != k, T_ijk:   (W - sum_h e1_h) qq_i rr_j ss_k / sum_{h, l != m} qq_h rr_l ss_m
// and T sums the coarse cells (lulcc averages their fractions weighted by W, which is the same divided by the
// compared cells). A term whose denominator is 0 has a zero numerator and counts 0 (lulcc's na.rm = TRUE).
// At factor 1 the equations give the cross-tabulation exactly; at coarser factors change simulated in the wrong
// cell but the right coarse cell becomes agreement, which is what the multiple resolutions measure.
//
// THE BUDGET at each factor (cells; at factor 1 whole cells, coarser ones may be fractional):
//   misses             A = sum_{i != j} T_iji     observed change simulated as persistence
//   hits               B = sum_{i != j} T_ijj     observed change simulated to the observed class
//   wrong hits         C = sum T_ijk, i, j, k all different   observed change simulated to another class
//   false alarms       D = sum_{i != k} T_iik     observed persistence simulated as change
//   correct rejections E = sum_i T_iii
//   Figure of Merit (Eq. 9) = B / (A + B + C + D) = (sum_j T_+jj - sum_j T_jjj) / (1 - sum_j T_jjj) in fractions.
//
// A TRANSITION g -> h (g != h) counts the cells that begin as g (Eq. 11): its observed cells O = {initial g,
// observed h} and its simulated cells S = {initial g, simulated h}; FoM_gh = |O n S| / |O u S|, and O u S splits
// into hits (T_ghh), misses (T_ghg), wrong hits of the observed transition (T_ghk, k not g or h: observed g->h,
// simulated g->k), false alarms (T_ggh) and wrong hits of the simulated transition (T_gjh, j not g or h: observed
// g->j, simulated g->h). An overall wrong hit (g, j, k) is thus counted once in transition g->j (observed side)
// and once in g->k (simulated side); the overall A, B and D are the sums of the transitions' misses, hits and
// false alarms.
//
// Undefined ratios (zero denominators) are NaN, never a made-up 0 or 1. Pure functions; thread-safe;
// deterministic: counts are accumulated in one fixed order, single-threaded, so results are bit-identical.

#include <cstdint>
#include <span>
#include <vector>

#include "metrics/map.hpp"

namespace parksim::metrics {

/// The agreement budget of one transition from_class -> to_class, in cells (see the header comment).
struct TransitionFigureOfMerit {
  std::uint8_t from_class = 0;
  std::uint8_t to_class = 0;
  double hits = 0.0;                  ///< T_ghh: observed g->h, simulated g->h
  double misses = 0.0;                ///< T_ghg: observed g->h, simulated as persistence of g
  double wrong_hits_observed = 0.0;   ///< sum_k T_ghk, k not g or h: observed g->h, simulated g->k
  double false_alarms = 0.0;          ///< T_ggh: observed persistence of g, simulated g->h
  double wrong_hits_simulated = 0.0;  ///< sum_j T_gjh, j not g or h: observed g->j, simulated g->h
  double observed = 0.0;   ///< cells of the observed transition = hits + misses + wrong_hits_observed
  double simulated = 0.0;  ///< cells of the simulated transition = hits + false_alarms + wrong_hits_simulated
  double figure_of_merit = 0.0;     ///< Eq. 11: hits / (observed + simulated - hits), 0..1; NaN when both are 0
  double producers_accuracy = 0.0;  ///< hits / observed, 0..1; NaN when observed = 0
  double users_accuracy = 0.0;      ///< hits / simulated, 0..1; NaN when simulated = 0
};

/// The budget and Figure of Merit at one aggregation factor, in cells (see the header comment).
struct ResolutionFigureOfMerit {
  int factor = 1;                   ///< coarse cells of factor x factor cells
  double coarse_cell_width_m = 0.0;   ///< factor x the cell width, m
  double coarse_cell_height_m = 0.0;  ///< factor x the cell height, m
  std::int64_t coarse_cells = 0;    ///< coarse cells holding at least one compared cell
  double misses = 0.0;              ///< A
  double hits = 0.0;                ///< B
  double wrong_hits = 0.0;          ///< C
  double false_alarms = 0.0;        ///< D
  double correct_rejections = 0.0;  ///< E
  double figure_of_merit = 0.0;     ///< Eq. 9: B / (A + B + C + D), 0..1; NaN when A + B + C + D = 0
  double producers_accuracy = 0.0;  ///< B / (A + B + C); NaN when no change is observed
  double users_accuracy = 0.0;      ///< B / (B + C + D); NaN when no change is simulated
  /// Every transition with observed or simulated land > 0 at this factor, ascending (from, to).
  std::vector<TransitionFigureOfMerit> transitions;

  /// The transition from -> to, or nullptr when it has no land at this factor.
  const TransitionFigureOfMerit* find(std::uint8_t from_class, std::uint8_t to_class) const noexcept;
};

/// The Figure of Merit at several resolutions. Plain value type.
struct MultiResolutionFigureOfMerit {
  std::vector<ResolutionFigureOfMerit> resolutions;  ///< in the order of the factors asked
  std::int64_t cells_compared = 0;  ///< cells with data in all three maps
  std::int64_t cells_excluded = 0;  ///< cells that are nodata in at least one map
  std::vector<std::uint8_t> classes;  ///< class codes present in compared cells of any map, ascending

  /// The resolution of `factor`, or nullptr when it was not asked.
  const ResolutionFigureOfMerit* find(int factor) const noexcept;
};

/// The aggregation factors of Pontius et al. (2011) and lulcc's examples: 1, 2, 4, 8, 16 (DEFAULT).
std::vector<int> default_factors();

/// Per-transition budgets and Figures of Merit at the native resolution (factor 1): every transition with
/// observed or simulated cells, ascending (from, to). Counts are whole cells.
/// Throws Error(data) as validate_simulation does: malformed maps, different shapes, no compared cell.
std::vector<TransitionFigureOfMerit> transition_figures_of_merit(const CategoricalMapView& initial,
                                                                 const CategoricalMapView& observed,
                                                                 const CategoricalMapView& simulated);

/// The budget, overall and per-transition Figure of Merit at each of `factors` (each >= 1; repeated factors are
/// computed again). Memory: O(classes^3 + cols x classes); one pass over the maps per factor.
/// Throws Error(config, key "factors") when `factors` is empty or holds a factor < 1, and Error(data) as
/// transition_figures_of_merit does.
MultiResolutionFigureOfMerit multi_resolution_figure_of_merit(const CategoricalMapView& initial,
                                                              const CategoricalMapView& observed,
                                                              const CategoricalMapView& simulated,
                                                              std::span<const int> factors);

}  // namespace parksim::metrics
