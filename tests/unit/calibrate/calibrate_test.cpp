#include "calibrate/calibrate.hpp"

#include <iostream>
#include <fstream>

#include <cmath>
#include <filesystem>

#include <gtest/gtest.h>

#include "calibrate/skill.hpp"
#include "core/error.hpp"
#include "io/raster.hpp"
#include "metrics/grid_view.hpp"
#include "scenario/scenario.hpp"
#include "sim/simulation.hpp"
#include "temp_dir.hpp"

namespace parksim::calibrate {
namespace {

// The synthetic series: 120 x 120 cells of 30 m, urban (1) growing on open land (0) from four seed towns,
// suitability from two known drivers (distance to a north-south road, and a "slope" ridge), simulated by sim::simulate
// with KNOWN parameters; maps kept every 5 years, 2000..2015.
constexpr int kSide = 120;
constexpr double kTrueNeighbourhoodWeight = 0.7;
constexpr double kTruePatchShare = 0.2;
constexpr double kTruePatchSizeMean = 10.0;
constexpr std::int64_t kGrowthCellsPerYear = 150;

grid::GridSpec spec(int side = kSide) { return grid::GridSpec{440000.0, 4460000.0, 30.0, side, side, "EPSG:4548"}; }

sim::Params true_params() {
  sim::Params p;
  p.neighbourhood_weight = kTrueNeighbourhoodWeight;
  p.patch_share = kTruePatchShare;
  p.patch_size_mean_cells = kTruePatchSizeMean;
  p.patch_size_sd_cells = kTruePatchSizeMean * 8.0 / 12.0;
  return p;
}

// `side` x `side` cells, `growth` cells a year; `suitability` (optional) receives the generator's suitability.
Series synthetic_series(int dates = 4, const sim::Params& generator = true_params(), int side = kSide,
                        std::int64_t growth = kGrowthCellsPerYear, grid::Grid<std::uint8_t>* suitability = nullptr) {
  Series s;
  grid::Grid<float> road(spec(side), 0.0F), slope(spec(side), 0.0F);
  grid::Grid<std::uint8_t> suit(spec(side), 0);
  for (int r = 0; r < side; ++r) {
    for (int c = 0; c < side; ++c) {
      const double road_m = std::abs(c - 40) * 30.0;
      const double slope_deg = 10.0 * std::pow(std::sin(r * 0.05) * std::cos(c * 0.04), 2);
      road(r, c) = static_cast<float>(road_m);
      slope(r, c) = static_cast<float>(slope_deg);
      const double eta = 3.0 - 0.005 * road_m - 0.6 * slope_deg;
      suit(r, c) = static_cast<std::uint8_t>(std::lround(255.0 / (1.0 + std::exp(-eta))));
    }
  }
  if (suitability != nullptr) *suitability = suit;
  grid::Grid<std::uint8_t> initial(spec(side), 0);
  for (const auto& [r0, c0] : {std::pair{20, 35}, std::pair{60, 45}, std::pair{95, 30}, std::pair{50, 90}}) {
    for (int r = r0 - 4; r <= r0 + 4; ++r) {
      for (int c = c0 - 4; c <= c0 + 4; ++c) initial(r, c) = 1;
    }
  }
  sim::SimulationInput in;
  in.initial_classes = initial;
  in.class_count = 2;
  in.suitability = {grid::Grid<std::uint8_t>(), suit};
  in.start_year = 2000;
  const std::int64_t initial_urban = 4 * 81;
  const int years = 5 * (dates - 1);
  for (int y = 1; y <= years; ++y) {
    in.demand.push_back(sim::YearDemand{2000 + y, {sim::no_target, initial_urban + growth * y}});
  }
  for (int d = 1; d < dates; ++d) in.output_years.push_back(2000 + 5 * d);
  const sim::SimulationResult res = sim::simulate(in, generator, 12345);
  s.maps.emplace_back(2000, initial);
  for (const auto& [year, map] : res.year_maps) s.maps.emplace_back(year, map);
  s.drivers = {{"dist_road_m", road}, {"slope_deg", slope}};
  s.class_count = 2;
  return s;
}

const Series& series() {
  static const Series s = synthetic_series();
  return s;
}

// Recovery of this generator's parameters (scattered cells from w = 0.7 AND new patches) needs the searched patches
// and the change-pattern term (pattern_weight 1): it is what identifies the generator's share of new patches. The
// DEFAULT objective (Figure of Merit only) forecasts better and drifts to edge growth.
const CalibrationResult& calibrated() {
  static const CalibrationResult r = [] {
    CalibrationOptions o;
    o.pattern_weight = 1.0;
    o.patches = "search";
    return calibrate(series(), o);
  }();
  return r;
}

// The FoM objective with the patches searched as well (the same box as calibrated()): the two objectives compared.
// With the DEFAULT patches = observed the held-out single-run FoM on this series is 0.059 (measured): its generator
// scatters cells (w = 0.7) that no fixed pattern places well; the expected map of an ensemble is the forecast to
// score (Skill tests, bench/RESULTS.md).
const CalibrationResult& calibrated_for_skill() {
  static const CalibrationResult r = [] {
    CalibrationOptions o;
    o.patches = "search";
    return calibrate(series(), o);
  }();
  return r;
}

using test_support::TempDir;

std::string read_text(const std::filesystem::path& p) { return test_support::read_bytes(p); }

void write_map(const std::filesystem::path& path, const grid::Grid<std::uint8_t>& g, bool with_crs = true,
               double origin_x = 440000.0) {
  io::RasterGeometry geo{origin_x, 4460000.0, 30.0, g.cols(), g.rows(), {}};
  if (with_crs) geo.crs = io::CrsRef::from_epsg(4548);
  const std::vector<io::RasterClass> classes{{0, "open", "#ffffff"}, {1, "urban", "#ff0000"}};
  io::write_class_cog(path, geo, std::span<const std::uint8_t>(g.data(), static_cast<std::size_t>(g.size())), classes);
}

// Tolerances of the recovery, stated in the parameters' own units. neighbourhood_weight and patch_share are
// identifiable from the growth pattern; patch_size_mean_cells is not (recovered 22..40 cells for a true 10 over five
// generator seeds) and inertia_adaptation not at all with one growing class. Measured over generator seeds 1, 2, 3,
// 4 and 12345 with the DEFAULT options: neighbourhood_weight 0.77..0.86 (a bias towards edge growth of about +0.1),
// patch_share 0.21..0.27 - all within these tolerances; with 2 runs per evaluation one seed of the five missed.
constexpr double kNeighbourhoodWeightTolerance = 0.2;
constexpr double kPatchShareTolerance = 0.15;

TEST(Calibrate, recovers_neighbourhood_weight_and_patch_share_of_a_synthetic_series) {
  const CalibrationResult& r = calibrated();
  EXPECT_NEAR(r.params.neighbourhood_weight, kTrueNeighbourhoodWeight, kNeighbourhoodWeightTolerance);
  EXPECT_NEAR(r.params.patch_share, kTruePatchShare, kPatchShareTolerance);
  EXPECT_GT(r.best_objective, 0.0);
}

// The generator is random (30% of a cell's weight ignores its neighbours, a fifth of the growth is new patches), so
// even its own parameters place only about a tenth of the change exactly: the model beats persistence on the Figure
// of Merit (persistence scores 0 by definition) and on Kappa simulation, not on total disagreement (which needs a
// FoM above about 1/3 when the quantity is right).
constexpr double kMinimumValidationFom = 0.05;

TEST(Calibrate, prediction_beats_persistence_out_of_sample_on_fom_and_kappa_simulation) {
  const CalibrationResult& r = calibrated();
  EXPECT_FALSE(r.validation_in_sample);
  EXPECT_GT(r.validation.model.fom.figure_of_merit, kMinimumValidationFom);
  EXPECT_EQ(r.validation.persistence.fom.figure_of_merit, 0.0);
  EXPECT_TRUE(r.validation.beats_persistence_on_kappa_simulation());
  // The quantity of change is given (observed growth), so the model's quantity disagreement is nil.
  EXPECT_NEAR(r.validation.model.disagreement.quantity, 0.0, 1e-9);
  EXPECT_GT(r.validation.persistence.disagreement.quantity, 0.0);
}

TEST(Calibrate, the_default_objective_forecasts_the_held_out_date_at_least_as_well_as_the_pattern_objective) {
  const CalibrationResult& skill = calibrated_for_skill();
  const CalibrationResult& pattern = calibrated();
  EXPECT_EQ(skill.objective, "mean Figure of Merit of 4 runs");
  EXPECT_EQ(pattern.objective, "mean of FoM - 1 x pattern mismatch over 4 runs");
  EXPECT_FALSE(skill.validation_in_sample);
  // Measured: 0.170 (FoM objective) vs 0.111 (pattern objective) on the held-out interval.
  EXPECT_GE(skill.validation.model.fom.figure_of_merit, pattern.validation.model.fom.figure_of_merit);
}

// The three searches on the twin series, FoM objective, same budget: measured best tuning objective and held-out
// FoM are stated in bench/RESULTS.md; each must find at least the base parameters' objective (its first evaluation)
// and stay within the budget.
TEST(Calibrate, nlopt_searches_improve_on_the_start_within_the_budget) {
  for (const std::string search : {"sbplx", "bobyqa"}) {
    CalibrationOptions o;
    o.search = search;
    o.patches = "search";
    const CalibrationResult r = calibrate(series(), o);
    ASSERT_FALSE(r.evaluations.empty());
    EXPECT_LE(r.evaluations.size(), 40U) << search;
    EXPECT_GE(r.best_objective, r.evaluations.front().objective) << search;
    double best = -1.0;
    for (const auto& e : r.evaluations) best = std::max(best, e.objective);
    EXPECT_EQ(r.best_objective, best) << search;
    std::cout << "[ search ] " << search << ": best tuning objective " << r.best_objective << ", held-out FoM "
              << r.validation.model.fom.figure_of_merit << ", " << r.evaluations.size() << " evaluations\n";
  }
  const CalibrationResult& compass = calibrated_for_skill();
  std::cout << "[ search ] compass: best tuning objective " << compass.best_objective << ", held-out FoM "
            << compass.validation.model.fom.figure_of_merit << ", " << compass.evaluations.size() << " evaluations\n";
}

// The patch twin: a generator of organic growth at the edges (w = 1) and new patches (40 % of the growth) whose
// sizes are drawn from a known list, 200 x 200 cells, 300 cells a year. The DEFAULT calibration (patches = observed)
// measures share and sizes on 2000-2005 and infers the yearly share and size scale from them; the held-out interval
// 2010-2015 is then simulated from the observed 2010 map with the generator's suitability (the growth pattern is
// under test, not the fitted potential) by the calibrated parameters and by the generator's, 8 runs each.
// Measured (generator seed 12345): inferred share 0.63 (the share is not identified: it compensates for the fitted
// potential, which differs from the generator's), size scale 0.68; fitting interval simulated share 0.584 vs observed
// 0.565; held out: KS of the calibrated model's new-patch sizes vs the generator's 0.127 (206 vs 195 patches), vs the
// observed map's 0.203 (21 patches); new-patch share 0.093 vs the generator's 0.105.
// Each KS distance must stay below the two-sample critical value at 5 % (1.36 sqrt((n + m) / (n m))): the samples
// are not distinguishable from one distribution.
const std::vector<int> kGeneratingPatchSizes{1, 1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 13, 16, 20, 25, 32};
double ks_critical_5pct(std::size_t n, std::size_t m) {
  return 1.36 * std::sqrt(static_cast<double>(n + m) / (static_cast<double>(n) * static_cast<double>(m)));
}

TEST(Calibrate, new_patches_follow_the_observed_patch_size_distribution_in_a_twin) {
  sim::Params generator;
  generator.neighbourhood_weight = 1.0;
  generator.patch_share = 0.4;
  generator.patch_sizes_cells = kGeneratingPatchSizes;
  grid::Grid<std::uint8_t> suitability;
  const Series twin = synthetic_series(4, generator, 200, 300, &suitability);
  const CalibrationResult r = calibrate(twin, CalibrationOptions{});
  EXPECT_EQ(r.params.neighbourhood_weight, 1.0);
  EXPECT_EQ(std::count(r.tuned.begin(), r.tuned.end(), "patch_share"), 0);
  EXPECT_NEAR(r.simulated_growth.new_patch_share(), r.observed_growth.new_patch_share(), 0.05);
  ASSERT_FALSE(r.observed_growth.new_patch_sizes.empty());
  const std::vector<std::int64_t> generating(kGeneratingPatchSizes.begin(), kGeneratingPatchSizes.end());
  const double ks_observed = metrics::ks_distance(r.observed_growth.new_patch_sizes, generating);

  // The held-out interval 2010-2015, simulated with the calibrated parameters (8 runs pooled) and observed.
  sim::SimulationInput in;
  in.initial_classes = twin.maps[2].second;
  in.class_count = 2;
  in.start_year = 2010;
  const std::int64_t start_urban = std::count(in.initial_classes.data(), in.initial_classes.data() + in.initial_classes.size(), 1);
  const std::int64_t end_urban = std::count(twin.maps[3].second.data(), twin.maps[3].second.data() + twin.maps[3].second.size(), 1);
  for (int y = 1; y <= 5; ++y) {
    in.demand.push_back(sim::YearDemand{2010 + y, {sim::no_target, start_urban + (end_urban - start_urban) * y / 5}});
  }
  in.suitability = {grid::Grid<std::uint8_t>(), suitability};  // the generator's: the pattern is under test
  // The same interval simulated by the calibrated parameters and by the generator's own (8 runs each, pooled).
  auto simulated_growth = [&](const sim::Params& params) {
    metrics::GrowthPatches g;
    for (std::uint64_t run = 0; run < 8; ++run) {
      const sim::SimulationResult sr = sim::simulate(in, params, 7, run);
      g.pool(metrics::growth_patches(metrics::view_of(twin.maps[2].second), metrics::view_of(sr.final_classes), 1));
    }
    return g;
  };
  const metrics::GrowthPatches simulated = simulated_growth(r.params);
  const metrics::GrowthPatches generated = simulated_growth(generator);
  const metrics::GrowthPatches truth =
      metrics::growth_patches(metrics::view_of(twin.maps[2].second), metrics::view_of(twin.maps[3].second), 1);
  const double ks_generated = metrics::ks_distance(simulated.new_patch_sizes, generated.new_patch_sizes);
  const double ks_drawn = metrics::ks_distance(simulated.new_patch_sizes, generating);
  const double ks_truth = metrics::ks_distance(simulated.new_patch_sizes, truth.new_patch_sizes);
  std::cout << "[ patches ] share " << generator.patch_share << " -> inferred " << r.params.patch_share
            << ", size scale " << r.patch_size_scale << "; fitting interval " << r.fitted.first << "-" << r.fitted.second
            << ": observed new-patch share " << r.observed_growth.new_patch_share() << " ("
            << r.observed_growth.new_patch_sizes.size() << " patches), simulated " << r.simulated_growth.new_patch_share()
            << "; KS observed sizes vs drawn " << ks_observed << "\n[ patches ] held-out 2010-2015, KS of the calibrated "
            << "model's new-patch sizes (" << simulated.new_patch_sizes.size() << " patches) vs the generator's ("
            << generated.new_patch_sizes.size() << ") " << ks_generated << ", vs the drawn list " << ks_drawn
            << ", vs the observed map (" << truth.new_patch_sizes.size() << ") " << ks_truth << "; new-patch share "
            << simulated.new_patch_share() << " vs generator " << generated.new_patch_share() << " vs observed "
            << truth.new_patch_share() << "\n";
  EXPECT_LT(ks_observed, ks_critical_5pct(r.observed_growth.new_patch_sizes.size(), generating.size()));
  EXPECT_LT(ks_generated, ks_critical_5pct(simulated.new_patch_sizes.size(), generated.new_patch_sizes.size()));
  EXPECT_LT(ks_truth, ks_critical_5pct(simulated.new_patch_sizes.size(), truth.new_patch_sizes.size()));
  EXPECT_NEAR(simulated.new_patch_share(), generated.new_patch_share(), 0.05);
}

TEST(Calibrate, search_needs_far_fewer_evaluations_than_the_grid) {
  const CalibrationResult& r = calibrated();
  EXPECT_LE(r.evaluations.size(), 40U);
  EXPECT_GE(r.evaluations.size(), 5U);
  EXPECT_GT(r.grid_evaluations, 10.0 * static_cast<double>(r.evaluations.size()));
}

TEST(Calibrate, fits_suitability_with_the_drivers_signs_of_the_generator) {
  const CalibrationResult& r = calibrated();
  ASSERT_EQ(r.fits.size(), 1U);
  const ClassFit& f = r.fits[0];
  EXPECT_EQ(f.class_id, 1);
  EXPECT_GT(f.training_auc, 0.7);
  // Raw coefficients: intercept, dist_road_m, slope_deg, dist_class_1_m. The generator's are negative for both
  // drivers.
  ASSERT_EQ(f.raw_coefficients.size(), 4U);
  EXPECT_EQ(f.raw_coefficients[1].first, "dist_road_m");
  EXPECT_LT(f.raw_coefficients[1].second, 0.0);
  EXPECT_EQ(f.raw_coefficients[2].first, "slope_deg");
  EXPECT_LT(f.raw_coefficients[2].second, 0.0);
  EXPECT_EQ(f.raw_coefficients[3].first, "dist_class_1_m");
}

TEST(Calibrate, names_a_class_with_no_observed_gains_and_its_fallback) {
  const CalibrationResult& r = calibrated();
  const auto it = std::find_if(r.problems.begin(), r.problems.end(),
                               [](const Problem& p) { return p.code == "calibrate.no_transitions"; });
  ASSERT_NE(it, r.problems.end());
  EXPECT_NE(it->message.find("class code 0 does not grow over 2000-2005 (0 cells became it"), std::string::npos)
      << it->message;
  EXPECT_NE(it->message.find("Fallback: "), std::string::npos) << it->message;
}

TEST(Calibrate, reports_each_tuned_parameters_range_within_the_objectives_noise) {
  const CalibrationResult& r = calibrated();
  EXPECT_GT(r.best_standard_error, 0.0);  // 4 runs per evaluation
  ASSERT_EQ(r.uncertainty.size(), r.tuned.size());
  const auto box = search_box();
  for (std::size_t i = 0; i < r.uncertainty.size(); ++i) {
    const ParameterRange& u = r.uncertainty[i];
    EXPECT_EQ(u.name, r.tuned[i]);
    EXPECT_EQ(u.best, search_value(r.params, u.name));
    EXPECT_LE(u.low, u.best) << u.name;
    EXPECT_GE(u.high, u.best) << u.name;
    const auto dim = std::find_if(box.begin(), box.end(), [&](const SearchDimension& d) { return d.name == u.name; });
    ASSERT_NE(dim, box.end());
    EXPECT_GE(u.low, dim->min) << u.name;
    EXPECT_LE(u.high, dim->max) << u.name;
  }
  const std::string csv = metrics_csv(r);
  EXPECT_NE(csv.find("\nneighbourhood_weight_low,calibration,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\nbest_objective_standard_error,calibration,"), std::string::npos);
}

TEST(Calibrate, leaves_inertia_untuned_with_one_growing_class) {
  const CalibrationResult& r = calibrated();
  EXPECT_EQ(std::count(r.tuned.begin(), r.tuned.end(), "inertia_adaptation"), 0);
  EXPECT_EQ(r.params.inertia_adaptation, sim::Params{}.inertia_adaptation);
  EXPECT_EQ(std::count(r.tuned.begin(), r.tuned.end(), "neighbourhood_weight"), 1);
}

TEST(Calibrate, same_seed_gives_identical_fragment_bytes) {
  CalibrationOptions o;
  o.budget = 8;
  const std::string a = scenario_fragment_toml(calibrate(series(), o));
  const std::string b = scenario_fragment_toml(calibrate(series(), o));
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find("[sim]\nneighbourhood_weight = "), std::string::npos);
  EXPECT_NE(a.find("[suitability.coefficients.class_1]\nintercept = "), std::string::npos);
}

TEST(Calibrate, class_keys_name_the_fragment_tables_and_distance_drivers) {
  CalibrationOptions o;
  o.budget = 4;
  const Series sr = series();
  for (int k = 0; k < sr.class_count; ++k) o.class_keys.push_back(k == 1 ? "r_d" : "class" + std::to_string(k) + "x");
  const CalibrationResult r = calibrate(sr, o);
  const std::string toml = scenario_fragment_toml(r);
  EXPECT_NE(toml.find("[suitability.coefficients.r_d]\nintercept = "), std::string::npos) << toml;
  EXPECT_NE(toml.find("\ndist_class_r_d_m = "), std::string::npos) << toml;
  EXPECT_EQ(toml.find("class_1"), std::string::npos) << toml;
  // The same search: only names differ.
  CalibrationOptions plain = o;
  plain.class_keys.clear();
  EXPECT_EQ(calibrate(sr, plain).best_objective, r.best_objective);

  auto error_of = [&](std::vector<std::string> keys) {
    CalibrationOptions bad = o;
    bad.class_keys = std::move(keys);
    try {
      (void)calibrate(sr, bad);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::config);
      EXPECT_EQ(e.context().key, "calibrate.class_keys");
      return std::string(e.what());
    }
    ADD_FAILURE() << "no error";
    return std::string();
  };
  EXPECT_NE(error_of({"a"}).find("class keys for"), std::string::npos);
  std::vector<std::string> twice(static_cast<std::size_t>(sr.class_count), "same");
  EXPECT_NE(error_of(twice).find("is given for codes 0 and 1"), std::string::npos);
  std::vector<std::string> spaced(static_cast<std::size_t>(sr.class_count), "");
  for (int k = 0; k < sr.class_count; ++k) spaced[static_cast<std::size_t>(k)] = "k" + std::to_string(k);
  spaced[0] = "r d";
  EXPECT_NE(error_of(spaced).find("must be ASCII letters"), std::string::npos);
}

