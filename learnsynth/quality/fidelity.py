"""Fidelity scores by SDMetrics' definitions, vectorised with numpy.

The definitions follow ``sdmetrics.reports.single_table.QualityReport`` (sdmetrics 0.32):

- Column shapes: numerical and datetime columns get KSComplement (1 − two-sample KS statistic on
  the non-null values); categorical and boolean columns get TVComplement (1 − ½ Σ|p_r − p_s| over
  the non-null categories of both sides).
- Column pair trends, over every pair of scored columns: two continuous columns get
  CorrelationSimilarity (1 − |ρ_r − ρ_s|/2, Pearson on rows where both are present); any other
  pair gets ContingencySimilarity (1 − ½ Σ|P_r − P_s| over joint frequencies, null a category of
  its own). A continuous column in a mixed pair is first cut into 10 equal-width bins over *its own
  side's* range (``np.histogram_bin_edges`` then ``np.digitize``, so a null lands in the same bin
  index as the maximum — SDMetrics' quirk, kept for agreement).
- QualityReport averages only the pairs that carry a trend in the real data: |ρ_r| > 0.5 for
  correlation pairs, Cramér's V > 0.3 for contingency pairs. Every pair is still scored here;
  ``meets_threshold`` says whether it counts towards the property score.

The property score is the mean of its scores; ``overall`` is the mean of the two properties.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from learnsynth.quality._fast import datetime_ns

__all__ = [
    "CORRELATION_THRESHOLD",
    "ASSOCIATION_THRESHOLD",
    "Encoded",
    "Scored",
    "column_pair_trends",
    "column_shapes",
    "contingency_similarity",
    "correlation_similarity",
    "cramers_v",
    "encode",
    "ks_complement",
    "tv_complement",
]

CORRELATION_THRESHOLD = 0.5   # QualityReport's real_correlation_threshold
ASSOCIATION_THRESHOLD = 0.3   # QualityReport's real_association_threshold
_BINS = 10
CONTINUOUS = ("integer", "continuous", "datetime")
DISCRETE = ("categorical", "boolean")
SDTYPE = {"integer": "numerical", "continuous": "numerical", "datetime": "datetime",
          "categorical": "categorical", "boolean": "boolean"}


@dataclass(frozen=True)
class Scored:
    """A column that fidelity scores: its name, learnsynth kind and the kind's details."""

    name: str
    kind: str
    details: dict[str, Any]

    @property
    def continuous(self) -> bool:
        return self.kind in CONTINUOUS


@dataclass
class Encoded:
    """Both sides of one column as arrays: floats (continuous) or shared integer codes.

    For discrete columns ``real``/``synth`` hold codes into one category list shared by both
    sides, with ``-1`` for null; ``labels`` are the categories.
    """

    column: Scored
    real: np.ndarray
    synth: np.ndarray
    labels: list[str] | None = None


def as_float(values: pd.Series, col: Scored) -> np.ndarray:
    """Numbers as floats; datetimes as float days or seconds since the epoch (by ``unit``)."""
    if col.kind == "datetime":
        ns = datetime_ns(values, col.details)
        out = ns.astype(np.int64).astype(float)
        out[np.isnat(ns)] = np.nan
        return out / (86_400e9 if col.details.get("unit") == "d" else 1e9)
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)


