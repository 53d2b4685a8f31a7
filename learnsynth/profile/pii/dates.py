"""Dates written as text, and whether a column of dates looks like birth dates.

Text is parsed with a fixed list of explicit formats (never pandas' format guessing, which warns
and is slow); the format under which most values parse wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["BirthDateEvidence", "birth_date_evidence", "parse_dates"]

_FORMATS = ("ISO8601", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y", "%m-%d-%Y",
            "%Y.%m.%d", "%d %b %Y", "%b %d, %Y", "%d %B %Y", "%B %d, %Y")
_COMPACT = "%Y%m%d"
_DATE_LIKE = re.compile(
    r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[T ][\d:.+\-Z]*)?|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}"
    r"|\d{1,2} [A-Za-z]{3,9} \d{4}|[A-Za-z]{3,9} \d{1,2}, \d{4})$"
)
_COMPACT_LIKE = re.compile(r"^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$")
_MIN_YEAR = 1900
_MIN_AGE_YEARS = 10
_DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class BirthDateEvidence:
    """How birth-date-like a column's dates are.

    Attributes:
        parsed: Share of sampled values that are dates.
        in_range: Share of those dates between 1900 and ten years ago.
        spread_years: 10th-90th percentile spread of the dates, in years.
        median_age: Median age implied by the dates, in years.
        date_format: The strftime format the text used (``None`` for datetime columns).
        day_concentration: Share of the dates that fall on their most common day of the month.
            Birth days spread over the whole month; monthly series sit on one day (the 1st).
    """

    parsed: float
    in_range: float
    spread_years: float
    median_age: float
    date_format: str | None
    day_concentration: float = 0.0


def parse_dates(texts: list[str], *, compact: bool) -> tuple[pd.Series, str | None]:
    """Parse text dates with the format that fits most values.

    Args:
        texts: Sampled values.
        compact: Also try ``YYYYMMDD`` (only when the column name says birth date).

    Returns:
        The parsed dates (``NaT`` where a value did not parse) and the winning format.
    """
    shaped = [t for t in texts if _DATE_LIKE.match(t) or (compact and _COMPACT_LIKE.match(t))]
    if len(shaped) < max(1, len(texts) // 2):
        return pd.Series([], dtype="datetime64[ns]"), None
    series = pd.Series(texts, dtype=object)
    best: tuple[int, pd.Series, str | None] = (0, pd.Series([], dtype="datetime64[ns]"), None)
    for fmt in _FORMATS + ((_COMPACT,) if compact else ()):
        try:
            parsed = pd.to_datetime(series, format=fmt, errors="coerce", utc=True)
        except (ValueError, TypeError, OverflowError):
            continue
        count = int(parsed.notna().sum())
        if count > best[0]:
            best = (count, parsed, fmt)
        if count == len(texts):
            break
    return best[1], best[2]


def birth_date_evidence(dates: pd.Series, n_values: int, date_format: str | None,
                        today: pd.Timestamp | None = None) -> BirthDateEvidence | None:
    """Summarise dates as possible birth dates (``None`` when there are none).

    Args:
        dates: Parsed dates (``NaT`` for values that are not dates), tz-aware or naive.
        n_values: Number of sampled values the dates came from.
        date_format: The text format, if the dates were text.
        today: Reference day (default: today).
    """
    valid = dates.dropna()
    if valid.empty or n_values == 0:
        return None
    if getattr(valid.dt, "tz", None) is not None:
        valid = valid.dt.tz_localize(None)
    now = today if today is not None else pd.Timestamp.today().normalize()
    years = valid.dt.year.to_numpy(dtype=float) + (valid.dt.dayofyear.to_numpy(dtype=float)
                                                   - 1) / _DAYS_PER_YEAR
    now_years = now.year + (now.dayofyear - 1) / _DAYS_PER_YEAR
    ages = now_years - years
    in_range = (years >= _MIN_YEAR) & (ages >= _MIN_AGE_YEARS)
    low, mid, high = np.percentile(ages, [10, 50, 90])
    return BirthDateEvidence(
        parsed=len(valid) / n_values, in_range=float(np.mean(in_range)),
        spread_years=float(high - low), median_age=float(mid), date_format=date_format,
        day_concentration=float(valid.dt.day.value_counts(normalize=True).iloc[0]),
    )
