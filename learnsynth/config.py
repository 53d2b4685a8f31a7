"""Profile options and the ``--config`` YAML file that overrides them.

Example (every key optional)::

    k: 5                      # categories shared by fewer rows are merged into the rare token
    protected_quantile: 0.005 # numeric/date bounds are cut at least this far in from the extremes
    holdout: 0.2              # share of rows kept out of fitting, for the privacy tests
    max_rows: 200000          # fit on a deterministic subsample of at most this many rows
    rare_token: _RARE_
    columns:                  # "column" (any table) or "table.column"
      email: {kind: email}            # a PII kind implies pii: true
      customer_code: {pii: false, kind: categorical}
      income: {distribution: lognormal}
      notes: {exclude: true}
    relationships:            # child column -> parent key, "table.column" each (docs/relational.md)
      - {child: flights.origin, parent: airports.faa}
      - {child: employees.manager_id, parent: employees.id, fill_after: true}  # a self-reference
      - {child: orders.customer_code, parent: customers.code, enabled: false}  # veto a detection
    detect_relationships: true  # find more by name match + value inclusion (default true)
    reference_tables: [airlines]  # public lookup tables, copied as they are (docs/relational.md)

A relationship declared here wins over the database catalog and over detection; ``enabled:
false`` vetoes one they found. ``fill_after: true`` leaves a relationship out of the
parent-before-child order (needed to break a cycle or a self-reference): its key is filled once
every table exists. Entries are checked against the data when the profile runs.

``reference_tables`` names tables that hold no personal data and are copied into the model as
they are (a list of airlines, country codes): their rows and keys are kept, and a foreign key
that references one is modelled as a categorical over its keys, so each key keeps its share of
children. Only small tables without PII qualify (:mod:`learnsynth.relational.reference`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from learnsynth.errors import ConfigError

__all__ = ["ColumnOverride", "DeclaredRelationship", "ProfileOptions", "load_config"]

COLUMN_KINDS = ("integer", "continuous", "datetime", "categorical", "boolean", "key", "text")
PII_KINDS = (
    "full_name", "first_name", "last_name", "email", "phone", "ssn", "national_id", "passport",
    "credit_card", "iban", "bank_account", "ip_address", "mac_address", "street_address", "city",
    "state", "postal_code", "country", "latitude", "longitude", "date_of_birth", "username", "url",
    "free_text",
)
DISTRIBUTIONS = ("normal", "lognormal", "gamma", "exponential", "uniform", "beta", "empirical")


@dataclass(frozen=True)
class ColumnOverride:
    """A user's decision about one column; it wins over what profiling infers."""

    kind: str | None = None
    pii: bool | None = None
    distribution: str | None = None
    exclude: bool = False
    locale: str | None = None


@dataclass(frozen=True)
class DeclaredRelationship:
    """One entry of the config's ``relationships:`` list, as written (checked later, on the data).

    ``child`` and ``parent`` are ``"table.column"``; which dot splits table from column is settled
    against the tables read (:func:`learnsynth.profile.relations.find_relationships`), so a
    column name may hold dots. ``where`` names the file and entry for messages only.
    """

    child: str
    parent: str
    fill_after: bool = False
    enabled: bool = True
    where: str = field(default="config", compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"child": self.child, "parent": self.parent, "fill_after": self.fill_after,
                "enabled": self.enabled}


