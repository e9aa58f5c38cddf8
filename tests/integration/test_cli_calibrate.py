"""`parksim calibrate` as a user runs it: a series of GeoTIFFs written with GDAL's Python bindings."""
import math
import re

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


def test_calibrates_a_series_into_a_scenario_that_forecasts(run, tmp_path):
    paths, road = _series(tmp_path)
    out = tmp_path / "calib"
    args = ["calibrate", *[a for p in paths for a in ("--map", p)], "--driver", f"dist_road_m={road}",
            "--budget", "10", "--out", out]
    r = run(*args)
    assert r.returncode == 0, r.stderr
    assert "figure_of_merit" in r.stdout and "persistence" in r.stdout
    tuned = re.search(r"Simulation tuned on 2005-2010: (\d+) evaluations", r.stdout)
    assert tuned and 1 <= int(tuned.group(1)) <= 10, r.stdout
    assert "Growth: organic and new patches\n  observed 2000-2005: " in r.stdout
    assert str(out / "calibrated.toml") in r.stdout
    toml = (out / "calibrated.toml").read_text()
    assert "\n[sim]\n" in toml and "neighbourhood_weight = " in toml
    assert "[suitability.coefficients.class_1]" in toml and "dist_road_m = " in toml
    assert "mode = 'given'" in toml and "method = 'auto'" in toml
    # The inputs are referenced relative to the calibrated scenario, so the folder can move with its data.
    assert "'../landuse_2015.tif'" in toml and "'../road.tif'" in toml
    csv = (out / "calibration_metrics.csv").read_text().splitlines()
    assert csv[0] == "id,scope,class_code,label,unit,value"
    fom = {line.split(",")[1]: float(line.split(",")[-1]) for line in csv if line.startswith("figure_of_merit,")}
    assert fom["model"] > fom["persistence"]
    total = {line.split(",")[1]: float(line.split(",")[-1]) for line in csv if line.startswith("total_disagreement,")}
    assert total["model"] < total["persistence"]

    # Same seed, same bytes; an existing output needs --overwrite.
    again = run(*args)
    assert again.returncode == EXIT_OUTPUT_EXISTS and "--overwrite" in again.stderr
    first = (out / "calibrated.toml").read_bytes()
    assert run(*args, "--overwrite").returncode == 0
    assert (out / "calibrated.toml").read_bytes() == first

    # The calibrated scenario forecasts from the latest map (2015) with the user's class codes on the user's grid.
    f = run("run", out / "calibrated.toml", "--end", "2020", "--out", tmp_path / "forecast", "--quiet")
    assert f.returncode == 0, f.stderr
    assert "2015 to 2020" in f.stdout
    ds = gdal.Open(str(tmp_path / "forecast" / "rasters" / "landuse_2020.tif"))
    assert ds.GetGeoTransform() == (440000.0, 30.0, 0.0, 4460000.0, 0.0, -30.0)
    values = set(ds.GetRasterBand(1).ReadAsArray().ravel().tolist())
    assert values <= {0, 1}
    urban = int((ds.GetRasterBand(1).ReadAsArray() == 1).sum())
    assert urban > 40 + 120 * 3  # more urban land than in 2015


def test_a_study_scenario_calibrates_and_its_start_is_the_latest_map(run, tmp_path):
    paths, road = _series(tmp_path)
    scenario = tmp_path / "study.toml"
    scenario.write_text(
        'name = "ring-town"\nseed = 3\n[study.maps]\n'
        + "".join(f'{2000 + 5 * k} = "{p.name}"\n' for k, p in enumerate(paths))
        + '[classes.codes.0]\nkey = "open"\n[classes.codes.1]\nkey = "urban"\nbuilt = true\n'
        '[drivers.dist_road_m]\nkind = "value"\nsource = "road.tif"\n'
        '[drivers.dist_urban_m]\nkind = "distance"\nclasses = ["urban"]\n', encoding="utf-8")
    out = tmp_path / "calib"
    r = run("calibrate", scenario, "--budget", "6", "--out", out)
    assert r.returncode == 0, r.stderr
    assert "class 'urban'" in r.stdout and "drivers: dist_road_m, dist_urban_m" in r.stdout
    toml = (out / "calibrated.toml").read_text()
    assert "[suitability.coefficients.urban]" in toml and "dist_urban_m = " in toml
    assert "name = 'ring-town-calibrated'" in toml
    f = run("run", out / "calibrated.toml", "--end", "2018", "--out", tmp_path / "f", "--quiet")
    assert f.returncode == 0, f.stderr
    assert "2015 to 2018" in f.stdout and "urban" in f.stdout.lower()


def test_class_keys_name_the_classes(run, tmp_path):
    paths, road = _series(tmp_path)
    out = tmp_path / "calib"
    r = run("calibrate", *[a for p in paths for a in ("--map", p)], "--driver", f"dist_road_m={road}", "--budget", "4",
            "--class-keys", "open,urban", "--out", out)
    assert r.returncode == 0, r.stderr
    toml = (out / "calibrated.toml").read_text()
    assert "[suitability.coefficients.urban]" in toml and " dist_class_urban_m = " in toml
    assert "class_1" not in toml
    bad = run("calibrate", *[a for p in paths for a in ("--map", p)], "--class-keys", "open,ur ban", "--out",
              tmp_path / "b")
    assert bad.returncode == EXIT_USAGE and "'ur ban' is not a class key" in bad.stderr


def test_mismatched_raster_is_a_data_error_naming_the_file_and_the_aligning_command(run, tmp_path):
    paths, _ = _series(tmp_path)
    bad = tmp_path / "shifted_2015.tif"
    _write(bad, [0] * (SIDE * SIDE), origin_x=440030.0)
    r = run("calibrate", "--map", f"2000={paths[0]}", "--map", f"2005={paths[1]}", "--map", f"2015={bad}",
            "--out", tmp_path / "o")
    assert r.returncode == EXIT_DATA, r.stderr
    # The run's grid is the latest map's: the message names both maps and aligns the other one.
    assert "shifted_2015.tif" in r.stderr and "landuse_2000.tif" in r.stderr
    assert "gdalwarp -t_srs EPSG:4548 -te 440030 4458200 441830 4460000 -tr 30 30 -r near" in r.stderr


def test_raster_without_crs_needs_crs_option(run, tmp_path):
    paths, _ = _series(tmp_path, with_crs=False)
    maps = [a for p in paths for a in ("--map", p)]
    r = run("calibrate", *maps, "--budget", "3", "--out", tmp_path / "o")
    assert r.returncode == EXIT_CRS, r.stderr
    assert "landuse_2015.tif" in r.stderr and "--crs" in r.stderr
    r = run("calibrate", *maps, "--budget", "3", "--crs", "EPSG:4548", "--out", tmp_path / "o")
    assert r.returncode == 0, r.stderr


def test_one_map_is_a_usage_error(run, tmp_path):
    paths, _ = _series(tmp_path)
    r = run("calibrate", "--map", paths[0], "--out", tmp_path / "o")
    assert r.returncode == EXIT_USAGE
    assert "at least 2" in r.stderr


def test_help_has_an_example(run):
    r = run("calibrate", "--help")
    assert r.returncode == 0
    assert "Examples:" in r.stdout and "--map 2005=" in r.stdout and "parksim run" in r.stdout
