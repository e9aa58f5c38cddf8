"""Calibration: ``parksim.calibrate()`` is the engine's calibration of a study (calibrate::calibrate_study /
calibrate_scenario - what ``parksim calibrate`` runs), returning the calibrated scenario, its forecasts, the fitted
models and the validation next to persistence; ``parksim.calibrate_key()`` is a grid search over one scenario key.

``calibrate()``: with dated maps t0 < t1 < ... < tn (n >= 1) it fits a logistic suitability model per growing class
on the change [t0, t1] against the study's declared drivers, tunes the free simulation parameters
(neighbourhood_weight, inertia_adaptation, patch_share, patch_size_mean_cells) on [t1, t2] ([t0, t1] with two maps)
by a deterministic compass search, and validates the prediction of the last map against the observed one next to
the persistence model. See engine/calibrate/calibrate.hpp for the objective and the search.
"""

import atexit
import copy
import io
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from ._core import _parksim, problems_frame, raise_error
from ._progress import reporting
from ._result import Result
from ._scenario import load_scenario
from ._study import Study, run_settings, study as make_study
from .metrics import validate

__all__ = ["calibrate", "CalibrationResult", "calibrate_key", "KeyCalibrationResult"]

SEARCHED = [name for name, _, _ in _parksim.calibration_search_box()]


