"""One ``sample --variability`` run: check everything up front, then write the log and summary.

::

    run = prepare(path, table, out=..., fmt=..., seed=..., n_rows=..., chunk_rows=...)
    with run.stream() as log:         # opens the log's writer (a hidden temporary file/folder)
        ...sample with transform=log.transform, on_extra=log.add...
        summary = log.finish()        # publishes the log, writes <stem>.variability.json

Workers encode (or, for a folder, write) each chunk's log; ``log.add`` appends it to the log file
and adds the chunk's counts to the summary, keeping nothing else, so memory does not grow with
the rows. Leaving the block without ``finish`` (an error) removes the unfinished log.
``run.finish(extras)`` does the same for extras collected in memory (the log frames).

Where things go, beside ``--out``:

- a file ``out/customers.csv``: log ``out/customers.variability.csv`` (same format and
  compression), summary ``out/customers.variability.json``;
- a folder ``out/customers/``: log parts in the sibling folder ``out/customers.variability/``
  (one part per chunk, like the data), summary ``out/customers.variability.json``.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from learnsynth.data.sinks import (
    FileWriter,
    FolderWriter,
    Target,
    chunk_payload,
    format_of,
    open_writer,
    resolve_target,
    write_part,
    write_text_atomic,
)
from learnsynth.errors import InvalidInputError
from learnsynth.model import TableModel
from learnsynth.sample.variability._config import load_variability
from learnsynth.sample.variability._plan import plan
from learnsynth.sample.variability._transform import Summary, VariabilityTransform, output_paths

__all__ = ["LogStream", "VariabilityRun", "log_locations", "prepare"]


@dataclass(frozen=True)
class VariabilityRun:
    """The transform to hand to sampling, and where its log and summary will be written."""

    transform: VariabilityTransform
    log_path: Path
    summary_path: Path
    log_fmt: str
    folder: bool
    overwrite: bool

    def finish(self, extras: Iterable[Any]) -> dict[str, Any]:
        """Write the log (atomically) and the summary JSON from collected extras."""
        with self.stream() as log:
            for extra in extras:
                log.add(extra)
            return log.finish()

    @contextlib.contextmanager
    def stream(self) -> Iterator[LogStream]:
        """Open the log's writer; the stream's transform encodes log chunks for it."""
        target = resolve_target(str(self.log_path) + ("/" if self.folder else ""),
                                self.log_fmt, overwrite=self.overwrite)
        with open_writer(target) as writer:
            folder = str(writer.tmp) if isinstance(writer, FolderWriter) else None
            yield LogStream(self, target, writer,  # type: ignore[arg-type]
                            self.transform.logging_to(target, folder))


@dataclass
class LogStream:
    """The log being written as chunks arrive, and the summary being added up."""

    run: VariabilityRun
    target: Target
    writer: FileWriter | FolderWriter
    transform: VariabilityTransform
    summary: Summary = field(init=False)
    chunks: int = 0

    def __post_init__(self) -> None:
        self.summary = Summary(self.run.transform.plan)

    def add(self, extra: dict[str, Any]) -> None:
        """One chunk's extra, in chunk order: append its log, add its counts."""
        self.summary.add(extra["variability_counts"])
        if "variability_log" in extra:  # a frame, from a transform without a log target
            frame = extra["variability_log"]
            if isinstance(self.writer, FolderWriter):
                write_part(frame, self.writer.tmp, self.chunks, self.target)
                payload = None
            else:
                payload = chunk_payload(frame, self.target, self.chunks)
            self.writer.write(payload, len(frame))
        else:
            self.writer.write(extra["variability_log_payload"], extra["variability_log_rows"])
        self.chunks += 1

    def finish(self) -> dict[str, Any]:
        """Publish the log and write the summary JSON; return the summary."""
        self.writer.commit()
        doc = self.summary.to_dict()
        doc["seed"] = self.run.transform.seed
        doc["log"] = str(self.run.log_path)
        _write_json(self.run.summary_path, doc)
        return doc


def _write_json(path: Path, doc: dict[str, Any]) -> None:
    write_text_atomic(path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def _paths(out: str | os.PathLike[str], fmt: str | None, folder: bool) -> tuple[Path, Path, str]:
    if folder:
        path = Path(out)
        return (path.with_name(f"{path.name}.variability"),
                path.with_name(f"{path.name}.variability.json"), fmt or "parquet")
    log, summary = output_paths(out, fmt)
    return log, summary, fmt or format_of(Path(out), None)[0]


def log_locations(out: str | os.PathLike[str], fmt: str | None = None) -> tuple[Path, Path]:
    """(log file or folder, summary JSON) that ``sample --variability`` writes for ``out``."""
    text = os.fspath(out)
    path = Path(text)
    folder = text.endswith(("/", os.sep)) or path.is_dir() or not path.suffix
    log, summary, _ = _paths(out, fmt, folder)
    return log, summary


def prepare(path: str | os.PathLike[str], table: TableModel, *, out: str | os.PathLike[str],
            fmt: str | None, seed: int, n_rows: int, chunk_rows: int,
            overwrite: bool = False) -> VariabilityRun:
    """Read and check the config against ``table`` and the log's paths, before any row is drawn."""
    the_plan = plan(load_variability(path), table)
    target = resolve_target(out, fmt, overwrite=True)
    log_path, summary_path, log_fmt = _paths(out, target.fmt if fmt is None else fmt,
                                             target.folder)
    for p in (log_path, summary_path):
        if p.exists() and not overwrite:
            raise InvalidInputError(f"--variability log {str(p)!r} already exists. Pass "
                                    "--overwrite to replace it, or choose another --out.")
    transform = VariabilityTransform(the_plan, seed, n_rows, chunk_rows)
    return VariabilityRun(transform, log_path, summary_path, log_fmt, target.folder, overwrite)
