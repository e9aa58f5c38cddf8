#include "metrics/three_map.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "metrics/validation.hpp"
#include "test_maps.hpp"

namespace parksim::metrics {
namespace {

using testing::kNodata;
using testing::map_of;
using testing::OwnedMap;
using testing::random_patchy_map;

constexpr double kTol = 1e-12;       // ratios of whole cell counts: rounding only
constexpr double kCellsTol = 1e-9;   // cells summed over many coarse cells, each term rounded once

MultiResolutionFigureOfMerit run(const OwnedMap& i, const OwnedMap& o, const OwnedMap& s, std::vector<int> factors) {
  return multi_resolution_figure_of_merit(i.view(), o.view(), s.view(), factors);
}

// The validation example (classes 0 open, 1 built, 2 health industry):
//   initial      observed     simulated
//   0 0 0 0      0 1 1 0      0 1 2 1
//   0 0 1 1      0 2 1 1      0 0 1 1
//   0 0 1 1      0 0 1 1      1 0 1 1
//   2 2 1 1      2 2 1 1      2 2 1 1
// (0,1) 0->1 hit; (0,2) observed 0->1, simulated 0->2; (1,1) observed 0->2, simulated persistence;
// (0,3) and (2,0) simulated 0->1 where 0 persisted.
TEST(TransitionFigureOfMerit, counts_hits_misses_false_alarms_and_both_kinds_of_wrong_hits_by_hand) {
  const OwnedMap initial = map_of(4, 4, {0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 1, 1});
  const OwnedMap observed = map_of(4, 4, {0, 1, 1, 0, 0, 2, 1, 1, 0, 0, 1, 1, 2, 2, 1, 1});
  const OwnedMap simulated = map_of(4, 4, {0, 1, 2, 1, 0, 0, 1, 1, 1, 0, 1, 1, 2, 2, 1, 1});
  const auto t = transition_figures_of_merit(initial.view(), observed.view(), simulated.view());
  ASSERT_EQ(t.size(), 2u);
  // 0 -> 1: hit (0,1); wrong hit of the observed transition (0,2); false alarms (0,3), (2,0).
  // observed = 2, simulated = 3, FoM = 1 / (2 + 3 - 1) = 1/4, producer's 1/2, user's 1/3.
  EXPECT_EQ(t[0].from_class, 0);
  EXPECT_EQ(t[0].to_class, 1);
  EXPECT_EQ(t[0].hits, 1.0);
  EXPECT_EQ(t[0].misses, 0.0);
  EXPECT_EQ(t[0].wrong_hits_observed, 1.0);
  EXPECT_EQ(t[0].false_alarms, 2.0);
  EXPECT_EQ(t[0].wrong_hits_simulated, 0.0);
  EXPECT_EQ(t[0].observed, 2.0);
  EXPECT_EQ(t[0].simulated, 3.0);
  EXPECT_NEAR(t[0].figure_of_merit, 0.25, kTol);
  EXPECT_NEAR(t[0].producers_accuracy, 0.5, kTol);
  EXPECT_NEAR(t[0].users_accuracy, 1.0 / 3.0, kTol);
  // 0 -> 2: miss (1,1); wrong hit of the simulated transition (0,2). FoM 0 / 2.
  EXPECT_EQ(t[1].from_class, 0);
  EXPECT_EQ(t[1].to_class, 2);
  EXPECT_EQ(t[1].misses, 1.0);
  EXPECT_EQ(t[1].wrong_hits_simulated, 1.0);
  EXPECT_EQ(t[1].observed, 1.0);
  EXPECT_EQ(t[1].simulated, 1.0);
  EXPECT_EQ(t[1].figure_of_merit, 0.0);
  // The overall budget: misses, hits and false alarms are the transitions' sums; the one overall wrong hit
  // appears once on each side.
  const ValidationResult v = validate_simulation(initial.view(), observed.view(), simulated.view());
  EXPECT_EQ(t[0].misses + t[1].misses, static_cast<double>(v.model.fom.misses));
  EXPECT_EQ(t[0].hits + t[1].hits, static_cast<double>(v.model.fom.hits));
  EXPECT_EQ(t[0].false_alarms + t[1].false_alarms, static_cast<double>(v.model.fom.false_alarms));
  EXPECT_EQ(t[0].wrong_hits_observed + t[1].wrong_hits_observed, static_cast<double>(v.model.fom.wrong_hits));
  EXPECT_EQ(t[0].wrong_hits_simulated + t[1].wrong_hits_simulated, static_cast<double>(v.model.fom.wrong_hits));
}

TEST(TransitionFigureOfMerit, a_perfect_transition_scores_one_and_an_unsimulated_one_zero) {
  const OwnedMap initial = map_of(1, 4, {0, 0, 1, 1});
  const OwnedMap observed = map_of(1, 4, {1, 0, 0, 1});
  const OwnedMap simulated = map_of(1, 4, {1, 0, 1, 1});
  const auto t = transition_figures_of_merit(initial.view(), observed.view(), simulated.view());
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].figure_of_merit, 1.0);  // 0 -> 1
  EXPECT_EQ(t[1].from_class, 1);
  EXPECT_EQ(t[1].to_class, 0);
  EXPECT_EQ(t[1].misses, 1.0);
  EXPECT_EQ(t[1].figure_of_merit, 0.0);
  EXPECT_TRUE(std::isnan(t[1].users_accuracy));  // nothing simulated
}

