"""Keep the rows of a streamed source: all of them, or a seeded uniform subsample.

Readers hand batches to a :class:`Collector` as they stream past, so a source larger than memory
can still be subsampled: every row gets a uniform key from a generator seeded by the caller, and
only rows that can still be among the ``max_rows`` smallest keys are kept (at most about twice
``max_rows`` at any time). Keys are drawn in row order from one stream, so the same source and seed
keep the same rows whatever the batch sizes are; the kept rows stay in their original order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from learnsynth.progress import Progress

__all__ = ["Collector", "arrow_frame", "records_frame"]

Batch = Any  # a pyarrow.Table, or a list of records (tuples or dicts)


def _take(batch: Batch, idx: np.ndarray) -> Batch:
    if isinstance(batch, list):
        return [batch[i] for i in idx]
    return batch.take(pa.array(idx))


def _concat(pieces: list[Batch]) -> Batch:
    if pieces and isinstance(pieces[0], list):
        return [row for piece in pieces for row in piece]
    return pa.concat_tables(pieces)


class Collector:
    """Collects streamed batches (Arrow tables or lists of records), subsampling if asked.

    Args:
        max_rows: Keep at most this many rows (a uniform random subsample), or None for all.
        seed: Seeds the generator that draws each row's sampling key.
        progress: Counts rows as they arrive.
    """

    def __init__(self, max_rows: int | None, seed: int, progress: Progress) -> None:
        self.max_rows = max_rows
        self.seed = seed
        self.progress = progress
        self.reset()

    def reset(self) -> None:
        """Forget everything seen so far (a reader starting over with another parser)."""
        self.n_seen = 0
        self.progress.done = 0
        self._rng = np.random.default_rng(self.seed)
        self._pieces: list[Batch] = []
        self._keys: list[np.ndarray] = []
        self._kept = 0
        self._threshold = np.inf

    @property
    def held(self) -> int:
        """Rows held now: at most about twice ``max_rows`` plus one batch when subsampling."""
        return self._kept if self.max_rows is not None else self.n_seen

    def add(self, batch: Batch, n_rows: int) -> None:
        """Offer the next ``n_rows`` rows of the source, in order."""
        self.n_seen += n_rows
        self.progress.update(n_rows)
        if n_rows == 0:
            return
        if self.max_rows is None:
            self._pieces.append(batch)
            return
        keys = self._rng.random(n_rows)
        idx = np.flatnonzero(keys < self._threshold)
        if idx.size == 0:
            return
        self._pieces.append(batch if idx.size == n_rows else _take(batch, idx))
        self._keys.append(keys[idx])
        self._kept += idx.size
        if self._kept >= 2 * self.max_rows:
            self._compact(self.max_rows)

    def _compact(self, max_rows: int) -> None:
        """Drop rows that can no longer be among the ``max_rows`` smallest keys."""
        keys = np.concatenate(self._keys)
        self._threshold = float(np.partition(keys, max_rows - 1)[max_rows - 1])
        pieces: list[Batch] = []
        kept: list[np.ndarray] = []
        for piece, piece_keys in zip(self._pieces, self._keys, strict=True):
            idx = np.flatnonzero(piece_keys <= self._threshold)
            if idx.size:
                pieces.append(_take(piece, idx))
                kept.append(piece_keys[idx])
        self._pieces, self._keys = pieces, kept
        self._kept = int(sum(k.size for k in kept))

    def result(self) -> Batch:
        """The kept rows in source order: exactly ``max_rows`` of them if the source had more."""
        rows = _concat(self._pieces)
        if self.max_rows is None or self._kept <= self.max_rows:
            return rows
        keys = np.concatenate(self._keys)
        chosen = np.sort(np.argsort(keys, kind="stable")[: self.max_rows])
        return _take(rows, chosen)


def arrow_frame(table: pa.Table) -> pd.DataFrame:
    """Arrow table -> DataFrame keeping native types.

    Dictionary columns are decoded to their values, dates become datetime64, integers with nulls
    become float64 (as pandas reads Parquet) and booleans with nulls the nullable ``boolean`` dtype
    (rather than an object column of True/False/None). Pandas metadata is ignored, so a stored
    index comes back as an ordinary column and the frame has a plain RangeIndex.
    """
    columns = []
    for column in table.columns:
        if pa.types.is_dictionary(column.type):
            column = pc.cast(column, column.type.value_type)
        columns.append(column)
    table = pa.table(columns, names=table.column_names)
    frame = table.to_pandas(date_as_object=False, ignore_metadata=True)
    for i, column in enumerate(table.columns):
        if pa.types.is_boolean(column.type) and column.null_count:
            frame.isetitem(i, frame.iloc[:, i].astype("boolean"))
    return frame


def records_frame(names: list[str], records: list[Any]) -> pd.DataFrame:
    """Rows given as tuples (in ``names`` order) or dicts -> DataFrame with native types.

    A column whose values Arrow can type (ints, floats, strings, bools, with nulls) is converted
    like :func:`arrow_frame`; a column mixing types (SQLite allows it) stays an object column of the
    Python values.
    """
    columns: dict[str, list[Any]]
    if records and isinstance(records[0], dict):
        columns = {name: [rec.get(name) for rec in records] for name in names}
    else:
        columns = {name: [rec[i] for rec in records] for i, name in enumerate(names)}
    arrays: list[Any] = []
    for values in columns.values():
        try:
            arrays.append(pa.array(values))
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            arrays.append(None)
    typed = [i for i, arr in enumerate(arrays) if arr is not None]
    frame = arrow_frame(pa.table([arrays[i] for i in typed], names=[names[i] for i in typed]))
    position = {i: j for j, i in enumerate(typed)}
    return pd.DataFrame({
        name: frame.iloc[:, position[i]] if i in position
        else pd.Series(columns[name], dtype=object, index=pd.RangeIndex(len(records)))
        for i, name in enumerate(names)
    }, index=pd.RangeIndex(len(records)))
