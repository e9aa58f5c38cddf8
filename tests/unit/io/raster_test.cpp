// Raster output (COG, PNG) and the QGIS style table of GeoPackages.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "core/budget.hpp"
#include "core/error.hpp"
#include "io/raster.hpp"
#include "io/vector.hpp"
#include "test_support.hpp"

namespace parksim::io {
namespace {

using test::read_bytes;
using test::sample_parcels;
using test::TempDir;

RasterGeometry small_geometry(int cols = 6, int rows = 4) {
  RasterGeometry g;
  g.origin_x = 439000.0;
  g.origin_y = 4441000.0;
  g.cell_size = 50.0;
  g.cols = cols;
  g.rows = rows;
  g.crs = CrsRef::from_epsg(4548);
  return g;
}

std::vector<RasterClass> classes() {
  return {{0, "非建设用地 non-built", "#F5F8DC"}, {1, "绿地 green", "#7AB800"}, {3, "研发 R&D", "#E6A0C8"}};
}

std::vector<std::uint8_t> class_values(int cols, int rows) {
  std::vector<std::uint8_t> v(static_cast<std::size_t>(cols * rows));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = i % 5 == 4 ? class_nodata : static_cast<std::uint8_t>(i % 2 == 0 ? 0 : 3);
  v[1] = 1;
  return v;
}

TEST(ClassCog, is_a_cloud_optimized_geotiff_with_geometry_crs_and_nodata_255) {
  TempDir dir;
  const auto g = small_geometry();
  const auto values = class_values(g.cols, g.rows);
  write_class_cog(dir / "classes.tif", g, values, classes());
  const RasterInfo info = read_raster(dir / "classes.tif", true);
  EXPECT_EQ(info.driver, "GTiff");
  EXPECT_EQ(info.image_structure.at("LAYOUT"), "COG");
  EXPECT_EQ(info.image_structure.at("COMPRESSION"), "DEFLATE");
  EXPECT_EQ(info.data_type, "Byte");
  ASSERT_TRUE(info.nodata.has_value());
  EXPECT_EQ(*info.nodata, 255.0);
  EXPECT_EQ(info.geometry.cols, 6);
  EXPECT_EQ(info.geometry.rows, 4);
  EXPECT_EQ(info.geometry.origin_x, 439000.0);
  EXPECT_EQ(info.geometry.origin_y, 4441000.0);
  EXPECT_EQ(info.geometry.cell_size, 50.0);
  EXPECT_EQ(info.geometry.crs.epsg, 4548);
  ASSERT_EQ(info.values.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) EXPECT_EQ(info.values[i], values[i]) << "cell " << i;
}

TEST(ClassCog, keeps_non_square_cells_and_reports_them_on_reading) {
  TempDir dir;
  RasterGeometry g = small_geometry();
  g.cell_size = 99.92125984251513;
  g.cell_height = 99.95485327313365;
  write_class_cog(dir / "rect.tif", g, class_values(g.cols, g.rows), classes());
  const RasterInfo info = read_raster(dir / "rect.tif");
  EXPECT_EQ(info.geometry.cell_size, 99.92125984251513);
  EXPECT_EQ(info.geometry.cell_height, 99.95485327313365);
  EXPECT_TRUE(info.geometry.north_up);
  // Square cells read back with no height of their own.
  write_class_cog(dir / "square.tif", small_geometry(), class_values(6, 4), classes());
  EXPECT_EQ(read_raster(dir / "square.tif").geometry.cell_height, 0.0);
}

TEST(ClassCog, carries_the_class_colours_and_chinese_category_names_in_its_sidecar) {
  TempDir dir;
  const auto g = small_geometry();
  write_class_cog(dir / "classes.tif", g, class_values(g.cols, g.rows), classes());
  EXPECT_TRUE(std::filesystem::exists(dir / "classes.tif.aux.xml"));
  const RasterInfo info = read_raster(dir / "classes.tif");
  ASSERT_GE(info.colour_table.size(), 4u);
  EXPECT_EQ(info.colour_table[0], "#F5F8DC");
  EXPECT_EQ(info.colour_table[1], "#7AB800");
  EXPECT_EQ(info.colour_table[3], "#E6A0C8");
  ASSERT_GE(info.category_names.size(), 4u);
  EXPECT_EQ(info.category_names[1], "绿地 green");
  EXPECT_EQ(info.category_names[3], "研发 R&D");
  EXPECT_EQ(info.category_names[2], "");
  // Only the two outputs appear: no temporary left behind.
  EXPECT_EQ(dir.entries(), (std::vector<std::string>{"classes.tif", "classes.tif.aux.xml"}));
}

TEST(ClassCog, a_sidecar_with_a_column_usage_beyond_gdals_enum_still_reads_its_attribute_table) {
  // Found by fuzz_study_tables: GDAL keeps any <Usage> number, and holding it in the enum type was undefined behaviour
  // (caught by the UndefinedBehaviorSanitizer of the asan preset). The value column is still found by its name.
  TempDir dir;
  const auto g = small_geometry();
  write_class_cog(dir / "classes.tif", g, class_values(g.cols, g.rows), classes());
  std::string aux = read_bytes(dir / "classes.tif.aux.xml");
  const std::string minmax = "<Usage>5</Usage>";
  ASSERT_NE(aux.find(minmax), std::string::npos) << aux;
  aux.replace(aux.find(minmax), minmax.size(), "<Usage>999999999999990</Usage>");
  std::ofstream(dir / "classes.tif.aux.xml", std::ios::binary | std::ios::trunc) << aux;
  const RasterInfo info = read_raster(dir / "classes.tif");
  ASSERT_EQ(info.attribute_table.size(), 3u);
  EXPECT_EQ(info.attribute_table[2].value, 3);
  EXPECT_EQ(info.attribute_table[2].name, "研发 R&D");
}

TEST(ClassCog, two_writes_give_identical_bytes) {
  TempDir dir;
  const auto g = small_geometry(700, 600);  // larger than one 512 block: overviews are built too
  const auto values = class_values(g.cols, g.rows);
  write_class_cog(dir / "a.tif", g, values, classes());
  write_class_cog(dir / "b.tif", g, values, classes());
  EXPECT_GE(read_raster(dir / "a.tif").overview_count, 1);
  EXPECT_EQ(read_bytes(dir / "a.tif"), read_bytes(dir / "b.tif"));
  EXPECT_EQ(read_bytes(dir / "a.tif.aux.xml"), read_bytes(dir / "b.tif.aux.xml"));
  EXPECT_EQ(read_raster(dir / "a.tif").image_structure.at("LAYOUT"), "COG");
}

TEST(ClassCog, existing_file_is_refused_without_overwrite_and_kept) {
  TempDir dir;
  const auto g = small_geometry();
  write_class_cog(dir / "c.tif", g, class_values(g.cols, g.rows), classes());
  const std::string before = read_bytes(dir / "c.tif");
  std::vector<std::uint8_t> other(static_cast<std::size_t>(g.cols * g.rows), 1);
  try {
    write_class_cog(dir / "c.tif", g, other, classes());
    FAIL() << "expected output_exists";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output_exists);
  }
  EXPECT_EQ(read_bytes(dir / "c.tif"), before);
  write_class_cog(dir / "c.tif", g, other, classes(), RasterWriteOptions{.overwrite = true});
  EXPECT_EQ(read_raster(dir / "c.tif", true).values.at(5), 1.0);
}

TEST(ClassCog, wrong_value_count_and_bad_colour_are_output_errors_writing_nothing) {
  TempDir dir;
  const auto g = small_geometry();
  std::vector<std::uint8_t> too_few(3, 0);
  EXPECT_THROW(write_class_cog(dir / "x.tif", g, too_few, classes()), Error);
  std::vector<RasterClass> bad{{0, "x", "green"}};
  try {
    write_class_cog(dir / "x.tif", g, class_values(g.cols, g.rows), bad);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output);
    EXPECT_NE(std::string(e.what()).find("green"), std::string::npos);
  }
  EXPECT_TRUE(dir.entries().empty());
}

