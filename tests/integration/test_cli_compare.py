"""`parksim compare OUTDIR... --out DIR`: runs side by side with deltas."""
import csv
import shutil
import subprocess

import pytest

from conftest import SOURCE_DIR

EXIT_USAGE, EXIT_OUTPUT_EXISTS = 2, 9


@pytest.fixture(scope="module")
def bundles(parksim_bin, tmp_path_factory):
    root = tmp_path_factory.mktemp("compare")
    out = []
    for name in ("baseline", "slow_growth"):
        dest = root / name
        r = subprocess.run([parksim_bin, "run", str(SOURCE_DIR / "scenarios" / f"{name}.toml"), "--out", str(dest),
                            "--quiet"], capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr
        out.append(dest)
    return out


def test_compare_two_runs_writes_html_and_csv_with_deltas(run, bundles, tmp_path):
    dest = tmp_path / "cmp"
    r = run("compare", *bundles, "--out", dest)
    assert r.returncode == 0, r.stderr
    html = (dest / "index.html").read_text(encoding="utf-8")
    assert "baseline" in html and "slow_growth" in html
    assert "Δ slow_growth" in html
    assert (dest / "comparison.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # for spreadsheets
    rows = list(csv.DictReader((dest / "comparison.csv").open(encoding="utf-8-sig")))
    assert rows, "comparison.csv has no rows"
    assert {"baseline", "slow_growth", "delta slow_growth"} <= set(rows[0])
    by_id = {(r["year"], r["indicator_id"]): r for r in rows}
    plan = by_id[("", "plan_total_km2")]
    assert float(plan["baseline"]) == pytest.approx(7.2, rel=1e-3)
    assert float(plan["delta slow_growth"]) == pytest.approx(0.0, abs=1e-9)
    # Every delta is the difference of the two columns.
    checked = 0
    for row in rows:
        if row["baseline"] and row["slow_growth"]:
            assert float(row["delta slow_growth"]) == pytest.approx(float(row["slow_growth"]) - float(row["baseline"]))
            checked += 1
    assert checked >= 5


def test_compare_refuses_an_existing_output_folder(run, bundles, tmp_path):
    dest = tmp_path / "cmp"
    dest.mkdir()
    r = run("compare", *bundles, "--out", dest)
    assert r.returncode == EXIT_OUTPUT_EXISTS
    assert list(dest.iterdir()) == []


def test_compare_with_one_bundle_is_a_usage_error(run, bundles, tmp_path):
    r = run("compare", bundles[0], "--out", tmp_path / "one")
    assert r.returncode == EXIT_USAGE
    assert "at least 2" in r.stderr
    assert not (tmp_path / "one").exists()


def test_compare_of_a_folder_that_is_no_bundle_is_an_input_error(run, bundles, tmp_path):
    r = run("compare", bundles[0], tmp_path, "--out", tmp_path / "x")
    assert r.returncode == 4
    assert "indicators.json" in r.stderr and "indicators.csv" in r.stderr


def test_compare_reads_indicators_csv_when_the_json_is_missing(run, bundles, tmp_path):
    csv_only = tmp_path / "slow_growth"
    csv_only.mkdir()
    for name in ("indicators.csv", "manifest.json"):
        shutil.copy(bundles[1] / name, csv_only / name)
    r = run("compare", bundles[0], bundles[1], "--out", tmp_path / "from_json")
    assert r.returncode == 0, r.stderr
    r = run("compare", bundles[0], csv_only, "--out", tmp_path / "from_csv")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "from_csv" / "comparison.csv").read_bytes() == \
        (tmp_path / "from_json" / "comparison.csv").read_bytes()
