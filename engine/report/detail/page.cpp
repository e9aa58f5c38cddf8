#include "report/detail/page.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "report/detail/assets.hpp"

namespace parksim::report::detail {

namespace {

constexpr const char* style_sheet = R"CSS(
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{font-family:"Noto Sans CJK SC","Noto Sans",system-ui,sans-serif;margin:0;color:#1d2733;background:#f4f5f7;line-height:1.45}
main{max-width:1320px;margin:0 auto;padding:20px 28px 40px}
header{background:#17324d;color:#fff;padding:22px 28px;overflow-wrap:anywhere}
header h1{margin:0 0 6px;font-size:26px}
header .question{font-size:18px;margin:4px 0}
header .meta{color:#c9d6e3;font-size:13px;margin:6px 0 0}
section{background:#fff;border-radius:6px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:16px 20px;margin:18px 0;min-width:0}
h2{font-size:20px;margin:0 0 10px;color:#17324d}
h3{font-size:15px;margin:16px 0 6px;color:#34495e}
p,li{overflow-wrap:anywhere}
.answer{border-left:6px solid #1a7f37}
.answer ul{margin:4px 0;padding-left:20px;font-size:16px}
.banner{background:#fff4ce;border:2px solid #e0a800;border-radius:6px;padding:12px 16px;margin:18px 0;font-size:15px}
.banner .tag{display:inline-block;background:#e0a800;color:#fff;border-radius:3px;padding:0 6px;margin:2px 4px 2px 0;font-size:13px}
.note{color:#5b6b7b;font-size:13px}
.scroll{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;font-size:13px;margin:4px 0 8px}
th,td{border-bottom:1px solid #e3e7eb;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#eef2f6}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.up{color:#1a7f37}td.down{color:#c62828}
tr.met td.status{color:#1a7f37;font-weight:600}
tr.unmet td.status{color:#c62828;font-weight:600}
.maps{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,300px),1fr));gap:14px}
.side-by-side{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,340px),1fr));gap:14px}
figure{margin:0;min-width:0}
figcaption{font-size:13px;text-align:center;color:#34495e;margin-top:2px}
svg.map,svg.chart{max-width:100%;height:auto;display:block}
svg.map{background:#fafafa;border:1px solid #d5dbe1}
svg.map image{image-rendering:pixelated}
svg.map .outline{fill:none;stroke:#1d2733;stroke-width:1.2}
svg.map .parcel{stroke:#6b7785;stroke-width:.4}
svg.chart .grid{stroke:#e3e7eb}
svg.chart .tick,svg.chart .frame{stroke:#5b6b7b}
svg.chart .axis{font-size:11px;fill:#34495e}
svg.chart .title{font-size:12px;fill:#1d2733}
svg.chart .series{fill:none}
ul.legend{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:13px}
ul.legend li{display:flex;align-items:center;min-width:0}
.legends{display:flex;flex-wrap:wrap;gap:4px 32px}
.legends h3{margin:10px 0 2px;font-size:13px}
.swatch{display:inline-block;flex:none;width:14px;height:14px;border:1px solid #888;margin-right:5px}
.swatch.line{height:4px;border:0}
.swatch.point{border-radius:50%;border:1px solid #fff;box-shadow:0 0 0 1px #888}
.swatch.outline{background:transparent}
.cols{display:flex;flex-wrap:wrap;gap:24px}
.cols>*{min-width:0;max-width:100%}
.chart-table{display:flex;flex-wrap:wrap;align-items:flex-start;gap:12px 24px}
.chart-table>div:first-child{flex:0 1 440px;min-width:0}
.chart-table>.scroll{flex:1 1 420px}
.chart-table td:first-child{min-width:11em}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,380px),1fr));gap:12px 24px}
.sev-error{color:#c62828}.sev-warning{color:#b26a00}
.leaflet-map{width:100%;height:70vh;min-height:340px;max-height:720px;border:1px solid #c5ccd3;border-radius:4px;background:#f7f7f4}
.leaflet-map.small{height:56vh;min-height:300px;max-height:520px}
.leaflet-container{font:13px/1.4 "Noto Sans CJK SC","Noto Sans",system-ui,sans-serif}
.parksim-raster{image-rendering:pixelated}
.leaflet-tooltip.parksim-label{background:rgba(255,255,255,.85);border:0;box-shadow:none;font-weight:600;padding:0 4px;color:#111}
.leaflet-tooltip.parksim-label::before{display:none}
.parksim-popup table{margin:4px 0 0;font-size:12px}
.parksim-popup th,.parksim-popup td{padding:2px 6px 2px 0;background:none;border-bottom:1px solid #eef1f4;white-space:normal}
.parksim-views a.parksim-view{width:auto;padding:0 8px;white-space:nowrap;font-size:12px}
.slider{display:flex;flex-wrap:wrap;align-items:center;gap:6px 12px;margin:10px 0 0;font-size:14px}
.slider input{flex:1 1 200px;max-width:520px}
.slider output{font-weight:600;min-width:7em}
footer{font-size:12px;color:#5b6b7b;padding:0 28px 30px;max-width:1320px;margin:0 auto;overflow-wrap:anywhere}
@media (max-width:640px){
main{padding:8px 8px 30px}
header{padding:14px 12px}
header h1{font-size:21px}
header .question{font-size:16px}
section{padding:12px 10px;margin:10px 0}
h2{font-size:18px}
footer{padding:0 12px 20px}
.leaflet-map{height:62vh;min-height:300px}
}
@media screen{.print-only{display:none}}
@media print{
body{background:#fff}
section{box-shadow:none;break-inside:avoid}
.interactive{display:none}
.scroll{overflow:visible}
}
)CSS";

constexpr std::array<const char*, 8> series_palette = {"#1F78B4", "#E66101", "#33A02C", "#6A3D9A",
                                                       "#B15928", "#E31A1C", "#17BECF", "#7F7F7F"};

std::string svg_open(const Frame& frame) {
  return fmt::format(R"(<svg class="map" viewBox="0 0 {0:.0f} {1:.0f}" width="{0:.0f}" height="{1:.0f}" role="img">)",
                     std::ceil(frame.width_px), std::ceil(frame.height_px));
}

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool ends_with_separator(const std::string& text) {
  return ends_with(text, " ") || ends_with(text, ":") || ends_with(text, "：") || ends_with(text, "/");
}

// "Developed land in zone" from "Developed land in zone core" and "... frontier_tech": the common start of the
// labels, cut back to a whole word (UTF-8 safe; separators are space, ':', '：' and '/'), without the separator.
std::string common_start(const std::vector<std::string>& labels) {
  if (labels.empty()) return {};
  std::string prefix = labels.front();
  for (const auto& l : labels) {
    std::size_t n = 0;
    while (n < prefix.size() && n < l.size() && prefix[n] == l[n]) ++n;
    prefix.resize(n);
  }
  // Back to a character boundary: drop a multi-byte character the cut left incomplete.
  std::size_t lead = prefix.size();
  while (lead > 0 && (static_cast<unsigned char>(prefix[lead - 1]) & 0xC0) == 0x80) --lead;
  if (lead > 0) {
    const auto byte = static_cast<unsigned char>(prefix[lead - 1]);
    const std::size_t length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2;
    if (lead - 1 + length > prefix.size()) prefix.resize(lead - 1);
  }
  if (labels.size() > 1 && !ends_with_separator(prefix)) {
    std::size_t cut = 0;
    for (const std::string_view sep : {" ", ":", "：", "/"}) {
      const auto at = prefix.rfind(sep);
      if (at != std::string::npos) cut = std::max(cut, at + sep.size());
    }
    prefix.resize(cut);
  }
  while (ends_with_separator(prefix)) prefix.resize(prefix.size() - (ends_with(prefix, "：") ? 3 : 1));
  return prefix;
}

}  // namespace

std::string render_page(const std::string& template_text, mu::data& data) {
  mu::mustache page{template_text};
  if (!page.is_valid()) throw Error(ErrorCode::internal, "report template: " + page.error_message());
  std::string out = page.render(data);
  if (!page.is_valid()) throw Error(ErrorCode::internal, "report template: " + page.error_message());
  return out;
}

std::string page_style() { return style_sheet; }

void add_map_assets(mu::data& page) {
  page.set("leaflet_css", text(leaflet_style()));
  page.set("leaflet_js", text(leaflet_script()));
  page.set("map_js", text(map_script()));
}

mu::data legend_data(const std::vector<LegendItem>& items) {
  mu::data out = list();
  for (const auto& item : items) {
    const std::string colour = safe_colour(item.colour);
    mu::data d;
    d.set("shape", text(item.shape));
    d.set("style", text(item.shape == "outline" ? "border:2px solid " + colour : "background:" + colour));
    d.set("label", text(item.label));
    out.push_back(d);
  }
  return out;
}

std::vector<LegendItem> series_legend(const std::vector<Series>& series) {
  std::vector<LegendItem> items;
  for (const auto& s : series) items.push_back({s.colour, s.label, "line"});
  return items;
}

std::string series_colour(std::size_t index) { return series_palette[index % series_palette.size()]; }

std::string static_class_map(const grid::Grid<std::uint8_t>& values, const Window& window,
                             const std::vector<io::RasterClass>& palette, const plan::Plan& plan, double max_px) {
  const geom::Envelope extent = window_extent(values.spec(), window);
  const Frame frame = Frame::fit_box(extent, max_px, max_px);
  std::string out = svg_open(frame);
  out += fmt::format(R"(<image x="0" y="0" width="{:.1f}" height="{:.1f}" preserveAspectRatio="none" href="{}"/>)",
                     frame.width_px, frame.height_px, class_png_uri(values, window, palette));
  for (const auto& phase : plan.phases) {
    out += fmt::format(R"(<path class="outline" d="{}"><title>phase {}</title></path>)",
                       polygon_path(phase.geometry, frame), escape(phase.id));
  }
  out += "</svg>";
  return out;
}

std::vector<IndicatorGroup> indicator_groups(const std::vector<Indicator>& indicators) {
  std::vector<IndicatorGroup> groups;
  std::map<std::string, std::size_t> group_of;
  std::map<std::string, std::set<int>> years_of;
  std::map<std::string, std::vector<std::string>> ids_of;
  for (const auto& i : indicators) {
    if (i.year == 0) continue;
    const std::string group = i.id.substr(0, i.id.find('.'));
    if (group_of.try_emplace(group, groups.size()).second) {
      IndicatorGroup g;
      g.id = group;
      g.unit = i.unit;
      groups.push_back(std::move(g));
    }
    years_of[group].insert(i.year);
    auto& ids = ids_of[group];
    if (std::find(ids.begin(), ids.end(), i.id) == ids.end()) ids.push_back(i.id);
  }
  for (auto& g : groups) {
    g.years.assign(years_of[g.id].begin(), years_of[g.id].end());
    std::vector<std::string> labels_en, labels_zh;
    for (const auto& id : ids_of[g.id]) {
      IndicatorGroup::Row row;
      row.id = id;
      row.values.assign(g.years.size(), nullptr);
      for (const auto& i : indicators) {
        if (i.id != id || i.year == 0) continue;
        const auto at = std::lower_bound(g.years.begin(), g.years.end(), i.year) - g.years.begin();
        row.values[static_cast<std::size_t>(at)] = &i;
        if (row.label.empty()) {
          row.label = i.label_en.empty() ? id : i.label_en;
          labels_en.push_back(row.label);
          labels_zh.push_back(i.label_zh);
        }
      }
      g.rows.push_back(std::move(row));
    }
    g.title = common_start(labels_en);
    g.title_zh = common_start(labels_zh);
    if (g.title.empty()) g.title = g.id;
    if (g.rows.size() > 1) {
      for (auto& row : g.rows) {
        if (row.label.size() > g.title.size() && row.label.compare(0, g.title.size(), g.title) == 0) {
          row.label = row.label.substr(g.title.size());
          while (!row.label.empty() && (row.label[0] == ' ' || row.label[0] == ':')) row.label.erase(0, 1);
        }
      }
    }
  }
  return groups;
}

}  // namespace parksim::report::detail
