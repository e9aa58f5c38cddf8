"""parksim.optimize(): the plan search of a scenario's [optimize] table as a pandas DataFrame, the same front as the
CLI's, and its errors as Python exceptions."""
import copy

import pytest

from conftest import SMALL


def search_dict(**optimize):
    d = copy.deepcopy(SMALL)
    d["name"] = "pytest-search"
    d["optimize"] = {
        "population": 8,
        "generations": 2,
        "levers": [
            {"key": "demand.enterprise_growth_rate", "min": 0.04, "max": 0.16},
            {"key": "demand.zone_share.frontier_tech", "min": 0.2, "max": 0.8,
             "balance": ["demand.zone_share.medical_device"]},
        ],
        "objectives": [
            {"indicator": "developed_km2", "direction": "min"},
            {"indicator": "zone_area_km2.frontier_tech", "direction": "max", "year": 2029},
        ],
    }
    d["optimize"].update(optimize)
    return d


def test_the_front_comes_back_as_a_dataframe_with_levers_means_and_history(parksim, tmp_path):
    df = parksim.optimize(search_dict(), out=tmp_path / "front", threads=2)
    assert list(df.columns[:3]) == ["solution", "demand.enterprise_growth_rate", "demand.zone_share.frontier_tech"]
    assert "developed_km2_mean" in df.columns and "zone_area_km2.frontier_tech@2029_sd" in df.columns
    assert len(df) >= 1 and df["feasible"].all()
    assert df["demand.enterprise_growth_rate"].between(0.04, 0.16).all()
    assert list(df.attrs["history"]["generation"]) == [0, 1, 2]
    assert df.attrs["evaluations"] >= 8
    # The folder holds the same front as the frame.
    text = (tmp_path / "front" / "pareto.csv").read_text(encoding="utf-8")
    assert text == df.attrs["result"].pareto_csv()
    assert text.count("\n") == len(df) + 1


def test_the_front_does_not_depend_on_threads(parksim):
    a = parksim.optimize(search_dict(), threads=1)
    b = parksim.optimize(search_dict(), threads=2)
    assert a.attrs["result"].pareto_csv() == b.attrs["result"].pareto_csv()
    assert a.attrs["result"].history_csv() == b.attrs["result"].history_csv()


def test_with_start_adds_the_scenarios_own_setting(parksim):
    df = parksim.optimize(search_dict(generations=1), with_start=True)
    last = df.iloc[-1]
    assert last["solution"] == "scenario"
    assert last["demand.enterprise_growth_rate"] == pytest.approx(0.08)


def test_bad_input_raises_config_error_naming_the_key(parksim):
    bad = search_dict()
    bad["optimize"]["levers"][0]["min"] = 0.5  # above max
    with pytest.raises(parksim.ConfigError) as e:
        parksim.optimize(bad)
    assert e.value.key == "optimize.levers[0].max" and "bounds reversed" in str(e.value)
    unknown = search_dict()
    unknown["optimize"]["objectives"][1]["indicator"] = "zone_area_km2.moon"
    with pytest.raises(parksim.ConfigError, match="no indicator 'zone_area_km2.moon'"):
        parksim.optimize(unknown)


# Evaluations on Dask: the search stays in this process, each generation's settings go to the workers. The front must
# be the same byte for byte wherever the evaluations run.

@pytest.fixture
def dask():
    return pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def here(parksim):
    """The front found in this process (the engine's threads): what every cluster must find."""
    return parksim.optimize(search_dict(), client=False, threads=2)


def same_front(a, b):
    ra, rb = a.attrs["result"], b.attrs["result"]
    assert ra.pareto_csv() == rb.pareto_csv()
    assert ra.history_csv() == rb.history_csv()
    assert ra.evaluations == rb.evaluations


def in_process_cluster(dask, n_workers=2):
    """A LocalCluster of worker threads in this process (in-process transport; its HTTP servers on 127.0.0.1)."""
    return dask.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=False,
                             dashboard_address="127.0.0.1:0", worker_dashboard_address="127.0.0.1:0")


def test_process_workers_find_the_same_front_byte_for_byte(parksim, here, dask):
    # client="local": two process workers started for the call; scenarios and results travel pickled.
    there = parksim.optimize(search_dict(), client="local")
    assert len(here) >= 1 and here.attrs["evaluations"] >= 8
    same_front(here, there)
    with pytest.raises(parksim.UsageError, match="client must be"):
        parksim.optimize(search_dict(), client="tcp-but-a-string")


def test_the_current_client_evaluates_the_batches_and_finds_the_same_front(parksim, here, dask):
    from parksim import _optimize

    _optimize._EVALUATORS.clear()
    with in_process_cluster(dask) as cluster, dask.Client(cluster) as client:
        assert parksim.current_client() is client
        # client=False: this process's threads even with a client: no worker made an evaluator.
        same_front(here, parksim.optimize(search_dict(), client=False))
        assert len(_optimize._EVALUATORS) == 0
        with dask.get_task_stream(client) as tasks:
            there = parksim.optimize(search_dict(), chunks=3)
        # The workers (threads of this process here) evaluated every batch in 3 tasks with one evaluator of the
        # searched scenario, which they share.
        names = [t["key"] for t in tasks.data]
        assert names and all(n.startswith("_evaluate_settings") for n in names)
        assert len(names) == 3 * 3  # the initial population and two generations
        assert [key[1] for key in _optimize._EVALUATORS] == [there.attrs["result"].scenario.to_toml()]
    same_front(here, there)


