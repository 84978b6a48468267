#!/usr/bin/env python3
"""Runs the MPI corpus for real (Open MPI's mpicc and mpirun) to show its annotations are true:
every clean program (mpi/clean/) completes, and every program annotated
`gridlock-mpi-deadlock definite` is still blocked after a few seconds (then it is killed).
Each runs with its `mpirun -np N` count (default 2). Exit status 77 (CTest: skipped) when mpirun
cannot start even a clean two-rank program here, e.g. in a container without shared memory.

usage: mpi_ground_truth.py CORPUS_DIR WORK_DIR"""
import concurrent.futures
import os
import re
import shutil
import signal
import subprocess
import sys

corpus, work = sys.argv[1:3]
os.makedirs(work, exist_ok=True)
env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_rmaps_base_oversubscribe="1", OMPI_MCA_btl_vader_single_copy_mechanism="none")
HANG_S, DONE_S = 4, 60


def ranks(text):
    m = re.search(r"(?:mpirun|mpiexec)\s+(?:-np|-n)\s+(\d+)", text)
    return int(m.group(1)) if m else 2


def build(path):
    exe = os.path.join(work, path.replace("/", "_").rsplit(".", 1)[0])
    cc = ["mpicxx", "-std=c++17"] if path.endswith(".cpp") else ["mpicc"]
    subprocess.run([*cc, "-o", exe, os.path.join(corpus, path)], check=True, env=env,
                   capture_output=True)
    return exe


def run(path, seconds):
    """'done' (exit status 0), 'failed' (another status) or 'blocked' (still running)."""
    text = open(os.path.join(corpus, path)).read()
    p = subprocess.Popen(["mpirun", "-np", str(ranks(text)), build(path)], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    try:
        return "done" if p.wait(timeout=seconds) == 0 else "failed"
    except subprocess.TimeoutExpired:  # kill mpirun and every rank it started
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        return "blocked"


if not shutil.which("mpirun") or run("clean/sendrecv_exchange.c", DONE_S) != "done":
    print("mpirun cannot run a clean two-rank program here: skipped")
    sys.exit(77)

clean = sorted("clean/" + f for f in os.listdir(os.path.join(corpus, "clean")))
deadlocks = sorted(f for f in os.listdir(corpus) if os.path.isfile(os.path.join(corpus, f))
                   if "CHECK-WARN: gridlock-mpi-deadlock definite" in open(os.path.join(corpus, f)).read())
jobs = [(f, DONE_S, "done") for f in clean] + [(f, HANG_S, "blocked") for f in deadlocks]
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
    outcomes = list(pool.map(lambda j: (j[0], j[2], run(j[0], j[1])), jobs))
wrong = [f"{f}: expected {want}, got {got}" for f, want, got in outcomes if want != got]
for line in wrong:
    print(line)
print(f"{len(clean)} clean programs completed, {len(deadlocks)} deadlocking programs blocked"
      if not wrong else f"{len(wrong)} of {len(jobs)} programs did not behave as annotated")
sys.exit(1 if wrong else 0)
