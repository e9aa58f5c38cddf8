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
    parksim.ensemble(tiny, runs=3, seed=SEED, client=False, chunks=3, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    with pytest.raises(parksim.CancelledError):
        parksim.ensemble(tiny, runs=3, seed=SEED, client=False, chunks=3, progress=lambda done, total: False)


def test_bad_run_count_is_a_usage_error(parksim, tiny):
    with pytest.raises(parksim.UsageError, match="runs >= 1"):
        parksim.ensemble(tiny, runs=0, seed=SEED, client=False)


def test_in_process_dask_cluster_gives_the_same_ensemble(parksim, tiny, serial):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        done = []
        same(serial, parksim.ensemble(tiny, runs=RUNS, seed=SEED, client=client, chunks=3,
                                      progress=lambda d, t: done.append(d)))
        assert sorted(done)[-1] == RUNS and len(done) == 3


def test_process_workers_give_the_same_ensemble(parksim, tiny, serial):
    # client=None: ensemble() starts its own LocalCluster of process workers (pieces travel pickled) and closes it.
    same(serial, parksim.ensemble(tiny, runs=RUNS, seed=SEED))


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
