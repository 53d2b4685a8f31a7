"""PII detection on realistic columns: a table of Faker-generated positives in several locales
per kind, the negatives users hit in practice, formats free of raw values, and an accuracy
floor over the whole corpus."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import pytest
from faker import Faker

from learnsynth.errors import InvalidInputError
from learnsynth.profile.pii import PII_KINDS, PiiFinding, detect_column, detect_frame
from learnsynth.profile.pii.names import hints_for

N = 150


@dataclass(frozen=True)
class Case:
    """One column of the corpus and the kind a reviewer expects (None: not PII)."""

    id: str
    column: str
    values: pd.Series
    kind: str | None


def fake(locale: str, seed: int = 7) -> Faker:
    generator = Faker(locale)
    generator.seed_instance(seed)
    return generator


def draw(locale: str, make: Callable[[Faker], object], n: int = N, seed: int = 7) -> list[object]:
    generator = fake(locale, seed)
    return [make(generator) for _ in range(n)]


def text(values: Sequence[object], null_share: float = 0.0, seed: int = 0) -> pd.Series:
    """Values as a CSV reader gives them: str in an object column, None for nulls."""
    series = pd.Series([None if v is None else str(v) for v in values], dtype=object)
    if null_share:
        series[np.random.default_rng(seed).random(len(series)) < null_share] = None
    return series


def grouped(digits: str) -> str:
    """A card number written in groups of four: ``"4111 1111 1111 1111"``."""
    return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def method(name: str, **kwargs: object) -> Callable[[Faker], object]:
    return lambda f: getattr(f, name)(**kwargs)


# (locale, generator, column name, expected kind); column names in the locale's language,
# plus opaque names (col_7, x, field3) judged on values alone.
_TABLE: list[tuple[str, Callable[[Faker], object], str, str]] = [
    ("en_US", method("name"), "name", "full_name"),
    ("en_US", method("name"), "col_3", "full_name"),
    ("de_DE", method("name"), "Name", "full_name"),
    ("fr_FR", method("name"), "nom_complet", "full_name"),
    ("es_ES", method("name"), "nombre completo", "full_name"),
    ("it_IT", method("name"), "field3", "full_name"),
    ("nl_NL", method("name"), "naam", "full_name"),
    ("pt_BR", method("name"), "nomeCompleto", "full_name"),
    ("pt_PT", method("name"), "x", "full_name"),
    ("en_GB", method("name"), "CustomerName", "full_name"),
    ("en_US", lambda f: f"{f.last_name()}, {f.first_name()}", "col_1", "full_name"),
    ("en_US", method("first_name"), "first_name", "first_name"),
    ("de_DE", method("first_name"), "Vorname", "first_name"),
    ("fr_FR", method("first_name"), "prénom", "first_name"),
    ("es_ES", method("first_name"), "nombre", "first_name"),
    ("it_IT", method("first_name"), "nome", "first_name"),
    ("nl_NL", method("first_name"), "voornaam", "first_name"),
    ("pt_BR", method("first_name"), "primeiro_nome", "first_name"),
    ("en_GB", method("first_name"), "col_7", "first_name"),
    ("en_US", method("last_name"), "lastName", "last_name"),
    ("de_DE", method("last_name"), "Nachname", "last_name"),
    ("fr_FR", method("last_name"), "nom", "last_name"),
    ("es_ES", method("last_name"), "apellido", "last_name"),
    ("it_IT", method("last_name"), "cognome", "last_name"),
    ("nl_NL", method("last_name"), "achternaam", "last_name"),
    ("pt_BR", method("last_name"), "sobrenome", "last_name"),
    ("de_DE", method("last_name"), "col_2", "last_name"),
    ("en_US", method("email"), "email", "email"),
    ("de_DE", method("email"), "E-Mail", "email"),
    ("es_ES", method("email"), "correo", "email"),
    ("fr_FR", method("email"), "courriel", "email"),
    ("it_IT", method("email"), "col_9", "email"),
    ("nl_NL", method("email"), "email_address", "email"),
    ("en_US", lambda f: f.email().upper(), "x", "email"),
    ("en_US", method("phone_number"), "phone", "phone"),
    ("de_DE", method("phone_number"), "Telefonnummer", "phone"),
    ("es_ES", method("phone_number"), "teléfono", "phone"),
    ("it_IT", method("phone_number"), "telefono", "phone"),
    ("pt_BR", method("phone_number"), "telefone", "phone"),
    ("nl_NL", method("phone_number"), "telefoon", "phone"),
    ("fr_FR", method("phone_number"), "col_4", "phone"),
    ("en_GB", method("phone_number"), "field2", "phone"),
    ("en_US", method("ssn"), "ssn", "ssn"),
    ("en_US", method("ssn"), "col_5", "ssn"),
    ("en_US", lambda f: f.ssn().replace("-", ""), "SSN", "ssn"),
    ("fr_FR", method("ssn"), "numero_securite_sociale", "national_id"),
    ("it_IT", method("ssn"), "codice_fiscale", "national_id"),
    ("nl_NL", method("ssn"), "bsn", "national_id"),
    ("pt_BR", method("cpf"), "col_6", "national_id"),
    ("es_ES", method("nif"), "dni", "national_id"),
    ("en_GB", method("ssn"), "x1", "national_id"),
    ("de_CH", method("ssn"), "ahv", "national_id"),
    ("en_US", method("passport_number"), "passport_number", "passport"),
    ("de_DE", method("passport_number"), "Reisepass", "passport"),
    ("en_US", method("credit_card_number"), "card_number", "credit_card"),
    ("en_US", method("credit_card_number"), "col_8", "credit_card"),
    ("en_US", lambda f: grouped(f.credit_card_number("visa16")), "x", "credit_card"),
    ("de_DE", method("iban"), "IBAN", "iban"),
    ("nl_NL", method("iban"), "col_10", "iban"),
    ("fr_FR", method("iban"), "field1", "iban"),
    ("en_GB", method("iban"), "x", "iban"),
    ("en_US", method("bban"), "bank_account", "bank_account"),
    ("de_DE", lambda f: f.numerify("##########"), "Kontonummer", "bank_account"),
    ("en_US", method("ipv4"), "col_11", "ip_address"),
    ("en_US", method("ipv6"), "x", "ip_address"),
    ("en_US", method("ipv4_public"), "client_ip", "ip_address"),
    ("en_US", method("mac_address"), "col_12", "mac_address"),
    ("en_US", method("url"), "website", "url"),
    ("en_US", method("uri"), "col_13", "url"),
    ("en_US", method("street_address"), "address", "street_address"),
    ("en_US", method("street_address"), "col_14", "street_address"),
    ("en_US", method("address"), "x", "street_address"),
    ("en_GB", method("street_address"), "field4", "street_address"),
    ("de_DE", method("street_address"), "Straße", "street_address"),
    ("de_DE", method("street_address"), "col_15", "street_address"),
    ("fr_FR", method("street_address"), "adresse", "street_address"),
    ("es_ES", method("street_address"), "dirección", "street_address"),
    ("it_IT", method("street_address"), "indirizzo", "street_address"),
    ("nl_NL", method("street_address"), "adres", "street_address"),
    ("nl_NL", method("street_address"), "x", "street_address"),
    ("pt_BR", method("street_address"), "endereço", "street_address"),
    ("en_US", method("city"), "city", "city"),
    ("en_US", method("city"), "col_16", "city"),
    ("de_DE", method("city"), "Stadt", "city"),
    ("de_DE", method("city"), "x", "city"),
    ("fr_FR", method("city"), "ville", "city"),
    ("es_ES", method("city"), "ciudad", "city"),
    ("it_IT", method("city"), "città", "city"),
    ("it_IT", method("city"), "field5", "city"),
    ("nl_NL", method("city"), "woonplaats", "city"),
    ("pt_PT", method("city"), "cidade", "city"),
    ("en_US", method("state"), "state", "state"),
    ("en_US", method("state_abbr"), "col_17", "state"),
    ("de_DE", method("state"), "Bundesland", "state"),
    ("en_US", method("postcode"), "zip", "postal_code"),
    ("de_DE", method("postcode"), "PLZ", "postal_code"),
    ("fr_FR", method("postcode"), "code_postal", "postal_code"),
    ("es_ES", method("postcode"), "cp", "postal_code"),
    ("it_IT", method("postcode"), "CAP", "postal_code"),
    ("pt_BR", method("postcode"), "cep", "postal_code"),
    ("en_US", lambda f: f.zipcode_plus4(), "col_18", "postal_code"),
    ("en_GB", method("postcode"), "x", "postal_code"),
    ("nl_NL", method("postcode"), "col_19", "postal_code"),
    ("pt_PT", method("postcode"), "field6", "postal_code"),
    ("en_US", method("country"), "country", "country"),
    ("en_US", method("country"), "col_20", "country"),
    ("en_US", method("country_code"), "x", "country"),
    ("de_DE", method("country"), "Land", "country"),
    ("en_US", lambda f: float(f.latitude()), "lat", "latitude"),
    ("en_US", lambda f: str(f.longitude()), "lng", "longitude"),
    ("de_DE", lambda f: str(f.latitude()), "Breitengrad", "latitude"),
    ("en_US", lambda f: f.date_of_birth(minimum_age=18, maximum_age=90).isoformat(), "dob",
     "date_of_birth"),
    ("de_DE", lambda f: f.date_of_birth(minimum_age=18, maximum_age=90).strftime("%d.%m.%Y"),
     "Geburtsdatum", "date_of_birth"),
    ("es_ES", lambda f: f.date_of_birth(minimum_age=18, maximum_age=90).strftime("%d/%m/%Y"),
     "fecha_de_nacimiento", "date_of_birth"),
    ("en_US", lambda f: f.date_of_birth(minimum_age=18, maximum_age=90).isoformat(), "col_21",
     "date_of_birth"),
    ("en_US", method("user_name"), "username", "username"),
    ("de_DE", method("user_name"), "Benutzername", "username"),
    ("en_US", method("user_name"), "login", "username"),
    ("en_US", lambda f: f.sentence(10) + f" Reach {f.name()} at {f.email()}.", "notes",
     "free_text"),
    ("en_US", lambda f: f.sentence(10) + f" Call me on {f.phone_number()}.", "col_22",
     "free_text"),
]


def _table_cases() -> list[Case]:
    cases = []
    for pos, (locale, make, column, kind) in enumerate(_TABLE):
        cases.append(Case(f"{kind}-{locale}-{column}", column,
                          text(draw(locale, make, seed=pos)), kind))
    return cases


def _typed_cases() -> list[Case]:
    """Parquet-typed columns, nulls and mixed formats."""
    f = fake("en_US", 3)
    cards = pd.Series([int(f.credit_card_number("visa16")) for _ in range(N)])
    dob = pd.Series(pd.to_datetime([f.date_of_birth(minimum_age=18, maximum_age=90)
                                    for _ in range(N)]))
    zips = pd.Series([int(f.postcode()) for _ in range(N)])
    lats = pd.Series([float(f.latitude()) for _ in range(N)])
    digits = [f"{f.random_int(201, 989)}{f.random_int(200, 999)}{f.random_int(1000, 9999)}"
              for _ in range(N)]
    layouts = ["+1-{a}-{b}-{c}", "({a}) {b}-{c}", "{a}.{b}.{c}", "{a} {b} {c}"]
    mixed = [layouts[i % 4].format(a=d[:3], b=d[3:6], c=d[6:]) for i, d in enumerate(digits)]
    return [
        Case("credit_card-int64", "col_30", cards, "credit_card"),
        Case("date_of_birth-datetime", "birth_date", dob, "date_of_birth"),
        Case("date_of_birth-datetime-opaque", "col_31", dob, "date_of_birth"),
        Case("postal_code-int64-zip", "zip_code", zips, "postal_code"),
        Case("latitude-float64", "latitude", lats, "latitude"),
        Case("phone-mixed-formats", "col_32", text(mixed), "phone"),
        Case("email-30pct-null", "col_33", text(draw("en_US", method("email")), 0.3), "email"),
        Case("full_name-30pct-null", "x", text(draw("de_DE", method("name")), 0.3, 1),
             "full_name"),
        Case("phone-30pct-null", "col_34", text(draw("en_GB", method("phone_number")), 0.3, 2),
             "phone"),
        Case("iban-30pct-null", "field7", text(draw("de_DE", method("iban")), 0.3, 3), "iban"),
    ]


def _not_luhn(number: str) -> str:
    """``number`` with its last digit changed so that the Luhn checksum fails."""
    payload = [int(d) for d in number[:-1]]
    total = sum(2 * d - 9 if i % 2 == 0 and d > 4 else 2 * d if i % 2 == 0 else d
                for i, d in enumerate(reversed(payload)))
    valid_check = (10 - total % 10) % 10
    return number[:-1] + str((valid_check + 1) % 10)


def _negative_cases() -> list[Case]:
    rng = np.random.default_rng(5)
    products = [f"{a} {b} {c}" for a, b, c in zip(
        rng.choice(["Widget", "Gadget", "Gizmo", "Sprocket", "Doohickey"], N),
        rng.choice(["Pro", "Max", "Mini", "Plus", "Ultra"], N), rng.integers(100, 3000, N),
        strict=True)]
    orders = [_not_luhn(str(x)) for x in rng.integers(4 * 10**15, 5 * 10**15, N)]
    recent = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 1800, N), unit="D")
    return [
        Case("phone_count-ints", "phone_count", pd.Series(rng.integers(0, 5, N)), None),
        Case("phone_count-text", "phone_count", text(rng.integers(0, 5, N)), None),
        Case("name-products", "name", text(products), None),
        Case("name-products-no-digits", "product_name",
             text([p.rsplit(" ", 1)[0] for p in products]), None),
        Case("email_opt_in-bool", "email_opt_in", pd.Series(rng.random(N) < 0.5), None),
        Case("email_opt_in-text", "email_opt_in", text(rng.choice(["true", "false"], N)), None),
        Case("email_opt_in-yn", "email_opt_in", text(rng.choice(["Y", "N"], N)), None),
        Case("order_number-16-digits-not-luhn", "order_number", text(orders), None),
        Case("order_number-opaque", "col_40", text(orders), None),
        Case("measurement-float", "weight_kg", pd.Series(rng.normal(70, 12, N)), None),
        Case("measurement-text", "col_41", text(f"{x:.2f}" for x in rng.normal(70, 12, N)), None),
        Case("segment", "segment", text(rng.choice(["Consumer", "Corporate", "Home Office"], N)),
             None),
        Case("tier", "tier", text(rng.choice(["Gold", "Silver", "Bronze", "Platinum"], N)), None),
        Case("signup_date-iso", "signup_date", text(d.date().isoformat() for d in recent), None),
        Case("order_date-datetime", "order_date", pd.Series(recent), None),
        Case("dates-opaque-recent", "col_42", text(d.date().isoformat() for d in recent), None),
        Case("customer_id-17-000003", "customer_id", text(f"17-{i:06d}" for i in range(1, N + 1)),
             None),
        Case("id-opaque", "col_43", text(f"17-{i:06d}" for i in range(1, N + 1)), None),
        Case("random-10-digit-ids", "col_44",
             text(str(x) for x in rng.integers(10**9, 10**10, N)), None),
        Case("age", "age", text(rng.integers(18, 90, N)), None),
        Case("company", "company", text(draw("en_US", method("company"))), None),
        Case("job", "job_title", text(draw("en_US", method("job"))), None),
        Case("comments-no-pii", "comments", text(draw("en_US", method("sentence", nb_words=12))),
             None),
        Case("currency", "currency", text(draw("en_US", method("currency_code"))), None),
        Case("uuid", "col_45", text(draw("en_US", method("uuid4"))), None),
        Case("sku", "sku", text(draw("en_US", method("bothify", text="SKU-####-??"))), None),
        Case("isbn", "isbn", text(draw("en_US", method("isbn13"))), None),
        Case("long_description", "long_description", text(draw("en_US", method("text"))), None),
        Case("amount", "amount", text(f"{x:.2f}" for x in rng.lognormal(3, 1, N)), None),
        Case("status-named-state", "state", text(rng.choice(["open", "closed", "pending"], N)),
             None),
        Case("coordinates-without-name", "col_46",
             pd.Series(rng.uniform(-80, 80, N).round(5)), None),
    ]


@cache
def corpus() -> tuple[Case, ...]:
    return tuple(_table_cases() + _typed_cases() + _negative_cases())


@cache
def finding(case_id: str) -> PiiFinding:
    case = next(c for c in corpus() if c.id == case_id)
    return detect_column(case.column, case.values)


_POSITIVE_IDS = [c.id for c in corpus() if c.kind is not None]
_NEGATIVE_IDS = [c.id for c in corpus() if c.kind is None]


@pytest.mark.parametrize("case_id", _POSITIVE_IDS)
def test_positive_case_is_found_with_its_kind(case_id: str) -> None:
    case = next(c for c in corpus() if c.id == case_id)
    result = finding(case_id)
    assert (result.pii, result.kind) == (True, case.kind), result.reason
    assert 0.5 <= result.confidence <= 1


@pytest.mark.parametrize("case_id", _NEGATIVE_IDS)
def test_negative_case_is_not_flagged(case_id: str) -> None:
    result = finding(case_id)
    assert (result.pii, result.kind) == (False, None), result.reason


def test_corpus_accuracy_floor() -> None:
    cases = corpus()
    binary = np.mean([finding(c.id).pii == (c.kind is not None) for c in cases])
    kinds = np.mean([finding(c.id).kind == c.kind for c in cases])
    assert len(cases) >= 150
    assert binary >= 0.95
    assert kinds >= 0.93


def _raw_texts(values: pd.Series) -> set[str]:
    return {str(v).strip() for v in values.dropna()} - {""}


def test_formats_and_reasons_never_hold_a_raw_value() -> None:
    for case in corpus():
        result = finding(case.id)
        raw = {r for r in _raw_texts(case.values) if len(r) >= 2}
        for key, value in result.format.items():
            assert not any(r in str(value) for r in raw), (case.id, key)
        assert not any(r in result.reason for r in raw if len(r) >= 6 or not r.isdigit()), case.id


@pytest.mark.parametrize(("locale", "make", "expected"), [
    ("de_DE", method("name"), "de_DE"), ("fr_FR", method("name"), "fr_FR"),
    ("es_ES", method("name"), "es_ES"), ("it_IT", method("last_name"), "it_IT"),
    ("nl_NL", method("name"), "nl_NL"), ("pt_BR", method("name"), "pt_BR"),
    ("fr_FR", method("phone_number"), "fr_FR"), ("de_DE", method("phone_number"), "de_DE"),
    ("en_GB", method("phone_number"), "en_GB"), ("en_US", method("phone_number"), "en_US"),
    ("nl_NL", method("iban"), "nl_NL"), ("nl_NL", method("postcode"), "nl_NL"),
    ("pt_PT", method("postcode"), "pt_PT"), ("de_DE", method("street_address"), "de_DE"),
    ("es_ES", method("street_address"), "es_ES"), ("it_IT", method("city"), "it_IT"),
])
def test_locale_is_inferred_from_values(locale: str, make: Callable[[Faker], object],
                                        expected: str) -> None:
    result = detect_column("col_1", text(draw(locale, make, seed=11)))
    assert result.locale == expected, result.reason


def test_locale_of_bare_postal_codes_comes_from_the_column_name() -> None:
    codes = text(draw("de_DE", method("postcode")))
    assert detect_column("PLZ", codes).locale == "de_DE"
    assert detect_column("zip", codes).locale == "en_US"


def test_format_describes_how_values_are_written() -> None:
    f = fake("en_US", 2)
    phones = text(f.numerify("(###) ###-####") for _ in range(40))
    assert detect_column("phone", phones).format["pattern"] == "(###) ###-####"
    emails = text(f.email().upper() for _ in range(40))
    assert detect_column("email", emails).format == {"case": "upper"}
    ssns = text(f.ssn() for _ in range(40))
    assert detect_column("ssn", ssns).format == {"pattern": "###-##-####", "separator": "-"}


def test_a_pattern_needs_five_values_sharing_it() -> None:
    f = fake("en_US", 2)
    four = text(f.numerify("(###) ###-####") for _ in range(4))
    five = text([*four, f.numerify("(###) ###-####")])
    assert "pattern" not in detect_column("phone", four).format
    assert detect_column("phone", five).format["pattern"] == "(###) ###-####"


@pytest.mark.parametrize(("name", "kinds"), [
    ("Vorname", {"first_name"}), ("Nachname", {"last_name"}), ("prénom", {"first_name"}),
    ("correo", {"email"}), ("teléfono", {"phone"}), ("telefone", {"phone"}),
    ("cognome", {"last_name"}), ("achternaam", {"last_name"}), ("email_address", {"email"}),
    ("e-mail", {"email"}), ("EMail", {"email"}), ("dob", {"date_of_birth"}),
    ("geburtsdatum", {"date_of_birth"}), ("dateOfBirth", {"date_of_birth"}),
    ("plz", {"postal_code"}), ("zip", {"postal_code"}), ("cp", {"postal_code"}),
    ("customerEmail", {"email"}), ("ipAddress", {"ip_address"}),
    ("first-name", {"first_name"}), ("Telefonnummer", {"phone"}),
    ("phone_count", set()), ("email_opt_in", set()), ("is_email_verified", set()),
    ("product_name", set()), ("user_id", set()), ("col_7", set()), ("x", set()),
    ("field3", set()), ("long_description", set()), ("signup_date", set()),
])
def test_column_names_are_read_in_several_languages(name: str, kinds: set[str]) -> None:
    assert hints_for(name).kinds == kinds


def test_name_hint_never_overrules_values() -> None:
    f = fake("en_US", 4)
    amounts = text(f"{f.pyfloat(min_value=1, max_value=500):.2f}" for _ in range(N))
    result = detect_column("email", amounts)
    assert (result.pii, result.kind) == (False, None)
    assert "the name suggests email" in result.reason


def test_empty_and_all_null_columns_are_not_pii() -> None:
    for values in (pd.Series([], dtype=object), pd.Series([None] * 20, dtype=object),
                   pd.Series([np.nan] * 20), pd.Series(["", "  "] * 5, dtype=object)):
        result = detect_column("email", values)
        assert (result.pii, result.kind) == (False, None)
        assert result.reason == "no non-null values to examine"


def test_sample_size_bounds_the_values_examined() -> None:
    values = text(draw("en_US", method("email"), n=600))
    result = detect_column("col_1", values, sample_size=50)
    assert result.kind == "email"
    assert "of 50 sampled values" in result.reason


def test_detection_is_deterministic() -> None:
    values = text(draw("de_DE", method("phone_number"), n=400), 0.3)
    first = detect_column("col_1", values, sample_size=100)
    again = detect_column("col_1", values, sample_size=100, rng=np.random.default_rng(0))
    assert first == again
    frame = pd.DataFrame({"a": values, "b": text(draw("en_US", method("email"), n=400))})
    assert detect_frame(frame, seed=3) == detect_frame(frame, seed=3)


def test_detect_frame_reports_every_column_in_order() -> None:
    frame = pd.DataFrame({
        "customer_id": text(f"17-{i:06d}" for i in range(N)),
        "Vorname": text(draw("de_DE", method("first_name"))),
        "PLZ": text(draw("de_DE", method("postcode"))),
        "Telefon": text(draw("de_DE", method("phone_number"))),
        "umsatz": pd.Series(np.random.default_rng(1).gamma(2.0, 50.0, N)),
    })
    results = detect_frame(frame)
    assert [r.column for r in results] == list(frame.columns)
    assert [r.kind for r in results] == [None, "first_name", "postal_code", "phone", None]
    assert {r.locale for r in results if r.pii} == {"de_DE"}


def test_detect_frame_gives_ambiguous_columns_the_table_locale() -> None:
    frame = pd.DataFrame({
        "nome": text(draw("it_IT", method("name"))),
        "postcode": text(draw("it_IT", method("postcode"))),
    })
    alone = detect_column("postcode", frame["postcode"])
    assert alone.kind == "postal_code" and alone.locale is None
    assert detect_frame(frame)[1].locale == "it_IT"


def test_finding_to_dict_is_json_ready() -> None:
    result = detect_column("email", text(draw("en_US", method("email"))))
    payload = json.loads(json.dumps(result.to_dict()))
    assert payload["column"] == "email" and payload["pii"] is True
    assert payload["kind"] == "email" and 0 <= payload["confidence"] <= 1
    assert set(payload) == {"column", "pii", "kind", "confidence", "locale", "format", "reason"}


def test_pii_kinds_match_the_design_vocabulary() -> None:
    assert PII_KINDS == (
        "full_name", "first_name", "last_name", "email", "phone", "ssn", "national_id",
        "passport", "credit_card", "iban", "bank_account", "ip_address", "mac_address",
        "street_address", "city", "state", "postal_code", "country", "latitude", "longitude",
        "date_of_birth", "username", "url", "free_text",
    )


def test_bad_arguments_raise_clear_errors() -> None:
    with pytest.raises(InvalidInputError, match="'sample_size'.*positive integer.*Got 0"):
        detect_column("x", pd.Series(["a"]), sample_size=0)
    with pytest.raises(InvalidInputError, match="pandas DataFrame; got list"):
        detect_frame([1, 2])  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="'seed'.*non-negative integer"):
        detect_frame(pd.DataFrame({"a": [1]}), seed=-1)


def test_long_wide_frame_is_judged_from_samples() -> None:
    """Every column of a 200,000 x 50 frame gets its kind from its sample (the timing is
    measured in ``benchmarks/detect_speed.py``, not asserted here)."""
    n_rows = 200_000
    rng = np.random.default_rng(0)
    pools = {
        "name": draw("en_US", method("name"), n=500),
        "email": draw("en_US", method("email"), n=500),
        "phone": draw("en_US", method("phone_number"), n=500),
        "address": draw("en_US", method("street_address"), n=500),
        "notes": draw("en_US", method("sentence", nb_words=15), n=500),
        "dob": [d.isoformat() for d in draw("en_US", method("date_of_birth"), n=500)],
    }
    columns: dict[str, object] = {}
    for pos in range(50):
        key = list(pools)[pos % len(pools)] if pos % 5 else None
        if key is None:
            columns[f"measure_{pos}"] = rng.normal(size=n_rows)
        else:
            pool = np.array(pools[key], dtype=object)
            columns[f"{key}_{pos}"] = pool[rng.integers(0, len(pool), n_rows)]
    frame = pd.DataFrame(columns)
    results = detect_frame(frame)
    expected = {"name": "full_name", "email": "email", "phone": "phone", "notes": None,
                "address": "street_address", "dob": "date_of_birth", "measure": None}
    assert [r.kind for r in results] == [expected[c.split("_")[0]] for c in frame.columns]
