"""What ``learnsynth detect`` prints: the contract JSON and a table for people.

Both are built from findings only, so they can never show a raw value: reasons quote shares and
counts, formats are masked patterns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from learnsynth.profile.pii.finding import PiiFinding

__all__ = ["detect_document", "detect_table"]

_HEADER = ("column", "pii", "kind", "confidence", "locale", "reason")
_MAX_COLUMN = 28


def detect_document(findings: Mapping[str, Sequence[PiiFinding]]) -> dict[str, object]:
    """``{"tables": [{"table", "columns": [{"column", "pii", "kind", "confidence", ...}]}]}``.

    The contract keys of DESIGN.md come first; ``locale`` and ``reason`` extend them.
    """
    return {"tables": [
        {"table": table, "columns": [
            {"column": f.column, "pii": f.pii, "kind": f.kind,
             "confidence": round(float(f.confidence), 3), "locale": f.locale,
             "reason": f.reason}
            for f in columns]}
        for table, columns in findings.items()
    ]}


def _printable(name: str) -> str:
    """The name with control characters escaped (a ``\\n`` in a header must not break rows)."""
    if name.isprintable():
        return name
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                   for ch in name)


def _cells(finding: PiiFinding) -> tuple[str, ...]:
    name = _printable(finding.column)
    name = name if len(name) <= _MAX_COLUMN else name[:_MAX_COLUMN - 1] + "…"
    return (name, "yes" if finding.pii else "no", finding.kind or "-",
            f"{finding.confidence:.2f}", finding.locale or "-", finding.reason)


def detect_table(findings: Mapping[str, Sequence[PiiFinding]]) -> str:
    """One aligned table per source table: column, pii, kind, confidence, locale, reason."""
    blocks = []
    for table, columns in findings.items():
        rows = [_HEADER, *(_cells(f) for f in columns)]
        widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADER) - 1)]
        lines = [f"table {table}"]
        for row in rows:
            padded = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            lines.append("  " + "  ".join([*padded, row[-1]]).rstrip())
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
