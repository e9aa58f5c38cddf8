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
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "io/csv.hpp"
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

std::string folder_name(const std::filesystem::path& bundle) {
  fs::path p = bundle.lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  return p.filename().string();
}

std::vector<report::Indicator> indicators_from_json(const fs::path& path) {
  const nlohmann::json j = read_json(path);
  if (!j.contains("indicators") || !j["indicators"].is_array()) {
    throw Error(ErrorCode::data, "no \"indicators\" array", Context{.path = path.string()});
  }
  std::vector<report::Indicator> out;
  for (const auto& row : j["indicators"]) {
    report::Indicator i;
    i.scenario = text_of(row, "scenario");
    i.year = row.contains("year") && row["year"].is_number_integer() ? row["year"].get<int>() : 0;
    i.id = text_of(row, "indicator_id");
    i.label_zh = text_of(row, "label_zh");
    i.label_en = text_of(row, "label_en");
    i.unit = text_of(row, "unit");
    i.value = row.contains("value") && row["value"].is_number() ? row["value"].get<double>() : std::nan("");
    if (i.id.empty()) throw Error(ErrorCode::data, "an indicator without indicator_id", Context{.path = path.string()});
    out.push_back(std::move(i));
  }
  return out;
}

// RFC 4180 records of `text` (quoted cells with doubled quotes; "\n" or "\r\n" line ends).
std::vector<std::vector<std::string>> csv_records(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string cell;
  bool quoted = false, any = false;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char c = text[k];
    if (quoted) {
      if (c == '"' && k + 1 < text.size() && text[k + 1] == '"') {
        cell += '"';
        ++k;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = any = true;
    } else if (c == ',') {
      record.push_back(std::move(cell));
      cell.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && k + 1 < text.size() && text[k + 1] == '\n') ++k;
      record.push_back(std::move(cell));
      cell.clear();
      records.push_back(std::move(record));
      record.clear();
      any = false;
    } else {
      cell += c;
      any = true;
    }
  }
  if (any || !cell.empty()) {
    record.push_back(std::move(cell));
    records.push_back(std::move(record));
  }
  return records;
}

// indicators.csv as written by report::indicators_csv (header scenario,year,indicator_id,label_zh,label_en,unit,value).
std::vector<report::Indicator> indicators_from_csv(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::input, "cannot read the file", Context{.path = path.string()});
  std::stringstream text;
  text << in.rdbuf();
  const auto records = csv_records(text.str());
  const std::vector<std::string> header{"scenario", "year", "indicator_id", "label_zh", "label_en", "unit", "value"};
  if (records.empty() || records[0] != header) {
    throw Error(ErrorCode::data, "not an indicators.csv: the header is not " + fmt::format("{}", fmt::join(header, ",")),
                Context{.path = path.string(), .line = 1});
  }
  std::vector<report::Indicator> out;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& cells = records[r];
    Context at{.path = path.string(), .line = static_cast<int>(r + 1)};
    if (cells.size() != header.size()) throw Error(ErrorCode::data, "a row without 7 cells", at);
    report::Indicator i;
    i.scenario = cells[0];
    i.id = cells[2];
    i.label_zh = cells[3];
    i.label_en = cells[4];
    i.unit = cells[5];
    if (!cells[1].empty()) {
      const auto res = std::from_chars(cells[1].data(), cells[1].data() + cells[1].size(), i.year);
      if (res.ec != std::errc{} || res.ptr != cells[1].data() + cells[1].size()) {
        throw Error(ErrorCode::data, fmt::format("year '{}' is not an integer", cells[1]), at);
      }
    }
    i.value = std::nan("");
    if (!cells[6].empty()) {
      const auto res = std::from_chars(cells[6].data(), cells[6].data() + cells[6].size(), i.value);
      if (res.ec != std::errc{} || res.ptr != cells[6].data() + cells[6].size()) {
        throw Error(ErrorCode::data, fmt::format("value '{}' is not a number", cells[6]), at);
      }
    }
    if (i.id.empty()) throw Error(ErrorCode::data, "an indicator without indicator_id", at);
    out.push_back(std::move(i));
  }
  return out;
}

// The run of one bundle as far as compare_html needs it: names, seed, runs, indicators (indicators.json, else indicators.csv).
report::RunResult load_bundle(const fs::path& bundle) {
  if (!fs::is_directory(bundle)) {
    throw Error(ErrorCode::input, "not a parksim output folder: it does not exist or is not a folder",
                Context{.path = bundle.string()});
  }
  const fs::path json_path = bundle / "indicators.json";
  const fs::path csv_path = bundle / "indicators.csv";
  if (!fs::is_regular_file(json_path) && !fs::is_regular_file(csv_path)) {
    throw Error(ErrorCode::input, "not a parksim output bundle: indicators.json and indicators.csv are missing",
                Context{.path = bundle.string()});
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
  run.indicators = fs::is_regular_file(json_path) ? indicators_from_json(json_path) : indicators_from_csv(csv_path);
  if (run.scenario_name.empty() && !run.indicators.empty()) run.scenario_name = run.indicators.front().scenario;
  if (run.scenario_name.empty()) run.scenario_name = folder_name(bundle);
  return run;
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
    csv += "," + io::csv_cell(runs[r].scenario_name);
    if (r > 0) csv += "," + io::csv_cell("delta " + runs[r].scenario_name);
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
                       io::csv_cell(key.second), io::csv_cell(label.label_zh), io::csv_cell(label.label_en), io::csv_cell(label.unit));
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
  io::AtomicOutput folder(output_folder_option(options.out, "--out"), io::AtomicOutput::Kind::directory,
                          options.overwrite);
  io::atomic_write_text(folder.temp_path() / "index.html", html, false);
  io::atomic_write_text(folder.temp_path() / "comparison.csv", csv, false);
  folder.commit();
  out << fmt::format("compared {} runs: {}\n", runs.size(), (options.out / "index.html").string());
  return 0;
}

}  // namespace parksim::cli
