"""Sampling speed and memory against SDV's GaussianCopulaSynthesizer, fitted in the same run.

Cases (same data for both tools, fitted in this process):

- ``numeric10``: a 10-column numeric/categorical table (20,000 rows fitted), sampled to Parquet
  on one core (``--jobs 1``) and on two (``--jobs 2``);
- ``customers4pii``: the demo customers table with four PII columns (first/last name, e-mail,
  phone) and its ten numeric/categorical columns; SDV generates its PII with Faker too;
- jobs 1 → 2 speed-up, writing a folder of part files (``--speedup-rows``, default 4 million, so a
  run is long enough to time; ``--repeats`` interleaved runs per setting, medians);
- streaming: many rows to a folder with ``--jobs 2``, peak RSS of the whole process tree
  (parent and workers, sampled every 0.1 s) and its trend along the run.

SDV samples in memory (no file written); learnsynth's figure includes writing the file. Rows/s
are wall clock, so they fall when other work shares the machine; ``rows/CPU-s`` (jobs 1) is the
single-core rate free of that noise. The load average at the start is printed with the table.

``--breakdown`` prints only where one core's time goes for numeric10 (CPU ms per million rows,
stage by stage, best of three), along the path ``run_chunk`` takes for Parquet: copula draws,
numeric marginals, categories (dictionary codes), the Arrow table and the Parquet encoding.
``--parent`` prints only how ``--jobs 2`` splits the work, for a folder and a file: CPU per chunk
of ``--jobs 1``, of the parent and of the workers with ``--jobs 2``, the speed-up those allow on
two free cores, and the bytes sent to and returned from a worker per chunk.

Usage: ``python benchmarks/sample_speed.py [--rows N] [--stream-rows N] [--quick] [--breakdown]
[--parent]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pyarrow as pa
import pyarrow.parquet as pq

from learnsynth import Synthesizer
from learnsynth.data.sinks import parquet_options, resolve_target, to_arrow
from learnsynth.model import TableModel
from learnsynth.sample import sampler
from learnsynth.sample.parallel import chunk_seed, sample_to_target

ROOT = Path(__file__).resolve().parent.parent
PII4 = ["first_name", "last_name", "email", "phone"]
NON_PII = ["age", "signup_ts", "income", "credit_score", "num_orders", "total_spent", "segment",
           "preferred_channel", "loyalty_tier", "is_active"]


class PeakRss:
    """Samples the RSS of this process and its children; keeps the peak and a trend."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak = 0
        self.trend: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _total(self) -> int:
        me = psutil.Process()
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        start = time.monotonic()
        while not self._stop.is_set():
            rss = self._total()
            self.peak = max(self.peak, rss)
            self.trend.append((time.monotonic() - start, rss))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def numeric_table(n: int = 20_000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 90, n)
    frame = pd.DataFrame({
        "x0": rng.normal(50, 10, n).round(2),
        "x1": (rng.normal(0, 1, n) + 0.02 * age).round(3),
        "amount": np.exp(rng.normal(4, 0.8, n)).round(2),
        "age": age,
        "visits": rng.poisson(4, n),
        "wait": rng.gamma(2, 3, n).round(1),
    })
    for i, k in enumerate((3, 5, 8, 12)):
        frame[f"c{i}"] = rng.choice([f"group_{i}_{j}" for j in range(k)], n)
    return frame


def customers_4pii() -> pd.DataFrame:
    real = pd.read_csv(ROOT / "examples" / "customers.csv", dtype=str, keep_default_na=False,
                       na_values=[""])
    return real[PII4 + NON_PII]


def sdv_rate(frame: pd.DataFrame, rows: int, pii: list[str]) -> float:
    warnings.filterwarnings("ignore")
    from sdv.metadata import Metadata
    from sdv.single_table import GaussianCopulaSynthesizer

    metadata = Metadata.detect_from_dataframes({"table": frame})
    kinds = {"first_name": "first_name", "last_name": "last_name", "email": "email",
             "phone": "phone_number"}
    for col in pii:
        metadata.update_column(table_name="table", column_name=col, sdtype=kinds[col], pii=True)
    synth = GaussianCopulaSynthesizer(metadata)
    synth.fit({"table": frame})
    synth.sample(min(rows, 1000))  # warm up
    began = time.perf_counter()
    out = synth.sample(rows)
    elapsed = time.perf_counter() - began
    out = out["table"] if isinstance(out, dict) else out
    assert len(out) == rows
    return rows / elapsed


