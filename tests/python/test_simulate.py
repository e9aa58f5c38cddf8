"""parksim.simulate(): a study from arrays run by the engine's pipeline::run_study into the Result parksim.run
returns - demand as a trend or a table by class and year, [sim] and [suitability] settings, ensembles, the same
bytes for a seed whatever the thread count, the GIL released - and Result.to_xarray()."""
import numpy as np
import pytest

import town


@pytest.fixture(scope="module")
def st(parksim):
    return town.study(parksim)


@pytest.fixture(scope="module")
def res(parksim, st):
    return parksim.simulate(st, end_year=2020, seed=3)


def urban_cells(map_ids):
    return int((map_ids == 1).sum())


def test_simulate_returns_the_result_type_of_run(parksim, st, res):
    assert isinstance(res, parksim.Result)
    assert res.start_year == 2015 and res.end_year == 2020 and res.years == list(range(2015, 2021))
    assert res.seed == 3 and res.runs == 1
    assert res.grid == st.grid
    assert [c["key"] for c in res.classes] == ["open", "urban", "water"]
    assert np.array_equal(res.landuse(2015), st.map(2015))
    # The trend of the last two maps (120 new urban cells in 5 years) goes on: urban grows, water stays.
    start = urban_cells(res.landuse(2015))
    grown = urban_cells(res.landuse(2020)) - start
    assert 60 <= grown <= 180, grown
    water = st.map(2015) == 2
    assert (res.landuse(2020)[water] == 2).all()
    assert (res.landuse(2020)[st.map(2015) == 1] == 1).all()  # built land never changes back
    areas = res.areas()
    urban_2020 = areas[(areas.year == 2020) & (areas.class_key == "urban")].area_m2.sum()
    assert urban_2020 == pytest.approx(urban_cells(res.landuse(2020)) * 900.0)
    assert "trend" in res.raw.effective_scenario_toml


def test_the_same_seed_gives_the_same_bytes_at_any_thread_count(parksim, st):
    one = parksim.simulate(st, end_year=2019, seed=11, runs=4, threads=1)
    two = parksim.simulate(st, end_year=2019, seed=11, runs=4, threads=2)
    for year in one.years:
        assert np.array_equal(one.landuse(year), two.landuse(year))
    assert np.array_equal(one.probability(), two.probability(), equal_nan=True)
    assert one.indicators().equals(two.indicators())
    other = parksim.simulate(st, end_year=2019, seed=12, runs=4, threads=2)
    assert not np.array_equal(one.probability(), other.probability(), equal_nan=True)
    # An ensemble: probabilities per class, 0..1 inside the study.
    p = one.probability("urban")
    assert p.shape == (town.SIDE, town.SIDE) and np.nanmax(p) == 1.0 and np.nanmin(p) == 0.0


def test_a_demand_table_by_class_and_year_is_met(parksim, st):
    import pandas as pd

    table = pd.DataFrame({"class": ["urban"] * 3, "year": [2016, 2017, 2018], "new_cells": [10, 30, 0]})
    res = parksim.simulate(st, demand=table, end_year=2018, seed=1)
    start = urban_cells(res.landuse(2015))
    assert [urban_cells(res.landuse(y)) - start for y in (2016, 2017, 2018)] == [10, 40, 40]
    # Totals at the end of each year, in m2, give the same run.
    totals = pd.DataFrame({"class": ["urban"] * 3, "year": [2016, 2017, 2018],
                           "area_m2": [(start + n) * 900.0 for n in (10, 40, 40)]})
    again = parksim.simulate(st, demand=totals, end_year=2018, seed=1)
    assert np.array_equal(again.landuse(2018), res.landuse(2018))


def test_class_areas_by_year_are_met_and_interpolated_between_the_years_given(parksim, st):
    # demand.method = "class_areas": the area of a class at given years (as the observed totals of a map series),
    # linear from the start map to the first year given, constant after the last.
    start = urban_cells(parksim.simulate(st, end_year=2016, seed=1).landuse(2015))
    target = start + 40
    demand = {"method": "class_areas", "class_area_km2": {"urban": {"2019": target * 900.0 / 1e6}}}
    res = parksim.simulate(st, demand=demand, end_year=2020, seed=1)
    assert [urban_cells(res.landuse(y)) - start for y in (2016, 2017, 2018, 2019, 2020)] == [10, 20, 30, 40, 40]
    with pytest.raises(parksim.ConfigError, match="no class 'orchard'"):
        parksim.simulate(st, demand={"method": "class_areas", "class_area_km2": {"orchard": {"2019": 1.0}}},
                         end_year=2020)


