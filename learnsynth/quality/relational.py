"""Quality of related tables: referential integrity, children per parent, per-table fidelity.

A multi-table sample is only useful if its keys join: every foreign key must point at a parent
row that exists (:func:`referential_integrity`), each parent must have about as many children as
real parents do (:func:`children_ks`), and each table on its own must be as faithful as a model
of that table alone would make it (:func:`table_quality`). :func:`relational_report` ties the
three together for a set of :class:`~learnsynth.profile.relations.Relationship` records.

Definitions follow SDMetrics where it has one:

- Children per parent is SDMetrics' ``CardinalityShapeSimilarity``: for every parent row, the
  number of child rows whose foreign key equals its key (0 for a parent without children; child
  rows whose key has no parent are not counted), compared with KSComplement (1 − two-sample KS
  statistic) between the real and the synthetic counts.
- Table quality is ``QualityReport``'s overall score (:mod:`learnsynth.quality.fidelity`) with
  the key columns — parent keys and foreign keys — left out, as SDMetrics leaves out columns of
  sdtype ``id``: a regenerated key carries no distribution to compare, and a foreign key's
  distribution is what children per parent measures.

Key values are compared as numbers when both columns are numeric, otherwise as text (an
integral float such as ``7.0`` reads as ``7``), so a key read from CSV as integers still
matches the same key read as text from another file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from learnsynth.errors import InvalidInputError
from learnsynth.profile.relations import Relationship
from learnsynth.quality.fidelity import (
    SDTYPE,
    Scored,
    column_pair_trends,
    column_shapes,
    encode,
    ks_complement,
    mean_score,
)

__all__ = [
    "children_counts",
    "children_ks",
    "infer_kinds",
    "key_columns",
    "referential_integrity",
    "relational_report",
    "table_quality",
]


# ---------------------------------------------------------------- key values


def _column(tables: Mapping[str, pd.DataFrame], table: str, column: str,
            what: str) -> pd.Series:
    """``tables[table][column]``, or one error line naming the missing table or column."""
    if table not in tables:
        raise InvalidInputError(f"The {what} tables have no table {table!r} (a relationship "
                                f"names it); they have: {', '.join(map(str, tables)) or 'none'}.")
    frame = tables[table]
    if column not in frame.columns:
        raise InvalidInputError(f"Table {table!r} of the {what} tables has no column {column!r} "
                                "(a relationship names it).")
    return frame[column]


def _comparable(child: pd.Series, parent: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Both key columns, non-null, in one comparable form (floats or text)."""
    child, parent = child.dropna(), parent.dropna()
    if pd.api.types.is_numeric_dtype(child) and pd.api.types.is_numeric_dtype(parent) \
            and not pd.api.types.is_bool_dtype(child) and not pd.api.types.is_bool_dtype(parent):
        return child.astype(float), parent.astype(float)
    return _as_text(child), _as_text(parent)


def _as_text(values: pd.Series) -> pd.Series:
    if pd.api.types.is_float_dtype(values):
        floats = values.to_numpy(dtype=float)
        if np.all(np.mod(floats, 1) == 0):
            return pd.Series(floats.astype(np.int64), index=values.index).astype(str)
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(str)
    return values.astype(object).map(_text_of)


