#include <gtest/gtest.h>

#include <thread>

#include "core/error.hpp"
#include "core/progress.hpp"
#include "io/memory_file.hpp"
#include "io/vector.hpp"
#include "test_support.hpp"

namespace parksim::io {
namespace {

using test::read_bytes;
using test::sample_parcels;
using test::TempDir;
using test::wkb_coordinates;
using test::wkb_type;
using test::write_bytes;

constexpr std::uint32_t wkb_multi_polygon = 6;

WriteOptions overwriting() {
  WriteOptions options;
  options.overwrite = true;
  return options;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

struct FormatTraits {
  bool keeps_fids = true;
  std::uint32_t wkb_type = wkb_multi_polygon;  // promoted on write
  bool has_date_type = true;
};

// Every value, the geometry and the layer metadata of `sample_parcels()` as read back from any format,
// with features in the order written (sort first for formats that reorder).
void expect_sample_parcels(const Layer& read, FormatTraits traits) {
  const Layer expected = sample_parcels();
  EXPECT_EQ(read.name, "parcels");
  EXPECT_EQ(read.crs.epsg, 4548);
  ASSERT_EQ(read.fields.size(), expected.fields.size());
  for (std::size_t i = 0; i < expected.fields.size(); ++i) {
    EXPECT_EQ(read.fields[i].name, expected.fields[i].name);
    const bool date_as_text = !traits.has_date_type && expected.fields[i].type == FieldType::date;
    EXPECT_EQ(read.fields[i].type, date_as_text ? FieldType::string : expected.fields[i].type)
        << expected.fields[i].name;
  }
  ASSERT_EQ(read.features.size(), 3u);
  for (std::size_t n = 0; n < 3; ++n) {
    const Feature& f = read.features[n];
    if (traits.keeps_fids) {
      EXPECT_EQ(f.fid, expected.features[n].fid);
    }
    EXPECT_EQ(as_integer(read.value(f, "parcel_id")), 100 + static_cast<std::int64_t>(n));
    EXPECT_EQ(as_real(read.value(f, "area_m2")), 40000.5 + static_cast<double>(n));
    EXPECT_EQ(as_text(read.value(f, "zone")), n == 0 ? "前沿技术" : "医疗器械");
    const std::string date = "2023-0" + std::to_string(n + 1) + "-15";
    EXPECT_EQ(as_text(read.value(f, "approved")), traits.has_date_type ? date : date + "T00:00:00.000");
    if (n == 2) {
      EXPECT_TRUE(std::holds_alternative<std::monostate>(read.value(f, "用地性质")));
    } else {
      EXPECT_EQ(as_text(read.value(f, "用地性质")), "医药健康产业用地");
    }
    EXPECT_EQ(wkb_type(f.wkb), traits.wkb_type);
    const auto coords = wkb_coordinates(f.wkb);
    ASSERT_EQ(coords.size(), 5u);
    double min_x = coords[0].first, min_y = coords[0].second;
    for (const auto& [x, y] : coords) {
      min_x = std::min(min_x, x);
      min_y = std::min(min_y, y);
    }
    EXPECT_EQ(min_x, test::park_x_m + 300.0 * static_cast<double>(n));  // exact: binary doubles round-trip
    EXPECT_EQ(min_y, test::park_y_m);
  }
}

// ---------------------------------------------------------------------------------------------- GeoPackage

TEST(GeoPackage, round_trips_types_values_chinese_text_crs_and_geometry) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  write_gpkg(dir / "results.gpkg", std::span(&parcels, 1));
  const Layer read = read_layer(dir / "results.gpkg", "parcels");
  expect_sample_parcels(read, {});
  EXPECT_EQ(read.geometry_type, GeometryType::multi_polygon);
}

TEST(GeoPackage, read_each_hands_over_the_header_first_then_each_feature_and_keeps_none) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  write_gpkg(dir / "results.gpkg", std::span(&parcels, 1));
  const Layer whole = read_layer(dir / "results.gpkg", "parcels");
  const VectorDataset dataset(dir / "results.gpkg");
  std::vector<std::string> events;
  std::vector<Feature> features;
  const Layer header = dataset.read_each(
      "parcels", {},
      [&](const Layer& h, std::int64_t count) {
        events.push_back("start " + std::to_string(count));
        EXPECT_EQ(h.fields, whole.fields);
        EXPECT_EQ(h.crs, whole.crs);
        EXPECT_TRUE(h.features.empty());
      },
      [&](Feature&& f) {
        events.push_back("feature " + std::to_string(f.fid));
        features.push_back(std::move(f));
      });
  ASSERT_EQ(whole.features.size(), 3u);
  EXPECT_EQ(events, (std::vector<std::string>{"start 3", "feature 1", "feature 2", "feature 3"}));
  EXPECT_TRUE(header.features.empty());
  EXPECT_EQ(header.name, "parcels");
  ASSERT_EQ(features.size(), whole.features.size());
  for (std::size_t k = 0; k < features.size(); ++k) {
    EXPECT_EQ(features[k].wkb, whole.features[k].wkb);
    EXPECT_EQ(features[k].values, whole.features[k].values);
  }
}

TEST(GeoPackage, layer_without_crs_reads_back_without_crs) {
  // GeoPackage stores "no CRS" as an "Undefined ... SRS" row; it must not come back as a CRS.
  TempDir dir;
  Layer parcels = sample_parcels();
  parcels.crs = CrsRef{};
  write_gpkg(dir / "nocrs.gpkg", std::span(&parcels, 1));
  const Layer read = read_layer(dir / "nocrs.gpkg", "parcels");
  EXPECT_TRUE(read.crs.empty()) << read.crs.wkt;
}

TEST(GeoPackage, same_content_gives_byte_identical_files_stamped_with_the_fixed_time) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  write_gpkg(dir / "a.gpkg", std::span(&parcels, 1));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // "now" differs by then
  write_gpkg(dir / "b.gpkg", std::span(&parcels, 1));
  const std::string a = read_bytes(dir / "a.gpkg");
  ASSERT_GT(a.size(), 1000u);
  EXPECT_TRUE(a == read_bytes(dir / "b.gpkg"));
  EXPECT_TRUE(contains(a, "2000-01-01T00:00:00.000Z"));

