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
@given(n=st.integers(0, 12_000), null_share=st.floats(0, 1), size=st.integers(1, 400),
       seed=st.integers(0, 2**32 - 1))
def test_skip_sample_advances_the_generator_like_draw_sample(
        n: int, null_share: float, size: int, seed: int) -> None:
    values = pd.Series(np.arange(n, dtype=float))
    values[np.random.default_rng(seed).random(n) < null_share] = np.nan
    drawn, skipped, masked = (np.random.default_rng(seed) for _ in range(3))
    draw_sample(values, size, drawn)
    skip_sample(values, size, skipped)
    skip_sample(values, size, masked, values.isna().to_numpy())  # the profiler's null mask
    assert drawn.bit_generator.state == skipped.bit_generator.state
    assert drawn.bit_generator.state == masked.bit_generator.state


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


# --- Fit-time shortcuts that must give the numbers of the plain computation ---------------------

def _ks_all_rows(xs: np.ndarray, family: object, low: float, high: float, half: float) -> float:
    """The KS statistic read at every row, as it was before the shortcuts (the oracle)."""
    from learnsynth.profile.marginals._base import clipped_cdf

    m = xs.size
    upper = clipped_cdf(family, xs + half, low, high)  # type: ignore[arg-type]
    lower = clipped_cdf(family, xs - half, low, high)  # type: ignore[arg-type]
    i = np.arange(1, m + 1)
    return float(max(np.max(i / m - upper), np.max(lower - (i - 1) / m), 0.0))


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 6_000), shape=st.sampled_from(["lognormal", "rounded", "integers",
                                                        "bimodal"]),
       half=st.sampled_from([0.0, 0.5, 0.005]), seed=st.integers(0, 2**32 - 1))
