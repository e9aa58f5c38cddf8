#include "plan/loader.hpp"

#include <fstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/units.hpp"
#include "plan/accounting.hpp"
#include "plan_fixture.hpp"

namespace parksim::plan {
namespace {

using testing::ParcelRow;
using testing::square;
using testing::TempDir;
using testing::kX0;
using testing::kY0;

constexpr double kAreaToleranceM2 = 1e-6;

const Problem* find_problem(const ProblemReporter& problems, std::string_view code) {
  static thread_local std::vector<Problem> kept;
  kept = problems.problems();
  for (const auto& p : kept) {
    if (p.code == code) return &p;
  }
  return nullptr;
}

class PlanLoader : public TempDir {};

TEST_F(PlanLoader, clean_dataset_loads_without_problems_and_adds_up) {
  ProblemReporter problems;
  const Plan plan = load_plan(write_plan(testing::tiling_parcels()), {}, problems);
  EXPECT_EQ(problems.size(), 0u) << (problems.size() ? problems.problems()[0].to_string() : "");
  ASSERT_EQ(plan.parcels.size(), 8u);
  ASSERT_EQ(plan.phases.size(), 2u);
  EXPECT_EQ(plan.crs, "EPSG:4548");
  EXPECT_NEAR(plan.parcels[0].area_m2, 250'000.0, kAreaToleranceM2);
  EXPECT_EQ(plan.parcels[0].status, DevelopmentStatus::built);
  EXPECT_EQ(plan.parcels[4].status, DevelopmentStatus::planned);
  const Accounting a = account(plan);
  EXPECT_NEAR(a.parcels_m2, 2'000'000.0, kAreaToleranceM2);
  EXPECT_NEAR(a.phases_m2, 2'000'000.0, kAreaToleranceM2);
  ASSERT_EQ(a.by_phase.size(), 2u);
  EXPECT_EQ(a.by_phase[0].key, "1-2");
  EXPECT_NEAR(a.by_phase[0].area_km2(), 1.0, 1e-12);
  EXPECT_NEAR(a.by_phase[1].area_mu(), 1500.0, 1e-9);
  // Health industry: phase 1-2 is all 0802 (R&D, health) = 1 km2 = 1500 mu; the expansion (phase 3) has none,
  // and the target counts the expansion only.
  EXPECT_NEAR(units::m2_to_mu(a.health_industry_m2), 1500.0, 1e-9);
  EXPECT_NEAR(a.health_industry_expansion_m2, 0.0, kAreaToleranceM2);
  ASSERT_EQ(a.targets.size(), 4u);
  for (const auto& t : a.targets) {
    if (t.id == "health_industry_land_mu") {
      EXPECT_FALSE(t.met);
    } else {
      EXPECT_TRUE(t.met) << t.id << " " << t.actual;
    }
  }
}

TEST_F(PlanLoader, overlapping_parcels_are_reported_with_both_ids) {
  auto rows = testing::tiling_parcels();
  rows[1].wkt = square(kX0 + 400, kY0, 500);  // P2 slides 100 m west into P1... and leaves a gap
  ProblemReporter problems;
  load_plan(write_plan(rows), {}, problems);
  const Problem* overlap = find_problem(problems, "coverage.overlap");
  ASSERT_NE(overlap, nullptr);
  EXPECT_EQ(overlap->severity, Severity::error);
  EXPECT_NE(overlap->message.find("P1"), std::string::npos) << overlap->message;
  EXPECT_NE(overlap->message.find("P2"), std::string::npos) << overlap->message;
}

TEST_F(PlanLoader, missing_crs_is_refused_unless_the_user_states_it) {
  const auto path = m_dir / "nocrs.gpkg";
  const std::vector<io::Layer> layers = {testing::parcels_layer(testing::tiling_parcels(), io::CrsRef{})};
  io::write_gpkg(path, layers);
  ProblemReporter problems;
  try {
    load_plan(path, {}, problems);
    FAIL() << "a layer without CRS was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::crs);
    EXPECT_EQ(e.context().layer, "parcels");
    EXPECT_NE(std::string(e.what()).find("no coordinate reference system"), std::string::npos) << e.what();
  }
  FieldMapping mapping;
  mapping.assume_crs = "EPSG:4548";
  const Plan plan = load_plan(path, mapping, problems);
  EXPECT_EQ(plan.parcels.size(), 8u);
  EXPECT_EQ(problems.count("plan.crs_assumed"), 1u);
}

TEST_F(PlanLoader, self_intersecting_ring_is_repaired_with_its_area_preserved) {
  auto rows = testing::tiling_parcels();
  // P1 drawn as a bow-tie over its own square: two triangles meeting at the centre, 2 x 62 500 m2.
  rows[0].wkt = "POLYGON ((439000 4440000, 439500 4440500, 439500 4440000, 439000 4440500, 439000 4440000))";
  ProblemReporter problems;
  const Plan plan = load_plan(write_plan(rows), {}, problems);
  const Problem* repaired = find_problem(problems, "geometry.repaired");
  ASSERT_NE(repaired, nullptr);
  EXPECT_EQ(repaired->where.feature_key, "P1");
  EXPECT_TRUE(repaired->where.coordinate.has_value());
  ASSERT_EQ(plan.parcels[0].id, "P1");
  EXPECT_NEAR(plan.parcels[0].area_m2, 125'000.0, 1e-3);
}

TEST_F(PlanLoader, parcel_outside_every_phase_is_an_error_naming_it) {
  auto rows = testing::tiling_parcels();
  rows.push_back({"P9", "3", "core", "0802", "vacant", square(kX0 + 2000, kY0, 300)});
  ProblemReporter problems;
  load_plan(write_plan(rows), {}, problems);
  const Problem* outside = find_problem(problems, "parcel.outside_phases");
  ASSERT_NE(outside, nullptr);
  EXPECT_EQ(outside->severity, Severity::error);
  EXPECT_EQ(outside->where.feature_key, "P9");
  EXPECT_NE(outside->message.find("100.0 %"), std::string::npos) << outside->message;
}

TEST_F(PlanLoader, parcel_in_no_phase_may_lie_outside_the_phases_and_is_accounted_apart) {
  auto rows = testing::tiling_parcels();
  rows.push_back({"S1", "", "core", "1401", "planned", square(kX0 + 2000, kY0, 300)});
  ProblemReporter problems;
  const Plan plan = load_plan(write_plan(rows), {}, problems);
  EXPECT_EQ(find_problem(problems, "parcel.outside_phases"), nullptr);
  const Accounting a = account(plan);
  ASSERT_FALSE(a.by_phase.empty());
  EXPECT_EQ(a.by_phase.front().key, "");  // rows sorted by key: "" first
  EXPECT_EQ(a.by_phase.front().label, "in no phase");
  EXPECT_NEAR(a.by_phase.front().area_m2, 300.0 * 300.0, 1e-6);
  EXPECT_TRUE(is_expansion(""));
}

TEST_F(PlanLoader, unknown_landuse_code_is_an_error_naming_the_code) {
  auto rows = testing::tiling_parcels();
  rows[2].landuse = "M4";
  ProblemReporter problems;
  load_plan(write_plan(rows), {}, problems);
  const Problem* unknown = find_problem(problems, "parcel.unknown_landuse");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->where.feature_key, "P3");
  EXPECT_NE(unknown->message.find("'M4'"), std::string::npos);
}

TEST_F(PlanLoader, duplicate_parcel_ids_are_errors) {
  auto rows = testing::tiling_parcels();
  rows[3].id = "P1";
  ProblemReporter problems;
  load_plan(write_plan(rows), {}, problems);
  EXPECT_EQ(problems.count("parcel.duplicate_id"), 1u);
}

TEST_F(PlanLoader, enclosed_gap_between_parcels_is_a_warning_with_its_area) {
  // A 3 x 3 block of 100 m parcels with the centre one missing: a 10 000 m2 hole enclosed by parcels.
  std::vector<ParcelRow> rows;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      if (i == 1 && j == 1) continue;
      rows.push_back({"G" + std::to_string(3 * i + j), "1-2", "core", "0802", "built",
                      square(kX0 + 100.0 * i, kY0 + 100.0 * j, 100)});
    }
  }
  ProblemReporter problems;
  load_plan(write_plan(rows), {}, problems);
  const Problem* gap = find_problem(problems, "coverage.gap");
  ASSERT_NE(gap, nullptr);
  EXPECT_EQ(gap->severity, Severity::warning);
  EXPECT_NE(gap->message.find("10000"), std::string::npos) << gap->message;
  EXPECT_EQ(problems.count("coverage.overlap"), 0u);
}

TEST_F(PlanLoader, latin1_dbf_without_cpg_is_an_error_naming_feature_and_field_and_loads_when_declared) {
  // A Shapefile written as UTF-8, then its DBF text rewritten in ISO-8859-1 and its .cpg removed: what many
  // desktop tools produce.
  auto rows = testing::tiling_parcels();
  rows[5].zone = "Caf\xc3\xa9";
  const auto dir = m_dir / "shp";
  const std::vector<io::Layer> layers = {testing::parcels_layer(rows), testing::phases_layer()};
  io::write_shapefile_set(dir, layers);
  std::filesystem::remove(dir / "parcels.cpg");
  std::filesystem::remove(dir / "parcels.fields.csv");
  {
    std::fstream dbf(dir / "parcels.dbf", std::ios::in | std::ios::out | std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(dbf)), std::istreambuf_iterator<char>());
    const auto at = bytes.find("Caf\xc3\xa9");
    ASSERT_NE(at, std::string::npos);
    bytes.replace(at, 5, "Caf\xe9 ");  // same width, Latin-1
    dbf.seekp(0);
    dbf.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  ProblemReporter problems;
  try {
    load_plan(dir / "parcels.shp", {}, problems);
    FAIL() << "Latin-1 text was accepted as UTF-8";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::data);
    EXPECT_EQ(e.context().key, "zone");
    EXPECT_TRUE(e.context().feature_id.has_value());
  }
  FieldMapping mapping;
  mapping.source_encoding = "ISO-8859-1";
  const Plan plan = load_plan(dir / "parcels.shp", mapping, problems);
  EXPECT_EQ(plan.parcels[5].zone, "Caf\xc3\xa9");
}

