"""`parksim export OUTDIR --to PG:...` against the throw-away server of pg_virtualenv (PGHOST etc. set)."""
import os
import subprocess
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("PARKSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
EXIT_OUTPUT_EXISTS, EXIT_DATABASE = 9, 12
TABLES = ["parcels", "zones", "phases", "corridor", "corridor_band", "bases", "stations", "indicators",
          "allocation_constraints"]

pytestmark = pytest.mark.skipif("PGHOST" not in os.environ, reason="run under pg_virtualenv (ctest -L postgis)")


def psql(sql):
    r = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


@pytest.fixture(scope="session")
def parksim(tmp_path_factory):
    binary = os.environ["PARKSIM_BIN"]

    def _run(*args):
        return subprocess.run([binary, *map(str, args)], capture_output=True, text=True, timeout=600)
    return _run


@pytest.fixture(scope="session")
def bundle(parksim, tmp_path_factory):
    out = tmp_path_factory.mktemp("pg") / "baseline"
    r = parksim("run", SOURCE_DIR / "scenarios" / "baseline.toml", "--out", out, "--quiet")
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(autouse=True)
def clean_database():
    psql("CREATE EXTENSION IF NOT EXISTS postgis")
    for table in TABLES + ["layer_styles"]:
        psql(f"DROP TABLE IF EXISTS {table}")


def gpkg_count(bundle, layer):
    r = subprocess.run(["ogrinfo", "-ro", "-so", str(bundle / "results.gpkg"), layer], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        if line.startswith("Feature Count:"):
            return int(line.split(":")[1])
    raise AssertionError(r.stdout + r.stderr)


def test_export_to_postgis_writes_every_layer_with_srid_styles_and_chinese_text(parksim, bundle):
    r = parksim("export", bundle, "--to", "PG:")
    assert r.returncode == 0, r.stderr
    for table in TABLES:
        assert int(psql(f"SELECT count(*) FROM {table}")) == gpkg_count(bundle, table), table
    assert psql("SELECT Find_SRID('public', 'parcels', 'geom')") == "4548"
    assert int(psql("SELECT count(*) FROM parcels")) >= 150
    # Chinese labels of the indicators survive the trip.
    assert int(psql("SELECT count(*) FROM indicators WHERE label_zh ~ '[一-龥]'")) > 0
    assert int(psql("SELECT count(*) FROM layer_styles WHERE f_table_name = 'parcels' AND useasdefault")) == 1


def test_export_onto_existing_tables_is_refused_unless_overwrite(parksim, bundle):
    psql("CREATE TABLE zones (keep integer)")
    psql("INSERT INTO zones VALUES (42)")
    r = parksim("export", bundle, "--to", "PG:")
    assert r.returncode == EXIT_OUTPUT_EXISTS, r.stderr
    assert "zones" in r.stderr
    assert psql("SELECT keep FROM zones") == "42"
    assert psql("SELECT count(*) FROM pg_tables WHERE tablename = 'parcels'") == "0"
    r = parksim("export", bundle, "--to", "PG:", "--overwrite")
    assert r.returncode == 0, r.stderr
    assert int(psql("SELECT count(*) FROM zones")) == gpkg_count(bundle, "zones")


def test_bad_pg_string_is_exit_12_and_overwrites_nothing(parksim, bundle):
    psql("CREATE TABLE parcels (keep integer)")
    psql("INSERT INTO parcels VALUES (7)")
    r = parksim("export", bundle, "--to", "PG:dbname=no_such_database password=hunter2", "--overwrite")
    assert r.returncode == EXIT_DATABASE, r.stderr
    assert r.stderr.startswith("parksim: error:")
    assert "no_such_database" in r.stderr
    assert "hunter2" not in r.stderr
    assert r.stdout == ""
    assert psql("SELECT keep FROM parcels") == "7"