def _side_codes(values: pd.Series, col: Scored) -> tuple[np.ndarray, np.ndarray]:
    """Codes into this side's labels (text of each distinct value; -1 for null)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    labels = pd.Series(uniques, dtype=object).astype("string")
    if col.kind == "boolean":
        labels = labels.str.strip().str.lower()
    label_codes, label_uniques = pd.factorize(labels, use_na_sentinel=True)
    table = np.append(label_codes, -1).astype(np.int64)
    return table[codes], np.asarray(label_uniques, dtype=object)


def encode(real: pd.DataFrame, synth: pd.DataFrame, col: Scored) -> Encoded:
    """Turn one column of both frames into arrays the metrics work on.

    Categories are coded in order of first appearance in real, then synthetic rows; each
    side is factorized on its own and only the distinct labels are merged.
    """
    if col.continuous:
        return Encoded(col, as_float(real[col.name], col), as_float(synth[col.name], col))
    r_codes, r_labels = _side_codes(real[col.name], col)
    s_codes, s_labels = _side_codes(synth[col.name], col)
    known = pd.Index(r_labels)
    labels = known.append(pd.Index(s_labels)[~pd.Index(s_labels).isin(known)])
    to_shared = np.append(labels.get_indexer(s_labels), -1).astype(np.int64)
    return Encoded(col, r_codes, to_shared[s_codes], [str(u) for u in labels])


# ---------------------------------------------------------------- single columns


def ks_statistic(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sample Kolmogorov–Smirnov D (same value as ``scipy.stats.ks_2samp``)."""
    a, b = np.sort(a), np.sort(b)
    grid = np.sort(np.concatenate([a, b]), kind="stable")   # merging two sorted runs: O(n)
    cdf_a = np.searchsorted(a, grid, side="right") / a.size  # sorted needles: cache-friendly
    cdf_b = np.searchsorted(b, grid, side="right") / b.size
    return float(np.max(np.abs(cdf_a - cdf_b)))


def ks_complement(real: np.ndarray, synth: np.ndarray) -> float | None:
    """1 − KS statistic over the non-null values; None when a side has none."""
    r, s = real[~np.isnan(real)], synth[~np.isnan(synth)]
    if not r.size or not s.size:
        return None
    return 1.0 - ks_statistic(r, s)


def tv_complement(real: np.ndarray, synth: np.ndarray, n_codes: int) -> float | None:
    """1 − total variation distance of the non-null category frequencies."""
    r, s = real[real >= 0], synth[synth >= 0]
    if not r.size or not s.size:
        return None
    pr = np.bincount(r, minlength=n_codes) / r.size
    ps = np.bincount(s, minlength=n_codes) / s.size
    return float(1.0 - 0.5 * np.abs(pr - ps).sum())


def column_shapes(encoded: Sequence[Encoded]) -> list[dict[str, Any]]:
    """One ColumnScore dict per column, in input order."""
    out = []
    for e in encoded:
        col = e.column
        if col.continuous:
            score, metric = ks_complement(e.real, e.synth), "KSComplement"
        else:
            score, metric = tv_complement(e.real, e.synth, len(e.labels or ())), "TVComplement"
        out.append({"column": col.name, "kind": col.kind, "sdtype": SDTYPE[col.kind],
                    "metric": metric, "score": score,
                    "reason": None if score is not None else "a side has no non-null value"})
    return out


# ---------------------------------------------------------------- pairs


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    ok = ~(np.isnan(x) | np.isnan(y))
    x, y = x[ok], y[ok]
    if x.size < 2:
        return float("nan")
    x = x - x.mean()
    y = y - y.mean()
    denom = np.sqrt((x * x).sum() * (y * y).sum())
    return float((x * y).sum() / denom) if denom > 0 else float("nan")


def _constant(x: np.ndarray) -> bool:
    present = x[~np.isnan(x)]
    return present.size > 0 and bool(np.all(present == present[0]))


def correlation_similarity(real: tuple[np.ndarray, np.ndarray],
                           synth: tuple[np.ndarray, np.ndarray]) -> dict[str, Any]:
    """CorrelationSimilarity of two continuous columns, with both Pearson coefficients."""
    if any(_constant(v) for v in (*real, *synth)):
        return {"score": None, "real": None, "synth": None,
                "reason": "a column is constant; correlation is undefined"}
    rho_r, rho_s = _pearson(*real), _pearson(*synth)
    if np.isnan(rho_r) or np.isnan(rho_s):
        return {"score": None, "real": _finite(rho_r), "synth": _finite(rho_s),
                "reason": "fewer than two rows with both values"}
    return {"score": 1.0 - abs(rho_r - rho_s) / 2, "real": rho_r, "synth": rho_s, "reason": None}


