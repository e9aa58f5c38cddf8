#pragma once
// Per-class suitability: training samples from two class maps, the logistic fit on a DriverSet, and
// suitability maps. Maps can be stored compactly as uint16 quantised probabilities (2 bytes per cell per
// class) or evaluated for one class at a time, so a 2000 x 2000 grid with 8 classes needs no 8 float grids.

#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include "grid/grid.hpp"
#include "model/drivers.hpp"
#include "model/boosted.hpp"
#include "model/logistic.hpp"
#include "core/params.hpp"

namespace parksim::model {

/// How training cells are drawn. Plain value.
struct TrainingSampleParams {
  std::int64_t cells_per_group = 5000;  ///< cells drawn from the changed and from the unchanged group each. DEFAULT 5000
  std::uint64_t seed = 1;               ///< RNG seed (stream "model.training_sample", index = class). DEFAULT 1

  static std::span<const ParamInfo> info();
};

/// Balanced training sample for one class: cells that became the class between two maps (label 1) and
/// cells that could have but did not (label 0).
struct TrainingSample {
  std::vector<std::int64_t> cells;   ///< flat cell indices, ascending
  std::vector<std::uint8_t> labels;  ///< 1 = converted to the class, aligned with cells
  std::int64_t changed_available = 0;
  std::int64_t unchanged_available = 0;
};

/// Draws min(cells_per_group, available) cells without replacement from each group:
///  changed   = before != target_class && after == target_class,
///  unchanged = before != target_class && after != target_class,
/// both restricted to `eligible` (non-zero) when given. Deterministic for a seed (RngStream, partial
/// Fisher-Yates over the cells in row order). Throws Error(internal) when the grids' specs differ.
TrainingSample sample_training_cells(const grid::Grid<std::uint8_t>& before, const grid::Grid<std::uint8_t>& after,
                                     std::uint8_t target_class, const grid::Grid<std::uint8_t>* eligible,
                                     const TrainingSampleParams& params = {});

/// A fitted suitability model with its in-sample diagnostics.
struct SuitabilityFit {
  LogisticModel model;
  double training_auc = 0.0;  ///< AUC of the model on its own training sample
  std::vector<DriverContribution> contributions;
};

/// Fits a logistic model of the sample's labels on every driver of `drivers`, standardised with the
/// drivers' study-area mean/sd. Throws as fit_logistic.
SuitabilityFit fit_suitability(const DriverSet& drivers, const TrainingSample& sample,
                               const LogisticFitOptions& options = {});

/// Probability per cell from the drivers the model names (looked up by name; Error(config) when one is
/// missing). Cells where `mask` is 0 get 0. Rows are computed in parallel; deterministic.
grid::Grid<float> suitability_map(const DriverSet& drivers, const LogisticModel& model,
                                  const grid::Grid<std::uint8_t>* mask = nullptr);

/// A class's transition potential: a logistic model (its terms drivers or hinge terms "driver>knot", see
/// DriverSet::add_terms) or boosted trees.
using PotentialModel = std::variant<LogisticModel, BoostedTrees>;
/// The terms a model reads (hinge terms included), in its order.
const std::vector<std::string>& terms_of(const PotentialModel& model);
/// Probability per cell; cells where `mask` is 0 get 0. `drivers` must hold every term (add_terms).
grid::Grid<float> potential_map(const DriverSet& drivers, const PotentialModel& model,
                                const grid::Grid<std::uint8_t>* mask = nullptr);

/// The same quantised to uint16: q = round(p * 65535), so |q / 65535 - p| <= 1 / 131070.
grid::Grid<std::uint16_t> suitability_map_u16(const DriverSet& drivers, const LogisticModel& model,
                                              const grid::Grid<std::uint8_t>* mask = nullptr);

constexpr double u16_to_probability(std::uint16_t q) noexcept { return q / 65535.0; }
constexpr std::uint16_t probability_to_u16(double p) noexcept {
  return p <= 0.0 ? 0 : p >= 1.0 ? 65535 : static_cast<std::uint16_t>(p * 65535.0 + 0.5);
}

}  // namespace parksim::model
