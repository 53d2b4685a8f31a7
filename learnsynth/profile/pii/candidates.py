"""What a detector proposes: a kind, the share of values that support it, and its format."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from learnsynth.profile.pii.names import NameHints
from learnsynth.profile.pii.sampling import ColumnSample

__all__ = ["Candidate", "Detector", "majority", "most_listed", "per_distinct", "share",
           "subsample"]

T = TypeVar("T")
R = TypeVar("R")
SLOW_CHECK_LIMIT = 400  # values examined by expensive validators (phone parsing, checksums)


@dataclass(frozen=True)
class Candidate:
    """One detector's proposal for a column.

    Attributes:
        kind: The PII kind proposed.
        share: Share of sampled values that support it (0..1).
        evidence: What the supporting values are, for the reason text ("are valid IBANs").
        locale: Faker-style locale inferred from the values, if any.
        format: Format descriptor (no raw values; scrubbed again before it is returned).
        needs_hint: The kind is accepted only if the column name suggests it.
        weak: Evidence is shape-only (no checksum or vocabulary): confidence is capped.
        min_share: Share needed without a name hint (default: the global threshold).
        min_share_hinted: Share needed with a name hint (default: the global threshold).
    """

    kind: str
    share: float
    evidence: str
    locale: str | None = None
    format: Mapping[str, object] = field(default_factory=dict)
    needs_hint: bool = False
    weak: bool = False
    min_share: float | None = None
    min_share_hinted: float | None = None


Detector = Callable[[ColumnSample, NameHints], list[Candidate]]


def share(flags: Iterable[bool], n: int) -> float:
    """Share of true flags over ``n`` values (0 when there are none)."""
    return sum(1 for flag in flags if flag) / n if n else 0.0


def subsample(texts: Sequence[T], limit: int = SLOW_CHECK_LIMIT) -> Sequence[T]:
    """An evenly spaced subset for expensive checks (the sample is already random)."""
    if len(texts) <= limit:
        return texts
    step = len(texts) / limit
    return [texts[int(i * step)] for i in range(limit)]


def majority(labels: Iterable[str | None]) -> str | None:
    """Most common non-empty label (first seen wins ties)."""
    counts = Counter(label for label in labels if label)
    return counts.most_common(1)[0][0] if counts else None


def most_listed(options: Iterable[Sequence[str]]) -> str | None:
    """The label that the most values list among their options (first seen wins ties).

    Two-letter codes such as ``"TO"`` are both a Brazilian state and an Italian province: a
    column of Brazilian codes lists ``pt_BR`` for every value, ``it_IT`` only for some.
    """
    counts: Counter[str] = Counter()
    for labels in options:
        counts.update(list(dict.fromkeys(label for label in labels if label)))
    return counts.most_common(1)[0][0] if counts else None


def per_distinct(texts: Sequence[str], check: Callable[[str], R]) -> list[R]:
    """``check`` of every value, computed once per distinct value (codes and places repeat)."""
    verdicts: dict[str, R] = {}
    out: list[R] = []
    for text in texts:
        if text not in verdicts:
            verdicts[text] = check(text)
        out.append(verdicts[text])
    return out
