"""parksim.ensemble(): a Monte Carlo ensemble spread over a Dask cluster (or run in this process).

How it is split. The engine's RunOptions has no "first run" (pipeline::run_scenario always runs members 0..N-1 in
one call), so an ensemble cannot be cut into chunks of the engine's own runs. parksim.ensemble() therefore runs N
*members*, each a complete single run (``runs = 1``) with its own seed, derived from (seed, member index) by
``numpy.random.SeedSequence([seed, index])`` - so members differ in everything the seed drives (the simulation and
the suitability sample). Each task runs a contiguous chunk of members and returns integer counts (runs per class
per cell) and fill-up years; the counts are summed. Integer sums do not depend on the order or the split, so for a
seed the result is identical serially, on an in-process cluster and on process workers, for any number of
workers. It is NOT the same ensemble as ``parksim.run(sc, seed, runs=N)`` (the engine's run-index streams).
Members run with ``alloc.enabled = false`` (the allocation does not feed the maps or the fill-up years) and one
engine thread each (Dask supplies the parallelism).
"""

import copy

import numpy as np

from ._core import _parksim, module_search_path
from ._scenario import load_scenario

__all__ = ["ensemble", "EnsembleResult", "member_seeds", "local_cluster"]

_MAX_SEED = 9_000_000_000_000_000  # the scenario schema's bound of `seed`


def member_seeds(seed, runs):
    """The engine seed of each member: SeedSequence([seed, i]) -> 64 bits, reduced into the schema's range."""
    out = []
    for i in range(int(runs)):
        lo, hi = np.random.SeedSequence([int(seed), i]).generate_state(2, np.uint32)
        out.append(int((int(hi) << 32 | int(lo)) % _MAX_SEED))
    return out


def _member_scenario(scenario):
    sc = copy.copy(scenario)
    sc.set("alloc.enabled", False)
    end = sc.get("years.end")
    sc.set("outputs.key_years", [int(end)])
    return sc


def _run_members(scenario, seeds, threads):
    """One task: runs the members with these seeds; returns class counts, fill-up years and the run's layout."""
    counts = None
    fillup = []
    for s in seeds:
        raw = _parksim.run_scenario(scenario, seed=int(s), runs=1, threads=threads)
        final = raw.landuse(raw.end_year)
        if counts is None:
            k = len(raw.classes)
            counts = np.zeros((k,) + final.shape, dtype=np.uint32)
            layout = {"classes": raw.classes, "grid": _grid_dict(raw.grid), "start_year": raw.start_year,
                      "end_year": raw.end_year, "outside": final == 255, "phases": sorted(raw.phase_fillup_year)}
        for c in range(counts.shape[0]):
            counts[c] += final == c
        fillup.append(dict(raw.phase_fillup_year))
    return {"counts": counts, "fillup": fillup, "layout": layout}


def _grid_dict(g):
    return {"origin_x": g.origin_x, "origin_y": g.origin_y, "cell_size_m": g.cell_size_m, "rows": g.rows,
            "cols": g.cols, "crs": g.crs}


def _chunks(seeds, n):
    n = max(1, min(n, len(seeds)))
    size, extra = divmod(len(seeds), n)
    out, start = [], 0
    for i in range(n):
        stop = start + size + (1 if i < extra else 0)
        out.append(seeds[start:stop])
        start = stop
    return out


def ensemble(scenario, runs, seed, client=None, chunks=None, threads=1):
    """Runs `runs` members of `scenario` for root `seed` and sums them into an :class:`EnsembleResult`.

    client=None  starts a Dask LocalCluster (local_cluster(): process workers, one thread each, nothing
                 listening beyond 127.0.0.1), runs there, and closes it;
    client=<distributed.Client>  uses that cluster (a LocalCluster or a real scheduler,
                 ``Client("tcp://scheduler:8786")``; its workers must be able to import parksim);
    client=False runs in this process, one member after the other.
    chunks: number of tasks (DEFAULT: 2 per worker, at most `runs`); threads: engine threads per member
    (DEFAULT 1). The result does not depend on the mode, on chunks or on threads.
    """
    sc = scenario if isinstance(scenario, _parksim.Scenario) else load_scenario(scenario)
    runs = int(runs)
    if runs < 1:
        raise _parksim.UsageError("an ensemble needs runs >= 1")
    member = _member_scenario(sc)
    seeds = member_seeds(seed, runs)
    if client is False:
        parts = [_run_members(member, chunk, threads) for chunk in _chunks(seeds, chunks or 1)]
    elif client is None:
        from distributed import Client

        with local_cluster() as cluster, Client(cluster) as own:
            parts = _on_client(own, member, seeds, chunks, threads)
    else:
        parts = _on_client(client, member, seeds, chunks, threads)
    return EnsembleResult._merge(parts, seed, seeds)


