"""Property tests for the CSV reader: pandas-written text comes back exactly, and arbitrary bytes
give either a table or an InvalidInputError, never another exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learnsynth.data._readers import NULL_TOKENS
from learnsynth.data.sources import read_table
from learnsynth.errors import InvalidInputError

# Any unicode but NUL and surrogates. A bare CR is left out of the default-newline case: pandas
# writes it unquoted, and then no CSV reader can tell it from a line break.
TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12)
TEXT_NO_CR = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00\r"),
                     max_size=12)
# A leading BOM on the first name is taken for a byte-order mark, as every CSV reader does.
NAME = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00\r\ufeff"),
               min_size=1, max_size=8)


@st.composite
def text_frames(draw: st.DrawFn, values: st.SearchStrategy[str]) -> pd.DataFrame:
    names = draw(st.lists(NAME, min_size=1, max_size=4, unique=True))
    n_rows = draw(st.integers(min_value=1, max_value=6))
    cell = st.one_of(st.none(), values)
    data = {name: draw(st.lists(cell, min_size=n_rows, max_size=n_rows)) for name in names}
    return pd.DataFrame(data, dtype=object)


def _expected(frame: pd.DataFrame) -> dict[str, list[str | None]]:
    return {name: [None if v is None or v in NULL_TOKENS else v for v in frame[name]]
            for name in frame.columns}


def _roundtrip(frame: pd.DataFrame, **to_csv: str) -> dict[str, list[str | None]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        frame.to_csv(path, index=False, **to_csv)
        result = read_table(path).frame
    assert all(dtype == np.dtype(object) for dtype in result.dtypes)
    return {str(name): result[name].tolist() for name in result.columns}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_frames(TEXT_NO_CR))
def test_pandas_csv_text_round_trips(frame: pd.DataFrame) -> None:
    assert _roundtrip(frame) == _expected(frame)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_frames(TEXT))
def test_pandas_crlf_csv_text_round_trips_with_carriage_returns(frame: pd.DataFrame) -> None:
    assert _roundtrip(frame, lineterminator="\r\n") == _expected(frame)


CSV_BYTES = st.one_of(
    st.binary(max_size=80),
    st.lists(st.sampled_from([b"a", b"1", b",", b'"', b"\n", b"\r", b"\t", b" ", b"NA", b"\xff",
                              b"\xc3\xa9", b"\xef\xbb\xbf", b"\x00"]), max_size=40).map(b"".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CSV_BYTES)
def test_arbitrary_bytes_give_a_table_or_invalid_input_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(data)
        try:
            table = read_table(path)
        except InvalidInputError as exc:
            assert "fuzz.csv" in str(exc) and "\n" not in str(exc)
        else:
            assert table.n_rows_total == len(table.frame) >= 1
            assert all(v is None or isinstance(v, str) for col in table.frame
                       for v in table.frame[col])
