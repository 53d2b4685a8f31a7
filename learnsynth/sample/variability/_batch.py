"""Per-column editors: numeric outliers vectorised, the other column-aware variants per cell.

:mod:`._bulk` edits the variants that do not depend on the column (typos, whitespace, case,
unicode) across every column of a chunk at once. The variants here depend on the column (a date's
format, a number's decimals and bounds, a card's layout) and are edited per column, all picked
cells of one (column, kind, variant) in one call:

- *numeric outliers* (x10, x1000, sign, range) on numbers written as text are NumPy arithmetic
  over every (column, variant) group of the chunk at once (:func:`number_outliers`; per group,
  the fixed cost of the Arrow casts outweighed the few dozen cells a group has), written back
  by Arrow's own number cast (the text of the clean output, so ``42`` and ``530502.7`` look
  alike before and after);
- phone, number, date and card re-spellings, malformed e-mails, broken checksums, date outliers
  and every non-text column go through the scalar editors, one cell at a time. Vectorised
  versions of the re-spellings (``pyarrow.compute`` regex and join kernels building every
  candidate spelling for every value) were measured 1.5-3x *slower* at the batch sizes a chunk
  has (a few hundred cells per column): each kernel call and regex compilation costs more than
  the per-cell Python it replaces. docs/benchmarks.md, *Variability injection*, has the numbers.

Randomness comes from ``u`` (three uniforms per value) drawn by the caller from the chunk's own
generator, so a vectorised batch is a pure function of the values and ``u``; ``dice`` serves the
scalar editors. No editor returns a value unchanged.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from learnsynth.sample.variability._dice import Dice
from learnsynth.sample.variability._formats import fmt_drift
from learnsynth.sample.variability._plan import ColumnPlan
from learnsynth.sample.variability._typos import typo
from learnsynth.sample.variability._values import (
    break_checksum,
    break_email,
    date_outlier,
    number_outlier,
)

__all__ = ["OutlierGroup", "column_edit", "is_numeric_outlier", "number_outliers",
           "scalar_batch", "scalar_edit"]

_STR = pa.string()


def _text(values: list[str]) -> pa.Array:
    return pa.array(values, _STR)


def _round(x: np.ndarray, decimals: np.ndarray) -> np.ndarray:
    """``x`` rounded to each value's number of decimals."""
    out = np.empty_like(x)
    for d in np.unique(decimals).tolist():
        sel = decimals == d
        out[sel] = np.round(x[sel], int(d))
    return out


_FACTORS = {"x10": 10.0, "x1000": 1000.0, "sign": -1.0}
_BIG = 2.0**62  # integers at or beyond this lose digits as floats: the scalar editor takes them

# one (column, variant) group of numeric outliers: its column, variant, values and uniforms
OutlierGroup = tuple[ColumnPlan, str, list[str], np.ndarray]


def _per_value(groups: list[OutlierGroup], sizes: list[int], pick: Any) -> np.ndarray:
    return np.repeat(np.array([pick(g) for g in groups], dtype=np.float64), sizes)


