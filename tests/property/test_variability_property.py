"""Property tests: editors always change a value; any YAML document parses or fails cleanly."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn

from learnsynth.errors import ConfigError
from learnsynth.sample.variability import parse_variability
from learnsynth.sample.variability._bulk import BULK, bulk_edit
from learnsynth.sample.variability._dice import Dice
from learnsynth.sample.variability._formats import DATE_FORMATS, fmt_drift, strftime
from learnsynth.sample.variability._typos import TYPOS, typo
from learnsynth.sample.variability._values import break_checksum, break_email

texts = st.text(min_size=0, max_size=40)
seeds = st.integers(0, 2**32 - 1)


@given(texts, st.sampled_from(sorted(TYPOS)), seeds)
def test_a_typo_always_changes_the_value(value: str, variant: str, seed: int) -> None:
    used, out = typo(variant, value, Dice(np.random.default_rng(seed)))
    assert out != value and used in TYPOS
    assert abs(len(out) - len(value)) <= 1


@given(texts, st.sampled_from(["phone", "date", "number", "grouping", "case", "whitespace",
                               "unicode"]), seeds)
def test_format_drift_always_changes_the_value(value: str, variant: str, seed: int) -> None:
    used, out = fmt_drift(variant, value, Dice(np.random.default_rng(seed)), "%Y-%m-%d")
    assert out != value and used in (variant, "whitespace")


@given(st.text(alphabet="0123456789", min_size=12, max_size=18), seeds)
def test_broken_cards_fail_luhn(payload: str, seed: int) -> None:
    card = payload + luhn.calc_check_digit(payload)
    out = break_checksum(card, "credit_card", Dice(np.random.default_rng(seed)))
    assert len(out) == len(card) and not luhn.is_valid(out)


@given(st.emails(), seeds)
def test_broken_emails_differ(email: str, seed: int) -> None:
    assert break_email(email, Dice(np.random.default_rng(seed))) != email


scalars = (st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=True)
           | st.text(max_size=8))
# two levels of nesting, spelled out: st.recursive's "extend doesn't use its argument" check
# (hypothesis 2026) fires now and then on small leaf budgets and fails the run
shallow = (scalars | st.lists(scalars, max_size=4)
           | st.dictionaries(st.text(max_size=10), scalars, max_size=4))
yaml_values = (shallow | st.lists(shallow, max_size=4)
               | st.dictionaries(st.text(max_size=10), shallow, max_size=4))
keys = st.sampled_from(["defaults", "columns", "variants", "near_duplicates", "typo", "missing",
                        "format", "outlier", "invalid", "rate", "fields", "kinds"])
docs = st.dictionaries(keys, yaml_values | st.dictionaries(keys, yaml_values, max_size=4),
                       max_size=4)


@settings(max_examples=300)
@given(docs)
def test_any_document_parses_or_raises_config_error(doc: dict) -> None:
    try:
        config = parse_variability(doc, "x.yaml")
    except ConfigError as exc:
        assert str(exc).startswith("Variability config 'x.yaml'")
        assert "\n" not in str(exc)
        return
    for rate in config.defaults.values():
        assert 0 <= rate <= 1
    assert sum(config.defaults.values()) <= 1 + 1e-12


@settings(max_examples=200)
@given(st.lists(texts, min_size=1, max_size=12),
       st.sampled_from(sorted(BULK)), seeds)
def test_bulk_editors_always_change_every_value(values: list[str], pair: tuple[str, str],
                                                seed: int) -> None:
    rng = np.random.default_rng(seed)
    kind, variant = pair
    used, out = bulk_edit(kind, variant, values, rng.random((len(values), 3)), Dice(rng))
    assert len(used) == len(out) == len(values)
    for value, got, how in zip(values, out, used, strict=True):
        assert got != value
        if kind == "typo":
            assert how in TYPOS and abs(len(got) - len(value)) <= 1
        else:
            assert how in (variant, "whitespace")


def _number_plan(decimals: int, bounds: tuple[float, float] | None):
    from learnsynth.sample.variability._plan import ColumnPlan

    return ColumnPlan(name="n", role="number", pii_kind=None, rates={}, variants={}, perturb=(),
                      date_format=None, bounds=bounds, year_bounds=(1920, 2030),
                      decimals=decimals, string_kinds=True)


numbers = st.one_of(st.integers(-10**12, 10**12).map(str),
                    st.decimals(-10**9, 10**9, places=2, allow_nan=False,
                                allow_infinity=False).map(lambda d: repr(float(d))))


@settings(max_examples=200)
@given(st.lists(numbers, min_size=1, max_size=12),
       st.sampled_from(["x10", "x1000", "sign", "range"]),
       st.sampled_from([None, (0.0, 100.0), (-5.0, 2.5e6)]), seeds)
def test_vectorised_number_outliers_change_every_value(values: list[str], variant: str,
                                                       bounds: tuple[float, float] | None,
                                                       seed: int) -> None:
    from learnsynth.sample.variability._batch import column_edit

    rng = np.random.default_rng(seed)
    used, out = column_edit(_number_plan(2, bounds), "outlier", variant, values, True,
                            rng.random((len(values), 3)), Dice(rng))
    for value, got, how in zip(values, out, used, strict=True):
        assert got != value and how in (variant, "range")
        whole = "." not in value and "e" not in value
        if whole:  # a whole number stays a whole number
            assert "." not in got and "e" not in got
        scale = {"x10": 10, "x1000": 1000, "sign": -1}.get(how)
        if scale is not None:  # applied: the same number scaled (to the column's decimals)
            assert abs(float(got) - round(float(value) * scale, 0 if whole else 2)) <= 1e-6 * (
                1 + abs(float(got)))
        elif bounds is not None:  # far outside the column's range
            assert not bounds[0] <= float(got) <= bounds[1]


@given(st.text(max_size=12).filter(lambda s: "@" not in s), seeds)
def test_an_address_without_a_domain_still_breaks(local: str, seed: int) -> None:
    value = local + "@"
    assert break_email(value, Dice(np.random.default_rng(seed))) != value


groups = st.lists(st.tuples(st.lists(numbers, min_size=1, max_size=6),
                            st.sampled_from(["x10", "x1000", "sign", "range"]),
                            st.sampled_from([0, 1, 2]),
                            st.sampled_from([None, (0.0, 100.0), (-5.0, 2.5e6)])),
                  min_size=1, max_size=6)


@settings(max_examples=150)
@given(groups, st.integers(-1, 5), seeds)
def test_number_outliers_of_a_chunk_at_once_equal_each_group_alone(
        spec: list, broken: int, seed: int) -> None:
    """A chunk's (column, variant) groups edited in one call give what each gives alone; a group
    holding a value that is not a number is refused (None) without touching the others."""
    from learnsynth.sample.variability._batch import number_outliers

    rng = np.random.default_rng(seed)
    batch = [(_number_plan(decimals, bounds), variant, list(values),
              rng.random((len(values), 3)))
             for values, variant, decimals, bounds in spec]
    if 0 <= broken < len(batch):
        batch[broken][2][0] = "N/A"
    together = number_outliers(batch)
    alone = [number_outliers([group])[0] for group in batch]
    assert together == alone
    for g, got in enumerate(together):
        assert (got is None) == (g == broken)


@given(st.dates(), st.sampled_from(DATE_FORMATS), st.booleans())
def test_day_formats_written_without_strftime_match_strftime(day: date, fmt: str,
                                                             with_time: bool) -> None:
    stamp = datetime(day.year, day.month, day.day, 13, 5, 7) if with_time else day
    assert strftime(stamp, fmt) == stamp.strftime(fmt)
