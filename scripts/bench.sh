#!/usr/bin/env bash
# Runs the benchmarks at full size (1,000,000 products) and prints the
# figures the README quotes. Takes about two minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
[ -f build-bench/build.ninja ] || meson setup build-bench --buildtype=release
meson compile -C build-bench
meson test -C build-bench --suite bench --verbose "$@"
