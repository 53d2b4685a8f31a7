"""The model artifact: what ``profile`` learns and ``sample`` draws from.

A :class:`Model` is data, not code. It turns into two files: ``model.json`` (structure and every
parameter, readable by a reviewer) and ``arrays.npz`` (correlation matrices, loaded with
``allow_pickle=False``). The store adds ``manifest.json`` with hashes. Parsing is strict: an unknown
key, a missing key or an unknown kind is an :class:`~learnsynth.errors.ArtifactError`.

What a model holds, per column: its kind, null rate and
- numbers and datetimes: a fitted marginal with *protected* bounds (never the real min/max);
- categoricals and booleans: categories shared by at least k rows (the rest merged into a rare
  token) and their weights;
- PII columns: only the PII kind, locale and a format descriptor;
- keys: the shape of the identifier (e.g. ``99-999999``), never a value;
- free text: nothing but the null rate and a coarse length profile.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from learnsynth.artifact import canonical_json, read_npz_bytes, write_npz_bytes
from learnsynth.errors import ArtifactError
from learnsynth.profile.copula import CopulaBlock
from learnsynth.profile.kinds import KINDS
from learnsynth.profile.marginals import NumericMarginal

__all__ = ["SCHEMA_VERSION", "ColumnModel", "Model", "TableModel"]

SCHEMA_VERSION = 1
NUMERIC_KINDS = ("integer", "continuous", "datetime")
CATEGORY_KINDS = ("categorical", "boolean")


def _strict(d: Mapping[str, Any], required: set[str], optional: set[str], what: str) -> None:
    if not isinstance(d, Mapping):
        raise ArtifactError(f"{what} must be a JSON object, got {type(d).__name__}.")
    keys = set(d)
    missing = required - keys
    unknown = keys - required - optional
    if missing:
        raise ArtifactError(f"{what} lacks required key(s) {sorted(missing)}.")
    if unknown:
        raise ArtifactError(f"{what} has unknown key(s) {sorted(unknown)}; refusing to load it.")


@dataclass(frozen=True)
class ColumnModel:
    """One column of a table model; which fields are set depends on ``kind``."""

    name: str
    kind: str
    null_rate: float
    details: dict[str, Any] = field(default_factory=dict)
    marginal: NumericMarginal | None = None
    categories: tuple[Any, ...] = ()
    weights: tuple[float, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name, "kind": self.kind, "null_rate": self.null_rate,
            "details": self.details,
        }
        if self.marginal is not None:
            out["marginal"] = self.marginal.to_dict()
        if self.kind in CATEGORY_KINDS:
            out["categories"] = list(self.categories)
            out["weights"] = list(self.weights)
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], where: str) -> ColumnModel:
        what = f"Column {d.get('name')!r} of {where}"
        _strict(d, {"name", "kind", "null_rate", "details"},
                {"marginal", "categories", "weights"}, what)
        if d["kind"] not in KINDS:
            raise ArtifactError(f"{what} has unknown kind {d['kind']!r}.")
        marginal = NumericMarginal.from_dict(d["marginal"]) if "marginal" in d else None
        if d["kind"] in NUMERIC_KINDS and marginal is None:
            raise ArtifactError(f"{what} is {d['kind']} but has no marginal.")
        cats = tuple(d.get("categories", ()))
        weights = tuple(float(w) for w in d.get("weights", ()))
        if len(cats) != len(weights):
            raise ArtifactError(f"{what} has {len(cats)} categories but {len(weights)} weights.")
        return cls(str(d["name"]), str(d["kind"]), float(d["null_rate"]), dict(d["details"]),
                   marginal, cats, weights)


@dataclass(frozen=True)
class TableModel:
    """A table: its columns, row count and copula blocks (dimension names ``[column, role]``)."""

    name: str
    n_rows: int
    columns: tuple[ColumnModel, ...]
    blocks: tuple[CopulaBlock, ...]

    def column(self, name: str) -> ColumnModel:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


@dataclass(frozen=True)
class Model:
    """A whole model: tables, relationships between them and the options it was fitted with."""

    tables: tuple[TableModel, ...]
    options: dict[str, Any] = field(default_factory=dict)
    relationships: tuple[dict[str, Any], ...] = ()
    schema_version: int = SCHEMA_VERSION

    def table(self, name: str | None = None) -> TableModel:
        if name is None:
            return self.tables[0]
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(name)

    def to_files(self) -> dict[str, bytes]:
        """``model.json`` and ``arrays.npz``; the same model always gives the same bytes."""
        arrays: dict[str, np.ndarray] = {}
        tables = []
        for ti, t in enumerate(self.tables):
            blocks = []
            for bi, block in enumerate(t.blocks):
                key = f"t{ti}.b{bi}.corr"
                arrays[key] = np.ascontiguousarray(block.corr, dtype=np.float64)
                blocks.append({"dims": [list(d) for d in block.dims], "corr": key})
            tables.append({"name": t.name, "n_rows": t.n_rows, "blocks": blocks,
                           "columns": [c.to_dict() for c in t.columns]})
        doc = {"schema_version": self.schema_version, "options": self.options,
               "relationships": list(self.relationships), "tables": tables}
        return {"model.json": canonical_json(doc), "arrays.npz": write_npz_bytes(arrays)}

    @classmethod
    def from_files(cls, files: Mapping[str, bytes], where: str = "model") -> Model:
        """Parse verified artifact files strictly."""
        import json

        try:
            doc = json.load(io.BytesIO(files["model.json"]))
        except (KeyError, ValueError) as exc:
            raise ArtifactError(f"model.json of {where} is missing or not JSON: {exc}") from exc
        _strict(doc, {"schema_version", "options", "relationships", "tables"}, set(),
                f"model.json of {where}")
        if doc["schema_version"] != SCHEMA_VERSION:
            raise ArtifactError(
                f"model.json of {where} has schema version {doc['schema_version']!r}; this "
                f"learnsynth reads version {SCHEMA_VERSION}. Upgrade learnsynth or profile again."
            )
        arrays = read_npz_bytes(files["arrays.npz"]) if "arrays.npz" in files else {}
        tables = tuple(_table_from_dict(t, arrays, where) for t in doc["tables"])
        return cls(tables, dict(doc["options"]), tuple(doc["relationships"]),
                   int(doc["schema_version"]))


def _table_from_dict(t: Mapping[str, Any], arrays: Mapping[str, np.ndarray],
                     where: str) -> TableModel:
    what = f"table {t.get('name')!r} of {where}"
    _strict(t, {"name", "n_rows", "blocks", "columns"}, set(), what)
    columns = tuple(ColumnModel.from_dict(c, what) for c in t["columns"])
    blocks = []
    for b in t["blocks"]:
        _strict(b, {"dims", "corr"}, set(), f"a copula block of {what}")
        corr = arrays.get(b["corr"])
        dims = tuple(tuple(d) for d in b["dims"])
        if corr is None or corr.shape != (len(dims), len(dims)) or corr.dtype != np.float64:
            raise ArtifactError(f"Copula array {b['corr']!r} of {what} is missing or malformed.")
        blocks.append(CopulaBlock(dims, corr))
    return TableModel(str(t["name"]), int(t["n_rows"]), columns, tuple(blocks))
