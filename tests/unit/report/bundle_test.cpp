#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "io/raster.hpp"
#include "io/vector.hpp"
#include "report/bundle.hpp"
#include "report/indicators.hpp"
#include "report/layers.hpp"
#include "report/manifest.hpp"
#include "report/read_bundle.hpp"
#include "report_fixture.hpp"
#include "test_support.hpp"

namespace parksim::report {
namespace {

using testing::entries;
using testing::read_bytes;
using testing::tree;

class Bundle : public ::testing::Test {
 protected:
  void SetUp() override {
    m_result = testing::fixture_result();
    testing::add_input_files(m_result, m_dir.path());
  }
  std::filesystem::path out() const { return m_dir / "out"; }
  BundleOptions all_formats() const {
    BundleOptions o;
    o.formats = {"gpkg", "shp"};
    o.start_time = "2025-01-01T08:00:00+08:00";
    o.end_time = "2025-01-01T08:00:07+08:00";
    return o;
  }
  /// The entries of the directory holding `out` (no temporary may be left there).
  std::vector<std::string> beside() const { return entries(m_dir.path()); }

  testing::TempDir m_dir;
  RunResult m_result;
};

TEST(OutputFolderName, a_scenario_name_is_a_label_that_never_leaves_the_output_folder) {
  EXPECT_EQ(output_folder_name("baseline"), "baseline");
  EXPECT_EQ(output_folder_name("../escaped"), "_escaped");
  EXPECT_EQ(output_folder_name("/etc/cron.d/x"), "_etc_cron.d_x");
  EXPECT_EQ(output_folder_name("a\\b c"), "a_b_c");
  EXPECT_EQ(output_folder_name(".hidden"), "hidden");
  EXPECT_EQ(output_folder_name("生命科学园 三期"), "生命科学园_三期");
  EXPECT_EQ(output_folder_name(std::string(300, 'x')).size(), 120u);
  for (const char* unusable : {"..", "/", ".", "", "///"}) {
    try {
      output_folder_name(unusable);
      ADD_FAILURE() << "no error for '" << unusable << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::config);
      EXPECT_EQ(e.context().key, "name");
      EXPECT_NE(std::string(e.what()).find("give the output folder with --out"), std::string::npos) << e.what();
    }
  }
}

TEST_F(Bundle, holds_every_documented_file) {
  write_bundle(m_result, out(), all_formats());
  const auto files = tree(out());
  for (const char* expected :
       {"results.gpkg", "indicators.csv", "indicators.json", "report/index.html", "manifest.json",
        "rasters/landuse_2024.tif", "rasters/landuse_2024.tif.aux.xml", "rasters/landuse_2024.qml",
        "rasters/landuse_2030.tif", "rasters/landuse_2035.tif", "rasters/probability_nonbuilt.tif",
        "rasters/probability_green.tif", "rasters/probability_rd.tif", "rasters/probability_rd.qml",
        "shp/indicators.dbf", "shp/indicators.fields.csv", "shp/classes.dbf"}) {
    EXPECT_NE(std::find(files.begin(), files.end(), expected), files.end()) << expected;
  }
  for (const auto& layer : spatial_layer_names()) {
    for (const char* ext : {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qml", ".fields.csv"}) {
      const std::string name = "shp/" + layer + ext;
      EXPECT_NE(std::find(files.begin(), files.end(), name), files.end()) << name;
    }
  }
  EXPECT_EQ(read_bytes(out() / "shp" / "parcels.cpg"), "UTF-8");
  EXPECT_EQ(read_bytes(out() / "indicators.csv"), indicators_csv(m_result.indicators));
  EXPECT_EQ(beside(), (std::vector<std::string>{"baseline.toml", "fixture.gpkg", "out"}));
}

TEST_F(Bundle, geopackage_has_the_layers_default_styles_chinese_values_and_schematic_flags) {
  write_bundle(m_result, out(), all_formats());
  const auto gpkg = out() / "results.gpkg";
  std::vector<std::string> names;
  for (const auto& info : io::list_layers(gpkg, true)) names.push_back(info.name);
  for (const char* layer : {"parcels", "zones", "phases", "corridor", "corridor_band", "bases", "stations",
                            "indicators", "allocation_constraints", "zone_areas", "classes"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), layer), names.end()) << layer;
  }
  const io::Layer styles = io::read_layer(gpkg, "layer_styles");
  EXPECT_EQ(styles.features.size(), spatial_layer_names().size());
  for (const auto& row : styles.features) {
    EXPECT_EQ(io::as_integer(styles.value(row, "useAsDefault")), 1);
    EXPECT_EQ(io::as_text(styles.value(row, "f_geometry_column")), "geom");
    EXPECT_NE(std::string(*io::as_text(styles.value(row, "styleQML"))).find("<qgis"), std::string::npos);
  }
  const io::Layer parcels = io::read_layer(gpkg, "parcels");
  ASSERT_EQ(parcels.features.size(), 8u);
  EXPECT_EQ(parcels.crs.epsg, 4548);
  EXPECT_EQ(io::as_text(parcels.value(parcels.features[0], "name_zh")), "地块1");
  EXPECT_EQ(io::as_text(parcels.value(parcels.features[0], "alloc_lu")), "0802");
  EXPECT_EQ(io::as_integer(parcels.value(parcels.features[0], "alloc_kept")), 1);
  EXPECT_EQ(io::as_integer(parcels.value(parcels.features[5], "dev_year")), 2035);
  EXPECT_EQ(io::as_text(parcels.value(parcels.features[7], "alloc_lu")), std::nullopt);  // null: not allocated
  EXPECT_EQ(io::as_integer(parcels.value(parcels.features[7], "dev_year")), std::nullopt);
  EXPECT_EQ(io::as_text(parcels.value(parcels.features[0], "data_status")), "derived");
  EXPECT_EQ(io::as_integer(parcels.value(parcels.features[0], "sim_class")), 2);  // the class value at the end
  EXPECT_EQ(io::as_text(parcels.value(parcels.features[0], "class_key")), "rd");
  EXPECT_EQ(io::as_real(parcels.value(parcels.features[2], "gfa_m2")), 30000.0);  // floor area at the end
  EXPECT_EQ(io::as_real(parcels.value(parcels.features[7], "gfa_m2")), 0.0);
  const io::Layer phases = io::read_layer(gpkg, "phases");
  EXPECT_EQ(io::as_text(phases.value(phases.features[1], "data_status")), "schematic");
  EXPECT_EQ(io::as_text(phases.value(phases.features[1], "name_zh")), "三期");
  EXPECT_EQ(io::as_integer(phases.value(phases.features[1], "fill_year")), 2035);
  const io::Layer stations = io::read_layer(gpkg, "stations");
  EXPECT_EQ(io::as_text(stations.value(stations.features[0], "name_en")), "Life Science Park");
  EXPECT_EQ(io::as_text(stations.value(stations.features[0], "data_status")), "surveyed-osm");
  const io::Layer classes = io::read_layer(gpkg, "classes");
  ASSERT_EQ(classes.features.size(), m_result.classes.size());
  EXPECT_EQ(io::as_integer(classes.value(classes.features[2], "sim_class")), 2);
  EXPECT_EQ(io::as_text(classes.value(classes.features[2], "name_zh")), "科研");
  EXPECT_EQ(io::as_integer(classes.value(classes.features[2], "built")), 1);
  const io::Layer indicators = io::read_layer(gpkg, "indicators");
  EXPECT_EQ(indicators.features.size(), m_result.indicators.size());
}

