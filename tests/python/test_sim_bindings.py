"""sim: the Ensemble piece (sim::EnsembleResult) - zero-copy counts, pickling, merging consecutive pieces."""
import pickle

import numpy as np
import pytest


@pytest.fixture(scope="module")
def pieces(parksim):
    from conftest import small_variant

    sc = parksim.load_scenario(small_variant(200, 2027))
    core = parksim._parksim
    whole = core.run_ensemble(sc, first_run=0, seed=3, runs=3)
    head = core.run_ensemble(sc, first_run=0, seed=3, runs=1)
    tail = core.run_ensemble(sc, first_run=1, seed=3, runs=2)
    return whole, head, tail, sc


def test_counts_are_a_read_only_view_of_the_engine_object(pieces):
    whole = pieces[0]["ensemble"]
    counts = whole.counts
    assert counts.dtype == np.uint16 and counts.shape == (whole.class_count, whole.grid.rows, whole.grid.cols)
    assert counts.base is whole
    assert not counts.flags.writeable
    assert counts.sum(axis=0).max() == 3


def test_consecutive_pieces_merge_into_the_whole(pieces):
    whole, head, tail, _ = pieces
    merged = pickle.loads(pickle.dumps(head["ensemble"]))
    merged.merge(tail["ensemble"])
    assert (merged.first_run, merged.runs) == (0, 3)
    assert np.array_equal(merged.counts, whole["ensemble"].counts)
    assert merged.phase_full_year == whole["ensemble"].phase_full_year
    assert merged.unmet_cells == whole["ensemble"].unmet_cells
    assert [str(p) for p in merged.problems] == [str(p) for p in whole["ensemble"].problems]


def test_pieces_that_do_not_follow_on_do_not_merge(parksim, pieces):
    _, head, tail, _ = pieces
    copy_head = pickle.loads(pickle.dumps(head["ensemble"]))
    with pytest.raises(parksim.ConfigError, match="must follow on"):
        copy_head.merge(pickle.loads(pickle.dumps(head["ensemble"])))
    with pytest.raises(parksim.ConfigError, match="must follow on"):
        pickle.loads(pickle.dumps(tail["ensemble"])).merge(copy_head)


def test_pickle_round_trip_keeps_every_field(pieces):
    e = pieces[0]["ensemble"]
    back = pickle.loads(pickle.dumps(e))
    for name in ["seed", "first_run", "runs", "class_count", "start_year", "end_year", "phase_full_year",
                 "unmet_cells"]:
        assert getattr(back, name) == getattr(e, name), name
    assert back.grid == e.grid
    assert np.array_equal(back.counts, e.counts)
    assert back.problems == e.problems
    d = pickle.loads(pickle.dumps(pieces[0]))  # the whole dict a Dask task returns
    assert np.array_equal(d["study"], pieces[0]["study"]) and d["phase_ids"] == pieces[0]["phase_ids"]


def test_probability_is_the_run_share_per_cell(parksim, pieces):
    e = pieces[0]["ensemble"]
    for k in range(e.class_count):
        assert np.array_equal(e.probability(k), (e.counts[k] / 3.0).astype(np.float32))
    with pytest.raises(parksim.UsageError, match="outside 0"):
        e.probability(e.class_count)
    hist = e.phase_full_histogram(1)
    assert len(hist) == e.end_year - e.start_year + 2 and sum(hist) == 3


def test_a_corrupt_pickle_is_refused(parksim, pieces):
    e = pieces[0]["ensemble"]
    state = list(e.__getstate__())
    state[7] = state[7][:-2]
    with pytest.raises(parksim.UsageError, match="do not fit its grid"):
        type(e).__new__(type(e)).__setstate__(tuple(state))
