#include "model/logistic.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <Eigen/Cholesky>

#include "core/error.hpp"

namespace parksim::model {
namespace {

double sigmoid(double eta) noexcept {
  if (eta >= 0.0) return 1.0 / (1.0 + std::exp(-eta));
  const double e = std::exp(eta);
  return e / (1.0 + e);
}

// log(1 + exp(eta)) without overflow.
double softplus(double eta) noexcept { return eta > 0.0 ? eta + std::log1p(std::exp(-eta)) : std::log1p(std::exp(eta)); }

double log_likelihood(const Eigen::VectorXd& eta, const Eigen::VectorXd& y) {
  double ll = 0.0;
  for (Eigen::Index i = 0; i < eta.size(); ++i) ll += y[i] * eta[i] - softplus(eta[i]);
  return ll;
}

constexpr ParamInfo kFitInfo[] = {
    {"l2_lambda", "1", 1e-4, "ridge penalty on the standardised driver coefficients (not the intercept)", 0.0, 1e6},
    {"max_iterations", "1", 50, "maximum Newton (IRLS) steps", 1, 10'000},
    {"tolerance", "1", 1e-8, "convergence: largest change of a coefficient between steps", 1e-15, 1.0},
};

}  // namespace

std::span<const ParamInfo> LogisticFitOptions::info() { return kFitInfo; }

LogisticModel LogisticModel::from_raw_coefficients(std::vector<std::string> names, std::vector<double> coefficients) {
  if (coefficients.size() != names.size() + 1) {
    throw Error(ErrorCode::config,
                "a suitability model needs one coefficient per driver plus the intercept (" +
                    std::to_string(names.size() + 1) + "), got " + std::to_string(coefficients.size()),
                Context{.key = "coefficients"});
  }
  LogisticModel m;
  const auto k = static_cast<Eigen::Index>(names.size());
  m.names = std::move(names);
  m.coefficients = Eigen::Map<const Eigen::VectorXd>(coefficients.data(), k + 1);
  m.driver_mean = Eigen::VectorXd::Zero(k);
  m.driver_sd = Eigen::VectorXd::Ones(k);
  return m;
}

double LogisticModel::linear_predictor(std::span<const double> raw) const {
  double eta = coefficients[0];
  for (std::size_t j = 0; j < raw.size(); ++j) {
    const auto jj = static_cast<Eigen::Index>(j);
    eta += coefficients[jj + 1] * ((raw[j] - driver_mean[jj]) / driver_sd[jj]);
  }
  return eta;
}

double LogisticModel::probability(std::span<const double> raw) const { return sigmoid(linear_predictor(raw)); }

LogisticModel fit_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, std::vector<std::string> names,
                           const LogisticFitOptions& options, const Eigen::VectorXd* mean, const Eigen::VectorXd* sd) {
  const Eigen::Index n = x.rows();
  const Eigen::Index k = x.cols();
  if (y.size() != n || static_cast<Eigen::Index>(names.size()) != k ||
      (mean && mean->size() != k) || (sd && sd->size() != k)) {
    throw Error(ErrorCode::internal, "fit_logistic: sizes of X, y, names and standardisation differ");
  }
  if (n == 0) throw Error(ErrorCode::data, "cannot fit a suitability model on an empty sample");
  const double positives = y.sum();
  if (positives <= 0.0 || positives >= static_cast<double>(n)) {
    throw Error(ErrorCode::data, "cannot fit a suitability model: the sample has " +
                                     std::string(positives <= 0.0 ? "no changed" : "only changed") + " cells");
  }

  LogisticModel model;
  model.names = std::move(names);
  model.l2_lambda = options.l2_lambda;
  model.sample_count = n;
  model.driver_mean = mean ? *mean : Eigen::VectorXd(x.colwise().mean().transpose());
  model.driver_sd.resize(k);
  for (Eigen::Index j = 0; j < k; ++j) {
    double s = sd ? (*sd)[j] : std::sqrt((x.col(j).array() - model.driver_mean[j]).square().mean());
    model.driver_sd[j] = (s > 0.0 && std::isfinite(s)) ? s : 1.0;
  }
  // Design matrix: intercept column, then standardised drivers.
  Eigen::MatrixXd z(n, k + 1);
  z.col(0).setOnes();
  for (Eigen::Index j = 0; j < k; ++j) {
    z.col(j + 1) = (x.col(j).array() - model.driver_mean[j]) / model.driver_sd[j];
  }
  Eigen::VectorXd penalty = Eigen::VectorXd::Constant(k + 1, options.l2_lambda);
  penalty[0] = 0.0;

  Eigen::VectorXd beta = Eigen::VectorXd::Zero(k + 1);
  const double ybar = positives / static_cast<double>(n);
  beta[0] = std::log(ybar / (1.0 - ybar));  // start at the base rate
  auto objective = [&](const Eigen::VectorXd& b) {
    return log_likelihood(z * b, y) - 0.5 * (penalty.array() * b.array().square()).sum();
  };
  auto hessian = [&](const Eigen::VectorXd& b) {
    const Eigen::VectorXd eta = z * b;
    Eigen::VectorXd w(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      const double p = sigmoid(eta[i]);
      w[i] = p * (1.0 - p);
    }
    Eigen::MatrixXd h = z.transpose() * (z.array().colwise() * w.array()).matrix();
    h.diagonal() += penalty;
    return h;
  };

  double current = objective(beta);
  for (int it = 1; it <= options.max_iterations; ++it) {
    const Eigen::VectorXd eta = z * beta;
    Eigen::VectorXd residual(n);
    for (Eigen::Index i = 0; i < n; ++i) residual[i] = y[i] - sigmoid(eta[i]);
    const Eigen::VectorXd gradient = z.transpose() * residual - (penalty.array() * beta.array()).matrix();
    const Eigen::VectorXd step = hessian(beta).ldlt().solve(gradient);
    // Step halving keeps the penalised likelihood from decreasing (it may when far from the optimum).
    double t = 1.0;
    Eigen::VectorXd next = beta + step;
    double value = objective(next);
    while (!(value >= current - 1e-12 * std::abs(current)) && t > 1e-10) {
      t *= 0.5;
      next = beta + t * step;
      value = objective(next);
    }
    const double change = (t * step).cwiseAbs().maxCoeff();
    beta = next;
    current = value;
    model.iterations = it;
    if (change < options.tolerance) {
      model.converged = true;
      break;
    }
  }
  model.coefficients = beta;
  const Eigen::MatrixXd covariance = hessian(beta).ldlt().solve(Eigen::MatrixXd::Identity(k + 1, k + 1));
  model.standard_errors = covariance.diagonal().cwiseMax(0.0).cwiseSqrt();
  model.log_likelihood = log_likelihood(z * beta, y);
  return model;
}

LogisticModel fit_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, std::vector<std::string> names,
                           const LogisticFitOptions& options) {
  return fit_logistic(x, y, std::move(names), options, nullptr, nullptr);
}

