"""The PII vocabulary and the finding reported for each column."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["PII_KINDS", "PiiFinding"]

PII_KINDS: tuple[str, ...] = (
    "full_name", "first_name", "last_name", "email", "phone", "ssn", "national_id", "passport",
    "credit_card", "iban", "bank_account", "ip_address", "mac_address", "street_address", "city",
    "state", "postal_code", "country", "latitude", "longitude", "date_of_birth", "username", "url",
    "free_text",
)


@dataclass(frozen=True)
class PiiFinding:
    """What the detector decided about one column.

    Attributes:
        column: The column name.
        pii: Whether the column holds PII (``kind`` is not ``None``).
        kind: One of :data:`PII_KINDS`, or ``None``.
        confidence: Probability-like score (0..1) that the decision *pii or not* is right.
        locale: Faker-style locale of names, addresses or phones (``"en_US"``, ``"de_DE"``).
        format: How values are written, to regenerate look-alikes (``{"case": "lower"}``,
            ``{"pattern": "(###) ###-####"}``, ``{"separator": "-"}``); never a raw value.
        reason: Short human explanation, without raw values.
    """

    column: str
    pii: bool
    kind: str | None
    confidence: float
    locale: str | None = None
    format: dict[str, object] = field(default_factory=dict)
    reason: str = ""

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (the keys of ``learnsynth detect --json`` plus the details)."""
        return {
            "column": self.column, "pii": self.pii, "kind": self.kind,
            "confidence": round(float(self.confidence), 3), "locale": self.locale,
            "format": dict(self.format), "reason": self.reason,
        }
