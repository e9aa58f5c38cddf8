"""scenario: typed get, validated set, dict scenarios, schema, pickling (paths resolved) and copies."""
import copy
import os
import pickle

import pytest

from conftest import SOURCE_DIR


def test_get_is_typed_by_the_schema(small_scenario):
    assert small_scenario.get("demand.enterprise_growth_rate") == pytest.approx(0.08)
    assert isinstance(small_scenario.get("years.end"), int)
    assert small_scenario.get("alloc.enabled") is True
    assert small_scenario["outputs.key_years"] == [2025, 2027, 2029]
    assert small_scenario.name == "pytest-small"


def test_set_changes_the_value_and_validates_it(parksim, small_scenario):
    small_scenario.set("demand.enterprise_growth_rate", 0.05)
    assert small_scenario["demand.enterprise_growth_rate"] == pytest.approx(0.05)
    small_scenario["years.end"] = 2030
    assert small_scenario.get("years.end") == 2030
    with pytest.raises(parksim.ConfigError) as info:
        small_scenario.set("runs", 0)
    assert info.value.key == "runs"
    with pytest.raises(parksim.ConfigError):
        small_scenario.set("years.end", "soon")
    with pytest.raises(parksim.ConfigError) as unknown:
        small_scenario["demand.enterprise_growth"] = 0.1
    assert "did you mean 'demand.enterprise_growth_rate'" in str(unknown.value)


def test_numpy_values_are_accepted(small_scenario):
    import numpy as np

    small_scenario.set("demand.enterprise_growth_rate", np.float64(0.07))
    small_scenario.set("outputs.key_years", np.array([2025, 2029]))
    assert small_scenario["demand.enterprise_growth_rate"] == pytest.approx(0.07)
    assert small_scenario["outputs.key_years"] == [2025, 2029]


def test_pickle_round_trip_keeps_every_value(small_scenario):
    small_scenario.set("demand.enterprise_growth_rate", 0.031)
    back = pickle.loads(pickle.dumps(small_scenario))
    assert back.to_toml() == small_scenario.with_absolute_paths().to_toml()  # pickles carry absolute paths
    assert back["demand.enterprise_growth_rate"] == pytest.approx(0.031)


def test_pickled_relative_paths_still_find_the_data_from_another_folder(parksim, tmp_path, monkeypatch):
    folder = tmp_path / "study"
    folder.mkdir()
    rel = os.path.relpath(SOURCE_DIR / "geodata" / "zgc_life_science_park.gpkg", folder)
    (folder / "s.toml").write_text(f'name = "rel"\n[geodata]\npath = "{rel}"\n', encoding="utf-8")
    sc = parksim.load_scenario(folder / "s.toml")
    blob = pickle.dumps(sc)
    monkeypatch.chdir(tmp_path)
    back = pickle.loads(blob)
    assert os.path.samefile(back.get_path("geodata.path"), SOURCE_DIR / "geodata" / "zgc_life_science_park.gpkg")


def test_a_scenario_loaded_by_a_relative_path_keeps_absolute_paths(parksim, monkeypatch):
    monkeypatch.chdir(SOURCE_DIR)
    sc = parksim.load_scenario("scenarios/baseline.toml")
    assert os.path.isabs(sc.path) and all(os.path.isabs(f) for f in sc.files)
    data = sc.get_path("geodata.path")
    monkeypatch.chdir("/")
    assert os.path.isabs(data) and os.path.samefile(pickle.loads(pickle.dumps(sc)).get_path("geodata.path"), data)


def test_scenario_shows_itself_as_html_in_a_notebook(parksim, small_scenario):
    small_scenario["demand.enterprise_growth_rate"] = 0.05
    small_scenario["question"] = "<b>what if</b>?"
    page = small_scenario._repr_html_()
    assert "parksim scenario pytest-small" in page
    assert "&lt;b&gt;what if&lt;/b&gt;?" in page and "<b>what if" not in page
    assert "demand.enterprise_growth_rate" in page and "0.05" in page


def test_dict_scenario_may_extend_a_file(parksim, tmp_path):
    base = tmp_path / "base.toml"
    base.write_text('name = "base"\nseed = 5\n[demand]\nenterprise_growth_rate = 0.04\n', encoding="utf-8")
    sc = parksim.load_scenario({"extends": "base.toml", "name": "child", "seed": 9}, base_dir=tmp_path)
    assert sc.name == "child" and sc["seed"] == 9
    assert sc["demand.enterprise_growth_rate"] == pytest.approx(0.04)


def test_copy_is_independent(small_scenario):
    other = copy.copy(small_scenario)
    other.set("seed", 1234)
    assert small_scenario["seed"] == 20250101 and other["seed"] == 1234


def test_schema_lists_keys_with_defaults_and_units(parksim):
    schema = parksim.scenario_schema()
    row = schema[schema.key == "demand.enterprise_growth_rate"].iloc[0]
    assert row.kind == "number" and row.description
    assert schema[schema.key == "grid.cell_size_m"].iloc[0]["unit"] == "m"


def test_the_schema_says_which_keys_are_file_paths(parksim, tmp_path):
    schema = parksim.scenario_schema()
    assert set(schema[schema.path].key) == {"geodata.path", "geodata.mapping", "demand.previous_map", "study.maps.*",
                                            "study.mask", "study.exclusion", "classes.file", "drivers.*.source",
                                            "drivers.*.source.*", "suitability.model_files.*", "answer.compare_with"}
    # A dict scenario's relative mapping file resolves against base_dir, like its geodata.
    (tmp_path / "map.toml").write_text("", encoding="utf-8")
    from conftest import SMALL

    sc = parksim.load_scenario({**SMALL, "geodata": {"path": SMALL["geodata"]["path"], "mapping": "map.toml"}},
                               base_dir=tmp_path)
    assert sc.get_path("geodata.mapping") == tmp_path / "map.toml"
    with pytest.raises(parksim.UsageError, match="not a file path key"):
        sc.get_path("name")
