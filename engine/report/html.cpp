#include "report/html.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/units.hpp"
#include "plan/accounting.hpp"
#include "report/detail/assets.hpp"
#include "report/detail/format.hpp"
#include "report/detail/map.hpp"
#include "report/detail/page.hpp"
#include "report/detail/svg.hpp"

namespace parksim::report {

namespace {

using detail::flag;
using detail::list;
using detail::mu::data;
using detail::number;
using detail::safe_colour;
using detail::text;

// The page. {{ }} escapes (every string from the run goes through it); {{{ }}} is used ONLY for markup, style and
// script that this library generates, in which every run string has already been escaped (detail::escape) or is
// JSON made safe for HTML (detail::json_for_html).
constexpr const char* page_template = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
<style>{{{leaflet_css}}}</style>
<style>{{{page_css}}}</style>
</head>
<body>
<header>
<h1>{{scenario}}</h1>
{{#has_question}}<p class="question">{{question}}</p>{{/has_question}}
{{#has_description}}<p>{{description}}</p>{{/has_description}}
<p class="meta">{{meta}}</p>
</header>
<main>
{{#has_answer}}<section id="answer" class="answer">
<h2>What the run says 结论</h2>
<ul>{{#answer}}<li>{{.}}</li>{{/answer}}</ul>
</section>{{/has_answer}}
{{#has_schematic}}<div class="banner" id="schematic" role="note"><strong>Schematic data.</strong> These input layers are schematic: drawn at the real location with published areas, but not surveyed. Read shapes and positions as indicative. Layers: {{#schematic}}<span class="tag">{{.}}</span>{{/schematic}}</div>{{/has_schematic}}
{{^has_schematic}}<p class="note" id="schematic">No input layer is marked schematic.</p>{{/has_schematic}}

<section id="map" class="interactive">
<h2>Map 地图</h2>
<div id="parksim-map" class="leaflet-map" role="region" aria-label="Interactive map of the run"></div>
{{#has_slider}}<div class="slider" data-parksim-slider="{{slider}}"><label for="parksim-map-year">Simulated year 模拟年份</label><input id="parksim-map-year" type="range" min="0" max="0" step="1" value="0"><output for="parksim-map-year">{{slider_last}}</output></div>{{/has_slider}}
<div class="legends">{{#legends}}<div><h3>{{title}}</h3><ul class="legend">{{#items}}<li><span class="swatch {{shape}}" style="{{style}}"></span>{{label}}</li>{{/items}}</ul></div>{{/legends}}</div>
<p class="note">{{map_note}} No map tiles: everything shown is the run's own data.</p>
<script type="application/json" class="parksim-map">{{{map_json}}}</script>
</section>

<section id="compliance">
<h2>Plan compliance</h2>
{{#has_targets}}<div class="scroll"><table>
<tr><th>Plan figure</th><th>Target</th><th>In the data</th><th>Unit</th><th>Status</th><th>Note</th></tr>
{{#targets}}<tr class="{{row_class}}"><td>{{label}}</td><td class="num">{{target}}</td><td class="num">{{actual}}</td><td>{{unit}}</td><td class="status">{{status}}</td><td>{{note}}</td></tr>
{{/targets}}
</table></div>{{/has_targets}}
{{^has_targets}}<p class="note">n/a — the plan of this study carries no targets.</p>{{/has_targets}}
<div class="cols">
<div>
<h3>Zone shares of the parcels</h3>
{{#has_zones}}<div class="scroll"><table>
<tr><th>Zone</th><th class="num">Parcels</th><th class="num">Area km²</th><th class="num">Area mu</th><th class="num">Share</th></tr>
{{#zones}}<tr><td>{{label}}</td><td class="num">{{parcels}}</td><td class="num">{{km2}}</td><td class="num">{{mu}}</td><td class="num">{{share}}</td></tr>
{{/zones}}
</table></div>{{/has_zones}}
{{^has_zones}}<p class="note">n/a — no parcels.</p>{{/has_zones}}
</div>
<div>
<h3>Phase fill-up</h3>
{{#has_phases}}<div class="scroll"><table>
<tr><th>Phase</th><th class="num">Area km²</th><th class="num">Filled up (run 0)</th>{{#has_ensemble}}<th class="num">Runs filled by {{end_year}}</th><th class="num">Median year</th>{{/has_ensemble}}</tr>
{{#phases}}<tr><td>{{label}}</td><td class="num">{{km2}}</td><td class="num">{{fillup}}</td>{{#has_ensemble}}<td class="num">{{filled_share}}</td><td class="num">{{median}}</td>{{/has_ensemble}}</tr>
{{/phases}}
</table></div>{{/has_phases}}
{{^has_phases}}<p class="note">n/a — no phases in this study.</p>{{/has_phases}}
</div>
</div>
</section>

<section id="landuse">
<h2>Simulated land use at key years</h2>
{{#has_maps}}<div class="maps">{{#maps}}<figure>{{{svg}}}<figcaption>{{caption}}</figcaption></figure>{{/maps}}</div>
<ul class="legend">{{#classes}}<li><span class="swatch {{shape}}" style="{{style}}"></span>{{label}}</li>{{/classes}}</ul>
<p class="note">Static maps (also for print) of {{static_extent}}; cells of {{cell_size}} m; black outlines: plan phases. Run 0 of the ensemble. The map above shows every simulated year and the whole area.</p>{{/has_maps}}
{{^has_maps}}<p class="note">The run produced no class maps.</p>{{/has_maps}}
</section>

<section id="growth">
<h2>Growth of each zone</h2>
{{{growth_chart}}}
<ul class="legend">{{#growth_legend}}<li><span class="swatch {{shape}}" style="{{style}}"></span>{{label}}</li>{{/growth_legend}}</ul>
<p class="note">Developed land (classes counted as built) at the end of each year, run 0.{{#has_flat}} No developed land in any year: {{growth_flat}}.{{/has_flat}}</p>
</section>

<section id="allocation">
<h2>Parcel allocation</h2>
{{#has_allocation}}
<p>Solver status: <strong>{{alloc_status}}</strong>; objective {{alloc_objective}}, gap {{alloc_gap}} % (solver time: see manifest.json).</p>
<div class="cols">
<figure>{{{allocation_map}}}<figcaption>Allocated land use per parcel (hover for details)</figcaption></figure>
<div>
<ul class="legend" style="display:block">{{#alloc_legend}}<li><span class="swatch fill" style="background:{{colour}}"></span>{{label}}</li>{{/alloc_legend}}</ul>
<h3>The price of each promise</h3>
<div class="scroll"><table>
<tr><th>Constraint</th><th>Kind</th><th class="num">Achieved</th><th class="num">Target</th><th class="num">Slack</th><th class="num">Shadow price</th><th>Binding</th></tr>
{{#constraints}}<tr><td>{{name}}</td><td>{{kind}}</td><td class="num">{{achieved}}</td><td class="num">{{target}}</td><td class="num">{{slack}}</td><td class="num">{{shadow}}</td><td>{{binding}}</td></tr>
{{/constraints}}
</table></div>
{{#has_diagnosis}}<h3>Why the targets cannot all be met</h3><ul>{{#diagnosis}}<li>{{.}}</li>{{/diagnosis}}</ul>{{/has_diagnosis}}
</div>
</div>
{{/has_allocation}}
{{^has_allocation}}<p class="note">{{no_allocation}}</p>{{/has_allocation}}
</section>

<section id="ensemble">
<h2>How sure are we? (Monte Carlo ensemble)</h2>
{{#has_ensemble}}
<p>{{runs}} runs (first run index {{first_run}}).</p>
<div class="cols">
{{#has_probability}}<figure>{{{probability_map}}}<figcaption>Probability that a cell is developed in {{end_year}}</figcaption>
<ul class="legend">{{#probability_legend}}<li><span class="swatch {{shape}}" style="{{style}}"></span>{{label}}</li>{{/probability_legend}}</ul></figure>{{/has_probability}}
<div>{{#fillup_charts}}<h3>{{label}}: year of fill-up across runs</h3>{{{svg}}}{{/fillup_charts}}</div>
</div>
{{/has_ensemble}}
{{^has_ensemble}}<p class="note">A single run: no probabilities. Run with --runs N for an ensemble.</p>{{/has_ensemble}}
</section>

{{#has_validation}}<section id="validation">
<h2>Validation against the observed map</h2>
<div class="scroll"><table>
<tr><th>Metric</th><th>Unit</th><th class="num">Model</th><th class="num">Persistence (null model)</th></tr>
{{#validation}}<tr><td>{{label}}</td><td>{{unit}}</td><td class="num">{{model}}</td><td class="num">{{persistence}}</td></tr>
{{/validation}}
</table></div>
</section>{{/has_validation}}

<section id="indicators">
<h2>Indicators 指标</h2>
{{#has_fixed}}<h3>Plan and allocation figures</h3>
<div class="scroll"><table>
<tr><th>Indicator</th><th>指标</th><th class="num">Value</th><th>Unit</th></tr>
{{#fixed}}<tr><td>{{label_en}}</td><td>{{label_zh}}</td><td class="num">{{value}}</td><td>{{unit}}</td></tr>
{{/fixed}}
</table></div>{{/has_fixed}}
{{#groups}}<h3>{{title}} {{title_zh}}{{#has_unit}} ({{unit}}){{/has_unit}}</h3>
<div class="chart-table"><div>{{{chart}}}{{#has_legend}}<ul class="legend">{{#legend}}<li><span class="swatch {{shape}}" style="{{style}}"></span>{{label}}</li>{{/legend}}</ul>{{/has_legend}}</div>
<div class="scroll"><table>
<tr><th></th>{{#years}}<th class="num">{{.}}</th>{{/years}}</tr>
{{#rows}}<tr><td>{{label}}</td>{{#cells}}<td class="num">{{.}}</td>{{/cells}}</tr>
{{/rows}}
</table></div></div>{{/groups}}
<p class="note">All indicators with their ids: indicators.csv / indicators.json of the output folder.</p>
</section>

<section id="problems">
<h2>Findings on the way</h2>
<p>{{problem_summary}}</p>
{{#has_problems}}<div class="scroll"><table>
<tr><th>Severity</th><th>Code</th><th>Message</th><th>Where</th></tr>
{{#problems}}<tr><td class="sev-{{severity}}">{{severity}}</td><td>{{code}}</td><td>{{message}}</td><td>{{where}}</td></tr>
{{/problems}}
</table></div>{{#problems_cut}}<p class="note">{{problems_cut}}</p>{{/problems_cut}}{{/has_problems}}
</section>
</main>
<footer>
<p>parksim run: scenario {{scenario}}, seed {{seed}}, {{runs}} run(s) (results do not depend on the thread count; run facts such as times and threads are in manifest.json).
Libraries: {{#libraries}}{{name}} {{version}}; {{/libraries}} Map: Leaflet (BSD-2-Clause).</p>
<p>Inputs: {{#inputs}}{{.}}; {{/inputs}}</p>
</footer>
<script>{{{leaflet_js}}}</script>
<script>{{{map_js}}}</script>
</body>
</html>
)HTML";

void add_compliance(const RunResult& result, data& page) {
  const plan::Accounting accounting = plan::account(result.plan);
  data targets = list();
  for (const auto& t : accounting.targets) {
    data row;
    std::string label = t.label_en.empty() ? t.id : t.label_en;
    if (!t.label_zh.empty()) label += " / " + t.label_zh;
    row.set("label", text(label));
    row.set("target", text(t.comparison + " " + detail::format_value(t.target, t.unit)));
    row.set("actual", text(detail::format_value(t.actual, t.unit)));
    row.set("unit", text(detail::unit_symbol(t.unit)));
    row.set("status", text(t.met ? "met" : "not met"));
    row.set("row_class", text(t.met ? "met" : "unmet"));
    row.set("note", text(t.note));
    targets.push_back(row);
    // The health-industry floor is a promise the allocation keeps: show the allocated figure next to today's.
    const Indicator* allocated = find_indicator(result, "health_industry_land_mu");
    if (t.id == "health_industry_land_mu" && allocated && !std::isnan(allocated->value)) {
      data after;
      const bool met = allocated->value >= t.target;
      after.set("label", text(label + " - after allocation / 配置后"));
      after.set("target", text(t.comparison + " " + detail::format_value(t.target, t.unit)));
      after.set("actual", text(detail::format_value(allocated->value, t.unit)));
      after.set("unit", text(detail::unit_symbol(t.unit)));
      after.set("status", text(met ? "met" : "not met"));
      after.set("row_class", text(met ? "met" : "unmet"));
      after.set("note", text("the expansion's land use after this run's parcel allocation"));
      targets.push_back(after);
    }
  }
  page.set("has_targets", flag(!accounting.targets.empty()));
  page.set("targets", targets);

  data zones = list();
  for (const auto& z : accounting.by_zone) {
    data row;
    row.set("label", text(z.label.empty() || z.label == z.key ? z.key : z.label + " (" + z.key + ")"));
    row.set("parcels", text(std::to_string(z.parcels)));
    row.set("km2", text(number(z.area_km2(), 3)));
    row.set("mu", text(number(z.area_mu(), 0)));
    row.set("share", text(accounting.parcels_m2 > 0.0 ? number(100.0 * z.area_m2 / accounting.parcels_m2, 1) + " %"
                                                      : std::string("n/a")));
    zones.push_back(row);
  }
  page.set("has_zones", flag(!result.plan.parcels.empty() && !accounting.by_zone.empty()));
  page.set("zones", zones);

  data phases = list();
  for (const auto& phase : result.plan.phases) {
    data row;
    row.set("label", text(phase.name_en.empty() ? phase.id : phase.id + " " + phase.name_en));
    row.set("km2", text(number(units::m2_to_km2(phase.area_m2), 2)));
    const auto it = result.phase_fillup_year.find(phase.id);
    row.set("fillup", text(it == result.phase_fillup_year.end() ? std::string("n/a")
                           : it->second < 0 ? fmt::format("not by {}", result.end_year)
                                            : std::to_string(it->second)));
    std::string share = "n/a", median = "n/a";
    if (const auto runs = detail::ensemble_fillup(result, phase.id)) {
      share = fmt::format("{} of {}", runs->filled.size(), runs->runs);
      // The median over all runs (unfilled runs count as later than any year) exists when most runs fill up.
      median = runs->filled.size() * 2 > runs->runs ? std::to_string(runs->filled[(runs->runs - 1) / 2])
                                                     : fmt::format("after {}", result.end_year);
    }
    row.set("filled_share", text(share));
    row.set("median", text(median));
    phases.push_back(row);
  }
  page.set("has_phases", flag(!result.plan.phases.empty()));
  page.set("phases", phases);
}

void add_interactive_map(const RunResult& result, data& page) {
  const detail::InteractiveMap map = detail::run_map(result, "parksim-map");
  page.set("map_json", text(detail::json_for_html(map.json)));
  page.set("has_slider", flag(!map.slider.empty()));
  page.set("slider", text(map.slider));
  page.set("slider_last", text(map.slider_last_label));
  data legends = list();
  for (const auto& legend : map.legends) {
    data block;
    block.set("title", text(legend.title));
    block.set("items", detail::legend_data(legend.items));
    legends.push_back(block);
  }
  page.set("legends", legends);
  const bool park = !result.plan.phases.empty() || !result.plan.parcels.empty() || !result.plan.zones.empty();
  std::string note = park ? "Opens on the park; “Corridor 走廊” shows the whole simulated area around it."
                          : "Opens on the whole study area.";
  if (!map.slider.empty()) {
    note += fmt::format(" Move the year slider to see the simulated land use of each year from {} to {}.",
                        map.slider_first_label, map.slider_last_label);
  }
  if (park || !result.plan.stations.empty() || !result.plan.bases.empty()) {
    note += " Click a parcel, phase, base or station for details; switch layers with the layer button (top right).";
  }
  page.set("map_note", text(note));
}

void add_static_maps(const RunResult& result, data& page) {
  const auto palette = detail::class_palette(result.classes);
  const geom::Envelope focus = detail::focus_extent(result);
  const bool park = !result.plan.phases.empty() || !result.plan.parcels.empty() || !result.plan.zones.empty();
  data maps = list();
  for (const auto& [year, values] : result.class_maps) {
    // The start year and the key years are shown (all maps when no key years are given).
    const bool key = result.key_years.empty() || year == result.start_year ||
                     std::find(result.key_years.begin(), result.key_years.end(), year) != result.key_years.end();
    if (!key) continue;
    data map;
    map.set("svg", text(detail::static_class_map(values, detail::window_of(values.spec(), focus), palette, result.plan,
                                                 420)));
    map.set("caption", text(year == result.start_year ? fmt::format("{} (start)", year) : std::to_string(year)));
    maps.push_back(map);
  }
  page.set("has_maps", flag(!result.class_maps.empty()));
  page.set("maps", maps);
  std::vector<detail::LegendItem> legend;
  for (const auto& cls : result.classes) legend.push_back({safe_colour(cls.colour), detail::class_label(cls), "fill"});
  page.set("classes", detail::legend_data(legend));
  page.set("cell_size", text(number(result.grid.cell_size_m, 0)));
  page.set("static_extent", text(park ? "the park" : "the study area"));
}

void add_growth(const RunResult& result, data& page) {
  std::set<int> built;
  for (const auto& cls : result.classes) {
    if (cls.built) built.insert(cls.id);
  }
  // zone -> year -> developed m2. Zones in plan order, then any other zone by name, then "" (outside).
  std::map<std::string, std::map<int, double>> by_zone;
  for (const auto& row : result.areas) {
    auto& years = by_zone[row.zone];
    years.try_emplace(row.year, 0.0);
    if (built.count(row.sim_class) != 0) years[row.year] += row.area_m2;
  }
  std::vector<std::string> order;
  for (const auto& zone : result.plan.zones) {
    if (by_zone.count(zone.id) != 0) order.push_back(zone.id);
  }
  for (const auto& [zone, years] : by_zone) {
    if (!zone.empty() && std::find(order.begin(), order.end(), zone) == order.end()) order.push_back(zone);
  }
  if (by_zone.count("") != 0) order.push_back("");
  // A zone with no developed land in any year would lie flat on the x axis, hidden: it is named in the note instead.
  std::vector<detail::Series> series;
  std::string flat;
  for (const auto& zone : order) {
    const auto& years = by_zone[zone];
    const bool any = std::any_of(years.begin(), years.end(), [](const auto& y) { return y.second > 0.0; });
    if (!any) {
      flat += (flat.empty() ? "" : "; ") + detail::zone_label(result.plan, zone);
      continue;
    }
    detail::Series s;
    s.label = detail::zone_label(result.plan, zone);
    s.colour = detail::series_colour(series.size());
    for (const auto& [year, m2] : years) s.points.emplace_back(year, units::m2_to_km2(m2));
    series.push_back(std::move(s));
  }
  page.set("growth_chart", text(detail::line_chart(series, "year", "developed land, km²", 760, 320)));
  page.set("growth_legend", detail::legend_data(detail::series_legend(series)));
  page.set("growth_flat", text(flat));
  page.set("has_flat", flag(!flat.empty()));
}

void add_allocation(const RunResult& result, data& page) {
  const bool any = result.allocation.has_value() ||
                   std::any_of(result.parcels.begin(), result.parcels.end(),
                               [](const ParcelResult& p) { return !p.alloc_landuse.empty(); });
  page.set("has_allocation", flag(any && !result.plan.parcels.empty()));
  page.set("no_allocation", text(result.plan.parcels.empty() ? "n/a — no parcels." : "No parcel allocation in this run."));
  if (!any || result.plan.parcels.empty()) return;
  if (result.allocation) {
    const auto& a = *result.allocation;
    page.set("alloc_status", text(a.status));
    page.set("alloc_objective", text(detail::format_value(a.objective, "")));
    page.set("alloc_gap", text(number(a.gap_pct, 2)));
    data constraints = list();
    for (const auto& c : a.constraints) {
      data row;
      row.set("name", text(c.name));
      row.set("kind", text(c.unit.empty() ? c.kind : c.kind + " (" + c.unit + ")"));
      row.set("achieved", text(detail::format_value(c.achieved, c.unit)));
      row.set("target", text(detail::format_value(c.target, c.unit)));
      row.set("slack", text(detail::format_value(c.slack, c.unit)));
      row.set("shadow", text(detail::format_value(c.shadow_price, "")));
      row.set("binding", text(c.binding ? "yes" : "no"));
      constraints.push_back(row);
    }
    page.set("constraints", constraints);
    data diagnosis = list();
    for (const auto& d : a.diagnosis) diagnosis.push_back(text(d));
    page.set("has_diagnosis", flag(!a.diagnosis.empty()));
    page.set("diagnosis", diagnosis);
  } else {
    page.set("alloc_status", text("n/a"));
    page.set("alloc_objective", text("n/a"));
    page.set("alloc_gap", text("n/a"));
    page.set("has_diagnosis", flag(false));
  }

  geom::Envelope parcels;
  for (const auto& p : result.plan.parcels) {
    if (p.geometry.is_null()) continue;
    const auto e = p.geometry.envelope();
    if (parcels.is_empty()) {
      parcels = e;
    } else {
      parcels = geom::Envelope{std::min(parcels.min_x, e.min_x), std::min(parcels.min_y, e.min_y),
                               std::max(parcels.max_x, e.max_x), std::max(parcels.max_y, e.max_y)};
    }
  }
  const detail::Frame frame = detail::Frame::fit_box(parcels, 560, 560);
  std::string svg = fmt::format(R"(<svg class="map" viewBox="0 0 {0:.0f} {1:.0f}" width="{0:.0f}" height="{1:.0f}" role="img">)",
                                std::ceil(frame.width_px), std::ceil(frame.height_px));
  std::set<std::string> used;
  bool kept_any = false, none_any = false, existing_any = false;
  for (std::size_t i = 0; i < result.plan.parcels.size(); ++i) {
    const auto& parcel = result.plan.parcels[i];
    const ParcelResult* r = i < result.parcels.size() ? &result.parcels[i] : nullptr;
    std::string fill = "#EEEEEE", title = parcel.id + ": not allocated";
    std::string extra;
    if (r != nullptr && !r->alloc_landuse.empty()) {
      const plan::LandUseClass* cls = result.plan.find_class(r->alloc_landuse);
      fill = safe_colour(cls != nullptr ? cls->colour : std::string());
      used.insert(r->alloc_landuse);
      title = fmt::format("{}: {} {} in {}{}, score {}", parcel.id, r->alloc_landuse,
                          cls != nullptr ? cls->name_en : std::string(), r->alloc_zone.empty() ? "-" : r->alloc_zone,
                          r->alloc_year >= 0 ? fmt::format(", developed by {}", r->alloc_year) : std::string(),
                          number(r->alloc_score, 2));
      if (r->alloc_kept) {
        extra = R"( stroke="#1d2733" stroke-width="1.2" fill-opacity="0.55")";
        title += " (kept as built)";
        kept_any = true;
      }
    } else if (const plan::LandUseClass* cls = result.plan.find_class(parcel.landuse);
               !plan::is_expansion(parcel.phase) || cls == nullptr || !cls->developable) {
      // Outside the allocation (phases 1-2, green, roads): drawn in its current use, faded, so the map shows the
      // whole park and not a hole where the built park is.
      fill = safe_colour(cls != nullptr ? cls->colour : std::string());
      extra = R"( fill-opacity="0.3")";
      title = fmt::format("{}: {} {} (current use; not part of the allocation)", parcel.id, parcel.landuse,
                          cls != nullptr ? cls->name_en : std::string());
      existing_any = true;
    } else {
      none_any = true;
    }
    svg += fmt::format(R"(<path class="parcel" fill="{}"{} d="{}"><title>{}</title></path>)", fill, extra,
                       detail::polygon_path(parcel.geometry, frame), detail::escape(title));
  }
  for (const auto& phase : result.plan.phases) {
    svg += fmt::format(R"(<path class="outline" d="{}"><title>phase {}</title></path>)",
                       detail::polygon_path(phase.geometry, frame), detail::escape(phase.id));
  }
  svg += "</svg>";
  page.set("allocation_map", text(svg));
  data legend = list();
  for (const auto& cls : result.plan.classes) {
    if (used.count(cls.code) == 0) continue;
    data item;
    item.set("colour", text(safe_colour(cls.colour)));
    item.set("label", text(cls.code + " " + cls.name_en + " " + cls.name_zh));
    legend.push_back(item);
  }
  auto note = [&legend](const char* colour, const char* label) {
    data item;
    item.set("colour", text(colour));
    item.set("label", text(label));
    legend.push_back(item);
  };
  if (kept_any) note("#9AA3AD", "pale with dark outline: built parcel kept as it is");
  if (existing_any) note("#D5D9DE", "faded: current use, outside the allocation (phases 1-2, green, roads)");
  if (none_any) note("#EEEEEE", "not allocated");
  page.set("alloc_legend", legend);
}

void add_ensemble(const RunResult& result, data& page) {
  const bool ensemble = result.ensemble && result.ensemble->runs > 1;
  page.set("has_ensemble", flag(ensemble));
  if (!ensemble) return;
  const EnsembleSummary& e = *result.ensemble;
  page.set("first_run", text(std::to_string(e.first_run)));
  const auto developed = detail::developed_probability(result);
  page.set("has_probability", flag(developed.has_value()));
  if (developed) {
    const auto palette = detail::probability_palette();
    const auto bins = detail::probability_bins(*developed);
    page.set("probability_map", text(detail::static_class_map(bins, detail::window_of(bins.spec(), detail::focus_extent(result)),
                                                              palette, result.plan, 460)));
    std::vector<detail::LegendItem> legend;
    for (std::size_t k = 0; k < palette.size(); ++k) {
      if (k % 2 == 1 || k == 0) legend.push_back({palette[k].colour, palette[k].name, "fill"});
    }
    page.set("probability_legend", detail::legend_data(legend));
  }

  data charts = list();
  for (const auto& [phase, years] : e.fillup_years) {
    std::map<int, int> counts;
    int never = 0;
    for (const int y : years) {
      if (y < 0) {
        ++never;
      } else {
        ++counts[y];
      }
    }
    std::vector<detail::Bar> bars;
    if (!counts.empty()) {
      for (int y = counts.begin()->first; y <= counts.rbegin()->first; ++y) {
        const auto it = counts.find(y);
        bars.push_back({std::to_string(y), it == counts.end() ? 0.0 : static_cast<double>(it->second), "#4477AA"});
      }
    }
    bars.push_back({fmt::format("not by {}", result.end_year), static_cast<double>(never), "#BBBBBB"});
    data chart;
    const plan::Phase* p = result.plan.find_phase(phase);
    chart.set("label", text(p != nullptr ? detail::phase_label(*p) : "phase " + phase));
    chart.set("svg", text(detail::bar_chart(bars, "runs", 560, 220)));
    charts.push_back(chart);
  }
  page.set("fillup_charts", charts);
}

void add_indicators(const RunResult& result, data& page) {
  data fixed = list();
  for (const auto& i : result.indicators) {
    if (i.year != 0) continue;
    data row;
    row.set("label_en", text(i.label_en.empty() ? i.id : i.label_en));
    row.set("label_zh", text(i.label_zh));
    row.set("value", text(detail::format_indicator(i)));
    row.set("unit", text(detail::unit_symbol(i.unit)));
    fixed.push_back(row);
  }
  page.set("has_fixed", flag(!fixed.is_empty_list()));
  page.set("fixed", fixed);

  data groups = list();
  for (const auto& g : detail::indicator_groups(result.indicators)) {
    data group;
    group.set("title", text(g.title));
    group.set("title_zh", text(g.title_zh));
    group.set("unit", text(detail::unit_symbol(g.unit)));
    group.set("has_unit", flag(!detail::unit_symbol(g.unit).empty()));
    data years = list();
    for (const int y : g.years) years.push_back(text(std::to_string(y)));
    group.set("years", years);
    std::vector<detail::Series> series;
    data rows = list();
    for (const auto& r : g.rows) {
      // A row named by a zone id (zone_area_km2.<zone>) reads with the zone's names.
      const auto dot = r.id.find('.');
      const std::string suffix = dot == std::string::npos ? std::string() : r.id.substr(dot + 1);
      const std::string label = !suffix.empty() && result.plan.find_zone(suffix) != nullptr
                                    ? detail::zone_label(result.plan, suffix)
                                    : r.label;
      data row;
      row.set("label", text(label));
      data cells = list();
      detail::Series s;
      s.label = label;
      s.colour = detail::series_colour(series.size());
      for (std::size_t k = 0; k < g.years.size(); ++k) {
        const Indicator* i = r.values[k];
        cells.push_back(text(i != nullptr ? detail::format_indicator(*i) : std::string("—")));
        if (i != nullptr && std::isfinite(i->value)) s.points.emplace_back(g.years[k], i->value);
      }
      row.set("cells", cells);
      rows.push_back(row);
      series.push_back(std::move(s));
    }
    group.set("rows", rows);
    group.set("chart", text(detail::line_chart(series, "year", detail::unit_symbol(g.unit), 420, 200)));
    group.set("has_legend", flag(series.size() > 1));
    group.set("legend", detail::legend_data(detail::series_legend(series)));
    groups.push_back(group);
  }
  page.set("groups", groups);
}

void add_validation_and_problems(const RunResult& result, data& page) {
  data validation = list();
  for (const auto& v : result.validation) {
    data row;
    row.set("label", text(v.label_en.empty() ? v.id : v.label_en));
    row.set("unit", text(v.unit));
    row.set("model", text(number(v.model, 3)));
    row.set("persistence", text(number(v.persistence, 3)));
    validation.push_back(row);
  }
  page.set("has_validation", flag(!result.validation.empty()));
  page.set("validation", validation);

  constexpr std::size_t max_problems = 200;
  std::map<std::string, std::size_t> by_severity;
  for (const auto& p : result.problems) ++by_severity[std::string(to_string(p.severity))];
  std::string summary = result.problems.empty() ? "No findings." : "";
  for (const char* s : {"error", "warning", "info"}) {
    if (by_severity[s] > 0) summary += fmt::format("{}{} {}(s)", summary.empty() ? "" : ", ", by_severity[s], s);
  }
  page.set("problem_summary", text(summary));
  data problems = list();
  for (std::size_t k = 0; k < result.problems.size() && k < max_problems; ++k) {
    const Problem& p = result.problems[k];
    data row;
    row.set("severity", text(std::string(to_string(p.severity))));
    row.set("code", text(p.code));
    row.set("message", text(p.message));
    row.set("where", text(p.where.to_string()));
    problems.push_back(row);
  }
  page.set("has_problems", flag(!result.problems.empty()));
  page.set("problems", problems);
  page.set("problems_cut", text(result.problems.size() > max_problems
                                    ? fmt::format("… and {} more (see the run's log).", result.problems.size() - max_problems)
                                    : std::string()));
}

}  // namespace

std::string render_html(const RunResult& result) {
  data page;
  const std::string scenario = result.scenario_name.empty() ? std::string("(unnamed scenario)") : result.scenario_name;
  page.set("title", text("parksim — " + scenario));
  page.set("scenario", text(scenario));
  page.set("question", text(result.question));
  page.set("description", text(result.description));
  page.set("has_question", flag(!result.question.empty()));
  page.set("has_description", flag(!result.description.empty()));
  page.set("meta", text(fmt::format("Years {}–{} · seed {} · {} run(s) · grid {} × {} cells of {} m · CRS {}",
                                    result.start_year, result.end_year, result.seed, result.runs, result.grid.cols,
                                    result.grid.rows, number(result.grid.cell_size_m, 0), working_crs(result))));
  page.set("seed", text(std::to_string(result.seed)));
  page.set("runs", text(std::to_string(result.ensemble ? result.ensemble->runs : result.runs)));
  page.set("end_year", text(std::to_string(result.end_year)));
  const auto answer = detail::answer_lines(result);
  data answer_list = list();
  for (const auto& line : answer) answer_list.push_back(text(line));
  page.set("has_answer", flag(!answer.empty()));
  page.set("answer", answer_list);
  const auto schematic_layers = result.plan.schematic_layers();
  data schematic = list();
  for (const auto& name : schematic_layers) schematic.push_back(text(name));
  page.set("has_schematic", flag(!schematic_layers.empty()));
  page.set("schematic", schematic);
  page.set("page_css", text(detail::page_style()));
  detail::add_map_assets(page);

  add_interactive_map(result, page);
  add_compliance(result, page);
  add_static_maps(result, page);
  add_growth(result, page);
  add_allocation(result, page);
  add_ensemble(result, page);
  add_indicators(result, page);
  add_validation_and_problems(result, page);

  data libraries = list();
  for (const auto& [name, version] : result.library_versions) {
    data item;
    item.set("name", text(name));
    item.set("version", text(version));
    libraries.push_back(item);
  }
  page.set("libraries", libraries);
  data inputs = list();
  for (const auto& input : result.input_files) inputs.push_back(text(input));
  page.set("inputs", inputs);
  return detail::render_page(page_template, page);
}

}  // namespace parksim::report
