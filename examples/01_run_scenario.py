"""Example 01 (first steps): run a scenario and look at what it produced.

    PYTHONPATH=build/dev/python:bindings/python /usr/bin/python3 examples/01_run_scenario.py

Loads scenarios/baseline.toml, runs it once, prints the headline indicators (when phase 3 fills up, developed
land, the health-industry land the allocation provides), reads the land-use map of the last year as a numpy array
(a view of engine memory - no copy), summarises parcels from the GeoDataFrame, and writes the output bundle that
`parksim run --out` writes.
"""

import sys

import numpy as np

import parksim
from _settings import load, parser


def main(argv=None):
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--bundle", action="store_true", help="also write the output bundle into OUT/bundle")
    args = p.parse_args(argv)
    sc = load(args)
    print(f"Scenario '{sc.name}': {sc['years.start']}-{sc['years.end']}, {sc['grid.cell_size_m']:g} m cells, "
          f"enterprise growth {sc['demand.enterprise_growth_rate']:.0%}/yr")

    def progress(fraction, message):
        print(f"  {fraction:5.0%} {message}", file=sys.stderr)
        return True  # returning False would cancel the run (parksim.CancelledError)

    res = parksim.run(sc, seed=args.seed, progress=progress)
    print(res)

    ind = res.indicators()
    headline = ind[ind.indicator_id.isin(["plan_total_km2", "fillup_year_phase3", "health_industry_land_mu"])]
    print(headline[["year", "indicator_id", "label_en", "unit", "value"]].to_string(index=False))
    fill = res.phase_fillup_year.get("3", -1)
    print("Phase 3 fills up in", fill if fill > 0 else f"no year up to {res.end_year}")

    last = res.years[-1]
    land = res.landuse(last)  # uint8, 255 = outside the study area; land.base is res.raw
    cell_km2 = res.grid.cell_area_m2 / 1e6
    print(f"\nLand use {last} ({land.shape[0]} x {land.shape[1]} cells):")
    for c in res.classes:
        print(f"  {c['key']:<14} {np.count_nonzero(land == c['id']) * cell_km2:8.3f} km2"
              f"{'  (developed)' if c['built'] else ''}")

    parcels = res.parcels()
    newly = parcels[(parcels.dev_year > res.start_year)]
    print(f"\n{len(parcels)} parcels; {len(newly)} developed during the run, "
          f"{newly.area_m2.sum() / 1e6:.3f} km2 ({parksim.m2_to_mu(newly.area_m2.sum()):.0f} mu)")
    alloc = res.allocation()
    if alloc is not None:
        print(f"Allocation: {alloc['status']}, objective {alloc['objective']:.1f}, gap {alloc['gap_pct']:.2f} %")
    res.indicators().to_csv(f"{args.out}/01_indicators.csv", index=False)
    if args.bundle:
        res.write(f"{args.out}/bundle", overwrite=True)
        print(f"Bundle written to {args.out}/bundle (open results.gpkg in QGIS, report/index.html in a browser)")
    return res


if __name__ == "__main__":
    main()
