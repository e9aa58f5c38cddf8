"""`parksim info` and `parksim validate` as a user runs them."""
import json

from conftest import BUNDLED

EXIT_USAGE, EXIT_CONFIG, EXIT_INPUT, EXIT_DATA, EXIT_CRS = 2, 3, 4, 5, 6


def test_info_shows_the_plan_and_the_phase_split(run):
    r = run("info", BUNDLED)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "plan_total_km2" in out and "7.200" in out
    assert "phase 1-2" in out and "2.500 km2" in out
    assert "phase 3" in out and "4.700 km2" in out
    assert "SCHEMATIC" in out
    assert "Problems: 0 error(s)" in out


def test_info_json_is_machine_readable_and_adds_up(run):
    r = run("info", BUNDLED, "--json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert abs(info["phases_total_km2"] - 7.2) < 0.0072
    phases = {p["phase"]: p["area_km2"] for p in info["phases"]}
    assert abs(phases["1-2"] - 2.5) < 0.0025 and abs(phases["3"] - 4.7) < 0.0047
    assert info["counts"]["parcels"] >= 150
    assert "parcels" in info["schematic_layers"]
    assert not [p for p in info["problems"] if p["severity"] == "error"]


def test_validate_bundled_dataset_succeeds(run):
    r = run("validate", BUNDLED)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 error(s)" in r.stdout


def test_missing_dataset_is_an_input_error_naming_it(run, tmp_path):
    r = run("info", tmp_path / "missing.gpkg")
    assert r.returncode == EXIT_INPUT
    assert "missing.gpkg" in r.stderr
    assert r.stderr.startswith("parksim: error:")
    assert r.stdout == ""


def test_unknown_option_is_a_usage_error(run):
    r = run("info", BUNDLED, "--no-such-option")
    assert r.returncode == EXIT_USAGE
    assert "--no-such-option" in r.stderr


def test_no_subcommand_is_a_usage_error(run):
    r = run()
    assert r.returncode == EXIT_USAGE


def test_help_lists_commands_and_exit_codes(run):
    r = run("--help")
    assert r.returncode == 0
    for word in ("info", "validate", "Exit codes"):
        assert word in r.stdout


def test_mapping_with_unknown_key_names_file_line_and_key(run, tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text('assume_crs = "EPSG:4548"\n[layers.parcels.fields]\nparcel_idd = "DKBH"\n', encoding="utf-8")
    r = run("info", BUNDLED, "--mapping", mapping)
    assert r.returncode == EXIT_CONFIG
    assert f"{mapping}:3" in r.stderr
    assert "did you mean 'parcel_id'" in r.stderr


def test_validate_scenario_with_a_typo_names_line_and_key(run, tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text('name = "s"\n[grid]\ncel_size_m = 30.0\n', encoding="utf-8")
    r = run("validate", scenario)
    assert r.returncode == EXIT_CONFIG
    assert f"{scenario}:3: 'grid.cel_size_m': unknown key; did you mean 'grid.cell_size_m'?" in r.stderr
