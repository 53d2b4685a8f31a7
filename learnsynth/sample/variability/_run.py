"""One ``sample --variability`` run: check everything up front, then write the log and summary.

::

    run = prepare(path, table, out=..., fmt=..., seed=..., n_rows=..., chunk_rows=...)
    ...sample with transform=run.transform, collecting each chunk's extra...
    summary = run.finish(extras)      # writes the log and <stem>.variability.json

Where things go, beside ``--out``:

- a file ``out/customers.csv``: log ``out/customers.variability.csv`` (same format and
  compression), summary ``out/customers.variability.json``;
- a folder ``out/customers/``: log parts in the sibling folder ``out/customers.variability/``
  (one part per chunk, like the data), summary ``out/customers.variability.json``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from learnsynth.data.sinks import format_of, resolve_target, write_chunks, write_text_atomic
from learnsynth.errors import InvalidInputError
from learnsynth.model import TableModel
from learnsynth.sample.variability._config import load_variability
from learnsynth.sample.variability._plan import plan
from learnsynth.sample.variability._transform import Summary, VariabilityTransform, output_paths

__all__ = ["VariabilityRun", "log_locations", "prepare"]


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
        """Write the log (atomically) and the summary JSON; return the summary."""
        summary = Summary(self.transform.plan)
        logs: list[pd.DataFrame] = []
        for extra in extras:
            summary.add(extra["variability_counts"])
            logs.append(extra["variability_log"])
        out = str(self.log_path) + ("/" if self.folder else "")
        write_chunks(iter(logs), out, fmt=self.log_fmt, overwrite=self.overwrite)
        doc = summary.to_dict()
        doc["seed"] = self.transform.seed
        doc["log"] = str(self.log_path)
        _write_json(self.summary_path, doc)
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
