"""calibrate bindings: parksim.calibrate() - the engine's calibration of a study (from arrays, rasters or a study
scenario; or a map series as `parksim calibrate --map --driver`) into a runnable calibrated scenario with forecasts,
fitted models and the validation next to persistence - and parksim.calibrate_key() (a grid search over one key)."""
import os
import subprocess

import numpy as np
import pytest

import town

SEARCHED = ["neighbourhood_weight", "inertia_adaptation", "patch_share", "patch_size_mean_cells", "selection_exponent"]


@pytest.fixture(scope="module")
def data():
    return town.series()


@pytest.fixture(scope="module")
def st(parksim):
    return town.study(parksim)


@pytest.fixture(scope="module")
def cal(parksim, st):
    return parksim.calibrate(st, budget=10)


def test_a_study_calibrates_into_a_scenario_the_cli_runs(parksim, st, cal, tmp_path):
    assert isinstance(cal, parksim.CalibrationResult) and cal.study is st
    assert cal.temporary and cal.path == cal.folder / "calibrated.toml" and cal.path.is_file()
    text = cal.scenario
    assert text == cal.path.read_text(encoding="utf-8")
    assert "[suitability.coefficients.urban]" in text and "dist_road_m = " in text and "dist_urban_m = " in text
    assert "mode = 'given'" in text and "method = 'auto'" in text and "name = 'study-calibrated'" in text
    # The arrays became GeoTIFFs next to calibrated.toml, referenced relative to it.
    assert "2015 = 'inputs/landuse_2015.tif'" in text and "source = 'inputs/driver_dist_road_m.tif'" in text
    assert (cal.folder / "inputs" / "landuse_2015.tif").is_file()
    assert (cal.folder / "calibration_metrics.csv").read_text(encoding="utf-8") == cal.metrics_csv()

    f = cal.forecast(2020)
    assert isinstance(f, parksim.Result) and f.start_year == 2015 and f.end_year == 2020
    assert f.raw.scenario_name == "study-calibrated"
    assert (f.landuse(2020) == 1).sum() > (f.landuse(2015) == 1).sum()
    cli = os.environ.get("PARKSIM_BIN")
    if cli:
        proc = subprocess.run([cli, "run", str(cal.path), "--end", "2020", "--out", str(tmp_path / "f"), "--quiet"],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        from osgeo import gdal

        on_disk = gdal.Open(str(tmp_path / "f" / "rasters" / "landuse_2020.tif")).ReadAsArray()
        assert np.array_equal(on_disk, f.to_xarray(2020).values[0])


def test_the_result_holds_fits_search_and_validation_next_to_persistence(parksim, cal):
    assert cal.years == list(town.YEARS) and cal.drivers == ["dist_road_m", "dist_urban_m"]
    assert cal.class_keys == ["open", "urban", "water"]
    assert [f.class_id for f in cal.fits] == [1]
    assert cal.fits[0].changed_cells == 120 and cal.fits[0].training_auc > 0.9
    assert list(cal.fits[0].raw_coefficients) == ["intercept", "dist_road_m", "dist_urban_m"]
    assert cal.fits[0].raw_coefficients["dist_road_m"] < 0  # growth goes to the road
    coefficients = cal.coefficients()
    assert list(coefficients.columns) == ["class", "class_id", "driver", "coefficient"]
    assert set(coefficients["class"]) == {"urban"} and len(coefficients) == 3
    assert list(cal.params) == SEARCHED + ["patch_size_sd_cells", "patch_sizes_cells"]
    # DEFAULT patches = "observed": organic growth at the edges, patch share and sizes inferred, not searched.
    assert cal.tuned == ["selection_exponent"] and cal.params["neighbourhood_weight"] == 1.0
    assert cal.growth.startswith("  observed 2000-2005: 100 % at the edges of existing patches, no new patch")
    ev = cal.evaluations
    assert list(ev.columns) == SEARCHED + ["objective"] and 1 <= len(ev) <= 10
    assert cal.best_objective == pytest.approx(ev.objective.max())
    assert f"neighbourhood_weight = {cal.params['neighbourhood_weight']!r}" in cal.scenario
    v = cal.validation
    assert not cal.validation_in_sample
    assert v.model.fom.figure_of_merit > v.persistence.fom.figure_of_merit
    table = cal.validation_table()
    assert list(table.columns) == ["id", "class_code", "class", "label", "unit", "model", "persistence"]
    assert set(table["class"].dropna()) == {"open", "urban", "water"}
    fom = table[(table.id == "figure_of_merit") & table.class_code.isna()].iloc[0]
    assert fom.model == pytest.approx(v.model.fom.figure_of_merit)
    assert fom.persistence == pytest.approx(v.persistence.fom.figure_of_merit)
    total = table[(table.id == "total_disagreement") & table.class_code.isna()].iloc[0]
    assert total.model < total.persistence
    metrics = cal.metrics()
    assert metrics[metrics.scope == "calibration"].set_index("id").value["best_objective"] == pytest.approx(
        cal.best_objective)
    predicted = cal.predicted
    assert predicted.shape == (town.SIDE, town.SIDE) and not predicted.flags.writeable
    assert (predicted == 1).sum() > (cal.study.map(2010) == 1).sum()


def test_same_seed_gives_the_same_calibration_and_another_seed_does_not(parksim, st, cal):
    again = parksim.calibrate(st, budget=10, seed=1)
    assert again.scenario == cal.scenario and again.metrics_csv() == cal.metrics_csv()
    assert np.array_equal(again.predicted, cal.predicted)
    assert again.folder != cal.folder
    other = parksim.calibrate(st, budget=10, seed=2)
    assert other.scenario != cal.scenario


def test_a_folder_receives_the_calibration_and_is_not_overwritten(parksim, st, cal, tmp_path):
    out = tmp_path / "calib"
    named = parksim.calibrate(st, budget=10, folder=out)
    assert not named.temporary and named.folder == out.resolve()
    assert named.scenario == cal.scenario  # paths relative to the folder: the same text
    assert sorted(p.name for p in (out / "inputs").glob("*.tif")) == [
        "driver_dist_road_m.tif", "landuse_2000.tif", "landuse_2005.tif", "landuse_2010.tif", "landuse_2015.tif"]
    before = (out / "calibrated.toml").read_bytes()
    with pytest.raises(parksim.OutputExistsError) as info:
        parksim.calibrate(st, budget=3, folder=out)
    assert isinstance(info.value, FileExistsError) and info.value.path.endswith("calibrated.toml")
    assert (out / "calibrated.toml").read_bytes() == before
    parksim.calibrate(st, budget=10, folder=out, overwrite=True)
    assert (out / "calibrated.toml").read_bytes() == before

    # write() keeps a temporary calibration: the toml, the metrics and the arrays as files.
    kept = cal.write(tmp_path / "kept")
    assert kept.read_text(encoding="utf-8") == cal.scenario
    assert (tmp_path / "kept" / "inputs" / "landuse_2000.tif").is_file()
    with pytest.raises(parksim.OutputExistsError):
        cal.write(tmp_path / "kept")
    f = parksim.load_scenario(kept)
    f["years.end"] = 2017
    assert parksim.run(f).end_year == 2017


def _town_study_scenario(data, folder):
    """The town series as rasters in `folder` and a study scenario over them (seed 5)."""
    maps, road = data
    for y, m in maps.items():
        town.write_tif(folder / f"landuse_{y}.tif", m)
    town.write_tif(folder / "road.tif", road)
    path = folder / "study.toml"
    path.write_text(
        'name = "town"\nseed = 5\n[study.maps]\n' + "".join(f'{y} = "landuse_{y}.tif"\n' for y in maps)
        + '[classes.codes.11]\nkey = "open"\n[classes.codes.22]\nkey = "urban"\nbuilt = true\n'
        '[classes.codes.41]\nkey = "water"\nfixed = true\n[drivers.dist_road_m]\nkind = "value"\nsource = '
        '"road.tif"\n[drivers.dist_urban_m]\nkind = "distance"\nclasses = ["urban"]\n', encoding="utf-8")
    return path


def test_a_study_scenario_and_a_raster_series_calibrate_as_the_cli_does(parksim, data, tmp_path):
    cli = os.environ.get("PARKSIM_BIN")
    if not cli:
        pytest.skip("PARKSIM_BIN not set (the CLI target is not built)")
    maps, road = data
    paths = [town.write_tif(tmp_path / f"landuse_{y}.tif", m) for y, m in maps.items()]
    town.write_tif(tmp_path / "road.tif", road)
    out = tmp_path / "cli"
    proc = subprocess.run([cli, "calibrate", *[a for p in paths for a in ("--map", str(p))], "--driver",
                           f"dist_road_m={tmp_path / 'road.tif'}", "--budget", "6", "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    # The same series through parksim.calibrate (years from the file names) writes the same files.
    series = parksim.calibrate([str(p) for p in paths], drivers={"dist_road_m": tmp_path / "road.tif"}, budget=6,
                               folder=tmp_path / "py")
    assert series.metrics_csv() == (out / "calibration_metrics.csv").read_text(encoding="utf-8")
    cli_text = (out / "calibrated.toml").read_text(encoding="utf-8")
    assert series.scenario.replace("\n", "") .count("[suitability.coefficients.class_22]") == 1
    assert series.scenario.split("[suitability]")[1] == cli_text.split("[suitability]")[1]
    # ... and the study scenario the CLI wrote calibrates the same in Python as with `parksim calibrate SCENARIO`.
    study_toml = _town_study_scenario(data, tmp_path)
    proc = subprocess.run([cli, "calibrate", str(study_toml), "--budget", "6", "--out", str(tmp_path / "s")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    from_scenario = parksim.calibrate(study_toml, budget=6, folder=tmp_path / "sp")
    assert from_scenario.study is None
    assert from_scenario.metrics_csv() == (tmp_path / "s" / "calibration_metrics.csv").read_text(encoding="utf-8")
    assert from_scenario.forecast(2018).end_year == 2018


def test_a_map_series_of_arrays_names_classes_by_key(parksim, data):
    maps, road = data
    codes = {c: v["key"] for c, v in town.CLASSES.items()}
    keys = [codes.get(k, f"unused_{k}") for k in range(42)]
    cal = parksim.calibrate(maps, grid=town.grid(parksim), drivers={"dist_road_m": road}, class_keys=keys, budget=4,
                            runs_per_evaluation=1)
    assert cal.drivers == ["dist_class_open_m", "dist_class_urban_m", "dist_class_water_m", "dist_road_m"]
    assert "[suitability.coefficients.urban]" in cal.scenario and "dist_class_urban_m = " in cal.scenario
    with pytest.raises(parksim.UsageError, match="grid=GridSpec"):
        parksim.calibrate(maps, drivers={"dist_road_m": road})


def test_the_gil_is_released_while_calibrating(parksim):
    from conftest import ticks_during

    maps, road = town.series(side=120, first=160, per_date=480)
    big = parksim.study(maps, grid=town.grid(parksim, side=120), classes=town.CLASSES, drivers=town.drivers(road))
    ticks, elapsed = ticks_during(lambda: parksim.calibrate(big, budget=8, runs_per_evaluation=2))
    assert elapsed > 0.05
    assert ticks >= max(10, int(elapsed * 1000 * 0.1))


def test_progress_is_reported_and_false_cancels(parksim, st):
    seen = []
    parksim.calibrate(st, budget=4, progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    assert any(m == "tuning simulation parameters" for _, m in seen)

    def cancel(fraction, message):
        return message != "tuning simulation parameters"

    with pytest.raises(parksim.CancelledError):
        parksim.calibrate(st, budget=4, progress=cancel)

    def fail(fraction, message):
        raise KeyError("from the callback")

    with pytest.raises(KeyError, match="from the callback"):
        parksim.calibrate(st, budget=4, progress=fail)


def test_bad_calibrations_are_clear_errors(parksim, data, st):
    maps, road = data
    one = parksim.study({2015: maps[2015]}, grid=town.grid(parksim), drivers={"dist_road_m": road})
    with pytest.raises(parksim.ConfigError, match="at least two dates, got 1") as info:
        parksim.calibrate(one)
    assert info.value.key == "study.maps"
    bare = parksim.study(maps, grid=town.grid(parksim))
    with pytest.raises(parksim.ConfigError, match=r"declare at least one \[drivers.<name>\]"):
        parksim.calibrate(bare)
    with pytest.raises(parksim.ConfigError, match="no driver 'slope'"):
        parksim.calibrate(st, drivers=["slope"])
    with pytest.raises(parksim.ConfigError) as info:
        parksim.calibrate(st, budget=0)
    assert info.value.key == "calibrate.budget"
    with pytest.raises(parksim.UsageError, match="names of its declared drivers"):
        parksim.calibrate(st, drivers={"dist_road_m": road})


def test_exclusion_keeps_cells_unchanged(parksim, data):
    maps, road = data
    exclusion = np.zeros(road.shape, bool)
    exclusion[:, :20] = True  # west of the road never changes
    st = parksim.study(maps, grid=town.grid(parksim), classes=town.CLASSES, exclusion=exclusion,
                       drivers=town.drivers(road))
    cal = parksim.calibrate(st, budget=3, runs_per_evaluation=1)
    assert np.array_equal(cal.predicted[exclusion], st.map(2010)[exclusion])
    f = cal.forecast(2020)
    assert np.array_equal(f.landuse(2020)[exclusion], st.map(2015)[exclusion])


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


def test_apply_moves_the_calibration_into_the_scenario_that_made_the_maps(parksim):
    # Maps and drivers from a park run, classes named by its keys; apply -> the park scenario runs with the fit.
    from conftest import small_variant

    sc = parksim.load_scenario(small_variant(100, 2031, alloc={"enabled": False}))
    res = parksim.run(sc, seed=3)
    maps = {y: res.landuse(y) for y in (2025, 2027, 2029, 2031)}
    drivers = {k: v for k, v in res.drivers().items() if k != "dist_built_m"}
    cal = parksim.calibrate(maps, grid=res.grid, drivers=drivers, class_keys=res.classes, budget=6,
                            runs_per_evaluation=1)
    keys = {c["id"]: c["key"] for c in res.classes}
    assert cal.fits
    for f in cal.fits:
        key = keys[f.class_id]
        # Each class's learner was chosen out of sample; boosted trees are saved next to the scenario.
        assert f.learner in f.holdout_auc and f.holdout_auc[f.learner] == max(f.holdout_auc.values())
        if f.learner == "boosted":
            assert f"{key} = '{key}.xgb.json'" in cal.scenario and (cal.folder / f"{key}.xgb.json").is_file()
        else:
            assert f"[suitability.coefficients.{key}]" in cal.scenario
        assert f"dist_class_{key}_m" in f.contributions
    applied = cal.apply(sc)
    assert applied["suitability.mode"] == "given" and sc["suitability.mode"] == "prior"  # the park's
    for name in SEARCHED:
        assert applied[f"sim.{name}"] == pytest.approx(cal.params[name])
    assert applied["drivers.dist_class_r_d_m.kind"] == "distance"
    assert applied["demand.method"] == sc["demand.method"]
    run = parksim.run(applied, seed=3)
    fitted = {keys[f.class_id] for f in cal.fits}
    uniform = [p.message for p in run.raw.problems if p.code == "suitability.uniform"]
    assert not [m for m in uniform if any(f"'{k}'" in m for k in fitted)], uniform
    # A fitted driver the scenario does not declare (and the calibration did not declare itself) is named.
    slope = parksim.calibrate(maps, grid=res.grid, drivers={"slope": drivers["dist_g6_m"]},
                              class_keys=res.classes, budget=2, runs_per_evaluation=1)
    with pytest.raises(parksim.ConfigError, match=r"no driver 'slope' in the scenario") as info:
        slope.apply(sc)
    assert info.value.key == "drivers.slope"


# --- parksim.skill(): the skill on a held-out map, exactly `parksim skill` ---

QUICK_SKILL = dict(runs=2, budget=3, runs_per_evaluation=1, learner="logistic", proximity_draws=3)


def test_skill_scores_a_held_out_map_next_to_the_null_models_as_the_cli_does(parksim, data, tmp_path):
    study = _town_study_scenario(data, tmp_path)
    s = parksim.skill(study, 2015, folder=tmp_path / "py", **QUICK_SKILL)
    assert (s.holdout_year, s.reference_year, s.fitted_years, s.runs) == (2015, 2010, [2000, 2005, 2010], 2)
    rows = s.rows()
    assert set(rows) == {"quantity", "model", "measure", "from_class", "to_class", "factor", "unit", "value", "label"}
    assert {(q, m) for q, m in zip(rows["quantity"], rows["model"]) if q} == {
        (q, m) for q in ("own", "observed") for m in ("parksim", "persistence", "proximity", "comparison")}
    assert s.figure("figure_of_merit", model="persistence") == 0.0
    assert 0.0 < s.figure("figure_of_merit") <= 1.0
    assert s.figure("resolution_figure_of_merit", factor=16) >= s.figure("resolution_figure_of_merit", factor=1)
    assert s.figure("transition_figure_of_merit", from_class=11, to_class=22) == s.figure("figure_of_merit")
    # Codes of the user's maps; the observed quantity is the held-out map's; the expected map holds the own one.
    maps, _ = data
    assert s.observed_quantity == {c: int((maps[2015] == c).sum()) for c in (11, 22, 41)}
    e = s.expected_map()
    assert {c: int((e == c).sum()) for c in (11, 22, 41)} == s.own_quantity
    diagnosis = s.expected_map(observed_quantity=True)
    assert {c: int((diagnosis == c).sum()) for c in (11, 22, 41)} == s.observed_quantity
    assert np.all(e[maps[2010] == 41] == 41)
    assert s.folder == tmp_path / "py" and (s.folder / "expected_map.tif").exists()
    assert "At the model's own quantity" in s.table()
    # The same scenario through the CLI writes the same skill.csv (same seed; any thread count).
    cli = os.environ.get("PARKSIM_BIN")
    if cli:
        proc = subprocess.run([cli, "skill", str(study), "--holdout", "2015", "--runs", "2", "--budget", "3",
                               "--runs-per-eval", "1", "--learner", "logistic", "--threads", "1", "--out",
                               str(tmp_path / "cli")], capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        py_rows = (tmp_path / "py" / "skill.csv").read_text(encoding="utf-8-sig").splitlines()
        cli_rows = (tmp_path / "cli" / "skill.csv").read_text(encoding="utf-8-sig").splitlines()
        # The proximity null has 10 draws on the CLI and 3 here: compare the rows that do not depend on them.
        assert [r for r in py_rows if "proximity" not in r] == [r for r in cli_rows if "proximity" not in r]
    with pytest.raises(parksim.OutputExistsError):
        parksim.skill(study, 2015, folder=tmp_path / "py", **QUICK_SKILL)


def test_skill_refuses_a_holdout_that_is_not_a_map_or_has_fewer_than_two_maps_before_it(parksim, data, tmp_path):
    study = _town_study_scenario(data, tmp_path)
    with pytest.raises(parksim.ConfigError, match=r"2012 is not one of the maps.*2000, 2005, 2010, 2015"):
        parksim.skill(study, 2012, folder=tmp_path / "a", **QUICK_SKILL)
    with pytest.raises(parksim.ConfigError, match="at least two maps are needed before the holdout year 2005"):
        parksim.skill(study, 2005, folder=tmp_path / "b", **QUICK_SKILL)
