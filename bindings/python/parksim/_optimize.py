"""The plan search: ``parksim.optimize()`` is ``parksim optimize SCENARIO`` (the engine's optimize::optimize_scenario):
NSGA-II or MOEA/D over the levers of the scenario's [optimize] table, each evaluation an ensemble of runs on the study
loaded once, and the Pareto front of the objectives back as a pandas DataFrame.

On a Dask cluster. The search itself (pagmo) stays in this process; each generation's new lever settings are one
batch, which is cut into tasks of consecutive settings. A task evaluates its settings with the worker's
``_parksim.OptimizeEvaluator`` of the searched scenario - kept between tasks in this module (``_EVALUATORS``), so a
worker process loads the study, and fits the suitability, once per search - and returns plain tuples; the batch is
put back together in order. Every evaluation runs the scenario's seed, so the front is the same byte for byte as in
this process, whatever the cluster, the number of tasks or the threads.
"""

import collections
import os
import threading

from ._core import _parksim
from ._ensemble import chosen_client, local_cluster, pieces
from ._progress import reporting
from ._scenario import load_scenario

__all__ = ["optimize"]

# Worker side: one evaluator per searched scenario, the last few kept (a worker may serve several searches).
_EVALUATORS = collections.OrderedDict()
_EVALUATORS_KEPT = 4
_EVALUATORS_LOCK = threading.Lock()


def _evaluator(scenario):
    """The evaluator this process keeps for `scenario` (keyed by its TOML text and path), made on first use."""
    key = (str(scenario.path), scenario.to_toml())
    with _EVALUATORS_LOCK:
        found = _EVALUATORS.get(key)
        if found is None:
            found = _parksim.OptimizeEvaluator(scenario)  # cheap: the study is loaded by its first evaluation
            _EVALUATORS[key] = found
            while len(_EVALUATORS) > _EVALUATORS_KEPT:
                _EVALUATORS.popitem(last=False)
        else:
            _EVALUATORS.move_to_end(key)
    return found


def _evaluate_settings(scenario, settings, threads=1):
    """One task: evaluates `settings` (lists of lever values) of the searched `scenario` -> a list of plain
    (levers, mean, sd, feasible, violation) tuples, in order. Several tasks may run at once in one process: the
    evaluator's first evaluation runs alone, the others share what it loaded."""
    return _evaluator(scenario).evaluate(settings, threads=threads)


class _OnClient:
    """The engine's batch evaluation on a Dask client: a batch of settings cut into `chunks` tasks (DEFAULT: 2 per
    worker, at most one per setting), submitted, and gathered in order; on an error (or an interrupt) the tasks
    still pending are cancelled and the error propagates as raised on the worker (a parksim exception keeps its
    class)."""

    def __init__(self, client, chunks, threads):
        self.client = client
        self.chunks = chunks
        self.threads = 1 if threads is None else int(threads)

    def __call__(self, scenario, settings):
        workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        plan = pieces(len(settings), self.chunks or 2 * workers)
        futures = [self.client.submit(_evaluate_settings, scenario, settings[first:first + count], self.threads,
                                      pure=False)
                   for first, count in plan]
        try:
            parts = self.client.gather(futures)
        finally:
            self.client.cancel(futures)
        return [value for part in parts for value in part]


