"""calibrate bindings: parksim.calibrate() (the engine's calibration, from arrays or rasters) and
parksim.calibrate_key() (a grid search over one scenario key)."""
import os
import subprocess

import numpy as np
import pytest

SIDE = 60
YEARS = (2000, 2005, 2010, 2015)
CELL_M = 30.0
ORIGIN = (440000.0, 4460000.0)
SEARCHED = ["neighbourhood_weight", "inertia_adaptation", "patch_share", "patch_size_mean_cells"]


def ring_series(side=SIDE, first=40, per_date=120):
    """Urban land (1) spreading on open land (0) from a town at a north-south road (column 20): each date adds the
    open cells nearest the town and the road, so the change follows the distance to the road and to town. The same
    series as tests/integration/test_cli_calibrate.py. Returns ({year: uint8 map}, road distance in m, float32)."""
    r, c = np.mgrid[0:side, 0:side]
    score = np.hypot(r - side // 2, c - 20) + 0.5 * np.abs(c - 20)
    order = np.lexsort((np.arange(side * side), score.ravel()))
    maps = {}
    for k, year in enumerate(YEARS):
        m = np.zeros(side * side, np.uint8)
        m[order[: first + per_date * k]] = 1
        maps[year] = m.reshape(side, side)
    return maps, (np.abs(c - 20) * CELL_M).astype(np.float32)


@pytest.fixture(scope="module")
def series():
    return ring_series()


@pytest.fixture(scope="module")
def result(parksim, series):
    maps, road = series
    return parksim.calibrate(maps, grid=CELL_M, drivers={"dist_road_m": road}, budget=10)


def write_tif(path, values):
    gdal = pytest.importorskip("osgeo.gdal")
    osr = pytest.importorskip("osgeo.osr")
    dtype = gdal.GDT_Byte if values.dtype == np.uint8 else gdal.GDT_Float32
    ds = gdal.GetDriverByName("GTiff").Create(str(path), values.shape[1], values.shape[0], 1, dtype)
    ds.SetGeoTransform((ORIGIN[0], CELL_M, 0.0, ORIGIN[1], 0.0, -CELL_M))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4548)
    ds.SetProjection(srs.ExportToWkt())
    ds.GetRasterBand(1).WriteRaster(0, 0, values.shape[1], values.shape[0], values.tobytes())
    ds = None


