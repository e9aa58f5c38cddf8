#include <gtest/gtest.h>

#include <cctype>

#include "report/detail/svg.hpp"
#include "report/html.hpp"
#include "report_fixture.hpp"

namespace parksim::report {
namespace {

using testing::fixture_result;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

TEST(Html, escapes_a_hostile_scenario_name_and_question_everywhere) {
  auto r = fixture_result();
  r.scenario_name = "<script>alert(1)</script>";
  r.question = "\"><img src=x onerror=alert(2)>";
  r.plan.zones[0].name_en = "<b>core</b>";
  r.indicators[0].label_en = "<i>developed</i>";
  const std::string html = render_html(r);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>core"), std::string::npos);
  EXPECT_EQ(html.find("<i>developed"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;core&lt;/b&gt;"), std::string::npos);
}

TEST(Html, loads_nothing_from_the_network) {
  const std::string html = render_html(fixture_result());
  // Every src= / href= value (any case) must be inline (data:) or local - never http(s): or protocol-relative.
  std::string lower = html;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t links = 0;
  for (const std::string attribute : {"src=", "href="}) {
    for (auto at = lower.find(attribute); at != std::string::npos; at = lower.find(attribute, at + 1)) {
      std::size_t v = at + attribute.size();
      while (v < lower.size() && (lower[v] == '"' || lower[v] == '\'' || lower[v] == ' ')) ++v;
      const std::string value = lower.substr(v, 8);
      EXPECT_NE(value.rfind("http", 0), 0u) << html.substr(at, 60);
      EXPECT_NE(value.rfind("//", 0), 0u) << html.substr(at, 60);
      ++links;
    }
  }
  EXPECT_GE(links, 4u);  // the PNG maps are data: URIs, and they were checked
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
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

TEST(Html, shows_a_png_map_per_key_year_and_the_ensemble_probability_map) {
  const auto r = fixture_result();
  const std::string html = render_html(r);
  EXPECT_EQ(count(html, "href=\"data:image/png;base64,iVBORw0KGgo"), r.class_maps.size() + 1);
  for (const char* caption : {"2024 (start)", "2030", "2035"}) {
    EXPECT_NE(html.find(std::string("<figcaption>") + caption + "</figcaption>"), std::string::npos) << caption;
  }
  EXPECT_NE(html.find("Probability that a cell is developed in 2035"), std::string::npos);
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
  EXPECT_NE(html.find("<td class=\"num\">2035</td><td>yr</td>"), std::string::npos);  // a year, not "2,035"
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
  EXPECT_NE(html.find("<th>Δ line19_2029</th>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num up\">+0.120</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td class=\"num \">0</td>"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);
  EXPECT_THROW(compare_html({}), Error);
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

}  // namespace
}  // namespace parksim::report

namespace parksim::report {
namespace {

TEST(HtmlCompliance, health_industry_floor_is_shown_before_and_after_allocation) {
  RunResult result = testing::fixture_result();
  const std::string page = render_html(result);
  const auto row = page.find("after allocation");
  ASSERT_NE(row, std::string::npos);
  // Fixture: plan floor 300 mu, allocation gives 375 mu -> met.
  const std::string after = page.substr(row, 400);
  EXPECT_NE(after.find("375"), std::string::npos) << after;
  EXPECT_NE(after.find(">met<"), std::string::npos) << after;

  for (auto& indicator : result.indicators) {
    if (indicator.id == "health_industry_land_mu") indicator.value = 250.0;
  }
  const std::string short_page = render_html(result);
  const std::string short_row = short_page.substr(short_page.find("after allocation"), 400);
  EXPECT_NE(short_row.find("not met"), std::string::npos) << short_row;
}

}  // namespace
}  // namespace parksim::report
