"""learnsynth against SDV's GaussianCopulaSynthesizer on public mixed-type tables with nulls.

For each table in :data:`benchmarks._datasets.DATASETS`, in the same process and on the same
training split (80 %; the other 20 % is a holdout neither tool sees), this script

1. fits learnsynth (``Synthesizer(seed=0)``) and SDV (``GaussianCopulaSynthesizer``) and times it,
2. samples as many rows as the training split has from each and times that,
3. scores both with SDMetrics' ``QualityReport`` (overall, Column Shapes, Column Pair Trends)
   against the training split, with the same metadata,
4. computes two privacy figures for each: the DCR share (of synthetic rows, the share whose
   closest record lies in the training rather than an equally large holdout: 0.5 is ideal, 1.0
   means every synthetic row sits on a training row) and the share of exact copies of a training
   row.

and prints one table. Targets (issue #2): learnsynth's mean quality >= 0.93, never below SDV on a
table, and fitting >= 10x faster than SDV.

Usage::

    python benchmarks/compare_sdv.py                   # all tables, full size (a few minutes)
    python benchmarks/compare_sdv.py --quick           # at most 5,000 rows per table
    python benchmarks/compare_sdv.py --only yrbss,storms --details
    python benchmarks/compare_sdv.py --no-sdv --json out.json
    python benchmarks/compare_sdv.py --fit-only --repeat 3   # fit times only (wall and CPU)

``--fit-only`` fits each tool ``--repeat`` times per table (default 1), keeps the fastest wall and
CPU time of each, and prints only the fit comparison: on a shared machine the CPU-time ratio is
the steadier one. Imports stay outside the timed region for both tools, as in the full run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._datasets import (  # noqa: E402
    DATASETS,
    Dataset,
    align,
    load,
    metadata,
    real_for_scoring,
    split,
)

PRIVACY_ROWS = 2_000  # synthetic rows checked for DCR share


@dataclass
class Result:
    """One tool on one table."""

    fit_s: float
    sample_rows_per_s: float
    overall: float
    shapes: float
    pairs: float
    dcr_share: float
    exact_copies: float
    worst: list[str] = field(default_factory=list)


def _fit_learnsynth(train: pd.DataFrame, n: int,
                    roles: bool = True) -> tuple[pd.DataFrame, float, float]:
    """Fit and sample learnsynth; ``roles`` gives it SDV's column roles (no column is PII)."""
    from learnsynth import Synthesizer
    from learnsynth.config import ColumnOverride

    columns = {str(c): ColumnOverride(pii=False) for c in train.columns} if roles else {}
    t0 = time.perf_counter()
    synth = Synthesizer(seed=0, columns=columns).fit(train, progress=False)
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    fake = synth.sample(n, seed=1)
    return fake, fit_s, n / (time.perf_counter() - t0)


def _fit_sdv(train: pd.DataFrame, meta: dict[str, Any], n: int) -> tuple[pd.DataFrame, float,
                                                                          float]:
    from sdv.metadata import Metadata
    from sdv.single_table import GaussianCopulaSynthesizer

    md = Metadata.load_from_dict({"tables": {"table": meta}, "METADATA_SPEC_VERSION": "V1"})
    t0 = time.perf_counter()
    synth = GaussianCopulaSynthesizer(md)
    synth.fit({"table": train})  # SDV 2 takes (and returns) {table name: frame}
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    fake = synth.sample(n)
    fake = fake["table"] if isinstance(fake, dict) else fake
    return fake, fit_s, n / (time.perf_counter() - t0)


