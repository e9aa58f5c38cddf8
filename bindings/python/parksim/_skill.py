"""Model skill on a held-out map: ``parksim.skill()`` is ``parksim skill SCENARIO --holdout YEAR`` (the engine's
calibrate::measure_skill): calibrate on the maps before the held-out year, forecast it from the last map before it
with an ensemble, and score the ensemble's expected map against the held-out map - next to persistence and the
proximity null, at the model's own quantity and, as a diagnosis, at the observed quantity.
"""

import os
from pathlib import Path

from ._core import _parksim
from ._progress import reporting
from ._scenario import load_scenario

__all__ = ["skill", "SkillResult"]


class SkillResult:
    """What ``parksim.skill()`` measured. ``rows()``: the rows of skill.csv as {column: list} (quantity "own" or
    "observed", model "parksim" / "persistence" / "proximity" / "comparison", measure, from_class, to_class, factor,
    unit, value, label); ``as_frame()`` the same as a pandas DataFrame; ``figure(measure, model="parksim",
    quantity="own", ...)`` one value; ``table()`` the text ``parksim skill`` prints; ``expected_map()`` the expected
    map (class codes, 255 without data); ``validation`` the metrics ForecastValidation; ``calibration`` the
    ScenarioCalibration on the earlier maps; ``folder`` where skill.csv, expected_map.tif and calibrated.toml are."""

    def __init__(self, raw, folder, temporary):
        self.raw = raw
        self.folder = folder
        self.temporary = temporary

    holdout_year = property(lambda self: self.raw.holdout_year)
    reference_year = property(lambda self: self.raw.reference_year, doc="the last map the model saw")
    fitted_years = property(lambda self: list(self.raw.fitted_years))
    runs = property(lambda self: self.raw.runs)
    validation = property(lambda self: self.raw.validation)
    calibration = property(lambda self: self.raw.calibration)
    problems = property(lambda self: list(self.raw.problems))
    own_quantity = property(lambda self: dict(self.raw.own_quantity), doc="{class code: cells} at the own quantity")
    observed_quantity = property(lambda self: dict(self.raw.observed_quantity),
                                 doc="{class code: cells} of the held-out map")

    def rows(self):
        return self.raw.rows()

    def as_frame(self):
        import pandas as pd

        return pd.DataFrame(self.rows())

    def figure(self, measure, model="parksim", quantity="own", from_class=None, to_class=None, factor=None):
        """The value of one row; KeyError when no row matches."""
        r = self.rows()
        for i, m in enumerate(r["measure"]):
            if (m == measure and r["model"][i] == model and r["quantity"][i] == quantity
                    and r["from_class"][i] == from_class and r["to_class"][i] == to_class
                    and r["factor"][i] == factor):
                return r["value"][i]
        raise KeyError((measure, model, quantity, from_class, to_class, factor))

    def table(self):
        return self.raw.table()

    def expected_map(self, observed_quantity=False):
        return self.raw.expected_map(bool(observed_quantity))

    def __repr__(self):
        return (f"<SkillResult holdout {self.holdout_year} from {self.reference_year}: FoM "
                f"{self.figure('figure_of_merit'):.4f} (own quantity), proximity "
                f"{self.figure('proximity_figure_of_merit_mean', model='proximity'):.4f}>")


def skill(scenario, holdout, folder=None, overwrite=False, runs=10, seed=None, threads=None, budget=40,
          runs_per_evaluation=4, learner="auto", proximity_draws=10, pattern_weight=0.0, progress=None,
          patches="observed"):
    """The skill of a study scenario's model on its map of year ``holdout``, exactly as ``parksim skill SCENARIO
    --holdout YEAR --out DIR`` measures it (engine/calibrate/skill.hpp).

    ``scenario``: a study scenario (file, dict or Scenario) whose [study.maps] hold the held-out year and at least
    two earlier years. ``folder``: where to write skill.csv, expected_map.tif, calibrated.toml and calibration_metrics.csv
    (DEFAULT a temporary folder removed when the process exits; ``SkillResult.folder`` says where); OutputExistsError
    when one of them exists and not ``overwrite``. ``runs``: forecast ensemble runs (DEFAULT 10); ``seed`` and
    ``threads`` DEFAULT the scenario's (results do not depend on threads); ``budget``, ``runs_per_evaluation`` and
    ``learner``, ``pattern_weight`` and ``patches`` as in ``parksim.calibrate``; ``proximity_draws`` of the proximity null (DEFAULT 10).
    ``progress(fraction, message)`` is called with the GIL held; returning False cancels (CancelledError); True
    shows a tqdm bar (python3-tqdm).

    Raises ConfigError when ``holdout`` is not one of the maps (the message lists them) or fewer than two maps come
    before it, and as ``parksim.calibrate`` and ``parksim.run`` do.
    """
    from ._calibrate import _temporary_folder

    sc = load_scenario(scenario) if isinstance(scenario, (str, os.PathLike, dict)) else scenario
    if folder is None:
        folder, temporary = _temporary_folder("parksim-skill-"), True
    else:
        folder, temporary = Path(os.path.abspath(os.fspath(folder))), False
    with reporting(progress, f"parksim skill {sc.name} --holdout {int(holdout)}") as callback:
        raw = _parksim.measure_skill(sc, int(holdout), folder, overwrite=bool(overwrite), runs=int(runs),
                                     seed=None if seed is None else int(seed),
                                     threads=None if threads is None else int(threads), budget=int(budget),
                                     runs_per_evaluation=int(runs_per_evaluation), learner=str(learner),
                                     proximity_draws=int(proximity_draws), pattern_weight=float(pattern_weight),
                                     patches=str(patches), progress=callback)
    return SkillResult(raw, folder, temporary)