TEST(Calibrate, three_dates_are_validated_in_sample_with_a_problem) {
  CalibrationOptions o;
  o.budget = 4;
  const CalibrationResult r = calibrate(synthetic_series(3), o);
  EXPECT_TRUE(r.validation_in_sample);
  EXPECT_TRUE(std::any_of(r.problems.begin(), r.problems.end(),
                          [](const Problem& p) { return p.code == "calibrate.in_sample"; }));
  EXPECT_EQ(r.evaluations.size(), 4U);
}

TEST(Calibrate, refuses_a_series_of_one_map) {
  Series s = series();
  s.maps.resize(1);
  try {
    calibrate(s);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::data);
  }
}

TEST(Calibrate, writes_fragment_and_metrics_and_refuses_to_overwrite) {
  CalibrationOptions o;
  o.budget = 3;
  const CalibrationResult r = calibrate(series(), o);
  TempDir dir;
  write_scenario_fragment(r, dir.path() / "out", false);
  const std::string toml = read_text(dir.path() / "out" / "calibration.toml");
  const std::string csv = read_text(dir.path() / "out" / "calibration_metrics.csv");
  EXPECT_EQ(toml, scenario_fragment_toml(r));
  EXPECT_EQ(csv.rfind("id,scope,class_code,label,unit,value\n", 0), 0U);
  EXPECT_NE(csv.find("figure_of_merit,model,"), std::string::npos);
  EXPECT_NE(csv.find("figure_of_merit,persistence,"), std::string::npos);
  try {
    write_scenario_fragment(r, dir.path() / "out", false);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output_exists);
  }
  EXPECT_NO_THROW(write_scenario_fragment(r, dir.path() / "out", true));
}

