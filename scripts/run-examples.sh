#!/usr/bin/env bash
# The main job: installs what is missing, builds, runs every seed-scenario example under
# instrumentation (on_deadlock=break, so deadlocked examples recover and finish), and prints
# where each example's reports went.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
out="$PWD/reports-out"
rm -rf "$out"
mkdir -p "$out"
for example in build/examples/seed*; do
  name=$(basename "$example")
  dir="$out/$name"
  mkdir -p "$dir"
  echo "== $name"
  GRIDLOCK_OPTIONS="on_deadlock=break:report_dir=$dir:report_format=json" \
    timeout 60 "$example" >"$dir/stdout.txt" 2>"$dir/stderr.txt" || echo "   exited with status $?"
  reports=$(find "$dir" -name 'gridlock.*.json' | sort)
  if [ -z "$reports" ]; then
    echo "   no finding"
  else
    for r in $reports; do
      python3 -c 'import json,sys
for f in json.load(open(sys.argv[1]))["findings"]:
    print("   %s (%s): %s" % (f["kind"], f["certainty"], f["summary"]))' "$r"
      echo "   report: $r"
    done
  fi
done
echo
echo "Reports are in $out"
