"""A small synthetic study for the Python tests: a town of urban land spreading over open land from a point next to
a north-south road, with a lake that never changes. The growth of each date takes the open cells nearest the town
and the road, so it follows the distance to the road and to urban land - what a calibration should find.

Class codes are NOT 0..K-1 (11 open, 22 urban, 41 water), so tests see codes and class ids apart."""
import numpy as np

SIDE = 60
CELL_M = 30.0
ORIGIN = (440000.0, 4460000.0)
YEARS = (2000, 2005, 2010, 2015)
OPEN, URBAN, WATER = 11, 22, 41
CLASSES = {OPEN: {"key": "open", "name_en": "Open land", "name_zh": "空地"},
           URBAN: {"key": "urban", "name_en": "Urban", "name_zh": "城市", "built": True, "colour": "#D7301F"},
           WATER: {"key": "water", "name_en": "Water", "name_zh": "水体", "fixed": True, "colour": "#2C7FB8"}}


def grid(parksim, side=SIDE, cell_height_m=0.0):
    return parksim.GridSpec(ORIGIN[0], ORIGIN[1], CELL_M, side, side, "EPSG:4548", cell_height_m)


def series(side=SIDE, first=40, per_date=120, years=YEARS, codes=(OPEN, URBAN, WATER)):
    """({year: uint8 map of `codes` (open, urban, water)}, road distance in m as float32)."""
    open_, urban, water = codes
    r, c = np.mgrid[0:side, 0:side]
    lake = np.hypot(r - side // 5, c - side * 4 // 5) < side / 10
    score = np.hypot(r - side // 2, c - 20) + 0.5 * np.abs(c - 20)
    score[lake] = np.inf
    order = np.lexsort((np.arange(side * side), score.ravel()))
    maps = {}
    for k, year in enumerate(years):
        m = np.full(side * side, open_, np.uint8)
        m[order[: first + per_date * k]] = urban
        m = m.reshape(side, side)
        m[lake] = water
        maps[year] = m
    return maps, (np.abs(c - 20) * CELL_M).astype(np.float32)


def drivers(road):
    """The study's drivers: the road distance as a value raster, the distance to urban land every year."""
    return {"dist_road_m": road, "dist_urban_m": {"kind": "distance", "classes": ["urban"]}}


def study(parksim, side=SIDE):
    """The town as a parksim Study from arrays: the series, the class table, the drivers."""
    maps, road = series(side=side)
    return parksim.study(maps, grid=grid(parksim, side=side), classes=CLASSES, drivers=drivers(road))


def write_tif(path, values, cell_height=CELL_M, epsg=4548):
    """A GeoTIFF through GDAL's Python bindings (a user's own raster): uint8 -> Byte (nodata 255), else Float32."""
    from osgeo import gdal, osr

    byte = values.dtype == np.uint8
    ds = gdal.GetDriverByName("GTiff").Create(str(path), values.shape[1], values.shape[0], 1,
                                              gdal.GDT_Byte if byte else gdal.GDT_Float32)
    ds.SetGeoTransform((ORIGIN[0], CELL_M, 0.0, ORIGIN[1], 0.0, -cell_height))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    if byte:
        band.SetNoDataValue(255)
    band.WriteArray(values)
    ds = None
    return path


def write_roads(path, epsg=4548):
    """A GeoPackage line layer `roads` with a `class` field: the primary road along column 20 (north-south) and a
    track along row 5 (east-west)."""
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = ds.CreateLayer("roads", srs, ogr.wkbLineString)
    layer.CreateField(ogr.FieldDefn("class", ogr.OFTString))
    x = ORIGIN[0] + 20.5 * CELL_M
    y = ORIGIN[1] - 5.5 * CELL_M
    for cls, wkt in (("primary", f"LINESTRING ({x} {ORIGIN[1]}, {x} {ORIGIN[1] - SIDE * CELL_M})"),
                     ("track", f"LINESTRING ({ORIGIN[0]} {y}, {ORIGIN[0] + SIDE * CELL_M} {y})")):
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("class", cls)
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        layer.CreateFeature(f)
    ds = None
    return path
