"""Relational databases: URLs, the catalog (tables, types, keys), reading tables, table order.

Two engines: SQLite (the embedded default, ``sqlite:///path.db``) and PostgreSQL
(``postgresql://user:password@host:port/dbname``, also ``postgres://``; any libpq URI parameter
such as ``sslmode`` passes through). Two query parameters are learnsynth's own and never reach the
server: ``?table=NAME`` picks one table, ``?schema=NAME`` a PostgreSQL schema (default: the
connection's current schema).

Credentials: a URL may carry a password. Every message, ``Table.source`` and anything else this
module hands out shows the URL through :func:`redact` (``postgresql://u:***@h/db``), and driver
messages are scrubbed of the password before they are quoted. Connections are opened here only.

What the catalog says is kept as frozen dataclasses (:class:`Catalog`, :class:`TableSchema`,
:class:`ForeignKey`) so the profile can report keys and relationships, and a writer can recreate
the tables with the same keys. Writing lives in :mod:`learnsynth.data._sql_write`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from learnsynth.data._collect import Collector, records_frame
from learnsynth.data._readers import check_names
from learnsynth.data.sources import Table, redact_url
from learnsynth.errors import InvalidInputError
from learnsynth.profile.relations import parent_first
from learnsynth.progress import Progress

__all__ = ["Catalog", "Column", "DatabaseURL", "ForeignKey", "TableSchema", "connect",
           "deferred_references", "is_database_url", "keys_of", "parse_url", "quote",
           "read_catalog", "read_database", "redact", "relationships", "scrub", "table_order",
           "with_catalog"]

POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
BATCH_ROWS = 10_000
CONNECT_TIMEOUT_S = 10
_OWN_PARAMS = ("table", "schema")
# PostgreSQL types whose Python values (UUID, dict, ipaddress, timedelta) Arrow cannot type:
# they are read as their text form, as a CSV export would show them.
_AS_TEXT = ("uuid", "json", "jsonb", "inet", "cidr", "macaddr", "interval", "money", "xml",
            "time", "timetz")


def redact(url: str) -> str:
    """``url`` with its password (and password-like query parameters) shown as ``***``."""
    return redact_url(url)


def is_database_url(text: str) -> bool:
    """Whether ``text`` names a database learnsynth can read or write (sqlite or postgresql)."""
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    return scheme == "sqlite" or scheme in POSTGRES_SCHEMES


@dataclass(frozen=True)
class DatabaseURL:
    """A parsed database URL. Only ``shown`` (redacted) may appear in messages or artifacts.

    Attributes:
        engine: ``"sqlite"`` or ``"postgresql"``.
        shown: The URL without its query, password replaced by ``***``.
        conninfo: What the driver gets: the SQLite file path, or the libpq URI without
            learnsynth's own parameters. Holds the password: never print it.
        table: The table ``?table=`` picks, or None.
        schema: The PostgreSQL schema ``?schema=`` picks, or None (the current schema).
        secrets: The password as written and percent-decoded, to scrub from driver messages.
    """

    engine: str
    shown: str
    conninfo: str = field(repr=False)
    table: str | None = None
    schema: str | None = None
    secrets: tuple[str, ...] = field(default=(), repr=False)

    def label(self, table: str) -> str:
        """``shown#table``: how a table of this database is named in messages."""
        return f"{self.shown}#{table}"


def scrub(message: object, url: DatabaseURL) -> str:
    """A driver message on one line, without the URL's password or quoted key values."""
    text = " ".join(str(message).split())
    # PostgreSQL's DETAIL quotes the offending key values: data, so they are not repeated
    text = re.sub(r"Key \(([^)]*)\)=\(.*?\) (is|already)", r"Key (\1)=(...) \2", text)
    for secret in sorted(url.secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, "***")
    return text.rstrip(".")


def _query(url: str, shown: str, allowed: tuple[str, ...] | None) -> tuple[dict[str, str],
                                                                            list[tuple[str, str]]]:
    """(learnsynth's own parameters, the rest) of the URL's query; duplicates are refused."""
    own: dict[str, str] = {}
    rest: list[tuple[str, str]] = []
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if key in _OWN_PARAMS:
            if key in own or not value:
                raise InvalidInputError(f"Database URL {shown!r}: '?{key}=' must be given once, "
                                        "with a name.")
            own[key] = value
        elif allowed is not None:
            raise InvalidInputError(
                f"Database URL {shown!r}: the only query parameter understood is "
                f"'?table=NAME'. Got {key!r}.")
        else:
            rest.append((key, value))
    return own, rest


