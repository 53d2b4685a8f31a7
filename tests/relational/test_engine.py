"""The relational engine in memory: fit related tables, sample them, and keep every key joining.

Data: an entirely fake shop built in code (customers → orders → items, where business customers
order about four times as often as consumers) and an employees table whose manager_id points at
another employee (a self-reference filled after the table exists).
"""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsynth.errors import ArtifactError, InvalidInputError
from learnsynth.model import Model, children_column
from learnsynth.profile.relations import Relationship
from learnsynth.quality.relational import referential_integrity
from learnsynth.relational.fit import LinkStats, children_counts, primary_relationships
from learnsynth.relational.keys import key_details, keys_at
from learnsynth.sample.relational import largest_remainder
from learnsynth.synthesizer import Synthesizer

SHOP_RELS = (
    Relationship("customers", "customer_id", "orders", "customer_id"),
    Relationship("orders", "order_id", "items", "order_id"),
)
STAFF_RELS = (Relationship("employees", "emp_id", "employees", "manager_id", fill_after=True),)


def shop_tables(n_customers: int = 600, seed: int = 3) -> dict[str, pd.DataFrame]:
    """Customers (ids ``C-`` + six digits), their orders (3% without a customer) and items."""
    rng = np.random.default_rng(seed)
    segment = rng.choice(["business", "consumer"], n_customers, p=[0.3, 0.7])
    ids = rng.permutation(np.arange(1, n_customers + 1)) * 7
    customers = pd.DataFrame({"customer_id": [f"C-{i:06d}" for i in ids], "segment": segment,
                              "age": rng.integers(18, 80, n_customers)})
    owner = np.repeat(np.arange(n_customers),
                      rng.poisson(np.where(segment == "business", 6.0, 1.5)))
    n = owner.size
    orders = pd.DataFrame({
        "order_id": rng.permutation(np.arange(1000, 1000 + n)),
        "customer_id": customers["customer_id"].to_numpy()[owner].astype(object),
        "amount": np.round(rng.gamma(2.0, np.where(segment[owner] == "business", 80, 20)), 2),
        "status": rng.choice(["paid", "open", "refunded"], n, p=[0.7, 0.2, 0.1]),
    })
    orders.loc[rng.random(n) < 0.03, "customer_id"] = None
    orders = orders.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    item_owner = np.repeat(np.arange(n), 1 + rng.poisson(1.5, n))
    items = pd.DataFrame({
        "item_id": np.arange(1, item_owner.size + 1),
        "order_id": orders["order_id"].to_numpy()[item_owner],
        "product": rng.choice(["pen", "ink", "paper", "desk"], item_owner.size),
        "qty": rng.integers(1, 5, item_owner.size),
    })
    return {"customers": customers, "orders": orders, "items": items}


