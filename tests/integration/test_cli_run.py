"""`parksim run` as a planner runs it: success, and every way it can be used wrongly (stderr, exit code, and
nothing the user had is overwritten)."""
import hashlib
import json
import os
from pathlib import Path

import pytest

from conftest import SOURCE_DIR

BASELINE = SOURCE_DIR / "scenarios" / "baseline.toml"
EXIT_USAGE, EXIT_CONFIG, EXIT_INPUT, EXIT_OUTPUT, EXIT_OUTPUT_EXISTS = 2, 3, 4, 8, 9


def tree_digest(root: Path, skip=("manifest.json",)):
    """SHA-256 of every file below root (relative path -> digest), except the named files."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name not in skip:
            out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def write_scenario(tmp_path, body, name="s.toml"):
    path = tmp_path / name
    path.write_text(f'extends = "{BASELINE}"\n' + body, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def baseline_run(parksim_bin, tmp_path_factory):
    import subprocess
    out = tmp_path_factory.mktemp("run") / "baseline"
    r = subprocess.run([parksim_bin, "run", str(BASELINE), "--out", str(out)], capture_output=True, text=True,
                       timeout=600)
    return r, out


def test_baseline_run_writes_the_bundle_and_says_where_the_report_is(baseline_run):
    r, out = baseline_run
    assert r.returncode == 0, r.stderr
    assert f"Report: {out / 'report' / 'index.html'}" in r.stdout
    for name in ("results.gpkg", "indicators.csv", "indicators.json", "manifest.json", "report/index.html"):
        assert (out / name).is_file(), name
    assert list((out / "rasters").glob("landuse_*.tif"))
    # For spreadsheets: UTF-8 with a byte order mark, so Excel shows the Chinese labels (docs: io/csv.hpp).
    assert (out / "indicators.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    header = (out / "indicators.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "scenario,year,indicator_id,label_zh,label_en,unit,value"
    ids = {row["indicator_id"] for row in json.loads((out / "indicators.json").read_text())["indicators"]} \
        if isinstance(json.loads((out / "indicators.json").read_text()), dict) else \
        {row["indicator_id"] for row in json.loads((out / "indicators.json").read_text())}
    for required in ("plan_total_km2", "phase12_km2", "phase3_km2", "developed_km2", "health_industry_land_mu",
                     "fillup_year_phase3", "alloc_gap_pct"):
        assert required in ids, required
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 20250101


def test_non_terminal_progress_is_plain_lines_on_stderr(baseline_run):
    r, _ = baseline_run
    assert "\r" not in r.stderr
    assert "parksim: [" in r.stderr


def test_same_seed_gives_the_same_bytes_except_the_manifest_times_at_any_thread_count(run, baseline_run, tmp_path):
    _, first = baseline_run  # threads = 0: all cores
    second = tmp_path / "again"
    r = run("run", BASELINE, "--out", second, "--quiet", "--threads", "1")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert tree_digest(first) == tree_digest(second)


def test_existing_output_is_refused_and_left_untouched(run, tmp_path):
    out = tmp_path / "existing"
    out.mkdir()
    (out / "mine.txt").write_text("the user's file", encoding="utf-8")
    r = run("run", BASELINE, "--out", out)
    assert r.returncode == EXIT_OUTPUT_EXISTS
    assert "--overwrite" in r.stderr and str(out) in r.stderr
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    assert (out / "mine.txt").read_text(encoding="utf-8") == "the user's file"


def test_missing_scenario_is_an_input_error(run, tmp_path):
    r = run("run", tmp_path / "nope.toml", "--out", tmp_path / "o")
    assert r.returncode == EXIT_INPUT
    assert "nope.toml: scenario file not found" in r.stderr
    assert not (tmp_path / "o").exists()


def test_unknown_key_names_line_and_key_with_a_suggestion(run, tmp_path):
    s = write_scenario(tmp_path, 'name = "typo"\n[demand]\nenterprise_grwth_rate = 0.05\n')
    r = run("run", s, "--out", tmp_path / "o")
    assert r.returncode == EXIT_CONFIG
    assert f"{s}:4: 'demand.enterprise_grwth_rate': unknown key; did you mean 'demand.enterprise_growth_rate'?" \
        in r.stderr
    assert not (tmp_path / "o").exists()


def test_wrong_type_is_a_config_error(run, tmp_path):
    s = write_scenario(tmp_path, 'name = "t"\nruns = "many"\n')
    r = run("run", s, "--out", tmp_path / "o")
    assert r.returncode == EXIT_CONFIG
    assert f"{s}:3: 'runs': must be integer, got a string" in r.stderr


def test_negative_rate_out_of_range_is_a_config_error(run, tmp_path):
    s = write_scenario(tmp_path, 'name = "n"\n[demand]\nenterprise_growth_rate = -0.9\n')
    r = run("run", s, "--out", tmp_path / "o")
    assert r.returncode == EXIT_CONFIG
    assert "'demand.enterprise_growth_rate': must be between" in r.stderr and "got -0.9" in r.stderr


def test_missing_geodata_is_an_input_error_naming_the_file(run, tmp_path):
    s = write_scenario(tmp_path, f'name = "g"\n[geodata]\npath = "{tmp_path / "missing.gpkg"}"\n')
    r = run("run", s, "--out", tmp_path / "o")
    assert r.returncode == EXIT_INPUT
    assert "missing.gpkg" in r.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_unwritable_folder_is_an_output_error(run, tmp_path):
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o500)
    try:
        r = run("run", BASELINE, "--out", parent / "o")
        assert r.returncode == EXIT_OUTPUT
    finally:
        parent.chmod(0o700)


def test_output_under_a_file_is_an_output_error_and_the_file_survives(run, tmp_path):
    # Works as root too: a regular file cannot hold a folder.
    blocker = tmp_path / "blocker"
    blocker.write_text("keep me", encoding="utf-8")
    r = run("run", BASELINE, "--out", blocker / "o", "--quiet")
    assert r.returncode == EXIT_OUTPUT, r.stderr
    assert "parksim: error:" in r.stderr
    assert blocker.read_text(encoding="utf-8") == "keep me"


def test_unknown_format_is_a_usage_error(run, tmp_path):
    r = run("run", BASELINE, "--out", tmp_path / "o", "--format", "kml")
    assert r.returncode == EXIT_USAGE
    assert "kml" in r.stderr
    assert not (tmp_path / "o").exists()


def test_help_of_run_has_examples(run):
    r = run("run", "--help")
    assert r.returncode == 0
    assert "Examples:" in r.stdout and "--overwrite" in r.stdout


def test_missing_parent_folders_of_the_output_are_created(run, tmp_path):
    out = tmp_path / "not" / "yet" / "there"
    r = run("run", BASELINE, "--out", out, "--quiet")
    assert r.returncode == 0, r.stderr
    assert (out / "report" / "index.html").is_file()


def test_default_output_folder_is_out_slash_scenario_name(run, tmp_path):
    r = run("run", BASELINE, "--quiet", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / "baseline" / "results.gpkg").is_file()


def test_info_on_an_output_folder_summarises_the_run(run, baseline_run):
    _, out = baseline_run
    r = run("info", out)
    assert r.returncode == 0, r.stderr
    assert "Scenario: baseline (2025 to 2035, seed 20250101, 5 run(s))" in r.stdout
    assert "health_industry_land_mu" in r.stdout
    j = run("info", out, "--json")
    assert j.returncode == 0, j.stderr
    info = json.loads(j.stdout)
    assert info["manifest"]["seed"] == 20250101
    assert any(row["indicator_id"] == "plan_total_km2" for row in info["indicators"])


def test_info_on_a_folder_that_is_not_a_bundle_is_an_input_error(run, tmp_path):
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    r = run("info", tmp_path)
    assert r.returncode == EXIT_INPUT
    assert "indicators.json is missing" in r.stderr
