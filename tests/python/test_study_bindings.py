"""study bindings: parksim.study() from numpy arrays, rasters or a scenario; its maps, classes, area and drivers;
bad input from Python as clear errors naming the map or driver; Study.write() as files the CLI reads."""
import os
import subprocess

import numpy as np
import pytest

import town


@pytest.fixture(scope="module")
def data():
    return town.series()


@pytest.fixture(scope="module")
def st(parksim):
    return town.study(parksim)


def test_a_study_from_arrays_holds_the_maps_classes_and_drivers(parksim, st, data):
    maps, road = data
    assert st.years == list(town.YEARS) and st.start_year == 2015
    assert st.grid == town.grid(parksim)
    assert [(c["id"], c["code"], c["key"], c["built"], c["fixed"]) for c in st.classes] == [
        (0, 11, "open", False, False), (1, 22, "urban", True, False), (2, 41, "water", False, True)]
    assert st.classes[1]["name_zh"] == "城市" and st.classes[1]["colour"] == "#D7301F"
    for year in town.YEARS:
        assert np.array_equal(st.codes(year), maps[year])
        ids = st.map(year)
        assert ids.dtype == np.uint8 and set(np.unique(ids)) == {0, 1, 2}
    assert np.array_equal(st.initial, st.map(2015))
    assert st.area.all() and not st.exclusion.any()
    assert st.driver_names == ["dist_road_m", "dist_urban_m"]
    d = st.drivers()
    assert np.array_equal(d["dist_road_m"], road)
    urban = maps[2015] == town.URBAN
    assert (d["dist_urban_m"][urban] == 0).all() and (d["dist_urban_m"][~urban] >= town.CELL_M).all()
    assert "2000, 2005, 2010, 2015" in repr(st)


def test_maps_are_read_only_views_and_the_study_owns_a_copy_of_the_input(parksim, data):
    maps, road = data
    mine = {y: m.copy() for y, m in maps.items()}
    st = parksim.study(mine, grid=town.grid(parksim), drivers={"slope": road.astype(np.float64)})
    view = st.map(2015)
    assert view.base is st.raw and not view.flags.writeable and not view.flags.owndata
    with pytest.raises(ValueError):
        view[0, 0] = 0
    mine[2015][:] = town.OPEN  # the caller's array changes; the study does not
    assert (st.codes(2015) == maps[2015]).all()
    # Without a class table every code is a class, named class_<code>.
    assert [c["key"] for c in st.classes] == ["class_11", "class_22", "class_41"]


def test_a_class_table_from_a_csv_file_or_a_dataframe(parksim, data, tmp_path):
    import pandas as pd

    maps, _ = data
    csv = tmp_path / "classes.csv"
    csv.write_text("code,key,name_en,name_zh,built,fixed,colour\n11,open,Open land,空地,false,false,\n"
                   "22,urban,Urban,城市,true,false,#D7301F\n41,water,Water,水体,false,true,#2C7FB8\n", encoding="utf-8")
    frame = pd.DataFrame([{"code": code, **c} for code, c in town.CLASSES.items()])
    expected = [(11, "open", False, False, "空地"), (22, "urban", True, False, "城市"), (41, "water", False, True, "水体")]
    for classes in (csv, frame):
        st = parksim.study(maps, grid=town.grid(parksim), classes=classes)
        assert [(c["code"], c["key"], c["built"], c["fixed"], c["name_zh"]) for c in st.classes] == expected
    # A file is a complete table too: a code of the maps it lacks is named.
    csv.write_text("code,key\n11,open\n22,urban\n", encoding="utf-8")
    with pytest.raises(parksim.DataError, match=r"the map of 2000: code 41 \(first at row \d+, column \d+\)"):
        parksim.study(maps, grid=town.grid(parksim), classes=csv)


def test_the_drivers_kinds_from_arrays(parksim, data):
    maps, road = data
    roads = np.zeros(road.shape, np.uint8)
    roads[:, 20] = 1
    st = parksim.study(maps, grid=town.grid(parksim), classes=town.CLASSES, drivers={
        "to_road": {"kind": "distance", "source": roads},
        "price": {2000: road * 2, 2010: road * 3},
        "near_urban": {"kind": "distance", "classes": ["urban"], "transform": "decay", "length_m": 300.0}})
    # Distance to the non-zero cells of an array: the road column is 0, its neighbours one cell away.
    assert np.allclose(st.drivers()["to_road"], road)
    # A value that changes by year: the version in effect in the year.
    assert np.allclose(st.drivers(2005)["price"], road * 2) and np.allclose(st.drivers(2015)["price"], road * 3)
    assert np.allclose(st.drivers(1990)["price"], road * 2)  # the first version also before it
    assert st.drivers()["near_urban"].max() == pytest.approx(1.0)


