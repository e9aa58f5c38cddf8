"""Studies on a researcher's own data: ``parksim.study()`` builds what a run studies - dated land-use maps, classes,
study area, exclusion, drivers - from rasters or numpy arrays, and ``parksim.simulate()`` runs it (the engine's
pipeline::run_study, the call behind ``parksim run``), returning the same Result as ``parksim.run``.

A study from arrays lives in memory; ``Study.write(folder)`` (and ``parksim.calibrate``) turn it into GeoTIFFs and a
study scenario that ``parksim calibrate`` / ``parksim run`` read exactly as Python built it.
"""

import copy
import os
import zlib
from pathlib import Path

import numpy as np

from ._core import _parksim, problems_frame, raise_error
from ._progress import reporting
from ._result import Result
from ._scenario import load_scenario

__all__ = ["study", "Study", "simulate"]

_CLASS_FIELDS = ("key", "name_en", "name_zh", "colour", "built", "fixed")


def study(maps, grid=None, classes=None, mask=None, exclusion=None, drivers=None, crs=None, max_distance_m=None,
          name="study", progress=None):
    """A :class:`Study`: what a run studies, from land-use rasters or numpy arrays, or from a scenario.

    ``maps``: dated land-use maps of integer class codes 0..254 (255 = no data) - ``{year: 2-D array}`` (or
    ``[(year, array), ...]``) on ``grid``, a :class:`GridSpec` with its CRS (REQUIRED with arrays: distances and
    areas are measured on it); or ``{year: raster path}`` (any GDAL raster; the grid is the latest map's, or
    ``grid`` when given; ``crs`` is the CRS of rasters without one). The latest map is the start state, earlier ones
    feed trend demand and calibration. Or a scenario (file, dict or Scenario) whose [study], [classes] and
    [drivers] keys (or plan dataset) say it all.

    ``classes``: the class table, ``{code: key}`` or ``{code: {"key", "name_en", "name_zh", "colour", "built",
    "fixed"}}`` (or a DataFrame / list of dicts with a ``code`` column, or a CSV file). Given, it is COMPLETE: a code
    of a map not in it is a DataError naming the map, the code and a cell. DEFAULT: every code found is a class
    ("class_<code>", names from the rasters' category names or attribute table). Built classes are developed land
    that grows and never changes back; fixed classes (water, roads) never change nor grow.

    ``mask`` (the study area; DEFAULT every cell with data in the start map) and ``exclusion`` (land that never
    changes): a 2-D array (non-zero = inside; with array maps), a raster or vector file, or ``(file, layer)``.

    ``drivers``: ``{name: declaration}``, each one of
      - a 2-D array or a raster path: a value driver (slope, elevation, land price);
      - ``{year: array or path}``: a value driver that changes, each version in effect from its year;
      - a dict of the [drivers.<name>] keys of docs/scenario-format.md, e.g. ``{"kind": "distance", "classes":
        ["urban"]}`` (distance to urban cells, measured on each simulated year's map), ``{"kind": "distance",
        "source": "roads.gpkg", "where": "class = 'primary'"}``, ``{"kind": "distance", "source": roads_array}``
        (non-zero cells), ``{"kind": "density", "source": "shops.gpkg", "radius_m": 800}``; its ``source`` may be an
        array, a path, or ``{year: array or path}``.
    In a driver array NaN is "no value": such cells of the study area take the driver's mean (a Problem says how
    many), as a raster's nodata does. Arrays are copied once into the engine (any integer map dtype, any numeric
    driver dtype); the study owns its data. ``max_distance_m`` caps distance drivers (DEFAULT 10000 m, suitability.max_distance_m).
    ``progress(fraction, message)`` as in run(). The GIL is released while the engine builds the study.

    Raises DataError naming the map or driver at fault (a float map, a value outside 0..255, a code not in the
    given class table, maps of different shapes, a driver array of the wrong shape, a map without data),
    ConfigError for two maps of one year or a contradicting declaration, IoError / CrsError for unreadable rasters
    or a missing CRS, UsageError for arguments that do not fit together.
    """
    if isinstance(maps, (_parksim.Scenario, str, os.PathLike)) or (isinstance(maps, dict) and not _is_year_dict(maps)):
        if any(v is not None for v in (grid, classes, mask, exclusion, drivers, crs, max_distance_m)):
            raise_error(_parksim.UsageError, "a study from a scenario takes everything from the scenario; give "
                        "the other arguments with maps, or set them in the scenario", key="scenario")
        sc = load_scenario(maps)
        with reporting(progress, f"parksim study {sc.name}") as callback:
            raw = _parksim.make_study(sc, progress=callback)
        return Study(raw, sc.name, _Inputs(scenario=sc))

    entries = _map_entries(maps)
    files = [_is_path(m) for _, m in entries]
    if not entries:
        raise_error(_parksim.UsageError, "a study needs at least one land-use map", key="maps")
    if any(files) and not all(files):
        raise_error(_parksim.UsageError, "maps mix raster paths and arrays; give one kind", key="maps")
    from_files = all(files)
    declaration = {"name": str(name)}
    inputs = _Inputs()
    if from_files:
        declaration["study"] = {"maps": {str(y): _absolute(p) for y, p in entries}}
        if grid is not None:
            declaration["grid"] = _explicit_grid(grid)
        if crs:
            declaration.setdefault("grid", {})["crs"] = str(crs)
    else:
        if not isinstance(grid, _parksim.GridSpec):
            raise_error(_parksim.UsageError, "maps given as arrays need grid=GridSpec(origin_x, origin_y, "
                        "cell_size_m, rows, cols, crs): distances and areas are measured on it", key="grid")
        if crs is not None:
            grid = _parksim.GridSpec(grid.origin_x, grid.origin_y, grid.cell_size_m, grid.rows, grid.cols, str(crs),
                                     0.0 if grid.square_cells else grid.cell_height_m)
        if not grid.crs:
            raise_error(_parksim.UsageError, "the grid needs a CRS (GridSpec(..., crs=\"EPSG:32650\")): the study is "
                        "written as GeoTIFFs for the command line, and those carry it", key="grid")
        inputs.grid = grid
        inputs.map_years = [y for y, _ in entries]
    for key, value in (("mask", mask), ("exclusion", exclusion)):
        if value is None:
            continue
        if _is_path(value) or (isinstance(value, tuple) and len(value) == 2 and _is_path(value[0])):
            path, layer = (value, None) if _is_path(value) else value
            declaration.setdefault("study", {})[key] = _absolute(path)
            if layer:
                declaration["study"][f"{key}_layer"] = str(layer)
        elif from_files:
            raise_error(_parksim.UsageError, f"with raster maps, give {key} as a raster or vector file", key=key)
        else:
            setattr(inputs, key, value)
    if classes is not None:
        table = _class_table(classes)
        if isinstance(table, str):
            declaration["classes"] = {"file": table}
        else:
            declaration["classes"] = {"codes": table}
    if drivers:
        declaration["drivers"], inputs.drivers = _driver_declarations(drivers)
    if max_distance_m is not None:
        declaration["suitability"] = {"max_distance_m": float(max_distance_m)}
    sc = load_scenario(declaration)
    with reporting(progress, f"parksim study {name}") as callback:
        raw = _parksim.make_study(
            sc, grid=inputs.grid, maps=[] if from_files else [(y, m) for y, m in entries],
            mask=inputs.mask, exclusion=inputs.exclusion,
            drivers=[(n, [(y, a) for y, a, _ in versions]) for n, versions in inputs.drivers.items()],
            declared_only=classes is not None, progress=callback)
    inputs.scenario = sc
    inputs.declaration = declaration
    return Study(raw, str(name), inputs)


