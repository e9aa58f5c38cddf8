#include "model/suitability.hpp"
#include "study/drivers.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace parksim::model {
namespace {

grid::GridSpec spec(int cols, int rows) {
  return grid::GridSpec{.origin_x = 500000.0, .origin_y = 4460000.0, .cell_size_m = 30.0, .cols = cols,
                        .rows = rows, .crs = "EPSG:4548"};
}

TEST(DriverSet, stores_mean_and_sd_over_the_study_area) {
  const auto s = spec(4, 1);
  grid::Grid<std::uint8_t> area(s, 1);
  area(0, 3) = 0;  // the 100 below lies outside the study area
  grid::Grid<float> v(s, 0.0f);
  v(0, 0) = 1; v(0, 1) = 2; v(0, 2) = 3; v(0, 3) = 100;
  DriverSet drivers(s, &area);
  drivers.add("slope", v, "degree");
  EXPECT_DOUBLE_EQ(drivers.mean(0), 2.0);
  EXPECT_DOUBLE_EQ(drivers.sd(0), std::sqrt(2.0 / 3.0));
  EXPECT_EQ(drivers.unit(0), "degree");
  EXPECT_EQ(drivers.index_of("slope"), 0u);
  EXPECT_FALSE(drivers.find("g6").has_value());
}

TEST(DriverSet, rejects_duplicates_unknown_names_and_infinite_values_with_context) {
  const auto s = spec(3, 2);
  DriverSet drivers(s);
  drivers.add("g6", grid::Grid<float>(s, 1.0f), "m");
  EXPECT_THROW(drivers.add("g6", grid::Grid<float>(s, 1.0f), "m"), Error);
  try {
    drivers.index_of("g7");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_EQ(e.context().key, "g7");
  }
  grid::Grid<float> bad(s, 0.0f);
  bad(1, 2) = std::numeric_limits<float>::infinity();
  try {
    drivers.add("station", bad, "m");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::data);
    ASSERT_TRUE(e.context().coordinate.has_value());
    EXPECT_DOUBLE_EQ(e.context().coordinate->x, 500075.0);  // centre of column 2
    EXPECT_DOUBLE_EQ(e.context().coordinate->y, 4459955.0);  // centre of row 1
  }
}

TEST(DriverSet, samples_named_drivers_in_the_requested_order) {
  const auto s = spec(3, 2);
  DriverSet drivers(s);
  grid::Grid<float> a(s, 0.0f), b(s, 0.0f);
  for (std::int64_t i = 0; i < 6; ++i) {
    a[i] = static_cast<float>(i);
    b[i] = static_cast<float>(10 * i);
  }
  drivers.add("a", a, "1");
  drivers.add("b", b, "1");
  const std::int64_t cells[] = {5, 1};
  const std::string order[] = {"b", "a"};
  const Eigen::MatrixXd x = drivers.sample(cells, order);
  EXPECT_EQ(x(0, 0), 50.0);
  EXPECT_EQ(x(0, 1), 5.0);
  EXPECT_EQ(x(1, 0), 10.0);
}

// Before: all class 0 except a built core (class 1) in column 0. After: cells converted to class 1 with
// probability logistic(1 - 3 * distance_km) drawn with a fixed seed.
struct Maps {
  grid::Grid<std::uint8_t> before, after;
  grid::Grid<float> distance_m;
};
Maps make_maps() {
  const auto s = spec(120, 100);
  Maps m{grid::Grid<std::uint8_t>(s, 0), grid::Grid<std::uint8_t>(s, 0), {}};
  for (int r = 0; r < s.rows; ++r) m.before(r, 0) = 1;
  m.distance_m = study::distance_driver_m(study::class_mask(m.before, 1), 5000.0);
  m.after = m.before;
  RngStream rng(11, "test.suitability.maps");
  for (std::int64_t i = 0; i < m.before.size(); ++i) {
    const double eta = 1.0 - 3.0 * m.distance_m[i] / 1000.0;
    if (m.before[i] == 0 && rng.uniform() < 1.0 / (1.0 + std::exp(-eta))) m.after[i] = 1;
  }
  return m;
}

