"""Vocabularies built from Faker's locale data: person names, places, street words.

Each set is built once, lazily, on first use (``functools.cache``), from Faker's provider
modules (``faker.providers.person.<locale>.Provider.first_names`` ...) plus the small built-in
lists of :mod:`._world`. Everything is folded (lower case, accents stripped) so that
``"JOSÉ"``, ``"José"`` and ``"jose"`` match alike.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from learnsynth.profile.pii import _world
from learnsynth.profile.pii.names import fold

__all__ = [
    "NAME_LOCALES",
    "PersonNames",
    "Places",
    "person_names",
    "places",
    "split_name_tokens",
]

# Locales whose person/address providers are read, most common first (ties go to the first).
NAME_LOCALES = (
    "en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR", "pt_PT", "en_IE",
    "en_IN", "en_CA", "en_AU", "en_NZ", "de_AT", "de_CH", "fr_CA", "fr_CH", "es_MX", "nl_BE",
)
_TOKEN_SPLIT = re.compile(r"[\s\-]+")


@dataclass(frozen=True)
class PersonNames:
    """Folded name tokens, overall and per locale."""

    first: frozenset[str]
    last: frozenset[str]
    by_locale: dict[str, tuple[frozenset[str], frozenset[str]]]
    titles: frozenset[str]
    particles: frozenset[str]


@dataclass(frozen=True)
class Places:
    """Folded place vocabularies, each value mapped to the locales that list it."""

    cities: dict[str, tuple[str, ...]]
    city_prefixes: dict[str, tuple[str, ...]]
    city_suffixes: dict[str, tuple[str, ...]]
    states: dict[str, tuple[str, ...]]
    state_codes: dict[str, tuple[str, ...]]
    countries: dict[str, tuple[str, ...]]
    country_codes: frozenset[str]
    street_suffixes: frozenset[str]
    street_prefixes: dict[str, tuple[str, ...]]
    street_compounds: dict[str, tuple[str, ...]]
    secondary_units: frozenset[str]


def split_name_tokens(text: str) -> list[str]:
    """Folded tokens of a name, split on whitespace and hyphens, dots dropped at the ends."""
    return [tok.strip(".,'") for tok in _TOKEN_SPLIT.split(fold(text)) if tok.strip(".,'")]


def _provider(kind: str, locale: str) -> type | None:
    try:
        module = importlib.import_module(f"faker.providers.{kind}.{locale}")
    except ImportError:
        return None
    provider = getattr(module, "Provider", None)
    return provider if isinstance(provider, type) else None


def _strings(items: Iterable[object]) -> list[str]:
    """Flatten Faker's data shapes (tuples, dicts of weights, (code, name) pairs) to strings."""
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, tuple | list):
            out.extend(str(part) for part in item if isinstance(part, str))
    return out


def _attr_strings(provider: type | None, *names: str) -> list[str]:
    if provider is None:
        return []
    out: list[str] = []
    for name in names:
        data = getattr(provider, name, None)
        if isinstance(data, dict):
            out.extend(_strings(data.keys()))
        elif isinstance(data, tuple | list | set | frozenset):
            out.extend(_strings(data))
    return out


def _name_tokens(names: Iterable[str], particles: frozenset[str]) -> frozenset[str]:
    return frozenset(
        tok for name in names for tok in split_name_tokens(name)
        if len(tok) > 1 and tok not in particles and not tok.isdigit()
    )


@cache
def person_names() -> PersonNames:
    """First and last name tokens of every locale in :data:`NAME_LOCALES`."""
    particles = frozenset(_world.NAME_PARTICLES)
    titles = {fold(t).strip(".") for t in _world.TITLES}
    by_locale: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for locale in NAME_LOCALES:
        provider = _provider("person", locale)
        if provider is None:
            continue
        first = _name_tokens(_attr_strings(
            provider, "first_names", "first_names_male", "first_names_female",
            "first_names_nonbinary"), particles)
        last = _name_tokens(_attr_strings(
            provider, "last_names", "last_names_male", "last_names_female"), particles)
        titles.update(fold(t).strip(".") for t in _attr_strings(
            provider, "prefixes_male", "prefixes_female", "prefixes", "suffixes_male",
            "suffixes_female", "suffixes"))
        by_locale[locale] = (first, last)
    first_all = frozenset().union(*(f for f, _ in by_locale.values()))
    last_all = frozenset().union(*(la for _, la in by_locale.values()))
    titles.discard("")
    return PersonNames(first_all, last_all, by_locale, frozenset(titles), particles)


