import os
import subprocess
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("PARKSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BUNDLED = SOURCE_DIR / "geodata" / "zgc_life_science_park.gpkg"


@pytest.fixture(scope="session")
def parksim_bin():
    path = os.environ.get("PARKSIM_BIN")
    if not path:
        pytest.fail("PARKSIM_BIN is not set (run these tests through ctest)")
    return path


@pytest.fixture
def run(parksim_bin):
    def _run(*args, cwd=None):
        return subprocess.run([parksim_bin, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                              timeout=600)
    return _run