def calibrate(study, drivers=None, folder=None, overwrite=False, budget=40, runs_per_evaluation=4, seed=None,
              sample_cells=5000, pattern_weight=0.0, min_step=1.0 / 32.0, params=None, progress=None, learner="auto",
              grid=None, exclusion=None, class_keys=None, assume_crs="", max_distance_m=None,
              distance_to_class_driver=True, patches="observed"):
    """Calibrates a study on its dated maps, exactly as ``parksim calibrate`` does, into a runnable scenario.

    ``study``: a :class:`Study` (``parksim.study(...)``: from arrays or rasters, two or more dated maps, declared
    drivers), or a study scenario (file, dict or Scenario: ``parksim calibrate SCENARIO``). ``drivers``: the names
    of the declared drivers the suitability is fitted on (DEFAULT all; for a scenario its suitability.drivers).
    Or, as ``parksim calibrate --map --driver``, a MAP SERIES: ``{year: array}`` with ``grid`` (a GridSpec with CRS)
    or ``{year: raster path}`` / ``[path, ...]`` (years in the file names; ``assume_crs`` for rasters without CRS),
    ``drivers`` ``{name: array or raster path}`` (value drivers), ``exclusion`` (array or file), ``class_keys`` (the
    key of each code from 0, or ``Result.classes``; DEFAULT "class_<code>") and, with distance_to_class_driver
    (DEFAULT True), a driver ``dist_class_<key>_m`` per class: the distance to its cells, measured every year.

    Options (calibrate::CalibrationOptions; ConfigError when out of range): ``budget`` most objective evaluations
    (DEFAULT 40), ``runs_per_evaluation`` simulations averaged per evaluation (DEFAULT 4), ``seed`` (DEFAULT 1, for a
    scenario its own), ``sample_cells`` training cells per group (DEFAULT 5000), ``pattern_weight`` of the
    change-pattern term of the objective (DEFAULT 0: Figure of Merit only; > 0 trades skill for the observed growth pattern), ``min_step`` of the search (DEFAULT
    1/32), ``params`` the [sim] settings the search starts from and keeps for what it does not tune (as in
    ``simulate``; DEFAULT the schema's). ``progress(fraction, message)`` is called with the GIL held; returning False
    cancels (CancelledError); True shows a tqdm bar (python3-tqdm). ``learner``: the suitability learner, "logistic",
    "spline" (logistic with hinge terms), "boosted" (XGBoost trees) or "auto" (DEFAULT: the best by out-of-sample AUC
    on a held-out date, or on spatial blocks with two maps). ``patches``: "observed" (DEFAULT: growth is organic at
    the edges plus new patches whose share and sizes are inferred from the fitting interval) or "search" (searched
    with the other parameters). The GIL is released while the engine works. The same
    inputs and seed give the same result, for any thread count.

    FILES. The calibrated scenario names files, so that ``parksim run`` can forecast with it: ``folder`` receives
    ``calibrated.toml`` and ``calibration_metrics.csv`` (as ``parksim calibrate --out folder``) and, for a study
    with arrays, the arrays as GeoTIFFs in ``folder/inputs/`` (``Study.scenario``); the user's own raster and vector
    files are referenced where they are (relative paths). OutputExistsError when one of these exists and
    overwrite is False (checked before anything is written). DEFAULT folder: a temporary folder kept while this
    Python process runs and deleted when it exits - ``CalibrationResult.folder`` says where; ``write(dir)`` keeps a
    copy.

    Returns a :class:`CalibrationResult`. Raises ConfigError for a study with fewer than two maps or no driver,
    DataError / IoError / CrsError as ``parksim.study`` does, UsageError for arguments that do not fit together.
    """
    if isinstance(study, Study):
        target = study
    elif isinstance(study, (_parksim.Scenario, str, os.PathLike)) or (
            isinstance(study, dict) and not all(_is_year(k) for k in study)):
        if any(v is not None for v in (grid, exclusion, class_keys, max_distance_m)) or assume_crs:
            raise_error(_parksim.UsageError, "a scenario declares its study; grid, exclusion, class_keys, "
                        "assume_crs and max_distance_m go with a map series", key="scenario")
        if drivers is not None or params is not None:
            raise_error(_parksim.UsageError, "a scenario declares its drivers (suitability.drivers) and [sim]; "
                        "change them in the scenario", key="scenario")
        sc = load_scenario(study)
        folder, temporary = _folder(folder, overwrite, [])
        with reporting(progress, f"parksim calibrate {sc.name}") as callback:
            raw = _parksim.calibrate_scenario(sc, budget=int(budget), runs_per_evaluation=int(runs_per_evaluation),
                                              seed=None if seed is None else int(seed), sample_cells=int(sample_cells),
                                              pattern_weight=float(pattern_weight), min_step=float(min_step),
                                              learner=str(learner), patches=str(patches), progress=callback)
        raw.write(str(folder), bool(overwrite))
        return CalibrationResult(raw, None, folder, temporary)
    else:
        target = _series_study(study, grid, drivers, exclusion, class_keys, assume_crs, max_distance_m,
                               distance_to_class_driver)
        drivers = None
    if drivers is not None and (isinstance(drivers, (str, dict)) or not all(isinstance(d, str) for d in drivers)):
        raise_error(_parksim.UsageError, "with a Study, drivers are the names of its declared drivers to fit on",
                    key="drivers")
    inputs = Path(folder) / "inputs" if folder is not None else None
    folder, temporary = _folder(folder, overwrite, target._array_files(inputs) if inputs is not None else [])
    settings = run_settings(target, params=params, seed=1 if seed is None else seed)
    with reporting(progress, "parksim calibrate") as callback:
        raw = _parksim.calibrate_study(target.raw, settings, list(drivers or []), budget=int(budget),
                                       runs_per_evaluation=int(runs_per_evaluation),
                                       seed=1 if seed is None else int(seed), sample_cells=int(sample_cells),
                                       pattern_weight=float(pattern_weight), min_step=float(min_step),
                                       learner=str(learner), patches=str(patches), progress=callback)
    scenario = target.scenario(folder / "inputs", overwrite)
    applied = raw.applied(target.raw, scenario)
    applied.write(str(folder), True)
    return CalibrationResult(applied, target, folder, temporary)


_temporary_folders = []


def _remove_temporary_folders():
    for f in _temporary_folders:
        shutil.rmtree(f, ignore_errors=True)


def _temporary_folder(prefix):
    """A new temporary folder, removed when the process exits."""
    if not _temporary_folders:
        atexit.register(_remove_temporary_folders)
    path = Path(tempfile.mkdtemp(prefix=prefix))
    _temporary_folders.append(str(path))
    return path


def _folder(folder, overwrite, more_files):
    """The calibration's folder: `folder` (created; OutputExistsError when its outputs exist and not overwrite) or
    a new temporary folder removed when the process exits. Returns (Path, temporary)."""
    if folder is None:
        return _temporary_folder("parksim-calibration-"), True
    path = Path(folder).resolve()
    if not overwrite:
        for f in [path / "calibrated.toml", path / "calibration_metrics.csv", *more_files]:
            if Path(f).exists():
                raise_error(_parksim.OutputExistsError, "output exists (pass overwrite=True)", path=str(f))
    path.mkdir(parents=True, exist_ok=True)
    return path, False


