"""Kinds made from the row's person: names, e-mail, user name, URL, date of birth, free text.

E-mail addresses, user names and URLs are built from the ASCII-folded first and last name of
the same row (``Zoë Müller-Groß`` -> ``zoe.mullergross``), in a few common shapes, followed by
a number of at least :data:`HANDLE_DIGITS` digits (``anna.berg4821@example.net``): the row's
serial (:mod:`._serials`), written with as many digits as the global row number needs (4 up
to row 9,999, 5 up to 99,999, ...). The number does two jobs. Distinct rows get distinct
numbers, and a handle ends in letters, so addresses never repeat in the whole output, whatever
the chunking or ``--jobs``, without redrawing anybody (rows stay coherent with their name).
And a real address made from the same common name matches only if it also ends in the same
random number of the same width, which makes chance copies of real addresses improbable
(``docs/sampling.md`` gives the estimate).
"""

from __future__ import annotations

import numpy as np

from learnsynth.sample.fakes._base import SAFE_DOMAINS, Provider
from learnsynth.sample.fakes._people import People
from learnsynth.sample.fakes._pools import locale_data
from learnsynth.sample.fakes._serials import Serials, digit_width
from learnsynth.sample.fakes._text import (
    compose,
    compose_styles,
    fold_column,
    format_dates,
    int_digits,
    map_distinct,
    render,
)

__all__ = ["HANDLE_DIGITS", "DateOfBirth", "Email", "FirstName", "FreeText", "FullName",
           "LastName", "Url", "Username", "handles"]

HANDLE_DIGITS = 4  # least digits of the number that ends every handle

_HANDLES = ("{first}.{last}", "{first}{last}", "{initial}{last}", "{first}_{last}",
            "{last}.{first}", "{initial}.{last}")
_HANDLE_WEIGHTS = np.array([0.35, 0.2, 0.15, 0.1, 0.1, 0.1])
_URLS = ("https://www.{domain}/~{handle}", "https://{domain}/users/{handle}",
         "https://{first}-{last}.{domain}/")
_URL_WEIGHTS = np.array([0.4, 0.4, 0.2])
_HANDLE_URLS = 2  # the first URL shapes carry the handle (used to make repeated URLs unique)

# Notes holding PII, per language: {name}, {first}, {street}, {city}, {birth}.
_NOTES = {
    "en": ("{name} from {city} called about the last invoice.",
           "Please send the contract to {name}, {street}, {city}.",
           "Spoke with {first} on the phone; new address is {street}, {city}.",
           "Patient {name}, born {birth}, reports no known allergies."),
    "de": ("{name} aus {city} hat wegen der letzten Rechnung angerufen.",
           "Bitte den Vertrag an {name}, {street}, {city} senden.",
           "Telefonat mit {first}: neue Adresse ist {street}, {city}.",
           "Patient {name}, geboren am {birth}, keine bekannten Allergien."),
    "fr": ("{name} de {city} a appelé au sujet de la dernière facture.",
           "Merci d'envoyer le contrat à {name}, {street}, {city}.",
           "Appel avec {first} : nouvelle adresse {street}, {city}.",
           "Patient {name}, né le {birth}, aucune allergie connue."),
    "es": ("{name} de {city} llamó por la última factura.",
           "Enviar el contrato a {name}, {street}, {city}.",
           "Hablé con {first}: la nueva dirección es {street}, {city}.",
           "Paciente {name}, nacido el {birth}, sin alergias conocidas."),
    "it": ("{name} da {city} ha chiamato per l'ultima fattura.",
           "Inviare il contratto a {name}, {street}, {city}.",
           "Parlato con {first}: il nuovo indirizzo è {street}, {city}.",
           "Paziente {name}, nato il {birth}, nessuna allergia nota."),
    "nl": ("{name} uit {city} belde over de laatste factuur.",
           "Stuur het contract naar {name}, {street}, {city}.",
           "Gesproken met {first}: nieuw adres is {street}, {city}.",
           "Patiënt {name}, geboren op {birth}, geen bekende allergieën."),
    "pt": ("{name} de {city} ligou sobre a última fatura.",
           "Enviar o contrato para {name}, {street}, {city}.",
           "Falei com {first}: o novo endereço é {street}, {city}.",
           "Paciente {name}, nascido em {birth}, sem alergias conhecidas."),
}
_NOTE_DATES = {"en_US": "%m/%d/%Y", "de_DE": "%d.%m.%Y", "nl_NL": "%d-%m-%Y"}


