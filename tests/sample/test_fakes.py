"""Contract, coherence, locale, format and uniqueness tests for the PII fake generators."""

from __future__ import annotations

import re
import time
import unicodedata
from datetime import date

import faker.providers.address.en_US as us_address
import faker.providers.address.it_IT as it_address
import faker.providers.person.de_DE as de_person
import faker.providers.person.en_US as us_person
import numpy as np
import pytest
from faker import Faker

from learnsynth.errors import InvalidInputError
from learnsynth.sample.fakes import (
    PROVIDERS,
    REFERENCE_DATE,
    SUPPORTED_LOCALES,
    People,
    fill_pii,
    make_people,
    resolve_locale,
)

KINDS = (
    "full_name", "first_name", "last_name", "email", "phone", "ssn", "national_id", "passport",
    "credit_card", "iban", "bank_account", "ip_address", "mac_address", "street_address", "city",
    "state", "postal_code", "country", "latitude", "longitude", "date_of_birth", "username",
    "url", "free_text",
)
Column = tuple[str, str, str | None, dict]
EMAIL = re.compile(r"^[a-z0-9]+(?:[._][a-z0-9]+)*@(?:[a-z0-9-]+\.)+[a-z]{2,}$")


def seed(value: int = 7) -> np.random.SeedSequence:
    return np.random.SeedSequence(value)


def one(kind: str, n: int = 300, locale: str | None = "en_US", fmt: dict | None = None,
        value: int = 7) -> np.ndarray:
    return fill_pii([("col", kind, locale, fmt or {})], n, seed(value))["col"]


def ascii_fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def every_kind(locale: str | None) -> list[Column]:
    return [(kind, kind, locale, {}) for kind in KINDS]


# --- contract ---------------------------------------------------------------------------------

def test_registry_has_one_provider_per_kind_of_the_vocabulary() -> None:
    assert sorted(PROVIDERS) == sorted(KINDS)
    assert all(cls.kind == kind for kind, cls in PROVIDERS.items())


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_kind_gives_n_nonempty_python_strings_in_every_locale(locale: str) -> None:
    out = fill_pii(every_kind(locale), 120, seed())
    for kind in KINDS:
        values = out[kind]
        assert values.dtype == object and values.shape == (120,), kind
        assert all(type(v) is str and v.strip() for v in values), kind


def test_same_seed_gives_identical_output_and_another_seed_differs() -> None:
    columns = every_kind("de_DE") + [(f"us_{k}", k, "en_US", {}) for k in KINDS]
    first = fill_pii(columns, 200, seed(11), unique=["email", "us_phone"])
    again = fill_pii(columns, 200, seed(11), unique=["email", "us_phone"])
    other = fill_pii(columns, 200, seed(12), unique=["email", "us_phone"])
    for name, *_ in columns:
        assert first[name].tolist() == again[name].tolist(), name
        if not name.endswith("country"):  # one country per locale, whatever the seed
            assert first[name].tolist() != other[name].tolist(), name


def test_an_integer_seed_is_the_same_as_its_seed_sequence() -> None:
    columns = every_kind("fr_FR")
    assert ({k: v.tolist() for k, v in fill_pii(columns, 50, 5).items()}
            == {k: v.tolist() for k, v in fill_pii(columns, 50, seed(5)).items()})


def test_zero_rows_give_empty_columns() -> None:
    out = fill_pii(every_kind("en_US"), 0, seed())
    assert all(values.shape == (0,) for values in out.values())


def test_a_hundred_thousand_rows_of_six_columns_are_fast() -> None:
    columns: list[Column] = [("name", "full_name", None, {}), ("email", "email", None, {}),
               ("phone", "phone", None, {}), ("ssn", "ssn", None, {}),
               ("street", "street_address", None, {}), ("city", "city", None, {})]
    fill_pii(columns, 10, seed())  # warm the process-wide phone table
    start = time.perf_counter()
    out = fill_pii(columns, 100_000, seed())
    print(f"\n100,000 rows x 6 PII columns: {time.perf_counter() - start:.3f} s")
    assert all(len(values) == 100_000 for values in out.values())


