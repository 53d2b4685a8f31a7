"""Data for the report's plots: binned histograms, category frequencies, correlation matrices.

Only aggregates leave this module: shares per bin or per category. A category shown is one the
model kept (shared by at least k rows) or, without a model, one that at least ``k`` real rows share;
rarer categories are summed into one bar, so no rare value reaches the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from learnsynth.quality.fidelity import Encoded

__all__ = ["column_plots", "correlation_plot"]

_BINS = 20
_MAX_CATEGORIES = 20
OTHER = "(other)"


def _label(v: float, col: Encoded) -> str:
    if col.column.kind == "datetime":
        unit = 86_400 if col.column.details.get("unit") == "d" else 1
        return str(pd.Timestamp(v * unit, unit="s").date())
    return f"{v:.4g}"


def _histogram(e: Encoded) -> dict[str, Any]:
    r, s = e.real[~np.isnan(e.real)], e.synth[~np.isnan(e.synth)]
    ref = r if r.size else s
    lo, hi = (np.quantile(ref, [0.005, 0.995]) if ref.size else (0.0, 1.0))
    edges = np.linspace(lo, hi if hi > lo else lo + 1, _BINS + 1)
    hr = np.histogram(np.clip(r, edges[0], edges[-1]), edges)[0]
    hs = np.histogram(np.clip(s, edges[0], edges[-1]), edges)[0]
    labels = [f"{_label(a, e)} – {_label(b, e)}" for a, b in zip(edges[:-1], edges[1:],
                                                                   strict=True)]
    return {"column": e.column.name, "kind": e.column.kind, "type": "histogram",
            "bins": [float(x) for x in edges], "labels": labels,
            "real": (hr / max(hr.sum(), 1)).tolist(), "synthetic": (hs / max(hs.sum(), 1)).tolist()}


def _frequencies(e: Encoded, k: int) -> dict[str, Any]:
    labels = e.labels or []
    n = len(labels)
    r, s = e.real[e.real >= 0], e.synth[e.synth >= 0]
    cr = np.bincount(r, minlength=n)
    cs = np.bincount(s, minlength=n)
    shown = [i for i in np.argsort(-cr, kind="stable") if cr[i] >= k][:_MAX_CATEGORIES]
    rest = np.setdiff1d(np.arange(n), shown)
    real = [cr[i] for i in shown] + ([cr[rest].sum()] if rest.size else [])
    synth = [cs[i] for i in shown] + ([cs[rest].sum()] if rest.size else [])
    names = [labels[i] for i in shown] + ([OTHER] if rest.size else [])
    tr, ts = max(sum(real), 1), max(sum(synth), 1)
    return {"column": e.column.name, "kind": e.column.kind, "type": "frequencies", "bins": None,
            "labels": names, "real": [float(x / tr) for x in real],
            "synthetic": [float(x / ts) for x in synth]}


def column_plots(encoded: Sequence[Encoded], k: int = 5) -> list[dict[str, Any]]:
    """One ColumnPlot per scored column."""
    return [_histogram(e) if e.column.continuous else _frequencies(e, k) for e in encoded]


def correlation_plot(pairs: Sequence[dict[str, Any]], encoded: Sequence[Encoded]
                     ) -> dict[str, Any]:
    """Pearson matrices of the continuous columns (from the pair scores already computed)."""
    names = [e.column.name for e in encoded if e.column.continuous]
    index = {n: i for i, n in enumerate(names)}
    real: list[list[float | None]] = [[1.0 if i == j else None for j in names] for i in names]
    synth: list[list[float | None]] = [row[:] for row in real]
    for p in pairs:
        if p["metric"] != "CorrelationSimilarity":
            continue
        i, j = index[p["column_1"]], index[p["column_2"]]
        real[i][j] = real[j][i] = p["real_correlation"]
        synth[i][j] = synth[j][i] = p["synthetic_correlation"]
    return {"columns": names, "real": real, "synthetic": synth}
