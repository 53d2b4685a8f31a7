"""Apply a plan to one chunk: edit cells, insert near-duplicates, and log every change.

Randomness: chunk ``i`` draws from ``SeedSequence(seed, spawn_key=(i, TAG, j))`` — a sibling of
the sampler's own streams for that chunk, never shared with them — so the dirt depends only on the
seed, the chunk and the plan, not on which worker ran the chunk or in what order. ``j = 0`` draws
the chunk's near-duplicate count (cheap to redraw for every chunk, which is how each chunk knows
its offset in the output without talking to the others), ``j = 1`` the cell edits, ``j = 2`` the
near-duplicates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa

from learnsynth.sample.render import render_key
from learnsynth.sample.variability._batch import (
    OutlierGroup,
    column_edit,
    is_numeric_outlier,
    number_outliers,
    scalar_batch,
)
from learnsynth.sample.variability._bulk import BULK, bulk_edit
from learnsynth.sample.variability._dice import Dice
from learnsynth.sample.variability._log import (
    LOG_COLUMNS,
    arrow_text,
    empty_log,
    is_text,
    to_text,
)
from learnsynth.sample.variability._plan import ColumnPlan, Plan

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


Texts: TypeAlias = Sequence[str | None] | pa.Array  # a log column's values: list or Arrow


@dataclass
class _Log:
    """Log entries in batches; ``rows`` are chunk-local (clean row, or copy number if ``dup``)."""

    batches: list[dict[str, Any]] = field(default_factory=list)

    def add(self, rows: Sequence[int] | np.ndarray, dup: bool, column: str | None, kind: str,
            variants: Sequence[str], clean: Texts, dirty: Texts,
            source: Sequence[int] | np.ndarray | None = None) -> None:
        if len(rows):
            self.batches.append({"rows": rows, "dup": dup, "column": column, "kind": kind,
                                 "variant": variants, "clean": clean, "dirty": dirty,
                                 "source": source})


class _Column:
    """One column: clean values, its dirty representation, and the edits made to it.

    A *textual* column (text already, or a number/date column that some dirt writes text into)
    is handled as an Arrow string array: its text is what the CSV writer would put down, and the
    dirty column (edited cells and near-duplicate rows included) is one ``take`` from the clean
    array with the new values appended. The result is an Arrow-backed ``string`` column in every
    chunk. Other columns keep their dtype (outliers, nulls).
    """

    def __init__(self, cp: ColumnPlan, series: pd.Series) -> None:
        self.cp = cp
        self.n = len(series)
        self.textual = bool(is_text(series)) or cp.string_kinds
        self.arrow = arrow_text(series) if self.textual else None
        # a native column keeps its dtype: its values, with a positional index (no copy)
        self.series = series if self.textual else pd.Series(series.array, copy=False)
        if self.arrow is None:
            self.notnull = self.series.notna().to_numpy()
        elif self.arrow.null_count == 0:  # most columns: no bitmap to unpack
            self.notnull = np.ones(self.n, dtype=bool)
        else:
            self.notnull = self.arrow.is_valid().to_numpy(zero_copy_only=False)
        self.eligible = int(self.notnull.sum()) if self.arrow is None else (
            self.n - self.arrow.null_count)  # non-null cells
        self._raw: np.ndarray | None = None
        # (clean rows, dirty values) and (copy numbers, dirty values): a textual column's values
        # as Arrow text (see dirty_text), a native column's as a list of its scalars
        self.edits: list[tuple[np.ndarray, Texts | list[Any]]] = []
        self.copy_edits: list[tuple[np.ndarray, Texts | list[Any]]] = []
        self.fresh: list[Any] | None = None  # every copy's value (fresh keys)

    @property
    def raw(self) -> np.ndarray:
        if self._raw is None:
            self._raw = self.series.to_numpy(dtype=object)
        return self._raw

    def values(self, idx: np.ndarray) -> list[Any]:
        """Clean values at ``idx`` in the dirty representation (text for a textual column)."""
        return self.take(idx)[0]

    def take(self, idx: np.ndarray) -> tuple[list[Any], pa.Array | None]:
        """(clean values at ``idx``, the same as an Arrow array for a textual column, else None).

        The array goes to the log as it is, so the text is not converted back to Arrow there.
        """
        if self.arrow is not None:
            taken = self.arrow.take(pa.array(idx, pa.int64()))
            return taken.to_pylist(), taken
        return self.raw[idx].tolist(), None

    def clean_text(self, idx: np.ndarray, values: list[Any],
                   taken: pa.Array | None = None) -> Texts:
        """The clean ``values`` (at ``idx``; ``taken`` from :meth:`take`) as the log writes them."""
        if not self.textual:
            return to_text(self.raw[idx].tolist())
        return values if taken is None else taken

    def dirty_text(self, values: list[Any]) -> Texts:
        """Dirty ``values`` as the log writes them: for a textual column an Arrow array, which
        :meth:`build` then takes as it is (so the values are converted once)."""
        return pa.array(values, pa.large_string()) if self.textual else to_text(values)

    def build(self, layout: _Layout) -> Any:
        """The dirty column (an array): edited clean rows and the copies, laid out as ``layout``.

        Starts from the layout's shared index (output row -> clean row) and patches in only the
        edited cells, so a column pays one ``take``, not the index built afresh.
        """
        extra: list[Any] = []  # dirty values (a textual column: Arrow arrays) after the n rows
        end = self.n  # where the next dirty values start in clean + extra
        index = layout.index.copy() if self.edits or self.copy_edits or self.fresh else None
        placed: list[tuple[np.ndarray, Texts | list[Any]]] = [
            (layout.nondup[idx], values) for idx, values in self.edits]
        placed += ([(layout.dup_pos, self.fresh)] if self.fresh is not None
                   else [(layout.dup_pos[ks], values) for ks, values in self.copy_edits])
        for rows, values in placed:  # output rows, the dirty values they show
            index[rows] = end + np.arange(len(rows))  # type: ignore[index]
            end += len(rows)
            extra.append(values)
        if index is None and not len(layout.dup_pos):
            return (self.series.array if self.arrow is None
                    else pd.arrays.ArrowStringArray(self.arrow))
        take = layout.index_pa if index is None else pa.array(index, pa.int64())
        if self.arrow is not None:
            parts = [v if isinstance(v, pa.Array) else pa.array(v, pa.large_string())
                     for v in extra]
            both = pa.concat_arrays([self.arrow, *parts]) if parts else self.arrow
            return pd.arrays.ArrowStringArray(both.take(take))
        added = pd.Series([v for values in extra for v in values],
                          dtype=object).astype(self.series.dtype)
        both = pd.concat([self.series, added], ignore_index=True)
        return both.array.take(layout.index if index is None else index)


@dataclass
class _Layout:
    """Where every row of the dirty chunk comes from: ``n`` clean rows and ``d`` copies.

    ``index[p]`` is the clean row output row ``p`` shows (a copy shows its source row);
    ``nondup[i]`` is the output row of clean row ``i``, ``dup_pos[k]`` that of copy ``k``.
    """

    index: np.ndarray
    index_pa: pa.Array
    nondup: np.ndarray
    dup_pos: np.ndarray


def _objects(values: list[Any]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


class _Codes:
    """``_codes`` with each probability vector's cumulative sum computed once per chunk."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self._cum: dict[int, np.ndarray] = {}  # id of a plan's probabilities -> their cumsum

    def __call__(self, probs: np.ndarray, m: int) -> np.ndarray:
        cum = self._cum.get(id(probs))
        if cum is None:
            cum = self._cum[id(probs)] = np.cumsum(probs)
        return np.minimum(np.searchsorted(cum, self.rng.random(m), side="right"), len(probs) - 1)


