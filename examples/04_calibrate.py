"""Example 04 (calibration): calibrate the land-use simulation on a time series of maps, as `parksim calibrate`.

    PYTHONPATH=build/dev/python:bindings/python /usr/bin/python3 examples/04_calibrate.py

SCHEMATIC DATA, SYNTHETIC "OBSERVATIONS". No surveyed land-use maps of the park are bundled (the park geometry is
schematic, geodata/PROVENANCE.md), so this is a *twin experiment*: the engine runs the scenario with KNOWN
simulation parameters (--true-*), its maps of the start year and of three later years are the "observed" series,
and parksim.calibrate() - the engine's calibration - has to find the parameters again from those maps alone:
  1. a suitability model per growing class fitted on the first interval, on the run's own driver grids
     (Result.drivers(): distances to G6, G7, stations, Beiqing Road, corridor tier) plus the distance to the
     class's own cells (--no-drivers: that distance only); what the generating run also used - zoning, phase
     opening, the priority bonus - is not given to it;
  2. neighbourhood_weight, inertia_adaptation, patch_share and patch_size_mean_cells tuned on the second interval;
  3. the last map predicted from the one before and scored against the "observed" map next to persistence.
The tuned values are printed next to the known ones: where they differ, the calibration compensates for the
suitability it was not given (identifiability is the lesson, not a bug). On coarse cells (the test settings) few
cells change per interval and the figures are weak; at the scenario's 30 m cells they mean more.
The calibration names classes by the run's keys (class_keys) and writes a complete calibrated scenario of the maps
(calibrated.toml: the maps as GeoTIFFs, the drivers, the fitted suitability, the tuned [sim]); CalibrationResult.apply()
moves its suitability (suitability.mode = "given", the dist_class_<class>_m drivers it declared) and [sim] into the
park scenario, which is run over the whole period and scored next to the uncalibrated one. At the scenario's 30 m
cells the uncalibrated scenario scores far better (it shares the generator's zoning and suitability fit: FoM 0.82
against 0.37 when this was written) - the lesson is what a calibration can and cannot see in its maps and drivers,
not a recipe. A last section keeps the other tool, parksim.calibrate_key(): a grid search over one scenario key (the
enterprise growth rate, which sets *how much* land changes), scored on quantity disagreement.
Writes OUT/04_calibration/calibrated.toml (+ inputs/, the maps and drivers as GeoTIFFs) and calibration_metrics.csv,
OUT/04_evaluations.csv and OUT/04_calibration.png (observed vs predicted last map, objective by evaluation).
For your own rasters see example 06.
"""

import copy

import numpy as np

import parksim
from _settings import load, parser

SEARCHED = ["neighbourhood_weight", "inertia_adaptation", "patch_share", "patch_size_mean_cells"]


