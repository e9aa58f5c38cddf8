#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include "report/indicators.hpp"
#include "report_fixture.hpp"
#include "test_support.hpp"

namespace parksim::report {
namespace {

using testing::fixture_result;

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(IndicatorsCsv, has_the_contract_header_and_rows_untied_to_a_year_first_then_by_year) {
  const auto r = fixture_result();
  const auto csv = lines(indicators_csv(r.indicators));
  ASSERT_EQ(csv.size(), r.indicators.size() + 1);
  // The file starts with the UTF-8 byte order mark, so spreadsheets read the Chinese labels as UTF-8.
  EXPECT_EQ(csv[0], "\xEF\xBB\xBFscenario,year,indicator_id,label_zh,label_en,unit,value");
  EXPECT_EQ(csv[1], "baseline,,plan_total_km2,规划总面积,planned total area,km2,2");
  EXPECT_EQ(csv[csv.size() - 2], "baseline,2024,developed_km2,已开发面积,developed area,km2,1");
  EXPECT_EQ(csv.back(), "baseline,2035,developed_km2,已开发面积,developed area,km2,1.98");
}

TEST(IndicatorsCsv, quotes_commas_and_quotes_and_writes_nan_as_empty) {
  const auto r = fixture_result();
  const std::string csv = indicators_csv(r.indicators);
  EXPECT_NE(csv.find("baseline,,alloc_gap_pct,优化间隙,\"allocation gap, \"\"MIP\"\", %\",%,\n"), std::string::npos) << csv;
}

TEST(IndicatorsCsv, numbers_round_trip_exactly) {
  std::vector<Indicator> rows{{"s", 2030, "x", "", "", "", 0.1 + 0.2}, {"s", 2030, "y", "", "", "", 1.0 / 3.0},
                              {"s", 2030, "z", "", "", "", -1234567.25}};
  const auto csv = lines(indicators_csv(rows));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string value = csv[i + 1].substr(csv[i + 1].rfind(',') + 1);
    EXPECT_EQ(std::stod(value), rows[i].value) << value;
  }
  EXPECT_EQ(csv[1], "s,2030,x,,,,0.30000000000000004");
  EXPECT_EQ(csv[3], "s,2030,z,,,,-1234567.25");
}

TEST(IndicatorsJson, mirrors_the_csv_rows_with_null_for_nan_and_for_year_zero) {
  const auto r = fixture_result();
  const auto doc = nlohmann::json::parse(indicators_json(r.indicators));
  const auto& rows = doc.at("indicators");
  ASSERT_EQ(rows.size(), r.indicators.size());
  EXPECT_EQ(rows[0].at("indicator_id"), "plan_total_km2");
  EXPECT_TRUE(rows[0].at("year").is_null());
  EXPECT_EQ(rows[0].at("label_zh"), "规划总面积");
  EXPECT_EQ(rows[0].at("value").get<double>(), 2.0);
  bool saw_nan = false;
  for (const auto& row : rows) {
    if (row.at("indicator_id") == "alloc_gap_pct") {
      saw_nan = true;
      EXPECT_TRUE(row.at("value").is_null());
    }
    if (row.at("indicator_id") == "third") {
      EXPECT_EQ(row.at("value").get<double>(), 1.0 / 3.0);
    }
  }
  EXPECT_TRUE(saw_nan);
  // Key order follows the CSV columns.
  std::vector<std::string> keys;
  for (auto it = rows[0].begin(); it != rows[0].end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"indicator_id", "label_en", "label_zh", "scenario", "unit", "value", "year"}));
  const std::string text = indicators_json(r.indicators);
  EXPECT_LT(text.find("\"scenario\""), text.find("\"year\""));
  EXPECT_LT(text.find("\"unit\""), text.find("\"value\""));
}

TEST(IndicatorsFiles, are_written_atomically_and_refuse_to_overwrite) {
  testing::TempDir dir;
  const auto r = fixture_result();
  write_indicators_csv(dir / "i.csv", r.indicators);
  EXPECT_EQ(testing::read_bytes(dir / "i.csv"), indicators_csv(r.indicators));
  try {
    write_indicators_csv(dir / "i.csv", {});
    FAIL() << "expected output_exists";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output_exists);
  }
  EXPECT_EQ(testing::read_bytes(dir / "i.csv"), indicators_csv(r.indicators));
  write_indicators_json(dir / "i.json", r.indicators);
  EXPECT_EQ(testing::read_bytes(dir / "i.json"), indicators_json(r.indicators));
}

}  // namespace
}  // namespace parksim::report
