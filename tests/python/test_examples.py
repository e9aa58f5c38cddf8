"""The graded examples in examples/, each run as a script on small settings; each must produce its outputs."""
import os
import subprocess
import sys

import pytest

from conftest import DATASET, SOURCE_DIR

EXAMPLES = SOURCE_DIR / "examples"

SMALL_TOML = f"""
name = "examples-small"
seed = 20250101
[years]
start = 2025
end = 2029
[geodata]
path = "{DATASET.as_posix()}"
[grid]
extent = "park"
cell_size_m = 120.0
[phases.open_year]
"1-2" = 2001
"3" = 2025
[demand]
method = "enterprise"
base_enterprises = 1000.0
enterprise_growth_rate = 0.08
[demand.zone_share]
frontier_tech = 0.5
medical_device = 0.5
[alloc]
time_limit_s = 2.0
gap_pct = 5.0
[outputs]
key_years = [2025, 2029]
"""


@pytest.fixture
def run_example(tmp_path):
    scenario = tmp_path / "small.toml"
    scenario.write_text(SMALL_TOML, encoding="utf-8")

    def run(name, *args):
        out = tmp_path / "out"
        proc = subprocess.run([sys.executable, str(EXAMPLES / name), "--scenario", str(scenario), "--out", str(out),
                               *map(str, args)],
                              capture_output=True, text=True, timeout=600, cwd=tmp_path,
                              env={**os.environ, "MPLBACKEND": "Agg"})
        assert proc.returncode == 0, proc.stderr[-3000:]
        return proc.stdout, out

    return run


def test_01_run_scenario(run_example):
    stdout, out = run_example("01_run_scenario.py", "--bundle")
    assert "Phase 3 fills up in" in stdout
    assert (out / "01_indicators.csv").stat().st_size > 0
    assert (out / "bundle" / "results.gpkg").is_file()


def test_02_what_if_sweep(run_example):
    stdout, out = run_example("02_what_if_sweep.py", "--rates", "0.02,0.07,0.12")
    assert "growth %/yr" in stdout
    assert (out / "02_fillup_vs_growth.png").stat().st_size > 1000


def test_03_ensemble_dask(run_example):
    stdout, out = run_example("03_ensemble_dask.py", "--runs", "4", "--cell-size", "200")
    assert "4 runs of seed" in stdout
    assert (out / "03_probability.png").stat().st_size > 1000
    assert (out / "03_fillup.csv").is_file()


def test_04_calibrate(run_example):
    stdout, out = run_example("04_calibrate.py", "--budget", "20", "--candidates", "0.02,0.08,0.14")
    assert "Series: 4 maps 2025, 2026, 2028, 2029" in stdout
    assert "Suitability fitted on 2025-2026:" in stdout
    assert "Tuned on 2026-2028: " in stdout
    tuned = [line.split() for line in stdout.splitlines() if line.strip().startswith("neighbourhood_weight")]
    assert len(tuned) == 1 and float(tuned[0][2]) == 0.5  # tuned value next to the known one
    assert 0.0 <= float(tuned[0][1]) <= 1.0
    assert "Validation of 2029 predicted from 2028:" in stdout and "persistence" in stdout
    assert "calibrate_key: best enterprise growth rate by quantity_disagreement: 0.08/yr" in stdout
    calibrated = (out / "04_calibration" / "calibrated.toml").read_text(encoding="utf-8")
    assert "neighbourhood_weight = " in calibrated and "[suitability.coefficients.r_d]" in calibrated
    assert (out / "04_calibration" / "inputs" / "landuse_2029.tif").is_file()
    assert "2025-2029 from the start map, calibrated (the calibration applied): Figure of Merit " in stdout
    assert (out / "04_calibration" / "calibration_metrics.csv").read_text().startswith("id,scope,class_code")
    assert len((out / "04_evaluations.csv").read_text().splitlines()) >= 2
    assert (out / "04_calibration.png").stat().st_size > 1000


def test_05_allocation_tradeoff(run_example):
    stdout, out = run_example("05_allocation_tradeoff.py", "--targets", "0,3000", "--time-limit", "1")
    assert "target_mu" in stdout
    assert (out / "05_tradeoff.png").stat().st_size > 1000


def test_06_own_rasters(tmp_path):
    """A researcher's rasters (a synthetic town in UTM 50N, generated here): the CLI and Python agree."""
    import numpy as np

    import town

    cli = os.environ.get("PARKSIM_BIN")
    if not cli:
        pytest.skip("PARKSIM_BIN not set (the CLI target is not built)")
    data = tmp_path / "data"
    data.mkdir()
    maps, road = town.series(codes=(82, 22, 11))
    for year, m in maps.items():
        town.write_tif(data / f"landuse_{year}.tif", m, epsg=32650)
    slope = np.fromfunction(lambda r, c: (r + c) / 20.0, road.shape).astype(np.float32)
    town.write_tif(data / "slope.tif", slope, epsg=32650)
    town.write_roads(data / "roads.gpkg", epsg=32650)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, str(EXAMPLES / "06_own_rasters.py"), "--data", str(data), "--out", str(out),
                           "--end-year", "2020", "--budget", "8", "--cli", cli],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    stdout = proc.stdout
    assert "Python and the command line forecast the same map of 2020: True" in stdout
    assert "<parksim.Study 'my-town' 60x60 cells, 3 classes, maps 2000, 2005, 2010, 2015" in stdout
    assert "classes water urban cropland" in stdout  # class ids follow the codes: 11, 22, 82
    assert "figure_of_merit" in stdout and "persistence" in stdout
    for name in ("06_cli_calibration/calibrated.toml", "06_python_calibration/calibrated.toml",
                 "06_cli_forecast/rasters/landuse_2020.tif", "06_python_calibration/inputs/landuse_2015.tif"):
        assert (out / name).is_file(), name
    import tomllib

    cli_toml = tomllib.loads((out / "06_cli_calibration" / "calibrated.toml").read_text(encoding="utf-8"))
    py_toml = tomllib.loads((out / "06_python_calibration" / "calibrated.toml").read_text(encoding="utf-8"))
    # The same calibration: tuned [sim] and fitted coefficients agree (only the files named differ).
    assert cli_toml["sim"] == py_toml["sim"]
    assert cli_toml["suitability"] == py_toml["suitability"]
    assert set(py_toml["suitability"]["coefficients"]["urban"]) == {"intercept", "dist_road_m", "dist_urban_m",
                                                                    "slope_deg"}
    assert py_toml["drivers"]["dist_road_m"]["where"] == "class = 'primary'"
