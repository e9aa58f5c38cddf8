"""Finds the compiled core: ``parksim._parksim`` when installed inside the package, else ``_parksim`` on sys.path
(the build tree: PYTHONPATH=<build>/python:<source>/bindings/python)."""

try:  # pragma: no cover - depends on how parksim was installed
    from . import _parksim  # type: ignore[attr-defined]
except ImportError:  # the build tree
    import _parksim  # type: ignore[no-redef]

ParksimError = _parksim.ParksimError
UsageError = _parksim.UsageError
ConfigError = _parksim.ConfigError
IoError = _parksim.IoError
DataError = _parksim.DataError
CrsError = _parksim.CrsError
GeometryError = _parksim.GeometryError
OutputError = _parksim.OutputError
OutputExistsError = _parksim.OutputExistsError
CancelledError = _parksim.CancelledError
InfeasibleError = _parksim.InfeasibleError
DatabaseError = _parksim.DatabaseError
InternalError = _parksim.InternalError

GridSpec = _parksim.GridSpec
Problem = _parksim.Problem
Scenario = _parksim.Scenario
m2_to_mu = _parksim.m2_to_mu
mu_to_m2 = _parksim.mu_to_m2


def problems_frame(problems):
    """[Problem] -> pandas DataFrame (severity, code, message, where, layer, feature_id, feature_key, key)."""
    import pandas as pd

    return pd.DataFrame(
        [{"severity": p.severity, "code": p.code, "message": p.message, "where": p.where, "layer": p.layer,
          "feature_id": p.feature_id, "feature_key": p.feature_key, "key": p.key} for p in problems],
        columns=["severity", "code", "message", "where", "layer", "feature_id", "feature_key", "key"])


def module_search_path():
    """Folders a fresh interpreter (a Dask worker process) needs on sys.path to import parksim and its core."""
    import os

    import parksim

    folders = [os.path.dirname(os.path.dirname(os.path.abspath(parksim.__file__))),
               os.path.dirname(os.path.abspath(_parksim.__file__))]
    out = []
    for f in folders:
        if f not in out:
            out.append(f)
    return out
