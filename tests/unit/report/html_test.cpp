#include <gtest/gtest.h>

#include <cctype>

#include <nlohmann/json.hpp>

#include "report/detail/assets.hpp"
#include "report/detail/format.hpp"
#include "report/detail/map.hpp"
#include "report/detail/page.hpp"
#include "report/detail/svg.hpp"
#include "report/html.hpp"
#include "report_fixture.hpp"

namespace parksim::report {
namespace {

using testing::fixture_result;
using testing::study_result;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

/// The page without the contents of its <script> and <style> elements: the markup a browser would fetch from.
std::string markup_only(const std::string& html) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    const auto script = html.find("<script", at);
    const auto style = html.find("<style", at);
    const auto open = std::min(script, style);
    if (open == std::string::npos) break;
    const std::string close = open == script ? "</script>" : "</style>";
    const auto body = html.find('>', open) + 1;
    out += html.substr(at, body - at);
    at = html.find(close, body);
    if (at == std::string::npos) return out;
  }
  return out + html.substr(at);
}

/// The map data of the `index`-th interactive map of a page.
nlohmann::json map_spec(const std::string& html, std::size_t index = 0) {
  const std::string open = R"(<script type="application/json" class="parksim-map">)";
  std::size_t at = 0;
  for (std::size_t i = 0; i <= index; ++i) {
    at = html.find(open, at);
    if (at == std::string::npos) return nullptr;
    at += open.size();
  }
  return nlohmann::json::parse(html.substr(at, html.find("</script>", at) - at));
}

const nlohmann::json* layer(const nlohmann::json& spec, const std::string& id) {
  for (const auto& l : spec.at("layers")) {
    if (l.at("id") == id) return &l;
  }
  return nullptr;
}

std::vector<std::string> layer_ids(const nlohmann::json& spec) {
  std::vector<std::string> ids;
  for (const auto& l : spec.at("layers")) ids.push_back(l.at("id"));
  return ids;
}

