"""metrics: validation and landscape metrics as functions on numpy arrays, checked against hand counts."""
import math

import numpy as np
import pytest

INITIAL = np.array([[0, 0], [0, 0]], dtype=np.uint8)
OBSERVED = np.array([[1, 1], [0, 0]], dtype=np.uint8)
SIMULATED = np.array([[1, 0], [1, 0]], dtype=np.uint8)


def test_figure_of_merit_matches_the_hand_count(parksim):
    # (0,0) hit, (0,1) miss, (1,0) false alarm, (1,1) correct rejection: FoM = 1 / (1 + 1 + 0 + 1).
    v = parksim.metrics.validate(INITIAL, OBSERVED, SIMULATED, cell_size_m=30.0)
    assert (v.model.fom.hits, v.model.fom.misses, v.model.fom.false_alarms) == (1, 1, 1)
    assert v.model.fom.figure_of_merit == pytest.approx(1.0 / 3.0)
    assert v.persistence.fom.figure_of_merit == 0.0
    # p_o = 0.5, p_e = 0.5 -> Cohen's kappa 0; D = 0.5 = Q + A with Q = 0.
    assert v.model.kappa.kappa == pytest.approx(0.0, abs=1e-12)
    assert v.model.disagreement.total == pytest.approx(0.5)
    assert v.model.disagreement.quantity == pytest.approx(0.0)
    assert v.cell_area_m2 == pytest.approx(900.0)
    assert parksim.metrics.figure_of_merit(INITIAL, OBSERVED, SIMULATED) == pytest.approx(1.0 / 3.0)


def test_non_contiguous_and_wider_integer_arrays_are_accepted(parksim):
    v = parksim.metrics.validate(INITIAL.T.astype(np.int64), OBSERVED.T, np.asfortranarray(SIMULATED.T))
    assert v.model.fom.figure_of_merit == pytest.approx(1.0 / 3.0)


def test_nodata_cells_are_excluded(parksim):
    observed = OBSERVED.copy()
    observed[1, 1] = 255
    v = parksim.metrics.validate(INITIAL, observed, SIMULATED)
    assert v.cells_compared == 3 and v.cells_excluded == 1


def test_undefined_scores_are_nan(parksim):
    same = np.zeros((3, 3), dtype=np.uint8)
    v = parksim.metrics.validate(same, same, same)
    assert math.isnan(v.model.fom.figure_of_merit)


def test_shape_mismatch_is_a_data_error(parksim):
    with pytest.raises(parksim.DataError) as info:
        parksim.metrics.validate(INITIAL, OBSERVED, np.zeros((3, 2), dtype=np.uint8))
    assert info.value.key == "simulated"


def test_three_dimensional_input_is_a_data_error(parksim):
    with pytest.raises(parksim.DataError):
        parksim.metrics.landscape(np.zeros((2, 2, 2), dtype=np.uint8))


def test_landscape_patches_follow_the_neighbour_rule(parksim):
    diagonal = np.array([[1, 0], [0, 1]], dtype=np.uint8)
    assert parksim.metrics.landscape(diagonal, connectivity=4).find(1).patch_count == 2
    assert parksim.metrics.landscape(diagonal, connectivity=8).find(1).patch_count == 1
    with pytest.raises(parksim.UsageError):
        parksim.metrics.landscape(diagonal, connectivity=6)


def test_rows_become_a_dataframe(parksim):
    df = parksim.metrics.as_frame(parksim.metrics.validate(INITIAL, OBSERVED, SIMULATED))
    fom = df[(df.id == "figure_of_merit") & (df.scope == "model")].value.iloc[0]
    assert fom == pytest.approx(1.0 / 3.0)
    assert {"model", "persistence", "comparison"} <= set(df.scope)


# --- per-transition and multi-resolution Figure of Merit, null models, expected map, forecast validation ---