// Two classes growing side by side (1 near the road, 2 on the flat land away from it) with an excluded band:
// inertia becomes identifiable and is searched, each class gets its own fit, excluded cells never change.
Series two_class_series() {
  Series s = synthetic_series();
  grid::Grid<std::uint8_t> initial = s.maps[0].second;
  grid::Grid<std::uint8_t> suit1(spec(), 0), suit2(spec(), 0), excluded(spec(), 0);
  for (int r = 0; r < kSide; ++r) {
    for (int c = 0; c < kSide; ++c) {
      const double eta = -3.0 + 0.004 * std::abs(c - 40) * 30.0 - 0.3 * s.drivers[1].second(r, c);
      suit2(r, c) = static_cast<std::uint8_t>(std::lround(255.0 / (1.0 + std::exp(-eta))));
      const double eta1 = 3.0 - 0.005 * std::abs(c - 40) * 30.0 - 0.6 * s.drivers[1].second(r, c);
      suit1(r, c) = static_cast<std::uint8_t>(std::lround(255.0 / (1.0 + std::exp(-eta1))));
      if (r >= 100 && r < 104) excluded(r, c) = 1;
      if (r >= 70 && r < 76 && c >= 95 && c < 101) initial(r, c) = 2;
    }
  }
  sim::SimulationInput in;
  in.initial_classes = initial;
  in.class_count = 3;
  in.suitability = {grid::Grid<std::uint8_t>(), suit1, suit2};
  in.constraint = excluded;
  in.start_year = 2000;
  for (int y = 1; y <= 15; ++y) {
    in.demand.push_back(sim::YearDemand{2000 + y, {sim::no_target, 4 * 81 + 100 * y, 36 + 60 * y}});
  }
  in.output_years = {2005, 2010, 2015};
  const sim::SimulationResult res = sim::simulate(in, true_params(), 777);
  Series out;
  out.maps.emplace_back(2000, initial);
  for (const auto& [year, map] : res.year_maps) out.maps.emplace_back(year, map);
  out.drivers = s.drivers;
  out.exclusion = excluded;
  out.class_count = 3;
  return out;
}

