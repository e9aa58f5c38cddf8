"""parksim.ensemble(): the engine's Monte Carlo ensemble, spread over a Dask cluster (or run in this process).

How it is split. An ensemble of N runs is runs 0..N-1 of one seed (each run's random streams depend on the seed and
the run index only). The engine runs any consecutive piece of them (pipeline::run_ensemble, ``first_run``) on the
same input as ``parksim.run`` - the plan, grid, suitability fit and demand are deterministic for a seed, so each
piece prepares them itself - and returns integer counts (runs per class per cell) and each run's phase fill-up
years. Consecutive pieces merge (sim::merge) into exactly the ensemble run in one call. So for a seed the result is
identical serially, on an in-process cluster, on process workers or on a real multi-machine cluster, for any number
of pieces and threads - and equal to the ensemble of ``parksim.run(sc, seed=seed, runs=N)``: the same counts,
the same probability maps bit for bit, the same fill-up years.
"""

import numpy as np

from ._core import _parksim, module_search_path
from ._html import html_escape, html_table, swatch
from ._progress import reporting
from ._scenario import load_scenario

__all__ = ["ensemble", "EnsembleResult", "current_client", "local_cluster", "pieces"]


def pieces(runs, n):
    """Splits runs 0..runs-1 into `n` (at most `runs`) consecutive pieces: [(first_run, count), ...]."""
    n = max(1, min(int(n), int(runs)))
    size, extra = divmod(int(runs), n)
    out, start = [], 0
    for i in range(n):
        count = size + (1 if i < extra else 0)
        out.append((start, count))
        start += count
    return out


def _run_piece(scenario, seed, first_run, count, threads, progress=None):
    """One task: runs first_run .. first_run + count - 1 of the seed. Returns plain picklable values."""
    return _parksim.run_ensemble(scenario, first_run=first_run, seed=seed, runs=count, threads=threads,
                                 progress=progress)


def current_client():
    """The Dask client this process works with (distributed's default client: the last one made, or the one of
    the worker this runs on), or None when there is none or distributed is not installed."""
    try:
        from distributed import default_client
    except ImportError:
        return None
    try:
        return default_client()
    except ValueError:  # "No clients found"
        return None


def chosen_client(client):
    """Where work runs, from a `client` argument: None -> the current client, else False (this process); False,
    "local" and a distributed.Client as they are; any other text is a UsageError."""
    if client is None:
        return current_client() or False
    if isinstance(client, str) and client != "local":
        raise _parksim.UsageError(f"client must be None, False, \"local\" or a distributed.Client, not '{client}'")
    return client


def ensemble(scenario, runs, seed=None, client=None, chunks=None, threads=None, progress=None):
    """Runs the ensemble of `runs` runs of `scenario` for `seed` (DEFAULT: the scenario's) -> :class:`EnsembleResult`.

    Where it runs, as Dask's own convention has it:
    client=None     the current Dask client when there is one (a ``distributed.Client`` made earlier in this
                    process), else this process: the engine spreads the runs over `threads` threads. Nothing is
                    started, so a plain script (without ``if __name__ == "__main__":``) works;
    client=<distributed.Client>  that cluster (a LocalCluster or a real scheduler, ``Client("tcp://host:8786")``;
                    its workers must be able to import parksim and read the scenario's files at the same paths -
                    the scenario's paths are absolute);
    client="local"  a LocalCluster of process workers started for this call and closed after it (local_cluster():
                    one thread each, nothing listening beyond 127.0.0.1). Process workers re-import the calling
                    script, so a script using it needs the ``if __name__ == "__main__":`` guard;
    client=False    this process, even when a client exists.
    chunks: number of pieces (DEFAULT: 2 per worker on a cluster, 1 in this process; at most `runs`).
    threads: engine threads per piece (DEFAULT: 1 on a cluster, the scenario's `threads` in this process).
    progress: ``progress(fraction, message)`` as the runs finish (returning False cancels: CancelledError), or True
    for a tqdm bar (python3-tqdm).
    The result does not depend on where it runs, on chunks or on threads, and equals parksim.run(..., runs=runs)'s
    ensemble. Only the simulation runs (no allocation, no indicators).
    """
    sc = scenario if isinstance(scenario, _parksim.Scenario) else load_scenario(scenario)
    runs = int(runs)
    if runs < 1:
        raise _parksim.UsageError(f"an ensemble needs runs >= 1, got {runs}")
    seed = int(seed) if seed is not None else int(sc.get("seed"))
    client = chosen_client(client)
    with reporting(progress, f"parksim ensemble {sc.name}, {runs} runs") as callback:
        if client is False:
            parts = []
            for first, count in pieces(runs, chunks or 1):
                # The engine reports each piece's progress; scaled to the whole ensemble here.
                piece_progress = None
                if callback is not None:
                    def piece_progress(fraction, message, first=first, count=count):
                        done = (first + fraction * count) / runs
                        return callback(done, f"{message} (runs {first}-{first + count - 1} of {runs})")
                parts.append(_run_piece(sc, seed, first, count, threads, piece_progress))
        elif client == "local":
            from distributed import Client

            with local_cluster() as cluster, Client(cluster, set_as_default=False) as own:
                parts = _on_client(own, sc, seed, runs, chunks, threads, callback)
        else:
            parts = _on_client(client, sc, seed, runs, chunks, threads, callback)
    return EnsembleResult._merge(parts)


