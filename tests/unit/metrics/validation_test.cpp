#include "metrics/validation.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "test_maps.hpp"

namespace parksim::metrics {
namespace {

using testing::kNodata;
using testing::map_of;
using testing::OwnedMap;

constexpr double kTol = 1e-12;  // fractions computed from integer counts: only rounding error allowed

// The worked example used by several tests (classes 0 open land, 1 built, 2 health industry; 10 m cells).
//
//   initial      observed     simulated
//   0 0 0 0      0 1 1 0      0 1 2 1
//   0 0 1 1      0 2 1 1      0 0 1 1
//   0 0 1 1      0 0 1 1      1 0 1 1
//   2 2 1 1      2 2 1 1      2 2 1 1
//
// Observed change: (0,1) 0->1, (0,2) 0->1, (1,1) 0->2.
// Simulated: (0,1) 0->1 hit; (0,2) 0->2 wrong hit; (1,1) kept 0: miss; (0,3) 0->1 and (2,0) 0->1 false alarms.
// So A = 1 miss, B = 1 hit, C = 1 wrong hit, D = 2 false alarms, 11 correct rejections.
struct Example {
  OwnedMap initial = map_of(4, 4, {0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 1, 1});
  OwnedMap observed = map_of(4, 4, {0, 1, 1, 0, 0, 2, 1, 1, 0, 0, 1, 1, 2, 2, 1, 1});
  OwnedMap simulated = map_of(4, 4, {0, 1, 2, 1, 0, 0, 1, 1, 1, 0, 1, 1, 2, 2, 1, 1});
  ValidationResult run() const { return validate_simulation(initial.view(), observed.view(), simulated.view()); }
};

TEST(FigureOfMerit, counts_hits_misses_wrong_hits_and_false_alarms_by_hand) {
  const ValidationResult r = Example{}.run();
  EXPECT_EQ(r.model.fom.misses, 1);
  EXPECT_EQ(r.model.fom.hits, 1);
  EXPECT_EQ(r.model.fom.wrong_hits, 1);
  EXPECT_EQ(r.model.fom.false_alarms, 2);
  EXPECT_EQ(r.model.fom.correct_rejections, 11);
  // FoM = B / (A+B+C+D) = 1/5; producer's = B / (A+B+C) = 1/3; user's = B / (B+C+D) = 1/4.
  EXPECT_NEAR(r.model.fom.figure_of_merit, 0.2, kTol);
  EXPECT_NEAR(r.model.fom.producers_accuracy, 1.0 / 3.0, kTol);
  EXPECT_NEAR(r.model.fom.users_accuracy, 0.25, kTol);
}

TEST(Kappa, cohen_location_and_histogram_match_the_hand_cross_tabulation) {
  // observed (rows) x simulated (cols):   s0 s1 s2 | obs
  //                                  o0    3  2  0 |  5
  //                                  o1    0  7  1 |  8
  //                                  o2    1  0  2 |  3
  //                                  sim   4  9  3 | 16
  // p_o = 12/16; p_e = (5*4 + 8*9 + 3*3)/256 = 101/256; p_max = (4+8+3)/16 = 240/256.
  // Kappa = (192-101)/(256-101) = 91/155; Klocation = 91/139; Khisto = 139/155.
  const ValidationResult r = Example{}.run();
  EXPECT_NEAR(r.model.kappa.fraction_correct, 0.75, kTol);
  EXPECT_NEAR(r.model.kappa.kappa, 91.0 / 155.0, kTol);
  EXPECT_NEAR(r.model.kappa.kappa_location, 91.0 / 139.0, kTol);
  EXPECT_NEAR(r.model.kappa.kappa_histogram, 139.0 / 155.0, kTol);
  EXPECT_NEAR(r.model.kappa.kappa_location * r.model.kappa.kappa_histogram, r.model.kappa.kappa, kTol);
}

TEST(Kappa, kappa_simulation_uses_transition_sizes_from_the_initial_map) {
  // Initial class 0 (8 cells): observed -> {0:5, 1:2, 2:1}, simulated -> {0:4, 1:3, 2:1}.
  // Initial class 1 (6 cells) and class 2 (2 cells) persist in both maps.
  // p_e(T) = 8/16 * (5*4 + 2*3 + 1*1)/64 + 6/16 + 2/16 = 27/128 + 48/128 + 16/128 = 91/128.
  // p_max(T) = 8/16 * (4+2+1)/8 + 6/16 + 2/16 = 15/16 = 120/128; p_o = 96/128.
  // KSIM = (96-91)/(128-91) = 5/37; KTransition = (120-91)/37 = 29/37; KTransloc = 5/29.
  const ValidationResult r = Example{}.run();
  EXPECT_NEAR(r.model.kappa.kappa_simulation, 5.0 / 37.0, kTol);
  EXPECT_NEAR(r.model.kappa.kappa_transition, 29.0 / 37.0, kTol);
  EXPECT_NEAR(r.model.kappa.kappa_transition_location, 5.0 / 29.0, kTol);
  EXPECT_NEAR(r.model.kappa.kappa_transition * r.model.kappa.kappa_transition_location,
              r.model.kappa.kappa_simulation, kTol);
}

TEST(Disagreement, quantity_and_allocation_match_pontius_millones_by_hand) {
  // Class totals observed (5, 8, 3), simulated (4, 9, 3), diagonal (3, 7, 2), n = 16.
  // q = |4-5|, |9-8|, |3-3| = 1, 1, 0 cells -> Q = 2/2/16 = 1/16.
  // a = 2 min(4-3, 5-3), 2 min(9-7, 8-7), 2 min(3-2, 3-2) = 2, 2, 2 cells -> A = 6/2/16 = 3/16.
  const ValidationResult r = Example{}.run();
  EXPECT_NEAR(r.model.disagreement.quantity, 1.0 / 16.0, kTol);
  EXPECT_NEAR(r.model.disagreement.allocation, 3.0 / 16.0, kTol);
  EXPECT_NEAR(r.model.disagreement.total, 0.25, kTol);
  EXPECT_NEAR(r.model.disagreement.total, r.model.disagreement.quantity + r.model.disagreement.allocation, kTol);
  ASSERT_EQ(r.model.disagreement.per_class.size(), 3u);
  EXPECT_EQ(r.model.disagreement.per_class[1].class_code, 1);
  EXPECT_NEAR(r.model.disagreement.per_class[1].quantity, 1.0 / 16.0, kTol);
  EXPECT_NEAR(r.model.disagreement.per_class[1].allocation, 2.0 / 16.0, kTol);
  EXPECT_NEAR(r.model.disagreement.per_class[2].quantity, 0.0, kTol);
}

TEST(PersistenceModel, scores_are_computed_side_by_side_and_can_beat_a_weak_model) {
  // Persistence (simulated = initial) misses all 3 observed changes: FoM 0.
  // observed x initial: diagonal 5 + 6 + 2 = 13 -> p_o = 13/16; totals observed (5,8,3), initial (8,6,2);
  // p_e = (40 + 48 + 6)/256 = 94/256 -> Kappa = (208-94)/(256-94) = 19/27 (above the model's 91/155).
  // Q = (3 + 2 + 1)/2/16 = 3/16, A = 0, total 3/16 (below the model's 1/4). KSIM = 0 by construction.
  const ValidationResult r = Example{}.run();
  EXPECT_EQ(r.persistence.fom.misses, 3);
  EXPECT_EQ(r.persistence.fom.hits + r.persistence.fom.wrong_hits + r.persistence.fom.false_alarms, 0);
  EXPECT_EQ(r.persistence.fom.figure_of_merit, 0.0);
  EXPECT_NEAR(r.persistence.kappa.kappa, 19.0 / 27.0, kTol);
  EXPECT_NEAR(r.persistence.kappa.kappa_location, 1.0, kTol);
  EXPECT_NEAR(r.persistence.kappa.kappa_simulation, 0.0, kTol);
  EXPECT_TRUE(std::isnan(r.persistence.kappa.kappa_transition_location));  // p_max(T) = p_e(T)
  EXPECT_NEAR(r.persistence.disagreement.quantity, 3.0 / 16.0, kTol);
  EXPECT_NEAR(r.persistence.disagreement.allocation, 0.0, kTol);
  EXPECT_NEAR(r.persistence.disagreement.total, 3.0 / 16.0, kTol);
  // The model places some change right (KSIM 5/37 > 0) but errs more than doing nothing.
  EXPECT_FALSE(r.beats_persistence_on_total_disagreement());
  EXPECT_FALSE(r.beats_persistence_on_kappa());
  EXPECT_TRUE(r.beats_persistence_on_kappa_simulation());
}

TEST(Validation, perfect_simulation_scores_fom_1_kappa_1_and_no_disagreement) {
  Example e;
  e.simulated = e.observed;
  const ValidationResult r = e.run();
  EXPECT_EQ(r.model.fom.hits, 3);
  EXPECT_EQ(r.model.fom.figure_of_merit, 1.0);
  EXPECT_EQ(r.model.fom.producers_accuracy, 1.0);
  EXPECT_EQ(r.model.fom.users_accuracy, 1.0);
  EXPECT_NEAR(r.model.kappa.kappa, 1.0, kTol);
  EXPECT_NEAR(r.model.kappa.kappa_simulation, 1.0, kTol);
  EXPECT_NEAR(r.model.kappa.kappa_transition, 1.0, kTol);
  EXPECT_EQ(r.model.disagreement.quantity, 0.0);
  EXPECT_EQ(r.model.disagreement.allocation, 0.0);
  EXPECT_EQ(r.model.disagreement.total, 0.0);
  EXPECT_TRUE(r.beats_persistence_on_total_disagreement());
  EXPECT_TRUE(r.beats_persistence_on_kappa());
  EXPECT_TRUE(r.beats_persistence_on_kappa_simulation());
}

TEST(Validation, simulating_persistence_scores_fom_0_and_ties_with_the_null_model) {
  Example e;
  e.simulated = e.initial;
  const ValidationResult r = e.run();
  EXPECT_EQ(r.model.fom.figure_of_merit, 0.0);
  EXPECT_NEAR(r.model.kappa.kappa_simulation, 0.0, kTol);
  EXPECT_EQ(r.model.kappa.kappa, r.persistence.kappa.kappa);
  EXPECT_EQ(r.model.disagreement.total, r.persistence.disagreement.total);
  EXPECT_FALSE(r.beats_persistence_on_total_disagreement());  // a tie is not a win
  EXPECT_FALSE(r.beats_persistence_on_kappa());
  EXPECT_FALSE(r.beats_persistence_on_kappa_simulation());
}

TEST(Validation, undefined_scores_are_nan_when_nothing_changes) {
  // No change observed nor simulated: FoM, producer's/user's accuracy and KSIM have zero denominators.
  const OwnedMap same = map_of(2, 2, {0, 1, 1, 0});
  const ValidationResult r = validate_simulation(same.view(), same.view(), same.view());
  EXPECT_TRUE(std::isnan(r.model.fom.figure_of_merit));
  EXPECT_TRUE(std::isnan(r.model.fom.producers_accuracy));
  EXPECT_TRUE(std::isnan(r.model.fom.users_accuracy));
  EXPECT_TRUE(std::isnan(r.model.kappa.kappa_simulation));
  EXPECT_NEAR(r.model.kappa.kappa, 1.0, kTol);  // two classes: Cohen's Kappa is still defined
  // One single class everywhere: p_e = 1, Cohen's Kappa itself is undefined.
  const OwnedMap flat = map_of(2, 2, {3, 3, 3, 3});
  const ValidationResult f = validate_simulation(flat.view(), flat.view(), flat.view());
  EXPECT_TRUE(std::isnan(f.model.kappa.kappa));
  EXPECT_EQ(f.model.disagreement.total, 0.0);
}

TEST(Validation, excludes_cells_that_are_nodata_in_any_map) {
  // The example with a fifth column: in each of its rows exactly one map is nodata (initial in rows 0 and 3,
  // observed in row 1, simulated in row 2) and the others hold class 7. The scores must equal the 4x4
  // example's, and class 7 must not appear.
  const Example e;
  const auto widen = [](const OwnedMap& m, int nodata_row) {
    OwnedMap w = m;
    w.cols = 5;
    w.cells.clear();
    for (int r = 0; r < 4; ++r) {
      for (int c = 0; c < 4; ++c) w.cells.push_back(m.at(r, c));
      w.cells.push_back(static_cast<std::uint8_t>(r == nodata_row ? kNodata : 7));
    }
    return w;
  };
  OwnedMap initial = widen(e.initial, 0), observed = widen(e.observed, 1), simulated = widen(e.simulated, 2);
  initial.at(3, 4) = kNodata;
  const ValidationResult wide = validate_simulation(initial.view(), observed.view(), simulated.view());
  const ValidationResult base = e.run();
  EXPECT_EQ(wide.cells_compared, 16);
  EXPECT_EQ(wide.cells_excluded, 4);
  EXPECT_EQ(wide.classes, base.classes);  // class 7 appears only in excluded cells
  EXPECT_EQ(wide.model.fom.figure_of_merit, base.model.fom.figure_of_merit);
  EXPECT_EQ(wide.model.kappa.kappa, base.model.kappa.kappa);
  EXPECT_EQ(wide.model.kappa.kappa_simulation, base.model.kappa.kappa_simulation);
  EXPECT_EQ(wide.model.disagreement.total, base.model.disagreement.total);
  EXPECT_EQ(wide.persistence.disagreement.total, base.persistence.disagreement.total);
}

TEST(Validation, each_map_uses_its_own_nodata_code) {
  // The simulated map marks nodata with 0 instead of 255: its 0 cells are excluded, not compared as class 0.
  OwnedMap initial = map_of(1, 3, {1, 1, 2});
  OwnedMap observed = map_of(1, 3, {1, 2, 2});
  OwnedMap simulated = map_of(1, 3, {0, 2, 2});
  simulated.nodata = 0;
  const ValidationResult r = validate_simulation(initial.view(), observed.view(), simulated.view());
  EXPECT_EQ(r.cells_compared, 2);
  EXPECT_EQ(r.model.fom.hits, 1);
  EXPECT_EQ(r.model.fom.figure_of_merit, 1.0);
}

TEST(Validation, size_mismatch_throws_a_data_error_naming_both_maps) {
  const Example e;
  const OwnedMap small = map_of(3, 4, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  try {
    validate_simulation(e.initial.view(), e.observed.view(), small.view());
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::data);
    EXPECT_EQ(error.context().key, "simulated");
    EXPECT_EQ(error.message(), "simulated map is 3 x 4 cells (rows x cols) but the initial map is 4 x 4");
  }
}

TEST(Validation, cell_size_mismatch_throws_a_data_error) {
  Example e;
  e.observed.cell_size_m = 30.0;
  try {
    e.run();
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::data);
    EXPECT_EQ(error.context().key, "observed");
    EXPECT_NE(error.message().find("30 m cells"), std::string::npos) << error.message();
  }
}

TEST(Validation, empty_or_inconsistent_maps_throw_data_errors) {
  const Example e;
  const OwnedMap empty;
  EXPECT_THROW(validate_simulation(empty.view(), empty.view(), empty.view()), Error);
  OwnedMap short_cells = e.observed;
  short_cells.cells.pop_back();  // 15 cells for a 4 x 4 shape
  try {
    validate_simulation(e.initial.view(), short_cells.view(), e.simulated.view());
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::data);
    EXPECT_EQ(error.context().key, "observed");
  }
  const OwnedMap all_nodata = map_of(1, 2, {kNodata, kNodata});
  const OwnedMap two = map_of(1, 2, {0, 1});
  EXPECT_THROW(validate_simulation(all_nodata.view(), two.view(), two.view()), Error);
}