def _by_code(codes: np.ndarray, k: int) -> list[tuple[int, np.ndarray]]:
    """(code, positions holding it) for each of the ``k`` codes present, in code order."""
    if k == 1:
        return [(0, np.arange(len(codes)))] if len(codes) else []
    counts = np.bincount(codes, minlength=k)
    return [(c, np.flatnonzero(codes == c)) for c in np.flatnonzero(counts).tolist()]


def _missing_batch(plan: Plan, col: _Column, clean: list[Any],
                   draw: _Codes) -> tuple[list[str], list[Any]]:
    """(labels, markers): a marker per cell, null where the marker equals the clean value."""
    names, labels = plan.missing_markers
    if not col.textual:
        return ["null"] * len(clean), [None] * len(clean)
    codes = draw(plan.missing[1], len(clean))
    markers, used = names[codes], labels[codes]
    same = markers == _objects(clean)
    if same.any():
        markers[same], used[same] = None, "null"
    return used.tolist(), markers.tolist()


_Request = tuple["_Column", str, list[Any]]  # column, kind, clean values of its cells


def _edit_all(requests: list[_Request], plan: Plan, rng: np.random.Generator,
              dice: Dice) -> list[tuple[list[str], list[Any]]]:
    """(variants, dirty values) per request: cells of one column that all get one kind.

    Each request's cells draw their variants; text variants in :data:`BULK` are then edited
    together across every column of the chunk (one vectorised call per variant, so the NumPy
    overhead is paid per chunk, not per column), and so are the outliers of numbers written as
    text (:func:`number_outliers`); the rest per (column, variant) by :func:`column_edit` (one
    cell at a time). Every group draws its uniforms where it stands in the loop, so deferring
    the vectorised work does not change which draws a group gets.
    """
    # per request: (cells or None for all of them, variants used, dirty values) per variant
    pieces: list[list[tuple[np.ndarray | None, list[str], list[Any]]]] = []
    draw = _Codes(rng)
    groups: dict[tuple[str, str], list[tuple[int, np.ndarray | None, list[Any]]]] = {}
    numeric: list[tuple[int, np.ndarray | None, OutlierGroup]] = []  # number outliers, together
    for r, (col, kind, clean) in enumerate(requests):
        pieces.append([])
        if kind == "missing":
            pieces[r].append((None, *_missing_batch(plan, col, clean, draw)))
            continue
        names, probs = col.cp.variants[kind]
        coded = _by_code(draw(probs, len(clean)), len(names))
        for code, sel in coded:
            variant = names[code]
            whole = len(coded) == 1  # every cell of the request: no scattering back
            values = clean if whole else [clean[i] for i in sel.tolist()]
            cells = None if whole else sel
            if col.textual and (kind, variant) in BULK:
                groups.setdefault((kind, variant), []).append((r, cells, values))
                continue
            u = rng.random((len(sel), 3))
            if col.textual and is_numeric_outlier(col.cp, kind):
                numeric.append((r, cells, (col.cp, variant, values, u)))
                continue
            pieces[r].append((cells, *column_edit(col.cp, kind, variant, values, col.textual, u,
                                                  dice)))
    for (r, cells, group), got in zip(numeric, number_outliers([g for _, _, g in numeric]),
                                      strict=True):
        if got is None:
            cp, variant, values, _ = group
            got = scalar_batch(cp, "outlier", variant, values, True, dice)
        pieces[r].append((cells, *got))
    for (kind, variant), parts in groups.items():
        values = [v for _, _, part in parts for v in part]
        got_used, got_dirty = bulk_edit(kind, variant, values, rng.random((len(values), 3)), dice)
        k = 0
        for r, cells, part in parts:
            pieces[r].append((cells, got_used[k:k + len(part)], got_dirty[k:k + len(part)]))
            k += len(part)
    return [_assemble(len(request[2]), p) for request, p in zip(requests, pieces, strict=True)]


