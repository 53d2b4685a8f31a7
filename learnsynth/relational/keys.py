"""Keys of related tables: how a key column is described, and its value for any row number.

A parent key is regenerated: row ``i`` of the sampled parent gets a key that depends on ``i``
(and the table's seed) alone, so a child row that points at parent row ``i`` can write the same
key without the parent's rows being at hand. :func:`keys_at` gives those keys for any row
numbers; for the shapes the sampler already knows it is
:func:`learnsynth.sample.render.render_key` itself.

A key column that single-table profiling would not call a key (``JFK``, ``N102UW``: letters, or
integers in no order) still has to be regenerated, so :func:`key_details` describes it by what
it looks like: integers, or a ``code`` of the usual length over letters, digits or both. Only
the shape is kept, never a value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from learnsynth.profile.kinds import infer_kind
from learnsynth.sample.render import arrow_strings, render_key

__all__ = ["key_details", "key_text", "keys_at"]

_ALPHABETS = {"digits": "0123456789", "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
              "lower": "abcdefghijklmnopqrstuvwxyz",
              "alnum_upper": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
              "alnum_lower": "0123456789abcdefghijklmnopqrstuvwxyz"}
_MULT = 7_919  # a prime: coprime with every alphabet size, so the row → code map is a bijection
_MAX_SPACE = 2**52  # codes vary in their last positions only beyond this (row * mult stays exact)


def key_text(values: pd.Series) -> pd.Series:
    """Key values as comparable text: integral numbers without ``.0``, nulls kept as null.

    A key read from CSV as ``"7"``, from Parquet as ``7`` and from a column with nulls as
    ``7.0`` is the same key.
    """
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = pd.to_numeric(values, errors="coerce")
        present = numbers.dropna()
        if len(present) and bool(np.all(np.mod(present.to_numpy(dtype=float), 1) == 0)):
            return numbers.astype("Int64").astype("string")
        return numbers.astype("string")
    return values.astype("string")


def key_details(name: str, values: pd.Series) -> dict[str, Any]:
    """How to regenerate key column ``name``: the kind detector's key shape when it finds one,
    else integers, else a ``code`` of the values' usual length and alphabet."""
    present = values.dropna()
    kind = infer_kind(name, present.reset_index(drop=True)) if len(present) else None
    if kind is not None and kind.kind == "key":
        return dict(kind.details)
    native = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    text = key_text(present)
    if native or (len(text) and bool(text.str.fullmatch(r"-?[1-9][0-9]{0,17}|0").all())):
        return {"pattern": "integer", "start": 1, "sequential": True, "native": bool(native)}
    return {"pattern": "code", "alphabet": _alphabet(text), "width": _width(text)}


def _width(text: pd.Series) -> int:
    if not len(text):
        return 6
    return int(max(1, min(32, round(float(text.str.len().median())))))


def _alphabet(text: pd.Series) -> str:
    """The smallest alphabet that nearly every value (99%) is written in."""
    if not len(text):
        return "alnum_upper"
    share = {name: float(text.str.fullmatch(pattern).mean()) for name, pattern in (
        ("digits", r"[0-9]+"), ("upper", r"[A-Z]+"), ("lower", r"[a-z]+"),
        ("alnum_upper", r"[0-9A-Z]+"), ("alnum_lower", r"[0-9a-z]+"))}
    for name in ("digits", "upper", "lower", "alnum_upper", "alnum_lower"):
        if share[name] >= 0.99:
            return name
    return "alnum_upper"


def keys_at(details: dict[str, Any], rows: np.ndarray, seed: int) -> pd.Series:
    """The key of each of ``rows`` (parent row numbers; ``-1`` for a missing key).

    Integer keys come back as nullable ``Int64``, others as Arrow-backed strings, so the chunks of
    a table all have one schema.
    """
    rows = np.asarray(rows, dtype=np.int64)
    missing = rows < 0
    if details.get("pattern") == "code":
        return _codes(details, np.where(missing, 0, rows), missing, seed)
    present = rows[~missing]
    lo = int(present.min()) if present.size else 0
    hi = int(present.max()) + 1 if present.size else 0
    rendered = render_key(details, lo, hi, {"seed": seed})
    pos = np.where(missing, 0, rows - lo)
    if isinstance(rendered, np.ndarray):
        values = rendered[pos] if rendered.size else np.zeros(rows.size, np.int64)
        return pd.Series(pd.arrays.IntegerArray(values.astype(np.int64), missing))
    arrow = pa.array(rendered.array).cast(pa.large_string())
    if not len(arrow):  # every key missing: take() needs something to point at
        arrow = pa.array([""], pa.large_string())
    taken = arrow.take(pa.array(pos, mask=missing))
    return pd.Series(pd.arrays.ArrowStringArray(taken.cast(pa.large_string())))


def _codes(details: dict[str, Any], rows: np.ndarray, missing: np.ndarray,
           seed: int) -> pd.Series:
    """Codes over the alphabet: an affine bijection of the row number modulo the code space,
    written in base ``len(alphabet)``; rows beyond the space get the lap number appended."""
    alphabet = np.frombuffer(_ALPHABETS[str(details["alphabet"])].encode(), dtype=np.uint8)
    width = int(details["width"])
    base = alphabet.size
    varying = width
    while base**varying > _MAX_SPACE:
        varying -= 1
    space = base**varying
    laps = rows // space
    numbers = ((rows % space) * _MULT + seed % space) % space
    out = np.empty((rows.size, width), dtype=np.uint8)
    out[:, : width - varying] = alphabet[0]
    for j in range(width - 1, width - varying - 1, -1):
        out[:, j] = alphabet[numbers % base]
        numbers //= base
    series = arrow_strings(out, missing)
    if laps.any():
        text = series.astype(object)
        over = (laps > 0) & ~missing
        text[over] = [f"{t}{lap}" for t, lap in zip(text[over], laps[over], strict=True)]
        series = text.astype("string[pyarrow]")
    return series
