#include "model/logistic.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace parksim::model {
namespace {

// n samples of two standard-normal drivers with y ~ Bernoulli(logistic(beta0 + beta1 x1 + beta2 x2)).
struct Synthetic {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
};
Synthetic make_synthetic(int n, const Eigen::Vector3d& beta, std::uint64_t index) {
  RngStream rng(2024, "test.logistic.synthetic", index);
  Synthetic s{Eigen::MatrixXd(n, 2), Eigen::VectorXd(n)};
  for (int i = 0; i < n; ++i) {
    s.x(i, 0) = rng.normal();
    s.x(i, 1) = rng.normal();
    const double eta = beta[0] + beta[1] * s.x(i, 0) + beta[2] * s.x(i, 1);
    s.y[i] = rng.uniform() < 1.0 / (1.0 + std::exp(-eta)) ? 1.0 : 0.0;
  }
  return s;
}

const Eigen::VectorXd kZero2 = Eigen::VectorXd::Zero(2);
const Eigen::VectorXd kOne2 = Eigen::VectorXd::Ones(2);
const LogisticFitOptions kNoPenalty{.l2_lambda = 0.0, .max_iterations = 50, .tolerance = 1e-10};

TEST(LogisticFit, recovers_known_coefficients_from_20000_samples) {
  const Eigen::Vector3d beta(-1.0, 2.0, -0.5);
  const Synthetic s = make_synthetic(20'000, beta, 0);
  const LogisticModel m = fit_logistic(s.x, s.y, {"x1", "x2"}, kNoPenalty, &kZero2, &kOne2);
  ASSERT_TRUE(m.converged);
  EXPECT_LT(m.iterations, 15);
  EXPECT_EQ(m.sample_count, 20'000);
  constexpr double tolerance = 0.08;  // about 3 standard errors at n = 20 000
  for (int j = 0; j < 3; ++j) {
    EXPECT_NEAR(m.coefficients[j], beta[j], tolerance) << "coefficient " << j;
    EXPECT_NEAR(m.coefficients[j], beta[j], 4.0 * m.standard_errors[j]) << "coefficient " << j;
    EXPECT_GT(m.standard_errors[j], 0.005);
    EXPECT_LT(m.standard_errors[j], 0.05);
  }
  EXPECT_LT(m.log_likelihood, 0.0);
}

TEST(LogisticFit, standard_errors_match_the_spread_of_repeated_fits) {
  const Eigen::Vector3d beta(-1.0, 2.0, -0.5);
  constexpr int fits = 40;
  Eigen::MatrixXd estimates(fits, 3);
  Eigen::Vector3d mean_se = Eigen::Vector3d::Zero();
  for (int f = 0; f < fits; ++f) {
    const Synthetic s = make_synthetic(2000, beta, 100 + static_cast<std::uint64_t>(f));
    const LogisticModel m = fit_logistic(s.x, s.y, {"x1", "x2"}, kNoPenalty, &kZero2, &kOne2);
    estimates.row(f) = m.coefficients.transpose();
    mean_se += m.standard_errors / fits;
  }
  for (int j = 0; j < 3; ++j) {
    const double mean = estimates.col(j).mean();
    const double sd = std::sqrt((estimates.col(j).array() - mean).square().sum() / (fits - 1));
    // With 40 replicates the empirical sd itself is uncertain by about 11 %; allow 35 %.
    EXPECT_NEAR(sd / mean_se[j], 1.0, 0.35) << "coefficient " << j;
  }
}

TEST(LogisticFit, l2_penalty_shrinks_driver_coefficients_but_not_the_intercept_scale) {
  const Synthetic s = make_synthetic(3000, Eigen::Vector3d(-1.0, 2.0, -0.5), 7);
  double previous = 1e9;
  for (double lambda : {0.0, 10.0, 100.0, 1000.0, 10000.0}) {
    const LogisticModel m = fit_logistic(s.x, s.y, {"x1", "x2"}, {.l2_lambda = lambda});
    const double norm = m.coefficients.tail(2).norm();
    EXPECT_LT(norm, previous) << "lambda " << lambda;
    previous = norm;
  }
  EXPECT_LT(previous, 0.5);
}

TEST(LogisticFit, separable_data_does_not_throw_and_a_penalty_makes_it_converge) {
  Eigen::MatrixXd x(6, 1);
  x << -3, -2, -1, 1, 2, 3;
  Eigen::VectorXd y(6);
  y << 0, 0, 0, 1, 1, 1;
  const LogisticModel free = fit_logistic(x, y, {"d"}, {.l2_lambda = 0.0, .max_iterations = 30});
  EXPECT_GT(free.coefficients[1], 5.0);  // runs away towards +infinity
  const LogisticModel ridge = fit_logistic(x, y, {"d"}, {.l2_lambda = 1.0});
  EXPECT_TRUE(ridge.converged);
  EXPECT_GT(ridge.coefficients[1], 0.0);
  EXPECT_LT(ridge.coefficients[1], free.coefficients[1]);
}

TEST(LogisticFit, rejects_samples_without_both_outcomes) {
  Eigen::MatrixXd x(3, 1);
  x << 1, 2, 3;
  try {
    fit_logistic(x, Eigen::VectorXd::Zero(3), {"d"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::data);
  }
  EXPECT_THROW(fit_logistic(Eigen::MatrixXd(0, 1), Eigen::VectorXd(0), {"d"}), Error);
}

TEST(LogisticModel, raw_coefficients_predict_the_logistic_of_the_linear_predictor) {
  const LogisticModel m = LogisticModel::from_raw_coefficients({"a", "b"}, {0.5, -1.0, 0.25});
  const double raw[] = {2.0, 4.0};
  EXPECT_DOUBLE_EQ(m.linear_predictor(raw), 0.5 - 2.0 + 1.0);
  EXPECT_DOUBLE_EQ(m.probability(raw), 1.0 / (1.0 + std::exp(0.5)));
  Eigen::MatrixXd x(1, 2);
  x << 2.0, 4.0;
  EXPECT_DOUBLE_EQ(predict(m, x)[0], m.probability(raw));
  EXPECT_THROW(LogisticModel::from_raw_coefficients({"a"}, {1.0}), Error);
}

TEST(Auc, is_one_for_a_perfect_score_zero_for_a_reversed_one_and_half_for_ties) {
  const double scores[] = {0.1, 0.2, 0.3, 0.8, 0.9};
  const std::uint8_t labels[] = {0, 0, 0, 1, 1};
  const std::uint8_t reversed[] = {1, 1, 0, 0, 0};
  EXPECT_DOUBLE_EQ(auc(scores, labels), 1.0);
  EXPECT_DOUBLE_EQ(auc(scores, reversed), 0.0);
  const double tied[] = {0.5, 0.5, 0.5, 0.5, 0.5};
  EXPECT_DOUBLE_EQ(auc(tied, labels), 0.5);
  EXPECT_TRUE(std::isnan(auc(scores, std::vector<std::uint8_t>(5, 1))));
}

TEST(Auc, counts_ties_one_half_as_mann_whitney_does) {
  // Pairs (positive, negative): (1 vs 1) tie = 0.5, (2 vs 1) = 1 -> 1.5 / 2.
  const double scores[] = {1.0, 1.0, 2.0};
  const std::uint8_t labels[] = {0, 1, 1};
  EXPECT_DOUBLE_EQ(auc(scores, labels), 0.75);
  const double s2[] = {0.1, 0.4, 0.35, 0.8};
  const std::uint8_t l2[] = {0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(auc(s2, l2), 0.75);
}

TEST(Auc, of_a_random_score_is_close_to_one_half) {
  RngStream rng(3, "test.auc.random");
  std::vector<double> scores(20'000);
  std::vector<std::uint8_t> labels(20'000);
  for (std::size_t i = 0; i < scores.size(); ++i) {
    scores[i] = rng.uniform();
    labels[i] = rng.uniform() < 0.3 ? 1 : 0;
  }
  EXPECT_NEAR(auc(scores, labels), 0.5, 0.015);  // sd of AUC here is about 0.0045
}

TEST(Contributions, shares_sum_to_one_and_a_zero_coefficient_contributes_nothing) {
  LogisticModel m = LogisticModel::from_raw_coefficients({"a", "b", "c"}, {0.0, 2.0, 0.0, -1.0});
  Eigen::MatrixXd x(4, 3);
  x << 1, 5, 2,   -1, 6, -2,   1, 7, 2,   -1, 8, -2;
  const auto c = contributions(m, x);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].name, "a");
  EXPECT_DOUBLE_EQ(c[0].mean_abs_log_odds, 2.0);  // |2 * +-1|
  EXPECT_DOUBLE_EQ(c[1].mean_abs_log_odds, 0.0);
  EXPECT_DOUBLE_EQ(c[2].mean_abs_log_odds, 2.0);  // |-1 * +-2|
  EXPECT_DOUBLE_EQ(c[0].share + c[1].share + c[2].share, 1.0);
  EXPECT_DOUBLE_EQ(c[0].share, 0.5);
  EXPECT_DOUBLE_EQ(c[2].coefficient_per_sd, -1.0);
}

TEST(LogisticFitOptions, parameter_table_matches_the_defaults) {
  const LogisticFitOptions d;
  const auto info = LogisticFitOptions::info();
  ASSERT_EQ(info.size(), 3u);
  EXPECT_EQ(info[0].name, "l2_lambda");
  EXPECT_DOUBLE_EQ(info[0].default_value, d.l2_lambda);
  EXPECT_DOUBLE_EQ(info[1].default_value, d.max_iterations);
  EXPECT_DOUBLE_EQ(info[2].default_value, d.tolerance);
  for (const ParamInfo& p : info) EXPECT_TRUE(p.min <= p.default_value && p.default_value <= p.max) << p.name;
}

}  // namespace
}  // namespace parksim::model
