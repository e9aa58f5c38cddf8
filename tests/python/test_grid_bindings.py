"""grid: GridSpec - construction (validated), geometry, equality and pickling."""
import pickle

import pytest


def test_a_grid_spec_knows_its_bounds_shape_and_geotransform(parksim):
    g = parksim.GridSpec(origin_x=440000.0, origin_y=4460000.0, cell_size_m=30.0, rows=4, cols=5)
    assert g.crs == "EPSG:4548" and g.shape == (4, 5)
    assert g.bounds == (440000.0, 4460000.0 - 4 * 30.0, 440000.0 + 5 * 30.0, 4460000.0)
    assert g.geotransform == (440000.0, 30.0, 0.0, 4460000.0, 0.0, -30.0)
    assert g.cell_area_m2 == 900.0
    assert "4 x 5 cells" in repr(g)


def test_grid_specs_compare_and_pickle_by_value(parksim, small_result):
    g = small_result.grid
    back = pickle.loads(pickle.dumps(g))
    assert back == g and back is not g
    assert (back.rows, back.cols, back.cell_size_m, back.origin_x, back.origin_y, back.crs) == \
        (g.rows, g.cols, g.cell_size_m, g.origin_x, g.origin_y, g.crs)
    other = parksim.GridSpec(g.origin_x, g.origin_y, g.cell_size_m * 2, g.rows, g.cols, g.crs)
    assert other != g


@pytest.mark.parametrize("cell, rows", [(0.0, 3), (-5.0, 3), (float("nan"), 3), (30.0, -1)])
def test_an_invalid_grid_is_a_config_error(parksim, cell, rows):
    with pytest.raises(parksim.ConfigError):
        parksim.GridSpec(0.0, 0.0, cell, rows, 3)


def test_a_grid_of_non_square_cells_keeps_its_cell_height(parksim):
    g = parksim.GridSpec(440000.0, 4460000.0, 99.92, 4, 5, "EPSG:4548", cell_height_m=99.95)
    assert g.cell_size_m == 99.92 and g.cell_height_m == 99.95 and not g.square_cells
    assert g.geotransform == (440000.0, 99.92, 0.0, 4460000.0, 0.0, -99.95)
    assert g.bounds[1] == pytest.approx(4460000.0 - 4 * 99.95)
    assert g.cell_area_m2 == pytest.approx(99.92 * 99.95)
    assert "99.92" in repr(g) and "99.95" in repr(g)
    back = pickle.loads(pickle.dumps(g))
    assert back == g and back.cell_height_m == 99.95
    assert g != parksim.GridSpec(440000.0, 4460000.0, 99.92, 4, 5, "EPSG:4548")
    square = parksim.GridSpec(0.0, 0.0, 30.0, 2, 2)
    assert square.cell_height_m == 30.0 and square.square_cells
    with pytest.raises(parksim.ConfigError):
        parksim.GridSpec(0.0, 0.0, 30.0, 2, 2, cell_height_m=-1.0)


def test_the_crs_as_wkt(parksim):
    wkt = parksim.GridSpec(0.0, 0.0, 30.0, 2, 2, "EPSG:32650").crs_wkt
    assert wkt.startswith("PROJCRS[") and "UTM zone 50N" in wkt
    assert parksim.GridSpec(0.0, 0.0, 30.0, 2, 2, "").crs_wkt == ""
    with pytest.raises(parksim.CrsError):
        parksim.GridSpec(0.0, 0.0, 30.0, 2, 2, "EPSG:999999").crs_wkt
