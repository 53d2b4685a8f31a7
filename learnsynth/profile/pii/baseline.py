"""A name-only PII classifier: the yardstick the value-based detector is measured against.

It reads the column name with the same multilingual lexicon as :func:`detect_column` (see
:mod:`.names`) and never looks at a value. Where the name suggests several kinds (``name``:
full, first or last name) it takes the first in :data:`PII_KINDS` order. It shows what the
values add: it flags ``phone_count``-style columns only if the negative tokens catch them,
misses every opaque name (``col_7``), and cannot tell a product ``name`` from a person's.
"""

from __future__ import annotations

from learnsynth.profile.pii.finding import PII_KINDS, PiiFinding
from learnsynth.profile.pii.names import hints_for

__all__ = ["detect_by_name"]

_NAME_ONLY_CONFIDENCE = 0.6


def detect_by_name(name: str) -> PiiFinding:
    """Classify a column from its name alone.

    Args:
        name: The column name.

    Returns:
        A finding whose kind is the first kind the name suggests, or a clean finding.
    """
    column = str(name)
    hints = hints_for(column)
    kind = next((k for k in PII_KINDS if k in hints.kinds), None)
    if kind is None:
        return PiiFinding(column, False, None, _NAME_ONLY_CONFIDENCE,
                          reason="the name suggests no PII kind")
    return PiiFinding(column, True, kind, _NAME_ONLY_CONFIDENCE,
                      locale=hints.locales[0] if hints.locales else None,
                      reason=f"the name suggests {kind}")
