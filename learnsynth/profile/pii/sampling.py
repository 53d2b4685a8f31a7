"""Draw a column's sample and view it as text, numbers or dates.

Only the sample is ever looked at, so detection costs the same for a thousand rows as for a
billion. Non-null positions are drawn without replacement from the injected generator; values
are converted to stripped text (numbers without a trailing ``.0``, dates as ISO text), blank
strings count as nulls, and very long values are truncated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

__all__ = ["MAX_CHARS", "ColumnSample", "draw_sample", "skip_sample"]

MAX_CHARS = 1000
_PROBE_FACTOR = 4


@dataclass(frozen=True)
class ColumnSample:
    """The sampled non-null values of one column.

    Attributes:
        texts: The values as stripped text, at most :data:`MAX_CHARS` characters each.
        dtype: ``"text"``, ``"integer"``, ``"float"``, ``"bool"``, ``"datetime"`` or ``"empty"``.
        numeric: The values as floats for numeric dtypes (``None`` for other dtypes).
        dates: The values as datetimes for datetime dtypes (``None`` otherwise).
    """

    texts: tuple[str, ...]
    dtype: str
    numeric: np.ndarray | None = None
    dates: pd.Series | None = None

    @property
    def n(self) -> int:
        """Number of sampled non-null values."""
        return len(self.texts)

    @cached_property
    def distinct(self) -> int:
        """Number of distinct sampled values."""
        return len(set(self.texts))

    @cached_property
    def numbers(self) -> np.ndarray:
        """The values as floats (``nan`` where a text value is not a number)."""
        if self.numeric is not None:
            return self.numeric
        parsed = pd.to_numeric(pd.Series(self.texts, dtype=object), errors="coerce")
        out: np.ndarray = np.asarray(parsed, dtype=float)
        return out


def _to_text(value: object) -> str:
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e18:
            return str(int(value))
        return repr(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace").strip()[:MAX_CHARS]
    try:
        text = str(value)
    except Exception:  # an object whose __str__ fails is no evidence of anything
        return ""
    return text.strip()[:MAX_CHARS]


def _present_at(values: pd.Series, positions: np.ndarray) -> np.ndarray:
    """Whether the values at ``positions`` are non-null (plain NumPy columns without a Series)."""
    dtype = values.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iub":
        return np.ones(positions.size, dtype=bool)  # these NumPy dtypes cannot hold a null
    if isinstance(dtype, np.dtype) and dtype.kind in "fcmMO":
        return ~pd.isna(values.to_numpy()[positions])
    return values.iloc[positions].notna().to_numpy(dtype=bool, na_value=False)


def _positions(values: pd.Series, sample_size: int, rng: np.random.Generator,
               isnull: np.ndarray | None = None) -> np.ndarray:
    """Sorted positions of up to ``sample_size`` non-null values, drawn uniformly.

    Long columns are probed at random positions first, so the cost does not grow with the
    column; only a column too sparse for the probe is scanned in full. ``isnull`` (the column's
    null mask, if the caller has it) answers both without looking at a value.
    """
    size = len(values)
    if size > _PROBE_FACTOR * sample_size:
        probe: np.ndarray = rng.choice(size, size=_PROBE_FACTOR * sample_size, replace=False)
        present = probe[~isnull[probe] if isnull is not None else _present_at(values, probe)]
        if present.size >= sample_size:
            return np.sort(present[:sample_size])
    present_rows = ~isnull if isnull is not None else values.notna().to_numpy(dtype=bool,
                                                                              na_value=False)
    everywhere: np.ndarray = np.flatnonzero(present_rows)
    if everywhere.size > sample_size:
        chosen: np.ndarray = rng.choice(everywhere, size=sample_size, replace=False)
        everywhere = np.sort(chosen)
    return everywhere


def _dtype_of(values: pd.Series) -> str:
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return "text"
    if ptypes.is_bool_dtype(dtype):
        return "bool"
    if ptypes.is_datetime64_any_dtype(dtype):
        return "datetime"
    if ptypes.is_integer_dtype(dtype):
        return "integer"
    if ptypes.is_float_dtype(dtype):
        return "float"
    return "text"


def skip_sample(values: pd.Series, sample_size: int, rng: np.random.Generator,
                isnull: np.ndarray | None = None) -> None:
    """Advance ``rng`` exactly as :func:`draw_sample` would, without looking at any value.

    A caller that decides a column without detection (a user's override) calls this instead, so
    everything drawn from the same generator afterwards is unchanged: the model fitted from it
    does not depend on whether detection ran.
    """
    _positions(values, sample_size, rng, isnull)


def draw_sample(values: pd.Series, sample_size: int, rng: np.random.Generator) -> ColumnSample:
    """Draw up to ``sample_size`` non-null values of ``values`` and convert them once."""
    picked = values.iloc[_positions(values, sample_size, rng)]
    dtype = _dtype_of(values)
    if picked.empty:
        return ColumnSample((), "empty")
    if dtype in ("integer", "float"):
        numeric = picked.to_numpy(dtype=float, na_value=np.nan)
        keep = np.isfinite(numeric)
        numeric = numeric[keep]
        texts = tuple(_to_text(int(v) if dtype == "integer" else float(v))
                      for v in picked.to_numpy(dtype=object)[keep])
        return ColumnSample(texts, dtype if texts else "empty", numeric=numeric)
    if dtype == "datetime":
        dates = pd.Series(picked.to_numpy()).reset_index(drop=True)
        texts = tuple(ts.isoformat() for ts in dates)
        return ColumnSample(texts, "datetime", dates=dates)
    if dtype == "bool":
        return ColumnSample(tuple(str(bool(v)) for v in picked), "bool")
    texts = tuple(t for t in (_to_text(v) for v in picked.astype(object)) if t)
    return ColumnSample(texts, "text" if texts else "empty")
