from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsynth.profile.kinds import KINDS, infer_kind, to_datetime_seconds


def text(values):
    return pd.Series(values, dtype=object)


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        ([None] * 20, "empty"),
        (["true", "false", None] * 10, "boolean"),
        (["Y", "N"] * 10, "boolean"),
        ([str(v) for v in np.random.default_rng(0).integers(0, 90, 200)], "integer"),
        ([f"{v:.2f}" for v in np.random.default_rng(0).normal(50, 10, 200)], "continuous"),
        (["1.5e3", "2", "-0.25", ".5"] * 10, "continuous"),
        ([f"2020-01-{d:02d}" for d in range(1, 29)] * 3, "datetime"),
        ([f"2023-04-05T10:{m:02d}:13+02:00" for m in range(60)], "datetime"),
        ([f"17-{i:06d}" for i in range(1, 300)], "key"),
        (["red", "green", "blue", None] * 30, "categorical"),
        (["00123", "00456", "00123", "00789"] * 10, "categorical"),
        ([f"word{i} and some more words to make a sentence" for i in range(200)], "text"),
    ],
)
def test_kind_is_inferred_from_values(values, kind):
    assert infer_kind("col", text(values)).kind == kind


def test_sequential_integer_id_is_a_key_but_measurements_are_not():
    assert infer_kind("id", text([str(i) for i in range(1, 500)])).kind == "key"
    rng = np.random.default_rng(1)
    ages = text([str(v) for v in rng.integers(18, 90, 500)])
    assert infer_kind("age", ages).kind == "integer"


def test_datetime_keeps_format_and_offset():
    kind = infer_kind("ts", text([f"2023-04-05T10:22:{s:02d}+02:00" for s in range(30)]))
    assert kind.details["format"] == "%Y-%m-%dT%H:%M:%S%z"
    assert kind.details["offset"] == "+02:00"
    seconds = to_datetime_seconds(text(["2023-04-05T10:22:00+02:00"]), kind.details)
    assert seconds[0] == pd.Timestamp("2023-04-05T08:22:00Z").timestamp()


def test_boolean_labels_are_kept_as_written():
    kind = infer_kind("active", text(["Yes", "No"] * 10))
    assert kind.details["labels"] == ["No", "Yes"]


def test_mixed_numbers_and_words_are_categorical_not_numeric():
    kind = infer_kind("mixed", text(["1", "2", "three", "4"] * 10))
    assert kind.kind == "categorical"


def test_native_dtypes():
    assert infer_kind("b", pd.Series([True, False] * 10)).kind == "boolean"
    assert infer_kind("f", pd.Series(np.linspace(0, 1, 50))).kind == "continuous"
    assert infer_kind("i", pd.Series(np.random.default_rng(0).integers(0, 5, 50))).kind == "integer"
    stamps = pd.Series(pd.date_range("2020-01-01", periods=50, freq="h"))
    assert infer_kind("t", stamps).kind == "datetime"


def test_pii_finding_wins_unless_empty():
    assert infer_kind("email", text(["a"] * 20), pii=True, pii_kind="email").kind == "pii"
    assert infer_kind("email", text([None] * 20), pii=True, pii_kind="email").kind == "empty"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=30)), min_size=1, max_size=60))
def test_never_crashes_on_arbitrary_text(values):
    assert infer_kind("c", text(values)).kind in KINDS
