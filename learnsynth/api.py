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
from learnsynth.data.sinks import write_chunks
from learnsynth.data.sources import Table, read_tables
from learnsynth.errors import InvalidInputError
from learnsynth.profile.pii import PiiFinding, detect_frame
from learnsynth.progress import Progress
from learnsynth.sample.sampler import DEFAULT_CHUNK_ROWS, iter_chunks
from learnsynth.store import ModelRef, Store, parse_spec
from learnsynth.synthesizer import Synthesizer

__all__ = ["ProfileResult", "detect", "profile", "read_sources", "sample"]


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
        } for p in synth.profiles_],
    }


def profile(sources: Sequence[str | os.PathLike[str]], name: str, *, store: str | None = None,
            config: str | None = None, seed: int = 0, profiles_dir: str | os.PathLike[str]
            = "profiles", html: bool = False, progress: bool | None = None) -> ProfileResult:
    """Read, fit, store a new version, and write ``profiles/NAME-vN.json``."""
    target = Store(store)
    if parse_spec(name)[1] is not None:
        raise InvalidInputError(f"--name {name!r} must be a plain name; versions are assigned.")
    options = load_config(config, ProfileOptions(seed=seed))
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
    """PII findings for every column of every table in ``source``."""
    tables = read_tables(source, max_rows=100_000, seed=seed)
    return {name: detect_frame(t.frame, seed=seed) for name, t in tables.items()}


def sample(spec: str, rows: int, out: str | os.PathLike[str], *, store: str | None = None,
           seed: int = 0, fmt: str | None = None, chunk_rows: int = DEFAULT_CHUNK_ROWS,
           overwrite: bool = False, table: str | None = None,
           progress: bool | None = None) -> tuple[ModelRef, int]:
    """Sample ``rows`` rows of a stored model into the file ``out``."""
    if isinstance(rows, bool) or not isinstance(rows, int) or rows <= 0:
        raise InvalidInputError(f"--rows must be a positive integer, got {rows!r}.")
    if chunk_rows <= 0:
        raise InvalidInputError(f"--chunk-rows must be a positive integer, got {chunk_rows!r}.")
    synth = Synthesizer.load(spec, store)
    model = synth.model_
    try:
        tm = model.table(table)
    except KeyError as exc:
        raise InvalidInputError(f"--table {table!r} is not in model {synth.ref_.spec!r}.") from exc
    with Progress(rows, "sample", enabled=progress) as bar:
        def chunks() -> Any:
            for chunk in iter_chunks(tm, rows, seed, chunk_rows):
                yield chunk
                bar.update(len(chunk))
        written = write_chunks(chunks(), out, fmt=fmt, overwrite=overwrite)
    return synth.ref_, written
