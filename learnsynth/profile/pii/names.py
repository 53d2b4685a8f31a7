"""Column-name hints: what a column's name suggests about the PII it holds.

Names are read in English, German, French, Spanish, Italian, Dutch and Portuguese. A name is
normalised first (accents stripped, lower-cased, camelCase / snake_case / kebab-case and
letter/digit boundaries split into tokens), then matched against phrase vocabularies per PII
kind. Hints only lower the evidence a detector needs from the values; they never create a
finding on their own. Opaque names (``col_7``, ``x``, ``field3``) give no hint at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

__all__ = ["NameHints", "fold", "hints_for", "tokenize"]

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")
_SPLIT = re.compile(r"[^0-9a-z]+")

# phrase -> kinds it hints; phrases are normalised token sequences joined by one space.
_PERSON = ("full_name", "first_name", "last_name")
_KIND_PHRASES: dict[str, tuple[str, ...]] = {
    "full_name": (
        "full name", "fullname", "customer name", "contact name", "client name", "person",
        "patient name", "employee name", "cardholder", "card holder", "account holder",
        "display name", "nome completo", "nombre completo", "nom complet", "naam",
        "vollstandiger name", "persona",
    ),
    "first_name": (
        "first name", "firstname", "fname", "given name", "givenname", "forename", "vorname",
        "prenom", "primeiro nome", "voornaam", "roepnaam", "nombre de pila",
    ),
    "last_name": (
        "last name", "lastname", "lname", "surname", "family name", "familyname", "nachname",
        "familienname", "nom de famille", "apellido", "apellidos", "cognome", "achternaam",
        "sobrenome", "apelido", "ultimo nome",
    ),
    "email": (
        "email", "e mail", "mail", "email address", "emailaddress", "mail address", "correo",
        "correo electronico", "courriel", "adresse email", "adresse mail", "posta elettronica",
        "mailadres", "emailadres", "emailadresse", "endereco de email",
    ),
    "phone": (
        "phone", "phone number", "phonenumber", "telephone", "tel", "telefon", "telefonnummer",
        "telefono", "telefone", "telefoon", "telefoonnummer", "mobile", "mobil", "mobiel",
        "mobilnummer", "cell", "cellphone", "cell phone", "handy", "fax", "portable", "movil",
        "cellulare", "celular", "telemovel", "contact number", "msisdn", "phone no", "tel no",
        "numero de telephone", "numero de telefono", "gsm",
    ),
    "ssn": ("ssn", "social security", "social security number", "socsec", "ss number"),
    "national_id": (
        "national id", "nationalid", "national identifier", "nin", "nino", "national insurance",
        "id number", "id card", "identity card", "identity number", "personalausweis",
        "ausweisnummer", "steuer id", "steuerid", "tax id", "taxid", "tin", "dni", "nie", "nif",
        "nir", "insee", "numero de securite sociale", "securite sociale", "codice fiscale",
        "codicefiscale", "bsn", "burgerservicenummer", "cpf", "aadhaar", "aadhar", "pesel",
        "ahv", "avs", "sozialversicherungsnummer", "svnr", "personnummer", "curp", "sin",
        "cedula", "documento", "numero documento", "personal id", "citizen id",
    ),
    "passport": (
        "passport", "passport number", "passport no", "reisepass", "reisepassnummer",
        "passnummer", "pasaporte", "passeport", "passaporto", "paspoort", "passaporte",
    ),
    "credit_card": (
        "credit card", "creditcard", "card number", "cardnumber", "card no", "cc", "cc number",
        "ccn", "kreditkarte", "kreditkartennummer", "carte bancaire", "carte de credit",
        "numero de carte", "tarjeta", "tarjeta de credito", "carta di credito",
        "cartao de credito", "cartao", "card", "pan",
    ),
    "iban": ("iban",),
    "bank_account": (
        "bank account", "bankaccount", "account number", "accountnumber", "account no", "acct",
        "acct no", "bban", "routing", "routing number", "aba", "sort code", "kontonummer",
        "konto", "bankverbindung", "compte bancaire", "rib", "numero de compte", "cuenta",
        "cuenta bancaria", "conto corrente", "rekening", "rekeningnummer", "bankrekening",
        "conta", "conta bancaria", "numero da conta",
    ),
    "ip_address": (
        "ip", "ip address", "ipaddress", "ipv4", "ipv6", "ip addr", "remote addr", "client ip",
        "adresse ip", "direccion ip", "indirizzo ip", "ip adres", "endereco ip",
    ),
    "mac_address": ("mac", "mac address", "macaddress", "hwaddr", "hardware address", "bssid"),
    "street_address": (
        "address", "addr", "street", "street address", "address line", "line1", "adresse",
        "strasse", "anschrift", "rue", "adresse postale", "direccion", "calle", "domicilio",
        "indirizzo", "via", "adres", "straat", "straatnaam", "endereco", "morada",
        "logradouro", "rua", "billing address", "shipping address", "mailing address",
        "home address", "postal address",
    ),
    "city": (
        "city", "town", "stadt", "ort", "wohnort", "ville", "commune", "ciudad", "localidad",
        "municipio", "poblacion", "citta", "comune", "localita", "plaats", "woonplaats",
        "cidade", "localidade", "municipality", "concelho",
    ),
    "state": (
        "state", "province", "region", "county", "bundesland", "kanton", "canton", "etat",
        "departement", "provincia", "comunidad", "regione", "provincie", "estado", "uf",
        "distrito", "prefecture", "state code", "state province",
    ),
    "postal_code": (
        "zip", "zipcode", "zip code", "postal code", "postalcode", "postcode", "post code",
        "postleitzahl", "plz", "code postal", "cp", "codigo postal", "cap", "codice postale",
        "cep", "pincode", "pin code", "eircode", "postal",
    ),
    "country": (
        "country", "nation", "land", "staat", "pays", "pais", "paese", "nazione", "country code",
        "countrycode", "nationality", "nationalitat", "nacionalidad", "nazionalita",
        "nationaliteit", "nacionalidade",
    ),
    "latitude": (
        "lat", "latitude", "breitengrad", "breite", "latitud", "latitudine", "breedtegraad",
    ),
    "longitude": (
        "lon", "lng", "long", "longitude", "langengrad", "longitud", "longitudine",
        "lengtegraad",
    ),
    "date_of_birth": (
        "dob", "date of birth", "birth date", "birthdate", "birthday", "born", "birth",
        "geburtsdatum", "geburtstag", "geboren", "gebdat", "date de naissance", "naissance",
        "fecha de nacimiento", "fecha nacimiento", "nacimiento", "data di nascita",
        "data nascita", "nascita", "geboortedatum", "data de nascimento", "nascimento", "d o b",
    ),
    "username": (
        "username", "user name", "user", "login", "handle", "screen name", "screenname",
        "nickname", "nick", "benutzername", "benutzer", "pseudo", "identifiant", "usuario",
        "nombre de usuario", "utente", "nome utente", "gebruikersnaam", "gebruiker",
        "nome de usuario", "account name", "user login",
    ),
    "url": (
        "url", "website", "web site", "homepage", "home page", "link", "uri", "webseite",
        "site web", "sitio web", "pagina web", "sito", "web", "profile url",
    ),
    "free_text": (
        "notes", "note", "comment", "comments", "remarks", "message", "body", "text",
        "feedback", "review", "bemerkung", "bemerkungen", "notiz", "kommentar", "nachricht",
        "commentaire", "remarque", "comentario", "comentarios", "observaciones", "nota",
        "commento", "opmerking", "opmerkingen", "observacao", "observacoes", "mensagem",
    ),
}
# Phrases that hint several kinds (values then decide which one).
_SHARED: dict[str, tuple[str, ...]] = {
    "name": _PERSON, "nombre": ("first_name", "full_name"), "nome": ("first_name", "full_name"),
    "nom": ("last_name", "full_name"), "naam": _PERSON, "contact": ("full_name", "email", "phone"),
    "customer": _PERSON, "kunde": _PERSON, "client": _PERSON, "cliente": _PERSON,
}
# Shared phrases that are only qualifiers when another kind is named ("customer_email").
_WEAK = frozenset({"customer", "client", "kunde", "cliente", "contact"})
# Phrase -> locale of the language it is written in (a fallback for ambiguous values).
_LOCALE_WORDS: dict[str, tuple[str, ...]] = {
    "de_DE": ("vorname", "nachname", "familienname", "geburtsdatum", "geburtstag", "plz",
              "postleitzahl", "strasse", "anschrift", "stadt", "ort", "wohnort", "telefon",
              "telefonnummer", "handy", "bundesland", "kontonummer", "personalausweis"),
    "fr_FR": ("prenom", "nom", "nom de famille", "ville", "code postal", "courriel", "rue",
              "adresse", "date de naissance", "pays", "departement", "numero de telephone"),
    "es_ES": ("nombre", "apellido", "apellidos", "correo", "ciudad", "codigo postal",
              "direccion", "calle", "fecha de nacimiento", "pais", "provincia", "movil", "dni"),
    "it_IT": ("cognome", "citta", "cap", "indirizzo", "data di nascita", "comune",
              "codice fiscale", "cellulare", "regione", "nazione"),
    "nl_NL": ("voornaam", "achternaam", "woonplaats", "plaats", "straat", "adres",
              "geboortedatum", "telefoon", "telefoonnummer", "mobiel", "bsn", "provincie"),
    "pt_BR": ("sobrenome", "cidade", "cep", "endereco", "rua", "data de nascimento",
              "telefone", "celular", "cpf", "estado", "logradouro"),
    "pt_PT": ("apelido", "morada", "concelho", "telemovel", "distrito"),
    "en_US": ("zip", "zipcode", "zip code", "ssn", "state"),
    "en_GB": ("postcode", "county", "nino", "national insurance", "sort code"),
}
# Tokens that say the column is *about* a PII field without holding it (counts, flags...).
_NEGATIVE = frozenset({
    "count", "cnt", "total", "qty", "quantity", "opt", "optin", "optout", "opted", "flag", "is",
    "has", "verified", "valid", "validated", "consent", "type", "status", "hash", "hashed", "md5",
    "sha", "sha1", "sha256", "length", "len", "domain", "provider", "bounced", "confirmed",
    "enabled", "allowed", "pref", "preference", "score", "rank", "pct", "percent", "ratio", "avg",
    "mean", "sum", "std", "changed", "attempts", "errors", "format", "prefix", "code", "id",
    "key", "token", "encrypted", "masked", "bool", "yn", "ok", "n", "nb",
})
_NEGATIVE_KEEP = {"code": ("postal_code", "country", "state"),
                  "id": ("national_id", "passport", "ssn", "bank_account", "iban")}
# Qualifiers that say a "name" is not a person's.
_NOT_PERSON = frozenset({
    "product", "company", "item", "file", "filename", "brand", "category", "business", "org",
    "organisation", "organization", "store", "shop", "street", "city", "country", "state",
    "host", "hostname", "server", "table", "column", "field", "event", "project", "team",
    "group", "department", "dept", "model", "app", "service", "plan", "campaign", "segment",
    "firma", "produkt", "produit", "producto", "prodotto", "artikel", "entreprise", "empresa",
    "azienda", "bedrijf", "user", "screen", "domain", "region",
})
# Tokens that say a date is not a birth date.
_DATE_NEGATIVE = frozenset({
    "signup", "sign", "created", "create", "creation", "updated", "modified", "order", "ordered",
    "purchase", "ship", "shipped", "shipping", "delivery", "invoice", "payment", "paid", "start",
    "end", "expiry", "expires", "expiration", "due", "hire", "hired", "join", "joined",
    "registration", "registered", "login", "last", "event", "transaction", "txn", "timestamp",
    "visit", "admission", "discharge", "closed", "opened", "renewal", "effective", "since",
    "seit", "depuis", "desde", "dal", "sinds", "member", "membership", "onboarded", "activated",
})
_GEO_CONTEXT = frozenset({
    "geo", "gps", "coord", "coords", "coordinate", "coordinates", "location", "loc", "position",
    "pos", "home", "work", "store", "start", "end", "pickup", "dropoff", "origin", "dest",
    "destination", "user", "customer", "site", "lat", "deg", "degrees", "wgs84", "point",
})
_SUBSTRING_MIN = 5
_NO_SUBSTRING = frozenset({"state", "handle", "login", "naissance", "region", "person", "notes",
                           "birth", "portable", "route"})


@dataclass(frozen=True)
class NameHints:
    """What a column name suggests.

    Attributes:
        tokens: The normalised name tokens.
        kinds: PII kinds the name suggests (empty for opaque names).
        locales: Locales of the language the name is written in, most specific first.
        negative: The name describes a PII field without holding it (``phone_count``).
        not_date_of_birth: The name says the dates are events, not birth dates.
    """

    tokens: tuple[str, ...]
    kinds: frozenset[str]
    locales: tuple[str, ...]
    negative: bool
    not_date_of_birth: bool


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents (``"Téléphone"`` -> ``"telephone"``)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def tokenize(name: str) -> tuple[str, ...]:
    """Split a column name into folded tokens (camelCase, snake, kebab, digits)."""
    spaced = _CAMEL.sub(" ", name)
    return tuple(tok for tok in _SPLIT.split(fold(spaced)) if tok)


@cache
def _phrase_table() -> tuple[tuple[tuple[str, ...], frozenset[str]], ...]:
    table: dict[tuple[str, ...], set[str]] = {}
    for kind, phrases in _KIND_PHRASES.items():
        for phrase in phrases:
            table.setdefault(tuple(phrase.split()), set()).add(kind)
    for phrase, kinds in _SHARED.items():
        table.setdefault(tuple(phrase.split()), set()).update(kinds)
    return tuple((p, frozenset(k)) for p, k in sorted(table.items(), key=lambda i: -len(i[0])))


def _matches(tokens: tuple[str, ...]) -> list[tuple[int, int, frozenset[str], str]]:
    """Every phrase occurrence as (start, end, kinds, phrase), spans in token positions."""
    found: list[tuple[int, int, frozenset[str], str]] = []
    for phrase, kinds in _phrase_table():
        size, glued = len(phrase), "".join(phrase)
        for start in range(len(tokens)):
            if tokens[start:start + size] == phrase:
                found.append((start, start + size, kinds, " ".join(phrase)))
            elif tokens[start] == glued or (
                len(glued) >= _SUBSTRING_MIN and glued not in _NO_SUBSTRING
                and glued in tokens[start] and len(tokens[start]) > len(glued)
            ):
                found.append((start, start + 1, kinds, " ".join(phrase)))
    return found


def _outermost(found: list[tuple[int, int, frozenset[str], str]]
               ) -> list[tuple[int, int, frozenset[str], str]]:
    """Drop matches whose span or text is strictly inside a longer match's."""
    keep = []
    for item in found:
        start, end, _, phrase = item
        inside = any(
            (o_start <= start and end <= o_end and (o_end - o_start) > (end - start))
            or (o_start == start and o_end == end and len(o_phrase) > len(phrase)
                and phrase.replace(" ", "") in o_phrase.replace(" ", ""))
            for o_start, o_end, _, o_phrase in found
        )
        if not inside:
            keep.append(item)
    return keep


