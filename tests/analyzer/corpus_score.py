#!/usr/bin/env python3
"""Scores gridlock-check on the annotated corpus (tests/analyzer/corpus/): each program is a file,
or a folder whose .cpp files are checked together; its expectations are inline, as in inputs/
(`CHECK-WARN: <rule> <certainty>` on a finding's line, `CHECK-NOTE` on each other step's line; no
marks: clean). Prints one line per program, then recall (buggy programs whose every expected
warning is found with its rule and certainty) and the false-positive rate (clean programs with
any finding). Exit status 0; a tool crash or a parse failure (status 2) is an error (status 1).

  tests/analyzer/corpus_score.py GRIDLOCK_CHECK [CORPUS_DIR] [-- extra gridlock-check args]
"""
import json
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
WARN = re.compile(r"CHECK-WARN: (\S+) (\S+)")


def programs(corpus):
    for p in sorted(corpus.iterdir()):
        if p.is_dir():
            yield p.name, sorted(p.glob("*.cpp")), sorted(list(p.glob("*.cpp")) + list(p.glob("*.hpp")))
        elif p.suffix == ".cpp":
            yield p.stem, [p], [p]


def expected(sources):
    warns, notes = set(), set()
    for f in sources:
        for n, line in enumerate(f.read_text().splitlines(), 1):
            m = WARN.search(line)
            if m:
                warns.add((f.name, n, m[1], m[2]))
                notes.add((f.name, n))
            if "CHECK-NOTE" in line:
                notes.add((f.name, n))
    return warns, notes


def found(tool, files, extra):
    cmd = [tool, "--format", "json", *map(str, files), *extra, "--", "-std=c++20",
           f"-I{ROOT / 'runtime-hooks/include'}"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if r.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)}: status {r.returncode}: {r.stderr.strip()[:300]}")
    warns, notes = set(), set()
    for f in json.loads(r.stdout)["findings"]:
        if not f["actors"]:
            continue
        first = f["actors"][0]["location"]
        warns.add((pathlib.Path(first["file"]).name, first["line"], f["rule"], f["certainty"]))
        for a in f["actors"]:
            notes.add((pathlib.Path(a["location"]["file"]).name, a["location"]["line"]))
    return warns, notes


def main():
    args = sys.argv[1:]
    extra = args[args.index("--") + 1:] if "--" in args else []
    args = args[:args.index("--")] if "--" in args else args
    tool = args[0]
    corpus = pathlib.Path(args[1]) if len(args) > 1 else ROOT / "tests/analyzer/corpus"
    buggy = caught = clean = false_alarms = exact = 0
    for name, files, sources in programs(corpus):
        want_w, want_n = expected(sources)
        got_w, got_n = found(tool, files, extra)
        if want_w:
            buggy += 1
            ok = want_w <= got_w
            caught += ok
            verdict = "found" if ok else "MISSED"
        else:
            clean += 1
            false_alarms += bool(got_w)
            verdict = "FALSE ALARM" if got_w else "clean"
        exact += (want_w, want_n) == (got_w, got_n)
        extra_w = sorted(got_w - want_w)
        print(f"{verdict:12} {name}" + (f"  (also: {extra_w})" if extra_w and want_w else "")
              + (f"  (missing: {sorted(want_w - got_w)})" if want_w - got_w else "")
              + (f"  (got: {extra_w})" if got_w and not want_w else ""))
    print(f"recall {caught}/{buggy} = {caught / max(buggy, 1):.0%}; "
          f"false positives {false_alarms}/{clean} = {false_alarms / max(clean, 1):.0%}; "
          f"exactly as annotated {exact}/{buggy + clean}")


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as e:
        print(f"corpus_score: error: {e}", file=sys.stderr)
        sys.exit(1)