_study_of = study  # simulate() names its argument `study`


class _Inputs:
    """How a Study was given: its scenario (declarations, file paths absolute) and what came as arrays."""

    def __init__(self, scenario=None):
        self.scenario = scenario  # the Scenario the study was built from
        self.declaration = None   # ... as the dict it was made of (file paths absolute), for studies from arguments
        self.grid = None          # GridSpec of array maps
        self.map_years = []       # years of array maps (their values are the study's)
        self.mask = None          # mask / exclusion arrays
        self.exclusion = None
        self.drivers = {}         # name -> [(year or None, array, crc32 of its bytes)]


class Study:
    """What a run studies (the engine's StudyInput, ``raw``): grid, classes, dated land-use maps, study area,
    exclusion and declared drivers. Maps and masks are read-only views of the engine's memory (``.base`` keeps the
    study alive). Build it with :func:`parksim.study`; run it with :func:`parksim.simulate`; calibrate it with
    :func:`parksim.calibrate`.

    Attributes: ``name``, ``grid`` (GridSpec), ``start_year``, ``years`` (observed maps), ``classes`` (list of
    dicts: id, code, key, name_en, name_zh, colour, built, fixed), ``driver_names``, ``area``, ``exclusion``,
    ``initial`` (class ids at the start year), ``raw``.
    """

    def __init__(self, raw, name, inputs):
        self.raw = raw
        self.name = name
        self._inputs = inputs

    def __repr__(self):
        years = ", ".join(map(str, self.years)) or "none"
        return (f"<parksim.Study '{self.name}' {self.grid.rows}x{self.grid.cols} cells, {len(self.classes)} classes, "
                f"maps {years}, drivers {', '.join(self.driver_names) or 'none'}>")

    grid = property(lambda self: self.raw.grid)
    start_year = property(lambda self: self.raw.start_year)
    years = property(lambda self: list(self.raw.years))
    classes = property(lambda self: self.raw.classes)
    driver_names = property(lambda self: list(self.raw.driver_names))
    area = property(lambda self: self.raw.area)
    exclusion = property(lambda self: self.raw.exclusion)
    initial = property(lambda self: self.raw.initial)

    def map(self, year):
        """Class id per cell (uint8, 255 outside the study area) of the observed map of `year`: a read-only view.
        ``codes(year)`` gives the maps' own class codes."""
        return self.raw.map(int(year))

    def codes(self, year):
        """The map of `year` in the classes' codes (the values of the input maps; 255 = no data): a new array."""
        lookup = np.full(256, 255, np.uint8)
        for c in self.classes:
            lookup[c["id"]] = c["code"]
        return lookup[self.map(year)]

    def drivers(self, year=None):
        """{name: float32 (rows, cols)} of every declared driver in `year` (DEFAULT the start year; class distances
        on the start map), capped and transformed as declared: what a run's suitability sees."""
        return self.raw.drivers(year)

    def problems(self):
        """What building the study found, as a DataFrame."""
        return problems_frame(self.raw.problems)

    # -- the study as files

    def scenario(self, folder=None, overwrite=False):
        """The study as a Scenario of files that ``parksim calibrate`` and ``parksim run`` read - its [study],
        [classes], [grid] and [drivers] keys, file paths absolute. What the study holds as arrays is first written
        into `folder` (REQUIRED then) as GeoTIFFs: ``landuse_<year>.tif`` (Byte: the classes' codes, names and
        colours; 255 = no data), ``study_area.tif`` / ``exclusion.tif`` (1 inside), ``driver_<name>[_<year>].tif``
        (Float32). OutputExistsError when one of them exists and overwrite is False (checked before any is
        written)."""
        inputs = self._inputs
        if not self.has_arrays:
            return inputs.scenario.with_absolute_paths()
        if folder is None:
            raise_error(_parksim.UsageError, "the study holds arrays: give a folder to write them into",
                        key="folder")
        folder = Path(folder).resolve()
        if not overwrite:
            for path in self._array_files(folder):
                if path.exists():
                    raise_error(_parksim.OutputExistsError, "output exists (pass overwrite=True)", path=str(path))
        folder.mkdir(parents=True, exist_ok=True)
        d = copy.deepcopy(inputs.declaration)
        if inputs.map_years:
            d.setdefault("study", {})["maps"] = {}
            for year in inputs.map_years:
                path = folder / f"landuse_{year}.tif"
                self.raw.write_map(year, str(path), overwrite)
                d["study"]["maps"][str(year)] = str(path)
            codes = {}
            for c in self.classes:  # the complete table, as the engine made it
                entry = {k: c[k] for k in ("key", "name_en", "name_zh", "colour") if c[k]}
                entry.update({k: True for k in ("built", "fixed") if c[k]})
                codes[str(c["code"])] = entry
            d["classes"] = {"codes": codes}
        for key, which in (("mask", "area"), ("exclusion", "exclusion")):
            if getattr(inputs, key) is not None:
                path = folder / ("study_area.tif" if key == "mask" else "exclusion.tif")
                self.raw.write_mask(which, str(path), overwrite)
                d.setdefault("study", {})[key] = str(path)
        for name, versions in inputs.drivers.items():
            paths = {}
            for year, array, crc in versions:
                if zlib.crc32(np.ascontiguousarray(array).tobytes()) != crc:
                    raise_error(_parksim.UsageError, f"the array of driver '{name}' changed after the study was built; "
                                "build the study again (parksim.study copies arrays; the file is written from yours)",
                                key=f"drivers.{name}")
                path = folder / (f"driver_{name}.tif" if year is None else f"driver_{name}_{year}.tif")
                _parksim.write_value_raster(str(path), self.grid, array, overwrite)
                paths[year] = str(path)
            d["drivers"][name]["source"] = paths[None] if None in paths else {str(y): p for y, p in paths.items()}
        return load_scenario(d)

    def write(self, folder, overwrite=False, demand="trend", params=None, runs=1, seed=1, end_year=None):
        """Writes the study into `folder` as files the command line reads: what it holds as arrays as GeoTIFFs (see
        ``scenario()``) and ``study.toml``, a scenario of the study with the run settings of ``simulate()``
        (``demand``, ``params``, ``runs``, ``seed``, ``end_year``; paths relative to the folder), so that
        ``parksim run study.toml --end YEAR`` runs what ``simulate(study, ..., end_year=YEAR)`` runs and
        ``parksim calibrate study.toml`` calibrates it. Returns the path of study.toml. OutputExistsError when a
        file exists and overwrite is False (checked before any is written)."""
        folder = Path(folder).resolve()
        toml = folder / "study.toml"
        if toml.exists() and not overwrite:
            raise_error(_parksim.OutputExistsError, "output exists (pass overwrite=True)", path=str(toml))
        settings = run_settings(self, demand=demand, params=params, runs=runs, seed=seed, end_year=end_year,
                                name=self.name)
        sc = self.scenario(folder, overwrite)
        for key in settings.keys():
            if settings.where(key) and key not in ("name", "threads"):
                sc.set(key, settings.get(key))
        folder.mkdir(parents=True, exist_ok=True)
        toml.write_text(sc.with_paths_relative_to(str(folder)).to_toml(), encoding="utf-8")
        return toml

    def _array_files(self, folder):
        inputs = self._inputs
        files = [folder / f"landuse_{y}.tif" for y in inputs.map_years]
        files += [folder / "study_area.tif"] if inputs.mask is not None else []
        files += [folder / "exclusion.tif"] if inputs.exclusion is not None else []
        for name, versions in inputs.drivers.items():
            files += [folder / (f"driver_{name}.tif" if y is None else f"driver_{name}_{y}.tif") for y, _, _ in versions]
        return files

    @property
    def has_arrays(self):
        """True when some input came as an array (the study then needs ``scenario(folder)`` to become files)."""
        i = self._inputs
        return bool(i.map_years or i.drivers or i.mask is not None or i.exclusion is not None)