Eigen::VectorXd predict(const LogisticModel& model, const Eigen::MatrixXd& x) {
  if (x.cols() != static_cast<Eigen::Index>(model.driver_count())) {
    throw Error(ErrorCode::internal, "predict: X has " + std::to_string(x.cols()) + " columns, the model " +
                                         std::to_string(model.driver_count()) + " drivers");
  }
  Eigen::VectorXd p(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    double eta = model.coefficients[0];
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      eta += model.coefficients[j + 1] * ((x(i, j) - model.driver_mean[j]) / model.driver_sd[j]);
    }
    p[i] = sigmoid(eta);
  }
  return p;
}

double auc(std::span<const double> scores, std::span<const std::uint8_t> labels) {
  if (scores.size() != labels.size()) throw Error(ErrorCode::internal, "auc: scores and labels differ in size");
  const std::size_t n = scores.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return scores[a] != scores[b] ? scores[a] < scores[b] : a < b;
  });
  double rank_sum_positive = 0.0;
  double n_pos = 0.0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && scores[order[j]] == scores[order[i]]) ++j;
    const double mid_rank = 0.5 * static_cast<double>(i + 1 + j);  // mean of ranks i+1 .. j
    for (std::size_t t = i; t < j; ++t) {
      if (labels[order[t]] != 0) {
        rank_sum_positive += mid_rank;
        n_pos += 1.0;
      }
    }
    i = j;
  }
  const double n_neg = static_cast<double>(n) - n_pos;
  if (n_pos == 0.0 || n_neg == 0.0) return std::numeric_limits<double>::quiet_NaN();
  const double u = rank_sum_positive - n_pos * (n_pos + 1.0) / 2.0;
  return u / (n_pos * n_neg);
}

std::vector<DriverContribution> contributions(const LogisticModel& model, const Eigen::MatrixXd& x) {
  const auto k = static_cast<Eigen::Index>(model.driver_count());
  if (x.cols() != k) throw Error(ErrorCode::internal, "contributions: X does not match the model's drivers");
  std::vector<DriverContribution> out(static_cast<std::size_t>(k));
  double total = 0.0;
  for (Eigen::Index j = 0; j < k; ++j) {
    DriverContribution& c = out[static_cast<std::size_t>(j)];
    c.name = model.names[static_cast<std::size_t>(j)];
    c.coefficient_per_sd = model.coefficients[j + 1];
    double sum = 0.0;
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      sum += std::abs(c.coefficient_per_sd * ((x(i, j) - model.driver_mean[j]) / model.driver_sd[j]));
    }
    c.mean_abs_log_odds = x.rows() > 0 ? sum / static_cast<double>(x.rows()) : 0.0;
    total += c.mean_abs_log_odds;
  }
  for (DriverContribution& c : out) c.share = total > 0.0 ? c.mean_abs_log_odds / total : 0.0;
  return out;
}

}  // namespace parksim::model
