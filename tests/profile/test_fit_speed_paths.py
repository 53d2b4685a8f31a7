"""Fast paths of fitting give the same model as the slow ones.

Detection is skipped for columns whose config override already decides they are not PII; the
seeded generator must still advance as if detection had run, so the stored model is the same
bytes either way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from faker import Faker
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsynth import Synthesizer
from learnsynth.config import ColumnOverride, ProfileOptions
from learnsynth.profile import profiler
from learnsynth.profile.pii import detect_column, skip_column
from learnsynth.profile.pii.sampling import draw_sample, skip_sample


def _frame(n: int = 9_000) -> pd.DataFrame:
    """More rows than detection's probe (4 x 2,000), nulls, PII-looking and plain columns."""
    fake = Faker("en_US")
    fake.seed_instance(3)
    rng = np.random.default_rng(5)
    emails = [fake.email() for _ in range(300)]
    amount = rng.lognormal(3, 1, n).round(2)
    amount[rng.random(n) < 0.2] = np.nan
    return pd.DataFrame({
        "contact": [emails[i] for i in rng.integers(0, 300, n)],
        "amount": amount,
        "group": rng.choice(["a", "b", "c", None], n, p=[0.5, 0.3, 0.15, 0.05]),
        "score": rng.normal(size=n) + (amount > 30),
    })


OVERRIDES = {
    "contact": ColumnOverride(pii=False),
    "amount": ColumnOverride(kind="continuous"),
    "group": ColumnOverride(pii=False, kind="categorical"),
}


def _fit(monkeypatch: pytest.MonkeyPatch, *, force_detection: bool) -> Synthesizer:
    if force_detection:
        monkeypatch.setattr(profiler, "_decided_without_detection", lambda override: False)
    return Synthesizer(ProfileOptions(columns=OVERRIDES, seed=11)).fit(_frame(), progress=False)


def test_skipping_detection_keeps_the_model_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _fit(monkeypatch, force_detection=False).model_.to_files()
    with monkeypatch.context() as patch:
        slow = _fit(patch, force_detection=True).model_.to_files()
    assert fast == slow
    assert b'"contact"' in fast["model.json"]


def test_detection_runs_only_where_its_finding_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def spy(name: str, values: pd.Series, **kwargs: object) -> object:
        seen.append(name)
        return detect_column(name, values, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(profiler, "detect_column", spy)
    columns = {**OVERRIDES, "score": ColumnOverride(kind="phone")}  # a PII kind needs its format
    Synthesizer(ProfileOptions(columns=columns)).fit(_frame(600), progress=False)
    assert seen == ["score"]


def test_profile_document_says_the_column_was_not_examined(
        monkeypatch: pytest.MonkeyPatch) -> None:
    synth = _fit(monkeypatch, force_detection=False)
    docs = {d["column"]: d for d in synth.profiles_[0].columns}
    assert docs["contact"]["kind"] == "categorical"
    assert docs["contact"]["pii"] == {"pii": False, "kind": None, "detected_kind": None,
                                      "confidence": 0.0, "locale": None, "overridden": True}
    assert docs["score"]["pii"]["overridden"] is False
    assert docs["score"]["pii"]["confidence"] > 0.5  # detection ran on the plain column


def test_an_unoverridden_email_column_is_still_detected() -> None:
    synth = Synthesizer(ProfileOptions(columns={"amount": ColumnOverride(pii=False)}))
    synth.fit(_frame(600), progress=False)
    docs = {d["column"]: d for d in synth.profiles_[0].columns}
    assert docs["contact"]["kind"] == "pii" and docs["contact"]["pii"]["detected_kind"] == "email"


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 3_000), null_share=st.floats(0, 1), size=st.integers(1, 400),
       seed=st.integers(0, 2**32 - 1))
def test_skip_sample_advances_the_generator_like_draw_sample(
        n: int, null_share: float, size: int, seed: int) -> None:
    values = pd.Series(np.arange(n, dtype=float))
    values[np.random.default_rng(seed).random(n) < null_share] = np.nan
    drawn, skipped = np.random.default_rng(seed), np.random.default_rng(seed)
    draw_sample(values, size, drawn)
    skip_sample(values, size, skipped)
    assert drawn.bit_generator.state == skipped.bit_generator.state


def test_skip_column_finding_and_generator() -> None:
    values = pd.Series(["a@example.com"] * 50)
    rng, ref = np.random.default_rng(1), np.random.default_rng(1)
    finding = skip_column("contact", values, sample_size=10, rng=rng, reason="set by config")
    detect_column("contact", values, sample_size=10, rng=ref)
    assert (finding.pii, finding.kind, finding.confidence) == (False, None, 0.0)
    assert finding.reason == "set by config"
    assert rng.bit_generator.state == ref.bit_generator.state