TEST_F(PlanLoader, user_data_with_other_names_loads_through_a_mapping) {
  io::Layer layer;
  layer.name = "dikuai";
  layer.crs = io::CrsRef::from_epsg(4548);
  layer.geometry_type = io::GeometryType::polygon;
  layer.fields = {{"DKBH", io::FieldType::string}, {"QI", io::FieldType::string}, {"YDXZ", io::FieldType::string},
                  {"ZT", io::FieldType::string}};
  layer.features.push_back({1, testing::wkb(square(kX0, kY0, 100)),
                            {std::string("A-1"), std::string("3"), std::string("0802"), std::string("已建")}});
  layer.features.push_back({2, testing::wkb(square(kX0 + 100, kY0, 100)),
                            {std::string("A-2"), std::string("3"), std::string("0802"), std::string("规划")}});
  const auto path = m_dir / "user.gpkg";
  io::write_gpkg(path, std::vector<io::Layer>{layer});

  FieldMapping mapping;
  mapping.layers["parcels"] = LayerMapping{"dikuai", {{"parcel_id", "DKBH"}, {"phase", "QI"}, {"landuse", "YDXZ"},
                                                      {"status", "ZT"}}};
  mapping.status_values = {{"已建", "built"}, {"规划", "planned"}};
  ProblemReporter problems;
  const Plan plan = load_plan(path, mapping, problems);
  ASSERT_EQ(plan.parcels.size(), 2u);
  EXPECT_EQ(plan.parcels[0].id, "A-1");
  EXPECT_EQ(plan.parcels[0].status, DevelopmentStatus::built);
  EXPECT_EQ(plan.parcels[1].status, DevelopmentStatus::planned);
  // No phases layer: phase "3" is the union of its parcels.
  ASSERT_EQ(plan.phases.size(), 1u);
  EXPECT_NEAR(plan.phases[0].area_m2, 20'000.0, kAreaToleranceM2);
  EXPECT_EQ(problems.count(Severity::error), 0u);
}

TEST_F(PlanLoader, a_mapped_layer_that_is_absent_is_reported_under_the_users_name) {
  const auto path = m_dir / "plan.gpkg";
  io::write_gpkg(path, std::vector<io::Layer>{testing::parcels_layer(testing::tiling_parcels())});
  for (const std::string ours : {"parcels", "zones"}) {
    FieldMapping mapping;
    mapping.layers[ours] = LayerMapping{"dikuai_2024", {}};
    ProblemReporter problems;
    try {
      load_plan(path, mapping, problems);
      FAIL() << "no error for a missing " << ours << " layer";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::data);
      EXPECT_EQ(e.context().layer, "dikuai_2024");
      EXPECT_EQ(e.context().key, "layers." + ours + ".layer");
      EXPECT_NE(std::string(e.what()).find("names layer 'dikuai_2024' for " + ours), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("(it has: parcels)"), std::string::npos) << e.what();
    }
  }
}