TEST_F(Bundle, class_rasters_are_cogs_with_the_class_colours_and_names_and_the_grid_geometry) {
  write_bundle(m_result, out(), all_formats());
  const io::RasterInfo info = io::read_raster(out() / "rasters" / "landuse_2030.tif", true);
  EXPECT_EQ(info.image_structure.at("LAYOUT"), "COG");
  EXPECT_EQ(info.geometry.origin_x, m_result.grid.origin_x);
  EXPECT_EQ(info.geometry.origin_y, m_result.grid.origin_y);
  EXPECT_EQ(info.geometry.cols, 10);
  EXPECT_EQ(info.geometry.rows, 20);
  EXPECT_EQ(info.geometry.crs.epsg, 4548);
  ASSERT_EQ(info.attribute_table.size(), m_result.classes.size());
  for (const auto& cls : m_result.classes) {
    EXPECT_EQ(info.colour_table.at(static_cast<std::size_t>(cls.id)), cls.colour) << cls.key;
    // Bilingual names: category names and the attribute table's class column say "R&D 科研".
    const std::string name = cls.name_en + " " + cls.name_zh;
    EXPECT_EQ(info.category_names.at(static_cast<std::size_t>(cls.id)), name);
    const auto& row = info.attribute_table.at(static_cast<std::size_t>(cls.id));
    EXPECT_EQ(row.value, cls.id);
    EXPECT_EQ(row.name, name);
    EXPECT_EQ(row.colour, cls.colour);
  }
  // The QGIS style beside the raster lists exactly the classes, with their names.
  pugi::xml_document qml;
  ASSERT_TRUE(qml.load_string(read_bytes(out() / "rasters" / "landuse_2030.qml").c_str()));
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& e : qml.select_nodes("//rasterrenderer[@type='paletted']/colorPalette/paletteEntry")) {
    entries.emplace_back(e.node().attribute("value").value(), e.node().attribute("label").value());
  }
  EXPECT_EQ(entries, (std::vector<std::pair<std::string, std::string>>{
                         {"0", "Non-built 非建设用地"}, {"1", "Green 绿地"}, {"2", "R&D 科研"}}));
  const auto& map = m_result.class_maps[1].second;
  for (std::int64_t i = 0; i < map.size(); ++i) ASSERT_EQ(info.values[static_cast<std::size_t>(i)], map[i]) << i;
  const io::RasterInfo p = io::read_raster(out() / "rasters" / "probability_rd.tif");
  EXPECT_EQ(p.data_type, "Float32");
  EXPECT_EQ(p.image_structure.at("LAYOUT"), "COG");
}