  WriteOptions other;
  other.timestamp = "2024-06-30T12:00:00.000Z";
  write_gpkg(dir / "c.gpkg", std::span(&parcels, 1), other);
  const std::string c = read_bytes(dir / "c.gpkg");
  EXPECT_TRUE(contains(c, "2024-06-30T12:00:00.000Z"));
  EXPECT_FALSE(a == c);
}

TEST(GeoPackage, spatial_layers_get_an_rtree_index) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  write_gpkg(dir / "results.gpkg", std::span(&parcels, 1));
  EXPECT_TRUE(contains(read_bytes(dir / "results.gpkg"), "rtree_parcels_geom"));
}

TEST(GeoPackage, malformed_timestamp_is_a_config_error_and_nothing_is_written) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  WriteOptions options;
  options.timestamp = "2024-06-30";
  try {
    write_gpkg(dir / "results.gpkg", std::span(&parcels, 1), options);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_EQ(e.context().key, "timestamp");
  }
  EXPECT_TRUE(dir.entries().empty());
}

Layer landuse_classes() {
  Layer table;
  table.name = "landuse_classes";
  table.geometry_type = GeometryType::none;
  table.fields = {{"code", FieldType::string}, {"名称", FieldType::string}};
  table.features.push_back(Feature{-1, {}, {Value{std::string("M1")}, Value{std::string("一类工业用地")}}});
  table.features.push_back(Feature{-1, {}, {Value{std::string("A6")}, Value{std::string("医疗卫生用地")}}});
  return table;
}

