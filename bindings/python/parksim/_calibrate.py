"""parksim.calibrate(): choose one scenario parameter by how well the simulated map matches an observed one.

The engine has no calibration routine yet (no `parksim calibrate`, RunResult.validation is never filled), so this
is a plain grid search built from two engine calls only: a run per candidate value (parksim.run) and the engine's
validation metrics (metrics::validate_simulation) of its map against the observed map, always next to the
persistence null model. It fits nothing else and interpolates nothing.
"""

import copy

import numpy as np

from ._core import _parksim
from .metrics import validate
from ._scenario import load_scenario

__all__ = ["calibrate", "CalibrationResult"]

# metric -> (how to read it from ValidationScores, True when higher is better)
_METRICS = {
    "figure_of_merit": (lambda s: s.fom.figure_of_merit, True),
    "kappa": (lambda s: s.kappa.kappa, True),
    "kappa_simulation": (lambda s: s.kappa.kappa_simulation, True),
    "total_disagreement": (lambda s: s.disagreement.total, False),
    "allocation_disagreement": (lambda s: s.disagreement.allocation, False),
    "quantity_disagreement": (lambda s: s.disagreement.quantity, False),
}


class CalibrationResult:
    """``table``: one row per candidate value with every score of the model and of persistence;
    ``best_value`` / ``best_score`` by `metric` (NaN scores never win); ``validation``: the engine's
    ValidationResult of the best value; ``key``, ``metric``."""

    def __init__(self, key, metric, table, best_value, best_score, validation):
        self.key, self.metric, self.table = key, metric, table
        self.best_value, self.best_score, self.validation = best_value, best_score, validation

    def __repr__(self):
        return (f"<parksim.CalibrationResult {self.key} = {self.best_value!r} "
                f"({self.metric} {self.best_score:.4f}, {len(self.table)} candidates)>")


def calibrate(scenario, observed, key, values, year=None, metric="figure_of_merit", seed=None, initial=None,
              threads=None, progress=None):
    """Runs `scenario` once per value of `key` and scores the map of `year` (DEFAULT: years.end) against
    `observed` (2-D uint8 array on the run's grid, 255 = no data). `initial` is the time-1 map (DEFAULT: the
    run's start-year map, i.e. the data's state). metric: figure_of_merit (DEFAULT), kappa, kappa_simulation,
    total_disagreement, allocation_disagreement or quantity_disagreement. Candidates run with the allocation off.
    progress(done, total, value) is called after each candidate."""
    if metric not in _METRICS:
        raise _parksim.UsageError(f"unknown metric '{metric}'; use one of {', '.join(sorted(_METRICS))}")
    read, higher_better = _METRICS[metric]
    sc = scenario if isinstance(scenario, _parksim.Scenario) else load_scenario(scenario)
    base = copy.copy(sc)
    base.set("alloc.enabled", False)
    target_year = int(year if year is not None else base.get("years.end"))
    base.set("outputs.key_years", [target_year])
    observed = np.asarray(observed)
    rows, validations = [], []
    values = list(values)
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
        if progress is not None:
            progress(i + 1, len(values), value)
    import pandas as pd

    table = pd.DataFrame(rows)
    scores = table[metric].to_numpy(dtype=float)
    if np.all(np.isnan(scores)):
        best = None
    else:
        best = int(np.nanargmax(scores) if higher_better else np.nanargmin(scores))
    return CalibrationResult(key, metric, table, values[best] if best is not None else None,
                             float(scores[best]) if best is not None else float("nan"),
                             validations[best] if best is not None else None)
