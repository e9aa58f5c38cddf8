#!/bin/bash
# Skill on Plum Island, protocol A (../shared/data/pie/README.md): calibrate on 1985 + 1991, forecast 1999 from the
# 1991 map, score the change 1991 -> 1999 next to persistence and proximity, for each learner given (DEFAULT auto).
#   bench/skill/protocol_a.sh [PARKSIM] [LEARNER...]
# Skips (exit 0) when the data is absent. Figures go to bench/RESULTS.md by hand, with the machine and load.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pie=$(cd "$root/.." && pwd)/shared/data/pie
parksim=${1:-$root/build/dev/bin/parksim}
shift || true
learners=("${@:-auto}")
if [ ! -f "$pie/lu_1999.tif" ]; then
  echo "protocol A: $pie not found, skipped"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s|@PIE@|$pie|g" "$here/pie_study.toml.in" >"$work/pie.toml"
for learner in "${learners[@]}"; do
  echo "== protocol A, learner $learner"
  "$parksim" skill "$work/pie.toml" --holdout 1999 --learner "$learner" --out "$work/$learner" |
    grep -E "^At the|figure_of_merit  |proximity null|^Wall"
done