def timed(fn: Callable[[], object]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of this process, peak RSS of the tree) of ``fn()``."""
    with PeakRss() as rss:
        cpu = time.process_time()
        began = time.perf_counter()
        fn()
        wall = time.perf_counter() - began
        cpu = time.process_time() - cpu
    return wall, cpu, rss.peak


def run_case(table: TableModel, rows: int, out: Path, jobs: int,
             chunk_rows: int = 100_000) -> tuple[float, float, int]:
    def go() -> None:
        sample_to_target(table, rows, resolve_target(out, overwrite=True), seed=1,
                         chunk_rows=chunk_rows, jobs=jobs)
    if jobs > 1:  # start the loky workers outside the timing, as a long run amortises them
        sample_to_target(table, 2 * chunk_rows, resolve_target(out, overwrite=True), seed=1,
                         chunk_rows=chunk_rows, jobs=jobs)
    wall, cpu, peak = timed(go)
    return rows / wall, rows / cpu, peak


def speedup(table: TableModel, rows: int, out: Path, repeats: int) -> dict[int, float]:
    """Median rows/s of ``--jobs 1`` and ``--jobs 2`` to a folder, runs interleaved.

    One run of each is a fraction of a second at a million rows, where the start of a run (the
    temporary folder, the first chunk reaching each worker) and another process's burst weigh
    on one figure; interleaving and medians make the ratio stand for the two settings.
    """
    rates: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(repeats):
        for jobs in (1, 2):
            rates[jobs].append(run_case(table, rows, out, jobs)[0])
    return {jobs: float(np.median(r)) for jobs, r in rates.items()}


class _Table(list[tuple[str, str, str, str, str]]):
    """Rows of the result table, each printed as soon as it is measured."""

    widths = (52, 11, 11, 13, 8)

    def __init__(self) -> None:
        super().__init__()
        self._print(("case", "rows/s", "rows/CPU-s", "peak RSS MiB", "vs SDV"))

    def _print(self, row: tuple[str, str, str, str, str]) -> None:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(row, self.widths, strict=True))),
              flush=True)

    def append(self, row: tuple[str, str, str, str, str]) -> None:
        super().append(row)
        self._print(row)


def stream(frame: pd.DataFrame, rows: int, tmp: Path) -> tuple[float, float, list[float]]:
    """The real command in a fresh process (no SDV loaded): rows/s, peak tree RSS and trend."""
    Synthesizer(seed=0).fit(frame).save("numeric10", store=str(tmp / "store"))
    cmd = [str(Path(sys.executable).parent / "learnsynth"), "sample", "numeric10", "--rows",
           str(rows), "--out", str(tmp / "stream"), "--jobs", "2", "--store", str(tmp / "store"),
           "--no-report"]
    began = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL)
    peak, trend = 0, []
    while proc.poll() is None:
        total = 0
        for p in [proc, *proc.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        peak = max(peak, total)
        trend.append(total / 2**20)
        time.sleep(0.1)
    wall = time.perf_counter() - began
    if proc.returncode != 0:
        raise SystemExit(f"learnsynth sample exited with {proc.returncode}")
    quarter = [trend[min(len(trend) - 1, int(len(trend) * q))] for q in (0.25, 0.5, 0.75, 0.99)]
    return rows / wall, peak / 2**20, quarter


class _Clock:
    """CPU seconds per stage: ``lap(stage)`` charges the time since the previous lap to it."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self._last = time.process_time()

    def lap(self, stage: str) -> None:
        now = time.process_time()
        self.spent[stage] = self.spent.get(stage, 0.0) + now - self._last
        self._last = now


