#!/usr/bin/env bash
# Runs ctest in a sanitizer build dir (make test-asan / test-tsan) and fails when any process,
# a test binary or an okr-coach child it spawned, wrote a sanitizer report, even if the test
# around it passed. Reports are printed at the end. Usage: run_ctest.sh BUILD_DIR [ctest args]
set -euo pipefail
build_dir="$(cd "$1" && pwd)"
shift
logs="$build_dir/sanitizer-logs"
rm -rf "$logs"
mkdir -p "$logs"

mode="$(sed -n 's/^OKR_SANITIZE:STRING=//p' "$build_dir/CMakeCache.txt")"
launcher=()
# ThreadSanitizer's fixed memory layout breaks when the kernel randomises mmap with more than
# 28 bits ("FATAL: ThreadSanitizer: unexpected memory mapping"). The documented workaround is
# running without address-space randomisation; setarch -R does that for ctest and every child.
if [ "$mode" = "thread" ] && [ "$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 28)" -gt 28 ]; then
  launcher=(setarch "$(uname -m)" -R)
  echo "run_ctest: vm.mmap_rnd_bits > 28, running ThreadSanitizer tests under setarch -R"
fi

status=0
(cd "$build_dir" && "${launcher[@]}" ctest --output-on-failure "$@") || status=$?

reports=("$logs"/*)
if [ -e "${reports[0]}" ]; then
  for report in "${reports[@]}"; do
    echo "===== sanitizer report: $(basename "$report") ====="
    cat "$report"
  done
  echo "run_ctest: ${#reports[@]} sanitizer report(s) in $logs (${mode:-no} sanitizer)" >&2
  status=1
else
  echo "run_ctest: no sanitizer reports (${mode:-no} sanitizer)"
fi
exit "$status"