TEST(Validation, rows_carry_model_and_persistence_side_by_side) {
  const ValidationResult r = Example{}.run();
  const std::vector<MetricRow> rows = r.to_rows();
  const auto find = [&](const std::string& id, const std::string& scope) -> const MetricRow* {
    for (const MetricRow& row : rows) {
      if (row.id == id && row.scope == scope && !row.class_code) return &row;
    }
    return nullptr;
  };
  const MetricRow* fom = find("figure_of_merit", "model");
  const MetricRow* fom_null = find("figure_of_merit", "persistence");
  ASSERT_NE(fom, nullptr);
  ASSERT_NE(fom_null, nullptr);
  EXPECT_EQ(fom->value, r.model.fom.figure_of_merit);
  EXPECT_EQ(fom->unit, "fraction");
  EXPECT_EQ(fom->label_en, "Figure of Merit");
  EXPECT_EQ(fom_null->value, 0.0);
  const MetricRow* misses = find("misses_area", "model");
  ASSERT_NE(misses, nullptr);
  EXPECT_EQ(misses->unit, "m2");
  EXPECT_EQ(misses->value, 100.0);  // one 10 m x 10 m cell
  const MetricRow* beats = find("beats_persistence_kappa_simulation", "comparison");
  ASSERT_NE(beats, nullptr);
  EXPECT_EQ(beats->value, 1.0);
  // Same ids in both scopes, so a writer can pair them.
  std::set<std::string> model_ids, null_ids;
  for (const MetricRow& row : rows) {
    if (row.scope == "model") model_ids.insert(row.id);
    if (row.scope == "persistence") null_ids.insert(row.id);
  }
  EXPECT_EQ(model_ids, null_ids);
  EXPECT_GE(model_ids.size(), 18u);
}