def simulate(study, demand="trend", params=None, runs=1, seed=1, *, end_year, threads=None, key_years=None,
             name=None, progress=None):
    """Simulates `study` (a :class:`Study`, or anything :func:`parksim.study` takes) from its start year to
    `end_year` - the engine's pipeline::run_study, what ``parksim run`` runs - and returns a :class:`Result`, the
    type ``parksim.run`` returns (maps, areas, indicators, ``write()`` for the output bundle, ``to_xarray()``).

    ``demand``: how much land each class needs per year -
      - ``"trend"`` (DEFAULT): the Markov chain of the study's last two maps, annualised and projected;
      - a dict of [demand] keys (docs/scenario-format.md), e.g. ``{"method": "table", "table": {"outside":
        {"2021": 90000.0}}, "class_share": {"outside": {"urban": 1.0}}}``;
      - a table by class and year: a pandas DataFrame (or list of dicts) with columns ``class`` (key), ``year`` and
        one of ``new_m2`` / ``new_cells`` (new land in that year) or ``area_m2`` / ``cells`` (the class's total at
        the end of that year, consecutive years). The engine splits one yearly total across built classes by fixed
        shares, so with several classes their shares must be the same every year (UsageError otherwise).
    ``params``: [sim] and [suitability] settings - bare [sim] names (``{"neighbourhood_weight": 0.6,
    "patch_share": 0.1}``), bare [suitability] names (``"mode"``, ``"drivers"``, ``"coefficients"``,
    ``"sample_cells"``), or ``{"sim": {...}, "suitability": {...}}``; DEFAULT the schema's. Suitability DEFAULT:
    mode "auto": "fit" on every declared driver (where classes appeared between the two latest maps) when the study
    has two or more maps, else "prior" (the ``"prior"`` weights; none: uniform). "fit" on one map is a ConfigError.
    ``runs > 1`` runs the engine's Monte Carlo ensemble (``Result.probability()``). The same study, settings and
    seed give the same result, byte for byte, whatever ``threads`` (DEFAULT all cores). ``key_years``: years shown
    as maps in the report (DEFAULT start, middle, end). ``progress(fraction, message)`` as in run(); the GIL is
    released while the engine works.
    The Result's effective scenario (``Result.effective_scenario_toml``, written into a bundle's manifest) holds
    these run settings; the study itself came from Python (``Study.write()`` makes it a file).
    Raises ConfigError naming the key for settings the study contradicts (trend with one map, an unknown driver or
    class), UsageError for unknown params.
    """
    if not isinstance(study, Study):
        study = _study_of(study)
    settings = run_settings(study, demand=demand, params=params, runs=runs, seed=seed, end_year=end_year,
                            threads=threads, key_years=key_years, name=name)
    with reporting(progress, f"parksim simulate {study.name}") as callback:
        raw = _parksim.run_study(study.raw, settings, progress=callback)
    return Result(raw)


