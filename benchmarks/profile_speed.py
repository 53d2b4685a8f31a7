"""Profiling speed: ``learnsynth profile`` on 1M rows x 20 columns, and fit time against SDV.

Target (issue #2): 1,000,000 rows x 20 columns profiled in under 60 s with peak RSS under 2 GB,
and fitting at least 10x faster than SDV's GaussianCopulaSynthesizer on the same table.

What it does, all in one run:

1. Writes a deterministic mixed table (skewed and bounded numbers, integers, categoricals of
   several sizes, booleans, dates, timestamps, an ID, nulls) as CSV and Parquet to a temp folder.
2. Runs the real command (``python -m learnsynth profile``) on each file in a fresh subprocess and
   reads that child's own wall time and peak RSS (``os.wait4``: the child's ``ru_maxrss``). The
   table is generated in a child too: a forked child's ``ru_maxrss`` starts at the size of the
   process it was forked from, so this process must stay small.
3. Fits learnsynth's ``Synthesizer`` and SDV's ``GaussianCopulaSynthesizer`` (default settings)
   on the same smaller table (``--sdv-rows``, default 50,000), each in its own subprocess, and
   prints the fit-time ratio.

Usage: ``python benchmarks/profile_speed.py [--rows 1000000] [--sdv-rows 50000] [--skip-sdv]``.
SDV lives in the ``bench`` extra (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60.0
TARGET_RSS_MB = 2048.0
TARGET_RATIO = 10.0


def make_table(n: int, seed: int = 0) -> pd.DataFrame:
    """A deterministic 20-column mixed table; every kind the profiler handles except PII."""
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 90, n)
    income = np.round(np.exp(10 + 0.01 * age + rng.normal(0, 0.6, n)), 2)
    income[rng.random(n) < 0.08] = 0.0
    segments = np.array(["student", "consumer", "business", "retired", "enterprise"])
    zipf = np.minimum(rng.zipf(1.6, n), 40) - 1
    cities = np.array([f"city_{i:02d}" for i in range(40)])
    products = np.array([f"SKU-{i:04d}" for i in range(400)])
    signup = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3650, n), unit="D")
    event = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 31_536_000, n), unit="s")
    frame = pd.DataFrame({
        "row_id": np.arange(1, n + 1),
        "age": age,
        "income": income,
        "score": np.clip(np.round(600 + 0.002 * income + rng.normal(0, 50, n)), 300, 850),
        "balance": np.round(rng.gamma(2.0, 1500.0, n) - 500, 2),
        "ratio": np.round(rng.beta(2, 5, n), 4),
        "latency_ms": np.round(rng.exponential(120.0, n), 1),
        "visits": rng.poisson(3.0, n),
        "year": rng.integers(1990, 2024, n),
        "temperature": np.round(rng.normal(15, 8, n), 1),
        "segment": segments[np.minimum((age - 18) // 15, 4)],
        "city": cities[zipf],
        "product": products[rng.integers(0, 400, n)],
        "channel": rng.choice(["web", "store", "phone", None], n, p=[0.5, 0.3, 0.15, 0.05]),
        "active": rng.random(n) < 0.7,
        "newsletter": rng.choice(["Y", "N"], n),
        "signup_date": signup.date,
        "last_event": event,
        "rating": rng.integers(1, 6, n).astype(float),
        "discount": np.round(rng.uniform(0, 0.3, n), 2),
    })
    for column, rate in (("income", 0.05), ("rating", 0.2), ("temperature", 0.02)):
        frame.loc[rng.random(n) < rate, column] = np.nan
    return frame


def write_inputs(frame: pd.DataFrame, folder: Path) -> dict[str, Path]:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    paths = {"parquet": folder / "bench.parquet", "csv": folder / "bench.csv"}
    pq.write_table(table, paths["parquet"], row_group_size=100_000)
    pa_csv.write_csv(table, paths["csv"])
    return paths


def run_child(args: list[str], cwd: Path) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, stdout) of one child process; exits on failure.

    The child is reaped with ``os.wait4``, which returns that child's own resource usage, so each
    figure is one process's peak RSS (``RUSAGE_CHILDREN`` would be the maximum over every child).
    """
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, *args], cwd=cwd, env=env, stdout=out,
                                stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        sys.exit(f"error: {' '.join(args)} failed ({proc.returncode}): {stderr.strip()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024.0, stdout


_FIT_SCRIPT = r"""
import json, sys, time, warnings
import pandas as pd
warnings.simplefilter("ignore")
which, path = sys.argv[1], sys.argv[2]
frame = pd.read_parquet(path)
start = time.perf_counter()
if which == "learnsynth":
    from learnsynth import Synthesizer
    Synthesizer(seed=0).fit(frame)
else:
    from sdv.metadata import Metadata
    from sdv.single_table import GaussianCopulaSynthesizer
    metadata = Metadata.detect_from_dataframes({"table": frame})
    GaussianCopulaSynthesizer(metadata).fit({"table": frame})
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def fit_seconds(which: str, path: Path) -> tuple[float, float]:
    """(fit seconds measured inside the child, child's peak RSS in MB)."""
    _, rss, out = run_child(["-c", _FIT_SCRIPT, which, str(path)], ROOT)
    return float(json.loads(out.strip().splitlines()[-1])["seconds"]), rss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sdv-rows", type=int, default=50_000)
    parser.add_argument("--skip-sdv", action="store_true")
    parser.add_argument("--formats", default="parquet,csv")
    parser.add_argument("--write-to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.write_to is not None:  # the data is made in a child, so this process stays small
        write_inputs(make_table(args.rows), args.write_to)
        return 0

    with tempfile.TemporaryDirectory(prefix="learnsynth-bench-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        run_child([__file__, "--rows", str(args.rows), "--write-to", str(folder)], ROOT)
        paths = {"parquet": folder / "bench.parquet", "csv": folder / "bench.csv"}
        print(f"generated {args.rows:,} rows x 20 columns in {time.perf_counter() - t0:.1f} s "
              f"(csv {paths['csv'].stat().st_size / 1e6:.0f} MB, "
              f"parquet {paths['parquet'].stat().st_size / 1e6:.0f} MB)")
        print(f"\n{'input':<10} {'rows':>10} {'seconds':>8} {'rows/s':>10} {'peak RSS MB':>12}"
              f"  target <{TARGET_SECONDS:.0f} s, <{TARGET_RSS_MB:.0f} MB")
        failed = False
        for fmt in args.formats.split(","):
            seconds, rss, out = run_child(
                ["-m", "learnsynth", "profile", str(paths[fmt]), "--name", f"bench_{fmt}",
                 "--store", str(folder / "models"), "--profiles", str(folder / "profiles")],
                folder)
            ok = seconds < TARGET_SECONDS and rss < TARGET_RSS_MB
            failed |= not ok
            print(f"{fmt:<10} {args.rows:>10,} {seconds:>8.1f} {args.rows / seconds:>10,.0f} "
                  f"{rss:>12,.0f}  {'ok' if ok else 'MISSED'}")
        if not args.skip_sdv:
            small = folder / "small"
            small.mkdir()
            run_child([__file__, "--rows", str(args.sdv_rows), "--write-to", str(small)], ROOT)
            small = small / "bench.parquet"
            ours, our_rss = fit_seconds("learnsynth", small)
            theirs, their_rss = fit_seconds("sdv", small)
            ratio = theirs / ours
            failed |= ratio < TARGET_RATIO
            print(f"\nfit on {args.sdv_rows:,} rows x 20 columns (same run, same table)")
            print(f"{'fitter':<36} {'seconds':>8} {'peak RSS MB':>12}")
            print(f"{'learnsynth Synthesizer':<36} {ours:>8.2f} {our_rss:>12,.0f}")
            print(f"{'SDV GaussianCopulaSynthesizer':<36} {theirs:>8.2f} {their_rss:>12,.0f}")
            print(f"ratio SDV / learnsynth: {ratio:.1f}x  (target >= {TARGET_RATIO:.0f}x) "
                  f"{'ok' if ratio >= TARGET_RATIO else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
