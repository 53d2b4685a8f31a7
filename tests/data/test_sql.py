"""Databases for real: SQLite files and a PostgreSQL server started on loopback for the session.

The PostgreSQL fixture runs ``scripts/start_postgres.sh`` (which installs Debian's package when
it is missing and we are root). Where that is impossible the PostgreSQL tests are skipped with the
reason, unless ``LEARNSYNTH_REQUIRE_POSTGRES=1`` (CI), where they fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from learnsynth.data._sql_write import write_tables
from learnsynth.data.sources import read_tables
from learnsynth.data.sql import Catalog, ForeignKey, TableSchema, read_catalog, table_order
from learnsynth.errors import InvalidInputError

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, segment TEXT,
                        joined DATE);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id),
                     amount NUMERIC(10, 2), placed TIMESTAMP);
CREATE TABLE items (order_id INTEGER NOT NULL REFERENCES orders (id), line INTEGER NOT NULL,
                    sku TEXT, qty INTEGER, PRIMARY KEY (order_id, line));
"""
N_CUSTOMERS, N_ORDERS, N_ITEMS = 80, 240, 480


def shop_rows() -> dict[str, list[tuple[Any, ...]]]:
    return {
        "customers": [(i, f"user{i}@example.org", ["retail", "business", "public"][i % 3],
                       f"2020-{i % 12 + 1:02d}-{i % 28 + 1:02d}")
                      for i in range(1, N_CUSTOMERS + 1)],
        "orders": [(i, i % N_CUSTOMERS + 1, round(5 + (i * 37 % 500) / 4, 2),
                    f"2021-03-{i % 28 + 1:02d} 10:{i % 60:02d}:00")
                   for i in range(1, N_ORDERS + 1)],
        "items": [(i % N_ORDERS + 1, i // N_ORDERS + 1, f"SKU-{i % 17:03d}", i % 5 + 1)
                  for i in range(N_ITEMS)],
    }


def fill(execute: Any, executemany: Any, marker: str) -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            execute(statement)
    for table, rows in shop_rows().items():
        marks = ", ".join([marker] * len(rows[0]))
        executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def sqlite_shop(path: Path) -> str:
    conn = sqlite3.connect(path)
    fill(conn.execute, conn.executemany, "?")
    conn.commit()
    conn.close()
    return f"sqlite:///{path}"


# --- the PostgreSQL server ----------------------------------------------------------------------


def _unavailable(reason: str) -> None:
    if os.environ.get("LEARNSYNTH_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required here (LEARNSYNTH_REQUIRE_POSTGRES=1): {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """URL (with a password) of a PostgreSQL server on 127.0.0.1, for the whole session."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install 'learnsynth[postgres]')")
    folder = tempfile.mkdtemp(prefix="learnsynth-pg-")
    proc = subprocess.run(["bash", str(ROOT / "scripts" / "start_postgres.sh"), folder],
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        _unavailable(f"scripts/start_postgres.sh exited {proc.returncode}: "
                     f"{proc.stderr.strip().splitlines()[-1:] or ''}")
    try:
        yield proc.stdout.strip()
    finally:
        subprocess.run(["bash", str(ROOT / "scripts" / "start_postgres.sh"), "--stop", folder],
                       capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


def _admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)


def _fresh_db(server: str) -> Iterator[str]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    _admin(server, f"CREATE DATABASE {name}")
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        _admin(server, f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture()
def pg_db(pg_server: str) -> Iterator[str]:
    """A fresh, empty database on the session's server; dropped afterwards."""
    yield from _fresh_db(pg_server)


@pytest.fixture()
def pg_db_out(pg_server: str) -> Iterator[str]:
    """A second fresh database, to write into."""
    yield from _fresh_db(pg_server)


def pg_shop(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        fill(conn.execute, lambda q, rows: conn.cursor().executemany(q, rows), "%s")
    return url


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(url[len("sqlite:///"):])
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


def user_tables(url: str) -> list[str]:
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        if not path.exists():
            return []
        return [r[0] for r in query(url, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                          "ORDER BY name")]
    return [r[0] for r in query(url, "SELECT tablename FROM pg_tables WHERE schemaname = "
                                     "'public' ORDER BY tablename")]


@pytest.fixture(params=["sqlite", "postgresql"])
def shop(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The shop database (customers ← orders ← items) in SQLite or PostgreSQL."""
    if request.param == "sqlite":
        return sqlite_shop(tmp_path / "shop.db")
    return pg_shop(request.getfixturevalue("pg_db"))


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'out.db'}"
    return request.getfixturevalue("pg_db_out")


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("LEARNSYNTH_SIGNING_KEY", None)
    return subprocess.run([sys.executable, "-m", "learnsynth", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *fragments: str) -> str:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def password_of(url: str) -> str:
    userinfo = url.split("://", 1)[1].rsplit("@", 1)[0]
    return userinfo.split(":", 1)[1] if ":" in userinfo else ""


# --- the catalog ---------------------------------------------------------------------------------


def test_catalog_has_tables_keys_and_relationships(shop: str) -> None:
    catalog = read_catalog(shop)

    assert list(catalog.tables) == ["customers", "items", "orders"]
    assert catalog.tables["customers"].primary_key == ("id",)
    assert catalog.tables["customers"].unique == (("email",),)
    assert catalog.tables["items"].primary_key == ("order_id", "line")
    assert catalog.tables["orders"].foreign_keys == (ForeignKey(("customer_id",), "customers",
                                                                ("id",)),)
    assert catalog.relationships() == [
        {"parent": "customers", "parent_columns": ["id"], "child": "orders",
         "child_columns": ["customer_id"]},
        {"parent": "orders", "parent_columns": ["id"], "child": "items",
         "child_columns": ["order_id"]}]
    email = catalog.tables["customers"].columns[1]
    assert email.name == "email" and not email.nullable and email.type.lower() == "text"
    assert "numeric" in catalog.tables["orders"].columns[2].type.lower()
    assert table_order(catalog) == (["customers", "orders", "items"], [])


def test_reading_gives_rows_with_their_catalog_entry(shop: str) -> None:
    tables = read_tables(shop)

    orders = tables["orders"]
    assert orders.n_rows_total == N_ORDERS and len(orders.frame) == N_ORDERS
    assert orders.frame["amount"].dtype == "float64"
    assert orders.frame["amount"].sum() == pytest.approx(sum(r[2] for r in shop_rows()["orders"]))
    assert orders.schema.foreign_keys[0].parent == "customers"
    assert read_tables(shop + "?table=items")["items"].schema.primary_key == ("order_id", "line")
    # the same rows give the same fingerprint, and a subsample is seeded
    assert read_tables(shop)["orders"].fingerprint == orders.fingerprint
    small = read_tables(shop, max_rows=50, seed=3)["items"].frame
    assert len(small) == 50 and small.equals(read_tables(shop, max_rows=50, seed=3)["items"].frame)


# --- profile: keys and relationships in the profile document ------------------------------------


def test_profile_document_shows_keys_and_relationships_and_no_password(shop: str,
                                                                       tmp_path: Path) -> None:
    proc = run_cli("profile", shop, "--name", "shop", "--store", "models", cwd=tmp_path)

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("stored shop@v1 sha256:")
    doc = json.loads((tmp_path / "profiles" / "shop-v1.json").read_text())
    assert [(r["child"], r["child_key"], r["parent"], r["parent_key"], r["source"], r["orphans"])
            for r in doc["relationships"]] == [
        ("items", "order_id", "orders", "id", "catalog", 0),
        ("orders", "customer_id", "customers", "id", "catalog", 0)]
    assert len(doc["relationships"]) == len(read_catalog(shop).relationships())
    keys = {t["table"]: t["keys"] for t in doc["tables"]}
    assert keys["items"]["primary_key"] == ["order_id", "line"]
    assert keys["customers"]["unique"] == [["email"]]
    assert keys["orders"]["foreign_keys"] == [
        {"columns": ["customer_id"], "parent": "customers", "parent_columns": ["id"]}]
    secret = password_of(shop)
    if secret:  # the PostgreSQL URL carries a real password
        everything = proc.stdout + proc.stderr + "".join(
            p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file())
        assert secret not in everything


# --- writing -------------------------------------------------------------------------------------


def test_round_trip_creates_keys_loads_every_row_and_keeps_integrity(shop: str,
                                                                     empty_db: str) -> None:
    tables = read_tables(shop)

    result = write_tables(empty_db, tables)

    assert list(result.rows) == ["customers", "orders", "items"]  # parent-to-child
    assert result.rows == {"customers": N_CUSTOMERS, "orders": N_ORDERS, "items": N_ITEMS}
    written = read_catalog(empty_db)
    original = read_catalog(shop)
    for name in original.tables:
        assert written.tables[name].primary_key == original.tables[name].primary_key
        assert written.tables[name].foreign_keys == original.tables[name].foreign_keys
        assert written.tables[name].unique == original.tables[name].unique
    for name, count in result.rows.items():
        assert query(empty_db, f"SELECT COUNT(*) FROM {name}") == [(count,)]
    orphans = query(empty_db, "SELECT COUNT(*) FROM items i LEFT JOIN orders o ON o.id = "
                              "i.order_id WHERE o.id IS NULL")
    assert orphans == [(0,)]
    back = read_tables(empty_db)
    for name, table in tables.items():  # the same values (SQLite keeps dates as text)
        pd.testing.assert_frame_equal(_as_text(back[name].frame), _as_text(table.frame))


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for name, values in frame.items():
        if pd.api.types.is_datetime64_any_dtype(values):
            midnight = (values.dt.normalize() == values).all()
            values = values.dt.strftime("%Y-%m-%d" if midnight else "%Y-%m-%d %H:%M:%S")
        out[name] = values.astype(str)
    return pd.DataFrame(out)


def test_a_constraint_violation_mid_load_leaves_no_table(empty_db: str) -> None:
    parents = pd.DataFrame({"id": [1, 2, 3], "name": ["a", "b", "c"]})
    children = pd.DataFrame({"id": range(1, 1001), "parent_id": [1, 2, 3, 4] * 250})  # 4: orphan
    catalog = Catalog("other", {
        "parents": TableSchema("parents", (), ("id",)),
        "children": TableSchema("children", (), ("id",), (ForeignKey(("parent_id",), "parents",
                                                                     ("id",)),))})
    catalog = _with_columns(catalog, {"parents": parents, "children": children})

    with pytest.raises(InvalidInputError) as info:
        write_tables(empty_db, {"parents": parents, "children": children}, catalog=catalog)

    message = str(info.value)
    assert "table 'children'" in message and "=(4)" not in message  # no data values repeated
    assert "Nothing was written" in message and "\n" not in message
    assert user_tables(empty_db) == []


def _with_columns(catalog: Catalog, frames: dict[str, pd.DataFrame]) -> Catalog:
    from learnsynth.data.sql import Column

    return Catalog(catalog.engine, {
        n: TableSchema(n, tuple(Column(c, "") for c in frames[n].columns), s.primary_key,
                       s.foreign_keys, s.unique) for n, s in catalog.tables.items()})


def test_existing_tables_are_refused_unless_overwrite(shop: str) -> None:
    tables = read_tables(shop)
    half = {"customers": tables["customers"].frame.head(10)}

    with pytest.raises(InvalidInputError, match="already has table"):
        write_tables(shop, half)
    assert query(shop, "SELECT COUNT(*) FROM customers") == [(N_CUSTOMERS,)]
    # a parent still referenced by existing rows cannot be dropped: refused, nothing changes
    with pytest.raises(InvalidInputError, match="Nothing was written"):
        write_tables(shop, half, overwrite=True)
    assert query(shop, "SELECT COUNT(*) FROM customers") == [(N_CUSTOMERS,)]
    result = write_tables(shop, {n: tables[n] for n in ("customers", "orders", "items")},
                          overwrite=True)
    assert result.rows["items"] == N_ITEMS


def test_self_reference_and_cycle_are_explained_and_loaded(empty_db: str) -> None:
    staff = pd.DataFrame({"id": [1, 2, 3], "manager_id": [None, 1, 2]})
    schema = _with_columns(Catalog("other", {"staff": TableSchema(
        "staff", (), ("id",), (ForeignKey(("manager_id",), "staff", ("id",)),))}),
        {"staff": staff})

    order, notes = table_order(schema)

    assert order == ["staff"] and len(notes) == 1 and "references itself" in notes[0]
    result = write_tables(empty_db, {"staff": staff.iloc[::-1]}, catalog=schema)  # child first
    assert result.rows == {"staff": 3} and result.notes == notes
    assert read_catalog(empty_db).tables["staff"].foreign_keys[0].parent == "staff"
    bad = pd.DataFrame({"id": [1, 2], "manager_id": [None, 9]})
    other = empty_db.replace("out.db", "bad.db") if empty_db.startswith("sqlite") else empty_db
    with pytest.raises(InvalidInputError, match="Nothing was written"):
        write_tables(other, {"staff_bad": bad}, catalog=Catalog("other", {
            "staff_bad": TableSchema("staff_bad", schema.tables["staff"].columns, ("id",),
                                     (ForeignKey(("manager_id",), "staff_bad", ("id",)),))}))
    assert "staff_bad" not in user_tables(other)


def test_table_order_explains_a_cycle_in_one_line() -> None:
    fk = ForeignKey
    catalog = Catalog("x", {
        "a": TableSchema("a", (), ("id",), (fk(("b_id",), "b", ("id",)),)),
        "b": TableSchema("b", (), ("id",), (fk(("a_id",), "a", ("id",)),)),
        "c": TableSchema("c", (), ("id",), (fk(("a_id",), "a", ("id",)),))})

    order, notes = table_order(catalog)

    assert sorted(order) == ["a", "b", "c"] and order.index("a") < order.index("c")
    assert len(notes) == 1 and "\n" not in notes[0]
    assert "'a' → 'b' → 'a'" in notes[0] and "cycle" in notes[0]


# --- sample into a database ----------------------------------------------------------------------


def test_sample_writes_a_table_into_the_database(shop: str, empty_db: str,
                                                 tmp_path: Path) -> None:
    assert run_cli("profile", shop + "?table=orders", "--name", "orders", "--store", "models",
                   cwd=tmp_path).returncode == 0
    out = empty_db + "?table=synthetic_orders"

    proc = run_cli("sample", "orders", "--rows", "2500", "--chunk-rows", "1000", "--out", out,
                   "--store", "models", "--seed", "4", cwd=tmp_path)

    assert proc.returncode == 0, proc.stderr
    assert query(empty_db, "SELECT COUNT(*) FROM synthetic_orders") == [(2500,)]
    assert set(read_tables(out)["synthetic_orders"].frame.columns) == {
        "id", "customer_id", "amount", "placed"}
    again = run_cli("sample", "orders", "--rows", "10", "--out", out, "--store", "models",
                    "--no-report", cwd=tmp_path)
    assert_one_line_error(again, "already exists", "--overwrite")
    secret = password_of(empty_db)
    if secret:
        everything = proc.stdout + proc.stderr + again.stderr + "".join(
            p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file())
        assert secret not in everything


def test_sample_into_a_database_needs_a_table_name(empty_db: str, tmp_path: Path) -> None:
    proc = run_cli("sample", "nothing", "--rows", "5", "--out", empty_db, cwd=tmp_path)
    # the model is looked up first or the URL is checked first: either way one line, exit 2
    assert_one_line_error(proc)


# --- bad URLs and unreachable servers ------------------------------------------------------------


@pytest.mark.parametrize("url, fragment", [
    ("postgresql://alice:Sup3r-Secret@127.0.0.1:1/db", "Cannot connect to database"),
    ("postgresql://alice:Sup3r-Secret@127.0.0.1:notaport/db", "malformed"),
    ("postgresql://alice:Sup3r-Secret@127.0.0.1:5432/db?sslmode=bogus", "invalid sslmode"),
])
def test_broken_or_unreachable_database_is_one_line_exit_2(url: str, fragment: str,
                                                           tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    for args in (["profile", url, "--name", "x"], ["detect", url],
                 ["sample", "x", "--rows", "5", "--out", url + "?table=t"]):
        proc = run_cli(*args, cwd=tmp_path)
        line = assert_one_line_error(proc)
        assert "Sup3r-Secret" not in proc.stdout + proc.stderr
        if args[0] != "sample":  # sample looks the model up first
            assert fragment in line and "alice:***@127.0.0.1" in line


def test_wrong_password_is_one_line_without_the_password(pg_server: str, tmp_path: Path) -> None:
    wrong = pg_server.replace(password_of(pg_server), "Wr0ng-Pa55word")

    proc = run_cli("detect", wrong, cwd=tmp_path)

    line = assert_one_line_error(proc, "Cannot connect to database", "learnsynth:***@127.0.0.1")
    assert "password authentication failed" in line
    assert "Wr0ng-Pa55word" not in proc.stderr + proc.stdout
