"""Turn a config and a table model into a per-column plan, refusing what cannot apply.

The plan is where the model's knowledge meets the config: each column gets the rates of the kinds
that apply to it (defaults skip key columns; explicit per-column rates may not name a kind that
cannot apply), the variants allowed for it, and whether its dirty form must be text (a number
column that receives ``N/A`` or ``1,234.5`` is written as text in every chunk, so every part file
has the same schema).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import numpy as np

from learnsynth.errors import ConfigError
from learnsynth.model import ColumnModel, TableModel
from learnsynth.sample.variability._config import NearDuplicates, VariabilityConfig
from learnsynth.sample.variability._kinds import (
    CELL_KINDS,
    applicable,
    column_role,
    describe,
    numeric_bounds,
)

__all__ = ["ColumnPlan", "Plan", "plan"]



@dataclass(frozen=True)
class ColumnPlan:
    """How one column gets dirty."""

    name: str
    role: str
    pii_kind: str | None
    rates: dict[str, float]  # kind -> rate per non-null cell, in CELL_KINDS order, all > 0
    variants: dict[str, tuple[tuple[str, ...], np.ndarray]]  # kind -> (names, probabilities)
    perturb: tuple[str, ...]  # kinds a near-duplicate may perturb this column with
    date_format: str | None
    bounds: tuple[float, float] | None
    year_bounds: tuple[int, int]
    decimals: int
    string_kinds: bool  # some kind here may write text into a non-text column

    def draws(self) -> np.ndarray:
        """Cumulative thresholds: a cell with uniform u gets kind i if u < draws()[i]."""
        return np.cumsum(list(self.rates.values()))


@dataclass(frozen=True)
class Plan:
    """Per-column plans for one table plus the missing markers and near-duplicate settings."""

    config: VariabilityConfig
    table: str
    columns: tuple[ColumnPlan, ...]
    missing: tuple[tuple[str | None, ...], np.ndarray]
    near_duplicates: NearDuplicates
    keys: tuple[tuple[str, dict[str, Any]], ...]  # key columns: name, render details

    @cached_property
    def missing_markers(self) -> tuple[np.ndarray, np.ndarray]:
        """(markers, log labels) as object arrays: ``None`` is logged ``null``, ``""`` ``empty``."""
        names = np.empty(len(self.missing[0]), dtype=object)
        names[:] = self.missing[0]
        labels = np.array(["null" if m is None else ("empty" if m == "" else m)
                           for m in self.missing[0]], dtype=object)
        return names, labels

    def column(self, name: str) -> ColumnPlan:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _fail(config: VariabilityConfig, message: str) -> ConfigError:
    return ConfigError(f"Variability config '{config.source}': {message}")


def _variants(config: VariabilityConfig, kind: str, allowed: tuple[str, ...]
              ) -> tuple[tuple[str, ...], np.ndarray]:
    if kind == "missing":
        names = tuple(v for v, _ in config.missing)
        weights = np.array([w for _, w in config.missing])
        return names, weights / weights.sum()  # type: ignore[return-value]
    wanted = config.variants.get(kind) or dict.fromkeys(allowed, 1.0)
    pairs = [(n, w) for n, w in wanted.items() if n in allowed]
    if not pairs:
        return (), np.array([])
    w = np.array([p[1] for p in pairs])
    return tuple(p[0] for p in pairs), w / w.sum()


def _year(seconds: float, unit: str) -> int:
    scale = 86_400 if unit == "d" else 1
    stamp = max(min(seconds * scale, 7.0e9), -7.0e9)
    return datetime.fromtimestamp(stamp, UTC).year


def _year_bounds(col: ColumnModel) -> tuple[int, int]:
    bounds = numeric_bounds(col)
    if col.kind != "datetime" or bounds is None:
        return 1920, 2030
    unit = str(col.details.get("unit", "s"))
    return _year(bounds[0], unit), _year(bounds[1], unit)


def _column_rates(config: VariabilityConfig, col: ColumnModel,
                  allowed: dict[str, tuple[tuple[str, ...], np.ndarray]]) -> dict[str, float]:
    base = {} if col.kind == "key" else {k: r for k, r in config.defaults.items()
                                         if k in allowed and (k == "missing" or allowed[k][0])}
    explicit = dict(config.columns.get(col.name, {}))
    for kind, rate in explicit.items():
        if kind not in allowed:
            raise _fail(config, f"column '{col.name}' ({describe(col)}) cannot take kind "
                                f"{kind!r}; kinds for it: {', '.join(allowed)}.")
        if rate > 0 and kind != "missing" and not allowed[kind][0]:
            raise _fail(config, f"column '{col.name}' ({describe(col)}): no variant of {kind!r} "
                                f"listed in 'variants.{kind}' applies to it.")
    merged = {**base, **explicit}
    total = sum(merged.values())
    if total > 1 + 1e-12:
        raise _fail(config, f"column '{col.name}' rates add up to {total:g}, above 1 for a cell "
                            "(defaults count unless the column overrides them).")
    return {k: merged[k] for k in CELL_KINDS if merged.get(k, 0) > 0}


def _column_plan(config: VariabilityConfig, col: ColumnModel) -> ColumnPlan:
    kinds = applicable(col)
    allowed = {k: _variants(config, k, v) for k, v in kinds.items()}
    rates = _column_rates(config, col, allowed)
    explicit_zero = {k for k, r in config.columns.get(col.name, {}).items() if r == 0}
    perturb = () if col.kind == "key" else tuple(
        k for k in config.near_duplicates.kinds
        if k in allowed and (k == "missing" or allowed[k][0]) and k not in explicit_zero)
    used = set(rates) | set(perturb if config.near_duplicates.rate > 0 else ())
    sentinel = any(v is not None for v in allowed["missing"][0])
    string_kinds = "format" in used or ("missing" in used and sentinel)
    marginal: Any = col.marginal
    pii = col.details.get("pii_kind") if col.kind == "pii" else None
    fmt = col.details.get("format") if col.kind == "datetime" else None
    if pii == "date_of_birth":
        fmt = (col.details.get("format") or {}).get("date_format")
    return ColumnPlan(
        name=col.name, role=column_role(col), pii_kind=None if pii is None else str(pii),
        rates=rates, variants={k: allowed[k] for k in set(rates) | set(perturb)},
        perturb=perturb, date_format=None if fmt is None else str(fmt),
        bounds=numeric_bounds(col), year_bounds=_year_bounds(col),
        decimals=0 if marginal is None else int(marginal.decimals), string_kinds=string_kinds)


def plan(config: VariabilityConfig, table: TableModel) -> Plan:
    """Check ``config`` against the table's columns and build the per-column plan."""
    names = [c.name for c in table.columns]
    unknown = [c for c in config.columns if c not in names]
    if unknown:
        raise _fail(config, f"column {unknown[0]!r} is not in table {table.name!r}; its columns "
                            f"are: {', '.join(names)}.")
    columns = tuple(_column_plan(config, c) for c in table.columns)
    keys = tuple((c.name, dict(c.details)) for c in table.columns if c.kind == "key")
    missing = _variants(config, "missing", ())
    return Plan(config, table.name, columns, missing, config.near_duplicates, keys)


