#!/usr/bin/env bash
# bench-startup.sh: cold start of the register to its first painted frame
# on a catalogue of N products (JOREN_BENCH_PRODUCTS, default 1,000,000;
# 20,000 with JOREN_BENCH_SMALL) and M customers (JOREN_BENCH_CUSTOMERS,
# same defaults). Needs an X server: run under xvfb-run.
# Usage: bench-startup.sh JOREN JOREN_TOOL
set -euo pipefail
joren=$1 tool=$2
n=${JOREN_BENCH_PRODUCTS:-$([ -n "${JOREN_BENCH_SMALL:-}" ] && echo 20000 || echo 1000000)}
m=${JOREN_BENCH_CUSTOMERS:-$([ -n "${JOREN_BENCH_SMALL:-}" ] && echo 20000 || echo 1000000)}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$tool" --db "$dir/bench.db" --products "$n" --customers "$m"
# The first run warms the page cache, as on a till that was used yesterday.
"$joren" --db "$dir/bench.db" --quit-after-first-frame >/dev/null
for i in 1 2 3 4 5; do
  start=$(date +%s%N)
  frame=$("$joren" --db "$dir/bench.db" --quit-after-first-frame)
  end=$(date +%s%N)
  echo "run $i: $frame; whole process incl. exit $(( (end - start) / 1000000 )) ms ($n products, $m customers)"
done
