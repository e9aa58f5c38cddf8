// front_html: the plan search's page. The scatter is drawn by a small inline script from the front's data (embedded
// as JSON), so the reader can pick any two objectives as axes; the hypervolume chart is static SVG.
#include "report/front_page.hpp"

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
      m.addEventListener('click', function () { document.getElementById('tip').textContent = describe(p); });
      svg.appendChild(m);
    });
    var box = document.getElementById('scatter'); box.innerHTML = ''; box.appendChild(svg);
  }
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
  return detail::render_page(front_template, d);
}

}  // namespace parksim::report
