"""Identity numbers: US social security numbers, national ids per locale, passport numbers.

National ids pass their country's published checks (python-stdnum validates them in the
tests) and, where the number encodes them, agree with the row's person:

=========  =====================================================================
``en_US``  SSN (area 001-899 except 666, group 01-99, serial 0001-9999)
``en_GB``  National Insurance number (allowed prefix letters, suffix A-D)
``de_DE``  Steuer-IdNr (11 digits, one digit repeated, ISO 7064 Mod 11,10)
``fr_FR``  NIR (sex, year and month of the row's birth date, département, key)
``es_ES``  DNI (8 digits and control letter)
``it_IT``  codice fiscale (from the row's names and birth date, control letter)
``nl_NL``  BSN (9 digits, elfproef)
``pt_BR``  CPF (11 digits, two mod-11 check digits)
=========  =====================================================================

Sex, where a number encodes it, is drawn at random: :class:`People` carries none.
A ``pattern`` receives the number's digits in order; letters of the number are dropped.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from learnsynth.sample.fakes._base import PatternedProvider
from learnsynth.sample.fakes._checks import (
    codice_fiscale_check,
    cpf_checks,
    dni_letters,
    elf_proef,
    mod_11_10,
)
from learnsynth.sample.fakes._people import People
from learnsynth.sample.fakes._text import (
    code_matrix,
    date_parts,
    fold_ascii,
    int_digits,
    map_distinct,
    random_fill,
    render,
)

__all__ = ["NationalId", "Passport", "Ssn", "ssn_digits"]

IdMaker = Callable[[int, People, np.random.Generator], np.ndarray]

_NINO_FIRST, _NINO_SECOND = "ABCEGHJKLMNOPRSTWXYZ", "ABCEGHJKLMNPRSTWXYZ"
_NINO_PREFIXES = np.array([a + b for a in _NINO_FIRST for b in _NINO_SECOND
                           if a + b not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}], object)
_CF_MONTHS = np.array(list("ABCDEHLMPRST"), dtype=object)
_VOWELS = set("AEIOU")


def ssn_digits(n: int, rng: np.random.Generator) -> np.ndarray:
    """Digits of ``n`` SSNs that follow the SSA's allocation rules."""
    area = rng.integers(1, 899, n)
    area = area + (area >= 666)  # 001-899 without 666
    return np.hstack([int_digits(area, 3), int_digits(rng.integers(1, 100, n), 2),
                      int_digits(rng.integers(1, 10_000, n), 4)])


def _us(n: int, people: People, rng: np.random.Generator) -> np.ndarray:
    return render("###-##-####", ssn_digits(n, rng))


def _gb(n: int, people: People, rng: np.random.Generator) -> np.ndarray:
    prefix = _NINO_PREFIXES[rng.integers(0, _NINO_PREFIXES.size, n)]
    return prefix + random_fill("######?", n, rng, letters="ABCD")


def _de(n: int, people: People, rng: np.random.Generator) -> np.ndarray:
    digits = rng.permuted(np.tile(np.arange(10), (n, 1)), axis=1)
    rows = np.arange(n)
    source = rng.integers(0, 10, n)
    digits[rows, (source + rng.integers(1, 10, n)) % 10] = digits[rows, source]  # one repeat
    lead = np.argmax(digits != 0, axis=1)  # move a non-zero digit to the front
    digits[rows, 0], digits[rows, lead] = digits[rows, lead], digits[rows, 0].copy()
    return render("#" * 11, np.hstack([digits, mod_11_10(digits)[:, None]]))


def _fr(n: int, people: People, rng: np.random.Generator) -> np.ndarray:
    year, month, _day = date_parts(people.birth)
    department = rng.integers(1, 95, n)
    department = department + (department >= 20)  # 01-95 without Corsica's 20
    body = (rng.integers(1, 3, n) * 10**12 + (year % 100) * 10**10 + month * 10**8
            + department * 10**6 + rng.integers(1, 991, n) * 10**3 + rng.integers(1, 1000, n))
    return render("#" * 15, np.hstack([int_digits(body, 13), int_digits(97 - body % 97, 2)]))