// Two classes on 4 x 4 cells, the whole initial map class 0. Observed: (0,0) and (0,1) become 1.
OwnedMap two_new_cells(int row, int col) {
  OwnedMap m = map_of(4, 4, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  m.at(row, col) = 1;
  m.at(row, col + 1) = 1;
  return m;
}

TEST(MultiResolutionFigureOfMerit, change_in_the_right_coarse_cell_becomes_agreement_by_hand) {
  const OwnedMap initial = two_new_cells(0, 0);
  OwnedMap all_zero = initial;
  std::fill(all_zero.cells.begin(), all_zero.cells.end(), 0);
  const OwnedMap observed = two_new_cells(0, 0);
  // Simulated one row lower: wrong cells, right 2 x 2 coarse cell.
  const MultiResolutionFigureOfMerit near = run(all_zero, observed, two_new_cells(1, 0), {1, 2, 4});
  ASSERT_EQ(near.resolutions.size(), 3u);
  const ResolutionFigureOfMerit& n1 = near.resolutions[0];
  EXPECT_EQ(n1.factor, 1);
  EXPECT_EQ(n1.misses, 2.0);
  EXPECT_EQ(n1.false_alarms, 2.0);
  EXPECT_EQ(n1.hits, 0.0);
  EXPECT_EQ(n1.figure_of_merit, 0.0);
  // Factor 2, upper-left coarse cell: q = {0: 4}, r = s = {0: 2, 1: 2}. Eq. 1: e1 = (2, 2); Eq. 2: e2 = (2, 0);
  // Eq. 3: T_011 = (2 - 0)(4 - 2) / (4 - 2) = 2 hits; nothing is left for Eq. 7. FoM = 2 / 2 = 1.
  const ResolutionFigureOfMerit& n2 = near.resolutions[1];
  EXPECT_EQ(n2.coarse_cells, 4);
  EXPECT_NEAR(n2.hits, 2.0, kTol);
  EXPECT_NEAR(n2.misses + n2.false_alarms + n2.wrong_hits, 0.0, kTol);
  EXPECT_NEAR(n2.correct_rejections, 14.0, kTol);
  EXPECT_NEAR(n2.figure_of_merit, 1.0, kTol);
  EXPECT_EQ(n2.coarse_cell_width_m, 20.0);

  // Simulated two rows further down, in another 2 x 2 coarse cell: still no agreement at factor 2 - the upper
  // coarse cell has q = {0: 4}, r = {0: 2, 1: 2}, s = {0: 4}: e1 = (2, 0), e2 = (2, 0), no Eq. 3 change; Eq. 7
  // leaves qq_0 = 2, rr_1 = 2, ss_0 = 2 -> T_010 = 2 misses. The lower one gives T_001 = 2 false alarms.
  // At factor 4 (one coarse cell, W = 16): r = s = {0: 14, 1: 2}, so the change is 2 hits and FoM = 1.
  const MultiResolutionFigureOfMerit far = run(all_zero, observed, two_new_cells(2, 2), {1, 2, 4, 8});
  EXPECT_EQ(far.resolutions[0].figure_of_merit, 0.0);
  EXPECT_NEAR(far.resolutions[1].misses, 2.0, kTol);
  EXPECT_NEAR(far.resolutions[1].false_alarms, 2.0, kTol);
  EXPECT_NEAR(far.resolutions[1].figure_of_merit, 0.0, kTol);
  EXPECT_EQ(far.resolutions[2].coarse_cells, 1);
  EXPECT_NEAR(far.resolutions[2].hits, 2.0, kTol);
  EXPECT_NEAR(far.resolutions[2].figure_of_merit, 1.0, kTol);
  // Factor 8 covers the 4 x 4 map with one partial coarse cell: the same as factor 4.
  EXPECT_EQ(far.resolutions[3].coarse_cells, 1);
  EXPECT_NEAR(far.resolutions[3].figure_of_merit, 1.0, kTol);
  ASSERT_NE(far.find(8), nullptr);
  EXPECT_EQ(far.find(3), nullptr);
}

TEST(MultiResolutionFigureOfMerit, three_classes_in_one_coarse_cell_follow_equations_3_and_7_by_hand) {
  //   initial  observed  simulated
  //   0 0      0 2       0 1
  //   1 2      2 2       2 2
  // Cells: (0,1) observed 0->2 simulated 0->1 (wrong hit); (1,0) 1->2 hit. FoM 1/2 at factor 1.
  const OwnedMap initial = map_of(2, 2, {0, 0, 1, 2});
  const OwnedMap observed = map_of(2, 2, {0, 2, 2, 2});
  const OwnedMap simulated = map_of(2, 2, {0, 1, 2, 2});
  const MultiResolutionFigureOfMerit m = run(initial, observed, simulated, {1, 2});
  const ResolutionFigureOfMerit& f1 = m.resolutions[0];
  EXPECT_EQ(f1.hits, 1.0);
  EXPECT_EQ(f1.wrong_hits, 1.0);
  EXPECT_NEAR(f1.figure_of_merit, 0.5, kTol);
  // Factor 2, W = 4: q = (2, 1, 1), r = (1, 0, 3), s = (1, 1, 2).
  // Eq. 1 e1 = (1, 0, 2); Eq. 2 e2 = (1, 0, 1) -> T_000 = T_222 = 1.
  // Eq. 3, j = 2: (2 - 1) (q_i - e2_i) / ((2 - 1) + (1 - 0)) -> T_022 = T_122 = 1/2 (hits).
  // Eq. 4-6: qq = (1/2, 1/2, 0), rr = (0, 0, 1), ss = (0, 1, 0); Eq. 7: (4 - 3) qq_i rr_2 ss_1 / (1 x 1 x 1):
  // T_021 = 1/2 (wrong hit), T_121 = 1/2 (miss: 1 observed to become 2, simulated as 1).
  const ResolutionFigureOfMerit& f2 = m.resolutions[1];
  EXPECT_NEAR(f2.correct_rejections, 2.0, kTol);
  EXPECT_NEAR(f2.hits, 1.0, kTol);
  EXPECT_NEAR(f2.misses, 0.5, kTol);
  EXPECT_NEAR(f2.wrong_hits, 0.5, kTol);
  EXPECT_NEAR(f2.false_alarms, 0.0, kTol);
  EXPECT_NEAR(f2.figure_of_merit, 0.5, kTol);
  // Transitions at factor 2 (Eq. 11): 0 -> 2: hits 1/2, wrong hits 1/2, observed 1, simulated 1/2 -> 1/2;
  // 1 -> 2: hits 1/2, misses 1/2 -> 1/2; 0 -> 1: only simulated (wrong hit 1/2) -> 0.
  const TransitionFigureOfMerit* t02 = f2.find(0, 2);
  const TransitionFigureOfMerit* t12 = f2.find(1, 2);
  const TransitionFigureOfMerit* t01 = f2.find(0, 1);
  ASSERT_NE(t02, nullptr);
  ASSERT_NE(t12, nullptr);
  ASSERT_NE(t01, nullptr);
  EXPECT_NEAR(t02->hits, 0.5, kTol);
  EXPECT_NEAR(t02->wrong_hits_observed, 0.5, kTol);
  EXPECT_NEAR(t02->figure_of_merit, 0.5, kTol);
  EXPECT_NEAR(t12->misses, 0.5, kTol);
  EXPECT_NEAR(t12->figure_of_merit, 0.5, kTol);
  EXPECT_NEAR(t01->wrong_hits_simulated, 0.5, kTol);
  EXPECT_NEAR(t01->figure_of_merit, 0.0, kTol);
  // At factor 1 the same transitions score 0, 1 and 0.
  EXPECT_EQ(f1.find(0, 2)->figure_of_merit, 0.0);
  EXPECT_EQ(f1.find(1, 2)->figure_of_merit, 1.0);
  EXPECT_EQ(f1.find(0, 1)->figure_of_merit, 0.0);
}

// lulcc's ThreeMapComparison written out literally (fractions per coarse cell, the equations' sums as written,
// 0/0 dropped as na.rm = TRUE does), to check the engine's closed form on random maps.
std::map<std::tuple<int, int, int>, double> literal_table(const OwnedMap& ini, const OwnedMap& obs,
                                                          const OwnedMap& sim, int f, const std::vector<int>& classes) {
  std::map<std::tuple<int, int, int>, double> table;
  const std::size_t c = classes.size();
  const auto at = [&](const OwnedMap& m, int r, int col) {
    return static_cast<int>(std::find(classes.begin(), classes.end(), m.at(r, col)) - classes.begin());
  };
  const auto nan0 = [](double v) { return std::isnan(v) ? 0.0 : v; };
  for (int top = 0; top < ini.rows; top += f) {
    for (int left = 0; left < ini.cols; left += f) {
      std::vector<double> q(c, 0), r(c, 0), s(c, 0);
      double w = 0;
      for (int row = top; row < std::min(ini.rows, top + f); ++row) {
        for (int col = left; col < std::min(ini.cols, left + f); ++col) {
          if (ini.at(row, col) == kNodata || obs.at(row, col) == kNodata || sim.at(row, col) == kNodata) continue;
          q[at(ini, row, col)] += 1;
          r[at(obs, row, col)] += 1;
          s[at(sim, row, col)] += 1;
          w += 1;
        }
      }
      if (w == 0) continue;
      for (std::size_t i = 0; i < c; ++i) {
        q[i] /= w;
        r[i] /= w;
        s[i] /= w;
      }
      std::vector<double> eq1(c), eq2(c);
      for (std::size_t j = 0; j < c; ++j) {
        eq1[j] = std::min(r[j], s[j]);
        eq2[j] = std::min({q[j], r[j], s[j]});
      }
      std::vector<std::vector<double>> eq3(c, std::vector<double>(c, 0.0));  // [j][i]
      for (std::size_t j = 0; j < c; ++j) {
        double bsum = 0;
        for (std::size_t i = 0; i < c; ++i) bsum += i != j ? q[i] - eq2[i] : 0.0;
        for (std::size_t i = 0; i < c; ++i) {
          if (i != j) eq3[j][i] = nan0((eq1[j] - eq2[j]) * (q[i] - eq2[i]) / bsum);
        }
      }
      std::vector<double> qq(c), rr(c), ss(c);
      double a = 0;
      for (std::size_t i = 0; i < c; ++i) {
        double tng = eq2[i];
        for (std::size_t j = 0; j < c; ++j) tng += j != i ? eq3[j][i] : 0.0;
        qq[i] = q[i] - tng;
        rr[i] = r[i] - eq1[i];
        ss[i] = s[i] - eq1[i];
        a += eq1[i];
      }
      double bsum7 = 0;
      for (std::size_t j = 0; j < c; ++j) {
        for (std::size_t k = 0; k < c; ++k) {
          for (std::size_t i = 0; i < c && j != k; ++i) bsum7 += qq[i] * rr[j] * ss[k];
        }
      }
      for (std::size_t i = 0; i < c; ++i) {
        for (std::size_t j = 0; j < c; ++j) {
          for (std::size_t k = 0; k < c; ++k) {
            double v = 0;
            if (j == k) {
              v = i == j ? eq2[j] : eq3[j][i];
            } else {
              v = nan0((1 - a) * qq[i] * rr[j] * ss[k] / bsum7);
            }
            table[{classes[i], classes[j], classes[k]}] += v * w;
          }
        }
      }
    }
  }
  return table;
}

TEST(MultiResolutionFigureOfMerit, matches_lulccs_equations_written_out_on_random_maps) {
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    // 23 x 19 cells: the coarse cells of the last row and column are partial at every factor.
    const OwnedMap ini = random_patchy_map(23, 19, 4, 0.8, 0.05, seed);
    OwnedMap obs = ini, sim = ini;
    const OwnedMap obs_change = random_patchy_map(23, 19, 4, 0.6, 0.03, seed + 100);
    const OwnedMap sim_change = random_patchy_map(23, 19, 4, 0.6, 0.03, seed + 200);
    for (std::size_t k = 0; k < ini.cells.size(); ++k) {
      if (k % 3 == 0) obs.cells[k] = obs_change.cells[k];
      if (k % 4 == 1 || k % 3 == 0) sim.cells[k] = sim_change.cells[k];
    }
    const std::vector<int> factors = {1, 2, 3, 4, 8, 30};
    const MultiResolutionFigureOfMerit m = run(ini, obs, sim, factors);
    std::vector<int> classes(m.classes.begin(), m.classes.end());
    for (const ResolutionFigureOfMerit& r : m.resolutions) {
      const auto t = literal_table(ini, obs, sim, r.factor, classes);
      double a = 0, b = 0, c = 0, d = 0, e = 0, total = 0;
      for (const auto& [key, v] : t) {
        const auto [i, j, k] = key;
        total += v;
        if (i == j) {
          (i == k ? e : d) += v;
        } else if (k == i) {
          a += v;
        } else if (k == j) {
          b += v;
        } else {
          c += v;
        }
      }
      SCOPED_TRACE(::testing::Message() << "seed " << seed << " factor " << r.factor);
      EXPECT_NEAR(total, static_cast<double>(m.cells_compared), kCellsTol);  // the table holds every compared cell
      EXPECT_NEAR(r.misses, a, kCellsTol);
      EXPECT_NEAR(r.hits, b, kCellsTol);
      EXPECT_NEAR(r.wrong_hits, c, kCellsTol);
      EXPECT_NEAR(r.false_alarms, d, kCellsTol);
      EXPECT_NEAR(r.correct_rejections, e, kCellsTol);
      EXPECT_NEAR(r.misses + r.hits + r.wrong_hits + r.false_alarms + r.correct_rejections,
                  static_cast<double>(m.cells_compared), kCellsTol);
      for (const TransitionFigureOfMerit& x : r.transitions) {
        const double hits = t.at({x.from_class, x.to_class, x.to_class});
        double observed = 0, simulated = 0;
        for (const int o : classes) {
          observed += t.at({x.from_class, x.to_class, o});
          simulated += t.at({x.from_class, o, x.to_class});
        }
        EXPECT_NEAR(x.hits, hits, kCellsTol);
        EXPECT_NEAR(x.observed, observed, kCellsTol);
        EXPECT_NEAR(x.simulated, simulated, kCellsTol);
        EXPECT_NEAR(x.figure_of_merit, hits / (observed + simulated - hits), 1e-9);
      }
    }
  }
}

