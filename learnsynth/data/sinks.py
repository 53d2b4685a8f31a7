"""Write synthetic tables to files, atomically.

Rows arrive in chunks and are streamed into a temporary file beside the target, which is moved into
place only when every chunk is written: an interrupted run leaves no partial file at the target.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from learnsynth.errors import InvalidInputError

__all__ = ["FORMATS", "format_of", "write_chunks"]

FORMATS = ("csv", "parquet", "jsonl")
_SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl",
             ".ndjson": "jsonl"}
_COMPRESSION = {".gz": "gzip", ".bz2": "bz2", ".zst": "zstd", ".xz": "xz"}


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
    return fmt, compression


def _write_parquet(chunks: Iterable[pd.DataFrame], tmp: Path) -> int:
    writer: pq.ParquetWriter | None = None
    rows = 0
    try:
        for chunk in chunks:
            table = pa.Table.from_pandas(chunk, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
            writer.write_table(table.cast(writer.schema))
            rows += len(chunk)
    finally:
        if writer is not None:
            writer.close()
    return rows


def _write_text(chunks: Iterable[pd.DataFrame], tmp: Path, fmt: str,
                compression: str | None) -> int:
    rows = 0
    import fsspec

    with fsspec.open(str(tmp), "wt", compression=compression, encoding="utf-8",
                     newline="") as fh:
        for i, chunk in enumerate(chunks):
            if fmt == "csv":
                chunk.to_csv(fh, index=False, header=i == 0, lineterminator="\n")
            else:
                text = chunk.to_json(orient="records", lines=True, force_ascii=False,
                                     date_format="iso")
                fh.write(text if text.endswith("\n") or not text else text + "\n")
            rows += len(chunk)
    return rows


def write_chunks(chunks: Iterable[pd.DataFrame], out: str | os.PathLike[str], *,
                 fmt: str | None = None, overwrite: bool = False) -> int:
    """Stream chunks into ``out`` (written aside, then moved into place). Returns rows written."""
    path = Path(out)
    kind, compression = format_of(path, fmt)
    if path.exists() and not overwrite:
        raise InvalidInputError(f"--out {str(path)!r} already exists. Pass --overwrite to replace "
                                "it, or choose another path.")
    parent = path.parent if str(path.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInputError(f"--out {str(path)!r}: cannot create folder {str(parent)!r}: "
                                f"{exc.strerror}.") from exc
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=parent)
    except OSError as exc:
        raise InvalidInputError(f"--out {str(path)!r} is not writable: {exc.strerror}.") from exc
    os.close(fd)
    tmp = Path(name)
    try:
        if kind == "parquet":
            rows = _write_parquet(chunks, tmp)
        else:
            rows = _write_text(chunks, tmp, kind, compression)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return rows
