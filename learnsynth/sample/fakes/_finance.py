"""Payment card numbers, IBANs and bank account numbers.

Card numbers carry a real issuer prefix (Visa, Mastercard, American Express, Discover), random
digits and a Luhn check digit. IBANs use the BBAN layout of the locale's country from Faker's
bank provider (``en_US`` has none: Faker's default, a GB layout, is used), with correct ISO
13616 check digits and, for Spain, the CCC control digits. French RIB keys and Italian CIN
letters are random (no public validator checks them). Bank account numbers are random digits
in the locale's usual length.

A card's digits after its issuer prefix, the last ten digits of an IBAN's BBAN (the Spanish
account number) and a bank account's last digits (up to 15) are the row's serial
(:mod:`._serials`), so none repeats across the output; check digits are computed after.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from learnsynth.sample.fakes._base import Provider
from learnsynth.sample.fakes._checks import iban_check, luhn, spanish_ccc
from learnsynth.sample.fakes._people import People
from learnsynth.sample.fakes._pools import locale_data
from learnsynth.sample.fakes._serials import Serials
from learnsynth.sample.fakes._text import (
    code_matrix,
    code_strings,
    digits_for,
    grouped,
    int_digits,
    random_fill,
    regroup,
    render,
)

__all__ = ["BankAccount", "CreditCard", "Iban"]


@dataclass(frozen=True)
class _Brand:
    """Issuer prefixes as inclusive ranges of equal-width numbers, and the card layout."""

    ranges: tuple[tuple[int, int], ...]
    prefix_width: tuple[int, ...]
    length: int
    weight: float
    groups: tuple[int, ...]


_BRANDS = (
    _Brand(((4, 4),), (1,), 16, 0.50, (4, 4, 4, 4)),                               # Visa
    _Brand(((51, 55), (2221, 2720)), (2, 4), 16, 0.30, (4, 4, 4, 4)),              # Mastercard
    _Brand(((34, 34), (37, 37)), (2, 2), 15, 0.12, (4, 6, 5)),                     # Amex
    _Brand(((6011, 6011), (644, 649), (65, 65)), (4, 3, 2), 16, 0.08, (4, 4, 4, 4)),  # Discover
)
_ACCOUNTS = {
    "en_US": "##########", "en_GB": "########", "de_DE": "##########", "fr_FR": "###########",
    "es_ES": "##########", "it_IT": "############", "nl_NL": "##########", "pt_BR": "#####-#",
}


_IBAN_SERIAL = 10  # last BBAN digits taken from the serial
_ACCOUNT_SERIAL = 15


def _card_digits(brand: _Brand, rows: np.ndarray, rng: np.random.Generator,
                 serials: Serials) -> np.ndarray:
    """Full card numbers of one brand as an ``(n, length)`` digit matrix: prefix, the row's
    serial in the remaining digits, Luhn check digit."""
    n = len(rows)
    payload = np.zeros((n, brand.length - 1), dtype=np.int64)
    which = rng.integers(0, len(brand.ranges), n)
    for index, ((low, high), width) in enumerate(zip(brand.ranges, brand.prefix_width,
                                                     strict=True)):
        at = np.flatnonzero(which == index)
        free = brand.length - 1 - width
        payload[at, :width] = int_digits(rng.integers(low, high + 1, at.size), width)
        payload[at, width:] = int_digits(serials.of(rows[at], 10**free), free)
    return np.hstack([payload, luhn(payload)[:, None]])


def _serial_digits(template: str, count: int, rows: np.ndarray, serials: Serials,
                   rng: np.random.Generator) -> np.ndarray:
    """Digits for the ``#`` slots of ``template``: random, then the row's serial in the last
    ``count`` slots (all of them if fewer)."""
    slots = template.count("#")
    count = min(count, slots)
    return np.hstack([rng.integers(0, 10, (len(rows), slots - count)),
                      int_digits(serials.of(rows, 10**count), count)])


class CreditCard(Provider):
    """Luhn-valid payment card numbers, digits grouped by the format's ``separator``."""

    kind = "credit_card"

    def is_serial(self) -> bool:
        return True

    def _generate(self, n: int, people: People) -> np.ndarray:
        separator = self.options.separator or ""
        weights = np.array([brand.weight for brand in _BRANDS])
        choice = self.rng.choice(len(_BRANDS), size=n, p=weights / weights.sum())
        out = np.empty(n, dtype=object)
        for index, brand in enumerate(_BRANDS):
            rows = np.flatnonzero(choice == index)
            out[rows] = render(grouped(brand.groups, separator),
                               _card_digits(brand, people.rows()[rows], self.rng,
                                            self.serials))
        return out


class Iban(Provider):
    """IBANs of the locale's country, in groups of four by the format's ``separator``."""

    kind = "iban"

    def is_serial(self) -> bool:
        return True

    def _generate(self, n: int, people: People) -> np.ndarray:
        country = str(locale_data(self.faker, "bank", "country_code") or "GB")
        layout = str(locale_data(self.faker, "bank", "bban_format") or "????##############")
        letters = random_fill(layout.replace("#", "0"), n, self.rng)  # letters where '?'
        digits = _serial_digits(layout, _IBAN_SERIAL, people.rows(), self.serials, self.rng)
        bban = _merge(letters, layout, digits)
        if country == "ES":
            bban = render("#" * 20, spanish_ccc(digits_for(bban, 20, self.rng)))
        check = iban_check(code_matrix(bban + country + "00"))
        compact = country + render("##", int_digits(check, 2)) + bban
        return regroup(compact, 4, self.options.separator or "")


class BankAccount(Provider):
    """Domestic bank account numbers in the locale's usual length (or the column's pattern)."""

    kind = "bank_account"

    def is_serial(self) -> bool:
        return True

    def _generate(self, n: int, people: People) -> np.ndarray:
        pattern = self.options.pattern or _ACCOUNTS.get(self.resolved_locale, "##########")
        return render(pattern, _serial_digits(pattern, _ACCOUNT_SERIAL, people.rows(),
                                              self.serials, self.rng))


def _merge(filled: np.ndarray, layout: str, digits: np.ndarray) -> np.ndarray:
    """``filled`` (the layout with its letters drawn) with ``digits`` in its ``#`` slots."""
    codes = code_matrix(filled, len(layout))
    slots = [index for index, char in enumerate(layout) if char == "#"]
    codes[:, slots] = (48 + digits).astype(np.uint32)
    return code_strings(codes)