TEST(MultiResolutionFigureOfMerit, factor_one_is_the_cell_level_figure_of_merit) {
  const OwnedMap ini = random_patchy_map(40, 37, 5, 0.8, 0.05, 7);
  OwnedMap obs = ini, sim = ini;
  const OwnedMap change = random_patchy_map(40, 37, 5, 0.5, 0.02, 8);
  for (std::size_t k = 0; k < ini.cells.size(); ++k) {
    if (k % 5 == 0) obs.cells[k] = change.cells[k];
    if (k % 7 == 0) sim.cells[k] = change.cells[(k + 37) % change.cells.size()];
  }
  const MultiResolutionFigureOfMerit m = run(ini, obs, sim, {1});
  const ValidationResult v = validate_simulation(ini.view(), obs.view(), sim.view());
  const ResolutionFigureOfMerit& r = m.resolutions[0];
  EXPECT_EQ(m.cells_compared, v.cells_compared);
  EXPECT_EQ(m.cells_excluded, v.cells_excluded);
  EXPECT_EQ(m.classes, v.classes);
  EXPECT_EQ(r.misses, static_cast<double>(v.model.fom.misses));
  EXPECT_EQ(r.hits, static_cast<double>(v.model.fom.hits));
  EXPECT_EQ(r.wrong_hits, static_cast<double>(v.model.fom.wrong_hits));
  EXPECT_EQ(r.false_alarms, static_cast<double>(v.model.fom.false_alarms));
  EXPECT_EQ(r.correct_rejections, static_cast<double>(v.model.fom.correct_rejections));
  EXPECT_EQ(r.figure_of_merit, v.model.fom.figure_of_merit);
  EXPECT_EQ(r.coarse_cells, v.cells_compared);
  // The transitions at factor 1 are those of transition_figures_of_merit, counted cell by cell here.
  const auto t = transition_figures_of_merit(ini.view(), obs.view(), sim.view());
  ASSERT_EQ(t.size(), r.transitions.size());
  std::map<std::pair<int, int>, std::pair<int, int>> counted;  // (from, to) -> (observed, simulated)
  for (std::size_t k = 0; k < ini.cells.size(); ++k) {
    const int i = ini.cells[k], o = obs.cells[k], s = sim.cells[k];
    if (i == kNodata || o == kNodata || s == kNodata) continue;
    if (o != i) ++counted[{i, o}].first;
    if (s != i) ++counted[{i, s}].second;
  }
  ASSERT_EQ(counted.size(), t.size());
  for (std::size_t x = 0; x < t.size(); ++x) {
    EXPECT_EQ(t[x].figure_of_merit, r.transitions[x].figure_of_merit);
    const auto& [observed, simulated] = counted.at({t[x].from_class, t[x].to_class});
    EXPECT_EQ(t[x].observed, observed);
    EXPECT_EQ(t[x].simulated, simulated);
  }
}