Layer style_table() {
  Layer styles;
  styles.name = "layer_styles";
  styles.geometry_type = GeometryType::none;
  styles.fields = {{"f_table_name"}, {"styleQML"}};
  styles.features.push_back(Feature{-1, {}, {Value{std::string("parcels")}, Value{std::string("<qgis/>")}}});
  return styles;
}

TEST(GeoPackage, lists_spatial_layers_and_attribute_tables_only_when_asked) {
  TempDir dir;
  const std::vector<Layer> layers{sample_parcels(), landuse_classes()};
  write_gpkg(dir / "plan.gpkg", layers);
  const auto spatial = list_layers(dir / "plan.gpkg");
  ASSERT_EQ(spatial.size(), 1u);
  EXPECT_EQ(spatial[0].name, "parcels");
  EXPECT_EQ(spatial[0].geometry_type, GeometryType::multi_polygon);
  EXPECT_EQ(spatial[0].feature_count, 3);
  const auto all = list_layers(dir / "plan.gpkg", true);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].name, "landuse_classes");
  EXPECT_EQ(all[1].geometry_type, GeometryType::none);

  const Layer classes = read_layer(dir / "plan.gpkg", "landuse_classes");
  ASSERT_EQ(classes.features.size(), 2u);
  EXPECT_TRUE(classes.features[0].wkb.empty());
  EXPECT_EQ(as_text(classes.value(classes.features[1], "名称")), "医疗卫生用地");
}

TEST(GeoPackage, layer_styles_table_is_never_listed_but_readable_by_name) {
  TempDir dir;
  const std::vector<Layer> layers{sample_parcels(), style_table()};
  write_gpkg(dir / "results.gpkg", layers);
  for (const bool include_non_spatial : {false, true}) {
    const auto listed = list_layers(dir / "results.gpkg", include_non_spatial);
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].name, "parcels");
  }
  const Layer styles = read_layer(dir / "results.gpkg", "layer_styles");
  ASSERT_EQ(styles.features.size(), 1u);
  EXPECT_EQ(as_text(styles.value(styles.features[0], "styleQML")), "<qgis/>");
}

TEST(GeoPackage, existing_file_is_refused_without_overwrite_and_stays_byte_identical) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  write_gpkg(dir / "results.gpkg", std::span(&parcels, 1));
  const std::string before = read_bytes(dir / "results.gpkg");
  const Layer classes = landuse_classes();
  try {
    write_gpkg(dir / "results.gpkg", std::span(&classes, 1));
    FAIL() << "expected output_exists";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output_exists);
    EXPECT_EQ(e.context().path, (dir / "results.gpkg").string());
  }
  EXPECT_TRUE(before == read_bytes(dir / "results.gpkg"));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"results.gpkg"});
}

TEST(GeoPackage, overwrite_replaces_the_previous_content) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  write_gpkg(dir / "results.gpkg", std::span(&parcels, 1));
  const Layer classes = landuse_classes();
  write_gpkg(dir / "results.gpkg", std::span(&classes, 1), overwriting());
  const auto layers = list_layers(dir / "results.gpkg", true);
  ASSERT_EQ(layers.size(), 1u);
  EXPECT_EQ(layers[0].name, "landuse_classes");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"results.gpkg"});
}

TEST(GeoPackage, failure_at_the_third_feature_keeps_the_previous_file_and_leaves_no_temporary) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  write_gpkg(dir / "results.gpkg", std::span(&parcels, 1));
  const std::string before = read_bytes(dir / "results.gpkg");

  Layer broken = sample_parcels();
  broken.features[2].wkb.resize(11);  // truncated WKB: GDAL cannot parse it
  try {
    write_gpkg(dir / "results.gpkg", std::span(&broken, 1), overwriting());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output);
    EXPECT_EQ(e.context().layer, "parcels");
    EXPECT_EQ(e.context().feature_id, 3);
    EXPECT_TRUE(contains(e.message(), "invalid WKB")) << e.what();
  }
  EXPECT_TRUE(before == read_bytes(dir / "results.gpkg"));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"results.gpkg"});
}

