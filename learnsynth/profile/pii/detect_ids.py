"""Detectors for identifiers: e-mail, phone, card, SSN, IBAN, national ID, passport, bank
account, IP, MAC and URL.

Each detector returns the share of sampled values its validator accepts; the decision across
detectors is made in :mod:`.detect`.
"""

from __future__ import annotations

import re
from collections import Counter

from learnsynth.profile.pii import validators as v
from learnsynth.profile.pii.candidates import (
    Candidate,
    majority,
    per_distinct,
    share,
    subsample,
)
from learnsynth.profile.pii.formats import case_of, pattern_of, separator_of
from learnsynth.profile.pii.names import NameHints
from learnsynth.profile.pii.phones import REGION_LOCALE, analyse_phones, phone_shaped
from learnsynth.profile.pii.sampling import ColumnSample

__all__ = ["IDENTIFIER_DETECTORS"]

_PASSPORT = re.compile(r"^(?=[A-Z0-9]*\d)[A-Z0-9]{6,10}$")
# Digit groups, sort code + number, or a national BBAN: 8-34 letters/digits, mostly digits.
_ACCOUNT = re.compile(r"^\d[\d\- ]{4,24}\d$|^\d{2}-\d{2}-\d{2} ?\d{6,10}$"
                      r"|^(?=(?:[A-Z]*\d){6})(?=[A-Z0-9]{8,34}$)[A-Z]{0,4}\d+[A-Z]{0,4}\d*[A-Z]{0,2}$")
_ID_LIKE_SHARE = 0.3
_PREFILTER = 0.4  # below this share of plausible shapes a detector does not bother


def _is_text(sample: ColumnSample) -> bool:
    return sample.dtype == "text"


def _digits_ok(sample: ColumnSample) -> bool:
    return sample.dtype in ("text", "integer")


