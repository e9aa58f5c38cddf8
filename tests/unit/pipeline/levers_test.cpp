// Every lever a planner changes in the bundled park scenarios moves the indicator that answers its question, and by
// more than the ensemble's spread: each test runs the baseline and the baseline with one lever flipped (same seed, a
// small ensemble, no allocation) and compares the answering indicator's ensemble means.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <gtest/gtest.h>

#include "pipeline/pipeline.hpp"

namespace parksim::pipeline {
namespace {

namespace fs = std::filesystem;

constexpr int kRuns = 4;  // ensemble of each side; the seed is the baseline's

// A test name as a file name (parameterised names hold '/').
std::string file_name(std::string name) {
  std::replace(name.begin(), name.end(), '/', '_');
  return name;
}

struct Measured {
  double mean = 0.0, sd = 0.0;
};

class Levers : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() /
            ("parksim_levers_" + file_name(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  // The answering indicator of the baseline with `keys` added, over kRuns runs.
  Measured measure(const std::string& name, const std::string& keys, const std::string& answer) {
    const fs::path baseline = fs::path(PARKSIM_SOURCE_DIR) / "scenarios" / "baseline.toml";
    const fs::path file = m_dir / (name + ".toml");
    std::ofstream(file) << "extends = \"" << baseline.generic_string() << "\"\nname = \"" << name
                        << "\"\nruns = " << kRuns << "\n" << keys << "\n[alloc]\nenabled = false\n" << answer;
    const report::RunResult r = run_scenario(scenario::Scenario::load(file), RunOptions{.threads = 2});
    EXPECT_TRUE(r.answer.has_value());
    if (!r.answer) return {};
    EXPECT_EQ(r.answer->runs, kRuns);
    return {r.answer->mean, r.answer->sd};
  }

  // Checks that `flipped` differs from `base` in the direction `sign` by more than either side's sd.
  static void expect_moves(const Measured& base, const Measured& flipped, int sign, const std::string& what) {
    const double spread = std::max(base.sd, flipped.sd);
    const double diff = flipped.mean - base.mean;
    EXPECT_GT(sign * diff, spread) << what << ": " << base.mean << " ± " << base.sd << " -> " << flipped.mean << " ± "
                                   << flipped.sd;
    std::cout << "[lever] " << what << ": " << base.mean << " ± " << base.sd << " -> " << flipped.mean << " ± "
              << flipped.sd << " (difference " << diff << ")\n";
  }

  fs::path m_dir;
};

// One lever: the keys both sides share (regions), the lever's keys, the answering indicator and the direction the
// indicator must move.
struct Lever {
  std::string name;     // test name
  std::string shared;   // keys of both sides (a region to measure)
  std::string flipped;  // the lever
  std::string answer;   // [answer] of both sides
  int sign = +1;        // +1: the indicator must rise; -1: fall
};

// Not here: the Line 19 north extension's opening year. On the bundled (schematic) stations every new station lies
// within 1.5 km of an existing one and the land within 800 m of them is taken by 2031 either way, so a delay to 2032
// moves growth within 1 km of the line by less than the ensemble's sd (scenarios/line19_2029.toml reports it).
const Lever kLevers[] = {
    {"acceleration_base_priority_draws_corridor_growth_to_the_acceleration_bases",
     "[regions.near_acceleration_bases]\ndriver = \"dist_acceleration_base_m\"\nmax = 3000.0\n",
     "[suitability]\npriority_tier = \"acceleration\"\npriority_bonus = 1.5\npriority_radius_m = 3000.0\n",
     "[answer]\nindicator = \"region_developed_km2.near_acceleration_bases\"\n", +1},
    // The inner (demonstration) tier first by the prior; with the tier's weight reversed, growth leaves it.
    {"corridor_tier_weight_reversed_moves_growth_away_from_the_inner_tier",
     "[drivers.dist_demonstration_base_m]\nkind = \"distance\"\nlayer = \"bases\"\nwhere = \"tier = "
     "'demonstration'\"\n[regions.near_demonstration_bases]\ndriver = \"dist_demonstration_base_m\"\nmax = 1000.0\n",
     "[suitability.prior.corridor_tier]\nweight = 0.8\nsource = \"ASSUMPTION: the lever reversed\"\n",
     "[answer]\nindicator = \"region_developed_km2.near_demonstration_bases\"\n", -1},
    {"beiqing_road_opening_in_2034_slows_growth_along_it_by_2033",
     "[regions.near_beiqing]\ndriver = \"dist_beiqing_m\"\nmax = 1000.0\n",
     "[[infrastructure]]\nyear = 2034\nlayer = \"roads\"\nwhere = \"name = 'Beiqing Road'\"\n",
     "[answer]\nindicator = \"region_developed_km2.near_beiqing\"\nyear = 2033\n", -1},
    {"phase_3_opening_in_2030_develops_less_of_it_by_2029", "", "[phases.open_year]\n\"3\" = 2030\n",
     "[answer]\nindicator = \"phase_developed_km2.3\"\nyear = 2029\n", -1},
    {"phase_3_opening_in_2030_develops_less_health_industry_land_in_the_expansion_by_2029", "",
     "[phases.open_year]\n\"3\" = 2030\n",
     "[answer]\nindicator = \"health_industry_developed_mu\"\nyear = 2029\n", -1},
    {"beauty_health_share_of_30_percent_grows_the_zone", "",
     "[demand.zone_share]\nfrontier_tech = 0.3\nmedical_device = 0.3\nbeauty_health = 0.3\noutside = 0.1\n",
     "[answer]\nindicator = \"zone_area_km2.beauty_health\"\n", +1},
    {"growth_of_4_percent_develops_less_land", "", "[demand]\nenterprise_growth_rate = 0.04\n",
     "[answer]\nindicator = \"developed_km2\"\n", -1},
    {"plot_ratio_of_3_needs_less_land", "", "[demand]\nfloor_area_ratio = 3.0\n",
     "[answer]\nindicator = \"developed_km2\"\n", -1},
};

class LeverMoves : public Levers, public ::testing::WithParamInterface<Lever> {};

TEST_P(LeverMoves, its_answering_indicator_beyond_the_ensemble_spread) {
  const Lever& lever = GetParam();
  const auto base = measure("base", lever.shared, lever.answer);
  const auto flipped = measure("flipped", lever.shared + lever.flipped, lever.answer);
  expect_moves(base, flipped, lever.sign, lever.name);
}

INSTANTIATE_TEST_SUITE_P(BundledPark, LeverMoves, ::testing::ValuesIn(kLevers),
                         [](const ::testing::TestParamInfo<Lever>& info) { return info.param.name; });

}  // namespace
}  // namespace parksim::pipeline