TEST(GeoPackage, cancelling_through_progress_writes_nothing) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  Progress progress([](double fraction, std::string_view) { return fraction < 0.5; });
  WriteOptions options;
  options.progress = &progress;
  try {
    write_gpkg(dir / "results.gpkg", std::span(&parcels, 1), options);
    FAIL() << "expected cancellation";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::cancelled);
  }
  EXPECT_TRUE(dir.entries().empty());
}

TEST(GeoPackage, value_of_the_wrong_type_is_an_error_naming_feature_and_field) {
  TempDir dir;
  Layer parcels = sample_parcels();
  parcels.features[1].values[0] = Value{std::string("P-101")};  // string into the integer field parcel_id
  try {
    write_gpkg(dir / "results.gpkg", std::span(&parcels, 1));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output);
    EXPECT_EQ(e.context().feature_id, 2);
    EXPECT_EQ(e.context().key, "parcel_id");
  }
  EXPECT_TRUE(dir.entries().empty());
}

// ----------------------------------------------------------------------------------------------- Shapefile

TEST(Shapefile, set_round_trips_chinese_values_and_the_chinese_field_name_through_the_field_map) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  write_shapefile_set(dir / "shp", std::span(&parcels, 1));
  for (const char* ext : {".shp", ".shx", ".dbf", ".prj", ".cpg", ".fields.csv"}) {
    EXPECT_TRUE(std::filesystem::is_regular_file(dir / "shp" / (std::string("parcels") + ext))) << ext;
  }
  EXPECT_EQ(read_bytes(dir / "shp" / "parcels.cpg"), "UTF-8");
  const Layer read = read_layer(dir / "shp" / "parcels.shp", "parcels");
  // Shapefiles cannot tell a single-part MultiPolygon from a Polygon.
  expect_sample_parcels(read, {.keeps_fids = false, .wkb_type = 3});
  EXPECT_EQ(read.fields[4].label_zh, "用地性质");
  EXPECT_EQ(read.fields[4].label_en, "land use");
  EXPECT_EQ(read.fields[1].unit, "m2");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"shp"});
}

TEST(Shapefile, prj_written_by_gdal_reads_back_as_epsg_4548) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  write_shapefile_set(dir / "shp", std::span(&parcels, 1));
  const std::string prj = read_bytes(dir / "shp" / "parcels.prj");
  EXPECT_EQ(prj.rfind("PROJCS[\"CGCS2000_3_Degree_GK_CM_117E\"", 0), 0u) << prj;  // the ESRI form
  EXPECT_EQ(read_layer(dir / "shp", "parcels").crs.epsg, 4548);
}

TEST(Shapefile, dbf_has_short_ascii_names_and_the_map_says_what_they_mean) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  write_shapefile_set(dir / "shp", std::span(&parcels, 1));
  ReadOptions raw;
  raw.apply_field_map = false;
  const Layer read = read_layer(dir / "shp", "parcels", raw);
  std::vector<std::string> names;
  for (const auto& field : read.fields) names.push_back(field.name);
  EXPECT_EQ(names, (std::vector<std::string>{"parcel_id", "area_m2", "zone", "approved", "land_use"}));
  EXPECT_EQ(read_bytes(dir / "shp" / "parcels.fields.csv"),
            "short_name,full_name,label_zh,label_en,unit\n"
            "parcel_id,parcel_id,地块编号,parcel id,\n"
            "area_m2,area_m2,面积,area,m2\n"
            "zone,zone,分区,zone,\n"
            "approved,approved,批复日期,approved on,\n"
            "land_use,用地性质,用地性质,land use,\n");
}

