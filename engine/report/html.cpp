#include "report/html.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>
#include <kainjow/mustache.hpp>

#include "core/units.hpp"
#include "io/raster.hpp"
#include "plan/accounting.hpp"
#include "report/detail/svg.hpp"

namespace parksim::report {

namespace {

namespace mu = kainjow::mustache;
using detail::escape;
using detail::number;
using detail::safe_colour;

// The page. {{ }} escapes (every string from the run goes through it); {{{ }}} is used ONLY for SVG/markup that
// this file generates, in which every run string has already been escaped by detail::escape.
constexpr const char* page_template = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
<style>
body{font-family:"Noto Sans CJK SC","Noto Sans",system-ui,sans-serif;margin:0;color:#1d2733;background:#f4f5f7;line-height:1.45}
main{max-width:1320px;margin:0 auto;padding:20px 28px 40px}
header{background:#17324d;color:#fff;padding:22px 28px}
header h1{margin:0 0 6px;font-size:26px}
header .question{font-size:18px;margin:4px 0}
header .meta{color:#c9d6e3;font-size:13px;margin:6px 0 0}
section{background:#fff;border-radius:6px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:16px 20px;margin:18px 0}
h2{font-size:20px;margin:0 0 10px;color:#17324d}
h3{font-size:15px;margin:16px 0 6px;color:#34495e}
.banner{background:#fff4ce;border:2px solid #e0a800;border-radius:6px;padding:12px 16px;margin:18px 0;font-size:15px}
.banner .tag{display:inline-block;background:#e0a800;color:#fff;border-radius:3px;padding:0 6px;margin:2px 4px 2px 0;font-size:13px}
.note{color:#5b6b7b;font-size:13px}
table{border-collapse:collapse;font-size:13px;margin:4px 0 8px}
th,td{border-bottom:1px solid #e3e7eb;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#eef2f6}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.met td.status{color:#1a7f37;font-weight:600}
tr.unmet td.status{color:#c62828;font-weight:600}
.maps{display:flex;flex-wrap:wrap;gap:14px}
figure{margin:0}
figcaption{font-size:13px;text-align:center;color:#34495e;margin-top:2px}
svg.map{background:#fafafa;border:1px solid #d5dbe1}
svg.map image{image-rendering:pixelated}
svg.map .outline{fill:none;stroke:#1d2733;stroke-width:1.2}
svg.map .parcel{stroke:#6b7785;stroke-width:.4}
svg.chart .grid{stroke:#e3e7eb}
svg.chart .tick,svg.chart .frame{stroke:#5b6b7b}
svg.chart .axis,svg.chart .legend{font-size:11px;fill:#34495e}
svg.chart .title{font-size:12px;fill:#1d2733}
svg.chart .series{fill:none;stroke-width:2.2}
ul.legend{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:13px}
.swatch{display:inline-block;width:14px;height:14px;border:1px solid #888;vertical-align:-2px;margin-right:5px}
.cols{display:flex;flex-wrap:wrap;gap:24px}
.sev-error{color:#c62828}.sev-warning{color:#b26a00}
footer{font-size:12px;color:#5b6b7b;padding:0 28px 30px;max-width:1320px;margin:0 auto}
</style>
</head>
<body>
<header>
<h1>{{scenario}}</h1>
{{#has_question}}<p class="question">{{question}}</p>{{/has_question}}
{{#has_description}}<p>{{description}}</p>{{/has_description}}
<p class="meta">{{meta}}</p>
</header>
<main>
{{#has_schematic}}<div class="banner" id="schematic" role="note"><strong>Schematic data.</strong> These input layers are schematic: drawn at the real location with published areas, but not surveyed. Read shapes and positions as indicative. Layers: {{#schematic}}<span class="tag">{{.}}</span>{{/schematic}}</div>{{/has_schematic}}
{{^has_schematic}}<p class="note" id="schematic">No input layer is marked schematic.</p>{{/has_schematic}}

<section id="compliance">
<h2>Plan compliance</h2>
<table>
<tr><th>Plan figure</th><th>Target</th><th>In the data</th><th>Unit</th><th>Status</th><th>Note</th></tr>
{{#targets}}<tr class="{{row_class}}"><td>{{label}}</td><td class="num">{{target}}</td><td class="num">{{actual}}</td><td>{{unit}}</td><td class="status">{{status}}</td><td>{{note}}</td></tr>
{{/targets}}
</table>
<div class="cols">
<div>
<h3>Zone shares of the parcels</h3>
<table>
<tr><th>Zone</th><th>Parcels</th><th>Area km²</th><th>Area mu</th><th>Share</th></tr>
{{#zones}}<tr><td>{{label}}</td><td class="num">{{parcels}}</td><td class="num">{{km2}}</td><td class="num">{{mu}}</td><td class="num">{{share}}</td></tr>
{{/zones}}
</table>
</div>
<div>
<h3>Phase fill-up</h3>
<table>
<tr><th>Phase</th><th>Area km²</th><th>Filled up (run 0)</th>{{#has_ensemble}}<th>Runs filled by {{end_year}}</th><th>Median year</th>{{/has_ensemble}}</tr>
{{#phases}}<tr><td>{{label}}</td><td class="num">{{km2}}</td><td class="num">{{fillup}}</td>{{#has_ensemble}}<td class="num">{{filled_share}}</td><td class="num">{{median}}</td>{{/has_ensemble}}</tr>
{{/phases}}
</table>
</div>
</div>
</section>

<section id="landuse">
<h2>Simulated land use at key years</h2>
{{#has_maps}}<div class="maps">{{#maps}}<figure>{{{svg}}}<figcaption>{{caption}}</figcaption></figure>{{/maps}}</div>
<ul class="legend">{{#classes}}<li><span class="swatch" style="background:{{colour}}"></span>{{label}}</li>{{/classes}}</ul>
<p class="note">Cells of {{cell_size}} m; black outlines: plan phases. Run 0 of the ensemble.</p>{{/has_maps}}
{{^has_maps}}<p class="note">The run produced no class maps.</p>{{/has_maps}}
</section>

<section id="growth">
<h2>Growth of each zone</h2>
{{{growth_chart}}}
<p class="note">Developed land (classes counted as built) inside each zone at the end of each year, run 0.</p>
</section>

<section id="allocation">
<h2>Parcel allocation</h2>
{{#has_allocation}}
<p>Solver status: <strong>{{alloc_status}}</strong>; objective {{alloc_objective}}, gap {{alloc_gap}} % (solver time: see manifest.json).</p>
<div class="cols">
<figure>{{{allocation_map}}}<figcaption>Allocated land use per parcel (hover for details)</figcaption></figure>
<div>
<ul class="legend" style="display:block">{{#alloc_legend}}<li><span class="swatch" style="background:{{colour}}"></span>{{label}}</li>{{/alloc_legend}}</ul>
<h3>The price of each promise</h3>
<table>
<tr><th>Constraint</th><th>Kind</th><th>Achieved</th><th>Target</th><th>Slack</th><th>Shadow price</th><th>Binding</th></tr>
{{#constraints}}<tr><td>{{name}}</td><td>{{kind}}</td><td class="num">{{achieved}}</td><td class="num">{{target}}</td><td class="num">{{slack}}</td><td class="num">{{shadow}}</td><td>{{binding}}</td></tr>
{{/constraints}}
</table>
{{#has_diagnosis}}<h3>Why the targets cannot all be met</h3><ul>{{#diagnosis}}<li>{{.}}</li>{{/diagnosis}}</ul>{{/has_diagnosis}}
</div>
</div>
{{/has_allocation}}
{{^has_allocation}}<p class="note">No parcel allocation in this run.</p>{{/has_allocation}}
</section>

<section id="ensemble">
<h2>How sure are we? (Monte Carlo ensemble)</h2>
{{#has_ensemble}}
<p>{{runs}} runs (first run index {{first_run}}).</p>
<div class="cols">
{{#has_probability}}<figure>{{{probability_map}}}<figcaption>Probability that a cell is developed in {{end_year}}</figcaption>
<ul class="legend">{{#probability_legend}}<li><span class="swatch" style="background:{{colour}}"></span>{{label}}</li>{{/probability_legend}}</ul></figure>{{/has_probability}}
<div>{{#fillup_charts}}<h3>{{label}}: year of fill-up across runs</h3>{{{svg}}}{{/fillup_charts}}</div>
</div>
{{/has_ensemble}}
{{^has_ensemble}}<p class="note">A single run: no probabilities. Run with --runs N for an ensemble.</p>{{/has_ensemble}}
</section>

{{#has_validation}}<section id="validation">
<h2>Validation against the observed map</h2>
<table>
<tr><th>Metric</th><th>Unit</th><th>Model</th><th>Persistence (null model)</th></tr>
{{#validation}}<tr><td>{{label}}</td><td>{{unit}}</td><td class="num">{{model}}</td><td class="num">{{persistence}}</td></tr>
{{/validation}}
</table>
</section>{{/has_validation}}

<section id="indicators">
<h2>Indicators</h2>
<table>
<tr><th>Year</th><th>Indicator</th><th>指标</th><th>Value</th><th>Unit</th><th>Id</th></tr>
{{#indicators}}<tr><td>{{year}}</td><td>{{label_en}}</td><td>{{label_zh}}</td><td class="num">{{value}}</td><td>{{unit}}</td><td>{{id}}</td></tr>
{{/indicators}}
</table>
</section>

<section id="problems">
<h2>Findings on the way</h2>
<p>{{problem_summary}}</p>
{{#has_problems}}<table>
<tr><th>Severity</th><th>Code</th><th>Message</th><th>Where</th></tr>
{{#problems}}<tr><td class="sev-{{severity}}">{{severity}}</td><td>{{code}}</td><td>{{message}}</td><td>{{where}}</td></tr>
{{/problems}}
</table>{{#problems_cut}}<p class="note">{{problems_cut}}</p>{{/problems_cut}}{{/has_problems}}
</section>
</main>
<footer>
<p>parksim run: scenario {{scenario}}, seed {{seed}}, {{runs}} run(s) (results do not depend on the thread count; run facts such as times and threads are in manifest.json).
Libraries: {{#libraries}}{{name}} {{version}}; {{/libraries}}</p>
<p>Inputs: {{#inputs}}{{.}}; {{/inputs}}</p>
</footer>
</body>
</html>
)HTML";

constexpr const char* compare_template = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>parksim comparison</title>
<style>
body{font-family:"Noto Sans CJK SC","Noto Sans",system-ui,sans-serif;margin:20px 28px;color:#1d2733;background:#f4f5f7}
table{border-collapse:collapse;font-size:13px;background:#fff}
th,td{border-bottom:1px solid #e3e7eb;padding:4px 10px;text-align:left}
th{background:#eef2f6}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.up{color:#1a7f37}td.down{color:#c62828}
.banner{background:#fff4ce;border:2px solid #e0a800;border-radius:6px;padding:8px 12px;margin:10px 0}
</style>
</head>
<body>
<h1>Scenario comparison</h1>
<table>
<tr><th>Scenario</th><th>Question</th><th>Seed</th><th>Runs</th><th>Schematic layers</th></tr>
{{#runs}}<tr><td>{{name}}</td><td>{{question}}</td><td class="num">{{seed}}</td><td class="num">{{runs}}</td><td>{{schematic}}</td></tr>
{{/runs}}
</table>
{{#has_schematic}}<div class="banner"><strong>Schematic data.</strong> Some input layers are schematic; see the table above.</div>{{/has_schematic}}
<h2>Indicators side by side</h2>
<p>Δ = difference from the first scenario ({{first}}).</p>
<table>
<tr><th>Year</th><th>Indicator</th><th>Unit</th>{{#headers}}<th>{{.}}</th>{{/headers}}</tr>
{{#rows}}<tr><td>{{year}}</td><td>{{label}}</td><td>{{unit}}</td>{{#cells}}<td class="num {{class}}">{{text}}</td>{{/cells}}</tr>
{{/rows}}
</table>
</body>
</html>
)HTML";

std::string render(const char* text, mu::data& data) {
  mu::mustache page{std::string(text)};
  if (!page.is_valid()) throw Error(ErrorCode::internal, "report template: " + page.error_message());
  std::string out = page.render(data);
  if (!page.is_valid()) throw Error(ErrorCode::internal, "report template: " + page.error_message());
  return out;
}

mu::data text(const std::string& s) { return mu::data(s); }
mu::data list() { return mu::data(mu::data::type::list); }

// Decimals that show a value sensibly: integers plain, small values with more digits.
std::string auto_number(double value) {
  if (!std::isfinite(value)) return "n/a";
  const double a = std::fabs(value);
  if (a == std::floor(a) && a < 1e15) return number(value, 0);
  if (a >= 100.0) return number(value, 1);
  if (a >= 1.0) return number(value, 2);
  return number(value, 3);
}

int decimals_for_unit(const std::string& unit) {
  if (unit == "km2") return 2;
  if (unit == "mu" || unit == "m2" || unit == "yr" || unit == "count") return 0;
  return 2;
}

geom::Envelope merge(geom::Envelope a, const geom::Envelope& b) {
  if (b.is_empty()) return a;
  if (a.is_empty()) return b;
  a.min_x = std::min(a.min_x, b.min_x);
  a.min_y = std::min(a.min_y, b.min_y);
  a.max_x = std::max(a.max_x, b.max_x);
  a.max_y = std::max(a.max_y, b.max_y);
  return a;
}

geom::Envelope plan_envelope(const plan::Plan& plan) {
  geom::Envelope e;
  for (const auto& p : plan.parcels) {
    if (!p.geometry.is_null()) e = merge(e, p.geometry.envelope());
  }
  for (const auto& p : plan.phases) {
    if (!p.geometry.is_null()) e = merge(e, p.geometry.envelope());
  }
  return e;
}

std::string svg_open(const detail::Frame& frame) {
  return fmt::format(R"(<svg class="map" viewBox="0 0 {0:.0f} {1:.0f}" width="{0:.0f}" height="{1:.0f}" role="img">)",
                     std::ceil(frame.width_px), std::ceil(frame.height_px));
}

std::string phase_outlines(const plan::Plan& plan, const detail::Frame& frame) {
  std::string out;
  for (const auto& phase : plan.phases) {
    out += fmt::format(R"(<path class="outline" d="{}"><title>phase {}</title></path>)",
                       detail::polygon_path(phase.geometry, frame), escape(phase.id));
  }
  return out;
}

std::vector<io::RasterClass> raster_classes(const std::vector<SimClass>& classes) {
  std::vector<io::RasterClass> out;
  for (const auto& cls : classes) {
    if (cls.id >= 0 && cls.id < io::class_nodata) out.push_back({cls.id, cls.key, safe_colour(cls.colour)});
  }
  return out;
}

// A class raster drawn as a PNG data URI in the frame of its own grid, with the phase outlines on top.
std::string raster_map(const grid::Grid<std::uint8_t>& values, const std::vector<io::RasterClass>& classes,
                       const plan::Plan& plan, double max_px) {
  const grid::GridSpec& spec = values.spec();
  const geom::Envelope extent{spec.min_x(), spec.min_y(), spec.max_x(), spec.max_y()};
  const detail::Frame frame = detail::Frame::fit_box(extent, max_px, max_px);
  const auto png = io::encode_class_png(spec.cols, spec.rows,
                                        std::span<const std::uint8_t>(values.data(), static_cast<std::size_t>(values.size())),
                                        classes);
  std::string out = svg_open(frame);
  out += fmt::format(R"(<image x="0" y="0" width="{:.1f}" height="{:.1f}" preserveAspectRatio="none" href="data:image/png;base64,{}"/>)",
                     frame.width_px, frame.height_px, detail::base64(png));
  out += phase_outlines(plan, frame);
  out += "</svg>";
  return out;
}

std::string class_label(const SimClass& cls) {
  std::string label = cls.name_en.empty() ? cls.key : cls.name_en;
  if (!cls.name_zh.empty()) label += " " + cls.name_zh;
  return label;
}

std::string zone_label(const plan::Plan& plan, const std::string& zone) {
  if (zone.empty()) return "outside the zones";
  const plan::Zone* z = plan.find_zone(zone);
  if (z == nullptr || z->name_en.empty()) return zone;
  return z->name_zh.empty() ? z->name_en : z->name_en + " " + z->name_zh;
}

constexpr std::array<const char*, 8> series_palette = {"#1F78B4", "#E66101", "#33A02C", "#6A3D9A",
                                                       "#B15928", "#E31A1C", "#17BECF", "#7F7F7F"};

std::string growth_chart(const RunResult& result) {
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
  std::vector<detail::Series> series;
  for (std::size_t i = 0; i < order.size(); ++i) {
    detail::Series s;
    s.label = zone_label(result.plan, order[i]);
    s.colour = series_palette[i % series_palette.size()];
    for (const auto& [year, m2] : by_zone[order[i]]) s.points.emplace_back(year, units::m2_to_km2(m2));
    series.push_back(std::move(s));
  }
  return detail::line_chart(series, "year", "developed land, km²", 760, 320);
}

void add_compliance(const RunResult& result, mu::data& page) {
  const plan::Accounting accounting = plan::account(result.plan);
  mu::data targets = list();
  for (const auto& t : accounting.targets) {
    mu::data row;
    std::string label = t.label_en.empty() ? t.id : t.label_en;
    if (!t.label_zh.empty()) label += " / " + t.label_zh;
    const int decimals = decimals_for_unit(t.unit);
    row.set("label", text(label));
    row.set("target", text(t.comparison + " " + number(t.target, decimals)));
    row.set("actual", text(number(t.actual, decimals)));
    row.set("unit", text(t.unit));
    row.set("status", text(t.met ? "met" : "not met"));
    row.set("row_class", text(t.met ? "met" : "unmet"));
    row.set("note", text(t.note));
    targets.push_back(row);
    // The health-industry floor is a promise the allocation keeps: show the allocated figure next to today's.
    const Indicator* allocated = find_indicator(result, "health_industry_land_mu");
    if (t.id == "health_industry_land_mu" && allocated && !std::isnan(allocated->value)) {
      mu::data after;
      const bool met = allocated->value >= t.target;
      after.set("label", text(label + " - after allocation / 配置后"));
      after.set("target", text(t.comparison + " " + number(t.target, decimals)));
      after.set("actual", text(number(allocated->value, decimals)));
      after.set("unit", text(t.unit));
      after.set("status", text(met ? "met" : "not met"));
      after.set("row_class", text(met ? "met" : "unmet"));
      after.set("note", text("the expansion's land use after this run's parcel allocation"));
      targets.push_back(after);
    }
  }
  page.set("targets", targets);

  mu::data zones = list();
  for (const auto& z : accounting.by_zone) {
    mu::data row;
    row.set("label", text(z.label.empty() || z.label == z.key ? z.key : z.label + " (" + z.key + ")"));
    row.set("parcels", text(std::to_string(z.parcels)));
    row.set("km2", text(number(z.area_km2(), 3)));
    row.set("mu", text(number(z.area_mu(), 0)));
    row.set("share", text(accounting.parcels_m2 > 0.0 ? number(100.0 * z.area_m2 / accounting.parcels_m2, 1) + " %"
                                                      : std::string("n/a")));
    zones.push_back(row);
  }
  page.set("zones", zones);

  const bool ensemble = result.ensemble && result.ensemble->runs > 1;
  mu::data phases = list();
  for (const auto& phase : result.plan.phases) {
    mu::data row;
    row.set("label", text(phase.name_en.empty() ? phase.id : phase.id + " " + phase.name_en));
    row.set("km2", text(number(units::m2_to_km2(phase.area_m2), 2)));
    const auto it = result.phase_fillup_year.find(phase.id);
    row.set("fillup", text(it == result.phase_fillup_year.end() ? std::string("n/a")
                           : it->second < 0 ? fmt::format("not by {}", result.end_year)
                                            : std::to_string(it->second)));
    std::string share = "n/a", median = "n/a";
    if (ensemble) {
      for (const auto& [id, years] : result.ensemble->fillup_years) {
        if (id != phase.id || years.empty()) continue;
        std::vector<int> filled;
        for (const int y : years) {
          if (y >= 0) filled.push_back(y);
        }
        share = fmt::format("{} of {}", filled.size(), years.size());
        if (filled.size() * 2 > years.size()) {
          // The median over all runs (unfilled runs count as later than any year) exists when most runs fill up.
          std::sort(filled.begin(), filled.end());
          median = std::to_string(filled[(years.size() - 1) / 2]);
        } else {
          median = fmt::format("after {}", result.end_year);
        }
      }
    }
    row.set("filled_share", text(share));
    row.set("median", text(median));
    phases.push_back(row);
  }
  page.set("phases", phases);
}

void add_maps(const RunResult& result, mu::data& page) {
  const auto classes = raster_classes(result.classes);
  mu::data maps = list();
  for (const auto& [year, values] : result.class_maps) {
    // The start year and the key years are shown (all maps when no key years are given).
    const bool key = result.key_years.empty() || year == result.start_year ||
                     std::find(result.key_years.begin(), result.key_years.end(), year) != result.key_years.end();
    if (!key) continue;
    mu::data map;
    map.set("svg", text(raster_map(values, classes, result.plan, 380)));
    map.set("caption", text(year == result.start_year ? fmt::format("{} (start)", year) : std::to_string(year)));
    maps.push_back(map);
  }
  page.set("has_maps", mu::data(!result.class_maps.empty()));
  page.set("maps", maps);
  mu::data legend = list();
  for (const auto& cls : result.classes) {
    mu::data item;
    item.set("colour", text(safe_colour(cls.colour)));
    item.set("label", text(class_label(cls)));
    legend.push_back(item);
  }
  page.set("classes", legend);
  page.set("cell_size", text(number(result.grid.cell_size_m, 0)));
}

void add_allocation(const RunResult& result, mu::data& page) {
  const bool any = result.allocation.has_value() ||
                   std::any_of(result.parcels.begin(), result.parcels.end(),
                               [](const ParcelResult& p) { return !p.alloc_landuse.empty(); });
  page.set("has_allocation", mu::data(any));
  if (!any) return;
  if (result.allocation) {
    const auto& a = *result.allocation;
    page.set("alloc_status", text(a.status));
    page.set("alloc_objective", text(auto_number(a.objective)));
    page.set("alloc_gap", text(number(a.gap_pct, 2)));
    mu::data constraints = list();
    for (const auto& c : a.constraints) {
      mu::data row;
      row.set("name", text(c.name));
      row.set("kind", text(c.unit.empty() ? c.kind : c.kind + " (" + c.unit + ")"));
      row.set("achieved", text(auto_number(c.achieved)));
      row.set("target", text(auto_number(c.target)));
      row.set("slack", text(auto_number(c.slack)));
      row.set("shadow", text(auto_number(c.shadow_price)));
      row.set("binding", text(c.binding ? "yes" : "no"));
      constraints.push_back(row);
    }
    page.set("constraints", constraints);
    mu::data diagnosis = list();
    for (const auto& d : a.diagnosis) diagnosis.push_back(text(d));
    page.set("has_diagnosis", mu::data(!a.diagnosis.empty()));
    page.set("diagnosis", diagnosis);
  } else {
    page.set("alloc_status", text("n/a"));
    page.set("alloc_objective", text("n/a"));
    page.set("alloc_gap", text("n/a"));
    page.set("has_diagnosis", mu::data(false));
  }

  const detail::Frame frame = detail::Frame::fit_box(plan_envelope(result.plan), 560, 560);
  std::string svg = svg_open(frame);
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
                       detail::polygon_path(parcel.geometry, frame), escape(title));
  }
  svg += phase_outlines(result.plan, frame);
  svg += "</svg>";
  page.set("allocation_map", text(svg));
  mu::data legend = list();
  for (const auto& cls : result.plan.classes) {
    if (used.count(cls.code) == 0) continue;
    mu::data item;
    item.set("colour", text(safe_colour(cls.colour)));
    item.set("label", text(cls.code + " " + cls.name_en + " " + cls.name_zh));
    legend.push_back(item);
  }
  if (kept_any) {
    mu::data item;
    item.set("colour", text("#9AA3AD"));
    item.set("label", text("pale with dark outline: built parcel kept as it is"));
    legend.push_back(item);
  }
  if (existing_any) {
    mu::data item;
    item.set("colour", text("#D5D9DE"));
    item.set("label", text("faded: current use, outside the allocation (phases 1-2, green, roads)"));
    legend.push_back(item);
  }
  if (none_any) {
    mu::data item;
    item.set("colour", text("#EEEEEE"));
    item.set("label", text("not allocated"));
    legend.push_back(item);
  }
  page.set("alloc_legend", legend);
}

// Probability bins of the ensemble map: 0-10 %, ..., 90-100 %, white to dark red.
constexpr std::array<const char*, 10> probability_colours = {"#FFF5F0", "#FEE0D2", "#FCBBA1", "#FC9272", "#FB6A4A",
                                                             "#EF3B2C", "#CB181D", "#A50F15", "#800B12", "#67000D"};

void add_ensemble(const RunResult& result, mu::data& page) {
  const bool ensemble = result.ensemble && result.ensemble->runs > 1;
  page.set("has_ensemble", mu::data(ensemble));
  if (!ensemble) return;
  const EnsembleSummary& e = *result.ensemble;
  page.set("first_run", text(std::to_string(e.first_run)));

  // P(developed) = sum of the probabilities of the built classes (vector index = class id).
  std::optional<grid::Grid<float>> developed;
  for (const auto& cls : result.classes) {
    if (!cls.built || cls.id < 0 || static_cast<std::size_t>(cls.id) >= e.probability.size()) continue;
    const auto& p = e.probability[static_cast<std::size_t>(cls.id)];
    if (!developed) {
      developed.emplace(p.spec(), 0.0f);
    } else {
      grid::require_same_spec(developed->spec(), p.spec(), "ensemble probability");
    }
    for (std::int64_t i = 0; i < p.size(); ++i) (*developed)[i] += p[i];
  }
  page.set("has_probability", mu::data(developed.has_value()));
  if (developed) {
    grid::Grid<std::uint8_t> bins(developed->spec(), io::class_nodata);
    for (std::int64_t i = 0; i < developed->size(); ++i) {
      const float p = (*developed)[i];
      if (std::isfinite(p)) bins[i] = static_cast<std::uint8_t>(std::clamp(static_cast<int>(p * 10.0f), 0, 9));
    }
    std::vector<io::RasterClass> classes;
    mu::data legend = list();
    for (int k = 0; k < 10; ++k) {
      classes.push_back({k, fmt::format("{}-{} %", k * 10, k * 10 + 10), probability_colours[static_cast<std::size_t>(k)]});
      if (k % 2 == 1 || k == 0) {
        mu::data item;
        item.set("colour", text(probability_colours[static_cast<std::size_t>(k)]));
        item.set("label", text(k == 0 ? std::string("< 10 %") : fmt::format("{}-{} %", k * 10, k * 10 + 10)));
        legend.push_back(item);
      }
    }
    page.set("probability_map", text(raster_map(bins, classes, result.plan, 460)));
    page.set("probability_legend", legend);
  }

  mu::data charts = list();
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
    mu::data chart;
    const plan::Phase* p = result.plan.find_phase(phase);
    chart.set("label", text(p != nullptr && !p->name_en.empty() ? p->name_en : "phase " + phase));
    chart.set("svg", text(detail::bar_chart(bars, "runs", 560, 220)));
    charts.push_back(chart);
  }
  page.set("fillup_charts", charts);
}

void add_tables(const RunResult& result, mu::data& page) {
  mu::data validation = list();
  for (const auto& v : result.validation) {
    mu::data row;
    row.set("label", text(v.label_en.empty() ? v.id : v.label_en));
    row.set("unit", text(v.unit));
    row.set("model", text(number(v.model, 3)));
    row.set("persistence", text(number(v.persistence, 3)));
    validation.push_back(row);
  }
  page.set("has_validation", mu::data(!result.validation.empty()));
  page.set("validation", validation);

  mu::data indicators = list();
  for (const auto& i : result.indicators) {
    mu::data row;
    row.set("year", text(i.year == 0 ? std::string("—") : std::to_string(i.year)));
    row.set("label_en", text(i.label_en));
    row.set("label_zh", text(i.label_zh));
    // Years are not quantities: no thousands separator ("2035", not "2,035").
    const bool is_year = (i.unit == "yr" || i.unit == "year") && std::isfinite(i.value) && i.value == std::floor(i.value);
    row.set("value", text(is_year ? fmt::format("{}", static_cast<long long>(i.value)) : auto_number(i.value)));
    row.set("unit", text(i.unit));
    row.set("id", text(i.id));
    indicators.push_back(row);
  }
  page.set("indicators", indicators);

  constexpr std::size_t max_problems = 200;
  std::map<std::string, std::size_t> by_severity;
  for (const auto& p : result.problems) ++by_severity[std::string(to_string(p.severity))];
  std::string summary = result.problems.empty() ? "No findings." : "";
  for (const char* s : {"error", "warning", "info"}) {
    if (by_severity[s] > 0) summary += fmt::format("{}{} {}(s)", summary.empty() ? "" : ", ", by_severity[s], s);
  }
  page.set("problem_summary", text(summary));
  mu::data problems = list();
  for (std::size_t k = 0; k < result.problems.size() && k < max_problems; ++k) {
    const Problem& p = result.problems[k];
    mu::data row;
    row.set("severity", text(std::string(to_string(p.severity))));
    row.set("code", text(p.code));
    row.set("message", text(p.message));
    row.set("where", text(p.where.to_string()));
    problems.push_back(row);
  }
  page.set("has_problems", mu::data(!result.problems.empty()));
  page.set("problems", problems);
  page.set("problems_cut", text(result.problems.size() > max_problems
                                    ? fmt::format("… and {} more (see the run's log).", result.problems.size() - max_problems)
                                    : std::string()));
}

}  // namespace

std::string render_html(const RunResult& result) {
  mu::data page;
  const std::string scenario = result.scenario_name.empty() ? std::string("(unnamed scenario)") : result.scenario_name;
  page.set("title", text("parksim — " + scenario));
  page.set("scenario", text(scenario));
  page.set("question", text(result.question));
  page.set("description", text(result.description));
  page.set("has_question", mu::data(!result.question.empty()));
  page.set("has_description", mu::data(!result.description.empty()));
  page.set("meta", text(fmt::format("Years {}–{} · seed {} · {} run(s) · grid {} × {} cells of {} m · CRS {}",
                                    result.start_year, result.end_year, result.seed, result.runs, result.grid.cols,
                                    result.grid.rows, number(result.grid.cell_size_m, 0), result.plan.crs)));
  page.set("seed", text(std::to_string(result.seed)));
  page.set("runs", text(std::to_string(result.ensemble ? result.ensemble->runs : result.runs)));
  page.set("end_year", text(std::to_string(result.end_year)));
  const auto schematic_layers = result.plan.schematic_layers();
  mu::data schematic = list();
  for (const auto& name : schematic_layers) schematic.push_back(text(name));
  page.set("has_schematic", mu::data(!schematic_layers.empty()));
  page.set("schematic", schematic);

  add_compliance(result, page);
  add_maps(result, page);
  page.set("growth_chart", text(growth_chart(result)));
  add_allocation(result, page);
  add_ensemble(result, page);
  add_tables(result, page);

  mu::data libraries = list();
  for (const auto& [name, version] : result.library_versions) {
    mu::data item;
    item.set("name", text(name));
    item.set("version", text(version));
    libraries.push_back(item);
  }
  page.set("libraries", libraries);
  mu::data inputs = list();
  for (const auto& input : result.input_files) inputs.push_back(text(input));
  page.set("inputs", inputs);
  return render(page_template, page);
}

std::string compare_html(std::span<const RunResult> results) {
  if (results.empty()) throw Error(ErrorCode::usage, "nothing to compare: no runs");
  mu::data page;
  mu::data runs = list();
  mu::data headers = list();
  bool any_schematic = false;
  for (std::size_t r = 0; r < results.size(); ++r) {
    const RunResult& run = results[r];
    const auto layers = run.plan.schematic_layers();
    any_schematic = any_schematic || !layers.empty();
    std::string joined;
    for (const auto& l : layers) joined += (joined.empty() ? "" : ", ") + l;
    mu::data row;
    row.set("name", text(run.scenario_name));
    row.set("question", text(run.question));
    row.set("seed", text(std::to_string(run.seed)));
    row.set("runs", text(std::to_string(run.runs)));
    row.set("schematic", text(joined.empty() ? std::string("none") : joined));
    runs.push_back(row);
    headers.push_back(text(run.scenario_name));
    if (r > 0) headers.push_back(text("Δ " + run.scenario_name));
  }
  page.set("runs", runs);
  page.set("headers", headers);
  page.set("has_schematic", mu::data(any_schematic));
  page.set("first", text(results[0].scenario_name));

  // Rows keyed by (year, indicator id): first run's order, then keys only later runs have.
  std::vector<std::pair<int, std::string>> keys;
  std::set<std::pair<int, std::string>> seen;
  std::map<std::pair<int, std::string>, const Indicator*> label_of;
  for (const auto& run : results) {
    for (const auto& i : run.indicators) {
      const auto key = std::make_pair(i.year, i.id);
      if (seen.insert(key).second) {
        keys.push_back(key);
        label_of[key] = &i;
      }
    }
  }
  mu::data rows = list();
  for (const auto& key : keys) {
    mu::data row;
    const Indicator* first_seen = label_of[key];
    row.set("year", text(key.first == 0 ? std::string("—") : std::to_string(key.first)));
    row.set("label", text(first_seen->label_en.empty() ? key.second : first_seen->label_en));
    row.set("unit", text(first_seen->unit));
    mu::data cells = list();
    auto exact = [&](const RunResult& run) -> const Indicator* {
      for (const auto& i : run.indicators) {
        if (i.id == key.second && i.year == key.first) return &i;
      }
      return nullptr;
    };
    const Indicator* base = exact(results[0]);
    for (std::size_t r = 0; r < results.size(); ++r) {
      const Indicator* value = exact(results[r]);
      mu::data cell;
      cell.set("text", text(value != nullptr ? auto_number(value->value) : std::string("n/a")));
      cell.set("class", text(""));
      cells.push_back(cell);
      if (r > 0) {
        mu::data delta;
        const double d = (value != nullptr && base != nullptr) ? value->value - base->value : std::nan("");
        delta.set("text", text(std::isfinite(d) ? (d > 0 ? "+" : "") + auto_number(d) : std::string("n/a")));
        delta.set("class", text(!std::isfinite(d) || d == 0.0 ? "" : d > 0 ? "up" : "down"));
        cells.push_back(delta);
      }
    }
    row.set("cells", cells);
    rows.push_back(row);
  }
  page.set("rows", rows);
  return render(compare_template, page);
}

}  // namespace parksim::report
