#include "metrics/forecast.hpp"

#include <cmath>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "test_maps.hpp"

namespace parksim::metrics {
namespace {

using testing::map_of;
using testing::OwnedMap;

constexpr double kTol = 1e-12;

// 5 x 6 cells of 10 m. Class 1 (built) fills columns 0-1 at the start; 3 cells of column 2 (rows 0-2) are built
// by the observed date. The forecast builds column 2 rows 0-1 and one far cell (row 4, column 5): 2 hits, 1 miss,
// 1 false alarm, FoM 2/4. The diagnosis run (observed totals) builds exactly the observed cells.
struct Series {
  OwnedMap initial = map_of(5, 6, {1, 1, 0, 0, 0, 0,  //
                                   1, 1, 0, 0, 0, 0,  //
                                   1, 1, 0, 0, 0, 0,  //
                                   1, 1, 0, 0, 0, 0,  //
                                   1, 1, 0, 0, 0, 0});
  OwnedMap observed = with(initial, {{0, 2}, {1, 2}, {2, 2}});
  OwnedMap forecast = with(initial, {{0, 2}, {1, 2}, {4, 5}});
  OwnedMap diagnosis = observed;

  static OwnedMap with(OwnedMap m, std::initializer_list<std::pair<int, int>> built) {
    for (const auto& [r, c] : built) m.at(r, c) = 1;
    return m;
  }
};

const MetricRow* find(const std::vector<MetricRow>& rows, const std::string& id, const std::string& scope,
                      std::optional<int> factor = std::nullopt) {
  for (const MetricRow& r : rows) {
    if (r.id == id && r.scope == scope && r.factor == factor && !r.class_code) return &r;
  }
  return nullptr;
}

TEST(ForecastValidation, scores_the_model_next_to_persistence_and_proximity_at_its_own_quantity) {
  const Series s;
  ForecastValidationParams params;
  params.proximity_draws = 12;
  const ForecastValidation v = validate_forecast(s.initial.view(), s.observed.view(), s.forecast.view(),
                                                 std::nullopt, params);
  const ForecastComparison& f = v.forecast;
  EXPECT_EQ(f.label, "forecast");
  EXPECT_FALSE(v.diagnosis.has_value());
  EXPECT_EQ(v.cells_compared, 30);
  EXPECT_EQ(v.cell_area_m2, 100.0);
  // The model: the overall budget of validate_simulation, per transition and per factor.
  EXPECT_EQ(f.model.scores.fom.hits, 2);
  EXPECT_EQ(f.model.scores.fom.misses, 1);
  EXPECT_EQ(f.model.scores.fom.false_alarms, 1);
  EXPECT_NEAR(f.model.scores.fom.figure_of_merit, 0.5, kTol);
  ASSERT_EQ(f.model.transitions.size(), 1u);
  EXPECT_NEAR(f.model.transitions[0].figure_of_merit, 0.5, kTol);
  ASSERT_EQ(f.model.resolutions.size(), 5u);
  EXPECT_EQ(f.model.resolutions[4].factor, 16);
  // At factor 16 the map is one coarse cell: 3 new cells observed and simulated, FoM 1.
  EXPECT_NEAR(f.model.resolutions[4].figure_of_merit, 1.0, kTol);
  // Persistence misses the 3 observed cells.
  EXPECT_EQ(f.persistence.scores.fom.misses, 3);
  EXPECT_EQ(f.persistence.scores.fom.figure_of_merit, 0.0);
  // Proximity at the model's quantity: 3 new built cells among the 5 of column 2 (all 10 m from built land).
  const ProximitySummary& p = f.proximity_null;
  ASSERT_EQ(p.demand.size(), 1u);
  EXPECT_EQ(p.demand[0].class_code, 1);
  EXPECT_EQ(p.demand[0].cells, 3);
  ASSERT_EQ(p.allocations.size(), 1u);
  EXPECT_EQ(p.allocations[0].tied_cells, 5);
  ASSERT_EQ(p.figure_of_merit_draws.size(), 12u);
  // With h of the 3 observed cells drawn, FoM = h / (6 - h): 1/5, 1/2 or 1.
  double sum = 0.0;
  std::set<double> seen;
  for (const double fom : p.figure_of_merit_draws) {
    EXPECT_TRUE(std::abs(fom - 0.2) < kTol || std::abs(fom - 0.5) < kTol || std::abs(fom - 1.0) < kTol) << fom;
    seen.insert(fom);
    sum += fom;
  }
  EXPECT_GE(seen.size(), 2u);
  EXPECT_NEAR(p.figure_of_merit_mean, sum / 12.0, kTol);
  EXPECT_GT(p.figure_of_merit_sd, 0.0);
  EXPECT_EQ(f.proximity.scores.fom.figure_of_merit, p.figure_of_merit_draws[0]);
  int built = 0;
  for (const std::uint8_t c : f.proximity_map) built += c;
  EXPECT_EQ(built, 10 + 3);
  EXPECT_NEAR(f.figure_of_merit_over_proximity(), 0.5 - p.figure_of_merit_mean, kTol);
  EXPECT_EQ(f.beats_proximity_on_figure_of_merit(), 0.5 > p.figure_of_merit_mean);
}

TEST(ForecastValidation, the_diagnosis_scores_the_observed_quantity_and_its_proximity_null) {
  Series s;
  // The diagnosis run reaches the observed total but puts one cell elsewhere (row 3, column 2).
  s.diagnosis = Series::with(s.initial, {{0, 2}, {1, 2}, {3, 2}});
  const ForecastValidation v =
      validate_forecast(s.initial.view(), s.observed.view(), s.forecast.view(), s.diagnosis.view());
  ASSERT_TRUE(v.diagnosis.has_value());
  EXPECT_EQ(v.diagnosis->label, "diagnosis");
  EXPECT_NEAR(v.diagnosis->model.scores.fom.figure_of_merit, 0.5, kTol);  // 2 hits, 1 miss, 1 false alarm
  EXPECT_EQ(v.diagnosis->proximity_null.demand[0].cells, 3);              // the observed gain
  EXPECT_EQ(v.diagnosis->proximity_null.figure_of_merit_draws.size(), 10u);  // DEFAULT draws
  EXPECT_EQ(v.diagnosis->persistence.scores.fom.misses, 3);
}

TEST(ForecastValidation, rows_hold_every_section_with_transitions_and_factors) {
  const Series s;
  const ForecastValidation v =
      validate_forecast(s.initial.view(), s.observed.view(), s.forecast.view(), s.diagnosis.view());
  const std::vector<MetricRow> rows = v.to_rows();
  const MetricRow* fom = find(rows, "figure_of_merit", "forecast.model");
  ASSERT_NE(fom, nullptr);
  EXPECT_NEAR(fom->value, 0.5, kTol);
  const MetricRow* diagnosis = find(rows, "figure_of_merit", "diagnosis.model");
  ASSERT_NE(diagnosis, nullptr);
  EXPECT_EQ(diagnosis->value, 1.0);
  const MetricRow* hits = find(rows, "hits_area", "forecast.model");
  ASSERT_NE(hits, nullptr);
  EXPECT_EQ(hits->value, 200.0);  // 2 cells of 100 m2
  ASSERT_NE(find(rows, "figure_of_merit", "forecast.persistence"), nullptr);
  ASSERT_NE(find(rows, "figure_of_merit", "forecast.proximity"), nullptr);
  const MetricRow* mean = find(rows, "proximity_figure_of_merit_mean", "forecast.proximity");
  ASSERT_NE(mean, nullptr);
  EXPECT_EQ(mean->value, v.forecast.proximity_null.figure_of_merit_mean);
  const MetricRow* coarse = find(rows, "resolution_figure_of_merit", "forecast.model", 16);
  ASSERT_NE(coarse, nullptr);
  EXPECT_NEAR(coarse->value, 1.0, kTol);
  const MetricRow* beats = find(rows, "beats_proximity_figure_of_merit", "forecast.comparison");
  ASSERT_NE(beats, nullptr);
  EXPECT_EQ(beats->value, v.forecast.beats_proximity_on_figure_of_merit() ? 1.0 : 0.0);
  ASSERT_NE(find(rows, "compared_area", "comparison"), nullptr);
  bool transition = false;
  for (const MetricRow& r : rows) {
    if (r.id == "transition_figure_of_merit" && r.scope == "forecast.model") {
      transition = true;
      EXPECT_EQ(r.class_code, std::optional<std::uint8_t>(0));
      EXPECT_EQ(r.to_class_code, std::optional<std::uint8_t>(1));
      EXPECT_NEAR(r.value, 0.5, kTol);
    }
  }
  EXPECT_TRUE(transition);
  // Model, persistence and proximity carry the same ids, so a table can set them side by side.
  std::set<std::string> model_ids, persistence_ids;
  for (const MetricRow& r : rows) {
    if (r.scope == "forecast.model") model_ids.insert(r.id);
    if (r.scope == "forecast.persistence") persistence_ids.insert(r.id);
  }
  for (const std::string& id : persistence_ids) EXPECT_TRUE(model_ids.count(id)) << id;
}

TEST(ForecastValidation, a_map_of_another_shape_is_named_in_the_error) {
  const Series s;
  const OwnedMap small = map_of(2, 2, {0, 0, 0, 0});
  for (const bool as_diagnosis : {false, true}) {
    try {
      if (as_diagnosis) {
        validate_forecast(s.initial.view(), s.observed.view(), s.forecast.view(), small.view());
      } else {
        validate_forecast(s.initial.view(), s.observed.view(), small.view());
      }
      FAIL() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::data);
      EXPECT_EQ(e.context().key, as_diagnosis ? "diagnosis" : "forecast");
    }
  }
}

}  // namespace
}  // namespace parksim::metrics
