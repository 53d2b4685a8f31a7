"""The Python API: ``Synthesizer(...).fit(tables).sample(n)``, and saving to the store.

>>> synth = Synthesizer(k=5, holdout=0.2).fit(frame)          # doctest: +SKIP
>>> synthetic = synth.sample(10_000, seed=1)                  # doctest: +SKIP
>>> ref = synth.save("customers", store="models")             # doctest: +SKIP
>>> Synthesizer.load("customers@v1", store="models").sample(5) # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from learnsynth.config import ProfileOptions
from learnsynth.errors import InvalidInputError, NotFittedError
from learnsynth.model import Model, TableModel
from learnsynth.profile.copula import one_blas_thread
from learnsynth.profile.profiler import TableProfile, fit_table, holdout_mask
from learnsynth.profile.relations import Relationship
from learnsynth.progress import Progress
from learnsynth.relational import fit as relfit
from learnsynth.relational import reference
from learnsynth.sample.sampler import DEFAULT_CHUNK_ROWS, sample_table
from learnsynth.store import ModelRef, Store

__all__ = ["Synthesizer"]


def _frame_fingerprint(frame: pd.DataFrame) -> str:
    """sha256 of the values, dtypes and names of every column, in order (a hash, never the data).

    Each column is hashed in its own type (pandas' vectorised row hashes; text is factorised and
    only its distinct values hashed), with no cast of the whole frame to text, which cost about
    15 % of a fit. Columns whose values pandas cannot hash natively (lists, say) are hashed as
    text. A value's dtype is part of it: ``1`` and ``1.0`` fingerprint differently.
    """
    digest = hashlib.sha256()
    for pos in range(frame.shape[1]):
        column = frame.iloc[:, pos]
        try:
            hashed = pd.util.hash_pandas_object(column, index=False)
        except TypeError:
            hashed = pd.util.hash_pandas_object(column.astype(str), index=False)
        digest.update(f"{column.name}\x1f{column.dtype}\x1e".encode())
        digest.update(hashed.to_numpy().tobytes())
    return digest.hexdigest()


def _link_stats(rel: Relationship, train: Mapping[str, pd.DataFrame],
                frames: Mapping[str, pd.DataFrame]) -> relfit.LinkStats:
    """Children of each training parent row, counted over every child row (see
    :mod:`learnsynth.relational.fit` for why held-out child rows count)."""
    child = frames[rel.child][rel.child_key]
    counts, nulls, orphans = relfit.children_counts(
        train[rel.parent][rel.parent_key], frames[rel.parent][rel.parent_key], child)
    return relfit.LinkStats(rel, counts, len(child), nulls, orphans)


class Synthesizer:
    """Learns a model from tables and samples synthetic rows from it.

    Args:
        options: Profile options; keyword arguments (``k``, ``holdout``, ``seed``, ...) override
            single fields of it.

    Attributes (after ``fit``, or ``load``):
        model_: the fitted :class:`~learnsynth.model.Model`.
        profiles_: one :class:`TableProfile` per table (what was found per column).
        holdout_: per table, how many rows were held out and how to find them again.
        fingerprint_: sha256 of the source data (a hash, never the data).
        ref_: the stored version (after ``load``).
    """

    model_: Model
    ref_: ModelRef

    def __init__(self, options: ProfileOptions | None = None, **overrides: Any) -> None:
        self.options = options
        self.overrides = overrides

    def _options(self) -> ProfileOptions:
        base = self.options or ProfileOptions()
        unknown = set(self.overrides) - set(vars(base))
        if unknown:
            raise InvalidInputError(f"Unknown Synthesizer option(s) {sorted(unknown)}.")
        return replace(base, **self.overrides)

    def fit(self, data: pd.DataFrame | Mapping[str, Any], *,
            relationships: Sequence[Relationship] = (),
            fingerprints: Mapping[str, str] | None = None,
            progress: bool | None = None) -> Synthesizer:
        """Fit on one DataFrame or a mapping of table name to DataFrame (or ``data.Table``).

        ``relationships`` link the tables (see :mod:`learnsynth.relational.fit`): key columns
        are regenerated, each parent learns how many children its rows have, and sampling keeps
        every foreign key pointing at a generated parent.
        """
        options = self._options()
        tables = {"table": data} if isinstance(data, pd.DataFrame) else dict(data)
        if not tables:
            raise InvalidInputError("No tables to fit: the input holds no table.")
        frames = {str(n): getattr(v, "frame", v) for n, v in tables.items()}
        rels = tuple(relationships)
        relfit.check_relationships(frames, rels)
        refs = reference.check_reference_tables(
            options, frames, rels, {str(n): getattr(v, "n_rows_total", None)
                                    for n, v in tables.items()})
        modelled = tuple(r for r in rels if r.parent not in refs)  # keys regenerated
        rng = np.random.default_rng(np.random.SeedSequence(options.seed))
        holdout, prints, train = {}, {}, {}
        for name, value in tables.items():
            frame = frames[str(name)]
            prints[name] = (fingerprints or {}).get(name) or getattr(
                value, "fingerprint", None) or _frame_fingerprint(frame)
            # a reference table is copied whole: nothing of it is held out
            fraction = 0.0 if name in refs else options.holdout
            mask = holdout_mask(len(frame), fraction, options.seed)
            holdout[name] = {"fraction": fraction, "rows_held_out": int(mask.sum()),
                             "rows_fitted": int((~mask).sum()), "seed": options.seed,
                             "method": "learnsynth.profile.profiler.holdout_mask"}
            train[str(name)] = frame.loc[~mask].reset_index(drop=True)
        stats = {rel: _link_stats(rel, train, frames) for rel in modelled}
        primary = relfit.primary_relationships(list(stats.values()),
                                               {n: len(f) for n, f in train.items()})
        shapes = relfit.key_shapes(frames, modelled)
        copied = {n: frames[n] for n in refs}
        models, profiles = [], []
        with Progress(len(tables), "profile", enabled=progress, unit="tables") as bar, \
                one_blas_thread():  # same bytes on any machine; small products don't gain
            for name in map(str, tables):
                if name in refs:  # copied as it is, not fitted
                    model = TableModel(name, len(frames[name]), (), (),
                                       reference.reference_of(name, frames[name]))
                    models.append(model)
                    profiles.append(reference.reference_profile(model))
                    bar.update()
                    continue
                fit_on, fit_options = reference.lookup_frame(name, train[name], rels, copied,
                                                             options)
                fit_on, fit_options = relfit.fit_frame(name, fit_on, modelled, stats,
                                                       fit_options)
                model, profile = fit_table(name, fit_on, fit_options, rng)
                if modelled:
                    model, profile = relfit.finish_table(model, profile, train[name], shapes,
                                                         modelled, stats, primary, options.k)
                models.append(reference.tag_lookups(model, rels, refs))
                profiles.append(profile)
                bar.update()
        if modelled:
            models = relfit.link_children(models, train, primary, options.k)
        self.model_ = Model(tuple(models), options.to_dict(), rels)
        self.profiles_: list[TableProfile] = profiles
        self.holdout_ = holdout
        joined = "\n".join(f"{k} {v}" for k, v in sorted(prints.items()))
        self.fingerprint_ = hashlib.sha256(joined.encode()).hexdigest()
        return self

    def _model(self) -> Model:
        model = getattr(self, "model_", None)
        if model is None:
            raise NotFittedError("This Synthesizer is not fitted yet. Call fit() or load() first.")
        return model

    def sample(self, n_rows: int | None = None, *, seed: int = 0, table: str | None = None,
               chunk_rows: int = DEFAULT_CHUNK_ROWS) -> pd.DataFrame:
        """Draw ``n_rows`` synthetic rows (default: as many as the model was fitted on).

        For a table of related tables, ``n_rows`` sizes the root table(s) and the table's rows
        are those :meth:`sample_tables` gives it (its foreign keys point at generated parents).
        """
        model = self._model()
        try:
            tm = model.table(table)
        except KeyError as exc:
            names = ", ".join(t.name for t in model.tables)
            raise InvalidInputError(f"No table {table!r} in the model; it has: {names}.") from exc
        if model.relationships:
            return self.sample_tables(n_rows, seed=seed, table=tm.name,
                                      chunk_rows=chunk_rows)[tm.name]
        rows = tm.n_rows if n_rows is None else n_rows
        if isinstance(rows, bool) or not isinstance(rows, int | np.integer) or rows < 0:
            raise InvalidInputError(f"n_rows must be a non-negative integer, got {rows!r}.")
        return sample_table(tm, int(rows), seed, chunk_rows).reset_index(drop=True)

    def sample_tables(self, n_rows: int | None = None, *, scale: float | None = None,
                      seed: int = 0, table: str | None = None,
                      chunk_rows: int = DEFAULT_CHUNK_ROWS) -> dict[str, pd.DataFrame]:
        """Every table (or just ``table``), parents first, every foreign key joining.

        ``n_rows`` sizes the root table(s); ``scale`` multiplies every table's fitted size;
        with neither, the fitted sizes. See :mod:`learnsynth.sample.relational`.
        """
        from learnsynth.sample.relational import python_frames, sample_frames

        model = self._model()
        if table is not None and table not in {t.name for t in model.tables}:
            names = ", ".join(t.name for t in model.tables)
            raise InvalidInputError(f"No table {table!r} in the model; it has: {names}.")
        frames = sample_frames(model, seed=seed, rows=n_rows, scale=scale, only=table,
                               chunk_rows=chunk_rows)
        return python_frames(frames)

    def save(self, name: str, store: str | Store | None = None) -> ModelRef:
        """Publish the model as a new immutable version in ``store``."""
        model = self._model()
        target = store if isinstance(store, Store) else Store(store)
        extra = {"holdout": getattr(self, "holdout_", {})}
        return target.publish(name, model.to_files(),
                              source_fingerprint=getattr(self, "fingerprint_", ""), extra=extra)

    @classmethod
    def load(cls, spec: str, store: str | Store | None = None) -> Synthesizer:
        """Load and verify ``NAME`` or ``NAME@vN`` from ``store``."""
        source = store if isinstance(store, Store) else Store(store)
        stored = source.load(spec)
        synth = cls()
        synth.model_ = Model.from_files(stored.files, where=stored.ref.spec)
        synth.fingerprint_ = str(stored.manifest.get("source_fingerprint", ""))
        synth.holdout_ = dict((stored.manifest.get("extra") or {}).get("holdout", {}))
        synth.ref_ = stored.ref
        return synth
