#include "alloc/allocation.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/units.hpp"

namespace parksim::alloc {
namespace {

constexpr double kObjectiveTolerance = 1e-6;   // objective units (score × ha)
constexpr double kAreaToleranceMu = 1e-6;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Four options: two health-industry zones, housing (sensitive, no zone) and manufacturing.
std::vector<Option> four_options() {
  return {
      {"frontier_tech/health", "frontier_tech", "0802", true, false, false},
      {"medical_device/health", "medical_device", "0802", true, false, false},
      {"housing/0701", "", "0701", false, false, true},
      {"industry/0601", "industry", "0601", false, true, false},
  };
}

// A rows × cols grid of parcels with random areas, scores (some not allowed) and 4-neighbour adjacency.
AllocationProblem random_grid(std::uint64_t seed, int rows, int cols, int n_options) {
  RngStream rng(seed, "alloc.test.instance");
  AllocationProblem p;
  auto options = four_options();
  options.resize(static_cast<std::size_t>(n_options));
  p.options = options;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      ParcelIn pc;
      pc.id = "P" + std::to_string(r * cols + c);
      pc.area_m2 = rng.uniform(5'000.0, 30'000.0);
      pc.phase = c < cols / 2 ? "1" : "3";
      pc.far = rng.uniform(0.8, 2.5);
      for (int u = 0; u < n_options; ++u) {
        pc.score.push_back(rng.uniform() < 0.15 ? kNaN : rng.uniform());
      }
      p.parcels.push_back(pc);
    }
  }
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const int i = r * cols + c;
      if (c + 1 < cols) p.adjacency.push_back({i, i + 1, rng.uniform(20.0, 150.0)});
      if (r + 1 < rows) p.adjacency.push_back({i, i + cols, rng.uniform(20.0, 150.0)});
    }
  }
  p.params.relative_gap = 0.0;  // exact, for comparison with enumeration
  p.params.time_limit_s = 20.0;
  return p;
}

double total_area_mu(const AllocationProblem& p) {
  double a = 0.0;
  for (const auto& pc : p.parcels) a += pc.area_m2;
  return units::m2_to_mu(a);
}

// ---- an independent brute-force reference ------------------------------------------------------------

bool pinned(const ParcelIn& pc, const Params& q) {
  return (pc.fixed && q.keep_fixed_parcels) || (pc.built && !pc.freed && q.keep_built_parcels);
}

bool incompatible(const AllocationProblem& p, int u, int v) {
  for (const auto& pair : p.incompatible) {
    if ((pair.option_a == u && pair.option_b == v) || (pair.option_a == v && pair.option_b == u)) return true;
  }
  const auto& ou = p.options[static_cast<std::size_t>(u)];
  const auto& ov = p.options[static_cast<std::size_t>(v)];
  return p.params.forbid_manufacturing_next_to_sensitive &&
         ((ou.manufacturing && ov.sensitive) || (ov.manufacturing && ou.sensitive));
}

bool feasible(const AllocationProblem& p, const std::vector<int>& x) {
  if (p.params.enforce_incompatibility) {
    for (const auto& a : p.adjacency) {
      const int u = x[static_cast<std::size_t>(a.i)], v = x[static_cast<std::size_t>(a.j)];
      const bool both_pinned = pinned(p.parcels[static_cast<std::size_t>(a.i)], p.params) &&
                               pinned(p.parcels[static_cast<std::size_t>(a.j)], p.params);
      if (u >= 0 && v >= 0 && !both_pinned && incompatible(p, u, v)) return false;
    }
  }
  for (const auto& t : p.targets) {
    if (!t.enabled) continue;
    double sum = 0.0, total = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (x[i] < 0) continue;
      const auto& pc = p.parcels[i];
      const auto& o = p.options[static_cast<std::size_t>(x[i])];
      total += pc.area_m2;
      switch (t.kind) {
        case TargetKind::min_health_industry_mu: sum += o.health_industry ? pc.area_m2 : 0.0; break;
        case TargetKind::zone_min_area_m2:
        case TargetKind::zone_max_area_m2:
        case TargetKind::zone_min_share:
        case TargetKind::zone_max_share: sum += o.zone == t.zone ? pc.area_m2 : 0.0; break;
        case TargetKind::phase_max_developed_m2: sum += pc.phase == t.phase ? pc.area_m2 : 0.0; break;
        case TargetKind::zone_min_floor_area_m2: sum += o.zone == t.zone ? pc.area_m2 * pc.far : 0.0; break;
      }
    }
    constexpr double eps = 1e-7;
    switch (t.kind) {
      case TargetKind::min_health_industry_mu:
        if (units::m2_to_mu(sum) < t.value - eps) return false;
        break;
      case TargetKind::zone_min_area_m2:
      case TargetKind::zone_min_floor_area_m2:
        if (sum < t.value - eps) return false;
        break;
      case TargetKind::zone_max_area_m2:
      case TargetKind::phase_max_developed_m2:
        if (sum > t.value + eps) return false;
        break;
      case TargetKind::zone_min_share:
        if (sum < t.value * total - eps) return false;
        break;
      case TargetKind::zone_max_share:
        if (sum > t.value * total + eps) return false;
        break;
    }
  }
  return true;
}