TEST(Shapefile, shorten_for_dbf_cuts_only_overlong_strings_at_character_boundaries) {
  Layer layer;
  layer.name = "notes";
  layer.fields = {{"short", FieldType::string}, {"long", FieldType::string}, {"n", FieldType::integer}};
  std::string ascii(300, 'a');
  std::string cjk;
  for (int i = 0; i < 90; ++i) cjk += "区";  // 270 bytes
  layer.features.push_back({1, {}, {std::string("ok"), ascii, std::int64_t{5}}});
  layer.features.push_back({2, {}, {std::string("ok"), cjk, std::int64_t{6}}});
  std::vector<Layer> layers = {layer};
  const auto cuts = shorten_for_dbf(layers);
  ASSERT_EQ(cuts.size(), 1u);
  EXPECT_EQ(cuts[0].layer, "notes");
  EXPECT_EQ(cuts[0].field, "long");
  EXPECT_EQ(cuts[0].values, 2u);
  EXPECT_EQ(std::get<std::string>(layers[0].features[0].values[1]).size(), dbf_string_max_bytes);
  const auto& cut_cjk = std::get<std::string>(layers[0].features[1].values[1]);
  EXPECT_EQ(cut_cjk.size(), 252u);  // 84 whole characters; a 3-byte character would cross 254
  EXPECT_TRUE(is_valid_utf8(cut_cjk));
  EXPECT_EQ(std::get<std::string>(layers[0].features[0].values[0]), "ok");
  EXPECT_EQ(std::get<std::int64_t>(layers[0].features[1].values[2]), 6);
}

TEST(Shapefile, two_writes_of_the_same_layers_are_byte_identical) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  write_shapefile_set(dir / "a", std::span(&parcels, 1));
  write_shapefile_set(dir / "b", std::span(&parcels, 1));
  for (const char* ext : {".shp", ".shx", ".dbf", ".prj", ".cpg", ".fields.csv"}) {
    const std::string name = std::string("parcels") + ext;
    EXPECT_TRUE(read_bytes(dir / "a" / name) == read_bytes(dir / "b" / name)) << name;
  }
  // DBF header bytes 1..3: date of last update (years since 1900, month, day) = the fixed 2000-01-01.
  const std::string dbf = read_bytes(dir / "a" / "parcels.dbf");
  EXPECT_EQ(static_cast<int>(dbf.at(1)), 100);
  EXPECT_EQ(static_cast<int>(dbf.at(2)), 1);
  EXPECT_EQ(static_cast<int>(dbf.at(3)), 1);
}

TEST(Shapefile, line_string_in_a_polygon_layer_is_an_error_naming_the_feature) {
  TempDir dir;
  Layer parcels = sample_parcels();
  parcels.features[1].wkb = test::wkb_line({{test::park_x_m, test::park_y_m}, {test::park_x_m + 50, test::park_y_m}});
  try {
    write_shapefile_set(dir / "shp", std::span(&parcels, 1));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output);
    EXPECT_EQ(e.context().layer, "parcels");
    EXPECT_EQ(e.context().feature_id, 2);
    EXPECT_TRUE(contains(e.what(), "feature 2")) << e.what();
    EXPECT_TRUE(contains(e.message(), "Line String")) << e.what();
  }
  EXPECT_TRUE(dir.entries().empty());  // neither the set nor its temporary directory
}

TEST(Shapefile, failed_overwrite_keeps_the_previous_set_intact) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  write_shapefile_set(dir / "shp", std::span(&parcels, 1));
  const std::string dbf_before = read_bytes(dir / "shp" / "parcels.dbf");
  Layer broken = sample_parcels();
  broken.features[2].wkb = {1, 3, 0, 0, 0, 9};  // polygon header followed by garbage
  EXPECT_THROW(write_shapefile_set(dir / "shp", std::span(&broken, 1), overwriting()), Error);
  EXPECT_TRUE(dbf_before == read_bytes(dir / "shp" / "parcels.dbf"));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"shp"});
  EXPECT_EQ(read_layer(dir / "shp", "parcels").features.size(), 3u);
}