def staff_table(n: int = 300, seed: int = 5) -> pd.DataFrame:
    """Employees; everyone but the first ten reports to one of the earlier employees."""
    rng = np.random.default_rng(seed)
    ids = np.arange(1, n + 1)
    managers = np.array([None] * 10 + [int(rng.integers(1, max(2, i // 3) + 1))
                                       for i in range(10, n)], dtype=object)
    return pd.DataFrame({"emp_id": ids, "manager_id": managers,
                         "dept": rng.choice(["ops", "sales", "it"], n),
                         "salary": np.round(rng.normal(50_000, 9_000, n), -2)})


@pytest.fixture(scope="module")
def shop() -> dict[str, pd.DataFrame]:
    return shop_tables()


@pytest.fixture(scope="module")
def fitted(shop: dict[str, pd.DataFrame]) -> Synthesizer:
    return Synthesizer(holdout=0.2, seed=1).fit(shop, relationships=SHOP_RELS)


@pytest.fixture(scope="module")
def sampled(fitted: Synthesizer) -> dict[str, pd.DataFrame]:
    return fitted.sample_tables(seed=4)


def _per_segment(tables: dict[str, pd.DataFrame]) -> pd.Series:
    customers, orders = tables["customers"], tables["orders"]
    counts = orders.groupby("customer_id").size()
    per = customers.set_index("customer_id").join(counts.rename("n")).fillna({"n": 0})
    return per.groupby("segment")["n"].mean()


# ---------------------------------------------------------------- fit


def test_fit_makes_keys_references_and_hidden_counts(fitted: Synthesizer) -> None:
    model = fitted.model_
    customers, orders, items = (model.table(n, hidden=True) for n in ("customers", "orders",
                                                                   "items"))
    assert customers.column("customer_id").kind == "key"
    fk = orders.column("customer_id")
    assert fk.kind == "key"
    assert fk.details["references"] == {"table": "customers", "column": "customer_id"}
    assert fk.details["primary"] is True
    assert 0.015 < fk.null_rate < 0.05  # 3% of orders have no customer
    assert items.column("order_id").details["references"] == {"table": "orders",
                                                              "column": "order_id"}
    hidden = customers.column(children_column(SHOP_RELS[0]))
    assert hidden.kind == "integer"
    assert hidden.details["role"] == "children"
    assert hidden.details["relationship"] == "orders.customer_id"
    assert any(children_column(SHOP_RELS[0]) in [d[0] for d in b.dims] for b in customers.blocks)
    assert customers.hidden == (children_column(SHOP_RELS[0]),)
    assert model.table("customers").hidden == ()  # what users see of it
    assert items.hidden == ()  # items has no children
    assert [p.table for p in fitted.profiles_] == ["customers", "orders", "items"]
    for profile in fitted.profiles_:
        assert all(not d["column"].startswith("\x00") for d in profile.columns)


def test_children_counts_are_per_training_parent_without_orphans_or_nulls() -> None:
    parents_all = pd.Series([7, 8, 9, 10], name="id")
    parents_train = pd.Series([7, 9, 10], name="id")  # 8 held out
    numeric = pd.Series([7.0, 7.0, 8.0, np.nan, 11.0, 9.0, 10.0, 7.0])  # floats: it has a null
    counts, nulls, orphans = children_counts(parents_train, parents_all, numeric)
    assert counts.tolist() == [3, 1, 1]  # 8's child belongs to a held-out parent: not counted
    assert (nulls, orphans) == (1, 1)  # the null and the 11
    text = pd.Series(["7", "10", None, "10", "x"], dtype=object)  # keys read from CSV as text
    counts, nulls, orphans = children_counts(parents_train, parents_all, text)
    assert counts.tolist() == [1, 0, 2]
    assert (nulls, orphans) == (1, 1)


def test_primary_is_fewest_orphans_and_nulls_then_largest_parent_then_label() -> None:
    a = Relationship("stores", "id", "orders", "store_id")
    b = Relationship("customers", "id", "orders", "customer_id")
    c = Relationship("regions", "id", "orders", "region_id")
    empty = np.zeros(0, np.int64)
    stats = [LinkStats(a, empty, 100, 0, 0), LinkStats(b, empty, 100, 3, 0),
             LinkStats(c, empty, 100, 0, 0)]
    sizes = {"stores": 50, "customers": 900, "regions": 50}
    assert primary_relationships(stats, sizes)["orders"] == c  # tie on 50 rows: by label
    sizes["stores"] = 60
    assert primary_relationships(stats, sizes)["orders"] == a
    stats[1] = LinkStats(b, empty, 100, 0, 0)
    assert primary_relationships(stats, sizes)["orders"] == b


def test_fit_refuses_unknown_names_and_unbroken_cycles(shop: dict[str, pd.DataFrame]) -> None:
    with pytest.raises(InvalidInputError, match="table 'shops' is not among"):
        Synthesizer().fit(shop, relationships=[Relationship("shops", "id", "orders", "x")])
    with pytest.raises(InvalidInputError, match="column 'client' is not in table 'orders'"):
        Synthesizer().fit(shop, relationships=[
            Relationship("customers", "customer_id", "orders", "client")])
    staff = {"employees": staff_table()}
    with pytest.raises(InvalidInputError, match="'employees'.*fill_after: true"):
        Synthesizer().fit(staff, relationships=[replace(STAFF_RELS[0], fill_after=False)])
    dup = shop["customers"].copy()
    dup.loc[1, "customer_id"] = dup.loc[0, "customer_id"]
    with pytest.raises(InvalidInputError, match="unique"):
        Synthesizer().fit({**shop, "customers": dup}, relationships=SHOP_RELS)


# ---------------------------------------------------------------- sample


def test_every_foreign_key_points_at_a_generated_parent(sampled: dict[str, pd.DataFrame],
                                                         fitted: Synthesizer) -> None:
    integrity = referential_integrity(sampled, SHOP_RELS)
    assert all(v["share"] == 1.0 and v["orphans"] == 0 for v in integrity.values())
    assert sampled["customers"]["customer_id"].is_unique
    assert sampled["orders"]["order_id"].is_unique
    null_share = sampled["orders"]["customer_id"].isna().mean()
    assert abs(null_share - fitted.model_.table("orders").column("customer_id").null_rate) < 0.01
    assert integrity[SHOP_RELS[0].label]["nulls"] > 0


def test_children_follow_the_parent_attribute_that_drives_them(
        shop: dict[str, pd.DataFrame], sampled: dict[str, pd.DataFrame]) -> None:
    real, synth = _per_segment(shop), _per_segment(sampled)
    assert synth["business"] / synth["consumer"] > 3.0  # real: about 4
    assert abs(synth["business"] - real["business"]) < 0.2 * real["business"]
    assert abs(synth["consumer"] - real["consumer"]) < 0.2 * real["consumer"]


def test_child_rows_follow_their_parents_columns(fitted: Synthesizer,
                                                  shop: dict[str, pd.DataFrame],
                                                  sampled: dict[str, pd.DataFrame]) -> None:
    """Business customers' orders are four times larger; the stored link carries that over."""
    link = fitted.model_.table("orders").column("customer_id").details["linked"]
    assert (link["parent_column"], link["child_column"]) == ("segment", "amount")
    assert link["order"] == ["consumer", "business"] and link["rho"] > 0.4
    assert "linked" not in fitted.model_.table("items").column("order_id").details  # no link

    def amounts(tables: dict[str, pd.DataFrame]) -> pd.Series:
        joined = tables["orders"].merge(tables["customers"], on="customer_id")
        return joined.groupby("segment")["amount"].mean()

    real, synth = amounts(shop), amounts(sampled)
    assert real["business"] / real["consumer"] > 3.0
    assert synth["business"] / synth["consumer"] > 2.2
    # without the link the same orders are drawn, only spread over customers at random
    orders = fitted.model_.table("orders", hidden=True)
    plain = replace(orders, columns=tuple(
        replace(c, details={k: v for k, v in c.details.items() if k != "linked"})
        for c in orders.columns))
    unlinked = Synthesizer()
    unlinked.model_ = replace(fitted.model_, tables=tuple(
        plain if t.name == "orders" else t for t in fitted.model_.tables))
    other = unlinked.sample_tables(seed=4)
    assert sorted(other["orders"]["amount"]) == sorted(sampled["orders"]["amount"])
    flat = amounts(other)
    assert flat["business"] / flat["consumer"] < 1.5


def test_hidden_columns_never_reach_the_output(sampled: dict[str, pd.DataFrame],
                                               shop: dict[str, pd.DataFrame]) -> None:
    for name, frame in sampled.items():
        assert list(frame.columns) == list(shop[name].columns)


def test_rows_size_the_roots_and_scale_every_table(fitted: Synthesizer) -> None:
    model = fitted.model_
    small = fitted.sample_tables(50, seed=2)
    assert len(small["customers"]) == 50
    assert 0 < len(small["orders"]) < len(fitted.sample_tables(seed=2)["orders"])
    double = fitted.sample_tables(scale=2.0, seed=2)
    assert len(double["customers"]) == 2 * model.table("customers").n_rows
    for name in ("orders", "items"):
        assert abs(len(double[name]) / (2 * model.table(name).n_rows) - 1) < 0.12
    with pytest.raises(InvalidInputError, match="--rows or --scale, not both"):
        fitted.sample_tables(10, scale=2.0)


def test_one_table_equals_that_table_of_the_full_sample(fitted: Synthesizer,
                                                        sampled: dict[str, pd.DataFrame]) -> None:
    alone = fitted.sample(table="items", seed=4)
    pd.testing.assert_frame_equal(alone, sampled["items"])
    assert len(fitted.sample(30, table="customers", seed=4)) == 30


def test_same_seed_same_tables_and_chunking_is_invisible_to_keys(fitted: Synthesizer) -> None:
    a = fitted.sample_tables(seed=9, chunk_rows=200)
    b = fitted.sample_tables(seed=9, chunk_rows=200)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    c = fitted.sample_tables(seed=10, chunk_rows=200)
    assert not a["orders"]["amount"].equals(c["orders"]["amount"])
    small_chunks = fitted.sample_tables(seed=9, chunk_rows=97)
    assert referential_integrity(small_chunks, SHOP_RELS)[SHOP_RELS[1].label]["share"] == 1.0


def test_fill_after_self_reference() -> None:
    staff = staff_table()
    synth = Synthesizer(seed=2).fit({"employees": staff}, relationships=STAFF_RELS)
    out = synth.sample_tables(seed=3)["employees"]
    assert len(out) == len(staff)
    managers = out["manager_id"].dropna()
    assert len(managers) > 0.9 * len(staff)
    assert managers.isin(out["emp_id"]).all()
    assert abs(out["manager_id"].isna().mean() - 10 / len(staff)) < 0.02
    # managers are concentrated as in the data: the busiest has many reports
    assert managers.value_counts().max() >= 5


def test_secondary_relationships_allocate_by_counts() -> None:
    shop = shop_tables(400, seed=8)
    rng = np.random.default_rng(1)
    stores = pd.DataFrame({"store_id": [f"S{i:03d}" for i in range(1, 31)],
                           "size": rng.choice(["big", "small"], 30)})
    big = stores["size"].to_numpy() == "big"
    weights = np.where(big, 5.0, 1.0) / np.where(big, 5.0, 1.0).sum()
    orders = shop["orders"].copy()
    orders["store_id"] = rng.choice(stores["store_id"].to_numpy(), len(orders), p=weights)
    rels = (*SHOP_RELS, Relationship("stores", "store_id", "orders", "store_id"))
    synth = Synthesizer(seed=1).fit({**shop, "orders": orders, "stores": stores},
                                    relationships=rels)
    orders_model = synth.model_.table("orders")
    assert orders_model.column("store_id").details["primary"] is True  # no null store
    assert orders_model.column("customer_id").details["primary"] is False  # 3% null
    out = synth.sample_tables(seed=5)
    integrity = referential_integrity(out, rels)
    assert all(v["share"] == 1.0 for v in integrity.values())
    per_store = out["orders"].groupby("store_id").size()
    sizes = out["stores"].set_index("store_id")["size"]
    mean = per_store.reindex(sizes.index, fill_value=0).groupby(sizes).mean()
    assert mean["big"] > 2.5 * mean["small"]
    by_segment = _per_segment(out)  # the customers' orders are shared out by their counts
    assert by_segment["business"] > 2.5 * by_segment["consumer"]
    assert abs(out["orders"]["customer_id"].isna().mean() - 0.03) < 0.015


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=1, max_size=40), st.integers(0, 500),
       st.integers(0, 2**32 - 1))
def test_largest_remainder_hits_the_total_and_stays_proportional(weights: list[int], total: int,
                                                                 seed: int) -> None:
    shares = largest_remainder(np.array(weights), total, np.random.default_rng(seed))
    assert shares.sum() == total
    assert (shares >= 0).all()
    w = np.array(weights, dtype=float)
    quota = w / w.sum() * total if w.sum() else np.full(w.size, total / w.size)
    assert np.all(np.abs(shares - quota) < 1.0 + 1e-9)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text("ABCXYZ019", min_size=1, max_size=6), min_size=12, max_size=40,
                unique=True), st.integers(0, 2**31))
