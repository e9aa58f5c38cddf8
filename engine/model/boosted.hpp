#pragma once
// Gradient-boosted trees for transition potential (XGBoost, Debian's libxgboost-dev, through its C API in
// model/detail/): P(a cell becomes a class | its drivers) as a sum of shallow regression trees on the RAW driver
// values - no standardisation, any monotone transform of a driver gives the same trees. Stronger than one logistic
// where the response is not linear in the drivers (a threshold of slope, a band of distance).
//
// Determinism: trained on one thread with a fixed seed (row and column subsampling draw from it); prediction is per
// row. A model is saved as XGBoost's JSON (the file a calibrated scenario names) and loaded back bit for bit.
// Thread-safety: a BoostedTrees is immutable after construction; predict() may run on several threads at once.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/params.hpp"
#include "grid/grid.hpp"
#include "model/drivers.hpp"

namespace parksim::model {

/// Options of fit_boosted(). Plain value; DEFAULTs as given.
struct BoostedOptions {
  int rounds = 200;                ///< boosting rounds (trees). DEFAULT 200
  int max_depth = 4;               ///< depth of each tree. DEFAULT 4
  double learning_rate = 0.05;     ///< shrinkage eta. DEFAULT 0.05
  double subsample = 0.8;          ///< share of rows per tree. DEFAULT 0.8
  double colsample = 0.8;          ///< share of drivers per tree. DEFAULT 0.8
  double min_child_weight = 5.0;   ///< least hessian (about cells) per leaf. DEFAULT 5
  std::uint64_t seed = 1;          ///< seed of the subsampling. DEFAULT 1
};

/// A trained booster and the driver names it reads, in column order.
class BoostedTrees {
 public:
  /// From XGBoost JSON (as saved by to_json()); the driver names are read from the model. Throws Error(data) when
  /// XGBoost cannot read it or it names no features.
  static BoostedTrees from_json(std::string_view json, const std::string& what);
  /// Reads a saved model file. Error(input) when unreadable, Error(data) as from_json.
  static BoostedTrees load(const std::filesystem::path& path);

  const std::vector<std::string>& names() const noexcept { return m_names; }
  /// XGBoost JSON of the model, with the driver names in it.
  const std::string& to_json() const noexcept { return m_json; }

  /// P(y = 1) for each row of raw `x` (n x names().size()).
  Eigen::VectorXd predict(const Eigen::MatrixXd& x) const;
  /// Per cell from the drivers it names (looked up by name; Error(config) when one is missing); cells where `mask`
  /// is 0 get 0.
  grid::Grid<float> predict(const DriverSet& drivers, const grid::Grid<std::uint8_t>* mask) const;
  /// Total gain of the splits on each driver, normalised to sum to 1 (the drivers' contributions), in names() order.
  std::vector<double> gain_shares() const;

 private:
  struct Handle;
  std::shared_ptr<const Handle> m_handle;
  std::vector<std::string> m_names;
  std::string m_json;
};

/// Trains on raw `x` (n x names.size()) and labels y in {0, 1}. Throws Error(data) when y has one class only or
/// sizes differ, Error(internal) when XGBoost fails.
BoostedTrees fit_boosted(const Eigen::MatrixXd& x, std::span<const std::uint8_t> y, std::vector<std::string> names,
                         const BoostedOptions& options = {});

}  // namespace parksim::model