def test_ks_statistic_equals_reading_every_row(n: int, shape: str, half: float,
                                               seed: int) -> None:
    """Reading the CDF once per distinct value, and only where the gap can be largest, gives
    exactly the statistic of reading it at every row, for every family tried."""
    from learnsynth.profile.marginals._empirical import Empirical
    from learnsynth.profile.marginals._fit import ks_statistic
    from learnsynth.profile.marginals._registry import FAMILIES

    rng = np.random.default_rng(seed)
    x = {"lognormal": lambda: rng.lognormal(2, 1, n),
         "rounded": lambda: rng.normal(50, 10, n).round(1),
         "integers": lambda: rng.integers(0, 300, n).astype(float),
         "bimodal": lambda: np.concatenate([rng.normal(0, 1, n // 2),
                                            rng.normal(6, 1, n - n // 2)]).round(2)}[shape]()
    low, high = (float(v) for v in np.quantile(x, [0.01, 0.99]))
    xs = np.sort(np.clip(x, low, high))
    families = [Empirical.fit(xs, low, high, k=2)] + [
        cls.fit(xs, low, high) for cls in FAMILIES.values()
        if cls.parametric and np.ptp(xs) > 0 and cls.applicable(xs, low, high)]
    for family in families:
        assert ks_statistic(xs, family, low, high, half) == _ks_all_rows(xs, family, low, high,
                                                                         half), family.name


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 3_000), distinct=st.integers(1, 400), integer=st.booleans(),
       seed=st.integers(0, 2**32 - 1))
def test_uniform_bounds_read_once_per_distinct_value_equal_reading_every_value(
        n: int, distinct: int, integer: bool, seed: int) -> None:
    from learnsynth.profile.marginals import fit_marginal

    rng = np.random.default_rng(seed)
    pool = rng.integers(0, 10 * distinct, distinct) if integer else rng.lognormal(3, 1, distinct)
    x = rng.choice(pool.astype(float), n)
    marginal = fit_marginal(x, integer=integer, rng=np.random.default_rng(0))
    lo, hi = marginal.uniform_bounds(x)
    one_by_one = [marginal._bounds_of(np.clip(x[i:i + 1], marginal.low, marginal.high))
                  for i in range(n)]
    assert np.array_equal(lo, np.concatenate([b[0] for b in one_by_one]))
    assert np.array_equal(hi, np.concatenate([b[1] for b in one_by_one]))
    u, lo2, hi2 = marginal.uniforms_and_bounds(x, np.random.default_rng(4))
    assert np.array_equal(u, marginal.to_uniform(x, np.random.default_rng(4)))
    assert np.array_equal(lo2, lo) and np.array_equal(hi2, hi)
    assert np.all((u >= np.minimum(lo, 1 - 1e-9) - 1e-12) & (u <= np.maximum(hi, 1e-9) + 1e-12))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(5, 500), k=st.integers(1, 12), m=st.integers(1, 6),
       seed=st.integers(0, 2**32 - 1))
def test_prepared_scores_give_the_correlation_ratios_of_the_formula(n: int, k: int, m: int,
                                                                   seed: int) -> None:
    """eta² = between-category sum of squares / total sum of squares, NaNs ignored, also after
    a column is replaced."""
    from learnsynth.profile.copula import ScoreColumns, category_matrix

    rng = np.random.default_rng(seed)
    codes = rng.integers(0, k, n)
    scores = rng.standard_normal((n, m)) + codes[:, None] * rng.random(m)
    scores[rng.random((n, m)) < 0.2] = np.nan

    def formula(column: np.ndarray) -> float:
        ok = ~np.isnan(column)
        c, v = codes[ok], column[ok]
        total = float(((v - v.mean()) ** 2).sum()) if v.size else 0.0
        if total <= 0:
            return 0.0
        between = sum(v[c == g].size * (v[c == g].mean() - v.mean()) ** 2
                      for g in np.unique(c))
        return min(max(between / total, 0.0), 1.0)

    prepared = ScoreColumns(scores)
    onehot = category_matrix(codes, k)
    np.testing.assert_allclose(prepared.ratios(onehot), [formula(s) for s in scores.T],
                               atol=1e-9)
    new = rng.standard_normal(n)
    prepared.replace(0, new)
    assert abs(prepared.ratios(onehot)[0] - formula(new)) < 1e-9


@pytest.mark.parametrize("width", [0.3, 3.0, np.inf])
def test_gibbs_draws_follow_the_truncated_normal(width: float) -> None:
    """Plain draws kept where they land inside, inversion for the rest: together exactly the
    truncated normal (here two independent dimensions, so each is N(0, 1) on its interval)."""
    from scipy import stats

    from learnsynth.profile.copula import _imputation_plan, _impute_sweep

    n = 40_000
    lo = np.full((n, 2), 0.2)
    hi = lo + width
    z = np.asfortranarray(np.full((n, 2), 0.2 + min(width, 1.0) / 2))
    plan = _imputation_plan(lo, hi, np.ones((n, 2), dtype=bool))
    rng = np.random.default_rng(3)
    for _ in range(3):
        _impute_sweep(z, plan, np.eye(2), rng)
    truth = stats.truncnorm(0.2, 0.2 + width)
    assert np.all((z >= 0.2) & (z <= 0.2 + width))
    assert stats.kstest(z[:, 0], truth.cdf).pvalue > 1e-3
    assert abs(z[:, 1].mean() - truth.mean()) < 4 * truth.std() / np.sqrt(n)


def test_gibbs_leaves_values_known_exactly_where_they_are() -> None:
    from learnsynth.profile.copula import _imputation_plan, _impute_sweep

    rng = np.random.default_rng(8)
    n = 1_000
    z0 = rng.standard_normal((n, 4))
    lo, hi = z0 - 0.5, z0 + 0.5
    lo[:, 1], hi[:, 1] = z0[:, 1] - 1e-5, z0[:, 1] + 1e-5  # known to within 1e-5
    exact_2 = np.arange(n) % 3 == 0                          # a third known exactly
    exact_3 = ~exact_2                                       # two thirds known exactly
    lo[exact_2, 2], hi[exact_2, 2] = z0[exact_2, 2], z0[exact_2, 2]
    lo[exact_3, 3], hi[exact_3, 3] = z0[exact_3, 3], z0[exact_3, 3]
    plan = _imputation_plan(lo, hi, (hi - lo) > 1e-3)
    assert [p.j for p in plan] == [0, 2, 3]
    assert plan[1].keep is not None and plan[2].rows is not None  # both ways of skipping rows
    z = np.asfortranarray(z0.copy())
    _impute_sweep(z, plan, np.linalg.inv(np.corrcoef(z0, rowvar=False)), rng)
    assert np.array_equal(z[:, 1], z0[:, 1])
    assert np.array_equal(z[exact_2, 2], z0[exact_2, 2])
    assert np.array_equal(z[exact_3, 3], z0[exact_3, 3])
    assert np.all((z >= lo) & (z <= hi))
    assert not np.any(z[~exact_2, 2] == z0[~exact_2, 2])
    assert not np.any(z[~exact_3, 3] == z0[~exact_3, 3])


def test_null_mask_and_text_codes_passed_along_give_the_same_model() -> None:
    """The profiler finds each column's nulls, and factorises a text column, once and hands them
    on; kind inference and the fit see the same thing they find on their own."""
    from learnsynth.profile.columns import fit_column
    from learnsynth.profile.kinds import infer_kind, text_codes

    frame = _frame(3_000).assign(
        flag=lambda f: np.where(f["score"] > 0, "yes", "no"),
        mixed=lambda f: pd.Series([1 if v > 1 else "1" for v in f["score"]], dtype=object),
        day=lambda f: pd.Series(np.where(f["score"] > 0, "2021-03-04", None), dtype=object))
    options = ProfileOptions()
    shared = []
    for name in frame.columns:
        values = frame[name]
        isnull = values.isna().to_numpy()
        codes = text_codes(values, isnull)
        shared.append(codes is not None)
        kind = infer_kind(name, values)
        assert kind == infer_kind(name, values, isnull=isnull, codes=codes)
        a = fit_column(values, kind, options, np.random.default_rng(1))
        b = fit_column(values, kind, options, np.random.default_rng(1), isnull=isnull,
                       codes=codes)
        assert a.model == b.model
        assert (a.codes is None and b.codes is None) or np.array_equal(a.codes, b.codes)
    # text columns share their codes; numbers and a column mixing 1 with "1" do not
    assert shared == [True, False, True, False, True, False, True]


@settings(max_examples=80, deadline=None)
@given(n=st.integers(10, 2_000), n_cats=st.integers(2, 12), n_keys=st.integers(2, 30),
       link=st.floats(0, 1), k=st.integers(1, 8), seed=st.integers(0, 2**32 - 1))
def test_conditional_score_never_exceeds_the_entropy_bound_used_to_skip_parents(
        n: int, n_cats: int, n_keys: int, link: float, k: int, seed: int) -> None:
    """fit_conditionals skips a parent when (H(parent) + log(1 + categories / n)) / H(child)
    is below the threshold; the score the table would get is never above that bound."""
    import math

    from learnsynth.model import ColumnModel
    from learnsynth.profile.columns import ColumnFit, _conditional_table, _entropy

    rng = np.random.default_rng(seed)
    keys = rng.integers(0, n_keys, n)
    codes = np.where(rng.random(n) < link, keys % n_cats, rng.integers(0, n_cats, n))
    weights = np.bincount(codes, minlength=n_cats) / n
    child = ColumnFit(ColumnModel("c", "categorical", 0.0, {}, None,
                                  tuple(f"c{i}" for i in range(n_cats)), tuple(weights)),
                      codes=codes, k=k)
    parent = ColumnFit(ColumnModel("p", "categorical", 0.0, {}, None,
                                   tuple(f"p{i}" for i in range(n_keys)),
                                   tuple(np.bincount(keys, minlength=n_keys) / n)),
                       codes=keys, k=k)
    table, score = _conditional_table(child, parent)
    own = _entropy(weights)
    if table is None or own <= 0:
        return
    bound = (_entropy(np.bincount(keys)) + math.log1p(n_cats / n)) / own
    assert score <= bound + 1e-9


@pytest.mark.parametrize("n", [500, 12_000])  # all rows, and a subsample of GIBBS_ROWS
def test_latent_correlation_with_known_normal_scores_equals_computing_them(n: int) -> None:
    from learnsynth.profile.copula import (
        NormalScores,
        fit_latent_correlation,
        normal_bounds,
        to_normal,
    )

    rng = np.random.default_rng(21)
    z = rng.multivariate_normal(np.zeros(4), [[1, .6, .3, 0], [.6, 1, .2, .1], [.3, .2, 1, .5],
                                              [0, .1, .5, 1]], n)
    u = stats_ndtr(z)
    lo, hi = np.floor(u * 4) / 4, np.floor(u * 4) / 4 + 0.25  # four categories per column
    lo[rng.random((n, 4)) < 0.1] = np.nan
    hi[np.isnan(lo)] = np.nan
    init = np.where(np.isnan(lo), np.nan, lo + rng.random((n, 4)) * 0.25)
    known = [NormalScores(to_normal(init[:, 0]), *normal_bounds(lo[:, 0], hi[:, 0])), None,
             NormalScores(to_normal(init[:, 2])), None]
    plain = fit_latent_correlation(lo, hi, init, np.random.default_rng(4))
    given = fit_latent_correlation(lo, hi, init, np.random.default_rng(4), known=known)
    assert np.array_equal(plain, given)


def stats_ndtr(z: np.ndarray) -> np.ndarray:
    from scipy import special

    return np.asarray(special.ndtr(z))
