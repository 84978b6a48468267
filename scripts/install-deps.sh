#!/usr/bin/env bash
# Installs every Debian package gridlock needs to build and test. Idempotent: quiet and
# fast when everything is present; installs only what is missing (needs root or sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-graph-dev nlohmann-json3-dev libgraphviz-dev libdw-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libtbb-dev libconcurrentqueue-dev libboost-fiber-dev valgrind
  clang-16 libclang-16-dev libclang-cpp16-dev llvm-16-dev libclang-rt-16-dev
  libopenmpi-dev openmpi-bin libmpich-dev
  python3-jsonschema
  python3
  chromium fonts-dejavu-core
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