def _breakdown_pass(table: TableModel, rows: int, chunk_rows: int) -> dict[str, float]:
    """One pass over ``rows`` rows, as ``run_chunk`` does it for a Parquet file, timed."""
    clock = _Clock()
    writer = None
    with tempfile.TemporaryFile() as sink:
        for index, (start, stop) in enumerate(sampler.chunk_bounds(rows, chunk_rows)):
            clock.lap("other")
            rng = np.random.default_rng(chunk_seed(1, index).spawn(3)[0])
            draws = sampler._copula_draws(table, stop - start, rng)
            clock.lap("copula draws (normal scores)")
            data = {}
            for col in table.columns:
                if col.kind in ("integer", "continuous", "datetime"):
                    data[col.name] = sampler._numeric_arrow(col, table, draws)
                    clock.lap("numeric marginals")
                else:
                    data[col.name] = sampler._categorical_arrow(col, table, draws)
                    clock.lap("categories (dictionary codes)")
            arrow = to_arrow(pa.Table.from_arrays(list(data.values()), names=list(data)))
            clock.lap("Arrow table")
            if writer is None:
                writer = pq.ParquetWriter(sink, arrow.schema, **parquet_options(arrow.schema))
            writer.write_table(arrow)
            clock.lap("Parquet encoding")
        if writer is not None:
            writer.close()
        clock.lap("Parquet encoding")
    clock.spent.pop("other", None)
    return clock.spent


def breakdown(table: TableModel, rows: int, chunk_rows: int = 100_000) -> dict[str, float]:
    """CPU ms per million rows of each sampling stage (best of three passes over ``rows``)."""
    best: dict[str, float] = {}
    for _ in range(3):
        for stage, seconds in _breakdown_pass(table, rows, chunk_rows).items():
            best[stage] = min(best.get(stage, np.inf), seconds * 1e3 * 1e6 / rows)
    return best


