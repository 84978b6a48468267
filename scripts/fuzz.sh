#!/usr/bin/env bash
# Fuzzes gridlock's input parsers and gridlock-check's evaluator with libFuzzer (clang-16, with
# ASan+UBSan) for a fixed time each, starting from tests/fuzz/corpus/<target>:
#   options      the GRIDLOCK_OPTIONS parser
#   report_json  gridlock-report's JSON reader, then every renderer
#   api_config   gridlock-check's --api file reader
#   evaluator    gridlock-check's evaluator and rules, on small C++ programs that compile
# A crash fails the run; its input is copied to tests/fuzz/regressions/<target>/, which the
# regular test suite replays from then on (commit it with the fix).
#
#   scripts/fuzz.sh [SECONDS (default 60)]
#
# The evaluator (the newest and largest input surface) gets SECONDS; the three parsers, fuzzed
# in every CI run since they were written, half of it each.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
scripts/install-deps.sh
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-16 \
  -DCMAKE_CXX_COMPILER=clang++-16 -DGRIDLOCK_FUZZ=ON -DGRIDLOCK_BUILD_BENCHMARKS=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined" \
  -DGRIDLOCK_BUILD_EXAMPLES=ON >/dev/null
cmake --build build-fuzz --target options_fuzzer report_json_fuzzer api_config_fuzzer \
  evaluator_fuzzer
status=0
for target in options report_json api_config evaluator; do
  work="build-fuzz/fuzz-$target"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp -n tests/fuzz/corpus/$target/* "$work/corpus/" 2>/dev/null || true
  budget=$seconds
  [ "$target" = evaluator ] || budget=$((seconds / 2))
  echo "== $target: ${budget}s"
  if ! "build-fuzz/tests/${target}_fuzzer" "$work/corpus" -max_total_time="$budget" -timeout=10 \
      -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
      >"$work/log.txt" 2>&1; then
    status=1
    echo "   CRASH: see $work/log.txt"
    cp "$work"/artifacts/* "tests/fuzz/regressions/$target/" 2>/dev/null || true
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov: " "$work/log.txt" | tail -3 | sed 's/^/   /'
done
exit $status
