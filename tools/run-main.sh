#!/usr/bin/env bash
# The main job behind `make run`: the baseline scenario on the bundled geodata, ending in a report and exports.
# out/baseline is this job's own output, so it is replaced on every run.
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/.."
"$build/bin/parksim" run scenarios/baseline.toml --out out/baseline --format shp --overwrite
