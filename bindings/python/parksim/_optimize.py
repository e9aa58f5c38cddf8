"""The plan search: ``parksim.optimize()`` is ``parksim optimize SCENARIO`` (the engine's optimize::optimize_scenario):
NSGA-II or MOEA/D over the levers of the scenario's [optimize] table, each evaluation an ensemble of runs on the study
loaded once, and the Pareto front of the objectives back as a pandas DataFrame.
"""

import os

from ._core import _parksim
from ._progress import reporting
from ._scenario import load_scenario

__all__ = ["optimize"]


def optimize(scenario, out=None, overwrite=False, seed=None, threads=None, generations=None, population=None,
             runs=None, algorithm=None, progress=None, with_start=False):
    """The Pareto front of ``scenario``'s [optimize] table (docs/scenario-format.md), exactly as ``parksim optimize
    SCENARIO`` finds it, as a pandas DataFrame: one row per solution (``solution`` "solution_01" ...), a column per
    lever key, ``<indicator>[@year]_mean`` and ``_sd`` per objective and constraint (the ensemble's mean and sample
    sd; sd None for one run), and ``feasible``. Rows are ordered by the first objective. ``with_start`` appends the
    scenario's own setting as a row named "scenario".

    ``df.attrs["history"]`` is the hypervolume by generation (a DataFrame: generation, evaluations, front_size,
    hypervolume), ``df.attrs["evaluations"]`` the number of settings evaluated and ``df.attrs["result"]`` the engine's
    OptimizeResult (``table()``, ``pareto_csv()``, ``write(folder)``).

    ``out``: also write the folder ``parksim optimize --out`` writes (pareto.csv, pareto.gpkg, history.csv,
    solutions/solution_NN.toml, report/index.html); OutputExistsError when it exists and not ``overwrite``.
    ``seed``, ``threads``, ``generations``, ``population``, ``runs`` (per evaluation) and ``algorithm`` ("nsga2",
    "moead") override the scenario's; the front does not depend on ``threads``. ``progress(fraction, message)`` is
    called with the GIL held; returning False cancels (CancelledError); True shows a tqdm bar.

    Raises ConfigError naming the key and file:line for a bad [optimize] table (a lever that is no numeric scenario
    key, reversed bounds, an unknown indicator, fewer than two objectives) and when no evaluated setting meets the
    constraints (the message lists the closest).
    """
    import pandas as pd

    sc = load_scenario(scenario) if isinstance(scenario, (str, os.PathLike, dict)) else scenario
    as_int = (lambda v: None if v is None else int(v))
    with reporting(progress, f"parksim optimize {sc.name}") as callback:
        raw = _parksim.optimize_scenario(sc, seed=as_int(seed), threads=as_int(threads),
                                         generations=as_int(generations), population=as_int(population),
                                         runs=as_int(runs), algorithm=None if algorithm is None else str(algorithm),
                                         progress=callback)
    if out is not None:
        raw.write(os.fspath(out), bool(overwrite))
    df = pd.DataFrame(raw.front_rows(bool(with_start)))
    df.attrs["history"] = pd.DataFrame(raw.history_rows())
    df.attrs["evaluations"] = raw.evaluations
    df.attrs["result"] = raw
    return df
