"""core: engine errors as Python exceptions (class by error code, CLI message, context), Problems, units."""
import os
import subprocess

import pytest

from conftest import DATASET


def test_missing_scenario_file_is_an_io_error_and_an_oserror(parksim, tmp_path):
    with pytest.raises(parksim.IoError) as info:
        parksim.load_scenario(tmp_path / "nowhere.toml")
    e = info.value
    assert isinstance(e, OSError) and isinstance(e, parksim.ParksimError)
    assert e.code == "input" and e.exit_code == 4
    assert "nowhere.toml" in str(e)


def test_misspelt_key_is_a_config_error_naming_file_line_and_key(parksim, tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text('name = "typo"\n[sim]\nneighbourhod_size = 3\n', encoding="utf-8")
    with pytest.raises(parksim.ConfigError) as info:
        parksim.load_scenario(path)
    e = info.value
    assert isinstance(e, ValueError)
    assert e.code == "config" and e.exit_code == 3
    assert e.key == "sim.neighbourhod_size"
    assert e.line == 3
    assert "typo.toml:3" in str(e) and "unknown key" in str(e)


def test_exception_message_is_what_the_cli_prints(parksim, tmp_path):
    cli = os.environ.get("PARKSIM_BIN")
    if not cli:
        pytest.skip("PARKSIM_BIN not set (the CLI target is not built)")
    path = tmp_path / "bad.toml"
    path.write_text('name = "bad"\nruns = 0\n', encoding="utf-8")
    proc = subprocess.run([cli, "validate", str(path)], capture_output=True, text=True, timeout=120)
    with pytest.raises(parksim.ConfigError) as info:
        parksim.load_scenario(path)
    assert proc.returncode == info.value.exit_code == 3
    assert proc.stderr.strip() == f"parksim: error: {info.value}"


def test_missing_dataset_is_an_io_error(parksim, tmp_path):
    with pytest.raises(parksim.IoError) as info:
        parksim.plan.info(tmp_path / "missing.gpkg")
    assert info.value.code == "input"


def test_output_exists_error_is_a_file_exists_error(parksim):
    assert issubclass(parksim.OutputExistsError, FileExistsError)
    assert issubclass(parksim.OutputExistsError, parksim.OutputError)
    assert issubclass(parksim.OutputError, OSError)
    assert issubclass(parksim.DataError, ValueError)
    assert issubclass(parksim.CrsError, ValueError)


def test_problems_carry_severity_and_code(parksim):
    info = parksim.plan.info(DATASET)
    raw = info.raw
    assert raw.crs == "EPSG:4548"
    for column in ("severity", "code", "message", "where"):
        assert column in info.problems.columns
    assert set(info.problems.severity) <= {"info", "warning", "error"}


def test_mu_conversion_is_exact(parksim):
    assert parksim.m2_to_mu(2000.0 / 3.0) == pytest.approx(1.0, rel=1e-15)
    assert parksim.mu_to_m2(3000.0) == pytest.approx(2.0e6, rel=1e-15)


ALLOCATOR_PROBE = """
import ctypes
class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
                                               "uordblks", "fordblks", "keepcost")]
libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Info
libc.malloc.restype = ctypes.c_void_p
import parksim
before = libc.mallinfo2().hblkhd
block = libc.malloc(8 << 20)
print(parksim._core._parksim.allocator_tuned, libc.mallinfo2().hblkhd - before)
libc.free(ctypes.c_void_p(block))
"""


@pytest.mark.parametrize("keep", [False, True])
def test_importing_parksim_sets_the_allocator_for_its_grids_unless_asked_not_to(keep):
    # Dask's workers start with MALLOC_TRIM_THRESHOLD_=65536; the import overrides it (docs/decisions.md D14), so an
    # 8 MB grid comes from the heap, not from a fresh mapping - unless PARKSIM_SYSTEM_MALLOC=1.
    env = dict(os.environ, MALLOC_TRIM_THRESHOLD_="65536")
    env.pop("PARKSIM_SYSTEM_MALLOC", None)
    if keep:
        env["PARKSIM_SYSTEM_MALLOC"] = "1"
    out = subprocess.run(["/usr/bin/python3", "-c", ALLOCATOR_PROBE], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    if keep:
        assert out[0] == "False" and int(out[1]) >= 8 << 20, out  # glibc's own: a mapping of its own
    else:
        assert out == ["True", "0"], out