def main(argv=None):
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--true-neighbourhood-weight", type=float, default=0.5, help="known sim.neighbourhood_weight")
    p.add_argument("--true-patch-share", type=float, default=0.3, help="known sim.patch_share")
    p.add_argument("--true-patch-size", type=float, default=6.0, help="known sim.patch_size_mean_cells")
    p.add_argument("--budget", type=int, default=40, help="objective evaluations of the search")
    p.add_argument("--runs-per-evaluation", type=int, default=4)
    p.add_argument("--true-rate", type=float, default=0.08, help="growth rate of the calibrate_key twin")
    p.add_argument("--candidates", default="0.02,0.08,0.14", help="growth rates tried by calibrate_key")
    p.add_argument("--metric", default="quantity_disagreement", help="score calibrate_key optimises")
    p.add_argument("--no-drivers", action="store_true", help="fit suitability on the distance to each class only")
    args = p.parse_args(argv)
    sc = load(args)
    sc["alloc.enabled"] = False

    # -- the synthetic "observed" series: the engine with known parameters
    truth = copy.copy(sc)
    known = {"neighbourhood_weight": args.true_neighbourhood_weight, "patch_share": args.true_patch_share,
             "patch_size_mean_cells": args.true_patch_size}
    for key, value in known.items():
        truth[f"sim.{key}"] = value
    known["inertia_adaptation"] = truth["sim.inertia_adaptation"]
    observed_run = parksim.run(truth, seed=12345)
    start, end = observed_run.start_year, observed_run.end_year
    if end - start < 3:
        p.error("the twin needs at least 3 simulated years (--end-year >= start + 3)")
    years = sorted({start + round(k * (end - start) / 3) for k in range(4)})
    maps = {y: observed_run.landuse(y) for y in years}
    classes = {c["id"]: c["key"] for c in observed_run.classes}

    # -- the engine's calibration from the maps alone
    # The run's drivers at the start year; dist_built_m is left out (the calibration adds the distance to each
    # class's own cells at the start of each interval itself).
    drivers = {} if args.no_drivers else {k: v for k, v in observed_run.drivers().items() if k != "dist_built_m"}
    cal = parksim.calibrate(maps, grid=observed_run.grid, drivers=drivers, class_keys=observed_run.classes,
                            budget=args.budget,
                            runs_per_evaluation=args.runs_per_evaluation, seed=args.seed or 1)
    print(cal)
    print(f"Series: {len(years)} maps {', '.join(map(str, years))} on {observed_run.grid.rows} x "
          f"{observed_run.grid.cols} cells of {observed_run.grid.cell_size_m:g} m")
    print(f"\nSuitability fitted on {years[0]}-{years[1]}:")
    for f in cal.fits:
        terms = ", ".join(f"{k} {v:+.4g}" for k, v in f.raw_coefficients.items())
        print(f"  class {f.class_id} ({classes.get(f.class_id, '?')}): {f.changed_cells} cells changed, "
              f"training AUC {f.training_auc:.3f}; {terms}")
    print(f"\nTuned on {years[1]}-{years[2]}: {len(cal.evaluations)} evaluations (a grid at the same resolution: "
          f"{cal.grid_evaluations:.0f}), objective {cal.best_objective:.4f}")
    print(f"  {'parameter':<24}{'tuned':>10}{'known':>10}")
    for name in SEARCHED:
        note = "" if name in cal.tuned else "  (not tuned: one growing class)"
        print(f"  {name:<24}{cal.params[name]:>10.4f}{known[name]:>10.4f}{note}")

    v = cal.validation
    in_sample = " (IN-SAMPLE)" if cal.validation_in_sample else ""
    print(f"\nValidation of {years[-1]} predicted from {years[-2]}{in_sample}:")
    print(f"  {'metric':<22}{'model':>10}{'persistence':>13}")
    for label, get in [("figure_of_merit", lambda s: s.fom.figure_of_merit),
                       ("kappa_simulation", lambda s: s.kappa.kappa_simulation),
                       ("total_disagreement", lambda s: s.disagreement.total),
                       ("quantity_disagreement", lambda s: s.disagreement.quantity),
                       ("allocation_disagreement", lambda s: s.disagreement.allocation)]:
        print(f"  {label:<22}{get(v.model):>10.4f}{get(v.persistence):>13.4f}")
    print(f"  beats persistence on total disagreement: {v.beats_persistence_on_total_disagreement()}, "
          f"on Kappa simulation: {v.beats_persistence_on_kappa_simulation()}")
    calibrated = cal.write(f"{args.out}/04_calibration", overwrite=True)
    cal.evaluations.to_csv(f"{args.out}/04_evaluations.csv")
    print(f"Calibrated scenario of the maps: {calibrated}")

    # -- the park scenario with the calibration applied (given suitability + tuned [sim]), run over the whole period
    applied = cal.apply(sc)
    for label, scenario in [("uncalibrated (the scenario's own [sim] and fitted suitability)", sc),
                            ("calibrated (the calibration applied)", applied)]:
        rerun = parksim.run(scenario, seed=12345)
        whole = parksim.metrics.validate(maps[start], maps[end], rerun.landuse(end), observed_run.grid.cell_size_m)
        print(f"{start}-{end} from the start map, {label}: Figure of Merit {whole.model.fom.figure_of_merit:.3f}, "
              f"total disagreement {whole.model.disagreement.total:.4f} (persistence "
              f"{whole.persistence.disagreement.total:.4f})")

    # -- the other tool: a grid search over one scenario key
    rate_truth = copy.copy(sc)
    rate_truth["demand.enterprise_growth_rate"] = args.true_rate
    observed_end = parksim.run(rate_truth, seed=12345).landuse(end)
    candidates = [float(x) for x in args.candidates.split(",")]
    by_key = parksim.calibrate_key(sc, observed_end, key="demand.enterprise_growth_rate", values=candidates,
                                   year=end, metric=args.metric, seed=777)
    print(f"\ncalibrate_key: best enterprise growth rate by {args.metric}: {by_key.best_value:.2f}/yr "
          f"(true {args.true_rate:.2f}) among {', '.join(f'{c:.2f}' for c in candidates)}")

    _figure(maps[years[0]], maps[years[-1]], cal, observed_run.classes, years[-1], f"{args.out}/04_calibration.png")
    return cal


def _figure(first, observed, cal, classes, year, path):
    """Observed vs predicted last map, cropped to where the series changes, in the classes' colours; and the
    objective of every evaluation of the search."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    changed = np.argwhere((first != observed) | (cal.predicted != first))
    (r0, c0), (r1, c1) = (changed.min(axis=0), changed.max(axis=0)) if len(changed) else ((0, 0), first.shape)
    pad = 10
    window = (slice(max(r0 - pad, 0), r1 + pad + 1), slice(max(c0 - pad, 0), c1 + pad + 1))
    colours = [c["colour"] for c in sorted(classes, key=lambda c: c["id"])]
    cmap = ListedColormap(colours)
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.2))
    for ax, data, title in [(axes[0], observed, f"observed {year} (synthetic)"),
                            (axes[1], cal.predicted, f"predicted {year}")]:
        ax.imshow(np.ma.masked_equal(data[window], 255), cmap=cmap, vmin=-0.5, vmax=len(colours) - 0.5,
                  interpolation="nearest")
        ax.set_title(title)
        ax.set_axis_off()
    ev = cal.evaluations
    axes[2].plot(ev.index + 1, ev.objective, "o-", ms=3, label="evaluation")
    axes[2].plot(ev.index + 1, ev.objective.cummax(), "-", color="tab:red", label="best so far")
    axes[2].set_xlabel("evaluation")
    axes[2].set_ylabel("objective (FoM - pattern mismatch)")
    axes[2].legend(fontsize=8)
    axes[2].grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


if __name__ == "__main__":
    main()
