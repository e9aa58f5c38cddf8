#include "study/drivers.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "study_files.hpp"
#include "temp_dir.hpp"

namespace parksim::study {
namespace {

using namespace testing;

constexpr float kToleranceM = 0.01F;

// A study of one map: forest (1) with built (2) in column 0; grid 8 x 6 cells of 100 m.
class Drivers : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto map = write_map(m_dir / "lu.tif", [](int, int c) { return c == 0 ? 2 : 1; });
    StudySpec spec;
    spec.maps = {{2000, map, {}}};
    spec.classes = {ClassDeclaration{.code = 1, .key = "forest"}, ClassDeclaration{.code = 2, .key = "built", .built = true}};
    m_study = build_study(spec, nullptr, m_problems);
  }
  DriverBuilder builder(std::vector<DriverSpec> specs, double cap = 10000.0) {
    return DriverBuilder(std::move(specs), m_study, nullptr, cap, m_problems);
  }
  grid::Grid<float> one(const DriverBuilder& b, int year, const grid::Grid<std::uint8_t>* map = nullptr) {
    return b.build(year, map ? *map : m_study.initial).front().values;
  }
  Error error_of(std::vector<DriverSpec> specs) {
    try {
      builder(std::move(specs));
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "no error";
    return Error(ErrorCode::internal, "none");
  }
  test_support::TempDir m_dir;
  ProblemReporter m_problems;
  Study m_study;
};

DriverSpec distance(std::string name) {
  DriverSpec d;
  d.name = std::move(name);
  d.kind = DriverKind::distance;
  return d;
}

TEST_F(Drivers, distance_to_matching_vector_features_counts_each_from_its_opening_year) {
  // A road along row 2 (y = 4399750) and a station at (500750, 4399450) opening in 2005; only "ring" roads count.
  const auto roads = write_layer(m_dir / "roads.gpkg", "roads",
                                 {"LINESTRING (500000 4399750, 500800 4399750)", "LINESTRING (500050 4400000, 500050 4399400)",
                                  "POINT (500750 4399450)"},
                                 {"ring", "lane", "ring"}, {0, 0, 2005});
  DriverSpec d = distance("dist_ring_m");
  d.sources = {DriverSource{.path = roads}};
  d.where = "name = 'ring'";
  d.opens_field = "opens";
  const DriverBuilder b = builder({d});
  const auto before = one(b, 2000);
  EXPECT_NEAR(before(2, 5), 0.0F, kToleranceM);
  EXPECT_NEAR(before(5, 7), 300.0F, kToleranceM);  // three rows below the road; the station is not open yet
  EXPECT_NEAR(before(0, 0), 200.0F, kToleranceM);  // the lane does not match
  const auto after = one(b, 2005);
  EXPECT_NEAR(after(5, 7), 0.0F, kToleranceM);
  EXPECT_NE(b.state(2004), b.state(2005));
  EXPECT_EQ(b.state(2000), b.state(2004));
}

TEST_F(Drivers, a_layer_in_another_crs_is_reprojected) {
  // The same road in WGS 84 (UTM zone 50N -> lon/lat), so distances agree with the projected layer's.
  const auto utm = write_layer(m_dir / "utm.gpkg", "r", {"LINESTRING (500000 4399750, 500800 4399750)"}, {"r"}, {0});
  const auto lonlat = write_layer(m_dir / "ll.gpkg", "r",
                                  {"LINESTRING (117.0 39.747654970507945, 117.009337822269 39.74765459493444)"}, {"r"}, {0}, 4326);
  DriverSpec a = distance("utm");
  a.sources = {DriverSource{.path = utm}};
  DriverSpec b = distance("lonlat");
  b.sources = {DriverSource{.path = lonlat}};
  const auto built = builder({a, b}).build(2000, m_study.initial);
  for (std::int64_t i = 0; i < built[0].values.size(); ++i) EXPECT_NEAR(built[0].values[i], built[1].values[i], kToleranceM);
}

TEST_F(Drivers, distance_to_a_class_follows_the_map_or_stays_on_the_start_map) {
  DriverSpec every = distance("dist_built_m");
  every.classes = {"built"};
  DriverSpec once = distance("dist_built_start_m");
  once.built_classes = true;
  once.every_year = false;
  const DriverBuilder b = builder({every, once});
  EXPECT_TRUE(b.depends_on_map());
  EXPECT_FALSE(b.depends_on_map(std::vector<std::string>{"dist_built_start_m"}));
  grid::Grid<std::uint8_t> later = m_study.initial;
  later(0, 7) = 1;  // built in the far corner
  const auto layers = b.build(2001, later);
  EXPECT_NEAR(layers[0].values(0, 7), 0.0F, kToleranceM);
  EXPECT_NEAR(layers[1].values(0, 7), 700.0F, kToleranceM);
}

TEST_F(Drivers, values_fill_nodata_with_the_mean_and_sources_change_by_year) {
  const auto slope_a = write_values(m_dir / "a.tif", [](int r, int c) { return r == 0 && c == 0 ? NAN : 2.0 * c; });
  const auto slope_b = write_values(m_dir / "b.tif", [](int, int) { return 9.0; });
  DriverSpec d;
  d.name = "slope";
  d.kind = DriverKind::value;
  d.sources = {DriverSource{.from_year = 2010, .path = slope_b}, DriverSource{.from_year = 1990, .path = slope_a}};
  d.cap = 10.0;
  const DriverBuilder b = builder({d});
  const auto early = one(b, 2000);
  EXPECT_FLOAT_EQ(early(1, 3), 6.0F);
  EXPECT_FLOAT_EQ(early(1, 7), 10.0F);  // 14, capped
  EXPECT_GT(early(0, 0), 0.0F);         // the mean of the valid cells
  bool warned = false;
  for (const auto& p : m_problems.sorted()) warned = warned || p.code == "drivers.nodata";
  EXPECT_TRUE(warned);
  EXPECT_FLOAT_EQ(one(b, 2012)(1, 3), 9.0F);
}

// A category driver of tier bands (text field `tier`): the whole grid, its three western columns and its north-west
// cell, with the tiers `all`, `west` and `corner`.
DriverSpec tier_bands(const std::filesystem::path& path, const std::string& all, const std::string& west,
                      const std::string& corner) {
  io::Layer l;
  l.name = "bands";
  l.crs = io::CrsRef::from_epsg(32650);
  l.geometry_type = io::GeometryType::polygon;
  l.fields = {{"tier", io::FieldType::string}};
  l.features.push_back({1, wkb("POLYGON ((500000 4400000, 500800 4400000, 500800 4399400, 500000 4399400, 500000 4400000))"),
                        {all}});
  l.features.push_back({2, wkb("POLYGON ((500000 4400000, 500300 4400000, 500300 4399400, 500000 4399400, 500000 4400000))"),
                        {west}});
  l.features.push_back({3, wkb("POLYGON ((500000 4400000, 500100 4400000, 500100 4399900, 500000 4399900, 500000 4400000))"),
                        {corner}});
  io::write_gpkg(path, std::vector<io::Layer>{l});
  DriverSpec d;
  d.name = "tier";
  d.kind = DriverKind::category;
  d.sources = {DriverSource{.path = path}};
  d.field = "tier";
  return d;
}

TEST_F(Drivers, a_category_takes_the_smallest_value_where_polygons_overlap_and_skips_words) {
  DriverSpec d = tier_bands(m_dir / "bands.gpkg", "3", "1", "inner");
  const auto t = one(builder({d}), 2000);
  EXPECT_FLOAT_EQ(t(0, 0), 1.0F);
  EXPECT_FLOAT_EQ(t(0, 5), 3.0F);
  bool warned = false;
  for (const auto& p : m_problems.sorted()) warned = warned || p.code == "drivers.not_a_number";
  EXPECT_TRUE(warned);
  d.outside = 7.0;
  d.smallest_wins = false;
  EXPECT_FLOAT_EQ(one(builder({d}), 2000)(0, 0), 3.0F);
}

TEST_F(Drivers, density_is_a_quartic_kernel_per_km2_within_the_radius) {
  const auto points = write_layer(m_dir / "firms.gpkg", "firms", {"POINT (500350 4399750)"}, {"a"}, {0});
  DriverSpec d;
  d.name = "firms_per_km2";
  d.kind = DriverKind::density;
  d.sources = {DriverSource{.path = points}};
  d.radius_m = 250.0;
  const auto k = one(builder({d}), 2000);
  const double peak = 3.0 / (M_PI * 250.0 * 250.0) * 1.0e6;
  EXPECT_NEAR(k(2, 3), peak, 1e-3 * peak);  // the point's own cell
  const double u = 0.16;                    // 100 m away: (100 / 250)^2
  EXPECT_NEAR(k(2, 4), peak * (1 - u) * (1 - u), 1e-3 * peak);
  EXPECT_FLOAT_EQ(k(2, 6), 0.0F);  // 300 m away, beyond the radius
  EXPECT_EQ(builder({d}).build(2000, m_study.initial).front().unit, "1/km2");
}

TEST_F(Drivers, share_of_a_class_in_a_window_follows_the_map) {
  DriverSpec d;
  d.name = "built_share";
  d.kind = DriverKind::share;
  d.built_classes = true;
  d.radius_m = 100.0;  // a 3 x 3 window on 100 m cells, clipped at the edges
  const DriverBuilder b = builder({d});
  const auto s = one(b, 2000);
  EXPECT_FLOAT_EQ(s(0, 0), 0.5F);          // 2 of the 4 cells of the clipped window
  EXPECT_FLOAT_EQ(s(2, 1), 3.0F / 9.0F);   // one built column of three
  EXPECT_FLOAT_EQ(s(2, 3), 0.0F);
  EXPECT_EQ(b.build(2000, m_study.initial).front().unit, "1");
  grid::Grid<std::uint8_t> later = m_study.initial;
  later(2, 3) = 1;
  EXPECT_FLOAT_EQ(one(b, 2001, &later)(2, 3), 1.0F / 9.0F);
  EXPECT_TRUE(b.depends_on_map());
}

TEST_F(Drivers, transforms_apply_after_the_cap) {
  DriverSpec d = distance("near_built");
  d.classes = {"built"};
  d.transform = DriverTransform::decay;
  d.length_m = 200.0;
  const auto v = one(builder({d}), 2000);
  EXPECT_NEAR(v(0, 0), 1.0F, 1e-6F);
  EXPECT_NEAR(v(0, 2), std::exp(-1.0F), 1e-6F);
  d.transform = DriverTransform::log1p;
  d.cap = 300.0;
  EXPECT_NEAR(one(builder({d}), 2000)(0, 7), std::log1p(300.0F), 1e-5F);
}

TEST_F(Drivers, values_beyond_float_range_are_refused_or_left_out_never_infinite) {
  // A cap or outside value that a float cannot hold is refused by key; it made every cell -inf.
  DriverSpec capped = distance("near_built");
  capped.classes = {"built"};
  capped.cap = -1e300;
  Error e = error_of({capped});
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_EQ(e.context().key, "near_built.cap");
  EXPECT_NE(std::string(e.what()).find("cap = -1e+300 is beyond a driver's range"), std::string::npos) << e.what();

  // A category value beyond float's range is left out like a word, not burnt as +inf (here it would win).
  DriverSpec tier = tier_bands(m_dir / "bands.gpkg", "2", "1e300", "2");
  tier.smallest_wins = false;
  const auto t = one(builder({tier}), 2000);
  EXPECT_FLOAT_EQ(t(0, 2), 2.0F);
  EXPECT_FLOAT_EQ(t(0, 7), 2.0F);
  bool warned = false;
  for (const auto& p : m_problems.sorted()) {
    warned = warned || (p.code == "drivers.not_a_number" && p.message.find("'1e300'") != std::string::npos);
  }
  EXPECT_TRUE(warned);

  // A density whose sum leaves float's range: an error naming the driver and its first such cell (row 0 lies within
  // the 250 m radius of the point in row 2), not an infinite layer.
  io::Layer firms;
  firms.name = "firms";
  firms.crs = io::CrsRef::from_epsg(32650);
  firms.geometry_type = io::GeometryType::point;
  firms.fields = {{"weight", io::FieldType::real}};
  firms.features.push_back({1, wkb("POINT (500350 4399750)"), {3.0e38}});
  io::write_gpkg(m_dir / "firms.gpkg", std::vector<io::Layer>{firms});
  DriverSpec dense;
  dense.name = "firms_per_km2";
  dense.kind = DriverKind::density;
  dense.sources = {DriverSource{.path = m_dir / "firms.gpkg"}};
  dense.field = "weight";
  dense.radius_m = 250.0;
  const DriverBuilder b = builder({dense});
  try {
    b.build(2000, m_study.initial);
    ADD_FAILURE() << "no error";
  } catch (const Error& err) {
    EXPECT_EQ(err.code(), ErrorCode::data);
    EXPECT_NE(std::string(err.what()).find("driver 'firms_per_km2' is inf at row 0, column 3 in 2000"),
              std::string::npos)
        << err.what();
    EXPECT_TRUE(err.context().coordinate.has_value());
  }
}

TEST_F(Drivers, declarations_that_cannot_work_are_errors_naming_the_driver) {
  DriverSpec none = distance("nothing");
  Error e = error_of({none});
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_NE(std::string(e.what()).find("driver 'nothing' needs exactly one source"), std::string::npos);

  DriverSpec unknown = distance("d");
  unknown.classes = {"water"};
  e = error_of({unknown});
  EXPECT_NE(std::string(e.what()).find("no class 'water' (classes: forest, built)"), std::string::npos) << e.what();

  DriverSpec missing = distance("roads");
  missing.sources = {DriverSource{.path = m_dir / "roads_1930.tif"}};
  e = error_of({missing});
  EXPECT_EQ(e.code(), ErrorCode::input);
  EXPECT_NE(std::string(e.what()).find("roads_1930.tif"), std::string::npos);

  const auto shifted = write_values(m_dir / "shifted.tif", [](int, int) { return 1.0; }, geometry(kOriginX + 30.0));
  DriverSpec off;
  off.name = "slope";
  off.kind = DriverKind::value;
  off.sources = {DriverSource{.path = shifted}};
  e = error_of({off});
  EXPECT_EQ(e.code(), ErrorCode::data);
  EXPECT_NE(std::string(e.what()).find("-r bilinear"), std::string::npos) << e.what();

  const auto raster = write_values(m_dir / "r.tif", [](int, int) { return 1.0; });
  DriverSpec filtered = distance("f");
  filtered.sources = {DriverSource{.path = raster}};
  filtered.where = "name = 'x'";
  e = error_of({filtered});
  EXPECT_NE(std::string(e.what()).find("'where' filters vector features"), std::string::npos);

  DriverSpec twice = distance("same");
  twice.classes = {"built"};
  e = error_of({twice, twice});
  EXPECT_NE(std::string(e.what()).find("driver 'same' is declared twice"), std::string::npos);

  DriverSpec plan_layer = distance("stations");
  plan_layer.layer = "stations";
  e = error_of({plan_layer});
  EXPECT_NE(std::string(e.what()).find("the scenario has none"), std::string::npos);

  const DriverBuilder ok = builder({});
  try {
    ok.build(2000, m_study.initial, std::vector<std::string>{"dist_road_m"});
    FAIL() << "no error";
  } catch (const Error& err) {
    EXPECT_NE(std::string(err.what()).find("no driver 'dist_road_m'; declared drivers: none"), std::string::npos);
  }
}

}  // namespace
}  // namespace parksim::study
