#!/usr/bin/env bash
# `make bench`: the benchmark suite (placeholder until the suite of issue 9 replaces it): builds
# Release and runs the in-process benchmarks against 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" --target slack_ack_latency scheduler_claim digest_all_teams
"./$BUILD_DIR/bench/slack_ack_latency" 2000 4 100
"./$BUILD_DIR/bench/scheduler_claim" 100000
"./$BUILD_DIR/bench/digest_all_teams" 1000 8 12
