#!/usr/bin/env bash
# sanitizer_canary: runs the canary with a clean environment except for a private log path, and
# passes only when it failed and left a sanitizer report there. Usage: expect_report.sh CANARY
set -uo pipefail
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
env -i ASAN_OPTIONS="log_path=$logs/report" TSAN_OPTIONS="log_path=$logs/report" "$1"
status=$?
reports=("$logs"/report.*)
if [ "$status" -ne 0 ] && [ -e "${reports[0]}" ]; then
  echo "canary reported as expected (exit $status): $(grep -m1 -E 'ERROR|WARNING' "${reports[0]}")"
  exit 0
fi
echo "canary: exit $status and no report in $logs: sanitizer findings would go unnoticed" >&2
exit 1