def _odd_frame() -> pd.DataFrame:
    frame = pd.DataFrame({
        "lists": [[1], [2], [3]], "text": [None, "x", "y"],
        "when": pd.to_datetime(["2020-01-01", None, "2021-05-03"], utc=True),
        "flag": pd.array([True, None, False], dtype="boolean"),
        "cat": pd.Categorical(["u", "v", "u"]), "mixed": [1, "x", 2.5],
        "num": [1.0, np.nan, 3.0],
    })
    frame.columns = ["lists", "text", "when", "flag", "cat", "mixed", "lists"]  # a duplicate name
    return frame


def test_fingerprint_is_a_function_of_values_names_and_types() -> None:
    from learnsynth.synthesizer import _frame_fingerprint

    frame = _odd_frame()
    base = _frame_fingerprint(frame)
    assert base == _frame_fingerprint(frame.copy()) == _frame_fingerprint(
        frame.set_axis(range(10, 13)))  # the index is not data
    changed = frame.copy()
    changed.iloc[2, 1] = "z"
    renamed = frame.set_axis(["lists", "text", "when", "flag", "cat", "mixed", "other"], axis=1)
    retyped = frame.copy()
    retyped.isetitem(6, frame.iloc[:, 6].astype(str))
    swapped = frame.iloc[:, [1, 0, 2, 3, 4, 5, 6]]
    prints = {base, *(_frame_fingerprint(f) for f in (changed, renamed, retyped, swapped))}
    assert len(prints) == 5
    assert len(base) == 64 and int(base, 16) >= 0


@settings(max_examples=80, deadline=None)
@given(n=st.integers(0, 400), n_slots=st.integers(1, 70_000), distinct=st.integers(1, 50),
       seed=st.integers(0, 2**32 - 1))
def test_slot_key_order_equals_lexsort(n: int, n_slots: int, distinct: int, seed: int) -> None:
    """The fast encoding sort is lexsort((tie, key, slot)), ties in the key included."""
    from learnsynth.profile.copula import _slot_key_order

    rng = np.random.default_rng(seed)
    slot = rng.integers(0, n_slots, n)
    key = rng.integers(0, distinct, n).astype(float) if seed % 2 else rng.standard_normal(n)
    key[rng.random(n) < 0.05] = -0.0  # equal to 0.0 for the sort
    tie = rng.random(n)
    assert np.array_equal(_slot_key_order(slot, key, tie, n_slots), np.lexsort((tie, key, slot)))


def test_fast_encoding_sort_keeps_the_model_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    from learnsynth.profile import copula

    frame = _frame(3_000)
    fast = Synthesizer(seed=2).fit(frame, progress=False).model_.to_files()
    monkeypatch.setattr(copula, "_slot_key_order",
                        lambda slot, key, tie, n_slots: np.lexsort((tie, key, slot)))
    assert Synthesizer(seed=2).fit(frame, progress=False).model_.to_files() == fast


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.floats(-1e4, 1e4) | st.just(float("nan")),
                                 st.integers(-5, 5)),
                       min_size=1, max_size=60),
       dtype=st.sampled_from(["float64", "int64", "bool", "datetime64[ns]", "object", "Int64",
                              "complex128"]),
       seed=st.integers(0, 1000))
def test_present_at_matches_notna(values: list[object], dtype: str, seed: int) -> None:
    from learnsynth.profile.pii.sampling import _present_at

    base = pd.Series(values, dtype=object)
    if dtype in ("int64", "bool"):
        series = pd.Series([0 if v is None or v != v else int(v) for v in values]).astype(dtype)
    elif dtype == "datetime64[ns]":
        series = pd.to_datetime(pd.Series([None if v is None or v != v else int(v)
                                           for v in values], dtype=object), unit="D")
    elif dtype == "Int64":
        series = pd.Series([None if v is None or v != v else int(v) for v in values],
                           dtype="Int64")
    elif dtype == "object":
        series = base
    else:
        series = pd.to_numeric(base, errors="coerce").astype(dtype)
    positions = np.random.default_rng(seed).permutation(len(series))
    assert np.array_equal(_present_at(series, positions),
                          series.iloc[positions].notna().to_numpy(dtype=bool, na_value=False))