def test_an_error_on_a_worker_is_raised_here_with_its_class(parksim, dask):
    # Without its balance key, the Frontier Technology share leaves the zone shares summing to 1 only at the
    # scenario's own setting: the scenario's evaluation passes here, the search's settings fail on the workers.
    bad = search_dict(generations=1)
    del bad["optimize"]["levers"][1]["balance"]
    with pytest.raises(parksim.ConfigError) as here:
        parksim.optimize(bad, client=False)
    with pytest.raises(parksim.ConfigError) as there:
        parksim.optimize(bad, client="local")
    assert type(there.value) is type(here.value)
    assert here.value.message.startswith("zone shares must sum to 1")
    assert there.value.message.split(",")[0] == here.value.message.split(",")[0]
    assert there.value.key == here.value.key and there.value.key.startswith("demand.zone_share")


def test_cancelling_from_progress_stops_a_search_on_a_cluster(parksim, dask):
    with in_process_cluster(dask, n_workers=1) as cluster, dask.Client(cluster, set_as_default=False) as client:
        seen = []

        def progress(fraction, message):
            seen.append(message)
            return not message.startswith("generation 1")

        with pytest.raises(parksim.CancelledError):
            parksim.optimize(search_dict(), client=client, progress=progress)
        assert any(m.startswith("generation 0") for m in seen) and not any("generation 2" in m for m in seen)


def test_the_evaluator_a_worker_keeps_measures_the_fronts_values_without_the_gil(parksim, here):
    from conftest import ticks_during

    result = here.attrs["result"]
    evaluator = parksim._parksim.OptimizeEvaluator(result.scenario)
    assert evaluator.levers == result.levers and evaluator.indicators == result.indicators
    rows = [row for _, row in here.iterrows()][:2]
    settings = [[row[k] for k in result.levers] for row in rows]
    got = evaluator.evaluate(settings, threads=2)
    assert len(got) == len(settings)
    for (levers, mean, sd, feasible, violation), setting, row in zip(got, settings, rows):
        assert levers == setting
        assert mean == [row[c + "_mean"] for c in result.indicators]
        assert feasible is True and violation == 0.0
    many = [[lo + (hi - lo) * k / 39 for lo, hi in ((0.04, 0.16), (0.2, 0.8))] for k in range(40)]
    ticks, elapsed = ticks_during(lambda: evaluator.evaluate(many, threads=1))
    assert ticks >= 20, elapsed  # the GIL is released while the engine measures


def test_an_evaluate_callables_own_error_propagates_and_a_wrong_answer_is_a_usage_error(parksim):
    sc = parksim.load_scenario(search_dict(generations=1))

    class WorkerLost(Exception):
        pass

    def lost(scenario, settings):
        raise WorkerLost(f"{len(settings)} settings lost")

    with pytest.raises(WorkerLost, match="^8 settings lost$"):
        parksim._parksim.optimize_scenario(sc, evaluate=lost)
    with pytest.raises(parksim.UsageError, match="returned 0 results for 8 lever settings"):
        parksim._parksim.optimize_scenario(sc, evaluate=lambda scenario, settings: [])
    with pytest.raises(parksim.UsageError, match=r"a \(levers, mean, sd, feasible, violation\) tuple"):
        parksim._parksim.optimize_scenario(sc, evaluate=lambda scenario, settings: [{"levers": s} for s in settings])


def test_the_maps_of_chosen_solutions_come_back_as_arrays_of_the_land_they_measured(parksim):
    import numpy as np

    df = parksim.optimize(search_dict(maps=2), threads=2, with_start=True)
    r = df.attrs["result"]
    front = df[df["solution"] != "scenario"]
    assert len(front) >= 3
    assert r.map_names == ["solution_01", f"solution_{len(front):02}", "scenario"]
    assert r.map_year == 2029  # the small study's years.end
    cell_km2 = r.map_grid.cell_size_m * r.map_grid.cell_size_m / 1e6
    for name in r.map_names:
        m = r.developed_map(name)
        assert m.dtype == np.uint8 and m.shape == (r.map_grid.rows, r.map_grid.cols)
        assert set(np.unique(m)) <= {0, 100, 255}  # one run per evaluation: developed or not
        # The map's developed land is the developed_km2 the search measured in the end year.
        inside = m[m != 255].astype(float)
        measured = df.loc[df["solution"] == name, "developed_km2_mean"].item()
        assert inside.sum() / 100.0 * cell_km2 == pytest.approx(measured, abs=1e-9)
    with pytest.raises(parksim.UsageError, match="no map is kept for 'solution_02'.*solutions/solution_02.toml"):
        r.developed_map("solution_02")