def local_cluster(n_workers=2):
    """The LocalCluster ensemble(client=None) uses: `n_workers` process workers with one thread each, and a
    PYTHONPATH that lets the workers import parksim. Everything listens on 127.0.0.1 only: the scheduler and
    workers, and their HTTP servers (health and dashboard routes), which distributed 2022.12 starts even with
    dashboard_address=None - then on 0.0.0.0:8787 - so they get 127.0.0.1 and a free port instead."""
    import os

    from distributed import LocalCluster

    path = module_search_path() + [p for p in os.environ.get("PYTHONPATH", "").split(":") if p]
    return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address="127.0.0.1:0", worker_dashboard_address="127.0.0.1:0",
                        env={"PYTHONPATH": ":".join(dict.fromkeys(path))})


def _on_client(client, member, seeds, chunks, threads):
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    parts = _chunks(seeds, chunks or 2 * workers)
    futures = client.map(_run_members, [member] * len(parts), parts, [threads] * len(parts), pure=False)
    return client.gather(futures)


class EnsembleResult:
    """The summed ensemble: ``counts`` (classes, rows, cols) uint32 runs per class per cell, ``fillup_years``
    (phase id -> array of each member's fill-up year, -1 = not by the end, member order), ``seeds`` (member seeds),
    ``classes``, ``grid`` (dict), ``start_year``, ``end_year``, ``runs``."""

    def __init__(self, counts, fillup_years, seeds, seed, layout):
        self.counts = counts
        self.fillup_years = fillup_years
        self.seeds = seeds
        self.seed = seed
        self.runs = len(seeds)
        self.classes = layout["classes"]
        self.grid = layout["grid"]
        self.start_year = layout["start_year"]
        self.end_year = layout["end_year"]
        self._outside = layout["outside"]

    @classmethod
    def _merge(cls, parts, seed, seeds):
        counts = parts[0]["counts"].copy()
        for p in parts[1:]:
            counts += p["counts"]
        fill = [f for p in parts for f in p["fillup"]]
        layout = parts[0]["layout"]
        years = {ph: np.array([f.get(ph, -1) for f in fill], dtype=np.int32) for ph in layout["phases"]}
        return cls(counts, years, seeds, seed, layout)

    def _class_id(self, cls):
        if isinstance(cls, str):
            for c in self.classes:
                if c["key"] == cls:
                    return c["id"]
            raise KeyError(f"no simulation class '{cls}'")
        return int(cls)

    def probability(self, cls=None):
        """Share of members ending in class `cls` (id or key) per cell, float64, NaN outside the study area;
        cls=None: all classes, shape (classes, rows, cols)."""
        p = self.counts / float(self.runs)
        p[:, self._outside] = np.nan
        return p if cls is None else p[self._class_id(cls)]

    def built_probability(self):
        """Share of members in which each cell ends developed (any built class)."""
        built = [c["id"] for c in self.classes if c["built"]]
        p = self.counts[built].sum(axis=0) / float(self.runs)
        p[self._outside] = np.nan
        return p

    def fillup_distribution(self, phase="3"):
        """pandas Series: members per fill-up year of `phase` (-1 = not filled by the end)."""
        import pandas as pd

        values, counts = np.unique(self.fillup_years[phase], return_counts=True)
        return pd.Series(counts, index=pd.Index(values, name="fillup_year"), name="runs")

    def __repr__(self):
        return f"<parksim.EnsembleResult {self.runs} members of seed {self.seed}, {self.start_year}-{self.end_year}>"
