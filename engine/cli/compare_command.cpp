// `parksim compare`: several runs' indicators side by side with their differences from the first run.
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "io/atomic.hpp"
#include "report/html.hpp"
#include "report/run_result.hpp"

namespace parksim::cli {

namespace fs = std::filesystem;

namespace {

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::input, "cannot read the file", Context{.path = path.string()});
  std::stringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::data, fmt::format("not valid JSON: {}", e.what()), Context{.path = path.string()});
  }
}

std::string text_of(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The run of one bundle as far as compare_html needs it: names, seed, runs, indicators (from indicators.json).
report::RunResult load_bundle(const fs::path& bundle) {
  if (!fs::is_directory(bundle)) {
    throw Error(ErrorCode::input, "not a parksim output folder: it does not exist or is not a folder",
                Context{.path = bundle.string()});
  }
  const fs::path indicators = bundle / "indicators.json";
  if (!fs::is_regular_file(indicators)) {
    throw Error(ErrorCode::input, "not a parksim output bundle: indicators.json is missing",
                Context{.path = indicators.string()});
  }
  report::RunResult run;
  const fs::path manifest = bundle / "manifest.json";
  if (fs::is_regular_file(manifest)) {
    const nlohmann::json m = read_json(manifest);
    run.scenario_name = text_of(m, "scenario");
    run.question = text_of(m, "question");
    if (m.contains("seed") && m["seed"].is_number_unsigned()) run.seed = m["seed"].get<std::uint64_t>();
    if (m.contains("runs") && m["runs"].is_number_integer()) run.runs = m["runs"].get<int>();
  }
  const nlohmann::json j = read_json(indicators);
  if (!j.contains("indicators") || !j["indicators"].is_array()) {
    throw Error(ErrorCode::data, "no \"indicators\" array", Context{.path = indicators.string()});
  }
  for (const auto& row : j["indicators"]) {
    report::Indicator i;
    i.scenario = text_of(row, "scenario");
    i.year = row.contains("year") && row["year"].is_number_integer() ? row["year"].get<int>() : 0;
    i.id = text_of(row, "indicator_id");
    i.label_zh = text_of(row, "label_zh");
    i.label_en = text_of(row, "label_en");
    i.unit = text_of(row, "unit");
    i.value = row.contains("value") && row["value"].is_number() ? row["value"].get<double>() : std::nan("");
    if (i.id.empty()) throw Error(ErrorCode::data, "an indicator without indicator_id", Context{.path = indicators.string()});
    if (run.scenario_name.empty()) run.scenario_name = i.scenario;
    run.indicators.push_back(std::move(i));
  }
  if (run.scenario_name.empty()) run.scenario_name = bundle.filename().string();
  return run;
}

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

std::string number(double value) {
  if (!std::isfinite(value)) return "";
  char buffer[64];
  const auto r = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, r.ptr);
}

std::string comparison_csv(const std::vector<report::RunResult>& runs) {
  std::vector<std::pair<int, std::string>> keys;
  std::set<std::pair<int, std::string>> seen;
  std::map<std::pair<int, std::string>, const report::Indicator*> first;
  for (const auto& run : runs) {
    for (const auto& i : run.indicators) {
      const auto key = std::make_pair(i.year, i.id);
      if (seen.insert(key).second) {
        keys.push_back(key);
        first[key] = &i;
      }
    }
  }
  std::string csv = "year,indicator_id,label_zh,label_en,unit";
  for (std::size_t r = 0; r < runs.size(); ++r) {
    csv += "," + csv_cell(runs[r].scenario_name);
    if (r > 0) csv += "," + csv_cell("delta " + runs[r].scenario_name);
  }
  csv += "\n";
  auto value_of = [](const report::RunResult& run, const std::pair<int, std::string>& key) {
    for (const auto& i : run.indicators) {
      if (i.year == key.first && i.id == key.second) return i.value;
    }
    return std::nan("");
  };
  for (const auto& key : keys) {
    const report::Indicator& label = *first[key];
    csv += fmt::format("{},{},{},{},{}", key.first == 0 ? std::string() : std::to_string(key.first),
                       csv_cell(key.second), csv_cell(label.label_zh), csv_cell(label.label_en), csv_cell(label.unit));
    const double base = value_of(runs[0], key);
    for (std::size_t r = 0; r < runs.size(); ++r) {
      const double v = value_of(runs[r], key);
      csv += "," + number(v);
      if (r > 0) csv += "," + number(v - base);
    }
    csv += "\n";
  }
  return csv;
}

std::string folder_name(const std::filesystem::path& bundle) {
  fs::path p = bundle.lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  return p.filename().string();
}

}  // namespace

int run_compare(const CompareOptions& options, std::ostream& out, std::ostream& /*err*/) {
  if (options.bundles.size() < 2) {
    throw Error(ErrorCode::usage, fmt::format("compare needs at least 2 output folders, got {}", options.bundles.size()));
  }
  std::vector<report::RunResult> runs;
  for (const auto& bundle : options.bundles) runs.push_back(load_bundle(bundle));
  // Two runs of the same scenario (other seeds, say) are told apart by their folder names.
  std::map<std::string, int> uses;
  for (const auto& run : runs) ++uses[run.scenario_name];
  for (std::size_t r = 0; r < runs.size(); ++r) {
    if (uses[runs[r].scenario_name] > 1) {
      runs[r].scenario_name += " (" + folder_name(options.bundles[r]) + ")";
    }
  }
  const std::string html = report::compare_html(runs);
  const std::string csv = comparison_csv(runs);
  io::AtomicOutput folder(options.out, io::AtomicOutput::Kind::directory, options.overwrite);
  io::atomic_write_text(folder.temp_path() / "index.html", html, false);
  io::atomic_write_text(folder.temp_path() / "comparison.csv", csv, false);
  folder.commit();
  out << fmt::format("compared {} runs: {}\n", runs.size(), (options.out / "index.html").string());
  return 0;
}

}  // namespace parksim::cli