# --- coherence within a row --------------------------------------------------------------------

@pytest.mark.parametrize("locale", ["en_US", "de_DE", "fr_FR", "nl_NL"])
def test_email_and_username_are_made_from_the_rows_own_name(locale: str) -> None:
    out = fill_pii([("first", "first_name", locale, {}), ("last", "last_name", locale, {}),
                    ("full", "full_name", locale, {}), ("email", "email", locale, {}),
                    ("user", "username", locale, {})], 2000, seed())
    last = [ascii_fold(v) for v in out["last"]]
    in_email = np.mean([s in e.split("@")[0] for s, e in zip(last, out["email"], strict=True)])
    in_user = np.mean([s in u for s, u in zip(last, out["user"], strict=True)])
    assert in_email >= 0.95 and in_user >= 0.95
    assert all(EMAIL.match(e) for e in out["email"])
    assert (out["full"] == out["first"] + " " + out["last"]).all()


def test_email_domains_are_reserved_example_domains_unless_asked_otherwise() -> None:
    assert {e.split("@")[1] for e in one("email")} <= {"example.com", "example.org", "example.net"}
    free = {e.split("@")[1] for e in one("email", locale="de_DE", fmt={"domains": "free"})}
    assert "gmx.de" in free or "web.de" in free
    assert {e.split("@")[1] for e in one("email", fmt={"domains": ["corp.test"]})} == {"corp.test"}


def test_dates_of_birth_give_ages_18_to_90_on_the_reference_date() -> None:
    births = [date.fromisoformat(v) for v in one("date_of_birth", n=5000)]
    ages = [REFERENCE_DATE.year - b.year - ((REFERENCE_DATE.month, REFERENCE_DATE.day)
                                            < (b.month, b.day)) for b in births]
    assert min(ages) >= 18 and max(ages) <= 90 and max(ages) - min(ages) > 60


def test_us_zip_codes_lie_in_their_rows_state() -> None:
    out = fill_pii([("st", "state", "en_US", {"style": "code"}),
                    ("zip", "postal_code", "en_US", {}), ("name", "state", "en_US", {})],
                   3000, seed())
    ranges = us_address.Provider.states_postcode
    assert all(ranges[s][0] <= int(z) <= ranges[s][1] for s, z in zip(out["st"], out["zip"],
                                                                        strict=True))
    assert len(set(out["st"])) > 40 and all(len(s) == 2 for s in out["st"])
    names = dict(zip(out["name"], out["st"], strict=True))
    assert names.get("Texas", "TX") == "TX" and names.get("California", "CA") == "CA"


def test_french_spanish_and_brazilian_postal_codes_match_their_state() -> None:
    fr = fill_pii([("dep", "state", "fr_FR", {"style": "code"}),
                   ("cp", "postal_code", "fr_FR", {})], 1000, seed())
    for code, postal in zip(fr["dep"], fr["cp"], strict=True):
        assert postal.startswith(code.replace("2A", "20").replace("2B", "20")) and len(postal) == 5
    es = fill_pii([("prov", "state", "es_ES", {}), ("cp", "postal_code", "es_ES", {})], 1000,
                  seed())
    assert {c[:2] for p, c in zip(es["prov"], es["cp"], strict=True) if p == "Madrid"} <= {"28"}
    br = fill_pii([("uf", "state", "pt_BR", {"style": "code"}),
                   ("cep", "postal_code", "pt_BR", {})], 1000, seed())
    assert {c[:2] for u, c in zip(br["uf"], br["cep"], strict=True) if u == "RJ"} <= {
        str(x) for x in range(20, 29)}
    assert all(re.fullmatch(r"\d{5}-\d{3}", c) for c in br["cep"])


def test_italian_postal_code_city_and_province_come_from_one_table_row() -> None:
    out = fill_pii([("cap", "postal_code", "it_IT", {}), ("city", "city", "it_IT", {}),
                    ("prov", "state", "it_IT", {"style": "code"})], 1000, seed())
    table = it_address.Provider.cap_city_province
    for cap, city, prov in zip(out["cap"], out["city"], out["prov"], strict=True):
        assert [city, prov] in table[cap]