def serial_suffixes(rows: np.ndarray, serials: Serials) -> np.ndarray:
    """Each row's serial, zero-padded to the width of its global row number (at least
    :data:`HANDLE_DIGITS`): one-to-one among rows of a width, and widths differ in length."""
    width = digit_width(rows, HANDLE_DIGITS)
    out = np.empty(len(rows), dtype=object)
    for digits in np.unique(width).tolist():
        at = np.flatnonzero(width == digits)
        number = serials.of(rows[at], 10**digits)
        out[at] = render("#" * digits, int_digits(number, digits))
    return out


def handles(people: People, rng: np.random.Generator, serials: Serials) -> np.ndarray:
    """ASCII user handles made from each row's first and last name and ending in the row's
    serial (``anna.schmidt4821``)."""
    first = map_distinct(fold_column(people.first), lambda s: s or "user")
    last = map_distinct(fold_column(people.last), lambda s: s or "user")
    style = rng.choice(len(_HANDLES), size=len(people), p=_HANDLE_WEIGHTS)
    fields = {"first": first, "last": last, "initial": map_distinct(first, lambda s: s[:1])}
    return compose_styles(_HANDLES, style, fields) + serial_suffixes(people.rows(), serials)


class _Handled(Provider):
    """A kind built from the row's handle, unique by the handle's serial number."""

    def _generate(self, n: int, people: People) -> np.ndarray:
        return self._build(people)

    def _build(self, people: People) -> np.ndarray:
        raise NotImplementedError

    def is_serial(self) -> bool:
        return True

    def _domains(self) -> np.ndarray:
        domains = self.options.domains
        if domains == "free":
            domains = locale_data(self.faker, "internet", "free_email_domains") or SAFE_DOMAINS
        elif domains == "safe":
            domains = SAFE_DOMAINS
        return np.array(list(domains), dtype=object)


class Email(_Handled):
    """``handle@domain``; domains are RFC 2606 example domains unless the format says so."""

    kind = "email"

    def _build(self, people: People) -> np.ndarray:
        domains = self._domains()
        return (handles(people, self.rng, self.serials) + "@"
                + domains[self.rng.integers(0, len(domains), len(people))])


class Username(_Handled):
    """Lower-case ASCII user names from the row's name."""

    kind = "username"

    def _build(self, people: People) -> np.ndarray:
        return handles(people, self.rng, self.serials)


class Url(_Handled):
    """Personal ``https`` pages on example domains, named after the row's person; a unique
    column uses only the shapes that carry the handle (and so its serial)."""

    kind = "url"

    def _build(self, people: People) -> np.ndarray:
        n = len(people)
        domains = self._domains() if isinstance(self.options.domains, tuple) else np.array(
            SAFE_DOMAINS, dtype=object)
        weights = _URL_WEIGHTS if not self.must_be_unique else _URL_WEIGHTS * (
            np.arange(len(_URLS)) < _HANDLE_URLS)
        fields = {"handle": handles(people, self.rng, self.serials),
                  "first": map_distinct(fold_column(people.first), lambda s: s or "user"),
                  "last": map_distinct(fold_column(people.last), lambda s: s or "user"),
                  "domain": domains[self.rng.integers(0, len(domains), n)]}
        style = self.rng.choice(len(_URLS), size=n, p=weights / weights.sum())
        return compose_styles(_URLS, style, fields)

    def is_serial(self) -> bool:
        return self.must_be_unique


class FullName(Provider):
    """``first last`` of the row's person."""

    kind = "full_name"

    def _generate(self, n: int, people: People) -> np.ndarray:
        return people.first + " " + people.last


class FirstName(Provider):
    """The row's first (given) name."""

    kind = "first_name"

    def _generate(self, n: int, people: People) -> np.ndarray:
        return people.first.copy()


class LastName(Provider):
    """The row's last (family) name."""

    kind = "last_name"

    def _generate(self, n: int, people: People) -> np.ndarray:
        return people.last.copy()


class DateOfBirth(Provider):
    """The row's birth date in the format's ``date_format``."""

    kind = "date_of_birth"

    def _generate(self, n: int, people: People) -> np.ndarray:
        return format_dates(people.birth, self.options.date_format)


class FreeText(Provider):
    """Short notes in the locale's language that mention the row's person and place."""

    kind = "free_text"

    def _generate(self, n: int, people: People) -> np.ndarray:
        locale = self.resolved_locale
        notes = _NOTES.get(locale.split("_")[0], _NOTES["en"])
        fields = {"name": compose("{first} {last}", {"first": people.first,
                                                     "last": people.last}, n),
                  "first": people.first, "street": people.street, "city": people.city,
                  "birth": format_dates(people.birth, _NOTE_DATES.get(locale, "%d/%m/%Y"))}
        return compose_styles(notes, self.rng.integers(0, len(notes), n), fields)
