"""The kinds of dirt, their variants, and which columns each kind applies to.

A *kind* is what a data-quality check would name (``typo``, ``missing``, ``format``, ``outlier``,
``invalid``); a *variant* is how one cell got it (``transpose``, ``N/A``, ``x1000``, ...). Which
kinds apply to a column follows from what the model knows about it: phone drift only on phone
columns, checksum breaking only on cards and IBANs, numeric outliers only on numbers and dates.
"""

from __future__ import annotations

from typing import Any

from learnsynth.model import ColumnModel

__all__ = ["CELL_KINDS", "DEFAULT_VARIANTS", "MISSING_DEFAULT", "PERTURB_KINDS", "applicable",
           "column_role"]

CELL_KINDS = ("typo", "missing", "format", "outlier", "invalid")
PERTURB_KINDS = ("typo", "format", "missing")

# Variants per kind; the config may restrict or weight them. ``missing`` values are the sentinels
# themselves (YAML null means a real null, "" an empty string).
MISSING_DEFAULT: tuple[str | None, ...] = (None, "", "N/A", "-", "unknown", "0")
DEFAULT_VARIANTS: dict[str, tuple[str, ...]] = {
    "typo": ("adjacent", "transpose", "delete", "insert", "double"),
    "format": ("phone", "date", "number", "grouping", "case", "whitespace", "unicode"),
    "outlier": ("x10", "x1000", "sign", "range", "far_past", "far_future"),
    "invalid": ("checksum", "email"),
}

_NUMERIC = ("integer", "continuous")
_NO_TYPO_PII = ("latitude", "longitude", "date_of_birth")
_CHECKSUM_PII = ("credit_card", "iban")


def column_role(col: ColumnModel) -> str:
    """A short name for what the column holds, as dirt sees it.

    One of ``key``, ``number``, ``date``, ``phone``, ``email``, ``card`` (credit card or IBAN),
    ``coordinate``, ``boolean``, ``text`` (names, places, categories, free text, other PII).
    """
    if col.kind == "pii":
        pii = str(col.details.get("pii_kind"))
        if pii == "date_of_birth":
            return "date"
        if pii in ("phone", "email"):
            return pii
        if pii in _CHECKSUM_PII:
            return "card"
        if pii in ("latitude", "longitude"):
            return "coordinate"
        return "text"
    if col.kind in _NUMERIC:
        return "number"
    if col.kind == "datetime":
        return "date"
    if col.kind in ("key", "boolean"):
        return col.kind
    return "text"


# role -> kind -> variants of that kind which make sense for the role
_APPLICABLE: dict[str, dict[str, tuple[str, ...]]] = {
    "key": {"typo": DEFAULT_VARIANTS["typo"], "missing": (), "format": ("case", "whitespace")},
    "number": {"missing": (), "format": ("number", "whitespace"),
               "outlier": ("x10", "x1000", "sign", "range")},
    "date": {"missing": (), "format": ("date", "whitespace"),
             "outlier": ("far_past", "far_future")},
    "phone": {"typo": DEFAULT_VARIANTS["typo"], "missing": (), "format": ("phone", "whitespace")},
    "email": {"typo": DEFAULT_VARIANTS["typo"], "missing": (),
              "format": ("case", "whitespace", "unicode"), "invalid": ("email",)},
    "card": {"typo": DEFAULT_VARIANTS["typo"], "missing": (), "format": ("grouping", "whitespace"),
             "invalid": ("checksum",)},
    "coordinate": {"missing": (), "format": ("whitespace",)},
    "boolean": {"missing": (), "format": ("case", "whitespace")},
    "text": {"typo": DEFAULT_VARIANTS["typo"], "missing": (),
             "format": ("case", "whitespace", "unicode")},
}


def applicable(col: ColumnModel) -> dict[str, tuple[str, ...]]:
    """Kind -> the variants that apply to ``col`` (``missing`` lists no variants: any sentinel)."""
    return dict(_APPLICABLE[column_role(col)])


def describe(col: ColumnModel) -> str:
    """How an error message names a column's kind: ``pii phone``, ``integer``."""
    if col.kind == "pii":
        return f"pii {col.details.get('pii_kind')}"
    return col.kind


def numeric_bounds(col: ColumnModel) -> tuple[float, float] | None:
    """The protected bounds of a numeric or datetime column (None for other columns)."""
    m: Any = col.marginal
    if m is None:
        return None
    return float(m.low), float(m.high)
