"""Detectors for places: postal code, street address, city, state, country, latitude and
longitude."""

from __future__ import annotations

import re
from collections import Counter
from functools import partial

import numpy as np

from learnsynth.profile.pii import validators as v
from learnsynth.profile.pii.candidates import (
    Candidate,
    majority,
    most_listed,
    per_distinct,
    share,
)
from learnsynth.profile.pii.formats import pattern_of
from learnsynth.profile.pii.lexicon import Places, places
from learnsynth.profile.pii.names import NameHints, fold
from learnsynth.profile.pii.sampling import ColumnSample

__all__ = ["PLACE_DETECTORS", "is_street_address"]

_PLACE_WORDS = re.compile(r"^[^\W\d_]+(?:[ '\-.]+[^\W\d_]+)*\.?$")
_HOUSE_NUMBER = re.compile(r"^\d{1,6}[a-z]?(?:[-/]\d{1,5}[a-z]?)?,?$", re.IGNORECASE)
_NO_NUMBER = re.compile(r"^s/?n\.?,?$", re.IGNORECASE)
_FR_COMPOUND = re.compile(r"^[a-z' ]+-(?:sur|sous|les|en|le|la|de|du|des|lez|d'[a-z]+)-")
_MAX_PLACE_WORDS = 6
_MIN_GENERATED_DISTINCT = 10
_WEAK_KNOWN_SHARE = 0.1
_COORD_LIMITS = {"latitude": 90.0, "longitude": 180.0}
_ADDRESS_PARTS = re.compile(r"[\n,]")
_US_STATE_ZIP = re.compile(r"\b[A-Z]{2} \d{5}(?:-\d{4})?$")
_BRITISH_SHARE = 0.1  # British-only forms in this share of values make "12 Main Road" British


def _postal_locale(per_value: list[tuple[str, ...]], hints: NameHints) -> str | None:
    counts = Counter(loc for locs in per_value for loc in locs)
    if not counts:
        return None
    top = max(counts.values())
    tied = [loc for loc, count in counts.items() if count == top]
    if len(tied) == 1:
        return tied[0]
    return next((loc for loc in hints.locales if loc in tied), None)