def _secrets(url: str) -> tuple[str, ...]:
    """The password as written in the user info and in ``password=`` parameters, and decoded."""
    rest = url.split("://", 1)[1] if "://" in url else url
    at = rest.rfind("@")
    found = []
    if at >= 0 and ":" in rest[:at]:
        found.append(rest[:at].split(":", 1)[1])
    found += re.findall(r"(?i)[?&;](?:password|passwd|pwd|secret|token)=([^&;#]*)", url)
    return tuple(sorted({s for raw in found for s in (raw, unquote(raw)) if s}))


def parse_url(url: str) -> DatabaseURL:
    """Check a ``sqlite:///`` or ``postgresql://`` URL without connecting.

    Raises:
        InvalidInputError: The scheme is not a supported database, or the URL is malformed.
    """
    shown = redact(url.split("?", 1)[0].split("#", 1)[0])
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme == "sqlite":
        return _parse_sqlite(url, shown)
    if scheme not in POSTGRES_SCHEMES:
        raise InvalidInputError(f"{shown!r} is not a database URL: expected sqlite:///path.db or "
                                "postgresql://user@host:port/dbname.")
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError as exc:  # its text quotes the URL: not passed on
        raise InvalidInputError(
            f"Database URL {shown!r} is malformed: the host or port cannot be parsed (the port "
            "must be a number). Percent-encode special characters in the user name and password "
            "(e.g. '@' as %40, '/' as %2F).") from exc
    if "#" in url:
        raise InvalidInputError(f"Database URL {shown!r} must not hold '#'; percent-encode it "
                                "as %23.")
    own, rest = _query(url, shown, None)
    del port, host  # parsed only to be checked
    conninfo = urlunsplit(("postgresql", parts.netloc, parts.path, urlencode(rest), ""))
    secrets = _secrets(url)
    _check_conninfo(conninfo, shown)
    return DatabaseURL("postgresql", shown, conninfo, own.get("table"), own.get("schema"),
                       secrets)


def _parse_sqlite(url: str, shown: str) -> DatabaseURL:
    base = url.split("?", 1)[0].split("#", 1)[0]
    path = base[len("sqlite:///"):]
    if not base.lower().startswith("sqlite:///") or not path:
        raise InvalidInputError(f"Database URL {shown!r} must look like sqlite:///relative/path.db "
                                "or sqlite:////absolute/path.db.")
    own, _ = _query(url, shown, ("table",))
    if "schema" in own:
        raise InvalidInputError(f"Database URL {shown!r}: SQLite has no schemas; drop "
                                "'?schema='.")
    return DatabaseURL("sqlite", shown, path, own.get("table"), None, _secrets(url))


def _check_conninfo(conninfo: str, shown: str) -> None:
    """libpq's own parse, so a malformed URL fails before any connection attempt."""
    try:
        from psycopg.conninfo import conninfo_to_dict
    except ImportError:  # reported when connecting
        return
    try:
        conninfo_to_dict(conninfo)
    except Exception as exc:  # psycopg.ProgrammingError; its text may quote the password
        raise InvalidInputError(
            f"Database URL {shown!r} is malformed: libpq cannot parse it. Percent-encode special "
            "characters in the user name and password (e.g. '@' as %40), and check the query "
            "parameters.") from exc


# --- connections ---------------------------------------------------------------------------------


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:
        raise InvalidInputError(
            "PostgreSQL support needs psycopg 3: pip install 'learnsynth[postgres]'.") from exc
    return psycopg


@contextlib.contextmanager
def connect(url: DatabaseURL, *, write: bool = False) -> Iterator[Any]:
    """A connection (sqlite3 or psycopg), closed on exit; failures become one clean line.

    SQLite: read-only unless ``write``; a missing file is an error unless ``write``.
    PostgreSQL: not in autocommit; the caller commits. Odd types are loaded as text.
    """
    if url.engine == "sqlite":
        conn: Any = _connect_sqlite(url, write)
    else:
        conn = _connect_postgres(url)
    try:
        yield conn
    finally:
        conn.close()


def _connect_sqlite(url: DatabaseURL, write: bool) -> sqlite3.Connection:
    path = Path(url.conninfo)
    if not write and not path.is_file():
        raise InvalidInputError(f"Database file {str(path)!r} (from {url.shown!r}) does not "
                                "exist.")
    try:
        if write:
            conn = sqlite3.connect(path, isolation_level=None)
        else:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise InvalidInputError(f"Database {url.shown!r} cannot be opened as SQLite "
                                f"({scrub(exc, url)}). Check the path.") from exc
    return conn


