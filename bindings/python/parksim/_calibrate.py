"""Calibration: ``parksim.calibrate()`` is the engine's calibration (calibrate::calibrate, what
``parksim calibrate`` runs) from a time series of class maps; ``parksim.calibrate_key()`` is a grid search over one
scenario key.

``calibrate()``: with dated maps t0 < t1 < ... < tn (n >= 2) it fits a logistic suitability model per growing class
on [t0, t1] (the given drivers plus the distance to the class's own cells), tunes the free simulation parameters
(neighbourhood_weight, inertia_adaptation, patch_share, patch_size_mean_cells) on [t1, t2] by a deterministic
compass search, and validates the prediction of the last map against the observed one next to the persistence
model. See engine/calibrate/calibrate.hpp for the objective and the search.
"""

import copy
import io
import os

import numpy as np

from ._core import _parksim, problems_frame
from ._progress import reporting
from .metrics import validate
from ._scenario import load_scenario

__all__ = ["calibrate", "CalibrationResult", "calibrate_key", "KeyCalibrationResult"]


def calibrate(maps, grid=None, drivers=None, exclusion=None, class_count=None, nodata=255, assume_crs="",
              budget=40, runs_per_evaluation=4, seed=1, sample_cells=5000, max_distance_m=10000.0,
              distance_to_class_driver=True, pattern_weight=1.0, min_step=1.0 / 32.0, class_keys=None,
              progress=None):
    """Calibrates the land-use simulation on a time series of class maps, exactly as ``parksim calibrate``.

    maps: at least 3 dated maps, either ARRAYS - ``{year: 2-D integer array of class codes}`` or
    ``[(year, array), ...]`` - or RASTER FILES - ``{year: path}``, ``[(year, path), ...]`` or ``[path, ...]`` with
    the year in the file name (``landuse_2005.tif``).
    With arrays: ``grid`` is a GridSpec (e.g. ``Result.grid``) or the cell size in m (REQUIRED: distances and
    patch sizes depend on it); ``drivers`` ``{name: 2-D numeric array}``; ``exclusion`` a 2-D array (non-zero =
    never changes); ``class_count`` DEFAULT largest code + 1; ``nodata`` the code of cells outside the study area
    (DEFAULT 255; 255 is always nodata). The arrays are copied.
    With files: ``drivers`` ``{name: path}``, ``exclusion`` a path, ``assume_crs`` the CRS of rasters without one
    (e.g. "EPSG:4548"); the class count is the largest code + 1 and each raster's own nodata is nodata.
    Options (calibrate::CalibrationOptions, ConfigError when out of range): ``budget`` most objective evaluations
    (DEFAULT 40), ``runs_per_evaluation`` simulations averaged per evaluation (DEFAULT 4), ``seed`` (DEFAULT 1),
    ``sample_cells`` training cells per group (DEFAULT 5000), ``max_distance_m`` cap of the distance-to-class
    drivers (DEFAULT 10000), ``distance_to_class_driver`` (DEFAULT True), ``pattern_weight`` of the change-pattern
    term of the objective (DEFAULT 1; 0 = Figure of Merit only), ``min_step`` of the search (DEFAULT 1/32),
    ``class_keys`` the scenario's key of each class code (a list from code 0, or ``Result.classes``; DEFAULT none:
    "class_<k>"): with them the fragment names classes by key and ``CalibrationResult.apply(scenario)`` can run it.
    progress: ``progress(fraction, message)``, called with the GIL held (returning False cancels: CancelledError), or
    True for a tqdm bar (python3-tqdm). The GIL is released while the engine works. The same inputs and seed give
    the same result, for any thread count.

    Raises DataError naming the year or driver at fault (fewer than 3 maps, shapes that differ, class codes >=
    class_count, a non-finite driver value inside the study area, a map that is not an integer array), IoError /
    CrsError for unreadable rasters or a missing CRS, UsageError for mixed or missing arguments.
    """
    series = _series(maps, grid, drivers, exclusion, class_count, nodata, assume_crs)
    with reporting(progress, "parksim calibrate") as callback:
        raw = _parksim.calibrate(series, budget=int(budget), runs_per_evaluation=int(runs_per_evaluation),
                                 seed=int(seed), sample_cells=int(sample_cells), max_distance_m=float(max_distance_m),
                                 distance_to_class_driver=bool(distance_to_class_driver),
                                 pattern_weight=float(pattern_weight), min_step=float(min_step),
                                 class_keys=_class_keys(class_keys), progress=callback)
    return CalibrationResult(raw, series)


