"""Fast column conversions for the report: each distinct value is worked on once.

A report compares up to millions of rows, and most text columns hold far fewer distinct values
than rows, so text is normalised per distinct value (``pd.factorize``) and mapped back by code.
Datetime text in a fixed-width format (``%Y-%m-%dT%H:%M:%S%z`` and the like) is parsed from its
code points with numpy instead of ``strptime`` per value (``%z`` made pandas create a time zone
object per value: ~10 µs each). Any value the fixed-width reader does not accept goes to
``pd.to_datetime`` with the column's format, so the result is the same as
:func:`learnsynth.profile.kinds.to_datetime_seconds`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["datetime_ns", "norm_text"]

_WIDTH = {"%Y": 4, "%m": 2, "%d": 2, "%H": 2, "%M": 2, "%S": 2, "%z": 6}
_NAT = np.datetime64("NaT", "ns")
_PROBE = 2_000


def norm_text(values: pd.Series) -> pd.Series:
    """Stripped, case-folded text with inner whitespace collapsed (object dtype; nulls NaN)."""
    if values.iloc[:_PROBE].nunique() * 2 > min(len(values), _PROBE):  # mostly distinct
        codes, uniques = np.arange(len(values)), values.to_numpy(dtype=object)
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    text = pd.Series(uniques, dtype=object).astype("string")
    normed = np.empty(len(text), dtype=object)
    simple = _plain_ascii(text)
    normed[simple] = _norm_ascii(text[simple])
    rest = text[~simple].str.strip().str.casefold().str.replace(r"\s+", " ", regex=True)
    normed[~simple] = rest.to_numpy(dtype=object, na_value=np.nan)
    return pd.Series(np.append(normed, np.nan)[codes], index=values.index, dtype=object)


_ODD_SPACE = "[\x0b\x1c-\x1f]"  # whitespace to Python's str.strip but not to Arrow's ASCII trim


def _plain_ascii(text: pd.Series) -> np.ndarray:
    """ASCII strings without \\v or \\x1c-\\x1f: where Arrow's ASCII kernels equal Python's."""
    arr = pa.array(text.to_numpy(dtype=object, na_value=None), type=pa.string())
    ascii_ok = pc.fill_null(pc.string_is_ascii(arr), False)
    odd = pc.fill_null(pc.match_substring_regex(arr, _ODD_SPACE), True)
    return np.asarray(pc.and_(ascii_ok, pc.invert(odd)), dtype=bool)


def _norm_ascii(text: pd.Series) -> np.ndarray:
    """Arrow's C++ kernels: trim, lower (= casefold on ASCII), collapse [\\t\\n\\f\\r ]+."""
    arr = pa.array(text.to_numpy(dtype=object, na_value=None), type=pa.string())
    arr = pc.ascii_lower(pc.ascii_trim_whitespace(arr))
    arr = pc.replace_substring_regex(arr, pattern=r"[\t\n\f\r ]+", replacement=" ")
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object)


def _tokens(fmt: str) -> list[tuple[str, int]] | None:
    """The format as (field or literal, width), or None when it is not fixed-width."""
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(fmt):
        if fmt[i] == "%":
            field = fmt[i:i + 2]
            if field not in _WIDTH or (field == "%z" and i + 2 != len(fmt)):
                return None
            out.append((field, _WIDTH[field]))
            i += 2
        elif ord(fmt[i]) < 128:
            out.append((fmt[i], 1))
            i += 1
        else:
            return None
    return out if any(t == "%Y" for t, _ in out) else None


def _number(digits: np.ndarray, start: int, width: int) -> np.ndarray:
    out = np.zeros(digits.shape[0], dtype=np.int64)
    for k in range(start, start + width):
        out = out * 10 + digits[:, k]
    return out


