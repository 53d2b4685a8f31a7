"""Fit one column: turn its values into a :class:`ColumnModel` and the copula's uniforms.

Each ``fit_*`` function returns a :class:`ColumnFit`: the column model (what is stored) and, for
modelled kinds, the column's uniforms ``u`` (and null-indicator uniforms) for the copula. Privacy
rules are applied here: rare categories merged, numeric bounds protected, PII/key/text columns
reduced to descriptors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from learnsynth.model import ColumnModel
from learnsynth.profile.kinds import ColumnKind, to_datetime_seconds
from learnsynth.profile.marginals import fit_marginal

__all__ = ["ColumnFit", "category_uniforms", "fit_column"]

_NULL = "\x00null"  # stands for a missing value while counting categories


@dataclass
class ColumnFit:
    """A fitted column plus what the copula needs from it (None for unmodelled kinds)."""

    model: ColumnModel
    u: np.ndarray | None = None          # value uniforms, NaN where null (numeric kinds)
    u_null: np.ndarray | None = None     # null-indicator uniforms (numeric kinds with nulls)
    codes: np.ndarray | None = None      # category codes (categorical kinds), -1 never occurs
    stats: dict[str, Any] | None = None  # summary for the profile document


def _null_uniforms(isnull: np.ndarray, rate: float, rng: np.random.Generator) -> np.ndarray:
    """Interval encoding of the null indicator: present in [0, 1-rate), null in [1-rate, 1)."""
    draw = rng.random(isnull.shape[0])
    return np.where(isnull, 1 - rate + draw * rate, draw * (1 - rate))


def _numeric_values(values: pd.Series, kind: ColumnKind) -> np.ndarray:
    if kind.kind == "datetime":
        return to_datetime_seconds(values, kind.details)
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)


def _fit_numeric(values: pd.Series, kind: ColumnKind, options: Any,
                 rng: np.random.Generator, override: Any) -> ColumnFit:
    x = _numeric_values(values, kind)
    isnull = np.isnan(x)
    present = x[~isnull]
    null_rate = float(isnull.mean())
    integer = kind.kind == "integer" or kind.kind == "datetime"
    marginal = fit_marginal(present, integer=integer, k=options.k, tail=options.tail,
                            rng=rng, **({"family": override.distribution}
                                        if override and override.distribution else {}))
    u = np.full(x.shape[0], np.nan)
    u[~isnull] = marginal.to_uniform(present, rng)
    u_null = _null_uniforms(isnull, null_rate, rng) if 0 < null_rate < 1 else None
    q = marginal.ppf(np.array([0.05, 0.25, 0.5, 0.75, 0.95]))
    stats = {"count": int(present.size), "mean": float(present.mean()),
             "std": float(present.std()), "quantiles_5_25_50_75_95": [float(v) for v in q],
             "protected_low": marginal.low, "protected_high": marginal.high}
    model = ColumnModel(kind.column, kind.kind, null_rate, dict(kind.details), marginal)
    return ColumnFit(model, u, u_null, stats=stats)


def _fit_categorical(values: pd.Series, kind: ColumnKind, options: Any,
                     rng: np.random.Generator) -> ColumnFit:
    """Categories shared by fewer than k' rows become the rare token; null is its own category.

    k' is k plus a small random amount per column (as MOSTLY AI does), so the threshold itself does
    not tell how many rows a missing category had.
    """
    k_col = options.k + int(rng.integers(0, 3))
    if kind.kind == "boolean" and kind.details.get("native"):
        labels = values.map(lambda v: _NULL if pd.isna(v) else ("true" if bool(v) else "false"))
    else:
        labels = values.map(lambda v: _NULL if pd.isna(v) else str(v))
    counts = labels.value_counts()
    kept = sorted(c for c, m in counts.items() if m >= k_col or c == _NULL)
    rare = int(labels.size - counts[kept].sum())
    cats: list[Any] = [None if c == _NULL else c for c in kept]
    if rare:
        cats.append(options.rare_token)
    index = {c: i for i, c in enumerate(kept)}
    codes_arr = labels.map(lambda v: index.get(v, len(kept))).to_numpy(dtype=np.int64)
    weights = np.bincount(codes_arr, minlength=len(cats)) / labels.size
    model = ColumnModel(kind.column, kind.kind, float(values.isna().mean()), dict(kind.details),
                        None, tuple(cats), tuple(float(w) for w in weights))
    stats = {"categories_kept": len([c for c in kept if c != _NULL]),
             "categories_merged": int(len(counts) - len(kept)), "rare_share": rare / labels.size}
    return ColumnFit(model, codes=codes_arr, stats=stats)


def category_uniforms(codes: np.ndarray, weights: np.ndarray, order: np.ndarray,
                      rng: np.random.Generator) -> np.ndarray:
    """Uniforms for category codes: each category owns an interval, laid out in ``order``."""
    w = weights[order]
    upper = np.cumsum(w)
    lower = upper - w
    pos = np.empty_like(order)
    pos[order] = np.arange(order.size)
    slot = pos[codes]
    return lower[slot] + rng.random(codes.shape[0]) * w[slot]


def _text_stats(values: pd.Series, k: int) -> dict[str, Any]:
    lengths = np.sort(values.dropna().astype(str).str.len().to_numpy())
    if lengths.size < 2 * k:
        return {"length_mean": float(lengths.mean()) if lengths.size else 0.0}
    groups = np.array_split(lengths, min(5, lengths.size // k))
    return {"length_profile": [float(g.mean()) for g in groups]}


def fit_column(values: pd.Series, kind: ColumnKind, options: Any, rng: np.random.Generator,
               override: Any = None) -> ColumnFit:
    """Fit one column according to its kind."""
    null_rate = float(values.isna().mean())
    if kind.kind in ("integer", "continuous", "datetime"):
        return _fit_numeric(values, kind, options, rng, override)
    if kind.kind in ("categorical", "boolean"):
        return _fit_categorical(values, kind, options, rng)
    details = dict(kind.details)
    if kind.kind == "text":
        details.update(_text_stats(values, options.k))
    if kind.kind == "pii":
        present = values.dropna()
        # Only the fact that values never repeat is kept, so replacements can be unique too.
        details["unique"] = bool(present.size > 1 and present.is_unique)
    model = ColumnModel(kind.column, kind.kind, null_rate, details)
    return ColumnFit(model, stats={"count": int(values.notna().sum())})