TEST(Calibrate, tunes_inertia_and_fits_each_class_when_two_classes_grow) {
  const Series s = two_class_series();
  CalibrationOptions o;
  o.budget = 12;
  const CalibrationResult r = calibrate(s, o);
  ASSERT_EQ(r.fits.size(), 2U);
  EXPECT_EQ(r.fits[0].class_id, 1);
  EXPECT_EQ(r.fits[1].class_id, 2);
  EXPECT_EQ(std::count(r.tuned.begin(), r.tuned.end(), "inertia_adaptation"), 1);
  // Class 2 grows almost anywhere away from the road, so few cells can be placed exactly (measured FoM 0.039);
  // persistence scores 0.
  EXPECT_GT(r.validation.model.fom.figure_of_merit, 0.02);
  EXPECT_EQ(r.validation.persistence.fom.figure_of_merit, 0.0);
  EXPECT_TRUE(r.validation.beats_persistence_on_kappa_simulation());
  const grid::Grid<std::uint8_t>& before = s.maps[2].second;
  for (std::int64_t i = 0; i < before.size(); ++i) {
    if (s.exclusion[i] != 0) {
      ASSERT_EQ(r.predicted[i], before[i]) << "excluded cell " << i << " changed";
    }
  }
  EXPECT_NE(scenario_fragment_toml(r).find("[suitability.coefficients.class_2]"), std::string::npos);
}