def _text_of(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------- integrity


def referential_integrity(tables: Mapping[str, pd.DataFrame],
                          relationships: Iterable[Relationship],
                          what: str = "synthetic") -> dict[str, dict[str, Any]]:
    """For each relationship, how many non-null foreign key values have a parent.

    Returns ``{label: {"share", "checked", "orphans", "orphan_values", "nulls"}}``: ``share``
    is the fraction of the ``checked`` non-null child values found in the parent key (None when
    the child has no non-null value, so an all-null key never passes for perfect integrity),
    ``orphans`` the rows whose value has no parent, ``orphan_values`` how many distinct values
    those are, ``nulls`` the rows with no key at all (allowed: a nullable foreign key).
    """
    out: dict[str, dict[str, Any]] = {}
    for rel in relationships:
        child_raw = _column(tables, rel.child, rel.child_key, what)
        child, parent = _comparable(child_raw, _column(tables, rel.parent, rel.parent_key, what))
        found = child.isin(pd.Index(parent.unique()))
        orphans = int((~found).sum())
        out[rel.label] = {
            "share": float(found.mean()) if len(child) else None,
            "checked": int(len(child)),
            "orphans": orphans,
            "orphan_values": int(child[~found].nunique()),
            "nulls": int(len(child_raw) - len(child)),
        }
    return out


# ---------------------------------------------------------------- children per parent


def children_counts(tables: Mapping[str, pd.DataFrame], rel: Relationship,
                    what: str = "synthetic") -> np.ndarray:
    """Child rows per parent row, in parent row order (0 for a parent without children).

    SDMetrics' ``get_cardinality_distribution``: child rows whose key matches no parent and
    rows without a key are not counted anywhere.
    """
    child_raw = _column(tables, rel.child, rel.child_key, what)
    parent_raw = _column(tables, rel.parent, rel.parent_key, what)
    child, parent = _comparable(child_raw, parent_raw)
    per_value = child.value_counts()
    counts = np.zeros(len(parent_raw), dtype=float)
    present = parent_raw.notna().to_numpy()
    counts[present] = per_value.reindex(pd.Index(parent.to_numpy())).fillna(0).to_numpy()
    return counts


def children_ks(real_tables: Mapping[str, pd.DataFrame],
                synth_tables: Mapping[str, pd.DataFrame],
                relationships: Iterable[Relationship]) -> dict[str, dict[str, Any]]:
    """For each relationship, KS complement of the real and synthetic children-per-parent counts.

    Returns ``{label: {"score", "real_parents", "synthetic_parents", "real_mean",
    "synthetic_mean", "real_max", "synthetic_max", "real_childless", "synthetic_childless"}}``;
    ``score`` is None when a side has no parent row.
    """
    out: dict[str, dict[str, Any]] = {}
    for rel in relationships:
        real = children_counts(real_tables, rel, "real")
        synth = children_counts(synth_tables, rel, "synthetic")
        out[rel.label] = {
            "score": ks_complement(real, synth),
            "real_parents": int(real.size), "synthetic_parents": int(synth.size),
            "real_mean": _stat(real, np.mean), "synthetic_mean": _stat(synth, np.mean),
            "real_max": _stat(real, np.max), "synthetic_max": _stat(synth, np.max),
            "real_childless": _share_zero(real), "synthetic_childless": _share_zero(synth),
        }
    return out


def _stat(x: np.ndarray, f: Any) -> float | None:
    return float(f(x)) if x.size else None


def _share_zero(x: np.ndarray) -> float | None:
    return float(np.mean(x == 0)) if x.size else None


# ---------------------------------------------------------------- per-table quality


def infer_kinds(frame: pd.DataFrame, seed: int = 0) -> dict[str, dict[str, Any]]:
    """Column kinds as ``learnsynth report`` infers them without a model (PII detection first).

    Used to score a table alike whichever model produced the synthetic rows: both sides of a
    comparison (relational vs single-table) are scored with the kinds of the same real table.
    """
    from learnsynth.profile.kinds import infer_kind
    from learnsynth.profile.pii import detect_frame

    findings = {f.column: f for f in detect_frame(frame, seed=seed)}
    kinds: dict[str, dict[str, Any]] = {}
    for col in frame.columns:
        f = findings.get(str(col))
        k = infer_kind(str(col), frame[col], pii=bool(f and f.pii),
                       pii_kind=f.kind if f else None)
        kinds[str(col)] = {"kind": k.kind, "details": dict(k.details)}
    return kinds


def table_quality(real: pd.DataFrame, synth: pd.DataFrame, key_columns: Iterable[str], *,
                  kinds: Mapping[str, Mapping[str, Any]] | None = None,
                  seed: int = 0) -> dict[str, Any]:
    """``QualityReport``'s scores of one table with its key columns left out.

    Args:
        real: The real table.
        synth: The synthetic table (the same columns; extra synthetic columns are ignored).
        key_columns: Parent keys and foreign keys of the table (SDMetrics' sdtype ``id``).
        kinds: Column → ``{"kind", "details"}``; inferred from ``real`` when not given
            (:func:`infer_kinds`). Only scored kinds count (not text, PII, keys or empty).
        seed: Seed of the PII detection sample when kinds are inferred.

    Returns ``{"overall", "column_shapes", "column_pair_trends", "columns", "excluded"}``:
    the scores (None when nothing can be scored), the scored columns and the key columns
    left out.
    """
    keys = [k for k in dict.fromkeys(key_columns) if k in real.columns]
    kinds = infer_kinds(real, seed) if kinds is None else kinds
    missing = [c for c in kinds if c not in keys and kinds[c]["kind"] in SDTYPE
               and c not in synth.columns]
    if missing:
        raise InvalidInputError(f"The synthetic table lacks column(s) "
                                f"{', '.join(map(repr, missing[:5]))} of the real table.")
    scored = [Scored(name, str(info["kind"]), dict(info.get("details", {})))
              for name, info in kinds.items() if info["kind"] in SDTYPE and name not in keys]
    encoded = [encode(real, synth, c) for c in scored]
    shapes = mean_score(column_shapes(encoded))
    trends = mean_score(column_pair_trends(encoded), only_meeting=True)
    props = [s for s in (shapes, trends) if s is not None]
    return {"overall": float(np.mean(props)) if props else None, "column_shapes": shapes,
            "column_pair_trends": trends, "columns": [c.name for c in scored],
            "excluded": keys}


def key_columns(relationships: Iterable[Relationship]) -> dict[str, list[str]]:
    """Table → its key columns named by the relationships (parent keys and foreign keys)."""
    out: dict[str, list[str]] = {}
    for rel in relationships:
        for table, column in ((rel.parent, rel.parent_key), (rel.child, rel.child_key)):
            cols = out.setdefault(table, [])
            if column not in cols:
                cols.append(column)
    return out


# ---------------------------------------------------------------- report


def relational_report(real_tables: Mapping[str, pd.DataFrame],
                      synth_tables: Mapping[str, pd.DataFrame],
                      relationships: Sequence[Relationship], *,
                      kinds: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
                      seed: int = 0) -> dict[str, Any]:
    """Integrity, children per parent and per-table quality of a multi-table sample.

    Returns a JSON-ready dict::

        {"relationships": [{**rel.to_dict(), "label", "integrity": {...},
                            "real_integrity": {...}, "children": {...}}, ...],
         "tables": {name: table_quality(...)},
         "summary": {"min_integrity", "min_children_ks", "tables_scored"}}

    ``integrity`` is the synthetic side's :func:`referential_integrity` (the target: 1.0),
    ``real_integrity`` the real side's (its orphans, for context); ``kinds`` optionally gives
    each table's column kinds (else inferred from the real table).
    """
    rels = list(relationships)
    synth_integrity = referential_integrity(synth_tables, rels, "synthetic")
    real_integrity = referential_integrity(real_tables, rels, "real")
    children = children_ks(real_tables, synth_tables, rels)
    keys = key_columns(rels)
    tables: dict[str, Any] = {}
    for name, real in real_tables.items():
        if name not in synth_tables:
            raise InvalidInputError(f"The synthetic tables have no table {name!r}; they have: "
                                    f"{', '.join(map(str, synth_tables)) or 'none'}.")
        tables[name] = table_quality(real, synth_tables[name], keys.get(name, ()),
                                     kinds=(kinds or {}).get(name), seed=seed)
    entries = [{**rel.to_dict(), "label": rel.label, "integrity": synth_integrity[rel.label],
                "real_integrity": real_integrity[rel.label], "children": children[rel.label]}
               for rel in rels]
    shares = [e["integrity"]["share"] for e in entries if e["integrity"]["share"] is not None]
    ks = [e["children"]["score"] for e in entries if e["children"]["score"] is not None]
    return {"relationships": entries, "tables": tables,
            "summary": {"min_integrity": min(shares) if shares else None,
                        "min_children_ks": min(ks) if ks else None,
                        "tables_scored": sum(t["overall"] is not None for t in tables.values())}}
