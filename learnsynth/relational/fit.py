"""Fit related tables: key columns, children counts, and each child's primary relationship.

For every relationship ``child.child_key → parent.parent_key``:

- the parent key becomes a ``key`` column (regenerated, unique, in its shape: :mod:`.keys`);
- the child key becomes a ``key`` column that *references* the parent key, with its null rate;
  it takes the parent key's shape, so generated foreign keys look like generated parent keys;
- the parent table gains a hidden integer column (:func:`learnsynth.model.children_column`):
  each parent row's number of child rows (0 included; child rows with a null or orphan key are
  not counted). It is fitted like any integer column, so it joins the parent's copula and the
  number of children depends on the parent's own columns (business customers ordering more).

Holdout: each table keeps its own seeded holdout (:func:`holdout_mask`), so reports find the
held-out rows of every table the usual way. A parent's counts are taken over its *training*
rows, counting *all* child rows that point at them, the child's held-out rows included: a count
is an attribute of the parent row (which is fitted), a held-out child row contributes only the
fact that it exists, never a value, and the sampled child table then keeps the child's fitted
size (the training parents have about ``1 - holdout`` of the children).

Each child has one *primary* relationship (fewest orphan and null keys, then the parent with
most rows, then the label): its rows are generated grouped by that parent, as many as the
parents' sampled counts say. It is marked ``details["primary"]`` on the child key column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from learnsynth.config import ColumnOverride, ProfileOptions
from learnsynth.errors import InvalidInputError
from learnsynth.model import ColumnModel, TableModel, children_column
from learnsynth.profile.profiler import TableProfile
from learnsynth.profile.relations import Relationship, parent_first
from learnsynth.relational.keys import key_details, key_text
from learnsynth.relational.linked import find_link

__all__ = ["LinkStats", "check_relationships", "children_counts", "finish_table",
           "fit_frame", "key_shapes", "link_children", "primary_relationships", "table_order"]


@dataclass(frozen=True)
class LinkStats:
    """What fitting learned about one relationship (over the whole child table)."""

    rel: Relationship
    counts: np.ndarray  # children per training row of the parent
    n_child: int
    nulls: int
    orphans: int


def check_relationships(frames: Mapping[str, pd.DataFrame],
                        rels: Sequence[Relationship]) -> None:
    """Names exist, keys are single-use, hidden names are free and any cycle is ``fill_after``."""
    seen: set[tuple[str, str]] = set()
    for rel in rels:
        if not isinstance(rel, Relationship):
            raise InvalidInputError(f"relationships must be Relationship records, got {rel!r}.")
        for table, column in ((rel.parent, rel.parent_key), (rel.child, rel.child_key)):
            if table not in frames:
                raise InvalidInputError(f"Relationship {rel.label}: table {table!r} is not among "
                                        f"the tables fitted ({', '.join(sorted(frames))}).")
            if column not in frames[table].columns:
                raise InvalidInputError(f"Relationship {rel.label}: column {column!r} is not in "
                                        f"table {table!r}.")
        if (rel.child, rel.child_key) in seen:
            raise InvalidInputError(f"Column {rel.child}.{rel.child_key} references two parents; "
                                    "keep one relationship for it (enabled: false on the other).")
        seen.add((rel.child, rel.child_key))
    parent_keys = {(r.parent, r.parent_key) for r in rels}
    for rel in rels:
        if (rel.child, rel.child_key) in parent_keys:
            raise InvalidInputError(
                f"Column {rel.child}.{rel.child_key} is both a foreign key ({rel.label}) and a "
                "key other tables reference; learnsynth models one role per column. Disable one "
                "of those relationships in the config (enabled: false).")
        if children_column(rel) in frames[rel.parent].columns:
            raise InvalidInputError(f"Table {rel.parent!r} has a column named like learnsynth's "
                                    f"hidden count column {children_column(rel)!r}; rename it.")
    table_order(list(frames), rels)


def table_order(names: Sequence[str], rels: Sequence[Relationship]) -> list[str]:
    """Parent-before-child order (ties by name), ignoring ``fill_after`` relationships.

    Raises:
        InvalidInputError: a cycle or self-reference that no ``fill_after`` breaks.
    """
    edges: dict[str, set[str]] = {}
    for rel in rels:
        if not rel.fill_after:
            edges.setdefault(rel.child, set()).add(rel.parent)
    order, cycles = parent_first(names, edges)
    stuck = sorted({n for cycle in cycles for n in cycle}
                   | {n for n, parents in edges.items() if n in parents})
    if stuck:
        raise InvalidInputError(
            f"Tables {', '.join(map(repr, stuck))} reference each other in a cycle (or a "
            "table references itself); mark one of those relationships 'fill_after: true' "
            "so its key is filled once every table exists.")
    return order


def _unique_keys(values: pd.Series) -> pd.Index:
    text = key_text(values.reset_index(drop=True))
    if text.isna().any() or not text.is_unique:
        raise InvalidInputError(f"The parent key {values.name!r} has null or repeated values; "
                                "a parent key must be unique and never null.")
    return pd.Index(text.astype(object))


def children_counts(train_keys: pd.Series, all_keys: pd.Series,
                    child_keys: pd.Series) -> tuple[np.ndarray, int, int]:
    """Children per training parent row; child rows whose key is null; child rows whose key is
    in no parent row at all (orphans). Children of held-out parents are in neither count."""
    child = key_text(child_keys.reset_index(drop=True))
    nulls = int(child.isna().sum())
    present = child.dropna().astype(object)
    orphans = int((_unique_keys(all_keys).get_indexer(present) < 0).sum())
    found = _unique_keys(train_keys).get_indexer(present)
    counts = np.bincount(found[found >= 0], minlength=len(train_keys)).astype(np.int64)
    return counts, nulls, orphans


def primary_relationships(stats: Sequence[LinkStats],
                          n_rows: Mapping[str, int]) -> dict[str, Relationship]:
    """Each child's primary relationship: fewest orphans + nulls, most parent rows, label."""
    best: dict[str, tuple[Any, Relationship]] = {}
    for s in stats:
        if s.rel.fill_after:
            continue
        rank = (s.orphans + s.nulls, -n_rows[s.rel.parent], s.rel.label)
        if s.rel.child not in best or rank < best[s.rel.child][0]:
            best[s.rel.child] = (rank, s.rel)
    return {child: rel for child, (_, rel) in best.items()}