def test_drivers_and_masks_from_vector_files(parksim, data, tmp_path):
    maps, road = data
    roads = town.write_roads(tmp_path / "roads.gpkg")
    half = tmp_path / "half.gpkg"
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4548)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(half))
    layer = ds.CreateLayer("west", srs, ogr.wkbPolygon)
    x0, y0 = town.ORIGIN
    f = ogr.Feature(layer.GetLayerDefn())
    f.SetGeometry(ogr.CreateGeometryFromWkt(f"POLYGON (({x0} {y0}, {x0 + 900} {y0}, {x0 + 900} {y0 - 1800}, "
                                            f"{x0} {y0 - 1800}, {x0} {y0}))"))
    layer.CreateFeature(f)
    ds = None
    st = parksim.study(maps, grid=town.grid(parksim), classes=town.CLASSES, mask=(half, "west"), drivers={
        "to_primary": {"kind": "distance", "source": roads, "where": "class = 'primary'"},
        "to_track": {"kind": "distance", "source": roads, "where": "class = 'track'"}})
    assert st.area[:, :30].all() and not st.area[:, 30:].any()  # cells whose centre lies in the polygon
    d = st.drivers()
    inside = st.area == 1
    assert np.allclose(d["to_primary"][inside], road[inside])
    rows = np.abs(np.arange(town.SIDE) - 5)[:, None] * town.CELL_M
    assert np.allclose(d["to_track"][inside], np.broadcast_to(rows, road.shape)[inside])


def test_mask_and_exclusion_arrays(parksim, data):
    maps, road = data
    mask = np.ones(road.shape, bool)
    mask[:, 50:] = False
    exclusion = np.zeros(road.shape, np.int32)
    exclusion[:10, :] = 7
    st = parksim.study(maps, grid=town.grid(parksim), mask=mask, exclusion=exclusion)
    assert np.array_equal(st.area, mask.astype(np.uint8))
    assert (st.map(2000)[:, 50:] == 255).all() and (st.codes(2000)[:, 50:] == 255).all()
    assert np.array_equal(st.exclusion, (exclusion != 0).astype(np.uint8))


def test_a_study_from_rasters_equals_the_study_from_the_same_arrays(parksim, st, data, tmp_path):
    maps, road = data
    paths = {y: town.write_tif(tmp_path / f"lu_{y}.tif", m) for y, m in maps.items()}
    town.write_tif(tmp_path / "road.tif", road)
    files = parksim.study(paths, classes=town.CLASSES, drivers={
        "dist_road_m": tmp_path / "road.tif", "dist_urban_m": {"kind": "distance", "classes": ["urban"]}})
    assert files.grid == st.grid and files.years == st.years and files.classes == st.classes
    for y in town.YEARS:
        assert np.array_equal(files.map(y), st.map(y))
    for name, values in st.drivers().items():
        assert np.array_equal(files.drivers()[name], values), name
    # A raster study may take a driver as an array too (on the maps' grid).
    mixed = parksim.study(paths, classes=town.CLASSES, drivers={"dist_road_m": road})
    assert np.array_equal(mixed.drivers()["dist_road_m"], road)


def test_a_study_from_a_scenario(parksim, st, tmp_path):
    toml = st.write(tmp_path / "study")
    from_file = parksim.study(toml)
    assert from_file.classes == st.classes and from_file.years == st.years
    for y in st.years:
        assert np.array_equal(from_file.map(y), st.map(y))
    assert from_file.driver_names == st.driver_names


# -- bad input from Python: each a clear exception naming the map or driver ------------------------------------

def test_a_float_map_is_a_data_error_naming_its_year(parksim, data):
    maps, _ = data
    bad = dict(maps)
    bad[2010] = maps[2010].astype(np.float32)
    with pytest.raises(parksim.DataError, match=r"the map of 2010 has dtype float32; a land-use map holds integer "
                                                r"class codes") as info:
        parksim.study(bad, grid=town.grid(parksim))
    assert info.value.key == "maps[2010]" and info.value.exit_code == 5


