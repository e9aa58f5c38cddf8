// Area trends of a map series (model/trend.hpp): each model on series whose answer is known by hand, auto's backtest,
// and the errors.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "model/trend.hpp"

namespace parksim::model {
namespace {

// A 10 x 10 grid of 1 m2 cells (area in m2 = cell count): the first `built` cells (row-major) are class 1, the rest 0.
grid::Grid<std::uint8_t> map_with(int built) {
  const grid::GridSpec spec{.origin_x = 0, .origin_y = 10, .cell_size_m = 1.0, .cols = 10, .rows = 10, .crs = ""};
  grid::Grid<std::uint8_t> g(spec, 0);
  for (int i = 0; i < built; ++i) g[i] = 1;
  return g;
}

const std::vector<double> kCapacity{100.0, 100.0};

TEST(AreaTrend, linear_continues_the_least_squares_slope_from_the_latest_map) {
  const auto a = map_with(10), b = map_with(20), c = map_with(30);
  const DatedMaps maps{{2000, &a}, {2010, &b}, {2020, &c}};
  const Eigen::MatrixXd p = project_areas(AreaTrend::linear, maps, 2, nullptr, kCapacity, 2030);
  ASSERT_EQ(p.rows(), 10);
  EXPECT_NEAR(p(0, 1), 31.0, 1e-9);  // 1 m2 a year
  EXPECT_NEAR(p(9, 1), 40.0, 1e-9);
  EXPECT_NEAR(p(9, 0), 60.0, 1e-9);  // the other class loses what class 1 gains
}

TEST(AreaTrend, exponential_keeps_a_constant_rate_and_logistic_saturates_at_the_capacity) {
  const auto a = map_with(10), b = map_with(20), c = map_with(40);
  const DatedMaps maps{{2000, &a}, {2010, &b}, {2020, &c}};
  const Eigen::MatrixXd e = project_areas(AreaTrend::exponential, maps, 2, nullptr, kCapacity, 2030);
  EXPECT_NEAR(e(9, 1), 80.0, 1e-6);  // doubling every 10 years
  const Eigen::MatrixXd l = project_areas(AreaTrend::logistic, maps, 2, nullptr, kCapacity, 2200);
  for (Eigen::Index t = 1; t < l.rows(); ++t) EXPECT_GE(l(t, 1), l(t - 1, 1) - 1e-9);
  EXPECT_LE(l(l.rows() - 1, 1), 100.0 + 1e-9);
  EXPECT_GT(l(l.rows() - 1, 1), 99.0);  // close to the capacity after 180 years
}

TEST(AreaTrend, auto_with_two_maps_takes_linear_and_says_why) {
  const auto a = map_with(10), b = map_with(20);
  const AreaForecast f = forecast_areas({{2000, &a}, {2010, &b}}, 2, nullptr, kCapacity, std::nullopt, 2015);
  EXPECT_EQ(f.model, AreaTrend::linear);
  EXPECT_TRUE(f.backtest_error_m2.empty());
  EXPECT_NE(f.why.find("linear"), std::string::npos) << f.why;
  EXPECT_NEAR(f.area_m2(4, 1), 25.0, 1e-9);
  EXPECT_EQ(f.years, (std::vector<int>{2011, 2012, 2013, 2014, 2015}));
  // The spread is the disagreement of the models: they agree on nothing beyond the latest map.
  EXPECT_GE(f.sd_m2(4, 1), 0.0);
}

TEST(AreaTrend, auto_with_three_maps_chooses_the_model_of_the_smallest_backtest_error) {
  // Steady growth: 10, 20, 30, 40 cells (and the other class 90, 80, 70, 60); the backtest projects 2020 from the
  // earlier maps, where only linear is exact.
  const auto a = map_with(10), b = map_with(20), c = map_with(30), d = map_with(40);
  const DatedMaps maps{{1990, &a}, {2000, &b}, {2010, &c}, {2020, &d}};
  const AreaForecast f = forecast_areas(maps, 2, nullptr, kCapacity, std::nullopt, 2025);
  ASSERT_EQ(f.backtest_error_m2.size(), 4U);
  double best = INFINITY;
  for (const auto& [model, error] : f.backtest_error_m2) best = std::min(best, error);
  for (const auto& [model, error] : f.backtest_error_m2) {
    if (model == f.model) {
      EXPECT_EQ(error, best);
    }
  }
  EXPECT_EQ(f.model, AreaTrend::linear) << f.why;
  EXPECT_NEAR(f.area_m2(4, 1), 45.0, 1e-9);
}

TEST(AreaTrend, one_map_or_an_end_before_the_latest_map_is_a_config_error) {
  const auto a = map_with(10), b = map_with(20);
  EXPECT_THROW(forecast_areas({{2000, &a}}, 2, nullptr, kCapacity, AreaTrend::linear, 2010), Error);
  EXPECT_THROW(forecast_areas({{2000, &a}, {2010, &b}}, 2, nullptr, kCapacity, AreaTrend::linear, 2010), Error);
}

TEST(AreaTrend, names_read_back) {
  for (const AreaTrend m : {AreaTrend::linear, AreaTrend::exponential, AreaTrend::logistic, AreaTrend::markov}) {
    EXPECT_EQ(area_trend_from(to_string(m)), m);
  }
  EXPECT_EQ(area_trend_from("trend"), AreaTrend::markov);
  EXPECT_EQ(area_trend_from("auto"), std::nullopt);
}

}  // namespace
}  // namespace parksim::model
