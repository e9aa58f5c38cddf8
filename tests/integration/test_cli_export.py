"""`parksim export OUTDIR --format F --to DEST` to folders, as a user runs it."""
import re
import sqlite3
import subprocess

import pytest

from conftest import SOURCE_DIR

EXIT_USAGE, EXIT_INPUT, EXIT_OUTPUT_EXISTS = 2, 4, 9
SPATIAL = ["parcels", "zones", "phases", "corridor", "corridor_band", "bases", "stations"]


@pytest.fixture(scope="module")
def bundle(parksim_bin, tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "baseline"
    r = subprocess.run([parksim_bin, "run", str(SOURCE_DIR / "scenarios" / "baseline.toml"), "--out", str(out),
                        "--quiet"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return out


def feature_counts(path, *layers):
    """layer -> feature count as ogrinfo (GDAL's own tool) reports it."""
    r = subprocess.run(["ogrinfo", "-ro", "-so", "-al", str(path), *layers], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    counts = {}
    layer = None
    for line in r.stdout.splitlines():
        m = re.match(r"Layer name: (.*)", line)
        if m:
            layer = m.group(1).strip()
        m = re.match(r"Feature Count: (\d+)", line)
        if m:
            counts[layer] = int(m.group(1))
    return counts


@pytest.fixture(scope="module")
def source_counts(bundle):
    return feature_counts(bundle / "results.gpkg")


def test_export_gpkg_copies_every_layer_with_its_styles(run, bundle, source_counts, tmp_path):
    dest = tmp_path / "gpkg"
    r = run("export", bundle, "--format", "gpkg", "--to", dest)
    assert r.returncode == 0, r.stderr
    counts = feature_counts(dest / "results.gpkg")
    for layer in SPATIAL + ["indicators"]:
        assert counts[layer] == source_counts[layer] and counts[layer] >= 0
    assert counts["parcels"] >= 150
    styles = feature_counts(dest / "results.gpkg", "layer_styles")
    assert styles["layer_styles"] == source_counts["layer_styles"] > 0


def test_export_shp_writes_a_shapefile_per_layer_with_qml_styles(run, bundle, source_counts, tmp_path):
    dest = tmp_path / "shp"
    r = run("export", bundle, "--format", "shp", "--to", dest)
    assert r.returncode == 0, r.stderr
    assert feature_counts(dest / "parcels.shp")["parcels"] == source_counts["parcels"]
    assert (dest / "parcels.cpg").read_text().strip() == "UTF-8"
    assert "<qgis" in (dest / "parcels.qml").read_text(encoding="utf-8")
    assert (dest / "zones.qml").exists()
    # Long free text cannot fit a DBF field: cut at a character boundary, and the user is told.
    with sqlite3.connect(bundle / "results.gpkg") as db:
        longest = db.execute("SELECT max(length(CAST(source AS BLOB))) FROM phases").fetchone()[0] or 0
    assert ("DBF" in r.stderr) == (longest > 254), r.stderr
    assert feature_counts(dest / "phases.shp")["phases"] == source_counts["phases"]


@pytest.mark.parametrize("fmt,ext", [("fgb", "fgb"), ("geojson", "geojson")])
def test_export_single_layer_formats_write_one_file_per_spatial_layer(run, bundle, source_counts, tmp_path, fmt, ext):
    dest = tmp_path / fmt
    r = run("export", bundle, "--format", fmt, "--to", dest)
    assert r.returncode == 0, r.stderr
    written = sorted(p.stem for p in dest.iterdir())
    expected = sorted(layer for layer in SPATIAL if source_counts.get(layer, 0) > 0)
    assert written == expected
    assert feature_counts(dest / f"parcels.{ext}")["parcels"] == source_counts["parcels"]


def test_export_onto_an_existing_folder_is_refused_and_leaves_it_untouched(run, bundle, tmp_path):
    dest = tmp_path / "taken"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    r = run("export", bundle, "--format", "gpkg", "--to", dest)
    assert r.returncode == EXIT_OUTPUT_EXISTS
    assert "exists" in r.stderr
    assert [p.name for p in dest.iterdir()] == ["keep.txt"]
    r = run("export", bundle, "--format", "gpkg", "--to", dest, "--overwrite")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in dest.iterdir()) == ["results.gpkg"]


def test_export_of_a_folder_that_is_no_bundle_names_what_is_missing(run, tmp_path):
    r = run("export", tmp_path, "--format", "gpkg", "--to", tmp_path / "x")
    assert r.returncode == EXIT_INPUT
    assert "results.gpkg" in r.stderr
    assert not (tmp_path / "x").exists()


def test_export_unknown_format_is_a_usage_error(run, bundle, tmp_path):
    r = run("export", bundle, "--format", "kml", "--to", tmp_path / "k")
    assert r.returncode == EXIT_USAGE
    assert "kml" in r.stderr
    assert not (tmp_path / "k").exists()


def test_export_to_an_unreachable_database_is_exit_12_without_the_password(run, bundle, tmp_path):
    r = run("export", bundle, "--to", "PG:host=127.0.0.1 port=1 dbname=nowhere password=hunter2 connect_timeout=2")
    assert r.returncode == 12, r.stderr
    assert r.stderr.startswith("parksim: error:")
    assert "hunter2" not in r.stderr and "***" in r.stderr


def test_export_help_has_examples(run):
    r = run("export", "--help")
    assert r.returncode == 0
    assert "Examples:" in r.stdout and "PG:" in r.stdout


def test_export_to_a_folder_without_format_is_a_usage_error(run, bundle, tmp_path):
    r = run("export", bundle, "--to", tmp_path / "nf")
    assert r.returncode == EXIT_USAGE
    assert "--format" in r.stderr
    assert not (tmp_path / "nf").exists()