TEST(CalibrateSeries, reads_years_from_file_names) {
  EXPECT_EQ(year_from_file_name("data/landuse_2005.tif"), 2005);
  EXPECT_EQ(year_from_file_name("lu2010_v12.tif"), 2010);
  EXPECT_EQ(year_from_file_name("landuse.tif"), std::nullopt);
}

TEST(CalibrateSeries, loads_rasters_and_names_the_file_of_a_mismatched_one) {
  TempDir dir;
  const Series& s = series();
  std::vector<MapFile> files;
  for (const auto& [year, map] : s.maps) {
    files.push_back({year, dir.path() / ("landuse_" + std::to_string(year) + ".tif")});
    write_map(files.back().path, map);
  }
  const Series loaded = load_series(std::span<const MapFile>(files.data(), 3), {}, std::nullopt, "");
  ASSERT_EQ(loaded.maps.size(), 3U);
  EXPECT_EQ(loaded.class_count, 2);
  EXPECT_EQ(loaded.maps[1].first, 2005);
  EXPECT_TRUE((loaded.maps[1].second.values() == s.maps[1].second.values()).all());
  EXPECT_EQ(loaded.maps[0].second.spec().crs, "EPSG:4548");

  const std::filesystem::path shifted = dir.path() / "shifted_2015.tif";
  write_map(shifted, s.maps[3].second, true, 440030.0);
  files[3].path = shifted;
  try {
    load_series(files, {}, std::nullopt, "");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::data);
    EXPECT_EQ(e.context().path, shifted.string());
  }
}