// Straightforward re-implementation from the probability definitions, cell by cell, for the random test.
struct BruteForce {
  double fom, kappa, ksim, quantity, allocation;
};

BruteForce brute_force(const OwnedMap& ini, const OwnedMap& obs, const OwnedMap& sim) {
  std::vector<std::size_t> cells;
  for (std::size_t k = 0; k < ini.cells.size(); ++k) {
    if (ini.cells[k] != kNodata && obs.cells[k] != kNodata && sim.cells[k] != kNodata) cells.push_back(k);
  }
  const double n = static_cast<double>(cells.size());
  std::set<int> classes;
  for (const std::size_t k : cells) {
    classes.insert(ini.cells[k]);
    classes.insert(obs.cells[k]);
    classes.insert(sim.cells[k]);
  }
  double a = 0, b = 0, c = 0, d = 0, agree = 0;
  for (const std::size_t k : cells) {
    const int i = ini.cells[k], o = obs.cells[k], s = sim.cells[k];
    agree += (o == s);
    if (o != i && s == i) a += 1;
    if (o != i && s != i && s == o) b += 1;
    if (o != i && s != i && s != o) c += 1;
    if (o == i && s != i) d += 1;
  }
  const double po = agree / n;
  double pe = 0, quantity = 0, allocation = 0;
  for (const int g : classes) {
    double po_g = 0, ps_g = 0, pgg = 0;
    for (const std::size_t k : cells) {
      po_g += (obs.cells[k] == g) / n;
      ps_g += (sim.cells[k] == g) / n;
      pgg += (obs.cells[k] == g && sim.cells[k] == g) / n;
    }
    pe += po_g * ps_g;
    quantity += std::abs(ps_g - po_g) / 2;
    allocation += std::min(ps_g - pgg, po_g - pgg);
  }
  double pe_t = 0;
  for (const int j : classes) {
    double nj = 0;
    std::map<int, double> to_obs, to_sim;
    for (const std::size_t k : cells) {
      if (ini.cells[k] != j) continue;
      nj += 1;
      to_obs[obs.cells[k]] += 1;
      to_sim[sim.cells[k]] += 1;
    }
    if (nj == 0) continue;
    double sum = 0;
    for (const int i : classes) sum += (to_obs[i] / nj) * (to_sim[i] / nj);
    pe_t += nj / n * sum;
  }
  return BruteForce{b / (a + b + c + d), (po - pe) / (1 - pe), (po - pe_t) / (1 - pe_t), quantity, allocation};
}