def _add(table: dict[str, list[str]], values: Iterable[str], locale: str) -> None:
    for value in values:
        key = fold(value).strip()
        if key and any(ch.isalpha() for ch in key) and locale not in table.setdefault(key, []):
            table[key].append(locale)


def _frozen(table: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(locales) for key, locales in table.items()}


_TABLES = ("cities", "states", "codes", "countries", "prefixes", "compounds", "city_prefixes",
           "city_suffixes")
_STATE_ATTRS = ("states", "regions", "provinces", "counties", "cantons", "estados", "departments",
                "distritos", "union_territories")
_CODE_ATTRS = ("states_abbr", "provinces_abbr", "union_territories_abbr", "territories_abbr",
               "military_state_abbr")
_STREET_SUFFIX_ATTRS = ("street_suffixes", "street_suffixes_short", "street_suffixes_long")


def _read_address(address: type, locale: str, tables: dict[str, dict[str, list[str]]],
                  english_suffixes: set[str], country_codes: set[str]) -> None:
    """Add one locale's address provider data to the tables."""
    _add(tables["cities"], _attr_strings(address, "cities"), locale)
    _add(tables["states"], _attr_strings(address, *_STATE_ATTRS), locale)
    if locale == "es_ES":  # Faker's es_ES cities are its province names
        _add(tables["cities"], _attr_strings(address, "states"), locale)
    for code in _attr_strings(address, *_CODE_ATTRS) + _pair_codes(address):
        tables["codes"].setdefault(code.upper(), []).append(locale)
    _add(tables["countries"], _attr_strings(address, "countries"), locale)
    country_codes.update(_attr_strings(address, "alpha_2_country_codes", "alpha_3_country_codes"))
    _add(tables["city_prefixes"], _attr_strings(address, "city_prefixes"), locale)
    _add(tables["city_suffixes"], _attr_strings(address, "city_suffixes"), locale)
    _add(tables["prefixes"], _attr_strings(address, "street_prefixes"), locale)
    suffixes = _attr_strings(address, *_STREET_SUFFIX_ATTRS)
    if locale.startswith("en"):
        english_suffixes.update(fold(s) for s in suffixes)
    elif locale == "it_IT":  # Italian street types come first ("Via Roma")
        _add(tables["prefixes"], suffixes, locale)
    elif locale[:2] in ("de", "nl"):
        _add(tables["compounds"], [s.strip("-") for s in suffixes if s != "Street"], locale)


@cache
def places() -> Places:
    """Cities, states, countries and street words of every locale in :data:`NAME_LOCALES`."""
    tables: dict[str, dict[str, list[str]]] = {name: {} for name in _TABLES}
    street_suffixes = {fold(w) for w in _world.STREET_SUFFIX_WORDS}
    country_codes: set[str] = set()
    for locale in NAME_LOCALES:
        address = _provider("address", locale)
        if address is not None:
            _read_address(address, locale, tables, street_suffixes, country_codes)
    _add(tables["cities"], _world.MAJOR_CITIES, "")
    _add(tables["countries"], _world.COUNTRY_ALIASES, "")
    _add(tables["prefixes"], _world.STREET_PREFIX_WORDS, "")
    _add(tables["compounds"], _world.STREET_SUFFIX_COMPOUNDS, "")
    for code in _world.STATE_ABBREVIATIONS:
        tables["codes"].setdefault(code, []).append("")
    tables["city_suffixes"].pop("ville", None)  # Faker's placeholder suffix in many locales
    return Places(
        cities=_frozen(tables["cities"]), city_prefixes=_frozen(tables["city_prefixes"]),
        city_suffixes=_frozen(tables["city_suffixes"]), states=_frozen(tables["states"]),
        state_codes=_frozen(tables["codes"]), countries=_frozen(tables["countries"]),
        country_codes=frozenset(c.upper() for c in country_codes),
        street_suffixes=frozenset(street_suffixes), street_prefixes=_frozen(tables["prefixes"]),
        street_compounds={k: v for k, v in _frozen(tables["compounds"]).items() if len(k) >= 3},
        secondary_units=frozenset(fold(w) for w in _world.SECONDARY_UNIT_WORDS),
    )


def _pair_codes(address: type) -> list[str]:
    """Codes of (code, name) pairs such as pt_BR ``estados`` and de_CH ``cantons``."""
    out: list[str] = []
    for name in ("estados", "cantons"):
        for item in getattr(address, name, ()) or ():
            if isinstance(item, tuple) and item and isinstance(item[0], str):
                out.append(item[0])
    return out
