"""Quality report speed: our fidelity vs SDMetrics' QualityReport, and a full report at scale.

    .venv/bin/python benchmarks/quality_speed.py [--rows 20000] [--big-real 100000]
                                                 [--big-synth 1000000]

Prints a table: seconds for our column shapes + pair trends (from the text frames ``sample``
returns, so parsing is included) and for SDMetrics' QualityReport on the same frames already
typed (best of 3 and of 2 runs: the machine is shared), and the ratio; then the time and peak
RSS of a full ``compare`` (fidelity, detection, privacy, plots) of --big-synth synthetic rows
against --big-real real rows.
"""

from __future__ import annotations

import argparse
import resource
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from learnsynth import Synthesizer
from learnsynth.profile.profiler import holdout_mask
from learnsynth.quality.fidelity import SDTYPE, Scored, column_pair_trends, column_shapes, encode
from learnsynth.quality.report import compare

DEMO = Path(__file__).resolve().parents[1] / "examples" / "customers.csv"


def _typed(frame: pd.DataFrame, cols: list[Scored]) -> pd.DataFrame:
    out = {}
    for c in cols:
        if c.kind == "datetime":
            out[c.name] = pd.to_datetime(frame[c.name], format=str(c.details["format"]),
                                         utc=True).dt.tz_localize(None)
        else:
            out[c.name] = pd.to_numeric(frame[c.name]) if c.continuous else frame[c.name]
    return pd.DataFrame(out)


def _ours(real: pd.DataFrame, fake: pd.DataFrame, cols: list[Scored]) -> None:
    enc = [encode(real, fake, c) for c in cols]   # from text: parses dates and numbers too
    column_shapes(enc), column_pair_trends(enc)


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--big-real", type=int, default=100_000)
    ap.add_argument("--big-synth", type=int, default=1_000_000)
    args = ap.parse_args()
    demo = pd.read_csv(DEMO, dtype=str, keep_default_na=False, na_values=[""])
    synth = Synthesizer(k=5, holdout=0.2, seed=0).fit(demo)
    table = synth.model_.table()
    cols = [Scored(c.name, c.kind, c.details) for c in table.columns if c.kind in SDTYPE]
    real, fake = synth.sample(args.rows, seed=1), synth.sample(args.rows, seed=2)

    ours = min(_timed(lambda: _ours(real, fake, cols)) for _ in range(3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sdmetrics.reports.single_table import QualityReport

        meta = {"columns": {c.name: ({"sdtype": "datetime", "datetime_format": "%Y"}
                                     if c.kind == "datetime" else {"sdtype": SDTYPE[c.kind]})
                            for c in cols}}
        r, s = _typed(real, cols), _typed(fake, cols)
        theirs = min(_timed(lambda: QualityReport().generate(r, s, meta, verbose=False))
                     for _ in range(2))
    print(f"| fidelity, {args.rows:,} vs {args.rows:,} rows, {len(cols)} columns | ours s "
          f"| SDMetrics s | ratio |")
    print(f"| | {ours:.2f} | {theirs:.2f} | {theirs / ours:.1f}x |")

    kinds = {c.name: {"kind": c.kind, "details": c.details} for c in table.columns}
    big_real = synth.sample(args.big_real, seed=3)
    big_fake = synth.sample(args.big_synth, seed=4)
    mask = holdout_mask(len(big_real), 0.2, 0)
    t0 = time.perf_counter()
    rep = compare(big_real, big_fake, kinds, holdout=mask, options=table_options(synth))
    full = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| full report, {args.big_synth:,} synthetic vs {args.big_real:,} real | "
          f"{full:.1f} s | peak RSS {rss:.0f} MiB | overall {rep['fidelity']['overall']:.3f} |")


def table_options(synth: Synthesizer) -> dict[str, object]:
    return dict(synth.model_.options)


if __name__ == "__main__":
    main()
