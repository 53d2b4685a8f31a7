"""Draw synthetic rows from a table model, chunk by chunk.

Chunk ``i`` covers rows ``[i*chunk_rows, (i+1)*chunk_rows)`` and draws from a generator seeded by
``SeedSequence(seed).spawn(n_chunks)[i]``: the output depends only on the seed, the row count and
the chunk size, never on which worker ran which chunk.

Per chunk: draw the copula's correlated uniforms, map each modelled column through its marginal
(numbers, dates, categories, null indicators), then generate the columns that were never modelled
from values: keys (unique, in the source's shape), PII (Faker-backed,
:mod:`learnsynth.sample.fakes`) and free text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from learnsynth.model import ColumnModel, TableModel
from learnsynth.sample.fakes import fill_pii
from learnsynth.sample.render import render_datetime, render_key, render_text

__all__ = ["chunk_bounds", "sample_chunk", "sample_table"]

DEFAULT_CHUNK_ROWS = 100_000


def chunk_bounds(n_rows: int, chunk_rows: int) -> list[tuple[int, int]]:
    """(start, stop) of every chunk; depends on rows and chunk size only."""
    return [(s, min(s + chunk_rows, n_rows)) for s in range(0, n_rows, chunk_rows)]


def _copula_uniforms(table: TableModel, n: int, rng: np.random.Generator) -> dict[tuple[str, str],
                                                                                  np.ndarray]:
    out: dict[tuple[str, str], np.ndarray] = {}
    for block in table.blocks:
        u = block.sample(n, rng)
        for j, dim in enumerate(block.dims):
            out[(dim[0], dim[1])] = u[:, j]
    return out


def _numeric(col: ColumnModel, u: np.ndarray, u_null: np.ndarray | None) -> pd.Series:
    assert col.marginal is not None
    values = col.marginal.ppf(u)
    isnull = u_null >= 1 - col.null_rate if u_null is not None else np.zeros(u.size, bool)
    if col.null_rate >= 1:
        isnull[:] = True
    if col.kind == "datetime":
        return render_datetime(values, isnull, col.details)
    if col.kind == "integer":
        out = pd.array(np.round(values).astype(np.int64), dtype="Int64")
        out[isnull] = pd.NA
        return pd.Series(out)
    values = values.astype(float)
    values[isnull] = np.nan
    return pd.Series(values)


def _categorical(col: ColumnModel, u: np.ndarray) -> pd.Series:
    cum = np.cumsum(col.weights)
    idx = np.minimum(np.searchsorted(cum / cum[-1], u, side="right"), len(col.categories) - 1)
    cats = np.array(col.categories, dtype=object)
    values = cats[idx]
    if col.kind == "boolean" and col.details.get("native"):
        return pd.Series(pd.array([None if v is None else v == "true" for v in values],
                                  dtype="boolean"))
    return pd.Series(values, dtype=object)


def _with_nulls(values: np.ndarray, rate: float, rng: np.random.Generator) -> pd.Series:
    out = pd.Series(values, dtype=object)
    if rate > 0:
        out[rng.random(len(out)) < rate] = None
    return out


def fake_format(kind: str, fmt: dict[str, Any]) -> dict[str, Any]:
    """The detector's format descriptor in the vocabulary of :mod:`learnsynth.sample.fakes`.

    The detector describes what it saw (``style: alpha2``, ``abbreviated``, ``grouped``); the
    providers take what to write (``style: code``, ``separator``). Keys a provider does not know
    are ignored by it.
    """
    out = dict(fmt)
    if kind == "country" and "style" in out:
        out["style"] = "name" if out["style"] == "name" else "code"
    if kind == "state" and "abbreviated" in out:
        out["style"] = "code" if out.pop("abbreviated") else "name"
    if kind == "iban" and "grouped" in out and "separator" not in out:
        out["separator"] = " " if out.pop("grouped") else ""
    if kind == "date_of_birth" and "date_format" not in out:
        out.pop("dtype", None)
    return out


def sample_chunk(table: TableModel, start: int, stop: int, child: np.random.SeedSequence,
                 options: dict[str, Any] | None = None) -> pd.DataFrame:
    """Rows ``start..stop`` of a table, drawn from ``child`` alone."""
    n = stop - start
    copula_seed, pii_seed, other_seed = child.spawn(3)
    rng = np.random.default_rng(copula_seed)
    other = np.random.default_rng(other_seed)
    uniforms = _copula_uniforms(table, n, rng)
    pii_cols = [(c.name, str(c.details.get("pii_kind")), c.details.get("locale"),
                 fake_format(str(c.details.get("pii_kind")), dict(c.details.get("format") or {})))
                for c in table.columns if c.kind == "pii"]
    unique = [c.name for c in table.columns if c.kind == "pii" and c.details.get("unique")]
    fakes = fill_pii(pii_cols, n, pii_seed, unique=unique) if pii_cols else {}
    data: dict[str, pd.Series] = {}
    for col in table.columns:
        if col.kind in ("integer", "continuous", "datetime"):
            data[col.name] = _numeric(col, uniforms[(col.name, "value")],
                                      uniforms.get((col.name, "null")))
        elif col.kind in ("categorical", "boolean"):
            data[col.name] = _categorical(col, uniforms[(col.name, "value")])
        elif col.kind == "key":
            data[col.name] = pd.Series(render_key(col.details, start, stop, options or {}),
                                       dtype=object)
        elif col.kind == "pii":
            data[col.name] = _with_nulls(fakes[col.name], col.null_rate, other)
        elif col.kind == "text":
            data[col.name] = _with_nulls(render_text(col.details, n, other), col.null_rate, other)
        else:
            data[col.name] = pd.Series([None] * n, dtype=object)
    frame = pd.DataFrame(data)
    frame.index = pd.RangeIndex(start, stop)
    return frame


def iter_chunks(table: TableModel, n_rows: int, seed: int,
                chunk_rows: int = DEFAULT_CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    bounds = chunk_bounds(n_rows, chunk_rows)
    children = np.random.SeedSequence(seed).spawn(len(bounds))
    for (start, stop), child in zip(bounds, children, strict=True):
        yield sample_chunk(table, start, stop, child, {"seed": seed})


def sample_table(table: TableModel, n_rows: int, seed: int,
                 chunk_rows: int = DEFAULT_CHUNK_ROWS) -> pd.DataFrame:
    """All rows in memory (the Python API); the CLI streams chunks to files instead."""
    frames = list(iter_chunks(table, n_rows, seed, chunk_rows))
    if not frames:
        return pd.DataFrame({c.name: pd.Series([], dtype=object) for c in table.columns})
    return pd.concat(frames)