def test_latitude_and_longitude_are_a_point_in_the_locales_country() -> None:
    out = fill_pii([("lat", "latitude", "de_DE", {}), ("lon", "longitude", "de_DE", {})], 2000,
                   seed())
    lat, lon = out["lat"].astype(float), out["lon"].astype(float)
    assert 47.0 < lat.min() and lat.max() < 55.5 and 5.5 < lon.min() and lon.max() < 15.5


def test_coordinates_are_drawn_when_people_carry_none() -> None:
    rng = np.random.default_rng(0)
    fake = Faker("en_US")
    fake.seed_instance(0)
    full = make_people(50, "en_US", fake, rng)
    bare = People(full.first, full.last, full.birth, full.street, full.city, full.state,
                  full.postal, full.country)
    values = PROVIDERS["latitude"]("en_US", {"decimals": 3}, fake, rng).generate(50, bare)
    assert all(re.fullmatch(r"-?\d+\.\d{3}", v) for v in values)


# --- locales -------------------------------------------------------------------------------------

def test_german_first_names_come_from_fakers_german_list() -> None:
    names = set(de_person.Provider.first_names)
    assert np.mean([v in names for v in one("first_name", n=2000, locale="de_DE")]) >= 0.95


@pytest.mark.parametrize("requested", [None, "", "xx_YY", "ja_JP"])
def test_unknown_locales_fall_back_to_en_us(requested: str | None) -> None:
    assert resolve_locale(requested) == "en_US"
    names = set(us_person.Provider.first_names)
    assert all(v in names for v in one("first_name", n=200, locale=requested))


def test_locale_spellings_and_languages_resolve_to_a_supported_locale() -> None:
    assert [resolve_locale(x) for x in ("de-DE", "de_de", "de_AT", "pt", "en_AU", "nl")] == [
        "de_DE", "de_DE", "de_DE", "pt_BR", "en_US", "nl_NL"]


def test_each_locales_country_and_free_text_language() -> None:
    out = fill_pii([("c", "country", "fr_FR", {}), ("cc", "country", "fr_FR", {"style": "code"}),
                    ("t", "free_text", "de_DE", {})], 100, seed())
    assert set(out["c"]) == {"France"} and set(out["cc"]) == {"FR"}
    assert all(re.search(r"\b(aus|an|mit|geboren)\b", t) for t in out["t"])


# --- format descriptors -------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "pattern", "shape"), [
    ("ssn", "#########", r"\d{9}"),
    ("postal_code", "#####-####", r"\d{5}-\d{4}"),
    ("bank_account", "##-####-####", r"\d{2}-\d{4}-\d{4}"),
    ("passport", "P-#######", r"P-\d{7}"),
    ("national_id", "### ### ###", r"\d{3} \d{3} \d{3}"),
    ("phone", "(###) ###-####", r"\([2-9]\d\d\) [2-9]\d\d-\d{4}"),
])
def test_patterns_are_honoured(kind: str, pattern: str, shape: str) -> None:
    assert all(re.fullmatch(shape, v) for v in one(kind, fmt={"pattern": pattern}))


def test_a_pattern_keeps_the_values_own_digits_when_they_fit() -> None:
    plain = fill_pii([("zip", "postal_code", "en_US", {})], 100, seed())["zip"]
    dashed = fill_pii([("zip", "postal_code", "en_US", {"pattern": "## ###"})], 100, seed())["zip"]
    assert [p.replace(" ", "") for p in dashed] == list(plain)


@pytest.mark.parametrize(("case", "check"), [("upper", str.isupper), ("lower", str.islower),
                                             ("title", str.istitle)])
def test_case_is_applied_to_text_kinds(case: str, check: object) -> None:
    for kind in ("full_name", "city", "email"):
        values = one(kind, fmt={"case": case})
        assert all(check(v) for v in values), (kind, case)  # type: ignore[operator]