def run_settings(study, demand="trend", params=None, runs=1, seed=1, end_year=None, threads=None, key_years=None,
                 name=None):
    """The run's settings as a Scenario (the keys pipeline::run_spec reads: seed, runs, threads, years.end,
    [suitability], [demand], [sim], outputs.key_years)."""
    d = {"name": str(name or f"{study.name}-run"), "seed": int(seed), "runs": int(runs),
         "threads": 0 if threads is None else int(threads)}
    if end_year is not None:
        d["years"] = {"end": int(end_year)}
    sim, suitability = _params(params)
    if sim:
        d["sim"] = sim
    if suitability:
        d["suitability"] = suitability
    d["demand"] = _demand(study, demand)
    if key_years is not None:
        d["outputs"] = {"key_years": [int(y) for y in key_years]}
    return load_scenario(d)


# ---------------------------------------------------------------------------------------------------------------
# helpers

def _is_path(value):
    return isinstance(value, (str, os.PathLike))


def _absolute(path):
    return os.path.abspath(os.fspath(path))


def _is_year(key):
    return isinstance(key, (int, np.integer)) or (isinstance(key, str) and key.isdigit())


def _is_year_dict(d):
    return bool(d) and all(_is_year(k) for k in d)


def _map_entries(maps):
    """{year: map} or [(year, map), ...] -> [(year, map)] (years as int; two maps of one year are kept for the
    engine to name)."""
    if isinstance(maps, dict):
        items = list(maps.items())
    else:
        try:
            items = [(y, m) for y, m in maps]
        except (TypeError, ValueError):
            raise_error(_parksim.UsageError, "maps must be {year: map} or [(year, map), ...]", key="maps")
    out = []
    for year, m in items:
        if not _is_year(year):
            raise_error(_parksim.UsageError, f"the key of a map must be its year, not {year!r}", key="maps")
        out.append((int(year), m))
    return out


