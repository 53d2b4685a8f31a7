"""``profile --html``: a ydata-profiling data profile that holds no raw PII, row or rare value.

ydata-profiling, left at its defaults, prints sample rows, duplicate rows, every column's most
frequent values and its ten smallest and largest values, which is exactly what an artifact of
learnsynth must not hold. So it never sees the raw table. It profiles a *privacy view* built from
the fitted model, column by column:

- PII, key and free-text columns are left out (the report lists them by name and kind);
- categories the model merged (shared by fewer than k' rows) become the rare token;
- numbers and dates are clipped to the model's protected bounds, so no real extreme is shown;
- booleans are treated as two categories, so a label held by fewer than k' rows is merged too.

and each column of the view is shuffled on its own, so no row of it is a row of the data. The
report runs in minimal mode with sample rows, duplicate rows, "common values" and "extreme values"
tables, correlations, missing-value diagrams and interaction plots turned off. Large tables are
profiled on a seeded random subsample of at most ``MAX_HTML_ROWS`` rows (the report says so).

ydata-profiling is an optional extra (``pip install 'learnsynth[html]'``); :func:`require` checks
for it before any work is done, so a missing extra is one clear error and nothing is stored.
"""

from __future__ import annotations

import contextlib
import html
import io
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from learnsynth.errors import InvalidInputError
from learnsynth.model import ColumnModel, TableModel
from learnsynth.profile.kinds import to_datetime_seconds

__all__ = ["MAX_HTML_ROWS", "privacy_view", "require", "write_html_profile"]

MAX_HTML_ROWS = 100_000
_LEFT_OUT = {"pii": "PII, regenerated with fake values", "key": "identifier, regenerated",
             "text": "free text, not modelled"}
_EXTRA = "pip install 'learnsynth[html]'"


def require() -> Any:
    """The ``ProfileReport`` class, or an :class:`InvalidInputError` naming the extra to install.

    The import is silenced: ydata-profiling and its plotting stack warn on import (deprecations
    that are theirs, not the user's).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from ydata_profiling import ProfileReport
    except ModuleNotFoundError as exc:
        missing = exc.name or "ydata_profiling"
        if missing == "pkg_resources":
            raise InvalidInputError(
                "--html needs ydata-profiling, which imports pkg_resources (removed from "
                "setuptools 81). Install it with: pip install 'setuptools<81'."
            ) from exc
        raise InvalidInputError(
            f"--html needs the optional extra 'html' (ydata-profiling; {missing!r} is not "
            f"installed). Install it with: {_EXTRA}"
        ) from exc
    except ImportError as exc:  # installed, but broken or built for other versions
        raise InvalidInputError(
            f"--html needs ydata-profiling, which is installed but cannot be imported ({exc}). "
            f"Reinstall it with: {_EXTRA}"
        ) from exc
    return ProfileReport


def _labels(values: pd.Series, column: ColumnModel) -> pd.Series:
    """Category labels as the model counted them (native booleans as 'true'/'false')."""
    if column.kind == "boolean" and column.details.get("native"):
        return values.map(lambda v: None if pd.isna(v) else ("true" if bool(v) else "false"))
    return values.map(lambda v: None if pd.isna(v) else str(v))


def _categories(values: pd.Series, column: ColumnModel, rare_token: str) -> pd.Series:
    """Kept categories as they are; any other non-null value becomes the rare token."""
    kept = {str(c) for c in column.categories if c is not None and c != rare_token}
    labels = _labels(values, column)
    safe = labels.where(labels.isna() | labels.isin(kept), rare_token)
    return safe.astype("category")


def _numbers(values: pd.Series, column: ColumnModel) -> pd.Series:
    """Numbers (dates as datetime64) clipped to the protected bounds of the column's marginal."""
    marginal = column.marginal
    if marginal is None:  # pragma: no cover - every numeric column model has a marginal
        raise ValueError(f"column {column.name!r} has no marginal")
    if column.kind == "datetime":
        x = to_datetime_seconds(values, column.details)
    else:
        x = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    x = np.clip(x, marginal.low, marginal.high)
    if column.kind != "datetime":
        return pd.Series(x, index=values.index, name=values.name)
    scale = 86_400e9 if column.details["unit"] == "d" else 1e9
    ns = np.where(np.isnan(x), 0, np.round(x * scale)).astype("int64")
    stamps = pd.Series(ns.astype("datetime64[ns]"), index=values.index, name=values.name)
    return stamps.where(~np.isnan(x))


