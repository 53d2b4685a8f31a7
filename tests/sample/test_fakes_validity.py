"""Generated identifiers pass the checks real systems apply: Luhn, mod 97, SSA rules,
national check digits (python-stdnum), libphonenumber, ipaddress."""

from __future__ import annotations

import ipaddress
import re
from datetime import date
from urllib.parse import urlparse

import numpy as np
import phonenumbers
import pytest
from stdnum import iban, luhn
from stdnum.br import cpf
from stdnum.de import idnr
from stdnum.es import dni
from stdnum.fr import nir
from stdnum.it import codicefiscale
from stdnum.nl import bsn

from learnsynth.sample.fakes import SUPPORTED_LOCALES, fill_pii, fold_ascii

REGIONS = {locale: locale[-2:] for locale in SUPPORTED_LOCALES}
NINO = re.compile(r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")


def values(kind: str, locale: str = "en_US", fmt: dict | None = None, n: int = 400,
           value: int = 21) -> np.ndarray:
    return fill_pii([("c", kind, locale, fmt or {})], n, np.random.SeedSequence(value))["c"]


def ssn_ok(text: str) -> bool:
    match = re.fullmatch(r"(\d{3})-?(\d{2})-?(\d{4})", text)
    if match is None:
        return False
    area, group, serial = (int(part) for part in match.groups())
    return 0 < area < 900 and area != 666 and group != 0 and serial != 0


@pytest.mark.parametrize("separator", ["", " ", "-"])
def test_credit_cards_pass_luhn_and_carry_an_issuer_prefix(separator: str) -> None:
    cards = [c.replace(separator, "") if separator else c
             for c in values("credit_card", fmt={"separator": separator}, n=2000)]
    assert all(luhn.is_valid(c) for c in cards)
    assert all(re.match(r"^(4\d{15}|5[1-5]\d{14}|2[2-7]\d{14}|3[47]\d{13}|6\d{15})$", c)
               for c in cards)
    assert {c[0] for c in cards} == {"2", "3", "4", "5", "6"}


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_ibans_pass_mod_97_and_the_countrys_layout(locale: str) -> None:
    ibans = values("iban", locale, {"separator": " "})
    assert all(iban.is_valid(v) for v in ibans)
    if locale != "en_US":  # Faker has no US bank layout; its default is British
        assert {v[:2] for v in ibans} == {REGIONS[locale]}


def test_ssns_follow_the_ssa_rules_with_and_without_a_pattern() -> None:
    assert all(ssn_ok(v) for v in values("ssn", n=5000))
    assert all(ssn_ok(v) and len(v) == 9 for v in values("ssn", fmt={"pattern": "#########"}))
    assert all(ssn_ok(v) for v in values("national_id", "en_US"))


@pytest.mark.parametrize(("locale", "validate"), [
    ("de_DE", idnr.is_valid), ("fr_FR", nir.is_valid), ("es_ES", dni.is_valid),
    ("it_IT", codicefiscale.is_valid), ("nl_NL", bsn.is_valid), ("pt_BR", cpf.is_valid),
    ("en_GB", NINO.match),
])
def test_national_ids_pass_their_countrys_checks(locale: str, validate: object) -> None:
    ids = values("national_id", locale, n=2000)
    assert all(validate(v) for v in ids)  # type: ignore[operator]
    assert len(set(ids)) > 1900


def test_national_ids_that_encode_a_birth_date_encode_the_rows() -> None:
    fr = fill_pii([("dob", "date_of_birth", "fr_FR", {}), ("nir", "national_id", "fr_FR", {})],
                  500, np.random.SeedSequence(4))
    assert all(n[1:5] == d[2:4] + d[5:7] for d, n in zip(fr["dob"], fr["nir"], strict=True))
    it = fill_pii([("dob", "date_of_birth", "it_IT", {}), ("cf", "national_id", "it_IT", {}),
                   ("last", "last_name", "it_IT", {})], 500, np.random.SeedSequence(4))
    for born, code, last in zip(it["dob"], it["cf"], it["last"], strict=True):
        assert codicefiscale.get_birth_date(code) == date.fromisoformat(born)
        assert set(code[:3]) <= set(fold_ascii(last).upper() + "X")


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_phone_numbers_are_valid_for_the_locales_country(locale: str) -> None:
    region = REGIONS[locale]
    numbers = values("phone", locale, n=500)
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(v, region)) for v in numbers)
    assert len(set(numbers)) > 490


@pytest.mark.parametrize(("locale", "pattern"), [
    ("en_US", "(###) ###-####"), ("en_US", "###.###.####"), ("en_US", "+1 ### ### ####"),
    ("en_US", "+###########"), ("de_DE", "#### #######"), ("de_DE", "+49 #### #######"),
    ("fr_FR", "## ## ## ## ##"), ("fr_FR", "+33 # ## ## ## ##"), ("en_GB", "##### ######"),
    ("en_GB", "+44 #### ######"), ("pt_BR", "(##) #####-####"), ("it_IT", "### #######"),
    ("es_ES", "### ## ## ##"), ("nl_NL", "0##-#######"),
])
def test_phone_patterns_are_filled_with_valid_numbers(locale: str, pattern: str) -> None:
    numbers = values("phone", locale, {"pattern": pattern}, n=300)
    shape = re.escape(pattern).replace("\\#", r"\d").replace("\\ ", " ")
    assert all(re.fullmatch(shape, v) for v in numbers)
    region = REGIONS[locale]
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(v, region)) for v in numbers)


def test_an_impossible_phone_pattern_still_gets_its_shape() -> None:
    assert all(re.fullmatch(r"\d{3}", v) for v in values("phone", fmt={"pattern": "###"}))


def test_ip_addresses_parse_as_public_looking_v4_or_global_v6() -> None:
    v4 = [ipaddress.ip_address(v) for v in values("ip_address", n=2000)]
    assert all(a.version == 4 and not a.is_loopback and not a.is_multicast for a in v4)
    assert not any(str(a).startswith("10.") for a in v4)
    v6 = [ipaddress.ip_address(v) for v in values("ip_address", fmt={"version": 6})]
    assert all(a.version == 6 and a.is_global for a in v6)


def test_mac_addresses_are_locally_administered_unicast() -> None:
    macs = values("mac_address")
    assert all(re.fullmatch(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}", m) for m in macs)
    assert all(int(m[:2], 16) & 0b11 == 0b10 for m in macs)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_urls_are_https_on_example_domains(locale: str) -> None:
    for url in values("url", locale):
        parts = urlparse(url)
        assert parts.scheme == "https" and re.search(r"example\.(com|org|net)$", parts.netloc)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_passports_have_the_countrys_shape(locale: str) -> None:
    shapes = {"en_US": r"\d{9}", "en_GB": r"\d{9}", "de_DE": r"[CFGHJK]\d{8}",
              "fr_FR": r"\d\d[A-Z]{2}\d{5}", "es_ES": r"[A-Z]{3}\d{6}", "it_IT": r"[A-Z]{2}\d{7}",
              "nl_NL": r"[A-NP-Z]{2}\d{7}", "pt_BR": r"[A-Z]{2}\d{6}"}
    assert all(re.fullmatch(shapes[locale], v) for v in values("passport", locale))
