"""Shared command-line settings of the Python examples: which scenario, and how small to run it.

Every example runs the real engine. The DEFAULTs are the scenario's own settings (the bundled baseline: 30 m
cells, 2025-2035); --cell-size and --end-year make a quick run (the test suite uses them).
"""

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"


def parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--scenario", default=str(BASELINE), help="scenario file (DEFAULT: scenarios/baseline.toml)")
    p.add_argument("--seed", type=int, default=None, help="root seed (DEFAULT: the scenario's)")
    p.add_argument("--cell-size", type=float, default=None, help="grid cell size in m (DEFAULT: the scenario's)")
    p.add_argument("--end-year", type=int, default=None, help="last simulated year (DEFAULT: the scenario's)")
    p.add_argument("--out", default="example-output", help="folder for figures and tables")
    return p


def load(args):
    """The scenario with the size settings of `args` applied."""
    import parksim

    sc = parksim.load_scenario(args.scenario)
    if args.cell_size:
        sc["grid.cell_size_m"] = args.cell_size
    if args.end_year:
        sc["years.end"] = args.end_year
        start = sc["years.start"]
        sc["outputs.key_years"] = sorted({y for y in sc["outputs.key_years"] if y <= args.end_year} |
                                         {start, args.end_year})
    Path(args.out).mkdir(parents=True, exist_ok=True)
    return sc
