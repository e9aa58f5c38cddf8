"""report: RunResult maps as zero-copy views, its tables as frames, parcels as a GeoDataFrame, the bundle."""
import json

import numpy as np
import pytest

PARCEL_COLUMNS = ["parcel_id", "phase", "zone", "landuse", "landuse_en", "status", "area_m2", "area_mu", "far",
                  "name_zh", "data_status", "accuracy_m", "source", "dev_year", "dev_share",
                  "dev_prob", "sim_class", "class_key", "alloc_zone", "alloc_lu", "alloc_kept",
                  "alloc_year", "alloc_fit", "gfa_m2", "geometry"]


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


def test_a_figure_without_a_year_has_year_none(small_result):
    df = small_result.indicators()
    assert str(df.year.dtype) == "Int64"
    plan = df[df.indicator_id == "plan_total_km2"]
    assert plan.year.isna().all()                      # as null in indicators.json, empty in indicators.csv
    assert not (df.year == 0).any()
    developed = df[df.indicator_id == "developed_km2"]
    assert list(developed.year) == small_result.years
    assert small_result.indicator("developed_km2", small_result.end_year) == \
        pytest.approx(float(developed.value.iloc[-1]))
    with pytest.raises(KeyError, match="without a year"):
        small_result.indicator("developed_km2")


def test_result_shows_itself_as_html_in_a_notebook(small_result):
    page = small_result._repr_html_()
    assert "parksim result: pytest-small" in page
    assert "Does the Python binding run a scenario end to end?" in page
    for c in small_result.classes:
        assert f"background:{c['colour']}" in page and c["key"] in page
    assert "Planned area, all phases" in page
    assert "problem(s) reported" in page


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
    assert list(drivers) == ["dist_g6_m", "dist_g7_m", "station_access", "beiqing_access", "dist_built_m",
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


@pytest.fixture(scope="module")
def raster_study(parksim, tmp_path_factory):
    """A study of three land-use rasters alone (no plan: no parcels, phases, zones or stations), as a researcher
    with a map series has it: codes 1 farmland, 2 town (built), 3 river (fixed)."""
    from osgeo import gdal, osr

    folder = tmp_path_factory.mktemp("raster_study")
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32650)
    for k, year in enumerate((2005, 2010, 2015)):
        rows, cols = np.mgrid[0:40, 0:50]
        a = np.ones((40, 50), np.uint8)
        a[(rows - 20) ** 2 + (cols - 25) ** 2 < (8 + 4 * k) ** 2] = 2
        a[:, 45:] = 3
        ds = gdal.GetDriverByName("GTiff").Create(str(folder / f"lu_{year}.tif"), 50, 40, 1, gdal.GDT_Byte)
        ds.SetGeoTransform([500000, 30, 0, 4400000, 0, -30])
        ds.SetProjection(srs.ExportToWkt())
        ds.GetRasterBand(1).WriteArray(a)
        ds.GetRasterBand(1).SetNoDataValue(0)
        ds = None
    sc = parksim.load_scenario({
        "name": "town", "question": "Where does the town grow?", "seed": 3,
        "years": {"start": 2015, "end": 2020},
        "study": {"maps": {str(y): str(folder / f"lu_{y}.tif") for y in (2005, 2010, 2015)}},
        "classes": {"codes": {"1": {"key": "farmland", "name_zh": "耕地"}, "2": {"key": "town", "built": True},
                              "3": {"key": "river", "fixed": True}}},
        "demand": {"method": "trend"}})
    return parksim.run(sc, runs=2), folder


def test_a_study_without_a_plan_gives_a_result_with_empty_plan_layers(raster_study, tmp_path):
    res, _ = raster_study
    assert res.parcels().empty and list(res.parcels().columns) == PARCEL_COLUMNS
    assert res.layer("stations").empty
    assert res.allocation() is None
    assert [c["code"] for c in res.classes] == [1, 2, 3]
    assert res.probability("town").shape == (40, 50)
    page = res._repr_html_()
    assert "none (a study without a plan)" in page and "town" in page
    out = res.write(tmp_path / "bundle", formats=("gpkg", "shp"))
    html = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert "n/a — no parcels." in html and "Opens on the whole study area." in html
    from osgeo import gdal

    ds = gdal.Open(str(out / "rasters" / "landuse_2020.tif"))  # keep the dataset while its band is used
    band = ds.GetRasterBand(1)
    assert set(np.unique(band.ReadAsArray())) <= {1, 2, 3, 255}  # the researcher's codes, not the class ids
    assert band.GetDefaultRAT().GetRowCount() == 3
