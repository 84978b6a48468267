#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every test with CTest, then checks
# that no test left a gridlock-* folder behind in the temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
tmp="${TMPDIR:-/tmp}"
litter() { find "$tmp" -maxdepth 1 -name 'gridlock-*' 2>/dev/null | sort; }
before=$(litter)
status=0
ctest --test-dir build --output-on-failure --parallel "$(nproc)" --timeout 120 || status=$?
left=$(comm -13 <(echo "$before") <(litter))
if [ -n "$left" ]; then
  echo "test.sh: the suite left $(wc -l <<<"$left") folder(s) in $tmp, e.g. $(head -1 <<<"$left")" >&2
  status=1
fi
exit "$status"
