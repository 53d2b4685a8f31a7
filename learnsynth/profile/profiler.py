"""Profile a table: detect PII, infer kinds, fit marginals, fit the copula.

Reads as the list of steps it runs (:func:`fit_table`). The result is a
:class:`~learnsynth.model.TableModel` (stored) and a :class:`TableProfile` (the profile document:
what was found about each column, for people).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from learnsynth.config import PII_KINDS, ColumnOverride, ProfileOptions
from learnsynth.errors import ConfigError, InvalidInputError
from learnsynth.model import TableModel
from learnsynth.profile.columns import ColumnFit, encode_categoricals, fit_column, fit_copula
from learnsynth.profile.kinds import ColumnKind, TextCodes, infer_kind, text_codes
from learnsynth.profile.pii import PiiFinding, detect_column, skip_column

__all__ = ["MAX_COLUMNS", "TableProfile", "fit_table", "holdout_mask"]

# Widest table fitted: about a minute for 1,000 columns on two cores. Wider tables are refused
# with a message that says how to exclude columns (docs/profiling.md, "Wide tables").
MAX_COLUMNS = 1_000


@dataclass(frozen=True)
class TableProfile:
    """What profiling found per column of one table (the profile document's content)."""

    table: str
    n_rows: int
    columns: tuple[dict[str, Any], ...]


def holdout_mask(n_rows: int, fraction: float, seed: int) -> np.ndarray:
    """Rows kept out of fitting: a seeded random ``fraction`` of positions (never data-derived)."""
    mask = np.zeros(n_rows, dtype=bool)
    n_hold = int(round(n_rows * fraction))
    if n_hold:
        rng = np.random.default_rng(np.random.SeedSequence([seed, 0x401D]))
        mask[rng.permutation(n_rows)[:n_hold]] = True
    return mask


def _check_overrides(table: str, frame: pd.DataFrame, options: ProfileOptions) -> None:
    for key in options.columns:
        tab, _, col = key.rpartition(".")
        if key in frame.columns or (tab == table and col in frame.columns):
            continue
        if tab and tab != table and col:
            continue  # meant for another table of the same model
        raise ConfigError(
            f"Config names column {key!r}, which is not in table {table!r}. "
            f"Columns are: {', '.join(map(str, frame.columns[:20]))}."
        )


def _decide(name: str, values: pd.Series, override: ColumnOverride | None,
            rng: np.random.Generator, isnull: np.ndarray,
            codes: TextCodes | None) -> tuple[ColumnKind, PiiFinding, bool]:
    """PII finding and kind of one column, with the user's override applied.

    Detection is skipped when the override alone decides that the column is not PII (the
    finding could only reach the profile document); ``rng`` advances as if it had run.
    """
    if _decided_without_detection(override):
        finding = skip_column(name, values, rng=rng, reason="not examined: set by the config",
                              isnull=isnull)
    else:
        finding = detect_column(name, values, rng=rng)
    overridden = False
    pii, pii_kind = finding.pii, finding.kind
    if override is not None and (override.pii is not None or override.kind is not None):
        overridden = True
        if override.pii is not None:
            pii = override.pii
        if override.kind in PII_KINDS:
            pii, pii_kind = True, override.kind
        if not pii:
            pii_kind = None
    if pii and pii_kind is None:
        pii_kind = "free_text"
    kind = infer_kind(name, values, pii=pii, pii_kind=pii_kind, isnull=isnull, codes=codes)
    if override is not None and override.kind is not None and override.kind not in PII_KINDS:
        kind = _forced_kind(name, values, override.kind, isnull, codes)
    if kind.kind == "pii":
        kind.details.update({"locale": override.locale if override and override.locale
                             else finding.locale, "format": dict(finding.format),
                             "confidence": round(float(finding.confidence), 3)})
    return kind, finding, overridden


def _decided_without_detection(override: ColumnOverride | None) -> bool:
    """Whether the override makes the column non-PII, so no detector finding is used."""
    if override is None:
        return False
    if override.kind is not None:
        return override.kind not in PII_KINDS
    return override.pii is False


def _forced_kind(name: str, values: pd.Series, forced: str, isnull: np.ndarray,
                 codes: TextCodes | None) -> ColumnKind:
    inferred = infer_kind(name, values, isnull=isnull, codes=codes)
    if inferred.kind == forced:
        return inferred
    if forced in ("integer", "continuous"):
        bad = pd.to_numeric(values.dropna(), errors="coerce").isna()
        if bad.any():
            raise InvalidInputError(
                f"Column {name!r} is configured as {forced} but {int(bad.sum())} value(s) are "
                "not numbers. Fix the data or the config."
            )
    if forced in ("datetime", "boolean", "key"):
        raise InvalidInputError(
            f"Column {name!r} is configured as {forced} but its values do not look like "
            f"that (inferred: {inferred.kind}). Fix the data or the config."
        )
    return ColumnKind(name, forced)


def _check_width(name: str, frame: pd.DataFrame, options: ProfileOptions) -> None:
    """Refuse a table wider than :data:`MAX_COLUMNS` modelled columns, before any work."""
    excluded = sum(1 for c in frame.columns
                   if (o := options.override(name, str(c))) is not None and o.exclude)
    width = frame.shape[1] - excluded
    if width > MAX_COLUMNS:
        raise InvalidInputError(
            f"Table {name!r} has {width:,} columns to model; learnsynth models at most "
            f"{MAX_COLUMNS:,} per table (PII detection runs per column and the copula's cost "
            "grows with the cube of its width). Exclude columns in --config with "
            "'columns: {NAME: {exclude: true}}', or split the table into narrower files."
        )


def fit_table(name: str, frame: pd.DataFrame, options: ProfileOptions,
              rng: np.random.Generator) -> tuple[TableModel, TableProfile]:
    """Fit one table; ``frame`` holds only the training rows."""
    n = len(frame)
    if n < 2 * options.k:
        raise InvalidInputError(
            f"Table {name!r} has {n} row(s) to fit; learnsynth needs at least {2 * options.k} "
            f"(2 × k) to learn without copying any row. Provide more rows."
        )
    _check_overrides(name, frame, options)
    _check_width(name, frame, options)
    fits: list[ColumnFit] = []
    documents: list[dict[str, Any]] = []
    for column in frame.columns:
        override = options.override(name, str(column))
        if override is not None and override.exclude:
            documents.append({"column": str(column), "excluded": True})
            continue
        values = frame[column]
        if not values.index.equals(pd.RangeIndex(n)):
            values = values.reset_index(drop=True)
        isnull = values.isna().to_numpy(dtype=bool)  # once: slow on text, asked by every step
        codes = text_codes(values, isnull)  # once, for kind inference and the categorical fit
        kind, finding, overridden = _decide(str(column), values, override, rng, isnull, codes)
        fit = fit_column(values, kind, options, rng, override, isnull=isnull, codes=codes)
        fits.append(fit)
        documents.append(_document(fit, finding, overridden))
    encode_categoricals(fits, n, rng)
    blocks = fit_copula(fits, rng)
    model = TableModel(name, n, tuple(f.model for f in fits), blocks)
    return model, TableProfile(name, n, tuple(documents))


def _document(fit: ColumnFit, finding: PiiFinding, overridden: bool) -> dict[str, Any]:
    m = fit.model
    doc: dict[str, Any] = {
        "column": m.name, "kind": m.kind, "null_rate": round(m.null_rate, 6),
        "pii": {"pii": m.kind == "pii", "kind": m.details.get("pii_kind"),
                "detected_kind": finding.kind, "confidence": round(float(finding.confidence), 3),
                "locale": finding.locale, "overridden": overridden},
        "stats": fit.stats or {},
    }
    if m.marginal is not None:
        doc["distribution"] = (m.marginal.family.name if m.marginal.family is not None
                              else "discrete")
        doc["fit_statistic"] = {"ks": {k: round(v, 5) for k, v in m.marginal.fit_stat.items()}}
    return doc
