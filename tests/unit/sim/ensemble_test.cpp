#include "sim/ensemble.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "sim_test_support.hpp"

namespace parksim::sim {
namespace {

SimulationInput ensemble_input() {
  SimulationInput in = test::basic_input(90, 70, 3, 4, 80);
  in.output_years.clear();
  in.constraint = grid::Grid<std::uint8_t>(in.initial_classes.spec(), 0);
  for (int r = 0; r < 90; ++r) in.constraint(r, 0) = 1;
  in.phase = grid::Grid<std::uint8_t>(in.initial_classes.spec(), no_phase);
  for (int r = 0; r < 90; ++r) {
    for (int c = 50; c < 70; ++c) in.phase(r, c) = 0;
  }
  in.phase_opening_year = {2024};
  for (int r = 0; r < 90; ++r) {
    for (int c = 50; c < 70; ++c) in.suitability[1](r, c) = 255;
  }
  return in;
}

bool same(const EnsembleResult& a, const EnsembleResult& b) {
  return a.runs == b.runs && a.first_run == b.first_run && a.class_counts == b.class_counts &&
         a.phase_full_year == b.phase_full_year && a.unmet_cells == b.unmet_cells && a.problems == b.problems;
}

TEST(Ensemble, one_and_two_threads_give_identical_results) {
  const SimulationInput in = ensemble_input();
  const EnsembleResult one = run_ensemble(in, Params{}, 6, 17, 1);
  const EnsembleResult two = run_ensemble(in, Params{}, 6, 17, 2);
  EXPECT_TRUE(same(one, two));
}

TEST(Ensemble, same_seed_twice_is_identical_and_another_seed_differs) {
  const SimulationInput in = ensemble_input();
  const EnsembleResult a = run_ensemble(in, Params{}, 4, 5, 2);
  const EnsembleResult b = run_ensemble(in, Params{}, 4, 5, 2);
  const EnsembleResult c = run_ensemble(in, Params{}, 4, 6, 2);
  EXPECT_TRUE(same(a, b));
  EXPECT_NE(a.class_counts, c.class_counts);
}

TEST(Ensemble, split_runs_merged_equal_one_call) {
  const SimulationInput in = ensemble_input();
  const EnsembleResult all = run_ensemble(in, Params{}, 33, 0, 10, 2);
  EnsembleResult first = run_ensemble(in, Params{}, 33, 0, 5, 1);
  const EnsembleResult second = run_ensemble(in, Params{}, 33, 5, 5, 2);
  merge(first, second);
  EXPECT_TRUE(same(first, all));
}

TEST(Ensemble, merge_rejects_runs_that_do_not_follow_on) {
  const SimulationInput in = ensemble_input();
  EnsembleResult a = run_ensemble(in, Params{}, 1, 0, 2, 1);
  const EnsembleResult c = run_ensemble(in, Params{}, 1, 3, 1, 1);
  EXPECT_THROW(merge(a, c), Error);
  const EnsembleResult other_seed = run_ensemble(in, Params{}, 2, 2, 1, 1);
  EXPECT_THROW(merge(a, other_seed), Error);
}

TEST(Ensemble, probabilities_sum_to_one_and_fixed_cells_are_certain) {
  const SimulationInput in = ensemble_input();
  const EnsembleResult e = run_ensemble(in, Params{}, 8, 3, 2);
  const std::int64_t cells = in.initial_classes.size();
  bool some_uncertain = false;
  for (std::int64_t i = 0; i < cells; ++i) {
    double sum = 0.0;
    for (int k = 0; k < 3; ++k) sum += e.probability(k, i);
    ASSERT_DOUBLE_EQ(sum, 1.0) << i;
    if (in.constraint[i]) {
      ASSERT_DOUBLE_EQ(e.probability(in.initial_classes[i], i), 1.0);
    }
    const double p1 = e.probability(1, i);
    some_uncertain |= p1 > 0.0 && p1 < 1.0;
  }
  EXPECT_TRUE(some_uncertain);
  const grid::Grid<float> p = e.probability_grid(1);
  EXPECT_FLOAT_EQ(p(0, 0), static_cast<float>(e.probability(1, 0)));
}

TEST(Ensemble, phase_full_histogram_counts_every_run_once) {
  SimulationInput in = ensemble_input();
  in.demand.clear();
  for (int y = 1; y <= 4; ++y) {
    in.demand.push_back(YearDemand{.year = 2024 + y, .cells = {no_target, 12 + 500 * y, 12}});
  }
  for (int r = 0; r < 90; ++r) {
    for (int c = 0; c < 50; ++c) in.suitability[1](r, c) = 1;  // growth goes to the phase (weight 255 : 1)
  }
  Params p;
  p.neighbourhood_weight = 0.0;
  p.phase_full_share = 0.5;  // 1 800 phase cells: half = 900, reached in the second year (1 012 built)
  const EnsembleResult e = run_ensemble(in, p, 6, 9, 2);
  const std::vector<std::uint64_t> h = e.phase_full_histogram(0);
  ASSERT_EQ(h.size(), 6U);  // 2024..2028 + not filled
  std::uint64_t total = 0;
  for (std::uint64_t n : h) total += n;
  EXPECT_EQ(total, 6U);
  EXPECT_EQ(h[0], 0U);  // not full initially
  EXPECT_EQ(h[2], 6U);  // every run fills it in 2026
}

TEST(Ensemble, rejects_zero_runs_and_zero_threads) {
  const SimulationInput in = ensemble_input();
  EXPECT_THROW(run_ensemble(in, Params{}, 1, 0, 0, 1), Error);
  EXPECT_THROW(run_ensemble(in, Params{}, 2, 1, 0), Error);
}

}  // namespace
}  // namespace parksim::sim
