"""Property tests: the PII detector accepts any column a user can hand it and always answers
within its vocabulary, without leaking a value into the format descriptor."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learnsynth.profile.pii import PII_KINDS, PiiFinding, detect_column, detect_frame
from learnsynth.profile.pii.baseline import detect_by_name
from learnsynth.profile.pii.report import detect_document, detect_table

_SETTINGS = settings(max_examples=80, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.text(max_size=40), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.none(), st.booleans(),
)
# Values shaped like PII, so that the validators' deeper paths run too.
pii_like = st.one_of(
    st.from_regex(r"[a-zA-Z0-9._%+-]{1,12}@[a-z0-9-]{1,10}\.[a-z]{2,4}", fullmatch=True),
    st.from_regex(r"\+?[0-9]{1,3}[ .(-]{0,2}[0-9]{2,4}[ .)-]{0,2}[0-9]{3,4}[ .-]?[0-9]{3,4}",
                  fullmatch=True),
    st.from_regex(r"[0-9]{3}-[0-9]{2}-[0-9]{4}", fullmatch=True),
    st.from_regex(r"[A-Z]{2}[0-9]{2}[A-Z0-9 ]{10,30}", fullmatch=True),
    st.from_regex(r"[0-9]{1,5} [A-Z][a-z]{2,10} (St|Street|Ave|Road|Straße|rue)", fullmatch=True),
    st.from_regex(r"(19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]", fullmatch=True),
    st.from_regex(r"[0-9]{4,19}", fullmatch=True),
    st.sampled_from(["John Smith", "Müller", "São Paulo", "DE", "Bayern", "CA", "Vorname"]),
)
names = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["email", "phone", "ssn", "dob", "zip", "lat", "lng", "name", "Vorname",
                     "username", "iban", "passport", "notes", "col_7", "city", "state"]),
)


def _check(finding: PiiFinding, raw: list[object]) -> None:
    assert finding.kind is None or finding.kind in PII_KINDS
    assert finding.pii == (finding.kind is not None)
    assert 0.0 <= finding.confidence <= 1.0
    texts = {str(v).strip() for v in raw if v is not None} - {""}
    for value in finding.format.values():
        assert not any(len(t) >= 2 and t in str(value) for t in texts)
        assert str(value) not in texts


@_SETTINGS
@given(name=names, values=st.lists(st.one_of(scalars, pii_like), max_size=60))
def test_any_object_column_gets_a_valid_finding(name: str, values: list[object]) -> None:
    finding = detect_column(name, pd.Series(values, dtype=object))
    _check(finding, values)


@_SETTINGS
@given(name=names, values=st.lists(pii_like, min_size=5, max_size=60),
       sample_size=st.integers(min_value=1, max_value=80))
def test_pii_shaped_text_gets_a_valid_finding(name: str, values: list[str],
                                             sample_size: int) -> None:
    finding = detect_column(name, pd.Series(values, dtype=object), sample_size=sample_size)
    _check(finding, values)


@_SETTINGS
@given(name=names, ints=st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1),
                                 max_size=50),
       floats=st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=50),
       bools=st.lists(st.booleans(), max_size=50))
def test_typed_columns_get_a_valid_finding(name: str, ints: list[int], floats: list[float],
                                           bools: list[bool]) -> None:
    for series in (pd.Series(ints, dtype="int64"), pd.Series(floats, dtype="float64"),
                   pd.Series(bools, dtype="bool")):
        _check(detect_column(name, series), list(series))


@_SETTINGS
@given(columns=st.lists(names, min_size=1, max_size=4),
       values=st.lists(st.one_of(scalars, pii_like), min_size=1, max_size=20),
       seed=st.integers(min_value=0, max_value=2**32))
def test_detect_frame_answers_every_column(columns: list[str], values: list[object],
                                           seed: int) -> None:
    data = {f"{i}:{c}": pd.Series(values, dtype=object) for i, c in enumerate(columns)}
    frame = pd.DataFrame(data)
    findings = detect_frame(frame, seed=seed)
    assert [f.column for f in findings] == list(frame.columns)
    for finding in findings:
        _check(finding, values)


def test_huge_and_unusual_values_do_not_raise() -> None:
    odd = pd.Series(["x" * 200_000, "١٢٣٤٥٦٧٨٩٠", "😀 @ 😀", "\x00\n\t", None, "0" * 30,
                     np.nan, b"bytes", 3 + 4j, ["a list"]], dtype=object)
    for name in ("email", "phone", "notes", "x"):
        _check(detect_column(name, odd), list(odd))


@_SETTINGS
@given(name=names, dates=st.lists(st.one_of(st.none(), st.datetimes(
    min_value=pd.Timestamp("1700-01-01").to_pydatetime(),
    max_value=pd.Timestamp("2200-01-01").to_pydatetime())), max_size=50))
def test_datetime_columns_get_a_valid_finding(name: str, dates: list[object]) -> None:
    series = pd.Series(pd.to_datetime(pd.Series(dates, dtype=object)), dtype="datetime64[ns]")
    _check(detect_column(name, series), [])


@pytest.mark.parametrize("dtype", ["object", "int64", "float64", "bool", "datetime64[ns]",
                                   "string", "category", "Int64"])
def test_empty_columns_of_every_dtype_are_clean(dtype: str) -> None:
    for name in ("email", "col_7"):
        finding = detect_column(name, pd.Series([], dtype=dtype))
        assert (finding.pii, finding.kind) == (False, None)


@_SETTINGS
@given(name=names)
def test_name_only_baseline_answers_any_name(name: str) -> None:
    finding = detect_by_name(name)
    assert finding.kind is None or finding.kind in PII_KINDS
    assert finding.pii == (finding.kind is not None)


@_SETTINGS
@given(columns=st.lists(names, min_size=1, max_size=4, unique=True),
       values=st.lists(st.one_of(scalars, pii_like), min_size=1, max_size=15))
def test_detect_outputs_list_every_column_and_no_value(columns: list[str],
                                                       values: list[object]) -> None:
    frame = pd.DataFrame({c: pd.Series(values, dtype=object) for c in columns})
    findings = {"t": detect_frame(frame)}
    table = detect_table(findings)
    doc = json.loads(json.dumps(detect_document(findings)))
    assert [c["column"] for c in doc["tables"][0]["columns"]] == columns
    assert len(table.splitlines()) == len(columns) + 2
    texts = {str(v).strip() for v in values if isinstance(v, str)} - {""}
    reasons = " ".join(c["reason"] for c in doc["tables"][0]["columns"])
    assert not any(len(t) >= 6 and not t.isdigit() and t in reasons for t in texts)
