"""Speed of ``learnsynth detect`` on a 1,000,000-row x 50-column file, as CSV and as Parquet.

Writes a generated file (PII columns drawn from pools of Faker values, numeric and categorical
columns from NumPy) to a temporary folder, then times:

* ``api.detect(file)``: what ``learnsynth detect FILE`` does — stream the file, keep a seeded
  uniform subsample of rows, sample each column and run the detectors;
* ``detect_frame(frame)``: the detectors alone on the frame already in memory.

Detection examines at most ``DEFAULT_SAMPLE_SIZE`` (2000) non-null values per column (expensive
checks: 400 of them), so its cost does not grow with the row count; the reading does.

Usage: ``.venv/bin/python benchmarks/detect_speed.py [--rows N] [--columns N]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from faker import Faker

from learnsynth import api
from learnsynth.profile.pii import DEFAULT_SAMPLE_SIZE, detect_frame

CHUNK_ROWS = 100_000
POOL = 2000
_PII: dict[str, tuple[str, Callable[[Faker], object]]] = {
    "name": ("full_name", lambda f: f.name()),
    "email": ("email", lambda f: f.email()),
    "phone": ("phone", lambda f: f.phone_number()),
    "address": ("street_address", lambda f: f.street_address()),
    "dob": ("date_of_birth", lambda f: f.date_of_birth().isoformat()),
    "city": ("city", lambda f: f.city()),
    "iban": ("iban", lambda f: f.iban()),
    "ip": ("ip_address", lambda f: f.ipv4()),
    "notes": ("free_text", lambda f: f"Call {f.name()} on {f.phone_number()} re: order."),
    "zip": ("postal_code", lambda f: f.postcode()),
}
_PLAIN = ("amount", "count", "segment")


def _pools() -> dict[str, np.ndarray]:
    fake = Faker("en_US")
    fake.seed_instance(0)
    return {key: np.array([make(fake) for _ in range(POOL)], dtype=object)
            for key, (_, make) in _PII.items()}


def _layout(n_columns: int) -> list[str]:
    keys = list(_PII) + list(_PLAIN)
    return [f"{keys[pos % len(keys)]}_{pos}" for pos in range(n_columns)]


def _chunk(names: list[str], pools: dict[str, np.ndarray], rows: int,
           rng: np.random.Generator) -> pa.Table:
    arrays = []
    for name in names:
        key = name.rsplit("_", 1)[0]
        if key in pools:
            arrays.append(pa.array(pools[key][rng.integers(0, POOL, rows)], type=pa.string()))
        elif key == "amount":
            arrays.append(pa.array(np.round(rng.lognormal(3, 1, rows), 2)))
        elif key == "count":
            arrays.append(pa.array(rng.poisson(3, rows)))
        else:
            arrays.append(pa.array(np.array(["a", "b", "c", "d"])[rng.integers(0, 4, rows)]))
    return pa.Table.from_arrays(arrays, names=names)


def _write(folder: Path, n_rows: int, n_columns: int) -> tuple[Path, Path]:
    names, pools = _layout(n_columns), _pools()
    rng = np.random.default_rng(0)
    csv_path, parquet_path = folder / "wide.csv", folder / "wide.parquet"
    first = _chunk(names, pools, min(CHUNK_ROWS, n_rows), rng)
    with pa_csv.CSVWriter(csv_path, first.schema) as csv_out, \
            pq.ParquetWriter(parquet_path, first.schema, compression="zstd") as pq_out:
        done, table = 0, first
        while True:
            csv_out.write_table(table)
            pq_out.write_table(table)
            done += table.num_rows
            if done >= n_rows:
                break
            table = _chunk(names, pools, min(CHUNK_ROWS, n_rows - done), rng)
    return csv_path, parquet_path


def _expected(name: str) -> str | None:
    key = name.rsplit("_", 1)[0]
    return _PII[key][0] if key in _PII else None


def _timed(label: str, run: Callable[[], list[object]], names: list[str]) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    findings = run()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    right = sum(getattr(f, "kind", None) == _expected(n) for f, n in zip(findings, names,
                                                                           strict=True))
    print(f"| {label:<36} | {seconds:8.2f} | {cpu:8.2f} | {right:>3}/{len(names)} |", flush=True)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--columns", type=int, default=50)
    args = parser.parse_args(argv)
    names = _layout(args.columns)
    with tempfile.TemporaryDirectory(prefix="detect_speed_") as tmp:
        start = time.perf_counter()
        csv_path, parquet_path = _write(Path(tmp), args.rows, args.columns)
        print(f"{args.rows:,} rows x {args.columns} columns written in "
              f"{time.perf_counter() - start:.1f} s: CSV {csv_path.stat().st_size / 2**20:.0f} "
              f"MiB, Parquet {parquet_path.stat().st_size / 2**20:.0f} MiB; sample size "
              f"{DEFAULT_SAMPLE_SIZE} values per column\n")
        print("| step                                 |   wall s |    CPU s | right |")
        print("|---|---:|---:|---:|")
        _timed("detect CSV file (read + detect)",
               lambda: next(iter(api.detect(csv_path).values())), names)
        _timed("detect Parquet file (read + detect)",
               lambda: next(iter(api.detect(parquet_path).values())), names)
        frame: pd.DataFrame = pq.read_table(parquet_path).to_pandas()
        _timed("detect_frame, frame in memory", lambda: list(detect_frame(frame)), names)
    print(f"\npeak RSS {_peak_rss_mb():.0f} MiB; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs (wall time grows with the load, CPU time does not)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
