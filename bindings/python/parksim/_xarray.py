"""Result.to_xarray(): the land use of a run by year as an xarray DataArray (Debian's python3-xarray), georeferenced
the way rioxarray and the CF conventions read it."""

import numpy as np

__all__ = ["landuse_dataarray"]


def landuse_dataarray(result, years=None):
    """Land use of `result` (a parksim Result) in `years` (DEFAULT every year with a map) as an xarray DataArray
    ``landuse`` of dims (year, y, x), uint8 CLASS CODES - the values of the study's own maps (for a plan study, the
    class ids) - with 255 = outside the study area / no data.

    Coordinates: ``x`` / ``y`` the cell centres in the grid's CRS (metres; y descending, row 0 is the northern row;
    cells may be non-square: x steps by GridSpec.cell_size_m, y by cell_height_m), ``year``, and ``spatial_ref``, a
    scalar whose attributes ``crs_wkt`` / ``spatial_ref`` (WKT2 from PROJ) and ``GeoTransform`` (GDAL order) carry
    the CRS as rioxarray and CF readers expect (``grid_mapping = "spatial_ref"`` on the array).
    Attributes: ``flag_values`` (the class codes) and ``flag_meanings`` (their keys, CF categorical data),
    ``class_codes``, ``class_keys``, ``class_names_en``, ``class_names_zh``, ``class_colours``, ``class_built``,
    ``_FillValue`` 255, ``scenario``, ``seed``, ``run`` 0 (an ensemble's first run).
    The maps are copied once, through the classes' code table (the Result's own maps are class ids).
    """
    import xarray as xr

    grid = result.grid
    years = result.years if years is None else [int(y) for y in ([years] if np.isscalar(years) else years)]
    classes = sorted(result.classes, key=lambda c: c["id"])
    codes = np.full(256, 255, np.uint8)
    for c in classes:
        codes[c["id"]] = c.get("code", c["id"])
    data = np.empty((len(years), grid.rows, grid.cols), np.uint8)
    for i, year in enumerate(years):
        np.take(codes, result.landuse(year), out=data[i])
    width, height = grid.cell_size_m, grid.cell_height_m
    x = grid.origin_x + (np.arange(grid.cols) + 0.5) * width
    y = grid.origin_y - (np.arange(grid.rows) + 0.5) * height
    wkt = grid.crs_wkt
    transform = f"{grid.origin_x!r} {width!r} 0.0 {grid.origin_y!r} 0.0 {-height!r}"
    spatial_ref = xr.DataArray(0, attrs={"crs_wkt": wkt, "spatial_ref": wkt, "GeoTransform": transform,
                                         "crs": grid.crs})
    attrs = {
        "long_name": "land-use class code",
        "grid_mapping": "spatial_ref",
        "_FillValue": np.uint8(255),
        "flag_values": np.array([c.get("code", c["id"]) for c in classes], np.uint8),
        "flag_meanings": " ".join(c["key"] for c in classes),
        "class_codes": [int(c.get("code", c["id"])) for c in classes],
        "class_keys": [c["key"] for c in classes],
        "class_names_en": [c["name_en"] for c in classes],
        "class_names_zh": [c["name_zh"] for c in classes],
        "class_colours": [c["colour"] for c in classes],
        "class_built": [int(bool(c["built"])) for c in classes],
        "scenario": result.scenario_name,
        "seed": int(result.seed),
        "run": 0,
    }
    return xr.DataArray(
        data, dims=("year", "y", "x"), name="landuse", attrs=attrs,
        coords={"year": np.array(years, np.int32),
                "y": ("y", y, {"units": "m", "standard_name": "projection_y_coordinate", "axis": "Y"}),
                "x": ("x", x, {"units": "m", "standard_name": "projection_x_coordinate", "axis": "X"}),
                "spatial_ref": spatial_ref})