def test_a_demand_table_the_engine_cannot_express_is_a_usage_error(parksim, st):
    table = [{"class": "urban", "year": 2016, "new_m2": 9000.0}, {"class": "open", "year": 2016, "new_m2": 900.0},
             {"class": "urban", "year": 2017, "new_m2": 900.0}, {"class": "open", "year": 2017, "new_m2": 9000.0}]
    with pytest.raises(parksim.UsageError, match="shares differ between years"):
        parksim.simulate(st, demand=table, end_year=2017)
    with pytest.raises(parksim.UsageError, match="no class forest"):
        parksim.simulate(st, demand=[{"class": "forest", "year": 2016, "new_m2": 1.0}], end_year=2017)


def test_params_set_sim_and_suitability(parksim, st):
    # Given coefficients: urban suitability falls with the distance to the road, and nothing else.
    params = {"neighbourhood_weight": 0.0, "patch_share": 0.0, "mode": "given", "drivers": ["dist_road_m"],
              "coefficients": {"urban": {"intercept": 2.0, "dist_road_m": -0.02}}}
    res = parksim.simulate(st, params=params, end_year=2016, seed=1)
    new = (res.landuse(2016) == 1) & (res.landuse(2015) != 1)
    assert new.any()
    cols = np.nonzero(new)[1]
    assert np.abs(cols - 20).mean() < 3.0  # next to the road (column 20)
    assert "neighbourhood_weight = 0.0" in res.raw.effective_scenario_toml
    with pytest.raises(parksim.UsageError, match="params: unknown setting 'neighbourhood'") as info:
        parksim.simulate(st, params={"neighbourhood": 1}, end_year=2016)
    assert info.value.key == "params.neighbourhood"
    with pytest.raises(parksim.ConfigError, match="patch_share"):
        parksim.simulate(st, params={"sim": {"patch_share": 2.0}}, end_year=2016)
    with pytest.raises(parksim.ConfigError, match="no driver 'slope'"):
        parksim.simulate(st, params={"drivers": ["slope"]}, end_year=2016)


def test_a_study_of_one_map_needs_a_demand_other_than_trend(parksim):
    maps, _ = town.series()
    one = parksim.study({2015: maps[2015]}, grid=town.grid(parksim), classes=town.CLASSES)
    with pytest.raises(parksim.ConfigError, match="demand"):
        parksim.simulate(one, end_year=2017)
    res = parksim.simulate(one, demand={"method": "table", "table": {"outside": {"2016": 9000.0}},
                                        "class_share": {"outside": {"urban": 1.0}}}, end_year=2017)
    assert urban_cells(res.landuse(2016)) - urban_cells(res.landuse(2015)) == 10


def test_the_gil_is_released_while_simulating(parksim):
    from conftest import ticks_during

    maps, road = town.series(side=200, first=400, per_date=1500, years=(2000, 2010))
    big = parksim.study(maps, grid=town.grid(parksim, side=200), classes=town.CLASSES, drivers=town.drivers(road))
    ticks, elapsed = ticks_during(lambda: parksim.simulate(big, end_year=2030, seed=1, runs=2))
    assert elapsed > 0.05
    assert ticks >= max(10, int(elapsed * 1000 * 0.1))


def test_progress_is_reported_and_false_cancels(parksim, st):
    seen = []
    parksim.simulate(st, end_year=2017, progress=lambda f, m: seen.append((f, m)))
    assert seen and seen[-1][0] == pytest.approx(1.0)
    with pytest.raises(parksim.CancelledError):
        parksim.simulate(st, end_year=2017, progress=lambda f, m: f < 0.25)


