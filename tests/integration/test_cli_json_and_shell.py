"""Machine-readable output (--json on validate and run), the --overwrite hint, the bash completion script and the man
page the build installs."""
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BUNDLED, SOURCE_DIR

EXIT_CONFIG, EXIT_DATA, EXIT_OUTPUT_EXISTS = 3, 5, 9
COMMANDS = ["run", "info", "validate", "export", "compare", "calibrate", "skill", "optimize"]
COMPLETION = SOURCE_DIR / "engine" / "cli" / "parksim.bash-completion"


def test_validate_json_of_a_scenario_names_it_and_its_dataset(run):
    r = run("validate", SOURCE_DIR / "scenarios" / "line19_2029.toml", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["ok"] is True
    assert doc["scenario"]["name"] == "line19_2032"
    names = [Path(f).name for f in doc["scenario"]["files"]]
    assert names[-1] == "line19_2029.toml" and "baseline.toml" in names, names  # the extends chain
    assert doc["dataset"]["parcels"] == 316  # 236 in the phases, 80 in Beauty & Health
    assert "parcels" in doc["dataset"]["schematic_layers"]
    # The findings of run's own preparation (the plan's among them), as `parksim validate` prints them.
    assert doc["scenario"]["errors"] == 0
    assert all({"severity", "code", "message"} <= set(p) for p in doc["scenario"]["problems"])
    assert any(p["code"] == "grid.no_landuse_outside_parcels" for p in doc["scenario"]["problems"])


def test_validate_json_of_a_broken_scenario_is_an_error_document_with_the_exit_code(run, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "%s"\n[demand]\nenterprise_growth_rate = -3\n' % (SOURCE_DIR / "scenarios" / "baseline.toml"),
                   encoding="utf-8")
    r = run("validate", bad, "--json")
    assert r.returncode == EXIT_CONFIG
    doc = json.loads(r.stdout)
    assert doc["ok"] is False
    assert doc["error"]["code"] == "config" and doc["error"]["exit_code"] == EXIT_CONFIG
    assert doc["error"]["key"] == "demand.enterprise_growth_rate"
    assert doc["error"]["path"].endswith("bad.toml") and doc["error"]["line"] == 3
    assert "enterprise_growth_rate" in r.stderr  # people still read the message on stderr


def test_validate_json_of_a_dataset(run):
    r = run("validate", BUNDLED, "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert "scenario" not in doc
    assert doc["dataset"]["crs"] == "EPSG:4548" and doc["ok"] is True


def test_run_json_is_one_document_with_the_headline_figures_and_the_paths(run, tmp_path):
    out = tmp_path / "out"
    r = run("run", SOURCE_DIR / "scenarios" / "baseline.toml", "--out", out, "--json", "--quiet")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["ok"] is True and doc["scenario"] == "baseline"
    assert Path(doc["output"]) == out and Path(doc["report"]) == out / "report" / "index.html"
    figures = {(f["indicator_id"], f["year"]): f for f in doc["indicators"]}
    assert figures[("plan_total_km2", None)]["value"] == pytest.approx(7.2, rel=1e-3)
    assert figures[("developed_km2", doc["end_year"])]["unit"] == "km2"
    assert doc["problems"]["errors"] == 0
    # The answer to the scenario's question: the year the 3,000 mu are developed, with the sentence the report opens with.
    assert doc["answer"]["indicator_id"] == "health_industry_delivered_year" and doc["answer"]["unit"] == "yr"
    assert doc["answer"]["sentence"].startswith("Year by which 3000 mu of health-industry land")
    # Same run again without --overwrite: a JSON error document, exit code 9.
    again = run("run", SOURCE_DIR / "scenarios" / "baseline.toml", "--out", out, "--json", "--quiet")
    assert again.returncode == EXIT_OUTPUT_EXISTS
    assert json.loads(again.stdout)["error"]["code"] == "output_exists"


def test_every_refusal_to_replace_an_output_names_overwrite(run, tmp_path):
    bundle = tmp_path / "b"
    assert run("run", SOURCE_DIR / "scenarios" / "baseline.toml", "--out", bundle, "--quiet").returncode == 0
    dest = tmp_path / "shp"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    r = run("export", bundle, "--format", "shp", "--to", dest)
    assert r.returncode == EXIT_OUTPUT_EXISTS
    assert "--overwrite" in r.stderr and str(dest) in r.stderr
    assert [p.name for p in dest.iterdir()] == ["keep.txt"]
    r = run("compare", bundle, bundle, "--out", dest)
    assert r.returncode == EXIT_OUTPUT_EXISTS and "--overwrite" in r.stderr


def complete(line):
    """The completions bash offers for the command line `line` (the cursor at its end), from the completion script."""
    script = 'source "%s"\nCOMP_LINE=%s\nread -ra COMP_WORDS <<< "$COMP_LINE"\n' \
             '[[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")\nCOMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n' \
             '_parksim\nprintf "%%s\\n" "${COMPREPLY[@]}"\n' % (COMPLETION, json.dumps(line))
    r = subprocess.run(["bash", "--norc", "-c", script], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    return [w for w in r.stdout.splitlines() if w]


def help_options(run, command):
    r = run(command, "--help")
    assert r.returncode == 0
    # The option list only (lines "  -h,--help ..." / "  --out TEXT ..."), not the examples naming other commands.
    return set(re.findall(r"^\s+(?:-\w,)?(--[a-z][a-z-]*)", r.stdout, re.M)) - {"--version"}


def test_bash_completion_offers_every_command_and_exactly_each_commands_options(run):
    assert set(complete("parksim ")) == set(COMMANDS) | {"--max-memory", "--help", "--version"}
    assert complete("parksim va") == ["validate"]
    assert complete("parksim --max-memory 8G ru") == ["run"]  # a global option's value is no command
    for command in COMMANDS:
        assert set(complete("parksim %s --" % command)) == help_options(run, command), command
    assert complete("parksim export out --format g") == ["gpkg", "geojson"]
    assert complete("parksim run x.toml --format shp,") == ["shp,shp", "shp,fgb", "shp,geojson"]
    assert complete("parksim calibrate x.toml --learner b") == ["boosted"]
    assert complete("parksim optimize x.toml --algorithm m") == ["moead"]


def test_the_build_installs_the_command_its_man_page_and_its_completion(tmp_path):
    build = Path(os.environ["PARKSIM_BUILD_DIR"])
    r = subprocess.run(["cmake", "--install", build, "--component", "cli", "--prefix", tmp_path],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    man = tmp_path / "share" / "man" / "man1" / "parksim.1"
    assert (tmp_path / "bin" / "parksim").is_file()
    assert (tmp_path / "share" / "bash-completion" / "completions" / "parksim").read_bytes() == COMPLETION.read_bytes()
    page = man.read_text(encoding="utf-8")
    assert page.startswith(".\\\" DO NOT MODIFY THIS FILE!  It was generated by help2man")
    assert '.TH PARKSIM "1"' in page
    # The page renders without a roff warning and documents every command with its options.
    groff = shutil.which("groff")
    if groff is None:
        pytest.fail("groff is not installed (Debian's groff-base)")
    r = subprocess.run([groff, "-man", "-Tutf8", "-ww", str(man)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    text = re.sub(r".\x08", "", r.stdout)
    for command in COMMANDS:
        assert "parksim %s" % command in text, command
    for option in ("--overwrite", "--json", "--format", "--class-keys"):
        assert option in text, option
