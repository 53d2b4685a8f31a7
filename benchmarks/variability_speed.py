"""Cost of variability injection against sampling, on the demo model and the example config.

Draws the same chunks with and without injection in one process and prints a table: rows,
sampling and injection seconds (wall clock, and CPU time of this process, which a shared machine
disturbs less), their ratios, and log entries; then the median ratios. Target: ratio under 0.30.

    .venv/bin/python benchmarks/variability_speed.py [--rows 200000] [--chunk-rows 50000]

``--rss N [N ...]`` instead runs ``learnsynth.api.sample`` with the example config into a CSV
file, once per row count, each in a fresh process (``--jobs`` as given, default 1), and prints the
peak RSS of that process (read with ``os.wait4``) and of its whole process tree: the log is
written as chunks arrive, so peak memory stays flat as rows grow. ``--collect`` runs the way it
was done before (every chunk's log frame kept in the parent, written at the end) to compare.

    .venv/bin/python benchmarks/variability_speed.py --rss 500000 2000000 [--collect]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from learnsynth import Synthesizer
from learnsynth.sample.sampler import iter_chunks
from learnsynth.sample.variability import VariabilityTransform, load_variability, plan

ROOT = Path(__file__).resolve().parents[1]


_CHILD = """
import sys, time
from learnsynth import api
store, out, rows, chunk_rows, jobs, config, mode = sys.argv[1:8]
rows, chunk_rows, jobs = int(rows), int(chunk_rows), int(jobs)
start = time.perf_counter()
if mode == "stream":
    api.sample("demo", rows, out, store=store, seed=1, chunk_rows=chunk_rows, jobs=jobs,
               no_report=True, variability=config, progress=False)
else:  # the way before streaming: every chunk's log frame kept, written at the end
    from learnsynth.data.sinks import resolve_target
    from learnsynth.sample.parallel import sample_to_target
    from learnsynth.sample.variability import prepare
    from learnsynth.synthesizer import Synthesizer
    tm = Synthesizer.load("demo", store).model_.table()
    run = prepare(config, tm, out=out, fmt=None, seed=1, n_rows=rows, chunk_rows=chunk_rows)
    result = sample_to_target(tm, rows, resolve_target(out), seed=1, chunk_rows=chunk_rows,
                              jobs=jobs, transform=run.transform, progress=False)
    run.finish(result.extras)
print(f"{time.perf_counter() - start:.1f}")
"""


def _demo() -> Synthesizer:
    real = pd.read_csv(ROOT / "examples" / "customers.csv", dtype=str, keep_default_na=False,
                       na_values=[""])
    return Synthesizer(seed=0).fit(real)


def rss(counts: list[int], chunk_rows: int, jobs: int, mode: str) -> None:
    """Peak RSS of ``sample --variability`` runs of growing size, each in a fresh process."""
    import psutil

    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:
        store = str(Path(tmp) / "models")
        _demo().save("demo", store)
        print(f"{'rows':>9} {'seconds':>8} {'peak_rss_mb':>11} {'tree_peak_mb':>12} "
              f"{'log_mb':>7}")
        for n in counts:
            out = Path(tmp) / f"dirty{n}.csv"
            proc = subprocess.Popen(
                [sys.executable, "-c", _CHILD, store, str(out), str(n), str(chunk_rows),
                 str(jobs), str(ROOT / "examples" / "variability.yaml"), mode],
                stdout=subprocess.PIPE, text=True, cwd=ROOT)
            tree_peak, usage = 0, None
            watched = psutil.Process(proc.pid)
            while usage is None:  # sample the tree (workers too) every 50 ms until it exits
                try:
                    procs = [watched, *watched.children(recursive=True)]
                    tree_peak = max(tree_peak, sum(p.memory_info().rss for p in procs))
                except psutil.Error:
                    pass
                pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    usage, proc.returncode = rusage, os.waitstatus_to_exitcode(status)
                else:
                    time.sleep(0.05)
            if proc.returncode:
                raise SystemExit(f"sample of {n} rows failed (exit {proc.returncode})")
            seconds = (proc.stdout.read() if proc.stdout else "").strip()
            peak = usage.ru_maxrss / 1024  # kB on Linux
            log = out.with_name(f"dirty{n}.variability.csv")
            print(f"{n:>9} {seconds:>8} {peak:>11.0f} {tree_peak / 2**20:>12.0f} "
                  f"{log.stat().st_size / 2**20:>7.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--chunk-rows", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rss", type=int, nargs="+", metavar="ROWS")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--collect", action="store_true",
                        help="with --rss: keep every chunk's log in memory and write it at the "
                             "end, as before streaming (for comparison)")
    args = parser.parse_args()
    if args.rss:
        rss(args.rss, args.chunk_rows, args.jobs, "collect" if args.collect else "stream")
        return
    table = _demo().model_.table()
    the_plan = plan(load_variability(ROOT / "examples" / "variability.yaml"), table)
    print(f"{'rows':>9} {'sample_s':>9} {'inject_s':>9} {'ratio':>6} {'cpu_ratio':>9} "
          f"{'log_rows':>9}")
    ratios, cpu_ratios = [], []
    for seed in range(args.repeats):
        start, cpu = time.perf_counter(), time.process_time()
        chunks = list(iter_chunks(table, args.rows, seed, args.chunk_rows))
        sample_s, sample_cpu = time.perf_counter() - start, time.process_time() - cpu
        transform = VariabilityTransform(the_plan, seed, args.rows, args.chunk_rows)
        start, cpu = time.perf_counter(), time.process_time()
        logs = [transform(i, i * args.chunk_rows, c)[1]["variability_log"]
                for i, c in enumerate(chunks)]
        inject_s, inject_cpu = time.perf_counter() - start, time.process_time() - cpu
        entries = sum(len(log) for log in logs)
        ratios.append(inject_s / sample_s)
        cpu_ratios.append(inject_cpu / sample_cpu)
        print(f"{args.rows:>9} {sample_s:>9.2f} {inject_s:>9.2f} {ratios[-1]:>6.2f} "
              f"{cpu_ratios[-1]:>9.2f} {entries:>9}")
    print(f"median ratio {statistics.median(ratios):.2f}, "
          f"median cpu ratio {statistics.median(cpu_ratios):.2f} (target < 0.30)")

if __name__ == "__main__":
    main()