def test_arrays_give_the_result_of_the_cli_on_the_same_rasters(parksim, series, result, tmp_path):
    cli = os.environ.get("PARKSIM_BIN")
    if not cli:
        pytest.skip("PARKSIM_BIN not set (the CLI target is not built)")
    maps, road = series
    paths = []
    for year, m in maps.items():
        paths.append(tmp_path / f"landuse_{year}.tif")
        write_tif(paths[-1], m)
    write_tif(tmp_path / "road.tif", road)
    out = tmp_path / "cli"
    proc = subprocess.run([cli, "calibrate", *[a for p in paths for a in ("--map", str(p))], "--driver",
                           f"dist_road_m={tmp_path / 'road.tif'}", "--budget", "10", "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (out / "calibration.toml").read_text(encoding="utf-8") == result.scenario_fragment()
    assert (out / "calibration_metrics.csv").read_text(encoding="utf-8") == result.metrics_csv()
    # The same rasters through parksim.calibrate (years from the file names) give the same fragment too.
    from_files = parksim.calibrate([str(p) for p in paths], drivers={"dist_road_m": tmp_path / "road.tif"}, budget=10)
    assert from_files.scenario_fragment() == result.scenario_fragment()
    assert from_files.grid.crs == "EPSG:4548" and from_files.grid.origin_x == ORIGIN[0]


def test_result_holds_fits_search_and_validation(parksim, result):
    assert result.years == list(YEARS)
    assert [f.class_id for f in result.fits] == [1]
    assert result.fits[0].changed_cells == 120
    assert result.fits[0].training_auc > 0.9
    assert list(result.fits[0].raw_coefficients) == ["intercept", "dist_road_m", "dist_class_1_m"]
    assert result.fits[0].raw_coefficients["dist_road_m"] < 0  # growth goes to the road
    assert list(result.params) == SEARCHED + ["patch_size_sd_cells"]
    assert result.tuned == ["neighbourhood_weight", "patch_share", "patch_size_mean_cells"]  # one growing class
    ev = result.evaluations
    assert list(ev.columns) == SEARCHED + ["objective"]
    assert 1 <= len(ev) <= 10
    assert result.best_objective == pytest.approx(ev.objective.max())
    best = ev.loc[ev.objective.idxmax()]
    assert [best[name] for name in SEARCHED] == pytest.approx([result.params[name] for name in SEARCHED])
    assert result.grid_evaluations > len(ev)
    assert result.params["neighbourhood_weight"] == pytest.approx(
        float(result.scenario_fragment().split("neighbourhood_weight = ")[1].split()[0]))
    assert isinstance(result.validation, parksim._parksim.ValidationResult)
    assert not result.validation_in_sample
    v = result.validation
    assert v.model.fom.figure_of_merit > v.persistence.fom.figure_of_merit
    table = result.validation_table()
    fom = table[(table.id == "figure_of_merit") & table.class_code.isna()].set_index("scope").value
    assert fom["model"] == pytest.approx(v.model.fom.figure_of_merit)
    assert fom["persistence"] == pytest.approx(v.persistence.fom.figure_of_merit)
    calibration = table[table.scope == "calibration"].set_index("id").value
    assert calibration["best_objective"] == pytest.approx(result.best_objective)


def test_same_seed_gives_an_identical_result_and_another_seed_does_not(parksim, series, result):
    maps, road = series
    again = parksim.calibrate(maps, grid=CELL_M, drivers={"dist_road_m": road}, budget=10, seed=1)
    assert again.scenario_fragment() == result.scenario_fragment()
    assert again.evaluations.equals(result.evaluations)
    assert np.array_equal(again.predicted, result.predicted)
    other = parksim.calibrate(maps, grid=CELL_M, drivers={"dist_road_m": road}, budget=10, seed=2)
    assert other.scenario_fragment() != result.scenario_fragment()


def test_predicted_is_a_read_only_view_that_keeps_the_result_alive(parksim, series):
    maps, road = series
    cal = parksim.calibrate(maps, grid=CELL_M, drivers={"dist_road_m": road}, budget=3, runs_per_evaluation=1)
    view = cal.predicted
    assert view.base is cal.raw
    assert view.shape == (SIDE, SIDE) and view.dtype == np.uint8
    assert not view.flags.writeable and not view.flags.owndata
    with pytest.raises(ValueError):
        view[0, 0] = 1
    expected = np.array(view)
    del cal
    assert np.array_equal(view, expected)
    assert set(np.unique(view)) <= {0, 1}
    assert (view == 1).sum() > (maps[2010] == 1).sum()  # the prediction grows from the 2010 map


def test_the_gil_is_released_while_calibrating(parksim):
    from conftest import ticks_during

    maps, road = ring_series(side=120, first=160, per_date=480)
    ticks, elapsed = ticks_during(lambda: parksim.calibrate(maps, grid=CELL_M, drivers={"dist_road_m": road},
                                                            budget=12, runs_per_evaluation=4))
    assert elapsed > 0.05
    assert ticks >= max(10, int(elapsed * 1000 * 0.1))


def test_progress_is_reported_and_false_cancels(parksim, series):
    maps, road = series
    seen = []
    parksim.calibrate(maps, grid=CELL_M, budget=4, progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    assert any(m == "tuning simulation parameters" for _, m in seen)

    calls = []

    def cancel(fraction, message):
        calls.append(message)
        return message != "tuning simulation parameters"

    with pytest.raises(parksim.CancelledError):
        parksim.calibrate(maps, grid=CELL_M, budget=4, progress=cancel)
    assert calls[-1] == "tuning simulation parameters"

    def fail(fraction, message):
        raise KeyError("from the callback")

    with pytest.raises(KeyError, match="from the callback"):
        parksim.calibrate(maps, grid=CELL_M, budget=4, progress=fail)


def test_two_maps_are_a_data_error(parksim, series):
    maps, _ = series
    with pytest.raises(parksim.DataError, match="at least 3 dated maps, got 2") as info:
        parksim.calibrate({2000: maps[2000], 2005: maps[2005]}, grid=CELL_M)
    assert info.value.key == "series.maps"


def test_a_map_of_another_shape_is_a_data_error_naming_its_year(parksim, series):
    maps, _ = series
    bad = dict(maps)
    bad[2010] = maps[2010][:50, :]
    with pytest.raises(parksim.DataError, match=r"year 2010 has shape \(50, 60\), the grid is \(60, 60\)") as info:
        parksim.calibrate(bad, grid=CELL_M)
    assert info.value.layer == "2010"


def test_a_class_code_above_the_class_count_is_a_data_error_naming_its_year(parksim, series):
    maps, _ = series
    bad = dict(maps)
    bad[2005] = maps[2005].copy()
    bad[2005][0, 0] = 2
    with pytest.raises(parksim.DataError, match="class code 2 >= class count 2") as info:
        parksim.calibrate(bad, grid=CELL_M, class_count=2)
    assert info.value.layer == "2005" and "2005" in str(info.value)
    # DEFAULT class count: the largest code + 1, capped at the engine's 16 classes.
    bad[2005][0, 0] = 40
    with pytest.raises(parksim.DataError, match="class code 40 >= class count 16") as info:
        parksim.calibrate(bad, grid=CELL_M)
    assert info.value.layer == "2005"


def test_a_non_finite_driver_is_a_data_error_naming_the_driver(parksim, series):
    maps, road = series
    bad = road.copy()
    bad[10, 10] = np.nan
    with pytest.raises(parksim.DataError, match="not finite inside the study area") as info:
        parksim.calibrate(maps, grid=CELL_M, drivers={"dist_road_m": road, "slope_deg": bad})
    assert info.value.layer == "slope_deg" and "slope_deg" in str(info.value)


def test_a_map_that_is_not_integer_is_a_data_error(parksim, series):
    maps, _ = series
    bad = dict(maps)
    bad[2015] = maps[2015].astype(np.float64)
    with pytest.raises(parksim.DataError, match="year 2015 has dtype float64"):
        parksim.calibrate(bad, grid=CELL_M)


def test_arguments_that_do_not_fit_are_usage_or_config_errors(parksim, series):
    maps, _ = series
    with pytest.raises(parksim.UsageError, match="grid="):
        parksim.calibrate(maps)
    with pytest.raises(parksim.ConfigError) as info:
        parksim.calibrate(maps, grid=CELL_M, budget=0)
    assert info.value.key == "calibrate.budget"
    with pytest.raises(parksim.UsageError, match="mix"):
        parksim.calibrate({2000: maps[2000], 2005: "landuse_2005.tif", 2010: maps[2010]}, grid=CELL_M)


def test_exclusion_keeps_cells_unchanged(parksim, series):
    maps, road = series
    exclusion = np.zeros((SIDE, SIDE), bool)
    exclusion[:, :20] = True  # west of the road never changes
    cal = parksim.calibrate(maps, grid=CELL_M, drivers={"dist_road_m": road}, exclusion=exclusion, budget=3,
                            runs_per_evaluation=1)
    assert np.array_equal(cal.predicted[exclusion], maps[2010][exclusion])


def test_write_creates_both_files_and_refuses_to_overwrite(parksim, result, tmp_path):
    out = tmp_path / "calib"
    result.write(out)
    assert (out / "calibration.toml").read_text(encoding="utf-8") == result.scenario_fragment()
    assert (out / "calibration_metrics.csv").read_text(encoding="utf-8") == result.metrics_csv()
    with pytest.raises(parksim.OutputExistsError) as info:
        result.write(out)
    assert isinstance(info.value, FileExistsError)
    result.write(out, overwrite=True)
    assert (out / "calibration.toml").read_text(encoding="utf-8") == result.scenario_fragment()


def test_calibrate_key_finds_the_growth_rate_of_a_twin(parksim, small_scenario):
    truth = parksim.load_scenario(small_scenario)
    truth["alloc.enabled"] = False
    truth["demand.enterprise_growth_rate"] = 0.08
    observed = parksim.run(truth, seed=12345).landuse(2029)
    done = []
    cal = parksim.calibrate_key(small_scenario, observed, key="demand.enterprise_growth_rate",
                                values=[0.02, 0.08, 0.14], metric="quantity_disagreement", seed=777,
                                progress=lambda fraction, message: done.append((fraction, message)))
    assert isinstance(cal, parksim._calibrate.KeyCalibrationResult)
    assert cal.best_value == 0.08
    assert list(cal.table.value) == [0.02, 0.08, 0.14]
    assert cal.best_score == pytest.approx(cal.table.quantity_disagreement.min())
    # The one progress signature of the package: (fraction, message).
    assert done == [(1 / 3, "demand.enterprise_growth_rate = 0.02 scored"),
                    (2 / 3, "demand.enterprise_growth_rate = 0.08 scored"),
                    (1.0, "demand.enterprise_growth_rate = 0.14 scored")]
    with pytest.raises(parksim.UsageError, match="unknown metric"):
        parksim.calibrate_key(small_scenario, observed, key="demand.enterprise_growth_rate", values=[0.08],
                              metric="accuracy")


def test_a_fragment_with_class_keys_runs_in_the_scenario_that_made_the_maps(parksim):
    # Calibrate -> apply -> run: maps and drivers from a run, classes named by its keys.
    from conftest import small_variant

    sc = parksim.load_scenario(small_variant(100, 2031, alloc={"enabled": False}))
    res = parksim.run(sc, seed=3)
    maps = {y: res.landuse(y) for y in (2025, 2027, 2029, 2031)}
    drivers = {k: v for k, v in res.drivers().items() if k != "dist_built_m"}
    cal = parksim.calibrate(maps, grid=res.grid, drivers=drivers, class_keys=res.classes, budget=6,
                            runs_per_evaluation=1)
    keys = {c["id"]: c["key"] for c in res.classes}
    fragment = cal.scenario_fragment()
    assert cal.fits
    for f in cal.fits:
        assert f"[suitability.coefficients.{keys[f.class_id]}]" in fragment
        assert f"dist_class_{keys[f.class_id]}_m" in f.raw_coefficients
    assert "class_" not in fragment.replace("dist_class_", "")
    applied = cal.apply(sc)
    assert applied["suitability.mode"] == "given" and sc["suitability.mode"] == "fit"
    for name in SEARCHED:
        assert applied[f"sim.{name}"] == pytest.approx(cal.params[name])
    run = parksim.run(applied, seed=3)
    fitted = {keys[f.class_id] for f in cal.fits}
    uniform = [p.message for p in run.raw.problems if p.code == "suitability.uniform"]
    assert not [m for m in uniform if any(f"'{k}'" in m for k in fitted)], uniform
    # Without class keys only [sim] applies: "class_<k>" tables name no class of the scenario.
    plain = parksim.calibrate(maps, grid=res.grid, budget=2, runs_per_evaluation=1).apply(sc)
    assert plain["suitability.mode"] == "fit"
    with pytest.raises(parksim.ConfigError, match="must be ASCII letters"):
        parksim.calibrate(maps, grid=res.grid, budget=2, class_keys=["a b"] * 8)