TEST(MultiResolutionFigureOfMerit, coarse_cells_without_data_are_skipped_and_partial_ones_weigh_their_cells) {
  // 3 x 3 cells at factor 2: coarse cells of 4, 2, 2 and 1 cells; the top-right one is all nodata.
  const OwnedMap initial = map_of(3, 3, {0, 0, kNodata, 0, 0, kNodata, 0, 0, 0});
  const OwnedMap observed = map_of(3, 3, {1, 0, 0, 0, 0, 0, 1, 0, 0});
  const OwnedMap simulated = map_of(3, 3, {0, 1, 0, 0, 0, 0, 0, 1, 1});
  const MultiResolutionFigureOfMerit m = run(initial, observed, simulated, {2});
  EXPECT_EQ(m.cells_compared, 7);
  EXPECT_EQ(m.cells_excluded, 2);
  const ResolutionFigureOfMerit& r = m.resolutions[0];
  EXPECT_EQ(r.coarse_cells, 3);
  // Upper-left (4 cells): one new cell observed and one simulated in it: 1 hit. Lower-left (2 cells): observed
  // (2,0), simulated (2,1): 1 hit. Lower-right (1 cell): a false alarm. FoM = 2 / 3.
  EXPECT_NEAR(r.hits, 2.0, kTol);
  EXPECT_NEAR(r.false_alarms, 1.0, kTol);
  EXPECT_NEAR(r.misses, 0.0, kTol);
  EXPECT_NEAR(r.figure_of_merit, 2.0 / 3.0, kTol);
}