TEST(TrainingSample, is_balanced_labelled_and_deterministic_for_a_seed) {
  const Maps m = make_maps();
  const TrainingSampleParams params{.cells_per_group = 500, .seed = 4};
  const TrainingSample a = sample_training_cells(m.before, m.after, 1, nullptr, params);
  const TrainingSample b = sample_training_cells(m.before, m.after, 1, nullptr, params);
  EXPECT_EQ(a.cells, b.cells);
  EXPECT_EQ(a.cells.size(), 1000u);
  std::int64_t positives = 0;
  for (std::size_t i = 0; i < a.cells.size(); ++i) {
    const std::int64_t cell = a.cells[i];
    EXPECT_EQ(m.before[cell], 0);
    EXPECT_EQ(a.labels[i], m.after[cell] == 1 ? 1 : 0);
    positives += a.labels[i];
    if (i > 0) {
      EXPECT_LT(a.cells[i - 1], cell);
    }
  }
  EXPECT_EQ(positives, 500);
  EXPECT_EQ(a.changed_available + a.unchanged_available, 120 * 100 - 100);
  const TrainingSample c = sample_training_cells(m.before, m.after, 1, nullptr, {.cells_per_group = 500, .seed = 5});
  EXPECT_NE(a.cells, c.cells);
}

TEST(TrainingSample, respects_the_eligibility_mask_and_small_groups) {
  const Maps m = make_maps();
  grid::Grid<std::uint8_t> eligible(m.before.spec(), 0);
  for (int r = 0; r < 10; ++r)
    for (int c = 0; c < 120; ++c) eligible(r, c) = 1;
  const TrainingSample s = sample_training_cells(m.before, m.after, 1, &eligible, {.cells_per_group = 100000});
  EXPECT_EQ(static_cast<std::int64_t>(s.cells.size()), s.changed_available + s.unchanged_available);
  EXPECT_EQ(s.changed_available + s.unchanged_available, 10 * 119);
  for (std::int64_t cell : s.cells) EXPECT_LT(cell, 10 * 120);
}

TEST(Suitability, fitted_model_ranks_cells_near_built_land_higher_and_maps_compactly) {
  const Maps m = make_maps();
  DriverSet drivers(m.before.spec());
  drivers.add("dist_built", m.distance_m, "m");
  const TrainingSample sample = sample_training_cells(m.before, m.after, 1, nullptr, {.cells_per_group = 2000});
  const SuitabilityFit fit = fit_suitability(drivers, sample);
  ASSERT_TRUE(fit.model.converged);
  EXPECT_LT(fit.model.coefficients[1], 0.0);  // farther from built land = less suitable
  EXPECT_GT(fit.training_auc, 0.8);
  ASSERT_EQ(fit.contributions.size(), 1u);
  EXPECT_DOUBLE_EQ(fit.contributions[0].share, 1.0);
  // Per-sd coefficient on the study-area scale: true slope is -3 per km.
  EXPECT_NEAR(fit.model.coefficients[1] / drivers.sd(0) * 1000.0, -3.0, 0.4);

  const auto p = suitability_map(drivers, fit.model);
  const auto q = suitability_map_u16(drivers, fit.model);
  EXPECT_GT(p(0, 1), p(0, 60));
  for (std::int64_t i = 0; i < p.size(); ++i) {
    ASSERT_LE(std::abs(u16_to_probability(q[i]) - p[i]), 1.0 / 131070.0 + 1e-7);
  }
  grid::Grid<std::uint8_t> mask(m.before.spec(), 1);
  mask(0, 1) = 0;
  EXPECT_EQ(suitability_map_u16(drivers, fit.model, &mask)(0, 1), 0);
}

TEST(Suitability, a_model_naming_an_unknown_driver_is_a_config_error) {
  const auto s = spec(3, 3);
  DriverSet drivers(s);
  drivers.add("g6", grid::Grid<float>(s, 1.0f), "m");
  const LogisticModel m = LogisticModel::from_raw_coefficients({"g7"}, {0.0, 1.0});
  try {
    suitability_map(drivers, m);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_EQ(e.context().key, "g7");
  }
}

TEST(TrainingSampleParams, parameter_table_matches_the_defaults) {
  const TrainingSampleParams d;
  const auto info = TrainingSampleParams::info();
  ASSERT_EQ(info.size(), 2u);
  EXPECT_EQ(info[0].name, "cells_per_group");
  EXPECT_DOUBLE_EQ(info[0].default_value, static_cast<double>(d.cells_per_group));
  EXPECT_DOUBLE_EQ(info[1].default_value, static_cast<double>(d.seed));
}

}  // namespace
}  // namespace parksim::model