def _assemble(m: int, pieces: list[tuple[np.ndarray | None, list[str], list[Any]]]
              ) -> tuple[list[str], list[Any]]:
    """(variants used, dirty values) of a request's ``m`` cells from its per-variant pieces."""
    if len(pieces) == 1 and pieces[0][0] is None:
        return pieces[0][1], pieces[0][2]
    used = np.empty(m, dtype=object)
    dirty = np.empty(m, dtype=object)
    for cells, got_used, got_dirty in pieces:
        used[cells], dirty[cells] = _objects(got_used), _objects(got_dirty)
    return used.tolist(), dirty.tolist()


def _count(result: ChunkResult, kind: str, variants: list[str]) -> None:
    for v, c in Counter(variants).items():
        result.variants[(kind, v)] = result.variants.get((kind, v), 0) + c


def _pick_cells(cp: ColumnPlan, col: _Column, rng: np.random.Generator
                ) -> tuple[np.ndarray, np.ndarray]:
    """(cells, kind index per cell): each non-null cell gets kind ``k`` with ``cp.rates[k]``.

    The number of dirty cells is Binomial(non-null cells, total rate), the cells are a uniform
    sample of the non-null ones and each gets a kind in proportion to its rate: every kind's
    count is then Binomial(non-null cells, its rate), and a cell gets at most one kind.
    """
    n_eligible = col.eligible
    cum = cp.draws()
    total = float(min(cum[-1], 1.0))
    m = int(rng.binomial(n_eligible, total)) if n_eligible else 0
    chosen = rng.choice(n_eligible, size=m, replace=False) if m else np.zeros(0, np.int64)
    cells = np.sort(chosen if n_eligible == col.n else np.flatnonzero(col.notnull)[chosen])
    kinds = np.minimum(np.searchsorted(cum / cum[-1], rng.random(m), side="right"), len(cum) - 1)
    return cells, kinds


