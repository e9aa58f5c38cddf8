"""Example 04 (calibration): choose the enterprise growth rate that best reproduces an observed map.

    PYTHONPATH=build/dev/python:bindings/python /usr/bin/python3 examples/04_calibrate.py

No surveyed land-use map of the park for a later year is bundled (geodata/PROVENANCE.md), so this example runs a
*twin experiment*: the "observed" map is the engine's own map at a known growth rate (--true-rate) and another
seed, and parksim.calibrate() has to find that rate again from a grid of candidates, scoring each candidate's map
next to the persistence (no-change) model. The growth rate sets *how much* land changes, so it is calibrated on
quantity disagreement (Pontius & Millones 2011); the Figure of Merit then judges *where* the change went. The
table shows why: on this park the Figure of Merit keeps rising past the true rate (more simulated change catches
more of the observed change once the phase saturates), so calibrating on it alone picks too fast a growth. Replace `observed` with a real classified map
on the run's grid (uint8, the simulation's class ids, 255 = no data) to calibrate for real.
Writes OUT/04_calibration.csv and OUT/04_calibration.png.
"""

import copy

import parksim
from _settings import load, parser


def main(argv=None):
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--true-rate", type=float, default=0.08, help="growth rate that made the 'observed' map")
    p.add_argument("--candidates", default="0.02,0.04,0.06,0.08,0.10,0.12,0.14")
    p.add_argument("--metric", default="quantity_disagreement", help="score to optimise (see parksim.calibrate)")
    args = p.parse_args(argv)
    sc = load(args)
    sc["alloc.enabled"] = False
    end = sc["years.end"]

    truth = copy.copy(sc)
    truth["demand.enterprise_growth_rate"] = args.true_rate
    observed_run = parksim.run(truth, seed=12345)
    observed = observed_run.landuse(end)  # the synthetic observation

    candidates = [float(v) for v in args.candidates.split(",")]
    cal = parksim.calibrate(sc, observed, key="demand.enterprise_growth_rate", values=candidates, year=end,
                            metric=args.metric, seed=777,
                            progress=lambda done, total, v: print(f"  candidate {done}/{total}: {v}"))
    print(cal)
    cols = ["value", "quantity_disagreement", "allocation_disagreement", "figure_of_merit", "kappa_simulation",
            "persistence_total_disagreement"]
    print(cal.table[cols].to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    v = cal.validation
    print(f"Best rate by {args.metric}: {cal.best_value:.2f}/yr (true {args.true_rate:.2f}); Figure of Merit there "
          f"{v.model.fom.figure_of_merit:.3f}; beats persistence on total disagreement: "
          f"{v.beats_persistence_on_total_disagreement()}")
    by_fom = cal.table.value[cal.table.figure_of_merit.idxmax()]
    print(f"(The Figure of Merit alone would pick {by_fom:.2f}/yr.)")
    cal.table.to_csv(f"{args.out}/04_calibration.csv", index=False)

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(cal.table.value * 100, cal.table.quantity_disagreement, "o-", label="quantity disagreement")
    ax.plot(cal.table.value * 100, cal.table.allocation_disagreement, "s-", label="allocation disagreement")
    ax.set_ylabel(f"fraction of the map, {end}")
    ax2 = ax.twinx()
    ax2.plot(cal.table.value * 100, cal.table.figure_of_merit, "^--", color="tab:green", label="Figure of Merit")
    ax2.set_ylabel("Figure of Merit")
    ax.axvline(args.true_rate * 100, color="grey", ls=":", label="true rate")
    ax.set_xlabel("enterprise growth, % per year")
    ax.legend(loc="upper center", fontsize=8)
    ax2.legend(loc="upper right", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(f"{args.out}/04_calibration.png", dpi=120)
    return cal


if __name__ == "__main__":
    main()
