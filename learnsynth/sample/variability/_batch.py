"""Per-column editors: numeric outliers vectorised, the other column-aware variants per cell.

:mod:`._bulk` edits the variants that do not depend on the column (typos, whitespace, case,
unicode) across every column of a chunk at once. The variants here depend on the column (a date's
format, a number's decimals and bounds, a card's layout) and are edited per column, all picked
cells of one (column, kind, variant) in one call:

- *numeric outliers* (x10, x1000, sign, range) on numbers written as text are NumPy arithmetic
  over the whole batch, written back by Arrow's own number cast (the text of the clean output,
  so ``42`` and ``530502.7`` look alike before and after);
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

__all__ = ["column_edit", "scalar_edit"]

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


def _number_outlier(cp: ColumnPlan, variant: str, values: list[str],
                    u: np.ndarray) -> tuple[list[str], list[str]] | None:
    """x10, x1000, a flipped sign, or far outside the bounds, for numbers written as text.

    None when some value is not a number Arrow reads (the scalar editor then takes them all).
    """
    text = _text(values)
    try:
        x = pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    integer = ~(pc.match_substring(text, ".").to_numpy(zero_copy_only=False)
                | pc.match_substring(text, "e").to_numpy(zero_copy_only=False))
    if not np.isfinite(x).all() or (integer & (np.abs(x) * 1000 >= 2.0**62)).any():
        return None
    decimals = np.where(integer, 0, cp.decimals)
    factor = {"x10": 10.0, "x1000": 1000.0, "sign": -1.0}.get(variant)
    out = _round(x * factor, decimals) if factor is not None else x.copy()
    ranged = out == x
    if ranged.any():
        lo, hi = cp.bounds if cp.bounds is not None else (None, None)
        low = x - 1.0 if lo is None else np.full_like(x, lo)
        high = x + 1.0 if hi is None else np.full_like(x, hi)
        span = np.maximum.reduce([high - low, np.abs(high), np.abs(low), np.ones_like(x)])
        far = span * (0.5 + 2.5 * u[:, 0])
        moved = _round(np.where(u[:, 1] < 0.5, high + far, low - far), decimals)
        moved = np.where(moved == x, _round(x + span + 1.0, decimals), moved)
        out = np.where(ranged, moved, out)
    if (integer & (np.abs(out) >= 2.0**62)).any():
        return None
    floats = pa.array(out).cast(_STR).to_pylist()
    ints = pa.array(np.where(integer, out, 0.0).astype(np.int64)).cast(_STR).to_pylist()
    dirty = [i if whole else f for i, f, whole in zip(ints, floats, integer.tolist(),
                                                      strict=True)]
    used = np.where(ranged, "range", variant).tolist()
    return used, dirty


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
    if textual and values:
        got = _vectorised(cp, kind, variant, values, u)
        if got is not None:
            return got
    pairs = [scalar_edit(cp, kind, variant, v, textual, dice) for v in values]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def _vectorised(cp: ColumnPlan, kind: str, variant: str, values: list[str],
                u: np.ndarray) -> tuple[list[str], list[Any]] | None:
    if kind == "outlier" and cp.role != "date":
        return _number_outlier(cp, variant, values, u)
    return None
