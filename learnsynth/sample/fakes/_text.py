"""Vectorised string building for fake columns: whole columns at once, never a loop of Faker calls.

Columns are 1-D ``object`` arrays of Python ``str``. Fixed-shape values (digits in a pattern,
hex groups) are built as a ``uint32`` code-point matrix and viewed as a NumPy unicode array, so
filling 100,000 patterns costs a few array operations. Free-form values are concatenated as
object arrays (``a + "." + b`` runs in C). Functions that transform text work on the distinct
values of a column, which are few compared with the rows.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from functools import cache

import numpy as np
import pandas as pd

__all__ = [
    "DIGITS", "HEX", "UPPER", "apply_case", "apply_pattern", "code_matrix", "code_strings",
    "compose",
    "compose_styles", "date_parts", "digits_for", "duplicated", "fixed_decimals", "fold_ascii",
    "fold_column", "format_dates", "grouped", "int_digits", "int_strings", "map_distinct",
    "random_fill", "regroup", "render",
]

DIGITS = "0123456789"
HEX = "0123456789abcdef"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# Letters that NFKD does not decompose into an ASCII base letter.
_SPECIAL = str.maketrans({
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "TH", "ı": "i",
})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_FORMATTER = string.Formatter()
_CASES: dict[str, Callable[[str], str]] = {"lower": str.lower, "upper": str.upper,
                                           "title": str.title}


def fold_ascii(text: str) -> str:
    """Lower-case ASCII letters and digits of ``text`` (``"Müller-Lüdenscheidt"`` ->
    ``"mullerludenscheidt"``, ``"Groß"`` -> ``"gross"``), for e-mail addresses and user names."""
    plain = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return _NON_ALNUM.sub("", plain.encode("ascii", "ignore").decode("ascii").lower())


def map_distinct(values: np.ndarray, func: Callable[[str], str]) -> np.ndarray:
    """``func`` applied to every value, computed once per distinct value."""
    items = values.tolist()
    table = {value: func(value) for value in set(items)}
    return np.array([table[value] for value in items], dtype=object)


def fold_column(values: np.ndarray) -> np.ndarray:
    """:func:`fold_ascii` of every value."""
    return map_distinct(values, fold_ascii)


def apply_case(values: np.ndarray, case: str | None) -> np.ndarray:
    """Values in ``case`` (``lower``, ``upper``, ``title``); ``None`` or ``mixed`` keep them."""
    if case is None or case == "mixed":
        return values
    return map_distinct(values, _CASES[case])


def _codes(text: str) -> np.ndarray:
    return np.array([ord(char) for char in text], dtype=np.uint32)


def _to_strings(buf: np.ndarray) -> np.ndarray:
    """Rows of a code-point matrix as Python strings; trailing NUL code points are dropped."""
    rows, width = buf.shape
    if width == 0 or rows == 0:
        return np.full(rows, "", dtype=object)
    text = np.ascontiguousarray(buf, dtype=np.uint32).view(np.dtype(f"U{width}"))
    return text[:, 0].astype(object)


def code_strings(codes: np.ndarray) -> np.ndarray:
    """Rows of a code-point matrix (as :func:`code_matrix` gives) as Python strings."""
    return _to_strings(codes)


def render(pattern: str, values: np.ndarray, alphabet: str = DIGITS) -> np.ndarray:
    """``pattern`` with its ``#`` slots filled, row by row, by ``alphabet[values[:, j]]``.

    ``values`` has one column per ``#``; every other character of the pattern is literal.
    """
    codes = _codes(pattern)
    slots = np.flatnonzero(codes == ord("#"))
    values = np.asarray(values)
    if values.ndim != 2 or values.shape[1] != slots.size:
        raise ValueError(f"pattern {pattern!r} has {slots.size} slots, got {values.shape}")
    buf = np.tile(codes, (values.shape[0], 1))
    buf[:, slots] = _codes(alphabet)[values]
    return _to_strings(buf)


def random_fill(template: str, n: int, rng: np.random.Generator,
                letters: str = UPPER) -> np.ndarray:
    """``n`` strings from ``template``: ``#`` a random digit, ``%`` a random non-zero digit,
    ``?`` a random one of ``letters`` (Faker's ``bothify`` conventions)."""
    codes = _codes(template)
    buf = np.tile(codes, (n, 1))
    digit_slots = np.flatnonzero(codes == ord("#"))
    nonzero_slots = np.flatnonzero(codes == ord("%"))
    letter_slots = np.flatnonzero(codes == ord("?"))
    buf[:, digit_slots] = rng.integers(48, 58, (n, digit_slots.size), dtype=np.uint32)
    buf[:, nonzero_slots] = rng.integers(49, 58, (n, nonzero_slots.size), dtype=np.uint32)
    alphabet = _codes(letters)
    buf[:, letter_slots] = alphabet[rng.integers(0, alphabet.size, (n, letter_slots.size))]
    return _to_strings(buf)


def grouped(sizes: Sequence[int], separator: str) -> str:
    """A ``#`` pattern of digit groups: ``grouped((4, 4), "-")`` -> ``"####-####"``."""
    return separator.join("#" * size for size in sizes)


def int_digits(values: np.ndarray, width: int) -> np.ndarray:
    """Decimal digits of non-negative integers, zero-padded to ``width`` columns."""
    values = np.asarray(values, dtype=np.int64)
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers[None, :]) % 10