TEST(Shapefile, overwrite_replaces_the_whole_set_and_extra_files_are_included) {
  TempDir dir;
  std::vector<Layer> two{sample_parcels(), sample_parcels()};
  two[1].name = "zones";
  write_shapefile_set(dir / "shp", two);
  const Layer parcels = sample_parcels();
  WriteOptions options = overwriting();
  options.extra_files["parcels.qml"] = "<qgis version=\"3.22\"/>";
  write_shapefile_set(dir / "shp", std::span(&parcels, 1), options);
  EXPECT_FALSE(std::filesystem::exists(dir / "shp" / "zones.shp"));
  EXPECT_EQ(read_bytes(dir / "shp" / "parcels.qml"), "<qgis version=\"3.22\"/>");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"shp"});
}

TEST(Shapefile, string_longer_than_the_dbf_limit_is_an_error_not_a_truncation) {
  TempDir dir;
  Layer parcels = sample_parcels();
  std::string long_text;
  for (int i = 0; i < 90; ++i) long_text += "医";  // 270 bytes
  parcels.features[0].values[2] = Value{long_text};
  try {
    write_shapefile_set(dir / "shp", std::span(&parcels, 1));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output);
    EXPECT_EQ(e.context().key, "zone");
    EXPECT_EQ(e.context().feature_id, 1);
  }
}

// A Shapefile written elsewhere with GBK strings and no .cpg: made from ours by re-encoding one value.
std::filesystem::path make_gbk_shapefile(const TempDir& dir, char ldid) {
  Layer parcels = sample_parcels();
  parcels.fields.resize(3);  // parcel_id, area_m2, zone
  for (auto& f : parcels.features) {
    f.values.resize(3);
    f.values[2] = Value{std::string("规划用地")};
  }
  write_shapefile_set(dir / "gbk", std::span(&parcels, 1));
  const auto dbf_path = dir / "gbk" / "parcels.dbf";
  std::string dbf = read_bytes(dbf_path);
  const std::string utf8 = "规划用地";                                  // 12 bytes
  const std::string gbk = std::string("\xB9\xE6\xBB\xAE\xD3\xC3\xB5\xD8") + "    ";  // 8 bytes + DBF padding
  for (std::size_t at = dbf.find(utf8); at != std::string::npos; at = dbf.find(utf8, at)) dbf.replace(at, utf8.size(), gbk);
  dbf[29] = ldid;  // language driver id
  write_bytes(dbf_path, dbf);
  std::filesystem::remove(dir / "gbk" / "parcels.cpg");
  std::filesystem::remove(dir / "gbk" / "parcels.fields.csv");
  return dir / "gbk" / "parcels.shp";
}

TEST(Shapefile, gbk_strings_without_cpg_are_reported_not_turned_into_mojibake) {
  for (const char ldid : {'\0', '\x57'}) {  // no code page; ISO-8859-1 (LDID 87)
    TempDir dir;
    const auto path = make_gbk_shapefile(dir, ldid);
    try {
      (void)read_layer(path, "parcels");
      FAIL() << "expected a data error for LDID " << static_cast<int>(ldid);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::data);
      EXPECT_EQ(e.context().layer, "parcels");
      EXPECT_EQ(e.context().feature_id, 0);
      EXPECT_EQ(e.context().key, "zone");
      EXPECT_TRUE(contains(e.message(), ".cpg")) << e.what();
    }
  }
}

TEST(Shapefile, declared_source_encoding_decodes_gbk) {
  TempDir dir;
  const auto path = make_gbk_shapefile(dir, '\x57');
  ReadOptions options;
  options.source_encoding = "CP936";
  const Layer read = read_layer(path, "parcels", options);
  ASSERT_EQ(read.features.size(), 3u);
  EXPECT_EQ(as_text(read.value(read.features[2], "zone")), "规划用地");
}

