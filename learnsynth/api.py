"""The commands as Python functions: what the CLI calls, and what scripts can call too."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from learnsynth._version import __version__
from learnsynth.config import ProfileOptions, load_config
from learnsynth.data.sinks import resolve_target
from learnsynth.data.sources import Table, read_tables, redact_url
from learnsynth.data.sql import Catalog, TableSchema, keys_of
from learnsynth.errors import InvalidInputError
from learnsynth.profile.pii import READ_ROWS, PiiFinding, detect_frame
from learnsynth.profile.relations import RelationshipPlan, find_relationships
from learnsynth.sample.parallel import Transform, check_options, sample_to_target
from learnsynth.sample.sampler import DEFAULT_CHUNK_ROWS
from learnsynth.store import ModelRef, Store, parse_spec
from learnsynth.synthesizer import Synthesizer

__all__ = ["ProfileResult", "copied_tables", "detect", "profile", "read_sources", "report",
           "sample"]


@dataclass(frozen=True)
class ProfileResult:
    """What ``profile`` produced: the stored version and where its profile document went."""

    ref: ModelRef
    document: Path
    synthesizer: Synthesizer
    relationships: RelationshipPlan = RelationshipPlan()  # what was found, for the user to check


def read_sources(sources: Sequence[str | os.PathLike[str]], *, max_rows: int | None = None,
                 seed: int = 0, progress: bool | None = None) -> dict[str, Table]:
    """Read every source; table names must be unique across them."""
    tables: dict[str, Table] = {}
    for source in sources:
        for name, table in read_tables(source, max_rows=max_rows, seed=seed,
                                       progress=progress).items():
            if name in tables:
                raise InvalidInputError(
                    f"Table name {name!r} comes from both {tables[name].source!r} and "
                    f"{table.source!r}. Rename one of the files."
                )
            tables[name] = table
    return tables


def _catalog(tables: dict[str, Table]) -> Catalog | None:
    """The catalog entries of tables read from a database (None for files)."""
    schemas = {n: t.schema for n, t in tables.items() if isinstance(t.schema, TableSchema)}
    return Catalog("", schemas) if schemas else None


def _profile_document(synth: Synthesizer, ref: ModelRef, tables: dict[str, Table],
                      plan: RelationshipPlan) -> dict[str, Any]:
    return {
        "model": ref.spec, "sha256": ref.sha256, "learnsynth_version": __version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "options": synth.model_.options,
        "tables": [{
            "table": p.table, "rows_fitted": p.n_rows,
            "rows_in_source": tables[p.table].n_rows_total if p.table in tables else None,
            "holdout": synth.holdout_.get(p.table), "columns": list(p.columns),
            "keys": keys_of(tables[p.table]) if p.table in tables else None,
            "reference": p.table in copied_tables(synth.model_),  # copied, not fitted
        } for p in synth.profiles_],
        "relationships": plan.to_list(),  # catalog, config and detected, with orphan counts
        "relationship_notes": list(plan.notes + plan.warnings),
    }


def profile(sources: Sequence[str | os.PathLike[str]], name: str, *, store: str | None = None,
            config: str | None = None, seed: int = 0, profiles_dir: str | os.PathLike[str]
            = "profiles", html: bool = False, progress: bool | None = None) -> ProfileResult:
    """Read, fit, store a new version, and write ``profiles/NAME-vN.json``."""
    target = Store(store)
    if parse_spec(name)[1] is not None:
        raise InvalidInputError(f"--name {name!r} must be a plain name; versions are assigned.")
    options = load_config(config, ProfileOptions(seed=seed))
    if html:  # a missing optional extra is found before any work is done or stored
        from learnsynth.profile.html import require

        require()
    tables = read_sources(sources, max_rows=options.max_rows, seed=seed, progress=progress)
    plan = find_relationships(tables, catalog=_catalog(tables), declared=options.relationships,
                              detect=options.detect_relationships)
    synth = Synthesizer(options).fit(tables, relationships=plan.relationships, progress=progress)
    ref = synth.save(name, target)
    out_dir = Path(profiles_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    document = out_dir / f"{ref.name}-v{ref.version}.json"
    text = json.dumps(_profile_document(synth, ref, tables, plan), indent=2, ensure_ascii=False)
    document.write_text(text + "\n", encoding="utf-8")
    if html:
        from learnsynth.profile.html import write_html_profile

        write_html_profile(tables, synth, document.with_suffix(".html"))
    return ProfileResult(ref, document, synth, plan)


def detect(source: str | os.PathLike[str], *, seed: int = 0) -> dict[str, list[PiiFinding]]:
    """PII findings for every column of every table in ``source`` (a row subsample of each)."""
    tables = read_tables(source, max_rows=READ_ROWS, seed=seed)
    return {name: detect_frame(t.frame, seed=seed) for name, t in tables.items()}


def sample(spec: str, rows: int | None, out: str | os.PathLike[str], *,
           scale: float | None = None, store: str | None = None,
           seed: int = 0, fmt: str | None = None, chunk_rows: int = DEFAULT_CHUNK_ROWS,
           overwrite: bool = False, table: str | None = None, jobs: int = 1,
           backend: str = "loky", scheduler: str | None = None,
           transform: Transform | None = None,
           progress: bool | None = None, no_report: bool = False,
           reports_dir: str = "reports",
           variability: str | os.PathLike[str] | None = None
           ) -> tuple[ModelRef, int | dict[str, int]]:
    """Sample ``rows`` rows of a stored model into ``out`` (a file or a folder of parts).

    Chunks run on ``jobs`` loky processes, or on Dask (``backend="dask"``, a local cluster or the
    one at ``scheduler``); the output is the same bytes either way. See
    :mod:`learnsynth.sample.parallel` for the optional per-chunk ``transform``.

    ``rows`` None: ``scale`` times the fitted rows, or the fitted rows. A model of several tables
    (or with relationships) is sampled by :func:`learnsynth.sample.relational.sample_model`:
    ``rows`` sizes its root tables, and the rows written come back per table (a dict), unless
    ``table`` picks one.
    """
    from learnsynth.sample import relational

    relational.check_size(rows, scale)
    if chunk_rows <= 0:
        raise InvalidInputError(f"--chunk-rows must be a positive integer, got {chunk_rows!r}.")
    check_options(jobs, backend, scheduler)
    synth = Synthesizer.load(spec, store)
    model = synth.model_
    try:
        tm = model.table(table)
    except KeyError as exc:
        raise InvalidInputError(f"--table {table!r} is not in model {synth.ref_.spec!r}.") from exc
    related = bool(model.relationships) or (len(model.tables) > 1 and table is None)
    dirt = injected = None
    if related:
        if variability is not None or transform is not None:
            raise InvalidInputError("--variability works on a model of one table; sample the "
                                    "related tables, then dirty a copy of one of them.")
        by_table = relational.sample_model(
            model, out, seed=seed, rows=rows, scale=scale, fmt=fmt, chunk_rows=chunk_rows,
            overwrite=overwrite, table=table, jobs=jobs, backend=backend, scheduler=scheduler,
            progress=progress)
        if table is None:  # one report per table, against the model (see docs/relational.md)
            if not no_report:
                _related_reports(synth, by_table, out, seed=seed, rows=rows, scale=scale,
                                 store=store, fmt=fmt, chunk_rows=chunk_rows, jobs=jobs,
                                 backend=backend, scheduler=scheduler, overwrite=overwrite,
                                 reports_dir=reports_dir)
            return synth.ref_, by_table
        tm = tm.visible()
        written = by_table[tm.name]
        no_report = no_report or written == 0 or tm.reference is not None  # a copy: no score
    else:
        rows = rows if rows is not None else int(round((scale or 1.0) * tm.n_rows))
        if rows <= 0:
            raise InvalidInputError(f"--scale {scale!r} leaves none of the {tm.n_rows} fitted "
                                    "rows; use a larger --scale or --rows.")
        out = relational.database_out(out, tm.name)  # a database URL: ?table= the model's
        target = resolve_target(out, fmt, overwrite=overwrite)
        if variability is not None:  # checked against the model before any row is drawn
            from learnsynth.sample.variability import prepare

            if transform is not None:
                raise InvalidInputError("--variability cannot be combined with another "
                                        "transform.")
            if "://" in os.fspath(out):  # the ground-truth log has no place beside a table
                raise InvalidInputError(
                    f"--variability needs a file or folder --out for its ground-truth log, not "
                    f"the database {redact_url(os.fspath(out))!r}; write files, then load them.")
            dirt = prepare(variability, tm, out=out, fmt=fmt, seed=seed, n_rows=rows,
                           chunk_rows=chunk_rows, overwrite=overwrite)
            transform = dirt.transform
        stream = dirt.stream() if dirt is not None else contextlib.nullcontext()
        with stream as log:  # the variability log is written as chunks arrive, not kept
            result = sample_to_target(
                tm, rows, target, seed=seed, chunk_rows=chunk_rows, jobs=jobs, backend=backend,
                scheduler=scheduler, transform=transform if log is None else log.transform,
                progress=progress, on_extra=None if log is None else log.add)
            written = result.rows
            if log is not None:  # publish the log; <stem>.variability.json (configured vs injected)
                injected = log.finish()
    if not no_report:  # against what the model knows: real data is not at hand here
        from learnsynth.quality.html import write_html_beside
        from learnsynth.quality.run import sample_argv, sample_report

        argv = sample_argv(synth.ref_.spec, rows or 0, out, seed=seed, store=store, table=table,
                           fmt=fmt, chunk_rows=chunk_rows, jobs=jobs, backend=backend,
                           scheduler=scheduler, overwrite=overwrite, variability=variability)
        if rows is None:  # one table of a related model at its fitted or --scale size
            at = argv.index("--rows")
            argv[at:at + 2] = ["--scale", str(scale)] if scale is not None else []
        write_html_beside(sample_report(
            synth, tm, out, rows=written if rows is None else rows, seed=seed, argv=argv,
            reports_dir=reports_dir,
            variability=injected, chunk_rows=chunk_rows,
            variability_summary=None if dirt is None else dirt.summary_path))
    return synth.ref_, written


def _related_reports(synth: Synthesizer, by_table: dict[str, int], out: str | os.PathLike[str], *,
                     seed: int, rows: int | None, scale: float | None, store: str | None,
                     fmt: str | None, chunk_rows: int, jobs: int, backend: str,
                     scheduler: str | None, overwrite: bool, reports_dir: str) -> list[Path]:
    """``reports/<out>-<table>-sample-report.json`` (and HTML) for every table written.

    The output is read back once; each table is scored against its own model, and each
    report's lineage holds the command that reproduces the whole set of tables.
    """
    from learnsynth.quality.html import write_html_beside
    from learnsynth.quality.run import sample_argv, sample_report

    argv = sample_argv(synth.ref_.spec, rows or 0, out, seed=seed, store=store, fmt=fmt,
                       chunk_rows=chunk_rows, jobs=jobs, backend=backend, scheduler=scheduler,
                       overwrite=overwrite)
    if rows is None:  # sized by --scale, or the fitted sizes
        at = argv.index("--rows")
        argv[at:at + 2] = ["--scale", str(scale)] if scale is not None else []
    written = read_tables(out)
    paths = []
    for name, n in by_table.items():
        if n == 0 or name not in written or name in copied_tables(synth.model_):
            continue  # a reference table is the source's own rows: nothing to score
        tm = synth.model_.table(name)  # without its hidden children counts
        path = sample_report(synth, tm, out, rows=n, seed=seed, argv=argv,
                             reports_dir=reports_dir, chunk_rows=chunk_rows, tables=written)
        write_html_beside(path)
        paths.append(path)
    return paths


def copied_tables(model: Any) -> list[str]:
    """The model's reference tables: copied as they are, neither scored nor reported on."""
    return [t.name for t in model.tables if t.reference is not None]


def report(real: str, synthetic: str, *, model: str | None = None, store: str | None = None,
           table: str | None = None, out: str | os.PathLike[str] | None = None,
           seed: int = 0) -> tuple[dict[str, Any], Path]:
    """Compare REAL with SYNTH and write the quality and privacy report (see docs/report.md).

    The JSON goes to ``out`` and the HTML page beside it (same name, ``.html``); an ``out`` that
    ends in ``.html`` names the page, and the JSON goes beside it as ``.json``. Returns the report
    and the JSON's path.
    """
    from learnsynth.quality.html import html_path, write_html
    from learnsynth.quality.run import report_files

    if out is not None and Path(out).suffix.lower() == ".html":
        out = Path(out).with_suffix(".json")
    rep, path = report_files(real, synthetic, model=model, store=store, table=table, out=out,
                             seed=seed)
    write_html(rep, html_path(path))
    return dict(rep), path