def _explicit_grid(g):
    if not isinstance(g, _parksim.GridSpec):
        raise_error(_parksim.UsageError, "grid must be a GridSpec", key="grid")
    d = {"extent": "explicit", "origin_x": g.origin_x, "origin_y": g.origin_y, "cell_size_m": g.cell_size_m,
         "cols": g.cols, "rows": g.rows, "crs": g.crs}
    if not g.square_cells:
        d["cell_height_m"] = g.cell_height_m
    return d


def _class_table(classes):
    """The class table as [classes.codes] ({"<code>": {key: value}}), or a CSV path."""
    if _is_path(classes):
        return _absolute(classes)
    if hasattr(classes, "to_dict") and hasattr(classes, "columns"):  # a DataFrame
        classes = classes.to_dict("records")
    if isinstance(classes, dict):
        rows = []
        for code, value in classes.items():
            row = {"key": value} if isinstance(value, str) else dict(value)
            row["code"] = code
            rows.append(row)
    else:
        rows = [dict(r) for r in classes]
    out = {}
    for row in rows:
        if "code" not in row or not _is_year(row["code"]):
            raise_error(_parksim.UsageError, f"a class needs an integer code, got {row!r}", key="classes")
        code = str(int(row.pop("code")))
        unknown = set(row) - set(_CLASS_FIELDS) - {"id"}
        if unknown:
            raise_error(_parksim.UsageError, f"class {code}: unknown field(s) {', '.join(sorted(unknown))}; "
                        f"fields: {', '.join(_CLASS_FIELDS)}", key="classes")
        out[code] = {k: (bool(v) if k in ("built", "fixed") else str(v)) for k, v in row.items()
                     if k != "id" and v is not None and not (isinstance(v, float) and np.isnan(v))}
    return out


