"""Write tables into SQLite or PostgreSQL: all or nothing.

Everything happens in one transaction: existing tables are refused (or dropped, with
``overwrite``), the tables are created with their types, primary, unique and foreign keys in
parent-to-child order (:func:`learnsynth.data.sql.table_order`), and the rows are bulk loaded in
that order — ``COPY ... FROM STDIN`` (CSV encoded by Arrow) on PostgreSQL, ``executemany`` on
SQLite. Any failure (a constraint violation, a lost connection, an interrupt) rolls the
transaction back, so no table, not even an empty one, is left behind; a SQLite file this writer
created is removed again. References that cannot be satisfied while loading parent first (a table
referencing itself, tables in a cycle) are declared ``DEFERRABLE INITIALLY DEFERRED``: checked
at commit.

Two entry points: :func:`write_tables` (whole tables with their catalog, e.g. a database copied
through learnsynth) and :class:`DatabaseWriter` (the ``sample --out DATABASE_URL?table=NAME``
sink: one table streamed chunk by chunk, typed from the first chunk).
"""

from __future__ import annotations

import contextlib
import io
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from learnsynth.data.sinks import Target
from learnsynth.data.sql import (
    Catalog,
    Column,
    DatabaseURL,
    ForeignKey,
    TableSchema,
    connect,
    deferred_references,
    parse_url,
    quote,
    scrub,
    table_order,
)
from learnsynth.errors import InvalidInputError

__all__ = ["DatabaseTarget", "DatabaseWriter", "WriteResult", "resolve_database_target",
           "write_tables"]

COPY_BATCH_ROWS = 65_536
_INTEGER_TYPES = ("int", "serial")


@dataclass(frozen=True)
class WriteResult:
    """Rows written per table (in load order) and one line per reference checked at commit."""

    rows: dict[str, int]
    notes: list[str] = field(default_factory=list)


# --- types ---------------------------------------------------------------------------------------


def _declared(t: pa.DataType, engine: str) -> str:
    """A column type for data of Arrow type ``t`` on ``engine``."""
    pg = engine == "postgresql"
    if pa.types.is_boolean(t):
        return "boolean" if pg else "BOOLEAN"
    if pa.types.is_integer(t):
        return ("integer" if t.bit_width <= 32 else "bigint") if pg else "INTEGER"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "double precision" if pg else "REAL"
    if pa.types.is_timestamp(t):
        return ("timestamp with time zone" if t.tz else "timestamp") if pg else "TIMESTAMP"
    if pa.types.is_date(t):
        return "date" if pg else "DATE"
    return "text" if pg else "TEXT"