def _connect_postgres(url: DatabaseURL) -> Any:
    psycopg = _psycopg()
    from psycopg.types.numeric import FloatLoader
    from psycopg.types.string import TextLoader

    extra = {} if "connect_timeout=" in url.conninfo else {"connect_timeout": CONNECT_TIMEOUT_S}
    try:
        conn = psycopg.connect(url.conninfo, **extra)
    except psycopg.Error as exc:
        raise InvalidInputError(
            f"Cannot connect to database {url.shown!r}: {scrub(exc, url)}. Check the host, port, "
            "user, password and database name, and that the server is running.") from exc
    conn.adapters.register_loader("numeric", FloatLoader)
    for name in _AS_TEXT:
        conn.adapters.register_loader(name, TextLoader)
    return conn


# --- the catalog ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column as the catalog declares it: name, declared type, and whether NULL is allowed."""

    name: str
    type: str
    nullable: bool = True


@dataclass(frozen=True)
class ForeignKey:
    """``columns`` of the child table reference ``parent_columns`` of ``parent``."""

    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]


@dataclass(frozen=True)
class TableSchema:
    """One table's columns and constraints as read from the catalog."""

    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The keys for the profile document (no values, only names and declared types)."""
        return {"columns": [{"name": c.name, "type": c.type, "nullable": c.nullable}
                            for c in self.columns],
                "primary_key": list(self.primary_key),
                "unique": [list(u) for u in self.unique],
                "foreign_keys": [{"columns": list(f.columns), "parent": f.parent,
                                  "parent_columns": list(f.parent_columns)}
                                 for f in self.foreign_keys]}


@dataclass(frozen=True)
class Catalog:
    """Tables of one database (by name, in name order) and the engine that declared the types."""

    engine: str
    tables: Mapping[str, TableSchema]

    def relationships(self) -> list[dict[str, Any]]:
        """Every foreign key as ``{parent, parent_columns, child, child_columns}``, sorted."""
        rels = [{"parent": fk.parent, "parent_columns": list(fk.parent_columns),
                 "child": t.name, "child_columns": list(fk.columns)}
                for t in self.tables.values() for fk in t.foreign_keys]
        return sorted(rels, key=lambda r: (r["parent"], r["child"], r["child_columns"]))


def read_catalog(url: str | DatabaseURL) -> Catalog:
    """Tables, declared types, primary, foreign and unique keys from the database's catalog."""
    parsed = parse_url(url) if isinstance(url, str) else url
    with connect(parsed) as conn:
        return _catalog(conn, parsed)


def _catalog(conn: Any, url: DatabaseURL) -> Catalog:
    try:
        if url.engine == "sqlite":
            names = _sqlite_names(conn)
            tables = {name: _sqlite_schema(conn, name) for name in names}
        else:
            tables = _postgres_schemas(conn, url)
    except (sqlite3.Error, _psycopg().Error) as exc:
        raise InvalidInputError(f"The catalog of {url.shown!r} cannot be read "
                                f"({scrub(exc, url)}).") from exc
    return Catalog(url.engine, dict(sorted(tables.items())))


