"""The per-chunk hook sampling calls, the injected-rate summary, and where the outputs go.

``VariabilityTransform(plan, seed, n_rows, chunk_rows)`` is a picklable callable
``(chunk_index, start_row, clean_chunk) -> (dirty_chunk, extras)``; ``extras`` carries the chunk's
counts, which :class:`Summary` adds up in the parent process, and its log: the log frame itself
(``variability_log``), or, once :meth:`~VariabilityTransform.logging_to` has named the log's
target, the chunk's log already encoded in the worker (``variability_log_payload``: CSV/JSONL
bytes or an Arrow table for a log file; None for a log folder, whose part file the worker wrote),
so the parent streams it to the log file and keeps nothing that grows with the rows. Each chunk
knows its first output row (clean start plus the near-duplicates of earlier chunks) by redrawing
the earlier chunks' duplicate counts from their own seeds, so chunks never wait for each other.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from learnsynth.data.sinks import Target, chunk_payload, format_of, write_part
from learnsynth.errors import InvalidInputError
from learnsynth.sample.variability._inject import duplicate_counts, inject_chunk
from learnsynth.sample.variability._plan import Plan

__all__ = ["Summary", "VariabilityTransform", "output_paths"]


class VariabilityTransform:
    """Dirt for every chunk of one ``sample`` run: deterministic per seed, whatever the workers."""

    def __init__(self, plan: Plan, seed: int, n_rows: int, chunk_rows: int) -> None:
        self.plan = plan
        self.seed = seed
        self.n_rows = n_rows
        self.chunk_rows = chunk_rows
        sizes = [min(chunk_rows, n_rows - s) for s in range(0, n_rows, chunk_rows)]
        self.duplicates = duplicate_counts(plan, seed, sizes)
        self.offsets = np.concatenate([[0], np.cumsum(self.duplicates)]).astype(np.int64)
        self.log_target: Target | None = None
        self.log_folder: str | None = None

    def logging_to(self, target: Target, folder: str | None) -> VariabilityTransform:
        """A copy that encodes each chunk's log for ``target`` in the worker (see the module).

        ``folder``: the log writer's temporary folder, where a folder log's parts go.
        """
        other = copy.copy(self)
        other.log_target, other.log_folder = target, folder
        return other

    @property
    def total_rows(self) -> int:
        """Rows in the dirty output: the clean rows plus every near-duplicate."""
        return self.n_rows + int(self.offsets[-1])

    def __call__(self, chunk_index: int, start_row: int,
                 frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
        if start_row != chunk_index * self.chunk_rows:
            raise ValueError(f"chunk {chunk_index} starts at row {start_row}, expected "
                             f"{chunk_index * self.chunk_rows}: chunk sizes disagree")
        earlier = int(self.offsets[chunk_index])  # near-duplicates of the earlier chunks
        result = inject_chunk(self.plan, frame, seed=self.seed, chunk_index=chunk_index,
                              out_start=start_row + earlier,
                              duplicates=int(self.duplicates[chunk_index]),
                              key_start=self.n_rows + earlier)
        counts = {"eligible": result.eligible, "injected": result.injected,
                  "variants": result.variants, "clean_rows": result.clean_rows,
                  "duplicates": result.duplicates}
        extra: dict[str, Any] = {"variability_counts": counts,
                                 "variability_log_rows": len(result.log)}
        if self.log_target is None:
            extra["variability_log"] = result.log
        elif self.log_folder is not None:
            write_part(result.log, self.log_folder, chunk_index, self.log_target)
            extra["variability_log_payload"] = None
        else:
            extra["variability_log_payload"] = chunk_payload(result.log, self.log_target,
                                                             chunk_index)
        return result.frame, extra


@dataclass
class Summary:
    """Configured against injected rates, per kind and per column, added up over chunks."""

    plan: Plan
    eligible: dict[tuple[str, str], int] = field(default_factory=dict)
    injected: dict[tuple[str, str], int] = field(default_factory=dict)
    variants: dict[tuple[str, str], int] = field(default_factory=dict)
    clean_rows: int = 0
    duplicates: int = 0

    def add(self, counts: dict[str, Any]) -> None:
        for name in ("eligible", "injected", "variants"):
            mine = getattr(self, name)
            for key, value in counts[name].items():
                mine[key] = mine.get(key, 0) + int(value)
        self.clean_rows += int(counts["clean_rows"])
        self.duplicates += int(counts["duplicates"])

    def _cells(self) -> dict[str, dict[str, dict[str, float | int]]]:
        out: dict[str, dict[str, dict[str, float | int]]] = {}
        for cp in self.plan.columns:
            for kind, rate in cp.rates.items():
                eligible = self.eligible.get((cp.name, kind), 0)
                injected = self.injected.get((cp.name, kind), 0)
                out.setdefault(cp.name, {})[kind] = {
                    "configured": rate, "actual": injected / eligible if eligible else 0.0,
                    "cells": injected, "eligible": eligible}
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: rows, near-duplicates, per-kind and per-column configured vs actual."""
        cells = self._cells()
        kinds: dict[str, dict[str, float | int]] = {}
        for per_column in cells.values():
            for kind, c in per_column.items():
                k = kinds.setdefault(kind, {"expected_cells": 0.0, "cells": 0, "eligible": 0})
                k["expected_cells"] += float(c["configured"]) * int(c["eligible"])
                k["cells"] += int(c["cells"])
                k["eligible"] += int(c["eligible"])
        for k in kinds.values():
            k["configured"] = k["expected_cells"] / k["eligible"] if k["eligible"] else 0.0
            k["actual"] = k["cells"] / k["eligible"] if k["eligible"] else 0.0
            k["expected_cells"] = round(float(k["expected_cells"]), 3)
        variants: dict[str, dict[str, int]] = {}
        for (kind, variant), count in sorted(self.variants.items()):
            variants.setdefault(kind, {})[variant] = count
        nd = self.plan.near_duplicates
        return {
            "config": self.plan.config.source, "table": self.plan.table,
            "rows": {"clean": self.clean_rows, "near_duplicates": self.duplicates,
                     "output": self.clean_rows + self.duplicates},
            "near_duplicates": {"configured": nd.rate, "fields": nd.fields,
                                "actual": self.duplicates / self.clean_rows
                                if self.clean_rows else 0.0},
            "kinds": {k: kinds[k] for k in sorted(kinds)}, "columns": cells,
            "variants": variants, "options": self.plan.config.to_dict(),
        }


def output_paths(out: str | os.PathLike[str], fmt: str | None) -> tuple[Path, Path]:
    """(log file, summary JSON) beside ``out``: ``<stem>.variability.<ext>`` and ``.json``.

    For ``out/customers.csv.gz`` that is ``out/customers.variability.csv.gz`` and
    ``out/customers.variability.json``.
    """
    path = Path(out)
    kind, compression = format_of(path, fmt)
    name = path.name
    known = {".csv", ".parquet", ".pq", ".jsonl", ".ndjson", ".gz", ".bz2", ".zst", ".xz"}
    suffix = ""
    while Path(name).suffix.lower() in known and Path(name).stem:
        suffix = Path(name).suffix + suffix
        name = Path(name).stem
    if not suffix:
        suffix = f".{kind}" + ("" if compression is None else Path(path.name).suffix)
    log = path.with_name(f"{name}.variability{suffix}")
    summary = path.with_name(f"{name}.variability.json")
    if log == path or summary == path:
        raise InvalidInputError(f"--out {str(path)!r} clashes with its variability log name; "
                                "choose another --out.")
    return log, summary
