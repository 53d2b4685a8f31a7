"""PII columns generated with Faker: every kind of the vocabulary, several formats and
locales per kind, column names in seven languages (sometimes opaque), some nulls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import phonenumbers
from faker import Faker

from pii_corpus.gen import (
    LOCALES,
    OPAQUE_NAMES,
    RawColumn,
    birth_date,
    faker_for,
    pick,
    with_nulls,
)

__all__ = ["build"]

Make = Callable[[Faker, np.random.Generator], object]
COPIES = 6
OPAQUE_SHARE = 0.15
NULL_SHARES = (0.0, 0.0, 0.0, 0.1, 0.3)
_REGION = {"en_US": "US", "en_GB": "GB", "de_DE": "DE", "fr_FR": "FR", "es_ES": "ES",
           "it_IT": "IT", "nl_NL": "NL", "pt_BR": "BR"}
_DOB_FORMATS = {"en_US": "%m/%d/%Y", "en_GB": "%d/%m/%Y", "de_DE": "%d.%m.%Y",
                "fr_FR": "%d/%m/%Y", "es_ES": "%d/%m/%Y", "it_IT": "%d/%m/%Y",
                "nl_NL": "%d-%m-%Y", "pt_BR": "%d/%m/%Y"}


@dataclass(frozen=True)
class Variant:
    """One way of writing a kind: how a value is made, in which locales, with which dtype."""

    make: Make
    locales: tuple[str, ...] = LOCALES
    dtype: str = "text"


@dataclass(frozen=True)
class KindSpec:
    """A PII kind: its formats, its column names by language, whether values alone decide."""

    kind: str
    variants: tuple[Variant, ...]
    names: dict[str, tuple[str, ...]]
    opaque_ok: bool = True


def _m(name: str, **kwargs: object) -> Make:
    return lambda f, r: getattr(f, name)(**kwargs)


def _upper(make: Make) -> Make:
    return lambda f, r: str(make(f, r)).upper()


def _phone_international(f: Faker, r: np.random.Generator) -> object:
    raw = f.phone_number()
    region = _REGION.get(str(f.locales[0]) if hasattr(f, "locales") else "", None)
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return raw
    if not phonenumbers.is_valid_number(number):
        return raw
    style = (phonenumbers.PhoneNumberFormat.INTERNATIONAL if r.random() < 0.5
             else phonenumbers.PhoneNumberFormat.E164)
    return phonenumbers.format_number(number, style)


def _card(f: Faker, r: np.random.Generator) -> object:
    card_type = pick(r, ("visa", "mastercard", "amex", "discover", "jcb", "visa16"))
    return f.credit_card_number(card_type=card_type)


def _card_grouped(sep: str) -> Make:
    def make(f: Faker, r: np.random.Generator) -> object:
        digits = f.credit_card_number(card_type=pick(r, ("visa16", "mastercard", "discover")))
        return sep.join(digits[i:i + 4] for i in range(0, len(digits), 4))
    return make


def _iban_grouped(f: Faker, r: np.random.Generator) -> object:
    raw = f.iban()
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def _dob(fmt: str | None) -> Make:
    def make(f: Faker, r: np.random.Generator) -> object:
        born = birth_date(f, 18, 90)
        if fmt is None:
            return born
        locale_fmt = _DOB_FORMATS.get(str(f.locales[0]), "%d/%m/%Y") if fmt == "local" else fmt
        return born.strftime(locale_fmt)
    return make


def _last_first(f: Faker, r: np.random.Generator) -> object:
    return f"{f.last_name()}, {f.first_name()}"


def _coordinate(index: int) -> Make:
    def make(f: Faker, r: np.random.Generator) -> object:
        region = _REGION.get(str(f.locales[0]), "US")
        place = f.local_latlng(country_code=region)
        return place[index] if place else f.latitude()
    return make


def _float_of(make: Make) -> Make:
    return lambda f, r: float(make(f, r))


_NOTE_TEMPLATES = {
    "en": ("Please call {name} back on {phone}.", "Customer {name} asked for a refund.",
           "Send the invoice to {email} before Friday.", "Spoke with {name}, follow up next week."),
    "de": ("Bitte {name} unter {phone} zurückrufen.", "Kunde {name} wünscht eine Gutschrift.",
           "Rechnung an {email} senden, danke.", "Gespräch mit {name} am Montag geführt."),
    "fr": ("Rappeler {name} au {phone} demain matin.", "Le client {name} demande un avoir.",
           "Envoyer la facture à {email} rapidement.", "Appel avec {name}, relancer lundi."),
    "es": ("Llamar a {name} al {phone} mañana.", "El cliente {name} pide un reembolso.",
           "Enviar la factura a {email} cuanto antes.", "Hablé con {name}, volver a llamar."),
    "it": ("Richiamare {name} al {phone} domani.", "Il cliente {name} chiede un rimborso.",
           "Inviare la fattura a {email} entro venerdì.", "Parlato con {name}, risentire lunedì."),
    "nl": ("Graag {name} terugbellen op {phone}.", "Klant {name} vraagt om een creditnota.",
           "Stuur de factuur naar {email} voor vrijdag.", "Gesproken met {name}, maandag bellen."),
    "pt": ("Ligar para {name} no {phone} amanhã.", "O cliente {name} pediu reembolso.",
           "Enviar a fatura para {email} até sexta.", "Falei com {name}, retornar na segunda."),
}


def _note(f: Faker, r: np.random.Generator) -> object:
    if r.random() < 0.35:
        return f.sentence(nb_words=10)
    templates = _NOTE_TEMPLATES[str(f.locales[0])[:2]]
    return pick(r, templates).format(name=f"{f.first_name()} {f.last_name()}",
                                     phone=f.phone_number(), email=f.email())


def _www(f: Faker, r: np.random.Generator) -> object:
    return "www." + f.domain_name()


def _one_line_address(f: Faker, r: np.random.Generator) -> object:
    return f.address().replace("\n", ", ")


_NATIONAL_ID = (
    Variant(_m("ssn"), ("fr_FR", "it_IT", "nl_NL", "en_GB")),
    Variant(_m("cpf"), ("pt_BR",)),
    Variant(_m("nif"), ("es_ES",)),
)

SPECS: tuple[KindSpec, ...] = (
    KindSpec("full_name", (Variant(_m("name")), Variant(_last_first), Variant(_upper(_m("name"))),
                           Variant(lambda f, r: f"{f.first_name()} {f.last_name()}")),
             {"en": ("full_name", "name", "customer_name", "contact name", "PatientName"),
              "de": ("Name", "Kunde", "vollstaendiger_name"), "fr": ("nom_complet", "nom"),
              "es": ("nombre_completo", "nombre", "cliente"), "it": ("nome_completo", "nome"),
              "nl": ("naam", "volledige_naam"), "pt": ("nome_completo", "nome", "cliente")}),
    KindSpec("first_name", (Variant(_m("first_name")), Variant(_upper(_m("first_name")))),
             {"en": ("first_name", "FirstName", "given_name", "fname"), "de": ("Vorname",),
              "fr": ("prénom", "prenom"), "es": ("nombre", "nombre_de_pila"), "it": ("nome",),
              "nl": ("voornaam",), "pt": ("primeiro_nome", "nome")}),
    KindSpec("last_name", (Variant(_m("last_name")), Variant(_upper(_m("last_name")))),
             {"en": ("last_name", "surname", "LastName", "family_name"),
              "de": ("Nachname", "Familienname"), "fr": ("nom_de_famille", "nom"),
              "es": ("apellido", "apellidos"), "it": ("cognome",), "nl": ("achternaam",),
              "pt": ("sobrenome",)}),
    KindSpec("email", (Variant(_m("email")), Variant(_m("free_email")),
                       Variant(_upper(_m("email"))), Variant(_m("company_email"))),
             {"en": ("email", "email_address", "contact_email", "mail"),
              "de": ("E-Mail", "email_adresse"), "fr": ("courriel", "adresse_email"),
              "es": ("correo", "correo_electronico"), "it": ("posta_elettronica", "email"),
              "nl": ("emailadres", "e_mail"), "pt": ("email", "endereco_de_email")}),
    KindSpec("phone", (Variant(_m("phone_number")), Variant(_phone_international)),
             {"en": ("phone", "phone_number", "mobile", "tel"), "de": ("Telefon", "Handy"),
              "fr": ("téléphone", "portable"), "es": ("telefono", "movil"),
              "it": ("telefono", "cellulare"), "nl": ("telefoon", "mobiel"),
              "pt": ("telefone", "celular")}),
    KindSpec("ssn", (Variant(_m("ssn"), ("en_US",)),
                     Variant(lambda f, r: f.ssn().replace("-", ""), ("en_US",))),
             {"en": ("ssn", "social_security_number", "SSN")}, opaque_ok=False),
    KindSpec("national_id", _NATIONAL_ID,
             {"en": ("national_insurance_number", "nino", "national_id"),
              "fr": ("numero_securite_sociale", "nir"), "es": ("dni", "nif"),
              "it": ("codice_fiscale",), "nl": ("bsn", "burgerservicenummer"),
              "pt": ("cpf",)}),
    KindSpec("passport", (Variant(_m("passport_number")),),
             {"en": ("passport", "passport_no"), "de": ("Reisepassnummer",),
              "fr": ("numero_passeport",), "es": ("pasaporte",), "it": ("passaporto",),
              "nl": ("paspoortnummer",), "pt": ("passaporte",)}, opaque_ok=False),
    KindSpec("credit_card", (Variant(_card), Variant(_card_grouped(" ")),
                             Variant(_card_grouped("-"))),
             {"en": ("credit_card", "card_number", "cc_number"),
              "de": ("Kreditkartennummer",), "fr": ("numero_carte",),
              "es": ("tarjeta_de_credito",), "it": ("carta_di_credito",),
              "nl": ("creditcard",), "pt": ("cartao_de_credito",)}),
    KindSpec("iban", (Variant(_m("iban")), Variant(_iban_grouped)),
             {"en": ("iban", "bank_iban"), "de": ("IBAN",)}),
    KindSpec("bank_account", (Variant(_m("bban")),),
             {"en": ("account_number", "bank_account"), "de": ("Kontonummer",),
              "fr": ("numero_de_compte",), "es": ("cuenta_bancaria",),
              "it": ("conto_corrente",), "nl": ("rekeningnummer",),
              "pt": ("numero_da_conta",)}, opaque_ok=False),
    KindSpec("ip_address", (Variant(_m("ipv4")), Variant(_m("ipv6")),
                            Variant(_m("ipv4_public"))),
             {"en": ("ip", "ip_address", "client_ip", "remote_addr"), "fr": ("adresse_ip",),
              "es": ("direccion_ip",), "it": ("indirizzo_ip",), "pt": ("endereco_ip",)}),
    KindSpec("mac_address", (Variant(_m("mac_address")), Variant(_upper(_m("mac_address"))),
                             Variant(lambda f, r: f.mac_address().replace(":", "-"))),
             {"en": ("mac", "mac_address", "device_mac", "hwaddr")}),
    KindSpec("url", (Variant(_m("url")), Variant(_m("uri")), Variant(_www)),
             {"en": ("website", "url", "homepage", "profile_url"), "de": ("Webseite",),
              "fr": ("site_web",), "es": ("sitio_web",), "it": ("sito_web",),
              "pt": ("pagina_web",)}),
    KindSpec("street_address", (Variant(_m("street_address")), Variant(_m("address")),
                                Variant(_one_line_address)),
             {"en": ("address", "street_address", "billing_address"),
              "de": ("Adresse", "Straße", "Anschrift"), "fr": ("adresse", "rue"),
              "es": ("direccion", "calle", "domicilio"), "it": ("indirizzo",),
              "nl": ("adres", "straat"), "pt": ("endereco", "logradouro", "rua")}),
    KindSpec("city", (Variant(_m("city")),),
             {"en": ("city", "town"), "de": ("Stadt", "Ort", "Wohnort"), "fr": ("ville",),
              "es": ("ciudad", "localidad"), "it": ("citta", "comune"),
              "nl": ("plaats", "woonplaats"), "pt": ("cidade",)}, opaque_ok=False),
    KindSpec("state", (Variant(_m("administrative_unit")),
                       Variant(_m("state_abbr"), ("en_US",)),
                       Variant(_m("estado_sigla"), ("pt_BR",))),
             {"en": ("state", "region", "county"), "de": ("Bundesland",),
              "fr": ("region", "departement"), "es": ("provincia",), "it": ("regione",),
              "nl": ("provincie",), "pt": ("estado", "uf")}, opaque_ok=False),
    KindSpec("postal_code", (Variant(_m("postcode")),),
             {"en": ("zip", "zip_code", "postcode", "postal_code"),
              "de": ("PLZ", "Postleitzahl"), "fr": ("code_postal",),
              "es": ("codigo_postal",), "it": ("cap",), "nl": ("postcode",),
              "pt": ("cep",)}, opaque_ok=False),
    KindSpec("country", (Variant(_m("country")), Variant(_m("country_code")),
                         Variant(_m("country_code", representation="alpha-3"))),
             {"en": ("country", "country_code", "nationality"), "de": ("Land",),
              "fr": ("pays",), "es": ("pais",), "it": ("paese", "nazione"),
              "nl": ("land",), "pt": ("pais",)}, opaque_ok=False),
    KindSpec("latitude", (Variant(_coordinate(0)), Variant(_float_of(_coordinate(0)),
                                                            dtype="float")),
             {"en": ("lat", "latitude", "home_lat"), "de": ("Breitengrad",),
              "es": ("latitud",), "it": ("latitudine",), "nl": ("breedtegraad",)},
             opaque_ok=False),
    KindSpec("longitude", (Variant(_coordinate(1)), Variant(_float_of(_coordinate(1)),
                                                             dtype="float")),
             {"en": ("lng", "longitude", "home_lon"), "de": ("Längengrad",),
              "es": ("longitud",), "it": ("longitudine",), "nl": ("lengtegraad",)},
             opaque_ok=False),
    KindSpec("date_of_birth", (Variant(_dob("%Y-%m-%d")), Variant(_dob("local")),
                               Variant(_dob(None), dtype="datetime")),
             {"en": ("dob", "date_of_birth", "birthdate"), "de": ("Geburtsdatum",),
              "fr": ("date_de_naissance",), "es": ("fecha_de_nacimiento",),
              "it": ("data_di_nascita",), "nl": ("geboortedatum",),
              "pt": ("data_de_nascimento",)}),
    KindSpec("username", (Variant(_m("user_name")),),
             {"en": ("username", "login", "user_name"), "de": ("Benutzername",),
              "fr": ("identifiant",), "es": ("usuario",), "it": ("nome_utente",),
              "nl": ("gebruikersnaam",), "pt": ("nome_de_usuario",)}, opaque_ok=False),
    KindSpec("free_text", (Variant(_note),),
             {"en": ("notes", "comment"), "de": ("Bemerkung", "Notiz"),
              "fr": ("commentaire",), "es": ("comentario", "observaciones"),
              "it": ("commento", "note"), "nl": ("opmerking",), "pt": ("observacao",)}),
)


def _column_name(spec: KindSpec, locale: str, rng: np.random.Generator) -> str:
    if spec.opaque_ok and rng.random() < OPAQUE_SHARE:
        return pick(rng, OPAQUE_NAMES)
    choices = spec.names.get(locale[:2]) if rng.random() < 0.7 else None
    if not choices:
        choices = spec.names.get("en") or next(iter(spec.names.values()))
    return pick(rng, choices)


def _one(spec: KindSpec, index: int, rng: np.random.Generator, rows: int) -> RawColumn:
    variant = spec.variants[int(rng.integers(0, len(spec.variants)))]
    locale = pick(rng, variant.locales)
    faker = faker_for(locale, rng)
    values = [variant.make(faker, rng) for _ in range(rows)]
    values = with_nulls(values, rng, float(rng.choice(NULL_SHARES)))
    return RawColumn(f"faker/{spec.kind}/{index}", _column_name(spec, locale, rng), spec.kind,
                     locale, "faker", variant.dtype, values)


def build(rng: np.random.Generator, rows: int) -> list[RawColumn]:
    """``COPIES`` columns of every PII kind."""
    return [_one(spec, i, rng, rows) for spec in SPECS for i in range(COPIES)]