def _sqlite_names(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
    return [str(r[0]) for r in rows]


def quote(name: str) -> str:
    """A SQL identifier in double quotes (both engines)."""
    return '"' + name.replace('"', '""') + '"'


def _sqlite_schema(conn: sqlite3.Connection, name: str) -> TableSchema:
    info = conn.execute(f"PRAGMA table_info({quote(name)})").fetchall()
    columns = tuple(Column(str(r[1]), str(r[2] or ""), not r[3] and not r[5]) for r in info)
    pk = tuple(str(r[1]) for r in sorted((r for r in info if r[5]), key=lambda r: r[5]))
    fks: dict[int, list[Any]] = {}
    for row in conn.execute(f"PRAGMA foreign_key_list({quote(name)})").fetchall():
        fks.setdefault(int(row[0]), []).append(row)
    foreign = []
    for rows in fks.values():
        rows.sort(key=lambda r: r[1])
        parent = str(rows[0][2])
        to = [r[4] for r in rows]
        if any(t is None for t in to):  # REFERENCES parent: the parent's primary key
            to = list(_sqlite_schema(conn, parent).primary_key) if parent != name else list(pk)
        foreign.append(ForeignKey(tuple(str(r[3]) for r in rows), parent, tuple(map(str, to))))
    unique = []
    for row in conn.execute(f"PRAGMA index_list({quote(name)})").fetchall():
        if row[2] and row[3] in ("u", "c") and not row[4]:  # unique, not the PK, not partial
            cols = conn.execute(f"PRAGMA index_info({quote(str(row[1]))})").fetchall()
            unique.append(tuple(str(c[2]) for c in sorted(cols)))
    return TableSchema(name, columns, pk, tuple(sorted(foreign, key=_fk_key)),
                       tuple(sorted(set(unique))))


def _fk_key(fk: ForeignKey) -> tuple[Any, ...]:
    return (fk.parent, fk.columns)


_PG_TABLES = """
SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY c.relname"""
_PG_COLUMNS = """
SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull
FROM pg_attribute a WHERE a.attrelid = ANY(%(oids)s) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum"""
_PG_KEYS = """
SELECT con.conrelid, con.contype,
  array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i),
  fc.relname::text,
  array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i)
FROM pg_constraint con LEFT JOIN pg_class fc ON fc.oid = con.confrelid
WHERE con.conrelid = ANY(%(oids)s) AND con.contype IN ('p', 'u', 'f')
ORDER BY con.conrelid, con.conname"""


def _pg_schema_name(conn: Any, url: DatabaseURL) -> str:
    if url.schema is not None:
        return url.schema
    return str(conn.execute("SELECT current_schema()").fetchone()[0])


def _postgres_schemas(conn: Any, url: DatabaseURL) -> dict[str, TableSchema]:
    schema = _pg_schema_name(conn, url)
    tables = {int(oid): str(name) for oid, name in
              conn.execute(_PG_TABLES, {"schema": schema}).fetchall()}
    oids = list(tables)
    columns: dict[int, list[Column]] = {oid: [] for oid in oids}
    for oid, name, typ, nullable in conn.execute(_PG_COLUMNS, {"oids": oids}).fetchall():
        columns[int(oid)].append(Column(str(name), str(typ), bool(nullable)))
    keys: dict[int, dict[str, list[Any]]] = {oid: {"p": [], "u": [], "f": []} for oid in oids}
    for oid, kind, cols, parent, parent_cols in conn.execute(_PG_KEYS, {"oids": oids}):
        keys[int(oid)][str(kind)].append((tuple(cols), parent, tuple(parent_cols or ())))
    conn.rollback()  # end the read transaction the catalog queries opened
    result = {}
    for oid, name in tables.items():
        k = keys[oid]
        fks = tuple(sorted((ForeignKey(c, str(p), pc) for c, p, pc in k["f"]), key=_fk_key))
        result[name] = TableSchema(name, tuple(columns[oid]), k["p"][0][0] if k["p"] else (),
                                   fks, tuple(sorted(c for c, _, _ in k["u"])))
    return result


# --- order of tables -----------------------------------------------------------------------------


def table_order(catalog: Catalog) -> tuple[list[str], list[str]]:
    """Parent-before-child order of the tables, and one line per reference that breaks it.

    A self-reference (a table pointing at itself) or a cycle (A → B → A) cannot be loaded
    parent first; such references are listed, one explanatory line each, and left out of the
    ordering (a writer declares them deferred, checked at commit). Ties break by name.
    """
    names = set(catalog.tables)
    notes: list[str] = []
    edges: dict[str, set[str]] = {n: set() for n in names}  # child -> parents
    for t in catalog.tables.values():
        for fk in t.foreign_keys:
            if fk.parent == t.name:
                notes.append(f"Table {t.name!r} references itself ({', '.join(fk.columns)} → "
                             f"{', '.join(fk.parent_columns)}): its rows are loaded in one "
                             "step and the reference is checked at commit.")
            elif fk.parent in names:
                edges[t.name].add(fk.parent)
    order, cycles = parent_first(names, edges)
    notes += ["Tables " + " → ".join(repr(n) for n in cycle + [cycle[0]]) + " reference each "
              f"other in a cycle: the reference of {cycle[0]!r} to {cycle[1]!r} is checked at "
              "commit instead of while loading." for cycle in cycles]
    return order, notes


def deferred_references(catalog: Catalog) -> set[tuple[str, str]]:
    """(child, parent) pairs that :func:`table_order` had to set aside (cycles, self-references)."""
    order, _ = table_order(catalog)
    position = {name: i for i, name in enumerate(order)}
    return {(t.name, fk.parent) for t in catalog.tables.values() for fk in t.foreign_keys
            if fk.parent in position and position[fk.parent] >= position[t.name]}


# --- reading -------------------------------------------------------------------------------------


def read_database(url: str, *, max_rows: int | None = None, seed: int = 0,
                  progress: bool | None = None) -> dict[str, Table]:
    """Every table of the database (or the one ``?table=`` names), with its catalog entry.

    Rows stream in batches of :data:`BATCH_ROWS` (a server-side cursor on PostgreSQL) through a
    :class:`Collector`, so ``max_rows`` bounds memory. The fingerprint hashes a canonical
    serialisation of the rows, never keeps them.
    """
    parsed = parse_url(url)
    with connect(parsed) as conn:
        catalog = _catalog(conn, parsed)
        names = _selected(catalog, parsed)
        tables = {}
        for name in names:
            table = _read_rows(conn, parsed, name, max_rows, seed, progress)
            tables[name] = replace(table, schema=catalog.tables[name])
        return tables


def with_catalog(url: str, tables: dict[str, Table]) -> dict[str, Table]:
    """``tables`` (read from the database at ``url``) with their catalog entries attached."""
    catalog = read_catalog(url)
    return {name: replace(t, schema=catalog.tables.get(name)) for name, t in tables.items()}


def _selected(catalog: Catalog, url: DatabaseURL) -> list[str]:
    names = list(catalog.tables)
    if not names:
        where = f" (schema {url.schema!r})" if url.schema else ""
        raise InvalidInputError(f"Database {url.shown!r}{where} has no tables: expected at "
                                "least one.")
    if url.table is None:
        return names
    if url.table not in catalog.tables:
        raise InvalidInputError(f"Database {url.shown!r} has no table {url.table!r}. Its "
                                f"tables: {', '.join(map(repr, names))}.")
    return [url.table]


def _read_rows(conn: Any, url: DatabaseURL, name: str, max_rows: int | None, seed: int,
               progress: bool | None) -> Table:
    label = url.label(name)
    bar = Progress(None, f"reading {name}", enabled=progress)
    collector = Collector(max_rows, seed, bar)
    digest = hashlib.sha256()
    errors: tuple[type[BaseException], ...] = (sqlite3.Error,) if url.engine == "sqlite" else (
        _psycopg().Error,)
    try:
        with _cursor(conn, url, name) as (cursor, columns):
            check_names(label, columns)
            digest.update(_canonical([name, columns]))
            with bar:
                while rows := cursor.fetchmany(BATCH_ROWS):
                    _check_binary(label, columns, rows)
                    for row in rows:
                        digest.update(_canonical(row))
                    collector.add(rows, len(rows))
    except errors as exc:
        raise InvalidInputError(f"Table {label!r} could not be read ({scrub(exc, url)}).") from exc
    if collector.n_seen == 0:
        raise InvalidInputError(f"Table {label!r} has no rows: expected at least one.")
    frame = records_frame(columns, collector.result())
    return Table(name, frame, label, collector.n_seen, digest.hexdigest())


@contextlib.contextmanager
def _cursor(conn: Any, url: DatabaseURL, name: str) -> Iterator[tuple[Any, list[str]]]:
    """A cursor over ``SELECT *`` of the table and its column names."""
    if url.engine == "sqlite":
        cursor = conn.execute(f"SELECT * FROM {quote(name)}")
        yield cursor, [str(d[0]) for d in cursor.description]
        return
    qualified = quote(_pg_schema_name(conn, url)) + "." + quote(name)
    with conn.transaction(), conn.cursor(name="learnsynth_read") as cursor:
        cursor.itersize = BATCH_ROWS
        cursor.execute(f"SELECT * FROM {qualified}")  # noqa: S608 - quoted identifiers
        yield cursor, [str(d.name) for d in cursor.description]


def _check_binary(label: str, columns: list[str], rows: list[Any]) -> None:
    binary = (bytes, bytearray, memoryview)
    for row in rows:
        if not any(isinstance(value, binary) for value in row):
            continue
        column = next(c for c, v in zip(columns, row, strict=True) if isinstance(v, binary))
        raise InvalidInputError(
            f"Table {label!r}: column {column!r} holds binary data (BLOB/bytea); learnsynth "
            "reads text, numbers and timestamps. Select a table without it.")


def _canonical(value: Any) -> bytes:
    """One line of the canonical serialisation hashed into a table's fingerprint."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).encode() + (
        b"\n")


def relationships(tables: Mapping[str, Table]) -> list[dict[str, Any]]:
    """Foreign keys among ``tables`` (as read, with their catalog entries) for the profile."""
    schemas = {n: t.schema for n, t in tables.items() if isinstance(t.schema, TableSchema)}
    return Catalog("", schemas).relationships()


def keys_of(table: Table) -> dict[str, Any] | None:
    """The table's catalog entry (types and keys) for the profile document, or None (a file)."""
    return table.schema.to_dict() if isinstance(table.schema, TableSchema) else None