def _finite(v: float) -> float | None:
    return None if np.isnan(v) else float(v)


def discretize(x: np.ndarray) -> np.ndarray:
    """SDMetrics' binning of a continuous column for contingency (own range, 10 bins)."""
    present = x[~np.isnan(x)]
    if not present.size:
        return np.full(x.shape, _BINS + 1, dtype=np.int64)
    edges = np.histogram_bin_edges(present, bins=_BINS)
    return np.searchsorted(edges, x, side="right").astype(np.int64)  # = np.digitize(x, edges)


def _joint(a: np.ndarray, b: np.ndarray, nb: int) -> np.ndarray:
    return (a + 1) * (nb + 1) + (b + 1)


def contingency_similarity(real: tuple[np.ndarray, np.ndarray], synth: tuple[np.ndarray,
                           np.ndarray], na: int, nb: int) -> float:
    """1 − ½ Σ|P_r − P_s| over joint frequencies of codes (−1 = null, a category of its own)."""
    size = (na + 1) * (nb + 1)
    pr = np.bincount(_joint(*real, nb), minlength=size) / real[0].size
    ps = np.bincount(_joint(*synth, nb), minlength=size) / synth[0].size
    return float(1.0 - 0.5 * np.abs(pr - ps).sum())


def cramers_v(a: np.ndarray, b: np.ndarray, na: int, nb: int) -> float:
    """Cramér's V of the real contingency table (``scipy.stats.contingency.association``)."""
    return _cramers_table(np.bincount(_joint(a, b, nb), minlength=(na + 1) * (nb + 1)), na, nb)


def _discrete_codes(e: Encoded) -> tuple[np.ndarray, np.ndarray, int]:
    if e.column.continuous:
        return discretize(e.real), discretize(e.synth), _BINS + 2
    return e.real, e.synth, len(e.labels or ())


def pairwise_pearson(x: np.ndarray) -> np.ndarray:
    """Pearson ρ of every pair of columns of ``x`` on the rows where both are present.

    Six matrix products instead of a pass per pair: with ``m`` the presence mask and ``z`` the
    centred values (0 where missing), each pair's sums over its common rows are entries of
    ``mᵀm``, ``zᵀm``, ``(z²)ᵀm`` and ``zᵀz``. NaN where fewer than two common rows or a side is
    constant on them.
    """
    present = ~np.isnan(x)
    m = present.astype(float)
    centre = np.array([x[present[:, j], j].mean() if present[:, j].any() else 0.0
                       for j in range(x.shape[1])])
    z = np.where(present, x - centre, 0.0)
    n = m.T @ m
    sx = z.T @ m                        # sx[i, j]: sum of column i over rows where j is present
    sxx = (z * z).T @ m
    sxy = z.T @ z
    with np.errstate(divide="ignore", invalid="ignore"):
        cov = sxy - sx * sx.T / n
        var = sxx - sx * sx / n          # var[i, j]: of column i on the rows both are present
        rho = cov / np.sqrt(var * var.T)
    rho[(n < 2) | ~(var > 0) | ~(var.T > 0)] = np.nan
    return np.clip(rho, -1.0, 1.0)


def _correlation_pair(i: int, j: int, rho_r: np.ndarray, rho_s: np.ndarray,
                      constant: list[bool]) -> dict[str, Any]:
    if constant[i] or constant[j]:
        return {"score": None, "real": None, "synth": None,
                "reason": "a column is constant; correlation is undefined"}
    r, s = float(rho_r[i, j]), float(rho_s[i, j])
    if np.isnan(r) or np.isnan(s):
        return {"score": None, "real": _finite(r), "synth": _finite(s),
                "reason": "fewer than two rows with both values"}
    return {"score": 1.0 - abs(r - s) / 2, "real": r, "synth": s, "reason": None}


