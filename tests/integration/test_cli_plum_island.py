"""A real multi-class land-use series with no parcels: the Plum Island maps of 1985, 1991 and 1999 (../shared/data/pie;
provenance and licence in its README - used from there, never copied into the project). `parksim calibrate` on 1985 +
1991 writes calibrated.toml, `parksim run calibrated.toml --end 1999` forecasts from the 1991 map and writes the
report, the COGs and the indicators. Runs whenever the data exists (CI has ../shared)."""
import csv

import pytest

from conftest import SOURCE_DIR

gdal = pytest.importorskip("osgeo.gdal")
np = pytest.importorskip("numpy")

PIE = SOURCE_DIR.parent / "shared" / "data" / "pie"
pytestmark = pytest.mark.skipif(not (PIE / "lu_1985.tif").exists(), reason=f"{PIE} is not here")


def study_scenario(path):
    path.write_text(f'''# The Plum Island series as a researcher would declare it (classes from the data's README).
name = "plum-island"
seed = 1
[study.maps]
1985 = "{PIE / 'lu_1985.tif'}"
1991 = "{PIE / 'lu_1991.tif'}"
[classes.codes.1]
key = "forest"
name_en = "Forest"
colour = "#1B7837"
[classes.codes.2]
key = "built"
name_en = "Built"
built = true
colour = "#D7191C"
[classes.codes.3]
key = "other"
name_en = "Other"
colour = "#FDAE61"
[drivers.elevation]
kind = "value"
source = "{PIE / 'ef_001_elevation.tif'}"
[drivers.slope]
kind = "value"
source = "{PIE / 'ef_002_slope.tif'}"
[drivers.dist_built_m]
kind = "distance"
classes = ["built"]
''', encoding="utf-8")
    return path


def test_calibrate_on_1985_and_1991_then_forecast_1999(run, tmp_path):
    calib = tmp_path / "calib"
    r = run("calibrate", study_scenario(tmp_path / "pie.toml"), "--budget", "8", "--runs-per-eval", "2",
            "--out", calib)
    assert r.returncode == 0, r.stderr
    assert "Calibration of 2 maps (1985..1991), 434 x 497 cells" in r.stdout
    assert "class 'built'" in r.stdout and "IN-SAMPLE" in r.stdout
    toml = (calib / "calibrated.toml").read_text()
    assert "[suitability.coefficients.built]" in toml and "method = 'trend'" in toml
    assert "end = 1997" in toml  # 1991 + (1991 - 1985): the default horizon

    out = tmp_path / "forecast"
    f = run("run", calib / "calibrated.toml", "--end", "1999", "--out", out, "--quiet")
    assert f.returncode == 0, f.stderr
    assert "1991 to 1999" in f.stdout
    assert (out / "report" / "index.html").stat().st_size > 10_000

    # The forecast keeps the user's grid (99.92 x 99.95 m cells) and class codes, nodata where the maps have none.
    observed = gdal.Open(str(PIE / "lu_1999.tif"))
    forecast = gdal.Open(str(out / "rasters" / "landuse_1999.tif"))
    assert forecast.GetGeoTransform() == observed.GetGeoTransform()
    assert (forecast.RasterXSize, forecast.RasterYSize) == (497, 434)
    f99 = forecast.GetRasterBand(1).ReadAsArray()
    o99 = observed.GetRasterBand(1).ReadAsArray()
    assert set(np.unique(f99).tolist()) == {1, 2, 3, 255}
    assert np.array_equal(f99 == 255, o99 == 0)
    assert forecast.GetRasterBand(1).GetCategoryNames()[2].startswith("Built")
    # (A band outlives its dataset only while the dataset is referenced: keep both.)
    start_ds = gdal.Open(str(out / "rasters" / "landuse_1991.tif"))
    start = start_ds.GetRasterBand(1).ReadAsArray()
    map_1991 = gdal.Open(str(PIE / "lu_1991.tif"))
    assert np.array_equal(start, np.where(o99 == 0, 255, map_1991.ReadAsArray()))
    # Built land grows and never reverts.
    assert ((f99 == 2).sum()) > ((start == 2).sum())
    assert np.all(f99[start == 2] == 2)

    rows = list(csv.DictReader((out / "indicators.csv").open(encoding="utf-8-sig")))
    built = {int(r["year"]): float(r["value"]) for r in rows if r["indicator_id"] == "class_area_km2.built"}
    assert sorted(built) == list(range(1991, 2000))
    cell_km2 = 99.92125984251513 * 99.95485327313365 / 1e6
    assert built[1991] == pytest.approx(40_350 * cell_km2, rel=1e-9)  # the README's 1991 count of Built cells
    plan_total = [r for r in rows if r["indicator_id"] == "plan_total_km2"][0]
    assert plan_total["value"] == ""  # n/a: no plan
