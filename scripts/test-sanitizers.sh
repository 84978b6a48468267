#!/usr/bin/env bash
# The test suite under the sanitizers, each in its own build tree:
#   asan  AddressSanitizer + UndefinedBehaviorSanitizer (no recovery): the runtime's and reports'
#         suites, the end-to-end programs and the preload corpus (the consumer-package tests
#         build separate, uninstrumented projects: skipped). gridlock-check is not built here:
#         its Clang-heavy units took most of this tree's build time, and it runs under
#         ASan+UBSan in scripts/fuzz.sh (the evaluator and --api fuzzers, clang-16, their corpora
#         and regressions replayed, then new inputs) - that keeps .ci/run within 45 minutes;
#   tsan  ThreadSanitizer: the runtime's suites and the end-to-end programs (the analyzer is
#         single-threaded and Clang's libraries are not instrumented).
# Zero reports expected; no suppressions of gridlock's code. `scripts/test-sanitizers.sh [asan|tsan]`
# runs one, no argument both.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs="$(nproc)"

run() { # name, extra cmake flags, ctest exclusion regex
  local name=$1 flags=$2 exclude=$3
  echo "== $name"
  # -O1 -g1: what the sanitizers' documentation recommends, with line tables for their stacks;
  # it compiles in half the time of -O2 -g.
  cmake -S . -B "build-$name" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGRIDLOCK_BUILD_BENCHMARKS=OFF \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" \
    -DCMAKE_SHARED_LINKER_FLAGS="$flags" $4 >/dev/null
  cmake --build "build-$name" --parallel "$jobs"
  ctest --test-dir "build-$name" --output-on-failure --parallel "$jobs" --timeout 300 -E "$exclude"
}

export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:exitcode=86"
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# TSan's deadlock detector is off: the test programs take std::mutexes in opposite orders on
# purpose (gridlock's lock-order prediction is what they test), and gridlock's own locks are
# futexes it does not see.
export TSAN_OPTIONS="halt_on_error=1:detect_deadlocks=0"
what="${1:-all}"
if [ "$what" = asan ] || [ "$what" = all ]; then
  # vptr is off: gridlock-check mixes -fno-rtti code (LLVM's, its own) with RTTI code (the reports
  # library, nlohmann-json), so their template instances share vtables without type info (kept
  # off for the day the analyzer is built here again).
  run asan "-fsanitize=address,undefined -fno-sanitize=vptr -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
    "^Package\\." "-DGRIDLOCK_BUILD_ANALYZER=OFF"
fi
if [ "$what" = tsan ] || [ "$what" = all ]; then
  # ChildrenForked is left out: TSan cannot start threads in the child of a multi-threaded fork
  # ("starting new threads after multi-threaded fork is not supported").
  run tsan "-fsanitize=thread -fno-omit-frame-pointer" "^(Package|Browser)\\.|ChildrenForked" \
    "-DGRIDLOCK_BUILD_ANALYZER=OFF"
fi
