#pragma once
// A small synthetic park on disk for the pipeline tests: phases 1-2 (1 km², built R&D, zone core) and phase 3
// (1 km² north of it, 25 parcels of 200 m: a protected green row at the top, farmland to develop in the zones
// frontier_tech (west 600 m) and medical_device (east 400 m)), a G6 axis east of the park, a station open today
// and one opening in 2027, a constraint over the green row. Classes: 0 non-built, 1 green, 2 R&D, 3 industry,
// 4 roads.

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "geom/geometry.hpp"
#include "io/vector.hpp"

namespace parksim::pipeline::testing {

inline std::vector<std::uint8_t> wkb(const std::string& wkt) { return geom::Geometry::from_wkt(wkt).to_wkb(); }

inline std::string rect(double x0, double y0, double x1, double y1) {
  auto p = [](double x, double y) { return std::to_string(x) + " " + std::to_string(y); };
  return "POLYGON ((" + p(x0, y0) + ", " + p(x1, y0) + ", " + p(x1, y1) + ", " + p(x0, y1) + ", " + p(x0, y0) + "))";
}

constexpr double kX0 = 439000.0;
constexpr double kY0 = 4440000.0;
constexpr int kPhase3Rows = 5;
constexpr int kPhase3Cols = 5;
constexpr double kParcel = 200.0;

inline io::Layer polygon_layer(std::string name, std::vector<io::FieldDef> fields) {
  io::Layer l;
  l.name = std::move(name);
  l.crs = io::CrsRef::from_epsg(4548);
  l.geometry_type = io::GeometryType::polygon;
  l.fields = std::move(fields);
  return l;
}

inline std::vector<io::Layer> synthetic_layers() {
  using io::FieldType;
  std::vector<io::Layer> layers;
  auto parcels = polygon_layer("parcels", {{"parcel_id", FieldType::string}, {"phase", FieldType::string},
                                           {"zone", FieldType::string}, {"landuse", FieldType::string},
                                           {"status", FieldType::string}, {"far", FieldType::real}});
  std::int64_t fid = 1;
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 2; ++j) {
      parcels.features.push_back({fid, wkb(rect(kX0 + 500 * i, kY0 + 500 * j, kX0 + 500 * (i + 1), kY0 + 500 * (j + 1))),
                                  {"C" + std::to_string(fid), std::string("1-2"), std::string("core"),
                                   std::string("0802"), std::string("built"), 2.0}});
      ++fid;
    }
  }
  for (int r = 0; r < kPhase3Rows; ++r) {
    for (int c = 0; c < kPhase3Cols; ++c) {
      const double x = kX0 + kParcel * c;
      const double y = kY0 + 1000 + kParcel * r;
      const bool green = r == kPhase3Rows - 1;
      parcels.features.push_back({fid, wkb(rect(x, y, x + kParcel, y + kParcel)),
                                  {"P" + std::to_string(fid), std::string("3"),
                                   std::string(c < 3 ? "frontier_tech" : "medical_device"),
                                   std::string(green ? "1401" : "0103"), std::string(green ? "built" : "planned"),
                                   1.5}});
      ++fid;
    }
  }
  layers.push_back(std::move(parcels));

  auto phases = polygon_layer("phases", {{"phase", FieldType::string}, {"name_en", FieldType::string}});
  phases.features.push_back({1, wkb(rect(kX0, kY0, kX0 + 1000, kY0 + 1000)), {std::string("1-2"), std::string("phases 1-2")}});
  phases.features.push_back({2, wkb(rect(kX0, kY0 + 1000, kX0 + 1000, kY0 + 2000)), {std::string("3"), std::string("phase 3")}});
  layers.push_back(std::move(phases));

  auto zones = polygon_layer("zones", {{"zone_id", FieldType::string}, {"name_en", FieldType::string}});
  zones.features.push_back({1, wkb(rect(kX0, kY0, kX0 + 1000, kY0 + 1000)), {std::string("core"), std::string("Core")}});
  zones.features.push_back({2, wkb(rect(kX0, kY0 + 1000, kX0 + 600, kY0 + 2000)),
                            {std::string("frontier_tech"), std::string("Frontier Technology")}});
  zones.features.push_back({3, wkb(rect(kX0 + 600, kY0 + 1000, kX0 + 1000, kY0 + 2000)),
                            {std::string("medical_device"), std::string("Medical Device")}});
  layers.push_back(std::move(zones));

  auto constraints = polygon_layer("constraints", {{"kind", FieldType::string}, {"name", FieldType::string}});
  constraints.features.push_back({1, wkb(rect(kX0, kY0 + 1800, kX0 + 1000, kY0 + 2000)),
                                  {std::string("river_corridor"), std::string("river")}});
  layers.push_back(std::move(constraints));

  auto ftz = polygon_layer("ftz", {{"name", FieldType::string}});
  ftz.features.push_back({1, wkb(rect(kX0, kY0, kX0 + 1000, kY0 + 1400)), {std::string("ftz")}});
  layers.push_back(std::move(ftz));

  io::Layer corridor;
  corridor.name = "corridor";
  corridor.crs = io::CrsRef::from_epsg(4548);
  corridor.geometry_type = io::GeometryType::line_string;
  corridor.fields = {{"name", FieldType::string}};
  corridor.features.push_back({1, wkb("LINESTRING (440100 4439500, 440100 4442500)"), {std::string("G6")}});
  layers.push_back(std::move(corridor));

  io::Layer stations;
  stations.name = "stations";
  stations.crs = io::CrsRef::from_epsg(4548);
  stations.geometry_type = io::GeometryType::point;
  stations.fields = {{"name_en", FieldType::string}, {"line", FieldType::string}, {"opens", FieldType::integer}};
  stations.features.push_back({1, wkb("POINT (439500 4439900)"), {std::string("South"), std::string("Line A"), std::int64_t{0}}});
  stations.features.push_back({2, wkb("POINT (439500 4441700)"), {std::string("North"), std::string("Line 19"), std::int64_t{2027}}});
  layers.push_back(std::move(stations));

  io::Layer classes;
  classes.name = "landuse_classes";
  classes.geometry_type = io::GeometryType::none;
  classes.fields = {{"code", FieldType::string}, {"name_en", FieldType::string}, {"colour", FieldType::string},
                    {"health_industry", FieldType::integer}, {"developable", FieldType::integer},
                    {"sim_class", FieldType::integer}, {"sim_class_name", FieldType::string}};
  auto cls = [&](std::int64_t id, const char* code, const char* name, const char* colour, int health, int dev, int sim,
                 const char* sim_name) {
    classes.features.push_back({id, {}, {std::string(code), std::string(name), std::string(colour), std::int64_t{health},
                                         std::int64_t{dev}, std::int64_t{sim}, std::string(sim_name)}});
  };
  cls(1, "0103", "Dry farmland", "#FAF0B4", 0, 1, 0, "non-built");
  cls(2, "1401", "Park green", "#7AB800", 0, 0, 1, "green");
  cls(3, "0802", "Scientific research", "#E6005C", 1, 1, 2, "R&D (health industry)");
  cls(4, "100101", "Class-1 industrial", "#C89B6E", 1, 1, 3, "industry");
  cls(5, "1207", "Urban road", "#A0A0A0", 0, 0, 4, "roads");
  layers.push_back(std::move(classes));

  io::Layer targets;
  targets.name = "plan_targets";
  targets.geometry_type = io::GeometryType::none;
  targets.fields = {{"target_id", FieldType::string}, {"label_en", FieldType::string}, {"value", FieldType::real},
                    {"unit", FieldType::string}};
  targets.features.push_back({1, {}, {std::string("plan_total_km2"), std::string("total"), 2.0, std::string("km2")}});
  targets.features.push_back({2, {}, {std::string("phase3_km2"), std::string("phase 3"), 1.0, std::string("km2")}});
  layers.push_back(std::move(targets));
  return layers;
}

