"""The two ways a report is made: ``learnsynth report REAL SYNTH`` and the one ``sample`` writes.

Both read data with :mod:`learnsynth.data.sources` (files, folders, ``sqlite:///``), so every
format other commands take works here too. Bad input (missing file, no such table, columns that
do not match, an unknown model, REAL that is not the data the model was profiled from) raises
:class:`~learnsynth.errors.InvalidInputError`.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from learnsynth._version import __version__
from learnsynth.data.sources import Table, read_tables, redact_url
from learnsynth.errors import InvalidInputError
from learnsynth.model import TableModel
from learnsynth.profile.kinds import infer_kind
from learnsynth.profile.pii import detect_frame
from learnsynth.profile.profiler import holdout_mask
from learnsynth.quality.report import Report, against_model, compare, write_report
from learnsynth.sample.parallel import chunk_seed
from learnsynth.sample.sampler import DEFAULT_CHUNK_ROWS, chunk_bounds, sample_chunk

__all__ = ["CLEAN_ROWS", "default_report_path", "report_files", "sample_argv", "sample_report"]

CLEAN_ROWS = 100_000  # clean rows regenerated to score a --variability output (whole chunks)


def _stem(path: str | os.PathLike[str], fallback: str) -> str:
    name = Path(str(path).rstrip("/")).name.split("?")[0] or fallback
    return name.split(".")[0] or fallback


def default_report_path(synthetic: str | os.PathLike[str], reports_dir: str = "reports", *,
                        real: str | os.PathLike[str] | None = None,
                        table: str | None = None) -> Path:
    """Where a report goes when no ``--out`` is given.

    ``report REAL SYNTH`` writes ``reports/<synth>-vs-<real>-report.json`` and ``sample --out
    SYNTH`` writes ``reports/<synth>-sample-report.json`` (names without folders or suffixes), so
    the two never overwrite each other, nor do reports of one output against different data.
    """
    synth = _stem(synthetic, "synthetic")
    if real is None and table is not None:  # one table of a sample of related tables
        return Path(reports_dir) / f"{synth}-{_stem(table, 'table')}-sample-report.json"
    if real is None:
        return Path(reports_dir) / f"{synth}-sample-report.json"
    return Path(reports_dir) / f"{synth}-vs-{_stem(real, 'real')}-report.json"


def _pick(tables: Mapping[str, Table], name: str | None, what: str, source: str) -> Table:
    source = redact_url(source)  # a database URL may carry a password
    if name is not None and name in tables:
        return tables[name]
    if name is None and len(tables) == 1:
        return next(iter(tables.values()))
    if name is None:
        raise InvalidInputError(f"{what} {source!r} holds several tables "
                                f"({', '.join(tables)}); pick one with --table.")
    if len(tables) == 1:
        return next(iter(tables.values()))
    raise InvalidInputError(f"{what} {source!r} has no table {name!r}; it has: "
                            f"{', '.join(tables)}.")


def _stack(tables: Mapping[str, Table], name: str | None) -> Table:
    """A table by name; part files of one table (same columns) are stacked into one."""
    if name is not None and name in tables:
        return tables[name]
    frames = list(tables.values())
    if len(frames) > 1 and all(list(t.frame.columns) == list(frames[0].frame.columns)
                               for t in frames):
        frame = pd.concat([t.frame for t in frames], ignore_index=True)
        return Table(name or frames[0].name, frame, frames[0].source, len(frame), "")
    return frames[0]


def _check_columns(kinds: Mapping[str, Any], real: pd.DataFrame, synth: pd.DataFrame,
                   real_src: str, synth_src: str) -> None:
    real_src, synth_src = redact_url(real_src), redact_url(synth_src)
    for frame, src, what in ((real, real_src, "REAL"), (synth, synth_src, "SYNTH")):
        missing = [c for c in kinds if c not in frame.columns]
        if missing:
            raise InvalidInputError(
                f"{what} {src!r} lacks column(s) {', '.join(map(repr, missing[:5]))}; REAL and "
                "SYNTH must have the same columns.")
    extra = [c for c in synth.columns if c not in kinds]
    if extra:
        raise InvalidInputError(
            f"SYNTH {synth_src!r} has column(s) {', '.join(map(repr, extra[:5]))} that REAL "
            "(or the model) does not; REAL and SYNTH must have the same columns.")


def _inferred(real: pd.DataFrame, seed: int) -> tuple[dict[str, Any], dict[str, Any]]:
    findings = {f.column: f for f in detect_frame(real, seed=seed)}
    kinds = {}
    for col in real.columns:
        f = findings.get(str(col))
        k = infer_kind(str(col), real[col], pii=bool(f and f.pii), pii_kind=f.kind if f else None)
        kinds[str(col)] = {"kind": k.kind, "details": k.details}
    return kinds, findings


def _holdout(spec: str, info: Mapping[str, Any] | None, n_rows: int) -> np.ndarray | None:
    if not info or not info.get("rows_held_out"):
        return None
    expected = int(info["rows_fitted"]) + int(info["rows_held_out"])
    if n_rows != expected:
        raise InvalidInputError(
            f"REAL has {n_rows} rows but model {spec!r} was profiled from {expected}; pass the "
            "data the model was profiled from, or leave out --model.")
    return holdout_mask(n_rows, float(info["fraction"]), int(info["seed"]))


def _command(argv: Sequence[str]) -> str:
    return "learnsynth " + " ".join(shlex.quote(redact_url(str(a))) for a in argv)


def report_files(real: str, synth: str, *, model: str | None = None, store: str | None = None,
                 table: str | None = None, out: str | os.PathLike[str] | None = None,
                 seed: int = 0) -> tuple[Report, Path]:
    """Compare the data at ``real`` with ``synth`` and write the report (``learnsynth report``)."""
    from learnsynth.synthesizer import Synthesizer

    loaded = Synthesizer.load(model, store) if model else None
    options = loaded.model_.options if loaded else {}
    real_tables = read_tables(real, max_rows=options.get("max_rows"),
                              seed=int(options.get("seed", 0)))
    synth_tables = read_tables(synth)
    tm: TableModel | None = None
    if loaded is not None:
        wanted = table or loaded.model_.tables[0].name
        try:
            tm = loaded.model_.table(wanted)
        except KeyError as exc:
            raise InvalidInputError(f"--table {wanted!r} is not in model {model!r}.") from exc
        if tm.reference is not None:
            raise InvalidInputError(
                f"Table {tm.name!r} of model {loaded.ref_.spec!r} is a reference table: sample "
                "copies its real rows as the profile config declared (reference_tables), so "
                "there is nothing synthetic to score. Report on the tables that reference it.")
    real_t = _pick(real_tables, table or (tm.name if tm else None), "REAL", real)
    synth_t = _stack(synth_tables, table or real_t.name)
    if tm is not None:
        kinds = {c.name: {"kind": c.kind, "details": c.details} for c in tm.columns}
        _, detected = _inferred(real_t.frame[[c for c in kinds if c in real_t.frame.columns]],
                                seed)
    else:
        kinds, detected = _inferred(real_t.frame, seed)
    _check_columns(kinds, real_t.frame, synth_t.frame, real, synth)
    holdout = (_holdout(loaded.ref_.spec, loaded.holdout_.get(tm.name), len(real_t.frame))
               if loaded is not None and tm is not None else None)
    argv = ["report", real, synth] + (["--model", loaded.ref_.spec] if loaded else []) + (
        ["--store", store] if store else []) + (["--table", table] if table else [])
    target = Path(out) if out else default_report_path(synth, real=real)
    argv += ["--out", str(target)]
    lineage = _lineage(fingerprint=loaded.fingerprint_ if loaded else real_t.fingerprint,
                       ref=loaded.ref_ if loaded else None, seed=None, options=options,
                       command=_command(argv), real=real, synthetic=synth,
                       rows=len(synth_t.frame), table=real_t.name)
    overridden = set(options.get("columns") or {})
    rep = compare(real_t.frame, synth_t.frame[list(kinds)], kinds, holdout=holdout,
                  detected=detected, overridden=overridden, options=options or None,
                  lineage=lineage, table=real_t.name, seed=seed)
    return rep, write_report(rep, target)


def _lineage(*, fingerprint: str | None, ref: Any, seed: int | None, options: Mapping[str, Any],
             command: str, real: str | None, synthetic: str, rows: int,
             table: str | None) -> dict[str, Any]:
    return {
        "source_fingerprint": fingerprint or None, "model": ref.spec if ref else None,
        "model_name": ref.name if ref else None, "model_version": ref.version if ref else None,
        "model_sha256": ref.sha256 if ref else None, "seed": seed, "options": dict(options),
        "learnsynth_version": __version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command, "real": real and redact_url(real),
        "synthetic": redact_url(synthetic), "synthetic_rows": rows,
        "table": table,
    }


def sample_argv(spec: str, rows: int, out: str | os.PathLike[str], *, seed: int,
                store: str | None = None, table: str | None = None, fmt: str | None = None,
                chunk_rows: int = DEFAULT_CHUNK_ROWS, jobs: int = 1, backend: str = "loky",
                scheduler: str | None = None, overwrite: bool = False,
                variability: str | os.PathLike[str] | None = None) -> list[str]:
    """The ``learnsynth sample`` arguments that reproduce an output (defaults left out)."""
    argv = ["sample", spec, "--rows", str(rows), "--out", str(out), "--seed", str(seed)]
    for flag, value, default in (("--store", store, None), ("--table", table, None),
                                 ("--format", fmt, None), ("--chunk-rows", chunk_rows,
                                                           DEFAULT_CHUNK_ROWS),
                                 ("--jobs", jobs, 1), ("--backend", backend, "loky"),
                                 ("--scheduler", scheduler, None),
                                 ("--variability", variability, None)):
        if value is not None and value != default:
            argv += [flag, str(value)]
    return argv + (["--overwrite"] if overwrite else [])


def _clean_rows(table: TableModel, rows: int, seed: int, chunk_rows: int) -> pd.DataFrame:
    """The rows ``sample`` drew before ``--variability`` dirtied them: the first whole chunks,
    at least :data:`CLEAN_ROWS` rows (or all), drawn again from the same chunk seeds."""
    frames, drawn = [], 0
    for index, (start, stop) in enumerate(chunk_bounds(rows, chunk_rows)):
        if drawn >= CLEAN_ROWS:
            break
        frames.append(sample_chunk(table, start, stop, chunk_seed(seed, index), {"seed": seed}))
        drawn += stop - start
    return pd.concat(frames) if frames else pd.DataFrame(columns=[c.name for c in table.columns])


def _variability_key(summary: Mapping[str, Any], summary_path: str | None) -> dict[str, Any]:
    """Configured against injected rates (counts and shares only: no value of the output)."""
    keep = ("config", "seed", "rows", "near_duplicates", "kinds", "columns", "variants")
    return {**{k: summary.get(k) for k in keep}, "summary": summary_path,
            "fidelity_on": "clean rows: the rows drawn before the dirt was injected"}


def sample_report(synthesizer: Any, table: TableModel, out: str | os.PathLike[str], *,
                  rows: int, seed: int, argv: Sequence[str] | None = None,
                  reports_dir: str = "reports", variability: Mapping[str, Any] | None = None,
                  variability_summary: str | os.PathLike[str] | None = None,
                  chunk_rows: int = DEFAULT_CHUNK_ROWS,
                  tables: Mapping[str, Table] | None = None) -> Path:
    """Report what ``sample`` wrote to ``out`` against the model.

    Without ``variability`` the output is read back. With it (the summary ``sample
    --variability`` wrote; ``variability_summary`` its path), fidelity is measured on the clean
    rows, drawn again from the same seeds (:func:`_clean_rows`), and the report gains a
    ``variability`` key with the configured and injected rates.

    ``tables``: the tables of a sample of related tables, read back once for all of them; the
    report then goes to ``reports/<out>-<table>-sample-report.json``.
    """
    ref = synthesizer.ref_
    if variability is None:
        frame = _stack(tables if tables is not None else read_tables(out), table.name).frame
        written = len(frame)
    else:
        frame = _clean_rows(table, rows, seed, chunk_rows)
        written = int((variability.get("rows") or {}).get("output", rows))
    command = _command(argv) if argv else _command(sample_argv(ref.spec, rows, out, seed=seed))
    lineage = _lineage(fingerprint=synthesizer.fingerprint_, ref=ref, seed=seed,
                       options=synthesizer.model_.options, command=command, real=None,
                       synthetic=str(out), rows=written, table=table.name)
    rep = against_model(table, frame, options=synthesizer.model_.options, lineage=lineage,
                        seed=seed)
    if variability is not None:
        sub = rep["fidelity"]["subsampling"]
        sub["synthetic_rows"] = written
        sub["note"] = (f"scored on the {len(frame):,} clean rows of the first chunks (of {rows:,} "
                       "drawn), regenerated from the same seeds before --variability dirtied "
                       "them; the output's injected rates are under 'variability'")
        rep["variability"] = _variability_key(  # type: ignore[typeddict-item]
            variability, None if variability_summary is None else str(variability_summary))
    return write_report(rep, default_report_path(
        out, reports_dir, table=None if tables is None else table.name))