@dataclass(frozen=True)
class ProfileOptions:
    """Everything that shapes a model besides the data; recorded in the artifact."""

    k: int = 5
    protected_quantile: float = 0.005
    holdout: float = 0.0
    max_rows: int = 200_000
    rare_token: str = "_RARE_"
    seed: int = 0
    columns: Mapping[str, ColumnOverride] = field(default_factory=dict)
    relationships: tuple[DeclaredRelationship, ...] = ()
    detect_relationships: bool = True
    reference_tables: tuple[str, ...] = ()

    @property
    def tail(self) -> float:
        return self.protected_quantile

    def override(self, table: str, column: str) -> ColumnOverride | None:
        return self.columns.get(f"{table}.{column}") or self.columns.get(column)

    def to_dict(self) -> dict[str, Any]:
        return {
            "k": self.k, "protected_quantile": self.protected_quantile, "holdout": self.holdout,
            "max_rows": self.max_rows, "rare_token": self.rare_token, "seed": self.seed,
            "columns": {name: {k: v for k, v in vars(o).items() if v not in (None, False)}
                        for name, o in sorted(self.columns.items())},
            "relationships": [r.to_dict() for r in sorted(
                self.relationships, key=lambda r: (r.child, r.parent))],
            "detect_relationships": self.detect_relationships,
            **({"reference_tables": sorted(self.reference_tables)}
               if self.reference_tables else {}),
        }


def _number(doc: Mapping[str, Any], key: str, lo: float, hi: float, where: str,
            integer: bool = False) -> Any:
    value = doc[key]
    ok = isinstance(value, int) if integer else isinstance(value, int | float)
    if isinstance(value, bool) or not ok or not lo <= value <= hi:
        want = "an integer" if integer else "a number"
        raise ConfigError(f"Config {where}: '{key}' must be {want} in [{lo}, {hi}], got {value!r}.")
    return value


def _override(name: str, doc: Any, where: str) -> ColumnOverride:
    if not isinstance(doc, Mapping):
        raise ConfigError(f"Config {where}: column '{name}' must map to options, got {doc!r}.")
    known = {"kind", "pii", "distribution", "exclude", "locale"}
    unknown = set(doc) - known
    if unknown:
        raise ConfigError(f"Config {where}: column '{name}' has unknown option(s) "
                          f"{sorted(unknown)}; known: {sorted(known)}.")
    kind = doc.get("kind")
    if kind is not None and kind not in COLUMN_KINDS + PII_KINDS:
        raise ConfigError(f"Config {where}: column '{name}' has unknown kind {kind!r}; use one "
                          f"of {', '.join(COLUMN_KINDS + PII_KINDS)}.")
    dist = doc.get("distribution")
    if dist is not None and dist not in DISTRIBUTIONS:
        raise ConfigError(f"Config {where}: column '{name}' has unknown distribution {dist!r}; "
                          f"use one of {', '.join(DISTRIBUTIONS)}.")
    pii = doc.get("pii")
    if pii is not None and not isinstance(pii, bool):
        raise ConfigError(f"Config {where}: column '{name}' pii must be true or false.")
    if kind in PII_KINDS and pii is False:
        raise ConfigError(f"Config {where}: column '{name}' has PII kind {kind!r} but pii: false.")
    if kind in PII_KINDS:
        pii = True
    return ColumnOverride(kind, pii, dist, bool(doc.get("exclude", False)), doc.get("locale"))


def _relationships(doc: Any, where: str) -> tuple[DeclaredRelationship, ...]:
    """The ``relationships:`` list: ``{child: T.C, parent: T.C, fill_after?, enabled?}`` each."""
    if doc is None:
        return ()
    if not isinstance(doc, list):
        raise ConfigError(f"Config {where}: 'relationships' must be a list of "
                          "{child: table.column, parent: table.column} entries, got "
                          f"{type(doc).__name__}.")
    entries: list[DeclaredRelationship] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(doc, start=1):
        at = f"Config {where}: relationships entry {i}"
        entries.append(_relationship(entry, at))
        child = entries[-1].child
        if child in seen:
            raise ConfigError(f"{at} declares {child} again (entry {seen[child]} already does); "
                              "a child column references one parent: keep one entry.")
        seen[child] = i
    return tuple(entries)


