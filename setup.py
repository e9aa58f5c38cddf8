"""Builds the installable Python package `parksim` (classic scikit-build, Debian 12's python3-skbuild 0.16).

    /usr/bin/python3 -m venv --system-site-packages .venv
    .venv/bin/pip install --no-build-isolation .

CMake configures the project in Release with only the Python module enabled (no command, tests or benchmarks);
bindings/CMakeLists.txt installs `_parksim` into the package folder when SKBUILD is set, so the installed package
is `parksim/` with `parksim/_parksim.*.so` inside it. The engine libraries are static: the module needs only
Debian's shared libraries (GDAL, GEOS, PROJ, TBB, CBC, ...) at run time. `--no-build-isolation` is required: the
build requirements come from Debian (python3-skbuild, python3-setuptools, python3-wheel, cmake, ninja-build,
pybind11-dev), PyPI is not used. Extra CMake arguments: the CMAKE_ARGS environment variable.
"""

import re
from pathlib import Path

from skbuild import setup

HERE = Path(__file__).resolve().parent


def project_version():
    """The version in the top-level CMakeLists.txt `project(parksim VERSION x.y.z ...)` - its one source."""
    text = (HERE / "CMakeLists.txt").read_text(encoding="utf-8")
    m = re.search(r"project\(\s*parksim\s+VERSION\s+([0-9][0-9A-Za-z.]*)", text)
    if not m:
        raise RuntimeError("CMakeLists.txt: no `project(parksim VERSION ...)`")
    return m.group(1)


setup(
    name="parksim",
    version=project_version(),
    description="Geospatial planning and simulation engine for the Zhongguancun Life Science Park expansion",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    python_requires=">=3.11",
    # numpy is needed at import time; pandas / geopandas / distributed / xarray only by the functions that return
    # frames, run Dask ensembles or return DataArrays (Debian: python3-pandas, python3-geopandas,
    # python3-distributed, python3-xarray).
    install_requires=["numpy"],
    packages=["parksim"],
    package_dir={"": "bindings/python"},
    # CMake's install prefix is <_skbuild>/cmake-install/bindings/python, so `DESTINATION parksim` lands in the
    # package above.
    cmake_install_dir="bindings/python",
    cmake_minimum_required_version="3.25",
    cmake_args=[
        "-DPARKSIM_PYTHON=ON",
        "-DPARKSIM_CLI=OFF",
        "-DPARKSIM_TESTS=OFF",
        "-DPARKSIM_BENCH=OFF",
        "-DPARKSIM_SANITIZE=OFF",
        "-DPARKSIM_WERROR=OFF",
    ],
)