# The row-by-row kind tests as they were before infer_kind worked on distinct values: the oracle.
def _old_datetime(nonnull: pd.Series) -> dict[str, object] | None:
    from learnsynth.profile.kinds import _DATETIME_FORMATS

    probe = nonnull.iloc[: min(len(nonnull), 2000)]
    date_like = r"^[^A-SU-Ya-su-y]*[0-9][^A-SU-Ya-su-y]*$"  # one digit, before the year rule
    if not probe.empty and not bool(probe.str.fullmatch(date_like).all()):
        return None
    for fmt, unit in _DATETIME_FORMATS:
        if pd.to_datetime(probe, format=fmt, errors="coerce").notna().all() and pd.to_datetime(
                nonnull, format=fmt, errors="coerce").notna().all():
            details: dict[str, object] = {"format": fmt, "unit": unit}
            if "%z" in fmt:
                offsets = nonnull.str.extract(r"([+-]\d\d:?\d\d|Z)$")[0].dropna()
                details["offset"] = str(offsets.mode().iloc[0]) if len(offsets) else "+00:00"
            return details
    return None


def _old_is_text(nonnull: pd.Series) -> bool:
    n, distinct = len(nonnull), nonnull.nunique()
    if distinct > 50 and distinct > 0.5 * n:
        return True
    if distinct <= 0.2 * n:
        return False
    return float(nonnull.str.contains(" ").mean()) > 0.5 and float(nonnull.str.len().mean()) > 25


_TOKENS = ["2021-03-04", "2021-03-04T10:00:00+02:00", "2021-03-04T11:00:00-05:00", "<5", "50-59",
           "21-03-04", "１２/03/2021", "２０２１/01/02", "1/2/921",
           "2021-03-04T12:00:00Z", "04/03/2021", "13/03/2021", "yes", "no", "12", "007", "3.5",
           "a b c d e f g h i j k l m n o p", "word", "the quick brown fox jumps over the dog",
           "AB-0001", "x y", "", "1e5"]


@pytest.mark.filterwarnings("ignore:.*mixed time zones:FutureWarning")  # pandas, on mixed offsets
@settings(max_examples=150, deadline=None)
@given(picks=st.lists(st.integers(0, len(_TOKENS) - 1), min_size=1, max_size=80),
       spread=st.lists(st.integers(0, 10**6), max_size=80), nulls=st.booleans())
def test_kind_tests_on_distinct_values_match_row_by_row(picks: list[int], spread: list[int],
                                                        nulls: bool) -> None:
    from learnsynth.profile.kinds import _arrow, _datetime, _distinct, _is_text

    values = [_TOKENS[i] for i in picks] + [f"v{i}" for i in spread]
    series = pd.Series(values + ([None] * 3 if nulls else []), dtype=object)
    nonnull = series.dropna().astype(str)
    distinct = _distinct(nonnull)
    expected = _old_datetime(nonnull)
    assert _datetime(distinct, None) == expected
    assert _datetime(distinct, _arrow(distinct.values)) == expected
    assert _is_text(distinct) == _old_is_text(nonnull)


@pytest.mark.parametrize(("column", "kind"), [
    # 30 distinct among 100: the content decides, weighted by how often each value occurs.
    (["a long sentence that keeps going on and on for quite a while"] * 71
     + [f"a {i}" for i in range(29)], "text"),
    ([f"a long sentence number {i} that keeps on going for a while" for i in range(29)]
     + ["a b"] * 71, "categorical"),
])
def test_text_share_counts_every_row(column: list[str], kind: str) -> None:
    from learnsynth.profile.kinds import _distinct, _is_text, infer_kind

    series = pd.Series(column, dtype=object)
    assert infer_kind("c", series).kind == kind
    assert _is_text(_distinct(series)) == _old_is_text(series) == (kind == "text")


@pytest.mark.filterwarnings("ignore:.*mixed time zones:FutureWarning")  # pandas, on mixed offsets
@pytest.mark.parametrize(("column", "offset"), [
    (["2021-03-04T10:00:00+02:00"] * 5 + ["2021-03-04T11:00:00-05:00",
                                          "2021-03-04T12:00:00-05:00"], "+02:00"),
    (["2021-03-04T10:00:00-05:00"] * 2 + ["2021-03-04T11:00:00+02:00",
                                          "2021-03-04T12:00:00+02:00"], "+02:00"),  # a tie
])
def test_datetime_offset_is_the_most_frequent_over_rows(column: list[str], offset: str) -> None:
    from learnsynth.profile.kinds import infer_kind

    series = pd.Series(column, dtype=object)
    found = infer_kind("when", series)
    assert found.kind == "datetime" and found.details["offset"] == offset
    assert _old_datetime(series) == found.details