// The scenario used by most tests; `extra` is appended (TOML).
inline std::string synthetic_scenario(const std::filesystem::path& gpkg, const std::string& extra = {}) {
  return "name = \"synthetic\"\nquestion = \"does the pipeline hold together?\"\nseed = 7\n"
         "[years]\nstart = 2025\nend = 2030\n"
         "[geodata]\npath = \"" + gpkg.string() + "\"\n"
         "[grid]\nextent = \"park\"\ncell_size_m = 50.0\npark_margin_m = 200.0\n"
         "[demand]\nmethod = \"enterprise\"\nbase_enterprises = 100.0\nenterprise_growth_rate = 0.2\n"
         "[demand.zone_share]\nfrontier_tech = 0.5\nmedical_device = 0.5\n"
         "[demand.class_share.frontier_tech]\nr_d = 1.0\n[demand.class_share.medical_device]\nindustry = 1.0\n"
         "[suitability]\nsample_cells = 200\n"
         "[drivers.dist_g6_m]\nkind = \"distance\"\nlayer = \"corridor\"\nwhere = \"name = 'G6'\"\n"
         "[drivers.dist_station_m]\nkind = \"distance\"\nlayer = \"stations\"\n"
         "[drivers.dist_built_m]\nkind = \"distance\"\nbuilt = true\nevery_year = false\n"
         "[alloc]\nmin_health_industry_mu = 1000.0\ntime_limit_s = 10.0\n" + extra;
}

class PipelineDir : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    m_dir = std::filesystem::temp_directory_path() /
            (std::string("parksim_pipeline_") + info->test_suite_name() + "_" + info->name());
    std::filesystem::remove_all(m_dir);
    std::filesystem::create_directories(m_dir);
    m_gpkg = m_dir / "park.gpkg";
    io::write_gpkg(m_gpkg, synthetic_layers());
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }
  std::filesystem::path write(const std::string& name, const std::string& text) {
    const auto p = m_dir / name;
    std::ofstream(p) << text;
    return p;
  }
  std::filesystem::path m_dir, m_gpkg;
};

}  // namespace parksim::pipeline::testing
