"""Draw synthetic rows from a table model, chunk by chunk.

Chunk ``i`` covers rows ``[i*chunk_rows, (i+1)*chunk_rows)`` and draws from a generator seeded by
``SeedSequence(seed).spawn(n_chunks)[i]``: the output depends only on the seed, the row count and
the chunk size, never on which worker ran which chunk.

Per chunk: draw the copula's correlated uniforms, map each modelled column through its marginal
(numbers, dates, categories, null indicators; a categorical stored as conditional on another
column through its parent's row of the conditional table), then generate the columns that were
never modelled from values: keys (unique, in the source's shape), PII (Faker-backed,
:mod:`learnsynth.sample.fakes`) and free text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy import special
from threadpoolctl import ThreadpoolController

from learnsynth.data.sinks import TEXT_DICTIONARY
from learnsynth.errors import ArtifactError
from learnsynth.model import (
    ColumnModel,
    Conditional,
    NumericConditional,
    TableModel,
    conditional_uniforms,
    parent_keys,
)
from learnsynth.profile.marginals import NumericMarginal
from learnsynth.sample.fakes import fill_pii
from learnsynth.sample.render import render_datetime, render_key, render_text
from learnsynth.sample.steps import double_keys, doubles, steps_of

__all__ = ["as_python_strings", "chunk_bounds", "iter_chunks", "sample_chunk",
           "sample_chunk_arrow", "sample_table"]

DEFAULT_CHUNK_ROWS = 100_000
_FEW_CATEGORIES = 24
_BLAS = ThreadpoolController()


def chunk_bounds(n_rows: int, chunk_rows: int) -> list[tuple[int, int]]:
    """(start, stop) of every chunk; depends on rows and chunk size only."""
    return [(s, min(s + chunk_rows, n_rows)) for s in range(0, n_rows, chunk_rows)]


def normal_thresholds(p: np.ndarray) -> np.ndarray:
    """For each cut ``p``, the smallest double ``t`` with ``ndtr(t) >= p``.

    Comparing a uniform with a cut (a category edge, ``1 - null_rate``) is then a comparison of
    the normal score itself, ``z >= t``, without the normal CDF: the same decision, except for a
    score within a few ulps of ``t`` (a chance of about 1e-16 per draw), where ``ndtr`` itself is
    not monotone. Found by bisection over the doubles in order (64 vectorised steps for all cuts
    at once), since ``ndtri(p)`` may be ulps off.
    """
    p = np.asarray(p, dtype=float)
    lo = np.broadcast_to(double_keys(np.array(-40.0)), p.shape).copy()  # ndtr(-40) = 0 < p
    hi = np.broadcast_to(double_keys(np.array(40.0)), p.shape).copy()  # ndtr(40) = 1 >= p
    while True:
        open_ = hi - lo > 1
        if not open_.any():
            break
        mid = lo + (hi - lo) // 2
        reached = special.ndtr(doubles(mid)) >= p
        hi = np.where(open_ & reached, mid, hi)
        lo = np.where(open_ & ~reached, mid, lo)
    out = doubles(hi)
    out[p <= 0.0] = -np.inf
    out[p > 1.0] = np.inf
    return out


@lru_cache(maxsize=4096)
def normal_threshold(p: float) -> float:
    """:func:`normal_thresholds` of one cut."""
    return float(normal_thresholds(np.array([p]))[0])


class CopulaDraws(Mapping[tuple[str, str], np.ndarray]):
    """A chunk's copula draws: each dimension's normal scores, and its uniforms on demand.

    Most columns are mapped from the normal scores (:meth:`normal`): categories and nulls by
    thresholds in normal space, normal and lognormal marginals in closed form. Reading a
    uniform (``draws[(column, "value")]``) computes ``ndtr`` of that dimension once and caches
    it, for the columns that need one (point masses, conditional columns).
    """

    def __init__(self, scores: dict[tuple[str, str], np.ndarray]) -> None:
        self._scores = scores
        self._uniforms: dict[tuple[str, str], np.ndarray] = {}

    def normal(self, key: tuple[str, str]) -> np.ndarray:
        return self._scores[key]

    def __contains__(self, key: object) -> bool:  # Mapping's default would compute the uniform
        return key in self._scores

    def at_least(self, key: tuple[str, str], p: float) -> np.ndarray:
        """``uniform >= p`` for every row of dimension ``key``, from its normal scores."""
        return self._scores[key] >= normal_threshold(p)

    def __getitem__(self, key: tuple[str, str]) -> np.ndarray:
        if key not in self._uniforms:
            self._uniforms[key] = special.ndtr(self._scores[key])
        return self._uniforms[key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._scores)

    def __len__(self) -> int:
        return len(self._scores)


def _copula_draws(table: TableModel, n: int, rng: np.random.Generator) -> CopulaDraws:
    out: dict[tuple[str, str], np.ndarray] = {}
    for block in table.blocks:
        z = block.sample_normal(n, rng)
        for j, dim in enumerate(block.dims):
            out[(dim[0], dim[1])] = z[j]
    return CopulaDraws(out)


def _values(col: ColumnModel, marginal: NumericMarginal, table: TableModel,
            draws: CopulaDraws) -> np.ndarray:
    """The column's values: from its normal scores, or, for a number stored as conditional on a
    category, from the uniforms that condition maps its draws to."""
    if isinstance(col.given, NumericConditional):
        return marginal.ppf(conditional_uniforms(table, col, draws))
    z = draws.normal((col.name, "value"))
    steps = steps_of(marginal)  # few distinct values: a step lookup, the same values
    return marginal.ppf_normal(z) if steps is None else steps(z)


def _numeric_draws(col: ColumnModel, table: TableModel,
                   draws: CopulaDraws) -> tuple[np.ndarray, np.ndarray]:
    """Marginal quantiles of the copula's draws, and where the null dimension says missing."""
    if col.marginal is None:
        raise ArtifactError(f"Column {col.name!r} is {col.kind} but has no marginal.")
    values = _values(col, col.marginal, table, draws)
    null_key = (col.name, "null")
    isnull = draws.at_least(null_key, 1 - col.null_rate) if null_key in draws \
        else np.zeros(values.size, bool)
    if col.null_rate >= 1:
        isnull[:] = True
    return values, isnull


