// The plan search on the small synthetic park of the pipeline tests: real simulations, small populations.
#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "optimize/optimize.hpp"
#include "pipeline/measure.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/pipeline_fixture.hpp"
#include "report/run_result.hpp"
#include "scenario/scenario.hpp"

namespace parksim::optimize {
namespace {

namespace fs = std::filesystem;
using pipeline::testing::synthetic_scenario;

// Two levers (enterprise growth; the Frontier Technology share, balanced by Medical Device's) and a year lever (phase
// 3's opening), traded off between little developed land and much Frontier Technology land in 2030.
constexpr const char* kSearch = R"TOML(
[optimize]
population = 8
generations = 3
[[optimize.levers]]
key = "demand.enterprise_growth_rate"
min = 0.05
max = 0.4
[[optimize.levers]]
key = "demand.zone_share.frontier_tech"
min = 0.2
max = 0.8
balance = ["demand.zone_share.medical_device"]
[[optimize.levers]]
key = "phases.open_year.3"
min = 2025
max = 2028
[[optimize.objectives]]
indicator = "developed_km2"
direction = "min"
[[optimize.objectives]]
indicator = "zone_area_km2.frontier_tech"
direction = "max"
year = 2030
)TOML";

// The fixture's test folder and park; scenarios are written there.
class PlanSearch : public pipeline::testing::PipelineDir {
 protected:
  scenario::Scenario scenario(const std::string& optimize) {
    return scenario::Scenario::load(write("search.toml", synthetic_scenario(m_gpkg, optimize)));
  }
  static std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

TEST_F(PlanSearch, finds_a_front_whose_solutions_rerun_to_the_same_indicators) {
  const scenario::Scenario s = scenario(kSearch);
  OptimizeOptions o;
  o.threads = 2;
  const OptimizeResult r = optimize_scenario(s, o);
  ASSERT_GE(r.front.size(), 2u);
  EXPECT_EQ(r.history.size(), 4u);
  EXPECT_GT(r.evaluations, 8);
  for (const auto& sol : r.front) {
    EXPECT_TRUE(sol.feasible);
    EXPECT_GE(sol.levers[0], 0.05);
    EXPECT_LE(sol.levers[0], 0.4);
    EXPECT_GE(sol.levers[1], 0.2);
    EXPECT_LE(sol.levers[1], 0.8);
    EXPECT_EQ(sol.levers[2], std::round(sol.levers[2]));
  }
  // A trade-off: along the front, less developed land comes with less Frontier Technology land.
  EXPECT_LT(r.front.front().mean[0], r.front.back().mean[0]);
  EXPECT_LT(r.front.front().mean[1], r.front.back().mean[1]);

  const fs::path out = m_dir / "front";
  write_optimize(r, out, false);
  for (const char* f : {"pareto.csv", "pareto.gpkg", "history.csv", "report/index.html", "solutions/solution_01.toml"}) {
    EXPECT_TRUE(fs::exists(out / f)) << f;
  }
  EXPECT_NE(slurp(out / "pareto.csv").find("demand.enterprise_growth_rate"), std::string::npos);
  // The written scenario of the last solution runs, and its run measures what the search measured.
  const std::size_t last = r.front.size() - 1;
  const scenario::Scenario again =
      scenario::Scenario::load(out / "solutions" / ((last + 1 < 10 ? "solution_0" : "solution_") + std::to_string(last + 1) + ".toml"));
  EXPECT_DOUBLE_EQ(again.get_real("demand.enterprise_growth_rate"), r.front[last].levers[0]);
  const report::RunResult run = pipeline::run_scenario(again);
  const report::Indicator* developed = report::find_indicator(run, "developed_km2", 2030);
  const report::Indicator* frontier = report::find_indicator(run, "zone_area_km2.frontier_tech", 2030);
  ASSERT_NE(developed, nullptr);
  ASSERT_NE(frontier, nullptr);
  EXPECT_NEAR(developed->value, r.front[last].mean[0], 1e-9);
  EXPECT_NEAR(frontier->value, r.front[last].mean[1], 1e-9);
}

TEST_F(PlanSearch, the_front_is_byte_identical_with_one_or_two_threads) {
  const scenario::Scenario ensemble = scenario(std::string(kSearch).replace(
      std::string(kSearch).find("generations = 3"), 15, "generations = 2\nruns = 2"));
  OptimizeOptions one, two;
  one.threads = 1;
  two.threads = 2;
  const OptimizeResult a = optimize_scenario(ensemble, one);
  const OptimizeResult b = optimize_scenario(ensemble, two);
  EXPECT_EQ(a.spec.runs, 2);
  EXPECT_EQ(pareto_csv(a), pareto_csv(b));
  EXPECT_EQ(history_csv(a), history_csv(b));
  ASSERT_FALSE(a.front.empty());
  EXPECT_FALSE(std::isnan(a.front.front().sd[0]));  // two runs: a spread
}

TEST_F(PlanSearch, moead_searches_the_same_levers_one_setting_at_a_time) {
  const scenario::Scenario s = scenario(std::string(kSearch).replace(std::string(kSearch).find("generations = 3"), 15,
                                                                     "generations = 2\nalgorithm = \"moead\""));
  OptimizeOptions one, two;
  one.threads = 1;
  two.threads = 2;
  const OptimizeResult a = optimize_scenario(s, one);
  EXPECT_EQ(a.spec.search.algorithm, Algorithm::moead);
  ASSERT_FALSE(a.front.empty());
  EXPECT_EQ(a.history.size(), 3u);
  EXPECT_EQ(pareto_csv(a), pareto_csv(optimize_scenario(s, two)));
}

// Expected developed area of a percent map (optimize::OptimizeResult::SolutionMap), km2.
double mapped_km2(const grid::Grid<std::uint8_t>& pct) {
  double sum = 0.0;
  for (std::int64_t i = 0; i < pct.size(); ++i) {
    if (pct[i] <= 100) sum += pct[i] / 100.0;
  }
  return sum * pct.spec().cell_area_m2() / 1e6;
}

TEST(MapIndices, spread_over_the_front_from_the_first_to_the_last) {
  EXPECT_EQ(map_indices(3, 5), (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(map_indices(5, 2), (std::vector<std::size_t>{0, 4}));
  EXPECT_EQ(map_indices(10, 4), (std::vector<std::size_t>{0, 3, 6, 9}));
  EXPECT_EQ(map_indices(7, 1), (std::vector<std::size_t>{0}));
  EXPECT_TRUE(map_indices(7, 0).empty());
}

TEST_F(PlanSearch, the_maps_of_chosen_solutions_show_the_land_their_evaluation_measured) {
  const std::string text = std::string(kSearch).replace(std::string(kSearch).find("generations = 3"), 15,
                                                        "generations = 2\nmaps = 2");
  OptimizeOptions o;
  o.threads = 2;
  const OptimizeResult r = optimize_scenario(scenario(text), o);
  ASSERT_GE(r.front.size(), 3u);
  ASSERT_EQ(r.maps.size(), 2u);
  EXPECT_EQ(r.maps[0].solution, 0u);
  EXPECT_EQ(r.maps[1].solution, r.front.size() - 1);
  EXPECT_EQ(r.map_year, 2030);
  // One run per evaluation: a cell is developed (100) or not (0), and the developed area of the map is the
  // developed_km2 the search measured in the end year, for each solution and for the scenario's own setting.
  for (const auto& m : r.maps) {
    for (std::int64_t i = 0; i < m.developed_pct.size(); ++i) {
      ASSERT_TRUE(m.developed_pct[i] == 0 || m.developed_pct[i] == 100 || m.developed_pct[i] == 255);
    }
    EXPECT_NEAR(mapped_km2(m.developed_pct), r.front[m.solution].mean[0], 1e-9);
  }
  EXPECT_NEAR(mapped_km2(r.start_map), r.start.mean[0], 1e-9);
  // The two ends of the front differ on the ground.
  EXPECT_FALSE((r.maps[0].developed_pct.values() == r.maps[1].developed_pct.values()).all());

  // The page shows them, with the scenario's for the differences, and says the others are not kept.
  const fs::path out = m_dir / "mapped";
  write_optimize(r, out, false);
  const std::string html = slurp(out / "report" / "index.html");
  EXPECT_NE(html.find("id=\"map-solution_01\""), std::string::npos);
  EXPECT_NE(html.find(fmt::format("id=\"map-solution_{:02}\"", r.front.size())), std::string::npos);
  EXPECT_NE(html.find("id=\"map-scenario\""), std::string::npos);
  EXPECT_EQ(html.find("id=\"map-solution_02\""), std::string::npos);
  EXPECT_NE(html.find(fmt::format("Maps are kept for 2 of the {} solutions", r.front.size())), std::string::npos);

  // Without maps: the same front, no maps and no map section.
  std::string without = text;
  const OptimizeResult none = optimize_scenario(scenario(without.replace(without.find("maps = 2"), 8, "maps = 0")), o);
  EXPECT_EQ(pareto_csv(none), pareto_csv(r));
  EXPECT_TRUE(none.maps.empty());
  EXPECT_EQ(none.start_map.size(), 0);
  write_optimize(none, m_dir / "unmapped", false);
  EXPECT_EQ(slurp(m_dir / "unmapped" / "report" / "index.html").find("id=\"maps\""), std::string::npos);
}

struct BadInput {
  std::string what;       // the test case
  std::string optimize;   // the [optimize] text
  std::string key;        // the key the error names
  std::string message;    // a part of its message
};

TEST_F(PlanSearch, bad_input_is_a_config_error_naming_the_key_and_its_line) {
  const std::string objectives = R"TOML(
[[optimize.objectives]]
indicator = "developed_km2"
direction = "min"
[[optimize.objectives]]
indicator = "zone_area_km2.frontier_tech"
direction = "max"
)TOML";
  const std::string lever = "[[optimize.levers]]\nkey = \"demand.enterprise_growth_rate\"\nmin = 0.05\nmax = 0.4\n";
  const std::vector<BadInput> cases{
      {"unknown lever key", "[[optimize.levers]]\nkey = \"demand.enterprise_growth\"\nmin = 0\nmax = 1\n" + objectives,
       "optimize.levers[0].key", "did you mean 'demand.enterprise_growth_rate'"},
      {"lever not numeric", "[[optimize.levers]]\nkey = \"demand.method\"\nmin = 0\nmax = 1\n" + objectives,
       "optimize.levers[0].key", "not numeric"},
      {"bounds reversed", "[[optimize.levers]]\nkey = \"demand.enterprise_growth_rate\"\nmin = 0.3\nmax = 0.1\n" +
                              objectives,
       "optimize.levers[0].max", "bounds reversed"},
      {"bounds outside the key's range",
       "[[optimize.levers]]\nkey = \"demand.enterprise_growth_rate\"\nmin = 0.1\nmax = 5\n" + objectives,
       "optimize.levers[0].min", "range"},
      {"no objectives", lever, "optimize", "needs objectives"},
      {"one objective", lever + "[[optimize.objectives]]\nindicator = \"developed_km2\"\ndirection = \"min\"\n",
       "optimize.objectives", "at least two"},
      {"unknown indicator",
       lever + "[[optimize.objectives]]\nindicator = \"developed_km2\"\ndirection = \"min\"\n"
               "[[optimize.objectives]]\nindicator = \"zone_area_km2.nowhere\"\ndirection = \"max\"\n",
       "optimize.objectives[1].indicator", "no indicator 'zone_area_km2.nowhere'"},
      {"indicator year outside the run",
       lever + "[[optimize.objectives]]\nindicator = \"developed_km2\"\ndirection = \"min\"\nyear = 2040\n"
               "[[optimize.objectives]]\nindicator = \"zone_area_km2.frontier_tech\"\ndirection = \"max\"\n",
       "optimize.objectives[0].indicator", "outside the run's years"},
      {"balance that cannot absorb the lever",
       "[[optimize.levers]]\nkey = \"demand.floor_area_ratio\"\nmin = 1.0\nmax = 3.0\n"
       "balance = [\"demand.net_site_share\"]\n" + objectives,
       "optimize.levers[0].max", "more than the balance keys hold"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    try {
      optimize_scenario(scenario(c.optimize));
      ADD_FAILURE() << "expected a config error";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::config) << e.what();
      EXPECT_EQ(e.context().key, c.key) << e.what();
      EXPECT_TRUE(e.context().line.has_value()) << e.what();
      EXPECT_NE(e.context().path.find("search.toml"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    }
  }
}

TEST_F(PlanSearch, a_constraint_no_setting_meets_is_an_error_listing_the_closest_settings) {
  const std::string text = std::string(kSearch).replace(std::string(kSearch).find("generations = 3"), 15,
                                                        "generations = 1") +
                           "[[optimize.constraints]]\nindicator = \"developed_km2\"\nmin = 1000.0\n";
  try {
    optimize_scenario(scenario(text));
    FAIL() << "expected a config error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_EQ(e.context().key, "optimize.constraints[0].indicator");
    const std::string m = e.what();
    EXPECT_NE(m.find("none of the"), std::string::npos) << m;
    EXPECT_NE(m.find("the closest:"), std::string::npos) << m;
    EXPECT_NE(m.find("demand.enterprise_growth_rate = "), std::string::npos) << m;
  }
}

TEST_F(PlanSearch, an_existing_output_is_refused_and_left_as_it_was) {
  const std::string text =
      std::string(kSearch).replace(std::string(kSearch).find("generations = 3"), 15, "generations = 1");
  const OptimizeResult r = optimize_scenario(scenario(text));
  const fs::path out = m_dir / "taken";
  fs::create_directories(out);
  write("taken/keep.txt", "mine");
  try {
    write_optimize(r, out, false);
    FAIL() << "expected output_exists";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output_exists);
  }
  EXPECT_EQ(slurp(out / "keep.txt"), "mine");
  EXPECT_FALSE(fs::exists(out / "pareto.csv"));
  write_optimize(r, out, true);
  EXPECT_TRUE(fs::exists(out / "pareto.csv"));
  EXPECT_FALSE(fs::exists(out / "keep.txt"));
}

// What a Dask worker does (parksim.optimize(client=...)): an Evaluator made from the searched scenario alone, given
// the search's batches in pieces.
TEST_F(PlanSearch, batches_evaluated_elsewhere_give_the_same_front) {
  const scenario::Scenario s =
      scenario(std::string(kSearch).replace(std::string(kSearch).find("generations = 3"), 15, "generations = 2"));
  OptimizeOptions here;
  here.threads = 1;
  const OptimizeResult a = optimize_scenario(s, here);

  OptimizeOptions elsewhere;
  elsewhere.threads = 1;
  std::unique_ptr<Evaluator> worker;
  int batches = 0;
  elsewhere.evaluate = [&](const scenario::Scenario& searched, const std::vector<std::vector<double>>& settings) {
    ++batches;
    EXPECT_TRUE(searched.has("years.start"));
    if (!worker) worker = std::make_unique<Evaluator>(searched);  // the study is loaded by its first evaluation
    // Two pieces, as two tasks: the first on two threads, the second on one.
    const std::size_t half = settings.size() / 2;
    std::vector<Solution> out =
        worker->evaluate(std::vector<std::vector<double>>(settings.begin(), settings.begin() + half), 2);
    for (auto& sol : worker->evaluate(std::vector<std::vector<double>>(settings.begin() + half, settings.end()), 1)) {
      out.push_back(std::move(sol));
    }
    return out;
  };
  const OptimizeResult b = optimize_scenario(s, elsewhere);
  EXPECT_EQ(batches, 3);  // the initial population and two generations
  EXPECT_EQ(pareto_csv(a), pareto_csv(b));
  EXPECT_EQ(history_csv(a), history_csv(b));
  EXPECT_EQ(a.evaluations, b.evaluations);
  ASSERT_FALSE(a.front.empty());
}

TEST_F(PlanSearch, an_evaluator_used_from_two_threads_at_once_evaluates_as_one_thread_does) {
  const scenario::Scenario s = scenario(kSearch).with_absolute_paths();
  const std::vector<std::vector<double>> first{{0.1, 0.3, 2026.0}, {0.2, 0.5, 2027.0}};
  const std::vector<std::vector<double>> second{{0.3, 0.7, 2025.0}, {0.05, 0.2, 2028.0}, {0.4, 0.8, 2026.0}};
  Evaluator alone(s);
  const std::vector<Solution> x = alone.evaluate(first, 1), y = alone.evaluate(second, 1);
  Evaluator shared(s);  // both threads start before its study is loaded
  std::vector<Solution> p, q;
  std::thread one([&] { p = shared.evaluate(first, 2); });
  std::thread two([&] { q = shared.evaluate(second, 2); });
  one.join();
  two.join();
  ASSERT_EQ(p.size(), x.size());
  ASSERT_EQ(q.size(), y.size());
  const auto same = [](const Solution& u, const Solution& v) {
    EXPECT_EQ(u.levers, v.levers);
    ASSERT_EQ(u.mean.size(), v.mean.size());
    for (std::size_t k = 0; k < u.mean.size(); ++k) EXPECT_EQ(u.mean[k], v.mean[k]) << k;
    EXPECT_EQ(u.violation, v.violation);
  };
  for (std::size_t i = 0; i < x.size(); ++i) same(p[i], x[i]);
  for (std::size_t i = 0; i < y.size(); ++i) same(q[i], y[i]);
  EXPECT_NE(x[0].mean[0], x[1].mean[0]);  // the settings differ in what they measure
}

TEST_F(PlanSearch, an_evaluation_elsewhere_that_answers_wrongly_is_a_usage_error_and_its_errors_propagate) {
  const scenario::Scenario s =
      scenario(std::string(kSearch).replace(std::string(kSearch).find("generations = 3"), 15, "generations = 1"));
  OptimizeOptions o;
  const auto usage_error = [&] {  // the message of the usage error the search must end with
    try {
      optimize_scenario(s, o);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::usage) << e.what();
      return std::string(e.what());
    }
    ADD_FAILURE() << "expected a usage error";
    return std::string();
  };
  o.evaluate = [](const scenario::Scenario&, const std::vector<std::vector<double>>&) {
    return std::vector<Solution>(1);
  };
  const std::string count = usage_error();
  EXPECT_NE(count.find("returned 1 results for 8 lever settings"), std::string::npos) << count;
  o.evaluate = [](const scenario::Scenario& searched, const std::vector<std::vector<double>>& settings) {
    std::vector<Solution> out = Evaluator(searched).evaluate(settings, 2);
    std::swap(out.front(), out.back());
    return out;
  };
  const std::string order = usage_error();
  EXPECT_NE(order.find("other lever values for setting 1 of 8"), std::string::npos) << order;
  o.evaluate = [](const scenario::Scenario&, const std::vector<std::vector<double>>&) -> std::vector<Solution> {
    throw std::runtime_error("the worker went away");
  };
  EXPECT_THROW(
      {
        try {
          optimize_scenario(s, o);
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "the worker went away");
          throw;
        }
      },
      std::runtime_error);
}

}  // namespace
}  // namespace parksim::optimize