def test_generated_keys_are_unique_for_any_key_shape(values: list[str], seed: int) -> None:
    details = key_details("code", pd.Series(values, dtype=object))
    rows = np.arange(0, 3000, dtype=np.int64)
    keys = keys_at(details, rows, seed)
    assert keys.is_unique and keys.notna().all()
    again = keys_at(details, rows[::-1].copy(), seed)  # a key depends on its row alone
    assert again.tolist() == keys.tolist()[::-1]


# ---------------------------------------------------------------- the artifact


def test_artifact_round_trip_keeps_relationships_and_bytes(fitted: Synthesizer) -> None:
    files = fitted.model_.to_files()
    loaded = Model.from_files(files)
    assert loaded.relationships == SHOP_RELS
    assert loaded.schema_version == 4
    assert loaded.to_files() == files
    doc = json.loads(files["model.json"])
    assert doc["relationships"] == [r.to_dict() for r in SHOP_RELS]


def _tampered(files: dict[str, bytes], change: object) -> dict[str, bytes]:
    doc = json.loads(files["model.json"])
    change(doc)  # type: ignore[operator]
    return {**files, "model.json": json.dumps(doc).encode()}


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["relationships"][0].update(child="refunds"), "table 'refunds' is not in"),
    (lambda d: d["relationships"][0].update(child_key="client"), "column 'client' is not in"),
    (lambda d: d["relationships"][0].update(extra=1), "exactly the keys"),
    (lambda d: d["relationships"][0].update(source="guessed"), "malformed field"),
    (lambda d: d["tables"][0]["columns"].pop(), "lacks its children count column"),
    (lambda d: d["relationships"].pop(0), "counts children of no relationship"),
    (lambda d: d.update(schema_version=5), "schema version 5"),
    (lambda d: d.update(schema_version=2), "version-2 model has none"),
])
def test_artifact_parse_is_strict_about_relationships(fitted: Synthesizer, change: object,
                                                      message: str) -> None:
    with pytest.raises(ArtifactError, match=message):
        Model.from_files(_tampered(fitted.model_.to_files(), change))


