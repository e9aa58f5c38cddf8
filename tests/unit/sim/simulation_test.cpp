#include "sim/simulation.hpp"

#include <algorithm>
#include <limits>
#include <queue>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include "core/error.hpp"
#include "sim_test_support.hpp"

namespace parksim::sim {
namespace {

using test::basic_input;
using test::class_counts;
using test::same_values;

// Every year's map (output_years = all years) against the year before: `check(before, after)` per year.
template <class F>
void for_each_year_pair(const SimulationInput& in, const SimulationResult& res, F check) {
  ASSERT_EQ(res.year_maps.size(), in.demand.size());
  const grid::Grid<std::uint8_t>* before = &in.initial_classes;
  for (const auto& [year, map] : res.year_maps) {
    check(year, *before, map);
    before = &map;
  }
}

TEST(Simulation, meets_demand_exactly_when_land_allows) {
  const SimulationInput in = basic_input(80, 80, 4, 6, 150);
  const SimulationResult res = simulate(in, Params{}, 7);
  ASSERT_EQ(res.years.size(), 6U);
  EXPECT_TRUE(res.problems.empty());
  for_each_year_pair(in, res, [&](int year, const auto&, const auto& map) {
    const auto counts = class_counts(map, 4);
    const YearDemand& d = in.demand[static_cast<std::size_t>(year - 2025)];
    for (int k = 1; k < 4; ++k) EXPECT_EQ(counts[static_cast<std::size_t>(k)], d.cells[static_cast<std::size_t>(k)]) << year;
  });
  for (const YearRecord& y : res.years) {
    EXPECT_EQ(y.converted_cells, 3 * 150);
    for (std::int64_t u : y.unmet_cells) EXPECT_EQ(u, 0);
  }
  EXPECT_TRUE(same_values(res.final_classes, res.year_maps.back().second));
}

TEST(Simulation, meets_each_zones_own_demand) {
  SimulationInput in = basic_input(60, 60, 3, 4, 0);
  in.zone = grid::Grid<std::uint8_t>(in.initial_classes.spec(), 0);
  for (int r = 0; r < 60; ++r) {
    for (int c = 30; c < 60; ++c) in.zone(r, c) = 1;
  }
  in.zone_count = 2;
  in.demand_by_zone = true;
  // zone 0 grows class 1 by 40/yr and class 2 by 10/yr; zone 1 grows class 2 by 70/yr and keeps class 1.
  std::vector<std::int64_t> base(6, 0);
  for (std::int64_t i = 0; i < in.initial_classes.size(); ++i) ++base[static_cast<std::size_t>(in.zone[i] * 3 + in.initial_classes[i])];
  for (std::size_t y = 0; y < in.demand.size(); ++y) {
    const auto n = static_cast<std::int64_t>(y + 1);
    in.demand[y].cells = {no_target, base[1] + 40 * n, base[2] + 10 * n, no_target, base[4], base[5] + 70 * n};
  }
  const SimulationResult res = simulate(in, Params{}, 3);
  EXPECT_TRUE(res.problems.empty());
  for (std::size_t y = 0; y < res.years.size(); ++y) {
    const auto& cells = res.years[y].cells;  // [zone * 3 + class]
    const auto n = static_cast<std::int64_t>(y + 1);
    EXPECT_EQ(cells[1], base[1] + 40 * n);
    EXPECT_EQ(cells[2], base[2] + 10 * n);
    EXPECT_EQ(cells[4], base[4]);
    EXPECT_EQ(cells[5], base[5] + 70 * n);
  }
}

TEST(Simulation, never_changes_constraint_or_nodata_cells) {
  SimulationInput in = basic_input(64, 64, 3, 5, 150);
  in.constraint = grid::Grid<std::uint8_t>(in.initial_classes.spec(), 0);
  for (int r = 0; r < 64; ++r) {
    for (int c = 0; c < 64; ++c) {
      if ((r / 8 + c / 8) % 2 == 0) in.constraint(r, c) = 1;  // a checkerboard of protected blocks
      if (r < 3) in.initial_classes(r, c) = nodata_class;
    }
  }
  const SimulationResult res = simulate(in, Params{}, 11);
  EXPECT_TRUE(res.problems.empty());
  std::int64_t changed = 0;
  for_each_year_pair(in, res, [&](int year, const auto& before, const auto& after) {
    for (std::int64_t i = 0; i < after.size(); ++i) {
      if (in.constraint[i] || in.initial_classes[i] == nodata_class) {
        ASSERT_EQ(after[i], in.initial_classes[i]) << "cell " << i << " year " << year;
      }
      changed += before[i] != after[i];
    }
  });
  EXPECT_EQ(changed, 5 * 2 * 150);
}

TEST(Simulation, never_develops_a_phase_before_it_opens_and_develops_it_after) {
  SimulationInput in = basic_input(60, 60, 2, 6, 120);
  in.phase = grid::Grid<std::uint8_t>(in.initial_classes.spec(), no_phase);
  for (int r = 0; r < 60; ++r) {
    for (int c = 0; c < 60; ++c) in.phase(r, c) = c < 20 ? 0 : (c >= 40 ? 1 : no_phase);
  }
  in.phase_opening_year = {2024, 2028};  // phase 1 (east third) opens in 2028
  // make the unopened phase by far the most suitable, so it would be taken first if the rule were broken
  for (int r = 0; r < 60; ++r) {
    for (int c = 0; c < 60; ++c) in.suitability[1](r, c) = c >= 40 ? 255 : 20;
  }
  const SimulationResult res = simulate(in, Params{}, 5);
  EXPECT_TRUE(res.problems.empty());
  std::int64_t phase1_after_opening = 0;
  for_each_year_pair(in, res, [&](int year, const auto& before, const auto& after) {
    for (std::int64_t i = 0; i < after.size(); ++i) {
      if (in.phase[i] == 1 && before[i] != after[i]) {
        ASSERT_GE(year, 2028) << "cell " << i;
        ++phase1_after_opening;
      }
    }
  });
  EXPECT_GT(phase1_after_opening, 200);
}

TEST(Simulation, respects_the_conversion_matrix) {
  // classes: 0 farmland (donor), 1 forest (donor), 2 built, 3 park; forest may not become built, farmland may not
  // become park.
  SimulationInput in = basic_input(64, 64, 4, 5, 60);
  for (int r = 0; r < 64; ++r) {
    for (int c = 0; c < 64; ++c) {
      if (c < 32 && in.initial_classes(r, c) == 0) in.initial_classes(r, c) = 1;
    }
  }
  for (auto& d : in.demand) d.cells[1] = no_target;  // forest: donor without target
  for (auto& d : in.demand) {
    d.cells[2] = test::class_counts(in.initial_classes, 4)[2] + (d.year - 2024) * 60;
    d.cells[3] = test::class_counts(in.initial_classes, 4)[3] + (d.year - 2024) * 60;
  }
  in.conversion.assign(16, ConversionRule{});
  in.conversion[1 * 4 + 2].allowed = false;
  in.conversion[0 * 4 + 3].allowed = false;
  const SimulationResult res = simulate(in, Params{}, 9);
  EXPECT_TRUE(res.problems.empty());
  std::int64_t farm_to_built = 0;
  std::int64_t forest_to_park = 0;
  for_each_year_pair(in, res, [&](int, const auto& before, const auto& after) {
    for (std::int64_t i = 0; i < after.size(); ++i) {
      ASSERT_FALSE(before[i] == 1 && after[i] == 2) << "forest became built at " << i;
      ASSERT_FALSE(before[i] == 0 && after[i] == 3) << "farmland became park at " << i;
      farm_to_built += before[i] == 0 && after[i] == 2;
      forest_to_park += before[i] == 1 && after[i] == 3;
    }
  });
  EXPECT_EQ(farm_to_built, 5 * 60);
  EXPECT_EQ(forest_to_park, 5 * 60);
}

TEST(Simulation, a_donor_with_a_target_gives_only_its_surplus) {
  SimulationInput in = basic_input(50, 50, 3, 3, 100);
  const auto base = class_counts(in.initial_classes, 3);
  for (auto& d : in.demand) d.cells[0] = base[0] - 150;  // open land may lose 150 cells, not 200 a year
  in.demand[0].cells[2] = base[2];                       // class 2 keeps its size
  in.demand[1].cells[2] = base[2];
  in.demand[2].cells[2] = base[2];
  const SimulationResult res = simulate(in, Params{}, 1);
  const auto counts = class_counts(res.final_classes, 3);
  EXPECT_EQ(counts[0], base[0] - 150);
  EXPECT_EQ(counts[1], base[1] + 150);
  EXPECT_EQ(counts[2], base[2]);
  // class 1 wanted 300 and got 150: reported, not thrown
  ASSERT_FALSE(res.problems.empty());
  EXPECT_EQ(res.problems[0].code, "demand.unmet");
}

TEST(Simulation, reports_unmet_demand_with_cells_and_km2_instead_of_throwing) {
  SimulationInput in = basic_input(20, 20, 2, 2, 300);  // 400 cells, 12 built: 600 more cannot fit
  in.class_names = {"farmland", "pharma"};
  SimulationResult res;
  ASSERT_NO_THROW(res = simulate(in, Params{}, 2));
  const auto counts = class_counts(res.final_classes, 2);
  EXPECT_EQ(counts[1], 400);  // every cell taken
  ASSERT_EQ(res.problems.size(), 1U);  // year 2026 only
  EXPECT_EQ(res.problems[0].code, "demand.unmet");
  EXPECT_EQ(res.problems[0].severity, Severity::warning);
  // year 2025 wants 312: 400 cells allow it
  EXPECT_EQ(res.years[0].unmet_cells[1], 0);
  // year 2026 wants 612, 400 exist: 212 cells short, 212 x 100 m2 = 0.0212 km2
  EXPECT_EQ(res.years[1].unmet_cells[1], 212);
  EXPECT_THAT(res.problems[0].message, ::testing::HasSubstr("212 cells (0.021200 km2)"));
  EXPECT_THAT(res.problems[0].message, ::testing::HasSubstr("pharma"));
  EXPECT_EQ(res.problems[0].where.key, "demand.2026");
}

TEST(Simulation, same_seed_gives_identical_grids) {
  const SimulationInput in = basic_input(70, 90, 4, 5, 120);
  const SimulationResult a = simulate(in, Params{}, 42);
  const SimulationResult b = simulate(in, Params{}, 42);
  for (std::size_t y = 0; y < a.year_maps.size(); ++y) EXPECT_TRUE(same_values(a.year_maps[y].second, b.year_maps[y].second));
  EXPECT_EQ(a.years.back().cells, b.years.back().cells);
}

TEST(Simulation, different_seed_or_run_gives_different_grids) {
  const SimulationInput in = basic_input(70, 90, 4, 5, 120);
  const SimulationResult a = simulate(in, Params{}, 42, 0);
  const SimulationResult b = simulate(in, Params{}, 43, 0);
  const SimulationResult c = simulate(in, Params{}, 42, 1);
  EXPECT_FALSE(same_values(a.final_classes, b.final_classes));
  EXPECT_FALSE(same_values(a.final_classes, c.final_classes));
  EXPECT_EQ(class_counts(a.final_classes, 4), class_counts(b.final_classes, 4));  // same demand, other places
}

TEST(Simulation, one_and_two_threads_give_identical_grids) {
  // 200 rows = several parallel tiles
  const SimulationInput in = basic_input(200, 150, 5, 4, 500);
  SimulationResult one;
  SimulationResult two;
  tbb::task_arena(1).execute([&] { one = simulate(in, Params{}, 99); });
  tbb::task_arena(2).execute([&] { two = simulate(in, Params{}, 99); });
  ASSERT_EQ(one.year_maps.size(), two.year_maps.size());
  for (std::size_t y = 0; y < one.year_maps.size(); ++y) {
    EXPECT_TRUE(same_values(one.year_maps[y].second, two.year_maps[y].second)) << y;
  }
  for (std::size_t y = 0; y < one.years.size(); ++y) EXPECT_EQ(one.years[y].rounds, two.years[y].rounds);
}

TEST(Simulation, growth_goes_mostly_to_suitable_cells) {
  SimulationInput in = basic_input(60, 60, 2, 3, 200);
  for (int r = 0; r < 60; ++r) {
    for (int c = 0; c < 60; ++c) in.suitability[1](r, c) = c < 30 ? 250 : 10;
  }
  Params p;
  p.neighbourhood_weight = 0.0;
  const SimulationResult res = simulate(in, p, 4);
  std::int64_t west = 0;
  std::int64_t east = 0;
  for (int r = 0; r < 60; ++r) {
    for (int c = 0; c < 60; ++c) {
      if (res.final_classes(r, c) == 1 && in.initial_classes(r, c) != 1) (c < 30 ? west : east) += 1;
    }
  }
  EXPECT_EQ(west + east, 600);
  EXPECT_GT(west, 9 * east);  // weights 25:1
}

// Number of 4-connected components of class k.
int components(const grid::Grid<std::uint8_t>& g, int k) {
  std::vector<std::uint8_t> seen(static_cast<std::size_t>(g.size()), 0);
  int n = 0;
  for (std::int64_t s = 0; s < g.size(); ++s) {
    if (g[s] != k || seen[static_cast<std::size_t>(s)]) continue;
    ++n;
    std::queue<std::int64_t> q;
    q.push(s);
    seen[static_cast<std::size_t>(s)] = 1;
    while (!q.empty()) {
      const std::int64_t i = q.front();
      q.pop();
      const int r = static_cast<int>(i / g.cols());
      const int c = static_cast<int>(i % g.cols());
      const std::int64_t nb[4] = {r > 0 ? i - g.cols() : -1, r + 1 < g.rows() ? i + g.cols() : -1,
                                  c > 0 ? i - 1 : -1, c + 1 < g.cols() ? i + 1 : -1};
      for (std::int64_t j : nb) {
        if (j >= 0 && g[j] == k && !seen[static_cast<std::size_t>(j)]) {
          seen[static_cast<std::size_t>(j)] = 1;
          q.push(j);
        }
      }
    }
  }
  return n;
}

// Number of new cells of class k that touch (8-neighbourhood) a cell of class k in `before`.
std::int64_t new_cells_at_edges(const grid::Grid<std::uint8_t>& before, const grid::Grid<std::uint8_t>& after, int k) {
  std::int64_t n = 0;
  for (int r = 0; r < after.rows(); ++r) {
    for (int c = 0; c < after.cols(); ++c) {
      if (after(r, c) != k || before(r, c) == k) continue;
      bool touches = false;
      for (int dr = -1; dr <= 1; ++dr) {
        for (int dc = -1; dc <= 1; ++dc) {
          const int rr = r + dr;
          const int cc = c + dc;
          if (rr >= 0 && rr < after.rows() && cc >= 0 && cc < after.cols() && before(rr, cc) == k) touches = true;
        }
      }
      n += touches;
    }
  }
  return n;
}

TEST(Simulation, neighbourhood_weight_makes_growth_cluster_at_edges) {
  SimulationInput in = basic_input(80, 80, 2, 1, 100);
  for (std::int64_t i = 0; i < in.suitability[1].size(); ++i) in.suitability[1][i] = 200;
  Params strong;
  strong.neighbourhood_weight = 1.0;
  strong.patch_share = 0.0;
  strong.steps_per_year = 20;
  Params none = strong;
  none.neighbourhood_weight = 0.0;
  const SimulationResult a = simulate(in, strong, 6);
  const SimulationResult b = simulate(in, none, 6);
  const std::int64_t edge_strong = new_cells_at_edges(in.initial_classes, a.final_classes, 1);
  const std::int64_t edge_none = new_cells_at_edges(in.initial_classes, b.final_classes, 1);
  // 100 new cells: grown step by step from the edges, nearly all touch the old block or earlier growth; without the
  // neighbourhood effect they scatter over 6 400 cells and few touch the 12-cell block.
  EXPECT_GT(edge_strong, 15);
  EXPECT_LT(edge_none, 8);
  EXPECT_LE(components(a.final_classes, 1), 20) << edge_strong;
  EXPECT_GT(components(b.final_classes, 1), 60) << edge_none;
}

TEST(Simulation, patch_seeding_creates_new_compact_patches) {
  SimulationInput in = basic_input(100, 100, 2, 1, 400);
  for (std::int64_t i = 0; i < in.suitability[1].size(); ++i) in.suitability[1][i] = 200;
  Params p;
  p.patch_share = 1.0;
  p.patch_size_mean_cells = 40.0;
  p.patch_size_sd_cells = 10.0;
  p.neighbourhood_weight = 0.99;
  const SimulationResult res = simulate(in, p, 8);
  EXPECT_EQ(res.years[0].patch_cells, 400);
  const int n = components(res.final_classes, 1);
  // about 400 / 40 = 10 patches plus the initial block; each is compact, so far fewer than 400 components
  EXPECT_GE(n, 6);
  EXPECT_LE(n, 25);
  EXPECT_EQ(components(in.initial_classes, 1), 1);
}

TEST(Simulation, suitability_event_moves_growth_from_its_year_on) {
  SimulationInput in = basic_input(60, 60, 2, 4, 150);
  for (int r = 0; r < 60; ++r) {
    for (int c = 0; c < 60; ++c) in.suitability[1](r, c) = c < 30 ? 250 : 2;
  }
  grid::Grid<std::uint8_t> after(in.initial_classes.spec(), 0);
  for (int r = 0; r < 60; ++r) {
    for (int c = 0; c < 60; ++c) after(r, c) = c < 30 ? 2 : 250;  // e.g. a station opens in the east
  }
  in.suitability_events.push_back(SuitabilityEvent{.year = 2027, .class_id = 1, .suitability = std::move(after)});
  Params p;
  p.neighbourhood_weight = 0.0;
  const SimulationResult res = simulate(in, p, 12);
  std::vector<std::int64_t> east_share_per_year;
  for_each_year_pair(in, res, [&](int year, const auto& before, const auto& map) {
    std::int64_t east = 0;
    for (int r = 0; r < 60; ++r) {
      for (int c = 30; c < 60; ++c) east += map(r, c) == 1 && before(r, c) != 1;
    }
    if (year < 2027) {
      EXPECT_LT(east, 15) << year;
    } else {
      EXPECT_GT(east, 135) << year;
    }
  });
}

TEST(Simulation, reports_the_year_each_phase_fills_up) {
  SimulationInput in = basic_input(40, 40, 2, 6, 100);
  in.phase = grid::Grid<std::uint8_t>(in.initial_classes.spec(), no_phase);
  for (int r = 0; r < 40; ++r) {
    for (int c = 0; c < 10; ++c) in.phase(r, c) = 0;  // 400 cells
  }
  in.phase_opening_year = {2024};
  for (int r = 0; r < 40; ++r) {
    for (int c = 0; c < 40; ++c) in.suitability[1](r, c) = c < 10 ? 255 : 1;
  }
  Params p;
  p.neighbourhood_weight = 0.0;
  p.phase_full_share = 0.9;
  const SimulationResult res = simulate(in, p, 21);
  ASSERT_EQ(res.phase_full_year.size(), 1U);
  // The simulation's own verdict against a count on the yearly maps: first year with >= 360 built cells.
  int expected = not_filled;
  for (const auto& [year, map] : res.year_maps) {
    std::int64_t built = 0;
    for (int r = 0; r < 40; ++r) {
      for (int c = 0; c < 10; ++c) built += map(r, c) == 1;
    }
    if (built >= 360 && expected == not_filled) expected = year;
  }
  EXPECT_NE(expected, not_filled);
  EXPECT_EQ(res.phase_full_year[0], expected);
}

TEST(Simulation, keeps_only_the_maps_of_the_output_years) {
  SimulationInput in = basic_input(30, 30, 2, 5, 20);
  in.output_years = {2026, 2029};
  const SimulationResult res = simulate(in, Params{}, 1);
  ASSERT_EQ(res.year_maps.size(), 2U);
  EXPECT_EQ(res.year_maps[0].first, 2026);
  EXPECT_EQ(res.year_maps[1].first, 2029);
  EXPECT_EQ(class_counts(res.year_maps[0].second, 2)[1], 12 + 2 * 20);
  EXPECT_EQ(class_counts(res.final_classes, 2)[1], 12 + 5 * 20);
}

TEST(Simulation, reports_progress_per_year_and_honours_cancellation) {
  const SimulationInput in = basic_input(30, 30, 2, 5, 20);
  std::vector<double> seen;
  Progress progress([&](double f, std::string_view) {
    seen.push_back(f);
    return true;
  });
  simulate(in, Params{}, 1, 0, progress);
  EXPECT_GE(seen.size(), 6U);
  EXPECT_DOUBLE_EQ(seen.back(), 1.0);

  int calls = 0;
  Progress cancel_in_year_3([&](double, std::string_view) { return ++calls < 3; });
  try {
    simulate(in, Params{}, 1, 0, cancel_in_year_3);
    FAIL() << "not cancelled";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::cancelled);
  }
}

TEST(Simulation, quantises_suitability_probabilities_to_bytes) {
  grid::Grid<float> p(test::spec(1, 6), 0.0f);
  p[0] = 0.0f;
  p[1] = 0.5f;
  p[2] = 1.0f;
  p[3] = std::numeric_limits<float>::quiet_NaN();
  p[4] = 1.2f;
  p[5] = -0.1f;
  const grid::Grid<std::uint8_t> q = quantise_suitability(p);
  EXPECT_EQ(q.spec(), p.spec());
  EXPECT_EQ(q[0], 0);
  EXPECT_EQ(q[1], 128);  // 127.5 rounds away from zero
  EXPECT_EQ(q[2], 255);
  EXPECT_EQ(q[3], 0);
  EXPECT_EQ(q[4], 255);
  EXPECT_EQ(q[5], 0);
}

TEST(SimulationInput, rejects_a_class_value_outside_the_classes_with_its_cell) {
  SimulationInput in = basic_input(10, 10, 3, 1, 1);
  in.initial_classes(4, 7) = 9;
  try {
    simulate(in, Params{}, 1);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::data);
    EXPECT_EQ(e.context().key, "initial_classes");
    ASSERT_TRUE(e.context().coordinate.has_value());
    EXPECT_DOUBLE_EQ(e.context().coordinate->x, 500000.0 + 75.0);
    EXPECT_DOUBLE_EQ(e.context().coordinate->y, 4450000.0 - 45.0);
    EXPECT_THAT(e.message(), ::testing::HasSubstr("row 4, column 7"));
  }
}

TEST(SimulationInput, rejects_grids_of_another_shape_and_gapped_demand_years) {
  SimulationInput in = basic_input(10, 10, 2, 2, 1);
  in.constraint = grid::Grid<std::uint8_t>(test::spec(10, 11), 0);
  try {
    in.validate();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::data);
    EXPECT_EQ(e.context().key, "constraint");
  }
  SimulationInput gap = basic_input(10, 10, 2, 2, 1);
  gap.demand[1].year = 2027;
  try {
    gap.validate();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_EQ(e.context().key, "demand[1]");
  }
}

}  // namespace
}  // namespace parksim::sim
