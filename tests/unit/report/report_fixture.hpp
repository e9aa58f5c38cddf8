#pragma once
// A small synthetic RunResult for the report tests (and the browser test's page writer): two phases of 1 km x 1 km,
// eight parcels, two zones, a corridor, a base and a station, three simulation classes on a 10 x 20 grid of 100 m
// cells, years 2024-2035 with key years 2030 and 2035, a five-run ensemble, an allocation and indicators with
// Chinese labels. Nothing here is computed by the pipeline: it only has to be a consistent, plausible run.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/units.hpp"
#include "geom/geometry.hpp"
#include "report/run_result.hpp"

namespace parksim::report::testing {

inline constexpr double kX0 = 439000.0;
inline constexpr double kY0 = 4440000.0;

inline std::string square_wkt(double x0, double y0, double size) {
  const auto n = [](double v) { return std::to_string(v); };
  return "POLYGON ((" + n(x0) + " " + n(y0) + ", " + n(x0 + size) + " " + n(y0) + ", " + n(x0 + size) + " " +
         n(y0 + size) + ", " + n(x0) + " " + n(y0 + size) + ", " + n(x0) + " " + n(y0) + "))";
}

inline plan::Provenance provenance(plan::DataStatus status) {
  return plan::Provenance{status, status == plan::DataStatus::surveyed_osm ? 5.0 : 0.0, "test fixture", "CC0"};
}

inline plan::Plan fixture_plan() {
  plan::Plan p;
  p.source = "fixture.gpkg";
  p.crs = "EPSG:4548";
  p.classes = {
      {"0101", "水田", "Paddy field", "#F5F8DC", false, true, 0},
      {"1401", "公园绿地", "Park green", "#7AB800", false, false, 1},
      {"0802", "科研用地", "R&D", "#E6A0C8", true, true, 2},
  };
  p.targets = {{"plan_total_km2", "规划总面积", "planned total area", 2.0, "km2", "fixture"},
               {"phase12_km2", "一二期", "phases 1-2", 1.0, "km2", "fixture"},
               {"phase3_km2", "三期", "phase 3", 1.0, "km2", "fixture"},
               {"health_industry_land_mu", "医药健康产业用地", "health-industry land", 300.0, "mu", "fixture"}};
  p.phases.push_back({"1-2", "一二期", "phases 1-2", 1e6, provenance(plan::DataStatus::schematic),
                      geom::Geometry::from_wkt(square_wkt(kX0, kY0, 1000))});
  p.phases.push_back({"3", "三期", "phase 3", 1e6, provenance(plan::DataStatus::schematic),
                      geom::Geometry::from_wkt(square_wkt(kX0, kY0 + 1000, 1000))});
  p.zones.push_back({"core", "核心区", "Built core", "pharma", 1e6, provenance(plan::DataStatus::schematic),
                     geom::Geometry::from_wkt(square_wkt(kX0, kY0, 1000))});
  p.zones.push_back({"frontier_tech", "前沿技术区", "Frontier Technology", "cell & gene therapy", 1e6,
                     provenance(plan::DataStatus::schematic), geom::Geometry::from_wkt(square_wkt(kX0, kY0 + 1000, 1000))});
  int n = 0;
  for (int phase = 0; phase < 2; ++phase) {
    for (int i = 0; i < 2; ++i) {
      for (int j = 0; j < 2; ++j) {
        ++n;
        plan::Parcel parcel;
        parcel.fid = n;
        parcel.id = (phase == 0 ? "P12-" : "P3-") + std::to_string(n);
        parcel.phase = phase == 0 ? "1-2" : "3";
        parcel.zone = phase == 0 ? "core" : "frontier_tech";
        parcel.landuse = phase == 0 ? "0802" : (n % 2 == 0 ? "1401" : "0101");
        parcel.status = phase == 0 ? plan::DevelopmentStatus::built : plan::DevelopmentStatus::planned;
        parcel.area_m2 = 250000.0;
        parcel.far = 1.5;
        parcel.name_zh = "地块" + std::to_string(n);
        parcel.provenance = provenance(plan::DataStatus::derived);
        parcel.geometry = geom::Geometry::from_wkt(square_wkt(kX0 + 500.0 * i, kY0 + 1000.0 * phase + 500.0 * j, 500));
        p.parcels.push_back(std::move(parcel));
      }
    }
  }
  p.corridor.push_back({1, "G6", "京藏高速", "G6", 0, provenance(plan::DataStatus::schematic),
                        geom::Geometry::from_wkt("LINESTRING (438800 4439800, 439600 4441000, 440200 4442200)")});
  p.corridor_band.push_back({1, "tier 1", "一圈层", "1", 0, provenance(plan::DataStatus::schematic),
                             geom::Geometry::from_wkt(square_wkt(kX0 - 200, kY0 - 200, 2400))});
  p.bases.push_back({1, "Acceleration base", "加速基地", "acceleration", 0, provenance(plan::DataStatus::schematic),
                     geom::Geometry::point(kX0 + 1500, kY0 + 1800)});
  p.stations.push_back({1, "Life Science Park", "生命科学园", "Changping Line", 0,
                        provenance(plan::DataStatus::surveyed_osm), geom::Geometry::point(kX0 + 300, kY0 + 200)});
  p.layers = {{"parcels", 8, 0, 0}, {"phases", 2, 2, 0}, {"zones", 2, 2, 0}, {"corridor", 1, 1, 0},
              {"stations", 1, 0, 1}};
  return p;
}

/// Class of cell (row, col) in `year`: phase 1-2 (south half) built R&D, phase 3 fills up from the south.
inline std::uint8_t fixture_class(int row, int col, int year) {
  if (col == 9 && row == 0) return 255;  // one nodata cell
  if (row >= 10) return 2;
  const int built_rows = std::max(0, std::min(10, year - 2025));  // one more row of phase 3 per year from 2026
  if (row >= 10 - built_rows) return 2;
  return (row + col) % 3 == 0 ? 1 : 0;
}

inline RunResult fixture_result() {
  RunResult r;
  r.scenario_name = "baseline";
  r.question = "When does phase 3 (4.7 km²) fill up at today's growth? 三期何时建满？";
  r.description = "Fixture run for the report tests.";
  r.effective_scenario_toml = "[scenario]\nname = \"baseline\"\nseed = 42\n";
  r.seed = 42;
  r.runs = 5;
  r.threads = 2;
  r.start_year = 2024;
  r.end_year = 2035;
  r.key_years = {2030, 2035};
  r.plan = fixture_plan();
  r.grid = grid::GridSpec{kX0, kY0 + 2000, 100.0, 10, 20, "EPSG:4548"};
  r.classes = {{0, "nonbuilt", "Non-built", "非建设用地", "#F5F8DC", false, {"0101"}, 0, false},
               {1, "green", "Green", "绿地", "#7AB800", false, {"1401"}, 1, true},
               {2, "rd", "R&D", "科研", "#E6A0C8", true, {"0802"}, 2, false}};
  for (const int year : {2024, 2030, 2035}) {
    grid::Grid<std::uint8_t> map(r.grid, 255);
    for (int row = 0; row < r.grid.rows; ++row) {
      for (int col = 0; col < r.grid.cols; ++col) map(row, col) = fixture_class(row, col, year);
    }
    r.class_maps.emplace_back(year, std::move(map));
  }
  for (int year = 2024; year <= 2035; ++year) {
    for (const char* zone : {"core", "frontier_tech", ""}) {
      for (int cls = 0; cls < 3; ++cls) {
        double cells = 0.0;
        for (int row = 0; row < r.grid.rows; ++row) {
          for (int col = 0; col < r.grid.cols; ++col) {
            const bool in_core = row >= 10;
            const std::string z = zone;
            if ((z == "core") != in_core || z.empty()) continue;
            if (fixture_class(row, col, year) == cls) cells += 1.0;
          }
        }
        r.areas.push_back({year, zone, cls, cells * r.grid.cell_area_m2()});
      }
    }
  }
  r.phase_fillup_year = {{"1-2", 2024}, {"3", 2035}};

  EnsembleSummary e;
  e.runs = 5;
  e.first_run = 0;
  for (int cls = 0; cls < 3; ++cls) {
    grid::Grid<float> p(r.grid, 0.0f);
    for (int row = 0; row < r.grid.rows; ++row) {
      for (int col = 0; col < r.grid.cols; ++col) {
        const float built = row >= 10 ? 1.0f : std::min(1.0f, 0.1f * static_cast<float>(10 - row) + 0.02f * col);
        if (col == 9 && row == 0) {
          p(row, col) = std::nanf("");
        } else if (cls == 2) {
          p(row, col) = built;
        } else {
          p(row, col) = (1.0f - built) * (cls == 0 ? 0.7f : 0.3f);
        }
      }
    }
    e.probability.push_back(std::move(p));
  }
  e.fillup_years = {{"1-2", {2024, 2024, 2024, 2024, 2024}}, {"3", {2033, 2034, 2034, 2035, -1}}};
  r.ensemble = std::move(e);

  for (std::size_t i = 0; i < r.plan.parcels.size(); ++i) {
    ParcelResult pr;
    const bool built = i < 4;
    pr.developed_year = built ? 2024 : 2030 + static_cast<int>(i);
    pr.developed_share_end = built ? 1.0 : 0.25 * static_cast<double>(i - 3);
    pr.development_probability = built ? 1.0 : 0.2 * static_cast<double>(i - 3);
    pr.sim_class_end = built ? 2 : static_cast<int>(i % 2);
    pr.alloc_zone = built ? "core" : "frontier_tech";
    pr.alloc_landuse = i == 7 ? "" : (built || i % 2 == 0 ? "0802" : "1401");
    pr.alloc_kept = built;
    pr.alloc_year = i == 7 ? -1 : pr.developed_year;
    pr.alloc_score = 0.5 + 0.05 * static_cast<double>(i);
    pr.gfa_m2 = built ? 10000.0 * static_cast<double>(i + 1) : 0.0;
    r.parcels.push_back(pr);
  }
  r.parcels[7].alloc_zone = "";
  r.parcels[7].developed_year = -1;

  AllocationSummary a;
  a.status = "optimal";
  a.objective = 12.5;
  a.best_bound = 12.5;
  a.gap_pct = 0.0;
  a.solve_seconds = 0.2;
  a.constraints = {{"health-industry land ≥ 300 mu", "floor", "mu", 375.0, 300.0, 75.0, 0.0, false},
                   {"phase 3 capacity", "capacity", "m2", 1e6, 1e6, 0.0, 0.042, true}};
  r.allocation = a;

  const auto add = [&](int year, const std::string& id, const std::string& zh, const std::string& en,
                       const std::string& unit, double value) {
    r.indicators.push_back({r.scenario_name, year, id, zh, en, unit, value});
  };
  add(2024, "developed_km2", "已开发面积", "developed area", "km2", 1.0);
  add(2035, "developed_km2", "已开发面积", "developed area", "km2", 1.98);
  add(0, "plan_total_km2", "规划总面积", "planned total area", "km2", 2.0);
  add(0, "health_industry_land_mu", "医药健康产业用地", "health-industry land, allocated", "mu", 375.0);
  add(0, "fillup_year_phase3", "三期建满年份", "phase 3 fill-up year", "yr", 2035);
  add(0, "alloc_gap_pct", "优化间隙", "allocation gap, \"MIP\", %", "%", std::nan(""));
  add(0, "third", "三分之一", "one third", "", 1.0 / 3.0);

  r.problems = {{Severity::warning, "geometry.repaired", "ring repaired <self-intersection>",
                 Context{.path = "fixture.gpkg", .layer = "parcels", .feature_id = 3}},
                {Severity::info, "phase.area_mismatch", "phase 3 differs from 4.7 km² by design", Context{}}};
  r.library_versions = {{"GDAL", "3.6.2"}, {"GEOS", "3.11.1"}, {"PROJ", "9.1.1"}};
  return r;
}

/// A study built from land-use rasters only, as a researcher's 3-class map series gives it: no parcels, phases, zones,
/// corridor, bases or stations (an empty plan, no plan CRS: the grid carries it), three classes on a 12 x 16 grid of
/// 30 m cells whose codes in the researcher's rasters (10, 20, 30) are not their ids, maps of 2010, 2015 and 2020,
/// developed land per year, a three-run ensemble. No allocation.
inline RunResult study_result() {
  RunResult r;
  r.scenario_name = "three_class_study";
  r.question = "Where does the town grow from 2010 to 2020?";
  r.seed = 7;
  r.runs = 3;
  r.start_year = 2010;
  r.end_year = 2020;
  r.key_years = {2015, 2020};
  r.grid = grid::GridSpec{500000.0, 4400000.0, 30.0, 16, 12, "EPSG:32650"};
  r.classes = {{0, "agriculture", "Agriculture", "农业用地", "#E6D27A", false, {}, 10, false},
               {1, "urban", "Urban", "城镇", "#D7301F", true, {}, 20, false},
               {2, "water", "Water", "水域", "#3A7DC9", false, {}, 30, true}};
  for (const int year : {2010, 2015, 2020}) {
    grid::Grid<std::uint8_t> map(r.grid, 255);
    for (int row = 0; row < r.grid.rows; ++row) {
      for (int col = 0; col < r.grid.cols; ++col) {
        const int town = 3 + (year - 2010) / 5 * 2;  // the town grows outwards from the corner
        map(row, col) = col >= 14 ? 2 : (row < town && col < town ? 1 : 0);
      }
    }
    if (year == 2020) map(11, 0) = 255;  // one cell without data
    r.class_maps.emplace_back(year, std::move(map));
  }
  for (const auto& [year, map] : r.class_maps) {
    for (int cls = 0; cls < 3; ++cls) {
      double cells = 0.0;
      for (std::int64_t i = 0; i < map.size(); ++i) cells += map[i] == cls ? 1.0 : 0.0;
      r.areas.push_back({year, "", cls, cells * r.grid.cell_area_m2()});
    }
    double urban = 0.0;
    for (std::int64_t i = 0; i < map.size(); ++i) urban += map[i] == 1 ? 1.0 : 0.0;
    r.indicators.push_back({r.scenario_name, year, "developed_km2", "已开发用地面积", "Developed land", "km2",
                            urban * r.grid.cell_area_m2() / 1e6});
  }
  EnsembleSummary e;
  e.runs = 3;
  for (int cls = 0; cls < 3; ++cls) {
    grid::Grid<float> p(r.grid, 0.0f);
    const auto& end = r.class_maps.back().second;
    for (std::int64_t i = 0; i < p.size(); ++i) {
      p[i] = end[i] == 255 ? std::nanf("") : (end[i] == cls ? 1.0f : 0.0f);
    }
    e.probability.push_back(std::move(p));
  }
  r.ensemble = std::move(e);
  r.library_versions = {{"GDAL", "3.6.2"}};
  return r;
}

/// Writes the fixture's input files into `dir` (they are hashed into manifest.json) and lists them in `result`.
inline void add_input_files(RunResult& result, const std::filesystem::path& dir) {
  const auto scenario = dir / "baseline.toml";
  std::ofstream(scenario) << result.effective_scenario_toml;
  const auto data = dir / "fixture.gpkg";
  std::ofstream(data) << "not really a GeoPackage, only hashed";
  result.input_files = {scenario.string(), data.string()};
}

}  // namespace parksim::report::testing