def _drop_ambiguous_long(matches: list[tuple[int, int, frozenset[str], str]],
                         tokens: tuple[str, ...]) -> list[tuple[int, int, frozenset[str], str]]:
    """``long`` means longitude only among geographic words (``pickup_long``, not
    ``long_description``)."""
    others = {t for t in tokens if t != "long" and not t.isdigit()}
    if others <= _GEO_CONTEXT:
        return matches
    return [m for m in matches if m[3] != "long"]


@lru_cache(maxsize=4096)
def hints_for(name: str) -> NameHints:
    """Read a column name. Cached: frames repeat names across tables and calls."""
    tokens = tokenize(str(name))
    matches = _drop_ambiguous_long(_outermost(_matches(tokens)), tokens)
    kinds: set[str] = set()
    for _, _, match_kinds, phrase in matches:
        if phrase not in _WEAK:
            kinds |= match_kinds
    if not kinds:
        for _, _, match_kinds, _ in matches:
            kinds |= match_kinds
    token_set = set(tokens)
    if token_set & _NOT_PERSON:
        kinds -= set(_PERSON)
    covered = {i for start, end, _, _ in matches for i in range(start, end)}
    negative_tokens = {tok for i, tok in enumerate(tokens) if i not in covered} & _NEGATIVE
    keep: set[str] = set()
    for tok in negative_tokens:
        keep |= set(_NEGATIVE_KEEP.get(tok, ()))
    negative = bool(negative_tokens) and not (kinds & keep)
    if negative:
        kinds = set()
    phrases = {phrase for _, _, _, phrase in matches}
    locales = tuple(loc for loc, words in _LOCALE_WORDS.items() if phrases & set(words))
    return NameHints(tokens, frozenset(kinds), locales, negative, bool(token_set & _DATE_NEGATIVE))
