#!/usr/bin/env bash
# Benchmark (not a test): gridlock-check against `clang -fsyntax-only` on the same files (the
# examples, the annotated inputs and the application-style corpus), one job each, each run REPEAT
# times interleaved; prints the median wall time of each and their ratio (target <= 1.3).
# Usage: bench/static_check_vs_syntax_only.sh [BUILD_DIR] [REPEAT]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
repeat=${2:-7}
files=(examples/*.cpp tests/analyzer/inputs/*.cpp tests/analyzer/corpus/*.cpp tests/analyzer/corpus/*/*.cpp)
flags=(-std=c++20 -Iruntime-hooks/include)
now() { date +%s%N; }
check=() syntax=()
for _ in $(seq "$repeat"); do
  t0=$(now)
  "$build/analyzer/gridlock-check" -j 1 "${files[@]}" -- "${flags[@]}" >/dev/null 2>&1 || true
  t1=$(now)
  for f in "${files[@]}"; do clang-16 -fsyntax-only "${flags[@]}" "$f"; done
  t2=$(now)
  check+=($(( (t1 - t0) / 1000000 ))) syntax+=($(( (t2 - t1) / 1000000 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mc=$(median "${check[@]}") ms=$(median "${syntax[@]}")
echo "files: ${#files[@]}, repetitions: $repeat"
echo "gridlock-check        median ${mc} ms  (all: ${check[*]})"
echo "clang -fsyntax-only   median ${ms} ms  (all: ${syntax[*]})"
awk -v c="$mc" -v s="$ms" 'BEGIN { printf "ratio gridlock-check / clang -fsyntax-only: %.2f\n", c / s }'
