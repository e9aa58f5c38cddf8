"""Session set-up of the real-QGIS test: offscreen Qt, a private XDG runtime directory, and a clear skip
(exit code 77, CTest's SKIP_RETURN_CODE) when python3-qgis is not installed, so a missing QGIS never passes."""

import atexit
import importlib
import os
import shutil
import tempfile

import pytest

SKIP_RETURN_CODE = 77

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if not os.environ.get("XDG_RUNTIME_DIR"):
    os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="parksim-qgis-")   # mode 0700, as Qt wants
    atexit.register(shutil.rmtree, os.environ["XDG_RUNTIME_DIR"], True)


def pytest_sessionstart(session):
    try:
        importlib.import_module("qgis.core")
    except ImportError as e:
        pytest.exit("python3-qgis is not installed (apt-get install python3-qgis qgis-providers): %s" % e,
                    SKIP_RETURN_CODE)
