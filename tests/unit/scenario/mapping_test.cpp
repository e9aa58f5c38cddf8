#include "scenario/mapping.hpp"

#include <fstream>

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace parksim::scenario {
namespace {

namespace fs = std::filesystem;

class MappingFile : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() /
            ("parksim_mapping_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  fs::path write(const std::string& text) {
    const fs::path p = m_dir / "mapping.toml";
    std::ofstream(p) << text;
    return p;
  }
  fs::path m_dir;
};

TEST_F(MappingFile, reads_layers_fields_status_values_and_resolves_paths) {
  const auto m = load_mapping(write(
      "assume_crs = \"EPSG:4548\"\nsource_encoding = \"CP936\"\nreference_dataset = \"ref/park.gpkg\"\n"
      "[layers.parcels]\nlayer = \"dikuai\"\n[layers.parcels.fields]\nparcel_id = \"DKBH\"\nlanduse = \"YDXZ\"\n"
      "[status_values]\n\"已建\" = \"built\"\n"));
  EXPECT_EQ(m.assume_crs, "EPSG:4548");
  EXPECT_EQ(m.source_encoding, "CP936");
  EXPECT_EQ(m.reference_dataset, (m_dir / "ref/park.gpkg").lexically_normal());
  ASSERT_EQ(m.layers.count("parcels"), 1u);
  EXPECT_EQ(m.layers.at("parcels").layer, "dikuai");
  EXPECT_EQ(m.layers.at("parcels").fields.at("parcel_id"), "DKBH");
  EXPECT_EQ(m.status_values.at("已建"), "built");
  EXPECT_EQ(m.working_crs, "EPSG:4548");  // default kept
}

TEST_F(MappingFile, unknown_layer_is_an_error_with_a_suggestion_and_line) {
  try {
    load_mapping(write("[layers.parcles]\nlayer = \"x\"\n"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    EXPECT_EQ(e.context().key, "layers.parcles");
    EXPECT_NE(std::string(e.what()).find("did you mean 'parcels'"), std::string::npos) << e.what();
  }
}

TEST_F(MappingFile, unknown_field_of_a_layer_is_an_error_naming_it) {
  try {
    load_mapping(write("[layers.parcels.fields]\nparcel_idd = \"DKBH\"\n"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.context().key, "layers.parcels.fields.parcel_idd");
    EXPECT_EQ(e.context().line, 2);
    EXPECT_NE(std::string(e.what()).find("did you mean 'parcel_id'"), std::string::npos) << e.what();
  }
}

TEST_F(MappingFile, a_folder_or_a_device_is_refused_without_reading_it) {
  for (const fs::path& p : {m_dir, fs::path("/dev/zero")}) {
    try {
      load_mapping(p);
      ADD_FAILURE() << "no error for " << p;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::input);
      EXPECT_EQ(e.context().path, p.string());
      const std::string what = e.what();
      EXPECT_TRUE(what.find("is a folder, not a mapping file") != std::string::npos ||
                  what.find("not a regular file") != std::string::npos)
          << what;
    }
  }
}

TEST_F(MappingFile, wrong_type_and_missing_file_are_errors) {
  EXPECT_THROW(load_mapping(write("assume_crs = 4548\n")), Error);
  try {
    load_mapping(m_dir / "none.toml");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::input);
  }
}

}  // namespace
}  // namespace parksim::scenario
