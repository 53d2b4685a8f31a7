"""Apply a plan to one chunk: edit cells, insert near-duplicates, and log every change.

Randomness: chunk ``i`` draws from ``SeedSequence(seed, spawn_key=(i, TAG, j))`` — a sibling of
the sampler's own streams for that chunk, never shared with them — so the dirt depends only on the
seed, the chunk and the plan, not on which worker ran the chunk or in what order. ``j = 0`` draws
the chunk's near-duplicate count (cheap to redraw for every chunk, which is how each chunk knows
its offset in the output without talking to the others), ``j = 1`` the cell edits, ``j = 2`` the
near-duplicates.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from learnsynth.sample.render import render_key
from learnsynth.sample.variability._dice import Dice
from learnsynth.sample.variability._formats import fmt_drift
from learnsynth.sample.variability._log import (
    LOG_COLUMNS,
    arrow_text,
    empty_log,
    interleave,
    is_text,
    log_strings,
    replace_text,
    to_text,
)
from learnsynth.sample.variability._plan import ColumnPlan, Plan
from learnsynth.sample.variability._typos import typo
from learnsynth.sample.variability._values import (
    break_checksum,
    break_email,
    date_outlier,
    number_outlier,
)

__all__ = ["TAG", "ChunkResult", "duplicate_counts", "inject_chunk"]

TAG = 0x76617269  # "vari": the variability stream's spawn key, apart from the sampler's 0, 1, 2


def _seq(seed: int, chunk: int, j: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(seed, spawn_key=(chunk, TAG, j))


def duplicate_counts(plan: Plan, seed: int, sizes: Sequence[int]) -> np.ndarray:
    """Near-duplicates inserted into each chunk (each drawn from that chunk's own stream)."""
    rate = plan.near_duplicates.rate
    if rate <= 0 or not plan.columns:
        return np.zeros(len(sizes), dtype=np.int64)
    return np.array([np.random.default_rng(_seq(seed, i, 0)).binomial(n, rate)
                     for i, n in enumerate(sizes)], dtype=np.int64)


@dataclass
class ChunkResult:
    """A dirty chunk, its log, and the counts behind the injected-rate summary."""

    frame: pd.DataFrame
    log: pd.DataFrame
    eligible: dict[tuple[str, str], int] = field(default_factory=dict)
    injected: dict[tuple[str, str], int] = field(default_factory=dict)
    variants: dict[tuple[str, str], int] = field(default_factory=dict)
    clean_rows: int = 0
    duplicates: int = 0


@dataclass
class _Log:
    """Log entries in batches; ``rows`` are chunk-local (clean row, or copy number if ``dup``)."""

    batches: list[dict[str, Any]] = field(default_factory=list)

    def add(self, rows: Sequence[int], dup: bool, column: str | None, kind: str,
            variants: Sequence[str], clean: Sequence[str | None], dirty: Sequence[str | None],
            source: Sequence[int] | None = None) -> None:
        if len(rows):
            self.batches.append({"rows": rows, "dup": dup, "column": column, "kind": kind,
                                 "variant": variants, "clean": clean, "dirty": dirty,
                                 "source": source})


def _number_text(value: float, integer: bool) -> str:
    """A number as Arrow writes it: ``42``, ``530502.7``, ``1e+16`` (no trailing ``.0``)."""
    if integer:
        return str(int(value))
    text = repr(float(value))
    text = text[:-2] if text.endswith(".0") else text
    return re.sub(r"e([+-])0*(\d)", r"e\1\2", text)


def _edit(cp: ColumnPlan, kind: str, variant: str, value: Any, text: str | None, textual: bool,
          dice: Dice) -> tuple[str, Any]:
    """(variant used, dirty value in the column's dirty representation); not for ``missing``."""
    if kind == "typo":
        return typo(variant, str(text), dice)
    if kind == "format":
        return fmt_drift(variant, str(text), dice, cp.date_format)
    if kind == "invalid":
        if variant == "checksum":
            return variant, break_checksum(str(text), str(cp.pii_kind), dice)
        return variant, break_email(str(text), dice)
    if cp.role == "date":
        return date_outlier(variant, text if textual else value, cp.date_format, cp.year_bounds,
                            dice)
    integer = isinstance(value, int | np.integer) or (textual and "." not in str(text)
                                                       and "e" not in str(text))
    used, out = number_outlier(variant, float(text if textual else value), cp.bounds,
                               0 if integer else cp.decimals, dice)
    if textual:
        return used, _number_text(out, integer)
    return used, int(out) if integer else out


class _Column:
    """One column: clean values, its dirty representation, and the edits made to it.

    A *textual* column (text already, or a number/date column that some dirt writes text into)
    is handled as an Arrow string array: its text is what the CSV writer would put down, edits
    are applied with one vectorised ``replace_with_mask``, and the result is an Arrow-backed
    ``string`` column in every chunk. Other columns keep their dtype (outliers, nulls).
    """

    def __init__(self, cp: ColumnPlan, series: pd.Series) -> None:
        self.cp = cp
        self.series = series.reset_index(drop=True)
        self.textual = bool(is_text(series)) or cp.string_kinds
        self.notnull = self.series.notna().to_numpy()
        self.arrow = arrow_text(self.series) if self.textual else None
        self._raw: np.ndarray | None = None
        self.edits: list[tuple[np.ndarray, list[Any]]] = []

    @property
    def raw(self) -> np.ndarray:
        if self._raw is None:
            self._raw = self.series.to_numpy(dtype=object)
        return self._raw

    def values(self, idx: np.ndarray) -> list[Any]:
        """Clean values at ``idx`` in the dirty representation (text for a textual column)."""
        if self.arrow is not None:
            return self.arrow.take(pa.array(idx, pa.int64())).to_pylist()
        return self.raw[idx].tolist()

    def clean_text(self, idx: np.ndarray) -> list[str | None]:
        return self.values(idx) if self.textual else to_text(self.raw[idx].tolist())

    def log_text(self, values: list[Any]) -> list[str | None]:
        return values if self.textual else to_text(values)

    def dirty(self, take: np.ndarray | None = None,
              edits: list[tuple[np.ndarray, list[Any]]] | None = None) -> pd.Series:
        """The column (or the rows ``take`` of it) with ``edits`` (default: its own) applied."""
        edits = self.edits if edits is None else edits
        if self.arrow is not None:
            arr = self.arrow if take is None else self.arrow.take(pa.array(take, pa.int64()))
            return pd.Series(pd.arrays.ArrowStringArray(replace_text(arr, edits)))
        out = self.series if take is None else self.series.iloc[take].reset_index(drop=True)
        if edits:
            out = out.copy()
            for idx, values in edits:
                out.iloc[idx] = pd.Series(values, dtype=self.series.dtype).array
        return out


def _draw(names: tuple[Any, ...], probs: np.ndarray, m: int, rng: np.random.Generator) -> list[Any]:
    idx = np.minimum(np.searchsorted(np.cumsum(probs), rng.random(m), side="right"),
                     len(names) - 1)
    return [names[i] for i in idx.tolist()]


def _missing_batch(plan: Plan, col: _Column, idx: np.ndarray,
                   rng: np.random.Generator) -> tuple[list[str], list[Any]]:
    if col.textual:
        markers = _draw(plan.missing[0], plan.missing[1], len(idx), rng)
        clean = col.values(idx)
        markers = [None if m == c else m for m, c in zip(markers, clean, strict=True)]
    else:
        markers = [None] * len(idx)
    labels = ["null" if m is None else ("empty" if m == "" else m) for m in markers]
    return labels, markers


def _edit_batch(col: _Column, plan: Plan, kind: str, idx: np.ndarray, rng: np.random.Generator,
                dice: Dice) -> tuple[list[str], list[Any]]:
    """(variants, dirty values) for the cells ``idx`` of one column, all getting ``kind``."""
    if kind == "missing":
        return _missing_batch(plan, col, idx, rng)
    names, probs = col.cp.variants[kind]
    wanted = _draw(names, probs, len(idx), rng)
    values = col.values(idx)
    texts = values
    used, dirty = [], []
    for variant, value, text in zip(wanted, values, texts, strict=True):
        v, d = _edit(col.cp, kind, variant, value, text, col.textual, dice)
        used.append(v)
        dirty.append(d)
    return used, dirty


def _count(result: ChunkResult, kind: str, variants: list[str]) -> None:
    for v, c in Counter(variants).items():
        result.variants[(kind, v)] = result.variants.get((kind, v), 0) + c


def _inject_cells(col: _Column, plan: Plan, rng: np.random.Generator, dice: Dice, log: _Log,
                  result: ChunkResult) -> pd.Series:
    cp = col.cp
    eligible = int(col.notnull.sum())
    for kind in cp.rates:
        result.eligible[(cp.name, kind)] = eligible
        result.injected[(cp.name, kind)] = 0
    if cp.rates:
        which = np.searchsorted(cp.draws(), rng.random(len(col.series)), side="right")
        which[~col.notnull] = len(cp.rates)
        for k, kind in enumerate(cp.rates):
            idx = np.flatnonzero(which == k)
            if not len(idx):
                continue
            variants, dirty = _edit_batch(col, plan, kind, idx, rng, dice)
            log.add(idx, False, cp.name, kind, variants, col.clean_text(idx), col.log_text(dirty))
            result.injected[(cp.name, kind)] = len(idx)
            _count(result, kind, variants)
            col.edits.append((idx, dirty))
    return col.dirty()


def _layout(n: int, d: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sources, duplicate positions, order): where each copy goes among ``n + d`` rows."""
    sources = rng.integers(0, n, size=d)
    dup_pos = np.sort(rng.choice(n + d, size=d, replace=False))
    is_dup = np.zeros(n + d, dtype=bool)
    is_dup[dup_pos] = True
    order = np.empty(n + d, dtype=np.int64)
    order[~is_dup] = np.arange(n)
    order[dup_pos] = n + np.arange(d)
    return sources, dup_pos, order


def _perturb_targets(cols: list[_Column], plan: Plan, sources: np.ndarray,
                     rng: np.random.Generator) -> dict[tuple[int, str], list[int]]:
    """(column index, kind) -> the copies that get that kind in that column."""
    targets: dict[tuple[int, str], list[int]] = {}
    fields = plan.near_duplicates.fields
    open_mask = np.stack([c.notnull[sources] & bool(c.cp.perturb) for c in cols], axis=1)
    for k in range(len(sources)):
        candidates = np.flatnonzero(open_mask[k])
        if not len(candidates) or fields == 0:
            continue
        chosen = rng.choice(candidates, size=min(fields, len(candidates)), replace=False)
        for j in np.sort(chosen).tolist():
            kinds = cols[j].cp.perturb
            kind = kinds[int(rng.integers(len(kinds)))]
            targets.setdefault((j, kind), []).append(k)
    return targets


def _copies(cols: list[_Column], plan: Plan, sources: np.ndarray, key_start: int, seed: int,
            rng: np.random.Generator, dice: Dice, log: _Log) -> dict[str, pd.Series]:
    """The near-duplicate rows, column by column: clean source values, perturbed, fresh keys."""
    d = len(sources)
    src = sources.tolist()
    log.add(list(range(d)), True, None, "duplicate", ["copy"] * d, [None] * d, [None] * d, src)
    edits: dict[int, list[tuple[np.ndarray, list[Any]]]] = {}
    for (j, kind), ks in sorted(_perturb_targets(cols, plan, sources, rng).items()):
        col = cols[j]
        idx = sources[ks]
        variants, dirty = _edit_batch(col, plan, kind, idx, rng, dice)
        log.add(ks, True, col.cp.name, kind, variants, col.clean_text(idx), col.log_text(dirty),
                idx.tolist())
        edits.setdefault(j, []).append((np.asarray(ks, dtype=np.int64), dirty))
    copies = {c.cp.name: c.dirty(sources, edits.get(j, [])) for j, c in enumerate(cols)}
    keyed = {c.cp.name: c for c in cols}
    for name, details in plan.keys:
        col = keyed[name]
        keys = np.asarray(render_key(details, key_start, key_start + d, {"seed": seed}))
        texts = [str(k) for k in keys.tolist()]
        if col.textual:
            copies[name] = pd.Series(pd.arrays.ArrowStringArray(pa.array(texts,
                                                                          pa.large_string())))
        else:
            copies[name] = pd.Series(keys).astype(col.series.dtype)
        log.add(list(range(d)), True, name, "duplicate", ["new_key"] * d,
                col.clean_text(sources), texts, src)
    return copies


def inject_chunk(plan: Plan, frame: pd.DataFrame, *, seed: int, chunk_index: int,
                 out_start: int, duplicates: int, key_start: int) -> ChunkResult:
    """Dirty ``frame`` (one clean chunk) and log each change with output row numbers.

    ``out_start`` is the chunk's first row in the dirty output (clean start plus the copies
    inserted by earlier chunks); ``key_start`` numbers this chunk's copies for key columns.
    """
    n = len(frame)
    cell_rng = np.random.default_rng(_seq(seed, chunk_index, 1))
    dup_rng = np.random.default_rng(_seq(seed, chunk_index, 2))
    cell_dice, dup_dice = Dice(cell_rng), Dice(dup_rng)
    d = duplicates if n else 0
    result = ChunkResult(frame, empty_log(), clean_rows=n, duplicates=d)
    log = _Log()
    cols = [_Column(plan.column(str(name)), frame[name]) for name in frame.columns]
    dirty = {c.cp.name: _inject_cells(c, plan, cell_rng, cell_dice, log, result) for c in cols}
    sources, dup_pos, order = _layout(n, d, dup_rng)
    if d:
        copies = _copies(cols, plan, sources, key_start, seed, dup_rng, dup_dice, log)
        for name in dirty:
            dirty[name] = interleave(dirty[name], copies[name], order)
    out = pd.DataFrame(dirty, columns=list(frame.columns))
    out.index = pd.RangeIndex(out_start, out_start + n + d)
    is_dup = np.zeros(n + d, dtype=bool)
    is_dup[dup_pos] = True
    result.frame = out
    result.log = _log_frame(log, np.flatnonzero(~is_dup), dup_pos, out_start)
    return result


def _log_frame(log: _Log, nondup: np.ndarray, dup_pos: np.ndarray,
               out_start: int) -> pd.DataFrame:
    """The chunk's log with output row numbers, sorted by row (a copy's ``copy`` entry first)."""
    if not log.batches:
        return empty_log()
    rows, sources, has_source = [], [], []
    columns: list[str | None] = []
    kinds: list[str] = []
    variants: list[str] = []
    clean: list[str | None] = []
    dirty: list[str | None] = []
    for b in log.batches:
        local = np.asarray(b["rows"], dtype=np.int64)
        m = len(local)
        rows.append((dup_pos[local] if b["dup"] else nondup[local]) + out_start)
        src = b["source"]
        sources.append(np.zeros(m, np.int64) if src is None
                       else nondup[np.asarray(src, dtype=np.int64)] + out_start)
        has_source.append(np.full(m, src is not None))
        columns += [b["column"]] * m
        kinds += [b["kind"]] * m
        variants += list(b["variant"])
        clean += list(b["clean"])
        dirty += list(b["dirty"])
    source = pd.arrays.IntegerArray(np.concatenate(sources), ~np.concatenate(has_source))
    frame = pd.DataFrame({
        "row": np.concatenate(rows), "column": log_strings(columns), "kind": log_strings(kinds),
        "variant": log_strings(variants), "clean": log_strings(clean), "dirty": log_strings(dirty),
        "source_row": source,
    }, columns=list(LOG_COLUMNS))
    order = np.argsort(frame["row"].to_numpy(), kind="stable")
    return frame.iloc[order].reset_index(drop=True)
