"""``learnsynth sample`` on related tables: folders of files, databases, sizes, seeds, failures.

Runs the command in-process (``cli.main``) in a temporary folder, on the fake shop of
:mod:`tests.relational.test_engine` written as CSV files and profiled with a config that
declares its relationships.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from learnsynth import api
from learnsynth.cli import main
from learnsynth.errors import InvalidInputError
from learnsynth.profile.relations import Relationship
from learnsynth.quality.relational import referential_integrity
from learnsynth.synthesizer import Synthesizer
from tests.conftest import people_frame
from tests.data.test_sql import pg_db_out, pg_server, query  # noqa: F401 - fixtures
from tests.relational.test_engine import SHOP_RELS, shop_tables, staff_table

CONFIG = """\
relationships:
  - {child: orders.customer_id, parent: customers.customer_id}
  - {child: items.order_id, parent: orders.order_id}
detect_relationships: false
"""
STAFF_CONFIG = """\
relationships:
  - {child: employees.manager_id, parent: employees.emp_id, fill_after: true}
detect_relationships: false
"""
TABLES = ("customers", "orders", "items")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("related")
    (root / "shop").mkdir()
    for name, frame in shop_tables(500, seed=6).items():
        frame.to_csv(root / "shop" / f"{name}.csv", index=False)
    (root / "staff").mkdir()
    staff_table().to_csv(root / "staff" / "employees.csv", index=False)
    (root / "shop.yaml").write_text(CONFIG)
    (root / "staff.yaml").write_text(STAFF_CONFIG)
    people_frame(300, seed=4).to_csv(root / "people.csv", index=False)
    return root


def cli(workdir: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.chdir(workdir)
    return main(list(args))


@pytest.fixture(scope="module")
def profiled(workdir: Path) -> Path:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(workdir)
        assert main(["profile", "shop", "--name", "shop", "--config", "shop.yaml"]) == 0
        assert main(["profile", "staff", "--name", "staff", "--config", "staff.yaml"]) == 0
        assert main(["profile", "people.csv", "--name", "people"]) == 0
    return workdir


def read_folder(folder: Path, fmt: str = "parquet") -> dict[str, pd.DataFrame]:
    if fmt == "csv":
        return {p.stem: pd.read_csv(p) for p in sorted(folder.glob("*.csv"))}
    return {p.stem: pd.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}


def one_error_line(capsys: pytest.CaptureFixture[str], *fragments: str) -> None:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    for fragment in fragments:
        assert fragment in err[0]


def test_a_folder_gets_one_file_per_table_and_every_key_joins(
        profiled: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(profiled, monkeypatch, "sample", "shop", "--out", "out/", "--seed", "5") == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("wrote ") and "(customers " in captured.out
    tables = read_folder(profiled / "out")
    for name in TABLES:  # one report per table, against its own model, reproducing the whole set
        report = profiled / "reports" / f"out-{name}-sample-report.json"
        assert str(report.relative_to(profiled)) in captured.err
        doc = json.loads(report.read_text(encoding="utf-8"))
        assert doc["lineage"]["table"] == name
        assert doc["lineage"]["synthetic_rows"] == len(tables[name])
        assert 0.5 < doc["fidelity"]["overall"] <= 1.0
        assert "--out out/" in doc["lineage"]["command"] and "--table" not in \
            doc["lineage"]["command"]
        assert report.with_suffix(".html").read_text(encoding="utf-8").startswith("<!")
    assert sorted(tables) == sorted(TABLES)
    integrity = referential_integrity(tables, SHOP_RELS)
    assert all(v["share"] == 1.0 and v["checked"] > 0 for v in integrity.values())
    real = read_folder(profiled / "shop", "csv")
    for name in TABLES:  # the same columns, no hidden count column
        assert list(tables[name].columns) == list(real[name].columns)
    assert not [p for p in profiled.iterdir() if p.name.startswith(".tmp-")]


def test_same_seed_same_bytes_whatever_jobs(profiled: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for jobs in ("1", "2"):
        assert cli(profiled, monkeypatch, "sample", "shop", "--out", f"jobs{jobs}/", "--seed",
                   "7", "--jobs", jobs, "--chunk-rows", "300", "--no-report") == 0
    for name in TABLES:
        one = (profiled / "jobs1" / f"{name}.parquet").read_bytes()
        assert one == (profiled / "jobs2" / f"{name}.parquet").read_bytes()
    assert len(pd.read_parquet(profiled / "jobs1" / "items.parquet")) > 300  # several chunks


def test_csv_folder_and_one_table_with_its_keys(profiled: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli(profiled, monkeypatch, "sample", "shop", "--out", "csvout/", "--format", "csv",
               "--seed", "2", "--no-report") == 0
    assert sorted(p.name for p in (profiled / "csvout").iterdir()) == [
        "customers.csv", "items.csv", "orders.csv"]
    assert cli(profiled, monkeypatch, "sample", "shop", "--table", "orders", "--out",
               "orders.csv", "--seed", "2", "--no-report") == 0
    assert (profiled / "orders.csv").read_bytes() == (profiled / "csvout" / "orders.csv"
                                                      ).read_bytes()


def test_rows_size_the_roots_and_scale_every_table(
        profiled: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(profiled, monkeypatch, "sample", "shop", "--out", "rows40/", "--rows", "40",
               "--no-report") == 0
    assert len(pd.read_parquet(profiled / "rows40" / "customers.parquet")) == 40
    assert cli(profiled, monkeypatch, "sample", "shop", "--out", "half/", "--scale", "0.5",
               "--no-report") == 0
    fitted = Synthesizer.load("shop", store=str(profiled / "models")).model_
    half = read_folder(profiled / "half")
    assert len(half["customers"]) == round(0.5 * fitted.table("customers").n_rows)
    assert abs(len(half["items"]) / (0.5 * fitted.table("items").n_rows) - 1) < 0.2
    capsys.readouterr()
    assert cli(profiled, monkeypatch, "sample", "shop", "--out", "both/", "--rows", "4",
               "--scale", "2") == 2
    one_error_line(capsys, "--rows or --scale, not both")
    with pytest.raises(SystemExit) as bad:  # argparse's own one-line usage error
        cli(profiled, monkeypatch, "sample", "shop", "--out", "neg/", "--scale=-1")
    assert bad.value.code == 2
    one_error_line(capsys, "--scale", "positive number")
    assert not (profiled / "both").exists() and not (profiled / "neg").exists()


def test_a_file_out_for_several_tables_is_refused(profiled: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(profiled, monkeypatch, "sample", "shop", "--out", "shop.parquet") == 2
    one_error_line(capsys, "'shop.parquet'", "one file per table", "--table")
    assert not (profiled / "shop.parquet").exists()


def test_a_failure_leaves_no_folder(profiled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import learnsynth.sample.parallel as parallel

    real = parallel.sample_to_target

    def failing(table, *args, **kwargs):  # type: ignore[no-untyped-def]
        if table.name == "items":
            raise InvalidInputError("disk full (simulated)")
        return real(table, *args, **kwargs)

    monkeypatch.setattr(parallel, "sample_to_target", failing)
    monkeypatch.chdir(profiled)
    with pytest.raises(InvalidInputError, match="simulated"):
        api.sample("shop", None, "broken/", store="models", no_report=True)
    assert not (profiled / "broken").exists()
    assert not [p for p in profiled.iterdir() if p.name.startswith(".tmp-broken")]


def test_fill_after_self_reference_through_the_command(
        profiled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli(profiled, monkeypatch, "sample", "staff", "--out", "staff_out/",
               "--no-report") == 0
    staff = pd.read_parquet(profiled / "staff_out" / "employees.parquet")
    assert staff["emp_id"].is_unique
    assert staff["manager_id"].dropna().isin(staff["emp_id"]).all()
    assert staff["manager_id"].notna().mean() > 0.9


def test_sqlite_gets_every_table_with_its_keys_in_one_go(
        profiled: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(profiled, monkeypatch, "sample", "shop", "--out", "sqlite:///shop.db",
               "--seed", "3") == 0
    conn = sqlite3.connect(profiled / "shop.db")
    try:
        schema = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type='table'"))
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        frames = {t: pd.read_sql_query(f"SELECT * FROM {t}", conn) for t in TABLES}
    finally:
        conn.close()
    assert 'PRIMARY KEY ("customer_id")' in schema["customers"]
    assert 'REFERENCES "customers" ("customer_id")' in schema["orders"]
    assert 'REFERENCES "orders" ("order_id")' in schema["items"]
    assert all(v["share"] == 1.0 for v in referential_integrity(frames, SHOP_RELS).values())
    folder = read_folder(profiled / "out")  # the folder test's sample used seed 5, not 3
    assert len(frames["customers"]) == len(folder["customers"])
    capsys.readouterr()
    assert cli(profiled, monkeypatch, "sample", "shop", "--out", "sqlite:///shop.db") == 2
    one_error_line(capsys, "already exists", "--overwrite")
    assert cli(profiled, monkeypatch, "sample", "shop", "--out", "sqlite:///shop.db",
               "--overwrite", "--rows", "30", "--no-report") == 0
    conn = sqlite3.connect(profiled / "shop.db")
    try:
        assert conn.execute("SELECT count(*) FROM customers").fetchone() == (30,)
    finally:
        conn.close()


def test_a_self_reference_loads_into_sqlite(profiled: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli(profiled, monkeypatch, "sample", "staff", "--out", "sqlite:///staff.db",
               "--no-report") == 0
    conn = sqlite3.connect(profiled / "staff.db")
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        orphans = conn.execute("SELECT count(*) FROM employees e WHERE manager_id IS NOT NULL "
                               "AND manager_id NOT IN (SELECT emp_id FROM employees)").fetchone()
    finally:
        conn.close()
    assert orphans == (0,)


def test_a_one_table_model_names_its_database_table(profiled: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli(profiled, monkeypatch, "sample", "people", "--rows", "25", "--out",
               "sqlite:///people.db", "--no-report") == 0
    conn = sqlite3.connect(profiled / "people.db")
    try:
        assert conn.execute("SELECT count(*) FROM people").fetchone() == (25,)
    finally:
        conn.close()
    assert cli(profiled, monkeypatch, "sample", "people", "--scale", "0.1", "--out",
               "tenth.csv", "--no-report") == 0
    fitted = Synthesizer.load("people", store=str(profiled / "models")).model_.table()
    assert len(pd.read_csv(profiled / "tenth.csv")) == round(0.1 * fitted.n_rows)


def test_postgresql_gets_every_table_with_its_keys(pg_db_out: str,  # noqa: F811
                                                   tmp_path: Path) -> None:
    synth = Synthesizer(seed=1).fit(shop_tables(200, seed=2), relationships=SHOP_RELS)
    synth.save("shop", store=str(tmp_path / "models"))
    _, rows = api.sample("shop", None, pg_db_out, store=str(tmp_path / "models"), seed=1,
                         no_report=True)
    assert isinstance(rows, dict) and set(rows) == set(TABLES)
    fks = query(pg_db_out, "SELECT tc.table_name, ccu.table_name FROM "
                           "information_schema.table_constraints tc JOIN "
                           "information_schema.constraint_column_usage ccu USING "
                           "(constraint_name) WHERE tc.constraint_type = 'FOREIGN KEY'")
    assert sorted(fks) == [("items", "orders"), ("orders", "customers")]
    for name, n in rows.items():
        assert query(pg_db_out, f"SELECT count(*) FROM {name}") == [(n,)]
    assert query(pg_db_out, "SELECT count(*) FROM items i LEFT JOIN orders o USING (order_id) "
                            "WHERE o.order_id IS NULL") == [(0,)]


def test_relationships_are_kept_in_the_stored_model(profiled: Path) -> None:
    model = Synthesizer.load("shop", store=str(profiled / "models")).model_
    assert set(model.relationships) == {
        Relationship("customers", "customer_id", "orders", "customer_id"),
        Relationship("orders", "order_id", "items", "order_id")}


def test_report_against_the_model_of_a_parent_table(profiled: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The hidden children count columns are the model's business, not the report's."""
    assert cli(profiled, monkeypatch, "sample", "shop", "--out", "rep/", "--no-report") == 0
    assert cli(profiled, monkeypatch, "report", "shop/customers.csv", "rep/customers.parquet",
               "--model", "shop", "--table", "customers", "--out", "customers-report.json") == 0
    assert (profiled / "customers-report.json").is_file()
