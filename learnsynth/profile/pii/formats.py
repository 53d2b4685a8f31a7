"""Format descriptors that let the sampler regenerate look-alike values.

A descriptor says *how* values are written (case, separators, a digit pattern), never *what*
they are: patterns mask every digit as ``#`` and every letter as ``?`` except constant literal
prefixes and short constant markers (an ``x`` before an extension), and a pattern is reported
only when at least :data:`MIN_PATTERN_COUNT` sampled values share it. :func:`scrub` is the last
line of defence: it drops any entry that contains a sampled value.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

__all__ = ["MIN_PATTERN_COUNT", "case_of", "pattern_of", "scrub", "separator_of"]

MIN_PATTERN_COUNT = 5
_LETTER_RUN = re.compile(r"\?+")
_MAX_MARKER = 3


def case_of(texts: Iterable[str]) -> str:
    """``"lower"``, ``"upper"``, ``"title"`` or ``"mixed"``: how the cased values are written."""
    counts: Counter[str] = Counter()
    for text in texts:
        if text.islower():
            counts["lower"] += 1
        elif text.isupper():
            counts["upper"] += 1
        elif text.istitle():
            counts["title"] += 1
        elif any(ch.isalpha() for ch in text):
            counts["mixed"] += 1
    if not counts:
        return "mixed"
    case, count = counts.most_common(1)[0]
    return case if count >= 0.9 * sum(counts.values()) else "mixed"


def _mask(text: str) -> str:
    return "".join("#" if ch.isdigit() else "?" if ch.isalpha() else ch for ch in text)


def pattern_of(texts: Iterable[str], *, min_share: float = 0.0) -> str | None:
    """The most common digit/letter pattern, e.g. ``"(###) ###-####"``.

    Args:
        texts: Sampled values.
        min_share: Minimum share of values the pattern must cover.

    Returns:
        The pattern, or ``None`` when fewer than :data:`MIN_PATTERN_COUNT` values (or less
        than ``min_share``) share one, or when it holds no digit.
    """
    values = [t for t in texts if len(t) <= 64]
    masks = Counter(_mask(t) for t in values)
    if not masks:
        return None
    mask, count = masks.most_common(1)[0]
    if count < MIN_PATTERN_COUNT or count < min_share * len(values) or "#" not in mask:
        return None
    members = [t for t in values if _mask(t) == mask]
    chars = list(mask)
    first_digit = mask.index("#")
    for run in _LETTER_RUN.finditer(mask):
        start, end = run.span()
        literal = {t[start:end] for t in members}
        if len(literal) == 1 and (end <= first_digit or end - start <= _MAX_MARKER):
            chars[start:end] = list(literal.pop())
    return "".join(chars)


def separator_of(texts: Iterable[str], candidates: str = "-. /:") -> str:
    """The punctuation most values use between their parts (``""`` when none)."""
    counts: Counter[str] = Counter()
    total = 0
    for text in texts:
        total += 1
        used = {ch for ch in text if ch in candidates}
        counts.update(used if len(used) == 1 else {""})
    if not counts:
        return ""
    sep, count = counts.most_common(1)[0]
    return sep if count >= 0.5 * total else ""


def _contains_raw(text: str, raw: frozenset[str]) -> bool:
    if text in raw:
        return True
    return any(len(r) >= 2 and r in text for r in raw)


def scrub(fmt: Mapping[str, object], raw_values: Iterable[str]) -> dict[str, object]:
    """Drop format entries whose text equals or contains a sampled value.

    Args:
        fmt: The descriptor built by a detector.
        raw_values: The sampled values (stripped text) it was built from.
    """
    raw = frozenset(v for v in raw_values if v)
    clean: dict[str, object] = {}
    for key, value in fmt.items():
        if value is None:
            continue
        if _contains_raw(str(value), raw):
            continue
        clean[key] = value
    return clean