TEST(CalibrateSeries, refuses_a_raster_without_crs_unless_one_is_assumed) {
  TempDir dir;
  const Series& s = series();
  std::vector<MapFile> files;
  for (std::size_t m = 0; m < 3; ++m) {
    files.push_back({s.maps[m].first, dir.path() / ("lu_" + std::to_string(m) + ".tif")});
    write_map(files.back().path, s.maps[m].second, false);
  }
  try {
    load_series(files, {}, std::nullopt, "");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::crs);
    EXPECT_EQ(e.context().path, files[0].path.string());
  }
  const Series loaded = load_series(files, {}, std::nullopt, "EPSG:4548");
  EXPECT_EQ(loaded.maps[0].second.spec().crs, "EPSG:4548");
}

// The synthetic series as files (maps of 2000, 2005, 2010, 2015 and the road driver) and a study scenario over them.
std::filesystem::path skill_scenario(const std::filesystem::path& dir) {
  const Series& s = series();
  std::string toml = "name = \"synthetic\"\nseed = 3\n[study.maps]\n";
  for (const auto& [year, map] : s.maps) {
    const auto path = dir / ("lu_" + std::to_string(year) + ".tif");
    write_map(path, map);
    toml += std::to_string(year) + " = \"" + path.string() + "\"\n";
  }
  io::RasterGeometry geo{440000.0, 4460000.0, 30.0, kSide, kSide, io::CrsRef::from_epsg(4548)};
  const grid::Grid<float>& road = s.drivers[0].second;
  io::write_real_cog(dir / "road.tif", geo, std::span<const float>(road.data(), static_cast<std::size_t>(road.size())));
  toml += "[classes.codes.0]\nkey = \"open\"\n[classes.codes.1]\nkey = \"urban\"\nbuilt = true\n";
  toml += "[drivers.dist_road_m]\nkind = \"value\"\nsource = \"" + (dir / "road.tif").string() + "\"\n";
  toml += "[drivers.dist_urban_m]\nkind = \"distance\"\nclasses = [\"urban\"]\n";
  const auto path = dir / "study.toml";
  std::ofstream(path) << toml;
  return path;
}