def _is_array(value):
    return isinstance(value, np.ndarray) or (hasattr(value, "__array__") and not _is_path(value)
                                             and not isinstance(value, dict))


def _driver_declarations(drivers):
    """{name: declaration} -> ([drivers] table without array sources, {name: [(year or None, array, crc32)]})."""
    table, arrays = {}, {}
    for name, value in dict(drivers).items():
        name = str(name)
        if _is_array(value) or _is_path(value):
            decl = {"kind": "value", "source": value}
        elif isinstance(value, dict) and _is_year_dict(value):
            decl = {"kind": "value", "source": value}
        elif isinstance(value, dict):
            decl = dict(value)
        else:
            raise_error(_parksim.UsageError, f"driver '{name}': give an array, a raster path, {{year: array or path}} "
                        "or a dict of [drivers] keys", key=f"drivers.{name}")
        source = decl.get("source")
        versions = None
        if _is_array(source):
            versions = [(None, source)]
        elif isinstance(source, dict):
            kinds = {_is_array(v) for v in source.values()}
            if kinds == {True}:
                versions = [(int(y), a) for y, a in source.items()]
            elif kinds != {False}:
                raise_error(_parksim.UsageError, f"driver '{name}': the versions of a source are all arrays or all "
                            "files", key=f"drivers.{name}.source")
            else:
                decl["source"] = {str(int(y)): _absolute(p) for y, p in source.items()}
        elif source is not None:
            decl["source"] = _absolute(source)
        if versions is not None:
            del decl["source"]
            arrays[name] = [(y, a, zlib.crc32(np.ascontiguousarray(a).tobytes())) for y, a in versions]
        table[name] = decl
    return table, arrays


_SIM_KEYS = None
_SUITABILITY_KEYS = None


def _schema_names():
    global _SIM_KEYS, _SUITABILITY_KEYS
    if _SIM_KEYS is None:
        keys = [k["key"] for k in _parksim.scenario_schema()]
        _SIM_KEYS = sorted({k.split(".")[1] for k in keys if k.startswith("sim.")})
        _SUITABILITY_KEYS = sorted({k.split(".")[1] for k in keys if k.startswith("suitability.")})
    return _SIM_KEYS, _SUITABILITY_KEYS


