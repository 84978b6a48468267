#!/usr/bin/env bash
# One command for every benchmark: builds gridlock for measuring (Release, no tests, no lock-order
# checks) in build-bench/, runs the Google Benchmark suites (repetitions interleaved at random,
# so a noisy neighbour hits every implementation alike), counts seq's instructions with callgrind,
# measures the preload on an unmodified std::mutex program (beside TSan's deadlock detector),
# and writes the Markdown table of ratios (medians and spread, all from this one run) to
# bench/RESULTS.md and stdout.
#
#   bench/run.sh [REPETITIONS (default 7)]
set -euo pipefail
cd "$(dirname "$0")/.."
reps="${1:-7}"
scripts/install-deps.sh
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DGRIDLOCK_BUILD_TESTS=OFF \
  -DGRIDLOCK_BUILD_ANALYZER=OFF -DGRIDLOCK_BUILD_EXAMPLES=OFF -DGRIDLOCK_CHECK_LOCK_ORDER=OFF >/dev/null
cmake --build build-bench --target gridlock_bench seq_callgrind preload_locks preload_locks_tsan \
  gridlock-run gridlock_preload
out=build-bench/bench-results
mkdir -p "$out"
bin=build-bench/bench/gridlock_bench
echo "== channel, mailbox, mutex and toolbox workloads ($reps repetitions, interleaved)"
"$bin" --benchmark_filter='^(seq|spsc|pingpong|mpsc|mpmc|mailbox|mutex|memory|rwlock|semaphore|waitgroup)' \
  --benchmark_repetitions="$reps" --benchmark_enable_random_interleaving=true \
  --benchmark_min_time=0.2 --benchmark_format=console \
  --benchmark_out="$out/workloads.json" --benchmark_out_format=json >"$out/workloads.txt"
echo "== detector"
"$bin" --benchmark_filter='^detector/' --benchmark_out="$out/detector.json" \
  --benchmark_out_format=json >"$out/detector.txt"
echo "== callgrind: seq, instrumented vs disabled"
for build in instrumented disabled; do
  valgrind --tool=callgrind --toggle-collect="bench_seq_$build" \
    --callgrind-out-file="$out/callgrind.$build" build-bench/bench/seq_callgrind "$build" 200000 \
    >/dev/null 2>"$out/callgrind.$build.log"
done
echo "== preload: an unmodified std::mutex program as is, under gridlock-run, under TSan ($reps rounds)"
for i in $(seq "$reps"); do # one process per variant per round, the variants interleaved
  build-bench/bench/preload_locks --benchmark_min_time=0.2 --benchmark_format=json \
    >"$out/preload-plain.$i.json"
  build-bench/bin/gridlock-run -- build-bench/bench/preload_locks --benchmark_min_time=0.2 \
    --benchmark_format=json >"$out/preload-preload.$i.json"
  TSAN_OPTIONS=detect_deadlocks=1 build-bench/bench/preload_locks_tsan --benchmark_min_time=0.2 \
    --benchmark_format=json >"$out/preload-tsan.$i.json"
done
python3 bench/report.py "$out" | tee bench/RESULTS.md
