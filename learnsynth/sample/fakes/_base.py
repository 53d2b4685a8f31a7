"""The provider contract, and the format descriptor every provider reads.

A provider turns the shared :class:`People` of a chunk into one column of a PII kind. Like a
Faker provider, it keeps its data in class attributes and its methods short; unlike one, each
call draws a whole column from the injected ``numpy.random.Generator``.

The format descriptor is a mapping of optional keys (unknown keys are ignored):

==============  ============================================================================
``pattern``     ``#`` = a digit, anything else literal; for phone, ssn, national_id,
                postal_code, bank_account and passport (e.g. ``"(###) ###-####"``)
``case``        ``lower``, ``upper``, ``title`` or ``mixed`` (= as generated)
``date_format`` ``strftime`` format for date_of_birth (default ``%Y-%m-%d``)
``separator``   between digit groups of credit_card and iban (``" "``, ``"-"``, ``""``), and
                between the bytes of mac_address (default ``":"``)
``decimals``    digits after the point for latitude / longitude (default 6)
``style``       ``name`` (default) or ``code`` for state and country (``TX``, ``US``)
``domains``     e-mail domains: ``safe`` (default: example.com/.org/.net, reserved by
                RFC 2606 so no mail can reach anyone), ``free`` (the locale's free-mail
                providers) or a list of domain names
``version``     4 (default) or 6 for ip_address
==============  ============================================================================
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import ClassVar

import numpy as np
from faker import Faker

from learnsynth.sample.fakes._locales import resolve_locale
from learnsynth.sample.fakes._people import People, make_people
from learnsynth.sample.fakes._serials import Serials
from learnsynth.sample.fakes._text import apply_case, apply_pattern, duplicated

__all__ = ["FormatError", "Options", "PatternedProvider", "Provider", "read_options"]

SAFE_DOMAINS = ("example.com", "example.org", "example.net")
_CASES = ("lower", "upper", "title", "mixed")
_STYLES = ("name", "code")
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_MAX_PATTERN = 64
_ROUNDS = 30  # redraw rounds before a column is declared unable to be unique


class FormatError(ValueError):
    """A key of a format descriptor has a value that cannot be used."""

    def __init__(self, key: str, expected: str, got: object) -> None:
        super().__init__(f"{key!r} must be {expected}, got {got!r}")
        self.key, self.expected, self.got = key, expected, got


@dataclass(frozen=True)
class Options:
    """A format descriptor, checked and typed."""

    pattern: str | None = None
    case: str | None = None
    date_format: str = "%Y-%m-%d"
    separator: str | None = None
    decimals: int = 6
    style: str = "name"
    domains: str | tuple[str, ...] = "safe"
    version: int = 4


def _choice(fmt: Mapping[str, object], key: str, allowed: tuple[str, ...]) -> str | None:
    value = fmt.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or value.lower() not in allowed:
        raise FormatError(key, "one of " + ", ".join(map(repr, allowed)), value)
    return value.lower()


def _pattern(fmt: Mapping[str, object]) -> str | None:
    value = fmt.get("pattern")
    if value is not None and not (
            isinstance(value, str) and 0 < len(value) <= _MAX_PATTERN
            and not any(unicodedata.category(char).startswith("C") for char in value)):
        raise FormatError("pattern", f"1 to {_MAX_PATTERN} printable characters", value)
    return value


def _date_format(fmt: Mapping[str, object]) -> str:
    value = fmt.get("date_format", "%Y-%m-%d")
    try:
        if not isinstance(value, str) or "%" not in value:
            raise ValueError(value)
        date(2000, 1, 2).strftime(value)
    except ValueError as exc:
        raise FormatError("date_format", "a strftime format such as '%d/%m/%Y'", value) from exc
    return value


def _separator(fmt: Mapping[str, object]) -> str | None:
    value = fmt.get("separator")
    if value is not None and not (isinstance(value, str) and len(value) <= 1
                                  and not value.isalnum()):
        raise FormatError("separator", "'', ' ', '-' or another single non-alphanumeric", value)
    return value


def _decimals(fmt: Mapping[str, object]) -> int:
    value = fmt.get("decimals", 6)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 12:
        raise FormatError("decimals", "an integer from 0 to 12", value)
    return value


def _domains(fmt: Mapping[str, object]) -> str | tuple[str, ...]:
    value = fmt.get("domains", "safe")
    if value in ("safe", "free"):
        return str(value)
    if (isinstance(value, list | tuple) and value
            and all(isinstance(v, str) and _DOMAIN.match(v) for v in value)):
        return tuple(value)
    raise FormatError("domains", "'safe', 'free' or a list of lower-case domain names", value)


def _version(fmt: Mapping[str, object]) -> int:
    value = fmt.get("version", 4)
    if value not in (4, 6, "4", "6") or isinstance(value, bool):
        raise FormatError("version", "4 or 6", value)
    return int(value)


def read_options(fmt: Mapping[str, object] | None) -> Options:
    """The typed :class:`Options` of a format descriptor; raises :class:`FormatError`."""
    fmt = fmt or {}
    return Options(pattern=_pattern(fmt), case=_choice(fmt, "case", _CASES),
                   date_format=_date_format(fmt), separator=_separator(fmt),
                   decimals=_decimals(fmt), style=_choice(fmt, "style", _STYLES) or "name",
                   domains=_domains(fmt), version=_version(fmt))


class Provider:
    """Generates one column of a PII kind from the chunk's shared :class:`People`.

    ``__init__`` only stores its arguments; the format descriptor is checked on first use of
    :attr:`options` (``fill_pii`` does that before generating anything). Subclasses set
    :attr:`kind` and implement :meth:`_generate`; the letter case of the format is applied
    here, to every kind.
    """

    kind: ClassVar[str]

    def __init__(self, locale: str, fmt: Mapping[str, object], faker: Faker,
                 rng: np.random.Generator, serials: Serials | None = None,
                 must_be_unique: bool = False) -> None:
        self.locale = locale
        self.fmt = fmt
        self.faker = faker
        self.rng = rng
        self.serials = serials or Serials(np.random.SeedSequence(0))
        self.must_be_unique = must_be_unique

    @cached_property
    def options(self) -> Options:
        """The checked format descriptor."""
        return read_options(self.fmt)

    @property
    def resolved_locale(self) -> str:
        """The supported locale actually generated for."""
        return resolve_locale(self.locale)

    def generate(self, n: int, people: People) -> np.ndarray:
        """``n`` values (object array of ``str``), row ``i`` describing ``people`` row ``i``."""
        return apply_case(self._generate(n, people), self.options.case)

    def _generate(self, n: int, people: People) -> np.ndarray:
        raise NotImplementedError

    def unique(self, values: np.ndarray, people: People) -> np.ndarray:
        """``values`` with repeated rows redrawn until all differ or redraws run out; the
        caller checks the result (a kind with few possible values cannot become unique)."""
        values = values.copy()
        if self.is_serial():
            return values
        for attempt in range(_ROUNDS):
            repeated = np.flatnonzero(duplicated(values))
            if repeated.size == 0:
                break
            values[repeated] = self._redraw(repeated, people, attempt)
        return values

    def is_serial(self) -> bool:
        """Whether values are built around the row's serial (see :mod:`._serials`): distinct
        rows then give distinct values by construction, across chunks too, and a repeat means
        the kind's value space is exhausted, which redrawing cannot help."""
        return False

    def _redraw(self, rows: np.ndarray, people: People, attempt: int) -> np.ndarray:
        """New values for ``rows``; by default for freshly drawn people (kinds built from the
        row's own person override this to stay coherent with it)."""
        fresh = make_people(rows.size, self.locale, self.faker, self.rng)
        # random row numbers far beyond any output: serial-built parts are redrawn too
        fresh = replace(fresh, row=self.rng.integers(2**40, 2**62, rows.size))
        return self.generate(rows.size, fresh)


class PatternedProvider(Provider):
    """A provider whose values take the column's ``pattern`` when it has one."""

    def _shaped(self, values: np.ndarray) -> np.ndarray:
        """``values`` poured into the pattern (digits in order, see :func:`apply_pattern`)."""
        pattern = self.options.pattern
        return values if pattern is None else apply_pattern(pattern, values, self.rng)
