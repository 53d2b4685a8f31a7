"""Format drift: the same value written another way.

Phones and card numbers regrouped, dates in another common format, numbers with thousands
separators or a decimal comma, letter case, stray whitespace, and unicode look-alikes or another
normalisation form. Each editor returns the value unchanged when it cannot apply; the caller then
falls back to ``whitespace``, which always changes a value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime

from learnsynth.sample.variability._dice import Dice

__all__ = ["DATE_FORMATS", "HOMOGLYPHS", "fmt_drift", "parse_date", "render_like"]

HOMOGLYPHS = {
    "a": "\u0430", "c": "\u0441", "e": "\u0435", "o": "\u043e", "p": "\u0440", "x": "\u0445",
    "y": "\u0443", "i": "\u0456", "A": "\u0410", "B": "\u0412", "C": "\u0421", "E": "\u0415",
    "H": "\u041d", "K": "\u041a", "M": "\u041c", "O": "\u041e", "P": "\u0420", "T": "\u0422",
    "X": "\u0425", "0": "O", "1": "l",
}
DATE_FORMATS = ("%d/%m/%Y", "%m/%d/%Y", "%Y/%m/%d", "%d.%m.%Y", "%d %b %Y", "%b %d, %Y",
                "%Y%m%d", "%Y-%m-%d")
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M", "%m/%d/%Y %I:%M %p", "%Y-%m-%dT%H:%M:%S")
_OFFSET_COLON = re.compile(r"([+-]\d\d)(\d\d)$")
_COLON_OFFSET = re.compile(r"[+-]\d\d:\d\d$")


def _pick(options: list[str], value: str, rng: Dice) -> str:
    """A random option that differs from ``value`` (``value`` itself if none does)."""
    start = rng.below(len(options))
    for j in range(len(options)):
        option = options[(start + j) % len(options)]
        if option != value:
            return option
    return value


_NON_DIGIT = re.compile(r"\D")


def _phone_option(i: int, pieces: list[str]) -> str:
    """The ``i``-th way to write a phone number split into ``pieces`` (see :func:`_phone`)."""
    if i < 4:
        return ("", "-", ".", " ")[i].join(pieces)
    head, mid, tail = pieces
    if i == 4:
        return f"({head}) {mid}-{tail}"
    if i == 5:
        return f"({head}){mid}-{tail}"
    if i == 6:
        return f"+1 {head} {mid} {tail}"
    return f"+1-{head}-{mid}-{tail}"


def _phone(value: str, rng: Dice) -> str:
    """The digits regrouped: run together, with dashes, dots or spaces, (area) code, +1.

    Like :func:`_pick` over every option, but builds only the options it tries.
    """
    digits = _NON_DIGIT.sub("", value)
    if len(digits) < 7:
        return value
    head, mid, tail = digits[:-7], digits[-7:-4], digits[-4:]
    if len(digits) == 10:
        head, mid, tail = digits[:3], digits[3:6], digits[6:]
    elif len(digits) == 11 and digits[0] == "1":
        head, mid, tail = digits[1:4], digits[4:7], digits[7:]
    pieces = [p for p in (head, mid, tail) if p]
    count = 8 if len(pieces) == 3 else 4
    start = rng.below(count)
    for j in range(count):
        option = _phone_option((start + j) % count, pieces)
        if option != value:
            return option
    return value


def _grouping(value: str, rng: Dice) -> str:
    compact = re.sub(r"[\s-]", "", value)
    fours = " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
    return _pick([compact, fours, fours.replace(" ", "-"), compact.lower()], value, rng)


_ISO = {  # formats whose values ``datetime.fromisoformat`` reads exactly (and far faster)
    "%Y-%m-%d": re.compile(r"\d{4}-\d\d-\d\d"),
    "%Y-%m-%d %H:%M:%S": re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"),
    "%Y-%m-%dT%H:%M:%S": re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"),
    "%Y-%m-%dT%H:%M:%S%z": re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[+-]\d\d:?\d\d|Z)"),
}


def parse_date(value: str, fmt: str | None) -> datetime | None:
    """The value as a datetime, read with the column's own format (None if it does not parse)."""
    iso = _ISO.get(fmt or "%Y-%m-%d")
    if iso is not None and iso.fullmatch(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    formats = [fmt] if fmt else []
    formats += ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S"]
    for f in formats:
        try:
            return datetime.strptime(value, f)
        except ValueError:
            continue
    return None


def render_like(stamp: datetime, fmt: str | None, like: str) -> str:
    """``stamp`` written in the column's format, with the UTC offset styled as in ``like``."""
    text = strftime(stamp, fmt or "%Y-%m-%d")
    if like.endswith("Z") and text.endswith("+0000"):
        return text[:-5] + "Z"
    if _COLON_OFFSET.search(like):
        return _OFFSET_COLON.sub(r"\1:\2", text)
    return text


_WITH_TIME = (*_TIME_FORMATS, *DATE_FORMATS, "epoch")
_MONTHS = tuple(date(2000, m, 1).strftime("%b") for m in range(1, 13))
_DATE_WRITERS: dict[str, Callable[[date], str]] = {  # DATE_FORMATS without a strftime call
    "%d/%m/%Y": lambda s: f"{s.day:02d}/{s.month:02d}/{s.year}",
    "%m/%d/%Y": lambda s: f"{s.month:02d}/{s.day:02d}/{s.year}",
    "%Y/%m/%d": lambda s: f"{s.year}/{s.month:02d}/{s.day:02d}",
    "%d.%m.%Y": lambda s: f"{s.day:02d}.{s.month:02d}.{s.year}",
    "%d %b %Y": lambda s: f"{s.day:02d} {_MONTHS[s.month - 1]} {s.year}",
    "%b %d, %Y": lambda s: f"{_MONTHS[s.month - 1]} {s.day:02d}, {s.year}",
    "%Y%m%d": lambda s: f"{s.year}{s.month:02d}{s.day:02d}",
    "%Y-%m-%d": lambda s: f"{s.year}-{s.month:02d}-{s.day:02d}",
}


def strftime(stamp: date, fmt: str) -> str:
    """``stamp.strftime(fmt)``; the day-only formats of four-digit years are written directly
    (the C call costs more than the rest of a date re-spelling)."""
    writer = _DATE_WRITERS.get(fmt)
    if writer is not None and stamp.year >= 1000:
        return writer(stamp)
    return stamp.strftime(fmt)


def _date(value: str, rng: Dice, fmt: str | None = None) -> str:
    stamp = parse_date(value, fmt)
    if stamp is None:
        return value
    has_time = (stamp.hour, stamp.minute, stamp.second) != (0, 0, 0) or (
        fmt is not None and "%H" in fmt)
    formats = _WITH_TIME if has_time else DATE_FORMATS
    start = rng.below(len(formats))
    for j in range(len(formats)):
        f = formats[(start + j) % len(formats)]
        out = str(int(stamp.timestamp())) if f == "epoch" else strftime(stamp, f)
        if out != value:
            return out
    return value


_PLAIN_NUMBER = re.compile(r"(-?)(\d+)(\.\d+)?")


def _number(value: str, rng: Dice) -> str:
    m = _PLAIN_NUMBER.fullmatch(value)
    if not m:
        return value
    sign, whole, frac = m.group(1), m.group(2), m.group(3) or ""
    grouped = f"{int(whole):,}"
    options = [sign + grouped + frac, sign + whole + frac.replace(".", ",")]
    if frac:
        options.append(sign + grouped.replace(",", ".") + frac.replace(".", ","))
    else:
        options.append(sign + whole + ".00")
    return _pick(options, value, rng)


_CASES = (str.upper, str.lower, str.title, str.swapcase)


def _case(value: str, rng: Dice) -> str:
    start = rng.below(4)
    for j in range(4):
        out = _CASES[(start + j) % 4](value)
        if out != value:
            return out
    return value


def _whitespace(value: str, rng: Dice) -> str:
    """Always changes the value: a space before or after, a doubled space, NBSP, or a tab."""
    return spaced(value, rng.below(5))


def spaced(value: str, k: int) -> str:
    """Whitespace variant ``k`` (0..4) of ``value``: a space before, a space after (1, and 2
    when there is no space to double), a doubled space, a trailing NBSP, a leading tab."""
    if k == 0:
        return " " + value
    if k == 2 and " " in value:
        return value.replace(" ", "  ", 1)
    if k == 3:
        return value + "\u00a0"
    if k == 4:
        return "\t" + value
    return value + " "


def _unicode(value: str, rng: Dice) -> str:
    for form in ("NFD", "NFC"):
        other = unicodedata.normalize(form, value)
        if other != value:
            return other
    spots = [i for i, ch in enumerate(value) if ch in HOMOGLYPHS and not ch.isdigit()]
    if not spots:
        return value
    i = spots[rng.below(len(spots))]
    return value[:i] + HOMOGLYPHS[value[i]] + value[i + 1:]


_EDITORS: dict[str, Callable[[str, Dice], str]] = {
    "phone": _phone, "grouping": _grouping, "number": _number, "case": _case,
    "whitespace": _whitespace, "unicode": _unicode,
}


def fmt_drift(variant: str, value: str, rng: Dice,
              date_format: str | None = None) -> tuple[str, str]:
    """(variant actually used, drifted value); never returns ``value`` unchanged."""
    out = _date(value, rng, date_format) if variant == "date" else _EDITORS[variant](value, rng)
    if out != value:
        return variant, out
    return "whitespace", _whitespace(value, rng)


def shift_year(stamp: datetime | date, year: int) -> datetime | date:
    """The same day and time in another year (28 February for 29 February)."""
    try:
        return stamp.replace(year=year)
    except ValueError:
        return stamp.replace(year=year, day=28)
