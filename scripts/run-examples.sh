#!/usr/bin/env bash
# The main job: installs what is missing, builds, runs the static check over the examples (with
# the build's compile database, as clang-tidy) and over the MPI example (--api mpi), runs every seed-scenario example under
# instrumentation (on_deadlock=break, so deadlocked examples recover and finish; starvation_ms=500,
# so the readers-writers example shows its starvation within its 1.5 s of reading), runs an
# unmodified program under gridlock-run (its lock-order inversion predicted from a lucky run), and
# prints where the reports went: one HTML page per report, and reports-out/index.html with every
# finding.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
out="$PWD/reports-out"
rm -rf "$out"
mkdir -p "$out/static"
echo "== gridlock-check -p build examples/*.cpp"
status=0
build/analyzer/gridlock-check -p build --format json -o "$out/static/gridlock-check.json" examples/*.cpp || status=$?
[ "$status" -le 1 ] || { echo "gridlock-check failed (status $status)"; exit "$status"; }
build/reports/gridlock-report "$out/static/gridlock-check.json" --format text
build/reports/gridlock-report "$out/static/gridlock-check.json" -o "$out/static/gridlock-check.html"
echo "   report: $out/static/gridlock-check.html (and .json)"
echo
echo "== gridlock-check --api mpi examples/mpi/halo_exchange.c (4 ranks, from its mpirun line)"
status=0
build/analyzer/gridlock-check --api mpi --format json -o "$out/static/mpi-halo-exchange.json" \
  examples/mpi/halo_exchange.c -- || status=$?
[ "$status" -le 1 ] || { echo "gridlock-check --api mpi failed (status $status)"; exit "$status"; }
build/reports/gridlock-report "$out/static/mpi-halo-exchange.json" --format text
build/reports/gridlock-report "$out/static/mpi-halo-exchange.json" -o "$out/static/mpi-halo-exchange.html"
echo "   report: $out/static/mpi-halo-exchange.html (and .json)"
echo
# The findings of the reports in directory $1, one line each, and where their pages are.
show_findings() {
  local reports r
  reports=$(find "$1" -name 'gridlock.*.json' | sort)
  if [ -z "$reports" ]; then
    echo "   no finding"
    return
  fi
  for r in $reports; do
    python3 -c 'import json,sys
for f in json.load(open(sys.argv[1]))["findings"]:
    print("   %s (%s): %s" % (f["kind"], f["certainty"], f["summary"]))' "$r"
    echo "   report: ${r%.json}.html (and .json)"
  done
}

for example in build/examples/seed* build/examples/go_pipeline*; do
  name=$(basename "$example")
  dir="$out/$name"
  mkdir -p "$dir"
  echo "== $name"
  GRIDLOCK_OPTIONS="on_deadlock=break:starvation_ms=500:report_dir=$dir:report_format=json,html:strip_path_prefix=$PWD" \
    timeout 60 "$example" >"$dir/stdout.txt" 2>"$dir/stderr.txt" || echo "   exited with status $?"
  show_findings "$dir"
done
# An unmodified program (no gridlock header, not linked with it), run under gridlock-run.
name=bank_transfers
dir="$out/$name"
mkdir -p "$dir"
echo "== gridlock-run -- $name (unmodified: pthreads interposed by libgridlock-preload.so)"
build/bin/gridlock-run "report_dir=$dir" report_format=json,html "strip_path_prefix=$PWD" -- \
  "build/examples/$name" >"$dir/stdout.txt" 2>"$dir/stderr.txt" || echo "   exited with status $?"
show_findings "$dir"
all=$(find "$out" -name '*.json' | sort)
# shellcheck disable=SC2086
build/reports/gridlock-report $all --format index -o "$out/index.html"
echo
echo "Every finding of this run, static and runtime, on one page: $out/index.html"
echo "Reports are in $out"
