"""The reviewer's sections: PII columns and their treatment, what the model retains, the three
re-identification risks with the figures that speak to each, the threat model and limitations.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from learnsynth.quality.privacy import DIRECT_KINDS

__all__ = ["HIPAA", "limitations", "pii_columns", "retention", "risks", "threat_model"]

# 45 CFR 164.514(b)(2)(i): the Safe Harbor identifiers a PII kind falls under.
HIPAA: dict[str, str] = {
    "full_name": "(A) Names", "first_name": "(A) Names", "last_name": "(A) Names",
    "street_address": "(B) Geographic subdivisions smaller than a state",
    "city": "(B) Geographic subdivisions smaller than a state",
    "postal_code": "(B) Geographic subdivisions smaller than a state",
    "latitude": "(B) Geographic subdivisions smaller than a state",
    "longitude": "(B) Geographic subdivisions smaller than a state",
    "date_of_birth": "(C) Dates directly related to an individual",
    "phone": "(D) Telephone numbers", "email": "(F) Electronic mail addresses",
    "ssn": "(G) Social security numbers", "credit_card": "(J) Account numbers",
    "iban": "(J) Account numbers", "bank_account": "(J) Account numbers",
    "passport": "(K) Certificate/license numbers", "national_id": "(K) Certificate/license numbers",
    "mac_address": "(M) Device identifiers and serial numbers",
    "url": "(N) Web Universal Resource Locators", "ip_address": "(O) Internet Protocol addresses",
    "username": "(R) Any other unique identifying number, characteristic, or code",
}

_TREATMENT = {
    "pii": "regenerated with Faker's {locale} locale data in the same format; no real value kept",
    "key": "regenerated as unique identifiers of the same shape; no real value kept",
    "text": "regenerated; the model keeps only the null rate and a coarse length profile",
    "categorical": "modelled: categories shared by fewer than k rows merged into the rare token",
    "boolean": "modelled: label frequencies",
    "integer": "modelled: fitted marginal with protected bounds",
    "continuous": "modelled: fitted marginal with protected bounds",
    "datetime": "modelled: fitted marginal with protected bounds",
    "empty": "kept as an empty column",
}


def pii_columns(kinds: Mapping[str, Mapping[str, Any]], detected: Mapping[str, Any],
                overridden: set[str]) -> list[dict[str, Any]]:
    """One PiiColumn per column: detector finding, kind used, HIPAA identifier and treatment.

    ``kinds`` maps column → {kind, details}; ``detected`` column → PiiFinding (or None).
    """
    out = []
    for name, info in kinds.items():
        finding = detected.get(name)
        kind, details = info["kind"], info.get("details", {})
        pii_kind = details.get("pii_kind") if kind == "pii" else None
        role = ("direct" if pii_kind in DIRECT_KINDS else "quasi") if kind == "pii" else "none"
        treatment = _TREATMENT.get(kind, "excluded").format(locale=details.get("locale") or "")
        if info.get("excluded"):
            treatment = "excluded by the config: not modelled, not generated"
        out.append({
            "column": name, "pii": kind == "pii",
            "detector_kind": getattr(finding, "kind", None),
            "pii_kind": pii_kind,
            "confidence": round(float(finding.confidence), 3) if finding is not None else
            details.get("confidence"),
            "hipaa_identifier": HIPAA.get(pii_kind or "") if kind == "pii" else None,
            "role": role, "treatment": treatment, "overridden": name in overridden,
        })
    return out


def retention(options: Mapping[str, Any] | None) -> dict[str, list[str]]:
    """What a learnsynth model keeps and the protections applied (with the options used)."""
    k = (options or {}).get("k", 5)
    tail = (options or {}).get("protected_quantile", 0.005)
    return {
        "retains": [
            "per column: kind, null rate, and a format descriptor (never a value) for PII",
            "numbers and dates: a fitted marginal distribution with protected bounds",
            f"categories shared by at least k={k} rows (plus a small random amount) and their "
            "weights",
            "a Gaussian copula correlation matrix over the modelled columns",
            "the source data's sha256 fingerprint (a hash, never the data)",
        ],
        "protections": [
            "PII columns are never modelled from their values; values are regenerated with Faker",
            "key columns keep only their shape and are regenerated",
            f"categories shared by fewer than k={k} rows are merged into the rare token",
            f"numeric and date bounds cut at least {tail} from the extremes (means of k values), "
            "never the real minimum or maximum",
            "artifacts are JSON and .npz without pickle, with a sha256 manifest",
        ],
    }


def risks(privacy: Mapping[str, Any], fidelity: Mapping[str, Any]) -> dict[str, Any]:
    """The three risks of the Article 29 Working Party's opinion, each with its figures."""
    dcr, copies, leaks = privacy["dcr_share"], privacy["exact_copies"], privacy["pii_leaks"]
    quasi = [c for c in leaks["columns"] if c["role"] == "quasi" and c["overlap"] is not None]
    return {
        "singling_out": {
            "risk": "singling_out",
            "question": "Can a synthetic row be traced to one real person?",
            "figures": {"exact_copies_share": copies.get("synthetic_share"),
                        "expected_copies_share": copies.get("expected_share"),
                        "direct_pii_leaks": leaks.get("direct_leaks")},
            "assessment": _assess([copies, leaks]),
        },
        "linkability": {
            "risk": "linkability",
            "question": "Can synthetic rows be linked to real records through shared values?",
            "figures": {"dcr_share": dcr.get("value"),
                        "median_dcr_train": dcr.get("median_dcr_train"),
                        "median_dcr_holdout": dcr.get("median_dcr_holdout"),
                        "max_quasi_overlap_minus_baseline": max(
                            (c["overlap"] - c["baseline"] for c in quasi), default=None)},
            "assessment": _assess([dcr, leaks]),
        },
        "inference": {
            "risk": "inference",
            "question": "Can an attribute of a real person be deduced from the synthetic data?",
            "figures": {"fidelity_overall": fidelity.get("overall"),
                        "detection_roc_auc": fidelity["detection"].get("roc_auc"),
                        "dcr_share": dcr.get("value")},
            "assessment": (
                "Population-level relationships are reproduced by design (that is the data's "
                "use); record-level inference is bounded by the DCR result: "
                + _assess([dcr])),
        },
    }


def _assess(tests: list[Mapping[str, Any]]) -> str:
    statuses = [t.get("status") for t in tests]
    if "fail" in statuses:
        return "at risk: a test that speaks to it failed"
    if "not_run" in statuses:
        return "not fully assessed: a test that speaks to it did not run"
    return "low: every test that speaks to it passed"


def threat_model() -> list[str]:
    return [
        "The attacker holds the synthetic data and may know some real people's attributes "
        "(quasi-identifiers such as city, postal code, date of birth) from other sources.",
        "The attacker wants to single out a real person, link a synthetic row to a real record, "
        "or infer a real person's attribute.",
        "The model artifact may be shared as well; it holds no raw PII, no row and no rare "
        "category, so it is assumed visible to the attacker.",
        "The real data, the holdout split and the signing key are assumed out of the "
        "attacker's reach.",
    ]


def limitations() -> list[str]:
    return [
        "The tests are empirical: passing them is evidence, not a formal guarantee such as "
        "differential privacy.",
        "DCR and detection use subsamples (sizes in the report); a small share of unusual rows "
        "may go unseen.",
        "Holdout-based tests need the model (--model) fitted with holdout > 0; without it they "
        "are not_run.",
        "Free-text columns are scanned as whole values, not for PII inside the text.",
        "Fidelity compares single columns and pairs; higher-order relationships are not scored.",
    ]
