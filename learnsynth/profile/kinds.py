"""Column kinds: what a column holds, decided from its values (and the PII detector's finding).

Kinds:

``empty``        every value is null
``boolean``      two labels such as true/false, yes/no, Y/N, 1/0 (the labels are kept)
``integer``      whole numbers (leading zeros make it text: ``00123`` is an identifier, not 123)
``continuous``   real numbers
``datetime``     dates or timestamps in one recognised format (format and UTC offset kept)
``key``          an identifier: unique, and either sequential integers or one shape such as
                 ``17-000003`` (regenerated on sampling, never stored)
``categorical``  labels that repeat
``text``         free text or unique strings that are neither keys nor PII (never stored)
``pii``          the PII detector's finding (:mod:`learnsynth.profile.pii`)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["KINDS", "ColumnKind", "TextCodes", "infer_kind", "text_codes",
           "to_datetime_seconds"]

KINDS = (
    "empty", "boolean", "integer", "continuous", "datetime", "key", "categorical", "text", "pii",
)

_BOOL_PAIRS = (
    ("false", "true"), ("no", "yes"), ("n", "y"), ("f", "t"), ("0", "1"), ("off", "on"),
)
# (strftime format, unit): 'd' stores days since the epoch, 's' seconds.
_DATETIME_FORMATS = (
    ("%Y-%m-%d", "d"),
    ("%Y-%m-%dT%H:%M:%S%z", "s"),
    ("%Y-%m-%d %H:%M:%S%z", "s"),
    ("%Y-%m-%dT%H:%M:%S.%f%z", "s"),
    ("%Y-%m-%dT%H:%M:%S", "s"),
    ("%Y-%m-%d %H:%M:%S", "s"),
    ("%Y-%m-%dT%H:%M:%S.%f", "s"),
    ("%Y-%m-%d %H:%M", "s"),
    ("%Y/%m/%d", "d"),
    ("%d.%m.%Y", "d"),
    ("%m/%d/%Y", "d"),
    ("%d/%m/%Y", "d"),
    ("%Y%m%d", "d"),
)
_INT_RE = re.compile(r"^[+-]?(0|[1-9][0-9]*)$")
_FLOAT_RE = re.compile(r"^[+-]?((0|[1-9][0-9]*)(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")
# Every format above needs a four-digit year (%Y) and allows no letter but T and Z (any case:
# strptime ignores case), so a value without four digits in a row or with another letter is never
# a date ("8", "<5", "50-59" are rejected without trying 13 formats). A non-ASCII character passes
# too, since strptime reads other scripts' digits.
_DATE_LIKE = re.compile(r"^[^A-SU-Ya-su-y]*([0-9]{4}|[^\x00-\x7f])[^A-SU-Ya-su-y]*$")
_SHAPE_MIN_ROWS = 10


@dataclass(frozen=True)
class ColumnKind:
    """The kind of one column and what is needed to write values back in the source's form."""

    column: str
    kind: str
    details: dict[str, object] = field(default_factory=dict)


def _strings(values: pd.Series, isnull: np.ndarray | None = None) -> pd.Series:
    return (values.dropna() if isnull is None else values[~isnull]).astype(str)


@dataclass(frozen=True)
class _Distinct:
    """A text column's distinct values (first-seen order) and how often each occurs.

    Every test below that asks "do all values ..." or "what share of values ..." gives the same
    answer on the distinct values (weighted by ``counts`` for shares), and a categorical column
    has a few dozen of them where it has tens of thousands of rows.
    """

    values: pd.Series
    counts: np.ndarray
    codes: np.ndarray  # each row's position in ``values``

    @property
    def n(self) -> int:
        return int(self.codes.size)


def _distinct(nonnull: pd.Series) -> _Distinct:
    codes, uniques = pd.factorize(nonnull.to_numpy(dtype=object))
    counts = np.bincount(codes, minlength=len(uniques))
    return _Distinct(pd.Series(uniques, dtype=object), counts, codes)


@dataclass(frozen=True)
class TextCodes:
    """A text column factorised once: each row's code (-1 for null) and the distinct values in
    first-seen order. Kind inference and the categorical fit both need it; on a text column it
    costs about as much as the rest of either (see :func:`text_codes`)."""

    ids: np.ndarray
    uniques: np.ndarray

    def distinct(self, isnull: np.ndarray) -> _Distinct:
        codes = self.ids[~isnull]
        counts = np.bincount(codes, minlength=len(self.uniques))
        return _Distinct(pd.Series(self.uniques, dtype=object), counts, codes)


