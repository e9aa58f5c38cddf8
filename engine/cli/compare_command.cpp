// `parksim compare`: several runs side by side - report::compare_html over the bundles read back
// (report::read_bundle), and comparison.csv with every indicator and its difference from the first run.
#include <algorithm>
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

#include "cli/commands.hpp"
#include "io/csv.hpp"
#include "core/error.hpp"
#include "io/atomic.hpp"
#include "report/html.hpp"
#include "report/read_bundle.hpp"
#include "report/run_result.hpp"

namespace parksim::cli {

namespace fs = std::filesystem;

namespace {

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
  // For spreadsheets: the UTF-8 BOM makes Excel read the Chinese labels right (io/csv.hpp).
  std::string csv = std::string(io::utf8_bom) + "year,indicator_id,label_zh,label_en,unit";
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
  refuse_existing_output(options.out, options.overwrite);
  std::vector<report::RunResult> runs;
  for (const auto& bundle : options.bundles) runs.push_back(report::read_bundle(bundle));
  // The land-use maps of the last year every bundle has one of: side by side and as differences.
  std::vector<int> years = report::bundle_map_years(options.bundles[0]);
  for (std::size_t r = 1; r < options.bundles.size(); ++r) {
    const auto here = report::bundle_map_years(options.bundles[r]);
    std::vector<int> common;
    std::set_intersection(years.begin(), years.end(), here.begin(), here.end(), std::back_inserter(common));
    years = std::move(common);
  }
  if (!years.empty()) {
    for (std::size_t r = 0; r < runs.size(); ++r) {
      runs[r].class_maps.emplace_back(years.back(), report::read_class_map(options.bundles[r], years.back(), runs[r].classes));
    }
  }
  // Two runs of the same scenario (other seeds, say) are told apart by their folder names.
  std::map<std::string, int> uses;
  for (const auto& run : runs) ++uses[run.scenario_name];
  for (std::size_t r = 0; r < runs.size(); ++r) {
    if (uses[runs[r].scenario_name] > 1) {
      runs[r].scenario_name += " (" + report::bundle_folder_name(options.bundles[r]) + ")";
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