def privacy_view(frame: pd.DataFrame, table: TableModel,
                 rare_token: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """The columns that may be shown, made safe; and the left-out columns with the reason.

    Columns the model does not hold (excluded by the config) are left out as well.
    """
    shown: dict[str, pd.Series] = {}
    left_out: dict[str, str] = {}
    modelled = {c.name: c for c in table.columns}
    for name in frame.columns:
        column = modelled.get(str(name))
        if column is None:
            left_out[str(name)] = "excluded by the config"
        elif column.kind in _LEFT_OUT:
            kind = column.details.get("pii_kind") if column.kind == "pii" else None
            left_out[str(name)] = _LEFT_OUT[column.kind] + (f" ({kind})" if kind else "")
        elif column.kind in ("integer", "continuous", "datetime"):
            shown[str(name)] = _numbers(frame[name], column)
        elif column.kind in ("categorical", "boolean"):
            shown[str(name)] = _categories(frame[name], column, rare_token)
        else:  # empty: nothing to hide
            shown[str(name)] = pd.Series(np.nan, index=frame.index, name=name)
    return pd.DataFrame(shown, index=frame.index), left_out


def _unlinked(view: pd.DataFrame, seed: int) -> pd.DataFrame:
    """At most ``MAX_HTML_ROWS`` rows, each column shuffled on its own (seeded).

    The report is univariate only, so this changes no figure in it; but no row of the view is a
    row of the data any more, and the few values ydata-profiling prints as a column's "first rows"
    are random kept values, not the first people in the file.
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x47AB]))
    n = min(len(view), MAX_HTML_ROWS)
    rows = rng.choice(len(view), n, replace=False) if n < len(view) else np.arange(n)
    return pd.DataFrame({name: view[name].iloc[rng.permutation(rows)].reset_index(drop=True)
                         for name in view.columns}, index=pd.RangeIndex(n))


def _settings(title: str, description: str, notes: Mapping[str, str]) -> dict[str, Any]:
    """ydata-profiling options: minimal, and nothing that prints individual values."""
    return {
        "title": title, "minimal": True, "progress_bar": False, "pool_size": 1,
        "samples": {"head": 0, "tail": 0, "random": 0},
        "duplicates": {"head": 0},
        "n_extreme_obs": 0, "n_freq_table_max": 0, "n_obs_unique": 0,
        "correlations": None, "interactions": {"continuous": False, "targets": []},
        "missing_diagrams": {"bar": False, "matrix": False, "heatmap": False},
        "dataset": {"description": description},
        "variables": {"descriptions": dict(notes)},
        "vars": {"cat": {"length": False, "characters": False, "words": False,
                         "redact": False},
                 "text": {"length": False, "characters": False, "words": False,
                          "redact": True}},
        "html": {"navbar_show": True, "minify_html": False},
    }


def _describe(n_source: int | None, n_shown: int, left_out: Mapping[str, str], k: int) -> str:
    rows = f"{n_shown:,} rows" + (f" (a seeded random subsample of {n_source:,})"
                                  if n_source is not None and n_source > n_shown else "")
    hidden = "; ".join(f"{name}: {why}" for name, why in left_out.items()) or "none"
    return (f"learnsynth privacy view of {rows}. Categories shared by fewer than about {k} rows "
            f"are shown as the rare token; numbers and dates are clipped to protected bounds; no "
            f"sample rows or individual values are shown. Columns left out: {hidden}.")


def _report_html(frame: pd.DataFrame, table: TableModel, options: Mapping[str, Any],
                 n_source: int | None, title: str) -> str:
    report_class = require()
    if table.reference is not None:  # declared public and copied as it is: shown as it is
        view = frame
        description = (f"Reference table of {len(frame):,} rows, declared public in the profile "
                       "config (reference_tables) and copied into the model and the synthetic "
                       "output as it is; shown as read.")
    else:
        view, left_out = privacy_view(frame, table, str(options.get("rare_token", "_RARE_")))
        view = _unlinked(view, int(options.get("seed", 0)))
        description = _describe(n_source, len(view), left_out, int(options.get("k", 5)))
    # ydata-profiling draws a tqdm bar on stderr even with progress_bar off, and warns about its
    # own dependencies: neither is the user's business.
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        report = report_class(view, **_settings(title, description, {}))
        return str(report.to_html())


def _combined(pages: Mapping[str, str], title: str) -> str:
    """One self-contained file for a multi-table model: each table's report in its own frame."""
    sections = "\n".join(
        f'<h2 id="t-{i}">{html.escape(name)}</h2>\n<iframe title="{html.escape(name)}" '
        f'style="width:100%;height:90vh;border:1px solid #ccc" '
        f'srcdoc="{html.escape(page, quote=True)}"></iframe>'
        for i, (name, page) in enumerate(pages.items()))
    links = " | ".join(f'<a href="#t-{i}">{html.escape(n)}</a>' for i, n in enumerate(pages))
    return (f"<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(title)}"
            f"</title></head><body><h1>{html.escape(title)}</h1><p>{links}</p>\n{sections}\n"
            "</body></html>\n")


def write_html_profile(tables: Mapping[str, Any], synth: Any, path: str | Path) -> Path:
    """Write the HTML data profile of every fitted table to ``path`` (written aside, then moved).

    Args:
        tables: table name -> :class:`~learnsynth.data.Table` (or DataFrame) as read.
        synth: the fitted :class:`~learnsynth.Synthesizer` whose model decides what may be shown.
        path: where to write, normally ``profiles/NAME-vN.html``.
    """
    target = Path(path)
    options = synth.model_.options
    pages: dict[str, str] = {}
    for table in synth.model_.tables:
        source = tables[table.name]
        frame = getattr(source, "frame", source)
        n_source = getattr(source, "n_rows_total", None)
        pages[table.name] = _report_html(frame, table, options, n_source,
                                         f"{target.stem}: {table.name}")
    text = next(iter(pages.values())) if len(pages) == 1 else _combined(pages, target.stem)
    aside = target.with_name(f".{target.name}.partial")
    aside.write_text(text, encoding="utf-8")
    aside.replace(target)
    return target
