"""parksim.ensemble(): the engine's ensemble cut into pieces - serial, in-process Dask and process-worker Dask
ensembles are identical for a seed, and equal to parksim.run(..., runs=N)'s ensemble."""
import numpy as np
import pytest

RUNS = 4
SEED = 99


@pytest.fixture(scope="module")
def tiny(parksim):
    from conftest import small_variant

    return parksim.load_scenario(small_variant(150, 2028))


def same(a, b):
    assert (a.runs, a.seed) == (b.runs, b.seed)
    assert np.array_equal(a.counts, b.counts)
    assert a.fillup_years.keys() == b.fillup_years.keys()
    for phase in a.fillup_years:
        assert np.array_equal(a.fillup_years[phase], b.fillup_years[phase])
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]


@pytest.fixture(scope="module")
def serial(parksim, tiny):
    return parksim.ensemble(tiny, runs=RUNS, seed=SEED, client=False)


def test_serial_ensemble_counts_every_run(parksim, serial):
    assert serial.runs == RUNS and serial.counts.dtype == np.uint16
    inside = serial.study == 1
    assert inside.any()  # (the park extent: every cell is in the study area)
    assert np.all(serial.counts.sum(axis=0)[inside] == RUNS)
    assert np.all(serial.counts.sum(axis=0)[~inside] == 0)
    p = serial.probability()
    assert p.dtype == np.float32 and np.all(np.isnan(p[:, ~inside]))
    assert np.allclose(p[:, inside].sum(axis=0), 1.0, atol=1e-6)
    assert serial.fillup_distribution("3").sum() == RUNS
    assert set(serial.fillup_years) == {"1-2", "3"}


def test_equals_the_ensemble_of_a_run_with_runs_n(parksim, tiny, serial):
    res = parksim.run(tiny, seed=SEED, runs=RUNS)
    assert res.raw.is_ensemble
    for k in range(len(res.classes)):
        assert np.array_equal(serial.probability(k), res.probability(k), equal_nan=True)
    for phase, years in res.fillup_years.items():
        assert np.array_equal(serial.fillup_years[phase], years)


def test_any_split_and_thread_count_gives_the_same_ensemble(parksim, tiny, serial):
    same(serial, parksim.ensemble(tiny, runs=RUNS, seed=SEED, client=False, chunks=3, threads=2))
    same(serial, parksim.ensemble(tiny, runs=RUNS, seed=SEED, client=False, chunks=RUNS, threads=1))


def test_another_seed_gives_another_ensemble(parksim, tiny, serial):
    other = parksim.ensemble(tiny, runs=RUNS, seed=SEED + 1, client=False)
    assert other.seed == SEED + 1
    assert not np.array_equal(other.counts, serial.counts)


def test_progress_sees_every_run_and_can_cancel(parksim, tiny):
    seen = []
    parksim.ensemble(tiny, runs=3, seed=SEED, client=False, chunks=3,
                     progress=lambda fraction, message: seen.append(fraction) or True)
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)
    with pytest.raises(parksim.CancelledError):
        parksim.ensemble(tiny, runs=3, seed=SEED, client=False, chunks=3, progress=lambda fraction, message: False)


def test_bad_run_count_is_a_usage_error(parksim, tiny):
    with pytest.raises(parksim.UsageError, match="runs >= 1"):
        parksim.ensemble(tiny, runs=0, seed=SEED, client=False)


def test_in_process_dask_cluster_gives_the_same_ensemble(parksim, tiny, serial):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        done = []
        same(serial, parksim.ensemble(tiny, runs=RUNS, seed=SEED, client=client, chunks=3,
                                      progress=lambda fraction, message: done.append((fraction, message))))
        assert len(done) == 3 and done[-1] == (1.0, "4 of 4 runs done")


def test_without_a_client_it_runs_in_this_process_and_with_one_on_its_cluster(parksim, tiny, serial):
    from distributed import Client, LocalCluster

    assert parksim.current_client() is None
    messages = []
    same(serial, parksim.ensemble(tiny, runs=RUNS, seed=SEED, progress=lambda f, m: messages.append(m)))
    assert messages and not any("runs done" in m for m in messages)  # the engine's own steps: in this process
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        assert parksim.current_client() is client
        messages.clear()
        same(serial, parksim.ensemble(tiny, runs=RUNS, seed=SEED, chunks=2, progress=lambda f, m: messages.append(m)))
        assert messages == ["2 of 4 runs done", "4 of 4 runs done"]  # the pieces came back from the cluster
    assert parksim.current_client() is None


def test_process_workers_give_the_same_ensemble(parksim, tiny, serial):
    # client="local": a LocalCluster of process workers (pieces travel pickled), started for the call and closed.
    same(serial, parksim.ensemble(tiny, runs=RUNS, seed=SEED, client="local"))
    with pytest.raises(parksim.UsageError, match="client must be"):
        parksim.ensemble(tiny, runs=RUNS, client="tcp-but-a-string")


