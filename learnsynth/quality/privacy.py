"""Privacy tests: distance to closest record, exact copies, and a scan for real PII values.

Each test returns a dict of the schema in :mod:`learnsynth.quality.report` with its threshold and
a ``status`` (pass / fail / not_run). Thresholds and sizes are documented in ``docs/report.md``.
No value found is ever returned: only counts and shares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors

from learnsynth.quality._fast import norm_text
from learnsynth.quality.fidelity import Scored, as_float

__all__ = ["DIRECT_KINDS", "Split", "dcr_test", "exact_copies_test", "pii_leak_test"]

DIRECT_KINDS = frozenset({
    "full_name", "email", "phone", "ssn", "national_id", "passport", "credit_card", "iban",
    "bank_account", "ip_address", "mac_address", "street_address", "username", "url",
})
DCR_THRESHOLD = 0.6
DCR_TRAIN_ROWS = 20_000
DCR_HOLDOUT_ROWS = 10_000
DCR_QUERY_ROWS = 2_000   # share p to ±0.02 (2 s.e.) against a 0.6 threshold
TOP_CATEGORIES = 30


@dataclass(frozen=True)
class Split:
    """Real rows split into what the model learned from and what it never saw (may be None)."""

    train: pd.DataFrame
    holdout: pd.DataFrame | None


def _not_run(base: dict[str, Any], reason: str) -> dict[str, Any]:
    return {**base, "value": None, "status": "not_run", "reason": reason}


# ---------------------------------------------------------------- row features


def _features(frames: Sequence[pd.DataFrame], columns: Sequence[Scored]) -> list[np.ndarray]:
    """Standardized numbers (+ null flags) and one-hot top categories, fitted on frames[0]."""
    blocks: list[list[np.ndarray]] = [[] for _ in frames]
    for col in columns:
        if col.continuous:
            xs = [as_float(f[col.name], col) for f in frames]
            mean = np.nanmean(xs[0]) if np.isfinite(xs[0]).any() else 0.0
            std = np.nanstd(xs[0]) if np.isfinite(xs[0]).any() else 1.0
            for out, x in zip(blocks, xs, strict=True):
                null = np.isnan(x)
                out.append(np.where(null, 0.0, (x - mean) / (std or 1.0))[:, None])
                out.append(null[:, None].astype(float))
        else:
            labels = [_norm_text(f[col.name]) for f in frames]
            top = labels[0].value_counts(dropna=True).index[:TOP_CATEGORIES]
            for out, lab in zip(blocks, labels, strict=True):
                codes = pd.Categorical(lab, categories=top).codes
                # one column per top category, one for any other value, one for null
                onehot = np.zeros((len(lab), len(top) + 2))
                slot = np.where(codes >= 0, codes, np.where(lab.isna(), len(top) + 1, len(top)))
                onehot[np.arange(len(lab)), slot] = 1.0
                out.append(onehot)
    return [np.hstack(b) if b else np.zeros((len(f), 0)) for b, f in zip(blocks, frames,
                                                                         strict=True)]


def _norm_text(values: pd.Series) -> pd.Series:
    """Stripped, case-folded text with inner whitespace collapsed; nulls stay null.

    Each distinct value is normalised once (:func:`learnsynth.quality._fast.norm_text`).
    """
    return norm_text(values)


def _subsample(frame: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    if len(frame) <= n:
        return frame
    return frame.iloc[np.sort(rng.choice(len(frame), n, replace=False))]


def _nearest(reference: np.ndarray, query: np.ndarray) -> np.ndarray:
    nn = NearestNeighbors(n_neighbors=1, algorithm="brute").fit(reference)
    return nn.kneighbors(query, return_distance=True)[0][:, 0]


# ---------------------------------------------------------------- tests


def dcr_test(split: Split | None, synth: pd.DataFrame, columns: Sequence[Scored],
             seed: int = 0) -> dict[str, Any]:
    """Distance to closest record: is a synthetic row nearer the training rows than the holdout?

    With train set size n_t and holdout size n_h, a synthetic row that is an independent draw from
    the population has its nearest real row in training with chance e = n_t/(n_t+n_h). The raw
    share p is therefore reweighted to equal set sizes, value = p / (p + (1−p)·n_t/n_h), so an
    honest sample scores about 0.5 and a copier about 1.
    """
    base: dict[str, Any] = {
        "threshold": DCR_THRESHOLD, "comparison": "<=",
        "description": "share of synthetic rows closer to a training row than to a holdout row "
                       "(reweighted to equal set sizes; 0.5 is ideal)",
        "train_rows_used": 0, "holdout_rows_used": 0, "synthetic_rows_used": 0,
        "median_dcr_train": None, "median_dcr_holdout": None,
        "raw_share": None, "expected_raw_share": None,
    }
    if split is None or split.holdout is None or len(split.holdout) == 0:
        return _not_run(base, "needs the holdout: pass --model of a model fitted with holdout > 0")
    if not columns:
        return _not_run(base, "no attribute column to compare")
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0xDC2]))
    train = _subsample(split.train, DCR_TRAIN_ROWS, rng)
    hold = _subsample(split.holdout, DCR_HOLDOUT_ROWS, rng)
    query = _subsample(synth, DCR_QUERY_ROWS, rng)
    x_train, x_hold, x_query = _features([train, hold, query], columns)
    d_train, d_hold = _nearest(x_train, x_query), _nearest(x_hold, x_query)
    p = float(np.mean(d_train < d_hold) + 0.5 * np.mean(d_train == d_hold))
    ratio = len(train) / len(hold)
    value = p / (p + (1 - p) * ratio) if p > 0 else 0.0
    return {**base, "value": value, "status": "pass" if value <= DCR_THRESHOLD else "fail",
            "reason": None, "train_rows_used": len(train), "holdout_rows_used": len(hold),
            "synthetic_rows_used": len(query), "median_dcr_train": float(np.median(d_train)),
            "median_dcr_holdout": float(np.median(d_hold)), "raw_share": p,
            "expected_raw_share": len(train) / (len(train) + len(hold))}


def _row_hashes(frame: pd.DataFrame, columns: Sequence[Scored]) -> np.ndarray:
    """One uint64 per row over the normalised attribute values (equal rows, equal hashes).

    Each column is hashed per distinct value (normalised once, then mapped back by code), and
    the per-column hashes are combined by ``hash_pandas_object`` over a numeric frame.
    """
    parts = {}
    for col in columns:
        if col.continuous:
            parts[col.name] = pd.util.hash_array(np.round(as_float(frame[col.name], col), 6))
            continue
        codes, uniques = pd.factorize(frame[col.name], use_na_sentinel=True)
        normed = _norm_text(pd.Series(uniques, dtype=object)).fillna("\x00")
        hashes = pd.util.hash_array(normed.to_numpy(dtype=object))
        parts[col.name] = np.append(hashes, pd.util.hash_array(np.array(["\x00"], dtype=object)))[
            codes]
    if not parts:
        return np.zeros(0, dtype=np.uint64)
    return pd.util.hash_pandas_object(pd.DataFrame(parts), index=False).to_numpy()


def exact_copies_test(split: Split, synth: pd.DataFrame,
                      columns: Sequence[Scored]) -> dict[str, Any]:
    """Synthetic rows equal to a training row, against how often holdout rows equal one."""
    base: dict[str, Any] = {
        "comparison": "<=", "threshold": 0.01,
        "description": "share of synthetic rows identical to a training row (attribute columns), "
                       "against the share of holdout rows identical to one",
        "synthetic_copies": 0, "synthetic_share": None, "expected_share": None,
    }
    if not columns:
        return _not_run(base, "no attribute column to compare")
    train = np.unique(_row_hashes(split.train, columns))
    synth_h = _row_hashes(synth, columns)
    copies = int(np.isin(synth_h, train, assume_unique=False).sum())
    share = copies / max(len(synth_h), 1)
    expected = 0.0
    reason: str | None = "no holdout: expected share taken as 0"
    if split.holdout is not None and len(split.holdout):
        hold_h = _row_hashes(split.holdout, columns)
        expected = float(np.isin(hold_h, train).mean())
        reason = None
    threshold = expected + max(0.01, 0.5 * expected)
    return {**base, "value": share, "threshold": threshold, "synthetic_copies": copies,
            "synthetic_share": share, "expected_share": expected, "reason": reason,
            "status": "pass" if share <= threshold else "fail"}


def _distinct(values: pd.Series) -> set[str]:
    uniques = pd.Series(pd.unique(values.dropna().to_numpy(dtype=object)), dtype=object)
    return set(_norm_text(uniques).dropna().tolist()) - {""}


def _leak_column(name: str, kind: str | None, split: Split, synth: pd.DataFrame,
                 rng: np.random.Generator) -> dict[str, Any]:
    role = "direct" if kind in DIRECT_KINDS else "quasi"
    out: dict[str, Any] = {"column": name, "pii_kind": kind, "role": role, "real_values": 0,
                           "leaked_values": 0, "overlap": None, "baseline": None,
                           "threshold": 0.0, "status": "not_run", "reason": None}
    if name not in synth.columns:
        return {**out, "reason": "column not in the synthetic data", "status": "pass"}
    produced = _distinct(synth[name])
    if role == "direct":
        frames = [split.train] + ([split.holdout] if split.holdout is not None else [])
        real = set().union(*(_distinct(f[name]) for f in frames))
        leaked = len(real & produced)
        return {**out, "real_values": len(real), "leaked_values": leaked,
                "overlap": leaked / len(real) if real else 0.0,
                "status": "pass" if leaked == 0 else "fail"}
    if split.holdout is None or len(split.holdout) == 0:
        return {**out, "reason": "quasi-identifier baseline needs the holdout (--model with "
                "holdout > 0)"}
    train = _distinct(_subsample(split.train, len(split.holdout), rng)[name])
    hold = _distinct(split.holdout[name])
    if not train or not hold:
        return {**out, "reason": "no real value to compare", "status": "pass"}
    overlap = len(train & produced) / len(train)
    baseline = len(hold & produced) / len(hold)
    threshold = baseline + max(0.05, 0.25 * baseline)
    return {**out, "real_values": len(train), "leaked_values": len(train & produced),
            "overlap": overlap, "baseline": baseline, "threshold": threshold,
            "status": "pass" if overlap <= threshold else "fail"}


def pii_leak_test(split: Split, synth: pd.DataFrame, pii: dict[str, str | None],
                  seed: int = 0) -> dict[str, Any]:
    """Scan the synthetic output for real values of PII columns (``pii``: column → PII kind)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x9112]))
    columns = [_leak_column(name, kind, split, synth, rng) for name, kind in pii.items()]
    direct = sum(c["leaked_values"] for c in columns if c["role"] == "direct")
    statuses = {c["status"] for c in columns}
    status = "fail" if "fail" in statuses else "pass"
    return {"value": float(direct), "threshold": 0.0, "comparison": "== 0 (direct); quasi: "
            "overlap <= baseline + max(0.05, 0.25 x baseline)", "status": status,
            "reason": None if columns else "no PII column",
            "description": "real values of direct-identifier PII columns found in the output "
                           "(must be 0); quasi-identifier overlap against the holdout baseline",
            "direct_leaks": direct, "columns": columns}