def detect_postal_code(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """Postal codes by locale; bare digit codes count only with a name hint."""
    hinted = "postal_code" in hints.kinds
    if sample.dtype not in ("text", "integer"):
        return []
    texts = list(sample.texts)
    if sample.dtype == "integer":
        if not hinted:
            return []
        texts = [t.zfill(5) if len(t) in (3, 4) else t for t in texts]
    per_value = per_distinct(texts, partial(v.postal_locales, strong_only=not hinted))
    valid = [t for t, locs in zip(texts, per_value, strict=True) if locs]
    if not valid:
        return []
    return [Candidate("postal_code", len(valid) / sample.n, "are postal codes",
                      locale=_postal_locale(per_value, hints),
                      format={"pattern": pattern_of(valid)})]


def _coordinate(sample: ColumnSample, kind: str) -> Candidate | None:
    numbers = sample.numbers
    if numbers.size == 0:
        return None
    finite = np.isfinite(numbers)
    in_range = finite & (np.abs(np.where(finite, numbers, 0.0)) <= _COORD_LIMITS[kind])
    fractional = in_range & (np.where(finite, numbers, 0.0) % 1 != 0)
    if fractional.sum() < 0.5 * max(in_range.sum(), 1):
        return None  # whole numbers are counts or codes, not coordinates
    decimals = [len(t.split(".", 1)[1]) for t in sample.texts if "." in t and "e" not in t]
    fmt = {"decimals": int(np.median(decimals)) if decimals else 6}
    return Candidate(kind, float(in_range.mean()), f"are numbers within +/-{_COORD_LIMITS[kind]:g}",
                     needs_hint=True, format=fmt)


def detect_coordinates(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """Latitude/longitude: numeric range checks, only when the name says which."""
    kinds = [k for k in ("latitude", "longitude") if k in hints.kinds]
    if not kinds or sample.dtype not in ("text", "integer", "float"):
        return []
    found = [_coordinate(sample, kind) for kind in kinds]
    return [c for c in found if c is not None]


def _street_locale(token: str, table: dict[str, tuple[str, ...]]) -> str | None:
    locales = table.get(token, ())
    return next((loc for loc in locales if loc), "") if token in table else None


def _line_locale(words: list[str], lex: Places) -> str | None:
    """Locale of a street-address line, ``""`` if unknown, ``None`` if not an address."""
    folded = [fold(w).strip(",") for w in words]
    if len(folded) > 3 and folded[0] in lex.secondary_units and _HOUSE_NUMBER.match(folded[1]):
        folded = folded[2:]  # "Unit 6 12 Main St": the unit comes first in some countries
    if len(folded) < 2:
        return None
    numbered = [bool(_HOUSE_NUMBER.match(w) or _NO_NUMBER.match(w)) for w in folded]
    # "743 Rachel Burgs", "12 Main St Apt. 3"
    if numbered[0] and len(folded) >= 3 and any(w in lex.street_suffixes for w in folded[2:]):
        return "en_US"
    # "rue de la Paix 7", "7, rue de la Paix", "Calle Mayor 5", "Via Roma, 12"
    start = 1 if numbered[0] else 0
    if start < len(folded) and any(numbered) and folded[start] in lex.street_prefixes:
        return _street_locale(folded[start], lex.street_prefixes)
    # "Hauptstraße 5", "Dorpsstraat 12", "Lange Straße 5"
    for pos in range(len(folded) - 1):
        if numbered[pos + 1] and not numbered[pos]:
            word = folded[pos]
            for suffix, locales in lex.street_compounds.items():
                if word == suffix or (word.endswith(suffix) and len(word) >= len(suffix) + 3):
                    return next((loc for loc in locales if loc), "")
    return None


def _unit_and_street(lines: list[list[str]], lex: Places) -> bool:
    """Two-line English form: ``"Flat 6\nBethan Mission"`` (unit line, then street line)."""
    folded = [[fold(w).strip(",.") for w in words] for words in lines if words]
    unit = any(len(ws) >= 2 and ws[0] in lex.secondary_units for ws in folded)
    street = any(len(ws) >= 2 and ws[-1] in lex.street_suffixes for ws in folded)
    return unit and street


def _postcode_locale(text: str) -> str | None:
    """Locale of the postal code that ends a full address ("...\nLL75 1EX", "..., VT 62139")."""
    tail = _ADDRESS_PARTS.split(text.strip())[-1].strip()
    if _US_STATE_ZIP.search(tail):
        return "en_US"
    words = tail.split()
    for candidate in (tail, " ".join(words[-2:]), words[-1] if words else ""):
        found = set(v.postal_locales(candidate, strong_only=True))
        if len(found) == 1:
            return found.pop()
    return None


def is_street_address(text: str) -> str | None:
    """Locale of a street address (``""`` when the language is unknown), else ``None``."""
    lex = places()
    lines = [line.split() for line in text.replace(",", ", ").splitlines()[:4]]
    for words in lines:
        if 2 <= len(words) <= 14:
            locale = _line_locale(words, lex)
            if locale is not None:
                return (_postcode_locale(text) or locale) if locale in ("en_US", "") else locale
    if len(lines) == 1 and "," in text:  # "Flat 28, Spencer Ranch, West Damianshire, ..."
        lines = [part.split() for part in text.split(",")[:4]]
    return "en_GB" if len(lines) > 1 and _unit_and_street(lines, lex) else None


def detect_street_address(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """House number plus a street word (St, Straße, rue, calle, via, straat, rua...)."""
    if sample.dtype != "text":
        return []
    with_digit = [t for t in sample.texts if any(ch.isdigit() for ch in t)]
    if len(with_digit) < 0.4 * sample.n:
        return []
    locales = per_distinct(with_digit, is_street_address)
    valid = [t for t, loc in zip(with_digit, locales, strict=True) if loc is not None]
    if not valid:
        return []
    fmt = {"multiline": share(("\n" in t for t in valid), len(valid)) > 0.5,
           "number_first": share((t[:1].isdigit() for t in valid), len(valid)) > 0.5}
    locale = majority(locales)
    if locale == "en_US" and share((loc == "en_GB" for loc in locales), len(valid)) \
            >= _BRITISH_SHARE:
        locale = "en_GB"  # "581 Margaret Springs" is written alike in both countries
    return [Candidate("street_address", len(valid) / sample.n, "are street addresses",
                      locale=locale or (hints.locales[:1] or (None,))[0], format=fmt)]


def _generated_city(folded: str, lex: Places) -> tuple[str, ...] | None:
    """Locales of a Faker-style town name (``"Port Andreaview"``, ``"X-sur-Mer"``), if it is one."""
    head = folded.split(" ", 1)[0]
    if head in lex.city_prefixes and " " in folded:
        return lex.city_prefixes[head]
    if _FR_COMPOUND.match(folded):
        return ("fr_FR",)
    for suffix, locales in lex.city_suffixes.items():
        if folded.endswith(suffix) and len(folded) > len(suffix) + 2:
            return locales
    return None


def detect_city(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """City names from Faker's locale lists, well-known cities and Faker's town patterns."""
    if sample.dtype != "text":
        return []
    lex = places()
    shaped = [t for t in sample.texts
              if len(t.split()) <= _MAX_PLACE_WORDS and _PLACE_WORDS.match(t)]
    if len(shaped) < 0.4 * sample.n:
        return []
    folded = [fold(t) for t in shaped]
    generated = sample.distinct >= _MIN_GENERATED_DISTINCT
    known = [lex.cities.get(f) or (_generated_city(f, lex) if generated else None)
             for f in folded]
    support = sum(k is not None for k in known)
    locale = majority(next((loc for loc in locs if loc), None) for locs in known if locs)
    found = [Candidate("city", support / sample.n, "are city names", locale=locale)]
    if "city" in hints.kinds and support >= _WEAK_KNOWN_SHARE * sample.n:
        found.append(Candidate("city", len(shaped) / sample.n, "are place-like names",
                               locale=locale or (hints.locales[:1] or (None,))[0],
                               needs_hint=True, weak=True))
    return found


def detect_state(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """State/province/region names or their abbreviations."""
    if sample.dtype != "text":
        return []
    lex = places()
    listed: list[tuple[str, ...] | None] = []
    codes = 0
    for text in sample.texts:
        if len(text) <= 3 and text.isupper() and text in lex.state_codes:
            codes += 1
            listed.append(lex.state_codes[text])
        else:
            listed.append(lex.states.get(fold(text)) if len(text) <= 40 else None)
    support = sum(found is not None for found in listed)
    if not support:
        return []
    return [Candidate("state", support / sample.n, "are states or provinces",
                      locale=most_listed(found for found in listed if found),
                      format={"abbreviated": codes > support / 2})]


def detect_country(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """Country names (in Faker's languages) and ISO 3166 alpha-2/alpha-3 codes."""
    if sample.dtype != "text":
        return []
    lex = places()
    names = codes2 = codes3 = 0
    for text in sample.texts:
        if 2 <= len(text) <= 3 and text.isupper() and text in lex.country_codes:
            codes2 += len(text) == 2
            codes3 += len(text) == 3
        elif len(text) <= 60 and fold(text) in lex.countries:
            names += 1
    support = names + codes2 + codes3
    if not support:
        return []
    code = "alpha2" if codes2 > support / 2 else "alpha3" if codes3 > support / 2 else "name"
    return [Candidate("country", support / sample.n, "are countries", format={"style": code})]


PLACE_DETECTORS = (
    detect_postal_code, detect_coordinates, detect_street_address, detect_city, detect_state,
    detect_country,
)
