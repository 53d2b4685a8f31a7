"""Write synthetic tables to files and folders, atomically.

Two shapes of output:

- a **file** (``out.csv``, ``out.parquet``, ``out.jsonl``, optionally ``.gz``/``.bz2``/``.xz``/
  ``.zst``): chunks are encoded (by whichever worker drew them) and appended in chunk order to a
  temporary ``.NAME.*.partial`` file beside the target, which is moved into place by one
  ``os.replace`` when the last chunk is in;
- a **folder** (a path ending in ``/``, an existing folder, or a name without a suffix): every
  chunk becomes its own part file (``part-00000.parquet``...), written by the worker that drew it
  into a ``.tmp-NAME-*`` sibling folder that is renamed into place at the end.

Either way an interrupted run (an exception, ``kill -9``, a full disk) leaves nothing at the
target path. Text compression is applied per chunk (each chunk one gzip member / zstd frame /
bz2 or xz stream; concatenations of those are valid files), so it runs in the workers and the
bytes do not depend on how many workers there were. CSV is written by Arrow: strings are quoted,
an empty unquoted field is a missing value.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import lzma
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from learnsynth.errors import InvalidInputError

__all__ = ["FORMATS", "TEXT_DICTIONARY", "FileWriter", "FolderWriter", "Target", "chunk_payload",
           "encode_text", "write_text_atomic", "format_of", "open_writer", "parquet_options",
           "resolve_target", "takes_arrow_chunks", "to_arrow", "write_chunks", "write_part"]

FORMATS = ("csv", "parquet", "jsonl")
_SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl",
             ".ndjson": "jsonl"}
_COMPRESSION = {".gz": "gzip", ".bz2": "bz2", ".zst": "zstd", ".xz": "xz"}
_EXTENSIONS = {"csv": ".csv", "parquet": ".parquet", "jsonl": ".jsonl"}
_PARQUET_COMPRESSION = "zstd"
# Field metadata of a text column held as an Arrow dictionary (categories drawn by the sampler):
# written from its dictionary, read back as plain strings (:func:`parquet_options`).
TEXT_DICTIONARY = {b"learnsynth": b"text dictionary"}


def parquet_options(schema: pa.Schema) -> dict[str, Any]:
    """How every Parquet file or part is encoded: zstd, and min/max statistics for all but text.

    Text columns carry no statistics: computing them compares every string and took about a
    fifth of the encoder's time, and on sampled text (categories, names, formatted dates drawn
    at random) each row group's min and max span nearly every value, so they would never let a
    reader skip a row group. Values and types are unaffected.

    Sampled categories may arrive as Arrow dictionary arrays marked :data:`TEXT_DICTIONARY`
    (:func:`to_arrow`): the writer stores their indices against the dictionary as they are
    instead of hashing every row's string. The file then leaves out Arrow's own copy of the
    schema, which would make readers hand them back as dictionaries instead of the strings they
    are, and keeps the pandas metadata (:func:`_open_parquet`); :func:`to_arrow` allows this only
    when every column reads back as its own type without that copy. A dictionary column that a
    DataFrame brought (a pandas categorical) keeps the stored schema, as before.
    """
    text = (pa.types.is_string, pa.types.is_large_string, pa.types.is_binary,
            pa.types.is_large_binary, pa.types.is_dictionary)
    options: dict[str, Any] = {
        "compression": _PARQUET_COMPRESSION,
        "write_statistics": [f.name for f in schema if not any(t(f.type) for t in text)]}
    if any(_text_dictionary(f) for f in schema):
        options["store_schema"] = False
    return options


def _open_parquet(where: Any, schema: pa.Schema) -> pq.ParquetWriter:
    """A Parquet writer for ``schema``; the pandas metadata is kept even without Arrow's schema."""
    options = parquet_options(schema)
    writer = pq.ParquetWriter(where, schema, **options)
    if options.get("store_schema") is False and schema.metadata:
        writer.add_key_value_metadata({k.decode(): v.decode()
                                       for k, v in schema.metadata.items()})
    return writer


def _text_dictionary(field: pa.Field) -> bool:
    return pa.types.is_dictionary(field.type) and field.metadata == TEXT_DICTIONARY


