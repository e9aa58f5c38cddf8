// The search driver on problems whose Pareto fronts are known in closed form.
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "core/error.hpp"
#include "optimize/search.hpp"

namespace parksim::optimize {
namespace {

// ZDT1 with two variables on [0, 1]: f1 = x1, g = 1 + 9 x2, f2 = g (1 - sqrt(f1 / g)). Front: x2 = 0,
// f2 = 1 - sqrt(f1). Its hypervolume with reference (1.1, 1.1) is 0.1 + 2/3 + 0.11 (the area under 1.1 - f2 on
// [0, 1], plus the strip 1 <= f1 <= 1.1).
constexpr double kZdt1Hypervolume = 0.1 + 2.0 / 3.0 + 0.11;
// A front of a few dozen points found in a few thousand evaluations covers the true front's hypervolume to within
// this (the gaps between the points of a 40-point front alone cost about 0.01).
constexpr double kHypervolumeTolerance = 0.03;

Evaluation zdt1(const std::vector<double>& x) {
  const double g = 1.0 + 9.0 * x[1];
  return {{x[0], g * (1.0 - std::sqrt(x[0] / g))}, 0.0};
}

SearchProblem zdt1_problem(int threads) {
  SearchProblem p;
  p.lower = {0.0, 0.0};
  p.upper = {1.0, 1.0};
  p.integer = {false, false};
  p.objectives = 2;
  p.evaluate = [threads](const std::vector<std::vector<double>>& points) {
    std::vector<Evaluation> out(points.size());
    tbb::task_arena arena(threads);
    arena.execute([&] {
      tbb::parallel_for(std::size_t{0}, points.size(), [&](std::size_t i) { out[i] = zdt1(points[i]); });
    });
    return out;
  };
  return p;
}

double front_hypervolume(const SearchResult& r) {
  std::vector<std::vector<double>> front;
  for (std::size_t i : r.front) front.push_back(r.evaluations[i].objectives);
  return hypervolume(front, {1.1, 1.1});
}

TEST(Search, nsga2_recovers_the_zdt1_front_within_the_hypervolume_tolerance) {
  SearchOptions o;
  o.population = 40;
  o.generations = 60;
  o.seed = 11;
  const SearchResult r = search(zdt1_problem(1), o);
  const double hv = front_hypervolume(r);
  EXPECT_GT(hv, kZdt1Hypervolume - kHypervolumeTolerance);
  EXPECT_LT(hv, kZdt1Hypervolume + 1e-9);  // no point can beat the true front
  ASSERT_GE(r.front.size(), 10u);
  for (std::size_t i : r.front) {
    const auto& f = r.evaluations[i].objectives;
    EXPECT_NEAR(f[1], 1.0 - std::sqrt(f[0]), 0.05) << "a front point far from the true front";
  }
  // The history is one entry per generation and the front's hypervolume never shrinks.
  ASSERT_EQ(r.history.size(), 61u);
  for (std::size_t g = 1; g < r.history.size(); ++g) {
    EXPECT_GE(r.history[g].hypervolume, r.history[g - 1].hypervolume - 1e-12);
    EXPECT_GE(r.history[g].evaluations, r.history[g - 1].evaluations);
  }
  EXPECT_GT(r.history.back().hypervolume, r.history.front().hypervolume);
}

TEST(Search, moead_recovers_the_zdt1_front_within_the_hypervolume_tolerance) {
  SearchOptions o;
  o.algorithm = Algorithm::moead;
  o.population = 40;
  o.generations = 60;
  o.seed = 5;
  const SearchResult r = search(zdt1_problem(1), o);
  EXPECT_GT(front_hypervolume(r), kZdt1Hypervolume - kHypervolumeTolerance);
}

TEST(Search, the_same_seed_gives_the_same_archive_at_any_thread_count) {
  SearchOptions o;
  o.population = 16;
  o.generations = 8;
  o.seed = 3;
  const SearchResult one = search(zdt1_problem(1), o);
  const SearchResult two = search(zdt1_problem(2), o);
  EXPECT_EQ(one.points, two.points);
  EXPECT_EQ(one.front, two.front);
  o.seed = 4;
  const SearchResult other = search(zdt1_problem(2), o);
  EXPECT_NE(one.points, other.points);
}

TEST(Search, integer_variables_take_whole_values_and_repeated_points_are_evaluated_once) {
  // f1 = (y - 2030)^2, f2 = (y - 2026)^2 + x^2 over whole years y in 2025..2035: the front is y = 2026 .. 2030, x = 0.
  SearchProblem p;
  p.lower = {0.0, 2025.0};
  p.upper = {1.0, 2035.0};
  p.integer = {false, true};
  int calls = 0;
  p.evaluate = [&](const std::vector<std::vector<double>>& points) {
    std::vector<Evaluation> out;
    for (const auto& x : points) {
      ++calls;
      out.push_back({{(x[1] - 2030) * (x[1] - 2030), (x[1] - 2026) * (x[1] - 2026) + x[0] * x[0]}, 0.0});
    }
    return out;
  };
  SearchOptions o;
  o.population = 16;
  o.generations = 20;
  const SearchResult r = search(p, o);
  EXPECT_EQ(static_cast<std::size_t>(calls), r.points.size());
  for (const auto& x : r.points) EXPECT_EQ(x[1], std::round(x[1]));
  std::vector<double> years;
  for (std::size_t i : r.front) years.push_back(r.points[i][1]);
  std::sort(years.begin(), years.end());
  years.erase(std::unique(years.begin(), years.end()), years.end());
  EXPECT_EQ(years, (std::vector<double>{2026, 2027, 2028, 2029, 2030}));
}

TEST(Search, infeasible_points_never_reach_the_front) {
  // ZDT1 with the constraint f1 >= 0.5: the front is f1 in [0.5, 1].
  SearchProblem p = zdt1_problem(1);
  p.evaluate = [](const std::vector<std::vector<double>>& points) {
    std::vector<Evaluation> out;
    for (const auto& x : points) {
      Evaluation e = zdt1(x);
      e.violation = std::max(0.0, 0.5 - e.objectives[0]);
      out.push_back(e);
    }
    return out;
  };
  SearchOptions o;
  o.population = 24;
  o.generations = 20;
  const SearchResult r = search(p, o);
  ASSERT_FALSE(r.front.empty());
  for (std::size_t i : r.front) EXPECT_GE(r.evaluations[i].objectives[0], 0.5);
}

TEST(Search, refuses_what_the_algorithms_cannot_take) {
  SearchOptions o;
  o.population = 10;  // not a multiple of 4
  try {
    search(zdt1_problem(1), o);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_NE(std::string(e.what()).find("multiple of 4"), std::string::npos);
  }
  SearchProblem reversed = zdt1_problem(1);
  reversed.lower[0] = 2.0;
  EXPECT_THROW(search(reversed, SearchOptions{}), Error);
  SearchProblem single = zdt1_problem(1);
  single.objectives = 1;
  EXPECT_THROW(search(single, SearchOptions{}), Error);
}

TEST(NonDominated, keeps_the_points_no_other_beats_and_one_of_equal_points) {
  const std::vector<std::vector<double>> f{{1, 3}, {2, 2}, {3, 1}, {2, 3}, {2, 2}, {4, 4}};
  EXPECT_EQ(non_dominated(f), (std::vector<std::size_t>{0, 1, 2}));
}

TEST(Hypervolume, of_a_known_staircase) {
  // Points (0, 1) and (1, 0) with reference (2, 2): 2*2 - 1*1 = 3.
  EXPECT_DOUBLE_EQ(hypervolume({{0, 1}, {1, 0}}, {2, 2}), 3.0);
  EXPECT_EQ(hypervolume({}, {2, 2}), 0.0);
}

}  // namespace
}  // namespace parksim::optimize