def _class_keys(class_keys):
    """None -> []; a list of keys (by code) as is; Result.classes (dicts with id and key) -> keys by id."""
    if class_keys is None:
        return []
    keys = list(class_keys)
    if keys and isinstance(keys[0], dict):
        by_id = {int(c["id"]): str(c["key"]) for c in keys}
        return [by_id.get(k, f"class_{k}") for k in range(max(by_id) + 1)]
    return [str(k) for k in keys]


class CalibrationResult:
    """What ``parksim.calibrate()`` found. ``raw`` is the engine's result; ``series`` the CalibrationSeries used
    (``series.map(year)``, ``series.driver(name)`` are read-only views).

    Attributes: ``years``; ``fits`` (one ClassFit per growing class: class_id, changed_cells, training_auc,
    raw_coefficients {driver: coefficient, 'intercept' first}); ``params`` (the [sim] values of the fragment:
    neighbourhood_weight, inertia_adaptation, patch_share, patch_size_mean_cells, patch_size_sd_cells); ``tuned``
    (the parameters actually searched; inertia_adaptation is not when only one class grows); ``best_objective``;
    ``grid_evaluations`` (what a full grid at the search's final resolution would cost); ``predicted`` (predicted
    last map, uint8, a read-only view whose ``base`` is ``raw``); ``grid``; ``validation`` (the engine's
    ValidationResult: predicted vs observed last map, next to persistence); ``validation_in_sample`` (True with
    three maps: the validation interval is the tuning interval); ``problems``.
    """

    def __init__(self, raw, series=None):
        self.raw = raw
        self.series = series

    def __repr__(self):
        return (f"<parksim.CalibrationResult {self.years[0]}..{self.years[-1]}, {len(self.fits)} fitted class(es), "
                f"{len(self.raw.evaluations['objective'])} evaluations, objective {self.best_objective:.4f}>")

    years = property(lambda self: list(self.raw.years))
    fits = property(lambda self: list(self.raw.fits))
    params = property(lambda self: dict(self.raw.params))
    tuned = property(lambda self: list(self.raw.tuned))
    best_objective = property(lambda self: self.raw.best_objective)
    grid_evaluations = property(lambda self: self.raw.grid_evaluations)
    predicted = property(lambda self: self.raw.predicted)
    grid = property(lambda self: self.raw.grid)
    validation = property(lambda self: self.raw.validation)
    validation_in_sample = property(lambda self: self.raw.validation_in_sample)
    problems = property(lambda self: list(self.raw.problems))

    @property
    def evaluations(self):
        """The search in run order: pandas DataFrame, one column per searched parameter, then ``objective``."""
        import pandas as pd

        df = pd.DataFrame(self.raw.evaluations)
        df.index.name = "evaluation"
        return df

    def coefficients(self):
        """The fitted suitability models in raw driver units: DataFrame (class_id, driver, coefficient)."""
        import pandas as pd

        rows = [{"class_id": f.class_id, "driver": name, "coefficient": value}
                for f in self.raw.fits for name, value in f.raw_coefficients.items()]
        return pd.DataFrame(rows, columns=["class_id", "driver", "coefficient"])

    def validation_table(self):
        """calibration_metrics.csv as a DataFrame (id, scope, class_code, label, unit, value): every validation
        figure of the model and of persistence, then the scope "calibration" rows."""
        import pandas as pd

        return pd.read_csv(io.StringIO(self.raw.metrics_csv()), dtype={"class_code": "Int64"},
                           keep_default_na=False, na_values={"class_code": [""], "value": ["", "nan", "NaN"]})

    def problems_frame(self):
        """The problems (loading and calibration) as a DataFrame."""
        return problems_frame(self.raw.problems)

    def scenario_fragment(self):
        """The tuned [sim] keys and fitted coefficients as scenario TOML (the text of calibration.toml)."""
        return self.raw.scenario_fragment()

    def apply(self, scenario):
        """A copy of `scenario` with the fragment's keys set: the tuned [sim] values and, with class keys, the
        fitted suitability (``suitability.mode = "given"``, its coefficients, and dist_class_<class>_m drivers the
        pipeline computes at the start year). Without class keys only [sim] is applied (the "class_<k>" tables
        name no class of a scenario). ConfigError when the scenario has no such class or driver."""
        import tomllib

        from ._scenario import load_scenario

        sc = load_scenario(scenario)
        fragment = tomllib.loads(self.scenario_fragment())
        for key, value in fragment["sim"].items():
            sc.set(f"sim.{key}", value)
        if self.raw.class_keys:
            sc.set("suitability.mode", "given")
            for cls, coefficients in fragment["suitability"]["coefficients"].items():
                for driver, value in coefficients.items():
                    sc.set(f"suitability.coefficients.{cls}.{driver}", value)
        return sc

    def metrics_csv(self):
        """The text of calibration_metrics.csv."""
        return self.raw.metrics_csv()

    def write(self, out_dir, overwrite=False):
        """Writes ``out_dir/calibration.toml`` and ``out_dir/calibration_metrics.csv`` (``out_dir`` is created),
        as ``parksim calibrate --out``. OutputExistsError when either exists and overwrite is False."""
        self.raw.write(os.fspath(out_dir), bool(overwrite))
        return out_dir


