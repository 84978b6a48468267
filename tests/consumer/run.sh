#!/usr/bin/env bash
# Builds and runs the consumer program against gridlock one way:
#   run.sh package|pkg-config BUILD_DIR CONSUMER_DIR   (installs BUILD_DIR into a temporary prefix)
#   run.sh subdirectory|fetchcontent SOURCE_DIR CONSUMER_DIR
set -euo pipefail
via=$1 tree=$2 consumer=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case "$via" in
  package | pkg-config) cmake --install "$tree" --prefix "$work/prefix" >/dev/null ;;
esac
case "$via" in
  pkg-config)
    pc_dir=$(dirname "$(find "$work/prefix" -name gridlock.pc)")
    flags=$(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs gridlock)
    # shellcheck disable=SC2086
    g++ -std=c++20 "$consumer/main.cpp" $flags -o "$work/app"
    LD_LIBRARY_PATH="$(dirname "$(find "$work/prefix" -name 'libgridlock.so' | head -1)")" "$work/app"
    ;;
  package)
    cmake -S "$consumer" -B "$work/build" -G Ninja -DGRIDLOCK_VIA=package -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
    cmake --build "$work/build" >/dev/null
    "$work/build/app"
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
