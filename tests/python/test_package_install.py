"""The installable package: `pip install --no-build-isolation .` (setup.py, classic scikit-build) into a fresh venv.

Slow (it builds the engine in Release: minutes on two cores), so it runs only with PARKSIM_TEST_INSTALL=1:

    PARKSIM_TEST_INSTALL=1 /usr/bin/python3 -m pytest -s -p no:cacheprovider tests/python/test_package_install.py

The source is copied (the files git knows plus untracked, not ignored ones: what a clone of the working tree would
hold) into a temporary folder, so the source tree gets no _skbuild/. The installed package is then used from a
folder outside that copy, with no PYTHONPATH, so the build tree's module cannot be the one imported. With ccache
(the project's compiler launcher), CCACHE_BASEDIR is set to the copy so a second install hits the cache even though
the temporary folder differs.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("PARKSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's: the venv sees its numpy, pandas, geopandas (--system-site-packages)

pytestmark = pytest.mark.skipif(os.environ.get("PARKSIM_TEST_INSTALL") != "1",
                                reason="builds and installs the package (minutes); set PARKSIM_TEST_INSTALL=1")

# Never copied: build trees and outputs (ignored by git anyway, but listed for a source without .git).
_SKIP_TOP = {".git", "build", "out", "_skbuild", "_cmake_test_compile", ".cache", "dist"}


def _project_version():
    text = (SOURCE_DIR / "CMakeLists.txt").read_text(encoding="utf-8")
    return re.search(r"project\(\s*parksim\s+VERSION\s+([0-9][0-9A-Za-z.]*)", text).group(1)


def _copy_source(dst):
    """Copies the source tree to `dst`: with git, tracked plus untracked-not-ignored files; else everything but
    build trees."""
    if (SOURCE_DIR / ".git").exists():
        listed = subprocess.run(["git", "-C", str(SOURCE_DIR), "ls-files", "-z", "--cached", "--others",
                                 "--exclude-standard"], check=True, capture_output=True).stdout
        for rel in sorted(set(p for p in listed.decode("utf-8").split("\0") if p)):
            if rel.split("/", 1)[0] in _SKIP_TOP:
                continue
            src = SOURCE_DIR / rel
            if not src.is_file():  # deleted in the working tree
                continue
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst / rel)
    else:
        shutil.copytree(SOURCE_DIR, dst, dirs_exist_ok=True,
                        ignore=lambda d, names: [n for n in names if Path(d) == SOURCE_DIR and n in _SKIP_TOP])


def _clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv folder, source copy, folder outside both) after a real `pip install --no-build-isolation`."""
    root = tmp_path_factory.mktemp("pkg")
    src, venv, elsewhere = root / "src", root / "venv", root / "elsewhere"
    src.mkdir()
    elsewhere.mkdir()
    _copy_source(src)
    subprocess.run([SYSTEM_PYTHON, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    env = _clean_env(CCACHE_BASEDIR=str(src))
    started = time.monotonic()
    # --no-index: the build and the install must never need a package index (Debian packages only).
    proc = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-build-isolation", "--no-index", str(src)],
                          cwd=elsewhere, env=env, capture_output=True, text=True, timeout=3600)
    seconds = time.monotonic() - started
    assert proc.returncode == 0, f"pip install failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-6000:]}"
    print(f"\npip install --no-build-isolation took {seconds:.0f} s", file=sys.stderr)
    return venv, src, elsewhere


def _venv_python(installed, code):
    venv, _, elsewhere = installed
    proc = subprocess.run([str(venv / "bin" / "python"), "-c", code], cwd=elsewhere, env=_clean_env(),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _site_packages(venv):
    (sp,) = (venv / "lib").glob("python3*/site-packages")
    return sp


def test_installed_package_imports_its_own_core_from_the_venv(installed):
    venv, src, _ = installed
    info = _venv_python(installed, (
        "import json, sys, parksim, parksim._core as c\n"
        "print(json.dumps({'version': parksim.__version__, 'package': parksim.__file__,\n"
        "                  'core': c._parksim.__file__, 'core_name': c._parksim.__name__,\n"
        "                  'top_level_core': '_parksim' in sys.modules}))"))
    site = _site_packages(venv).resolve()
    assert info["version"] == _project_version()
    assert Path(info["package"]).resolve() == site / "parksim" / "__init__.py"
    assert Path(info["core"]).resolve().parent == site / "parksim"
    assert info["core_name"] == "parksim._parksim"  # `from . import _parksim`, not the build tree's top-level one
    assert not info["top_level_core"]
    assert src not in Path(info["core"]).resolve().parents


def test_installed_package_holds_every_python_file_and_the_module(installed):
    venv, src, _ = installed
    pkg = _site_packages(venv) / "parksim"
    expected = sorted(p.name for p in (src / "bindings" / "python" / "parksim").glob("*.py"))
    assert sorted(p.name for p in pkg.glob("*.py")) == expected
    assert len(list(pkg.glob("_parksim*.so"))) == 1


def test_installed_module_needs_no_build_tree_at_run_time(installed):
    venv, src, _ = installed
    (so,) = (_site_packages(venv) / "parksim").glob("_parksim*.so")
    dynamic = subprocess.run(["readelf", "-d", str(so)], check=True, capture_output=True, text=True).stdout
    assert "RPATH" not in dynamic and "RUNPATH" not in dynamic
    assert "libparksim" not in dynamic  # the engine libraries are linked in statically
    ldd = subprocess.run(["ldd", str(so)], check=True, capture_output=True, text=True).stdout
    assert "not found" not in ldd
    assert str(src) not in ldd


def test_package_build_leaves_out_the_command_line_program(installed):
    _, src, _ = installed
    (build,) = (src / "_skbuild").glob("*/cmake-build")
    assert (build / "python").is_dir()  # the module's build folder: this is the build tree
    assert not (build / "bin" / "parksim").exists()


def test_installed_package_runs_the_baseline_scenario_from_another_folder(installed):
    _, src, _ = installed
    scenario = src / "scenarios" / "baseline.toml"
    out = _venv_python(installed, (
        "import json, numpy as np, parksim\n"
        f"sc = parksim.load_scenario({str(scenario)!r})\n"  # its geodata path is relative to the scenario file
        "sc['grid.cell_size_m'] = 200.0\n"
        "sc['years.end'] = sc['years.start'] + 1\n"
        "sc['outputs.key_years'] = [sc['years.start'], sc['years.end']]\n"
        "res = parksim.run(sc, seed=7)\n"
        "lu = res.landuse()\n"
        "print(json.dumps({'years': res.years, 'start': sc['years.start'], 'shape': list(lu.shape),\n"
        "                  'grid': [res.grid.rows, res.grid.cols], 'cell': res.grid.cell_size_m,\n"
        "                  'inside': int(np.count_nonzero(lu != 255))}))"))
    assert out["years"] == [out["start"], out["start"] + 1]
    assert out["cell"] == 200.0
    assert out["shape"] == out["grid"]
    assert out["inside"] > 0