TEST(Html, escapes_a_hostile_scenario_name_and_question_everywhere) {
  auto r = fixture_result();
  r.scenario_name = "<script>alert(1)</script>";
  r.question = "\"><img src=x onerror=alert(2)>";
  r.plan.zones[0].name_en = "<b>core</b>";
  r.indicators[0].label_en = "<i>developed</i>";
  const std::string html = render_html(r);
  EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>core"), std::string::npos);
  EXPECT_EQ(html.find("<i>developed"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;core&lt;/b&gt;"), std::string::npos);
}

TEST(Html, hostile_text_in_the_map_data_cannot_close_its_script_element) {
  auto r = fixture_result();
  r.plan.parcels[0].id = "</script><script>alert(3)</script>";
  r.plan.stations[0].name = "</SCRIPT><!--";
  const std::string html = render_html(r);
  // Exactly the page's own three scripts: the map data, Leaflet and the map script.
  EXPECT_EQ(count(lower(markup_only(html)), "<script"), 3u);
  EXPECT_EQ(count(lower(html), "</script"), 3u);
  EXPECT_EQ(html.find("<!--"), std::string::npos);
  // The text arrives intact in the data (the map script sets it as text, never as HTML).
  const auto spec = map_spec(html);
  const auto* parcels = layer(spec, "parcels");
  ASSERT_NE(parcels, nullptr);
  EXPECT_EQ(parcels->at("features")[0].at("title"), "Parcel 地块 </script><script>alert(3)</script>");
  EXPECT_EQ(layer(spec, "stations")->at("features")[0].at("label"), "</SCRIPT><!-- 生命科学园");
}

TEST(Html, loads_nothing_from_the_network) {
  const std::string html = render_html(fixture_result());
  const std::string markup = lower(markup_only(html));
  // Every src= / href= value of the markup is inline (data:) or a fragment - never http(s): or protocol-relative.
  std::size_t links = 0;
  for (const std::string attribute : {"src=", "href="}) {
    for (auto at = markup.find(attribute); at != std::string::npos; at = markup.find(attribute, at + 1)) {
      std::size_t v = at + attribute.size();
      while (v < markup.size() && (markup[v] == '"' || markup[v] == '\'' || markup[v] == ' ')) ++v;
      const std::string value = markup.substr(v, 8);
      EXPECT_TRUE(value.rfind("data:", 0) == 0 || value.rfind("#", 0) == 0) << markup.substr(at, 60);
      ++links;
    }
  }
  EXPECT_GE(links, 4u);  // the static PNG maps are data: URIs, and they were checked
  EXPECT_EQ(markup.find("<link"), std::string::npos);
  EXPECT_EQ(markup.find("<iframe"), std::string::npos);
  // Scripts are inline (no src), style sheets import nothing, and every url() in them is a data: URI.
  EXPECT_EQ(count(lower(html), "<script src"), 0u);
  EXPECT_EQ(lower(html).find("@import"), std::string::npos);
  for (auto at = html.find("url("); at != std::string::npos; at = html.find("url(", at + 1)) {
    const std::string target = html.substr(at + 4, 10);
    EXPECT_TRUE(target.rfind("data:", 0) == 0 || target.rfind("#default", 0) == 0) << html.substr(at, 40);
  }
  // Leaflet is inlined, with its licence notice.
  EXPECT_NE(html.find("(c) 2010-2019 Vladimir Agafonkin"), std::string::npos);
  EXPECT_NE(html.find("L.CRS.Simple"), std::string::npos);
}

TEST(Html, names_the_schematic_layers_in_a_visible_banner) {
  const std::string html = render_html(fixture_result());
  const auto banner = html.find("class=\"banner\"");
  ASSERT_NE(banner, std::string::npos);
  const std::string tail = html.substr(banner, 600);
  for (const char* layer : {"phases", "zones", "corridor"}) {
    EXPECT_NE(tail.find(std::string("<span class=\"tag\">") + layer + "</span>"), std::string::npos) << layer;
  }
  EXPECT_EQ(tail.find("<span class=\"tag\">stations</span>"), std::string::npos);
  auto r = fixture_result();
  r.plan.layers.clear();
  EXPECT_EQ(render_html(r).find("class=\"banner\""), std::string::npos);
}

TEST(Html, same_run_gives_the_same_bytes) {
  EXPECT_EQ(render_html(fixture_result()), render_html(fixture_result()));
}

TEST(Html, shows_a_static_map_per_key_year_and_the_ensemble_probability_map) {
  const auto r = fixture_result();
  const std::string html = render_html(r);
  EXPECT_EQ(count(markup_only(html), "href=\"data:image/png;base64,iVBORw0KGgo"), r.class_maps.size() + 1);
  for (const char* caption : {"2024 (start)", "2030", "2035"}) {
    EXPECT_NE(html.find(std::string("<figcaption>") + caption + "</figcaption>"), std::string::npos) << caption;
  }
  EXPECT_NE(html.find("Probability that a cell is developed in 2035"), std::string::npos);
}

TEST(Html, static_maps_show_the_park_not_the_whole_grid) {
  auto r = fixture_result();
  // A corridor grid four times as wide as the park: the static maps still show the park (and a margin).
  r.grid = grid::GridSpec{testing::kX0 - 3000.0, testing::kY0 + 2000, 100.0, 70, 20, "EPSG:4548"};
  for (auto& [year, map] : r.class_maps) map = grid::Grid<std::uint8_t>(r.grid, 0);
  for (auto& p : r.ensemble->probability) p = grid::Grid<float>(r.grid, 0.5f);
  const auto window = detail::window_of(r.grid, detail::focus_extent(r));
  EXPECT_EQ(window.col, 29);   // the park starts at column 30; 5 % margin = 50 m
  EXPECT_EQ(window.cols, 12);  // 1000 m + 2 x 50 m margin, whole cells
  EXPECT_EQ(window.rows, 20);  // the park is 2000 m high, the whole grid
  const std::string html = render_html(r);
  EXPECT_NE(html.find(R"(<svg class="map" viewBox="0 0 252 420")"), std::string::npos);  // 12 x 20 cells in 420 px
}

TEST(Html, map_opens_on_the_park_with_the_corridor_as_second_view_and_every_layer_of_the_run) {
  const auto r = fixture_result();
  const std::string html = render_html(r);
  ASSERT_NE(html.find(R"(<div id="parksim-map" class="leaflet-map")"), std::string::npos);
  const auto spec = map_spec(html);
  EXPECT_EQ(spec.at("container"), "parksim-map");
  EXPECT_EQ(layer_ids(spec), (std::vector<std::string>{"landuse", "probability", "corridor_band", "zones",
                                                       "parcels_landuse", "parcels", "phases", "corridor", "bases",
                                                       "stations"}));
  ASSERT_EQ(spec.at("views").size(), 2u);
  EXPECT_EQ(spec["views"][0].at("id"), "park");
  EXPECT_EQ(spec["views"][1].at("id"), "study");
  // Coordinates are metres relative to the study's lower-left corner: the park (x 0..1000, y 0..2000 m from its
  // corner, the grid's lower left) with a 5 % margin; the study is the grid.
  EXPECT_EQ(spec["views"][0].at("bounds"), nlohmann::json::parse("[-50, -100, 1050, 2100]"));
  EXPECT_EQ(spec["views"][1].at("bounds"), nlohmann::json::parse("[0, 0, 1000, 2000]"));
  // Parcels: polygon rings, coloured by planned land use, with bilingual popups.
  const auto& parcel = layer(spec, "parcels_landuse")->at("features")[0];
  EXPECT_EQ(parcel.at("f"), "#E6A0C8");  // 0802 R&D
  EXPECT_EQ(parcel.at("g")[0][0], nlohmann::json::parse("[0, 0, 500, 0, 500, 500, 0, 500, 0, 0]"));
  std::map<std::string, std::string> info;
  for (const auto& row : parcel.at("info")) info[row[0]] = row[1];
  EXPECT_EQ(info.at("Planned land use 规划用地"), "0802 R&D 科研用地");
  EXPECT_EQ(info.at("Zone 板块"), "Built core 核心区");
  EXPECT_EQ(info.at("Area 面积"), "25.00 ha · 375 mu");
  EXPECT_EQ(info.at("Simulated 2035 模拟用地"), "R&D 科研");
  EXPECT_EQ(info.at("P(developed) 开发概率"), "100 %");
  EXPECT_EQ(layer(spec, "parcels")->at("visible"), true);
  EXPECT_EQ(layer(spec, "parcels_landuse")->at("visible"), false);
  // Corridor axes as lines, stations and bases as points, phases labelled.
  EXPECT_EQ(layer(spec, "corridor")->at("features")[0].at("g")[0].size(), 6u);
  EXPECT_EQ(layer(spec, "stations")->at("features")[0].at("g"), nlohmann::json::parse("[300, 200]"));
  EXPECT_EQ(layer(spec, "phases")->at("features")[1].at("label"), "Phase 3");
  EXPECT_NE(spec.at("attribution").get<std::string>().find("OpenStreetMap"), std::string::npos);
  // Legends beside the map name the classes bilingually.
  EXPECT_NE(html.find("R&amp;D 科研"), std::string::npos);
  EXPECT_NE(html.find("Parcels: planned land use 地块规划用地"), std::string::npos);
}

TEST(Html, map_has_a_year_slider_over_every_simulated_year_opening_on_the_last) {
  const auto r = fixture_result();
  const std::string html = render_html(r);
  const auto spec = map_spec(html);
  const auto* landuse = layer(spec, "landuse");
  ASSERT_NE(landuse, nullptr);
  ASSERT_EQ(landuse->at("frames").size(), r.class_maps.size());
  EXPECT_EQ(landuse->at("frames")[0].at("label"), "2024 (start)");
  EXPECT_EQ(landuse->at("frames")[2].at("label"), "2035");
  EXPECT_EQ(landuse->at("frames")[2].at("url").get<std::string>().rfind("data:image/png;base64,", 0), 0u);
  EXPECT_EQ(landuse->at("bounds"), nlohmann::json::parse("[0, 0, 1000, 2000]"));
  EXPECT_NE(html.find(R"(data-parksim-slider="parksim-map:landuse")"), std::string::npos);
  EXPECT_NE(html.find(R"(<output for="parksim-map-year">2035</output>)"), std::string::npos);
  // The probability layer is the ensemble's, off at first.
  EXPECT_EQ(layer(spec, "probability")->at("visible"), false);
}

TEST(Html, station_labels_fall_back_to_the_chinese_name) {
  auto r = fixture_result();
  r.plan.stations[0].name.clear();
  const auto spec = map_spec(render_html(r));
  EXPECT_EQ(layer(spec, "stations")->at("features")[0].at("label"), "生命科学园");
}

TEST(Html, study_without_a_plan_renders_every_section_and_opens_on_the_study_area) {
  const RunResult r = study_result();
  const std::string html = render_html(r);
  EXPECT_NE(html.find("n/a — no parcels."), std::string::npos);
  EXPECT_NE(html.find("n/a — no phases in this study."), std::string::npos);
  EXPECT_NE(html.find("Opens on the whole study area."), std::string::npos);
  EXPECT_NE(html.find("CRS EPSG:32650"), std::string::npos);
  EXPECT_NE(html.find("Developed land grows from 0.008 km² in 2010 to 0.044 km² in 2020 (run 0)."), std::string::npos);
  const auto spec = map_spec(html);
  // Only the layers the study has; a single view of the whole study area (the grid, 480 x 360 m).
  EXPECT_EQ(layer_ids(spec), (std::vector<std::string>{"landuse", "probability"}));
  ASSERT_EQ(spec.at("views").size(), 1u);
  EXPECT_EQ(spec["views"][0].at("bounds"), nlohmann::json::parse("[0, 0, 480, 360]"));
  EXPECT_EQ(spec.at("attribution"), "");
  EXPECT_NE(html.find("whole study area"), std::string::npos);  // the growth chart's one series
}

TEST(Html, indicators_are_pivoted_by_year_with_a_chart_per_group) {
  auto r = fixture_result();
  for (const int year : {2024, 2035}) {
    r.indicators.push_back({"baseline", year, "zone_area_km2.core", "分区已开发面积：core", "Developed land in zone core",
                            "km2", 1.0});
    r.indicators.push_back({"baseline", year, "zone_area_km2.frontier_tech", "分区已开发面积：frontier_tech",
                            "Developed land in zone frontier_tech", "km2", year == 2024 ? 0.0 : 0.98});
  }
  const std::string html = render_html(r);
  const auto section = html.substr(html.find("<section id=\"indicators\">"));
  // One table per group, years as columns, values formatted by unit (km² with 3 decimals below 10).
  EXPECT_NE(section.find("<h3>Developed land in zone 分区已开发面积 (km²)</h3>"), std::string::npos) << section;
  EXPECT_NE(section.find(R"(<tr><th></th><th class="num">2024</th><th class="num">2035</th></tr>)"), std::string::npos);
  EXPECT_NE(section.find(R"(<tr><td>Frontier Technology 前沿技术区</td><td class="num">0.000</td><td class="num">0.980</td></tr>)"),
            std::string::npos);
  EXPECT_NE(section.find(R"(<tr><td>developed area</td><td class="num">1.000</td><td class="num">1.980</td></tr>)"),
            std::string::npos);
  EXPECT_EQ(count(section, "<svg class=\"chart\""), 2u);  // developed_km2 and zone_area_km2
  // Figures without a year in their own table: a year as a year, a missing value as n/a.
  EXPECT_NE(section.find(R"(<td class="num">2035</td><td>year</td>)"), std::string::npos);
  EXPECT_NE(section.find(R"(<td class="num">n/a</td><td>%</td>)"), std::string::npos);
}

TEST(Html, chart_legends_are_html_lists_and_zones_that_never_grow_are_named) {
  auto r = fixture_result();
  for (auto& a : r.areas) {
    if (a.zone == "frontier_tech" && a.sim_class == 2) a.area_m2 = 0.0;  // never any developed land
  }
  const std::string html = render_html(r);
  const auto section = html.substr(html.find("<section id=\"growth\">"), 4000);
  EXPECT_EQ(section.find("<text class=\"legend\""), std::string::npos);  // no legend drawn into the SVG
  EXPECT_NE(section.find(R"(<li><span class="swatch line" style="background:#1F78B4"></span>Built core 核心区</li>)"),
            std::string::npos) << section;
  EXPECT_NE(section.find("No developed land in any year: Frontier Technology 前沿技术区"), std::string::npos);
}

TEST(Html, plan_compliance_table_shows_targets_zone_shares_and_fillup_years) {
  const std::string html = render_html(fixture_result());
  EXPECT_NE(html.find("planned total area / 规划总面积"), std::string::npos);
  EXPECT_NE(html.find("health-industry land / 医药健康产业用地"), std::string::npos);
  EXPECT_NE(html.find("&gt;= 300"), std::string::npos);  // the floor of the health-industry target, escaped
  EXPECT_NE(html.find("Frontier Technology (frontier_tech)"), std::string::npos);
  EXPECT_NE(html.find("50.0 %"), std::string::npos);      // each zone holds half the parcels
  EXPECT_NE(html.find("4 of 5"), std::string::npos);      // phase 3 filled in four of five runs
  EXPECT_NE(html.find("<td class=\"num\">2034</td>"), std::string::npos);  // its median fill-up year
}

TEST(Html, answer_says_when_the_expansion_fills_up_and_what_the_allocation_gives) {
  const std::string html = render_html(fixture_result());
  const auto answer = html.substr(html.find("<section id=\"answer\""), 800);
  EXPECT_NE(answer.find("<li>phase 3 三期 fills up by 2035 in 4 of 5 runs (between 2033 and 2035).</li>"),
            std::string::npos) << answer;
  EXPECT_NE(answer.find("Health-industry land in the expansion after allocation: 375 mu (target at least 300 mu)."),
            std::string::npos);
}

TEST(Html, nan_values_read_n_a_and_the_allocation_map_has_one_path_per_parcel) {
  auto r = fixture_result();
  r.parcels[6].alloc_landuse.clear();  // P3-7, developable farmland of the expansion, left without an option
  r.parcels[6].alloc_zone.clear();
  const std::string html = render_html(r);
  EXPECT_NE(html.find("<td class=\"num\">n/a</td>"), std::string::npos);
  EXPECT_EQ(html.find(">nan<"), std::string::npos);
  EXPECT_EQ(count(html, "<path class=\"parcel\""), r.plan.parcels.size());
  EXPECT_NE(html.find("P3-7: not allocated"), std::string::npos);
  // Green land is outside the allocation: drawn in its current use, not as a hole.
  EXPECT_NE(html.find("P3-8: 1401 Park green (current use; not part of the allocation)"), std::string::npos);
  EXPECT_NE(html.find("faded: current use, outside the allocation"), std::string::npos);
  EXPECT_NE(html.find("health-industry land ≥ 300 mu"), std::string::npos);
}

TEST(Html, single_run_without_allocation_or_maps_still_renders_every_section) {
  auto r = fixture_result();
  r.ensemble.reset();
  r.allocation.reset();
  for (auto& p : r.parcels) p.alloc_landuse.clear();
  r.class_maps.clear();
  r.areas.clear();
  const std::string html = render_html(r);
  EXPECT_NE(html.find("A single run: no probabilities."), std::string::npos);
  EXPECT_NE(html.find("No parcel allocation in this run."), std::string::npos);
  EXPECT_NE(html.find("The run produced no class maps."), std::string::npos);
  EXPECT_NE(html.find("no data"), std::string::npos);
  EXPECT_EQ(layer(map_spec(html), "landuse"), nullptr);
}

TEST(Html, page_style_keeps_wide_content_in_its_own_scrolling_box) {
  const std::string html = render_html(fixture_result());
  // Every table sits in a .scroll box; charts and maps shrink to the width.
  EXPECT_EQ(count(markup_only(html), "<table"), count(markup_only(html), "<div class=\"scroll\"><table"));
  const std::string css = detail::page_style();
  EXPECT_NE(css.find(".scroll{overflow-x:auto"), std::string::npos);
  EXPECT_NE(css.find("svg.map,svg.chart{max-width:100%;height:auto"), std::string::npos);
  EXPECT_NE(html.find(R"(<meta name="viewport" content="width=device-width, initial-scale=1">)"), std::string::npos);
}

TEST(Format, values_read_by_their_unit) {
  EXPECT_EQ(detail::format_value(7.2, "km2"), "7.200");
  EXPECT_EQ(detail::format_value(12.345, "km2"), "12.35");
  EXPECT_EQ(detail::format_value(3120.4, "mu"), "3,120");
  EXPECT_EQ(detail::format_value(2035, "yr"), "2035");
  EXPECT_EQ(detail::format_value(0.125, "%"), "0.1");
  EXPECT_EQ(detail::format_value(std::nan(""), "km2"), "n/a");
  EXPECT_EQ(detail::format_indicator({"", 0, "health_industry_target_met", "", "", "1", 1.0}), "yes");
  EXPECT_EQ(detail::format_indicator({"", 2030, "ftz_developed_share", "", "", "1", 0.9256}), "92.6 %");
  EXPECT_EQ(detail::format_delta(0.12, "km2"), "+0.120");
  EXPECT_EQ(detail::format_delta(-3.0, "mu"), "-3");
  EXPECT_EQ(detail::format_delta(0.0, "km2"), "0.000");
  EXPECT_EQ(detail::unit_symbol("km2"), "km²");
}

TEST(IndicatorGroups, share_a_title_and_keep_the_rest_of_each_label) {
  std::vector<Indicator> rows = {{"s", 0, "plan_total_km2", "规划总面积", "Planned area", "km2", 7.2},
                                 {"s", 2030, "zone_area_km2.a", "分区已开发面积：a", "Developed land in zone a", "km2", 1},
                                 {"s", 2025, "zone_area_km2.b", "分区已开发面积：b", "Developed land in zone b", "km2", 2},
                                 {"s", 2025, "developed_km2", "已开发用地面积", "Developed land", "km2", 3}};
  const auto groups = detail::indicator_groups(rows);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].id, "zone_area_km2");
  EXPECT_EQ(groups[0].title, "Developed land in zone");
  EXPECT_EQ(groups[0].title_zh, "分区已开发面积");
  EXPECT_EQ(groups[0].years, (std::vector<int>{2025, 2030}));
  ASSERT_EQ(groups[0].rows.size(), 2u);
  EXPECT_EQ(groups[0].rows[0].label, "a");
  EXPECT_EQ(groups[0].rows[0].values[0], nullptr);  // zone a has no 2025 row
  EXPECT_EQ(groups[0].rows[0].values[1], &rows[1]);
  EXPECT_EQ(groups[1].title, "Developed land");
  EXPECT_EQ(groups[1].rows[0].label, "Developed land");
}

TEST(Compare, puts_runs_side_by_side_with_deltas_from_the_first) {
  auto a = fixture_result();
  auto b = fixture_result();
  b.scenario_name = "line19_2029";
  for (auto& i : b.indicators) {
    if (i.id == "developed_km2" && i.year == 2035) i.value = 2.1;
  }
  const std::vector<RunResult> runs{a, b};
  const std::string html = compare_html(runs);
  EXPECT_NE(html.find("<th class=\"num\">Δ line19_2029</th>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num up\">+0.120</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td class=\"num \">0.000</td>"), std::string::npos);
  EXPECT_THROW(compare_html({}), Error);
}

TEST(Compare, shows_the_same_map_view_side_by_side_and_where_the_runs_differ) {
  auto a = fixture_result();
  auto b = fixture_result();
  b.scenario_name = "slow_growth";
  // In 2035 every fixture cell is built (R&D); three cells differ.
  auto& reference = a.class_maps.back().second;
  auto& end = b.class_maps.back().second;
  reference(0, 0) = 0;  // developed only in slow_growth
  end(15, 0) = 0;       // developed only in the reference
  reference(0, 1) = 0;  // non-built in the reference, green in slow_growth: another class, neither developed
  end(0, 1) = 1;
  const std::vector<RunResult> runs{a, b};
  const std::string html = compare_html(runs);
  const auto left = map_spec(html, 0);
  const auto right = map_spec(html, 1);
  EXPECT_EQ(left.at("container"), "parksim-compare-0");
  EXPECT_EQ(right.at("container"), "parksim-compare-1");
  EXPECT_EQ(left.at("views"), right.at("views"));  // the same view
  EXPECT_EQ(left.at("group"), right.at("group"));  // moving together
  EXPECT_NE(html.find("<h2>Land use in 2035, side by side 模拟用地对比</h2>"), std::string::npos);
  const auto diff = map_spec(html, 2);
  EXPECT_EQ(diff.at("container"), "parksim-difference-1");
  // 200 cells of 1 ha, one without data: 196 the same, one developed only here, one only in the reference, one other.
  const auto table = html.substr(html.find("<section id=\"difference\">"));
  EXPECT_NE(table.find(R"(<tr><td>slow_growth</td><td class="num">1.960</td><td class="num">0.010</td><td class="num">0.010</td><td class="num">0.010</td></tr>)"),
            std::string::npos) << table.substr(0, 3000);
  EXPECT_NE(html.find("developed only in this scenario 仅本情景开发"), std::string::npos);
}

TEST(Compare, says_each_runs_question_answer_and_schematic_layers) {
  auto a = fixture_result();
  auto b = study_result();
  b.scenario_name = "rasters_only";
  const std::vector<RunResult> runs{a, b};
  const std::string html = compare_html(runs);
  const auto banner = html.substr(html.find("id=\"schematic\""), 800);
  EXPECT_NE(banner.find("baseline: <span class=\"tag\">phases</span>"), std::string::npos) << banner;
  EXPECT_NE(banner.find("rasters_only: not recorded in this run&apos;s manifest"), std::string::npos) << banner;
  EXPECT_NE(html.find("When does phase 3 (4.7 km²) fill up at today&apos;s growth? 三期何时建满？"), std::string::npos);
  EXPECT_NE(html.find("Where does the town grow from 2010 to 2020?"), std::string::npos);
  EXPECT_NE(html.find("phase 3 三期 fills up by 2035 in 4 of 5 runs"), std::string::npos);
  // Different grids: no common map year, no difference map, said so.
  EXPECT_NE(html.find("no land-use map of a common year"), std::string::npos);
  // An indicator chart per indicator tied to years, a line per scenario.
  EXPECT_NE(html.find("<figcaption>developed area (km²)</figcaption>"), std::string::npos) << html.substr(html.find("id=\"charts\""), 2000);
}

TEST(SvgText, numbers_group_thousands_and_show_nan_as_n_a) {
  EXPECT_EQ(detail::number(3000.0, 0), "3,000");
  EXPECT_EQ(detail::number(1234567.891, 2), "1,234,567.89");
  EXPECT_EQ(detail::number(-4.7, 1), "-4.7");
  EXPECT_EQ(detail::number(-0.0001, 2), "0.00");
  EXPECT_EQ(detail::number(std::nan(""), 2), "n/a");
  EXPECT_EQ(detail::safe_colour("#7ab800"), "#7ab800");
  EXPECT_EQ(detail::safe_colour("red;background:url(x)"), "#999999");
}

TEST(SvgText, base64_matches_rfc_4648_vectors) {
  const auto enc = [](const std::string& s) {
    return detail::base64(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
  };
  EXPECT_EQ(enc(""), "");
  EXPECT_EQ(enc("f"), "Zg==");
  EXPECT_EQ(enc("fo"), "Zm8=");
  EXPECT_EQ(enc("foo"), "Zm9v");
  EXPECT_EQ(enc("foobar"), "Zm9vYmFy");
}

TEST(SvgMap, polygon_paths_flip_y_and_round_to_a_tenth_of_a_pixel) {
  const auto frame = detail::Frame::fit(geom::Envelope{0, 0, 1000, 500}, 300);
  EXPECT_DOUBLE_EQ(frame.height_px, 150.0);
  const auto square = geom::Geometry::from_wkt("POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0))");
  EXPECT_EQ(detail::polygon_path(square, frame), "M0 150L30 150L30 120L0 120Z");
  const auto line = geom::Geometry::from_wkt("LINESTRING (0 500, 333.33 0)");
  EXPECT_EQ(detail::line_path(line, frame), "M0 0L100 150");
  const auto ticks = detail::nice_ticks(0.0, 0.93, 5);
  ASSERT_EQ(ticks.size(), 5u);
  for (std::size_t i = 0; i < ticks.size(); ++i) EXPECT_NEAR(ticks[i], 0.2 * static_cast<double>(i), 1e-12);
}

TEST(InlineAssets, cannot_close_their_element_and_json_escapes_markup_characters) {
  EXPECT_EQ(detail::inline_safe("a='</script>';b='</STYLE>';c='</div>'"), "a='<\\/script>';b='<\\/STYLE>';c='</div>'");
  EXPECT_EQ(detail::json_for_html(R"({"a":"<b>&</b>"})"), R"({"a":"\u003cb\u003e\u0026\u003c/b\u003e"})");
}

TEST(HtmlCompliance, health_industry_floor_is_shown_before_and_after_allocation) {
  RunResult result = testing::fixture_result();
  const std::string page = render_html(result);
  const std::string compliance = page.substr(page.find("<section id=\"compliance\">"));
  const auto row = compliance.find("after allocation");
  ASSERT_NE(row, std::string::npos);
  // Fixture: plan floor 300 mu, allocation gives 375 mu -> met.
  const std::string after = compliance.substr(row, 400);
  EXPECT_NE(after.find("375"), std::string::npos) << after;
  EXPECT_NE(after.find(">met<"), std::string::npos) << after;

  for (auto& indicator : result.indicators) {
    if (indicator.id == "health_industry_land_mu") indicator.value = 250.0;
  }
  const std::string short_page = render_html(result);
  const std::string short_compliance = short_page.substr(short_page.find("<section id=\"compliance\">"));
  const std::string short_row = short_compliance.substr(short_compliance.find("after allocation"), 400);
  EXPECT_NE(short_row.find("not met"), std::string::npos) << short_row;
}

}  // namespace
}  // namespace parksim::report
