"""Fidelity of synthetic rows against the model itself (the report ``sample`` writes).

Real data is not at hand when sampling, so the reference is what the model stores:

- Column shapes: numbers and dates get 1 − the one-sample KS statistic of the synthetic values
  against the model's marginal (via its probability integral transform); categories get
  1 − total variation distance against the stored category weights (nulls left out, as in
  TVComplement).
- Column pair trends: for every pair of modelled columns in one copula block, 1 − |ρ_model −
  ρ_synth|/2, where ρ_synth is the correlation of the synthetic rows' normal scores, encoded the
  way the model encodes real rows when fitting.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from learnsynth.model import ColumnModel, TableModel
from learnsynth.profile.columns import category_uniforms
from learnsynth.profile.copula import to_normal
from learnsynth.quality.fidelity import SDTYPE, Scored, as_float, mean_score, worst_first

__all__ = ["model_fidelity"]


def _uniforms(col: ColumnModel, values: pd.Series, rng: np.random.Generator) -> np.ndarray:
    """Synthetic values mapped to the model's uniforms (NaN where null or unknown)."""
    if col.marginal is not None:
        x = as_float(values, Scored(col.name, col.kind, col.details))
        u = np.full(x.shape, np.nan)
        ok = ~np.isnan(x)
        u[ok] = col.marginal.to_uniform(x[ok], rng)
        return u
    labels = values.astype("string")
    if col.kind == "boolean":
        labels = labels.str.lower()
    index = {None if c is None else str(c).lower() if col.kind == "boolean" else str(c): i
             for i, c in enumerate(col.categories)}
    codes = np.array([index.get(None if pd.isna(v) else v, -1) for v in labels], dtype=np.int64)
    u = np.full(codes.shape, np.nan)
    ok = codes >= 0
    weights = np.asarray(col.weights, dtype=float)
    u[ok] = category_uniforms(codes[ok], weights, np.arange(weights.size), rng)
    return u


def _shape(col: ColumnModel, values: pd.Series, u: np.ndarray) -> dict[str, Any]:
    base = {"column": col.name, "kind": col.kind, "sdtype": SDTYPE[col.kind], "reason": None}
    if col.marginal is not None:
        v = np.sort(u[~np.isnan(u)])
        if not v.size:
            return {**base, "metric": "KSComplement", "score": None, "reason": "no value"}
        i = np.arange(1, v.size + 1) / v.size
        d = max(float(np.max(i - v)), float(np.max(v - (i - 1 / v.size))))
        return {**base, "metric": "KSComplement", "score": 1.0 - d}
    present = [(str(c), w) for c, w in zip(col.categories, col.weights, strict=True)
               if c is not None]
    labels = values.dropna().astype("string")
    if col.kind == "boolean":
        labels = labels.str.lower()
        present = [(c.lower(), w) for c, w in present]
    total_w = sum(w for _, w in present)
    if not labels.size or total_w <= 0:
        return {**base, "metric": "TVComplement", "score": None, "reason": "no value"}
    freq = labels.value_counts(normalize=True).to_dict()
    cats = {c for c, _ in present} | set(freq)
    model = {c: w / total_w for c, w in present}
    tv = 0.5 * sum(abs(model.get(c, 0.0) - freq.get(c, 0.0)) for c in cats)
    return {**base, "metric": "TVComplement", "score": 1.0 - tv}


def _pearson(a: np.ndarray, b: np.ndarray) -> float | None:
    ok = ~(np.isnan(a) | np.isnan(b))
    if ok.sum() < 2:
        return None
    x, y = a[ok] - a[ok].mean(), b[ok] - b[ok].mean()
    denom = np.sqrt((x * x).sum() * (y * y).sum())
    return float((x * y).sum() / denom) if denom > 0 else None


def model_fidelity(table: TableModel, synth: pd.DataFrame, seed: int = 0
                   ) -> tuple[dict[str, Any], dict[str, Any]]:
    """(Fidelity, Plots) of ``synth`` against the model ``table``."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x30DE]))
    cols = [c for c in table.columns if c.kind in SDTYPE and c.name in synth.columns]
    u = {c.name: _uniforms(c, synth[c.name], rng) for c in cols}
    z = {name: to_normal(values) for name, values in u.items()}
    shapes = [_shape(c, synth[c.name], u[c.name]) for c in cols]
    pairs = []
    for block in table.blocks:
        dims = {d[0]: i for i, d in enumerate(block.dims) if d[1] == "value" and d[0] in z}
        for a, b in combinations(dims, 2):
            rho_m = float(block.corr[dims[a], dims[b]])
            rho_s = _pearson(z[a], z[b])
            pairs.append({"column_1": a, "column_2": b, "metric": "CorrelationSimilarity",
                          "score": None if rho_s is None else 1.0 - abs(rho_m - rho_s) / 2,
                          "real_correlation": rho_m, "synthetic_correlation": rho_s,
                          "real_association": None, "meets_threshold": rho_s is not None,
                          "reason": "real_correlation is the model's copula correlation "
                                    "(normal scores)"})
    shape_score, trend_score = mean_score(shapes), mean_score(pairs, only_meeting=True)
    props = [s for s in (shape_score, trend_score) if s is not None]
    fidelity = {
        "overall": float(np.mean(props)) if props else None,
        "column_shapes": {"score": shape_score, "columns": worst_first(shapes)},
        "column_pair_trends": {"score": trend_score, "pairs": worst_first(pairs)},
        "reference": "model",
        "detection": {"roc_auc": None, "score": None, "classifier": "", "rows_per_side": 0,
                      "folds": 0, "threshold": 0.9, "status": "not_run",
                      "reason": "needs real rows; run 'learnsynth report REAL SYNTH'"},
        "subsampling": {"real_rows": 0, "synthetic_rows": len(synth), "real_rows_used": 0,
                        "synthetic_rows_used": len(synth), "seed": seed,
                        "note": "every synthetic row is compared with the model"},
    }
    names = [c.name for c in cols if c.marginal is not None]
    corr = [[1.0 if a == b else None for b in names] for a in names]
    synth_corr = [row[:] for row in corr]
    for p in pairs:
        if p["column_1"] in names and p["column_2"] in names:
            i, j = names.index(p["column_1"]), names.index(p["column_2"])
            corr[i][j] = corr[j][i] = p["real_correlation"]
            synth_corr[i][j] = synth_corr[j][i] = p["synthetic_correlation"]
    plots = {"columns": [], "correlation": {"columns": names, "real": corr,
                                            "synthetic": synth_corr}}
    return fidelity, plots