def code_matrix(values: np.ndarray, min_width: int = 1) -> np.ndarray:
    """Code points of each value, one row per value, padded with zeros to a common width."""
    n = len(values)
    text = np.asarray(values, dtype=str) if n else np.array([], dtype="U1")
    width = max(text.dtype.itemsize // 4, 1)
    codes = np.zeros((n, max(width, min_width)), dtype=np.uint32)
    if n:
        codes[:, :width] = np.ascontiguousarray(text).view(np.uint32).reshape(n, width)
    return codes


def regroup(values: np.ndarray, size: int, separator: str) -> np.ndarray:
    """Equal-length values cut into groups of ``size`` characters joined by ``separator``."""
    if not separator or len(values) == 0:
        return values
    codes = code_matrix(values)
    pieces: list[np.ndarray] = []
    for start in range(0, codes.shape[1], size):
        if pieces:
            pieces.append(np.full((len(values), 1), ord(separator), dtype=np.uint32))
        pieces.append(codes[:, start:start + size])
    return _to_strings(np.hstack(pieces))


def digits_for(values: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """The first ``k`` digits of each value as an ``(n, k)`` matrix; random digits fill in
    where a value has fewer than ``k``."""
    n = len(values)
    codes = code_matrix(values, k)
    is_digit = (codes >= 48) & (codes <= 57)
    order = np.argsort(~is_digit, axis=1, kind="stable")[:, :k]
    digits = np.take_along_axis(codes, order, axis=1).astype(np.int64) - 48
    missing = np.arange(k)[None, :] >= is_digit.sum(axis=1)[:, None]
    if missing.any():
        digits = np.where(missing, rng.integers(0, 10, (n, k)), digits)
    return digits


def apply_pattern(pattern: str, values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each value's digits poured, in order, into the ``#`` slots of ``pattern``.

    A value with exactly as many digits as the pattern has slots keeps them all (and so keeps
    its check digits); longer values keep their leading digits, shorter ones are padded with
    random digits.
    """
    return render(pattern, digits_for(values, pattern.count("#"), rng))


def compose(template: str, fields: Mapping[str, np.ndarray], n: int) -> np.ndarray:
    """``str.format``-style ``template`` applied row-wise to arrays of strings."""
    out = np.full(n, "", dtype=object)
    for literal, name, _spec, _conversion in _FORMATTER.parse(template):
        if literal:
            out = out + literal
        if name is not None:
            out = out + fields[name]
    return out


def compose_styles(templates: Sequence[str], style: np.ndarray,
                   fields: Mapping[str, np.ndarray]) -> np.ndarray:
    """Row ``i`` formatted with ``templates[style[i]]``."""
    out = np.empty(style.size, dtype=object)
    for index, template in enumerate(templates):
        rows = np.flatnonzero(style == index)
        if rows.size:
            out[rows] = compose(template, {k: v[rows] for k, v in fields.items()}, rows.size)
    return out


@cache
def _small_ints() -> np.ndarray:
    return np.array([str(value) for value in range(10_000)], dtype=object)


def int_strings(values: np.ndarray) -> np.ndarray:
    """Decimal strings of integers (a table lookup for the common small ones)."""
    values = np.asarray(values, dtype=np.int64)
    if values.size == 0 or (values.min() >= 0 and values.max() < 10_000):
        return _small_ints()[values]
    return np.array([str(value) for value in values.tolist()], dtype=object)


def fixed_decimals(values: np.ndarray, decimals: int) -> np.ndarray:
    """Numbers written with exactly ``decimals`` digits after the point."""
    return np.array([f"{value:.{decimals}f}" for value in values.tolist()], dtype=object)


def format_dates(days: np.ndarray, date_format: str) -> np.ndarray:
    """Dates written with a ``strftime`` format, computed once per distinct day."""
    days = np.asarray(days, dtype="datetime64[D]")
    if date_format == "%Y-%m-%d":
        return np.datetime_as_string(days, unit="D").astype(object)
    distinct, inverse = np.unique(days.astype(np.int64), return_inverse=True)
    epoch = date(1970, 1, 1)
    texts = [(epoch + timedelta(days=int(day))).strftime(date_format) for day in distinct]
    return np.array(texts, dtype=object)[inverse]


def date_parts(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month 1-12, day 1-31) of ``datetime64[D]`` values."""
    days = np.asarray(days, dtype="datetime64[D]")
    months = days.astype("datetime64[M]")
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def duplicated(values: np.ndarray) -> np.ndarray:
    """Mask of the rows whose value already occurred in an earlier row."""
    return pd.Series(values, dtype=object).duplicated().to_numpy()
