"""parksim.plan.info(): a plan dataset's accounting and problems - what ``parksim info`` prints - as frames."""

import os
from dataclasses import dataclass, field

from ._core import _parksim, problems_frame
from ._progress import reporting

__all__ = ["info", "PlanInfo"]


@dataclass
class PlanInfo:
    """The plan dataset as read (``raw``: the engine's Plan) and its accounting. Areas in m2 unless the column says.

    Frames: phases, zones (GeoDataFrames), by_phase, by_zone, by_landuse, by_status (key, label, parcels, area_m2,
    area_km2, area_mu), targets (id, labels, unit, comparison, target, actual, met), problems, layers.
    Figures: parcels_m2, phases_m2, health_industry_m2, health_industry_expansion_m2 (the >= 3,000 mu target
    compares this one), health_industry_built_m2, developable_m2. ``parcels()`` gives the parcels GeoDataFrame.
    """

    raw: object
    dataset: str
    crs: str
    schematic_layers: list
    phases: object
    zones: object
    by_phase: object
    by_zone: object
    by_landuse: object
    by_status: object
    targets: object
    problems: object
    layers: object
    figures: dict = field(default_factory=dict)

    def __getattr__(self, name):
        figures = self.__dict__.get("figures", {})
        if name in figures:
            return figures[name]
        raise AttributeError(name)

    def parcels(self):
        return _geo_frame(self.raw.parcels_table(), self.crs)


def _geo_frame(table, crs):
    import geopandas as gpd
    import pandas as pd

    wkb = table.pop("geometry")
    return gpd.GeoDataFrame(pd.DataFrame(table), geometry=gpd.GeoSeries.from_wkb(wkb, crs=crs), crs=crs)


def info(dataset, mapping=None, crs=None, progress=None):
    """Reads a plan dataset (the bundled GeoPackage or any GDAL source, optionally through a field-mapping TOML
    and an assumed CRS for layers without one) and accounts for it, exactly as ``parksim info``.
    Raises IoError / DataError / CrsError as the CLI reports them; data findings are in ``.problems``.
    progress: ``progress(fraction, message)`` (returning False cancels: CancelledError), or True for a tqdm bar."""
    import pandas as pd

    with reporting(progress, f"reading {os.fspath(dataset)}") as callback:
        raw, problems = _parksim.load_plan(os.fspath(dataset), os.fspath(mapping) if mapping else "", crs or "",
                                           callback)
    a = _parksim.account(raw)
    figures = {k: a[k] for k in ("parcels_m2", "phases_m2", "health_industry_m2", "health_industry_expansion_m2",
                                  "health_industry_built_m2", "developable_m2")}
    return PlanInfo(
        raw=raw, dataset=raw.source, crs=raw.crs, schematic_layers=list(raw.schematic_layers()),
        phases=_geo_frame(raw.phases_table(), raw.crs), zones=_geo_frame(raw.zones_table(), raw.crs),
        by_phase=pd.DataFrame(a["by_phase"]), by_zone=pd.DataFrame(a["by_zone"]),
        by_landuse=pd.DataFrame(a["by_landuse"]), by_status=pd.DataFrame(a["by_status"]),
        targets=pd.DataFrame(a["targets"]), problems=problems_frame(problems),
        layers=pd.DataFrame(raw.layers_table()), figures=figures)
