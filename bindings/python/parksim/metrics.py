"""Validation and landscape metrics on numpy arrays (2-D, one class code per cell, row 0 = north).

Thin wrappers of the engine's pure functions (metrics/validation.hpp, metrics/landscape.hpp): C-contiguous uint8
arrays are read in place; anything else is converted once. Undefined scores are NaN, never a made-up 0 or 1.
"""

from ._core import _parksim

__all__ = ["validate", "landscape", "figure_of_merit", "kappa", "disagreement"]


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


def as_frame(result):
    """The rows of a ValidationResult or LandscapeMetrics as a pandas DataFrame."""
    import pandas as pd

    return pd.DataFrame(result.rows())


def _code(nodata):
    code = int(nodata)
    if not 0 <= code <= 255:
        raise _parksim.UsageError(f"nodata must be a class code 0..255, not {nodata}")
    return code
