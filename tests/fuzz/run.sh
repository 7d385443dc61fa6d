#!/usr/bin/env bash
# Runs every fuzz target of a built tests/fuzz project for SECONDS each, JOBS at a time, from
# its seed corpus (tests/fuzz/corpus/<target>) plus what earlier runs kept (BUILD_DIR/corpus).
# Prints executions per target and fails when any target found a crash, a leak or a hang; the
# input that did it is saved under BUILD_DIR/crashes/.
# Usage: run.sh BUILD_DIR [SECONDS=300] [JOBS=2]
set -euo pipefail
build_dir="$(cd "$1" && pwd)"
seconds="${2:-300}"
jobs="${3:-2}"
seeds="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/corpus"
mkdir -p "$build_dir/crashes" "$build_dir/logs"

fuzz_one() {
  local target="$1"
  mkdir -p "$build_dir/corpus/$target"
  local status=0
  # -timeout: one input running this long is a hang worth a report, even on a loaded machine.
  "$build_dir/$target" -max_total_time="$seconds" -timeout=25 -print_final_stats=1 \
      -artifact_prefix="$build_dir/crashes/$target-" \
      "$build_dir/corpus/$target" "$seeds/$target" >"$build_dir/logs/$target.log" 2>&1 || status=$?
  local runs
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$build_dir/logs/$target.log" | tail -1)"
  echo "$target ${runs:-0} $status" >"$build_dir/logs/$target.result"
}
export -f fuzz_one
export build_dir seconds seeds

rm -f "$build_dir"/logs/*.result
xargs -P "$jobs" -I{} bash -c 'fuzz_one {}' <"$build_dir/targets.txt"

failed=0
printf '%-22s %14s  %s\n' target executions result | tee "$build_dir/fuzz-results.txt"
while read -r target; do
  read -r _ runs status <"$build_dir/logs/$target.result"
  if [ "$status" = 0 ]; then
    result="clean (${seconds} s)"
  else
    result="FAILED (exit $status, log $build_dir/logs/$target.log)"
    failed=1
  fi
  printf '%-22s %14s  %s\n' "$target" "$runs" "$result" | tee -a "$build_dir/fuzz-results.txt"
done <"$build_dir/targets.txt"

if [ "$failed" != 0 ]; then
  for log in "$build_dir"/logs/*.log; do
    if grep -q -E '^==[0-9]+==ERROR|^SUMMARY|deadly signal|property broken' "$log"; then
      echo "===== $(basename "$log") ====="
      grep -v -E '^#[0-9]+' "$log" | tail -60
    fi
  done
  echo "fuzz: a target failed; reproduce with BUILD_DIR/<target> BUILD_DIR/crashes/<file>" >&2
fi
exit "$failed"