def run_script(path, cwd, timeout):
    """Runs the Python file `path` as a researcher would (/usr/bin/python3 path) with this test's module path."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=":".join(p for p in sys.path[1:] + [os.environ.get("PYTHONPATH", "")] if p))
    return subprocess.run(["/usr/bin/python3", str(path)], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_a_plain_script_without_a_main_guard_finishes(parksim, tmp_path):
    # What a researcher types first: no `if __name__ == "__main__":`. It must finish, not start process workers
    # that import the script again and again.
    from conftest import small_variant

    script = tmp_path / "plain.py"
    script.write_text("import parksim\n"
                      "sc = parksim.load_scenario(%r)\n"
                      "ens = parksim.ensemble(sc, runs=4)\n"
                      "print('runs', ens.runs, 'classes', ens.counts.shape[0])\n" % (small_variant(200, 2027),),
                      encoding="utf-8")
    r = run_script(script, cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "runs 4 classes 8" in r.stdout


def test_a_scenario_loaded_by_a_relative_path_runs_on_dask_workers_elsewhere(parksim, tmp_path):
    # A scenario file beside its data, loaded by a relative path; then the process changes folder, and the process
    # workers start in that other folder: the scenario still names its files (absolute from the start).
    import shutil

    from conftest import DATASET, small_variant

    project = tmp_path / "project"
    (project / "scenarios").mkdir(parents=True)
    (project / "geodata").mkdir()
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(DATASET, project / "geodata" / "park.gpkg")
    d = small_variant(200, 2027, name="relative")
    d["geodata"]["path"] = "../geodata/park.gpkg"
    d["alloc"]["enabled"] = False
    (project / "scenarios" / "relative.toml").write_text(parksim._scenario._dict_to_toml(d), encoding="utf-8")
    script = project / "run.py"
    script.write_text(
        "import os, pickle, parksim\n"
        "from distributed import Client\n"
        "if __name__ == '__main__':\n"
        "    sc = parksim.load_scenario('scenarios/relative.toml')\n"
        "    here = parksim.ensemble(sc, runs=2, client=False)\n"
        "    os.chdir(%r)\n"
        "    copy = pickle.loads(pickle.dumps(sc))\n"
        "    data = copy.get_path('geodata.path')\n"
        "    assert os.path.isabs(data) and os.path.exists(data), data\n"
        "    with parksim.local_cluster(n_workers=1) as cluster, Client(cluster) as client:\n"
        "        there = parksim.ensemble(sc, runs=2, client=client)\n"
        "    assert (here.counts == there.counts).all()\n"
        "    print('same on the workers')\n" % str(tmp_path / "elsewhere"), encoding="utf-8")
    r = run_script(script, cwd=project, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "same on the workers" in r.stdout


def test_local_cluster_listens_on_loopback_only_without_dashboard(parksim):
    from distributed import Client

    with parksim.local_cluster(n_workers=1) as cluster, Client(cluster) as client:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        assert all(w.startswith("tcp://127.0.0.1:") for w in client.scheduler_info()["workers"])
        assert all(info["nthreads"] == 1 for info in client.scheduler_info()["workers"].values())
        # Nothing of the cluster (scheduler, nanny, worker processes) listens beyond the loopback interface.
        import psutil

        me = psutil.Process()
        listening = [c.laddr for p in [me] + me.children(recursive=True)
                     for c in p.connections(kind="inet") if c.status == psutil.CONN_LISTEN]
        assert listening
        assert {a.ip for a in listening} == {"127.0.0.1"}


def test_local_cluster_workers_get_the_engines_allocator_settings_and_this_process_keeps_its_own(parksim):
    # Dask's MALLOC_TRIM_THRESHOLD_=65536 made the engine three times slower on process workers.
    import os

    from distributed import Client

    keys = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")
    before = {k: os.environ.get(k) for k in keys}
    with parksim.local_cluster(n_workers=1) as cluster, Client(cluster, set_as_default=False) as client:
        seen = client.run(lambda: {k: os.environ.get(k) for k in keys})
        assert list(seen.values()) == [{"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "134217728"}]
        assert {k: os.environ.get(k) for k in keys} == before


def test_outside_the_study_area_is_nan_as_in_a_run(parksim):
    from conftest import small_variant

    # The corridor's box holds cells outside its bases.
    sc = parksim.load_scenario(small_variant(400, 2027, grid={"extent": "corridor", "cell_size_m": 400.0}))
    ens = parksim.ensemble(sc, runs=3, seed=1, client=False, chunks=2)
    outside = ens.study == 0
    assert outside.any() and (~outside).any()
    assert np.all(np.isnan(ens.probability()[:, outside])) and np.all(np.isnan(ens.built_probability()[outside]))
    assert np.all(ens.counts[:, outside] == 0)
    res = parksim.run(sc, seed=1, runs=3)
    for k in range(len(res.classes)):
        assert np.array_equal(ens.probability(k), res.probability(k), equal_nan=True)