def _relationship(entry: Any, at: str) -> DeclaredRelationship:
    known = {"child", "parent", "fill_after", "enabled"}
    if not isinstance(entry, Mapping):
        raise ConfigError(f"{at} must be a mapping like {{child: orders.customer_id, parent: "
                          f"customers.id}}, got {entry!r}.")
    unknown = set(map(str, entry)) - known
    missing = {"child", "parent"} - set(entry)
    if unknown or missing:
        problem = f"unknown key(s) {sorted(unknown)}" if unknown else f"no {sorted(missing)}"
        raise ConfigError(f"{at} has {problem}; known keys: {sorted(known)}.")
    refs = []
    for key in ("child", "parent"):
        value = entry[key]
        table, dot, column = value.partition(".") if isinstance(value, str) else ("", "", "")
        if not (table.strip() and dot and column.strip()) or any(c in value for c in "\r\n"):
            raise ConfigError(f"{at}: '{key}' must be 'table.column', got {value!r}.")
        refs.append(value)
    flags = []
    for key, default in (("fill_after", False), ("enabled", True)):
        value = entry.get(key, default)
        if not isinstance(value, bool):
            raise ConfigError(f"{at} ({refs[0]}): '{key}' must be true or false, got {value!r}.")
        flags.append(value)
    if refs[0] == refs[1]:
        raise ConfigError(f"{at}: column {refs[0]} cannot reference itself.")
    return DeclaredRelationship(refs[0], refs[1], flags[0], flags[1],
                                where=at.removeprefix("Config "))


def load_config(path: str | os.PathLike[str] | None, base: ProfileOptions) -> ProfileOptions:
    """Read a YAML config file over ``base``; every mistake is one :class:`ConfigError` line."""
    if path is None:
        return base
    where = f"'{os.fspath(path)}'"
    try:
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh) or {}
    except FileNotFoundError as exc:
        raise ConfigError(f"Config file {where} does not exist.") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(f"Config file {where} cannot be read as YAML: {line}") from exc
    if not isinstance(doc, Mapping):
        raise ConfigError(f"Config {where} must be a mapping of options, got {type(doc).__name__}.")
    known = {"k", "protected_quantile", "holdout", "max_rows", "rare_token", "columns",
             "relationships", "detect_relationships", "reference_tables"}
    unknown = set(doc) - known
    if unknown:
        raise ConfigError(f"Config {where} has unknown key(s) {sorted(unknown)}; "
                          f"known: {sorted(known)}.")
    updates: dict[str, Any] = {}
    if "k" in doc:
        updates["k"] = _number(doc, "k", 2, 1000, where, integer=True)
    if "protected_quantile" in doc:
        updates["protected_quantile"] = float(_number(doc, "protected_quantile", 0, 0.2, where))
    if "holdout" in doc:
        updates["holdout"] = float(_number(doc, "holdout", 0, 0.5, where))
    if "max_rows" in doc:
        updates["max_rows"] = _number(doc, "max_rows", 100, 10**9, where, integer=True)
    if "rare_token" in doc:
        updates["rare_token"] = str(doc["rare_token"])
    columns = doc.get("columns") or {}
    if not isinstance(columns, Mapping):
        raise ConfigError(f"Config {where}: 'columns' must map column names to options.")
    updates["columns"] = {str(n): _override(str(n), o, where) for n, o in columns.items()}
    updates["relationships"] = _relationships(doc.get("relationships"), where)
    if "detect_relationships" in doc:
        if not isinstance(doc["detect_relationships"], bool):
            raise ConfigError(f"Config {where}: 'detect_relationships' must be true or false, "
                              f"got {doc['detect_relationships']!r}.")
        updates["detect_relationships"] = doc["detect_relationships"]
    if "reference_tables" in doc:
        updates["reference_tables"] = _reference_tables(doc["reference_tables"], where)
    return replace(base, **updates)


def _reference_tables(doc: Any, where: str) -> tuple[str, ...]:
    """The ``reference_tables:`` list: distinct, non-empty table names."""
    if not isinstance(doc, list) or not all(isinstance(n, str) and n.strip() for n in doc):
        raise ConfigError(f"Config {where}: 'reference_tables' must be a list of table names, "
                          f"got {doc!r}.")
    repeated = sorted({n for n in doc if doc.count(n) > 1})
    if repeated:
        raise ConfigError(f"Config {where}: 'reference_tables' names {repeated[0]!r} twice.")
    return tuple(doc)
