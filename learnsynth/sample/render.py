"""Render generated values in the source's form: datetime formats, key shapes, free text."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["render_datetime", "render_key", "render_text"]

_WORDS = (
    "the of and to in is was for on that with as it at by from this be or an are were which has "
    "order delivery customer account request item service call note follow up payment issue new "
    "update late early package return refund quality support price product contact review"
).split()


def render_datetime(values: np.ndarray, isnull: np.ndarray, details: dict[str, Any]) -> pd.Series:
    """Days or seconds since the epoch back to text in the source format and UTC offset."""
    unit = "D" if details.get("unit") == "d" else "s"
    safe = np.where(isnull, 0, np.round(values)).astype(np.int64)
    stamps = pd.Series(pd.to_datetime(safe, unit=unit))
    if details.get("native"):
        out = stamps.astype("datetime64[ns]")
        out[isnull] = pd.NaT
        return out
    fmt = str(details["format"])
    offset = details.get("offset")
    if offset is not None:
        off = "+00:00" if offset == "Z" else str(offset)
        stamps = stamps.dt.tz_localize("UTC").dt.tz_convert(_tz(off))
    text = stamps.dt.strftime(fmt)
    if offset is not None and ":" in str(offset):
        text = text.str.replace(r"([+-]\d\d)(\d\d)$", r"\1:\2", regex=True)
    elif offset == "Z":
        text = text.str.replace(r"[+-]0000$", "Z", regex=True)
    result = text.astype(object)
    result[isnull] = None
    return result


def _tz(offset: str) -> Any:
    from datetime import timedelta, timezone

    sign = -1 if offset.startswith("-") else 1
    digits = offset.lstrip("+-").replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def render_key(details: dict[str, Any], start: int, stop: int, options: dict[str, Any]) -> Any:
    """Unique identifiers for rows ``start..stop`` in the source's pattern.

    Sequential keys count from 1. Other shapes use an affine bijection of the row number modulo
    10**width, so keys are unique across chunks without any coordination between workers.
    """
    rows = np.arange(start, stop, dtype=np.int64)
    if details.get("pattern") == "integer":
        return rows + int(details.get("start", 1))
    width = int(details.get("width", 0))
    prefix = str(details.get("prefix", ""))
    if details.get("sequential") or not width:
        numbers = rows + 1
    else:
        space = 10**width
        mult = 7_919 if space > 7_919 else 3
        offset = int(options.get("seed", 0)) % space
        numbers = (rows * mult + offset) % space
    digits = pd.Series(numbers).astype(str).str.zfill(width)
    if prefix:
        return (prefix + digits).to_numpy(dtype=object)
    shape = str(details.get("shape", ""))
    head = shape[: len(shape) - width] if width else shape
    return (head + digits).to_numpy(dtype=object)


def render_text(details: dict[str, Any], n: int, rng: np.random.Generator) -> np.ndarray:
    """Neutral filler sentences of roughly the source's lengths (no source text is kept)."""
    profile = details.get("length_profile") or [details.get("length_mean", 40.0)]
    targets = np.asarray(profile, dtype=float)[rng.integers(0, len(profile), n)]
    n_words = np.maximum(1, np.round(targets / 6.0)).astype(int)
    words = np.array(_WORDS, dtype=object)[rng.integers(0, len(_WORDS), int(n_words.sum()))]
    splits = np.split(words, np.cumsum(n_words)[:-1])
    return np.array([(" ".join(w)).capitalize() + "." for w in splits], dtype=object)