def fit_frame(name: str, train: pd.DataFrame, rels: Sequence[Relationship],
              stats: Mapping[Relationship, LinkStats],
              options: ProfileOptions) -> tuple[pd.DataFrame, ProfileOptions]:
    """The frame the profiler fits for table ``name``: key columns out, hidden counts in.

    The hidden columns are forced to integer and non-PII through per-column overrides of a copy
    of the options (the model records the user's options, not these).
    """
    keys = {r.parent_key for r in rels if r.parent == name} | {
        r.child_key for r in rels if r.child == name}
    if not keys:
        return train, options
    frame = train.drop(columns=[c for c in train.columns if c in keys])
    overrides = dict(options.columns)
    for rel in rels:
        if rel.parent == name:
            hidden = children_column(rel)
            frame[hidden] = stats[rel].counts
            overrides[f"{name}.{hidden}"] = ColumnOverride(kind="integer", pii=False)
    return frame, replace(options, columns=overrides)


def finish_table(model: TableModel, profile: TableProfile, train: pd.DataFrame,
                 shapes: Mapping[tuple[str, str], dict[str, Any]], rels: Sequence[Relationship],
                 stats: Mapping[Relationship, LinkStats], primary: Mapping[str, Relationship],
                 k: int = 5) -> tuple[TableModel, TableProfile]:
    """Key columns back at their places, hidden columns tagged, the profile without them."""
    name = model.name
    fitted = {c.name: c for c in model.columns}
    documents = {d["column"]: d for d in profile.columns}
    columns: list[ColumnModel] = []
    docs: list[dict[str, Any]] = []
    as_child = {r.child_key: r for r in rels if r.child == name}
    as_parent = {r.parent_key for r in rels if r.parent == name}
    for column in map(str, train.columns):
        if column in as_child or column in as_parent:
            col = _key_column(column, name, train, as_child.get(column), shapes, stats,
                              primary, k)
            columns.append(col)
            doc = {"column": column, "kind": "key", "null_rate": round(col.null_rate, 6)}
            if column in as_child:
                doc.update(references=col.details["references"],
                           primary=col.details["primary"])
            docs.append(doc)
        elif column in fitted:
            columns.append(fitted[column])
        if column in documents and column not in as_child and column not in as_parent:
            docs.append(documents[column])
    for rel in rels:
        if rel.parent == name:
            hidden = fitted[children_column(rel)]
            columns.append(replace(hidden, details={
                **hidden.details, "role": "children",
                "relationship": f"{rel.child}.{rel.child_key}"}))
    return (replace(model, columns=tuple(columns)),
            TableProfile(profile.table, profile.n_rows, tuple(docs)))