def _cell_requests(col: _Column, rng: np.random.Generator, result: ChunkResult
                   ) -> list[tuple[_Column, str, np.ndarray, list[Any], pa.Array | None]]:
    """Pick the column's dirty cells per kind that got some.

    (column, kind, cells, clean values, the same as Arrow text or None): see :meth:`_Column.take`.
    """
    cp = col.cp
    for kind in cp.rates:
        result.eligible[(cp.name, kind)] = col.eligible
        result.injected[(cp.name, kind)] = 0
    if not cp.rates:
        return []
    cells, kinds = _pick_cells(cp, col, rng)
    if not len(cells):
        return []
    if len(cp.rates) == 1:
        return [(col, next(iter(cp.rates)), cells, *col.take(cells))]
    out = []
    for k, kind in enumerate(cp.rates):
        idx = cells[kinds == k]
        if len(idx):
            out.append((col, kind, idx, *col.take(idx)))
    return out


def _dirty_texts(cols: list[_Column], dirty: list[list[Any]]) -> list[Texts]:
    """:meth:`_Column.dirty_text` of each request's dirty values; the textual ones converted to
    Arrow in one call and sliced (zero copy), not one call per request."""
    textual = [d for col, d in zip(cols, dirty, strict=True) if col.textual]
    whole = pa.array([v for d in textual for v in d], pa.large_string())
    out: list[Texts] = []
    start = 0
    for col, d in zip(cols, dirty, strict=True):
        if col.textual:
            out.append(whole.slice(start, len(d)))
            start += len(d)
        else:
            out.append(col.dirty_text(d))
    return out


def _inject_cells(cols: list[_Column], plan: Plan, rng: np.random.Generator, dice: Dice,
                  log: _Log, result: ChunkResult) -> None:
    """Edit every column's picked cells, log them, count them, and record them on the column."""
    picked = [r for col in cols for r in _cell_requests(col, rng, result)]
    edited = _edit_all([(col, kind, clean) for col, kind, _, clean, _ in picked], plan, rng, dice)
    texts = _dirty_texts([col for col, *_ in picked], [dirty for _, dirty in edited])
    for (col, kind, idx, clean, taken), (variants, dirty), text in zip(picked, edited, texts,
                                                                       strict=True):
        log.add(idx, False, col.cp.name, kind, variants, col.clean_text(idx, clean, taken), text)
        result.injected[(col.cp.name, kind)] = len(idx)
        _count(result, kind, variants)
        col.edits.append((idx, text if col.textual else dirty))