TEST(RasterRead, a_window_reads_only_its_cells_and_reports_where_they_lie) {
  TempDir dir;
  const RasterGeometry g = small_geometry();
  const auto values = class_values(g.cols, g.rows);
  write_class_cog(dir / "w.tif", g, values, classes());
  const RasterInfo info =
      read_raster(dir / "w.tif", RasterReadOptions{.values = true, .window = RasterWindow{2, 1, 3, 2}});
  EXPECT_EQ(info.geometry.cols, 6);  // the whole raster's geometry
  EXPECT_EQ(info.window, (RasterWindow{2, 1, 3, 2}));
  ASSERT_EQ(info.values.size(), 6u);
  for (int r = 0; r < 2; ++r) {
    for (int c = 0; c < 3; ++c) {
      EXPECT_EQ(info.values[static_cast<std::size_t>(r * 3 + c)], values[static_cast<std::size_t>((1 + r) * 6 + 2 + c)]);
    }
  }
  EXPECT_THROW(read_raster(dir / "w.tif", RasterReadOptions{.values = true, .window = RasterWindow{4, 0, 3, 1}}), Error);
}

TEST(RasterRead, more_cells_than_the_caller_can_use_is_a_data_error_before_reading) {
  TempDir dir;
  const RasterGeometry g = small_geometry();
  write_class_cog(dir / "m.tif", g, class_values(g.cols, g.rows), classes());
  try {
    read_raster(dir / "m.tif", RasterReadOptions{.values = true, .max_cells = 20});
    FAIL() << "expected Error(data)";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::data);
    EXPECT_EQ(e.context().path, (dir / "m.tif").string());
    EXPECT_NE(std::string(e.what()).find("6 x 4 cells"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("more than the 20 cells"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("gdalwarp"), std::string::npos) << e.what();
  }
  EXPECT_EQ(read_raster(dir / "m.tif", RasterReadOptions{.values = true, .max_cells = 24}).values.size(), 24u);
}

TEST(RasterRead, a_sparse_raster_beyond_the_memory_budget_is_refused_with_the_estimate) {
  TempDir dir;
  // 20000 x 20000 cells in a file of a hundred bytes (a GDAL virtual raster without sources reads as zeros): the
  // size the file claims, not its bytes on disk, is what counts.
  const std::filesystem::path path = dir / "sparse.vrt";
  test::write_bytes(path, "<VRTDataset rasterXSize=\"20000\" rasterYSize=\"20000\">"
                          "<VRTRasterBand dataType=\"Byte\" band=\"1\"/></VRTDataset>");
  set_memory_budget_bytes(std::uint64_t{1} << 30);
  try {
    read_raster(path, true);
    ADD_FAILURE() << "expected Error(data)";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::data);
    EXPECT_NE(std::string(e.what()).find("20000 x 20000 cells"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("about 3.0 GiB"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("memory budget of 1.0 GiB"), std::string::npos) << e.what();
  }
  set_memory_budget_bytes(0);
  EXPECT_EQ(read_raster(path).geometry.cols, 20000);  // describing it allocates nothing and is fine
}

TEST(RasterRead, a_tiny_file_with_gigabyte_interleaved_blocks_is_refused_before_gdal_reads_a_block) {
  // Found by fuzz_raster: 918 bytes claiming 8 x 6 cells in 512 x 512 blocks of 65535 pixel-interleaved bands, so
  // reading band 1 made GDAL allocate a 17 GB block.
  const std::filesystem::path path =
      std::filesystem::path(PARKSIM_SOURCE_DIR) / "tests/fuzz/corpus/fuzz_raster/regression-65535-interleaved-bands.tif";
  EXPECT_EQ(read_raster(path).band_count, 65535);
  set_memory_budget_bytes(std::uint64_t{1} << 30);
  try {
    read_raster(path, true);
    ADD_FAILURE() << "expected Error(data)";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::data);
    EXPECT_NE(std::string(e.what()).find("a block of 512 x 512 cells x 65535 interleaved bands"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("gdal_translate -b 1"), std::string::npos) << e.what();
  }
  set_memory_budget_bytes(0);
}

TEST(RealCog, probability_raster_is_float32_cog_with_nan_nodata_and_identical_twice) {
  TempDir dir;
  const auto g = small_geometry();
  std::vector<float> values(static_cast<std::size_t>(g.cols * g.rows));
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i) / 24.0f;
  values[7] = std::nanf("");
  write_real_cog(dir / "p.tif", g, values);
  write_real_cog(dir / "q.tif", g, values);
  const RasterInfo info = read_raster(dir / "p.tif", true);
  EXPECT_EQ(info.image_structure.at("LAYOUT"), "COG");
  EXPECT_EQ(info.data_type, "Float32");
  ASSERT_TRUE(info.nodata.has_value());
  EXPECT_TRUE(std::isnan(*info.nodata));
  EXPECT_TRUE(std::isnan(info.values.at(7)));
  EXPECT_FLOAT_EQ(static_cast<float>(info.values.at(12)), 0.5f);
  EXPECT_EQ(read_bytes(dir / "p.tif"), read_bytes(dir / "q.tif"));
  EXPECT_FALSE(std::filesystem::exists(dir / "p.tif.aux.xml"));
}

TEST(ClassPng, encodes_a_palette_png_that_reads_back_with_the_class_colours) {
  TempDir dir;
  const auto values = class_values(6, 4);
  const auto png = encode_class_png(6, 4, values, classes());
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(std::string(png.begin() + 1, png.begin() + 4), "PNG");
  EXPECT_EQ(png, encode_class_png(6, 4, values, classes()));
  test::write_bytes(dir / "c.png", std::string(png.begin(), png.end()));
  const RasterInfo info = read_raster(dir / "c.png", true);
  EXPECT_EQ(info.driver, "PNG");
  EXPECT_EQ(info.colour_table.at(3), "#E6A0C8");
  EXPECT_EQ(info.values.at(1), 1.0);
  EXPECT_EQ(info.values.at(4), 255.0);
}

TEST(GeoPackageStyles, layer_styles_rows_are_written_as_default_styles_with_the_fixed_time) {
  TempDir dir;
  const std::vector<Layer> layers{sample_parcels()};
  WriteOptions options;
  options.layer_styles["parcels"] = "<qgis version=\"3.22\"><renderer-v2 type=\"singleSymbol\"/></qgis>";
  write_gpkg(dir / "styled.gpkg", layers, options);
  write_gpkg(dir / "styled2.gpkg", layers, options);
  EXPECT_EQ(read_bytes(dir / "styled.gpkg"), read_bytes(dir / "styled2.gpkg"));
  ASSERT_EQ(list_layers(dir / "styled.gpkg", true).size(), 1u);
  const Layer styles = read_layer(dir / "styled.gpkg", "layer_styles");
  ASSERT_EQ(styles.features.size(), 1u);
  const auto& row = styles.features[0];
  EXPECT_EQ(as_text(styles.value(row, "f_table_name")), "parcels");
  EXPECT_EQ(as_text(styles.value(row, "f_geometry_column")), "geom");
  EXPECT_EQ(as_integer(styles.value(row, "useAsDefault")), 1);
  EXPECT_EQ(as_text(styles.value(row, "styleQML")), options.layer_styles["parcels"]);
  EXPECT_EQ(as_text(styles.value(row, "update_time")), options.timestamp);
}

TEST(GeoPackageStyles, style_for_a_layer_that_is_not_written_is_refused_before_writing) {
  TempDir dir;
  const std::vector<Layer> layers{sample_parcels()};
  WriteOptions options;
  options.layer_styles["zones"] = "<qgis/>";
  EXPECT_THROW(write_gpkg(dir / "x.gpkg", layers, options), Error);
  EXPECT_TRUE(dir.entries().empty());
  WriteOptions shp;
  shp.layer_styles["parcels"] = "<qgis/>";
  EXPECT_THROW(write_shapefile_set(dir / "shp", layers, shp), Error);
}

}  // namespace
}  // namespace parksim::io
