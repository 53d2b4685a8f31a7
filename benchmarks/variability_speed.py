"""Cost of variability injection against sampling, on the demo model and the example config.

Draws the same chunks with and without injection in one process and prints a table: rows,
sampling and injection seconds (wall clock, and CPU time of this process, which a shared machine
disturbs less), their ratios, and log entries; then the median ratios. Target: ratio under 0.30.

    .venv/bin/python benchmarks/variability_speed.py [--rows 200000] [--chunk-rows 50000]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pandas as pd

from learnsynth import Synthesizer
from learnsynth.sample.sampler import iter_chunks
from learnsynth.sample.variability import VariabilityTransform, load_variability, plan

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--chunk-rows", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    real = pd.read_csv(ROOT / "examples" / "customers.csv", dtype=str, keep_default_na=False,
                       na_values=[""])
    table = Synthesizer(seed=0).fit(real).model_.table()
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