def key_shapes(frames: Mapping[str, pd.DataFrame],
               rels: Sequence[Relationship]) -> dict[tuple[str, str], dict[str, Any]]:
    """Every parent key's shape (:func:`key_details`), from all of its rows."""
    return {(r.parent, r.parent_key): key_details(r.parent_key, frames[r.parent][r.parent_key])
            for r in rels}


def _spread(counts: np.ndarray, k: int) -> dict[str, float]:
    """Children per parent row on average, and the share of parent rows with any child, as
    if at least k and at most all but k parent rows had children (never fewer than k rows).

    Sampling falls back on these when the count column's marginal has nothing to say: when all
    children belong to fewer than k parents (3 airports hold every flight's origin), the
    protected marginal is 0 everywhere.
    """
    n = counts.size
    if n == 0:
        return {"children_mean": 0.0, "parents_with_children": 0.0}
    having = int(np.count_nonzero(counts))
    if n >= 2 * k:
        having = min(max(having, k), n - k)
    return {"children_mean": round(float(counts.sum()) / n, 6),
            "parents_with_children": round(having / n, 6)}


def _key_column(column: str, table: str, train: pd.DataFrame, ref: Relationship | None,
                shapes: Mapping[tuple[str, str], dict[str, Any]],
                stats: Mapping[Relationship, LinkStats],
                primary: Mapping[str, Relationship], k: int) -> ColumnModel:
    if ref is None:  # a parent key: unique, never null
        return ColumnModel(column, "key", 0.0, dict(shapes[(table, column)]))
    s = stats[ref]
    details = {**shapes[(ref.parent, ref.parent_key)],
               "references": {"table": ref.parent, "column": ref.parent_key},
               "primary": primary.get(ref.child) == ref,
               "orphan_rate": round(s.orphans / s.n_child, 6) if s.n_child else 0.0,
               **_spread(s.counts, k)}
    null_rate = float(train[column].isna().mean()) if len(train) else 0.0
    return ColumnModel(column, "key", null_rate, details)


def link_children(models: Sequence[TableModel], train: Mapping[str, pd.DataFrame],
                  primary: Mapping[str, Relationship], k: int) -> list[TableModel]:
    """Each child's primary key column gains ``details["linked"]`` where one of the parent's
    columns and one of the child's numbers go together (:mod:`learnsynth.relational.linked`)."""
    by_name = {m.name: m for m in models}
    for child, rel in sorted(primary.items()):
        parent_keys = _unique_keys(train[rel.parent][rel.parent_key])
        child_keys = key_text(train[child][rel.child_key].reset_index(drop=True))
        parent_of = parent_keys.get_indexer(child_keys.astype(object).where(child_keys.notna(),
                                                                            None))
        link = find_link(by_name[rel.parent], train[rel.parent], by_name[child], train[child],
                         np.asarray(parent_of, dtype=np.int64), k)
        if link is None:
            continue
        table = by_name[child]
        columns = tuple(replace(c, details={**c.details, "linked": link})
                        if c.name == rel.child_key else c for c in table.columns)
        by_name[child] = replace(table, columns=columns)
    return [by_name[m.name] for m in models]
