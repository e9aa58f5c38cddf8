#!/usr/bin/env bash
# Runs one libFuzzer target for FUZZ_SECONDS (DEFAULT 30) from its seed corpus and fails on any finding: a crash or
# sanitizer report, a leak, an input slower than 30 s (generous: the machine may be shared), or more than 2 GB of memory. New inputs go to a working corpus
# in the build folder (the seeds in the source tree are never written); a finding is saved there as crash-*, leak-*,
# timeout-* or oom-* and the run exits non-zero. The last lines give the executions and the findings.
# Usage: tools/run-fuzzer.sh FUZZER SEED_CORPUS WORK_DIR
set -euo pipefail
fuzzer=$1 seeds=$2 work=$3
seconds=${FUZZ_SECONDS:-30}
mkdir -p "$work/corpus" "$work/artifacts"
log="$work/last-run.log"
set +e
"$fuzzer" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds" >"$log" 2>&1
status=$?
set -e
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
if [ "$status" -ne 0 ]; then
  tail -60 "$log"
  echo "$(basename "$fuzzer"): FAILED (exit $status) after ${runs:-?} executions in ${seconds} s; artifacts: $work/artifacts"
  exit 1
fi
echo "$(basename "$fuzzer"): ${runs:-0} executions in ${seconds} s, 0 crashes (corpus $(ls "$work/corpus" | wc -l) inputs)"
