#include "report/indicators.hpp"
#include "io/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/atomic.hpp"

namespace parksim::report {

namespace {

std::vector<const Indicator*> in_order(std::span<const Indicator> indicators) {
  std::vector<const Indicator*> rows;
  rows.reserve(indicators.size());
  for (const auto& indicator : indicators) rows.push_back(&indicator);
  std::stable_sort(rows.begin(), rows.end(), [](const Indicator* a, const Indicator* b) { return a->year < b->year; });
  return rows;
}


// Shortest round-trip text: the same double always gives the same characters, on every build.
std::string number_text(double value) {
  if (!std::isfinite(value)) return {};
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace

std::string indicators_csv(std::span<const Indicator> indicators) {
  std::string out = std::string(io::utf8_bom) + "scenario,year,indicator_id,label_zh,label_en,unit,value\n";
  for (const Indicator* row : in_order(indicators)) {
    out += io::csv_cell(row->scenario);
    out += ',';
    if (row->year != 0) out += std::to_string(row->year);
    out += ',';
    out += io::csv_cell(row->id);
    out += ',';
    out += io::csv_cell(row->label_zh);
    out += ',';
    out += io::csv_cell(row->label_en);
    out += ',';
    out += io::csv_cell(row->unit);
    out += ',';
    out += number_text(row->value);
    out += '\n';
  }
  return out;
}

std::string indicators_json(std::span<const Indicator> indicators) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const Indicator* row : in_order(indicators)) {
    nlohmann::ordered_json item;
    item["scenario"] = row->scenario;
    item["year"] = row->year != 0 ? nlohmann::ordered_json(row->year) : nlohmann::ordered_json(nullptr);
    item["indicator_id"] = row->id;
    item["label_zh"] = row->label_zh;
    item["label_en"] = row->label_en;
    item["unit"] = row->unit;
    item["value"] = std::isfinite(row->value) ? nlohmann::ordered_json(row->value) : nlohmann::ordered_json(nullptr);
    rows.push_back(std::move(item));
  }
  nlohmann::ordered_json document;
  document["indicators"] = std::move(rows);
  try {
    return document.dump(2) + "\n";
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::output, std::string("indicators.json: ") + e.what());  // a label that is not UTF-8
  }
}

void write_indicators_csv(const std::filesystem::path& path, std::span<const Indicator> indicators, bool overwrite) {
  io::atomic_write_text(path, indicators_csv(indicators), overwrite);
}

void write_indicators_json(const std::filesystem::path& path, std::span<const Indicator> indicators, bool overwrite) {
  io::atomic_write_text(path, indicators_json(indicators), overwrite);
}

}  // namespace parksim::report
