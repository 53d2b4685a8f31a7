"""Read the input tables: a file, a folder of files (one table each) or a SQLite database.

Supported files: CSV (``.csv``), TSV (``.tsv``), Parquet (``.parquet``, ``.pq``) and JSON Lines
(``.jsonl``, ``.ndjson``, ``.json``); the text formats may be compressed (``.gz``, ``.bz2``,
``.zst``, ``.lz4``, ``.xz``). CSV and TSV columns come back as text, exactly as written (so kind
inference sees leading zeros and date formats); Parquet and JSON Lines keep their native types.
Every reader streams batches, so ``max_rows`` keeps memory bounded on large sources.

Each table carries a fingerprint of its source (a sha256, never the data) for the model's lineage.
"""

from __future__ import annotations

import hashlib
import json
import numbers
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pandas as pd

from learnsynth.data._collect import Collector, records_frame
from learnsynth.data._readers import check_names, read_csv, read_jsonl, read_parquet
from learnsynth.errors import InvalidInputError
from learnsynth.progress import Progress

__all__ = ["Table", "read_table", "read_tables", "redact_url"]

_FORMATS = {".csv": "csv", ".tsv": "tsv", ".parquet": "parquet", ".pq": "parquet",
            ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
_COMPRESSIONS = {".gz": "gzip", ".bz2": "bz2", ".zst": "zstd", ".lz4": "lz4", ".xz": "xz"}
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")
_SECRET_PARAM = re.compile(r"(?i)([?&;](?:password|passwd|pwd|secret|token)=)[^&;#]*")
_SQL_BATCH = 10_000
_EXPECTED = "a CSV, TSV, Parquet or JSON Lines file, a folder of them, or a sqlite:/// URL"


@dataclass(frozen=True)
class Table:
    """One input table.

    Attributes:
        name: Table name: the file name without its suffixes, or the SQL table name.
        frame: The rows (a deterministic subsample when ``max_rows`` was smaller than the source).
        source: File path, or database URL with any password replaced by ``***``, plus ``#table``.
        n_rows_total: Rows in the source before subsampling.
        fingerprint: sha256 hex of the file's bytes, or of a canonical serialisation of the SQL
            table; never the data itself.
        schema: For a database table, what its catalog declares (types, primary, unique and
            foreign keys: :class:`learnsynth.data.sql.TableSchema`); None for a file.
    """

    name: str
    frame: pd.DataFrame
    source: str
    n_rows_total: int
    fingerprint: str
    schema: Any = None


def redact_url(url: str) -> str:
    """The URL with its password (and any password-like query parameter) replaced by ``***``.

    ``'postgresql://u:secret@h/db'`` becomes ``'postgresql://u:***@h/db'``. A password holding
    ``@``, ``/`` or ``?`` unescaped is still hidden whole: when in doubt, more is redacted.
    """
    match = _URL.match(url)
    if not match:
        return url
    head, rest = url[: match.end()], url[match.end():]
    # The last '@' ends the user info: a password may hold unescaped '@', '/' or '?'. A later '@'
    # (in a query) only makes more be hidden.
    at = rest.rfind("@")
    userinfo = rest[:at] if at >= 0 else ""
    if ":" in userinfo:
        user = userinfo.split(":", 1)[0]
        rest = f"{user}:***{rest[at:]}"
    return head + _SECRET_PARAM.sub(r"\1***", rest)


def _check_options(max_rows: int | None, seed: int) -> None:
    if max_rows is not None and (isinstance(max_rows, bool)
                                 or not isinstance(max_rows, numbers.Integral) or max_rows < 1):
        raise InvalidInputError(f"max_rows must be a positive integer or None. Got {max_rows!r}.")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise InvalidInputError(f"seed must be a non-negative integer. Got {seed!r}.")


def read_tables(source: str | os.PathLike[str], *, max_rows: int | None = None, seed: int = 0,
                progress: bool | None = None) -> dict[str, Table]:
    """Every table in ``source``: a file, a folder of files, or a ``sqlite:///`` URL.

    Args:
        source: A supported file, a folder (one table per supported file, by name; other files are
            ignored), or ``sqlite:///path.db`` (every table; ``?table=name`` picks one).
        max_rows: Keep a seeded uniform subsample of this many rows of each larger table.
        seed: Seeds the subsample; the same source and seed give the same rows.
        progress: Draw a progress bar on stderr; None draws one only on a terminal.

    Returns:
        Tables by name, in name order.

    Raises:
        InvalidInputError: The source is missing, unsupported, empty or malformed.
    """
    _check_options(max_rows, seed)
    text = str(os.fspath(source))
    scheme = _URL.match(text)
    if scheme:
        if scheme.group(1).lower() == "sqlite":
            from learnsynth.data.sql import with_catalog

            return with_catalog(text, _read_sqlite(text, max_rows, seed, progress))
        if scheme.group(1).lower() in ("postgresql", "postgres", "postgresql+psycopg"):
            from learnsynth.data.sql import read_database

            return read_database(text, max_rows=max_rows, seed=seed, progress=progress)
        raise InvalidInputError(
            f"Cannot read {redact_url(text)!r}: database support for the {scheme.group(1)!r} "
            "scheme is not available. Use a sqlite:/// or postgresql:// URL, or export the tables "
            "to CSV or Parquet files."
        )
    path = Path(text)
    if path.is_dir():
        return _read_folder(path, max_rows, seed, progress)
    table = read_table(path, max_rows=max_rows, seed=seed, progress=progress)
    return {table.name: table}


def read_table(path: str | os.PathLike[str], *, max_rows: int | None = None, seed: int = 0,
               progress: bool | None = None) -> Table:
    """One file as a :class:`Table` (see :func:`read_tables` for the arguments)."""
    _check_options(max_rows, seed)
    label = str(os.fspath(path))
    if _URL.match(label):
        raise InvalidInputError(
            f"{redact_url(label)!r} is a URL: read_table reads one file. Use read_tables."
        )
    path = Path(label)
    if not path.exists():
        raise InvalidInputError(f"Path {label!r} does not exist: expected {_EXPECTED}.")
    if path.is_dir():
        raise InvalidInputError(
            f"Path {label!r} is a folder: read_table reads one file. Use read_tables for a folder."
        )
    name, fmt, compression = _parse_suffix(path)
    if path.stat().st_size == 0:
        raise InvalidInputError(
            f"File {label!r} is empty: expected a header line and at least one row."
        )
    collector = Collector(max_rows, seed, Progress(None, f"reading {path.name}", enabled=progress))
    with collector.progress:
        if fmt == "parquet":
            frame = read_parquet(path, label, collector)
        elif fmt == "jsonl":
            frame = read_jsonl(path, label, compression, collector)
        else:
            frame = read_csv(path, label, "\t" if fmt == "tsv" else ",", compression, collector)
    return Table(name, frame, label, collector.n_seen, _file_sha256(path))


def _parse_suffix(path: Path) -> tuple[str, str, str | None]:
    """(table name, format, compression) from the file name, e.g. customers.csv.gz."""
    stem, suffix = os.path.splitext(path.name)
    compression = _COMPRESSIONS.get(suffix.lower())
    if compression:
        stem, suffix = os.path.splitext(stem)
    fmt = _FORMATS.get(suffix.lower())
    if fmt is None or not stem or (fmt == "parquet" and compression):
        raise InvalidInputError(
            f"File {str(path)!r} has an unsupported suffix: expected .csv, .tsv, .parquet, .pq, "
            ".jsonl, .ndjson or .json (text formats optionally .gz, .bz2, .zst, .lz4 or .xz). "
            "Rename or convert it."
        )
    return stem, fmt, compression


def _supported(path: Path) -> bool:
    try:
        _parse_suffix(path)
    except InvalidInputError:
        return False
    return True


def _read_folder(folder: Path, max_rows: int | None, seed: int,
                 progress: bool | None) -> dict[str, Table]:
    """One table per supported file directly in the folder; hidden files are skipped."""
    files = sorted(p for p in folder.iterdir()
                   if p.is_file() and not p.name.startswith(".") and _supported(p))
    if not files:
        raise InvalidInputError(
            f"Folder {str(folder)!r} holds no supported file: expected .csv, .tsv, .parquet, "
            ".jsonl or .json files (one table each)."
        )
    by_name: dict[str, Path] = {}
    for file in files:
        name = _parse_suffix(file)[0]
        if name in by_name:
            raise InvalidInputError(
                f"Folder {str(folder)!r} holds two files for table {name!r} "
                f"({by_name[name].name!r} and {file.name!r}). Keep one of them."
            )
        by_name[name] = file
    return {name: read_table(file, max_rows=max_rows, seed=seed, progress=progress)
            for name, file in by_name.items()}


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# --- SQLite --------------------------------------------------------------------------------------


def _sqlite_target(url: str) -> tuple[Path, str | None, str]:
    """(database path, selected table or None, URL without its query) for sqlite:///path?table=t."""
    parts = urlsplit(url)
    base = url.split("?", 1)[0].split("#", 1)[0]
    path = base[len(parts.scheme) + len(":///"):]
    if parts.netloc or not url[len(parts.scheme):].startswith(":///") or not path:
        raise InvalidInputError(
            f"Database URL {redact_url(url)!r} must look like sqlite:///relative/path.db or "
            "sqlite:////absolute/path.db."
        )
    query = parse_qsl(parts.query, keep_blank_values=True)
    unknown = sorted({key for key, _ in query} - {"table"})
    if unknown or len(query) > 1:
        raise InvalidInputError(
            f"Database URL {redact_url(url)!r}: the only query parameter understood is a single "
            f"'?table=NAME'. Got {', '.join(repr(k) for k in unknown) or 'table more than once'}."
        )
    return Path(path), (query[0][1] if query else None), base


def _read_sqlite(url: str, max_rows: int | None, seed: int,
                 progress: bool | None) -> dict[str, Table]:
    """Every user table of a SQLite file (read-only), or the one ``?table=`` names."""
    path, wanted, base = _sqlite_target(url)
    shown = redact_url(base)
    if not path.is_file():
        raise InvalidInputError(f"Database file {str(path)!r} (from {shown!r}) does not exist.")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise InvalidInputError(f"Database {shown!r} cannot be opened ({exc}).") from exc
    try:
        names = _sqlite_tables(connection, shown)
        if wanted is not None:
            if wanted not in names:
                listed = ", ".join(repr(n) for n in names) or "none"
                raise InvalidInputError(
                    f"Database {shown!r} has no table {wanted!r}. Its tables: {listed}."
                )
            names = [wanted]
        return {name: _read_sqlite_table(connection, shown, name, max_rows, seed, progress)
                for name in names}
    finally:
        connection.close()


def _sqlite_tables(connection: sqlite3.Connection, shown: str) -> list[str]:
    try:
        rows = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        ).fetchall()
    except sqlite3.Error as exc:
        raise InvalidInputError(
            f"Database {shown!r} is not a readable SQLite database ({exc}). Check the path."
        ) from exc
    if not rows:
        raise InvalidInputError(f"Database {shown!r} has no tables: expected at least one.")
    return [str(row[0]) for row in rows]