def _contingency_pair(c1: tuple[np.ndarray, np.ndarray, int],
                      c2: tuple[np.ndarray, np.ndarray, int]) -> tuple[float, float]:
    (r1, s1, n1), (r2, s2, n2) = c1, c2
    size = (n1 + 1) * (n2 + 1)
    real = np.bincount(_joint(r1, r2, n2), minlength=size)
    pr = real / r1.size
    ps = np.bincount(_joint(s1, s2, n2), minlength=size) / s1.size
    return float(1.0 - 0.5 * np.abs(pr - ps).sum()), _cramers_table(real, n1, n2)


def _cramers_table(counts: np.ndarray, na: int, nb: int) -> float:
    table = counts.reshape(na + 1, nb + 1)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0].astype(float)
    if table.size == 0 or min(table.shape) < 2:
        return float("nan")
    n = table.sum()
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    chi2 = float(((table - expected) ** 2 / expected).sum())
    return float(np.sqrt(chi2 / n / (min(table.shape) - 1)))


def column_pair_trends(encoded: Sequence[Encoded]) -> list[dict[str, Any]]:
    """One PairScore dict per pair of columns, in SDMetrics' pair order.

    Work shared by pairs is done once: the binned codes of each continuous column, and the
    Pearson matrices of all continuous columns (:func:`pairwise_pearson`).
    """
    cont = [i for i, e in enumerate(encoded) if e.column.continuous]
    slot = {i: k for k, i in enumerate(cont)}
    empty = np.zeros((0, 0))
    rho_r = pairwise_pearson(np.column_stack([encoded[i].real for i in cont])) if cont else empty
    rho_s = pairwise_pearson(np.column_stack([encoded[i].synth for i in cont])) if cont else empty
    constant = [_constant(e.real) or _constant(e.synth) if e.column.continuous else False
                for e in encoded]
    codes: dict[int, tuple[np.ndarray, np.ndarray, int]] = {}
    out = []
    for i, j in combinations(range(len(encoded)), 2):
        e1, e2 = encoded[i], encoded[j]
        base = {"column_1": e1.column.name, "column_2": e2.column.name}
        if e1.column.continuous and e2.column.continuous:
            res = _correlation_pair(slot[i], slot[j], rho_r, rho_s,
                                    [constant[k] for k in cont])
            meets = res["real"] is not None and abs(res["real"]) > CORRELATION_THRESHOLD
            out.append({**base, "metric": "CorrelationSimilarity", "score": res["score"],
                        "real_correlation": res["real"], "synthetic_correlation": res["synth"],
                        "real_association": None,
                        "meets_threshold": bool(meets and res["score"] is not None),
                        "reason": res["reason"]})
            continue
        for k in (i, j):
            if k not in codes:
                codes[k] = _discrete_codes(encoded[k])
        score, assoc = _contingency_pair(codes[i], codes[j])
        out.append({**base, "metric": "ContingencySimilarity", "score": score,
                    "real_correlation": None, "synthetic_correlation": None,
                    "real_association": _finite(assoc),
                    "meets_threshold": bool(not np.isnan(assoc) and assoc > ASSOCIATION_THRESHOLD),
                    "reason": None})
    return out


def mean_score(items: Sequence[dict[str, Any]], *, only_meeting: bool = False) -> float | None:
    """The property score: mean of the scores (of pairs meeting the threshold, for trends)."""
    scores = [i["score"] for i in items if i["score"] is not None
              and (not only_meeting or i.get("meets_threshold"))]
    return float(np.mean(scores)) if scores else None


def worst_first(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sorted by score ascending; unscored items last."""
    return sorted(items, key=lambda i: (i["score"] is None, i["score"] or 0.0))