def _to_arrow(frame: pd.DataFrame) -> pa.Table:
    """The frame as Arrow; a column mixing types (SQLite allows it) becomes text."""
    arrays, names = [], []
    for name in frame.columns:
        values = frame[name]
        try:
            array = pa.Array.from_pandas(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            array = pa.array([None if pd.isna(v) else str(v) for v in values], pa.string())
        arrays.append(array)
        names.append(str(name))
    return pa.table(arrays, names=names)


def _schema_of(name: str, table: pa.Table, engine: str) -> TableSchema:
    return TableSchema(name, tuple(Column(f.name, _declared(f.type, engine)) for f in table.schema))


# Declared type names (by prefix, upper case) both engines understand, for a catalog from the other
# engine: (PostgreSQL, SQLite). Anything else is typed from the data.
_PORTABLE = (("BIGINT", "bigint", "INTEGER"), ("INT8", "bigint", "INTEGER"),
             ("SMALLINT", "smallint", "INTEGER"), ("INTEGER", "bigint", "INTEGER"),
             ("INT", "integer", "INTEGER"), ("DOUBLE", "double precision", "REAL"),
             ("REAL", "double precision", "REAL"), ("FLOAT", "double precision", "REAL"),
             ("NUMERIC", None, "NUMERIC"), ("DECIMAL", None, "NUMERIC"),
             ("BOOL", "boolean", "BOOLEAN"), ("DATETIME", "timestamp", "TIMESTAMP"),
             ("TIMESTAMP WITH TIME ZONE", "timestamp with time zone", "TIMESTAMP"),
             ("TIMESTAMP", "timestamp", "TIMESTAMP"), ("DATE", "date", "DATE"),
             ("CHARACTER VARYING", None, "TEXT"), ("VARCHAR", None, "TEXT"),
             ("CHAR", None, "TEXT"), ("TEXT", "text", "TEXT"))


def _portable(declared: str, engine: str) -> str | None:
    """``declared`` (from the other engine's catalog) in ``engine``'s terms, if well known."""
    upper = declared.strip().upper()
    for prefix, pg, lite in _PORTABLE:
        if upper.startswith(prefix):
            if engine == "sqlite":
                return lite
            return pg or declared.lower()  # numeric(10,2), varchar(20): the same in PostgreSQL
    return None


def _types_for(schema: TableSchema, data: pa.Table, catalog_engine: str,
               engine: str) -> dict[str, str]:
    """Declared types from the catalog (translated across engines), else from the data."""
    declared = {c.name: c.type for c in schema.columns if c.type}
    types = {}
    for f in data.schema:
        given = declared.get(f.name)
        if given and catalog_engine != engine:
            given = _portable(given, engine)
        types[f.name] = given or _declared(f.type, engine)
    return types


# --- DDL -----------------------------------------------------------------------------------------


def _fk_clause(fk: ForeignKey, deferred: bool) -> str:
    cols = ", ".join(map(quote, fk.columns))
    parent_cols = ", ".join(map(quote, fk.parent_columns))
    tail = " DEFERRABLE INITIALLY DEFERRED" if deferred else ""
    return f"FOREIGN KEY ({cols}) REFERENCES {quote(fk.parent)} ({parent_cols}){tail}"


def _create_sql(schema: TableSchema, types: Mapping[str, str], inline_fks: list[ForeignKey],
                deferred_fks: list[ForeignKey]) -> str:
    lines = [f"{quote(c.name)} {types[c.name]}{'' if c.nullable else ' NOT NULL'}".rstrip()
             for c in schema.columns]
    if schema.primary_key:
        lines.append(f"PRIMARY KEY ({', '.join(map(quote, schema.primary_key))})")
    lines += [f"UNIQUE ({', '.join(map(quote, u))})" for u in schema.unique]
    lines += [_fk_clause(fk, False) for fk in inline_fks]
    lines += [_fk_clause(fk, True) for fk in deferred_fks]
    return f"CREATE TABLE {quote(schema.name)} (\n  " + ",\n  ".join(lines) + "\n)"


def _existing(conn: Any, url: DatabaseURL, names: list[str]) -> list[str]:
    if url.engine == "sqlite":
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
        present = {str(r[0]) for r in rows.fetchall()}
    else:
        schema = url.schema or str(conn.execute("SELECT current_schema()").fetchone()[0])
        rows = conn.execute("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
                            "c.relnamespace WHERE n.nspname = %s", (schema,))
        present = {str(r[0]) for r in rows.fetchall()}
    return [n for n in names if n in present]


def _prepare(tx: _Transaction, names: list[str], overwrite: bool) -> None:
    """Refuse (or, with ``overwrite``, drop, children first) tables that already exist."""
    url = tx.url
    try:
        if url.engine == "postgresql" and url.schema:
            tx.conn.execute(f"SET LOCAL search_path TO {quote(url.schema)}")
        present = _existing(tx.conn, url, names)
    except tx.errors() as exc:
        raise tx.fail(exc, "reading its tables") from exc
    if present and not overwrite:
        raise InvalidInputError(
            f"Database {url.shown!r} already has table(s) {', '.join(map(repr, present))}. Pass "
            "--overwrite (overwrite=True) to replace them, or write elsewhere.")
    for name in reversed(names):
        if name in present:
            try:
                tx.conn.execute(f"DROP TABLE {quote(name)}")
            except tx.errors() as exc:
                raise tx.fail(exc, f"replacing table {name!r} (other tables still reference "
                              "it)") from exc


# --- loading -------------------------------------------------------------------------------------


def _for_load(data: pa.Table, types: Mapping[str, str], engine: str) -> pa.Table:
    """Arrow columns as the engine can take them: ints for integer columns, text for the odd."""
    columns = []
    for f, col in zip(data.schema, data.columns, strict=True):
        declared = types.get(f.name, "").lower()
        if pa.types.is_floating(f.type) and any(k in declared for k in _INTEGER_TYPES):
            with contextlib.suppress(pa.ArrowInvalid):  # non-integral values: let the DB say no
                col = pc.cast(col, pa.int64())
        if pa.types.is_decimal(f.type):
            col = pc.cast(col, pa.float64())
        elif engine == "sqlite" and (pa.types.is_timestamp(f.type) or pa.types.is_date(f.type)):
            col = _iso_text(col, declared.startswith("date") and "time" not in declared)
        elif not (pa.types.is_boolean(f.type) or pa.types.is_integer(f.type)
                  or pa.types.is_floating(f.type) or pa.types.is_timestamp(f.type)
                  or pa.types.is_date(f.type) or pa.types.is_decimal(f.type)
                  or pa.types.is_string(f.type) or pa.types.is_large_string(f.type)):
            col = pc.cast(col, pa.string())
        columns.append(col)
    return pa.table(columns, names=data.column_names)


def _iso_text(col: Any, date_only: bool) -> Any:
    """Timestamps and dates as ISO text (SQLite has no date type): no zero fraction."""
    if date_only or pa.types.is_date(col.type):
        return pc.strftime(col, format="%Y-%m-%d")
    if pa.types.is_timestamp(col.type) and col.type.tz is None:
        col = pc.cast(col, pa.timestamp("us"), safe=False)
    text = pc.cast(col, pa.string())
    return pc.replace_substring_regex(text, pattern=r"\.000000$", replacement="")


def _load(conn: Any, url: DatabaseURL, name: str, data: pa.Table) -> None:
    if data.num_rows == 0:
        return
    cols = ", ".join(quote(c) for c in data.column_names)
    if url.engine == "sqlite":
        marks = ", ".join("?" * data.num_columns)
        for batch in data.to_batches(COPY_BATCH_ROWS):
            values = [col.to_pylist() for col in batch.columns]
            conn.executemany(f"INSERT INTO {quote(name)} ({cols}) VALUES ({marks})",
                             zip(*values, strict=True))
        return
    options = pa_csv.WriteOptions(include_header=False, quoting_style="needed")
    with conn.cursor().copy(f"COPY {quote(name)} ({cols}) FROM STDIN (FORMAT csv)") as copy:
        for batch in data.to_batches(COPY_BATCH_ROWS):
            buffer = io.BytesIO()
            pa_csv.write_csv(pa.Table.from_batches([batch]), buffer, options)
            copy.write(buffer.getvalue())


# --- transactions --------------------------------------------------------------------------------


class _Transaction:
    """One connection in one transaction; ``commit`` or, on leaving without it, roll back."""

    def __init__(self, url: DatabaseURL) -> None:
        self.url = url
        self._created_file = url.engine == "sqlite" and not Path(url.conninfo).exists()
        if url.engine == "sqlite":
            self._check_sqlite_parent()
        self._context = connect(url, write=True)
        self.conn = self._context.__enter__()
        self.done = False
        if url.engine == "sqlite":
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("BEGIN IMMEDIATE")

    def _check_sqlite_parent(self) -> None:
        parent = Path(self.url.conninfo).parent
        if not parent.is_dir():
            raise InvalidInputError(f"Database {self.url.shown!r}: folder {str(parent)!r} does "
                                    "not exist.")

    def errors(self) -> tuple[type[BaseException], ...]:
        if self.url.engine == "sqlite":
            return (sqlite3.Error,)
        import psycopg

        return (psycopg.Error,)

    def fail(self, exc: BaseException, what: str) -> InvalidInputError:
        return InvalidInputError(f"Writing to {self.url.shown!r} failed {what}: "
                                 f"{scrub(exc, self.url)}. Nothing was written.")

    def commit(self) -> None:
        try:
            if self.url.engine == "sqlite":
                self.conn.execute("COMMIT")
            else:
                self.conn.commit()
        except self.errors() as exc:
            raise self.fail(exc, "at commit") from exc
        self.done = True

    def close(self) -> None:
        if not self.done:
            with contextlib.suppress(Exception):
                if self.url.engine == "sqlite":
                    self.conn.execute("ROLLBACK")
                else:
                    self.conn.rollback()
        self._context.__exit__(None, None, None)
        if not self.done and self._created_file:
            with contextlib.suppress(FileNotFoundError):
                Path(self.url.conninfo).unlink()


def _plan(tables: Mapping[str, pa.Table], catalog: Catalog | None,
          engine: str) -> tuple[Catalog, list[str], list[str]]:
    """The catalog to create (keys only among the tables written), load order and notes."""
    schemas = {}
    notes: list[str] = []
    for name, data in tables.items():
        schema = (catalog.tables.get(name) if catalog else None) or _schema_of(name, data, engine)
        kept = tuple(fk for fk in schema.foreign_keys if fk.parent in tables)
        for fk in schema.foreign_keys:
            if fk.parent not in tables:
                notes.append(f"Table {name!r}: its reference to {fk.parent!r} is not created "
                             f"because {fk.parent!r} is not written.")
        schemas[name] = TableSchema(schema.name, schema.columns, schema.primary_key, kept,
                                    schema.unique)
    plan = Catalog(catalog.engine if catalog else engine, schemas)
    order, order_notes = table_order(plan)
    return plan, order, notes + order_notes


def write_tables(url: str, tables: Mapping[str, Any], *, catalog: Catalog | None = None,
                 overwrite: bool = False) -> WriteResult:
    """Create and load ``tables`` (name → DataFrame or ``data.Table``) in one transaction.

    Keys come from ``catalog``, else from each ``Table.schema`` (what was read from a database),
    else the table gets none. Declared types are kept when the catalog is of the same engine;
    otherwise they follow the data. Returns rows per table; on any failure nothing is written.
    """
    parsed = parse_url(url)
    if catalog is None:
        schemas = {n: t.schema for n, t in tables.items() if getattr(t, "schema", None)}
        catalog = Catalog(_engine_of(tables) or parsed.engine, schemas) if schemas else None
    data = {name: _to_arrow(getattr(t, "frame", t)) for name, t in tables.items()}
    plan, order, notes = _plan(data, catalog, parsed.engine)
    data = {name: _integral_keys(table, _key_columns(plan, name)) for name, table in data.items()}
    deferred = deferred_references(plan)
    tx = _Transaction(parsed)
    try:
        _prepare(tx, order, overwrite)
        types = {}
        for name in order:
            types[name] = _create(tx, plan, name, data[name], deferred)
        rows = {}
        for name in order:
            _load_table(tx, name, _for_load(data[name], types[name], parsed.engine))
            rows[name] = data[name].num_rows
        _add_keys(tx, plan, order, deferred)
        tx.commit()
        return WriteResult(rows, notes)
    finally:
        tx.close()


def _key_columns(plan: Catalog, name: str) -> set[str]:
    """Columns of ``name`` in a key: its primary, unique and foreign keys, and referenced ones."""
    schema = plan.tables[name]
    cols = set(schema.primary_key) | {c for u in schema.unique for c in u}
    cols |= {c for fk in schema.foreign_keys for c in fk.columns}
    cols |= {c for t in plan.tables.values() for fk in t.foreign_keys if fk.parent == name
             for c in fk.parent_columns}
    return cols


def _integral_keys(data: pa.Table, keys: set[str]) -> pa.Table:
    """Key columns that pandas made float (integers with missing values) back to integers."""
    for i, f in enumerate(data.schema):
        if f.name in keys and pa.types.is_floating(f.type):
            with contextlib.suppress(pa.ArrowInvalid):
                data = data.set_column(i, f.name, pc.cast(data.column(i), pa.int64()))
    return data


def _engine_of(tables: Mapping[str, Any]) -> str | None:
    """The engine a ``Table`` was read from, by its source URL."""
    for t in tables.values():
        source = str(getattr(t, "source", ""))
        if source.startswith("sqlite:"):
            return "sqlite"
        if source.startswith("postgres"):
            return "postgresql"
    return None


def _create(tx: _Transaction, plan: Catalog, name: str, data: pa.Table,
            deferred: set[tuple[str, str]]) -> dict[str, str]:
    schema = plan.tables[name]
    missing = [c.name for c in schema.columns if c.name not in data.column_names]
    if missing:
        raise InvalidInputError(f"Table {name!r} lacks column(s) {', '.join(map(repr, missing))} "
                                "that its catalog declares.")
    types = _types_for(schema, data, plan.engine, tx.url.engine)
    if tx.url.engine == "sqlite":
        # SQLite cannot add a constraint later: keys are declared inline, deferred references
        # too (a reference to a table created after it is allowed there).
        inline = [fk for fk in schema.foreign_keys if (name, fk.parent) not in deferred]
        later = [fk for fk in schema.foreign_keys if (name, fk.parent) in deferred]
        sql = _create_sql(schema, types, inline, later)
    else:
        # PostgreSQL gets its keys after the load (see _add_keys), as pg_restore does: one index
        # build and one validation query per key instead of a check per row.
        sql = _create_sql(replace(schema, primary_key=(), unique=(), foreign_keys=()), types,
                          [], [])
    try:
        tx.conn.execute(sql)
    except tx.errors() as exc:
        raise tx.fail(exc, f"creating table {name!r}") from exc
    return types


def _add_keys(tx: _Transaction, plan: Catalog, order: list[str],
              deferred: set[tuple[str, str]]) -> None:
    """PostgreSQL: primary and unique keys of every table, then its foreign keys (validated)."""
    if tx.url.engine == "sqlite":
        return
    steps = [(name, f"PRIMARY KEY ({', '.join(map(quote, plan.tables[name].primary_key))})")
             for name in order if plan.tables[name].primary_key]
    steps += [(name, f"UNIQUE ({', '.join(map(quote, u))})")
              for name in order for u in plan.tables[name].unique]
    steps += [(name, _fk_clause(fk, (name, fk.parent) in deferred))
              for name in order for fk in plan.tables[name].foreign_keys]
    for name, clause in steps:
        try:
            tx.conn.execute(f"ALTER TABLE {quote(name)} ADD {clause}")
        except tx.errors() as exc:
            raise tx.fail(exc, f"adding the keys of table {name!r}") from exc


def _load_table(tx: _Transaction, name: str, data: pa.Table) -> None:
    try:
        _load(tx.conn, tx.url, name, data)
    except tx.errors() as exc:
        raise tx.fail(exc, f"loading table {name!r}") from exc


# --- the `sample --out DATABASE_URL` sink ---------------------------------------------------------


@dataclass(frozen=True)
class DatabaseTarget(Target):
    """``--out`` naming a database table. Chunks travel as Arrow tables (``fmt`` "parquet")."""

    url: DatabaseURL | None = None
    table: str = ""
    overwrite: bool = False


def resolve_database_target(out: str, *, overwrite: bool = False) -> DatabaseTarget:
    """Check a database ``--out`` before any row is drawn: URL, table name, reachable, free."""
    parsed = parse_url(out)
    if parsed.table is None:
        raise InvalidInputError(f"--out {parsed.shown!r}: name the table to write with "
                                "'?table=NAME', e.g. sqlite:///out.db?table=customers.")
    tx = _Transaction(parsed)  # reachable; a new SQLite file is removed again on close
    try:
        present = _existing(tx.conn, parsed, [parsed.table])
    except tx.errors() as exc:
        raise tx.fail(exc, "checking its tables") from exc
    finally:
        tx.close()
    if present and not overwrite:
        raise InvalidInputError(f"--out {parsed.shown!r}: table {parsed.table!r} already "
                                "exists. Pass --overwrite to replace it, or choose another table.")
    return DatabaseTarget(Path(parsed.table), "parquet", None, False, parsed, parsed.table,
                          overwrite)


class DatabaseWriter:
    """Streams chunks (Arrow tables) into one new table, all in one transaction.

    The table is created from the first chunk's schema; ``commit`` publishes it. Leaving the
    context without ``commit`` rolls back: no table is left behind.
    """

    def __init__(self, target: DatabaseTarget) -> None:
        if target.url is None:
            raise InvalidInputError("A database target needs a URL.")
        self.target = target
        self.url = target.url
        self.tx = _Transaction(target.url)
        self.tmp = None
        self.rows = 0
        self._types: dict[str, str] | None = None
        try:
            _prepare(self.tx, [target.table], target.overwrite)
        except BaseException:
            self.tx.close()
            raise

    def write(self, payload: Any, rows: int) -> None:
        data = payload if isinstance(payload, pa.Table) else _to_arrow(payload)
        if self._types is None:
            schema = _schema_of(self.target.table, data, self.url.engine)
            plan = Catalog(self.url.engine, {self.target.table: schema})
            self._types = _create(self.tx, plan, self.target.table, data, set())
        _load_table(self.tx, self.target.table, _for_load(data, self._types, self.url.engine))
        self.rows += rows

    def commit(self) -> None:
        self.tx.commit()

    def __enter__(self) -> DatabaseWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.tx.close()
