#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, runs the whole
# test suite (UI tests start their own Xvfb), then the unit and data tests
# once more under AddressSanitizer and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

if [ -f build-test/build.ninja ]; then
  meson setup --reconfigure build-test -Dwerror=true >/dev/null
else
  meson setup build-test -Dwerror=true
fi
meson compile -C build-test
meson test -C build-test --print-errorlogs --no-suite bench

if [ -f build-asan/build.ninja ]; then
  meson setup --reconfigure build-asan -Dgtk=false >/dev/null
else
  meson setup build-asan -Dgtk=false -Db_sanitize=address,undefined -Db_lundef=false
fi
meson compile -C build-asan
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
ASAN_OPTIONS=detect_leaks=1 \
LSAN_OPTIONS=suppressions="$PWD/tests/lsan.supp":print_suppressions=0 \
  meson test -C build-asan --print-errorlogs --suite unit --suite data

# The benchmarks run small here (figures for the README come from
# scripts/bench.sh at full size).
JOREN_BENCH_SMALL=1 meson test -C build-test --print-errorlogs --suite bench

# A minute of libFuzzer over the server's request handling (tests/fuzz-sync.c)
# with clang, the whole tree instrumented, ASan and UBSan. New inputs go to
# a scratch directory; the seeds stay in tests/fuzz/corpus/.
if command -v clang >/dev/null; then
  if [ ! -f build-fuzz/build.ninja ]; then
    CC=clang meson setup build-fuzz -Dgtk=false -Db_sanitize=address,undefined \
      -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link
  fi
  meson compile -C build-fuzz tests/fuzz-sync
  fuzz_dir=$(mktemp -d)
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    build-fuzz/tests/fuzz-sync -max_total_time="${JOREN_FUZZ_SECONDS:-60}" \
      -rss_limit_mb=2048 "$fuzz_dir" tests/fuzz/corpus
  rm -rf "$fuzz_dir"
fi