def _children_cpu() -> float:
    """CPU seconds used so far by this process's live children (the loky workers)."""
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def parent_cost(table: TableModel, rows: int, tmp: Path, chunk_rows: int = 100_000) -> None:
    """``--jobs 2``: CPU per chunk of the parent and of the workers, against ``--jobs 1``.

    The parent dispatches chunks (the job, pickled once per run), collects results, and, for a
    single file, appends each chunk's Arrow table to the Parquet writer; for a folder the
    workers write. CPU time depends far less than wall time on what else runs on the machine,
    so it shows how the work splits even where a wall-clock speed-up cannot be measured. On two
    free cores a chunk takes at least ``max(parent, (parent + workers) / 2)`` (the parent is one
    serial process; the workers' share splits over both cores), so ``--jobs 2`` reaches at most
    ``jobs-1 CPU / that`` times the ``--jobs 1`` speed ("bound"). Measured after a warm-up run
    that starts the workers.
    """
    import pickle

    from learnsynth.sample.parallel import SampleJob, run_chunk

    n_chunks = len(sampler.chunk_bounds(rows, chunk_rows))
    print(f"{'target':12s} {'jobs 1 CPU':>11s} {'jobs 2 parent':>14s} {'jobs 2 workers':>15s} "
          f"{'bound':>6s} {'wall 1/2 s':>11s} {'sent KiB':>9s} {'returned KiB':>13s}  "
          "(CPU in ms per chunk)")
    for out in ("parts", "n.parquet"):
        target = resolve_target(tmp / out, overwrite=True)
        folder = str(tmp / "probe") if target.folder else None
        if folder:
            Path(folder).mkdir(exist_ok=True)
        job = SampleJob(table, rows, 1, chunk_rows, target, folder)
        sent = len(pickle.dumps(job))
        returned = len(pickle.dumps(run_chunk(job, 0)))
        cpu1, wall1 = time.process_time(), time.perf_counter()
        sample_to_target(table, rows, target, seed=1, chunk_rows=chunk_rows, jobs=1,
                         progress=False)
        cpu1, wall1 = time.process_time() - cpu1, time.perf_counter() - wall1
        sample_to_target(table, 2 * chunk_rows, target, seed=1, chunk_rows=chunk_rows, jobs=2,
                         progress=False)  # warm-up: start the workers
        cpu, workers, wall = time.process_time(), _children_cpu(), time.perf_counter()
        sample_to_target(table, rows, target, seed=1, chunk_rows=chunk_rows, jobs=2,
                         progress=False)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        workers = _children_cpu() - workers
        one, parent, work = (x / n_chunks * 1e3 for x in (cpu1, cpu, workers))
        print(f"{out:12s} {one:11.1f} {parent:14.1f} {work:15.1f} "
              f"{one / max(parent, (parent + work) / 2):5.2f}x {wall1:5.2f}/{wall:<5.2f} "
              f"{sent / 1024:9,.0f} {returned / 1024:13,.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000, help="numeric10 rows")
    parser.add_argument("--pii-rows", type=int, default=400_000)
    parser.add_argument("--stream-rows", type=int, default=20_000_000)
    parser.add_argument("--sdv-rows", type=int, default=100_000)
    parser.add_argument("--sdv-pii-rows", type=int, default=3_000)
    parser.add_argument("--speedup-rows", type=int, default=4_000_000,
                        help="rows per run of the --jobs 1 -> 2 speed-up (folder)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="interleaved runs per setting of the speed-up (medians)")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--breakdown", action="store_true",
                        help="only the numeric10 single-core stage breakdown")
    parser.add_argument("--parent", action="store_true",
                        help="only the parent process's cost per chunk with --jobs 2")
    args = parser.parse_args()
    if args.parent:
        print(f"load average {os.getloadavg()[0]:.1f}; numeric10, {args.rows:,} rows")
        model = Synthesizer(seed=0).fit(numeric_table()).model_.table()
        tmp = Path(tempfile.mkdtemp(prefix="learnsynth-bench-"))
        try:
            parent_cost(model, args.rows, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return 0
    if args.breakdown:
        print(f"load average {os.getloadavg()[0]:.1f}; numeric10, CPU ms per million rows, "
              "one core")
        model = Synthesizer(seed=0).fit(numeric_table()).model_.table()
        stages = breakdown(model, min(args.rows, 1_000_000))
        for stage, ms in stages.items():
            print(f"{stage:32s} {ms:7.0f}")
        total = sum(stages.values())
        print(f"{'total':32s} {total:7.0f}   ({1e9 / total:,.0f} rows/CPU-s)")
        return 0
    if args.quick:
        args.rows, args.pii_rows, args.stream_rows = 300_000, 50_000, 1_000_000
        args.speedup_rows, args.repeats = 600_000, 1
        args.sdv_rows, args.sdv_pii_rows = 20_000, 500
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} at start")
    tmp = Path(tempfile.mkdtemp(prefix="learnsynth-bench-"))
    rows_out = _Table()
    try:
        numeric = numeric_table()
        numeric_model = Synthesizer(seed=0).fit(numeric).model_.table()
        sdv_num = sdv_rate(numeric, args.sdv_rows, [])
        rows_out.append(("numeric10 SDV (in memory)", f"{sdv_num:,.0f}", "", "", "1.0x"))
        for jobs in (1, 2):
            rate, cpu_rate, peak = run_case(numeric_model, args.rows, tmp / "n.parquet", jobs)
            rows_out.append((f"numeric10 learnsynth --jobs {jobs} -> .parquet", f"{rate:,.0f}",
                             f"{cpu_rate:,.0f}" if jobs == 1 else "", f"{peak / 2**20:,.0f}",
                             f"{rate / sdv_num:,.1f}x"))

        cust = customers_4pii()
        cust_model = Synthesizer(seed=0).fit(cust).model_.table()
        sdv_pii = sdv_rate(cust, args.sdv_pii_rows, PII4)
        rows_out.append(("customers 4 PII SDV (in memory)", f"{sdv_pii:,.0f}", "", "", "1.0x"))
        for jobs in (1, 2):
            rate, cpu_rate, peak = run_case(cust_model, args.pii_rows, tmp / "c.parquet", jobs,
                                            chunk_rows=50_000)
            rows_out.append((f"customers 4 PII learnsynth --jobs {jobs} -> .parquet",
                             f"{rate:,.0f}", f"{cpu_rate:,.0f}" if jobs == 1 else "",
                             f"{peak / 2**20:,.0f}", f"{rate / sdv_pii:,.1f}x"))

        speed = speedup(numeric_model, args.speedup_rows, tmp / "parts", args.repeats)
        for jobs in (1, 2):
            rows_out.append((f"numeric10 --jobs {jobs} -> folder ({args.speedup_rows:,}, median)",
                             f"{speed[jobs]:,.0f}", "", "", ""))
        rows_out.append(("speed-up --jobs 1 -> 2 (folder)", f"{speed[2] / speed[1]:.2f}x", "", "",
                         ""))

        stream_rate, stream_peak, quarter = stream(numeric, args.stream_rows, tmp)
        rows_out.append((f"stream {args.stream_rows:,} rows --jobs 2 -> folder (CLI)",
                         f"{stream_rate:,.0f}", "", f"{stream_peak:,.0f}", ""))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("stream RSS trend (MiB at 25/50/75/99% of the run): "
          + " / ".join(f"{q:,.0f}" for q in quarter))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