def _fixed_width(text: np.ndarray, tokens: list[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Parse ASCII strings of exactly the format's width: (ns since the epoch UTC, accepted mask).

    Strings of another length or with non-ASCII characters are not accepted (the caller parses
    them with pandas).
    """
    width = sum(w for _, w in tokens)
    n = len(text)
    ok = np.fromiter(map(len, text), dtype=np.int64, count=n) == width
    try:
        raw = "".join(text[ok]).encode("ascii")
    except UnicodeEncodeError:
        return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    cp = np.zeros((n, width), dtype=np.uint8)
    cp[ok] = np.frombuffer(raw, dtype=np.uint8).reshape(-1, width)
    digits = cp - np.uint8(48)                       # non-digits wrap to values above 9
    fields: dict[str, np.ndarray] = {}
    pos = 0
    for tok, w in tokens:
        if tok == "%z":
            ok &= (cp[:, pos] == ord("+")) | (cp[:, pos] == ord("-"))
            ok &= cp[:, pos + 3] == ord(":")
            for k in (1, 2, 4, 5):
                ok &= digits[:, pos + k] <= 9
            minutes = _number(digits, pos + 1, 2) * 60 + _number(digits, pos + 4, 2)
            fields["%z"] = np.where(cp[:, pos] == ord("-"), -minutes, minutes)
        elif tok in _WIDTH:
            ok &= (digits[:, pos:pos + w] <= 9).all(axis=1)
            fields[tok] = _number(digits, pos, w)
        else:
            ok &= cp[:, pos] == ord(tok)
        pos += w
    one = np.ones(n, dtype=np.int64)
    year, month, day = fields["%Y"], fields.get("%m", one), fields.get("%d", one)
    hour, minute, second = (fields.get(f, 0 * one) for f in ("%H", "%M", "%S"))
    # datetime64[ns] spans 1677-09-21 .. 2262-04-11: outside whole years, pandas decides
    ok &= (year >= 1678) & (year <= 2261) & (month >= 1) & (month <= 12) & (day >= 1)
    ok &= (day <= 31) & (hour < 24) & (minute < 60) & (second < 60)
    year, month, day = np.where(ok, year, 1970), np.where(ok, month, 1), np.where(ok, day, 1)
    months = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
    days = months.astype("datetime64[D]") + (day - 1)
    ok &= days.astype("datetime64[M]") == months          # no 31 February
    secs = (days.astype(np.int64) * 86_400 + hour * 3600 + minute * 60 + second
            - fields.get("%z", 0 * one) * 60)
    return np.where(ok, secs, 0) * 1_000_000_000, ok


def _slow(values: Any, fmt: str) -> np.ndarray:
    parsed = pd.to_datetime(pd.Series(values, dtype=object), format=fmt, errors="coerce",
                            utc=True)
    return parsed.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")


def datetime_ns(values: pd.Series, details: dict[str, Any]) -> np.ndarray:
    """Datetime text (or datetime64 values) as naive UTC ``datetime64[ns]``; NaT when unparsable.

    Same values as ``to_datetime_seconds``' parse (``pd.to_datetime(format=..., utc=True)``).
    """
    fmt = str(details.get("format", ""))
    if pd.api.types.is_datetime64_any_dtype(values):
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        return values.to_numpy(dtype="datetime64[ns]")
    probe = values.iloc[:_PROBE]
    if probe.nunique() * 2 > len(probe):   # mostly distinct (timestamps): factorizing costs more
        arr = values.to_numpy(dtype=object)
        null = pd.isna(arr)
        out = np.full(len(arr), _NAT)
        out[~null] = _parse(arr[~null], fmt)
        return out
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.append(_parse(np.asarray(uniques, dtype=object), fmt), _NAT)[codes]


def _parse(text: np.ndarray, fmt: str) -> np.ndarray:
    tokens = _tokens(fmt)
    if tokens is None or pd.api.types.infer_dtype(text, skipna=False) != "string":
        return _slow(text, fmt)
    ns, ok = _fixed_width(text, tokens)
    parsed = ns.astype("datetime64[ns]")
    if not ok.all():
        parsed[~ok] = _slow(text[~ok], fmt)
    return parsed
