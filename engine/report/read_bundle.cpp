#include "report/read_bundle.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "io/csv.hpp"
#include "io/raster.hpp"
#include "io/vector.hpp"
#include "report/layers.hpp"

namespace parksim::report {

namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::input, "cannot read the file", Context{.path = path.string()});
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

nlohmann::json read_json(const fs::path& path) {
  try {
    return nlohmann::json::parse(read_text(path));
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::data, fmt::format("not valid JSON: {}", e.what()), Context{.path = path.string()});
  }
}

std::string text_of(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int int_of(const nlohmann::json& j, const char* key, int fallback) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

void read_manifest(const fs::path& path, RunResult& run) {
  const nlohmann::json m = read_json(path);
  if (!m.is_object()) throw Error(ErrorCode::data, "manifest.json is not a JSON object", Context{.path = path.string()});
  run.scenario_name = text_of(m, "scenario");
  run.question = text_of(m, "question");
  run.description = text_of(m, "description");
  run.effective_scenario_toml = text_of(m, "effective_scenario");
  if (m.contains("seed") && m["seed"].is_number_unsigned()) run.seed = m["seed"].get<std::uint64_t>();
  run.runs = int_of(m, "runs", 1);
  run.start_year = int_of(m, "start_year", 0);
  run.end_year = int_of(m, "end_year", 0);
  if (m.contains("key_years") && m["key_years"].is_array()) {
    for (const auto& y : m["key_years"]) {
      if (y.is_number_integer()) run.key_years.push_back(y.get<int>());
    }
  }
  if (m.contains("classes") && m["classes"].is_array()) {
    for (const auto& c : m["classes"]) {
      SimClass cls;
      cls.id = int_of(c, "id", static_cast<int>(run.classes.size()));
      cls.key = text_of(c, "key");
      cls.name_en = text_of(c, "name_en");
      cls.name_zh = text_of(c, "name_zh");
      cls.colour = text_of(c, "colour");
      cls.code = int_of(c, "code", cls.id);
      cls.built = c.contains("built") && c["built"].is_boolean() && c["built"].get<bool>();
      cls.fixed = c.contains("fixed") && c["fixed"].is_boolean() && c["fixed"].get<bool>();
      run.classes.push_back(std::move(cls));
    }
  }
  if (m.contains("input_layers") && m["input_layers"].is_array()) {
    for (const auto& l : m["input_layers"]) {
      plan::LayerSummary layer;
      layer.name = text_of(l, "name");
      layer.features = static_cast<std::size_t>(std::max(0, int_of(l, "features", 0)));
      layer.schematic = static_cast<std::size_t>(std::max(0, int_of(l, "schematic", 0)));
      layer.surveyed = static_cast<std::size_t>(std::max(0, int_of(l, "surveyed", 0)));
      run.plan.layers.push_back(std::move(layer));
    }
  }
}

std::string value_text(const io::Layer& layer, const io::Feature& f, const char* field) {
  if (!layer.find_field(field)) return {};
  const auto t = io::as_text(layer.value(f, field));
  return t ? std::string(*t) : std::string();
}

// The phases (with their fill-up years) and zones of results.gpkg: outlines for the maps, ids for the answers.
void read_plan_layers(const fs::path& gpkg, RunResult& run) {
  std::set<std::string> present;
  for (const auto& info : io::list_layers(gpkg)) present.insert(info.name);
  if (present.count("phases") != 0) {
    const io::Layer layer = io::read_layer(gpkg, "phases");
    for (const auto& f : layer.features) {
      plan::Phase phase;
      phase.id = value_text(layer, f, "phase");
      phase.name_zh = value_text(layer, f, "name_zh");
      phase.name_en = value_text(layer, f, "name_en");
      if (layer.find_field("area_m2")) phase.area_m2 = io::as_real(layer.value(f, "area_m2")).value_or(0.0);
      if (!f.wkb.empty()) phase.geometry = geom::Geometry::from_wkb(f.wkb, Context{.path = gpkg.string(), .layer = "phases"});
      if (layer.find_field(field_name::fillup_year)) {
        const auto year = io::as_integer(layer.value(f, field_name::fillup_year));
        run.phase_fillup_year[phase.id] = year ? static_cast<int>(*year) : -1;
      }
      run.plan.phases.push_back(std::move(phase));
    }
  }
  if (present.count("zones") != 0) {
    const io::Layer layer = io::read_layer(gpkg, "zones");
    for (const auto& f : layer.features) {
      plan::Zone zone;
      zone.id = value_text(layer, f, "zone_id");
      zone.name_zh = value_text(layer, f, "name_zh");
      zone.name_en = value_text(layer, f, "name_en");
      if (!f.wkb.empty()) zone.geometry = geom::Geometry::from_wkb(f.wkb, Context{.path = gpkg.string(), .layer = "zones"});
      run.plan.zones.push_back(std::move(zone));
    }
  }
}

}  // namespace