double reference_objective(const AllocationProblem& p, const std::vector<int>& x) {
  double total = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] < 0) continue;
    const double s = p.parcels[i].score[static_cast<std::size_t>(x[i])];
    total += (std::isfinite(s) ? s : 0.0) * p.parcels[i].area_m2 / 10'000.0;
  }
  for (const auto& a : p.adjacency) {
    const int u = x[static_cast<std::size_t>(a.i)], v = x[static_cast<std::size_t>(a.j)];
    if (u >= 0 && v >= 0 && !p.options[static_cast<std::size_t>(u)].zone.empty() &&
        p.options[static_cast<std::size_t>(u)].zone == p.options[static_cast<std::size_t>(v)].zone) {
      total += p.params.neighbour_bonus_per_m * a.shared_length_m;
    }
  }
  return total;
}

// Best objective over every assignment (-inf when none is feasible).
double brute_force(const AllocationProblem& p) {
  std::vector<std::vector<int>> choices(p.parcels.size());
  for (std::size_t i = 0; i < p.parcels.size(); ++i) {
    const auto& pc = p.parcels[i];
    if (pinned(pc, p.params)) {
      choices[i] = {pc.current_option};
      continue;
    }
    choices[i] = {-1};
    for (std::size_t u = 0; u < p.options.size(); ++u) {
      if (std::isfinite(pc.score[u])) choices[i].push_back(static_cast<int>(u));
    }
  }
  double best = -std::numeric_limits<double>::infinity();
  std::vector<int> x(p.parcels.size(), -1);
  std::function<void(std::size_t)> rec = [&](std::size_t i) {
    if (i == x.size()) {
      if (feasible(p, x)) best = std::max(best, reference_objective(p, x));
      return;
    }
    for (int c : choices[i]) {
      x[i] = c;
      rec(i + 1);
    }
  };
  rec(0);
  return best;
}

void expect_matches_enumeration(const AllocationProblem& p) {
  const auto result = allocate(p);
  const double reference = brute_force(p);
  ASSERT_TRUE(std::isfinite(reference));
  ASSERT_EQ(result.status, AllocationStatus::optimal);
  EXPECT_NEAR(result.objective, reference, kObjectiveTolerance);
  EXPECT_TRUE(feasible(p, result.option));
  EXPECT_NEAR(reference_objective(p, result.option), result.objective, kObjectiveTolerance);
}

// ---- brute force comparisons -------------------------------------------------------------------------

TEST(AllocateBruteForce, matches_enumeration_without_constraints_or_bonus) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    auto p = random_grid(seed, 2, 4, 4);
    p.params.neighbour_bonus_per_m = 0.0;
    p.params.enforce_incompatibility = false;
    SCOPED_TRACE(seed);
    expect_matches_enumeration(p);
  }
}

TEST(AllocateBruteForce, matches_enumeration_with_neighbour_bonus) {
  for (std::uint64_t seed = 11; seed <= 14; ++seed) {
    auto p = random_grid(seed, 2, 4, 4);
    p.params.neighbour_bonus_per_m = 0.01;  // strong enough to change the optimum
    p.params.enforce_incompatibility = false;
    SCOPED_TRACE(seed);
    expect_matches_enumeration(p);
  }
}

TEST(AllocateBruteForce, matches_enumeration_with_incompatible_neighbours) {
  for (std::uint64_t seed = 21; seed <= 24; ++seed) {
    auto p = random_grid(seed, 2, 4, 4);
    p.incompatible.push_back({0, 2});  // frontier_tech next to housing, on top of manufacturing/sensitive
    SCOPED_TRACE(seed);
    expect_matches_enumeration(p);
  }
}