def text_codes(values: pd.Series, isnull: np.ndarray) -> TextCodes | None:
    """:class:`TextCodes` of a column whose every value is a ``str`` (so ``str()`` changes none
    of them), else None; ``isnull`` is its null mask."""
    if values.dtype != object or pd.api.types.infer_dtype(values, skipna=True) != "string":
        return None
    ids, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    if not np.array_equal(ids < 0, isnull):
        return None  # a null that factorize and isna see differently: take the slow road
    return TextCodes(ids, uniques)


def _boolean(nonnull: pd.Series) -> dict[str, object] | None:
    uniques = nonnull.unique()
    if not 1 <= len(uniques) <= 2:
        return None
    labels = sorted(uniques.tolist())
    lowered = {lab.lower() for lab in labels}
    for false, true in _BOOL_PAIRS:
        if lowered <= {false, true} and len(lowered) == len(labels) == 2:
            by_lower = {lab.lower(): lab for lab in labels}
            return {"labels": [by_lower[false], by_lower[true]]}
    return None


def _arrow(nonnull: pd.Series) -> pa.Array | None:
    """The values as an Arrow string array (converted once per column), or None if they can't be
    (a lone surrogate, say): then Python's ``re`` is used instead."""
    try:
        return pa.array(nonnull.to_numpy(dtype=object), type=pa.string())
    except (pa.ArrowException, TypeError, ValueError):
        return None


def _all_match(nonnull: pd.Series, pattern: re.Pattern[str], arr: pa.Array | None) -> bool:
    """Whether every value matches ``pattern`` in full (Arrow's RE2, many times faster than re)."""
    if nonnull.empty:
        return True
    if arr is None:
        return bool(nonnull.str.fullmatch(pattern).all())
    return bool(pc.all(pc.match_substring_regex(arr, pattern.pattern)).as_py())


def _numeric(nonnull: pd.Series, arr: pa.Array | None) -> str | None:
    if _all_match(nonnull, _INT_RE, arr):
        return "integer"
    if _all_match(nonnull, _FLOAT_RE, arr):
        return "continuous"
    return None


def _datetime(distinct: _Distinct, arr: pa.Array | None) -> dict[str, object] | None:
    """The first format that parses every value (the first 2,000 rows are tried first, cheaply).

    ``arr`` holds the distinct values; each is parsed once, however often it occurs.
    """
    in_probe = np.zeros(len(distinct.values), dtype=bool)
    in_probe[distinct.codes[:2000]] = True
    probe = distinct.values[in_probe]
    if not _all_match(probe, _DATE_LIKE, None if arr is None else arr.filter(in_probe)):
        return None  # one cheap scan instead of a parse per format for every text column
    for fmt, unit in _DATETIME_FORMATS:
        parsed = pd.to_datetime(probe, format=fmt, errors="coerce")
        if parsed.notna().all():
            full = pd.to_datetime(distinct.values, format=fmt, errors="coerce")
            if full.notna().all():
                details: dict[str, object] = {"format": fmt, "unit": unit}
                if "%z" in fmt:
                    details["offset"] = _common_offset(distinct)
                return details
    return None


def _common_offset(distinct: _Distinct) -> str:
    """The most frequent UTC offset over all rows (ties: the smallest text)."""
    offsets = distinct.values.str.extract(r"([+-]\d\d:?\d\d|Z)$")[0]
    found = offsets.notna().to_numpy()
    if not found.any():
        return "+00:00"
    totals = pd.Series(distinct.counts[found], index=offsets[found].to_numpy()).groupby(
        level=0).sum()
    return str(min(totals.index[totals.to_numpy() == totals.max()]))


