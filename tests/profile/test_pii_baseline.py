"""The name-only baseline reads column names with the detector's lexicon and nothing else."""

from __future__ import annotations

import pytest

from learnsynth.profile.pii import PII_KINDS
from learnsynth.profile.pii.baseline import detect_by_name


@pytest.mark.parametrize(("name", "kind"), [
    ("email", "email"), ("Vorname", "first_name"), ("correo", "email"), ("telefono", "phone"),
    ("nom", "full_name"), ("Geburtsdatum", "date_of_birth"), ("codice_fiscale", "national_id"),
    ("woonplaats", "city"), ("cep", "postal_code"), ("iban", "iban"),
])
def test_multilingual_names_give_their_kind(name: str, kind: str) -> None:
    found = detect_by_name(name)
    assert (found.pii, found.kind) == (True, kind)
    assert found.column == name


@pytest.mark.parametrize("name", ["col_7", "x", "field3", "phone_count", "email_opt_in",
                                  "product_name", "amount", ""])
def test_opaque_and_negated_names_are_not_pii(name: str) -> None:
    found = detect_by_name(name)
    assert (found.pii, found.kind) == (False, None)


def test_baseline_answers_within_the_vocabulary_and_never_reads_values() -> None:
    found = detect_by_name("customer_name")
    assert found.kind in PII_KINDS
    assert found.reason == f"the name suggests {found.kind}"
    assert found.to_dict()["confidence"] == 0.6