TEST(Validation, larger_random_maps_match_a_brute_force_implementation) {
  const OwnedMap initial = testing::random_patchy_map(37, 41, 4, 0.7, 0.05, 11);
  OwnedMap observed = initial, simulated = initial;
  RngStream rng(12, "test.metrics.validation_changes");
  for (std::size_t k = 0; k < initial.cells.size(); ++k) {
    if (rng.uniform() < 0.15) observed.cells[k] = static_cast<std::uint8_t>(rng.uniform_int(5));
    if (rng.uniform() < 0.15) simulated.cells[k] = static_cast<std::uint8_t>(rng.uniform_int(5));
    if (rng.uniform() < 0.02) simulated.cells[k] = kNodata;
  }
  const ValidationResult r = validate_simulation(initial.view(), observed.view(), simulated.view());
  const BruteForce expected = brute_force(initial, observed, simulated);
  constexpr double tol = 1e-9;  // the brute force sums 1/n terms one by one
  EXPECT_NEAR(r.model.fom.figure_of_merit, expected.fom, tol);
  EXPECT_NEAR(r.model.kappa.kappa, expected.kappa, tol);
  EXPECT_NEAR(r.model.kappa.kappa_simulation, expected.ksim, tol);
  EXPECT_NEAR(r.model.disagreement.quantity, expected.quantity, tol);
  EXPECT_NEAR(r.model.disagreement.allocation, expected.allocation, tol);
  // The brute force of persistence excludes the simulated map's nodata too: compare on the same cells.
  OwnedMap initial_masked = initial;
  for (std::size_t k = 0; k < initial.cells.size(); ++k) {
    if (simulated.cells[k] == kNodata) initial_masked.cells[k] = kNodata;
  }
  const BruteForce null_masked = brute_force(initial_masked, observed, initial_masked);
  EXPECT_NEAR(r.persistence.kappa.kappa, null_masked.kappa, tol);
  EXPECT_NEAR(r.persistence.disagreement.total, null_masked.quantity + null_masked.allocation, tol);
  EXPECT_NEAR(r.persistence.kappa.kappa_simulation, 0.0, tol);
  EXPECT_NE(r.persistence.kappa.kappa, r.model.kappa.kappa);  // the two candidates really differ
}

}  // namespace
}  // namespace parksim::metrics
