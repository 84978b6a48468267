#!/usr/bin/env python3
"""Turns one bench/run.sh run into Markdown: medians, spread, and the ratios the README quotes.

  report.py RESULTS_DIR   (workloads.json, detector.json, callgrind.instrumented/disabled)
"""
import json
import os
import platform
import re
import statistics
import sys

out = sys.argv[1]
PEERS = ["mutex-condvar", "tbb", "moodycamel", "boost-fiber"]


def runs(path):
    """name -> list of per-repetition result dicts (aggregates skipped)."""
    by = {}
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") == "aggregate":
            continue
        name = re.sub(r"(/iterations:\d+|/real_time|/manual_time)+$", "", b["run_name"])
        by.setdefault(name, []).append(b)
    return by


def split(name):
    """'spsc/cap:64/gridlock' -> ('spsc/cap:64', 'gridlock')."""
    workload, _, impl = name.rpartition("/")
    return workload, impl


def med(values):
    return statistics.median(values)


def spread(values):
    m = med(values)
    return (max(values) - min(values)) / m * 100 if m else 0.0


work = runs(os.path.join(out, "workloads.json"))
ips = {}  # (workload, impl) -> [items/s per repetition]
for name, rs in work.items():
    if "items_per_second" in rs[0]:
        ips[split(name)] = [r["items_per_second"] for r in rs]
workloads = sorted({w for w, _ in ips}, key=lambda w: (w.split("/")[0], w))
lines = ["# gridlock benchmarks", "",
         "Machine: %s, %d cores; one run of `bench/run.sh` (Release build), medians of the "
         "repetitions, spread = (max - min) / median." % (platform.machine(), os.cpu_count()), ""]

lines += ["## Instrumented vs disabled (hooks compiled out), same binary, same run", "",
          "| workload | gridlock M items/s (spread) | disabled M items/s (spread) | instrumented ÷ disabled (time) |",
          "| --- | --- | --- | --- |"]
ratio_of = {}
for w in workloads:
    i, d = ips.get((w, "gridlock")), ips.get((w, "gridlock-disabled"))
    if not i or not d:
        continue
    ratio_of[w] = med(d) / med(i)
    lines.append("| %s | %.2f (%.0f%%) | %.2f (%.0f%%) | **%.3f** |" % (
        w, med(i) / 1e6, spread(i), med(d) / 1e6, spread(d), ratio_of[w]))

lines += ["", "## gridlock ÷ peers (throughput; > 1: gridlock is faster)", "",
          "| workload | gridlock M items/s | " + " | ".join(PEERS) + " |",
          "| --- | --- |" + " --- |" * len(PEERS)]
peer_ratio = {}
for w in workloads:
    g = ips.get((w, "gridlock"))
    if not g or w.startswith(("mutex", "mailbox", "seq-trace", "spsc-trace", "pingpong-trace")):
        continue
    cells = []
    for p in PEERS:
        v = ips.get((w, p))
        if v:
            peer_ratio[(w, p)] = med(g) / med(v)
            cells.append("%.2f (%.1f M/s)" % (peer_ratio[(w, p)], med(v) / 1e6))
        else:
            cells.append("n/a")
    lines.append("| %s | %.2f | %s |" % (w, med(g) / 1e6, " | ".join(cells)))

lines += ["", "## Mutex", "", "| workload | gridlock (spread) | disabled (spread) | std::mutex (spread) | gridlock ÷ std::mutex |",
          "| --- | --- | --- | --- | --- |"]
mutex_ratio = {}
for w in ("mutex/uncontended", "mutex/contended:4"):
    g, d, s = ips.get((w, "gridlock")), ips.get((w, "gridlock-disabled")), ips.get((w, "std::mutex"))
    if g and d and s:
        mutex_ratio[w] = (med(g) / med(s), spread(g))
        lines.append("| %s | %.1f M/s (%.0f%%) | %.1f M/s (%.0f%%) | %.1f M/s (%.0f%%) | %.2f |" % (
            w, med(g) / 1e6, spread(g), med(d) / 1e6, spread(d), med(s) / 1e6, spread(s), med(g) / med(s)))

lines += ["", "## The flight recorder (trace=1) on the instrumented build", "",
          "| workload | trace=0 M items/s | trace=1 M items/s | trace=1 ÷ trace=0 (time) |", "| --- | --- | --- | --- |"]
for w, t in (("seq", "seq-trace"), ("spsc/cap:4096", "spsc-trace/cap:4096"),
             ("pingpong/cap:0", "pingpong-trace/cap:0")):
    a, b = ips.get((w, "gridlock")), ips.get((t, "gridlock"))
    if a and b:
        lines.append("| %s | %.2f | %.2f | %.2f |" % (w, med(a) / 1e6, med(b) / 1e6, med(a) / med(b)))

