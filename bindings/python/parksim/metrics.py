"""Validation and landscape metrics on numpy arrays (2-D, one class code per cell, row 0 = north).

Thin wrappers of the engine's pure functions (metrics/validation.hpp, three_map.hpp, null_models.hpp,
expected_map.hpp, forecast.hpp, landscape.hpp): C-contiguous uint8 arrays are read in place; anything else is
converted once. Undefined scores are NaN, never a made-up 0 or 1. Cells are `cell_size_m` wide and
`cell_height_m` high (0 = square).
"""

from dataclasses import dataclass
from typing import Optional

from ._core import _parksim

__all__ = ["validate", "landscape", "figure_of_merit", "kappa", "disagreement", "transition_figures_of_merit",
           "multi_resolution_figure_of_merit", "class_gains", "proximity_null", "expected_map", "validate_forecast",
           "as_frame", "DEFAULT_FACTORS"]

#: Aggregation factors of the multi-resolution Figure of Merit (Pontius et al. 2011; lulcc).
DEFAULT_FACTORS = (1, 2, 4, 8, 16)


def validate(initial, observed, simulated, cell_size_m=1.0, nodata=255):
    """Scores `simulated` and the persistence map (= `initial`) against `observed`: Figure of Merit, the Kappa
    family (incl. Kappa simulation) and quantity/allocation disagreement, side by side. Returns the engine's
    ValidationResult (``.model``, ``.persistence``, ``.rows()``); ``as_frame(result)`` gives a DataFrame.
    Raises DataError when shapes differ or no cell has data in all three maps."""
    return _parksim.validate_simulation(initial, observed, simulated, float(cell_size_m), _code(nodata))


def landscape(class_map, cell_size_m=1.0, nodata=255, connectivity=8):
    """FRAGSTATS class-level metrics (CA, PLAND, NP, LPI, ED, AI, PLADJ) of one map; ``as_frame()`` for a table."""
    return _parksim.landscape_metrics(class_map, float(cell_size_m), _code(nodata), int(connectivity))


def figure_of_merit(initial, observed, simulated, nodata=255):
    """Pontius' Figure of Merit of `simulated` (0..1, NaN when no change is observed nor simulated)."""
    return validate(initial, observed, simulated, 1.0, nodata).model.fom.figure_of_merit


def kappa(initial, observed, simulated, nodata=255):
    """Cohen's Kappa of `simulated` against `observed`."""
    return validate(initial, observed, simulated, 1.0, nodata).model.kappa.kappa


def disagreement(initial, observed, simulated, nodata=255):
    """(quantity, allocation) disagreement of `simulated` (fractions, Pontius & Millones 2011)."""
    d = validate(initial, observed, simulated, 1.0, nodata).model.disagreement
    return d.quantity, d.allocation


def transition_figures_of_merit(initial, observed, simulated, nodata=255):
    """Figure of Merit per transition (from -> to) at the native resolution: a list of TransitionFigureOfMerit
    (hits, misses, wrong hits of the observed and of the simulated transition, false alarms, in cells)."""
    return _parksim.transition_figures_of_merit(initial, observed, simulated, _code(nodata))


def multi_resolution_figure_of_merit(initial, observed, simulated, factors=DEFAULT_FACTORS, cell_size_m=1.0,
                                     cell_height_m=0.0, nodata=255):
    """The Figure of Merit and its budget (misses, hits, wrong hits, false alarms, correct rejections, in cells) at
    each aggregation factor, by the three-map comparison of Pontius et al. (2011) as lulcc computes it."""
    return _parksim.multi_resolution_figure_of_merit(initial, observed, simulated, [int(f) for f in factors],
                                                     float(cell_size_m), float(cell_height_m), _code(nodata))


def class_gains(start, target, nodata=255):
    """{class: cells} that each class gains from `start` to `target` (gross gain: cells that become the class)."""
    return _parksim.class_gains(start, target, _code(nodata))


@dataclass
class ProximityNull:
    """One proximity null map: `map` (rows, cols) uint8, `allocations` (one ProximityClassAllocation per class, in
    the order served), and `validation` (a ValidationResult against `observed`, when it was given)."""
    draw: int
    map: object
    allocations: list
    validation: Optional[object] = None


def proximity_null(start, demand, allowed=None, seed=0, draws=1, first_draw=0, observed=None, cell_size_m=1.0,
                   cell_height_m=0.0, nodata=255):
    """The proximity null model: each class of `demand` ({class: new cells}, e.g. ``class_gains(start, model_map)``)
    gets the cells nearest to its cells in `start` (Euclidean, cell centres, metres), in order of decreasing demand;
    ties at the threshold distance are drawn with the seeded stream of each draw. `allowed` (same shape, non-zero =
    may change) limits the cells that change. Returns one ProximityNull per draw; with `observed`, each carries its
    ValidationResult (scores against observed, next to persistence)."""
    out = []
    for draw, null_map, allocations in _parksim.proximity_null(start, dict(demand), allowed, int(seed),
                                                               int(first_draw), int(draws), float(cell_size_m),
                                                               float(cell_height_m), _code(nodata)):
        validation = None
        if observed is not None:
            validation = _parksim.validate_simulation(start, observed, null_map, float(cell_size_m), _code(nodata))
        out.append(ProximityNull(draw, null_map, allocations, validation))
    return out


@dataclass
class ExpectedMap:
    """The expected map of an ensemble: `map` (rows, cols) uint8, `runs`, `cells_with_data`, and `classes` (one
    ExpectedClass per class code: cells, lowest_probability, cells_not_most_probable)."""
    map: object
    runs: int
    cells_with_data: int
    classes: list


def expected_map(class_counts, quantity, seed=0, nodata=255):
    """Per class the cells of highest probability up to `quantity` (cells per class, adding up to the cells with
    data): the best single-map forecast of an ensemble. `class_counts` is (classes, rows, cols): runs ending in each
    class per cell (the layout of EnsembleResult.class_counts); cells whose counts are all 0 become `nodata`.
    Ties are taken in a seeded random order (deterministic for `seed`)."""
    m, runs, cells_with_data, classes = _parksim.expected_map(class_counts, [int(q) for q in quantity], int(seed),
                                                              _code(nodata))
    return ExpectedMap(m, runs, cells_with_data, classes)


def validate_forecast(initial, observed, forecast, diagnosis=None, allowed=None, factors=DEFAULT_FACTORS, seed=0,
                      proximity_draws=10, cell_size_m=1.0, cell_height_m=0.0, nodata=255):
    """The validation of a forecast in one call: `forecast` (the model at its own quantity) and, when given,
    `diagnosis` (the model run with the observed totals) scored against `observed`, each next to persistence and
    the proximity null at the same quantity: FoM with its budget, per transition and per aggregation factor, Kappa
    family, quantity/allocation disagreement. ``.rows()`` / ``as_frame()`` give the table."""
    return _parksim.validate_forecast(initial, observed, forecast, diagnosis, allowed, [int(f) for f in factors],
                                      int(seed), int(proximity_draws), float(cell_size_m), float(cell_height_m),
                                      _code(nodata))


def as_frame(result):
    """The rows of a ValidationResult, ForecastValidation or LandscapeMetrics as a pandas DataFrame."""
    import pandas as pd

    return pd.DataFrame(result.rows())


def _code(nodata):
    code = int(nodata)
    if not 0 <= code <= 255:
        raise _parksim.UsageError(f"nodata must be a class code 0..255, not {nodata}")
    return code