def _is_path(value):
    return isinstance(value, (str, os.PathLike))


def _pairs(value, what):
    """{key: v} or [(key, v)] -> [(key, v)]."""
    if value is None:
        return []
    if isinstance(value, dict):
        return list(value.items())
    try:
        return [(k, v) for k, v in value]
    except (TypeError, ValueError):
        raise _parksim.UsageError(f"{what} must be a dict or a list of pairs") from None


def _series(maps, grid, drivers, exclusion, class_count, nodata, assume_crs):
    if isinstance(maps, _parksim.CalibrationSeries):
        return maps
    if isinstance(maps, dict):
        entries = list(maps.items())
    else:
        entries = [(None, m) if _is_path(m) else tuple(m) for m in maps]
        if any(len(e) != 2 for e in entries):
            raise _parksim.UsageError("maps must be {year: map}, [(year, map), ...] or [path, ...]")
    files = [_is_path(m) for _, m in entries]
    if entries and all(files):
        if grid is not None or class_count is not None or nodata != 255:
            raise _parksim.UsageError("grid, class_count and nodata apply to arrays; rasters carry their own")
        driver_pairs = _pairs(drivers, "drivers")
        if not all(_is_path(p) for _, p in driver_pairs) or (exclusion is not None and not _is_path(exclusion)):
            raise _parksim.UsageError("with raster maps, drivers and exclusion are raster paths too")
        return _parksim.load_calibration_series(
            [(None if y is None else int(y), os.fspath(p)) for y, p in entries],
            [(str(n), os.fspath(p)) for n, p in driver_pairs],
            None if exclusion is None else os.fspath(exclusion), str(assume_crs))
    if any(files):
        raise _parksim.UsageError("maps mix raster paths and arrays; give one kind")
    if any(y is None for y, _ in entries):
        raise _parksim.UsageError("arrays need their year: {year: array} or [(year, array), ...]")
    if assume_crs:
        raise _parksim.UsageError("assume_crs applies to rasters; with arrays give grid=GridSpec(..., crs=...)")
    driver_pairs = _pairs(drivers, "drivers")
    if any(_is_path(p) for _, p in driver_pairs) or _is_path(exclusion):
        raise _parksim.UsageError("with array maps, drivers and exclusion are arrays too")
    return _parksim.calibration_series([(int(y), m) for y, m in entries], grid,
                                       [(str(n), v) for n, v in driver_pairs], exclusion,
                                       None if class_count is None else int(class_count), int(nodata))


# ---------------------------------------------------------------------------------------------------------------
# calibrate_key: a grid search over one scenario key.

