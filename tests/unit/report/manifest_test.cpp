#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "report/manifest.hpp"
#include "report_fixture.hpp"
#include "test_support.hpp"

namespace parksim::report {
namespace {

TEST(Sha256, matches_the_fips_180_test_vectors) {
  EXPECT_EQ(sha256_text("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_text(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  testing::TempDir dir;
  std::ofstream(dir / "abc.txt", std::ios::binary) << "abc";
  EXPECT_EQ(sha256_file(dir / "abc.txt"), sha256_text("abc"));
  try {
    sha256_file(dir / "missing.txt");
    FAIL() << "expected an input error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::input);
    EXPECT_NE(e.context().path.find("missing.txt"), std::string::npos);
  }
}

TEST(Manifest, lists_inputs_and_bundle_files_with_sizes_and_hashes_but_not_itself) {
  testing::TempDir dir;
  auto r = testing::fixture_result();
  testing::add_input_files(r, dir.path());
  const auto bundle = dir / "bundle";
  std::filesystem::create_directories(bundle / "report");
  std::ofstream(bundle / "indicators.csv", std::ios::binary) << "abc";
  std::ofstream(bundle / "report" / "index.html", std::ios::binary) << "<html></html>";
  std::ofstream(bundle / "manifest.json", std::ios::binary) << "{}";
  const auto m = nlohmann::json::parse(manifest_json(r, bundle, "2025-01-01T08:00:00Z", "2025-01-01T08:01:00Z"));
  EXPECT_EQ(m.at("scenario"), "baseline");
  EXPECT_EQ(m.at("seed").get<std::uint64_t>(), 42u);
  EXPECT_EQ(m.at("runs"), 5);
  EXPECT_EQ(m.at("threads"), 2);
  EXPECT_EQ(m.at("started"), "2025-01-01T08:00:00Z");
  EXPECT_EQ(m.at("finished"), "2025-01-01T08:01:00Z");
  EXPECT_EQ(m.at("effective_scenario"), r.effective_scenario_toml);
  EXPECT_EQ(m.at("library_versions").at("GDAL"), "3.6.2");
  ASSERT_EQ(m.at("inputs").size(), 2u);
  EXPECT_EQ(m.at("inputs")[0].at("sha256"), sha256_text(r.effective_scenario_toml));
  EXPECT_EQ(m.at("inputs")[0].at("size_bytes").get<std::size_t>(), r.effective_scenario_toml.size());
  const auto& files = m.at("files");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].at("path"), "indicators.csv");
  EXPECT_EQ(files[0].at("sha256"), sha256_text("abc"));
  EXPECT_EQ(files[0].at("size_bytes"), 3);
  EXPECT_EQ(files[1].at("path"), "report/index.html");
}

TEST(Manifest, missing_input_file_is_an_input_error_naming_it) {
  testing::TempDir dir;
  auto r = testing::fixture_result();
  r.input_files = {(dir / "gone.toml").string()};
  try {
    manifest_json(r, dir.path(), "", "");
    FAIL() << "expected an input error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::input);
    EXPECT_NE(e.context().path.find("gone.toml"), std::string::npos);
  }
}

}  // namespace
}  // namespace parksim::report
