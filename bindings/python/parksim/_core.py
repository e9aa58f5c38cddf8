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


def raise_error(cls, message, key=None, path=None, layer=None):
    """Raises the parksim exception class `cls` with the attributes the engine's errors carry (code, exit_code,
    message, path, layer, feature_id, feature_key, key, line, coordinate), for errors found in Python."""
    codes = {UsageError: ("usage", 2), ConfigError: ("config", 3), IoError: ("input", 4), DataError: ("data", 5),
             CrsError: ("crs", 6), OutputExistsError: ("output_exists", 9), OutputError: ("output", 8)}
    code, exit_code = codes.get(cls, ("internal", 70))
    where = ": ".join(p for p in (path, f"layer '{layer}'" if layer else None, f"'{key}'" if key else None) if p)
    error = cls(f"{where}: {message}" if where else message)
    error.code, error.exit_code, error.message = code, exit_code, message
    error.path, error.layer, error.key = path, layer, key
    error.feature_id = error.feature_key = error.line = error.coordinate = None
    raise error


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
