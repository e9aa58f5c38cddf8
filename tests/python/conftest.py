import os
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("PARKSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
DATASET = SOURCE_DIR / "geodata" / "zgc_life_science_park.gpkg"

# A small scenario: the bundled park on a coarse grid over a few years, so a run takes about a second.
SMALL = {
    "extends": str(SOURCE_DIR / "scenarios" / "studies" / "park.toml"),
    "name": "pytest-small",
    "question": "Does the Python binding run a scenario end to end?",
    "seed": 20250101,
    "years": {"start": 2025, "end": 2029},
    "geodata": {"path": str(DATASET)},
    "grid": {"extent": "park", "cell_size_m": 100.0},
    "phases": {"open_year": {"1-2": 2001, "3": 2025}},
    "demand": {"method": "enterprise", "base_enterprises": 1000.0, "enterprise_growth_rate": 0.08,
               "zone_share": {"frontier_tech": 0.5, "medical_device": 0.5}},
    "alloc": {"enabled": True, "min_health_industry_mu": 3000.0, "time_limit_s": 2.0, "gap_pct": 5.0},
    "outputs": {"key_years": [2025, 2027, 2029]},
}


def small_variant(cell_size_m, end_year, **changes):
    """SMALL on another cell size and end year (key years = start and end), with top-level `changes`."""
    import copy

    d = copy.deepcopy(SMALL)
    d["grid"]["cell_size_m"] = float(cell_size_m)
    d["years"]["end"] = int(end_year)
    d["outputs"]["key_years"] = [d["years"]["start"], int(end_year)]
    d.update(changes)
    return d


def ticks_during(call):
    """Runs call() while a Python thread counts ~1 ms sleeps; returns (ticks, elapsed seconds). With the GIL held
    for the whole call the ticker gets about one tick; released, it ticks about every millisecond."""
    import threading
    import time

    ticks = 0
    stop = threading.Event()

    def ticker():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    thread = threading.Thread(target=ticker)
    thread.start()
    started = time.perf_counter()
    try:
        call()
    finally:
        elapsed = time.perf_counter() - started
        stop.set()
        thread.join()
    return ticks, elapsed


@pytest.fixture(scope="session")
def parksim():
    import parksim as module

    return module


@pytest.fixture
def small_dict():
    import copy

    return copy.deepcopy(SMALL)


@pytest.fixture
def small_scenario(parksim, small_dict):
    return parksim.load_scenario(small_dict)


@pytest.fixture(scope="session")
def small_result(parksim):
    """One run of the small scenario, shared by the read-only tests."""
    return parksim.run(parksim.load_scenario(SMALL), seed=7)
