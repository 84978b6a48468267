#!/usr/bin/env bash
# Builds and runs the consumer program against gridlock one way:
#   run.sh package|pkg-config BUILD_DIR CONSUMER_DIR   (installs BUILD_DIR into a temporary prefix)
#   run.sh subdirectory|fetchcontent SOURCE_DIR CONSUMER_DIR
set -euo pipefail
via=$1 tree=$2 consumer=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs a gridlock::gtest_main binary: Consumer.Deadlocks must fail with gridlock's report and
# Consumer.Clean pass.
check_gtest_app() {
  local out status=0
  out=$(GRIDLOCK_OPTIONS=detect_delay_ms=100 "$@" 2>&1) || status=$?
  if [ "$status" -eq 0 ] || ! grep -q "FAILED  \] Consumer.Deadlocks" <<<"$out" ||
    ! grep -q "OK \] Consumer.Clean" <<<"$out" || ! grep -q "gridlock: deadlock (definite)" <<<"$out"; then
    echo "$out"
    echo "gridlock::gtest_main consumer: expected Consumer.Deadlocks to fail and Consumer.Clean to pass" >&2
    exit 1
  fi
  echo "gridlock::gtest_main consumer: the deadlocking test failed, the clean one passed"
}
case "$via" in
  package | pkg-config) cmake --install "$tree" --prefix "$work/prefix" >/dev/null ;;
esac
case "$via" in
  pkg-config)
    pc_dir=$(dirname "$(find "$work/prefix" -name gridlock.pc)")
    flags=$(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs gridlock)
    # shellcheck disable=SC2086
    g++ -std=c++20 "$consumer/main.cpp" $flags -o "$work/app"
    libdir="$(dirname "$(find "$work/prefix" -name 'libgridlock.so' | head -1)")"
    LD_LIBRARY_PATH="$libdir" "$work/app"
    flags=$(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs gridlock-gtest)
    # shellcheck disable=SC2086
    g++ -std=c++20 "$consumer/gtest_consumer.cpp" $flags -o "$work/gtest_app"
    LD_LIBRARY_PATH="$libdir" check_gtest_app "$work/gtest_app"
    ;;
  package)
    cmake -S "$consumer" -B "$work/build" -G Ninja -DGRIDLOCK_VIA=package -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
    cmake --build "$work/build" >/dev/null
    "$work/build/app"
    check_gtest_app "$work/build/gtest_app"
    # The installed gridlock-check finds the compiler's builtin headers (stddef.h, ...) from there.
    if [ -x "$work/prefix/bin/gridlock-check" ]; then
      "$work/prefix/bin/gridlock-check" "$consumer/main.cpp" -- -std=c++20 -I"$work/prefix/include"
      echo "the installed gridlock-check parsed the consumer"
    fi
    ;;
  subdirectory | fetchcontent)
    cmake -S "$consumer" -B "$work/build" -G Ninja -DGRIDLOCK_VIA="$via" -DGRIDLOCK_SOURCE="$tree" >/dev/null
    cmake --build "$work/build" >/dev/null
    "$work/build/app"
    ;;
esac
echo "consumer built with $via and ran"