def test_a_code_not_in_the_class_table_is_a_data_error_naming_map_code_and_cell(parksim, data):
    maps, _ = data
    bad = dict(maps)
    bad[2005] = maps[2005].copy()
    bad[2005][3, 4] = 99
    with pytest.raises(parksim.DataError, match=r"the map of 2005: code 99 \(first at row 3, column 4\) is not in the "
                                                r"class table \(codes: 11, 22, 41\)") as info:
        parksim.study(bad, grid=town.grid(parksim), classes=town.CLASSES)
    assert info.value.key == "maps[2005]"
    assert info.value.coordinate == pytest.approx((town.ORIGIN[0] + 4.5 * 30, town.ORIGIN[1] - 3.5 * 30))
    # A value that is no class code at all (outside 0..255) in a wider dtype names the cell too.
    bad[2005] = maps[2005].astype(np.int16)
    bad[2005][7, 8] = 300
    with pytest.raises(parksim.DataError, match=r"the map of 2005 has value 300 \(first at row 7, column 8\)"):
        parksim.study(bad, grid=town.grid(parksim))


def test_a_code_not_in_the_class_table_of_a_raster_names_the_file(parksim, data, tmp_path):
    maps, _ = data
    bad = maps[2010].copy()
    bad[0, 0] = 99
    paths = {2005: town.write_tif(tmp_path / "lu_2005.tif", maps[2005]), 2010: town.write_tif(tmp_path / "b.tif", bad)}
    with pytest.raises(parksim.DataError, match="code 99 .first at row 0, column 0. is not in the class table") as info:
        parksim.study(paths, classes=town.CLASSES)
    assert info.value.path.endswith("b.tif")


def test_maps_of_different_shapes_are_a_data_error_naming_the_map(parksim, data):
    maps, _ = data
    bad = dict(maps)
    bad[2015] = maps[2015][:50, :]
    with pytest.raises(parksim.DataError, match=r"the map of 2015 has shape \(50, 60\), the grid has 60 rows and 60 "
                                                r"columns") as info:
        parksim.study(bad, grid=town.grid(parksim))
    assert info.value.key == "maps[2015]"
    bad[2015] = np.stack([maps[2015], maps[2015]])
    with pytest.raises(parksim.DataError, match="the map of 2015 must be a 2-D array"):
        parksim.study(bad, grid=town.grid(parksim))


def test_a_driver_array_of_the_wrong_shape_is_a_data_error_naming_the_driver(parksim, data):
    maps, road = data
    with pytest.raises(parksim.DataError, match=r"the array of driver 'slope' has shape \(60, 59\)") as info:
        parksim.study(maps, grid=town.grid(parksim), drivers={"slope": road[:, 1:]})
    assert info.value.key == "drivers.slope"
    with pytest.raises(parksim.DataError, match=r"the array of driver 'price' for 2010 has shape \(3, 3\)"):
        parksim.study(maps, grid=town.grid(parksim), drivers={"price": {2000: road, 2010: np.zeros((3, 3))}})
    with pytest.raises(parksim.DataError, match="the array of driver 'price' for 2010 must be a 2-D array"):
        parksim.study(maps, grid=town.grid(parksim), drivers={"price": {2000: road, 2010: np.zeros(3)}})
    with pytest.raises(parksim.DataError, match="the array of driver 'label' has dtype <U1; drivers are numbers"):
        parksim.study(maps, grid=town.grid(parksim), drivers={"label": np.full(road.shape, "a")})


def test_two_maps_of_one_year_are_a_config_error_naming_the_year(parksim, data):
    maps, _ = data
    with pytest.raises(parksim.ConfigError, match="two maps for 2005") as info:
        parksim.study([(2005, maps[2005]), (2010, maps[2010]), (2005, maps[2000])], grid=town.grid(parksim))
    assert info.value.key == "maps[2005]"


def test_declarations_the_engine_refuses_name_the_driver(parksim, data):
    maps, road = data
    with pytest.raises(parksim.ConfigError, match="driver 'near': no class 'forest'"):
        parksim.study(maps, grid=town.grid(parksim), classes=town.CLASSES,
                      drivers={"near": {"kind": "distance", "classes": ["forest"]}})
    with pytest.raises(parksim.ConfigError, match="'drivers.x.kind': must be one of"):
        parksim.study(maps, grid=town.grid(parksim), drivers={"x": {"kind": "nearness", "source": road}})


def test_arguments_that_do_not_fit_are_usage_errors(parksim, data, tmp_path):
    maps, road = data
    with pytest.raises(parksim.UsageError, match="grid=GridSpec") as info:
        parksim.study(maps)
    assert info.value.key == "grid"
    with pytest.raises(parksim.UsageError, match="mix"):
        parksim.study({2000: maps[2000], 2005: "lu_2005.tif"}, grid=town.grid(parksim))
    no_crs = parksim.GridSpec(0.0, 0.0, 30.0, 60, 60, "")
    with pytest.raises(parksim.UsageError, match="the grid needs a CRS"):
        parksim.study(maps, grid=no_crs)
    paths = {2000: town.write_tif(tmp_path / "a.tif", maps[2000])}
    with pytest.raises(parksim.UsageError, match="with raster maps, give mask as a raster or vector file"):
        parksim.study(paths, mask=np.ones(road.shape))


