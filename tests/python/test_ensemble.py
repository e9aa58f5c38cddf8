"""parksim.ensemble(): serial, in-process Dask and process-worker Dask ensembles are identical for a seed."""
import numpy as np
import pytest


@pytest.fixture
def tiny(parksim, small_dict):
    small_dict["grid"]["cell_size_m"] = 150.0
    small_dict["years"]["end"] = 2028
    small_dict["outputs"]["key_years"] = [2025, 2028]
    return parksim.load_scenario(small_dict)


def same(a, b):
    assert a.runs == b.runs and a.seeds == b.seeds
    assert np.array_equal(a.counts, b.counts)
    assert a.fillup_years.keys() == b.fillup_years.keys()
    for phase in a.fillup_years:
        assert np.array_equal(a.fillup_years[phase], b.fillup_years[phase])


@pytest.fixture
def serial(parksim, tiny):
    return parksim.ensemble(tiny, runs=4, seed=99, client=False)


def test_serial_ensemble_sums_every_member(parksim, tiny, serial):
    assert serial.runs == 4 and serial.counts.dtype == np.uint32
    inside = ~np.isnan(serial.probability(0))
    assert np.all(serial.counts.sum(axis=0)[inside] == 4)
    p = serial.probability()
    assert np.allclose(np.nansum(p, axis=0)[inside], 1.0)
    assert serial.fillup_distribution("3").sum() == 4
    assert len(set(serial.seeds)) == 4


def test_any_split_gives_the_same_ensemble(parksim, tiny, serial):
    same(serial, parksim.ensemble(tiny, runs=4, seed=99, client=False, chunks=3))


def test_another_seed_gives_other_members(parksim, tiny, serial):
    other = parksim.ensemble(tiny, runs=4, seed=100, client=False)
    assert set(other.seeds).isdisjoint(serial.seeds)


def test_in_process_dask_cluster_gives_the_same_ensemble(parksim, tiny, serial):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        same(serial, parksim.ensemble(tiny, runs=4, seed=99, client=client))


def test_process_workers_give_the_same_ensemble(parksim, tiny, serial):
    # client=None: ensemble() starts its own LocalCluster of process workers and closes it.
    same(serial, parksim.ensemble(tiny, runs=4, seed=99))


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
