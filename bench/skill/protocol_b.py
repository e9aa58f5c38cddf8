#!/usr/bin/python3
"""Skill on Plum Island, protocol B (the peers' protocol of ../shared/data/pie/README.md): start from the 1985 map
with each year's class totals given (interpolated from the observed 1985, 1991 and 1999 maps, as lulcc does), score
1999 against 1985. The suitability and [sim] parameters are calibrated on 1985 + 1991 (parksim fits transitions, so
it sees the 1991 map, where lulcc fits occurrence on 1985 alone: more information than the peers had, stated with
the figures). Reports the FoM of the expected map of a 10-run ensemble and of run 0, next to the proximity null at
the same quantity.

    bench/skill/protocol_b.py [--runs N] [--learner auto]

Skips (exit 0) when the data is absent. Run from the repository root after `make dev` (uses build/dev)."""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIE = ROOT.parent / "shared" / "data" / "pie"
sys.path[:0] = [str(ROOT / "build" / "dev" / "python"), str(ROOT / "bindings" / "python")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--learner", default="auto")
    args = ap.parse_args()
    if not (PIE / "lu_1999.tif").is_file():
        print(f"protocol B: {PIE} not found, skipped")
        return
    import numpy as np
    from osgeo import gdal

    import parksim
    from parksim import metrics

    started = time.time()
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        text = (Path(__file__).parent / "pie_study.toml.in").read_text(encoding="utf-8").replace("@PIE@", str(PIE))
        text = text.replace('1999 = "%s/lu_1999.tif"\n' % PIE, "")
        (work / "pie.toml").write_text(text, encoding="utf-8")
        cal = parksim.calibrate(str(work / "pie.toml"), folder=work / "calib", learner=args.learner)

        maps = {y: gdal.Open(str(PIE / f"lu_{y}.tif")).ReadAsArray() for y in (1985, 1991, 1999)}
        cell_km2 = abs(np.prod(gdal.Open(str(PIE / "lu_1985.tif")).GetGeoTransform()[1:6:4])) / 1e6
        sc = parksim.load_scenario(cal.path)
        sc.remove("study.maps.1991")
        sc.set("years.end", 1999)
        sc.set("demand.method", "class_areas")
        codes = {"forest": 1, "built": 2, "other": 3}
        for key, code in codes.items():
            for year in (1991, 1999):
                sc.set(f"demand.class_area_km2.{key}.{year}", float((maps[year] == code).sum()) * cell_km2)
        res = parksim.run(sc, runs=args.runs, seed=1)

        # Class ids of the run -> the maps' codes.
        code_of = np.full(256, 0, dtype=np.uint8)
        for c in res.classes:
            code_of[c["id"]] = codes[c["key"]]
        nodata = maps[1985] == 0
        initial, observed = maps[1985], maps[1999]

        def as_codes(ids):
            out = code_of[np.asarray(ids)]
            out[nodata] = 0
            return out

        counts = np.stack([np.nan_to_num(res.probability(c["id"])) * args.runs for c in res.classes])
        counts = np.rint(counts).astype(np.uint16)
        quantity = [int((observed == codes[c["key"]]).sum()) for c in res.classes]
        expected = metrics.expected_map(counts, quantity, seed=1)
        expected_codes = as_codes(np.asarray(expected.map))
        single = as_codes(res.landuse(1999))
        fom = {
            "expected map": metrics.figure_of_merit(initial, observed, expected_codes, nodata=0),
            "run 0": metrics.figure_of_merit(initial, observed, single, nodata=0),
        }
        gains = metrics.class_gains(initial, observed, nodata=0)
        nulls = metrics.proximity_null(initial, {2: gains.get(2, 0)}, seed=0, draws=10, observed=observed, nodata=0)
        null_fom = [n.validation.model.fom.figure_of_merit for n in nulls]
    print(f"protocol B, learner {args.learner}, {args.runs} runs; totals given (observed), scored 1999 against 1985")
    for name, f in fom.items():
        print(f"  parksim {name:14s} FoM {f:.4f}")
    print(f"  proximity null (new Built nearest to 1985 Built, 10 draws) FoM {np.mean(null_fom):.4f} "
          f"+- {np.std(null_fom, ddof=1):.4f}")
    print(f"  wall {time.time() - started:.1f} s")


if __name__ == "__main__":
    main()