def _layout(n: int, d: int, rng: np.random.Generator) -> tuple[np.ndarray, _Layout]:
    """(sources, layout): which clean row each copy copies, and where each copy goes."""
    sources = rng.integers(0, n, size=d)
    dup_pos = np.sort(rng.choice(n + d, size=d, replace=False))
    is_dup = np.zeros(n + d, dtype=bool)
    is_dup[dup_pos] = True
    nondup = np.flatnonzero(~is_dup)
    index = np.empty(n + d, dtype=np.int64)
    index[nondup] = np.arange(n)
    index[dup_pos] = sources
    return sources, _Layout(index, pa.array(index, pa.int64()), nondup, dup_pos)


def _perturb_targets(cols: list[_Column], plan: Plan, sources: np.ndarray,
                     rng: np.random.Generator) -> dict[tuple[int, str], np.ndarray]:
    """(column index, kind) -> the copies that get that kind in that column.

    Each copy perturbs ``fields`` distinct columns (fewer if fewer are open: non-null in its
    source and perturbable), chosen uniformly by ranking random keys; each gets one of the
    column's perturbation kinds, uniformly.
    """
    fields = plan.near_duplicates.fields
    d = len(sources)
    if not d or not fields or not cols:
        return {}
    open_mask = np.stack([c.notnull[sources] & bool(c.cp.perturb) for c in cols], axis=1)
    keys = rng.random(open_mask.shape)
    keys[~open_mask] = 2.0
    take = min(fields, len(cols))
    chosen = np.argsort(keys, axis=1, kind="stable")[:, :take]
    valid = np.arange(take)[None, :] < open_mask.sum(axis=1)[:, None]
    u = rng.random(chosen.shape)
    n_kinds = np.array([max(len(c.cp.perturb), 1) for c in cols])
    kind_idx = np.minimum((u * n_kinds[chosen]).astype(np.int64), n_kinds[chosen] - 1)
    copy_no = np.broadcast_to(np.arange(d)[:, None], chosen.shape)
    js, ks, kis = chosen[valid], copy_no[valid], kind_idx[valid]
    targets: dict[tuple[int, str], np.ndarray] = {}
    for j in np.unique(js).tolist():
        in_col = js == j
        for ki in np.unique(kis[in_col]).tolist():
            copies = np.sort(ks[in_col & (kis == ki)])
            targets[(j, cols[j].cp.perturb[ki])] = copies
    return targets


