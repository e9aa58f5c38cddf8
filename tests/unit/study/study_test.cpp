#include "study/study.hpp"

#include <gdal.h>
#include <gtest/gtest.h>

#include "study_files.hpp"
#include "temp_dir.hpp"

namespace parksim::study {
namespace {

using namespace testing;

// Forest (1) everywhere, built (2) in the first `built_cols` columns, no data (255) in the last row.
std::filesystem::path map_with(const test_support::TempDir& dir, const std::string& name, int built_cols,
                               const io::RasterGeometry& g = geometry()) {
  return write_map(dir / name, [&](int r, int c) { return r == g.rows - 1 ? 255 : (c < built_cols ? 2 : 1); }, g);
}

StudySpec spec_of(std::vector<MapFile> maps) {
  StudySpec s;
  s.maps = std::move(maps);
  return s;
}

Error error_of(const StudySpec& spec) {
  ProblemReporter problems;
  try {
    build_study(spec, nullptr, problems);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error";
  return Error(ErrorCode::internal, "none");
}

TEST(Study, maps_give_the_grid_classes_area_and_start_year) {
  test_support::TempDir dir;
  io::RasterGeometry g = geometry();
  g.cell_size = 99.92125984251513;
  g.cell_height = 99.95485327313365;
  const auto a = map_with(dir, "lu_1985.tif", 2, g);
  const auto b = map_with(dir, "lu_1991.tif", 3, g);
  ProblemReporter problems;
  const Study s = build_study(spec_of({{1991, b, {}}, {1985, a, {}}}), nullptr, problems);
  EXPECT_EQ(s.start_year, 1991);
  EXPECT_EQ(s.spec.cols, kCols);
  EXPECT_EQ(s.spec.cell_size_m, 99.92125984251513);
  EXPECT_EQ(s.spec.cell_height(), 99.95485327313365);  // the user's grid, kept
  EXPECT_EQ(s.spec.crs, "EPSG:32650");
  ASSERT_EQ(s.classes.count(), 2);
  EXPECT_EQ(s.classes[0].code, 1);
  EXPECT_EQ(s.classes[0].name_en, "Forest");  // the maps' category names
  EXPECT_EQ(s.classes[1].key, "built");
  ASSERT_EQ(s.maps.size(), 2u);
  EXPECT_EQ(s.maps[0].year, 1985);
  EXPECT_EQ(s.maps[0].classes(0, 2), 0);  // forest in 1985 (index 0)
  EXPECT_EQ(s.initial(0, 2), 1);          // built in 1991 (index 1)
  EXPECT_EQ(s.initial(kRows - 1, 0), no_class);
  EXPECT_EQ(s.area(kRows - 1, 0), 0);
  EXPECT_EQ(s.area(0, 0), 1);
  EXPECT_EQ(s.zone_ids, std::vector<std::string>{"outside"});
  EXPECT_FALSE(s.has_plan_layers());
}

TEST(Study, a_map_on_another_grid_states_both_grids_and_the_gdalwarp_that_aligns_it) {
  test_support::TempDir dir;
  const auto a = map_with(dir, "lu_1985.tif", 2, geometry(kOriginX + 50.0));
  const auto b = map_with(dir, "lu_1991.tif", 3);
  const Error e = error_of(spec_of({{1985, a, Context{.key = "study.maps.1985"}}, {1991, b, {}}}));
  EXPECT_EQ(e.code(), ErrorCode::data);
  EXPECT_EQ(e.context().key, "study.maps.1985");
  EXPECT_EQ(e.context().path, a.string());
  const std::string m = e.what();
  EXPECT_NE(m.find("it has 8 columns x 6 rows of 100 m cells from (500050, 4399400)"), std::string::npos) << m;
  EXPECT_NE(m.find("the run's grid (the grid of the map of 1991, lu_1991.tif"), std::string::npos) << m;
  EXPECT_NE(m.find("gdalwarp -t_srs EPSG:32650 -te 500000 4399400 500800 4400000 -tr 100 100 -r near"),
            std::string::npos)
      << m;
}

TEST(Study, float_maps_undeclared_codes_empty_maps_and_repeated_years_are_errors) {
  test_support::TempDir dir;
  const auto good = map_with(dir, "lu_1991.tif", 3);
  const auto real = write_values(dir / "real.tif", [](int, int) { return 1.0; });
  Error e = error_of(spec_of({{1985, real, {}}, {1991, good, {}}}));
  EXPECT_EQ(e.code(), ErrorCode::data);
  EXPECT_NE(std::string(e.what()).find("integer class codes, but this raster is Float32"), std::string::npos);

  StudySpec declared = spec_of({{1991, good, {}}});
  declared.classes = {ClassDeclaration{.code = 1, .key = "forest"}};
  e = error_of(declared);
  EXPECT_EQ(e.code(), ErrorCode::data);
  EXPECT_EQ(e.context().path, good.string());
  EXPECT_NE(std::string(e.what()).find("code 2 (first at row 0, column 0) is not in the class table (codes: 1)"),
            std::string::npos)
      << e.what();
  ASSERT_TRUE(e.context().coordinate.has_value());

  const auto empty = write_map(dir / "empty.tif", [](int, int) { return 255; });
  e = error_of(spec_of({{1985, empty, {}}, {1991, good, {}}}));
  EXPECT_EQ(e.code(), ErrorCode::data);
  EXPECT_EQ(e.context().path, empty.string());
  EXPECT_NE(std::string(e.what()).find("no cell with data"), std::string::npos);

  e = error_of(spec_of({{1991, good, {}}, {1991, good, Context{.key = "study.maps.1991"}}}));
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_NE(std::string(e.what()).find("two maps for 1991"), std::string::npos);

  StudySpec late = spec_of({{1991, good, Context{.key = "study.maps.1991"}}});
  late.start_year = 1990;
  e = error_of(late);
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_EQ(e.context().key, "study.maps.1991");
  EXPECT_NE(std::string(e.what()).find("dated after the start year 1990"), std::string::npos);
}

TEST(Study, classes_missing_from_some_maps_are_a_warning_naming_them) {
  test_support::TempDir dir;
  const auto a = write_map(dir / "a.tif", [](int, int) { return 1; });
  const auto b = map_with(dir, "b.tif", 3);
  ProblemReporter problems;
  build_study(spec_of({{1985, a, {}}, {1991, b, {}}}), nullptr, problems);
  bool found = false;
  for (const auto& p : problems.sorted()) {
    found = found || (p.code == "study.class_sets_differ" &&
                      p.message == "class 'built' is in the maps of 1991 but not in those of 1985");
  }
  EXPECT_TRUE(found);
}

TEST(Study, a_raster_attribute_table_names_the_classes) {
  test_support::TempDir dir;
  const auto path = map_with(dir, "rat.tif", 3);
  {
    GDALAllRegister();
    GDALDatasetH ds = GDALOpen(path.c_str(), GA_Update);
    ASSERT_NE(ds, nullptr);
    GDALRasterAttributeTableH rat = GDALCreateRasterAttributeTable();
    GDALRATCreateColumn(rat, "Value", GFT_Integer, GFU_MinMax);
    GDALRATCreateColumn(rat, "Class", GFT_String, GFU_Name);
    GDALRATSetValueAsInt(rat, 0, 0, 1);
    GDALRATSetValueAsString(rat, 0, 1, "Woodland");
    GDALRATSetValueAsInt(rat, 1, 0, 2);
    GDALRATSetValueAsString(rat, 1, 1, "Urban fabric");
    GDALSetDefaultRAT(GDALGetRasterBand(ds, 1), rat);
    GDALDestroyRasterAttributeTable(rat);
    GDALClose(ds);
  }
  ProblemReporter problems;
  const Study s = build_study(spec_of({{2000, path, {}}}), nullptr, problems);
  EXPECT_EQ(s.classes[0].name_en, "Woodland");
  EXPECT_EQ(s.classes[1].key, "urban_fabric");
}

TEST(Study, a_mask_and_an_exclusion_layer_shape_the_study) {
  test_support::TempDir dir;
  const auto map = map_with(dir, "lu.tif", 3);
  const auto mask = write_map(dir / "mask.tif", [](int, int c) { return c < 6 ? 1 : 0; });
  const auto excl = write_layer(dir / "excl.gpkg", "reserve", {"POLYGON ((500000 4400000, 500200 4400000, 500200 4399800, "
                                                                "500000 4399800, 500000 4400000))"},
                                {"reserve"}, {0});
  StudySpec spec = spec_of({{2000, map, {}}});
  spec.mask.path = mask;
  spec.exclusion.path = excl;
  ProblemReporter problems;
  const Study s = build_study(spec, nullptr, problems);
  EXPECT_EQ(s.area(0, 5), 1);
  EXPECT_EQ(s.area(0, 6), 0);
  EXPECT_EQ(s.initial(0, 6), no_class);
  EXPECT_EQ(s.exclusion(0, 0), 1);
  EXPECT_EQ(s.exclusion(1, 1), 1);
  EXPECT_EQ(s.exclusion(2, 0), 0);
}

TEST(Study, an_explicit_grid_and_grids_that_need_a_plan) {
  test_support::TempDir dir;
  const auto map = map_with(dir, "lu.tif", 3);
  StudySpec spec = spec_of({{2000, map, {}}});
  spec.grid.extent = "explicit";
  spec.grid.origin_x = kOriginX;
  spec.grid.origin_y = kOriginY;
  spec.grid.cols = kCols;
  spec.grid.rows = kRows;
  spec.grid.cell_size_m = kCell;
  spec.grid.crs = "EPSG:32650";
  ProblemReporter problems;
  EXPECT_EQ(build_study(spec, nullptr, problems).spec.cell_count(), kCols * kRows);
  spec.grid.cell_size_m = 50.0;
  spec.grid.cols = 2 * kCols;
  spec.grid.rows = 2 * kRows;
  const Error e = error_of(spec);
  EXPECT_NE(std::string(e.what()).find("-tr 50 50 -r near"), std::string::npos) << e.what();
  spec.grid.extent = "corridor";
  const Error needs_plan = error_of(spec);
  EXPECT_EQ(needs_plan.code(), ErrorCode::config);
  EXPECT_NE(std::string(needs_plan.what()).find("has none (geodata.path)"), std::string::npos);
  EXPECT_EQ(error_of(StudySpec{}).code(), ErrorCode::config);  // nothing to study
}

TEST(Study, from_maps_in_memory) {
  const grid::GridSpec spec{0.0, 300.0, 100.0, 3, 3, "EPSG:32650"};
  grid::Grid<std::uint8_t> a(spec, 5), b(spec, 5);
  b(0, 0) = 9;
  a(2, 2) = 255;
  b(2, 2) = 255;
  ProblemReporter problems;
  const Study s = study_from_maps(spec, {{2010, b}, {2000, a}}, {ClassDeclaration{.code = 9, .key = "town", .built = true}},
                                  {}, {}, problems);
  EXPECT_EQ(s.start_year, 2010);
  ASSERT_EQ(s.classes.count(), 2);
  EXPECT_EQ(s.classes[1].key, "town");
  EXPECT_EQ(s.initial(0, 0), 1);
  EXPECT_EQ(s.area(2, 2), 0);
  EXPECT_THROW(study_from_maps(spec, {{2000, a}, {2000, b}}, {}, {}, {}, problems), Error);
}

}  // namespace
}  // namespace parksim::study