std::vector<Indicator> read_indicators_json(const fs::path& path) {
  const nlohmann::json j = read_json(path);
  if (!j.is_object() || !j.contains("indicators") || !j["indicators"].is_array()) {
    throw Error(ErrorCode::data, "no \"indicators\" array", Context{.path = path.string()});
  }
  std::vector<Indicator> out;
  for (const auto& row : j["indicators"]) {
    Indicator i;
    i.scenario = text_of(row, "scenario");
    i.year = int_of(row, "year", 0);
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

std::vector<Indicator> read_indicators_csv(const fs::path& path) {
  const auto records = io::csv_records(read_text(path));
  const std::vector<std::string> header{"scenario", "year", "indicator_id", "label_zh", "label_en", "unit", "value"};
  if (records.empty() || records[0] != header) {
    throw Error(ErrorCode::data, "not an indicators.csv: the header is not " + fmt::format("{}", fmt::join(header, ",")),
                Context{.path = path.string(), .line = 1});
  }
  std::vector<Indicator> out;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& cells = records[r];
    const Context at{.path = path.string(), .line = static_cast<int>(r + 1)};
    if (cells.size() != header.size()) throw Error(ErrorCode::data, "a row without 7 cells", at);
    Indicator i;
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

RunResult read_bundle(const fs::path& dir) {
  if (!fs::is_directory(dir)) {
    throw Error(ErrorCode::input, "not a parksim output folder: it does not exist or is not a folder",
                Context{.path = dir.string()});
  }
  const fs::path json_path = dir / "indicators.json";
  const fs::path csv_path = dir / "indicators.csv";
  if (!fs::is_regular_file(json_path) && !fs::is_regular_file(csv_path)) {
    throw Error(ErrorCode::input, "not a parksim output bundle: indicators.json and indicators.csv are missing",
                Context{.path = dir.string()});
  }
  RunResult run;
  if (const fs::path manifest = dir / "manifest.json"; fs::is_regular_file(manifest)) read_manifest(manifest, run);
  run.indicators = fs::is_regular_file(json_path) ? read_indicators_json(json_path) : read_indicators_csv(csv_path);
  if (const fs::path gpkg = dir / "results.gpkg"; fs::is_regular_file(gpkg)) read_plan_layers(gpkg, run);
  if (run.classes.empty()) {
    // A bundle of an older parksim: its manifest lists no classes, its rasters name them (category names, colours).
    if (const auto years = bundle_map_years(dir); !years.empty()) {
      const io::RasterInfo info = io::read_raster(dir / "rasters" / fmt::format("landuse_{}.tif", years.front()));
      for (std::size_t v = 0; v < info.category_names.size() && v < io::class_nodata; ++v) {
        if (info.category_names[v].empty()) continue;
        SimClass cls;
        cls.id = static_cast<int>(run.classes.size());  // ids stay dense when codes are not
        cls.code = static_cast<int>(v);
        cls.key = fmt::format("class_{}", v);
        cls.name_en = info.category_names[v];
        cls.colour = v < info.colour_table.size() ? info.colour_table[v] : std::string();
        run.classes.push_back(std::move(cls));
      }
    }
  }
  if (run.scenario_name.empty() && !run.indicators.empty()) run.scenario_name = run.indicators.front().scenario;
  if (run.scenario_name.empty()) run.scenario_name = bundle_folder_name(dir);
  if (run.start_year == 0 || run.end_year == 0) {
    for (const auto& i : run.indicators) {
      if (i.year == 0) continue;
      run.start_year = run.start_year == 0 ? i.year : std::min(run.start_year, i.year);
      run.end_year = std::max(run.end_year, i.year);
    }
  }
  return run;
}

std::string bundle_folder_name(const fs::path& dir) {
  fs::path p = dir.lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  return p.filename().string();
}

std::vector<int> bundle_map_years(const fs::path& dir) {
  std::vector<int> years;
  const fs::path rasters = dir / "rasters";
  std::error_code ec;
  if (!fs::is_directory(rasters, ec)) return years;
  // landuse_<1 to 6 digits>.tif
  constexpr std::string_view prefix = "landuse_", suffix = ".tif";
  for (const auto& entry : fs::directory_iterator(rasters, ec)) {
    const std::string file = entry.path().filename().string();
    if (!entry.is_regular_file() || file.size() <= prefix.size() + suffix.size() || !file.starts_with(prefix) ||
        !file.ends_with(suffix)) {
      continue;
    }
    const std::string digits = file.substr(prefix.size(), file.size() - prefix.size() - suffix.size());
    if (digits.size() > 6 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    years.push_back(std::stoi(digits));
  }
  std::sort(years.begin(), years.end());
  return years;
}

grid::Grid<std::uint8_t> read_class_map(const fs::path& dir, int year, const std::vector<SimClass>& classes) {
  const fs::path path = dir / "rasters" / fmt::format("landuse_{}.tif", year);
  const io::RasterInfo info = io::read_raster(path, true);
  if (info.band_count != 1 || info.data_type != "Byte" || !info.geometry.north_up) {
    throw Error(ErrorCode::data, fmt::format("not a parksim land-use raster ({} band(s) of {})", info.band_count,
                                             info.data_type),
                Context{.path = path.string()});
  }
  grid::GridSpec spec;
  spec.origin_x = info.geometry.origin_x;
  spec.origin_y = info.geometry.origin_y;
  spec.cell_size_m = info.geometry.cell_size;
  spec.cell_height_m = info.geometry.cell_height;
  spec.cols = info.geometry.cols;
  spec.rows = info.geometry.rows;
  if (info.geometry.crs.epsg) spec.crs = fmt::format("EPSG:{}", *info.geometry.crs.epsg);
  // Codes to class ids (a bundle without classes in its manifest: the codes are the ids).
  std::array<std::uint8_t, 256> id_of{};
  for (int v = 0; v < 256; ++v) id_of[static_cast<std::size_t>(v)] = classes.empty() ? static_cast<std::uint8_t>(v) : io::class_nodata;
  for (const auto& cls : classes) {
    const int value = cls.raster_value();
    if (value >= 0 && value < 256) id_of[static_cast<std::size_t>(value)] = static_cast<std::uint8_t>(cls.id);
  }
  grid::Grid<std::uint8_t> values(spec, io::class_nodata);
  for (std::int64_t i = 0; i < values.size(); ++i) {
    const double v = info.values[static_cast<std::size_t>(i)];
    values[i] = v >= 0.0 && v < 256.0 ? id_of[static_cast<std::size_t>(v)] : io::class_nodata;
  }
  return values;
}

}  // namespace parksim::report