TEST(AllocateBruteForce, matches_enumeration_with_health_target_and_zone_max) {
  for (std::uint64_t seed = 31; seed <= 34; ++seed) {
    auto p = random_grid(seed, 2, 4, 4);
    auto health = health_industry_target(0.5 * total_area_mu(p));
    p.targets.push_back(health);
    p.targets.push_back({"frontier_max", TargetKind::zone_max_area_m2, "frontier_tech", "", 30'000.0});
    SCOPED_TRACE(seed);
    expect_matches_enumeration(p);
  }
}

TEST(AllocateBruteForce, matches_enumeration_with_phase_capacity_floor_area_and_zone_min) {
  for (std::uint64_t seed = 41; seed <= 44; ++seed) {
    auto p = random_grid(seed, 2, 4, 4);
    p.targets.push_back({"phase3_cap", TargetKind::phase_max_developed_m2, "", "3", 40'000.0});
    p.targets.push_back({"md_floor", TargetKind::zone_min_floor_area_m2, "medical_device", "", 20'000.0});
    p.targets.push_back({"industry_min", TargetKind::zone_min_area_m2, "industry", "", 10'000.0});
    SCOPED_TRACE(seed);
    expect_matches_enumeration(p);
  }
}

TEST(AllocateBruteForce, matches_enumeration_with_zone_shares) {
  for (std::uint64_t seed = 51; seed <= 54; ++seed) {
    auto p = random_grid(seed, 2, 4, 4);
    p.targets.push_back({"md_share_min", TargetKind::zone_min_share, "medical_device", "", 0.3});
    p.targets.push_back({"ft_share_max", TargetKind::zone_max_share, "frontier_tech", "", 0.25});
    SCOPED_TRACE(seed);
    expect_matches_enumeration(p);
  }
}

TEST(AllocateBruteForce, matches_enumeration_on_twelve_parcels) {
  auto p = random_grid(61, 3, 4, 2);
  p.params.neighbour_bonus_per_m = 0.005;
  p.targets.push_back(health_industry_target(0.4 * total_area_mu(p)));
  p.targets.push_back({"md_max", TargetKind::zone_max_area_m2, "medical_device", "", 60'000.0});
  expect_matches_enumeration(p);
}

TEST(AllocateBruteForce, matches_enumeration_with_kept_built_parcels) {
  for (std::uint64_t seed = 71; seed <= 73; ++seed) {
    auto p = random_grid(seed, 2, 4, 4);
    p.parcels[1].built = true;
    p.parcels[1].current_option = 3;  // manufacturing, constrains its neighbours
    p.parcels[6].fixed = true;
    p.parcels[6].current_option = 0;
    p.targets.push_back(health_industry_target(0.3 * total_area_mu(p)));
    SCOPED_TRACE(seed);
    expect_matches_enumeration(p);
  }
}

TEST(AllocateBruteForce, matches_enumeration_when_cbc_searches_without_the_lp_start) {
  for (std::uint64_t seed = 75; seed <= 77; ++seed) {
    auto p = random_grid(seed, 2, 4, 4);
    p.params.mip_start = false;
    p.params.compute_shadow_prices = false;
    p.params.neighbour_bonus_per_m = 0.005;
    p.targets.push_back(health_industry_target(0.45 * total_area_mu(p)));
    SCOPED_TRACE(seed);
    expect_matches_enumeration(p);
  }
}

// ---- fixed parcels, incompatibility -----------------------------------------------------------------

TEST(Allocate, keeps_fixed_and_built_parcels_unchanged) {
  auto p = random_grid(81, 5, 6, 4);
  p.params.relative_gap = 0.01;
  p.targets.push_back(health_industry_target(0.4 * total_area_mu(p)));
  const std::vector<std::pair<int, int>> kept = {{0, 2}, {7, 3}, {13, -1}, {20, 1}};
  for (auto [i, u] : kept) {
    p.parcels[static_cast<std::size_t>(i)].built = true;
    p.parcels[static_cast<std::size_t>(i)].current_option = u;
    for (auto& s : p.parcels[static_cast<std::size_t>(i)].score) s = 1.0;  // tempting alternatives
  }
  p.parcels[7].score[3] = kNaN;  // kept even though its current option is not allowed any more
  p.parcels[25].fixed = true;
  p.parcels[25].current_option = 2;
  const auto result = allocate(p);
  ASSERT_EQ(result.status, AllocationStatus::optimal);
  for (auto [i, u] : kept) EXPECT_EQ(result.option[static_cast<std::size_t>(i)], u) << "parcel " << i;
  EXPECT_EQ(result.option[25], 2);
  EXPECT_EQ(std::count_if(result.problems.begin(), result.problems.end(),
                          [](const Problem& pr) { return pr.code == "alloc.fixed_option_not_allowed"; }),
            1);
}

TEST(Allocate, frees_built_parcels_when_the_scenario_says_so) {
  AllocationProblem p;
  p.options = four_options();
  ParcelIn pc{"B1", 10'000.0, "1", true, false, false, 2, 1.0, {0.9, 0.2, 0.1, 0.1}};
  p.parcels.push_back(pc);
  EXPECT_EQ(allocate(p).option[0], 2);  // built: stays housing
  p.parcels[0].freed = true;
  EXPECT_EQ(allocate(p).option[0], 0);  // freed: takes the best option
  p.parcels[0].freed = false;
  p.params.keep_built_parcels = false;
  EXPECT_EQ(allocate(p).option[0], 0);  // the switch frees all built parcels
}

TEST(Allocate, never_puts_manufacturing_next_to_housing) {
  auto p = random_grid(91, 6, 6, 4);
  p.params.relative_gap = 0.01;
  p.params.neighbour_bonus_per_m = 0.0;
  for (std::size_t i = 0; i < p.parcels.size(); ++i) {
    // Housing wants the west half, manufacturing the east half: they meet in the middle.
    const bool west = i % 6 < 3;
    p.parcels[i].score = {0.5, 0.5, west ? 0.95 : 0.1, west ? 0.1 : 0.95};
  }
  const auto result = allocate(p);
  ASSERT_EQ(result.status, AllocationStatus::optimal);
  int housing = 0, manufacturing = 0;
  for (const auto& a : p.adjacency) {
    const int u = result.option[static_cast<std::size_t>(a.i)], v = result.option[static_cast<std::size_t>(a.j)];
    EXPECT_FALSE((u == 2 && v == 3) || (u == 3 && v == 2)) << a.i << "-" << a.j;
  }
  for (int u : result.option) {
    housing += u == 2;
    manufacturing += u == 3;
  }
  EXPECT_GT(housing, 0);
  EXPECT_GT(manufacturing, 0);

  p.params.enforce_incompatibility = false;  // switched off: the mixed layout wins
  const auto unconstrained = allocate(p);
  EXPECT_GT(unconstrained.objective, result.objective);
}

TEST(Allocate, reports_adjacent_kept_parcels_that_are_incompatible) {
  AllocationProblem p;
  p.options = four_options();
  p.parcels.push_back({"A", 10'000.0, "1", true, false, false, 2, 1.0, {0.5, 0.5, 0.5, 0.5}});
  p.parcels.push_back({"B", 10'000.0, "1", true, false, false, 3, 1.0, {0.5, 0.5, 0.5, 0.5}});
  p.adjacency.push_back({0, 1, 50.0});
  const auto result = allocate(p);
  ASSERT_EQ(result.status, AllocationStatus::optimal);
  EXPECT_EQ(result.option, (std::vector<int>{2, 3}));
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_EQ(result.problems[0].code, "alloc.fixed_incompatible");
  EXPECT_EQ(result.problems[0].where.feature_key, "A");
}

// ---- targets and shadow prices ------------------------------------------------------------------------

// Health options score lower than housing, so a health target costs suitability.
AllocationProblem health_tradeoff(std::uint64_t seed) {
  auto p = random_grid(seed, 5, 6, 4);
  p.params.relative_gap = 0.0;
  p.params.neighbour_bonus_per_m = 0.0;
  p.params.time_limit_s = 600.0;  // a proven optimum, also on a slow (sanitizer, loaded) machine
  RngStream rng(seed, "alloc.test.tradeoff");
  for (auto& pc : p.parcels) pc.score = {0.3 + 0.2 * rng.uniform(), 0.3 + 0.2 * rng.uniform(), 0.8, kNaN};
  return p;
}

TEST(AllocateTargets, meets_a_tight_health_target_with_a_positive_shadow_price) {
  auto p = health_tradeoff(101);
  const double target_mu = 0.6 * total_area_mu(p);
  p.targets.push_back(health_industry_target(target_mu));
  const auto result = allocate(p);
  ASSERT_EQ(result.status, AllocationStatus::optimal);
  ASSERT_EQ(result.constraints.size(), 1u);
  const auto& c = result.constraints[0];
  EXPECT_EQ(c.unit, "mu");
  EXPECT_GE(c.lhs, target_mu - kAreaToleranceMu);
  EXPECT_TRUE(c.binding);
  // Each health mu displaces housing worth about 0.8 − 0.4 = 0.4 score per ha = 0.027 per mu.
  EXPECT_GT(c.shadow_price, 0.01);
  EXPECT_LT(c.shadow_price, 0.06);
}

TEST(AllocateTargets, reports_a_zero_shadow_price_for_a_slack_target) {
  auto p = health_tradeoff(102);
  p.targets.push_back(health_industry_target(0.6 * total_area_mu(p)));
  p.targets.push_back({"ft_max_loose", TargetKind::zone_max_area_m2, "frontier_tech", "", 1e9});
  p.targets.push_back({"phase1_cap_loose", TargetKind::phase_max_developed_m2, "", "1", 1e9});
  const auto result = allocate(p);
  ASSERT_EQ(result.status, AllocationStatus::optimal);
  ASSERT_EQ(result.constraints.size(), 3u);
  EXPECT_GT(result.constraints[0].shadow_price, 0.0);
  for (int k : {1, 2}) {
    EXPECT_EQ(result.constraints[static_cast<std::size_t>(k)].shadow_price, 0.0);
    EXPECT_FALSE(result.constraints[static_cast<std::size_t>(k)].binding);
    EXPECT_GT(result.constraints[static_cast<std::size_t>(k)].slack, 0.0);
  }
}

TEST(AllocateTargets, shadow_price_equals_the_lp_relaxation_finite_difference) {
  auto p = health_tradeoff(103);
  const double target_mu = 0.55 * total_area_mu(p);
  constexpr double step_mu = 0.01;
  p.targets.push_back(health_industry_target(target_mu));
  const auto base = allocate(p);
  p.targets[0].value = target_mu + step_mu;
  const auto tighter = allocate(p);
  ASSERT_EQ(base.status, AllocationStatus::optimal);
  ASSERT_EQ(tighter.status, AllocationStatus::optimal);
  const double drop_per_mu = (base.lp_relaxation_objective - tighter.lp_relaxation_objective) / step_mu;
  EXPECT_GT(drop_per_mu, 0.0);
  EXPECT_NEAR(base.constraints[0].shadow_price, drop_per_mu, 1e-6);
}

TEST(AllocateTargets, shadow_price_of_a_binding_maximum_is_positive) {
  auto p = random_grid(104, 5, 6, 4);
  p.params.relative_gap = 0.01;  // an exact proof of this knapsack is not what is tested here
  p.params.neighbour_bonus_per_m = 0.0;
  for (auto& pc : p.parcels) pc.score = {0.9, 0.2, 0.2, kNaN};  // everyone wants frontier_tech
  p.targets.push_back({"ft_max", TargetKind::zone_max_area_m2, "frontier_tech", "", 100'000.0});
  const auto result = allocate(p);
  ASSERT_EQ(result.status, AllocationStatus::optimal);
  const auto& c = result.constraints[0];
  EXPECT_LE(c.lhs, 100'000.0 + 1e-6);
  EXPECT_TRUE(c.binding);
  // One m2 less of frontier_tech costs 0.9 − 0.2 = 0.7 per ha = 7e-5 per m2.
  EXPECT_NEAR(c.shadow_price, 0.7 / 10'000.0, 1e-9);
}

TEST(AllocateTargets, ignores_disabled_targets) {
  auto p = health_tradeoff(105);
  auto unconstrained = allocate(p);
  p.targets.push_back(health_industry_target(0.6 * total_area_mu(p)));
  p.targets.back().enabled = false;
  const auto result = allocate(p);
  EXPECT_TRUE(result.constraints.empty());
  EXPECT_EQ(result.option, unconstrained.option);
}

// ---- infeasibility diagnosis --------------------------------------------------------------------------

// Six 1 ha parcels that may only be frontier_tech (health) or housing.
AllocationProblem six_hectares() {
  AllocationProblem p;
  p.options = four_options();
  for (int i = 0; i < 6; ++i) {
    p.parcels.push_back({"P" + std::to_string(i), 10'000.0, "3", false, false, false, -1, 1.0,
                         {0.5, kNaN, 0.6, kNaN}});
  }
  return p;
}

TEST(AllocateDiagnosis, names_conflicting_health_target_and_zone_max_with_amounts) {
  auto p = six_hectares();
  p.targets.push_back(health_industry_target(90.0));  // = all 6 ha
  p.targets.push_back({"ft_max", TargetKind::zone_max_area_m2, "frontier_tech", "", 40'000.0});
  const auto result = allocate(p);  // must not throw
  ASSERT_EQ(result.status, AllocationStatus::infeasible);
  const auto& d = result.diagnosis;
  // Relaxing health by 2 ha (1/3 of it) is cheaper than relaxing the zone max by 2 ha (1/2 of it).
  ASSERT_EQ(d.relaxations.size(), 1u);
  EXPECT_EQ(d.relaxations[0].target, "health_industry_min_mu");
  EXPECT_EQ(d.relaxations[0].unit, "mu");
  EXPECT_NEAR(d.relaxations[0].amount, 30.0, kAreaToleranceMu);
  EXPECT_NEAR(d.relaxations[0].achieved, 60.0, kAreaToleranceMu);
  EXPECT_THAT(d.relaxations[0].message, testing::HasSubstr("short by 30 mu"));
  EXPECT_EQ(d.conflicting_targets, (std::vector<std::string>{"health_industry_min_mu", "ft_max"}));
  EXPECT_NEAR(d.total_weighted_slack, 1.0 / 3.0, 1e-9);
  EXPECT_THAT(d.summary, testing::HasSubstr("ft_max"));
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_EQ(result.problems[0].code, "alloc.infeasible_targets");
  EXPECT_EQ(result.problems[0].where.key, "health_industry_min_mu");
}

TEST(AllocateDiagnosis, relax_weight_decides_which_target_gives_way) {
  auto p = six_hectares();
  p.targets.push_back(health_industry_target(90.0));
  p.targets[0].relax_weight = 10.0;
  p.targets.push_back({"ft_max", TargetKind::zone_max_area_m2, "frontier_tech", "", 40'000.0});
  const auto result = allocate(p);
  ASSERT_EQ(result.status, AllocationStatus::infeasible);
  ASSERT_EQ(result.diagnosis.relaxations.size(), 1u);
  EXPECT_EQ(result.diagnosis.relaxations[0].target, "ft_max");
  EXPECT_NEAR(result.diagnosis.relaxations[0].amount, 20'000.0, 1e-6);
  EXPECT_THAT(result.diagnosis.relaxations[0].message, testing::HasSubstr("over by 20000 m2"));
}

TEST(AllocateDiagnosis, blames_the_land_supply_when_no_other_target_is_involved) {
  auto p = six_hectares();
  p.targets.push_back(health_industry_target(200.0));  // 6 ha = 90 mu available
  p.targets.push_back({"phase3_cap_loose", TargetKind::phase_max_developed_m2, "", "3", 1e9});
  const auto result = allocate(p);
  ASSERT_EQ(result.status, AllocationStatus::infeasible);
  ASSERT_EQ(result.diagnosis.relaxations.size(), 1u);
  EXPECT_NEAR(result.diagnosis.relaxations[0].amount, 110.0, kAreaToleranceMu);
  EXPECT_EQ(result.diagnosis.conflicting_targets, (std::vector<std::string>{"health_industry_min_mu"}));
  EXPECT_THAT(result.diagnosis.summary, testing::HasSubstr("land available"));
}

TEST(AllocateDiagnosis, reports_several_relaxations_when_several_targets_fail) {
  auto p = six_hectares();
  p.targets.push_back({"md_min", TargetKind::zone_min_area_m2, "medical_device", "", 5'000.0});  // md not allowed
  p.targets.push_back({"ft_floor", TargetKind::zone_min_floor_area_m2, "frontier_tech", "", 80'000.0});
  const auto result = allocate(p);
  ASSERT_EQ(result.status, AllocationStatus::infeasible);
  ASSERT_EQ(result.diagnosis.relaxations.size(), 2u);
  EXPECT_EQ(result.diagnosis.relaxations[0].target, "md_min");
  EXPECT_NEAR(result.diagnosis.relaxations[0].amount, 5'000.0, 1e-6);
  EXPECT_EQ(result.diagnosis.relaxations[1].target, "ft_floor");
  EXPECT_NEAR(result.diagnosis.relaxations[1].amount, 20'000.0, 1e-6);  // 6 ha at FAR 1 = 60 000 m2
}

// ---- solver behaviour ---------------------------------------------------------------------------------

TEST(AllocateSolver, gives_identical_results_on_repeated_solves) {
  auto p = random_grid(111, 15, 20, 4);
  p.params.relative_gap = 0.01;
  p.targets.push_back(health_industry_target(0.5 * total_area_mu(p)));
  const auto a = allocate(p);
  const auto b = allocate(p);
  ASSERT_EQ(a.status, AllocationStatus::optimal);
  EXPECT_EQ(a.option, b.option);
  EXPECT_EQ(a.objective, b.objective);
  EXPECT_EQ(a.best_bound, b.best_bound);
}

TEST(AllocateSolver, reports_a_proven_gap_within_the_requested_one) {
  auto p = random_grid(112, 15, 20, 4);
  p.params.relative_gap = 0.01;
  p.targets.push_back(health_industry_target(0.5 * total_area_mu(p)));
  const auto result = allocate(p);
  ASSERT_EQ(result.status, AllocationStatus::optimal);
  EXPECT_GE(result.best_bound, result.objective);
  EXPECT_LE(result.gap_pct, 1.0 + 1e-9);
  EXPECT_NEAR(result.gap_pct, 100.0 * (result.best_bound - result.objective) / result.objective, 1e-9);
  EXPECT_GE(result.lp_relaxation_objective, result.best_bound - 1e-6);  // the LP bounds every solution
  EXPECT_GT(result.solve_seconds, 0.0);
}

TEST(AllocateSolver, a_time_limit_spent_on_the_lp_leaves_the_checked_start_as_the_answer) {
  // Under a second for the whole allocation: the LP relaxation and its repaired rounding fit, CBC is not run, and
  // the start - which meets the target - is the answer, with the LP relaxation as its bound.
  auto p = random_grid(114, 15, 20, 4);
  p.params.time_limit_s = 0.5;
  const double target_mu = 0.5 * total_area_mu(p);
  p.targets.push_back(health_industry_target(target_mu));
  const auto result = allocate(p);
  ASSERT_EQ(result.status, AllocationStatus::feasible);
  ASSERT_EQ(result.constraints.size(), 1u);
  EXPECT_GE(result.constraints[0].lhs, target_mu - kAreaToleranceMu);
  EXPECT_NEAR(evaluate_objective(p, result.option), result.objective, 1e-12);
  ASSERT_TRUE(std::isfinite(result.gap_pct));
  EXPECT_GE(result.best_bound, result.objective - 1e-9);
  EXPECT_LT(result.gap_pct, 5.0);
  const bool said = std::any_of(result.problems.begin(), result.problems.end(), [](const Problem& pr) {
    return pr.code == "alloc.time_limit" && pr.message.find("the heuristic start") != std::string::npos;
  });
  EXPECT_TRUE(said);
  // With time for the search, the same problem is solved to optimality and is at least as good.
  p.params.time_limit_s = 30.0;
  const auto solved = allocate(p);
  ASSERT_EQ(solved.status, AllocationStatus::optimal);
  EXPECT_GE(solved.objective, result.objective - 1e-9);
}

TEST(AllocateSolver, objective_equals_the_evaluated_assignment) {
  auto p = random_grid(113, 6, 6, 4);
  p.params.neighbour_bonus_per_m = 0.002;
  const auto result = allocate(p);
  EXPECT_NEAR(evaluate_objective(p, result.option), result.objective, 1e-12);
  EXPECT_NEAR(reference_objective(p, result.option), result.objective, kObjectiveTolerance);
}

TEST(AllocateSolver, writes_nothing_to_stdout) {
  auto p = random_grid(114, 6, 6, 4);
  p.targets.push_back(health_industry_target(0.5 * total_area_mu(p)));
  testing::internal::CaptureStdout();
  const auto feasible_result = allocate(p);
  p.targets[0].value = 10.0 * total_area_mu(p);
  const auto infeasible_result = allocate(p);
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(out, "");
  EXPECT_EQ(feasible_result.status, AllocationStatus::optimal);
  EXPECT_EQ(infeasible_result.status, AllocationStatus::infeasible);
}

// ---- validation and parameters ------------------------------------------------------------------------

TEST(AllocateValidation, rejects_a_score_table_of_the_wrong_size_naming_the_parcel) {
  auto p = random_grid(121, 2, 2, 4);
  p.parcels[3].score.pop_back();
  try {
    allocate(p);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_EQ(e.context().feature_key, "P3");
  }
}

TEST(AllocateValidation, rejects_a_target_on_an_unknown_zone_naming_the_target) {
  auto p = random_grid(122, 2, 2, 4);
  p.targets.push_back({"typo", TargetKind::zone_min_area_m2, "fronteir_tech", "", 1.0});
  try {
    allocate(p);
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_EQ(e.context().key, "typo");
  }
  p.targets[0] = {"share", TargetKind::zone_min_share, "frontier_tech", "", 1.5};
  EXPECT_THROW(allocate(p), Error);
  p.targets[0] = {"cap", TargetKind::phase_max_developed_m2, "", "9", 1.0};
  EXPECT_THROW(allocate(p), Error);
}

TEST(AllocateParams, param_table_lists_every_parameter_with_its_default) {
  const auto table = param_table();
  ASSERT_EQ(table.size(), 13u);
  const Params defaults;
  auto find = [&](std::string_view name) {
    return std::find_if(table.begin(), table.end(), [&](const ParamInfo& i) { return i.name == name; });
  };
  ASSERT_NE(find("time_limit_s"), table.end());
  EXPECT_EQ(find("time_limit_s")->default_value, defaults.time_limit_s);
  EXPECT_EQ(find("relative_gap")->default_value, defaults.relative_gap);
  EXPECT_EQ(find("neighbour_bonus_per_m")->default_value, defaults.neighbour_bonus_per_m);
  EXPECT_EQ(find("keep_built_parcels")->default_value, defaults.keep_built_parcels ? 1.0 : 0.0);
  EXPECT_EQ(find("keep_built_parcels")->kind, ParamKind::boolean);
  EXPECT_EQ(find("threads")->default_value, static_cast<double>(defaults.threads));
  for (const auto& info : table) {
    EXPECT_FALSE(info.description.empty()) << info.name;
    EXPECT_LE(info.min, info.default_value) << info.name;
    EXPECT_GE(info.max, info.default_value) << info.name;
  }
  EXPECT_EQ(health_industry_target().value, 3000.0);
  EXPECT_EQ(target_unit(TargetKind::min_health_industry_mu), "mu");
}

// ---- linking to a simulation -------------------------------------------------------------------------

TEST(AllocateByYear, only_develops_parcels_the_simulation_develops_by_the_last_year) {
  auto p = random_grid(131, 4, 5, 4);
  p.params.relative_gap = 0.01;
  for (auto& pc : p.parcels) pc.score = {0.6, 0.5, 0.4, kNaN};  // every parcel worth developing
  p.parcels[0].built = true;
  p.parcels[0].current_option = 2;
  std::vector<int> year(p.parcels.size());
  for (std::size_t i = 0; i < year.size(); ++i) year[i] = 2026 + static_cast<int>(i % 5);  // 2026..2030
  year[3] = kNeverDeveloped;
  year[0] = kNeverDeveloped;  // built: kept regardless
  const std::vector<int> years = {2029, 2027};
  const auto y = allocate_by_year(p, year, years);
  ASSERT_EQ(y.allocation.status, AllocationStatus::optimal);
  ASSERT_EQ(y.years.size(), 2u);
  EXPECT_EQ(y.years[0].year, 2027);
  EXPECT_EQ(y.years[1].year, 2029);
  for (std::size_t i = 1; i < year.size(); ++i) {
    if (year[i] > 2029) EXPECT_EQ(y.allocation.option[i], -1) << i;
    else EXPECT_GE(y.allocation.option[i], 0) << i;
  }
  EXPECT_EQ(y.allocation.option[0], 2);
  // Slices are nested and list exactly the parcels developed by their year.
  for (const auto& s : y.years) {
    for (int i : s.parcels) EXPECT_TRUE(i == 0 || year[static_cast<std::size_t>(i)] <= s.year);
    EXPECT_TRUE(std::find(s.parcels.begin(), s.parcels.end(), 0) != s.parcels.end());
  }
  EXPECT_TRUE(std::includes(y.years[1].parcels.begin(), y.years[1].parcels.end(), y.years[0].parcels.begin(),
                            y.years[0].parcels.end()));
  EXPECT_GT(y.years[1].developed_m2, y.years[0].developed_m2);
  EXPECT_GT(y.years[1].health_industry_mu, 0.0);
}

TEST(AllocateByYear, rejects_a_development_year_table_of_the_wrong_size) {
  auto p = random_grid(132, 2, 2, 4);
  const std::vector<int> year = {2026, 2027};
  const std::vector<int> years = {2030};
  EXPECT_THROW(allocate_by_year(p, year, years), Error);
}

}  // namespace
}  // namespace parksim::alloc
