"""The ``--variability`` YAML file: parsed and checked before any row is drawn.

Every mistake is one :class:`~learnsynth.errors.ConfigError` line naming the file and the key at
fault. Checks that need the model (unknown column, a kind that cannot apply to a column, rates
adding above 1 for a column) happen in :func:`learnsynth.sample.variability.plan`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from learnsynth.errors import ConfigError
from learnsynth.sample.variability._kinds import (
    CELL_KINDS,
    DEFAULT_VARIANTS,
    MISSING_DEFAULT,
    PERTURB_KINDS,
)

__all__ = ["NearDuplicates", "VariabilityConfig", "load_variability", "parse_variability"]

_TOP_KEYS = ("defaults", "columns", "variants", "near_duplicates")


@dataclass(frozen=True)
class NearDuplicates:
    """Perturbed copies of generated rows: ``rate`` per clean row, ``fields`` changed per copy."""

    rate: float = 0.0
    fields: int = 2
    kinds: tuple[str, ...] = PERTURB_KINDS


@dataclass(frozen=True)
class VariabilityConfig:
    """What dirt to inject, where, and how often. Rates are per eligible (non-null) cell."""

    source: str = "<config>"
    defaults: Mapping[str, float] = field(default_factory=dict)
    columns: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    variants: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    missing: tuple[tuple[str | None, float], ...] = tuple((v, 1.0) for v in MISSING_DEFAULT)
    near_duplicates: NearDuplicates = NearDuplicates()

    def to_dict(self) -> dict[str, Any]:
        """The config as recorded in the injected-rate summary."""
        return {
            "defaults": dict(self.defaults),
            "columns": {c: dict(r) for c, r in self.columns.items()},
            "variants": {k: dict(v) for k, v in self.variants.items()},
            "missing_values": [v for v, _ in self.missing],
            "near_duplicates": {"rate": self.near_duplicates.rate,
                                "fields": self.near_duplicates.fields,
                                "kinds": list(self.near_duplicates.kinds)},
        }


def _fail(where: str, message: str) -> ConfigError:
    return ConfigError(f"Variability config {where}: {message}")


def _rate(value: Any, where: str, key: str) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or not 0 <= value <= 1:
        raise _fail(where, f"'{key}' must be a rate in [0, 1], got {value!r}.")
    return float(value)


def _rates(doc: Any, where: str, key: str) -> dict[str, float]:
    if doc is None:
        return {}
    if not isinstance(doc, Mapping):
        raise _fail(where, f"'{key}' must map kinds to rates, got {doc!r}.")
    out: dict[str, float] = {}
    for kind, value in doc.items():
        if kind not in CELL_KINDS:
            raise _fail(where, f"'{key}' has unknown kind {kind!r}; use one of "
                               f"{', '.join(CELL_KINDS)}.")
        out[str(kind)] = _rate(value, where, f"{key}.{kind}")
    total = sum(out.values())
    if total > 1 + 1e-12:
        raise _fail(where, f"'{key}' rates add up to {total:g}, above 1 for a cell.")
    return out


def _weights(kind: str, doc: Any, where: str) -> dict[str, float]:
    known = DEFAULT_VARIANTS[kind]
    key = f"variants.{kind}"
    if isinstance(doc, list | tuple):
        doc = dict.fromkeys(doc, 1.0)
    if not isinstance(doc, Mapping) or not doc:
        raise _fail(where, f"'{key}' must be a non-empty list of variants or a mapping of "
                           f"variant to weight, got {doc!r}.")
    out: dict[str, float] = {}
    for name, weight in doc.items():
        if name not in known:
            raise _fail(where, f"'{key}' has unknown variant {name!r}; use one of "
                               f"{', '.join(known)}.")
        ok = isinstance(weight, int | float) and not isinstance(weight, bool)
        if not ok or not math.isfinite(weight) or weight <= 0:
            raise _fail(where, f"'{key}.{name}' must be a positive weight, got {weight!r}.")
        out[str(name)] = float(weight)
    return out


def _missing(doc: Any, where: str) -> tuple[tuple[str | None, float], ...]:
    if not isinstance(doc, list | tuple) or not doc:
        raise _fail(where, "'variants.missing' must be a non-empty list of missing-value markers "
                           f"(~ for a real null, \"\" for an empty string), got {doc!r}.")
    out: list[str | None] = []
    for value in doc:
        if isinstance(value, bool) or not (value is None or isinstance(value, str | int | float)):
            raise _fail(where, f"'variants.missing' entries must be ~, a string or a number, "
                               f"got {value!r}.")
        text = None if value is None else str(value)
        if text not in out:
            out.append(text)
    return tuple((v, 1.0) for v in out)


def _near_duplicates(doc: Any, where: str) -> NearDuplicates:
    if doc is None:
        return NearDuplicates()
    if not isinstance(doc, Mapping):
        return NearDuplicates(rate=_rate(doc, where, "near_duplicates"))
    unknown = set(doc) - {"rate", "fields", "kinds"}
    if unknown:
        raise _fail(where, f"'near_duplicates' has unknown key(s) {sorted(map(str, unknown))}; "
                           "known: fields, kinds, rate.")
    rate = _rate(doc.get("rate", 0.0), where, "near_duplicates.rate")
    fields = doc.get("fields", 2)
    if isinstance(fields, bool) or not isinstance(fields, int) or not 0 <= fields <= 100:
        raise _fail(where, f"'near_duplicates.fields' must be an integer in [0, 100], "
                           f"got {fields!r}.")
    kinds = doc.get("kinds", list(PERTURB_KINDS))
    if not isinstance(kinds, list | tuple) or not kinds or any(k not in PERTURB_KINDS
                                                               for k in kinds):
        raise _fail(where, f"'near_duplicates.kinds' must be a non-empty list of "
                           f"{', '.join(PERTURB_KINDS)}, got {kinds!r}.")
    return NearDuplicates(rate, fields, tuple(dict.fromkeys(str(k) for k in kinds)))


def parse_variability(doc: Any, source: str = "<config>") -> VariabilityConfig:
    """Check a parsed YAML document and turn it into a :class:`VariabilityConfig`."""
    where = f"'{source}'"
    if doc is None:
        doc = {}
    if not isinstance(doc, Mapping):
        raise _fail(where, f"must be a mapping with keys {', '.join(_TOP_KEYS)}, "
                           f"got {type(doc).__name__}.")
    unknown = [str(k) for k in doc if k not in _TOP_KEYS]
    if unknown:
        raise _fail(where, f"unknown key(s) {sorted(unknown)}; known: {', '.join(_TOP_KEYS)}.")
    defaults = _rates(doc.get("defaults"), where, "defaults")
    columns_doc = doc.get("columns") or {}
    if not isinstance(columns_doc, Mapping):
        raise _fail(where, f"'columns' must map column names to rates, got {columns_doc!r}.")
    columns = {str(c): _rates(r, where, f"columns.{c}") for c, r in columns_doc.items()}
    variants_doc = doc.get("variants") or {}
    if not isinstance(variants_doc, Mapping):
        raise _fail(where, f"'variants' must map kinds to variants, got {variants_doc!r}.")
    variants: dict[str, dict[str, float]] = {}
    missing = tuple((v, 1.0) for v in MISSING_DEFAULT)
    for kind, value in variants_doc.items():
        if kind == "missing":
            missing = _missing(value, where)
        elif kind in DEFAULT_VARIANTS:
            variants[str(kind)] = _weights(str(kind), value, where)
        else:
            raise _fail(where, f"'variants' has unknown kind {kind!r}; use one of "
                               f"{', '.join(CELL_KINDS)}.")
    return VariabilityConfig(source, defaults, columns, variants, missing,
                             _near_duplicates(doc.get("near_duplicates"), where))


def load_variability(path: str | os.PathLike[str]) -> VariabilityConfig:
    """Read and check a ``--variability`` YAML file."""
    source = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"--variability file '{source}' does not exist.") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(f"--variability file '{source}' cannot be read as YAML: {line}") from exc
    return parse_variability(doc, source)