SkillOptions quick_skill(int holdout) {
  SkillOptions o;
  o.holdout_year = holdout;
  o.runs = 2;
  o.calibration.budget = 3;
  o.calibration.runs_per_evaluation = 1;
  // Logistic: a spline fit chosen by "auto" names hinge terms ("dist_urban_m>305.9") that calibrated.toml cannot
  // hold as keys yet.
  o.calibration.learner = "logistic";
  o.proximity_draws = 2;
  return o;
}

std::string error_message(const scenario::Scenario& sc, int holdout, const std::filesystem::path& out) {
  try {
    measure_skill(sc, quick_skill(holdout), out, false);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    return e.what();
  }
  ADD_FAILURE() << "no error for holdout " << holdout;
  return {};
}

TEST(Skill, refuses_a_holdout_that_is_not_a_map_and_one_with_fewer_than_two_maps_before_it) {
  TempDir dir;
  const scenario::Scenario sc = scenario::Scenario::load(skill_scenario(dir.path()));
  const std::string not_a_map = error_message(sc, 2012, dir.path() / "out");
  EXPECT_NE(not_a_map.find("2012 is not one of the maps"), std::string::npos) << not_a_map;
  EXPECT_NE(not_a_map.find("2000, 2005, 2010, 2015"), std::string::npos) << not_a_map;
  const std::string too_early = error_message(sc, 2005, dir.path() / "out");
  EXPECT_NE(too_early.find("at least two maps are needed"), std::string::npos) << too_early;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out"));
}

