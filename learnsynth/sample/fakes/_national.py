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

SSNs, the US, British, Spanish and Brazilian national ids and passport numbers are the row's
serial (:mod:`._serials`) spelled in the number's free digits (an SSN's area, group and serial
together), so they never repeat across the output; the German, French, Italian and Dutch ids,
whose digits are tied by their checks or by the person, are unique within a chunk only.
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
from learnsynth.sample.fakes._serials import Serials, fill_slots, slot_space
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

IdMaker = Callable[[int, People, np.random.Generator, Serials], np.ndarray]

_NINO_FIRST, _NINO_SECOND = "ABCEGHJKLMNOPRSTWXYZ", "ABCEGHJKLMNPRSTWXYZ"
_NINO_PREFIXES = np.array([a + b for a in _NINO_FIRST for b in _NINO_SECOND
                           if a + b not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}], object)
_CF_MONTHS = np.array(list("ABCDEHLMPRST"), dtype=object)
_VOWELS = set("AEIOU")


SSN_SPACE = 898 * 99 * 9999  # areas 001-899 but 666, groups 01-99, serials 0001-9999
_CPF_SPACE = 10**9 - 10  # nine digits, not all the same
_CPF_SAME = np.arange(10, dtype=np.int64) * 111_111_111


def ssn_digits(people: People, serials: Serials) -> np.ndarray:
    """Digits of each row's SSN: its serial among every SSN the SSA's rules allow."""
    serial = serials.of(people.rows(), SSN_SPACE)
    area = serial // (99 * 9999) + 1
    area = area + (area >= 666)  # 001-899 without 666
    group = serial // 9999 % 99 + 1
    return np.hstack([int_digits(area, 3), int_digits(group, 2),
                      int_digits(serial % 9999 + 1, 4)])


def _us(n: int, people: People, rng: np.random.Generator, serials: Serials) -> np.ndarray:
    return render("###-##-####", ssn_digits(people, serials))


def _gb(n: int, people: People, rng: np.random.Generator, serials: Serials) -> np.ndarray:
    serial = serials.of(people.rows(), _NINO_PREFIXES.size * 10**6)
    return (_NINO_PREFIXES[serial // 10**6] + render("######", int_digits(serial % 10**6, 6))
            + random_fill("?", n, rng, letters="ABCD"))


def _de(n: int, people: People, rng: np.random.Generator, serials: Serials) -> np.ndarray:
    digits = rng.permuted(np.tile(np.arange(10), (n, 1)), axis=1)
    rows = np.arange(n)
    source = rng.integers(0, 10, n)
    digits[rows, (source + rng.integers(1, 10, n)) % 10] = digits[rows, source]  # one repeat
    lead = np.argmax(digits != 0, axis=1)  # move a non-zero digit to the front
    digits[rows, 0], digits[rows, lead] = digits[rows, lead], digits[rows, 0].copy()
    return render("#" * 11, np.hstack([digits, mod_11_10(digits)[:, None]]))


def _fr(n: int, people: People, rng: np.random.Generator, serials: Serials) -> np.ndarray:
    year, month, _day = date_parts(people.birth)
    department = rng.integers(1, 95, n)
    department = department + (department >= 20)  # 01-95 without Corsica's 20
    body = (rng.integers(1, 3, n) * 10**12 + (year % 100) * 10**10 + month * 10**8
            + department * 10**6 + rng.integers(1, 991, n) * 10**3 + rng.integers(1, 1000, n))
    return render("#" * 15, np.hstack([int_digits(body, 13), int_digits(97 - body % 97, 2)]))


def _es(n: int, people: People, rng: np.random.Generator, serials: Serials) -> np.ndarray:
    numbers = serials.of(people.rows(), 10**8)
    return render("#" * 8, int_digits(numbers, 8)) + dni_letters(numbers)


def _cf_part(name: str, given: bool) -> str:
    letters = [c for c in fold_ascii(name).upper() if c.isalpha()]
    consonants = [c for c in letters if c not in _VOWELS]
    if given and len(consonants) >= 4:
        consonants = [consonants[0], consonants[2], consonants[3]]
    return ("".join(consonants + [c for c in letters if c in _VOWELS]) + "XXX")[:3]


def _it(n: int, people: People, rng: np.random.Generator, serials: Serials) -> np.ndarray:
    year, month, day = date_parts(people.birth)
    day = day + 40 * rng.integers(0, 2, n)  # women add 40
    body = (map_distinct(people.last, lambda s: _cf_part(s, False))
            + map_distinct(people.first, lambda s: _cf_part(s, True))
            + render("##", int_digits(year % 100, 2)) + _CF_MONTHS[month - 1]
            + render("##", int_digits(day, 2))
            + random_fill("?###", n, rng, letters="ABCDEFGHILM"))  # municipality code
    check = codice_fiscale_check(code_matrix(body, 15)[:, :15])
    return body + np.array([chr(c) for c in range(91)], dtype=object)[check]


def _nl(n: int, people: People, rng: np.random.Generator, serials: Serials) -> np.ndarray:
    digits = np.hstack([rng.integers(1, 10, (n, 1)), rng.integers(0, 10, (n, 7))])
    last = elf_proef(digits)
    while (bad := np.flatnonzero(last == 10)).size:
        digits[bad, 1:] = rng.integers(0, 10, (bad.size, 7))
        last[bad] = elf_proef(digits[bad])
    return render("#" * 9, np.hstack([digits, last[:, None]]))


def _br(n: int, people: People, rng: np.random.Generator, serials: Serials) -> np.ndarray:
    number = serials.of(people.rows(), _CPF_SPACE)
    for same in _CPF_SAME:  # skip 000.000.000, 111.111.111, ...: the serial-th number left
        number = number + (number >= same)
    digits = int_digits(number, 9)
    return render("###.###.###-##", np.hstack([digits, cpf_checks(digits)]))


_SERIAL_IDS = frozenset({"en_US", "en_GB", "es_ES", "pt_BR"})
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
            return render(pattern, ssn_digits(people, self.serials))
        return self._shaped(_us(n, people, self.rng, self.serials))

    def is_serial(self) -> bool:
        pattern = self.options.pattern
        return pattern is None or pattern.count("#") >= 9


class NationalId(PatternedProvider):
    """The locale's national identity number (see the module docstring)."""

    kind = "national_id"

    def _generate(self, n: int, people: People) -> np.ndarray:
        maker = _NATIONAL_IDS.get(self.resolved_locale, _us)
        return self._shaped(maker(n, people, self.rng, self.serials))

    def is_serial(self) -> bool:
        pattern = self.options.pattern
        return (self.resolved_locale in _SERIAL_IDS or self.resolved_locale not in _NATIONAL_IDS
                ) and pattern is None


class Passport(PatternedProvider):
    """Passport numbers in the shape the locale's country issues."""

    kind = "passport"

    def _generate(self, n: int, people: People) -> np.ndarray:
        template, letters = _PASSPORTS.get(self.resolved_locale, _PASSPORTS["en_US"])
        letters = letters or "A"
        serial = self.serials.of(people.rows(), slot_space(template, letters))
        return self._shaped(fill_slots(template, serial, letters))

    def is_serial(self) -> bool:
        return self.options.pattern is None