TEST_F(Bundle, written_twice_is_byte_identical_except_the_manifest_times) {
  write_bundle(m_result, out(), all_formats());
  auto second_options = all_formats();
  second_options.start_time = "2025-02-02T09:00:00+08:00";
  second_options.end_time = "2025-02-02T09:00:05+08:00";
  write_bundle(m_result, m_dir / "out2", second_options);
  const auto files = tree(out());
  ASSERT_EQ(files, tree(m_dir / "out2"));
  for (const auto& file : files) {
    if (file == "manifest.json") continue;
    EXPECT_EQ(read_bytes(out() / file), read_bytes(m_dir / "out2" / file)) << file;
  }
  auto a = nlohmann::json::parse(read_bytes(out() / "manifest.json"));
  auto b = nlohmann::json::parse(read_bytes(m_dir / "out2" / "manifest.json"));
  EXPECT_NE(a.at("started"), b.at("started"));
  for (auto* m : {&a, &b}) {
    m->erase("started");
    m->erase("finished");
  }
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.at("files").size(), files.size() - 1);
}

TEST_F(Bundle, manifest_hashes_match_the_files) {
  write_bundle(m_result, out(), all_formats());
  const auto m = nlohmann::json::parse(read_bytes(out() / "manifest.json"));
  for (const auto& entry : m.at("files")) {
    const std::string path = entry.at("path");
    EXPECT_EQ(entry.at("sha256"), sha256_file(out() / path)) << path;
    EXPECT_EQ(entry.at("size_bytes").get<std::uintmax_t>(), std::filesystem::file_size(out() / path)) << path;
  }
}

TEST_F(Bundle, existing_directory_is_refused_without_overwrite_and_left_byte_identical) {
  write_bundle(m_result, out(), all_formats());
  const auto before = tree(out());
  const std::string manifest = read_bytes(out() / "manifest.json");
  auto changed = m_result;
  changed.scenario_name = "other";
  try {
    write_bundle(changed, out(), all_formats());
    FAIL() << "expected output_exists";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output_exists);
  }
  EXPECT_EQ(tree(out()), before);
  EXPECT_EQ(read_bytes(out() / "manifest.json"), manifest);
  EXPECT_EQ(beside(), (std::vector<std::string>{"baseline.toml", "fixture.gpkg", "out"}));
}

TEST_F(Bundle, overwrite_replaces_the_whole_previous_bundle) {
  write_bundle(m_result, out(), all_formats());
  auto options = all_formats();
  options.overwrite = true;
  options.formats = {"gpkg"};
  options.rasters = false;
  auto changed = m_result;
  changed.scenario_name = "changed";
  write_bundle(changed, out(), options);
  EXPECT_FALSE(std::filesystem::exists(out() / "shp"));
  EXPECT_FALSE(std::filesystem::exists(out() / "rasters"));
  EXPECT_NE(read_bytes(out() / "report" / "index.html").find("<h1>changed</h1>"), std::string::npos);
  EXPECT_EQ(beside(), (std::vector<std::string>{"baseline.toml", "fixture.gpkg", "out"}));
}