def test_progress_true_shows_a_tqdm_bar_for_study_and_simulate(parksim, capsys):
    # The package's one progress convention reaches the study calls too, not only run() and ensemble().
    pytest.importorskip("tqdm", reason="python3-tqdm is in packages/test.txt")
    maps, road = town.series()
    st = parksim.study(maps, grid=town.grid(parksim), classes=town.CLASSES, drivers=town.drivers(road), progress=True)
    assert "parksim study" in capsys.readouterr().err
    parksim.simulate(st, end_year=2017, progress=True)
    err = capsys.readouterr().err
    assert "parksim simulate" in err and "100%" in err


def test_the_result_writes_a_bundle_with_the_users_codes(parksim, res, tmp_path):
    from osgeo import gdal

    res.write(tmp_path / "out")
    ds = gdal.Open(str(tmp_path / "out" / "rasters" / "landuse_2020.tif"))
    assert ds.GetGeoTransform() == (town.ORIGIN[0], 30.0, 0.0, town.ORIGIN[1], 0.0, -30.0)
    assert set(np.unique(ds.ReadAsArray())) == {11, 22, 41}


# -- Result.to_xarray ----------------------------------------------------------------------------------------

def test_to_xarray_holds_codes_cell_centres_crs_and_classes(parksim, res):
    xr = pytest.importorskip("xarray")
    da = res.to_xarray()
    assert isinstance(da, xr.DataArray) and da.dims == ("year", "y", "x") and da.dtype == np.uint8
    assert list(da.year.values) == res.years
    assert da.x.values[0] == pytest.approx(town.ORIGIN[0] + 15.0) and da.x.values[-1] == pytest.approx(
        town.ORIGIN[0] + 30.0 * town.SIDE - 15.0)
    assert da.y.values[0] == pytest.approx(town.ORIGIN[1] - 15.0) and np.all(np.diff(da.y.values) == -30.0)
    codes = np.array([11, 22, 41], np.uint8)
    assert np.array_equal(da.sel(year=2020).values, codes[res.landuse(2020)])
    assert list(da.attrs["flag_values"]) == [11, 22, 41] and da.attrs["flag_meanings"] == "open urban water"
    assert da.attrs["class_names_zh"] == ["空地", "城市", "水体"] and da.attrs["class_built"] == [0, 1, 0]
    assert da.attrs["grid_mapping"] == "spatial_ref"
    ref = da.spatial_ref.attrs
    assert "CGCS2000" in ref["crs_wkt"] and ref["crs_wkt"] == ref["spatial_ref"]
    assert ref["GeoTransform"].split() == ["440000.0", "30.0", "0.0", "4460000.0", "0.0", "-30.0"]
    # A value read at a coordinate is the class of the cell holding it.
    x, y = town.ORIGIN[0] + 20.5 * 30.0, town.ORIGIN[1] - 30.5 * 30.0
    assert da.sel(year=2015, x=x, y=y, method="nearest").item() == codes[res.landuse(2015)[30, 20]]
    one = res.to_xarray(2017)
    assert one.shape == (1, town.SIDE, town.SIDE)
    pyproj = pytest.importorskip("pyproj")
    assert pyproj.CRS.from_wkt(ref["crs_wkt"]).to_epsg() == 4548


def test_to_xarray_of_a_non_square_grid(parksim, tmp_path):
    pytest.importorskip("xarray")
    maps, _ = town.series()
    # A user's raster of 30 x 29.95 m cells keeps its grid.
    paths = {y: town.write_tif(tmp_path / f"lu_{y}.tif", m, cell_height=29.95) for y, m in maps.items()}
    st = parksim.study(paths, classes=town.CLASSES)
    assert st.grid.cell_size_m == 30.0 and st.grid.cell_height_m == 29.95 and not st.grid.square_cells
    assert st.grid.geotransform == (town.ORIGIN[0], 30.0, 0.0, town.ORIGIN[1], 0.0, -29.95)
    res = parksim.simulate(st, end_year=2016)
    da = res.to_xarray()
    assert np.allclose(np.diff(da.x.values), 30.0) and np.allclose(np.diff(da.y.values), -29.95)
    assert da.y.values[-1] == pytest.approx(town.ORIGIN[1] - 29.95 * (town.SIDE - 0.5))
    assert da.spatial_ref.attrs["GeoTransform"].split()[5] == "-29.95"