def _plain(field: pa.Field) -> bool:
    """A column that reads back from Parquet as itself (or, for a marked dictionary, as its
    strings) without Arrow's stored schema."""
    kind = field.type
    return (pa.types.is_int64(kind) or pa.types.is_float64(kind) or pa.types.is_boolean(kind)
            or pa.types.is_string(kind) or _text_dictionary(field)
            or (pa.types.is_timestamp(kind) and kind.tz is None))


@dataclass(frozen=True)
class Target:
    """Where and how output goes: a file or a folder of part files, its format and compression."""

    path: Path
    fmt: str
    compression: str | None
    folder: bool

    @property
    def part_suffix(self) -> str:
        """Suffix of each part file in a folder (``.parquet``, ``.csv``, ``.csv.gz``...)."""
        comp = {v: k for k, v in _COMPRESSION.items()}.get(self.compression or "", "")
        return _EXTENSIONS[self.fmt] + comp

    def part_name(self, index: int) -> str:
        return f"part-{index:05d}{self.part_suffix}"


def format_of(path: Path, explicit: str | None) -> tuple[str, str | None]:
    """(format, compression) from ``--format`` or the file suffix."""
    suffixes = [s.lower() for s in path.suffixes]
    compression = _COMPRESSION.get(suffixes[-1]) if suffixes else None
    if compression:
        suffixes = suffixes[:-1]
    fmt = explicit or (_SUFFIXES.get(suffixes[-1]) if suffixes else None)
    if fmt not in FORMATS:
        raise InvalidInputError(
            f"--out {str(path)!r}: cannot tell the output format from its suffix. Use .csv, "
            ".parquet or .jsonl (optionally .gz), or pass --format csv|parquet|jsonl."
        )
    if fmt == "parquet" and compression:
        raise InvalidInputError(f"--out {str(path)!r}: Parquet is compressed inside the file "
                                "(zstd); drop the compression suffix.")
    return fmt, compression


def _is_folder(out: str, path: Path) -> bool:
    return out.endswith(("/", os.sep)) or path.is_dir() or not path.suffix


def resolve_target(out: str | os.PathLike[str], fmt: str | None = None, *,
                   overwrite: bool = False) -> Target:
    """Check ``--out`` before any row is drawn: format, existing target, a writable parent."""
    text = os.fspath(out)
    if text.split("://", 1)[0].lower() in ("sqlite", "postgresql", "postgres",
                                           "postgresql+psycopg"):
        from learnsynth.data._sql_write import resolve_database_target  # a table in a database

        return resolve_database_target(text, overwrite=overwrite)
    if fmt is not None and fmt not in FORMATS:
        raise InvalidInputError(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}.")
    path = Path(text)
    if _is_folder(text, path):
        kind = fmt or "parquet"
        target = Target(path, kind, None, True)
    else:
        kind, compression = format_of(path, fmt)
        target = Target(path, kind, compression, False)
    if path.exists() and not overwrite:
        raise InvalidInputError(f"--out {text!r} already exists. Pass --overwrite to replace "
                                "it, or choose another path.")
    if path.exists() and path.is_dir() != target.folder:
        what = "a folder" if path.is_dir() else "a file"
        raise InvalidInputError(f"--out {text!r} is {what}; refusing to replace it with "
                                f"{'a folder' if target.folder else 'a file'}.")
    parent = _parent(path)
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInputError(f"--out {text!r}: cannot create folder {str(parent)!r}: "
                                f"{exc.strerror}.") from exc
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InvalidInputError(f"--out {text!r} is not writable: no write permission on "
                                f"{str(parent)!r}.")
    return target


