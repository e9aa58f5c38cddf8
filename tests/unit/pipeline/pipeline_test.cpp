#include "pipeline/pipeline.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "io/raster.hpp"
#include "model/demand.hpp"
#include "study/plan_grids.hpp"
#include "pipeline_fixture.hpp"
#include "scenario/schema.hpp"
#include "sim/params.hpp"

namespace parksim::pipeline {
namespace {

namespace fs = std::filesystem;
using testing::PipelineDir;
using testing::synthetic_scenario;

const grid::Grid<std::uint8_t>& map_at(const report::RunResult& r, int year) {
  for (const auto& [y, m] : r.class_maps) {
    if (y == year) return m;
  }
  throw std::runtime_error("no map of " + std::to_string(year));
}

bool is_built(const report::RunResult& r, std::uint8_t k) { return k != 255 && r.classes.at(k).built; }

std::int64_t built_cells(const report::RunResult& r, const grid::Grid<std::uint8_t>& m) {
  std::int64_t n = 0;
  for (std::int64_t i = 0; i < m.size(); ++i) n += is_built(r, m[i]) ? 1 : 0;
  return n;
}

const std::string kAllYears = "[outputs]\nkey_years = [2025, 2026, 2027, 2028, 2029, 2030]\n";

class Pipeline : public PipelineDir {
 protected:
  report::RunResult run(const std::string& extra = {}, RunOptions options = {}) {
    // The extra keys go into a scenario that extends the synthetic one, as a what-if file would.
    fs::path file = write("base.toml", synthetic_scenario(m_gpkg));
    if (!extra.empty()) file = write("what_if.toml", "extends = \"base.toml\"\n" + extra);
    return run_scenario(scenario::Scenario::load(file), options);
  }
  // The Error a run with `extra` throws (a test failure when it throws none).
  Error error_of(const std::string& extra) {
    try {
      run(extra);
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "no error for " << extra;
    return Error(ErrorCode::internal, "none");
  }
};

TEST_F(Pipeline, meets_the_enterprise_demand_when_the_zones_have_land) {
  const auto r = run(kAllYears);
  for (const auto& p : r.problems) EXPECT_NE(p.code, "demand.unmet") << p.to_string();
  // Demand of the run: enterprises 100 * 1.2^5 - 100, land per enterprise 2000 / 1.5 / 0.6 m2.
  const double expected_m2 = (100.0 * std::pow(1.2, 5) - 100.0) * (2000.0 / 1.5 / 0.6);
  const double grown_m2 = static_cast<double>(built_cells(r, map_at(r, 2030)) - built_cells(r, map_at(r, 2025))) *
                          r.grid.cell_area_m2();
  const double one_cell_per_bucket_m2 = 2 * r.grid.cell_area_m2();
  EXPECT_NEAR(grown_m2, expected_m2, one_cell_per_bucket_m2);
  const auto* developed = report::find_indicator(r, "developed_km2", 2030);
  ASSERT_NE(developed, nullptr);
  EXPECT_NEAR(developed->value * 1e6, static_cast<double>(built_cells(r, map_at(r, 2030))) * r.grid.cell_area_m2(), 1e-6);
  // Growth goes to the classes the zones asked for, in their zones.
  double ft_rd = 0, md_industry = 0;
  for (const auto& a : r.areas) {
    if (a.year == 2030 && a.zone == "frontier_tech" && r.classes[a.sim_class].key == "r_d") ft_rd = a.area_m2;
    if (a.year == 2030 && a.zone == "medical_device" && r.classes[a.sim_class].key == "industry") md_industry = a.area_m2;
  }
  EXPECT_NEAR(ft_rd, expected_m2 / 2, r.grid.cell_area_m2());
  EXPECT_NEAR(md_industry, expected_m2 / 2, r.grid.cell_area_m2());
}

TEST_F(Pipeline, never_develops_constraints_or_a_phase_before_it_opens) {
  const auto r = run(kAllYears + "[phases.open_year]\n\"3\" = 2028\n");
  const auto& start = map_at(r, 2025);
  // Phase 3 lies north of y0 + 1000; the constraint row north of y0 + 1800.
  const auto& spec = r.grid;
  for (int year : {2026, 2027, 2028, 2029, 2030}) {
    const auto& m = map_at(r, year);
    for (int row = 0; row < spec.rows; ++row) {
      const double y = spec.row_centre_y(row);
      for (int col = 0; col < spec.cols; ++col) {
        const auto i = spec.flat_index(row, col);
        const bool in_phase3 = y > testing::kY0 + 1000 && y < testing::kY0 + 2000 &&
                               spec.col_centre_x(col) > testing::kX0 && spec.col_centre_x(col) < testing::kX0 + 1000;
        if (y > testing::kY0 + 1800 && in_phase3) {
          EXPECT_EQ(m[i], start[i]) << "constraint cell changed in " << year;
        }
        if (in_phase3 && year < 2028) {
          EXPECT_EQ(m[i], start[i]) << "unopened phase 3 changed in " << year;
        }
      }
    }
  }
  EXPECT_GT(built_cells(r, map_at(r, 2030)), built_cells(r, start));
  // The demand of 2026 and 2027 had nowhere to go: reported, not thrown.
  int unmet = 0;
  for (const auto& p : r.problems) unmet += p.code == "demand.unmet" ? 1 : 0;
  EXPECT_GE(unmet, 2);
  EXPECT_GT(report::find_indicator(r, "unmet_demand_km2", 2026)->value, 0.0);
}

TEST_F(Pipeline, parcels_developed_years_agree_with_the_class_maps) {
  const auto r = run(kAllYears);
  ASSERT_EQ(r.parcels.size(), r.plan.parcels.size());
  // Parcel cells by the same centre rule as the pipeline.
  int developed_later = 0;
  for (std::size_t i = 0; i < r.plan.parcels.size(); ++i) {
    const auto spans = grid::polygon_spans(r.grid, study::to_grid_polygons(r.plan.parcels[i].geometry));
    auto share = [&](int year) {
      const auto& m = map_at(r, year);
      std::int64_t n = 0, built = 0;
      for (const auto& s : spans) {
        for (int c = s.col_begin; c < s.col_end; ++c) {
          ++n;
          built += is_built(r, m(s.row, c)) ? 1 : 0;
        }
      }
      return static_cast<double>(built) / static_cast<double>(n);
    };
    const int y = r.parcels[i].developed_year;
    if (y == -1) {
      EXPECT_LE(share(2030), 0.5) << r.plan.parcels[i].id;
      continue;
    }
    EXPECT_GT(share(y), 0.5) << r.plan.parcels[i].id;
    if (y > 2025) {
      ++developed_later;
      EXPECT_LE(share(y - 1), 0.5) << r.plan.parcels[i].id;
    }
    EXPECT_NEAR(r.parcels[i].developed_share_end, share(2030), 1e-12);
  }
  EXPECT_GT(developed_later, 0);
  EXPECT_EQ(r.parcels[0].developed_year, 2025);  // a built core parcel
}

TEST_F(Pipeline, allocation_meets_the_health_target_and_links_to_simulated_years) {
  const auto r = run();
  ASSERT_TRUE(r.allocation.has_value());
  EXPECT_EQ(r.allocation->status, "optimal");
  const auto* health = report::find_indicator(r, "health_industry_land_mu");
  ASSERT_NE(health, nullptr);
  EXPECT_GE(health->value, 1000.0 - 1e-6);
  EXPECT_EQ(report::find_indicator(r, "health_industry_target_met")->value, 1.0);
  EXPECT_FALSE(std::isnan(report::find_indicator(r, "alloc_gap_pct")->value));
  ASSERT_FALSE(r.allocation->constraints.empty());
  EXPECT_EQ(r.allocation->constraints[0].name, "health_industry_1000mu");
  int allocated = 0;
  for (std::size_t i = 0; i < r.parcels.size(); ++i) {
    const auto& p = r.parcels[i];
    if (p.alloc_zone.empty()) continue;
    ++allocated;
    EXPECT_EQ(p.alloc_year, p.developed_year);
    EXPECT_NE(r.plan.parcels[i].phase, "1-2");   // the built core is not reallocated
    EXPECT_NE(r.plan.parcels[i].landuse, "1401");  // nor the protected green
  }
  EXPECT_GT(allocated, 0);
}

TEST_F(Pipeline, reports_every_fixed_indicator_with_labels_and_the_plan_areas) {
  const auto r = run();
  for (const char* id : {"plan_total_km2", "phase12_km2", "phase3_km2", "health_industry_land_mu", "fillup_year_phase3",
                         "alloc_gap_pct"}) {
    const auto* ind = report::find_indicator(r, id);
    ASSERT_NE(ind, nullptr) << id;
    EXPECT_FALSE(ind->label_zh.empty());
    EXPECT_FALSE(ind->label_en.empty());
    EXPECT_EQ(ind->scenario, "synthetic");
  }
  EXPECT_NEAR(report::find_indicator(r, "plan_total_km2")->value, 2.0, 1e-6);
  EXPECT_NEAR(report::find_indicator(r, "phase3_km2")->value, 1.0, 1e-6);
  for (int y = 2025; y <= 2030; ++y) {
    EXPECT_NE(report::find_indicator(r, "developed_km2", y), nullptr) << y;
    EXPECT_NE(report::find_indicator(r, "zone_area_km2.frontier_tech", y), nullptr) << y;
    EXPECT_NE(report::find_indicator(r, "ftz_developed_share", y), nullptr) << y;
  }
  EXPECT_EQ(r.key_years, (std::vector<int>{2025, 2027, 2030}));
  EXPECT_EQ(r.class_maps.front().first, 2025);
  EXPECT_EQ(r.classes.size(), 5u);
  EXPECT_TRUE(r.classes[2].built);
  EXPECT_FALSE(r.classes[0].built);
  EXPECT_FALSE(r.classes[1].built);
  std::set<std::string> libs;
  for (const auto& [name, version] : r.library_versions) {
    libs.insert(name);
    EXPECT_FALSE(version.empty()) << name;
  }
  for (const char* lib : {"GDAL", "CBC", "oneTBB", "Eigen"}) EXPECT_TRUE(libs.count(lib)) << lib;
  EXPECT_NE(r.effective_scenario_toml.find("min_health_industry_mu = 1000"), std::string::npos);
  EXPECT_EQ(fs::path(r.input_files.back()).filename(), "park.gpkg");
}

TEST_F(Pipeline, same_seed_gives_identical_maps_at_any_thread_count) {
  RunOptions one;
  one.threads = 1;
  RunOptions two;
  two.threads = 2;
  const auto a = run({}, one);
  const auto b = run({}, two);
  ASSERT_EQ(a.class_maps.size(), b.class_maps.size());
  for (std::size_t i = 0; i < a.class_maps.size(); ++i) {
    EXPECT_TRUE((a.class_maps[i].second.values() == b.class_maps[i].second.values()).all()) << a.class_maps[i].first;
  }
  ASSERT_EQ(a.parcels.size(), b.parcels.size());
  for (std::size_t i = 0; i < a.parcels.size(); ++i) {
    EXPECT_EQ(a.parcels[i].developed_year, b.parcels[i].developed_year);
    EXPECT_EQ(a.parcels[i].alloc_landuse, b.parcels[i].alloc_landuse);
  }
  RunOptions other;
  other.seed = 8;
  const auto c = run({}, other);
  EXPECT_FALSE((a.class_maps.back().second.values() == c.class_maps.back().second.values()).all())
      << "another seed should place growth differently";
}

TEST_F(Pipeline, an_answer_over_an_ensemble_is_identical_at_any_thread_count) {
  const std::string answer = kAllYears + "[answer]\nindicator = \"developed_km2\"\nyear = 2028\n";
  RunOptions one{.runs = 3, .threads = 1};
  RunOptions two{.runs = 3, .threads = 2};
  const auto a = run(answer, one);
  const auto b = run(answer, two);
  ASSERT_TRUE(a.answer && b.answer);
  EXPECT_EQ(a.answer->runs, 3);
  EXPECT_EQ(a.answer->mean, b.answer->mean);  // exact: per-run integer counts, summed in run order
  EXPECT_EQ(a.answer->sd, b.answer->sd);
  ASSERT_EQ(a.indicators.size(), b.indicators.size());
  for (std::size_t i = 0; i < a.indicators.size(); ++i) {
    EXPECT_EQ(a.indicators[i].id, b.indicators[i].id);
    if (!std::isnan(a.indicators[i].value)) {
      EXPECT_EQ(a.indicators[i].value, b.indicators[i].value) << a.indicators[i].id;
    }
  }
}

TEST_F(Pipeline, ensembles_give_probabilities_and_fill_up_years_per_run) {
  RunOptions options;
  options.runs = 3;
  options.threads = 2;
  const auto r = run({}, options);
  ASSERT_TRUE(r.ensemble.has_value());
  EXPECT_EQ(r.ensemble->runs, 3);
  ASSERT_EQ(r.ensemble->probability.size(), r.classes.size());
  for (const auto& g : r.ensemble->probability) {
    for (std::int64_t i = 0; i < g.size(); ++i) {
      if (std::isnan(g[i])) continue;
      EXPECT_GE(g[i], 0.0f);
      EXPECT_LE(g[i], 1.0f);
    }
  }
  std::int64_t studied = 0;
  for (std::int64_t i = 0; i < r.ensemble->probability[0].size(); ++i) {
    if (std::isnan(r.ensemble->probability[0][i])) continue;  // no data: outside the study area
    ++studied;
    double sum = 0;
    for (const auto& g : r.ensemble->probability) sum += g[i];
    EXPECT_NEAR(sum, 1.0, 1e-5);
  }
  EXPECT_GT(studied, 0);
  ASSERT_EQ(r.ensemble->fillup_years.size(), 2u);
  EXPECT_EQ(r.ensemble->fillup_years[1].second.size(), 3u);
  for (const auto& p : r.parcels) {
    EXPECT_GE(p.development_probability, 0.0);
    EXPECT_LE(p.development_probability, 1.0);
  }
}

TEST_F(Pipeline, ensemble_pieces_merge_into_the_ensemble_of_the_run) {
  const fs::path file = write("base.toml", synthetic_scenario(m_gpkg));
  const auto scenario = scenario::Scenario::load(file);
  RunOptions options;
  options.runs = 4;
  options.seed = 21;
  const auto whole = run_scenario(scenario, options);
  ASSERT_TRUE(whole.ensemble.has_value());

  // Runs 0..3 as pieces 0..0 and 1..3, on other thread counts.
  options.runs = 1;
  options.threads = 1;
  EnsembleRun head = run_ensemble(scenario, 0, options);
  options.runs = 3;
  options.threads = 2;
  const EnsembleRun tail = run_ensemble(scenario, 1, options);
  EXPECT_EQ(tail.ensemble.first_run, 1u);
  sim::merge(head.ensemble, tail.ensemble);
  ASSERT_EQ(head.ensemble.runs, 4u);
  ASSERT_EQ(head.classes.size(), whole.classes.size());
  ASSERT_EQ(head.study.size(), whole.grid.cell_count());
  for (int k = 0; k < head.ensemble.class_count; ++k) {
    const grid::Grid<float> p = head.ensemble.probability_grid(k);
    const auto& expected = whole.ensemble->probability[static_cast<std::size_t>(k)];
    for (std::int64_t i = 0; i < p.size(); ++i) {
      if (head.study[i] == 0) {
        EXPECT_TRUE(std::isnan(expected[i]));
      } else {
        ASSERT_EQ(p[i], expected[i]) << "class " << k << " cell " << i;
      }
    }
  }
  ASSERT_EQ(head.phase_ids.size(), whole.ensemble->fillup_years.size());
  for (std::size_t ph = 0; ph < head.phase_ids.size(); ++ph) {
    EXPECT_EQ(head.phase_ids[ph], whole.ensemble->fillup_years[ph].first);
    for (std::size_t r = 0; r < 4; ++r) {
      const int y = head.ensemble.phase_full_year[r][ph];
      EXPECT_EQ(y == sim::not_filled ? -1 : y, whole.ensemble->fillup_years[ph].second[r]) << "run " << r;
    }
  }
  // The preparation's findings are the run's own (the pieces repeat none of the runs' messages).
  for (const auto& p : head.problems) EXPECT_NE(p.message.rfind("run ", 0), 0u) << p.message;
}

TEST_F(Pipeline, a_station_opening_recomputes_suitability_and_infrastructure_can_move_it) {
  auto has = [](const report::RunResult& r, const std::string& code, const std::string& text) {
    for (const auto& p : r.problems) {
      if (p.code == code && p.message.find(text) != std::string::npos) return true;
    }
    return false;
  };
  const auto planned = run();
  EXPECT_TRUE(has(planned, "suitability.event", "2027"));
  const auto delayed = run("[[infrastructure]]\nyear = 2029\nlayer = \"stations\"\nwhere = \"line = 'Line 19'\"\n");
  EXPECT_TRUE(has(delayed, "suitability.event", "2029"));
  EXPECT_FALSE(has(delayed, "suitability.event", "2027"));
  EXPECT_TRUE(has(delayed, "infrastructure.opens", "1 feature(s)"));
}

TEST_F(Pipeline, scenario_values_the_data_contradicts_are_config_errors_naming_the_key) {
  Error e = error_of("[demand.zone_share]\nbeauty = 0.0\n");
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_EQ(e.context().key, "demand.zone_share.beauty");
  e = error_of("[demand]\nmethod = \"trend\"\n");
  EXPECT_EQ(e.context().key, "demand.method");
  EXPECT_NE(std::string(e.what()).find("needs two dated land-use maps"), std::string::npos) << e.what();
  e = error_of("[phases.open_year]\n\"9\" = 2027\n");
  EXPECT_EQ(e.context().key, "phases.open_year.9");
}

TEST_F(Pipeline, a_fit_on_one_map_is_a_config_error_that_says_two_maps_are_needed) {
  const Error e = error_of("[suitability]\nmode = \"fit\"\n");
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_EQ(e.context().key, "suitability.mode");
  EXPECT_NE(std::string(e.what()).find("needs two or more dated land-use maps"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("mode = \"prior\""), std::string::npos) << e.what();
}

TEST_F(Pipeline, a_prior_weight_needs_a_source_and_a_declared_driver) {
  Error e = error_of("[suitability]\nmode = \"prior\"\n[suitability.prior.dist_station_m]\nweight = -1.0\n");
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_EQ(e.context().key, "suitability.prior.dist_station_m.weight");
  EXPECT_NE(std::string(e.what()).find("ASSUMPTION"), std::string::npos) << e.what();
  e = error_of("[suitability]\nmode = \"prior\"\n[suitability.prior.dist_nope_m]\nweight = -1.0\nsource = \"x\"\n");
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_NE(std::string(e.what()).find("declare it under [drivers.dist_nope_m]"), std::string::npos) << e.what();
}

TEST_F(Pipeline, a_one_map_study_uses_the_prior_and_says_which_weights) {
  // mode auto on one map: the prior (the park's lever tests check that it lets each lever move its answer).
  const auto r = run("[suitability.prior.dist_station_m]\nweight = -2.0\nsource = \"ASSUMPTION: test\"\n");
  const auto prior = std::find_if(r.problems.begin(), r.problems.end(),
                                  [](const Problem& p) { return p.code == "suitability.prior"; });
  ASSERT_NE(prior, r.problems.end());
  EXPECT_NE(prior->message.find("dist_station_m -2"), std::string::npos) << prior->message;
  const auto none = run();
  EXPECT_TRUE(std::any_of(none.problems.begin(), none.problems.end(), [](const Problem& p) {
    return p.code == "suitability.uniform" && p.message.find("no prior weight") != std::string::npos;
  }));
}

TEST_F(Pipeline, demand_waiting_for_a_late_phase_is_carried_forward_unless_dropped) {
  const std::string late = kAllYears + "[phases.open_year]\n\"3\" = 2028\n";
  const auto carried = run(late);
  const auto dropped = run(late + "[demand]\ncarry_forward = false\n");
  const double carried_end = report::find_indicator(carried, "developed_km2", 2030)->value;
  const double dropped_end = report::find_indicator(dropped, "developed_km2", 2030)->value;
  EXPECT_GT(carried_end, dropped_end);
  EXPECT_GT(report::find_indicator(carried, "unmet_demand_km2", 2027)->value, 0.0);
}

// A previous map of 2020: the start map with `moved` R&D cells of phases 1-2 still non-built.
fs::path write_previous_map(const fs::path& path, const report::RunResult& r, int moved, std::int64_t* non_built_now) {
  const auto& start = map_at(r, r.start_year);
  std::vector<std::uint8_t> values(start.data(), start.data() + start.size());
  *non_built_now = 0;
  for (std::uint8_t v : values) *non_built_now += v == 0 ? 1 : 0;
  int done = 0;
  for (std::size_t i = 0; i < values.size() && done < moved; ++i) {
    if (values[i] == 2) {
      values[i] = 0;
      ++done;
    }
  }
  EXPECT_EQ(done, moved);
  io::RasterGeometry g{r.grid.origin_x, r.grid.origin_y, r.grid.cell_size_m, r.grid.cols, r.grid.rows,
                       io::CrsRef::from_epsg(4548)};
  std::vector<io::RasterClass> classes;
  for (const auto& c : r.classes) classes.push_back({c.id, c.key, c.colour});
  io::write_class_cog(path, g, values, classes);
  return path;
}

TEST_F(Pipeline, trend_demand_projects_the_markov_chain_of_two_maps) {
  const auto today = run();
  std::int64_t s0 = 0;
  const int moved = 40;
  write_previous_map(m_dir / "lu_2020.tif", today, moved, &s0);
  const auto r = run(kAllYears + "[demand]\nmethod = \"trend\"\nprevious_map = \"lu_2020.tif\"\nprevious_year = 2020\n"
                     "[alloc]\nenabled = false\n");
  // Two-state chain non-built -> R&D over 5 years: P(stay) = s0 / (s0 + moved); one year: its fifth root.
  const double q = std::pow(static_cast<double>(s0) / static_cast<double>(s0 + moved), 1.0 / 5.0);
  auto rd_cells = [&](int year) {
    const auto& m = map_at(r, year);
    std::int64_t n = 0;
    for (std::int64_t i = 0; i < m.size(); ++i) n += m[i] == 2 ? 1 : 0;
    return n;
  };
  for (int year = 2026; year <= 2030; ++year) {
    const double expected = static_cast<double>(s0) * (1.0 - std::pow(q, year - 2025));
    EXPECT_NEAR(static_cast<double>(rd_cells(year) - rd_cells(2025)), expected, 1.0) << year;
  }
  // Industry had no transitions: it does not grow.
  auto industry = [&](int year) {
    const auto& m = map_at(r, year);
    std::int64_t n = 0;
    for (std::int64_t i = 0; i < m.size(); ++i) n += m[i] == 3 ? 1 : 0;
    return n;
  };
  EXPECT_EQ(industry(2030), industry(2025));
}

TEST_F(Pipeline, trend_demand_refuses_a_map_on_another_grid_or_year) {
  const auto today = run();
  std::int64_t s0 = 0;
  write_previous_map(m_dir / "lu_2020.tif", today, 10, &s0);
  auto error_of = [&](const std::string& extra) { return Pipeline::error_of("[demand]\nmethod = \"trend\"\n" + extra); };
  Error e = error_of("previous_map = \"lu_2020.tif\"\n[grid]\ncell_size_m = 100.0\n");
  EXPECT_EQ(e.code(), ErrorCode::data);
  EXPECT_EQ(e.context().key, "demand.previous_map");
  EXPECT_NE(std::string(e.what()).find("is not on the run's grid"), std::string::npos) << e.what();
  // The command aligns the map to the run's grid: its extent and cell size, nearest neighbour.
  EXPECT_NE(std::string(e.what()).find("gdalwarp -t_srs EPSG:4548 -te "), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find(" -tr 100 100 -r near "), std::string::npos) << e.what();
  e = error_of("previous_map = \"lu_2020.tif\"\nprevious_year = 2025\n");
  EXPECT_EQ(e.context().key, "demand.previous_year");
  e = error_of("previous_map = \"missing.tif\"\n");
  EXPECT_EQ(e.code(), ErrorCode::input);
  EXPECT_NE(std::string(e.what()).find("missing.tif"), std::string::npos) << e.what();

  // A value that is no simulation class (5 classes here) is a data error naming the file and the cell.
  const auto& g = today.grid;
  std::vector<std::uint8_t> values(static_cast<std::size_t>(g.cell_count()), 0);
  values[static_cast<std::size_t>(g.cols + 2)] = 9;
  io::write_class_cog(m_dir / "bad.tif",
                      io::RasterGeometry{g.origin_x, g.origin_y, g.cell_size_m, g.cols, g.rows, io::CrsRef::from_epsg(4548)},
                      values, std::vector<io::RasterClass>{{0, "a", "#000000"}, {9, "b", "#FFFFFF"}});
  e = error_of("previous_map = \"bad.tif\"\n");
  EXPECT_EQ(e.code(), ErrorCode::data);
  EXPECT_NE(std::string(e.what()).find("code 9 (first at row 1, column 2) is not in the class table"),
            std::string::npos)
      << e.what();
  EXPECT_NE(std::string(e.what()).find("bad.tif"), std::string::npos)
      << e.what();
}

TEST_F(Pipeline, given_coefficients_may_use_a_declared_distance_to_a_class_as_a_calibration_does) {
  // Mean row (north = 0) of the R&D cells new in 2026, with the distance to today's R&D (phases 1-2, south of the
  // expansion) favoured or penalised.
  auto mean_new_row = [&](double coefficient) {
    const auto r = run(kAllYears + "[suitability]\nmode = \"given\"\n[suitability.coefficients.r_d]\nintercept = 2.0\n"
                       "dist_class_r_d_m = " + std::to_string(coefficient) +
                       "\n[drivers.dist_class_r_d_m]\nkind = \"distance\"\nclasses = [\"r_d\"]\nevery_year = false\n"
                       "[alloc]\nenabled = false\n");
    const auto& before = map_at(r, 2025);
    const auto& after = map_at(r, 2026);
    double sum = 0.0;
    std::int64_t n = 0;
    for (std::int64_t i = 0; i < after.size(); ++i) {
      if (after[i] == 2 && before[i] != 2) {
        sum += static_cast<double>(i / r.grid.cols);
        ++n;
      }
    }
    EXPECT_GT(n, 0);
    for (const auto& p : r.problems) {
      EXPECT_FALSE(p.code == "suitability.uniform" && p.message.find("'r_d'") != std::string::npos) << p.message;
    }
    return sum / static_cast<double>(std::max<std::int64_t>(n, 1));
  };
  // Seen: mean row 22.0 against 16.9 (cells of 50 m).
  EXPECT_GT(mean_new_row(-0.01), mean_new_row(0.01) + 2.0);  // near today's R&D = further south

  const Error e = error_of("[suitability]\nmode = \"given\"\n[suitability.coefficients.r_d]\ndist_class_nope_m = 1.0\n");
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_EQ(e.context().key, "suitability.coefficients.r_d.dist_class_nope_m");
  EXPECT_NE(std::string(e.what()).find("declare it under [drivers.dist_class_nope_m]"), std::string::npos) << e.what();
}

TEST_F(Pipeline, plan_target_demand_builds_out_the_zones_by_the_target_year) {
  const auto r = run(kAllYears + "[demand]\nmethod = \"plan_target\"\ntarget_year = 2030\nbuildout_share = 0.5\n");
  // Half of the convertible farmland of phase 3 (20 parcels of 4 ha) by 2030.
  const double grown_m2 = static_cast<double>(built_cells(r, map_at(r, 2030)) - built_cells(r, map_at(r, 2025))) *
                          r.grid.cell_area_m2();
  EXPECT_NEAR(grown_m2, 0.5 * 20 * 40000.0, 2 * r.grid.cell_area_m2());
}

TEST_F(Pipeline, the_land_outside_parcels_is_reported_as_having_no_land_use_data) {
  const auto r = run();
  bool found = false;
  for (const auto& p : r.problems) found = found || p.code == "grid.no_landuse_outside_parcels";
  EXPECT_TRUE(found);
}

// ---- schema, docs and bundled scenarios --------------------------------------------------------------------------

TEST(PipelineSchema, sim_and_enterprise_keys_mirror_the_modules_parameter_tables) {
  const auto& schema = scenario::scenario_schema();
  for (const auto& p : sim::Params::info()) {
    const auto* spec = schema.find("sim." + std::string(p.name));
    ASSERT_NE(spec, nullptr) << p.name;
    EXPECT_DOUBLE_EQ(spec->info.min, p.min) << p.name;
    EXPECT_DOUBLE_EQ(spec->info.max, p.max) << p.name;
    if (spec->kind != scenario::ValueKind::real_list) {
      EXPECT_DOUBLE_EQ(spec->info.default_value, p.default_value) << p.name;
    }
  }
  for (const auto& p : model::EnterpriseParams::info()) {
    const auto* spec = schema.find("demand." + std::string(p.name));
    ASSERT_NE(spec, nullptr) << p.name;
    EXPECT_DOUBLE_EQ(spec->info.default_value, p.default_value) << p.name;
    EXPECT_DOUBLE_EQ(spec->info.min, p.min) << p.name;
    EXPECT_DOUBLE_EQ(spec->info.max, p.max) << p.name;
  }
}

fs::path repo_root() { return fs::path(PARKSIM_SOURCE_DIR); }

TEST(PipelineDocs, scenario_format_documents_every_schema_key_and_no_other) {
  std::ifstream in(repo_root() / "docs" / "scenario-format.md");
  ASSERT_TRUE(in) << "docs/scenario-format.md is missing";
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string doc = buffer.str();
  std::set<std::string> documented;
  std::istringstream lines(doc);
  bool in_key_table = false;
  for (std::string line; std::getline(lines, line);) {
    // Rows of the table under "## Every key": "| `key` | type | ..."
    if (line.rfind("## ", 0) == 0) in_key_table = line == "## Every key";
    if (!in_key_table || line.rfind("| `", 0) != 0) continue;
    const auto end = line.find('`', 3);
    documented.insert(line.substr(3, end - 3));
  }
  for (const auto& spec : scenario::scenario_schema().keys()) {
    EXPECT_TRUE(documented.count(spec.key)) << spec.key << " is not documented in docs/scenario-format.md";
    documented.erase(spec.key);
  }
  for (const auto& extra : documented) ADD_FAILURE() << extra << " is documented but not in the schema";
}

TEST(BundledScenarios, every_bundled_scenario_loads_and_states_its_question) {
  int n = 0;
  for (const auto& entry : fs::directory_iterator(repo_root() / "scenarios")) {
    if (entry.path().extension() != ".toml") continue;
    ++n;
    const auto s = scenario::Scenario::load(entry.path());
    EXPECT_FALSE(s.get_text("question").empty()) << entry.path();
    std::ifstream in(entry.path());
    std::string first;
    std::getline(in, first);
    EXPECT_EQ(first.rfind("#", 0), 0u) << entry.path() << " must open with a comment block";
  }
  EXPECT_GE(n, 5);
}

}  // namespace
}  // namespace parksim::pipeline