# glibc allocator settings of the workers local_cluster() starts. Dask's nanny starts workers with
# MALLOC_TRIM_THRESHOLD_=65536 (distributed.nanny.pre-spawn-environ, to give memory back to the system early); setting
# it also fixes glibc's mmap threshold at 128 KiB, so every grid the engine allocates is mapped and faulted in afresh:
# an evaluation of the park's plan search (scenarios/optimize_zones.toml) took 324 ms with it against 105 ms without.
# A 32 MiB mmap threshold (the top of glibc's own dynamic range) and a 128 MiB trim threshold: 50 ms.
WORKER_MALLOC = {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "134217728"}


def local_cluster(n_workers=2):
    """The LocalCluster ensemble(client="local") and optimize(client="local") use: `n_workers` process workers with
    one thread each, and a PYTHONPATH that lets the workers import parksim. Everything listens on 127.0.0.1 only: the
    scheduler and workers, and their HTTP servers (health and dashboard routes), which distributed 2022.12 starts
    even with dashboard_address=None - then on 0.0.0.0:8787 - so they get 127.0.0.1 and a free port instead. The
    workers' allocator gets WORKER_MALLOC instead of Dask's MALLOC_TRIM_THRESHOLD_=65536, which made the engine three
    times slower; this process's MALLOC_* variables are left as they were (Dask itself sets OMP_NUM_THREADS=1 and the
    like in it)."""
    import os

    import dask
    from distributed import LocalCluster

    path = module_search_path() + [p for p in os.environ.get("PYTHONPATH", "").split(":") if p]
    spawn = dict(dask.config.get("distributed.nanny.pre-spawn-environ", default={}), **WORKER_MALLOC)
    # The nanny takes these from the config unless os.environ has them, and writes them into os.environ before it
    # spawns a worker (a cluster started earlier in this process left Dask's there): ours while the workers start,
    # then os.environ as it was.
    saved = {k: os.environ.get(k) for k in WORKER_MALLOC}
    os.environ.update(WORKER_MALLOC)
    try:
        with dask.config.set({"distributed.nanny.pre-spawn-environ": spawn}):
            return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                dashboard_address="127.0.0.1:0", worker_dashboard_address="127.0.0.1:0",
                                env={"PYTHONPATH": ":".join(dict.fromkeys(path))})
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _on_client(client, sc, seed, runs, chunks, threads, progress):
    from distributed import as_completed

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    plan = pieces(runs, chunks or 2 * workers)
    futures = [client.submit(_run_piece, sc, seed, first, count, 1 if threads is None else threads, pure=False)
               for first, count in plan]
    try:
        if progress is not None:
            done = 0
            counts = {f.key: count for f, (_, count) in zip(futures, plan)}
            for f in as_completed(futures):
                done += counts[f.key]
                if progress(done / runs, f"{done} of {runs} runs done") is False:
                    raise _parksim.CancelledError("the ensemble was cancelled by the progress callback")
        return client.gather(futures)
    finally:
        client.cancel(futures)