TEST_F(PlanLoader, missing_required_field_names_the_field_and_the_mapping_key) {
  io::Layer layer = testing::parcels_layer(testing::tiling_parcels());
  layer.fields[3].name = "use";  // landuse renamed
  const auto path = m_dir / "nolanduse.gpkg";
  io::write_gpkg(path, std::vector<io::Layer>{layer});
  ProblemReporter problems;
  try {
    load_plan(path, {}, problems);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::data);
    EXPECT_EQ(e.context().key, "landuse");
    EXPECT_NE(std::string(e.what()).find("[layers.parcels.fields]"), std::string::npos) << e.what();
  }
}

TEST_F(PlanLoader, dataset_without_parcels_is_a_data_error) {
  const auto path = m_dir / "phases_only.gpkg";
  io::write_gpkg(path, std::vector<io::Layer>{testing::phases_layer()});
  ProblemReporter problems;
  try {
    load_plan(path, {}, problems);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::data);
    EXPECT_NE(std::string(e.what()).find("no parcels layer"), std::string::npos);
  }
}

TEST_F(PlanLoader, missing_dataset_is_an_input_error_naming_it) {
  ProblemReporter problems;
  try {
    load_plan(m_dir / "nope.gpkg", {}, problems);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::input);
    EXPECT_NE(std::string(e.what()).find("nope.gpkg"), std::string::npos);
  }
}