def _params(params):
    """params -> ([sim] dict, [suitability] dict)."""
    sim_keys, suitability_keys = _schema_names()
    sim, suitability = {}, {}
    for key, value in dict(params or {}).items():
        if key in ("sim", "suitability") and isinstance(value, dict):
            (sim if key == "sim" else suitability).update(value)
        elif key.startswith("sim.") or key.startswith("suitability."):
            table, rest = key.split(".", 1)
            (sim if table == "sim" else suitability)[rest] = value
        elif key in sim_keys:
            sim[key] = value
        elif key in suitability_keys:
            suitability[key] = value
        else:
            raise_error(_parksim.UsageError, f"params: unknown setting '{key}'; [sim]: {', '.join(sim_keys)}; "
                        f"[suitability]: {', '.join(suitability_keys)}", key=f"params.{key}")
    if "max_distance_m" in suitability:
        raise_error(_parksim.UsageError, "suitability.max_distance_m caps the study's distance drivers: give it to "
                    "parksim.study(max_distance_m=...)", key="params.max_distance_m")
    return sim, suitability


def _demand(study, demand):
    if demand is None or isinstance(demand, str):
        method = demand or "trend"
        return {"method": method, "by_zone": False} if method == "trend" else {"method": method}
    if isinstance(demand, dict):
        return dict(demand)
    return _class_table_demand(study, demand)


def _class_table_demand(study, table):
    """A table by class and year -> a [demand] table of new land for zone "outside" with fixed class shares."""
    import pandas as pd

    df = pd.DataFrame(table)
    columns = [c for c in ("new_m2", "new_cells", "area_m2", "cells") if c in df.columns]
    if "class" not in df.columns or "year" not in df.columns or len(columns) != 1:
        raise_error(_parksim.UsageError, "a demand table has columns class, year and one of new_m2, new_cells, "
                    "area_m2, cells", key="demand")
    column = columns[0]
    by_key = {c["key"]: c for c in study.classes}
    unknown = sorted(set(df["class"].astype(str)) - set(by_key))
    if unknown:
        raise_error(_parksim.UsageError, f"demand table: no class {', '.join(unknown)} in the study (classes: "
                    f"{', '.join(by_key)})", key="demand")
    cell_m2 = study.grid.cell_area_m2
    wide = df.assign(**{"class": df["class"].astype(str), "year": df["year"].astype(int)}).pivot(
        index="year", columns="class", values=column).sort_index()
    if wide.isna().any().any():
        raise_error(_parksim.UsageError, "demand table: every class needs a value for every year given",
                    key="demand")
    if column in ("area_m2", "cells"):
        years = list(wide.index)
        if years != list(range(study.start_year + 1, study.start_year + 1 + len(years))):
            raise_error(_parksim.UsageError, f"demand table of totals: give consecutive years from "
                        f"{study.start_year + 1}", key="demand")
        counts = np.bincount(study.initial[study.initial != 255], minlength=len(study.classes))
        start = pd.Series({k: counts[c["id"]] * cell_m2 for k, c in by_key.items()})
        totals = wide * (cell_m2 if column == "cells" else 1.0)
        new = totals.diff()
        new.iloc[0] = totals.iloc[0] - start[totals.columns]
    else:
        new = wide * (cell_m2 if column == "new_cells" else 1.0)
    per_year = new.sum(axis=1)
    shares = new.div(per_year.where(per_year != 0), axis=0)
    first = shares.dropna().iloc[0] if not shares.dropna().empty else None
    if first is not None and not np.allclose(shares.dropna().to_numpy(), first.to_numpy()[None, :], rtol=1e-9,
                                             atol=1e-12):
        raise_error(_parksim.UsageError, "demand table: the engine splits each year's new land across classes by "
                    "fixed shares, and the classes' shares differ between years; give one class, or the same shares "
                    "every year", key="demand")
    out = {"method": "table", "table": {"outside": {str(y): float(v) for y, v in per_year.items()}}}
    if first is not None:
        out["class_share"] = {"outside": {k: float(v) for k, v in first.items() if v != 0}}
    return out