TEST(MultiResolutionFigureOfMerit, undefined_scores_are_nan_when_nothing_changes) {
  const OwnedMap same = map_of(2, 2, {0, 1, 1, 0});
  const MultiResolutionFigureOfMerit m = run(same, same, same, {1, 2});
  for (const ResolutionFigureOfMerit& r : m.resolutions) {
    EXPECT_TRUE(std::isnan(r.figure_of_merit));
    EXPECT_TRUE(r.transitions.empty());
    EXPECT_NEAR(r.correct_rejections, 4.0, kTol);
  }
}

TEST(MultiResolutionFigureOfMerit, bad_factors_are_config_errors_and_bad_maps_data_errors) {
  const OwnedMap m = map_of(2, 2, {0, 1, 1, 0});
  for (const std::vector<int>& factors : {std::vector<int>{}, std::vector<int>{1, 0}, std::vector<int>{-2}}) {
    try {
      run(m, m, m, factors);
      FAIL() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::config);
      EXPECT_EQ(e.context().key, "factors");
    }
  }
  const OwnedMap wide = map_of(1, 4, {0, 1, 1, 0});
  try {
    run(m, m, wide, {1});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::data);
    EXPECT_EQ(e.context().key, "simulated");
  }
  const OwnedMap nodata = map_of(1, 2, {kNodata, kNodata});
  const OwnedMap two = map_of(1, 2, {0, 1});
  EXPECT_THROW(transition_figures_of_merit(nodata.view(), two.view(), two.view()), Error);
}

}  // namespace
}  // namespace parksim::metrics