class EnsembleResult:
    """The ensemble of runs 0..runs-1 of a seed.

    ``counts`` (classes, rows, cols) uint16: runs ending in each class per cell (a view of the engine's counts);
    ``fillup_years``: phase id -> int32 array of the year each run filled the phase (-1 = not by the end), run order;
    ``classes``, ``grid`` (GridSpec), ``study`` (uint8, 1 inside the study area), ``seed``, ``runs``,
    ``start_year``, ``end_year``, ``problems`` (every run's Problems), ``ensemble`` (the engine object)."""

    def __init__(self, ensemble, layout):
        self.ensemble = ensemble
        self.seed = ensemble.seed
        self.runs = ensemble.runs
        self.start_year = ensemble.start_year
        self.end_year = ensemble.end_year
        self.grid = ensemble.grid
        self.classes = layout["classes"]
        self.study = layout["study"]
        self.problems = list(layout["problems"]) + list(ensemble.problems)
        ids = layout["phase_ids"]
        self.fillup_years = {
            ph: np.array([y[i] if i < len(y) and y[i] != _parksim.NOT_FILLED else -1 for y in ensemble.phase_full_year],
                         dtype=np.int32)
            for i, ph in enumerate(ids)}

    @classmethod
    def _merge(cls, parts):
        whole = parts[0]["ensemble"]
        for p in parts[1:]:
            whole.merge(p["ensemble"])
        first = parts[0]
        # Preparation findings are the same in every piece: one copy (the runs' own are in whole.problems).
        return cls(whole, {"classes": first["classes"], "study": first["study"], "phase_ids": first["phase_ids"],
                           "problems": first["problems"]})

    @property
    def counts(self):
        return self.ensemble.counts

    def _class_id(self, cls):
        if isinstance(cls, str):
            for c in self.classes:
                if c["key"] == cls:
                    return c["id"]
            raise KeyError(f"no simulation class '{cls}'")
        return int(cls)

    def probability(self, cls=None):
        """Share of runs ending in class `cls` (id or key) per cell, float32, NaN outside the study area - the same
        values as parksim.run(..., runs=N).probability(cls); cls=None: all classes, shape (classes, rows, cols)."""
        if cls is None:
            return np.stack([self.probability(k) for k in range(len(self.classes))])
        p = np.array(self.ensemble.probability(self._class_id(cls)))
        p[self.study == 0] = np.nan
        return p

    def built_probability(self):
        """Share of runs in which each cell ends developed (any built class), float64, NaN outside."""
        built = [c["id"] for c in self.classes if c["built"]]
        p = self.counts[built].sum(axis=0, dtype=np.int64) / float(self.runs)
        p[self.study == 0] = np.nan
        return p

    def fillup_distribution(self, phase="3"):
        """pandas Series: runs per fill-up year of `phase` (-1 = not filled by the end)."""
        import pandas as pd

        values, counts = np.unique(self.fillup_years[phase], return_counts=True)
        return pd.Series(counts, index=pd.Index(values, name="fillup_year"), name="runs")

    def __repr__(self):
        return f"<parksim.EnsembleResult {self.runs} runs of seed {self.seed}, {self.start_year}-{self.end_year}>"

    def _repr_html_(self):
        """The ensemble in a notebook: runs, years, the classes with their mean share of the study area at the end,
        and the fill-up years of each phase."""
        inside = max(1, int(np.count_nonzero(self.study)))
        classes = [(swatch(c["colour"]) + html_escape(c["key"]), f"{c['name_en']} {c['name_zh']}".strip(),
                    f"{100.0 * float(self.counts[c['id']].sum()) / (self.runs * inside):.1f} %")
                   for c in self.classes]
        phases = []
        for phase, years in self.fillup_years.items():
            filled = years[years >= 0]
            phases.append((phase, f"{filled.size} of {years.size}",
                           f"{int(filled.min())}-{int(filled.max())}" if filled.size else "-"))
        return (f"<div><strong>parksim ensemble: {self.runs} runs of seed {self.seed}, "
                f"{self.start_year}-{self.end_year}</strong>"
                + html_table(["class", "name", f"mean share in {self.end_year}"], classes, escape_cells=False,
                             escape_columns=(1, 2))
                + html_table(["phase", "runs that fill it up", "years"], phases) + "</div>")
