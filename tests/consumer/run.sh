#!/usr/bin/env bash
# Installs the build tree into a temporary prefix, then configures, builds and runs the consumer
# program against it with find_package(gridlock CONFIG REQUIRED).
set -euo pipefail
build=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$source" -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/app"
echo "consumer built and ran against the installed gridlock"