def test_a_version_2_artifact_still_loads(people: pd.DataFrame) -> None:
    files = Synthesizer(seed=1).fit(people).model_.to_files()
    old = _tampered(files, lambda d: d.update(schema_version=2))
    model = Model.from_files(old)
    assert model.schema_version == 2 and model.relationships == ()
    synth = Synthesizer()
    synth.model_ = model
    assert len(synth.sample(5)) == 5


def test_no_real_key_value_in_the_model_or_the_output(fitted: Synthesizer,
                                                      shop: dict[str, pd.DataFrame],
                                                      sampled: dict[str, pd.DataFrame]) -> None:
    text = fitted.model_.to_files()["model.json"].decode()
    real_ids = set(shop["customers"]["customer_id"])
    assert not any(value in text for value in real_ids)
    assert not set(sampled["customers"]["customer_id"]) & real_ids
    assert not set(sampled["orders"]["customer_id"].dropna()) & real_ids
    order_ids = sampled["orders"]["order_id"]  # real ones start at 1000: regenerated from 1
    assert sorted(order_ids) == list(range(1, len(order_ids) + 1))


def test_children_of_fewer_than_k_parents_still_get_generated_parents() -> None:
    """Like nycflights13's origins: 3 of 200 airports hold every flight, so the protected count
    marginal is 0 everywhere; the fitted mean and share of parents with children take over."""
    rng = np.random.default_rng(4)
    airports = pd.DataFrame({"faa": [f"A{i:03d}" for i in range(200)],
                             "alt": rng.integers(0, 3000, 200)})
    flights = pd.DataFrame({"origin": rng.choice(["A007", "A050", "A123"], 3000),
                            "delay": rng.normal(10, 30, 3000).round(1)})
    rel = Relationship("airports", "faa", "flights", "origin")
    synth = Synthesizer(seed=1).fit({"airports": airports, "flights": flights},
                                    relationships=[rel])
    fk = synth.model_.table("flights").column("origin")
    assert fk.details["children_mean"] == 15.0
    assert fk.details["parents_with_children"] == 5 / 200  # 3 parents, shown as k = 5
    out = synth.sample_tables(seed=2)
    assert len(out["flights"]) == 3000
    assert out["flights"]["origin"].isin(out["airports"]["faa"]).all()
    assert out["flights"]["origin"].nunique() == 5
    text = synth.model_.to_files()["model.json"].decode()
    assert not any(code in text for code in ("A007", "A050", "A123"))
