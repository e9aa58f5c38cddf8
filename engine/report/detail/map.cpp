#include "report/detail/map.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/units.hpp"
#include "report/detail/format.hpp"
#include "report/detail/svg.hpp"
#include "report/styles.hpp"

namespace parksim::report::detail {

namespace {

using json = nlohmann::ordered_json;

geom::Envelope merge(geom::Envelope a, const geom::Envelope& b) {
  if (b.is_empty()) return a;
  if (a.is_empty()) return b;
  a.min_x = std::min(a.min_x, b.min_x);
  a.min_y = std::min(a.min_y, b.min_y);
  a.max_x = std::max(a.max_x, b.max_x);
  a.max_y = std::max(a.max_y, b.max_y);
  return a;
}

template <class Items>
geom::Envelope envelope_of(const Items& items) {
  geom::Envelope e;
  for (const auto& item : items) {
    if (!item.geometry.is_null()) e = merge(e, item.geometry.envelope());
  }
  return e;
}

geom::Envelope grow(geom::Envelope e, double share) {
  if (e.is_empty()) return e;
  const double dx = std::max(e.width(), 1.0) * share;
  const double dy = std::max(e.height(), 1.0) * share;
  return geom::Envelope{e.min_x - dx, e.min_y - dy, e.max_x + dx, e.max_y + dy};
}

// Coordinates relative to the map's origin, rounded to 0.1 m: small, exact text, the same on every build.
struct Origin {
  double x = 0.0, y = 0.0;
  double rx(double v) const { return std::round((v - x) * 10.0) / 10.0; }
  double ry(double v) const { return std::round((v - y) * 10.0) / 10.0; }
};

json flat(const geom::Ring& ring, const Origin& o) {
  json out = json::array();
  for (const auto& c : ring) {
    out.push_back(o.rx(c.x));
    out.push_back(o.ry(c.y));
  }
  return out;
}

json polygons_of(const geom::Geometry& g, const Origin& o) {
  json out = json::array();
  if (g.is_null()) return out;
  for (const auto& polygon : g.polygons()) {
    json rings = json::array();
    rings.push_back(flat(polygon.exterior, o));
    for (const auto& hole : polygon.holes) rings.push_back(flat(hole, o));
    out.push_back(std::move(rings));
  }
  return out;
}

json lines_of(const geom::Geometry& g, const Origin& o) {
  json out = json::array();
  for (const auto& part : line_parts(g)) out.push_back(flat(part, o));
  return out;
}

json bounds_json(const geom::Envelope& e, const Origin& o) {
  return json::array({o.rx(e.min_x), o.ry(e.min_y), o.rx(e.max_x), o.ry(e.max_y)});
}

json row(const std::string& label, const std::string& value) { return json::array({label, value}); }

std::string status_text(const plan::Provenance& p) {
  std::string text(plan::to_string(p.status));
  if (p.accuracy_m > 0.0) text += fmt::format(", ±{} m", number(p.accuracy_m, 0));
  return text;
}

std::string both(const std::string& en, const std::string& zh) {
  if (en.empty()) return zh;
  return zh.empty() ? en : en + " " + zh;
}

// "Name" of a named feature: English, else Chinese (the stations of the bundled data have name_zh far more often).
std::string feature_name(const plan::Feature& f) {
  if (!f.name.empty() && !f.name_zh.empty() && f.name != f.name_zh) return f.name + " " + f.name_zh;
  return f.name.empty() ? f.name_zh : f.name;
}

json layer_header(const std::string& id, const std::string& title, const std::string& type, bool visible) {
  json layer;
  layer["id"] = id;
  layer["title"] = title;
  layer["type"] = type;
  layer["visible"] = visible;
  return layer;
}

std::string class_text(const plan::Plan& plan, const std::string& code) {
  const plan::LandUseClass* cls = plan.find_class(code);
  if (cls == nullptr) return code;
  return code + " " + both(cls->name_en, cls->name_zh);
}

json parcel_info(const RunResult& result, std::size_t i) {
  const plan::Parcel& p = result.plan.parcels[i];
  json info = json::array();
  if (!p.name_zh.empty()) info.push_back(row("Name 名称", p.name_zh));
  if (const plan::Phase* phase = result.plan.find_phase(p.phase)) {
    info.push_back(row("Phase 期别", phase_label(*phase)));
  } else if (!p.phase.empty()) {
    info.push_back(row("Phase 期别", p.phase));
  }
  if (!p.zone.empty()) info.push_back(row("Zone 板块", zone_label(result.plan, p.zone)));
  info.push_back(row("Planned land use 规划用地", class_text(result.plan, p.landuse)));
  info.push_back(row("Status 开发状态", std::string(plan::to_string(p.status))));
  info.push_back(row("Area 面积", fmt::format("{} ha · {} mu", number(p.area_m2 / 10000.0, 2),
                                              number(units::m2_to_mu(p.area_m2), 0))));
  if (p.far > 0.0) info.push_back(row("FAR 容积率", number(p.far, 2)));
  if (i < result.parcels.size()) {
    const ParcelResult& r = result.parcels[i];
    const bool ensemble = result.ensemble && result.ensemble->runs > 1;
    info.push_back(row("Developed 开发年份 (simulated)",
                       r.developed_year >= 0 ? std::to_string(r.developed_year)
                                             : fmt::format("not by {}", result.end_year)));
    if (ensemble) {
      info.push_back(row("P(developed) 开发概率", number(100.0 * r.development_probability, 0) + " %"));
    }
    for (const auto& cls : result.classes) {
      if (cls.id == r.sim_class_end) info.push_back(row(fmt::format("Simulated {} 模拟用地", result.end_year), class_label(cls)));
    }
    if (!r.alloc_landuse.empty()) {
      std::string text = class_text(result.plan, r.alloc_landuse);
      if (!r.alloc_zone.empty()) text += " · " + zone_label(result.plan, r.alloc_zone);
      if (r.alloc_kept) text += " (kept as built)";
      info.push_back(row("Allocated 配置", text));
    }
  }
  info.push_back(row("Data 数据", status_text(p.provenance)));
  return info;
}

// Symbols of the map, shared by the layers and their legend entries.
constexpr const char* phase_colour = "#111111";
constexpr const char* corridor_colour = "#B2182B";
constexpr const char* band_colour = "#756BB1";
constexpr const char* base_colour = "#D7301F";
constexpr const char* station_colour = "#2166AC";
constexpr const char* parcel_outline_colour = "#4A4A4A";

}  // namespace

geom::Envelope study_extent(const RunResult& result) {
  const grid::GridSpec& g = result.grid;
  if (g.cols > 0 && g.rows > 0 && g.cell_size_m > 0.0) return geom::Envelope{g.min_x(), g.min_y(), g.max_x(), g.max_y()};
  const plan::Plan& p = result.plan;
  geom::Envelope e = merge(envelope_of(p.parcels), envelope_of(p.phases));
  e = merge(e, envelope_of(p.zones));
  e = merge(e, envelope_of(p.corridor));
  e = merge(e, envelope_of(p.bases));
  return e;
}

namespace {
geom::Envelope park_extent(const plan::Plan& plan) {
  geom::Envelope park = envelope_of(plan.phases);
  if (park.is_empty()) park = envelope_of(plan.parcels);
  if (park.is_empty()) park = envelope_of(plan.zones);
  return park.is_empty() ? park : grow(park, 0.05);
}
}  // namespace

geom::Envelope focus_extent(const RunResult& result) {
  const geom::Envelope park = park_extent(result.plan);
  return park.is_empty() ? study_extent(result) : park;
}

geom::Envelope focus_extent(const plan::Plan& plan, const grid::GridSpec& g) {
  const geom::Envelope park = park_extent(plan);
  if (!park.is_empty() || g.cols <= 0 || g.rows <= 0) return park;
  return geom::Envelope{g.min_x(), g.min_y(), g.max_x(), g.max_y()};
}

Window window_of(const grid::GridSpec& spec, const geom::Envelope& extent) {
  Window whole{0, 0, spec.rows, spec.cols};
  if (extent.is_empty() || spec.cols <= 0 || spec.rows <= 0) return whole;
  const double height = spec.cell_height();
  const int col0 = static_cast<int>(std::floor((extent.min_x - spec.origin_x) / spec.cell_size_m));
  const int col1 = static_cast<int>(std::ceil((extent.max_x - spec.origin_x) / spec.cell_size_m));
  const int row0 = static_cast<int>(std::floor((spec.origin_y - extent.max_y) / height));
  const int row1 = static_cast<int>(std::ceil((spec.origin_y - extent.min_y) / height));
  Window w;
  w.col = std::clamp(col0, 0, spec.cols);
  w.row = std::clamp(row0, 0, spec.rows);
  w.cols = std::clamp(col1, 0, spec.cols) - w.col;
  w.rows = std::clamp(row1, 0, spec.rows) - w.row;
  return w.empty() ? whole : w;
}

geom::Envelope window_extent(const grid::GridSpec& spec, const Window& window) {
  const double height = spec.cell_height();
  return geom::Envelope{spec.origin_x + window.col * spec.cell_size_m, spec.origin_y - (window.row + window.rows) * height,
                        spec.origin_x + (window.col + window.cols) * spec.cell_size_m, spec.origin_y - window.row * height};
}

std::vector<io::RasterClass> class_palette(const std::vector<SimClass>& classes) {
  std::vector<io::RasterClass> out;
  for (const auto& cls : classes) {
    if (cls.id >= 0 && cls.id < io::class_nodata) out.push_back({cls.id, cls.key, safe_colour(cls.colour)});
  }
  return out;
}

std::string class_png_uri(const grid::Grid<std::uint8_t>& values, const Window& window,
                          const std::vector<io::RasterClass>& palette) {
  std::vector<std::uint8_t> cells;
  cells.reserve(static_cast<std::size_t>(window.rows) * static_cast<std::size_t>(window.cols));
  for (int r = window.row; r < window.row + window.rows; ++r) {
    for (int c = window.col; c < window.col + window.cols; ++c) cells.push_back(values(r, c));
  }
  const auto png = io::encode_class_png(window.cols, window.rows, cells, palette);
  return "data:image/png;base64," + base64(png);
}

std::optional<grid::Grid<float>> developed_probability(const RunResult& result) {
  if (!result.ensemble || result.ensemble->runs <= 1) return std::nullopt;
  const auto& probability = result.ensemble->probability;
  std::optional<grid::Grid<float>> developed;
  for (const auto& cls : result.classes) {
    if (!cls.built || cls.id < 0 || static_cast<std::size_t>(cls.id) >= probability.size()) continue;
    const auto& p = probability[static_cast<std::size_t>(cls.id)];
    if (!developed) {
      developed.emplace(p.spec(), 0.0f);
    } else {
      grid::require_same_spec(developed->spec(), p.spec(), "ensemble probability");
    }
    for (std::int64_t i = 0; i < p.size(); ++i) (*developed)[i] += p[i];
  }
  return developed;
}

grid::Grid<std::uint8_t> probability_bins(const grid::Grid<float>& probability) {
  grid::Grid<std::uint8_t> bins(probability.spec(), io::class_nodata);
  for (std::int64_t i = 0; i < probability.size(); ++i) {
    const float p = probability[i];
    if (std::isfinite(p)) bins[i] = static_cast<std::uint8_t>(std::clamp(static_cast<int>(p * 10.0f), 0, 9));
  }
  return bins;
}

std::vector<io::RasterClass> probability_palette() {
  static constexpr std::array<const char*, 10> colours = {"#FFF5F0", "#FEE0D2", "#FCBBA1", "#FC9272", "#FB6A4A",
                                                          "#EF3B2C", "#CB181D", "#A50F15", "#800B12", "#67000D"};
  std::vector<io::RasterClass> out;
  for (int k = 0; k < 10; ++k) {
    out.push_back({k, k == 0 ? std::string("< 10 %") : fmt::format("{}-{} %", k * 10, k * 10 + 10),
                   colours[static_cast<std::size_t>(k)]});
  }
  return out;
}

InteractiveMap run_map(const RunResult& result, const std::string& container) {
  InteractiveMap out;
  const plan::Plan& plan = result.plan;
  const geom::Envelope study = study_extent(result);
  const geom::Envelope focus = focus_extent(result);
  const Origin o{std::floor(study.is_empty() ? 0.0 : study.min_x), std::floor(study.is_empty() ? 0.0 : study.min_y)};

  json spec;
  spec["container"] = container;
  spec["views"] = json::array();
  const bool has_park = !plan.phases.empty() || !plan.parcels.empty() || !plan.zones.empty();
  if (has_park) {
    spec["views"].push_back({{"id", "park"}, {"label", "Park 园区"}, {"title", "Open on the park"},
                             {"bounds", bounds_json(focus, o)}});
    spec["views"].push_back({{"id", "study"}, {"label", "Corridor 走廊"},
                             {"title", "The whole simulated area: the corridor around the park"},
                             {"bounds", bounds_json(study, o)}});
  } else {
    spec["views"].push_back({{"id", "study"}, {"label", "Study area 研究区"}, {"title", "The whole study area"},
                             {"bounds", bounds_json(study, o)}});
  }
  spec["panes"] = json::array({{{"name", "landuse"}, {"z", 350}}, {{"name", "probability"}, {"z", 360}},
                               {{"name", "points"}, {"z", 450}}});
  json layers = json::array();

  // Simulated land use, one frame per year with a map; opens on the last year.
  const auto palette = class_palette(result.classes);
  if (!result.class_maps.empty()) {
    json layer = layer_header("landuse", "Simulated land use 模拟用地", "image", true);
    layer["pane"] = "landuse";
    layer["opacity"] = 0.9;
    const auto& first_map = result.class_maps.front().second;
    const Window whole{0, 0, first_map.spec().rows, first_map.spec().cols};
    layer["bounds"] = bounds_json(window_extent(first_map.spec(), whole), o);
    json frames = json::array();
    for (const auto& [year, values] : result.class_maps) {
      grid::require_same_spec(values.spec(), first_map.spec(), "land-use maps of the report");
      frames.push_back({{"label", year == result.start_year ? fmt::format("{} (start)", year) : std::to_string(year)},
                        {"url", class_png_uri(values, whole, palette)}});
    }
    out.slider_first_label = frames.front()["label"].get<std::string>();
    out.slider_last_label = frames.back()["label"].get<std::string>();
    if (frames.size() > 1) out.slider = container + ":landuse";
    layer["frames"] = std::move(frames);
    layers.push_back(std::move(layer));
    Legend legend{"Simulated land use 模拟用地", {}};
    for (const auto& cls : result.classes) legend.items.push_back({safe_colour(cls.colour), class_label(cls), "fill"});
    out.legends.push_back(std::move(legend));
  }

  // The ensemble's probability that a cell ends developed.
  if (const auto developed = developed_probability(result)) {
    json layer = layer_header("probability", fmt::format("P(developed) in {} 开发概率", result.end_year), "image", false);
    layer["pane"] = "probability";
    layer["opacity"] = 0.85;
    const Window whole{0, 0, developed->spec().rows, developed->spec().cols};
    layer["bounds"] = bounds_json(window_extent(developed->spec(), whole), o);
    const auto bins_palette = probability_palette();
    layer["frames"] = json::array({{{"label", std::to_string(result.end_year)},
                                    {"url", class_png_uri(probability_bins(*developed), whole, bins_palette)}}});
    layers.push_back(std::move(layer));
    Legend legend{fmt::format("Probability a cell is developed in {} ({} runs) 开发概率", result.end_year,
                              result.ensemble->runs), {}};
    for (const auto& bin : bins_palette) legend.items.push_back({bin.colour, bin.name, "fill"});
    out.legends.push_back(std::move(legend));
  }

  Legend symbols{"Plan layers 规划图层", {}};
  if (!plan.corridor_band.empty()) {
    json layer = layer_header("corridor_band", "Corridor band 走廊圈层", "polygons", false);
    layer["stroke"] = band_colour;
    layer["fill"] = "#9E9AC8";
    layer["fill_opacity"] = 0.12;
    layer["weight"] = 1;
    json features = json::array();
    for (const auto& f : plan.corridor_band) {
      features.push_back({{"g", polygons_of(f.geometry, o)},
                          {"title", both(f.name, f.name_zh)},
                          {"info", json::array({row("Tier 圈层", f.kind), row("Data 数据", status_text(f.provenance))})}});
    }
    layer["features"] = std::move(features);
    layers.push_back(std::move(layer));
    symbols.items.push_back({band_colour, "corridor band 走廊圈层", "outline"});
  }
  if (!plan.zones.empty()) {
    json layer = layer_header("zones", "Zones 板块", "polygons", false);
    layer["weight"] = 2.5;
    layer["dash"] = "8 5";
    layer["no_fill"] = true;
    json features = json::array();
    for (std::size_t i = 0; i < plan.zones.size(); ++i) {
      const auto& z = plan.zones[i];
      json info = json::array({row("Zone 板块", zone_label(plan, z.id))});
      if (!z.focus.empty()) info.push_back(row("Focus 产业方向", z.focus));
      info.push_back(row("Area 面积", fmt::format("{} km²", format_value(units::m2_to_km2(z.area_m2), "km2"))));
      info.push_back(row("Data 数据", status_text(z.provenance)));
      json f = {{"g", polygons_of(z.geometry, o)}, {"title", zone_label(plan, z.id)}, {"info", std::move(info)}};
      layer["features"].push_back(std::move(f));
      // Per-zone outline colour, the zones' colours in QGIS.
      layer["features"].back()["stroke"] = zone_colour(i);
    }
    layers.push_back(std::move(layer));
    for (std::size_t i = 0; i < plan.zones.size(); ++i) {
      symbols.items.push_back({zone_colour(i), "zone: " + zone_label(plan, plan.zones[i].id), "outline"});
    }
  }
  if (!plan.parcels.empty()) {
    json filled = layer_header("parcels_landuse", "Parcels: planned land use 地块规划用地", "polygons", false);
    filled["stroke"] = "#555555";
    filled["weight"] = 0.6;
    filled["fill_opacity"] = 0.9;
    json outlines = layer_header("parcels", "Parcel outlines 地块边界", "polygons", true);
    outlines["stroke"] = parcel_outline_colour;
    outlines["weight"] = 0.7;
    outlines["fill_opacity"] = 0.0;
    std::set<std::string> used;
    for (std::size_t i = 0; i < plan.parcels.size(); ++i) {
      const auto& p = plan.parcels[i];
      const plan::LandUseClass* cls = plan.find_class(p.landuse);
      json g = polygons_of(p.geometry, o);
      json info = parcel_info(result, i);
      const std::string title = "Parcel 地块 " + p.id;
      filled["features"].push_back({{"g", g}, {"f", safe_colour(cls != nullptr ? cls->colour : std::string())},
                                    {"title", title}, {"info", info}});
      outlines["features"].push_back({{"g", std::move(g)}, {"title", title}, {"info", std::move(info)}});
      used.insert(p.landuse);
    }
    layers.push_back(std::move(filled));
    layers.push_back(std::move(outlines));
    Legend legend{"Parcels: planned land use 地块规划用地 (layer off at first)", {}};
    for (const auto& cls : plan.classes) {
      if (used.count(cls.code) != 0) legend.items.push_back({safe_colour(cls.colour), class_text(plan, cls.code), "fill"});
    }
    out.legends.push_back(std::move(legend));
    symbols.items.push_back({parcel_outline_colour, "parcel 地块", "outline"});
  }
  if (!plan.phases.empty()) {
    json layer = layer_header("phases", "Phases 分期", "polygons", true);
    layer["stroke"] = phase_colour;
    layer["weight"] = 2.5;
    layer["no_fill"] = true;
    layer["labels_permanent"] = true;
    for (const auto& ph : plan.phases) {
      layer["features"].push_back(
          {{"g", polygons_of(ph.geometry, o)}, {"label", "Phase " + ph.id}, {"title", phase_label(ph)},
           {"info", json::array({row("Area 面积", format_value(units::m2_to_km2(ph.area_m2), "km2") + " km²"),
                                 row("Data 数据", status_text(ph.provenance))})}});
    }
    layers.push_back(std::move(layer));
    symbols.items.push_back({phase_colour, "phase 分期", "outline"});
  }
  if (!plan.corridor.empty()) {
    json layer = layer_header("corridor", "Corridor axes 走廊轴线", "lines", true);
    layer["stroke"] = corridor_colour;
    layer["weight"] = 3;
    for (const auto& f : plan.corridor) {
      layer["features"].push_back({{"g", lines_of(f.geometry, o)}, {"label", feature_name(f)},
                                   {"title", feature_name(f)},
                                   {"info", json::array({row("Axis 轴线", f.kind), row("Data 数据", status_text(f.provenance))})}});
    }
    layers.push_back(std::move(layer));
    symbols.items.push_back({corridor_colour, "corridor axis 走廊轴线", "line"});
  }
  auto points = [&](const std::string& id, const std::string& title, const std::vector<plan::Feature>& items,
                    const char* colour, double radius, const std::string& kind_label, const std::string& legend) {
    if (items.empty()) return;
    json layer = layer_header(id, title, "points", true);
    layer["pane"] = "points";
    layer["stroke"] = "#FFFFFF";
    layer["fill"] = colour;
    layer["fill_opacity"] = 1.0;
    layer["weight"] = 1.5;
    layer["radius"] = radius;
    for (const auto& f : items) {
      if (f.geometry.is_null()) continue;
      const Coordinate c = f.geometry.as_point();
      json info = json::array();
      if (!f.kind.empty()) info.push_back(row(kind_label, f.kind));
      if (f.opens_year > 0) info.push_back(row("Opens 开通", std::to_string(f.opens_year)));
      info.push_back(row("Data 数据", status_text(f.provenance)));
      layer["features"].push_back({{"g", json::array({o.rx(c.x), o.ry(c.y)})},
                                   {"label", feature_name(f)},
                                   {"title", feature_name(f)},
                                   {"info", std::move(info)}});
    }
    layers.push_back(std::move(layer));
    symbols.items.push_back({colour, legend, "point"});
  };
  points("bases", "Bases 基地", plan.bases, base_colour, 7.0, "Tier 类型", "corridor base 基地");
  points("stations", "Stations 站点", plan.stations, station_colour, 5.0, "Line 线路", "station 站点");
  if (!symbols.items.empty()) out.legends.push_back(std::move(symbols));

  spec["layers"] = std::move(layers);
  // Attribution: OpenStreetMap data must be credited where it is shown (ODbL); schematic layers are said too.
  bool osm = false;
  for (const auto& f : plan.stations) osm = osm || f.provenance.status == plan::DataStatus::surveyed_osm;
  std::string attribution = osm ? "Stations © OpenStreetMap contributors (ODbL 1.0)" : "";
  if (!plan.schematic_layers().empty()) attribution += std::string(attribution.empty() ? "" : " · ") + "schematic park geometry";
  spec["attribution"] = escape(attribution);  // Leaflet shows attribution as HTML
  out.json = spec.dump();
  return out;
}

std::string compare_map_json(const CompareMapInput& input, const geom::Envelope& focus, const geom::Envelope& study,
                             const std::string& group) {
  const Origin o{std::floor(study.is_empty() ? 0.0 : study.min_x), std::floor(study.is_empty() ? 0.0 : study.min_y)};
  json spec;
  spec["container"] = input.container;
  spec["group"] = group;
  spec["views"] = json::array({{{"id", "park"}, {"label", "Park 园区"}, {"bounds", bounds_json(focus, o)}},
                               {{"id", "study"}, {"label", "All 全部"}, {"bounds", bounds_json(study, o)}}});
  spec["panes"] = json::array({{{"name", "landuse"}, {"z", 350}}});
  json layers = json::array();
  if (input.values != nullptr) {
    json layer = layer_header("landuse", input.title, "image", true);
    layer["pane"] = "landuse";
    const Window whole{0, 0, input.values->spec().rows, input.values->spec().cols};
    layer["bounds"] = bounds_json(window_extent(input.values->spec(), whole), o);
    layer["frames"] = json::array({{{"label", input.title}, {"url", class_png_uri(*input.values, whole, input.palette)}}});
    layers.push_back(std::move(layer));
  }
  if (input.plan != nullptr && !input.plan->phases.empty()) {
    json layer = layer_header("phases", "Phases 分期", "polygons", true);
    layer["stroke"] = phase_colour;
    layer["weight"] = 2;
    layer["no_fill"] = true;
    for (const auto& ph : input.plan->phases) {
      layer["features"].push_back({{"g", polygons_of(ph.geometry, o)}, {"label", "Phase " + ph.id}});
    }
    layers.push_back(std::move(layer));
  }
  spec["layers"] = std::move(layers);
  spec["attribution"] = "";
  return spec.dump();
}

}  // namespace parksim::report::detail