def _copies(cols: list[_Column], plan: Plan, sources: np.ndarray, key_start: int, seed: int,
            rng: np.random.Generator, dice: Dice, log: _Log) -> None:
    """The near-duplicate rows: clean source values, perturbed, fresh keys (set on ``cols``)."""
    d = len(sources)
    src = sources.tolist()
    log.add(list(range(d)), True, None, "duplicate", ["copy"] * d, [None] * d, [None] * d, src)
    targets = sorted(_perturb_targets(cols, plan, sources, rng).items())
    cleans = [cols[j].take(sources[ks]) for (j, _), ks in targets]
    edited = _edit_all([(cols[j], kind, clean) for ((j, kind), _), (clean, _)
                        in zip(targets, cleans, strict=True)], plan, rng, dice)
    texts = _dirty_texts([cols[j] for (j, _), _ in targets], [dirty for _, dirty in edited])
    for ((j, kind), ks), (clean, taken), (variants, dirty), text in zip(
            targets, cleans, edited, texts, strict=True):
        col, idx = cols[j], sources[ks]
        log.add(ks, True, col.cp.name, kind, variants, col.clean_text(idx, clean, taken), text,
                idx.tolist())
        col.copy_edits.append((ks, text if col.textual else dirty))
    keyed = {c.cp.name: c for c in cols}
    for name, details in plan.keys:
        col = keyed[name]
        keys = np.asarray(render_key(details, key_start, key_start + d, {"seed": seed}))
        texts = [str(k) for k in keys.tolist()]
        col.fresh = texts if col.textual else keys.tolist()
        log.add(list(range(d)), True, name, "duplicate", ["new_key"] * d,
                col.clean_text(sources, *col.take(sources)), texts, src)


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
    result = ChunkResult(frame, frame.iloc[:0], clean_rows=n, duplicates=d)
    log = _Log()
    cols = [_Column(plan.column(str(name)), frame[name]) for name in frame.columns]
    _inject_cells(cols, plan, cell_rng, cell_dice, log, result)
    sources, layout = _layout(n, d, dup_rng)
    if d:
        _copies(cols, plan, sources, key_start, seed, dup_rng, dup_dice, log)
    result.frame = pd.DataFrame({c.cp.name: c.build(layout) for c in cols},
                                columns=list(frame.columns),
                                index=pd.RangeIndex(out_start, out_start + n + d), copy=False)
    result.log = _log_frame(log, layout.nondup, layout.dup_pos, out_start)
    return result


def _arrow(texts: Texts) -> pa.Array:
    return texts if isinstance(texts, pa.Array) else pa.array(texts, pa.large_string())


def _log_frame(log: _Log, nondup: np.ndarray, dup_pos: np.ndarray,
               out_start: int) -> pd.DataFrame:
    """The chunk's log with output row numbers, sorted by row (a copy's ``copy`` entry first).

    Built column by column as NumPy and Arrow arrays (one ``take`` each to sort), without a
    pandas row operation: the log has about as many entries as the chunk has dirty cells.
    """
    if not log.batches:
        return empty_log()
    batches = log.batches
    sizes = np.array([len(b["rows"]) for b in batches], dtype=np.int64)
    local = np.concatenate([np.asarray(b["rows"], dtype=np.int64) for b in batches])
    dup = np.repeat(np.array([b["dup"] for b in batches], dtype=bool), sizes)
    row = np.empty(len(local), dtype=np.int64)
    row[~dup] = nondup[local[~dup]]
    row[dup] = dup_pos[local[dup]]
    row += out_start
    has_source = np.repeat(np.array([b["source"] is not None for b in batches], dtype=bool), sizes)
    source_row = np.zeros(len(local), dtype=np.int64)
    if has_source.any():
        source_row[has_source] = nondup[np.concatenate(
            [np.asarray(b["source"], dtype=np.int64) for b in batches
             if b["source"] is not None])] + out_start
    variants: list[str] = []
    for b in batches:
        variants += b["variant"]
    order = np.argsort(row, kind="stable")
    batch = pa.array(np.repeat(np.arange(len(batches)), sizes)[order])
    take = pa.array(order)

    def text(values: Any) -> pd.arrays.ArrowStringArray:
        return pd.arrays.ArrowStringArray(values)

    columns = pa.array([b["column"] for b in batches], pa.large_string()).take(batch)
    kinds = pa.array([b["kind"] for b in batches], pa.large_string()).take(batch)
    source = pd.arrays.IntegerArray(source_row[order], ~has_source[order])
    clean = [_arrow(b["clean"]) for b in batches]
    dirty = [_arrow(b["dirty"]) for b in batches]
    return pd.DataFrame({
        "row": row[order], "column": text(columns), "kind": text(kinds),
        "variant": text(pa.array(variants, pa.large_string()).take(take)),
        "clean": text(pa.concat_arrays(clean).take(take)),
        "dirty": text(pa.concat_arrays(dirty).take(take)),
        "source_row": source,
    }, columns=list(LOG_COLUMNS), copy=False)