def number_outliers(groups: list[OutlierGroup]) -> list[tuple[list[str], list[str]] | None]:
    """x10, x1000, a flipped sign, or far outside the bounds, for numbers written as text.

    Every (column, variant) group of a chunk in one set of NumPy operations and two Arrow casts
    (per group these fixed costs outweighed the few dozen cells each group has). Per group: the
    (variants used, dirty values), or None when some value is not a number Arrow reads, is not
    finite or is too large an integer (the scalar editor then takes that group).
    """
    if not groups:
        return []
    sizes = [len(g[2]) for g in groups]
    text = _text([v for g in groups for v in g[2]])
    try:
        x = pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        if len(groups) == 1:
            return [None]
        return [number_outliers([g])[0] for g in groups]
    u = np.concatenate([g[3] for g in groups])
    integer = ~(pc.match_substring(text, ".").to_numpy(zero_copy_only=False)
                | pc.match_substring(text, "e").to_numpy(zero_copy_only=False))
    decimals = np.where(integer, 0, _per_value(groups, sizes, lambda g: g[0].decimals))
    factor = _per_value(groups, sizes, lambda g: _FACTORS.get(g[1], np.nan))
    lo = _per_value(groups, sizes, lambda g: np.nan if g[0].bounds is None else g[0].bounds[0])
    hi = _per_value(groups, sizes, lambda g: np.nan if g[0].bounds is None else g[0].bounds[1])
    with np.errstate(all="ignore"):  # values of failing groups are computed, then dropped
        bad = ~np.isfinite(x) | (integer & (np.abs(x) * 1000 >= _BIG))
        scaled = np.isfinite(factor)
        out = np.where(scaled, _round(x * np.where(scaled, factor, 1.0), decimals), x)
        ranged = out == x
        low = np.where(np.isnan(lo), x - 1.0, lo)
        high = np.where(np.isnan(hi), x + 1.0, hi)
        span = np.maximum.reduce([high - low, np.abs(high), np.abs(low), np.ones_like(x)])
        far = span * (0.5 + 2.5 * u[:, 0])
        moved = _round(np.where(u[:, 1] < 0.5, high + far, low - far), decimals)
        moved = np.where(moved == x, _round(x + span + 1.0, decimals), moved)
        out = np.where(ranged, moved, out)
        bad |= integer & ~(np.abs(out) < _BIG)
    ends = np.cumsum(sizes)
    failed = np.logical_or.reduceat(bad, ends - np.asarray(sizes)) if len(x) else bad
    ok = ~np.repeat(failed, sizes)
    floats = pa.array(np.where(ok, out, 0.0)).cast(_STR).to_pylist()
    ints = pa.array(np.where(integer & ok, out, 0.0).astype(np.int64)).cast(_STR).to_pylist()
    dirty = [i if whole else f for i, f, whole in zip(ints, floats, integer.tolist(),
                                                      strict=True)]
    results: list[tuple[list[str], list[str]] | None] = []
    for g, (group, end, size) in enumerate(zip(groups, ends.tolist(), sizes, strict=True)):
        begin = end - size
        if failed[g]:
            results.append(None)
            continue
        used = [("range" if r else group[1]) for r in ranged[begin:end].tolist()]
        results.append((used, dirty[begin:end]))
    return results


def scalar_edit(cp: ColumnPlan, kind: str, variant: str, value: Any, textual: bool,
                dice: Dice) -> tuple[str, Any]:
    """(variant used, dirty value) for one cell, in the column's dirty representation.

    Not for ``missing``; ``value`` is text in a textual column, else the column's own scalar.
    """
    text = str(value)
    if kind == "typo":
        return typo(variant, text, dice)
    if kind == "format":
        return fmt_drift(variant, text, dice, cp.date_format)
    if kind == "invalid":
        if variant == "checksum":
            return variant, break_checksum(text, str(cp.pii_kind), dice)
        return variant, break_email(text, dice)
    if cp.role == "date":
        return date_outlier(variant, value, cp.date_format, cp.year_bounds, dice)
    integer = isinstance(value, int | np.integer) or (textual and "." not in text
                                                       and "e" not in text)
    used, out = number_outlier(variant, float(value), cp.bounds, 0 if integer else cp.decimals,
                               dice)
    if textual:
        return used, _number_text(out, integer)
    return used, int(out) if integer else out


def _number_text(value: float, integer: bool) -> str:
    """A number as Arrow writes it: ``42``, ``530502.7``, ``1e+16``."""
    if integer:
        return str(int(value))
    return str(pa.array([float(value)]).cast(_STR)[0].as_py())


def column_edit(cp: ColumnPlan, kind: str, variant: str, values: list[Any], textual: bool,
                u: np.ndarray, dice: Dice) -> tuple[list[str], list[Any]]:
    """(variants used, dirty values) for cells of one column that all get ``(kind, variant)``."""
    if textual and values and is_numeric_outlier(cp, kind):
        got = number_outliers([(cp, variant, values, u)])[0]
        if got is not None:
            return got
    return scalar_batch(cp, kind, variant, values, textual, dice)


def scalar_batch(cp: ColumnPlan, kind: str, variant: str, values: list[Any], textual: bool,
                 dice: Dice) -> tuple[list[str], list[Any]]:
    """:func:`scalar_edit` for each value: (variants used, dirty values).

    Text re-spellings and e-mails call their editor directly (the dispatch costs as much as some
    editors do).
    """
    if textual and kind == "format":
        fmt = cp.date_format
        pairs = [fmt_drift(variant, v, dice, fmt) for v in values]
    elif textual and kind == "invalid" and variant == "email":
        return [variant] * len(values), [break_email(v, dice) for v in values]
    else:
        pairs = [scalar_edit(cp, kind, variant, v, textual, dice) for v in values]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def is_numeric_outlier(cp: ColumnPlan, kind: str) -> bool:
    """Outliers of a number column: edited by :func:`number_outliers` when written as text."""
    return kind == "outlier" and cp.role != "date"