def _fit_times(fit: Any, repeat: int) -> tuple[float, float]:
    """Fastest wall and CPU seconds of ``fit()`` over ``repeat`` calls."""
    wall, cpu = float("inf"), float("inf")
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fit()
        wall = min(wall, time.perf_counter() - w0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu


def fit_only(dataset: Dataset, max_rows: int | None, repeat: int) -> dict[str, Any]:
    """Fit times of both tools on one table (same training split and roles as :func:`run_one`)."""
    from sdv.metadata import Metadata
    from sdv.single_table import GaussianCopulaSynthesizer

    from learnsynth import Synthesizer
    from learnsynth.config import ColumnOverride

    frame = load(dataset, max_rows)
    meta = metadata(dataset, frame)
    train, _ = split(frame)
    columns = {str(c): ColumnOverride(pii=False) for c in train.columns}
    md = Metadata.load_from_dict({"tables": {"table": meta}, "METADATA_SPEC_VERSION": "V1"})
    ls = _fit_times(lambda: Synthesizer(seed=0, columns=columns).fit(train, progress=False),
                    repeat)
    sd = _fit_times(lambda: GaussianCopulaSynthesizer(md).fit({"table": train}), repeat)
    return {"dataset": dataset.name, "rows": len(train), "cols": frame.shape[1],
            "learnsynth": {"fit_s": ls[0], "fit_cpu_s": ls[1]},
            "sdv": {"fit_s": sd[0], "fit_cpu_s": sd[1]}}


def fit_table(results: list[dict[str, Any]]) -> str:
    """The ``--fit-only`` results as a Markdown table with a mean row."""
    head = ["dataset", "train rows", "cols", "fit s (ls)", "fit s (SDV)", "speed-up",
            "CPU s (ls)", "CPU s (SDV)", "CPU speed-up"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    ratios: list[tuple[float, float]] = []
    for r in results:
        ls, sd = r["learnsynth"], r["sdv"]
        ratio = (sd["fit_s"] / ls["fit_s"], sd["fit_cpu_s"] / ls["fit_cpu_s"])
        ratios.append(ratio)
        lines.append("| " + " | ".join([
            r["dataset"].split("/")[1], f"{r['rows']:,}", str(r["cols"]), f"{ls['fit_s']:.2f}",
            f"{sd['fit_s']:.2f}", f"{ratio[0]:.1f}x", f"{ls['fit_cpu_s']:.2f}",
            f"{sd['fit_cpu_s']:.2f}", f"{ratio[1]:.1f}x"]) + " |")
    wall, cpu = np.array(ratios).T
    lines.append(f"| **mean** | | | | | {wall.mean():.1f}x | | | {cpu.mean():.1f}x |")
    lines.append("")
    lines.append(f"slowest fit speed-up {wall.min():.1f}x wall, {cpu.min():.1f}x CPU "
                 f"(target >= 10x): {'met' if min(wall.min(), cpu.min()) >= 10 else 'NOT met'}")
    return "\n".join(lines)


def _quality(real: pd.DataFrame, fake: pd.DataFrame,
             meta: dict[str, Any]) -> tuple[float, float, float, list[str]]:
    from sdmetrics.reports.single_table import QualityReport

    report = QualityReport()
    report.generate(real, fake, meta, verbose=False)
    props = report.get_properties().set_index("Property")["Score"]
    shapes = report.get_details("Column Shapes")
    pairs = report.get_details("Column Pair Trends")
    worst = [f"{r.Column}={r.Score:.2f}" for r in shapes.nsmallest(3, "Score").itertuples()]
    worst += [f"{r._1}~{r._2}={r.Score:.2f}" for r in pairs.nsmallest(3, "Score").itertuples()]
    return (float(report.get_score()), float(props["Column Shapes"]),
            float(props["Column Pair Trends"]), worst)


def _encode(frames: list[pd.DataFrame], meta: dict[str, Any]) -> list[np.ndarray]:
    """Numbers scaled to [0, 1] by the real range, a null indicator each, categories one-hot/√2.

    So a category mismatch, a null against a value, and a full-range numeric gap all count 1 in
    the Euclidean distance.
    """
    real = frames[0]
    parts: list[list[np.ndarray]] = [[] for _ in frames]
    for column, spec in meta["columns"].items():
        if spec["sdtype"] in ("numerical", "datetime"):
            num = [_as_float(f[column]) for f in frames]
            lo, hi = np.nanmin(num[0]), np.nanmax(num[0])
            span = hi - lo if hi > lo else 1.0
            for i, x in enumerate(num):
                missing = np.isnan(x)
                parts[i].append(np.where(missing, 0.0, np.clip((x - lo) / span, -1, 2)))
                parts[i].append(missing.astype(float))
        else:
            cats = pd.Index(real[column].astype(str).unique())
            for i, f in enumerate(frames):
                codes = cats.get_indexer(f[column].astype(str))
                onehot = np.zeros((len(f), cats.size + 1))
                onehot[np.arange(len(f)), np.where(codes < 0, cats.size, codes)] = 1 / np.sqrt(2)
                parts[i].append(onehot)
    return [np.column_stack(p) for p in parts]


def _as_float(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_datetime64_any_dtype(values):
        ns = values.to_numpy(dtype="datetime64[ns]")
        return np.where(np.isnat(ns), np.nan, ns.astype("int64").astype(float))
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)


def _privacy(train: pd.DataFrame, hold: pd.DataFrame, fake: pd.DataFrame,
             meta: dict[str, Any]) -> tuple[float, float]:
    """DCR share against an equally large holdout, and the share of exact training copies."""
    from sklearn.neighbors import NearestNeighbors

    rng = np.random.default_rng(0)
    train_part = train.iloc[rng.choice(len(train), len(hold), replace=False)]
    probe = fake.iloc[rng.choice(len(fake), min(PRIVACY_ROWS, len(fake)), replace=False)]
    tr, ho, pr = _encode([train_part, hold, probe], meta)
    d_train = NearestNeighbors(n_neighbors=1).fit(tr).kneighbors(pr)[0][:, 0]
    d_hold = NearestNeighbors(n_neighbors=1).fit(ho).kneighbors(pr)[0][:, 0]
    ties = d_train == d_hold
    share = float(np.mean(np.where(ties, 0.5, d_train < d_hold)))
    cols = list(meta["columns"])
    keys = set(pd.util.hash_pandas_object(train[cols].astype(str), index=False))
    fake_keys = pd.util.hash_pandas_object(fake[cols].astype(str), index=False)
    return share, float(np.mean([k in keys for k in fake_keys]))


def run_one(dataset: Dataset, max_rows: int | None, with_sdv: bool) -> dict[str, Any]:
    frame = load(dataset, max_rows)
    meta = metadata(dataset, frame)
    train, hold = split(frame)
    real = real_for_scoring(train, meta)
    hold_s = real_for_scoring(hold, meta)
    out: dict[str, Any] = {"dataset": dataset.name, "rows": len(train), "cols": frame.shape[1]}
    tools = [("learnsynth", lambda: _fit_learnsynth(train, len(train)))]
    if with_sdv:
        tools.append(("sdv", lambda: _fit_sdv(train, meta, len(train))))
    for tool, run in tools:
        fake, fit_s, rps = run()
        fake = align(fake, train, meta)
        overall, shapes, pairs, worst = _quality(real, fake, meta)
        dcr, copies = _privacy(real, hold_s, fake, meta)
        out[tool] = asdict(Result(fit_s, rps, overall, shapes, pairs, dcr, copies, worst))
    return out


def _row(r: dict[str, Any]) -> str:
    ls, sd = r["learnsynth"], r.get("sdv")
    name = r["dataset"].split("/")[1]
    cells = [name, f"{r['rows']:,}", str(r["cols"]), f"{ls['fit_s']:.2f}"]
    if sd:
        cells += [f"{sd['fit_s']:.2f}", f"{sd['fit_s'] / ls['fit_s']:.1f}x"]
    cells += [f"{ls['sample_rows_per_s']:,.0f}"]
    if sd:
        cells += [f"{sd['sample_rows_per_s']:,.0f}",
                  f"{ls['sample_rows_per_s'] / sd['sample_rows_per_s']:.1f}x"]
    for key in ("overall", "shapes", "pairs"):
        cells += [f"{ls[key]:.3f}"] + ([f"{sd[key]:.3f}"] if sd else [])
    cells += [f"{ls['dcr_share']:.2f}"] + ([f"{sd['dcr_share']:.2f}"] if sd else [])
    cells += [f"{ls['exact_copies']:.2%}"] + ([f"{sd['exact_copies']:.2%}"] if sd else [])
    return "| " + " | ".join(cells) + " |"


def table(results: list[dict[str, Any]]) -> str:
    """The results as a Markdown table with a mean row."""
    sdv = all("sdv" in r for r in results)
    head = ["dataset", "train rows", "cols", "fit s (ls)"]
    if sdv:
        head += ["fit s (SDV)", "fit speed-up"]
    head += ["sample rows/s (ls)"] + (["sample rows/s (SDV)", "sample speed-up"] if sdv else [])
    for key in ("quality", "shapes", "pairs", "DCR share", "exact copies"):
        head += [f"{key} (ls)"] + ([f"{key} (SDV)"] if sdv else [])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += [_row(r) for r in results]
    lines.append(_mean_row(results, sdv, len(head)))
    return "\n".join(lines)


def _mean_row(results: list[dict[str, Any]], sdv: bool, width: int) -> str:
    def mean(tool: str, key: str) -> float:
        return float(np.mean([r[tool][key] for r in results]))

    cells = ["**mean**", "", "", f"{mean('learnsynth', 'fit_s'):.2f}"]
    if sdv:
        ratio = np.mean([r["sdv"]["fit_s"] / r["learnsynth"]["fit_s"] for r in results])
        cells += [f"{mean('sdv', 'fit_s'):.2f}", f"{ratio:.1f}x"]
    cells += [""] + (["", ""] if sdv else [])
    for key in ("overall", "shapes", "pairs", "dcr_share"):
        cells += [f"**{mean('learnsynth', key):.3f}**"] + (
            [f"{mean('sdv', key):.3f}"] if sdv else [])
    cells += [f"{mean('learnsynth', 'exact_copies'):.2%}"] + (
        [f"{mean('sdv', 'exact_copies'):.2%}"] if sdv else [])
    return "| " + " | ".join(cells + [""] * (width - len(cells))) + " |"


def verdict(results: list[dict[str, Any]]) -> list[str]:
    """Which targets of issue #2 hold in this run."""
    ls = [r["learnsynth"]["overall"] for r in results]
    lines = [f"learnsynth mean quality {np.mean(ls):.3f} (target >= 0.93): "
             f"{'met' if np.mean(ls) >= 0.93 else 'NOT met'}"]
    if all("sdv" in r for r in results):
        below = [r["dataset"] for r in results if r["learnsynth"]["overall"] < r["sdv"]["overall"]]
        speed = min(r["sdv"]["fit_s"] / r["learnsynth"]["fit_s"] for r in results)
        lines.append(f"SDV mean quality {np.mean([r['sdv']['overall'] for r in results]):.3f}; "
                     f"learnsynth below SDV on: {', '.join(below) or 'none'}")
        # One fit per tool and table here: each time swings by 20-40 % on a shared machine
        # (SDV's yrbss 2.7-3.8 s, learnsynth's 0.21-0.30 s), so the target is judged by
        # --fit-only --repeat 3 (fastest of three fits each), as timeit does.
        lines.append(f"slowest single-shot fit speed-up {speed:.1f}x (indicative; the >= 10x "
                     "target is judged by --fit-only --repeat 3)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="at most 5,000 rows per table")
    parser.add_argument("--max-rows", type=int, default=None, help="rows per table (subsample)")
    parser.add_argument("--only", default="", help="comma-separated dataset items to run")
    parser.add_argument("--no-sdv", action="store_true", help="run learnsynth only")
    parser.add_argument("--details", action="store_true", help="print the worst columns/pairs")
    parser.add_argument("--json", type=Path, default=None, help="also write results as JSON")
    parser.add_argument("--fit-only", action="store_true",
                        help="time fitting only (both tools), no sampling or scoring")
    parser.add_argument("--repeat", type=int, default=1,
                        help="with --fit-only: fits per tool and table, fastest kept")
    args = parser.parse_args(argv)
    max_rows = args.max_rows or (5_000 if args.quick else None)
    wanted = {w.strip() for w in args.only.split(",") if w.strip()}
    chosen = [d for d in DATASETS if not wanted or d.item in wanted or d.name in wanted]
    if not chosen:
        print(f"error: --only {args.only!r} matches no dataset", file=sys.stderr)
        return 2
    warnings.filterwarnings("ignore")
    if args.fit_only:
        if args.repeat < 1:
            print(f"error: --repeat must be at least 1, got {args.repeat}", file=sys.stderr)
            return 2
        fits = []
        for dataset in chosen:
            print(f"... {dataset.name}", file=sys.stderr, flush=True)
            fits.append(fit_only(dataset, max_rows, args.repeat))
        print(fit_table(fits))
        if args.json:
            args.json.write_text(json.dumps(fits, indent=2))
        return 0
    results = []
    for dataset in chosen:
        print(f"... {dataset.name}", file=sys.stderr, flush=True)
        result = run_one(dataset, max_rows, not args.no_sdv)
        results.append(result)
        if args.details:
            for tool in ("learnsynth", "sdv"):
                if tool in result:
                    print(f"    {tool}: {result[tool]['overall']:.3f} worst "
                          f"{', '.join(result[tool]['worst'])}", file=sys.stderr, flush=True)
    print(table(results))
    print()
    print("\n".join(verdict(results)))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
