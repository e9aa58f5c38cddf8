"""`parksim optimize` as a planner runs it: the search on a coarse copy of the bundled plan search, its outputs, a
solution that runs with `parksim run`, and bad input (exit code, file:line and key on stderr, nothing written)."""
import csv
import sqlite3
from pathlib import Path

import pytest

from conftest import SOURCE_DIR

SEARCH = SOURCE_DIR / "scenarios" / "optimize_zones.toml"
EXIT_CONFIG, EXIT_OUTPUT_EXISTS = 3, 9
# A coarse grid and a small population keep the search to a few seconds: 8 settings x (1 + 2 generations).
def coarse_scenario(tmp_path, extra="", generations=2, name="search.toml"):
    path = tmp_path / name
    path.write_text(f'extends = "{SEARCH}"\nname = "search"\n[grid]\ncell_size_m = 150.0\n'
                    f'[optimize]\npopulation = 8\ngenerations = {generations}\n' + extra, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def searched(parksim_bin, tmp_path_factory):
    import subprocess
    tmp = tmp_path_factory.mktemp("optimize")
    scenario = coarse_scenario(tmp)
    out = tmp / "front"
    r = subprocess.run([parksim_bin, "optimize", str(scenario), "--out", str(out), "--threads", "2"],
                       capture_output=True, text=True, timeout=600)
    return r, out, scenario


def test_the_search_writes_the_front_history_solutions_and_report(searched):
    r, out, _ = searched
    assert r.returncode == 0, r.stderr
    assert "solution_01" in r.stdout and "(scenario)" in r.stdout
    assert "health_industry_developed_mu@2035 (max, ≥ 3000)" in r.stdout
    with open(out / "pareto.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows, "an empty front"
    for row in rows:
        assert 0.2 <= float(row["demand.zone_share.frontier_tech"]) <= 0.6
        assert float(row["phases.open_year.3"]).is_integer()
        assert float(row["health_industry_developed_mu@2035_mean"]) >= 3000.0  # the constraint holds
        assert row["feasible"] == "1"
    with open(out / "history.csv", encoding="utf-8") as f:
        history = list(csv.DictReader(f))
    assert [int(h["generation"]) for h in history] == [0, 1, 2]
    assert float(history[-1]["hypervolume"]) >= float(history[0]["hypervolume"])
    with sqlite3.connect(out / "pareto.gpkg") as db:
        assert db.execute("select count(*) from pareto").fetchone()[0] == len(rows)
        assert db.execute("select count(*) from history").fetchone()[0] == 3
    html = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert "Pareto front" in html and "front-data" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html  # no network
    assert sorted(p.name for p in (out / "solutions").iterdir()) == [f"solution_{i:02}.toml" for i in
                                                                     range(1, len(rows) + 1)]


def test_a_written_solution_runs_with_parksim_run(searched, run, tmp_path):
    r, out, _ = searched
    assert r.returncode == 0, r.stderr
    solution = out / "solutions" / "solution_01.toml"
    text = solution.read_text(encoding="utf-8")
    assert text.startswith("#") and "extends = " in text
    ran = run("run", solution, "--out", tmp_path / "solution")
    assert ran.returncode == 0, ran.stderr
    with open(tmp_path / "solution" / "indicators.csv", encoding="utf-8-sig") as f:
        measured = {(row["indicator_id"], row["year"]): row["value"] for row in csv.DictReader(f)}
    with open(out / "pareto.csv", encoding="utf-8") as f:
        first = next(csv.DictReader(f))
    # One run per evaluation: the run of the solution measures what the search measured.
    assert float(measured[("zone_area_km2.beauty_health", "2035")]) == pytest.approx(
        float(first["zone_area_km2.beauty_health@2035_mean"]), rel=1e-9)


@pytest.mark.parametrize("lever, key, message", [
    ('key = "demand.growth"\nmin = 0.0\nmax = 1.0', "optimize.levers[3].key", "no scenario key"),
    ('key = "demand.method"\nmin = 0.0\nmax = 1.0', "optimize.levers[3].key", "not numeric"),
    ('key = "demand.floor_area_ratio"\nmin = 2.0\nmax = 1.0', "optimize.levers[3].max", "bounds reversed"),
])
def test_a_bad_lever_is_a_config_error_naming_file_line_and_key(run, tmp_path, lever, key, message):
    # The extending file's [[optimize.levers]] replaces the array: three levers, then the bad one (index 3).
    base = SEARCH.read_text(encoding="utf-8")
    levers = base[base.index("[[optimize.levers]]"):base.index("[[optimize.objectives]]")]
    scenario = coarse_scenario(tmp_path, levers + "[[optimize.levers]]\n" + lever + "\n")
    out = tmp_path / "out"
    r = run("optimize", scenario, "--out", out)
    assert r.returncode == EXIT_CONFIG, r.stderr
    assert f"{scenario}:" in r.stderr and f"'{key}'" in r.stderr and message in r.stderr
    assert not out.exists()


def test_an_unknown_indicator_names_its_line(run, tmp_path):
    scenario = coarse_scenario(
        tmp_path, '[[optimize.objectives]]\nindicator = "zone_area_km2.moon"\ndirection = "max"\n'
                  '[[optimize.objectives]]\nindicator = "developed_km2"\ndirection = "min"\n')
    out = tmp_path / "out"
    r = run("optimize", scenario, "--out", out)
    assert r.returncode == EXIT_CONFIG, r.stderr
    assert "no indicator 'zone_area_km2.moon'" in r.stderr and "optimize.objectives[0].indicator" in r.stderr
    assert not out.exists()


def test_a_constraint_no_setting_meets_lists_the_closest_and_writes_nothing(run, tmp_path):
    scenario = coarse_scenario(
        tmp_path, '[[optimize.constraints]]\nindicator = "developed_km2"\nmax = 0.5\n', generations=1)
    out = tmp_path / "out"
    r = run("optimize", scenario, "--out", out)
    assert r.returncode == EXIT_CONFIG, r.stderr
    assert "none of the" in r.stderr and "the closest:" in r.stderr and "developed_km2 = " in r.stderr
    assert not out.exists()


def test_an_existing_output_is_refused_before_the_search(run, searched, tmp_path):
    _, _, scenario = searched
    out = tmp_path / "taken"
    out.mkdir()
    (out / "mine.txt").write_text("keep", encoding="utf-8")
    r = run("optimize", scenario, "--out", out)
    assert r.returncode == EXIT_OUTPUT_EXISTS
    assert "--overwrite" in r.stderr
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


def test_ctrl_c_during_the_search_stops_it_with_exit_10_and_writes_nothing(parksim_bin, tmp_path):
    import signal
    import subprocess
    scenario = coarse_scenario(tmp_path, generations=2000)  # far longer than the test waits
    out = tmp_path / "out"
    proc = subprocess.Popen([parksim_bin, "optimize", str(scenario), "--out", str(out)], stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True)
    for line in proc.stderr:  # progress lines: the search has started
        if "generation 0 of 2000" in line:
            break
    proc.send_signal(signal.SIGINT)
    rest = proc.stderr.read()
    assert proc.wait(timeout=120) == 10
    assert "interrupted by SIGINT" in rest
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["search.toml"]