def _is_year(key):
    return isinstance(key, (int, np.integer)) or (isinstance(key, str) and key.isdigit())


def _series_study(maps, grid, drivers, exclusion, class_keys, assume_crs, max_distance_m, distance_to_class_driver):
    """The study `parksim calibrate --map ... --driver ...` makes: the maps, a value driver per given driver, a
    class key per code, and the distance to each class measured every year."""
    if isinstance(maps, dict):
        entries = list(maps.items())
    else:
        entries = []
        for m in maps:
            if isinstance(m, (str, os.PathLike)):
                year = _year_in_name(m)
                if year is None:
                    raise_error(_parksim.UsageError, f"no year for {os.fspath(m)}: give {{year: path}} or put the "
                                "year in the file name (landuse_2005.tif)", key="maps", path=os.fspath(m))
                entries.append((year, m))
            else:
                entries.append(tuple(m))
    files = [isinstance(m, (str, os.PathLike)) for _, m in entries]
    if entries and all(files):
        if grid is not None:
            raise_error(_parksim.UsageError, "grid applies to arrays; rasters carry their own", key="grid")
        codes = _raster_codes([m for _, m in entries])
    else:
        if assume_crs:
            raise_error(_parksim.UsageError, "assume_crs applies to rasters; with arrays give grid=GridSpec(..., "
                        "crs=...)", key="assume_crs")
        codes = sorted({int(v) for _, m in entries if not isinstance(m, (str, os.PathLike))
                        for v in np.unique(np.asarray(m)) if 0 <= v <= 254})
    keys = _class_keys(class_keys)
    classes = {code: (keys[code] if code < len(keys) else f"class_{code}") for code in codes}
    declared = {str(n): v for n, v in (drivers or {}).items()}
    if distance_to_class_driver:
        for key in classes.values():
            declared[f"dist_class_{key}_m"] = {"kind": "distance", "classes": [key]}
    return make_study(dict(entries) if len({y for y, _ in entries}) == len(entries) else entries, grid=grid,
                      classes=classes, exclusion=exclusion, drivers=declared, crs=assume_crs or None,
                      max_distance_m=max_distance_m, name="calibration")


def _year_in_name(path):
    """The last run of exactly four digits in the file's stem ("landuse_2005.tif" -> 2005)."""
    import re

    found = re.findall(r"(?<!\d)(\d{4})(?!\d)", Path(os.fspath(path)).stem)
    return int(found[-1]) if found else None


def _raster_codes(paths):
    """Class codes 0..254 found in rasters (their nodata excluded), read with GDAL."""
    from osgeo import gdal

    codes = set()
    for p in paths:
        ds = gdal.Open(os.fspath(p))
        if ds is None:
            raise_error(_parksim.IoError, "cannot open the raster", path=os.fspath(p))
        band = ds.GetRasterBand(1)
        values = band.ReadAsArray()
        nodata = band.GetNoDataValue()
        found = np.unique(values)
        codes |= {int(v) for v in found if (nodata is None or v != nodata) and 0 <= v <= 254 and v == int(v)}
    return sorted(codes)


def _class_keys(class_keys):
    """None -> []; a list of keys (by code) as is; Result.classes (dicts with code or id, and key) -> keys by code."""
    if class_keys is None:
        return []
    keys = list(class_keys)
    if keys and isinstance(keys[0], dict):
        by_code = {int(c.get("code", c["id"])): str(c["key"]) for c in keys}
        return [by_code.get(k, f"class_{k}") for k in range(max(by_code) + 1)]
    return [str(k) for k in keys]


