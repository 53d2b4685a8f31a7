"""Render generated values in the source's form: datetime formats, key shapes, free text.

Sampling must run at millions of values per second, so text is not built one Python string at a
time. Datetimes and keys have a fixed width once their format is known: their characters are
written as columns of a ``(rows, width)`` byte matrix (digits by integer arithmetic, literals by
broadcasting) which becomes an Arrow string array without copying. Free text is drawn from a pool
of sentences built once per chunk.
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["arrow_strings", "render_datetime", "render_key", "render_text"]

_WORDS = (
    "the of and to in is was for on that with as it at by from this be or an are were which has "
    "order delivery customer account request item service call note follow up payment issue new "
    "update late early package return refund quality support price product contact review"
).split()
_TEXT_POOL = 256  # sentences per distinct word count, built once per chunk
_DIRECTIVE = re.compile(r"%(.)")
_FIRST_SECOND = -62_135_596_800  # 0001-01-01T00:00:00
_LAST_SECOND = 253_402_300_799  # 9999-12-31T23:59:59
_FIELDS = {"Y": ("year", 4), "m": ("month", 2), "d": ("day", 2), "H": ("hour", 2),
           "M": ("minute", 2), "S": ("second", 2)}


def arrow_strings(matrix: np.ndarray, isnull: np.ndarray | None = None) -> pd.Series:
    """A ``(rows, width)`` uint8 matrix of ASCII as a pandas string Series backed by Arrow.

    Zero-copy: the matrix is the Arrow data buffer and the offsets are ``0, w, 2w, ...``.
    """
    n, width = matrix.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    validity = None
    null_count = 0
    if isnull is not None and isnull.any():
        validity = pa.py_buffer(np.packbits(~isnull, bitorder="little"))
        null_count = int(isnull.sum())
    data = np.ascontiguousarray(matrix)
    arr = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data),
                                           validity, null_count)
    return pd.Series(pd.arrays.ArrowStringArray(arr))


def _put_digits(out: np.ndarray, pos: int, values: np.ndarray, width: int) -> None:
    """Write ``values`` zero-padded to ``width`` digits into columns ``pos..pos+width``."""
    v = values.copy()
    for j in range(width - 1, -1, -1):
        out[:, pos + j] = v % 10 + 48
        v //= 10


def _civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day of days since 1970-01-01 (proleptic Gregorian; H. Hinnant's method)."""
    z = days + 719_468
    era = np.floor_divide(z, 146_097)
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (month <= 2), month, day


def _offset_seconds(offset: str) -> int:
    if offset == "Z":
        return 0
    sign = -1 if offset.startswith("-") else 1
    digits = offset.lstrip("+-").replace(":", "")
    return sign * (int(digits[:2]) * 3600 + int(digits[2:4]) * 60)


def _offset_text(offset: str) -> str:
    """``%z`` as the source wrote it: ``Z``, ``+05:30`` or ``+0530``."""
    if offset == "Z":
        return "Z"
    return offset if ":" in offset else offset[:5]


def _tokens(fmt: str, offset: str | None) -> list[tuple[str, Any]] | None:
    """The format as literals and fixed-width fields, or None if it is not fixed width."""
    tokens: list[tuple[str, Any]] = []
    pos = 0
    for match in _DIRECTIVE.finditer(fmt):
        if match.start() > pos:
            tokens.append(("lit", fmt[pos:match.start()]))
        code = match.group(1)
        if code in _FIELDS:
            tokens.append(("field", code))
        elif code == "f":
            tokens.append(("lit", "000000"))  # values are whole seconds
        elif code == "z" and offset is not None:
            tokens.append(("lit", _offset_text(offset)))
        elif code == "%":
            tokens.append(("lit", "%"))
        else:
            return None
        pos = match.end()
    if pos < len(fmt):
        tokens.append(("lit", fmt[pos:]))
    if any(kind == "lit" and not text.isascii() for kind, text in tokens):
        return None
    return tokens