lines += ["", "## Go's toolbox, uncontended (same run)", "",
          "| workload | gridlock (spread) | disabled (spread) | peer (spread) | gridlock ÷ peer (time) |",
          "| --- | --- | --- | --- | --- |"]
toolbox_ratio = {}
for w, peer in (("rwlock/uncontended-shared", "std::shared_mutex"),
                ("semaphore/uncontended", "std::counting_semaphore"), ("waitgroup/add-done", "atomic")):
    g, d, p = ips.get((w, "gridlock")), ips.get((w, "gridlock-disabled")), ips.get((w, peer))
    if g and d and p:
        toolbox_ratio[w] = med(p) / med(g)
        lines.append("| %s | %.1f M/s (%.0f%%) | %.1f M/s (%.0f%%) | %s %.1f M/s (%.0f%%) | %.2f |" % (
            w, med(g) / 1e6, spread(g), med(d) / 1e6, spread(d), peer, med(p) / 1e6, spread(p),
            toolbox_ratio[w]))

mem = {split(n)[1]: rs[0] for n, rs in work.items() if n.startswith("memory/")}
timers = {split(n)[1]: rs[0] for n, rs in work.items() if n.startswith("memory-timers/")}
if "gridlock" in mem and "gridlock-disabled" in mem:
    lines += ["", "## Memory (heap bytes)", "", "| | instrumented | disabled | extra |", "| --- | --- | --- | --- |"]
    for key in ("bytes_per_channel", "bytes_per_mailbox", "bytes_per_blocked_waiter", "sizeof_channel_state"):
        i, d = mem["gridlock"][key], mem["gridlock-disabled"][key]
        lines.append("| %s | %.0f | %.0f | %.0f |" % (key.replace("_", " "), i, d, i - d))

det = runs(os.path.join(out, "detector.json"))
lines += ["", "## Detector", "", "| benchmark | result |", "| --- | --- |"]
latency_1000 = None
for name, rs in sorted(det.items()):
    r = rs[0]
    if "latency_ms" in r:
        lines.append("| %s | %.1f ms from the cycle closing to the report (delay %d ms: +%.1f ms) |" % (
            name, r["latency_ms"], r["detect_delay_ms"], r["over_delay_ms"]))
        if "cycle:1000" in name:
            latency_1000 = max(latency_1000 or 0, r["over_delay_ms"])
    else:
        lines.append("| %s | %.2f ms per check (%d deadlocked actors found) |" % (
            name, r["real_time"] if r["time_unit"] == "ms" else r["real_time"] / 1e6, r["deadlocked_actors"]))


def callgrind_total(path):
    for line in open(path):
        if line.startswith("totals:") or line.startswith("summary:"):
            return int(line.split()[1])
    return None


ir = {b: callgrind_total(os.path.join(out, "callgrind." + b)) for b in ("instrumented", "disabled")}
if all(ir.values()):
    lines += ["", "## Instructions (callgrind), seq of 200,000 sends then receives", "",
              "| build | instructions | per message (send + receive) |", "| --- | --- | --- |"]
    for b in ("instrumented", "disabled"):
        lines.append("| %s | %d | %.1f |" % (b, ir[b], ir[b] / 200000))
    lines.append("| instrumented ÷ disabled | **%.4f** | |" % (ir["instrumented"] / ir["disabled"]))

# The preload: one process per variant per round (preload-<variant>.<round>.json).
preload = {}  # (workload, variant) -> [items/s per round]
for f in sorted(os.listdir(out)):
    m = re.match(r"preload-(plain|preload|tsan)\.\d+\.json$", f)
    if not m:
        continue
    for name, rs in runs(os.path.join(out, f)).items():
        name = re.sub(r"(/real_time|/threads:\d+)+$", "", name)
        preload.setdefault((name, m.group(1)), []).extend(r["items_per_second"] for r in rs)
preload_ratio = {}
if preload:
    lines += ["", "## The preload on an unmodified std::mutex program (one process per round)", "",
              "| workload | as is M ops/s (spread) | gridlock-run M ops/s (spread) | TSan detect_deadlocks=1 M ops/s (spread) | gridlock-run ÷ as is (time) | TSan ÷ as is (time) |",
              "| --- | --- | --- | --- | --- | --- |"]
    for w in sorted({w for w, _ in preload}):
        p, g, t = (preload.get((w, v)) for v in ("plain", "preload", "tsan"))
        if not p or not g:
            continue
        preload_ratio[w] = med(p) / med(g)
        cell = lambda v: "%.1f (%.0f %%)" % (med(v) / 1e6, spread(v)) if v else "—"
        lines.append("| %s | %s | %s | %s | **%.2f** | %s |" % (
            w, cell(p), cell(g), cell(t), preload_ratio[w], "%.1f" % (med(p) / med(t)) if t else "—"))

