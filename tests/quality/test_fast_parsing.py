"""The report's fast conversions give exactly what the plain pandas code gives, on any input."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsynth.profile.kinds import to_datetime_seconds
from learnsynth.quality._fast import datetime_ns, norm_text
from learnsynth.quality.fidelity import Scored, as_float

ISO_Z = {"format": "%Y-%m-%dT%H:%M:%S%z", "unit": "s"}
DATE = {"format": "%Y-%m-%d", "unit": "d"}
SPACES = " \t\n\r\x0b\x0c\x1c\x1f\u00a0\u2003"


def _reference_norm(values: pd.Series) -> list[object]:
    out = values.astype("string").str.strip().str.casefold().str.replace(r"\s+", " ", regex=True)
    return [None if pd.isna(v) else v for v in out]


def _stamp(dt, offset_minutes: int) -> str:
    sign = "-" if offset_minutes < 0 else "+"
    hh, mm = divmod(abs(offset_minutes), 60)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + f"{sign}{hh:02d}:{mm:02d}"


texts = st.one_of(st.none(), st.integers(-5, 5),
                  st.text(alphabet=st.sampled_from(list(SPACES + "aBßİx1@.")), max_size=8),
                  st.text(max_size=6))


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, max_size=30))
def test_norm_text_equals_the_pandas_normalisation(values):
    series = pd.Series(values, dtype=object)
    assert [None if pd.isna(v) else v for v in norm_text(series)] == _reference_norm(series)


stamps = st.builds(_stamp, st.datetimes(min_value=pd.Timestamp("1700-01-01").to_pydatetime(),
                                        max_value=pd.Timestamp("2250-12-31").to_pydatetime()),
                   st.integers(-14 * 60, 14 * 60))
dirty = st.one_of(stamps, st.none(), st.just(""), st.text(max_size=26),
                  stamps.map(lambda s: s.replace("-", "/", 1)), stamps.map(lambda s: " " + s),
                  stamps.map(lambda s: s[:-6] + "Z"), stamps.map(lambda s: s[:-3] + s[-2:]),
                  st.just("2019-02-29T10:00:00+00:00"), st.just("2018-01-02T24:00:00+00:00"),
                  st.just("2400-01-01T00:00:00+00:00"))


@settings(max_examples=300, deadline=None)
@given(st.lists(dirty, max_size=40))
def test_datetime_parsing_equals_pandas(values):
    series = pd.Series(values, dtype=object)
    ours = as_float(series, Scored("t", "datetime", ISO_Z))
    theirs = to_datetime_seconds(series, ISO_Z)
    np.testing.assert_array_equal(ours, theirs)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.dates().map(str), st.none(), st.text(max_size=10)), max_size=40))
def test_date_parsing_equals_pandas(values):
    series = pd.Series(values, dtype=object)
    np.testing.assert_array_equal(as_float(series, Scored("d", "datetime", DATE)),
                                  to_datetime_seconds(series, DATE))


def test_mostly_distinct_timestamps_parse_without_factorizing():
    stamps = pd.Series(pd.date_range("2018-01-01", periods=5000, freq="37s", tz="UTC")
                       .strftime("%Y-%m-%dT%H:%M:%S+00:00"), dtype=object)
    stamps[::9] = None
    parsed = datetime_ns(stamps, ISO_Z)
    expected = pd.to_datetime(stamps, format=ISO_Z["format"], utc=True).dt.tz_localize(None)
    assert np.isnat(parsed).sum() == stamps.isna().sum()
    np.testing.assert_array_equal(parsed, expected.to_numpy(dtype="datetime64[ns]"))