TEST_F(Bundle, failure_mid_bundle_keeps_the_previous_bundle_and_leaves_no_temporary) {
  write_bundle(m_result, out(), all_formats());
  const auto before = tree(out());
  const std::string gpkg = read_bytes(out() / "results.gpkg");
  auto broken = m_result;
  broken.classes[1].colour = "green";  // the raster writer refuses it - after results.gpkg and shp/ were written
  auto options = all_formats();
  options.overwrite = true;
  try {
    write_bundle(broken, out(), options);
    FAIL() << "expected an output error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output);
    EXPECT_NE(std::string(e.what()).find("landuse_2024.tif"), std::string::npos) << e.what();
  }
  EXPECT_EQ(tree(out()), before);
  EXPECT_EQ(read_bytes(out() / "results.gpkg"), gpkg);
  EXPECT_EQ(beside(), (std::vector<std::string>{"baseline.toml", "fixture.gpkg", "out"}));
}

TEST_F(Bundle, cancelling_half_way_keeps_the_previous_bundle) {
  write_bundle(m_result, out(), all_formats());
  const std::string manifest = read_bytes(out() / "manifest.json");
  std::vector<std::string> seen;
  Progress progress([&](double fraction, std::string_view message) {
    seen.emplace_back(message);
    return fraction < 0.5;
  });
  auto options = all_formats();
  options.overwrite = true;
  options.progress = &progress;
  try {
    write_bundle(m_result, out(), options);
    FAIL() << "expected cancellation";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::cancelled);
  }
  EXPECT_GT(seen.size(), 2u);
  EXPECT_EQ(read_bytes(out() / "manifest.json"), manifest);
  EXPECT_EQ(beside(), (std::vector<std::string>{"baseline.toml", "fixture.gpkg", "out"}));
}

TEST_F(Bundle, unknown_format_is_a_usage_error_before_anything_is_written) {
  auto options = all_formats();
  options.formats = {"gpkg", "kml"};
  try {
    write_bundle(m_result, out(), options);
    FAIL() << "expected a usage error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::usage);
    EXPECT_EQ(e.context().key, "format");
  }
  EXPECT_EQ(beside(), (std::vector<std::string>{"baseline.toml", "fixture.gpkg"}));
}

TEST_F(Bundle, flatgeobuf_and_geojson_exports_hold_the_spatial_layers) {
  auto options = all_formats();
  options.formats = {"fgb", "geojson"};
  options.rasters = false;
  options.html = false;
  write_bundle(m_result, out(), options);
  EXPECT_EQ(io::read_layer(out() / "fgb" / "parcels.fgb", "parcels").features.size(), 8u);
  const io::Layer parcels = io::read_layer(out() / "geojson" / "parcels.geojson", "parcels");
  EXPECT_EQ(parcels.features.size(), 8u);
  EXPECT_EQ(parcels.crs.epsg, 4326);
  EXPECT_FALSE(std::filesystem::exists(out() / "report"));
  EXPECT_FALSE(std::filesystem::exists(out() / "shp"));
}

TEST(ResultLayers, parcel_results_that_do_not_match_the_plan_are_an_internal_error) {
  auto r = testing::fixture_result();
  r.parcels.pop_back();
  try {
    result_layers(r);
    FAIL() << "expected an internal error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::internal);
  }
  r.parcels.clear();
  const auto layers = result_layers(r);
  const auto& parcels = layers.front();
  EXPECT_EQ(parcels.name, "parcels");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(parcels.value(parcels.features[0], "alloc_zone")));
}

TEST(ResultLayers, crs_text_becomes_an_epsg_reference_or_stays_text) {
  EXPECT_EQ(crs_ref("EPSG:4548").epsg, 4548);
  EXPECT_FALSE(crs_ref("+proj=tmerc +lon_0=117").epsg.has_value());
  EXPECT_EQ(crs_ref("+proj=tmerc +lon_0=117").wkt, "+proj=tmerc +lon_0=117");
}

}  // namespace
}  // namespace parksim::report

