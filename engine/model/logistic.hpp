#pragma once
// Binary logistic regression fitted by iteratively reweighted least squares (Newton-Raphson) with an L2
// (ridge) penalty, on Eigen. Used for per-class suitability: P(cell converts to class k | drivers).
//
// Model: P(y = 1 | x) = 1 / (1 + exp(-eta)), eta = b0 + sum_j b_j * (x_j - mean_j) / sd_j.
// Coefficients are on the STANDARDISED drivers (per standard deviation), so they are comparable across
// drivers; mean_j and sd_j travel with the model, so a model is self-contained. A model given in a scenario
// in raw units simply has mean 0 and sd 1.
// All functions are pure and thread-safe; deterministic (fixed-order reductions, no threads).

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/params.hpp"

namespace parksim::model {

/// Options of fit_logistic. Plain value.
struct LogisticFitOptions {
  double l2_lambda = 1e-4;   ///< ridge penalty on the driver coefficients (never on the intercept). DEFAULT 1e-4
  int max_iterations = 50;   ///< Newton steps. DEFAULT 50
  double tolerance = 1e-8;   ///< stop when max |change of a coefficient| < tolerance. DEFAULT 1e-8

  static std::span<const ParamInfo> info();
};

/// A fitted (or given) logistic model. Plain value type.
struct LogisticModel {
  std::vector<std::string> names;   ///< driver names, size k (the intercept is not named here)
  Eigen::VectorXd coefficients;     ///< size k + 1, intercept first, per sd of each driver
  Eigen::VectorXd standard_errors;  ///< size k + 1 (empty for a given model): sqrt(diag(H^-1)) at the optimum,
                                    ///< H = X'WX + penalty (so with l2_lambda > 0 they are slightly too small)
  Eigen::VectorXd driver_mean;      ///< size k: mean_j used to standardise (0 for raw coefficients)
  Eigen::VectorXd driver_sd;        ///< size k: sd_j used to standardise (1 for raw coefficients)
  // Fit diagnostics (zero for a given model).
  int iterations = 0;
  bool converged = false;
  double log_likelihood = 0.0;      ///< unpenalised log-likelihood at the optimum
  double l2_lambda = 0.0;
  std::int64_t sample_count = 0;

  std::size_t driver_count() const noexcept { return names.size(); }
  /// A model from coefficients given in raw driver units (intercept first); mean 0, sd 1.
  static LogisticModel from_raw_coefficients(std::vector<std::string> names, std::vector<double> coefficients);
  /// Linear predictor eta for one cell's raw driver values (size k).
  double linear_predictor(std::span<const double> raw) const;
  /// P(y = 1) for one cell's raw driver values.
  double probability(std::span<const double> raw) const;
};

/// Fits by IRLS with step halving. `x` is n x k of RAW driver values (no intercept column: it is added);
/// each column is standardised with its sample mean and sd (sd 0 -> 1, the driver then has no effect).
/// `y` is n values in {0, 1}. Never throws for lack of convergence: check `converged`.
/// Throws Error(data) when n == 0, when y has only one class (nothing to learn), or when sizes differ
/// (Error(internal)). Cost: O(iterations * n * k^2).
LogisticModel fit_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, std::vector<std::string> names,
                           const LogisticFitOptions& options = {});
/// Same, standardising with the given mean and sd per driver (e.g. the study area's, see DriverSet) instead
/// of the sample's. Null pointers fall back to the sample's statistics.
LogisticModel fit_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, std::vector<std::string> names,
                           const LogisticFitOptions& options, const Eigen::VectorXd* mean, const Eigen::VectorXd* sd);

/// P(y = 1) for each row of raw `x` (n x k).
Eigen::VectorXd predict(const LogisticModel& model, const Eigen::MatrixXd& x);

/// Area under the ROC curve = Mann-Whitney U / (n1 * n0), exact, ties counted one half (mid-ranks).
/// labels != 0 are positives. Returns NaN when there are no positives or no negatives.
double auc(std::span<const double> scores, std::span<const std::uint8_t> labels);

/// How much each driver moves the prediction on a sample.
struct DriverContribution {
  std::string name;
  double coefficient_per_sd = 0.0;     ///< b_j: change of the log-odds per standard deviation of the driver
  double mean_abs_log_odds = 0.0;      ///< mean over the sample of |b_j * (x_ij - mean_j) / sd_j|
  double share = 0.0;                  ///< mean_abs_log_odds / sum over drivers (0 when the sum is 0)
};

/// Per-driver contributions on the rows of raw `x` (n x k), in the model's driver order.
std::vector<DriverContribution> contributions(const LogisticModel& model, const Eigen::MatrixXd& x);

}  // namespace parksim::model