def _read_sqlite_table(connection: sqlite3.Connection, shown: str, name: str,
                       max_rows: int | None, seed: int, progress: bool | None) -> Table:
    label = f"{shown}#{name}"
    quoted = '"' + name.replace('"', '""') + '"'
    bar = Progress(None, f"reading {name}", enabled=progress)
    collector = Collector(max_rows, seed, bar)
    digest = hashlib.sha256()
    try:
        if bar.enabled:
            bar.total = int(connection.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()[0])
        cursor = connection.execute(f"SELECT * FROM {quoted}")
        columns = [str(d[0]) for d in cursor.description]
        check_names(label, columns)
        digest.update(_canonical([name, columns]))
        with bar:
            while rows := cursor.fetchmany(_SQL_BATCH):
                _check_row_values(label, columns, rows)
                for row in rows:
                    digest.update(_canonical(row))
                collector.add(rows, len(rows))
    except sqlite3.Error as exc:
        raise InvalidInputError(f"Table {label!r} could not be read ({exc}).") from exc
    if collector.n_seen == 0:
        raise InvalidInputError(f"Table {label!r} has no rows: expected at least one.")
    frame = records_frame(columns, collector.result())
    return Table(name, frame, label, collector.n_seen, digest.hexdigest())


def _check_row_values(label: str, columns: list[str], rows: list[Any]) -> None:
    for row in rows:
        for column, value in zip(columns, row, strict=True):
            if isinstance(value, bytes):
                raise InvalidInputError(
                    f"Table {label!r}: column {column!r} holds binary data (BLOB); learnsynth "
                    "reads text, numbers and timestamps. Select a table without it."
                )


def _canonical(value: Any) -> bytes:
    """One line of the canonical serialisation hashed into a SQL table's fingerprint."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
