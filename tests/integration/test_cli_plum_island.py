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
    # The learner is chosen out of sample: its model is in the scenario (logistic, spline) or next to it (boosted).
    assert "[suitability.coefficients.built]" in toml or "built = 'built.xgb.json'" in toml
    assert "method = 'auto'" in toml and "out-of-sample AUC (spatial blocks" in r.stdout
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


def test_skill_on_1999_fits_1985_and_1991_and_scores_the_change_from_1991(run, tmp_path):
    """Protocol A of the data's README: calibrate on 1985 + 1991, forecast 1999 from 1991, score the change 1991 ->
    1999 next to persistence and proximity, at the model's own quantity and at the observed one."""
    scenario = study_scenario(tmp_path / "pie.toml")
    scenario.write_text(scenario.read_text().replace(
        "[classes.codes.1]", f'1999 = "{PIE / "lu_1999.tif"}"\n[classes.codes.1]', 1), encoding="utf-8")
    out = tmp_path / "skill"
    # Logistic: an "auto" fit may choose hinge terms whose knots calibrated.toml cannot hold as keys yet.
    r = run("skill", scenario, "--holdout", "1999", "--runs", "4", "--budget", "8", "--runs-per-eval", "2",
            "--learner", "logistic", "--threads", "2", "--out", out)
    assert r.returncode == 0, r.stderr
    assert "fitted on 1985, 1991; forecast from 1991 (4 runs); change from 1991" in r.stdout
    assert "At the model's own quantity" in r.stdout and "At the observed quantity (DIAGNOSIS" in r.stdout

    rows = list(csv.DictReader((out / "skill.csv").open(encoding="utf-8-sig")))
    def value(measure, model, quantity, **keys):
        found = [float(x["value"]) for x in rows if x["measure"] == measure and x["model"] == model
                 and x["quantity"] == quantity and all(x[k] == str(v) for k, v in keys.items())]
        assert len(found) == 1, (measure, model, quantity, keys)
        return found[0]
    cell_m2 = 99.92125984251513 * 99.95485327313365
    # The observed quantity is the README's: 3,247 new Built cells from 1991 to 1999.
    assert value("proximity_demand_area", "proximity", "observed", from_class=2) == pytest.approx(3247 * cell_m2)
    for quantity in ("own", "observed"):
        assert value("figure_of_merit", "persistence", quantity) == 0.0
        model_fom = value("figure_of_merit", "parksim", quantity)
        proximity = value("proximity_figure_of_merit_mean", "proximity", quantity)
        # Both far above a random placement (about 0.005 here) and near each other (measured: 0.02 - 0.035).
        assert 0.01 < model_fom < 0.1 and 0.01 < proximity < 0.1
        assert value("figure_of_merit_over_proximity", "comparison", quantity) == pytest.approx(model_fom - proximity)
        assert value("resolution_figure_of_merit", "parksim", quantity, factor=16) > model_fom
        assert 0.0 <= value("transition_figure_of_merit", "parksim", quantity, from_class=1, to_class=2) <= 1.0
    # The expected map keeps the user's grid and codes; built land never reverts.
    expected = gdal.Open(str(out / "expected_map.tif"))
    observed = gdal.Open(str(PIE / "lu_1999.tif"))
    assert expected.GetGeoTransform() == observed.GetGeoTransform()
    e = expected.GetRasterBand(1).ReadAsArray()
    o99 = observed.GetRasterBand(1).ReadAsArray()
    o91 = gdal.Open(str(PIE / "lu_1991.tif")).ReadAsArray()
    assert np.array_equal(e == 255, o99 == 0)
    assert np.all(e[o91 == 2] == 2)
    assert value("quantity_area", "parksim", "own", from_class=2) == pytest.approx((e == 2).sum() * cell_m2)
    assert value("quantity_area", "parksim", "observed", from_class=2) == pytest.approx(
        ((o99 == 2) & (o91 != 0)).sum() * cell_m2)


def test_skill_names_the_map_years_for_a_holdout_that_is_not_one(run, tmp_path):
    scenario = study_scenario(tmp_path / "pie.toml")
    r = run("skill", scenario, "--holdout", "1999", "--out", tmp_path / "skill")
    assert r.returncode == 3
    assert "holdout year 1999 is not one of the maps" in r.stderr and "1985, 1991" in r.stderr
    r = run("skill", scenario, "--holdout", "1991", "--out", tmp_path / "skill")
    assert r.returncode == 3
    assert "at least two maps are needed before the holdout year 1991" in r.stderr
    assert not (tmp_path / "skill").exists()
