// front_html: the plan search's page. The scatter is drawn by a small inline script from the front's data (embedded
// as JSON), so the reader can pick any two objectives as axes; the hypervolume chart is static SVG.
#include "report/front_page.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/detail/page.hpp"
#include "report/detail/svg.hpp"

namespace parksim::report {

namespace {

using detail::list;
using detail::mu::data;
using detail::text;

constexpr const char* front_template = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>parksim plan search — {{name}}</title>
<style>{{{page_css}}}
#scatter svg { width: 100%; max-width: 760px; height: auto; background: #fff; }
#scatter circle { cursor: pointer; }
#tip { min-height: 3em; }
.maps2 { display: flex; flex-wrap: wrap; gap: 8px 24px; }
.maps2 figure { margin: 0; max-width: 460px; }
.maps2 svg { width: 100%; height: auto; }
</style>
</head>
<body>
<header>
<h1>Plan search 方案寻优 — {{name}}</h1>
{{#question}}<p class="question">{{question}}</p>{{/question}}
<p class="meta">{{algorithm}} · population {{population}} · {{generations}} generations · {{evaluations}} lever settings evaluated · {{runs}} run(s) per evaluation (objective = ensemble mean) · seed {{seed}}</p>
</header>
<main>
<section id="front">
<h2>Pareto front 帕累托前沿</h2>
<p>{{front_size}} settings that no other evaluated setting beats on every objective. Pick the axes and the colour (light = low, dark = high); hover or tap a point for its levers. The open square is the scenario's own setting.</p>
<p><label>x <select id="ax"></select></label> <label>y <select id="ay"></select></label> <label>colour <select id="ac"></select></label></p>
<div id="scatter"><noscript>The scatter needs JavaScript; the table below has the same figures.</noscript></div>
<p id="tip" class="note"></p>
</section>
{{#has_maps}}
<section id="maps">
<h2>Maps of a solution 方案地图</h2>
<p>Where land is developed in {{map_year}} under a solution (the share of its {{runs}} run(s)), where that differs from the scenario's own setting, and its indicators next to the scenario's. Pick a solution here or click its point above.{{#maps_note}} {{maps_note}}{{/maps_note}}</p>
<p><label>solution <select id="am">{{#maps}}<option value="{{name}}">{{name}}</option>{{/maps}}</select></label></p>
<p id="nomap" class="note" hidden></p>
{{#maps}}<div class="solmap" id="map-{{name}}"{{^first}} hidden{{/first}}>
<div class="maps2"><figure>{{{developed}}}<figcaption>{{name}}: share of runs in which a cell is developed in {{year}} (phases outlined)</figcaption></figure>
{{#difference}}<figure>{{{difference}}}<figcaption>{{name}} against the scenario's own setting: change in that share</figcaption></figure>{{/difference}}</div>
<div class="scroll"><table><thead><tr><th>indicator</th><th>{{name}}</th><th>scenario</th><th>difference</th></tr></thead>
<tbody>{{#numbers}}<tr><td>{{id}}</td><td>{{value}}</td><td>{{start}}</td><td>{{diff}}</td></tr>{{/numbers}}</tbody></table></div>
</div>{{/maps}}
<div class="legends"><div><h3>Developed in {{map_year}}: share of runs</h3><ul class="legend">{{#developed_legend}}<li><span class="swatch {{shape}}" style="{{style}}"></span>{{label}}</li>{{/developed_legend}}</ul></div>
<div><h3>Against the scenario's own setting</h3><ul class="legend">{{#difference_legend}}<li><span class="swatch {{shape}}" style="{{style}}"></span>{{label}}</li>{{/difference_legend}}</ul></div></div>
</section>
{{/has_maps}}

<section id="table">
<h2>Solutions 方案</h2>
<div class="scroll"><table>
<thead><tr><th>solution</th>{{#lever_heads}}<th>{{.}}</th>{{/lever_heads}}{{#indicator_heads}}<th>{{.}}</th>{{/indicator_heads}}</tr></thead>
<tbody>{{#rows}}<tr><td>{{name}}</td>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>{{/rows}}</tbody>
</table></div>
<p class="note">Indicators: ensemble mean ± sd over the runs of an evaluation. Each solution is a runnable scenario: <code>parksim run solutions/&lt;solution&gt;.toml</code>.</p>
{{#notes}}<p class="note">{{.}}</p>{{/notes}}
</section>

<section id="history">
<h2>Hypervolume by generation 超体积</h2>
<p>Hypervolume of the front found so far, objectives scaled to [0, 1] between the best and worst feasible values evaluated, reference point 1.1 on every axis (larger is better).</p>
{{{hypervolume_svg}}}
</section>
</main>
<script type="application/json" id="front-data">{{{json}}}</script>
<script>
(function () {
  var d = JSON.parse(document.getElementById('front-data').textContent);
  var ax = document.getElementById('ax'), ay = document.getElementById('ay'), ac = document.getElementById('ac');
  var none = document.createElement('option'); none.value = -1; none.textContent = '(none)'; ac.appendChild(none);
  d.axes.forEach(function (a, i) {
    [ax, ay, ac].forEach(function (s) { var o = document.createElement('option'); o.value = i; o.textContent = a; s.appendChild(o); });
  });
  ax.value = 0; ay.value = d.axes.length > 1 ? 1 : 0; ac.value = d.axes.length > 2 ? 2 : -1;
  var NS = 'http://www.w3.org/2000/svg';
  function el(n, at) { var e = document.createElementNS(NS, n); for (var k in at) e.setAttribute(k, at[k]); return e; }
  function fmt(v) { return v === null ? 'n/a' : (Number.isInteger(v) ? String(v) : (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4))); }
  function describe(p) {
    var s = p.name + ': ';
    s += d.levers.map(function (l, i) { return l + ' = ' + fmt(p.levers[i]); }).join(', ');
    s += ' | ' + d.axes.map(function (a, i) { return a + ' = ' + fmt(p.mean[i]) + (p.sd[i] === null ? '' : ' ± ' + fmt(p.sd[i])); }).join(', ');
    return s;
  }
  function draw() {
    var i = +ax.value, j = +ay.value, W = 560, H = 380, L = 70, B = 50, T = 15, R = 20;
    var pts = d.front.concat(d.start ? [d.start] : []).filter(function (p) { return p.mean[i] !== null && p.mean[j] !== null; });
    var xs = pts.map(function (p) { return p.mean[i]; }), ys = pts.map(function (p) { return p.mean[j]; });
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs), y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    if (x1 === x0) { x0 -= 1; x1 += 1; } if (y1 === y0) { y0 -= 1; y1 += 1; }
    var px = function (v) { return L + (v - x0) / (x1 - x0) * (W - L - R); };
    var py = function (v) { return H - B - (v - y0) / (y1 - y0) * (H - B - T); };
    var svg = el('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img' });
    svg.appendChild(el('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: '#333' }));
    svg.appendChild(el('line', { x1: L, y1: T, x2: L, y2: H - B, stroke: '#333' }));
    for (var k = 0; k <= 4; k++) {
      var vx = x0 + (x1 - x0) * k / 4, vy = y0 + (y1 - y0) * k / 4;
      var tx = el('text', { x: px(vx), y: H - B + 16, 'text-anchor': 'middle', 'font-size': 11 }); tx.textContent = fmt(vx); svg.appendChild(tx);
      var ty = el('text', { x: L - 6, y: py(vy) + 4, 'text-anchor': 'end', 'font-size': 11 }); ty.textContent = fmt(vy); svg.appendChild(ty);
    }
    var lx = el('text', { x: (L + W - R) / 2, y: H - 8, 'text-anchor': 'middle', 'font-size': 12 }); lx.textContent = d.axes[i] + ' (' + d.directions[i] + ')'; svg.appendChild(lx);
    var ly = el('text', { x: 14, y: (T + H - B) / 2, 'text-anchor': 'middle', 'font-size': 12, transform: 'rotate(-90 14 ' + (T + H - B) / 2 + ')' }); ly.textContent = d.axes[j] + ' (' + d.directions[j] + ')'; svg.appendChild(ly);
    // Colour: light to dark blue from the lowest to the highest value of the colour indicator.
    var c = +ac.value, cs = c < 0 ? [] : pts.map(function (p) { return p.mean[c]; }).filter(function (v) { return v !== null; });
    var c0 = Math.min.apply(null, cs), c1 = Math.max.apply(null, cs);
    var shade = function (v) {
      if (c < 0 || v === null) return '#1f77b4';
      var t = c1 > c0 ? (v - c0) / (c1 - c0) : 0.5;
      return 'rgb(' + Math.round(198 - 190 * t) + ',' + Math.round(219 - 171 * t) + ',' + Math.round(239 - 132 * t) + ')';
    };
    pts.forEach(function (p) {
      var start = p === d.start;
      var m = start ? el('rect', { x: px(p.mean[i]) - 5, y: py(p.mean[j]) - 5, width: 10, height: 10, fill: 'none', stroke: '#c0392b', 'stroke-width': 2 })
                    : el('circle', { cx: px(p.mean[i]), cy: py(p.mean[j]), r: 5, fill: shade(c < 0 ? null : p.mean[c]), stroke: '#08306b', 'stroke-width': 0.5 });
      var t = el('title', {}); t.textContent = describe(p); m.appendChild(t);
      m.addEventListener('mouseenter', function () { document.getElementById('tip').textContent = describe(p); });
      m.addEventListener('click', function () { document.getElementById('tip').textContent = describe(p); show(p.name); });
      svg.appendChild(m);
    });
    var box = document.getElementById('scatter'); box.innerHTML = ''; box.appendChild(svg);
  }
  // The maps of a solution: shown when it has them, else a note on how to get them.
  var am = document.getElementById('am');
  function show(name) {
    if (!am) return;
    var found = false;
    Array.prototype.forEach.call(document.querySelectorAll('.solmap'), function (m) {
      var on = m.id === 'map-' + name; m.hidden = !on; found = found || on;
    });
    var note = document.getElementById('nomap');
    note.hidden = found;
    if (found) { am.value = name; } else {
      note.textContent = 'No map is kept for ' + name + ': run solutions/' + name + '.toml with parksim run for its maps.';
      Array.prototype.forEach.call(document.querySelectorAll('.solmap'), function (m) { m.hidden = true; });
    }
  }
  if (am) am.onchange = function () { show(am.value); };
  ax.onchange = draw; ay.onchange = draw; ac.onchange = draw; draw();
})();
</script>
</body>
</html>
)HTML";

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json point_json(const FrontPage::Point& p) {
  nlohmann::json j;
  j["name"] = p.name;
  j["levers"] = nlohmann::json::array();
  for (double v : p.levers) j["levers"].push_back(number_or_null(v));
  j["mean"] = nlohmann::json::array();
  j["sd"] = nlohmann::json::array();
  for (double v : p.mean) j["mean"].push_back(number_or_null(v));
  for (double v : p.sd) j["sd"].push_back(number_or_null(v));
  return j;
}

std::string cell(double v) {
  if (!std::isfinite(v)) return "n/a";
  if (v == std::round(v) && std::fabs(v) < 1e9) return fmt::format("{:.0f}", v);
  return std::fabs(v) >= 100.0 ? fmt::format("{:.1f}", v) : fmt::format("{:.4g}", v);
}

// Classes of the difference map: a solution's share of runs developed minus the scenario's, in percentage points.
std::vector<io::RasterClass> difference_palette() {
  return {{0, "developed in neither (< 10 %)", "#F7F7F7"},
          {1, "about the same (within 10 points)", "#BDBDBD"},
          {2, "50 points or more less", "#B35806"},
          {3, "10-50 points less", "#F1A340"},
          {4, "10-50 points more", "#998EC3"},
          {5, "50 points or more more", "#542788"}};
}

grid::Grid<std::uint8_t> difference_classes(const grid::Grid<std::uint8_t>& pct, const grid::Grid<std::uint8_t>& start) {
  grid::Grid<std::uint8_t> out(pct.spec(), io::class_nodata);
  for (std::int64_t i = 0; i < pct.size(); ++i) {
    if (pct[i] > 100 || start[i] > 100) continue;
    const int d = static_cast<int>(pct[i]) - static_cast<int>(start[i]);
    if (d <= -50) {
      out[i] = 2;
    } else if (d <= -10) {
      out[i] = 3;
    } else if (d >= 50) {
      out[i] = 5;
    } else if (d >= 10) {
      out[i] = 4;
    } else {
      out[i] = (pct[i] < 10 && start[i] < 10) ? 0 : 1;
    }
  }
  return out;
}

// Share bins of the developed map: 0..9 for 0-10 % .. 90-100 % (detail::probability_palette()).
grid::Grid<std::uint8_t> share_bins(const grid::Grid<std::uint8_t>& pct) {
  grid::Grid<std::uint8_t> out(pct.spec(), io::class_nodata);
  for (std::int64_t i = 0; i < pct.size(); ++i) {
    if (pct[i] <= 100) out[i] = static_cast<std::uint8_t>(std::min(9, pct[i] / 10));
  }
  return out;
}

// Expected developed area of a map: the sum of the shares times the cell area, km2.
double developed_km2(const grid::Grid<std::uint8_t>& pct) {
  double sum = 0.0;
  for (std::int64_t i = 0; i < pct.size(); ++i) {
    if (pct[i] <= 100) sum += pct[i] / 100.0;
  }
  return sum * pct.spec().cell_area_m2() / 1e6;
}

std::string signed_cell(double v) {
  if (!std::isfinite(v)) return "n/a";
  const std::string c = cell(v);
  return v > 0 ? "+" + c : c;
}

void add_maps(const FrontPage& page, data& d) {
  const FrontPage::Map* start = nullptr;
  for (const auto& m : page.maps) {
    if (m.name == page.start.name) start = &m;
  }
  d.set("has_maps", detail::flag(!page.maps.empty()));
  if (page.maps.empty()) return;
  static const plan::Plan no_plan;
  const plan::Plan& plan = page.plan != nullptr ? *page.plan : no_plan;
  const grid::GridSpec& spec = page.maps.front().developed_pct.spec();
  const detail::Window window = detail::window_of(spec, detail::focus_extent(plan, spec));
  const auto share_palette = detail::probability_palette();
  const auto diff_palette = difference_palette();
  // The points by name, for their indicators.
  std::vector<const FrontPage::Point*> points;
  for (const auto& p : page.front) points.push_back(&p);
  points.push_back(&page.start);
  const auto point_of = [&](const std::string& name) -> const FrontPage::Point* {
    for (const auto* p : points) {
      if (p->name == name) return p;
    }
    return nullptr;
  };
  const double start_km2 = start != nullptr ? developed_km2(start->developed_pct) : std::nan("");
  data maps = list();
  bool first = true;
  for (const auto& m : page.maps) {
    grid::require_same_spec(spec, m.developed_pct.spec(), "maps of the plan search");
    data item;
    item.set("name", text(m.name));
    item.set("first", detail::flag(first));
    first = false;
    item.set("year", text(std::to_string(page.map_year)));
    item.set("developed", text(detail::static_class_map(share_bins(m.developed_pct), window, share_palette, plan, 440)));
    if (start != nullptr && start != &m) {
      item.set("difference", text(detail::static_class_map(difference_classes(m.developed_pct, start->developed_pct),
                                                           window, diff_palette, plan, 440)));
    }
    // Its numbers, the scenario's and the difference.
    data numbers = list();
    const auto add = [&](const std::string& id, double value, double sd, double reference) {
      data row;
      row.set("id", text(id));
      row.set("value", text(cell(value) + (std::isfinite(sd) ? " ± " + cell(sd) : "")));
      row.set("start", text(cell(reference)));
      row.set("diff", text(signed_cell(value - reference)));
      numbers.push_back(row);
    };
    const FrontPage::Point* p = point_of(m.name);
    if (p != nullptr) {
      for (std::size_t l = 0; l < page.levers.size() && l < p->levers.size(); ++l) {
        add(page.levers[l], p->levers[l], std::nan(""),
            l < page.start.levers.size() ? page.start.levers[l] : std::nan(""));
      }
      for (std::size_t k = 0; k < page.indicators.size() && k < p->mean.size(); ++k) {
        add(page.indicators[k].id + " (" + page.indicators[k].direction + ")", p->mean[k],
            k < p->sd.size() ? p->sd[k] : std::nan(""), k < page.start.mean.size() ? page.start.mean[k] : std::nan(""));
      }
    }
    add(fmt::format("developed land in {}, km² (expected: sum of the shares, map)", page.map_year),
        developed_km2(m.developed_pct), std::nan(""), start_km2);
    item.set("numbers", numbers);
    maps.push_back(item);
  }
  d.set("maps", maps);
  d.set("map_year", text(std::to_string(page.map_year)));
  const std::size_t kept = page.maps.size() - (start != nullptr ? 1 : 0);
  if (kept < page.front.size()) {
    d.set("maps_note", text(fmt::format("Maps are kept for {} of the {} solutions, spread over the front (optimize.maps); "
                                        "run another's scenario file for its maps.",
                                        kept, page.front.size())));
  }
  std::vector<detail::LegendItem> share_legend, diff_legend;
  for (std::size_t k = 0; k < share_palette.size(); ++k) {
    if (k % 2 == 1 || k == 0) share_legend.push_back({share_palette[k].colour, share_palette[k].name, "fill"});
  }
  for (const auto& c : diff_palette) diff_legend.push_back({c.colour, c.name, "fill"});
  d.set("developed_legend", detail::legend_data(share_legend));
  d.set("difference_legend", detail::legend_data(diff_legend));
}

}  // namespace

std::string front_html(const FrontPage& page) {
  data d;
  d.set("page_css", text(detail::page_style()));
  d.set("name", text(page.scenario_name));
  if (!page.question.empty()) d.set("question", text(page.question));
  d.set("algorithm", text(page.algorithm == "moead" ? "MOEA/D" : "NSGA-II"));
  d.set("population", text(std::to_string(page.population)));
  d.set("generations", text(std::to_string(page.generations)));
  d.set("evaluations", text(std::to_string(page.evaluations)));
  d.set("runs", text(std::to_string(page.runs)));
  d.set("seed", text(std::to_string(page.seed)));
  d.set("front_size", text(std::to_string(page.front.size())));

  data lever_heads = list();
  for (const auto& l : page.levers) lever_heads.push_back(text(l));
  d.set("lever_heads", lever_heads);
  data indicator_heads = list();
  nlohmann::json json;
  json["axes"] = nlohmann::json::array();
  json["directions"] = nlohmann::json::array();
  for (const auto& a : page.indicators) {
    indicator_heads.push_back(text(a.id + " (" + a.direction + ")"));
    json["axes"].push_back(a.id);
    json["directions"].push_back(a.direction);
  }
  d.set("indicator_heads", indicator_heads);
  json["levers"] = page.levers;
  json["front"] = nlohmann::json::array();
  data rows = list();
  auto add_row = [&](const FrontPage::Point& p) {
    data row;
    row.set("name", text(p.name));
    data cells = list();
    for (double v : p.levers) cells.push_back(text(cell(v)));
    for (std::size_t k = 0; k < p.mean.size(); ++k) {
      const double sd = k < p.sd.size() ? p.sd[k] : std::nan("");
      cells.push_back(text(cell(p.mean[k]) + (std::isfinite(sd) ? " ± " + cell(sd) : "")));
    }
    row.set("cells", cells);
    rows.push_back(row);
  };
  for (const auto& p : page.front) {
    json["front"].push_back(point_json(p));
    add_row(p);
  }
  if (!page.start.mean.empty()) {
    json["start"] = point_json(page.start);
    add_row(page.start);
  } else {
    json["start"] = nullptr;
  }
  d.set("rows", rows);
  data notes = list();
  for (const auto& n : page.notes) notes.push_back(text(n));
  d.set("notes", notes);
  std::string js = json.dump();
  // Inside <script>: no "</" may end the element early.
  for (std::size_t at = js.find("</"); at != std::string::npos; at = js.find("</", at + 3)) js.replace(at, 2, "<\\/");
  d.set("json", text(js));

  detail::Series hv{"hypervolume", detail::series_colour(0), {}};
  for (std::size_t g = 0; g < page.generation.size() && g < page.hypervolume.size(); ++g) {
    hv.points.emplace_back(page.generation[g], page.hypervolume[g]);
  }
  d.set("hypervolume_svg", text(detail::line_chart({hv}, "generation", "hypervolume", 560, 240)));
  add_maps(page, d);
  return detail::render_page(front_template, d);
}

}  // namespace parksim::report
