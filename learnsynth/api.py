"""The commands as Python functions: what the CLI calls, and what scripts can call too."""

from __future__ import annotations

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
from learnsynth.data.sql import keys_of, relationships
from learnsynth.errors import InvalidInputError
from learnsynth.profile.pii import READ_ROWS, PiiFinding, detect_frame
from learnsynth.sample.parallel import Transform, check_options, sample_to_target
from learnsynth.sample.sampler import DEFAULT_CHUNK_ROWS
from learnsynth.store import ModelRef, Store, parse_spec
from learnsynth.synthesizer import Synthesizer

__all__ = ["ProfileResult", "detect", "profile", "read_sources", "report", "sample"]


@dataclass(frozen=True)
class ProfileResult:
    """What ``profile`` produced: the stored version and where its profile document went."""

    ref: ModelRef
    document: Path
    synthesizer: Synthesizer


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


def _profile_document(synth: Synthesizer, ref: ModelRef, tables: dict[str, Table]) -> dict[str,
                                                                                          Any]:
    return {
        "model": ref.spec, "sha256": ref.sha256, "learnsynth_version": __version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "options": synth.model_.options,
        "tables": [{
            "table": p.table, "rows_fitted": p.n_rows,
            "rows_in_source": tables[p.table].n_rows_total if p.table in tables else None,
            "holdout": synth.holdout_.get(p.table), "columns": list(p.columns),
            "keys": keys_of(tables[p.table]) if p.table in tables else None,
        } for p in synth.profiles_],
        "relationships": relationships(tables),  # foreign keys from a database's catalog
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
    synth = Synthesizer(options).fit(tables, progress=progress)
    ref = synth.save(name, target)
    out_dir = Path(profiles_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    document = out_dir / f"{ref.name}-v{ref.version}.json"
    text = json.dumps(_profile_document(synth, ref, tables), indent=2, ensure_ascii=False)
    document.write_text(text + "\n", encoding="utf-8")
    if html:
        from learnsynth.profile.html import write_html_profile

        write_html_profile(tables, synth, document.with_suffix(".html"))
    return ProfileResult(ref, document, synth)


def detect(source: str | os.PathLike[str], *, seed: int = 0) -> dict[str, list[PiiFinding]]:
    """PII findings for every column of every table in ``source`` (a row subsample of each)."""
    tables = read_tables(source, max_rows=READ_ROWS, seed=seed)
    return {name: detect_frame(t.frame, seed=seed) for name, t in tables.items()}


def sample(spec: str, rows: int, out: str | os.PathLike[str], *, store: str | None = None,
           seed: int = 0, fmt: str | None = None, chunk_rows: int = DEFAULT_CHUNK_ROWS,
           overwrite: bool = False, table: str | None = None, jobs: int = 1,
           backend: str = "loky", scheduler: str | None = None,
           transform: Transform | None = None,
           progress: bool | None = None, no_report: bool = False,
           reports_dir: str = "reports",
           variability: str | os.PathLike[str] | None = None) -> tuple[ModelRef, int]:
    """Sample ``rows`` rows of a stored model into ``out`` (a file or a folder of parts).

    Chunks run on ``jobs`` loky processes, or on Dask (``backend="dask"``, a local cluster or the
    one at ``scheduler``); the output is the same bytes either way. See
    :mod:`learnsynth.sample.parallel` for the optional per-chunk ``transform``.
    """
    if isinstance(rows, bool) or not isinstance(rows, int) or rows <= 0:
        raise InvalidInputError(f"--rows must be a positive integer, got {rows!r}.")
    if chunk_rows <= 0:
        raise InvalidInputError(f"--chunk-rows must be a positive integer, got {chunk_rows!r}.")
    check_options(jobs, backend, scheduler)
    synth = Synthesizer.load(spec, store)
    model = synth.model_
    try:
        tm = model.table(table)
    except KeyError as exc:
        raise InvalidInputError(f"--table {table!r} is not in model {synth.ref_.spec!r}.") from exc
    target = resolve_target(out, fmt, overwrite=overwrite)
    dirt = None
    if variability is not None:  # checked against the model before any row is drawn
        from learnsynth.sample.variability import prepare

        if transform is not None:
            raise InvalidInputError("--variability cannot be combined with another transform.")
        if "://" in os.fspath(out):  # the ground-truth log has no place beside a table
            raise InvalidInputError(
                f"--variability needs a file or folder --out for its ground-truth log, not the "
                f"database {redact_url(os.fspath(out))!r}; write files, then load them.")
        dirt = prepare(variability, tm, out=out, fmt=fmt, seed=seed, n_rows=rows,
                       chunk_rows=chunk_rows, overwrite=overwrite)
        transform = dirt.transform
    result = sample_to_target(tm, rows, target, seed=seed, chunk_rows=chunk_rows, jobs=jobs,
                              backend=backend, scheduler=scheduler, transform=transform,
                              progress=progress)
    written = result.rows  # result.extras: the transform's extra outputs, in chunk order
    injected = None
    if dirt is not None:  # the log and <stem>.variability.json (configured vs injected rates)
        injected = dirt.finish(result.extras)
    if not no_report:  # against what the model knows: real data is not at hand here
        from learnsynth.quality.html import write_html_beside
        from learnsynth.quality.run import sample_argv, sample_report

        argv = sample_argv(synth.ref_.spec, rows, out, seed=seed, store=store, table=table,
                           fmt=fmt, chunk_rows=chunk_rows, jobs=jobs, backend=backend,
                           scheduler=scheduler, overwrite=overwrite, variability=variability)
        write_html_beside(sample_report(
            synth, tm, out, rows=rows, seed=seed, argv=argv, reports_dir=reports_dir,
            variability=injected, chunk_rows=chunk_rows,
            variability_summary=None if dirt is None else dirt.summary_path))
    return synth.ref_, written


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