def detect_email(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """E-mail addresses (syntax, case-insensitive)."""
    texts = sample.texts
    if not _is_text(sample) or sum("@" in t for t in texts) < _PREFILTER * sample.n:
        return []
    valid = [t for t, ok in zip(texts, per_distinct(texts, v.is_email), strict=True) if ok]
    return [Candidate("email", len(valid) / sample.n, "are e-mail addresses",
                      format={"case": case_of(valid)})]


def detect_phone(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """Phone numbers parsed with ``phonenumbers`` under the most plausible region."""
    hinted = "phone" in hints.kinds
    if not _digits_ok(sample) or (sample.dtype == "integer" and not hinted):
        return []
    texts = list(subsample(sample.texts))
    shaped = [t for t in texts if phone_shaped(t)]
    if len(shaped) < _PREFILTER * len(texts):
        return []
    evidence = analyse_phones(texts, hints.locales)
    if not hinted and evidence.id_like > _ID_LIKE_SHARE * max(evidence.possible, 1):
        return []
    support = evidence.possible if hinted else evidence.strong
    fmt: dict[str, object] = {"pattern": pattern_of(shaped),
                              "international": round(evidence.international, 2)}
    return [Candidate("phone", support / len(texts), "are phone numbers",
                      locale=evidence.locale, format=fmt)]


def detect_credit_card(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """Card numbers: 12-19 digits with a card-network prefix and a valid Luhn checksum."""
    if not _digits_ok(sample):
        return []
    shaped = [t for t in sample.texts if v.card_digits(t) is not None]
    if len(shaped) < _PREFILTER * sample.n:
        return []
    valid = [t for t in shaped if v.is_credit_card(t)]
    fmt = {"pattern": pattern_of(valid), "separator": separator_of(valid, " -")}
    return [Candidate("credit_card", len(valid) / sample.n, "are Luhn-valid card numbers",
                      format=fmt)]


def detect_ssn(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """US Social Security numbers (bare 9 digits only when the name says SSN)."""
    if not _digits_ok(sample):
        return []
    plain = "ssn" in hints.kinds
    texts = sample.texts
    if sample.dtype == "integer":  # stored as a number, the SSN lost its leading zeros
        texts = tuple(t.zfill(9) if 7 <= len(t) <= 8 else t for t in texts)
    valid = [t for t in texts if v.ssn_ok(t, plain=plain)]
    if not valid:
        return []
    fmt = {"pattern": pattern_of(valid), "separator": separator_of(valid, "- ")}
    return [Candidate("ssn", len(valid) / sample.n, "follow the US SSN rules", locale="en_US",
                      format=fmt)]


def detect_iban(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """IBANs: country format and mod-97 checksum (python-stdnum)."""
    if not _is_text(sample):
        return []
    texts = subsample(sample.texts)  # the mod-97 and country-format check is the costly part
    countries = per_distinct(texts, v.iban_country)
    valid = [t for t, c in zip(texts, countries, strict=True) if c]
    if not valid:
        return []
    country = majority(countries)
    fmt = {"pattern": pattern_of(valid, min_share=0.5), "grouped": share((" " in t for t in valid),
                                                                         len(valid)) > 0.5}
    return [Candidate("iban", len(valid) / len(texts), "are valid IBANs",
                      locale=REGION_LOCALE.get(country or ""), format=fmt)]


def detect_national_id(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """National identifiers with a checksum (NIR, codice fiscale, BSN, CPF, DNI, ...)."""
    if not _digits_ok(sample):
        return []
    texts = subsample(sample.texts)
    locales = per_distinct(texts, v.national_id_locale)
    valid = [t for t, loc in zip(texts, locales, strict=True) if loc]
    if not valid:
        return []
    return [Candidate("national_id", len(valid) / len(texts), "pass a national ID checksum",
                      locale=majority(locales), format={"pattern": pattern_of(valid)})]


def _hinted_shape(sample: ColumnSample, hints: NameHints, kind: str, pattern: re.Pattern[str],
                  evidence: str) -> list[Candidate]:
    if kind not in hints.kinds or not _digits_ok(sample):
        return []
    valid = [t for t in sample.texts if pattern.match(t.upper())]
    unique = len(set(valid)) >= 0.8 * len(valid)
    if not valid or not unique:
        return []
    return [Candidate(kind, len(valid) / sample.n, evidence, needs_hint=True, weak=True,
                      format={"pattern": pattern_of(valid)})]


def detect_passport(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """Passport numbers: 6-10 letters/digits, only with a name hint (no checksum to use)."""
    return _hinted_shape(sample, hints, "passport", _PASSPORT, "look like passport numbers")


def detect_bank_account(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """Bank account numbers: digit groups or BBANs, only with a name hint."""
    return _hinted_shape(sample, hints, "bank_account", _ACCOUNT, "look like account numbers")


def detect_ip(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """IPv4/IPv6 addresses (``ipaddress`` module)."""
    if not _is_text(sample):
        return []
    versions = per_distinct(sample.texts, v.ip_version)
    found = [ver for ver in versions if ver]
    if not found:
        return []
    version = Counter(found).most_common(1)[0][0]
    return [Candidate("ip_address", len(found) / sample.n, "are IP addresses",
                      format={"version": int(version)})]


def detect_mac(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """MAC addresses in colon, dash or dotted notation."""
    if not _is_text(sample):
        return []
    valid = [t for t in sample.texts if v.is_mac(t)]
    if not valid:
        return []
    fmt = {"separator": separator_of(valid, ":-."), "case": case_of(valid)}
    return [Candidate("mac_address", len(valid) / sample.n, "are MAC addresses", format=fmt)]


def detect_url(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """Web addresses (http, https, ftp or ``www.``)."""
    if not _is_text(sample):
        return []
    valid = [t for t in sample.texts if v.is_url(t)]
    if not valid:
        return []
    schemes = Counter(t.split("://", 1)[0].lower() if "://" in t else "none" for t in valid)
    return [Candidate("url", len(valid) / sample.n, "are URLs",
                      format={"scheme": schemes.most_common(1)[0][0]})]


IDENTIFIER_DETECTORS = (
    detect_email, detect_phone, detect_credit_card, detect_ssn, detect_iban, detect_national_id,
    detect_passport, detect_bank_account, detect_ip, detect_mac, detect_url,
)
