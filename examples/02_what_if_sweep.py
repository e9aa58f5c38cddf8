"""Example 02 (what-if study): how fast must enterprises grow for phase 3 to fill up, and when?

    PYTHONPATH=build/dev/python:bindings/python /usr/bin/python3 examples/02_what_if_sweep.py

Sweeps demand.enterprise_growth_rate from 2 % to 12 % a year, runs the scenario for each value (same seed, the
allocation switched off - it does not change when the phase fills up) and plots the year phase 3 fills up against
the growth rate into OUT/02_fillup_vs_growth.png. The runs go to a thread pool: the engine releases the GIL, so
they really run side by side.
"""

from concurrent.futures import ThreadPoolExecutor
import copy

import numpy as np

import parksim
from _settings import load, parser


def main(argv=None):
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--rates", default="0.02,0.03,0.04,0.05,0.06,0.07,0.08,0.09,0.10,0.11,0.12",
                   help="growth rates per year, comma-separated")
    p.add_argument("--workers", type=int, default=2, help="runs at the same time")
    args = p.parse_args(argv)
    base = load(args)
    base["alloc.enabled"] = False
    rates = [float(r) for r in args.rates.split(",")]
    end = base["years.end"]

    def one(rate):
        sc = copy.copy(base)
        sc["demand.enterprise_growth_rate"] = rate
        res = parksim.run(sc, seed=args.seed, threads=1)
        year = res.phase_fillup_year.get("3", -1)
        developed = res.indicators()
        developed = developed[(developed.indicator_id == "developed_km2") & (developed.year == end)].value
        return year, float(developed.iloc[0]) if len(developed) else float("nan")

    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(one, rates))

    print(f"{'growth %/yr':>11}  {'phase 3 full':>12}  {'developed km2 ' + str(end):>20}")
    for rate, (year, dev) in zip(rates, results):
        print(f"{rate * 100:11.1f}  {str(year) if year > 0 else 'not by ' + str(end):>12}  {dev:20.3f}")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    years = np.array([y if y > 0 else np.nan for y, _ in results], dtype=float)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(np.array(rates) * 100, years, "o-", label="fills up")
    missing = np.isnan(years)
    if missing.any():
        ax.plot(np.array(rates)[missing] * 100, np.full(missing.sum(), end + 0.5), "x", color="grey",
                label=f"not full by {end}")
    ax.set_xlabel("enterprise growth, % per year")
    ax.set_ylabel("year phase 3 fills up")
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_title(f"Phase 3 fill-up year ({base.name}, seed {args.seed or base['seed']})")
    ax.grid(alpha=0.3)
    ax.legend()
    out = f"{args.out}/02_fillup_vs_growth.png"
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    print("Figure:", out)
    return dict(zip(rates, results))


if __name__ == "__main__":
    main()