def test_transition_figures_of_merit_split_the_budget_per_transition(parksim):
    initial = np.array([[0, 0, 1, 1]], dtype=np.uint8)
    observed = np.array([[1, 0, 0, 1]], dtype=np.uint8)
    simulated = np.array([[1, 2, 1, 1]], dtype=np.uint8)
    t = {(x.from_class, x.to_class): x for x in parksim.metrics.transition_figures_of_merit(initial, observed, simulated)}
    assert set(t) == {(0, 1), (0, 2), (1, 0)}
    assert t[0, 1].hits == 1 and t[0, 1].figure_of_merit == 1.0
    assert t[0, 2].false_alarms == 1 and t[0, 2].figure_of_merit == 0.0
    assert t[1, 0].misses == 1 and math.isnan(t[1, 0].users_accuracy)


def test_multi_resolution_turns_a_near_miss_into_agreement_at_a_coarser_factor(parksim):
    initial = np.zeros((4, 4), dtype=np.uint8)
    observed = initial.copy()
    observed[0, 0:2] = 1
    simulated = initial.copy()
    simulated[1, 0:2] = 1  # one row off, inside the same 2 x 2 coarse cell
    m = parksim.metrics.multi_resolution_figure_of_merit(initial, observed, simulated, cell_size_m=30.0)
    assert [r.factor for r in m.resolutions] == [1, 2, 4, 8, 16]
    assert m.find(1).figure_of_merit == 0.0
    assert m.find(2).figure_of_merit == pytest.approx(1.0, abs=1e-12)
    assert m.find(2).hits == pytest.approx(2.0, abs=1e-12)
    assert m.find(2).coarse_cell_width_m == 60.0
    with pytest.raises(parksim.ConfigError):
        parksim.metrics.multi_resolution_figure_of_merit(initial, observed, simulated, factors=[0])


def test_proximity_null_fills_the_nearest_cells_and_scores_against_observed(parksim):
    start = np.array([[2, 0, 0, 0, 0, 0]], dtype=np.uint8)
    observed = np.array([[2, 2, 0, 0, 0, 2]], dtype=np.uint8)
    assert parksim.metrics.class_gains(start, observed) == {2: 2}
    nulls = parksim.metrics.proximity_null(start, {2: 2}, observed=observed, cell_size_m=10.0)
    assert len(nulls) == 1
    assert nulls[0].map.tolist() == [[2, 2, 2, 0, 0, 0]]
    assert nulls[0].allocations[0].threshold_distance_m == pytest.approx(20.0)
    # (0,1) hit, (0,5) miss, (0,2) false alarm: FoM 1/3.
    assert nulls[0].validation.model.fom.figure_of_merit == pytest.approx(1.0 / 3.0)
    allowed = np.array([[1, 1, 0, 1, 1, 1]], dtype=np.uint8)
    assert parksim.metrics.proximity_null(start, {2: 2}, allowed=allowed)[0].map.tolist() == [[2, 2, 0, 2, 0, 0]]
    with pytest.raises(parksim.DataError):
        parksim.metrics.proximity_null(start, {2: 1}, allowed=np.ones((2, 2), dtype=np.uint8))
    with pytest.raises(parksim.ConfigError):
        parksim.metrics.proximity_null(start, {2: -1})


def test_expected_map_takes_the_most_probable_cells_up_to_each_quantity(parksim):
    # 10 runs over 1 x 4 cells: class 1 probabilities 0.9, 0.6, 0.3, 0.
    counts = np.array([[[1, 4, 7, 10]], [[9, 6, 3, 0]]], dtype=np.uint16)
    e = parksim.metrics.expected_map(counts, [3, 1])
    assert e.map.tolist() == [[1, 0, 0, 0]]
    assert e.runs == 10 and e.cells_with_data == 4
    assert e.classes[0].cells_not_most_probable == 1
    with pytest.raises(parksim.ConfigError):
        parksim.metrics.expected_map(counts, [3, 3])  # 6 cells asked, 4 have data