def _numeric(col: ColumnModel, table: TableModel, draws: CopulaDraws) -> pd.Series:
    """A number or date column: ``Int64``, ``float64`` (NaN missing) or rendered datetimes."""
    values, isnull = _numeric_draws(col, table, draws)
    if col.kind == "datetime":
        return render_datetime(values, isnull, col.details)
    if col.kind == "integer":
        ints = np.rint(values).astype(np.int64)
        ints[isnull] = 0
        return pd.Series(pd.arrays.IntegerArray(ints, isnull))
    values = values.astype(float)
    values[isnull] = np.nan
    return pd.Series(values)


def _numeric_arrow(col: ColumnModel, table: TableModel, draws: CopulaDraws) -> pa.Array | pd.Series:
    """The same column as :func:`_numeric`, numbers as Arrow arrays straight from NumPy.

    Arrow reads an int64 or float64 buffer without copying; going through pandas cost a NaN
    scan and a validity bitmap per column even where the column can have no nulls.
    """
    if col.kind == "datetime":
        return _numeric(col, table, draws)
    values, isnull = _numeric_draws(col, table, draws)
    mask = isnull if isnull.any() else None
    if col.kind == "integer":
        ints = np.rint(values).astype(np.int64)
        if mask is not None:
            ints[mask] = 0
        return pa.array(ints, type=pa.int64(), mask=mask)
    values = values.astype(float, copy=False)  # a fresh array from the marginal: no copy
    if mask is not None:
        values[mask] = np.nan
    return pa.array(values, type=pa.float64(), mask=mask)


@lru_cache(maxsize=1024)
def _category_thresholds(weights: tuple[float, ...]) -> np.ndarray:
    """Normal-score thresholds of the cumulative-weight edges (see :func:`normal_threshold`)."""
    cum = np.cumsum(weights)
    edges = cum[:-1] / cum[-1]
    return normal_thresholds(edges)


def _category_codes(weights: tuple[float, ...], z: np.ndarray) -> np.ndarray:
    """Index of the category whose cumulative-weight interval holds each score's uniform.

    Few categories: one comparison per edge (vectorised, no branch mispredictions), several
    times faster than ``searchsorted`` on random input; many categories: ``searchsorted``.
    """
    cuts = _category_thresholds(weights)
    if cuts.size > _FEW_CATEGORIES:
        return np.searchsorted(cuts, z, side="right")
    idx: np.ndarray = np.zeros(z.size, dtype=np.int8)
    for cut in cuts:
        idx += z >= cut
    return idx


def _category_index(col: ColumnModel, table: TableModel, uniforms: CopulaDraws) -> np.ndarray:
    """Category of each draw by the cumulative weights (or, for a column stored as conditional
    on another, by its row of the conditional table)."""
    if isinstance(col.given, Conditional):
        parent = table.column(col.given.column)
        keys = parent_keys(parent, uniforms[(parent.name, "value")],
                           uniforms.get((parent.name, "null")))
        return col.given.draw(keys, uniforms[(col.name, "value")])
    if "references" in col.details:  # a foreign key into a reference table
        return _quota_codes(col.weights, uniforms.normal((col.name, "value")))
    return _category_codes(col.weights, uniforms.normal((col.name, "value")))


