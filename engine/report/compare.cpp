// compare_html: several runs on one page - each scenario's question and what its run answers, the land use at the end
// side by side in the same map view, where the scenarios differ from the first, the indicators across scenarios as
// charts and tables, and the schematic-data caveat of every run.
#include <algorithm>
#include <array>
#include <optional>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "report/detail/assets.hpp"
#include "report/detail/format.hpp"
#include "report/detail/map.hpp"
#include "report/detail/page.hpp"
#include "report/html.hpp"

namespace parksim::report {

namespace {

using detail::flag;
using detail::list;
using detail::mu::data;
using detail::text;

constexpr const char* compare_template = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>parksim comparison — {{title}}</title>
<style>{{{leaflet_css}}}</style>
<style>{{{page_css}}}</style>
</head>
<body>
<header>
<h1>Scenario comparison 情景比较</h1>
<p class="question">{{title}}</p>
<p class="meta">Reference: {{first}} · differences are each scenario minus the reference</p>
</header>
<main>
{{#has_schematic}}<div class="banner" id="schematic" role="note"><strong>Schematic data.</strong> The runs rest on schematic input layers: drawn at the real location with published areas, but not surveyed. Read shapes, positions and the differences between scenarios as indicative.
<ul>{{#runs}}<li>{{name}}: {{#schematic_layers}}<span class="tag">{{.}}</span>{{/schematic_layers}}{{^schematic_layers}}{{schematic_none}}{{/schematic_layers}}</li>{{/runs}}</ul></div>{{/has_schematic}}
{{^has_schematic}}<p class="note" id="schematic">{{schematic_note}}</p>{{/has_schematic}}

<section id="questions">
<h2>Questions and answers 问题与结论</h2>
<div class="side-by-side">{{#runs}}<div>
<h3>{{name}}</h3>
{{#has_question}}<p><strong>{{question}}</strong></p>{{/has_question}}
{{#has_description}}<p class="note">{{description}}</p>{{/has_description}}
{{#has_answer}}<ul>{{#answer}}<li>{{.}}</li>{{/answer}}</ul>{{/has_answer}}
{{^has_answer}}<p class="note">No headline figures in this run's indicators.</p>{{/has_answer}}
<p class="note">Years {{years}} · seed {{seed}} · {{runs}} run(s)</p>
</div>{{/runs}}</div>
</section>

{{#has_maps}}<section id="maps">
<h2>Land use in {{map_year}}, side by side 模拟用地对比</h2>
<div class="side-by-side interactive">{{#maps}}<figure><div id="{{container}}" class="leaflet-map small" role="region" aria-label="{{title}}"></div><figcaption>{{title}}</figcaption>
<script type="application/json" class="parksim-map">{{{json}}}</script></figure>{{/maps}}</div>
<div class="maps print-only">{{#maps}}<figure>{{{static_svg}}}<figcaption>{{title}}</figcaption></figure>{{/maps}}</div>
<ul class="legend">{{#classes}}<li><span class="swatch {{shape}}" style="{{style}}"></span>{{label}}</li>{{/classes}}</ul>
<p class="note">The same view in every map: they move together. Static copies of the park below (also for print); black outlines: plan phases.</p>
</section>{{/has_maps}}

<section id="difference">
<h2>Where the scenarios differ 差异图</h2>
{{#has_differences}}<div class="side-by-side interactive">{{#differences}}<figure><div id="{{container}}" class="leaflet-map small" role="region" aria-label="{{title}}"></div><figcaption>{{title}}</figcaption>
<script type="application/json" class="parksim-map">{{{json}}}</script></figure>{{/differences}}</div>
<div class="maps print-only">{{#differences}}<figure>{{{static_svg}}}<figcaption>{{title}}</figcaption></figure>{{/differences}}</div>
<ul class="legend">{{#difference_legend}}<li><span class="swatch {{shape}}" style="{{style}}"></span>{{label}}</li>{{/difference_legend}}</ul>
<div class="scroll"><table>
<tr><th>Scenario</th>{{#difference_headers}}<th class="num">{{.}}</th>{{/difference_headers}}</tr>
{{#differences}}<tr><td>{{name}}</td>{{#areas}}<td class="num">{{.}}</td>{{/areas}}</tr>
{{/differences}}
</table></div>
<p class="note">Cells of the last common year's land-use maps compared with the reference ({{first}}), run 0 of each; areas in km². The difference maps move together.</p>{{/has_differences}}
{{^has_differences}}<p class="note">{{no_difference}}</p>{{/has_differences}}
</section>

<section id="charts">
<h2>Indicators across scenarios 指标对比</h2>
{{#has_charts}}<ul class="legend">{{#scenario_legend}}<li><span class="swatch {{shape}}" style="{{style}}"></span>{{label}}</li>{{/scenario_legend}}</ul>
<div class="charts">{{#charts}}<figure>{{{svg}}}<figcaption>{{title}}</figcaption></figure>{{/charts}}</div>{{/has_charts}}
{{^has_charts}}<p class="note">The runs have no indicators tied to years.</p>{{/has_charts}}
{{#has_fixed}}<h3>Plan and allocation figures</h3>
<div class="scroll"><table>
<tr><th>Indicator</th><th>Unit</th>{{#headers}}<th class="num">{{.}}</th>{{/headers}}</tr>
{{#fixed}}<tr><td>{{label}}</td><td>{{unit}}</td>{{#cells}}<td class="num {{class}}">{{text}}</td>{{/cells}}</tr>
{{/fixed}}
</table></div>{{/has_fixed}}
<details><summary>Every indicator by year, with differences Δ from {{first}}</summary>
<div class="scroll"><table>
<tr><th>Year</th><th>Indicator</th><th>Unit</th>{{#headers}}<th class="num">{{.}}</th>{{/headers}}</tr>
{{#rows}}<tr><td>{{year}}</td><td>{{label}}</td><td>{{unit}}</td>{{#cells}}<td class="num {{class}}">{{text}}</td>{{/cells}}</tr>
{{/rows}}
</table></div></details>
</section>
</main>
<footer><p>parksim comparison of {{count}} runs. Map: Leaflet (BSD-2-Clause). The figures of each run: its indicators.csv; this table: comparison.csv.</p></footer>
<script>{{{leaflet_js}}}</script>
<script>{{{map_js}}}</script>
</body>
</html>
)HTML";

// The categories of the difference map.
constexpr int same_class = 0, developed_only_here = 1, developed_only_in_reference = 2, other_change = 3;
const std::vector<io::RasterClass>& difference_palette() {
  static const std::vector<io::RasterClass> palette = {
      {same_class, "same class 相同", "#E4E4E4"},
      {developed_only_here, "developed only in this scenario 仅本情景开发", "#1A9850"},
      {developed_only_in_reference, "developed only in the reference 仅参照情景开发", "#D73027"},
      {other_change, "other class 其他类别不同", "#8073AC"}};
  return palette;
}

bool same_grid(const grid::GridSpec& a, const grid::GridSpec& b) {
  return a.origin_x == b.origin_x && a.origin_y == b.origin_y && a.cell_size_m == b.cell_size_m &&
         a.cell_height() == b.cell_height() && a.cols == b.cols && a.rows == b.rows;
}

const grid::Grid<std::uint8_t>* map_of(const RunResult& run, int year) {
  for (const auto& [y, values] : run.class_maps) {
    if (y == year) return &values;
  }
  return nullptr;
}

std::set<int> built_ids(const RunResult& run) {
  std::set<int> out;
  for (const auto& cls : run.classes) {
    if (cls.built) out.insert(cls.id);
  }
  return out;
}

geom::Envelope merge(geom::Envelope a, const geom::Envelope& b) {
  if (b.is_empty()) return a;
  if (a.is_empty()) return b;
  return geom::Envelope{std::min(a.min_x, b.min_x), std::min(a.min_y, b.min_y), std::max(a.max_x, b.max_x),
                        std::max(a.max_y, b.max_y)};
}

// The last year every run has a map of (the runs may end in different years); nullopt when there is none.
std::optional<int> common_map_year(std::span<const RunResult> runs) {
  std::set<int> common;
  for (const auto& [y, values] : runs[0].class_maps) common.insert(y);
  for (const auto& run : runs.subspan(1)) {
    std::set<int> here;
    for (const auto& [y, values] : run.class_maps) {
      if (common.count(y) != 0) here.insert(y);
    }
    common = std::move(here);
  }
  if (common.empty()) return std::nullopt;
  return *common.rbegin();
}

std::vector<std::pair<int, std::string>> indicator_keys(std::span<const RunResult> results) {
  std::vector<std::pair<int, std::string>> keys;
  std::set<std::pair<int, std::string>> seen;
  for (const auto& run : results) {
    for (const auto& i : run.indicators) {
      if (seen.insert({i.year, i.id}).second) keys.emplace_back(i.year, i.id);
    }
  }
  return keys;
}

const Indicator* indicator_of(const RunResult& run, const std::pair<int, std::string>& key) {
  for (const auto& i : run.indicators) {
    if (i.id == key.second && i.year == key.first) return &i;
  }
  return nullptr;
}

data value_cells(std::span<const RunResult> results, const std::pair<int, std::string>& key, const std::string& unit) {
  data cells = list();
  const Indicator* base = indicator_of(results[0], key);
  for (std::size_t r = 0; r < results.size(); ++r) {
    const Indicator* value = indicator_of(results[r], key);
    data cell;
    cell.set("text", text(value != nullptr ? detail::format_indicator(*value) : std::string("n/a")));
    cell.set("class", text(""));
    cells.push_back(cell);
    if (r > 0) {
      data delta;
      const double d = (value != nullptr && base != nullptr) ? value->value - base->value : std::nan("");
      delta.set("text", text(detail::format_delta(d, unit)));
      delta.set("class", text(!std::isfinite(d) || detail::format_delta(d, unit).find_first_of("+-") != 0 ? ""
                              : d > 0 ? "up" : "down"));
      cells.push_back(delta);
    }
  }
  return cells;
}

}  // namespace

std::string compare_html(std::span<const RunResult> results) {
  if (results.empty()) throw Error(ErrorCode::usage, "nothing to compare: no runs");
  data page;
  page.set("page_css", text(detail::page_style()));
  detail::add_map_assets(page);
  page.set("first", text(results[0].scenario_name));
  page.set("count", text(std::to_string(results.size())));
  std::string title;
  for (const auto& run : results) title += (title.empty() ? "" : " · ") + run.scenario_name;
  page.set("title", text(title));

  // Questions, answers and the schematic caveat of each run.
  data runs = list();
  data headers = list();
  bool any_schematic = false, any_unknown = false;
  for (std::size_t r = 0; r < results.size(); ++r) {
    const RunResult& run = results[r];
    const auto layers = run.plan.schematic_layers();
    any_schematic = any_schematic || !layers.empty();
    const bool recorded = !run.plan.layers.empty();
    any_unknown = any_unknown || !recorded;
    data row;
    row.set("name", text(run.scenario_name));
    row.set("question", text(run.question));
    row.set("description", text(run.description));
    row.set("has_question", flag(!run.question.empty()));
    row.set("has_description", flag(!run.description.empty()));
    data schematic = list();
    for (const auto& l : layers) schematic.push_back(text(l));
    row.set("schematic_layers", schematic);
    row.set("schematic_none", text(recorded ? "no schematic layer" : "not recorded in this run's manifest"));
    const auto answer = detail::answer_lines(run);
    data lines = list();
    for (const auto& line : answer) lines.push_back(text(line));
    row.set("has_answer", flag(!answer.empty()));
    row.set("answer", lines);
    row.set("years", text(fmt::format("{}–{}", run.start_year, run.end_year)));
    row.set("seed", text(std::to_string(run.seed)));
    row.set("runs", text(std::to_string(run.runs)));
    runs.push_back(row);
    headers.push_back(text(run.scenario_name));
    if (r > 0) headers.push_back(text("Δ " + run.scenario_name));
  }
  page.set("runs", runs);
  page.set("headers", headers);
  page.set("has_schematic", flag(any_schematic));
  page.set("schematic_note", text(any_unknown ? "The runs' manifests do not say which input layers are schematic "
                                                "(written by an older parksim): treat the park geometry as schematic."
                                              : "No input layer of these runs is marked schematic."));

  // The same map view of each run's land use, and where each differs from the reference.
  const std::optional<int> year = common_map_year(results);
  page.set("has_maps", flag(year.has_value()));
  page.set("has_differences", flag(false));
  if (year) {
    page.set("map_year", text(std::to_string(*year)));
    geom::Envelope focus, study;
    for (const auto& run : results) {
      focus = merge(focus, detail::focus_extent(run));
      study = merge(study, detail::study_extent(run));
    }
    const auto palette = detail::class_palette(results[0].classes);
    data maps = list();
    for (std::size_t r = 0; r < results.size(); ++r) {
      const RunResult& run = results[r];
      detail::CompareMapInput input;
      input.container = fmt::format("parksim-compare-{}", r);
      input.title = fmt::format("{} — {}", run.scenario_name, *year);
      input.values = map_of(run, *year);
      input.palette = detail::class_palette(run.classes);
      input.plan = &run.plan;
      data map;
      map.set("container", text(input.container));
      map.set("title", text(input.title));
      map.set("json", text(detail::json_for_html(detail::compare_map_json(input, focus, study, "landuse"))));
      map.set("static_svg", text(detail::static_class_map(*input.values, detail::window_of(input.values->spec(), focus),
                                                          input.palette, run.plan, 420)));
      maps.push_back(map);
    }
    page.set("maps", maps);
    std::vector<detail::LegendItem> legend;
    for (const auto& cls : results[0].classes) legend.push_back({detail::safe_colour(cls.colour), detail::class_label(cls)});
    page.set("classes", detail::legend_data(legend));

    data differences = list();
    const grid::Grid<std::uint8_t>& reference = *map_of(results[0], *year);
    const std::set<int> reference_built = built_ids(results[0]);
    std::vector<std::string> not_comparable;
    for (std::size_t r = 1; r < results.size(); ++r) {
      const RunResult& run = results[r];
      const grid::Grid<std::uint8_t>& here = *map_of(run, *year);
      if (!same_grid(here.spec(), reference.spec())) {
        not_comparable.push_back(run.scenario_name);
        continue;
      }
      const std::set<int> built = built_ids(run);
      grid::Grid<std::uint8_t> diff(here.spec(), io::class_nodata);
      std::array<std::int64_t, 4> cells{};
      for (std::int64_t i = 0; i < here.size(); ++i) {
        const std::uint8_t a = reference[i], b = here[i];
        if (a == io::class_nodata || b == io::class_nodata) continue;
        const bool built_a = reference_built.count(a) != 0, built_b = built.count(b) != 0;
        const int category = a == b ? same_class
                             : built_b && !built_a ? developed_only_here
                             : built_a && !built_b ? developed_only_in_reference
                                                   : other_change;
        diff[i] = static_cast<std::uint8_t>(category);
        ++cells[static_cast<std::size_t>(category)];
      }
      detail::CompareMapInput input;
      input.container = fmt::format("parksim-difference-{}", r);
      input.title = fmt::format("{} vs {} — {}", run.scenario_name, results[0].scenario_name, *year);
      input.values = &diff;
      input.palette = difference_palette();
      input.plan = &run.plan;
      data d;
      d.set("name", text(run.scenario_name));
      d.set("container", text(input.container));
      d.set("title", text(input.title));
      d.set("json", text(detail::json_for_html(detail::compare_map_json(input, focus, study, "difference"))));
      d.set("static_svg", text(detail::static_class_map(diff, detail::window_of(diff.spec(), focus), input.palette,
                                                        run.plan, 420)));
      data areas = list();
      for (const auto c : cells) {
        areas.push_back(text(detail::format_value(static_cast<double>(c) * here.spec().cell_area_m2() / 1e6, "km2")));
      }
      d.set("areas", areas);
      differences.push_back(d);
    }
    page.set("has_differences", flag(!differences.is_empty_list()));
    page.set("differences", differences);
    std::vector<detail::LegendItem> diff_legend;
    data diff_headers = list();
    for (const auto& c : difference_palette()) {
      diff_legend.push_back({c.colour, c.name});
      diff_headers.push_back(text(c.name));
    }
    page.set("difference_legend", detail::legend_data(diff_legend));
    page.set("difference_headers", diff_headers);
    std::string why = results.size() < 2 ? "One run: nothing to compare it with." : "";
    if (!not_comparable.empty()) {
      std::string names;
      for (const auto& n : not_comparable) names += (names.empty() ? "" : ", ") + n;
      why = "No difference map for " + names + ": its land-use grid differs from the reference's.";
    }
    page.set("no_difference", text(why));
  } else {
    page.set("no_difference", text("The runs have no land-use map of a common year (their bundles hold no rasters)."));
  }

  // Indicator charts: one per indicator tied to years, a line per scenario.
  std::vector<detail::LegendItem> scenario_legend;
  for (std::size_t r = 0; r < results.size(); ++r) {
    scenario_legend.push_back({detail::series_colour(r), results[r].scenario_name, "line"});
  }
  page.set("scenario_legend", detail::legend_data(scenario_legend));
  std::vector<Indicator> all;
  for (const auto& run : results) all.insert(all.end(), run.indicators.begin(), run.indicators.end());
  data charts = list();
  for (const auto& g : detail::indicator_groups(all)) {
    for (const auto& row : g.rows) {
      std::vector<detail::Series> series;
      for (std::size_t r = 0; r < results.size(); ++r) {
        detail::Series s;
        s.label = results[r].scenario_name;
        s.colour = detail::series_colour(r);
        // Scenarios often agree: each line is narrower than the one before, so coinciding lines all show.
        s.width_px = std::max(1.4, 4.6 - 1.2 * static_cast<double>(r));
        for (const auto& i : results[r].indicators) {
          if (i.id == row.id && i.year != 0 && std::isfinite(i.value)) s.points.emplace_back(i.year, i.value);
        }
        std::sort(s.points.begin(), s.points.end());
        series.push_back(std::move(s));
      }
      const auto dot = row.id.find('.');
      const std::string suffix = dot == std::string::npos ? std::string() : row.id.substr(dot + 1);
      std::string label = g.rows.size() > 1 ? g.title + ": " + row.label : row.label;
      if (!suffix.empty() && results[0].plan.find_zone(suffix) != nullptr) {
        label = g.title + ": " + detail::zone_label(results[0].plan, suffix);
      }
      data chart;
      chart.set("title", text(label + (detail::unit_symbol(g.unit).empty() ? "" : " (" + detail::unit_symbol(g.unit) + ")")));
      chart.set("svg", text(detail::line_chart(series, "year", detail::unit_symbol(g.unit), 420, 220)));
      charts.push_back(chart);
    }
  }
  page.set("has_charts", flag(!charts.is_empty_list()));
  page.set("charts", charts);

  // Tables: the figures without a year, then every row.
  data fixed = list();
  data rows = list();
  for (const auto& key : indicator_keys(results)) {
    const Indicator* first_seen = nullptr;
    for (const auto& run : results) {
      if ((first_seen = indicator_of(run, key)) != nullptr) break;
    }
    data row;
    row.set("year", text(key.first == 0 ? std::string("—") : std::to_string(key.first)));
    row.set("label", text(first_seen->label_en.empty() ? key.second : first_seen->label_en));
    row.set("unit", text(detail::unit_symbol(first_seen->unit)));
    row.set("cells", value_cells(results, key, first_seen->unit));
    if (key.first == 0) fixed.push_back(row);
    rows.push_back(row);
  }
  page.set("has_fixed", flag(!fixed.is_empty_list()));
  page.set("fixed", fixed);
  page.set("rows", rows);
  return detail::render_page(compare_template, page);
}

}  // namespace parksim::report
