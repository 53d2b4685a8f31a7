"""Hard cases: misleading names, look-alike values, mixed formats, heavy nulls.

Negatives carry names that suggest PII (``phone_count``, ``name``, ``email_opt_in``) or values
that resemble it (16-digit order numbers failing Luhn, ISBNs, hashes, event dates, product
codes); positives carry names that say nothing or mislead (``ref`` holding e-mails,
``payment_token`` holding card numbers) or awkward formats (upper case, 30% nulls, mixes).
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from faker import Faker

from pii_corpus.gen import LOCALES, RawColumn, birth_date, faker_for, pick, with_nulls

__all__ = ["build"]

Make = Callable[[Faker, np.random.Generator, int], list[object]]

_PRODUCT_ADJ = ("Ergonomic", "Rustic", "Sleek", "Compact", "Deluxe", "Portable", "Smart",
                "Classic", "Heavy Duty", "Wireless", "Organic", "Premium")
_PRODUCT_MAT = ("Steel", "Wooden", "Cotton", "Granite", "Plastic", "Rubber", "Leather",
                "Bamboo", "Ceramic", "Glass")
_PRODUCT_NOUN = ("Chair", "Lamp", "Keyboard", "Table", "Bottle", "Backpack", "Shoes",
                 "Kettle", "Speaker", "Blender", "Notebook", "Mug", "Helmet")
_STATUS = ("open", "closed", "pending", "in progress", "cancelled", "on hold")


@dataclass(frozen=True)
class HardSpec:
    """A hard case: its column names (one is drawn), label, dtype and value maker."""

    key: str
    names: tuple[str, ...]
    kind: str | None
    make: Make
    dtype: str = "text"
    locales: tuple[str, ...] = LOCALES
    null_share: float = 0.0


def _each(make: Callable[[Faker, np.random.Generator], object]) -> Make:
    return lambda f, r, n: [make(f, r) for _ in range(n)]


def _not_luhn(f: Faker, r: np.random.Generator) -> object:
    digits = [int(d) for d in r.integers(0, 10, 16)]
    digits[0] = int(r.integers(3, 7))
    total = sum((d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d
                for i, d in enumerate(reversed(digits)))
    if total % 10 == 0:
        digits[-1] = (digits[-1] + 1) % 10
    return "".join(map(str, digits))


def _product(f: Faker, r: np.random.Generator) -> object:
    return f"{pick(r, _PRODUCT_ADJ)} {pick(r, _PRODUCT_MAT)} {pick(r, _PRODUCT_NOUN)}"


def _sku(f: Faker, r: np.random.Generator) -> object:
    letters = "".join(pick(r, tuple(string.ascii_uppercase)) for _ in range(2))
    return f"{letters}-{int(r.integers(10000, 99999))}-{pick(r, ('A', 'B', 'X', 'Z'))}"


def _hash(f: Faker, r: np.random.Generator) -> object:
    return hashlib.sha256(r.bytes(16)).hexdigest()


def _recent(f: Faker, r: np.random.Generator) -> object:
    return f.date_time_between_dates(datetime(2022, 1, 1), datetime(2025, 1, 1)).isoformat(
        sep=" ", timespec="seconds")


def _mixed_dob(f: Faker, r: np.random.Generator) -> object:
    born = birth_date(f, 18, 85)
    return born.isoformat() if r.random() < 0.85 else born.strftime("%d/%m/%Y")


def _mixed_phone(f: Faker, r: np.random.Generator) -> object:
    raw = f.phone_number()
    return raw if r.random() < 0.6 else f.phone_number()


def _mixed_names(f: Faker, r: np.random.Generator) -> object:
    other = faker_for(pick(r, LOCALES), r)
    return other.name()


def _feedback(f: Faker, r: np.random.Generator) -> object:
    if r.random() < 0.5:
        return f"{f.sentence(nb_words=8)} Reach me at {f.email()}"
    return f.sentence(nb_words=12)


def _bool_text(f: Faker, r: np.random.Generator) -> object:
    return pick(r, ("true", "false", "false"))


def _yes_no(f: Faker, r: np.random.Generator) -> object:
    return pick(r, ("Y", "N", "N"))


def _version(f: Faker, r: np.random.Generator) -> object:
    return f"{int(r.integers(0, 5))}.{int(r.integers(0, 20))}.{int(r.integers(0, 40))}"


def _tracking(f: Faker, r: np.random.Generator) -> object:
    body = "".join(pick(r, tuple(string.ascii_uppercase + string.digits)) for _ in range(16))
    return "1Z" + body


def _ints(low: int, high: int) -> Make:
    return lambda f, r, n: [int(v) for v in r.integers(low, high, n)]


def _floats(loc: float, scale: float, decimals: int) -> Make:
    return lambda f, r, n: [round(float(v), decimals) for v in r.normal(loc, scale, n)]


def _m(name: str, **kwargs: object) -> Make:
    return _each(lambda f, r: getattr(f, name)(**kwargs))


def _upper_email(f: Faker, r: np.random.Generator) -> object:
    return f.email().upper()


def _last_first_upper(f: Faker, r: np.random.Generator) -> object:
    return f"{f.last_name().upper()}, {f.first_name()}"


def _sparse_note(f: Faker, r: np.random.Generator) -> object:
    if r.random() < 0.15:
        return f"Follow-up with {f.first_name()} {f.last_name()} about the delivery."
    return f.sentence(nb_words=9)


def _hire_date(f: Faker, r: np.random.Generator) -> object:
    return f.date_between_dates(date(1980, 1, 1), date(2024, 1, 1)).isoformat()


def _zip_int(f: Faker, r: np.random.Generator) -> object:
    return int(str(f.postcode())[:5])


def _messy_email(f: Faker, r: np.random.Generator) -> object:
    local, domain = f.email().split("@")
    return f" {local.title()}@{domain.upper()}" if r.random() < 0.5 else f.email()


def _name_or_company(f: Faker, r: np.random.Generator) -> object:
    return f.company() if r.random() < 0.2 else f.name()


def _few_first_names(f: Faker, r: np.random.Generator, n: int) -> list[object]:
    pool = [f.first_name() for _ in range(10)]
    return [pick(r, pool) for _ in range(n)]


def _phone_int(f: Faker, r: np.random.Generator) -> object:
    return int(f"49151{int(r.integers(10_000_000, 99_999_999))}")


def _bad_iban(f: Faker, r: np.random.Generator) -> object:
    raw = f.iban()
    check = (int(raw[2:4]) + 1 + int(r.integers(0, 97))) % 97 or 1
    return f"{raw[:2]}{check:02d}{raw[4:]}" if f"{check:02d}" != raw[2:4] else raw[:-1] + "X"


def _device(f: Faker, r: np.random.Generator) -> object:
    return pick(r, ("iPhone 12", "iPhone 14 Pro", "Galaxy S21", "Pixel 7", "Moto G", "Xperia 5"))


SPECS: tuple[HardSpec, ...] = (
    # Negatives: names that suggest PII, values that do not hold it.
    HardSpec("phone_count", ("phone_count", "anzahl_telefone", "nb_telephones"), None,
             _ints(0, 6), dtype="int"),
    HardSpec("phone_count_text", ("phone_count", "num_phones"), None, _ints(0, 4)),
    HardSpec("product_name", ("name", "Name", "nombre", "nome", "naam"), None, _each(_product)),
    # fr_FR and pt_BR company names are often a bare surname ("Blot"): not a fair negative.
    HardSpec("company_name", ("name", "client", "company_name"), None, _m("company"),
             locales=("en_US", "en_GB", "de_DE", "es_ES", "it_IT", "nl_NL")),
    HardSpec("email_opt_in", ("email_opt_in", "newsletter_email_ok"), None, _each(_bool_text)),
    HardSpec("email_opt_in_bool", ("email_opt_in", "phone_verified"), None,
             _each(lambda f, r: bool(r.random() < 0.4)), dtype="bool"),
    HardSpec("yes_no", ("has_email", "sms_consent"), None, _each(_yes_no)),
    HardSpec("order_number", ("order_number", "card_ref", "order_id", "col_3"), None,
             _each(_not_luhn)),
    HardSpec("email_hash", ("email_hash", "email_sha256"), None, _each(_hash)),
    HardSpec("created_at", ("created_at", "signup_date", "last_login", "order_date"), None,
             _each(_recent)),
    HardSpec("product_code", ("product_code", "item_code", "x"), None, _ints(10000, 99999)),
    HardSpec("sku", ("sku", "article"), None, _each(_sku)),
    HardSpec("isbn", ("isbn", "book_code"), None, _m("isbn13")),
    HardSpec("ean", ("ean", "barcode"), None, _m("ean13")),
    HardSpec("hostname", ("hostname", "server"), None, _m("hostname")),
    HardSpec("domain", ("email_domain", "domain"), None, _m("domain_name")),
    HardSpec("file_path", ("file_path", "attachment"), None, _m("file_path")),
    HardSpec("job", ("job", "Beruf", "profession", "occupation"), None, _m("job")),
    HardSpec("color", ("color", "colour", "Farbe"), None, _m("color_name")),
    HardSpec("currency", ("currency", "devise"), None, _m("currency_code")),
    HardSpec("uuid", ("customer_id", "user_id", "session"), None, _m("uuid4")),
    HardSpec("status", ("state", "status", "estado"), None,
             _each(lambda f, r: pick(r, _STATUS))),
    HardSpec("rating", ("rating", "score"), None, _ints(1, 6)),
    HardSpec("amount", ("amount", "price", "betrag"), None, _floats(80, 30, 2)),
    HardSpec("temperature", ("temp", "temperature"), None, _floats(15, 8, 1), dtype="float"),
    HardSpec("xy", ("x", "y", "val"), None, _floats(0, 40, 3), dtype="float"),
    HardSpec("version", ("version", "app_version"), None, _each(_version)),
    HardSpec("tracking", ("tracking_number", "shipment"), None, _each(_tracking)),
    HardSpec("name_length", ("name_length", "username_length"), None, _ints(3, 25)),
    HardSpec("lorem", ("description", "long_description", "comment"), None,
             _each(lambda f, r: f.paragraph(nb_sentences=2))),
    HardSpec("age", ("age", "Alter", "edad"), None, _ints(18, 90), dtype="int"),
    HardSpec("year", ("year", "model_year"), None, _ints(1995, 2025)),
    HardSpec("city_population", ("city_population", "zip_count"), None, _ints(100, 900000)),
    HardSpec("hire_date", ("hire_date", "start_date", "member_since"), None, _each(_hire_date)),
    HardSpec("birth_weight", ("birth_weight", "birthweight_g"), None, _floats(3300, 500, 0),
             dtype="float"),
    HardSpec("phone_model", ("phone_model", "device"), None, _each(_device)),
    HardSpec("bad_iban", ("iban", "IBAN"), None, _each(_bad_iban)),
    # Positives: opaque or misleading names, awkward formats.
    HardSpec("sparse_notes", ("notes", "remarks", "Bemerkungen"), "free_text",
             _each(_sparse_note), locales=("en_US", "en_GB")),
    HardSpec("zip_int", ("zip", "PLZ", "zipcode"), "postal_code", _each(_zip_int), dtype="int",
             locales=("en_US", "de_DE", "fr_FR", "it_IT")),
    HardSpec("messy_email", ("email", "E-Mail", "correo"), "email", _each(_messy_email)),
    HardSpec("names_and_companies", ("name", "customer_name"), "full_name",
             _each(_name_or_company)),
    HardSpec("few_first_names", ("first_name", "Vorname", "prenom"), "first_name",
             _few_first_names),
    HardSpec("phone_int", ("phone", "mobile", "Handy"), "phone", _each(_phone_int), dtype="int",
             locales=("de_DE",)),
    HardSpec("upper_email", ("EMAIL", "col_7", "contact"), "email", _each(_upper_email),
             null_share=0.3),
    HardSpec("email_as_ref", ("ref", "code", "login_key"), "email", _m("email")),
    HardSpec("card_as_token", ("payment_token", "ref"), "credit_card",
             _m("credit_card_number", card_type="visa16")),
    HardSpec("ssn_misnamed", ("tax_ref", "field3"), "ssn", _m("ssn"), locales=("en_US",)),
    HardSpec("iban_misnamed", ("reference", "x"), "iban", _m("iban")),
    HardSpec("dob_mixed", ("birthday", "geboren", "born"), "date_of_birth", _each(_mixed_dob)),
    HardSpec("address_nulls", ("c12", "shipping"), "street_address", _m("street_address"),
             null_share=0.3),
    HardSpec("phone_mixed", ("contact_number", "tel_no", "v"), "phone", _each(_mixed_phone),
             null_share=0.1),
    HardSpec("names_mixed_locales", ("attendee", "participant", "person"), "full_name",
             _each(_mixed_names), null_share=0.3),
    HardSpec("names_last_first", ("customer", "cliente", "kunde"), "full_name",
             _each(_last_first_upper)),
    HardSpec("feedback_emails", ("feedback", "message", "texto"), "free_text",
             _each(_feedback)),
    HardSpec("ip_nulls", ("source", "col_9"), "ip_address", _m("ipv4"), null_share=0.3),
)


def build(rng: np.random.Generator, rows: int) -> list[RawColumn]:
    """One column per hard case, in a locale and under a name drawn with ``rng``."""
    columns = []
    for spec in SPECS:
        locale = pick(rng, spec.locales)
        values = spec.make(faker_for(locale, rng), rng, rows)
        values = with_nulls(values, rng, spec.null_share)
        columns.append(RawColumn(f"hard/{spec.key}", pick(rng, spec.names), spec.kind, locale,
                                 "hard", spec.dtype, values))
    return columns