def _quota_codes(weights: tuple[float, ...], z: np.ndarray) -> np.ndarray:
    """Categories by rank of the scores, each category getting its share of the chunk's rows
    (largest remainder): the copula's order is kept and the counts lose their binomial noise.

    Used for a foreign key into a reference table (:mod:`learnsynth.relational.reference`),
    where each key's number of children is what users compare: 16 airlines with 8,085 and
    8,014 flights must not swap places by chance.
    """
    w = np.asarray(weights, dtype=float)
    quotas = w * (z.size / w.sum())
    counts = np.floor(quotas).astype(np.int64)
    counts[np.argsort(counts - quotas, kind="stable")[: z.size - int(counts.sum())]] += 1
    ranks = np.empty(z.size, dtype=np.int64)
    ranks[np.argsort(z, kind="stable")] = np.arange(z.size)
    return np.searchsorted(np.cumsum(counts), ranks, side="right")


def _native_booleans(col: ColumnModel, idx: np.ndarray) -> pd.Series:
    truth = np.array([v == "true" for v in col.categories])
    missing = np.array([v is None for v in col.categories])
    return pd.Series(pd.arrays.BooleanArray(truth[idx], missing[idx]))


def _categorical(col: ColumnModel, table: TableModel, uniforms: CopulaDraws) -> pd.Series:
    """The column's categories; text as Arrow strings."""
    idx = _category_index(col, table, uniforms)
    if col.kind == "boolean" and col.details.get("native"):
        return _native_booleans(col, idx)
    labels = pa.array([None if v is None else str(v) for v in col.categories], pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(labels.take(pa.array(idx))))


@lru_cache(maxsize=1024)
def _dictionary(categories: tuple[Any, ...]) -> tuple[pa.Array, np.ndarray | None, np.dtype[Any]]:
    """A categorical's Arrow dictionary (its labels, the missing category left out), the map
    from category index to dictionary index (-1: missing; None when nothing is missing), and
    the smallest index type."""
    labels = [str(v) for v in categories if v is not None]
    remap = None
    if len(labels) < len(categories):
        remap = np.full(len(categories), -1, dtype=np.int64)
        remap[[i for i, v in enumerate(categories) if v is not None]] = np.arange(len(labels))
    kind = np.dtype(np.int8 if len(labels) <= 127 else np.int16 if len(labels) <= 32_767
                    else np.int32)
    return pa.array(labels, pa.string()), remap, kind


def _categorical_arrow(col: ColumnModel, table: TableModel,
                       uniforms: CopulaDraws) -> pa.Array | pd.Series:
    """The same categories as :func:`_categorical`, as an Arrow dictionary array.

    The labels are not copied into every row, and the Parquet writer stores the indices against
    the dictionary as they are instead of hashing each row's string to build its own.
    """
    idx = _category_index(col, table, uniforms)
    if col.kind == "boolean" and col.details.get("native"):
        return _native_booleans(col, idx)
    labels, remap, kind = _dictionary(tuple(col.categories))
    mask = None
    if remap is not None:
        idx = remap[idx]
        mask = idx < 0
        if not mask.any():
            mask = None
    indices = pa.array(idx.astype(kind, copy=False), mask=mask)
    return pa.DictionaryArray.from_arrays(indices, labels)


def _strings(values: np.ndarray, rate: float, rng: np.random.Generator) -> pd.Series:
    """Python strings as an Arrow-backed Series, with a share ``rate`` of them set missing."""
    arr = pa.array(values, pa.large_string())
    if rate > 0:
        isnull = rng.random(len(values)) < rate
        arr = pc.if_else(pa.array(isnull), pa.nulls(len(values), pa.large_string()), arr)
    return pd.Series(pd.arrays.ArrowStringArray(arr))


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
    if table.reference is not None:  # a reference table is copied, not drawn
        from learnsynth.relational.reference import reference_rows

        return reference_rows(table.reference, start, stop)
    frame = pd.DataFrame(_draw_columns(table, start, stop, child, options or {}, arrow=False),
                         copy=False)
    frame.index = pd.RangeIndex(start, stop)
    return frame


