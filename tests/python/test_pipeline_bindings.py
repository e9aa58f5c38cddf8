"""pipeline: parksim.run() - determinism, GIL released during the run, progress and cancellation, ensembles."""

import numpy as np
import pytest


def test_same_seed_gives_the_same_maps_at_any_thread_count(parksim, small_scenario):
    a = parksim.run(small_scenario, seed=11, threads=1)
    b = parksim.run(small_scenario, seed=11, threads=2)
    for year in a.years:
        assert np.array_equal(a.landuse(year), b.landuse(year))
    assert a.phase_fillup_year == b.phase_fillup_year


def test_growth_changes_the_simulation(parksim, small_scenario):
    slow = parksim.run(small_scenario, seed=11)
    small_scenario.set("demand.enterprise_growth_rate", 0.2)
    fast = parksim.run(small_scenario, seed=11)
    built = [c["id"] for c in slow.classes if c["built"]]
    assert np.isin(fast.landuse(2029), built).sum() > np.isin(slow.landuse(2029), built).sum()


def test_the_gil_is_released_while_the_engine_runs(parksim, small_scenario):
    from conftest import ticks_during

    ticks, elapsed = ticks_during(lambda: parksim.run(small_scenario, seed=5, threads=1))
    assert elapsed > 0.05
    assert ticks >= max(10, int(elapsed * 1000 * 0.1))


def test_progress_is_reported_in_order_up_to_one(parksim, small_scenario):
    seen = []

    def progress(fraction, message):
        seen.append((fraction, message))
        return True

    parksim.run(small_scenario, progress=progress)
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    assert fractions[-1] == pytest.approx(1.0)
    assert any(m == "loading the plan" for _, m in seen)


def test_progress_returning_false_cancels(parksim, small_scenario):
    with pytest.raises(parksim.CancelledError) as info:
        parksim.run(small_scenario, progress=lambda f, m: f < 0.25)
    assert info.value.exit_code == 10 and info.value.code == "cancelled"


def test_an_exception_in_progress_reaches_the_caller(parksim, small_scenario):
    class Stop(Exception):
        pass

    def progress(fraction, message):
        if fraction > 0.2:
            raise Stop("enough")

    with pytest.raises(Stop, match="enough"):
        parksim.run(small_scenario, progress=progress)


def test_a_config_error_of_the_run_names_the_key(parksim, small_scenario):
    small_scenario.set("outputs.key_years", [2040])
    with pytest.raises(parksim.ConfigError) as info:
        parksim.run(small_scenario)
    assert info.value.key == "outputs.key_years"


def test_engine_ensemble_gives_probability_views(parksim, small_scenario):
    res = parksim.run(small_scenario, seed=2, runs=3, threads=2)
    p = res.probability(0)
    assert p.base is res.raw and p.dtype == np.float32
    stack = res.probability()
    inside = ~np.isnan(stack[0])
    assert np.allclose(stack[:, inside].sum(axis=0), 1.0, atol=1e-5)
    assert len(res.fillup_years["3"]) == 3
    assert res.fillup_distribution("3").sum() == 3
    by_key = res.probability(res.classes[0]["key"])
    assert np.array_equal(by_key, p, equal_nan=True)


def test_run_honours_the_scenarios_runs_as_the_command_line_does(parksim, small_scenario):
    small_scenario["runs"] = 3
    res = parksim.run(small_scenario, seed=4)
    assert res.runs == 3 and res.raw.is_ensemble
    assert res.probability("r_d").shape == (res.grid.rows, res.grid.cols)
    assert parksim.run(small_scenario, seed=4, runs=1).runs == 1  # an argument still overrides it


def test_progress_true_shows_a_tqdm_bar(parksim, small_scenario, capsys):
    pytest.importorskip("tqdm", reason="python3-tqdm is in packages/test.txt")
    parksim.run(small_scenario, seed=4, progress=True)
    err = capsys.readouterr().err
    assert "parksim run pytest-small" in err and "100%" in err


def test_progress_of_another_kind_is_a_type_error(parksim, small_scenario):
    with pytest.raises(TypeError, match="progress must be None, True"):
        parksim.run(small_scenario, progress="yes")


def test_the_answer_of_an_ensemble_has_its_mean_spread_and_sentence(parksim, small_scenario):
    small_scenario["runs"] = 3
    small_scenario.set("answer.indicator", "developed_km2")
    res = parksim.run(small_scenario, seed=4, threads=2)
    a = res.answer
    assert a["indicator"] == "developed_km2" and a["year"] == res.end_year and a["runs"] == 3
    assert a["mean"] > 0 and a["sd"] >= 0 and a["baseline"] == ""
    assert a["sentence"].startswith(f"Developed land in {res.end_year}: ")
