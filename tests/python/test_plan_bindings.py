"""plan: parksim.plan.info() - the bundled dataset's accounting against the 7.2 km2 plan, as frames."""
import pytest

from conftest import DATASET


def test_info_accounts_for_the_bundled_plan(parksim):
    info = parksim.plan.info(DATASET)
    assert info.crs == "EPSG:4548"
    # Phases 1-2 (2.5 km2) and 3 (4.7 km2): the published 7.2 km2 plan, within 1 %.
    assert info.phases_m2 / 1e6 == pytest.approx(7.2, rel=0.01)
    phases = dict(zip(info.by_phase.key, info.by_phase.area_km2))
    assert set(phases) >= {"1-2", "3"}
    targets = set(info.targets.id)
    assert "health_industry_land_mu" in targets
    assert info.health_industry_expansion_m2 >= 0.0


def test_phase_and_parcel_frames_are_geodataframes_in_the_working_crs(parksim):
    info = parksim.plan.info(DATASET)
    assert info.phases.crs.to_epsg() == 4548
    parcels = info.parcels()
    assert parcels.crs.to_epsg() == 4548
    assert len(parcels) == info.raw.parcel_count > 0
    # Areas computed by the engine agree with the geometry that reached Python.
    assert parcels.geometry.area.sum() == pytest.approx(parcels.area_m2.sum(), rel=1e-9)
    assert {"parcel_id", "phase", "zone", "landuse", "status", "area_mu"} <= set(parcels.columns)


def test_schematic_layers_are_named(parksim):
    info = parksim.plan.info(DATASET)
    assert "parcels" in info.schematic_layers
