"""The ground-truth log: one row per change, and how to replay it on the clean data.

Columns: ``row`` (0-based row of the dirty output), ``column`` (null for a whole-row entry),
``kind`` (``typo``, ``missing``, ``format``, ``outlier``, ``invalid``, ``duplicate``), ``variant``
(how: ``transpose``, ``N/A``, ``x1000``, ``copy``, ``new_key``, ...), ``clean`` and ``dirty`` (the
cell's values as text; null for a null), ``source_row`` (for a near-duplicate, the output row it
copies).

Replaying: insert a copy of the clean ``source_row`` at every ``duplicate``/``copy`` row (the clean
rows fill the other rows in order), then set every logged cell to its ``dirty`` value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["LOG_COLUMNS", "apply_log", "arrow_text", "empty_log", "interleave", "is_text",
           "replace_text", "to_text"]

LOG_COLUMNS = ("row", "column", "kind", "variant", "clean", "dirty", "source_row")


def empty_log() -> pd.DataFrame:
    """A log with no entries, in the log's dtypes."""
    return pd.DataFrame({
        "row": pd.Series([], dtype=np.int64), "column": log_strings([]), "kind": log_strings([]),
        "variant": log_strings([]), "clean": log_strings([]), "dirty": log_strings([]),
        "source_row": pd.Series([], dtype="Int64"),
    })


def log_strings(values: Sequence[str | None]) -> pd.Series:
    """Arrow-backed strings, so every chunk's log has the same schema (even an empty one)."""
    return pd.Series(pd.arrays.ArrowStringArray(pa.array(values, pa.large_string())))


def is_text(series: pd.Series) -> bool:
    """A column of strings: Arrow-backed ``string`` or object."""
    return isinstance(series.dtype, pd.StringDtype) or pd.api.types.is_object_dtype(series.dtype)


def arrow_text(series: pd.Series) -> pa.Array:
    """A column as Arrow large strings, written as Arrow's CSV writer writes it (null stays null).

    Numbers come out as Arrow formats them (``42``, ``119616``, ``0.1``), booleans as
    ``true``/``false``: exactly the text of the clean output, so unchanged cells stay equal.
    """
    if isinstance(series.dtype, pd.StringDtype) and hasattr(series.array, "_pa_array"):
        arr = series.array._pa_array
        if isinstance(arr, pa.ChunkedArray):  # one chunk (the usual case) needs no copy
            arr = arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()
        return arr.cast(pa.large_string())
    if pd.api.types.is_object_dtype(series.dtype):
        values = [None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))
                  else v if isinstance(v, str) else str(v) for v in series.tolist()]
        return pa.array(values, pa.large_string())
    return pa.array(series, from_pandas=True).cast(pa.large_string())


def to_text(values: list[Any]) -> list[str | None]:
    """Scalars (numbers, timestamps, booleans, None) as :func:`arrow_text` writes them."""
    if not values:
        return []
    try:
        return pa.array(values, from_pandas=True).cast(pa.string()).to_pylist()
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return [None if v is None or v is pd.NA else str(v) for v in values]


def replace_text(arr: pa.Array, edits: list[tuple[np.ndarray, list[Any]]]) -> pa.Array:
    """``arr`` with the cells at each edit's indices set to its values (None = null)."""
    if not edits:
        return arr
    idx = np.concatenate([np.asarray(i, dtype=np.int64) for i, _ in edits])
    values = [v for _, vs in edits for v in vs]
    order = np.argsort(idx, kind="stable")
    mask = np.zeros(len(arr), dtype=bool)
    mask[idx] = True
    replacements = pa.array([values[i] for i in order.tolist()], pa.large_string())
    return pc.replace_with_mask(arr, pa.array(mask), replacements)


def interleave(originals: pd.Series, copies: pd.Series, order: np.ndarray) -> pd.Series:
    """Rows of ``originals`` and ``copies`` (concatenated) in ``order``."""
    if isinstance(originals.dtype, pd.StringDtype) and hasattr(originals.array, "_pa_array"):
        parts = [s.array._pa_array for s in (originals, copies)]
        both = pa.concat_arrays([c for p in parts for c in p.chunks])
        taken = both.take(pa.array(order, pa.int64()))
        return pd.Series(pd.arrays.ArrowStringArray(taken))
    both = pd.concat([originals, copies.astype(originals.dtype)], ignore_index=True)
    return both.iloc[order].reset_index(drop=True)


def apply_log(clean: pd.DataFrame, log: pd.DataFrame) -> pd.DataFrame:
    """Replay ``log`` on ``clean`` (read as text) and return the dirty data, as text.

    Read both files with ``dtype=str`` (for CSV also ``keep_default_na=False``); the result then
    equals the dirty output read the same way.
    """
    copies = log[(log["kind"] == "duplicate") & (log["variant"] == "copy")]
    n_out = len(clean) + len(copies)
    dup_rows = copies["row"].astype(np.int64).to_numpy()
    is_dup = np.zeros(n_out, dtype=bool)
    is_dup[dup_rows] = True
    nondup = np.flatnonzero(~is_dup)
    order = np.empty(n_out, dtype=np.int64)
    order[nondup] = np.arange(len(clean))
    sources = copies["source_row"].astype(np.int64).to_numpy()
    order[dup_rows] = np.searchsorted(nondup, sources)
    out = clean.astype(object).iloc[order].reset_index(drop=True)
    cells = log[log["column"].notna() & (log["column"] != "")]
    for column, group in cells.groupby("column", sort=False):
        j = out.columns.get_loc(column)
        rows = group["row"].astype(np.int64).to_numpy()
        out.iloc[rows, j] = group["dirty"].astype(object).where(group["dirty"].notna(),
                                                                None).to_numpy()
    return out