TEST(Shapefile, without_cpg_the_message_says_what_a_user_of_the_command_can_do) {
  TempDir dir;
  const auto path = make_gbk_shapefile(dir, '\x57');
  try {
    (void)read_layer(path, "parcels");
    FAIL() << "expected a data error";
  } catch (const Error& e) {
    EXPECT_TRUE(contains(e.message(), "add a .cpg file beside it")) << e.what();
    EXPECT_TRUE(contains(e.message(), "source_encoding = \"CP936\" in a mapping file (--mapping")) << e.what();
    EXPECT_FALSE(contains(e.message(), "ReadOptions")) << e.what();
  }
}

TEST(Shapefile, an_unknown_source_encoding_is_a_config_error_naming_it) {
  TempDir dir;
  const auto path = make_gbk_shapefile(dir, '\x57');
  ReadOptions options;
  options.source_encoding = "GBKK";
  try {
    (void)read_layer(path, "parcels", options);
    FAIL() << "expected a config error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_EQ(e.context().key, "source_encoding");
    EXPECT_TRUE(contains(e.message(), "source_encoding 'GBKK' is not an encoding this system knows")) << e.what();
    EXPECT_TRUE(contains(e.message(), "CP936")) << e.what();
  }
}

TEST(VectorDataset, lists_and_reads_several_layers_from_one_opening) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  const std::vector<Layer> layers = {parcels, landuse_classes()};
  write_gpkg(dir / "plan.gpkg", layers);
  const VectorDataset dataset(dir / "plan.gpkg");
  EXPECT_EQ(dataset.path(), dir / "plan.gpkg");
  ASSERT_EQ(dataset.layers(true).size(), 2u);
  EXPECT_EQ(dataset.read("parcels").features.size(), parcels.features.size());
  EXPECT_EQ(dataset.read("landuse_classes").features.size(), 2u);
  EXPECT_THROW((void)dataset.read("zones"), Error);
}

TEST(MemoryFile, bytes_read_as_a_file_and_leave_nothing_behind) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  write_geojson(dir / "p.geojson", parcels);
  const std::string text = read_bytes(dir / "p.geojson");
  std::filesystem::path path;
  {
    const MemoryFile file("p.geojson", std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
    path = file.path();
    EXPECT_EQ(path.string().rfind("/vsimem/", 0), 0u);
    EXPECT_EQ(read_layer(path, "parcels").features.size(), parcels.features.size());
  }
  EXPECT_THROW((void)read_layer(path, "parcels"), Error);
}

// ------------------------------------------------------------------------------------ GeoJSON, FlatGeobuf

TEST(GeoJson, is_reprojected_to_wgs84_longitude_latitude) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  write_geojson(dir / "parcels.geojson", parcels);
  const std::string text = read_bytes(dir / "parcels.geojson");
  EXPECT_FALSE(contains(text, "\"crs\""));  // RFC 7946: no crs member
  EXPECT_TRUE(contains(text, "医药健康产业用地"));
  const Layer read = read_layer(dir / "parcels.geojson", "parcels");
  EXPECT_EQ(read.crs.epsg, 4326);
  ASSERT_EQ(read.features.size(), 3u);
  // The park lies at about 116.28 E, 40.10 N; a swapped axis order would give x ~ 40.
  for (const auto& [lon, lat] : wkb_coordinates(read.features[0].wkb)) {
    EXPECT_GT(lon, 116.2);
    EXPECT_LT(lon, 116.4);
    EXPECT_GT(lat, 40.0);
    EXPECT_LT(lat, 40.2);
  }
  EXPECT_EQ(as_text(read.value(read.features[1], "zone")), "医疗器械");
}

TEST(GeoJson, layer_without_crs_is_a_crs_error) {
  TempDir dir;
  Layer parcels = sample_parcels();
  parcels.crs = {};
  try {
    write_geojson(dir / "parcels.geojson", parcels);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::crs);
  }
  EXPECT_TRUE(dir.entries().empty());
}

