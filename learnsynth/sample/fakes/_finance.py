"""Payment card numbers, IBANs and bank account numbers.

Card numbers carry a real issuer prefix (Visa, Mastercard, American Express, Discover), random
digits and a Luhn check digit. IBANs use the BBAN layout of the locale's country from Faker's
bank provider (``en_US`` has none: Faker's default, a GB layout, is used), with correct ISO
13616 check digits and, for Spain, the CCC control digits. French RIB keys and Italian CIN
letters are random (no public validator checks them). Bank account numbers are random digits
in the locale's usual length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from learnsynth.sample.fakes._base import Provider
from learnsynth.sample.fakes._checks import iban_check, luhn, spanish_ccc
from learnsynth.sample.fakes._people import People
from learnsynth.sample.fakes._pools import locale_data
from learnsynth.sample.fakes._text import (
    code_matrix,
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


def _card_digits(brand: _Brand, n: int, rng: np.random.Generator) -> np.ndarray:
    """Full card numbers of one brand as an ``(n, length)`` digit matrix."""
    payload = rng.integers(0, 10, (n, brand.length - 1))
    which = rng.integers(0, len(brand.ranges), n)
    for index, ((low, high), width) in enumerate(zip(brand.ranges, brand.prefix_width,
                                                     strict=True)):
        rows = np.flatnonzero(which == index)
        payload[rows, :width] = int_digits(rng.integers(low, high + 1, rows.size), width)
    return np.hstack([payload, luhn(payload)[:, None]])


class CreditCard(Provider):
    """Luhn-valid payment card numbers, digits grouped by the format's ``separator``."""

    kind = "credit_card"

    def _generate(self, n: int, people: People) -> np.ndarray:
        separator = self.options.separator or ""
        weights = np.array([brand.weight for brand in _BRANDS])
        choice = self.rng.choice(len(_BRANDS), size=n, p=weights / weights.sum())
        out = np.empty(n, dtype=object)
        for index, brand in enumerate(_BRANDS):
            rows = np.flatnonzero(choice == index)
            out[rows] = render(grouped(brand.groups, separator),
                               _card_digits(brand, rows.size, self.rng))
        return out


class Iban(Provider):
    """IBANs of the locale's country, in groups of four by the format's ``separator``."""

    kind = "iban"

    def _generate(self, n: int, people: People) -> np.ndarray:
        country = str(locale_data(self.faker, "bank", "country_code") or "GB")
        layout = str(locale_data(self.faker, "bank", "bban_format") or "????##############")
        bban = random_fill(layout, n, self.rng)
        if country == "ES":
            bban = render("#" * 20, spanish_ccc(digits_for(bban, 20, self.rng)))
        check = iban_check(code_matrix(bban + country + "00"))
        compact = country + render("##", int_digits(check, 2)) + bban
        return regroup(compact, 4, self.options.separator or "")


class BankAccount(Provider):
    """Domestic bank account numbers in the locale's usual length (or the column's pattern)."""

    kind = "bank_account"

    def _generate(self, n: int, people: People) -> np.ndarray:
        pattern = self.options.pattern or _ACCOUNTS.get(self.resolved_locale, "##########")
        return render(pattern, self.rng.integers(0, 10, (n, pattern.count("#"))))
