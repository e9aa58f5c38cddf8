"""parksim.run() and its Result: one scenario run (or an in-engine ensemble, runs > 1)."""

import os

import numpy as np

from ._core import _parksim, problems_frame
from ._html import html_table, html_escape, swatch
from ._progress import reporting
from ._scenario import load_scenario

__all__ = ["run", "Result"]


def run(scenario, seed=None, runs=None, threads=None, progress=None):
    """Runs `scenario` (a Scenario, a scenario file or a dict) end to end, exactly as ``parksim run``.

    seed / runs / threads override the scenario's values (DEFAULT: the scenario's seed, its `runs` and its
    `threads`, as the command line). ``runs > 1`` runs the engine's own Monte Carlo ensemble (runs 0..runs-1 of the
    seed, any thread count gives the same result); ``Result.probability()`` then holds the class probabilities.
    progress: ``progress(fraction, message)``, called with the GIL held (returning False cancels: CancelledError; an
    exception it raises is re-raised here), or True for a tqdm bar (python3-tqdm). The GIL is released while the
    engine works, so other Python threads run.
    """
    sc = scenario if isinstance(scenario, _parksim.Scenario) else load_scenario(scenario)
    with reporting(progress, f"parksim run {sc.name}") as callback:
        raw = _parksim.run_scenario(sc, seed=seed, runs=runs, threads=threads, progress=callback)
    return Result(raw)


