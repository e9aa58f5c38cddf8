"""Example 05 (optimisation trade-off): what does the health-industry land target cost in suitability?

    PYTHONPATH=build/dev/python:bindings/python /usr/bin/python3 examples/05_allocation_tradeoff.py

The 14th Five-Year Plan asks for at least 3,000 mu of pharma/health industry land. The parcel allocation (a MILP
on CBC) maximises the total suitability of what it allocates subject to that floor. This example re-solves it for
a range of floors (alloc.min_health_industry_mu) and plots the objective - total suitability - against the
target, with the floor's shadow price: the suitability one more mu of health-industry land costs. Infeasible
targets are reported with the engine's diagnosis, not dropped silently.
Writes OUT/05_tradeoff.csv and OUT/05_tradeoff.png.
"""

import copy

import numpy as np
import pandas as pd

import parksim
from _settings import load, parser


def main(argv=None):
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--targets", default="0,2000,3000,4000,5000,6000,7000,8000", help="health-industry floors, mu")
    p.add_argument("--time-limit", type=float, default=None, help="CBC time limit per solve, s")
    args = p.parse_args(argv)
    base = load(args)
    if args.time_limit:
        base["alloc.time_limit_s"] = args.time_limit
    rows = []
    for target in [float(t) for t in args.targets.split(",")]:
        sc = copy.copy(base)
        sc["alloc.min_health_industry_mu"] = target
        res = parksim.run(sc, seed=args.seed)
        a = res.allocation()
        cons = a["constraints"]
        floor = cons[cons.name.astype(str).str.startswith("health_industry")]  # no such row when the floor is 0
        ind = res.indicators()
        health = ind[ind.indicator_id == "health_industry_land_mu"].value
        rows.append({
            "target_mu": target, "status": a["status"], "objective": a["objective"], "gap_pct": a["gap_pct"],
            "health_mu": float(health.iloc[-1]) if len(health) else np.nan,
            "shadow_price": float(floor.shadow_price.iloc[0]) if len(floor) else np.nan,
            "diagnosis": "; ".join(a["diagnosis"]),
        })
    table = pd.DataFrame(rows)
    print(table.drop(columns="diagnosis").to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    for _, r in table[table.diagnosis != ""].iterrows():
        print(f"  {r.target_mu:.0f} mu: {r.diagnosis}")
    feasible = table[table.status.isin(["optimal", "feasible"])]
    binding = feasible[feasible.shadow_price.abs() > 1e-9].target_mu
    print("Floors that cost suitability (shadow price > 0):",
          ", ".join(f"{t:.0f} mu" for t in binding) if len(binding) else "none of the feasible ones")
    table.to_csv(f"{args.out}/05_tradeoff.csv", index=False)

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ok = table[table.status.isin(["optimal", "feasible"])]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(ok.target_mu, ok.objective, "o-")
    for _, r in table[~table.status.isin(["optimal", "feasible"])].iterrows():
        ax.axvline(r.target_mu, color="red", ls=":", label=f"{r.status} at {r.target_mu:.0f} mu")
    ax.axvline(3000, color="grey", ls="--", label="plan floor 3,000 mu")
    ax.set_xlabel("health-industry land floor, mu")
    ax.set_ylabel("total suitability (allocation objective)")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(f"{args.out}/05_tradeoff.png", dpi=120)
    return table


if __name__ == "__main__":
    main()