namespace parksim::report {
namespace {

TEST(BundleShapefiles, texts_over_the_dbf_limit_are_cut_in_the_shapefiles_only_and_said_so) {
  testing::TempDir dir;
  RunResult result = testing::fixture_result();
  testing::add_input_files(result, dir.path());
  // 100 CJK characters = 300 bytes of UTF-8: more than a DBF string holds.
  std::string long_source;
  for (int i = 0; i < 100; ++i) long_source += "园";
  result.plan.phases[0].provenance.source = long_source;
  BundleOptions options;
  options.formats = {"gpkg", "shp"};
  write_bundle(result, dir / "out", options);

  const auto readme = dir / "out" / "shp" / "README.txt";
  ASSERT_TRUE(std::filesystem::exists(readme));
  EXPECT_NE(read_bytes(readme).find("layer phases, field source: 1 value(s)"), std::string::npos) << read_bytes(readme);

  const io::Layer shp = io::read_layer(dir / "out" / "shp" / "phases.shp", "phases");
  const auto cut = io::as_text(shp.value(shp.features[0], "source"));
  ASSERT_TRUE(cut.has_value());
  EXPECT_LE(cut->size(), io::dbf_string_max_bytes);
  EXPECT_EQ(cut->size() % 3, 0u);  // whole characters only
  EXPECT_TRUE(io::is_valid_utf8(*cut));
  const io::Layer gpkg = io::read_layer(dir / "out" / "results.gpkg", "phases");
  EXPECT_EQ(io::as_text(gpkg.value(gpkg.features[0], "source")), long_source);
}

}  // namespace
}  // namespace parksim::report

namespace parksim::report {
namespace {

TEST(BundleStudy, a_study_without_parcels_phases_zones_or_stations_writes_every_file_and_its_report) {
  testing::TempDir dir;
  RunResult result = testing::study_result();
  BundleOptions options;
  options.formats = {"gpkg", "shp", "fgb", "geojson"};
  write_bundle(result, dir / "out", options);
  const auto files = tree(dir / "out");
  for (const char* expected : {"results.gpkg", "indicators.csv", "indicators.json", "report/index.html", "manifest.json",
                               "rasters/landuse_2010.tif", "rasters/landuse_2020.tif", "rasters/landuse_2020.qml",
                               "rasters/probability_urban.tif", "shp/parcels.shp", "shp/classes.dbf"}) {
    EXPECT_NE(std::find(files.begin(), files.end(), expected), files.end()) << expected;
  }
  // Layers that do not exist are empty in the GeoPackage and absent from the one-file-per-layer formats.
  const auto gpkg = dir / "out" / "results.gpkg";
  EXPECT_TRUE(io::read_layer(gpkg, "parcels").features.empty());
  EXPECT_TRUE(io::read_layer(gpkg, "stations").features.empty());
  EXPECT_EQ(io::read_layer(gpkg, "classes").features.size(), 3u);
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "fgb" / "parcels.fgb"));
  // The rasters carry the grid's CRS (there is no plan CRS) and the classes' codes of the researcher's maps, as
  // do their attribute tables, category names and QGIS styles.
  const io::RasterInfo raster = io::read_raster(dir / "out" / "rasters" / "landuse_2020.tif", true);
  EXPECT_EQ(raster.geometry.crs.epsg, 32650);
  EXPECT_EQ(raster.values[0], 20.0);                                   // urban, class id 1
  EXPECT_EQ(raster.values[static_cast<std::size_t>(11 * 16)], 255.0);  // no data
  EXPECT_EQ(raster.values[15], 30.0);                                  // water, class id 2
  ASSERT_EQ(raster.attribute_table.size(), 3u);
  EXPECT_EQ(raster.attribute_table[1].value, 20);
  EXPECT_EQ(raster.attribute_table[1].name, "Urban 城镇");
  EXPECT_EQ(raster.category_names.at(30), "Water 水域");
  EXPECT_NE(read_bytes(dir / "out" / "rasters" / "landuse_2020.qml").find(R"(value="20")"), std::string::npos);
  EXPECT_EQ(io::as_integer(io::read_layer(gpkg, "classes").value(io::read_layer(gpkg, "classes").features[2],
                                                                  "sim_class")),
            30);
  // Read back for a comparison, the codes become the class ids again.
  const RunResult back = read_bundle(dir / "out");
  ASSERT_EQ(back.classes.size(), 3u);
  EXPECT_EQ(back.classes[2].code, 30);
  EXPECT_EQ(bundle_map_years(dir / "out"), (std::vector<int>{2010, 2015, 2020}));
  const auto map = read_class_map(dir / "out", 2020, back.classes);
  for (std::int64_t i = 0; i < map.size(); ++i) ASSERT_EQ(map[i], result.class_maps.back().second[i]) << i;
  const std::string html = read_bytes(dir / "out" / "report" / "index.html");
  EXPECT_NE(html.find("n/a — no parcels."), std::string::npos);
  const auto manifest = nlohmann::json::parse(read_bytes(dir / "out" / "manifest.json"));
  EXPECT_EQ(manifest.at("schematic_layers"), nlohmann::json::array());
  EXPECT_EQ(manifest.at("classes").size(), 3u);
}