# metric -> (how to read it from ValidationScores, True when higher is better)
_METRICS = {
    "figure_of_merit": (lambda s: s.fom.figure_of_merit, True),
    "kappa": (lambda s: s.kappa.kappa, True),
    "kappa_simulation": (lambda s: s.kappa.kappa_simulation, True),
    "total_disagreement": (lambda s: s.disagreement.total, False),
    "allocation_disagreement": (lambda s: s.disagreement.allocation, False),
    "quantity_disagreement": (lambda s: s.disagreement.quantity, False),
}


class KeyCalibrationResult:
    """What ``calibrate_key()`` found. ``table``: one row per candidate value with every score of the model and of
    persistence; ``best_value`` / ``best_score`` by `metric` (NaN scores never win); ``validation``: the engine's
    ValidationResult of the best value; ``key``, ``metric``."""

    def __init__(self, key, metric, table, best_value, best_score, validation):
        self.key, self.metric, self.table = key, metric, table
        self.best_value, self.best_score, self.validation = best_value, best_score, validation

    def __repr__(self):
        return (f"<parksim.KeyCalibrationResult {self.key} = {self.best_value!r} "
                f"({self.metric} {self.best_score:.4f}, {len(self.table)} candidates)>")


def calibrate_key(scenario, observed, key, values, year=None, metric="figure_of_merit", seed=None, initial=None,
                  threads=None, progress=None):
    """A grid search over ONE scenario key (e.g. ``demand.enterprise_growth_rate``), not the engine's calibration:
    runs `scenario` once per value of `key` (parksim.run, allocation off, one run) and scores the map of `year`
    (DEFAULT: years.end) against `observed` (2-D uint8 array on the run's grid, 255 = no data) with the engine's
    validation metrics, next to the persistence model. It fits nothing else and interpolates nothing.
    `initial` is the time-1 map (DEFAULT: the run's start-year map). metric: figure_of_merit (DEFAULT), kappa,
    kappa_simulation, total_disagreement, allocation_disagreement or quantity_disagreement.
    progress: ``progress(fraction, message)`` after each candidate (returning False cancels: CancelledError), or True
    for a tqdm bar (python3-tqdm). Returns a KeyCalibrationResult."""
    if metric not in _METRICS:
        raise _parksim.UsageError(f"unknown metric '{metric}'; use one of {', '.join(sorted(_METRICS))}")
    read, higher_better = _METRICS[metric]
    sc = scenario if isinstance(scenario, _parksim.Scenario) else load_scenario(scenario)
    base = copy.copy(sc)
    base.set("alloc.enabled", False)
    target_year = int(year if year is not None else base.get("years.end"))
    base.set("outputs.key_years", [target_year])
    observed = np.asarray(observed)
    values = list(values)
    with reporting(progress, f"calibrating {key}") as callback:
        rows, validations = _key_candidates(base, key, values, target_year, observed, initial, seed, threads,
                                            callback)
    import pandas as pd

    table = pd.DataFrame(rows)
    scores = table[metric].to_numpy(dtype=float)
    if np.all(np.isnan(scores)):
        best = None
    else:
        best = int(np.nanargmax(scores) if higher_better else np.nanargmin(scores))
    return KeyCalibrationResult(key, metric, table, values[best] if best is not None else None,
                                float(scores[best]) if best is not None else float("nan"),
                                validations[best] if best is not None else None)


def _key_candidates(base, key, values, target_year, observed, initial, seed, threads, progress):
    """Runs and scores each value of `key` (calibrate_key), reporting after each one."""
    rows, validations = [], []
    for i, value in enumerate(values):
        candidate = copy.copy(base)
        candidate.set(key, value)
        raw = _parksim.run_scenario(candidate, seed=seed, runs=1, threads=threads)
        start_map = raw.landuse(raw.start_year) if initial is None else initial
        v = validate(start_map, observed, raw.landuse(target_year), raw.grid.cell_size_m)
        validations.append(v)
        row = {"value": value}
        for name, (get, _) in _METRICS.items():
            row[name] = get(v.model)
            row[f"persistence_{name}"] = get(v.persistence)
        rows.append(row)
        if progress is not None and progress((i + 1) / len(values), f"{key} = {value!r} scored") is False:
            raise _parksim.CancelledError("the calibration was cancelled by the progress callback")
    return rows, validations
