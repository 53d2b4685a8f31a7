"""A user's override of a PII decision wins; the profile records what the detector found where it
ran (not for columns the override alone decides are not PII: detection is skipped for those)."""

from __future__ import annotations

import pandas as pd
from faker import Faker

from learnsynth import Synthesizer
from learnsynth.config import ColumnOverride, ProfileOptions


def _frame() -> pd.DataFrame:
    fake = Faker("en_US")
    fake.seed_instance(0)
    return pd.DataFrame({
        "email": [fake.email() for _ in range(300)],
        "contact": [fake.email() for _ in range(300)],
        "amount": [str(i) for i in range(300)],
    })


def _pii_docs(options: ProfileOptions) -> dict[str, dict[str, object]]:
    synth = Synthesizer(options).fit(_frame())
    return {c["column"]: c["pii"] for c in synth.profiles_[0].columns}


def test_overrides_win_and_skip_detection_where_unused() -> None:
    options = ProfileOptions(columns={
        "email": ColumnOverride(pii=False, kind="categorical"),
        "amount": ColumnOverride(kind="phone"),
    })
    docs = _pii_docs(options)
    assert docs["email"]["pii"] is False and docs["email"]["overridden"] is True
    assert docs["email"]["detected_kind"] is None and docs["email"]["confidence"] == 0.0
    assert docs["amount"]["kind"] == "phone" and docs["amount"]["overridden"] is True
    assert docs["amount"]["detected_kind"] is None


def test_columns_without_override_are_not_marked() -> None:
    docs = _pii_docs(ProfileOptions())
    assert docs["contact"] == {**docs["contact"], "pii": True, "kind": "email",
                               "detected_kind": "email", "overridden": False}