lines += ["", "## Targets", "", "| target | measured | |", "| --- | --- | --- |"]


def target(what, value, ok):
    lines.append("| %s | %s | %s |" % (what, value, "met" if ok else "**missed**"))


for w in ("seq", "spsc/cap:4096"):
    if w in ratio_of:
        target("%s instrumented ÷ disabled ≤ 1.03 (time)" % w, "%.3f" % ratio_of[w], ratio_of[w] <= 1.03)
if all(ir.values()):
    r = ir["instrumented"] / ir["disabled"]
    target("seq instrumented ÷ disabled ≤ 1.03 (instructions)", "%.4f" % r, r <= 1.03)
for w in ("pingpong/cap:0", "pingpong/cap:1"):
    if w in ratio_of:
        target("%s instrumented ÷ disabled ≤ 1.10" % w, "%.3f" % ratio_of[w], ratio_of[w] <= 1.10)
for w in ("spsc/cap:64", "spsc/cap:4096", "mpmc/4x4"):
    if (w, "tbb") in peer_ratio:
        target("%s ≥ tbb::concurrent_bounded_queue" % w, "%.2f×" % peer_ratio[(w, "tbb")], peer_ratio[(w, "tbb")] >= 1)
    if (w, "mutex-condvar") in peer_ratio:
        target("%s ≥ 1.5× mutex+condvar" % w, "%.2f×" % peer_ratio[(w, "mutex-condvar")],
               peer_ratio[(w, "mutex-condvar")] >= 1.5)
if "mutex/contended:4" in mutex_ratio:
    r, sp = mutex_ratio["mutex/contended:4"]
    target("mutex/contended:4 ≥ 0.8× std::mutex, spread ≤ 20 %", "%.2f× (%.0f %%)" % (r, sp), r >= 0.8 and sp <= 20)
g, m = ips.get(("pingpong/cap:0", "gridlock")), ips.get(("pingpong/cap:unbounded", "moodycamel"))
if g and m:
    r = med(m) / med(g)  # round-trip time, gridlock ÷ moodycamel
    target("pingpong round trip ÷ moodycamel ≤ 1.0", "%.2f (%.2f vs %.2f µs)" % (r, 2e6 / med(g), 2e6 / med(m)), r <= 1.0)
a, b = ips.get(("seq", "gridlock")), ips.get(("seq-trace", "gridlock"))
if a and b:
    target("trace=1 on seq ÷ trace=0 ≤ 2 (time)", "%.2f" % (med(a) / med(b)), med(a) / med(b) <= 2)
if latency_1000 is not None:
    target("latency ≤ detect_delay_ms + 20 ms at 1,000 actors", "+%.1f ms" % latency_1000, latency_1000 <= 20)
for name, rs in det.items():
    if "full-check" in name and "cycle:0" in name:
        t = rs[0]["real_time"]
        target("one full check of 10,000 blocked actors < 5 ms", "%.2f ms" % t, t < 5)
if "gridlock" in mem:
    extra = mem["gridlock"]["bytes_per_channel"] - mem["gridlock-disabled"]["bytes_per_channel"]
    target("≤ 64 bytes extra per channel", "%.0f bytes" % extra, extra <= 64)
for w, bound in (("rwlock/uncontended-shared", "std::shared_mutex"),
                 ("semaphore/uncontended", "std::counting_semaphore")):
    if w in toolbox_ratio:
        target("%s ≤ 1.2× %s (time)" % (w, bound), "%.2f" % toolbox_ratio[w], toolbox_ratio[w] <= 1.2)
if "waitgroup/add-done" in toolbox_ratio:
    r = toolbox_ratio["waitgroup/add-done"]
    target("wait_group add+done ≈ two atomic RMWs (≤ 1.2× time)", "%.2f" % r, r <= 1.2)
if "gridlock" in timers:
    mb = timers["gridlock"]["mb_for_100000"]
    target("100,000 pending timers ≤ 20 MB", "%.1f MB (%.0f bytes each)" % (
        mb, timers["gridlock"]["bytes_per_pending_timer"]), mb <= 20)
for w, bound in (("preload/uncontended", 1.3), ("preload/contended", 1.5)):
    if w in preload_ratio:
        target("%s: gridlock-run ÷ as is ≤ %.1f (time)" % (w, bound), "%.2f" % preload_ratio[w],
               preload_ratio[w] <= bound)
print("\n".join(lines))