TEST_F(PlanLoader, geographic_data_is_projected_into_the_working_crs) {
  // A 0.01 x 0.01 degree square near the park, stored in WGS84.
  io::Layer layer = testing::parcels_layer(
      {{"G1", "3", "core", "0802", "vacant",
        "POLYGON ((116.28 40.09, 116.29 40.09, 116.29 40.10, 116.28 40.10, 116.28 40.09))"}},
      io::CrsRef::from_epsg(4326));
  const auto path = m_dir / "wgs84.gpkg";
  io::write_gpkg(path, std::vector<io::Layer>{layer});
  ProblemReporter problems;
  const Plan plan = load_plan(path, {}, problems);
  ASSERT_EQ(plan.parcels.size(), 1u);
  const auto env = plan.parcels[0].geometry.envelope();
  EXPECT_GT(env.min_x, 400'000.0);    // easting, not longitude
  EXPECT_GT(env.min_y, 4'400'000.0);  // northing, not latitude
  // 0.01 deg lat ~ 1110 m, 0.01 deg lon at 40.1N ~ 851 m: about 0.945 km2.
  EXPECT_NEAR(plan.parcels[0].area_m2, 945'000.0, 5'000.0);
}

TEST_F(PlanLoader, wrong_geometry_type_is_left_out_with_an_error) {
  auto rows = testing::tiling_parcels();
  ProblemReporter problems;
  io::Layer layer = testing::parcels_layer(rows);
  layer.geometry_type = io::GeometryType::unknown;
  layer.features[7].wkb = testing::wkb("LINESTRING (439500 4441500, 440000 4442000)");
  const auto path = m_dir / "mixed.gpkg";
  io::write_gpkg(path, std::vector<io::Layer>{layer, testing::phases_layer()});
  const Plan plan = load_plan(path, {}, problems);
  EXPECT_EQ(plan.parcels.size(), 7u);
  const Problem* wrong = find_problem(problems, "geometry.wrong_type");
  ASSERT_NE(wrong, nullptr);
  EXPECT_EQ(wrong->where.feature_id, 8);
}

}  // namespace
}  // namespace parksim::plan