def _es(n: int, people: People, rng: np.random.Generator) -> np.ndarray:
    numbers = rng.integers(0, 10**8, n)
    return render("#" * 8, int_digits(numbers, 8)) + dni_letters(numbers)


def _cf_part(name: str, given: bool) -> str:
    letters = [c for c in fold_ascii(name).upper() if c.isalpha()]
    consonants = [c for c in letters if c not in _VOWELS]
    if given and len(consonants) >= 4:
        consonants = [consonants[0], consonants[2], consonants[3]]
    return ("".join(consonants + [c for c in letters if c in _VOWELS]) + "XXX")[:3]


def _it(n: int, people: People, rng: np.random.Generator) -> np.ndarray:
    year, month, day = date_parts(people.birth)
    day = day + 40 * rng.integers(0, 2, n)  # women add 40
    body = (map_distinct(people.last, lambda s: _cf_part(s, False))
            + map_distinct(people.first, lambda s: _cf_part(s, True))
            + render("##", int_digits(year % 100, 2)) + _CF_MONTHS[month - 1]
            + render("##", int_digits(day, 2))
            + random_fill("?###", n, rng, letters="ABCDEFGHILM"))  # municipality code
    check = codice_fiscale_check(code_matrix(body, 15)[:, :15])
    return body + np.array([chr(c) for c in range(91)], dtype=object)[check]


def _nl(n: int, people: People, rng: np.random.Generator) -> np.ndarray:
    digits = np.hstack([rng.integers(1, 10, (n, 1)), rng.integers(0, 10, (n, 7))])
    last = elf_proef(digits)
    while (bad := np.flatnonzero(last == 10)).size:
        digits[bad, 1:] = rng.integers(0, 10, (bad.size, 7))
        last[bad] = elf_proef(digits[bad])
    return render("#" * 9, np.hstack([digits, last[:, None]]))


def _br(n: int, people: People, rng: np.random.Generator) -> np.ndarray:
    digits = rng.integers(0, 10, (n, 9))
    while (same := np.flatnonzero((digits == digits[:, :1]).all(axis=1))).size:
        digits[same] = rng.integers(0, 10, (same.size, 9))  # 111.111.111-11 and the like
    return render("###.###.###-##", np.hstack([digits, cpf_checks(digits)]))


_NATIONAL_IDS: dict[str, IdMaker] = {
    "en_US": _us, "en_GB": _gb, "de_DE": _de, "fr_FR": _fr, "es_ES": _es, "it_IT": _it,
    "nl_NL": _nl, "pt_BR": _br,
}
# (template, letters): '#' a digit, '?' one of the letters.
_PASSPORTS: dict[str, tuple[str, str]] = {
    "en_US": ("#########", ""), "en_GB": ("#########", ""),
    "de_DE": ("?########", "CFGHJK"), "fr_FR": ("##??#####", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "es_ES": ("???######", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "it_IT": ("??#######", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "nl_NL": ("??#######", "ABCDEFGHIJKLMNPQRSTUVWXYZ"),
    "pt_BR": ("??######", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
}


class Ssn(PatternedProvider):
    """US social security numbers, ``###-##-####`` unless the column has a pattern."""

    kind = "ssn"

    def _generate(self, n: int, people: People) -> np.ndarray:
        pattern = self.options.pattern
        if pattern is not None and pattern.count("#") == 9:
            return render(pattern, ssn_digits(n, self.rng))
        return self._shaped(_us(n, people, self.rng))


class NationalId(PatternedProvider):
    """The locale's national identity number (see the module docstring)."""

    kind = "national_id"

    def _generate(self, n: int, people: People) -> np.ndarray:
        maker = _NATIONAL_IDS.get(self.resolved_locale, _us)
        return self._shaped(maker(n, people, self.rng))


class Passport(PatternedProvider):
    """Passport numbers in the shape the locale's country issues."""

    kind = "passport"

    def _generate(self, n: int, people: People) -> np.ndarray:
        template, letters = _PASSPORTS.get(self.resolved_locale, _PASSPORTS["en_US"])
        return self._shaped(random_fill(template, n, self.rng, letters=letters or "A"))
