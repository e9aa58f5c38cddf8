"""Example 03 (ensembles on a cluster): how sure are we? A probability-of-development map from a Dask ensemble.

    PYTHONPATH=build/dev/python:bindings/python /usr/bin/python3 examples/03_ensemble_dask.py --runs 20

parksim.ensemble() runs the engine's ensemble - runs 0..N-1 of the seed, the same runs as
`parksim run --runs N` - cut into pieces of consecutive runs on a Dask cluster, and merges the pieces' integer
counts. Here it starts a LocalCluster on this machine (client="local": process workers, one thread each, listening
on 127.0.0.1 only, no dashboard) and closes it afterwards; process workers import this script again, which is why
it has a main guard. Without a client argument, ensemble() uses the current Dask client if there is one and else
runs in this process. To use a real cluster, start a scheduler and workers whose Python can import parksim, and
pass a client:

    dask-scheduler --host 10.0.0.5                       # on the scheduler machine
    PYTHONPATH=... dask-worker tcp://10.0.0.5:8786 --nthreads 1   # on each worker machine
    python3 examples/03_ensemble_dask.py --scheduler tcp://10.0.0.5:8786

The result is the same for a seed whichever way it runs (in-process with --serial, local cluster, real cluster) and
equals the ensemble of parksim.run(sc, seed=..., runs=N). The bundled park data is schematic (geodata/PROVENANCE.md),
so the map shows how the model behaves, not a forecast.
Writes OUT/03_probability.png and OUT/03_fillup.csv.
"""

import numpy as np

import parksim
from _settings import load, parser


def main(argv=None):
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=20, help="runs in the ensemble")
    p.add_argument("--scheduler", default=None, help="address of a running Dask scheduler (tcp://host:8786)")
    p.add_argument("--serial", action="store_true", help="run in this process, no Dask")
    args = p.parse_args(argv)
    sc = load(args)
    seed = args.seed if args.seed is not None else sc["seed"]

    if args.serial:
        ens = parksim.ensemble(sc, runs=args.runs, seed=seed, client=False)
    elif args.scheduler:
        from distributed import Client

        with Client(args.scheduler) as client:
            ens = parksim.ensemble(sc, runs=args.runs, seed=seed, client=client)
    else:
        ens = parksim.ensemble(sc, runs=args.runs, seed=seed, client="local")  # started and closed here
    print(ens)

    dist = ens.fillup_distribution("3")
    print("Phase 3 fill-up year over the runs (-1 = not by the end):")
    print(dist.to_string())
    dist.to_csv(f"{args.out}/03_fillup.csv")
    filled = dist[dist.index > 0]
    if filled.sum():
        print(f"P(phase 3 full by {ens.end_year}) = {filled.sum() / ens.runs:.0%}, "
              f"median year {int(np.median(ens.fillup_years['3'][ens.fillup_years['3'] > 0]))}")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    g = ens.grid
    min_x, min_y, max_x, max_y = g.bounds
    extent = (min_x, max_x, min_y, max_y)
    fig, ax = plt.subplots(figsize=(6, 6))
    im = ax.imshow(ens.built_probability(), extent=extent, cmap="magma_r", vmin=0, vmax=1)
    fig.colorbar(im, ax=ax, shrink=0.7, label=f"P(developed in {ens.end_year})")
    ax.set_title(f"{ens.runs} runs, seed {seed} (schematic data)")
    ax.set_xlabel(f"easting, m ({g.crs})")
    ax.set_ylabel("northing, m")
    out = f"{args.out}/03_probability.png"
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    print("Figure:", out)
    return ens


if __name__ == "__main__":
    main()
