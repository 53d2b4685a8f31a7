"""Phone numbers, parsed with ``phonenumbers`` rather than matched by a regular expression.

National-format numbers carry no country, so the region is inferred: the regions that the
column name suggests are tried first, then a fixed list (US, GB, DE, FR, ES, IT, NL, PT, BR, IN,
...); the one under which most values are possible numbers wins. International numbers (``+``
or ``00``) name their own region. The column's locale is the majority region's.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import phonenumbers

__all__ = ["PhoneEvidence", "REGION_LOCALE", "analyse_phones", "phone_shaped"]

REGION_LOCALE = {
    "US": "en_US", "GB": "en_GB", "DE": "de_DE", "FR": "fr_FR", "ES": "es_ES", "IT": "it_IT",
    "NL": "nl_NL", "PT": "pt_PT", "BR": "pt_BR", "IN": "en_IN", "CA": "en_CA", "AU": "en_AU",
    "MX": "es_MX", "AT": "de_AT", "CH": "de_CH", "BE": "nl_BE", "IE": "en_IE",
}
_LOCALE_REGION = {locale: region for region, locale in REGION_LOCALE.items()}
_REGIONS = tuple(REGION_LOCALE)
_SHAPE = re.compile(
    r"^(?:\+|00|\()?\d[\d\s().\-/]{4,22}\d(?:\s*(?:x|ext\.?|extension|#)\s*\d{1,6})?$",
    re.IGNORECASE,
)
_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension|#)\s*\d{1,6}$", re.IGNORECASE)
_NOT_PHONE = re.compile(
    r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$"  # dates
    r"|^\d{1,3}(?:\.\d{1,3}){3}$"  # IPv4
    r"|^-?\d+\.\d+$"  # decimals
    r"|^97[89][- ]\d{1,5}[- ]\d{1,7}[- ]\d{1,7}[- ]\d$",  # ISBN-13
    re.ASCII,
)
_GROUPS = re.compile(r"\d+")
_REGION_TRIALS = 60
_GROUPED_DIGITS = 10  # "17-123456" is an identifier more often than a phone number
_MARGIN = 0.1  # a later region must beat an earlier one by this share of the trials
_NANP = re.compile(r"^(?:1[-. ]?)?(?:\([2-9]\d{2}\)|[2-9]\d{2})[-. ]?\d{3}[-. ]\d{4}$", re.ASCII)


@dataclass(frozen=True)
class PhoneEvidence:
    """Per-value phone evidence over the values examined.

    Attributes:
        n: Values examined.
        possible: Values that are possible numbers (right length for their region).
        strong: Values written like a phone number (international prefix, parentheses, three
            or more digit groups, a trunk ``0``), or valid numbers in two or more groups. A bare
            run of digits is never strong: it could as well be an identifier.
        id_like: Values whose digits hold a ``000`` run (zero-padded counters, not phones).
        locale: The majority region's locale.
        international: Share of values written with ``+``/``00``.
    """

    n: int
    possible: int
    strong: int
    id_like: int
    locale: str | None
    international: float


def phone_shaped(text: str) -> bool:
    """Digits and phone punctuation only, 7-15 digits before any extension."""
    if len(text) > 40 or _SHAPE.match(text) is None or _NOT_PHONE.match(text):
        return False
    digits = sum(ch.isdigit() for ch in _EXTENSION.sub("", text))
    return 7 <= digits <= 15


def _normalise(text: str) -> str:
    text = _EXTENSION.sub("", text).strip()
    return "+" + text[2:].lstrip(" -.") if text.startswith("00") else text


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


def _structured(text: str, digits: int) -> bool:
    """Written like a phone number: international prefix, parentheses, three or more digit
    groups, or a national trunk ``0`` in front of nine or more digits."""
    if text.startswith(("+", "(")) or len(_GROUPS.findall(text)) >= 3:
        return True
    return text.startswith("0") and not text.startswith("00") and digits >= 9


def _best_region(national: list[str], hint_regions: tuple[str, ...],
                 international: Counter[str]) -> str:
    """Region under which most trial values are valid, then possible, numbers.

    Regions that the column's international numbers name count as that many valid values.
    """
    trials = national[:_REGION_TRIALS]
    best, best_score = _REGIONS[0], (-1, -1)
    seen = [r for r, _ in international.most_common() if r in _REGIONS]
    for region in dict.fromkeys(hint_regions + tuple(seen) + _REGIONS):
        valid, possible = international.get(region, 0), 0
        for text in trials:
            number = _parse(text, region)
            if number is not None and phonenumbers.is_possible_number(number):
                possible += 1
                valid += phonenumbers.is_valid_number(number)
        margin = _MARGIN * len(trials)
        if valid > best_score[0] + margin or (
                valid >= best_score[0] - margin and possible > best_score[1] + margin):
            best, best_score = region, (valid, possible)
        if valid - international.get(region, 0) == len(trials):
            break
    return best


def _choose_region(normalised: list[str], hint_locales: tuple[str, ...]) -> str | None:
    """Region to read national-format numbers in: North American layout, else the best fit."""
    national = [t for t in normalised if not t.startswith("+")]
    if not national:
        return None
    hint_regions = tuple(_LOCALE_REGION[loc] for loc in hint_locales if loc in _LOCALE_REGION)
    if sum(bool(_NANP.match(t)) for t in national) > 0.5 * len(national):
        return "CA" if "CA" in hint_regions else "US"  # written (###) ###-####
    abroad: Counter[str] = Counter()
    for text in normalised[:_REGION_TRIALS]:
        number = _parse(text, None) if text.startswith("+") else None
        if number is not None and phonenumbers.is_possible_number(number):
            abroad[phonenumbers.region_code_for_country_code(number.country_code or 0)] += 1
    return _best_region(national, hint_regions, abroad)


def _is_strong(raw: str, valid: bool, digits: str) -> bool:
    grouped = len(_GROUPS.findall(raw)) >= 2
    return (valid and grouped and len(digits) >= _GROUPED_DIGITS) or _structured(raw, len(digits))


def analyse_phones(texts: list[str], hint_locales: tuple[str, ...]) -> PhoneEvidence:
    """Parse phone-shaped values and count how many are possible/valid numbers.

    Args:
        texts: The values to examine (already sub-sampled by the caller).
        hint_locales: Locales the column name suggests; their regions are tried first.
    """
    shaped = [t for t in texts if phone_shaped(t)]
    normalised = [_normalise(t) for t in shaped]
    region = _choose_region(normalised, hint_locales)
    possible = strong = id_like = 0
    regions: Counter[str] = Counter()
    for raw, text in zip(shaped, normalised, strict=True):
        international = text.startswith("+")
        number = _parse(text, None if international else region)
        if number is None or not phonenumbers.is_possible_number(number):
            continue
        digits = "".join(_GROUPS.findall(text))
        possible += 1
        strong += _is_strong(raw, phonenumbers.is_valid_number(number), digits)
        id_like += "000" in digits
        found = phonenumbers.region_code_for_country_code(number.country_code or 0)
        regions[found if international else region or ""] += 1
    top = next((r for r, _ in regions.most_common() if r), None)
    abroad_share = sum(t.startswith("+") for t in normalised) / max(len(texts), 1)
    return PhoneEvidence(len(texts), possible, strong, id_like,
                         REGION_LOCALE.get(top or "", None), abroad_share)
