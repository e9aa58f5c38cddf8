"""parksim for researchers: scenarios, runs, ensembles and validation metrics of the parksim engine.

A thin layer over the compiled core ``parksim._parksim`` (or a top-level ``_parksim`` from the build tree): every
figure comes from the same engine calls the ``parksim`` command line uses.

    import parksim
    sc = parksim.load_scenario("scenarios/baseline.toml")
    sc["demand.enterprise_growth_rate"] = 0.05        # or sc.set(...); validated like a file value
    res = parksim.run(sc, seed=7)
    res.landuse(res.years[-1])                          # numpy view of engine memory (no copy)
    res.indicators()                                    # pandas DataFrame (year None: not tied to a year)
    res.parcels()                                       # geopandas GeoDataFrame, CRS EPSG:4548

    st = parksim.study({1990: map90, 2000: map00}, grid=parksim.GridSpec(...), classes={0: "open", 1: "urban"},
                       drivers={"dist_urban_m": {"kind": "distance", "classes": ["urban"]}})
    res = parksim.simulate(st, demand="trend", runs=10, seed=1, end_year=2010)   # the same Result
    cal = parksim.calibrate(st); cal.scenario; cal.forecast(2020); res.to_xarray()

Long calls take progress=True (a tqdm bar, python3-tqdm) or progress=callable(fraction, message); Scenario,
Result and EnsembleResult show themselves as tables in a notebook (_repr_html_).

Engine errors arrive as exceptions of the class of their error code, with the message the CLI prints:
ConfigError (ValueError), IoError (OSError), DataError, CrsError, GeometryError (ValueError), OutputError and
OutputExistsError (OSError), CancelledError, InfeasibleError, DatabaseError, InternalError - all ParksimError.
"""

from ._core import _parksim
from ._core import (  # noqa: F401  (re-exported)
    CancelledError,
    ConfigError,
    CrsError,
    DatabaseError,
    DataError,
    GeometryError,
    InfeasibleError,
    InternalError,
    IoError,
    OutputError,
    OutputExistsError,
    ParksimError,
    UsageError,
)
from ._core import GridSpec, Problem, Scenario, m2_to_mu, mu_to_m2  # noqa: F401
from . import metrics, plan  # noqa: F401
from ._calibrate import CalibrationResult, calibrate, calibrate_key  # noqa: F401
from ._ensemble import EnsembleResult, current_client, ensemble, local_cluster  # noqa: F401
from ._optimize import optimize  # noqa: F401
from ._result import Result, run  # noqa: F401
from ._scenario import load_scenario, scenario_schema  # noqa: F401
from ._skill import SkillResult, skill  # noqa: F401
from ._study import Study, simulate, study  # noqa: F401

__version__ = _parksim.__version__

__all__ = [
    "load_scenario", "scenario_schema", "run", "ensemble", "current_client", "local_cluster", "study", "simulate",
    "calibrate", "calibrate_key", "skill", "optimize", "plan", "metrics",
    "Scenario", "Study", "Result", "EnsembleResult", "CalibrationResult", "SkillResult", "GridSpec", "Problem",
    "m2_to_mu", "mu_to_m2",
    "ParksimError", "UsageError", "ConfigError", "IoError", "DataError", "CrsError", "GeometryError", "OutputError",
    "OutputExistsError", "CancelledError", "InfeasibleError", "DatabaseError", "InternalError",
]