TEST(Skill, leaves_no_partial_output_when_the_result_is_not_written) {
  TempDir dir;
  const scenario::Scenario sc = scenario::Scenario::load(skill_scenario(dir.path()));
  const auto out = dir.path() / "out";
  std::filesystem::path staging;
  {
    const SkillResult r = measure_skill(sc, quick_skill(2015), out, false);
    ASSERT_TRUE(r.staging);
    staging = *r.staging;
    EXPECT_TRUE(std::filesystem::exists(staging / "calibrated.toml"));
  }  // e.g. an error after the measurement: the result goes, and its staging folder with it
  EXPECT_FALSE(std::filesystem::exists(staging));
  EXPECT_FALSE(std::filesystem::exists(out / "calibrated.toml"));
}

TEST(Skill, scores_the_expected_map_of_the_held_out_year_next_to_the_null_models) {
  TempDir dir;
  const scenario::Scenario sc = scenario::Scenario::load(skill_scenario(dir.path()));
  const auto out = dir.path() / "out";
  const SkillResult r = measure_skill(sc, quick_skill(2015), out, false);
  // Nothing is in the output folder before write_skill: the calibration waits beside it.
  EXPECT_FALSE(std::filesystem::exists(out / "calibrated.toml"));
  ASSERT_TRUE(r.staging);
  EXPECT_TRUE(std::filesystem::exists(*r.staging / "calibrated.toml"));
  EXPECT_EQ(r.staging->parent_path(), std::filesystem::absolute(out).lexically_normal().parent_path());
  write_skill(r, out, false);
  EXPECT_TRUE(std::filesystem::exists(out / "calibrated.toml"));
  EXPECT_TRUE(std::filesystem::is_empty(*r.staging));
  EXPECT_EQ(r.fitted_years, (std::vector<int>{2000, 2005, 2010}));
  EXPECT_EQ(r.reference_year, 2010);
  EXPECT_EQ(r.runs, 2);
  // The expected map holds exactly the own quantity; the diagnosis exactly the observed one (urban, code 1).
  const Series& s = series();
  const auto count = [](const grid::Grid<std::uint8_t>& g, std::uint8_t v) {
    return std::count(g.data(), g.data() + g.size(), v);
  };
  EXPECT_EQ(count(r.expected, 1), r.own_quantity_cells[1]);
  EXPECT_EQ(count(r.expected_observed, 1), count(s.maps[3].second, 1));
  // Built land never reverts in the expected map.
  for (std::int64_t k = 0; k < r.expected.size(); ++k) {
    if (s.maps[2].second[k] == 1) {
      ASSERT_EQ(r.expected[k], 1) << "cell " << k;
    }
  }
  const metrics::ForecastComparison& own = r.validation.forecast;
  EXPECT_EQ(own.persistence.scores.fom.figure_of_merit, 0.0);
  EXPECT_EQ(own.model.resolutions.size(), 5U);
  EXPECT_EQ(own.proximity_null.figure_of_merit_draws.size(), 2U);
  ASSERT_TRUE(r.validation.diagnosis);
  ASSERT_EQ(r.validation.diagnosis->proximity_null.demand.size(), 1U);
  EXPECT_EQ(r.validation.diagnosis->proximity_null.demand[0].cells,
            count(s.maps[3].second, 1) - count(s.maps[2].second, 1));
  // 750 new cells among about 13,000 open ones: a random placement scores about 0.03; measured 0.091 here, with
  // the proximity null at 0.100 +- 0.006 (2 draws).
  EXPECT_GT(own.model.scores.fom.figure_of_merit, 0.05);
  EXPECT_GT(own.proximity_null.figure_of_merit_mean, 0.05);

  const std::string csv = read_text(out / "skill.csv");
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBFquantity,model,measure,from_class,to_class,factor,unit,value,label\n", 0), 0U);
  for (const char* row : {"own,parksim,figure_of_merit,", "own,persistence,figure_of_merit,",
                          "own,proximity,figure_of_merit,", "observed,parksim,figure_of_merit,",
                          "observed,proximity,figure_of_merit,", "own,parksim,transition_figure_of_merit,0,1,,",
                          "own,parksim,resolution_figure_of_merit,,,16,", "own,parksim,kappa_simulation,",
                          "own,parksim,quantity_disagreement,", "own,parksim,allocation_disagreement,"}) {
    EXPECT_NE(csv.find(row), std::string::npos) << row;
  }
  EXPECT_TRUE(std::filesystem::exists(out / "expected_map.tif"));
  EXPECT_TRUE(std::filesystem::exists(out / "calibrated.toml"));
  const std::string table = skill_table(r);
  EXPECT_NE(table.find("At the observed quantity (DIAGNOSIS"), std::string::npos) << table;
  try {
    measure_skill(sc, quick_skill(2015), out, false);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output_exists);
  }
}

}  // namespace
}  // namespace parksim::calibrate