def test_write_gives_files_the_cli_runs_as_the_study_simulates(parksim, st, tmp_path):
    cli = os.environ.get("PARKSIM_BIN")
    if not cli:
        pytest.skip("PARKSIM_BIN not set (the CLI target is not built)")
    toml = st.write(tmp_path / "study", demand="trend", params={"patch_share": 0.0}, seed=5)
    text = toml.read_text(encoding="utf-8")
    assert "2015 = 'landuse_2015.tif'" in text and "method = 'trend'" in text and "seed = 5" in text
    assert "22 = { built = true, colour = '#D7301F', key = 'urban', name_en = 'Urban', name_zh = '城市' }" in text
    assert "source = 'driver_dist_road_m.tif'" in text
    with pytest.raises(parksim.OutputExistsError):
        st.write(tmp_path / "study")
    proc = subprocess.run([cli, "run", str(toml), "--end", "2018", "--out", str(tmp_path / "run"), "--quiet"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    res = parksim.simulate(st, demand="trend", params={"patch_share": 0.0}, seed=5, end_year=2018)
    from osgeo import gdal

    for year in (2016, 2018):
        cli_map = gdal.Open(str(tmp_path / "run" / "rasters" / f"landuse_{year}.tif")).ReadAsArray()
        assert np.array_equal(cli_map, res.to_xarray(year).values[0]), year


PIE = __import__("conftest").SOURCE_DIR.parent / "shared" / "data" / "pie"


@pytest.mark.skipif(not (PIE / "lu_1985.tif").exists(), reason=f"{PIE} is not here")
def test_a_real_series_as_arrays_equals_the_same_rasters(parksim):
    """Plum Island (../shared/data/pie, used from there): its maps read into arrays (nodata 0 -> 255) on the grid of
    its 99.92 x 99.95 m cells give the study and the simulation the rasters give."""
    from osgeo import gdal

    classes = {1: "forest", 2: {"key": "built", "built": True}, 3: "other"}
    drivers = {"slope": PIE / "ef_002_slope.tif", "dist_built_m": {"kind": "distance", "classes": ["built"]}}
    files = parksim.study({1985: PIE / "lu_1985.tif", 1991: PIE / "lu_1991.tif"}, classes=classes, drivers=drivers)
    ds = gdal.Open(str(PIE / "lu_1991.tif"))
    x0, width, _, y0, _, height = ds.GetGeoTransform()
    grid = parksim.GridSpec(x0, y0, width, ds.RasterYSize, ds.RasterXSize, ds.GetProjection(), -height)
    nodata = ds.GetRasterBand(1).GetNoDataValue()
    arrays = {}
    for year in (1985, 1991):
        values = gdal.Open(str(PIE / f"lu_{year}.tif")).ReadAsArray()
        arrays[year] = np.where(values == nodata, 255, values).astype(np.uint8)
    slope_ds = gdal.Open(str(PIE / "ef_002_slope.tif"))  # (a band outlives its dataset only while it is referenced)
    slope_band = slope_ds.GetRasterBand(1)
    slope = slope_band.ReadAsArray().astype(np.float32)
    if slope_band.GetNoDataValue() is not None:
        slope[slope == slope_band.GetNoDataValue()] = np.nan  # NaN: no value (takes the mean, as the file's nodata)
    st = parksim.study(arrays, grid=grid, classes=classes, drivers={**drivers, "slope": slope})
    assert st.grid.shape == files.grid.shape == (434, 497) and not st.grid.square_cells
    assert st.grid.geotransform == pytest.approx(files.grid.geotransform, rel=1e-12)
    assert [c["key"] for c in st.classes] == [c["key"] for c in files.classes] == ["forest", "built", "other"]
    for year in (1985, 1991):
        assert np.array_equal(st.map(year), files.map(year))
    assert int((st.map(1991) == 1).sum()) == 40_350  # the README's 1991 count of Built cells (class id 1)
    a = parksim.simulate(st, end_year=1993, seed=4)
    b = parksim.simulate(files, end_year=1993, seed=4)
    assert np.array_equal(a.landuse(1993), b.landuse(1993))
    assert (a.landuse(1993) == 1).sum() > (a.landuse(1991) == 1).sum()