def to_datetime_seconds(values: pd.Series, details: dict[str, object]) -> np.ndarray:
    """Parse datetime text (or datetime64 values) to float days or seconds since the epoch (UTC)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
    else:
        parsed = pd.to_datetime(values, format=str(details["format"]), errors="coerce", utc=True)
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    ns = parsed.to_numpy(dtype="datetime64[ns]").astype("int64").astype(float)
    ns[parsed.isna().to_numpy()] = np.nan
    scale = 86_400e9 if details["unit"] == "d" else 1e9
    return ns / scale


def _shape(value: str) -> str:
    return re.sub(r"[A-Za-z]", "A", re.sub(r"[0-9]", "9", value))


def _integer_key(name: str, ints: np.ndarray) -> dict[str, object] | None:
    """Sequential integer IDs: strictly increasing, and dense or named like an identifier."""
    n = ints.size
    if n < _SHAPE_MIN_ROWS or not bool(np.all(np.diff(ints) > 0)):  # increasing implies unique
        return None
    dense = int(ints[-1]) - int(ints[0]) + 1 <= 2 * n
    looks_like_id = bool(re.search(r"(^|_|\b)(id|key|no|nr|num|number|code)$", name.lower()))
    if dense or looks_like_id:
        return {"pattern": "integer", "start": 1, "sequential": True}
    return None


def _key(name: str, nonnull: pd.Series, numeric: str | None,
         n_distinct: int) -> dict[str, object] | None:
    n = len(nonnull)
    if n < _SHAPE_MIN_ROWS or n_distinct != n:
        return None
    if numeric == "integer":
        try:
            ints = nonnull.astype("int64").to_numpy()
        except OverflowError:
            return None
        return _integer_key(name, ints)
    shapes = nonnull.map(_shape)
    top = shapes.value_counts()
    if top.iloc[0] < 0.99 * n or not re.search(r"9", str(top.index[0])):
        return None
    shape = str(top.index[0])
    digits = re.search(r"9+$", shape)
    if digits is None:
        return {"pattern": "shape", "shape": shape, "sequential": False}
    width = len(digits.group(0))
    heads = nonnull.str.slice(0, len(shape) - width)
    prefix = str(heads.iloc[0]) if heads.nunique() == 1 else None
    tails = pd.to_numeric(nonnull.str.slice(len(shape) - width), errors="coerce").to_numpy()
    sequential = bool(prefix is not None and np.all(np.diff(tails) > 0))
    out: dict[str, object] = {"pattern": "shape", "shape": shape, "width": width,
                              "sequential": sequential}
    if prefix is not None:
        out["prefix"] = prefix
    return out


def _is_text(distinct: _Distinct) -> bool:
    n, n_distinct = distinct.n, len(distinct.values)
    if n_distinct > 50 and n_distinct > 0.5 * n:
        return True
    if n_distinct <= 0.2 * n:
        return False  # too repetitive to be free text, however wordy
    spaced = distinct.values.str.contains(" ", regex=False).to_numpy(dtype=bool)
    lengths = distinct.values.str.len().to_numpy(dtype=np.int64)
    with_space = int(distinct.counts[spaced].sum())
    chars = int((lengths * distinct.counts).sum())
    return with_space / n > 0.5 and chars / n > 25


def infer_kind(
    name: str, values: pd.Series, *, pii: bool = False, pii_kind: str | None = None,
    isnull: np.ndarray | None = None, codes: TextCodes | None = None,
) -> ColumnKind:
    """Decide a column's kind from its values; a PII finding wins over everything but 'empty'.

    ``isnull`` is the column's null mask and ``codes`` its :func:`text_codes`, if the caller has
    them (finding nulls in a text column, and factorising it, each cost about as much as the
    rest of this).
    """
    if isnull is None:
        isnull = values.isna().to_numpy(dtype=bool)
    if isnull.all():
        return ColumnKind(name, "empty")
    if pii:
        return ColumnKind(name, "pii", {"pii_kind": pii_kind})
    if pd.api.types.is_bool_dtype(values):
        return ColumnKind(name, "boolean", {"labels": [False, True], "native": True})
    if pd.api.types.is_datetime64_any_dtype(values):
        return ColumnKind(name, "datetime", {"format": "%Y-%m-%d %H:%M:%S", "unit": "s",
                                             "native": True})
    if pd.api.types.is_numeric_dtype(values):
        nonnull_num = values.dropna()
        floats = nonnull_num.to_numpy(dtype=float)
        is_int = pd.api.types.is_integer_dtype(values) or bool(np.all(np.mod(floats, 1) == 0))
        key = None
        if is_int and np.all(np.abs(floats) < 2.0**63):
            key = _integer_key(name, nonnull_num.to_numpy(dtype=np.int64))
        if key:
            return ColumnKind(name, "key", {**key, "native": True})
        return ColumnKind(name, "integer" if is_int else "continuous", {"native": True})
    if codes is None:
        nonnull = _strings(values, isnull)
        distinct = _distinct(nonnull)
    else:  # every value is text already: str() would change nothing
        nonnull = values[~isnull]
        distinct = codes.distinct(isnull)
    boolean = _boolean(distinct.values)
    if boolean:
        return ColumnKind(name, "boolean", boolean)
    arr = _arrow(distinct.values)
    numeric = _numeric(distinct.values, arr)
    dt = None if numeric else _datetime(distinct, arr)
    if dt:
        return ColumnKind(name, "datetime", dt)
    key = _key(name, nonnull, numeric, len(distinct.values))
    if key:
        return ColumnKind(name, "key", key)
    if numeric:
        return ColumnKind(name, numeric)
    if _is_text(distinct):
        return ColumnKind(name, "text")
    return ColumnKind(name, "categorical")
