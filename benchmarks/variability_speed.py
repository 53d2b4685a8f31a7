"""Cost of variability injection against sampling, on the demo model and the example config.

Draws the same chunks with and without injection in one process and prints a table: rows,
sampling seconds, injection seconds, ratio, log entries. Target: ratio under 0.30.

    .venv/bin/python benchmarks/variability_speed.py [--rows 200000] [--chunk-rows 50000]
"""

from __future__ import annotations

import argparse
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
    print(f"{'rows':>9} {'sample_s':>9} {'inject_s':>9} {'ratio':>6} {'log_rows':>9}")
    for seed in range(args.repeats):
        start = time.perf_counter()
        chunks = list(iter_chunks(table, args.rows, seed, args.chunk_rows))
        sample_s = time.perf_counter() - start
        transform = VariabilityTransform(the_plan, seed, args.rows, args.chunk_rows)
        start = time.perf_counter()
        logs = [transform(i, i * args.chunk_rows, c)[1]["variability_log"]
                for i, c in enumerate(chunks)]
        inject_s = time.perf_counter() - start
        entries = sum(len(log) for log in logs)
        print(f"{args.rows:>9} {sample_s:>9.2f} {inject_s:>9.2f} {inject_s / sample_s:>6.2f} "
              f"{entries:>9}")


if __name__ == "__main__":
    main()
