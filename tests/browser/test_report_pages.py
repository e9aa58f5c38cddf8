"""The report pages in a real browser: headless Chromium at 1400 and 390 CSS px (a desktop and a phone).

For every page and width: no page-level horizontal overflow (wide tables scroll in their own box), the interactive
maps' panes hold drawn features (SVG paths, decoded raster images), no console error or uncaught exception, nothing
requested but the page itself and data: URIs, legend entries that do not overlap. Screenshots are kept in
$SCREENSHOT_DIR for a person to look at (the default view of the map at both widths, and the whole page).
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cdp import Browser, chromium_path  # noqa: E402

SOURCE_DIR = Path(os.environ.get("PARKSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/parksim-screenshots"))
WIDTHS = [(1400, 1000, False), (390, 844, True)]

# What a page looks like to the page itself, measured in the browser.
PROBE = """(() => {
  const d = document.documentElement;
  const maps = Array.from(document.querySelectorAll('.leaflet-map')).map(m => ({
    id: m.id,
    paths: m.querySelectorAll('.leaflet-overlay-pane path, .leaflet-points-pane path').length,
    images: Array.from(m.querySelectorAll('img.leaflet-image-layer')).map(i => i.complete && i.naturalWidth > 0),
    zoom: m.parksimMap ? m.parksimMap.getZoom() : null,
    width: m.clientWidth, height: m.clientHeight}));
  // Entries of one legend that overlap each other (they must wrap instead).
  let overlaps = 0;
  for (const list of document.querySelectorAll('ul.legend')) {
    const boxes = Array.from(list.children).map(li => li.getBoundingClientRect()).filter(r => r.width > 0);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) overlaps++;
    }
  }
  // Elements sticking out of the page (outside the boxes that scroll or clip on purpose).
  const wide = Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > d.clientWidth + 0.5 && !e.closest('.scroll, .leaflet-container'))
    .slice(0, 5).map(e => e.tagName + '.' + e.className);
  return {scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, maps: maps, overlaps: overlaps, wide: wide};
})()"""


def run_cli(*args):
    r = subprocess.run([os.environ["PARKSIM_BIN"], *map(str, args)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return r


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    if chromium_path() is None:
        pytest.fail("chromium is not installed (apt-get install chromium)")
    root = tmp_path_factory.mktemp("pages")
    writer = os.environ["REPORT_PAGE_WRITER"]
    out = {}
    for which in ("fixture", "study"):
        page = subprocess.run([writer, root / which, which], check=True, capture_output=True, text=True).stdout.strip()
        out[which] = Path(page)
    bundles = []
    for name in ("baseline", "line19_2029", "slow_growth"):
        run_cli("run", SOURCE_DIR / "scenarios" / f"{name}.toml", "--out", root / name, "--quiet")
        bundles.append(root / name)
    out["baseline"] = root / "baseline" / "report" / "index.html"
    run_cli("compare", *bundles, "--out", root / "compare")
    out["compare"] = root / "compare" / "index.html"
    # A plan search on a coarse copy of the bundled one, with maps of 2 of its solutions.
    search = root / "search.toml"
    search.write_text(f'extends = "{SOURCE_DIR / "scenarios" / "optimize_zones.toml"}"\nname = "search"\n'
                      '[grid]\ncell_size_m = 150.0\n[optimize]\npopulation = 8\ngenerations = 1\nmaps = 2\n',
                      encoding="utf-8")
    run_cli("optimize", search, "--out", root / "search", "--quiet")
    out["search"] = root / "search" / "report" / "index.html"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture(scope="module")
def browser():
    with Browser() as b:
        yield b


def check_page(browser, path, name, width, height, mobile):
    page = browser.open(path.as_uri(), width, height, mobile)
    page.screenshot(str(SCREENSHOTS / f"{name}_{width}_view.png"), full_page=False)
    page.screenshot(str(SCREENSHOTS / f"{name}_{width}.png"))
    info = page.evaluate(PROBE)
    problems = []
    if info["scrollWidth"] > info["clientWidth"]:
        problems.append("page overflows: scrollWidth %d > clientWidth %d (%s)"
                        % (info["scrollWidth"], info["clientWidth"], info["wide"]))
    if info["overlaps"]:
        problems.append("%d overlapping legend entries" % info["overlaps"])
    errors = [c for c in page.console if c[0] in ("error", "warning", "assert")]
    if errors:
        problems.append("console: %s" % errors)
    if page.exceptions:
        problems.append("exceptions: %s" % page.exceptions)
    fetched = [u for u in page.requests if not (u.startswith("data:") or u == path.as_uri())]
    if fetched:
        problems.append("requests beyond the page: %s" % fetched)
    return page, info, problems


@pytest.mark.parametrize("width,height,mobile", WIDTHS)
def test_baseline_report_reads_at_this_width_with_the_park_on_the_map(browser, pages, width, height, mobile):
    page, info, problems = check_page(browser, pages["baseline"], "baseline", width, height, mobile)
    assert not problems, problems
    (m,) = info["maps"]
    # Parcels, phases, zones, corridor, bases, stations are drawn; the land-use raster is decoded.
    assert m["paths"] >= 236 + 2 + 2, m
    assert m["images"] and all(m["images"]), m
    # The default view is the park: the phases fill the map, so its classes are legible (several pixels per cell).
    px_per_cell = page.evaluate("(() => { const m = document.getElementById('parksim-map').parksimMap;"
                                " return 30 * Math.pow(2, m.getZoom()); })()")
    assert px_per_cell >= 1.5, px_per_cell
    park = page.evaluate("(() => { const m = document.getElementById('parksim-map').parksimMap;"
                         " let b = null; m.eachLayer(l => { if (l.getTooltip && l.getTooltip() && l.getBounds &&"
                         " String(l.getTooltip().getContent()).startsWith('Phase')) b = b ? b.extend(l.getBounds())"
                         " : L.latLngBounds(l.getBounds().getSouthWest(), l.getBounds().getNorthEast()); });"
                         " return m.getBounds().contains(b); })()")
    assert park, "the park is not wholly in the default view"


def test_baseline_map_switches_years_and_views(browser, pages):
    page = browser.open(pages["baseline"].as_uri(), 1400, 1000)
    first, last = page.evaluate("""(() => {
      const input = document.querySelector('[data-parksim-slider] input');
      const img = document.querySelector('#parksim-map img.leaflet-image-layer');
      const last = img.src;
      input.value = 0; input.dispatchEvent(new Event('input'));
      return [img.src, last];
    })()""")
    assert first != last and first.startswith("data:image/png")
    assert page.evaluate("document.querySelector('[data-parksim-slider] output').textContent") == "2025 (start)"
    zoom_park = page.evaluate("document.getElementById('parksim-map').parksimMap.getZoom()")
    page.evaluate("document.querySelector('#parksim-map a[data-view=study]').click()")
    page.settle()
    zoom_corridor = page.evaluate("document.getElementById('parksim-map').parksimMap.getZoom()")
    assert zoom_corridor < zoom_park - 1, (zoom_park, zoom_corridor)
    # A parcel's popup is bilingual.
    text = page.evaluate("""(() => {
      const m = document.getElementById('parksim-map').parksimMap; let shown = null;
      m.eachLayer(l => { if (!shown && l.getPopup && l.getPopup() && l.getLatLngs) { l.openPopup(); shown = l; } });
      return document.querySelector('.leaflet-popup-content').textContent; })()""")
    assert "Planned land use 规划用地" in text and "Parcel 地块" in text, text


@pytest.mark.parametrize("width,height,mobile", WIDTHS)
def test_fixture_report_reads_at_this_width(browser, pages, width, height, mobile):
    _, info, problems = check_page(browser, pages["fixture"], "fixture", width, height, mobile)
    assert not problems, problems
    (m,) = info["maps"]
    assert m["paths"] >= 8 + 2 and all(m["images"]) and m["images"], m


@pytest.mark.parametrize("width,height,mobile", WIDTHS)
def test_study_without_a_plan_reads_at_this_width(browser, pages, width, height, mobile):
    _, info, problems = check_page(browser, pages["study"], "study", width, height, mobile)
    assert not problems, problems
    (m,) = info["maps"]
    assert m["paths"] == 0 and m["images"] == [True], m  # the land-use raster only: no plan layers exist


@pytest.mark.parametrize("width,height,mobile", WIDTHS)
def test_comparison_shows_maps_side_by_side_a_difference_map_charts_and_the_caveat(browser, pages, width, height,
                                                                                    mobile):
    page, info, problems = check_page(browser, pages["compare"], "compare", width, height, mobile)
    assert not problems, problems
    ids = [m["id"] for m in info["maps"]]
    assert ids == ["parksim-compare-0", "parksim-compare-1", "parksim-compare-2",
                   "parksim-difference-1", "parksim-difference-2"], ids
    for m in info["maps"]:
        assert m["images"] == [True] and m["paths"] >= 2, m  # the raster and the phase outlines
    # The side-by-side maps share one view, and so do the difference maps.
    views = page.evaluate("Array.from(document.querySelectorAll('.leaflet-map')).map(m => "
                          "[m.parksimMap.getCenter().lat.toFixed(1), m.parksimMap.getCenter().lng.toFixed(1), "
                          "m.parksimMap.getZoom()])")
    assert views[0] == views[1] == views[2], views
    assert views[3] == views[4], views
    text = page.evaluate("document.body.innerText")
    assert "Schematic data." in text and "baseline:" in text
    assert "What if the Line 19 north extension opens in 2032" in text
    assert page.evaluate("document.querySelectorAll('#charts svg.chart').length") >= 3


@pytest.mark.parametrize("width,height,mobile", WIDTHS)
def test_plan_search_page_reads_at_this_width(browser, pages, width, height, mobile):
    page, _, problems = check_page(browser, pages["search"], "search", width, height, mobile)
    assert not problems, problems
    assert page.evaluate("document.querySelectorAll('#scatter circle').length") >= 1
    # The first solution's maps show, and their rasters are drawn at a readable size.
    shown = page.evaluate("""(() => Array.from(document.querySelectorAll('.solmap')).filter(m => !m.hidden).map(m => ({
      id: m.id, maps: Array.from(m.querySelectorAll('svg image')).map(i => i.getBoundingClientRect().width)})))()""")
    assert [s["id"] for s in shown] == ["map-solution_01"], shown
    assert len(shown[0]["maps"]) == 2 and min(shown[0]["maps"]) > 150, shown


def test_clicking_a_solution_shows_its_maps_and_numbers(browser, pages):
    page = browser.open(pages["search"].as_uri(), 1400, 1000)
    names = page.evaluate("Array.from(document.querySelectorAll('#am option')).map(o => o.value)")
    front = page.evaluate("JSON.parse(document.getElementById('front-data').textContent).front.map(p => p.name)")
    assert names[-1] == "scenario" and len(names) - 1 == 2 and len(front) > 2, (names, front)
    # Click the point of the last solution with a map: its maps show, and the selector follows.
    target = names[-2]
    result = page.evaluate(f"""(() => {{
      const d = JSON.parse(document.getElementById('front-data').textContent);
      const i = d.front.findIndex(p => p.name === '{target}');
      const dots = Array.from(document.querySelectorAll('#scatter circle'));
      const dot = dots.find(c => c.querySelector('title').textContent.startsWith('{target}:'));
      dot.dispatchEvent(new MouseEvent('click', {{bubbles: true}}));
      const shown = Array.from(document.querySelectorAll('.solmap')).filter(m => !m.hidden);
      return {{i: i, shown: shown.map(m => m.id), select: document.getElementById('am').value,
               rows: shown.length ? Array.from(shown[0].querySelectorAll('tbody tr')).map(r => r.innerText) : []}};
    }})()""")
    assert result["shown"] == [f"map-{target}"] and result["select"] == target, result
    assert any(r.startswith("developed_km2@2035") for r in result["rows"]), result["rows"]
    # The scenario's own setting (the open square) has its map and no difference map.
    page.evaluate("document.querySelector('#scatter rect').dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    scenario = page.evaluate("Array.from(document.querySelectorAll('.solmap')).filter(m => !m.hidden)"
                             ".map(m => [m.id, m.querySelectorAll('svg image').length])")
    assert scenario == [["map-scenario", 1]], scenario
    # A solution without a kept map says how to get it.
    missing = [n for n in front if n not in names]
    assert missing, (front, names)
    page.evaluate(f"""(() => {{
      const dot = Array.from(document.querySelectorAll('#scatter circle'))
        .find(c => c.querySelector('title').textContent.startsWith('{missing[0]}:'));
      dot.dispatchEvent(new MouseEvent('click', {{bubbles: true}})); }})()""")
    note = page.evaluate("document.getElementById('nomap').hidden ? '' : document.getElementById('nomap').textContent")
    assert f"solutions/{missing[0]}.toml" in note, note
    assert page.evaluate("Array.from(document.querySelectorAll('.solmap')).filter(m => !m.hidden).length") == 0


def test_comparison_maps_move_together(browser, pages):
    page = browser.open(pages["compare"].as_uri(), 1400, 1000)
    page.evaluate("void document.getElementById('parksim-compare-0').parksimMap.setZoom("
                  "document.getElementById('parksim-compare-0').parksimMap.getZoom() + 1, {animate: false})")
    page.settle()
    zooms = page.evaluate("Array.from(document.querySelectorAll('.leaflet-map')).map(m => m.parksimMap.getZoom())")
    assert zooms[0] == zooms[1] == zooms[2], zooms


def test_printed_report_shows_the_static_maps_instead_of_the_interactive_one(browser, pages):
    page = browser.open(pages["baseline"].as_uri(), 1400, 1000)
    page.send("Emulation.setEmulatedMedia", {"media": "print"})
    page.settle()
    shown = page.evaluate("""(() => ({
      interactive: getComputedStyle(document.getElementById('map')).display,
      static: Array.from(document.querySelectorAll('#landuse svg.map')).filter(s => s.getBoundingClientRect().width > 100).length
    }))()""")
    assert shown["interactive"] == "none"
    assert shown["static"] >= 3, shown  # the start year and the key years
