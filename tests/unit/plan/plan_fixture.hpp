#pragma once
// Builds small plan datasets on disk for the plan tests: two phases, parcels tiling them, classes and targets.

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "geom/geometry.hpp"
#include "io/vector.hpp"

namespace parksim::plan::testing {

inline std::vector<std::uint8_t> wkb(const std::string& wkt) { return geom::Geometry::from_wkt(wkt).to_wkb(); }

struct ParcelRow {
  std::string id, phase, zone, landuse, status;
  std::string wkt;
};

inline io::Layer parcels_layer(const std::vector<ParcelRow>& rows, io::CrsRef crs = io::CrsRef::from_epsg(4548)) {
  io::Layer layer;
  layer.name = "parcels";
  layer.crs = crs;
  layer.geometry_type = io::GeometryType::polygon;
  for (const char* name : {"parcel_id", "phase", "zone", "landuse", "status"}) {
    layer.fields.push_back({name, io::FieldType::string});
  }
  layer.fields.push_back({"far", io::FieldType::real});
  std::int64_t fid = 1;
  for (const auto& r : rows) {
    layer.features.push_back({fid++, wkb(r.wkt), {r.id, r.phase, r.zone, r.landuse, r.status, 1.5}});
  }
  return layer;
}

inline std::string square(double x0, double y0, double size) {
  const double x1 = x0 + size, y1 = y0 + size;
  return "POLYGON ((" + std::to_string(x0) + " " + std::to_string(y0) + ", " + std::to_string(x1) + " " +
         std::to_string(y0) + ", " + std::to_string(x1) + " " + std::to_string(y1) + ", " + std::to_string(x0) + " " +
         std::to_string(y1) + ", " + std::to_string(x0) + " " + std::to_string(y0) + "))";
}

// Phase "1-2": 1 km x 1 km at (439000, 4440000); phase "3": the 1 km x 1 km square north of it.
constexpr double kX0 = 439000.0;
constexpr double kY0 = 4440000.0;

inline io::Layer phases_layer(io::CrsRef crs = io::CrsRef::from_epsg(4548)) {
  io::Layer layer;
  layer.name = "phases";
  layer.crs = crs;
  layer.geometry_type = io::GeometryType::polygon;
  layer.fields = {{"phase", io::FieldType::string}, {"name_en", io::FieldType::string},
                  {"status", io::FieldType::string}};
  layer.features.push_back({1, wkb(square(kX0, kY0, 1000)), {std::string("1-2"), std::string("phases 1-2"),
                                                              std::string("schematic")}});
  layer.features.push_back({2, wkb(square(kX0, kY0 + 1000, 1000)), {std::string("3"), std::string("phase 3"),
                                                                     std::string("schematic")}});
  return layer;
}

inline io::Layer classes_layer() {
  io::Layer layer;
  layer.name = "landuse_classes";
  layer.geometry_type = io::GeometryType::none;
  layer.fields = {{"code", io::FieldType::string}, {"name_en", io::FieldType::string},
                  {"colour", io::FieldType::string}, {"health_industry", io::FieldType::integer},
                  {"developable", io::FieldType::integer}, {"sim_class", io::FieldType::integer}};
  layer.features.push_back({1, {}, {std::string("0802"), std::string("R&D"), std::string("#E6A0C8"),
                                    std::int64_t{1}, std::int64_t{1}, std::int64_t{3}}});
  layer.features.push_back({2, {}, {std::string("1401"), std::string("Park green"), std::string("#7AB800"),
                                    std::int64_t{0}, std::int64_t{0}, std::int64_t{1}}});
  return layer;
}

inline io::Layer targets_layer() {
  io::Layer layer;
  layer.name = "plan_targets";
  layer.geometry_type = io::GeometryType::none;
  layer.fields = {{"target_id", io::FieldType::string}, {"label_en", io::FieldType::string},
                  {"value", io::FieldType::real}, {"unit", io::FieldType::string}};
  layer.features.push_back({1, {}, {std::string("plan_total_km2"), std::string("total"), 2.0, std::string("km2")}});
  layer.features.push_back({2, {}, {std::string("phase12_km2"), std::string("phases 1-2"), 1.0, std::string("km2")}});
  layer.features.push_back({3, {}, {std::string("phase3_km2"), std::string("phase 3"), 1.0, std::string("km2")}});
  layer.features.push_back(
      {4, {}, {std::string("health_industry_land_mu"), std::string("health"), 3000.0, std::string("mu")}});
  return layer;
}

// Four 500 m parcels per phase, tiling both phases exactly.
inline std::vector<ParcelRow> tiling_parcels() {
  std::vector<ParcelRow> rows;
  int n = 0;
  for (int phase = 0; phase < 2; ++phase) {
    for (int i = 0; i < 2; ++i) {
      for (int j = 0; j < 2; ++j) {
        ++n;
        rows.push_back({"P" + std::to_string(n), phase == 0 ? "1-2" : "3", "core", phase == 0 ? "0802" : "1401",
                        phase == 0 ? "built" : "planned",
                        square(kX0 + 500.0 * i, kY0 + 1000.0 * phase + 500.0 * j, 500)});
      }
    }
  }
  return rows;
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    m_dir = std::filesystem::temp_directory_path() /
            (std::string("parksim_plan_") + info->test_suite_name() + "_" + info->name());
    std::filesystem::remove_all(m_dir);
    std::filesystem::create_directories(m_dir);
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }
  std::filesystem::path write_plan(const std::vector<ParcelRow>& parcels, const std::string& name = "plan.gpkg") {
    const auto path = m_dir / name;
    const std::vector<io::Layer> layers = {parcels_layer(parcels), phases_layer(), classes_layer(), targets_layer()};
    io::write_gpkg(path, layers);
    return path;
  }
  std::filesystem::path m_dir;
};

}  // namespace parksim::plan::testing
