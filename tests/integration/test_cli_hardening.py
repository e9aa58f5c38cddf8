"""The CLI against hostile or careless input (issue: bounded resources, interrupts, one truth between validate and
run, output names, secrets). Each test names the defect it guards: it failed before the fix and passes after."""
import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import SOURCE_DIR

BASELINE = SOURCE_DIR / "scenarios" / "baseline.toml"
EXIT_USAGE, EXIT_CONFIG, EXIT_INPUT, EXIT_DATA, EXIT_CRS, EXIT_GEOMETRY, EXIT_CANCELLED = 2, 3, 4, 5, 6, 7, 10


def write_scenario(tmp_path, body, name="s.toml"):
    path = tmp_path / name
    path.write_text(f'extends = "{BASELINE}"\n' + body, encoding="utf-8")
    return path


def run_with_peak(args, cwd=None, timeout=120):
    """Runs the command; returns (returncode, stderr, seconds, the child's own peak resident memory in MiB)."""
    started = time.monotonic()
    proc = subprocess.Popen([str(a) for a in args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid != 0:
            break
        if time.monotonic() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            pytest.fail(f"{args} ran longer than {timeout} s")
        time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode()
    proc.stderr.close()
    return proc.returncode, err, time.monotonic() - started, usage.ru_maxrss / 1024.0


def sparse_geotiff(path, cols, rows, origin=(0.0, 0.0), cell=1.0, epsg=4548):
    """A tiled GeoTIFF that claims cols x rows cells but holds no block: a few hundred KB on disk."""
    from osgeo import gdal, osr
    ds = gdal.GetDriverByName("GTiff").Create(str(path), cols, rows, 1, gdal.GDT_Byte,
                                              ["SPARSE_OK=YES", "TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512"])
    ds.SetGeoTransform([origin[0], cell, 0.0, origin[1], 0.0, -cell])
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds.SetProjection(srs.ExportToWkt())
    ds = None
    return path


def hidden_leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# ---- 1. Unbounded memory from small files -------------------------------------------------------------------------

def test_sparse_40000_square_previous_map_is_refused_before_it_is_read(parksim_bin, tmp_path):
    tif = sparse_geotiff(tmp_path / "huge.tif", 40000, 40000)
    assert tif.stat().st_size < 2_000_000
    scenario = write_scenario(tmp_path, f'name = "trend"\n[demand]\nmethod = "trend"\nprevious_map = "{tif}"\n'
                                        'previous_year = 2020\n')
    code, err, seconds, peak_mib = run_with_peak([parksim_bin, "run", scenario, "--out", tmp_path / "out", "--quiet"])
    assert code == EXIT_DATA, err  # refused as a map on another grid, from its description alone
    assert "40000 columns x 40000 rows" in err and "not on the run's grid" in err and "gdalwarp" in err, err
    assert seconds < 10 and peak_mib < 500, (seconds, peak_mib)
    assert not (tmp_path / "out").exists()


def test_calibrate_on_100000_square_maps_is_a_data_error_not_bad_alloc(parksim_bin, tmp_path):
    maps = []
    for year in (2005, 2010, 2015):
        vrt = tmp_path / f"lu_{year}.vrt"
        vrt.write_text('<VRTDataset rasterXSize="100000" rasterYSize="100000"><SRS>EPSG:4548</SRS>'
                       '<GeoTransform>440000, 1, 0, 4450000, 0, -1</GeoTransform>'
                       '<VRTRasterBand dataType="Byte" band="1"/></VRTDataset>')
        maps += ["--map", f"{year}={vrt}"]
    code, err, seconds, peak_mib = run_with_peak([parksim_bin, "calibrate", *maps, "--out", tmp_path / "calib"])
    assert code == EXIT_DATA, err
    assert "internal error" not in err and "bad_alloc" not in err
    assert "100000 x 100000 cells" in err and "memory budget" in err and "--max-memory" in err, err
    assert seconds < 10 and peak_mib < 500, (seconds, peak_mib)


def test_extends_dev_zero_is_refused_at_once(parksim_bin, tmp_path):
    scenario = tmp_path / "z.toml"
    scenario.write_text('name = "z"\nextends = "/dev/zero"\n')
    code, err, seconds, peak_mib = run_with_peak([parksim_bin, "validate", scenario])
    assert code == EXIT_CONFIG, err
    assert "z.toml:2: 'extends'" in err and "not a regular file" in err, err
    assert seconds < 5 and peak_mib < 200


def test_run_grid_beyond_the_memory_budget_is_refused_with_the_estimate(run, tmp_path):
    r = run("--max-memory", "20M", "run", BASELINE, "--out", tmp_path / "out", "--quiet")
    assert r.returncode == EXIT_DATA, r.stderr
    assert re.search(r"a run on the 30 m grid of \d+ x \d+ cells needs about \d+ MiB of memory, more than the memory "
                     r"budget of 20 MiB; choose a larger grid.cell_size_m", r.stderr), r.stderr
    assert not (tmp_path / "out").exists()


def test_unreadable_max_memory_is_a_usage_error_naming_the_value(run, tmp_path):
    r = run("run", BASELINE, "--out", tmp_path / "out", "--max-memory", "lots")
    assert r.returncode == EXIT_USAGE
    assert "'lots' is not a size" in r.stderr


# ---- 2. Outputs are folders or DSNs, never both --------------------------------------------------------------------

def test_run_out_pg_is_refused_and_the_password_never_printed(run, tmp_path):
    dsn = "PG:host=localhost dbname=parks user=planner password=s3cret-Pw"
    r = run("run", BASELINE, "--out", dsn, cwd=tmp_path)
    assert r.returncode == EXIT_USAGE, r.stderr
    assert "takes a folder, not a database" in r.stderr and "parksim export FOLDER --to" in r.stderr
    assert "s3cret-Pw" not in r.stdout + r.stderr
    assert "password=***" in r.stderr
    assert list(tmp_path.iterdir()) == []


# ---- 4. Output names ----------------------------------------------------------------------------------------------

def test_scenario_name_with_dot_dot_stays_inside_out(run, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    scenario = write_scenario(tmp_path, 'name = "../escaped"\n')
    r = run("run", scenario, "--quiet", cwd=work)
    assert r.returncode == 0, r.stderr
    assert (work / "out" / "_escaped" / "manifest.json").is_file()
    assert sorted(p.name for p in work.iterdir()) == ["out"]
    assert not (tmp_path / "escaped").exists()
    assert json.loads((work / "out" / "_escaped" / "manifest.json").read_text())["scenario"] == "../escaped"


def test_scenario_name_that_leaves_no_folder_name_is_refused(run, tmp_path):
    scenario = write_scenario(tmp_path, 'name = ".."\n')
    r = run("run", scenario, "--quiet", cwd=tmp_path)
    assert r.returncode == EXIT_CONFIG
    assert "gives no usable folder name; give the output folder with --out" in r.stderr
    assert not (tmp_path / "out").exists()


# ---- 5. Interrupts ------------------------------------------------------------------------------------------------

def interrupt_at(parksim_bin, args, line_pattern, signum, cwd):
    """Starts the command, sends `signum` once a progress line on stderr matches, returns (code, stderr)."""
    proc = subprocess.Popen([parksim_bin, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=cwd)
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if re.search(line_pattern, line):
            proc.send_signal(signum)
            break
    out, rest = proc.communicate(timeout=120)
    return proc.returncode, "".join(seen) + rest


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("stage", ["simulating year 2027", "writing landuse_2027.tif"])
def test_interrupt_exits_10_removes_temporaries_and_keeps_the_previous_output(parksim_bin, tmp_path, signum, stage):
    out = tmp_path / "out"
    first = subprocess.run([parksim_bin, "run", BASELINE, "--out", out, "--quiet"], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    code, err = interrupt_at(parksim_bin, ["run", BASELINE, "--out", out, "--overwrite", "--seed", "7"], stage,
                             signum, tmp_path)
    assert code == EXIT_CANCELLED, err
    assert "interrupted by" in err and "previous output is as it was" in err, err
    assert hidden_leftovers(tmp_path) == []
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


RENAMES = "rename,renameat,renameat2"


def strace_run(parksim_bin, out, *inject):
    cmd = ["strace", "-f", "-qq", "-o", "/dev/null", "-e", f"trace={RENAMES}"]
    for i in inject:
        cmd += ["-e", f"inject={i}"]
    return subprocess.run(cmd + [parksim_bin, "run", str(BASELINE), "--out", str(out), "--overwrite", "--quiet",
                                 "--seed", "11"], capture_output=True, text=True, timeout=300)


def bundle_complete(out):
    manifest = json.loads((out / "manifest.json").read_text())
    return all((out / f["path"]).is_file() for f in manifest["files"]) and manifest["seed"]


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace (packages/test.txt) is not installed")
def test_kill_at_each_rename_of_the_output_swap_leaves_a_complete_bundle_and_the_next_run_recovers(parksim_bin,
                                                                                                   tmp_path):
    out = tmp_path / "out"
    first = subprocess.run([parksim_bin, "run", BASELINE, "--out", out, "--quiet"], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    counted = subprocess.run(["strace", "-f", "-qq", "-c", "-e", f"trace={RENAMES}", "-o", str(tmp_path / "c.txt"),
                              parksim_bin, "run", BASELINE, "--out", out, "--overwrite", "--quiet"],
                             capture_output=True, text=True)
    assert counted.returncode == 0, counted.stderr
    calls = {line.split()[-1]: int(line.split()[3]) for line in (tmp_path / "c.txt").read_text().splitlines()
             if line.split() and line.split()[-1] in RENAMES.split(",")}
    files = calls.get("rename", 0)
    assert files > 5 and calls.get("renameat2") == 1, calls  # the files of the bundle, then the one swap
    # Renames inside the temporary bundle (first, middle, last file), then the swap itself.
    steps = [f"rename:signal=KILL:when={when}" for when in sorted({1, files // 2, files})]
    for step in steps + ["renameat2:signal=KILL:when=1"]:
        killed = strace_run(parksim_bin, out, step)
        assert killed.returncode != 0, step
        assert bundle_complete(out) == 20250101, step  # the previous bundle, whole
        again = subprocess.run([parksim_bin, "run", BASELINE, "--out", out, "--overwrite", "--quiet"],
                               capture_output=True, text=True)
        assert again.returncode == 0, again.stderr
        assert hidden_leftovers(tmp_path) == [], step
    # A filesystem without RENAME_EXCHANGE: the swap is two renames; a kill between them leaves no bundle in place
    # until the next run puts the previous one back.
    for extra in (1, 2):
        killed = strace_run(parksim_bin, out, "renameat2:error=EINVAL", f"rename:signal=KILL:when={files + extra}")
        assert killed.returncode != 0
        if extra == 1:
            assert bundle_complete(out) == 20250101
        else:
            assert not out.exists()  # killed between "old aside" and "new in"
            assert any(name.startswith(".out.old-") for name in hidden_leftovers(tmp_path))
        again = subprocess.run([parksim_bin, "run", BASELINE, "--out", out, "--quiet", "--seed", "5"],
                               capture_output=True, text=True)
        assert again.returncode == 9, again.stderr  # the previous bundle is back, so it is not overwritten
        assert bundle_complete(out) == 20250101
        assert hidden_leftovers(tmp_path) == []


# ---- 7. Messages --------------------------------------------------------------------------------------------------

def test_out_of_range_seed_is_echoed_as_given(run, tmp_path):
    r = run("run", BASELINE, "--seed", "18446744073709551615", "--out", tmp_path / "out")
    assert r.returncode == EXIT_USAGE
    assert "got 18446744073709551615" in r.stderr and "-1" not in r.stderr, r.stderr


# ---- 6. validate and run agree ------------------------------------------------------------------------------------

DISAGREEMENTS = {
    # with the baseline's beauty_health = 0.1 and outside = 0.1
    "zone shares summing to 1.2": ('[demand.zone_share]\nfrontier_tech = 0.5\nmedical_device = 0.5\n',
                                   "zone shares must sum to 1, they sum to 1.2"),
    "an unknown zone id": ('[demand.zone_share]\nmoon_base = 1.0\n', "no zone 'moon_base' in the plan"),
    "a negative enterprise growth rate inside the documented range": (
        '[demand]\nenterprise_growth_rate = -0.05\n', "falls below zero"),
    "a key year outside the run": ('[outputs]\nkey_years = [2050]\n', "2050 is outside the run's years"),
    "an allocation target for an unknown zone": ('[alloc.zone_min_km2]\nmoon = 1.0\n',
                                                 "'moon' is not a zone with expansion parcels"),
    "extends to a folder": ('', "is a folder; extends names the scenario file"),
}


@pytest.mark.parametrize("case", sorted(DISAGREEMENTS))
def test_validate_refuses_what_run_refuses_with_the_same_message(run, tmp_path, case):
    body, expected = DISAGREEMENTS[case]
    if case == "extends to a folder":
        scenario = tmp_path / "s.toml"
        scenario.write_text('name = "s"\nextends = "."\n')
    else:
        scenario = write_scenario(tmp_path, 'name = "s"\n' + body)
    checked = run("validate", scenario)
    ran = run("run", scenario, "--out", tmp_path / "out", "--quiet")
    assert ran.returncode == EXIT_CONFIG, ran.stderr
    assert checked.returncode == ran.returncode, checked.stdout + checked.stderr
    assert expected in ran.stderr, ran.stderr
    error_line = [line for line in ran.stderr.splitlines() if line.startswith("parksim: error:")]
    assert error_line and error_line[0] in checked.stderr
    assert not (tmp_path / "out").exists()


def test_a_folder_given_as_the_scenario_is_named_as_such_by_run(run, tmp_path):
    r = run("run", tmp_path, "--out", tmp_path / "out")
    assert r.returncode == EXIT_INPUT
    assert "is a folder, not a scenario file: give the file itself" in r.stderr


# ---- 3. CRS plausibility ------------------------------------------------------------------------------------------

BUNDLED = SOURCE_DIR / "geodata" / "zgc_life_science_park.gpkg"


def test_longitude_latitude_in_a_layer_labelled_epsg_4548_is_a_crs_error_naming_layer_feature_coordinate(run,
                                                                                                        tmp_path):
    lonlat = tmp_path / "lonlat.gpkg"
    mislabelled = tmp_path / "mislabelled.gpkg"
    subprocess.run(["ogr2ogr", "-f", "GPKG", lonlat, BUNDLED, "-t_srs", "EPSG:4490"], check=True)
    subprocess.run(["ogr2ogr", "-f", "GPKG", mislabelled, lonlat, "-a_srs", "EPSG:4548"], check=True)
    r = run("validate", mislabelled)
    assert r.returncode == EXIT_CRS, r.stdout + r.stderr
    assert re.search(r"layer '\w+': feature \d+ .*: at \(11\d\.\d+, \d\d\.\d+\): coordinate .* lies outside the area "
                     r"of use of the layer's CRS EPSG:4548", r.stderr), r.stderr
    assert "look like longitude/latitude" in r.stderr and "ogr2ogr -a_srs EPSG:4490" in r.stderr


def test_a_parcel_at_1e295_is_a_geometry_error(run, tmp_path):
    from osgeo import ogr
    far = tmp_path / "far.gpkg"
    subprocess.run(["ogr2ogr", "-f", "GPKG", far, BUNDLED], check=True)
    ds = ogr.Open(str(far), 1)
    layer = ds.GetLayerByName("parcels")
    feature = layer.GetNextFeature()
    feature.SetGeometry(ogr.CreateGeometryFromWkt(
        "POLYGON ((1e295 1e295, 1.0001e295 1e295, 1.0001e295 1.0001e295, 1e295 1.0001e295, 1e295 1e295))"))
    layer.SetFeature(feature)
    fid = feature.GetFID()
    ds = None
    r = run("validate", far)
    assert r.returncode == EXIT_GEOMETRY, r.stdout + r.stderr
    assert f"layer 'parcels': feature {fid}" in r.stderr and "out of range" in r.stderr, r.stderr


@pytest.fixture
def small_disk(tmp_path):
    """A 200 KiB tmpfs: a full disk for the export (needs root and mount; skipped elsewhere)."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


def test_full_disk_during_shapefile_export_says_the_disk_is_full(run, baseline_bundle, small_disk):
    r = run("export", baseline_bundle, "--format", "shp", "--to", small_disk / "shp")
    assert r.returncode == 8, r.stderr
    assert "the disk is full" in r.stderr and "free some space or write to another disk" in r.stderr, r.stderr
    assert list(small_disk.iterdir()) == []


@pytest.fixture(scope="module")
def baseline_bundle(parksim_bin, tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle") / "baseline"
    r = subprocess.run([parksim_bin, "run", str(BASELINE), "--out", str(out), "--quiet"], capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return out


def test_calibrate_on_all_nodata_maps_names_the_map_and_its_nodata(run, baseline_bundle, tmp_path):
    from osgeo import gdal
    source = baseline_bundle / "rasters" / "landuse_2025.tif"
    maps = []
    for year in (2005, 2010, 2015):
        path = tmp_path / f"lu_{year}.tif"
        ds = gdal.Translate(str(path), str(source), format="GTiff")
        band = ds.GetRasterBand(1)
        band.Fill(255)
        ds = None
        maps += ["--map", f"{year}={path}"]
    r = run("calibrate", *maps, "--out", tmp_path / "calib")
    assert r.returncode == EXIT_DATA, r.stderr
    assert "no cell with data (every cell is nodata)" in r.stderr, r.stderr
    assert "lu_2005.tif" in r.stderr and "'study.maps.2005'" in r.stderr and "no class grows" not in r.stderr


def test_unknown_source_encoding_in_a_mapping_file_names_it(run, tmp_path):
    shp = tmp_path / "shp"
    subprocess.run(["ogr2ogr", "-f", "ESRI Shapefile", shp, BUNDLED, "parcels", "phases", "-lco", "ENCODING=UTF-8"],
                   check=True, capture_output=True)
    for cpg in shp.glob("*.cpg"):
        cpg.unlink()
    mapping = tmp_path / "m.toml"
    mapping.write_text('source_encoding = "GBKK"\n')
    r = run("validate", shp, "--mapping", mapping)
    assert r.returncode == EXIT_CONFIG, r.stderr
    assert "source_encoding 'GBKK' is not an encoding this system knows" in r.stderr, r.stderr


def test_a_mapped_layer_that_is_absent_is_named_as_the_user_wrote_it(run, tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text('[layers.parcels]\nlayer = "dikuai"\n')
    r = run("validate", BUNDLED, "--mapping", mapping)
    assert r.returncode == EXIT_DATA, r.stderr
    assert "names layer 'dikuai' for parcels, but the dataset has no such layer" in r.stderr, r.stderr