class CalibrationResult:
    """What ``parksim.calibrate()`` found, and the calibrated scenario it wrote.

    ``scenario``: the text of calibrated.toml - a complete scenario (inputs referenced relative to ``folder``, the
    fitted suitability, the tuned [sim], demand "trend") that ``parksim run <folder>/calibrated.toml --end YEAR``
    forecasts with; ``path`` is that file. ``forecast(year, runs)`` runs it from the latest map. ``study``: the
    Study calibrated (None for a scenario).

    The calibration: ``years``; ``drivers`` fitted on; ``fits`` (one ClassFit per growing class: class_id,
    changed_cells, training_auc, raw_coefficients {driver: coefficient, 'intercept' first}) and ``coefficients()``
    (the fitted models as a DataFrame); ``params`` (the calibrated [sim] values) and ``tuned`` (the names actually
    searched; inertia_adaptation is not when only one class grows; with patches="observed" neither
    neighbourhood_weight nor the patch parameters are); ``growth`` (organic growth and new patches over the fitting
    interval, observed and simulated, as text); ``evaluations`` (the search); ``best_objective``;
    ``grid_evaluations`` (what a full grid at the search's final resolution would cost); ``predicted`` (the
    predicted last map, class ids, a read-only view); ``grid``; ``validation`` (the engine's ValidationResult) and
    ``validation_table()`` (model next to persistence); ``validation_in_sample`` (True with two or three maps: the
    validation interval is the tuning interval); ``problems()``.
    """

    def __init__(self, raw, study, folder, temporary):
        self.raw = raw
        self.study = study
        self.folder = Path(folder)
        self.temporary = temporary
        self.path = self.folder / "calibrated.toml"
        self.scenario = self.path.read_text(encoding="utf-8")

    def __repr__(self):
        return (f"<parksim.CalibrationResult {self.years[0]}..{self.years[-1]}, {len(self.fits)} fitted class(es), "
                f"{len(self.evaluations)} evaluations, objective {self.best_objective:.4f}, {self.path}>")

    result = property(lambda self: self.raw.result)
    years = property(lambda self: list(self.raw.result.years))
    drivers = property(lambda self: list(self.raw.drivers))
    fits = property(lambda self: list(self.raw.result.fits))
    params = property(lambda self: dict(self.raw.result.params))
    tuned = property(lambda self: list(self.raw.result.tuned))
    growth = property(lambda self: self.raw.result.growth)
    best_objective = property(lambda self: self.raw.result.best_objective)
    grid_evaluations = property(lambda self: self.raw.result.grid_evaluations)
    predicted = property(lambda self: self.raw.result.predicted)
    grid = property(lambda self: self.raw.result.grid)
    validation = property(lambda self: self.raw.result.validation)
    validation_in_sample = property(lambda self: self.raw.result.validation_in_sample)
    class_keys = property(lambda self: list(self.raw.result.class_keys))

    @property
    def evaluations(self):
        """The search in run order: pandas DataFrame, one column per searched parameter, then ``objective``."""
        import pandas as pd

        df = pd.DataFrame(self.raw.result.evaluations)
        df.index.name = "evaluation"
        return df

    def coefficients(self):
        """The fitted suitability models in raw driver units: DataFrame (class, class_id, driver, coefficient)."""
        import pandas as pd

        keys = self.class_keys
        rows = [{"class": keys[f.class_id], "class_id": f.class_id, "driver": name, "coefficient": value}
                for f in self.fits for name, value in f.raw_coefficients.items()]
        return pd.DataFrame(rows, columns=["class", "class_id", "driver", "coefficient"])

    def metrics(self):
        """calibration_metrics.csv as a DataFrame (id, scope, class_code, label, unit, value): every validation
        figure of the model and of persistence, then the scope "calibration" rows."""
        import pandas as pd

        return pd.read_csv(io.StringIO(self.metrics_csv()), dtype={"class_code": "Int64"},
                           keep_default_na=False, na_values={"class_code": [""], "value": ["", "nan", "NaN"]})

    def validation_table(self):
        """The validation of the last map: one row per metric (and class, where per class) with the model's value
        next to persistence's (the null model: nothing changes). DataFrame id, class_code (the metrics' class id),
        class (its key), label, unit, model, persistence."""
        m = self.metrics()
        m = m.assign(_key=m.id + "|" + m.class_code.astype("string").fillna(""))
        model = m[m.scope == "model"]
        persistence = m[m.scope == "persistence"].set_index("_key").value
        keys = self.class_keys
        out = model[["id", "class_code"]].reset_index(drop=True)
        out["class"] = [None if c is None or c is np.nan or str(c) == "<NA>" else keys[int(c)]
                        for c in out.class_code.astype(object)]
        out["label"] = model.label.to_numpy()
        out["unit"] = model.unit.to_numpy()
        out["model"] = model.value.to_numpy()
        out["persistence"] = model._key.map(persistence).to_numpy()
        return out

    def problems(self):
        """The findings of loading and of the calibration, as a DataFrame."""
        return problems_frame(self.raw.problems)

    def metrics_csv(self):
        """The text of calibration_metrics.csv."""
        return self.raw.result.metrics_csv()

    def forecast(self, year, runs=1, seed=None, threads=None, progress=None):
        """Runs the calibrated scenario from the latest map to `year`, exactly ``parksim run calibrated.toml --end
        YEAR``: a :class:`Result` (``runs > 1``: the engine's ensemble; seed DEFAULT the scenario's)."""
        sc = load_scenario(self.path)
        sc.set("years.end", int(year))
        with reporting(progress, f"parksim run {sc.name} --end {int(year)}") as callback:
            raw = _parksim.run_scenario(sc, seed=seed, runs=int(runs), threads=threads, progress=callback)
        return Result(raw)

    def write(self, folder, overwrite=False):
        """Writes ``folder/calibrated.toml`` and ``folder/calibration_metrics.csv`` (and, for a study with arrays,
        its GeoTIFFs into ``folder/inputs``), so that the calibrated scenario outlives this process. Returns the
        path of calibrated.toml. OutputExistsError when one of them exists and overwrite is False."""
        study = self.study
        inputs = Path(folder).resolve() / "inputs"
        extra = study._array_files(inputs) if study is not None and study.has_arrays else []
        path, _ = _folder(folder, overwrite, extra)
        if study is not None and study.has_arrays:
            raw = self.raw.applied(study.raw, study.scenario(inputs, overwrite))
        else:
            raw = self.raw
        raw.write(str(path), True)
        return path / "calibrated.toml"

    def apply(self, scenario):
        """A copy of `scenario` (e.g. the one whose run made the maps) with the calibration's suitability
        (``suitability.mode = "given"``, its drivers and coefficients) and tuned [sim] keys. Drivers the calibration
        declared itself (a distance to a class, ``dist_class_<key>_m``) are declared in it too; any other fitted
        driver must be declared there under the same name (ConfigError naming it otherwise). Demand and the study
        stay the scenario's."""
        sc = load_scenario(scenario)
        calibrated = load_scenario(self.path)
        sc.remove("suitability.coefficients")
        sc.remove("suitability.model_files")
        for key in ["suitability.mode", "suitability.drivers"] + [f"sim.{k}" for k in SEARCHED + [
                "patch_size_sd_cells"]]:
            sc.set(key, calibrated.get(key))
        sc.remove("sim.patch_sizes_cells")
        if calibrated.get("sim.patch_sizes_cells"):
            sc.set("sim.patch_sizes_cells", calibrated.get("sim.patch_sizes_cells"))
        for cls in calibrated.child_keys("suitability.model_files"):
            # Boosted trees live in files next to calibrated.toml.
            sc.set(f"suitability.model_files.{cls}",
                   str(self.path.parent / calibrated.get(f"suitability.model_files.{cls}")))
        for cls in calibrated.child_keys("suitability.coefficients"):
            table = f"suitability.coefficients.{cls}"
            for driver in calibrated.child_keys(table):
                sc.set(f"{table}.{driver}", calibrated.get(f"{table}.{driver}"))
        for driver in self.drivers:
            if sc.has(f"drivers.{driver}.kind"):
                continue
            table = f"drivers.{driver}"
            if not calibrated.has(f"{table}.classes") and not calibrated.has(f"{table}.built"):
                raise_error(_parksim.ConfigError, f"no driver '{driver}' in the scenario; declare it under "
                            f"[drivers.{driver}] as the calibration's study does", key=f"{table}")
            for key in calibrated.child_keys(table):
                sc.set(f"{table}.{key}", calibrated.get(f"{table}.{key}"))
        return sc


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