def _format_fixed(seconds: np.ndarray, tokens: list[tuple[str, Any]]) -> np.ndarray:
    """Byte matrix of formatted timestamps (clamped to years 0001..9999, as four digits)."""
    seconds = np.clip(seconds, _FIRST_SECOND, _LAST_SECOND)
    days = np.floor_divide(seconds, 86_400)
    rest = seconds - days * 86_400
    year, month, day = _civil(days)
    parts = {"year": year, "month": month, "day": day, "hour": rest // 3600,
             "minute": rest % 3600 // 60, "second": rest % 60}
    width = sum(len(t) if k == "lit" else _FIELDS[t][1] for k, t in tokens)
    out = np.empty((seconds.size, width), dtype=np.uint8)
    pos = 0
    for kind, item in tokens:
        if kind == "lit":
            raw = np.frombuffer(item.encode("ascii"), dtype=np.uint8)
            out[:, pos:pos + raw.size] = raw
            pos += raw.size
        else:
            name, digits = _FIELDS[item]
            _put_digits(out, pos, parts[name], digits)
            pos += digits
    return out


def render_datetime(values: np.ndarray, isnull: np.ndarray, details: dict[str, Any]) -> pd.Series:
    """Days or seconds since the epoch back to text in the source format and UTC offset."""
    per_unit = 86_400 if details.get("unit") == "d" else 1
    safe = np.where(isnull, 0, np.round(values)).astype(np.int64) * per_unit
    if details.get("native"):
        out = pd.Series(safe.astype("datetime64[s]").astype("datetime64[ns]"))
        out[isnull] = pd.NaT
        return out
    fmt = str(details["format"])
    offset = details.get("offset")
    tokens = _tokens(fmt, None if offset is None else str(offset))
    if tokens is not None:
        local = safe + (_offset_seconds(str(offset)) if offset is not None else 0)
        return arrow_strings(_format_fixed(local, tokens), isnull)
    return _render_slow(safe, isnull, fmt, offset)


def _render_slow(seconds: np.ndarray, isnull: np.ndarray, fmt: str, offset: Any) -> pd.Series:
    """pandas ``strftime`` for formats that are not fixed width (kept for completeness)."""
    stamps = pd.Series(pd.to_datetime(seconds, unit="s"))
    if offset is not None:
        off = "+00:00" if offset == "Z" else str(offset)
        stamps = stamps.dt.tz_localize("UTC").dt.tz_convert(_tz(off))
    text = stamps.dt.strftime(fmt)
    if offset is not None and ":" in str(offset):
        text = text.str.replace(r"([+-]\d\d)(\d\d)$", r"\1:\2", regex=True)
    elif offset == "Z":
        text = text.str.replace(r"[+-]0000$", "Z", regex=True)
    result = text.astype("string[pyarrow]")
    result[isnull] = pd.NA
    return result


def _tz(offset: str) -> Any:
    return timezone(timedelta(seconds=_offset_seconds(offset)))


def render_key(details: dict[str, Any], start: int, stop: int, options: dict[str, Any]) -> Any:
    """Unique identifiers for rows ``start..stop`` in the source's pattern.

    Sequential keys count from 1. Other shapes use an affine bijection of the row number modulo
    10**width, so keys are unique across chunks without any coordination between workers.
    Integer keys come back as int64; patterned keys as Arrow strings.
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
    if prefix:
        head = prefix
    else:
        shape = str(details.get("shape", ""))
        head = shape[: len(shape) - width] if width else shape
    digits = max(width, len(str(int(numbers.max()))) if numbers.size else 1)
    if not head.isascii() or digits != width and width:
        text = pd.Series(numbers).astype(str).str.zfill(width)
        return (head + text).astype("string[pyarrow]")
    raw = np.frombuffer(head.encode("ascii"), dtype=np.uint8)
    out = np.empty((numbers.size, raw.size + digits), dtype=np.uint8)
    out[:, :raw.size] = raw
    if width:
        _put_digits(out, raw.size, numbers, digits)
        return arrow_strings(out)
    # no fixed width (``sequential`` without padding): plain decimal text
    return (head + pd.Series(numbers).astype(str)).astype("string[pyarrow]")


def render_text(details: dict[str, Any], n: int, rng: np.random.Generator) -> np.ndarray:
    """Neutral filler sentences of roughly the source's lengths (no source text is kept).

    A pool of sentences per word count is built once per call and rows draw from it.
    """
    profile = details.get("length_profile") or [details.get("length_mean", 40.0)]
    targets = np.asarray(profile, dtype=float)[rng.integers(0, len(profile), n)]
    n_words = np.maximum(1, np.round(targets / 6.0)).astype(np.int64)
    counts, slot = np.unique(n_words, return_inverse=True)
    words = np.array(_WORDS, dtype=object)
    pool: list[str] = []
    for count in counts:
        picks = words[rng.integers(0, words.size, (_TEXT_POOL, int(count)))]
        pool.extend((" ".join(row)).capitalize() + "." for row in picks)
    choice = rng.integers(0, _TEXT_POOL, n)
    texts: np.ndarray = np.array(pool, dtype=object)
    return texts[slot.reshape(-1) * _TEXT_POOL + choice]