TEST(ResultLayers, every_field_name_has_one_meaning_in_every_layer_and_format) {
  const auto layers = result_layers(testing::fixture_result());
  std::map<std::string, io::FieldDef> seen;
  std::set<std::string> names;
  for (const auto& layer : layers) {
    for (const auto& field : layer.fields) names.insert(field.name);
  }
  for (const auto& layer : layers) {
    const auto short_names = io::shapefile_field_names(layer.fields);
    for (std::size_t k = 0; k < layer.fields.size(); ++k) {
      const auto& field = layer.fields[k];
      // The same name: the same type, labels and unit everywhere.
      const auto [it, first] = seen.emplace(field.name, field);
      EXPECT_EQ(it->second, field) << layer.name << "." << field.name;
      // A Shapefile's DBF name is the name itself, or one that no other field is called.
      if (short_names[k] != field.name) {
        EXPECT_EQ(names.count(short_names[k]), 0u) << layer.name << "." << field.name << " -> " << short_names[k];
      }
    }
  }
  // The parcels' result fields keep their names in a Shapefile; only the bundled dataset's data_status is cut.
  const auto& parcels = layers.front();
  const auto short_names = io::shapefile_field_names(parcels.fields);
  std::vector<std::string> cut;
  for (std::size_t k = 0; k < parcels.fields.size(); ++k) {
    if (short_names[k] != parcels.fields[k].name) cut.push_back(parcels.fields[k].name);
  }
  EXPECT_EQ(cut, std::vector<std::string>{"data_status"});
  // sim_class is the integer class value, class_key its key - in parcels and zone_areas alike.
  EXPECT_EQ(seen.at("sim_class").type, io::FieldType::integer);
  EXPECT_EQ(seen.at("class_key").type, io::FieldType::string);
  EXPECT_EQ(seen.at("status").label_en, "development status");
  EXPECT_EQ(seen.at("data_status").label_en.rfind("data status", 0), 0u);
}

TEST(ReadBundle, reads_what_a_comparison_needs_back_and_older_manifests_take_classes_from_the_rasters) {
  testing::TempDir dir;
  RunResult result = testing::fixture_result();
  testing::add_input_files(result, dir.path());
  write_bundle(result, dir / "out");
  const RunResult back = read_bundle(dir / "out");
  EXPECT_EQ(back.scenario_name, "baseline");
  EXPECT_EQ(back.question, result.question);
  EXPECT_EQ(back.plan.schematic_layers(), result.plan.schematic_layers());
  ASSERT_EQ(back.plan.phases.size(), 2u);
  EXPECT_EQ(back.phase_fillup_year.at("3"), 2035);
  EXPECT_EQ(back.indicators.size(), result.indicators.size());
  ASSERT_EQ(back.classes.size(), 3u);
  EXPECT_TRUE(back.classes[2].built);

  // A manifest without classes (an older parksim): the rasters name them.
  auto manifest = nlohmann::json::parse(read_bytes(dir / "out" / "manifest.json"));
  manifest.erase("classes");
  std::ofstream(dir / "out" / "manifest.json", std::ios::binary | std::ios::trunc) << manifest.dump(2);
  const RunResult old = read_bundle(dir / "out");
  ASSERT_EQ(old.classes.size(), 3u);
  EXPECT_EQ(old.classes[1].name_en, "Green 绿地");
  EXPECT_EQ(old.classes[1].colour, "#7AB800");
  const auto map = read_class_map(dir / "out", 2035, old.classes);
  for (std::int64_t i = 0; i < map.size(); ++i) ASSERT_EQ(map[i], result.class_maps.back().second[i]) << i;
  // A folder that is no bundle is named in the error.
  try {
    read_bundle(dir.path());
    FAIL() << "expected an input error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::input);
    EXPECT_NE(std::string(e.what()).find("indicators.json"), std::string::npos);
  }
}

}  // namespace
}  // namespace parksim::report