def _parent(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def to_arrow(frame: pd.DataFrame | pa.Table) -> pa.Table:
    """A chunk as an Arrow table (strings as ``string``), without the index.

    One thread: columns are handed over without copies, so the thread pool's start-up and
    hand-offs cost more CPU than they save, and the workers already fill the cores. A chunk that
    is already an Arrow table (:func:`learnsynth.sample.sampler.sample_chunk_arrow`) keeps its
    dictionary-encoded categories only when every other column reads back from Parquet as its
    own type without Arrow's stored schema (:func:`parquet_options`); otherwise they are decoded.
    """
    if isinstance(frame, pa.Table):
        table = frame
    else:
        try:
            table = pa.Table.from_pandas(frame, preserve_index=False, nthreads=1)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise InvalidInputError(f"A generated chunk cannot be written: {exc}. A column mixes "
                                    "types; convert it to strings in every chunk.") from exc
    if any(pa.types.is_large_string(f.type) for f in table.schema):
        fields = [pa.field(f.name, pa.string()) if pa.types.is_large_string(f.type) else f
                  for f in table.schema]
        table = table.cast(pa.schema(fields, metadata=table.schema.metadata))
    if not all(_plain(f) for f in table.schema):
        table = _decode_dictionaries(table)
    return table


def _decode_dictionaries(table: pa.Table) -> pa.Table:
    """Marked dictionary columns (:data:`TEXT_DICTIONARY`) as plain strings."""
    if not any(_text_dictionary(f) for f in table.schema):
        return table
    fields = [pa.field(f.name, f.type.value_type) if _text_dictionary(f) else f
              for f in table.schema]
    return table.cast(pa.schema(fields, metadata=table.schema.metadata))


def _compress(data: bytes, compression: str | None) -> bytes:
    if compression == "gzip":
        return gzip.compress(data, compresslevel=6, mtime=0)
    if compression == "bz2":
        return bz2.compress(data)
    if compression == "xz":
        return lzma.compress(data)
    if compression == "zstd":
        return bytes(pa.compress(data, codec="zstd", asbytes=True))
    return data


def encode_text(frame: pd.DataFrame, fmt: str, compression: str | None, *,
                header: bool) -> bytes:
    """One chunk as CSV or JSON Lines bytes, compressed on its own (a member of the file)."""
    if fmt == "csv":
        buf = io.BytesIO()
        options = pa_csv.WriteOptions(include_header=header, quoting_style="needed")
        pa_csv.write_csv(to_arrow(frame), buf, options)
        data = buf.getvalue()
    else:
        text = frame.to_json(orient="records", lines=True, force_ascii=False,
                             date_format="iso") if len(frame) else ""
        data = (text if text.endswith("\n") or not text else text + "\n").encode("utf-8")
    return _compress(data, compression)


def chunk_payload(frame: pd.DataFrame | pa.Table, target: Target, index: int) -> Any:
    """What a worker hands back for a single-file target: an Arrow table or encoded bytes."""
    if target.fmt == "parquet":
        return to_arrow(frame)
    if isinstance(frame, pa.Table):
        frame = _decode_dictionaries(frame).to_pandas()
    return encode_text(frame, target.fmt, target.compression, header=index == 0)


def takes_arrow_chunks(target: Target) -> bool:
    """Whether chunks for ``target`` may be drawn straight into Arrow: Parquet files and parts
    (a database table takes DataFrames' types)."""
    return type(target) is Target and target.fmt == "parquet"


def write_part(frame: pd.DataFrame | pa.Table, folder: str | os.PathLike[str], index: int,
               target: Target) -> str:
    """Write chunk ``index`` as its own part file into ``folder`` (the temporary folder)."""
    path = Path(folder) / target.part_name(index)
    if target.fmt == "parquet":
        table = to_arrow(frame)
        with _open_parquet(path, table.schema) as writer:
            writer.write_table(table)
    else:
        if isinstance(frame, pa.Table):
            frame = _decode_dictionaries(frame).to_pandas()
        path.write_bytes(encode_text(frame, target.fmt, target.compression, header=True))
    return path.name


def _umask() -> int:
    """The process umask (read by setting and restoring it), for the published file's mode."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _disk_error(target: Target, exc: OSError) -> InvalidInputError:
    return InvalidInputError(f"--out {str(target.path)!r}: writing failed: "
                             f"{exc.strerror or exc}. Nothing was written to the target.")


class FileWriter:
    """Appends chunk payloads, in order, to a hidden file beside the target; ``commit`` publishes.

    Use as a context manager: leaving it without ``commit`` (an error) removes the temporary file.
    """

    def __init__(self, target: Target) -> None:
        self.target = target
        parent = _parent(target.path)
        try:
            fd, name = tempfile.mkstemp(prefix=f".{target.path.name}.", suffix=".partial",
                                        dir=parent)
        except OSError as exc:
            raise InvalidInputError(f"--out {str(target.path)!r} is not writable: "
                                    f"{exc.strerror}.") from exc
        os.close(fd)
        self.tmp = Path(name)
        os.chmod(self.tmp, 0o666 & ~_umask())
        self._schema: pa.Schema | None = None
        self._parquet: pq.ParquetWriter | None = None
        self._fh: Any = None
        self.rows = 0

    def write(self, payload: Any, rows: int) -> None:
        try:
            if isinstance(payload, pa.Table):
                if self._parquet is None:
                    self._schema = payload.schema
                    self._parquet = _open_parquet(self.tmp, payload.schema)
                if not payload.schema.equals(self._schema):
                    raise InvalidInputError(
                        f"--out {str(self.target.path)!r}: a chunk's columns or types differ "
                        "from the first chunk's; every chunk must have the same schema.")
                self._parquet.write_table(payload)
            else:
                if self._fh is None:
                    self._fh = open(self.tmp, "wb")  # noqa: SIM115 - closed in commit/close
                self._fh.write(payload)
        except OSError as exc:
            raise _disk_error(self.target, exc) from exc
        self.rows += rows

    def commit(self) -> None:
        try:
            self._close_handles()
            os.replace(self.tmp, self.target.path)
        except OSError as exc:
            raise _disk_error(self.target, exc) from exc

    def _close_handles(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> FileWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):
            self._close_handles()
        with contextlib.suppress(FileNotFoundError):
            self.tmp.unlink()


class FolderWriter:
    """A hidden sibling folder that workers fill with part files; ``commit`` renames it in place.

    Use as a context manager: leaving it without ``commit`` removes the temporary folder.
    """

    def __init__(self, target: Target) -> None:
        self.target = target
        parent = _parent(target.path)
        try:
            self.tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{target.path.name}-", dir=parent))
            os.chmod(self.tmp, 0o777 & ~_umask())
        except OSError as exc:
            raise InvalidInputError(f"--out {str(target.path)!r} is not writable: "
                                    f"{exc.strerror}.") from exc
        self.rows = 0

    def write(self, payload: Any, rows: int) -> None:
        self.rows += rows  # the worker already wrote the part file

    def commit(self) -> None:
        path = self.target.path
        old: Path | None = None
        try:
            if path.exists():
                old = Path(tempfile.mkdtemp(prefix=f".old-{path.name}-", dir=_parent(path)))
                os.replace(path, old / "previous")
            os.replace(self.tmp, path)
        except OSError as exc:
            raise _disk_error(self.target, exc) from exc
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def __enter__(self) -> FolderWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.tmp.exists():
            shutil.rmtree(self.tmp, ignore_errors=True)


def open_writer(target: Target) -> FileWriter | FolderWriter:
    from learnsynth.data._sql_write import DatabaseTarget, DatabaseWriter

    if isinstance(target, DatabaseTarget):  # one transaction; chunks arrive as Arrow tables
        return DatabaseWriter(target)  # type: ignore[return-value]
    return FolderWriter(target) if target.folder else FileWriter(target)


def write_chunks(chunks: Iterable[pd.DataFrame], out: str | os.PathLike[str], *,
                 fmt: str | None = None, overwrite: bool = False) -> int:
    """Stream in-memory chunks to ``out`` (a file or a folder) atomically. Returns rows written."""
    target = resolve_target(out, fmt, overwrite=overwrite)
    with open_writer(target) as writer:
        for index, chunk in enumerate(chunks):
            if isinstance(writer, FolderWriter):
                write_part(chunk, writer.tmp, index, target)
            else:
                writer.write(chunk_payload(chunk, target, index), len(chunk))
                continue
            writer.write(None, len(chunk))
        writer.commit()
        return writer.rows


def write_text_atomic(path: str | os.PathLike[str], text: str, *, mode: int | None = None) -> Path:
    """Write a small text file aside and move it into place, so readers never see half of it.

    ``mode`` sets the permissions (``mkstemp`` leaves owner-only 0600): reports handed to a
    reviewer use 0644.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target