TEST(FlatGeobuf, round_trips_values_chinese_text_crs_and_geometry) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  write_flatgeobuf(dir / "parcels.fgb", parcels);
  Layer read = read_layer(dir / "parcels.fgb", "parcels");
  // The packed R-tree stores features in Hilbert order: put them back in parcel_id order.
  std::sort(read.features.begin(), read.features.end(), [&read](const Feature& a, const Feature& b) {
    return as_integer(read.value(a, "parcel_id")) < as_integer(read.value(b, "parcel_id"));
  });
  expect_sample_parcels(read, {.keeps_fids = false, .has_date_type = false});
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"parcels.fgb"});
}

TEST(FlatGeobuf, same_content_gives_byte_identical_files) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  write_flatgeobuf(dir / "a.fgb", parcels);
  write_flatgeobuf(dir / "b.fgb", parcels);
  EXPECT_TRUE(read_bytes(dir / "a.fgb") == read_bytes(dir / "b.fgb"));
}

// ------------------------------------------------------------------------------------------------- Reading

TEST(ReadLayer, missing_file_is_an_input_error_naming_the_path) {
  TempDir dir;
  try {
    (void)read_layer(dir / "nowhere.gpkg", "parcels");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::input);
    EXPECT_EQ(e.context().path, (dir / "nowhere.gpkg").string());
  }
  EXPECT_THROW((void)list_layers(dir / "nowhere.gpkg"), Error);
}

TEST(ReadLayer, missing_layer_is_an_input_error_naming_the_layer) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  write_gpkg(dir / "plan.gpkg", std::span(&parcels, 1));
  try {
    (void)read_layer(dir / "plan.gpkg", "phases");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::input);
    EXPECT_EQ(e.context().layer, "phases");
    EXPECT_EQ(e.context().path, (dir / "plan.gpkg").string());
    EXPECT_TRUE(contains(e.message(), "parcels")) << e.what();  // says what there is
  }
}

TEST(ReadLayer, gdal_errors_from_two_threads_stay_separate) {
  TempDir dir;
  write_bytes(dir / "alpha.gpkg", "this is not a GeoPackage");
  write_bytes(dir / "beta.gpkg", "nor is this one");
  std::atomic<int> wrong{0};
  std::atomic<int> caught{0};
  auto hammer = [&](const std::string& own, const std::string& other) {
    for (int i = 0; i < 40; ++i) {
      try {
        (void)read_layer(dir / own, "parcels");
      } catch (const Error& e) {
        ++caught;
        if (!contains(e.message(), own) || contains(e.message(), other)) ++wrong;
      }
    }
  };
  std::thread a(hammer, "alpha.gpkg", "beta.gpkg");
  std::thread b(hammer, "beta.gpkg", "alpha.gpkg");
  a.join();
  b.join();
  EXPECT_EQ(caught.load(), 80);
  EXPECT_EQ(wrong.load(), 0);
}

TEST(ReadLayer, feature_gdal_cannot_read_is_an_input_error_naming_its_fid) {
  TempDir dir;
  const Layer parcels = sample_parcels();
  write_gpkg(dir / "plan.gpkg", std::span(&parcels, 1));
  // GeoPackage geometry blobs: "GP", version 0, flags 0x03 (little endian, xy envelope), srs_id 4548, then a
  // 32-byte envelope and the WKB. Break the WKB type of the second feature's geometry.
  std::string bytes = read_bytes(dir / "plan.gpkg");
  const std::string header("GP\x00\x03\xC4\x11\x00\x00", 8);
  std::size_t at = bytes.find(header);
  ASSERT_NE(at, std::string::npos);
  at = bytes.find(header, at + 1);
  ASSERT_NE(at, std::string::npos);
  bytes[at + 8 + 32 + 1] = '\x7F';  // WKB geometry type byte -> no such type
  write_bytes(dir / "plan.gpkg", bytes);
  try {
    const Layer read = read_layer(dir / "plan.gpkg", "parcels");
    FAIL() << "expected an error; geometry of feature 2 has " << read.features.at(1).wkb.size() << " bytes";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::input);
    EXPECT_EQ(e.context().feature_id, 2) << e.what();
  }
}

}  // namespace
}  // namespace parksim::io
