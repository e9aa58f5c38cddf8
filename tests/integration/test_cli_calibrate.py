"""`parksim calibrate` as a user runs it: a series of GeoTIFFs written with GDAL's Python bindings."""
import math

import pytest

gdal = pytest.importorskip("osgeo.gdal")
osr = pytest.importorskip("osgeo.osr")

EXIT_USAGE, EXIT_DATA, EXIT_CRS, EXIT_OUTPUT_EXISTS = 2, 5, 6, 9
SIDE = 60


def _write(path, values, with_crs=True, origin_x=440000.0, dtype=None):
    dtype = dtype or gdal.GDT_Byte
    ds = gdal.GetDriverByName("GTiff").Create(str(path), SIDE, SIDE, 1, dtype)
    ds.SetGeoTransform((origin_x, 30.0, 0.0, 4460000.0, 0.0, -30.0))
    if with_crs:
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(4548)
        ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    if dtype == gdal.GDT_Byte:
        band.WriteRaster(0, 0, SIDE, SIDE, bytes(values))
    else:
        import struct
        band.WriteRaster(0, 0, SIDE, SIDE, struct.pack(f"{SIDE * SIDE}f", *values))
    ds = None


def _series(tmp_path, with_crs=True):
    """Urban land (1) spreading from a town at the road (column 20): each date adds the open cells nearest the
    town and the road, a ring at a time, so the change is predictable from distance to the road and to town."""
    road = [abs(c - 20) * 30.0 for r in range(SIDE) for c in range(SIDE)]
    score = [math.hypot(r - 30, c - 20) + 0.5 * abs(c - 20) for r in range(SIDE) for c in range(SIDE)]
    order = sorted(range(SIDE * SIDE), key=lambda i: (score[i], i))
    paths = []
    for k, year in enumerate((2000, 2005, 2010, 2015)):
        cells = [0] * (SIDE * SIDE)
        for i in order[: 40 + 120 * k]:
            cells[i] = 1
        p = tmp_path / f"landuse_{year}.tif"
        _write(p, cells, with_crs)
        paths.append(p)
    road_path = tmp_path / "road.tif"
    _write(road_path, road, with_crs, dtype=gdal.GDT_Float32)
    return paths, road_path


def test_calibrates_a_series_and_writes_the_fragment(run, tmp_path):
    paths, road = _series(tmp_path)
    out = tmp_path / "calib"
    args = ["calibrate", *[a for p in paths for a in ("--map", p)], "--driver", f"dist_road_m={road}",
            "--budget", "10", "--out", out]
    r = run(*args)
    assert r.returncode == 0, r.stderr
    assert "figure_of_merit" in r.stdout and "persistence" in r.stdout
    assert "Simulation tuned on 2005-2010: 10 evaluations" in r.stdout
    assert str(out / "calibration.toml") in r.stdout
    toml = (out / "calibration.toml").read_text()
    assert "[sim]\nneighbourhood_weight = " in toml
    assert "[suitability.coefficients.class_1]" in toml and "dist_road_m = " in toml
    csv = (out / "calibration_metrics.csv").read_text().splitlines()
    assert csv[0] == "id,scope,class_code,label,unit,value"
    fom = {line.split(",")[1]: float(line.split(",")[-1]) for line in csv if line.startswith("figure_of_merit,")}
    assert fom["model"] > fom["persistence"]
    total = {line.split(",")[1]: float(line.split(",")[-1]) for line in csv if line.startswith("total_disagreement,")}
    assert total["model"] < total["persistence"]

    # Same seed, same bytes; an existing output needs --overwrite.
    again = run(*args)
    assert again.returncode == EXIT_OUTPUT_EXISTS
    first = (out / "calibration.toml").read_bytes()
    assert run(*args, "--overwrite").returncode == 0
    assert (out / "calibration.toml").read_bytes() == first


def test_class_keys_name_the_classes_of_the_fragment(run, tmp_path):
    paths, road = _series(tmp_path)
    out = tmp_path / "calib"
    r = run("calibrate", *[a for p in paths for a in ("--map", p)], "--driver", f"dist_road_m={road}", "--budget", "4",
            "--class-keys", "open,urban", "--out", out)
    assert r.returncode == 0, r.stderr
    toml = (out / "calibration.toml").read_text()
    assert "[suitability.coefficients.urban]" in toml and "\ndist_class_urban_m = " in toml
    assert "class_1" not in toml
    bad = run("calibrate", *[a for p in paths for a in ("--map", p)], "--class-keys", "open", "--out", tmp_path / "b")
    assert bad.returncode == 3 and "1 class keys for 2 class codes" in bad.stderr


def test_mismatched_raster_is_a_data_error_naming_the_file(run, tmp_path):
    paths, _ = _series(tmp_path)
    bad = tmp_path / "shifted_2015.tif"
    _write(bad, [0] * (SIDE * SIDE), origin_x=440030.0)
    r = run("calibrate", "--map", f"2000={paths[0]}", "--map", f"2005={paths[1]}", "--map", f"2015={bad}",
            "--out", tmp_path / "o")
    assert r.returncode == EXIT_DATA, r.stderr
    assert "shifted_2015.tif" in r.stderr


def test_raster_without_crs_needs_crs_option(run, tmp_path):
    paths, _ = _series(tmp_path, with_crs=False)
    maps = [a for p in paths for a in ("--map", p)]
    r = run("calibrate", *maps, "--budget", "3", "--out", tmp_path / "o")
    assert r.returncode == EXIT_CRS, r.stderr
    assert "landuse_2000.tif" in r.stderr and "--crs" in r.stderr
    r = run("calibrate", *maps, "--budget", "3", "--crs", "EPSG:4548", "--out", tmp_path / "o")
    assert r.returncode == 0, r.stderr


def test_two_maps_are_a_usage_error(run, tmp_path):
    paths, _ = _series(tmp_path)
    r = run("calibrate", "--map", paths[0], "--map", paths[1], "--out", tmp_path / "o")
    assert r.returncode == EXIT_USAGE
    assert "at least 3" in r.stderr


def test_help_has_an_example(run):
    r = run("calibrate", "--help")
    assert r.returncode == 0
    assert "Example:" in r.stdout and "--map 2005=" in r.stdout
