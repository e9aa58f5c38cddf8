#!/usr/bin/env bash
# The main job behind `make run`. Grows with the project: it runs the newest end-to-end path.
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/.."
"$build/bin/parksim" info geodata/zgc_life_science_park.gpkg