def optimize(scenario, out=None, overwrite=False, seed=None, threads=None, generations=None, population=None,
             runs=None, algorithm=None, progress=None, with_start=False, client=None, chunks=None):
    """The Pareto front of ``scenario``'s [optimize] table (docs/scenario-format.md), exactly as ``parksim optimize
    SCENARIO`` finds it, as a pandas DataFrame: one row per solution (``solution`` "solution_01" ...), a column per
    lever key, ``<indicator>[@year]_mean`` and ``_sd`` per objective and constraint (the ensemble's mean and sample
    sd; sd None for one run), and ``feasible``. Rows are ordered by the first objective. ``with_start`` appends the
    scenario's own setting as a row named "scenario".

    ``df.attrs["history"]`` is the hypervolume by generation (a DataFrame: generation, evaluations, front_size,
    hypervolume), ``df.attrs["evaluations"]`` the number of settings evaluated and ``df.attrs["result"]`` the engine's
    OptimizeResult (``table()``, ``pareto_csv()``, ``write(folder)``, ``scenario``: the scenario searched;
    ``map_names``, ``developed_map(name)``, ``map_grid``, ``map_year``: the maps of developed land the report shows, a
    (rows, cols) uint8 array each, per cell the percentage of the evaluation's runs developed, 255 outside the study).

    ``out``: also write the folder ``parksim optimize --out`` writes (pareto.csv, pareto.gpkg, history.csv,
    solutions/solution_NN.toml, report/index.html); OutputExistsError when it exists and not ``overwrite``.
    ``seed``, ``threads``, ``generations``, ``population``, ``runs`` (per evaluation) and ``algorithm`` ("nsga2",
    "moead") override the scenario's; the front does not depend on ``threads``. ``progress(fraction, message)`` is
    called with the GIL held (after each generation); returning False cancels (CancelledError); True shows a tqdm bar.

    Where the evaluations run, as in ``parksim.ensemble``:
    client=None     the current Dask client when there is one (``distributed.default_client()``), else this process
                    (the engine's threads). Nothing is started, so a plain script without ``if __name__ ==
                    "__main__":`` works;
    client=<distributed.Client>  that cluster; its workers must be able to import parksim and read the scenario's
                    files at the same paths (the scenario travels with absolute paths);
    client="local"  a LocalCluster of process workers started for this call and closed after it
                    (parksim.local_cluster(): one thread each, nothing listening beyond 127.0.0.1); a script using it
                    needs the ``if __name__ == "__main__":`` guard;
    client=False    this process, even when a client exists.
    On a cluster the search stays here and each generation's new settings are cut into ``chunks`` tasks (DEFAULT: 2
    per worker, at most one per setting), each evaluating its settings one after another on ``threads`` engine
    threads (DEFAULT 1) with the study its worker process loaded once; the scenario's own setting is evaluated in
    this process first (it checks the indicators), and so are the maps of the front's solutions after the search
    (optimize.maps). MOEA/D asks for one setting at a time, so only NSGA-II's generations spread over the workers.
    The front, history and evaluations are the same byte for byte wherever they run. An error on a worker cancels
    the batch's other tasks and is raised here with its class (ConfigError ...).

    Raises ConfigError naming the key and file:line for a bad [optimize] table (a lever that is no numeric scenario
    key, reversed bounds, an unknown indicator, fewer than two objectives) and when no evaluated setting meets the
    constraints (the message lists the closest); UsageError for a `client` that is none of the above.
    """
    import pandas as pd

    sc = load_scenario(scenario) if isinstance(scenario, (str, os.PathLike, dict)) else scenario
    client = chosen_client(client)
    as_int = (lambda v: None if v is None else int(v))
    chunks = as_int(chunks)
    if chunks is not None and chunks < 1:
        raise _parksim.UsageError(f"chunks must be at least 1, got {chunks}")

    def search(evaluate, callback):
        return _parksim.optimize_scenario(sc, seed=as_int(seed), threads=as_int(threads),
                                          generations=as_int(generations), population=as_int(population),
                                          runs=as_int(runs), algorithm=None if algorithm is None else str(algorithm),
                                          progress=callback, evaluate=evaluate)

    with reporting(progress, f"parksim optimize {sc.name}") as callback:
        if client is False:
            raw = search(None, callback)
        elif client == "local":
            from distributed import Client

            with local_cluster() as cluster, Client(cluster, set_as_default=False) as own:
                raw = search(_OnClient(own, chunks, threads), callback)
        else:
            raw = search(_OnClient(client, chunks, threads), callback)
    if out is not None:
        raw.write(os.fspath(out), bool(overwrite))
    df = pd.DataFrame(raw.front_rows(bool(with_start)))
    df.attrs["history"] = pd.DataFrame(raw.history_rows())
    df.attrs["evaluations"] = raw.evaluations
    df.attrs["result"] = raw
    return df
