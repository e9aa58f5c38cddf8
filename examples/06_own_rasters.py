"""Example 06 (your own data): forecast land use from your own land-use rasters, on the command line and in Python.

    PYTHONPATH=build/dev/python:bindings/python /usr/bin/python3 examples/06_own_rasters.py --data DIR

DIR holds what a researcher brings: land-use maps `landuse_<year>.tif` (two or more dates, integer class codes, one
grid), `slope.tif` on the same grid, and `roads.gpkg` (a line layer with a `class` field). Edit CLASSES and the
drivers below for your data. The test suite runs this on a SYNTHETIC series it generates (a town growing along a
primary road); no such series of the park is bundled.

1. Command line: write a study scenario naming the files, `parksim calibrate` it, `parksim run calibrated.toml
   --end YEAR` to forecast from the latest map.
2. Python: the same study from numpy arrays, parksim.calibrate(), forecast, and the result as an xarray DataArray.
Both give the same calibrated scenario and the same forecast, cell for cell.
"""

import argparse
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
from osgeo import gdal

import parksim

ROOT = Path(__file__).resolve().parents[1]
# The class table of the maps: code -> key, names, built (developed land: grows, never reverts), fixed (never
# changes). Codes not listed here are an error, so every code of the maps must be in it.
CLASSES = {22: {"key": "urban", "name_en": "Urban", "name_zh": "城市", "built": True, "colour": "#D7301F"},
           82: {"key": "cropland", "name_en": "Cropland", "name_zh": "耕地", "colour": "#F0E442"},
           11: {"key": "water", "name_en": "Water", "name_zh": "水体", "fixed": True, "colour": "#2C7FB8"}}

STUDY = """name = "my-town"
[study.maps]
{maps}
[classes.codes.22]
key = "urban"
name_en = "Urban"
name_zh = "城市"
built = true
colour = "#D7301F"
[classes.codes.82]
key = "cropland"
name_en = "Cropland"
name_zh = "耕地"
colour = "#F0E442"
[classes.codes.11]
key = "water"
name_en = "Water"
name_zh = "水体"
fixed = true
colour = "#2C7FB8"

[drivers.slope_deg]        # a raster's values
kind = "value"
source = "{data}/slope.tif"
[drivers.dist_road_m]      # distance to the primary roads of a vector layer
kind = "distance"
source = "{data}/roads.gpkg"
where = "class = 'primary'"
[drivers.dist_urban_m]     # distance to urban land, measured on every simulated year's map
kind = "distance"
classes = ["urban"]
"""


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True, help="folder with landuse_<year>.tif, slope.tif and roads.gpkg")
    p.add_argument("--end-year", type=int, default=2030, help="last forecast year")
    p.add_argument("--budget", type=int, default=20, help="objective evaluations of the calibration's search")
    p.add_argument("--out", default="example-output", help="folder for the outputs")
    p.add_argument("--cli", default=os.environ.get("PARKSIM_BIN") or shutil.which("parksim")
                   or str(ROOT / "build" / "release" / "bin" / "parksim"), help="the parksim command")
    args = p.parse_args(argv)
    data, out = Path(args.data).resolve(), Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    files = sorted(data.glob("landuse_*.tif"))
    years = [int(f.stem.split("_")[1]) for f in files]

    # -- 1. The command line
    study = out / "06_study.toml"
    study.write_text(STUDY.format(maps="\n".join(f'{y} = "{f}"' for y, f in zip(years, files)), data=data),
                     encoding="utf-8")
    cli_cal, cli_run = out / "06_cli_calibration", out / "06_cli_forecast"
    for command in ([args.cli, "calibrate", study, "--budget", args.budget, "--out", cli_cal, "--overwrite"],
                    [args.cli, "run", cli_cal / "calibrated.toml", "--end", args.end_year, "--out", cli_run,
                     "--overwrite", "--quiet"]):
        print("$", " ".join(map(str, command)))
        subprocess.run([str(c) for c in command], check=True)

    # -- 2. Python: the maps and the slope as arrays (read with GDAL here; any source of arrays will do)
    first = gdal.Open(str(files[-1]))
    x0, width, _, y0, _, height = first.GetGeoTransform()
    grid = parksim.GridSpec(x0, y0, width, first.RasterYSize, first.RasterXSize, crs=first.GetProjection(),
                            cell_height_m=-height)
    maps = {y: gdal.Open(str(f)).ReadAsArray() for y, f in zip(years, files)}
    st = parksim.study(maps, grid=grid, classes=CLASSES, name="my-town", drivers={
        "slope_deg": gdal.Open(str(data / "slope.tif")).ReadAsArray(),
        "dist_road_m": {"kind": "distance", "source": data / "roads.gpkg", "where": "class = 'primary'"},
        "dist_urban_m": {"kind": "distance", "classes": ["urban"]}})
    print(st)

    cal = parksim.calibrate(st, budget=args.budget, folder=out / "06_python_calibration", overwrite=True)
    print(f"\nCalibrated scenario: {cal.path}  (parksim run {cal.path} --end YEAR)")
    print(cal.coefficients().to_string(index=False))
    table = cal.validation_table()
    print(f"\nValidation of {cal.years[-1]} (in-sample: {cal.validation_in_sample}):")
    print(table[table.class_code.isna() & (table.unit == "fraction")][["id", "model", "persistence"]]
          .to_string(index=False))

    res = cal.forecast(args.end_year)
    landuse = res.to_xarray()  # (year, y, x) of class codes, CRS and class names attached
    print(f"\n{landuse.name}: {dict(landuse.sizes)}, classes {landuse.attrs['flag_meanings']}")
    urban = (landuse == 22).sum(dim=("x", "y")) * grid.cell_area_m2 / 1e6
    for year, km2 in zip(landuse.year.values, urban.values):
        print(f"  {year}: urban {km2:.3f} km2")

    same = np.array_equal(gdal.Open(str(cli_run / "rasters" / f"landuse_{args.end_year}.tif")).ReadAsArray(),
                          landuse.sel(year=args.end_year).values)
    print(f"\nPython and the command line forecast the same map of {args.end_year}: {same}")
    return cal, res


if __name__ == "__main__":
    main()