class Result:
    """What a run produced. Maps are read-only numpy views of engine memory: ``landuse(y).base is result.raw``.

    Attributes: ``years`` (years with a map: the start year and every simulated year), ``start_year``, ``end_year``,
    ``seed``, ``runs``, ``grid`` (GridSpec), ``classes`` (list of dicts: id, key, name_en, name_zh, colour, built,
    fixed, code = the class's value in the land-use rasters of the bundle),
    ``phase_fillup_year`` (phase id -> year it filled up in run 0; -1 = not by the end), ``answer`` (the scenario's
    answering indicator: mean and sd over the runs, the compared scenario's, and the sentence the report opens with;
    None without [answer]), ``raw`` (the engine's RunResult).
    """

    def __init__(self, raw):
        self.raw = raw

    def __repr__(self):
        return (f"<parksim.Result '{self.raw.scenario_name}' {self.start_year}-{self.end_year}, seed {self.seed}, "
                f"{self.runs} run(s), grid {self.grid.rows}x{self.grid.cols}>")

    def _repr_html_(self):
        """The result in a notebook: what was run, the classes with their colours and developed land, the figures
        without a year, and how many problems were found."""
        raw = self.raw
        title = f"parksim result: {html_escape(raw.scenario_name)}"
        facts = [("question", raw.question), ("years", f"{self.start_year}-{self.end_year}"), ("seed", self.seed),
                 ("runs", self.runs), ("grid", f"{self.grid.rows} x {self.grid.cols} cells of "
                                               f"{self.grid.cell_size_m:g} m, {self.grid.crs}"),
                 ("parcels", raw.plan.parcel_count or "none (a study without a plan)")]
        last = self.landuse() if self.years else None
        cell_km2 = self.grid.cell_area_m2 / 1e6
        classes = [(swatch(c["colour"]) + html_escape(c["key"]), f"{c['name_en']} {c['name_zh']}".strip(),
                    "yes" if c["built"] else "",
                    "" if last is None else f"{int(np.count_nonzero(last == c['id'])) * cell_km2:.3f}")
                   for c in self.classes]
        import pandas as pd

        figures = [(row.label_en, "n/a" if np.isnan(row.value) else f"{row.value:,.3f}", row.unit)
                   for row in self.indicators().itertuples() if pd.isna(row.year)]
        problems = raw.problems
        errors = sum(1 for p in problems if p.severity == "error")
        return (f"<div><strong>{title}</strong>"
                + html_table(["", ""], facts, escape_cells=True)
                + html_table(["class", "name", "built", f"km² in {self.years[-1] if self.years else ''}"], classes,
                             escape_cells=False, escape_columns=(1, 2, 3))
                + html_table(["figure", "value", "unit"], figures, escape_cells=True)
                + f"<p>{len(problems)} problem(s) reported, {errors} error(s): Result.problems()</p></div>")

    # -- what was run
    seed = property(lambda self: self.raw.seed)
    runs = property(lambda self: self.raw.runs)
    start_year = property(lambda self: self.raw.start_year)
    end_year = property(lambda self: self.raw.end_year)
    years = property(lambda self: list(self.raw.years))
    grid = property(lambda self: self.raw.grid)
    classes = property(lambda self: self.raw.classes)
    scenario_name = property(lambda self: self.raw.scenario_name)
    effective_scenario_toml = property(lambda self: self.raw.effective_scenario_toml)
    phase_fillup_year = property(lambda self: dict(self.raw.phase_fillup_year))
    answer = property(lambda self: self.raw.answer)

    # -- maps
    def landuse(self, year=None):
        """Simulation class per cell (uint8; 255 = outside the study area) at the end of `year` (DEFAULT: the last
        year with a map), run 0. A read-only view of engine memory; ``np.array(view)`` copies it if needed."""
        return self.raw.landuse(self.years[-1] if year is None else int(year))

    def drivers(self):
        """The suitability drivers of the run at the start year: {name: float32 (rows, cols)} read-only views of
        engine memory (distances in m, capped at suitability.max_distance_m; corridor_tier 1-4). Units:
        ``raw.driver_units``. They are what parksim.calibrate() needs to fit suitability on the run's own drivers."""
        return self.raw.drivers()

    def to_xarray(self, years=None):
        """Land use by year (DEFAULT every year with a map) as an xarray DataArray of class codes, dims (year, y, x),
        with cell-centre coordinates, the CRS (a ``spatial_ref`` coordinate with ``crs_wkt``, as rioxarray and CF
        read it) and the classes' codes, keys and names as attributes. Needs xarray (Debian python3-xarray)."""
        from ._xarray import landuse_dataarray

        return landuse_dataarray(self, years)

    def probability(self, cls=None):
        """Ensemble (runs > 1): share of runs ending in class `cls` (id or key) per cell, float32, NaN outside.
        A read-only view, no copy. With cls=None, a (classes, rows, cols) array stacked from those views (a copy)."""
        if cls is None:
            return np.stack([self.raw.probability(c["id"]) for c in self.classes])
        return self.raw.probability(cls)

    @property
    def fillup_years(self):
        """Ensemble: phase id -> numpy array of the year each run filled the phase up (-1 = not by the end)."""
        if not self.raw.is_ensemble:
            return {k: np.array([v]) for k, v in self.raw.phase_fillup_year.items()}
        return dict(self.raw.fillup_years)

    def fillup_distribution(self, phase="3"):
        """pandas Series: number of runs per fill-up year of `phase` (-1 = not filled by the end)."""
        import pandas as pd

        years = self.fillup_years[phase]
        values, counts = np.unique(years, return_counts=True)
        return pd.Series(counts, index=pd.Index(values, name="fillup_year"), name="runs")

    # -- tables
    def indicators(self):
        """The rows of indicators.csv as a pandas DataFrame (scenario, year, indicator_id, labels, unit, value).
        ``year`` is a nullable integer: None (pandas NA) for a figure not tied to a year, as in indicators.json."""
        import pandas as pd

        d = self.raw.indicators()
        d["year"] = pd.array([int(y) if y != 0 else None for y in d["year"]], dtype="Int64")
        return pd.DataFrame(d)

    def indicator(self, indicator_id, year=None):
        """One indicator's value (NaN when not available); year None (DEFAULT) = a figure not tied to a year."""
        df = self.indicators()
        rows = df[(df.indicator_id == indicator_id) & (df.year.isna() if year is None else df.year == int(year))]
        if rows.empty:
            raise KeyError(f"no indicator '{indicator_id}' " + ("without a year" if year is None else f"for {year}"))
        return float(rows.value.iloc[0])

    def areas(self):
        """Area per year, zone and simulation class (run 0), pandas DataFrame with a class `key` column."""
        import pandas as pd

        df = pd.DataFrame(self.raw.areas())
        keys = {c["id"]: c["key"] for c in self.classes}
        df["class_key"] = df.sim_class.map(keys)
        return df

    def allocation(self):
        """The parcel allocation: dict with status, objective, best_bound, gap_pct, solve_seconds, diagnosis, and
        ``constraints`` (a DataFrame: name, kind, unit, achieved, target, slack, shadow_price, binding); None when
        the scenario has no allocation."""
        import pandas as pd

        a = self.raw.allocation()
        if a is None:
            return None
        a["constraints"] = pd.DataFrame(a["constraints"])
        return a

    def problems(self):
        """Everything reported on the way (sorted), as a DataFrame."""
        return problems_frame(self.raw.problems)

    def layer(self, name):
        """A layer of results.gpkg: a GeoDataFrame for spatial layers (CRS set), a DataFrame for tables."""
        return _frame_of_layer(self.raw.layer(name))

    def parcels(self):
        """Per parcel: plan attributes and results (dev_year, dev_prob, sim_class, alloc_lu, ...), as a geopandas
        GeoDataFrame in the working CRS (EPSG:4548 for the bundled data) - the parcels layer of results.gpkg, with the
        same field names. Years and classes that do not apply are null (pandas NA). Empty for a study without
        parcels."""
        return self.layer("parcels")

    def write(self, out_dir, formats=("gpkg",), overwrite=False, rasters=True, html=True, progress=None):
        """Writes the output bundle into `out_dir`, exactly as ``parksim run --out`` (results.gpkg, rasters,
        indicators.csv/json, report/index.html, manifest.json; formats may add "shp", "fgb", "geojson").
        OutputExistsError when it exists and overwrite is False; the previous output survives any failure.
        progress: as for run()."""
        if isinstance(formats, str):
            formats = [f for f in formats.split(",") if f]
        with reporting(progress, f"writing {os.fspath(out_dir)}") as callback:
            self.raw.write(os.fspath(out_dir), set(formats), overwrite, rasters, html, callback)
        return out_dir


def _frame_of_layer(d):
    import pandas as pd

    df = pd.DataFrame(d["columns"])
    for name in df.columns:  # integer fields with nulls: pandas' nullable Int64, not float
        col = d["columns"][name]
        if any(isinstance(v, int) and not isinstance(v, bool) for v in col) and \
                all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in col):
            df[name] = pd.array(col, dtype="Int64")
    if not d["spatial"]:
        return df
    import geopandas as gpd

    geometry = gpd.GeoSeries.from_wkb(d["wkb"], crs=d["crs"])
    return gpd.GeoDataFrame(df, geometry=geometry, crs=d["crs"])