def test_validate_forecast_holds_model_nulls_and_diagnosis_in_one_table(parksim):
    initial = np.zeros((5, 6), dtype=np.uint8)
    initial[:, 0:2] = 1
    observed = initial.copy()
    observed[0:3, 2] = 1
    forecast = initial.copy()
    forecast[0:2, 2] = 1
    forecast[4, 5] = 1
    v = parksim.metrics.validate_forecast(initial, observed, forecast, diagnosis=observed, cell_size_m=10.0,
                                          proximity_draws=4)
    assert v.forecast.model.scores.fom.figure_of_merit == pytest.approx(0.5)
    assert v.diagnosis.model.scores.fom.figure_of_merit == 1.0
    assert v.forecast.proximity_null.demand == {1: 3}
    assert len(v.forecast.proximity_null.figure_of_merit_draws) == 4
    assert int((v.proximity_map("forecast") == 1).sum()) == 13
    df = parksim.metrics.as_frame(v)
    assert {"forecast.model", "forecast.persistence", "forecast.proximity", "diagnosis.model"} <= set(df.scope)
    coarse = df[(df.id == "resolution_figure_of_merit") & (df.scope == "forecast.model") & (df.factor == 16)]
    assert coarse.value.iloc[0] == pytest.approx(1.0)
    transition = df[(df.id == "transition_figure_of_merit") & (df.scope == "forecast.model")]
    assert (transition.class_code.iloc[0], transition.to_class_code.iloc[0]) == (0, 1)
    with pytest.raises(parksim.UsageError):
        parksim.metrics.validate_forecast(initial, observed, forecast).proximity_map("diagnosis")


# --- the proximity null against the reference figures of the Plum Island data (../shared/data/pie/README.md) ---

import os  # noqa: E402
from pathlib import Path  # noqa: E402

PIE = Path(os.environ.get("PARKSIM_SOURCE_DIR", Path(__file__).resolve().parents[2])).parent / "shared" / "data" / "pie"
BUILT = 2
# The README's grid: 99.92 m x 99.95 m cells, NoData 0.
PIE_CELL = (99.92125984251513, 99.95485327313365)


def _pie(year):
    from osgeo import gdal

    return gdal.Open(str(PIE / f"lu_{year}.tif")).ReadAsArray().astype(np.uint8)


def _proximity_fom(parksim, before, observed, built_cells, draws):
    nulls = parksim.metrics.proximity_null(before, {BUILT: built_cells}, draws=draws, observed=observed,
                                           cell_size_m=PIE_CELL[0], cell_height_m=PIE_CELL[1], nodata=0)
    assert all(n.allocations[0].allocated_cells == built_cells for n in nulls)
    return np.array([n.validation.model.fom.figure_of_merit for n in nulls])


@pytest.mark.skipif(not (PIE / "lu_1985.tif").exists(), reason=f"{PIE} is not here")
def test_proximity_null_matches_the_plum_island_reference_figures(parksim):
    lu_1985, lu_1991, lu_1999 = _pie(1985), _pie(1991), _pie(1999)
    # Protocol A (before 1991, observed 1999): 3,247 new Built cells observed; the README: FoM 0.0262 +- 0.0017
    # (mean of 10 draws) at that count, 0.0312 at 4,304 cells (no spread given: the same 0.0017 is allowed).
    assert parksim.metrics.class_gains(lu_1991, lu_1999, nodata=0)[BUILT] == 3247
    a = _proximity_fom(parksim, lu_1991, lu_1999, 3247, draws=10)
    print(f"protocol A, 3,247 cells: FoM {a.mean():.4f} +- {a.std(ddof=1):.4f} (10 draws)")
    assert a.mean() == pytest.approx(0.0262, abs=0.0017)
    a_trend = _proximity_fom(parksim, lu_1991, lu_1999, 4304, draws=10)
    print(f"protocol A, 4,304 cells: FoM {a_trend.mean():.4f} +- {a_trend.std(ddof=1):.4f} (10 draws)")
    assert a_trend.mean() == pytest.approx(0.0312, abs=0.0017)
    # Protocol B (before 1985, observed 1999): 6,498 new Built cells; FoM 0.0565 +- 0.0012 (mean of 20 draws).
    assert parksim.metrics.class_gains(lu_1985, lu_1999, nodata=0)[BUILT] == 6498
    b = _proximity_fom(parksim, lu_1985, lu_1999, 6498, draws=20)
    print(f"protocol B, 6,498 cells: FoM {b.mean():.4f} +- {b.std(ddof=1):.4f} (20 draws)")
    assert b.mean() == pytest.approx(0.0565, abs=0.0012)
