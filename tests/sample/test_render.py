"""Vectorised rendering agrees with Python's own formatting, value for value."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsynth.profile.kinds import _DATETIME_FORMATS
from learnsynth.sample.render import render_datetime, render_key, render_text

_OFFSETS = ("Z", "+00:00", "+05:30", "-0800", "+1245")


def _python(value: int, unit: str, fmt: str, offset: str | None) -> str:
    seconds = value * 86_400 if unit == "d" else value
    stamp = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
    if offset is None:
        return stamp.replace(tzinfo=None).strftime(fmt)
    digits = "0000" if offset == "Z" else offset.lstrip("+-").replace(":", "")
    sign = -1 if offset.startswith("-") else 1
    local = stamp.astimezone(timezone(sign * timedelta(hours=int(digits[:2]),
                                                       minutes=int(digits[2:]))))
    return local.strftime(fmt.replace("%z", "@OFFSET@")).replace("@OFFSET@", offset)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_DATETIME_FORMATS), st.sampled_from(_OFFSETS),
       st.lists(st.integers(-2_000_000_000, 4_000_000_000), min_size=1, max_size=40),
       st.lists(st.booleans(), min_size=40, max_size=40))
def test_datetimes_match_strftime(fmt_unit, offset, raw, nulls):
    fmt, unit = fmt_unit
    values = np.array(raw, dtype=np.int64) // (86_400 if unit == "d" else 1)
    isnull = np.array(nulls[: values.size])
    details = {"format": fmt, "unit": unit}
    off = offset if "%z" in fmt else None
    if off is not None:
        details["offset"] = off
    out = render_datetime(values.astype(float), isnull, details)
    for v, missing, got in zip(values, isnull, out.tolist(), strict=True):
        if missing:
            assert pd.isna(got)
        else:
            assert got == _python(int(v), unit, fmt, off)


def test_years_outside_four_digits_are_clamped_not_garbled():
    days = np.array([0.0, 3_000_000.0, -800_000.0])  # 1970, year 10183, year -221
    out = render_datetime(days, np.zeros(3, bool), {"format": "%Y-%m-%d", "unit": "d"})
    assert out.tolist() == ["1970-01-01", "9999-12-31", "0001-01-01"]


@pytest.mark.parametrize("details", [
    {"shape": "99-999999", "width": 6},
    {"shape": "99-999999", "width": 6, "sequential": True},
    {"prefix": "CUST", "width": 5, "sequential": True},
    {"pattern": "integer", "start": 100},
])
def test_keys_are_unique_across_chunks_and_in_pattern(details):
    chunks = [render_key(details, s, s + 2000, {"seed": 3}) for s in range(0, 10_000, 2000)]
    keys = [str(k) for chunk in chunks for k in list(chunk)]
    assert len(set(keys)) == 10_000
    if details.get("sequential"):
        assert keys[:2] == [f"{details.get('prefix', '99-')}{i:0{details['width']}d}"
                            for i in (1, 2)]
    if "shape" in details:
        assert all(len(k) == 9 and k[:3] == "99-" and k[3:].isdigit() for k in keys)


def test_text_is_sentences_of_the_profiled_lengths():
    rng = np.random.default_rng(0)
    text = render_text({"length_profile": [12.0, 60.0]}, 4000, rng)
    words = np.array([len(t.split()) for t in text])
    assert set(words) == {2, 10}
    assert all(t[0].isupper() and t.endswith(".") for t in text[:50])
    again = render_text({"length_profile": [12.0, 60.0]}, 4000, np.random.default_rng(0))
    assert (text == again).all()