def test_date_format_separator_and_decimals_are_applied() -> None:
    out = fill_pii([("dob", "date_of_birth", "de_DE", {"date_format": "%d.%m.%Y"}),
                    ("card", "credit_card", "en_US", {"separator": "-"}),
                    ("iban", "iban", "de_DE", {"separator": " "}),
                    ("lat", "latitude", "en_US", {"decimals": 2}),
                    ("mac", "mac_address", "en_US", {"separator": "-", "case": "upper"})],
                   300, seed())
    assert all(re.fullmatch(r"\d\d\.\d\d\.(19|20)\d\d", v) for v in out["dob"])
    assert all(re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{4}|\d{4}-\d{6}-\d{5}", v) for v in out["card"])
    assert all(re.fullmatch(r"DE\d\d( \d{4}){4} \d\d", v) for v in out["iban"])
    assert all(re.fullmatch(r"-?\d+\.\d\d", v) for v in out["lat"])
    assert all(re.fullmatch(r"[0-9A-F]{2}(-[0-9A-F]{2}){5}", v) for v in out["mac"])


def test_unknown_format_keys_are_ignored() -> None:
    assert one("ssn", fmt={"colour": "blue"}).tolist() == one("ssn").tolist()


@pytest.mark.parametrize(("fmt", "key"), [({"case": "shout"}, "case"),
                                          ({"decimals": -1}, "decimals"),
                                          ({"date_format": "YYYY"}, "date_format"),
                                          ({"pattern": ""}, "pattern"),
                                          ({"domains": ["Not A Domain"]}, "domains")])
def test_a_bad_format_value_names_the_column_and_key(fmt: dict, key: str) -> None:
    with pytest.raises(InvalidInputError, match=rf"Column 'contact': format '{key}' must be"):
        fill_pii([("contact", "email", "en_US", fmt)], 10, seed())


# --- uniqueness and input errors ---------------------------------------------------------------

def test_unique_columns_are_unique_at_a_hundred_thousand_rows() -> None:
    kinds = ("email", "username", "ssn", "phone", "credit_card", "national_id")
    columns: list[Column] = [(k, k, "en_US", {}) for k in kinds]
    columns.append(("url", "url", "de_DE", {}))
    out = fill_pii(columns, 100_000, seed(3), unique=[*kinds, "url"])
    for name, values in out.items():
        assert len(set(values)) == 100_000, name
    last = [ascii_fold(v) for v in fill_pii([("l", "last_name", "en_US", {})], 100_000,
                                            seed(3))["l"]]
    assert np.mean([s in e for s, e in zip(last, out["email"], strict=True)]) >= 0.95


def test_a_unique_column_whose_kind_cannot_be_unique_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"Column 'given' \(PII kind 'first_name'\) "
                                                r"must be unique"):
        fill_pii([("given", "first_name", "de_DE", {})], 20_000, seed(), unique=["given"])


@pytest.mark.parametrize(("columns", "n", "message"), [
    ([("x", "shoe_size", None, {})], 5, r"Column 'x' has PII kind 'shoe_size'"),
    ([("x", "email", None, {}), ("x", "phone", None, {})], 5, r"Column 'x' is listed twice"),
    ([("x", "email", None, {})], -1, r"must be 0 or more, got -1"),
])
def test_bad_columns_are_refused_with_a_clear_message(columns: list, n: int,
                                                      message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        fill_pii(columns, n, seed())


def test_a_unique_full_name_keeps_email_and_name_columns_of_the_row_coherent() -> None:
    out = fill_pii([("name", "full_name", "en_US", {}), ("last", "last_name", "en_US", {}),
                    ("email", "email", "en_US", {})], 100_000, seed(), unique=["name"])
    assert len(set(out["name"])) == 100_000
    assert all(n.endswith(" " + s) for n, s in zip(out["name"], out["last"], strict=True))
    assert np.mean([ascii_fold(s) in e for s, e in zip(out["last"], out["email"],
                                                       strict=True)]) >= 0.95