def sample_chunk_arrow(table: TableModel, start: int, stop: int, child: np.random.SeedSequence,
                       options: dict[str, Any] | None = None) -> pa.Table:
    """The rows of :func:`sample_chunk` as the Arrow table a Parquet writer takes.

    Numbers come straight from NumPy and categories as dictionary arrays (labels held once); the
    other columns are converted from pandas as :func:`learnsynth.data.sinks.to_arrow` does. The
    schema carries the pandas metadata of :func:`sample_chunk`'s DataFrame, so pandas reads the
    file back with the same dtypes. For writing only: a transform needs the DataFrame.
    """
    if table.reference is not None:  # copied rows: nothing to draw
        return pa.Table.from_pandas(sample_chunk(table, start, stop, child, options),
                                    preserve_index=False, nthreads=1)
    data = _draw_columns(table, start, stop, child, options or {}, arrow=True)
    series = {k: v for k, v in data.items() if isinstance(v, pd.Series)}
    converted = pa.Table.from_pandas(pd.DataFrame(series, copy=False), preserve_index=False,
                                     nthreads=1) if series else None
    columns = [converted.column(k) if converted is not None and isinstance(v, pd.Series) else v
               for k, v in data.items()]
    dtypes = tuple((k, v.dtype if isinstance(v, pd.Series) else _pandas_dtype(v.type))
                   for k, v in data.items())
    fields = [pa.field(k, c.type, metadata=TEXT_DICTIONARY if pa.types.is_dictionary(c.type)
                       else None) for k, c in zip(data, columns, strict=True)]
    return pa.Table.from_arrays(columns, schema=pa.schema(fields, _pandas_metadata(dtypes)))


def _pandas_dtype(kind: pa.DataType) -> Any:
    """The dtype :func:`sample_chunk` gives a column that the Arrow path builds directly."""
    if pa.types.is_dictionary(kind):
        return pd.StringDtype("pyarrow")
    return pd.Int64Dtype() if pa.types.is_int64(kind) else np.dtype("float64")


@lru_cache(maxsize=256)
def _pandas_metadata(dtypes: tuple[tuple[str, Any], ...]) -> dict[bytes, bytes]:
    """The schema metadata ``from_pandas`` writes for a DataFrame of these columns and dtypes."""
    empty = pd.DataFrame({k: pd.Series([], dtype=d) for k, d in dtypes})
    return dict(pa.Schema.from_pandas(empty, preserve_index=False).metadata or {})


def _draw_columns(table: TableModel, start: int, stop: int, child: np.random.SeedSequence,
                  options: dict[str, Any], *, arrow: bool) -> dict[str, Any]:
    """Every column of rows ``start..stop``, in model order: pandas Series, or, with ``arrow``,
    Arrow arrays for numbers and categories (the same values)."""
    n = stop - start
    copula_seed, pii_seed, other_seed = child.spawn(3)
    rng = np.random.default_rng(copula_seed)
    other = np.random.default_rng(other_seed)
    # One BLAS thread: the product is small, and BLAS threads fighting for cores (joblib workers,
    # other jobs) made it 100x slower; it also keeps the floating-point sums in one order.
    with _BLAS.limit(limits=1, user_api="blas"):
        uniforms = _copula_draws(table, n, rng)
    pii_cols = [(c.name, str(c.details.get("pii_kind")), c.details.get("locale"),
                 fake_format(str(c.details.get("pii_kind")), dict(c.details.get("format") or {})))
                for c in table.columns if c.kind == "pii"]
    unique = [c.name for c in table.columns if c.kind == "pii" and c.details.get("unique")]
    fakes = fill_pii(pii_cols, n, pii_seed, unique=unique, start=start) if pii_cols else {}
    numeric = _numeric_arrow if arrow else _numeric
    categorical = _categorical_arrow if arrow else _categorical
    data: dict[str, Any] = {}
    for col in table.columns:
        if col.kind in ("integer", "continuous", "datetime"):
            data[col.name] = numeric(col, table, uniforms)
        elif col.kind in ("categorical", "boolean"):
            data[col.name] = categorical(col, table, uniforms)
        elif col.kind == "key":
            data[col.name] = pd.Series(render_key(col.details, start, stop, options))
        elif col.kind == "pii":
            data[col.name] = _strings(fakes[col.name], col.null_rate, other)
        elif col.kind == "text":
            data[col.name] = _strings(render_text(col.details, n, other), col.null_rate, other)
        else:
            data[col.name] = pd.Series(pd.arrays.ArrowStringArray(pa.nulls(n, pa.large_string())))
    return data


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
    return as_python_strings(pd.concat(frames))


def as_python_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Arrow-backed text columns as object columns of ``str`` with None for missing.

    Chunks keep text in Arrow (cheap to write); the in-memory API hands back what ``read_csv``
    gives, so user code that checks ``is None`` or calls ``astype(str)`` sees familiar values.
    """
    out = frame.copy(deep=False)
    for name in out.columns:
        if isinstance(out[name].dtype, pd.StringDtype):
            values = out[name].array.to_numpy(dtype=object, na_value=None)
            out[name] = pd.Series(values, index=out.index, dtype=object)
    return out
