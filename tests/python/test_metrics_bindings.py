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
