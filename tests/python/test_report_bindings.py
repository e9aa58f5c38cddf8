"""report: RunResult maps as zero-copy views, its tables as frames, parcels as a GeoDataFrame, the bundle."""
import json

import numpy as np
import pytest

PARCEL_COLUMNS = ["parcel_id", "phase", "zone", "landuse", "landuse_en", "status", "area_m2", "area_mu", "far",
                  "name_zh", "data_status", "accuracy_m", "source", "dev_year", "dev_share",
                  "dev_prob", "sim_class", "class_key", "alloc_zone", "alloc_lu", "alloc_kept",
                  "alloc_year", "alloc_fit", "geometry"]


def test_landuse_is_a_view_of_engine_memory(small_result):
    year = small_result.years[-1]
    a = small_result.landuse(year)
    b = small_result.landuse(year)
    assert a.base is small_result.raw          # the engine's owner object holds the memory
    assert not a.flags.owndata and not a.flags.writeable
    assert a.__array_interface__["data"][0] == b.__array_interface__["data"][0]  # same memory, no copy
    assert a.dtype == np.uint8 and a.shape == (small_result.grid.rows, small_result.grid.cols)
    with pytest.raises(ValueError):
        a[0, 0] = 1


def test_view_keeps_the_result_alive(parksim, small_scenario):
    res = parksim.run(small_scenario, seed=3)
    view = res.landuse(res.start_year)
    expected = np.array(view)
    del res
    import gc

    gc.collect()
    assert np.array_equal(view, expected)


def test_map_cells_add_up_to_the_area_table(small_result):
    year = small_result.years[-1]
    m = small_result.landuse(year)
    areas = small_result.areas()
    per_class = areas[areas.year == year].groupby("sim_class").area_m2.sum()
    cell = small_result.grid.cell_area_m2
    for k, area in per_class.items():
        assert np.count_nonzero(m == k) * cell == pytest.approx(area)


def test_years_are_the_start_and_every_simulated_year(small_result):
    assert small_result.years == list(range(2025, 2030))
    import parksim

    assert small_result.landuse(2026).shape == small_result.landuse(2025).shape  # every year has its map
    with pytest.raises(parksim.UsageError):
        small_result.landuse(2031)  # after the end year


def test_parcels_is_a_geodataframe_in_epsg_4548_with_the_result_columns(small_result):
    gdf = small_result.parcels()
    assert gdf.crs.to_epsg() == 4548
    assert list(gdf.columns) == PARCEL_COLUMNS
    assert len(gdf) == small_result.raw.plan.parcel_count
    assert gdf.geometry.is_valid.all()
    # Built parcels were developed in the start year.
    built = gdf[gdf.status == "built"]
    assert (built.dev_year.dropna() == small_result.start_year).all()
    assert str(gdf.dev_year.dtype) == "Int64"


def test_indicators_are_a_dataframe_with_the_csv_columns(small_result):
    df = small_result.indicators()
    assert list(df.columns) == ["scenario", "year", "indicator_id", "label_zh", "label_en", "unit", "value"]
    assert "plan_total_km2" in set(df.indicator_id)
    assert small_result.indicator("plan_total_km2") == pytest.approx(7.2, rel=0.01)


def test_allocation_reports_status_and_constraints(small_result):
    a = small_result.allocation()
    assert a["status"] in {"optimal", "feasible", "infeasible", "no_solution"}
    assert {"name", "achieved", "target", "shadow_price", "binding"} <= set(a["constraints"].columns)


def test_probability_needs_an_ensemble(parksim, small_result):
    with pytest.raises(parksim.UsageError):
        small_result.probability(0)


def test_write_bundle_refuses_to_overwrite(parksim, small_result, tmp_path):
    out = tmp_path / "bundle"
    small_result.write(out, formats=["gpkg"], rasters=False, html=False)
    assert (out / "results.gpkg").is_file()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest
    with pytest.raises(parksim.OutputExistsError) as info:
        small_result.write(out, rasters=False, html=False)
    assert info.value.exit_code == 9
    small_result.write(out, rasters=False, html=False, overwrite=True)


def test_results_gpkg_parcels_match_the_in_memory_frame(small_result, tmp_path):
    import geopandas as gpd

    out = tmp_path / "b"
    small_result.write(out, rasters=False, html=False)
    on_disk = gpd.read_file(out / "results.gpkg", layer="parcels")
    in_memory = small_result.parcels()
    assert list(on_disk.parcel_id) == list(in_memory.parcel_id)
    assert np.allclose(on_disk.dev_prob, in_memory.dev_prob)


def test_drivers_are_zero_copy_views_of_the_start_year_drivers(small_result):
    drivers = small_result.drivers()
    assert list(drivers) == ["dist_g6_m", "dist_g7_m", "dist_station_m", "dist_beiqing_m", "dist_built_m",
                             "corridor_tier"]
    for name, grid in drivers.items():
        assert grid.dtype == np.float32 and grid.shape == small_result.grid.shape, name
        assert grid.base is small_result.raw and not grid.flags.writeable
        assert np.all(np.isfinite(grid)), name
    assert small_result.raw.driver_units["dist_g6_m"] == "m"
    # dist_built_m is 0 on cells built at the start and positive elsewhere.
    start = small_result.landuse(small_result.years[0])
    built = np.isin(start, [c["id"] for c in small_result.classes if c["built"]])
    assert np.all(drivers["dist_built_m"][built] == 0) and np.all(drivers["dist_built_m"][~built & (start != 255)] > 0)
