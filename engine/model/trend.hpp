#pragma once
// How much land each class will cover, from a series of dated land-use maps: per-class area trend models and the
// Markov chain, projected from the latest map, with `auto` choosing by a backtest on the last interval.
//
// Models (a(t) = area of a class at the end of year t, t_n the latest map's year, a_n its area there):
//  - linear:      a(t) = a_n + b (t - t_n), b the least-squares slope of area on year over the maps;
//  - exponential: a(t) = a_n exp(r (t - t_n)), r the least-squares slope of log area (constant rate); classes with no
//                 cell in some map fall back to linear;
//  - logistic:    saturating at the class's capacity C (its area plus the convertible land it may take):
//                 logit(a / C) linear in t, slope r by least squares, a(t) = C / (1 + (C / a_n - 1) exp(-r (t - t_n)));
//  - markov:      the transition matrix of the two latest maps, annualised (principal root), applied yearly.
// With two maps every model passes through both points (nothing to choose them by): `auto` then takes linear, the
// least-assumption extrapolation, and says so. With three or more maps `auto` refits each model on all maps but the
// last, projects to the last map's year and takes the one with the smallest quantity error (half the sum over classes
// of |projected - observed| area); ties go to the simpler model (linear, exponential, logistic, markov).
// Spread (sd) per class and year: the standard deviation of the four models' projections ("how much the choice of
// model matters"), combined with the chosen model's backtest error scaled by the horizon when there is a backtest.
//
// Pure functions, deterministic, thread-safe. Areas in m2.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "grid/grid.hpp"

namespace parksim::model {

enum class AreaTrend { linear, exponential, logistic, markov };
std::string_view to_string(AreaTrend model) noexcept;
/// "linear", "exponential", "logistic", "markov" (also "trend"); nullopt otherwise.
std::optional<AreaTrend> area_trend_from(std::string_view text) noexcept;

/// Class areas at the observed dates.
struct AreaSeries {
  std::vector<int> years;   ///< ascending, >= 2
  Eigen::MatrixXd area_m2;  ///< years x classes
};

/// Areas of classes 0..class_count-1 on each map, counting the cells of `mask` (non-zero; null = all).
AreaSeries area_series(const std::vector<std::pair<int, const grid::Grid<std::uint8_t>*>>& maps, int class_count,
                       const grid::Grid<std::uint8_t>* mask);

struct AreaForecast {
  AreaTrend model = AreaTrend::linear;  ///< the model used
  std::vector<int> years;               ///< projected years: after the latest map .. end
  Eigen::MatrixXd area_m2;              ///< years x classes, end of each year
  Eigen::MatrixXd sd_m2;                ///< years x classes, spread (see above)
  /// Backtest quantity error of each model on the last interval (empty with two maps), m2.
  std::vector<std::pair<AreaTrend, double>> backtest_error_m2;
  std::string why;                      ///< one sentence: which model and why
};

/// Dated class maps (class indices on one grid), ascending years.
using DatedMaps = std::vector<std::pair<int, const grid::Grid<std::uint8_t>*>>;

/// Projects the class areas from the latest of `maps` to `end_year` with `model` (nullopt = auto), counting the cells
/// of `mask`. `capacity_m2` per class is the logistic saturation (a class at or above it stays constant). Throws
/// Error(config) for fewer than two maps or an end_year not after the latest map.
AreaForecast forecast_areas(const DatedMaps& maps, int class_count, const grid::Grid<std::uint8_t>* mask,
                            const std::vector<double>& capacity_m2, std::optional<AreaTrend> model, int end_year);

/// One model's projection from the latest of `maps` to years latest+1 .. end_year: years x classes.
Eigen::MatrixXd project_areas(AreaTrend model, const DatedMaps& maps, int class_count,
                              const grid::Grid<std::uint8_t>* mask, const std::vector<double>& capacity_m2,
                              int end_year);

}  // namespace parksim::model
