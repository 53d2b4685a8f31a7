"""Detectors for people: full/first/last names, usernames, birth dates and free text that
mentions people."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from learnsynth.profile.pii import _world
from learnsynth.profile.pii.candidates import Candidate, per_distinct, share
from learnsynth.profile.pii.dates import birth_date_evidence, parse_dates
from learnsynth.profile.pii.formats import case_of
from learnsynth.profile.pii.lexicon import NAME_LOCALES, PersonNames, person_names
from learnsynth.profile.pii.names import NameHints, fold
from learnsynth.profile.pii.sampling import ColumnSample

__all__ = ["PEOPLE_DETECTORS"]

_NAME_SHAPE = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ .,'\u2019\-])*$")
_USERNAME = re.compile(r"^@?(?=[a-z0-9._-]*[a-z])[a-z0-9][a-z0-9._-]{1,30}[a-z0-9]$", re.I)
_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.I)
_PHONE = re.compile(
    r"(?<![\w-])(?:(?:\+|00)\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,8}){1,4}"
    r"(?:\s*(?:x|ext\.?)\s*\d{1,6})?(?![\w-])",
    re.ASCII,
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
_EXTENSION = re.compile(r"\s*(?:x|ext\.?)\s*\d+$")
_SSN = re.compile(r"(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)")
_WORD = re.compile(r"[^\W\d_][^\W\d_'\u2019-]*")
_PERSON_KINDS = ("full_name", "first_name", "last_name")
_MIN_DISTINCT = 8
_WEAK_KNOWN = 0.3
_LOCALE_VALUES = 300
_MIN_TEXT_WORDS = 4.0
_AGE_SPREAD_YEARS = 15.0
_ADULT_AGES = (18.0, 90.0)
_MAX_DAY_CONCENTRATION = 0.25  # more on one day of the month is a periodic series


@dataclass(frozen=True)
class _NameParse:
    words: tuple[str, ...]
    comma: bool
    title: bool


def _parse_name(text: str, lex: PersonNames, company: frozenset[str]) -> _NameParse | None:
    if len(text) > 80 or _NAME_SHAPE.match(text) is None:
        return None
    raw = [fold(w).strip(".,'") for w in text.replace(",", " , ").split()]
    if any(w in company for w in raw):
        return None
    words = tuple(w for w in raw if w and w != "," and w not in lex.titles
                  and w not in lex.particles)
    title = any(w in lex.titles for w in raw)
    return _NameParse(words, "," in text, title) if words else None


def _in(word: str, names: frozenset[str]) -> bool:
    return word in names or ("-" in word and any(p in names for p in word.split("-")))


def _kinds_of(parse: _NameParse, lex: PersonNames) -> tuple[bool, bool, bool]:
    """(full, first, last) verdicts for one parsed value."""
    words = parse.words
    if len(words) == 1:
        return False, _in(words[0], lex.first), _in(words[0], lex.last)
    if len(words) > 5:
        return False, False, False
    first_pos = 1 if parse.comma else 0
    ordered = words[first_pos:] + words[:first_pos] if parse.comma else words
    full = _in(ordered[0], lex.first) and any(_in(w, lex.last) for w in ordered[1:])
    full = full or all(_in(w, lex.first) or _in(w, lex.last) for w in words)
    compound_first = len(words) == 2 and all(_in(w, lex.first) for w in words)
    return full, compound_first, False


def _name_locale(parses: list[_NameParse], lex: PersonNames) -> str | None:
    scores: Counter[str] = Counter()
    for parse in parses[:_LOCALE_VALUES]:
        for locale, (first, last) in lex.by_locale.items():
            scores[locale] += any(_in(w, first) or _in(w, last) for w in parse.words)
    if not scores:
        return None
    top = max(scores.values())
    return next(loc for loc in NAME_LOCALES if scores.get(loc) == top) if top else None


def _weak_name(sample: ColumnSample, hints: NameHints, parses: list[_NameParse | None],
               known: float, locale: str | None) -> list[Candidate]:
    """Name-shaped values under a person-name hint, even if few are in Faker's lists."""
    hinted = [k for k in _PERSON_KINDS if k in hints.kinds]
    shaped = [p for p in parses if p is not None]
    if not hinted or known < _WEAK_KNOWN or len(shaped) < 0.5 * sample.n:
        return []
    multi = share((len(p.words) > 1 for p in shaped), len(shaped)) > 0.5
    kind = "full_name" if multi and "full_name" in hinted else hinted[0]
    if not multi and kind == "full_name":
        kind = next((k for k in hinted if k != "full_name"), "first_name")
    return [Candidate(kind, len(shaped) / sample.n, "are name-like words", locale=locale,
                      needs_hint=True, weak=True, format={"case": case_of(sample.texts)})]


def detect_person_names(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """Full, first and last names from Faker's locale name lists."""
    if sample.dtype != "text" or sample.distinct < min(_MIN_DISTINCT, 0.5 * sample.n):
        return []
    lex = person_names()
    company = frozenset(_world.COMPANY_WORDS)
    parses = per_distinct(sample.texts, lambda t: _parse_name(t, lex, company))
    if sum(p is not None for p in parses) < 0.4 * sample.n:
        return []
    verdicts = [_kinds_of(p, lex) if p else (False, False, False) for p in parses]
    matched = [p for p, v in zip(parses, verdicts, strict=True) if p and any(v)]
    locale = _name_locale(matched, lex)
    case = case_of(sample.texts)
    n = sample.n
    comma = share((p.comma for p in matched), len(matched)) > 0.5
    found = [
        Candidate("full_name", share((v[0] for v in verdicts), n), "are full names",
                  locale=locale, format={"case": case,
                                         "order": "last_first" if comma else "first_last"}),
        Candidate("first_name", share((v[1] for v in verdicts), n), "are first names",
                  locale=locale, format={"case": case}),
        Candidate("last_name", share((v[2] for v in verdicts), n), "are last names",
                  locale=locale, format={"case": case}),
    ]
    return found + _weak_name(sample, hints, parses, len(matched) / n, locale)


def detect_username(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """User names: name-hinted, ``[a-z0-9._-]`` tokens, nearly all distinct."""
    if "username" not in hints.kinds or sample.dtype != "text":
        return []
    valid = [t for t in sample.texts if _USERNAME.match(t)]
    if not valid or len(set(valid)) < 0.7 * len(valid):
        return []
    return [Candidate("username", len(valid) / sample.n, "are user-name tokens", needs_hint=True,
                      format={"case": case_of(valid)})]


def _dob_format(sample: ColumnSample, fmt: str | None) -> dict[str, object]:
    if sample.dtype == "datetime":
        return {"dtype": "datetime"}
    if fmt == "ISO8601":
        return {"date_format": "%Y-%m-%d" if all(len(t) == 10 for t in sample.texts[:50])
                else "ISO8601"}
    return {"date_format": fmt} if fmt else {}


def detect_date_of_birth(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """Dates between 1900 and ten years ago, with a name hint or an age-like spread.

    Without a name hint the dates must also spread over the days of the month: monthly or
    yearly series (``1967-08-01``, ``1967-09-01``) span decades like birth dates do.
    """
    hinted = "date_of_birth" in hints.kinds
    if sample.dtype == "datetime" and sample.dates is not None:
        dates, fmt = sample.dates, None
    elif sample.dtype == "text" or (sample.dtype == "integer" and hinted):
        dates, fmt = parse_dates(list(sample.texts), compact=hinted)
    else:
        return []
    evidence = birth_date_evidence(dates, sample.n, fmt)
    if evidence is None:
        return []
    support = evidence.parsed * evidence.in_range
    fmt_out = _dob_format(sample, fmt)
    if hinted:
        return [Candidate("date_of_birth", support, "are plausible birth dates",
                          format=fmt_out)]
    low, high = _ADULT_AGES
    age_like = (evidence.spread_years >= _AGE_SPREAD_YEARS and low <= evidence.median_age <= high
                and evidence.day_concentration <= _MAX_DAY_CONCENTRATION)
    if hints.not_date_of_birth or not age_like:
        return []
    return [Candidate("date_of_birth", support, "are dates spread like birth dates", weak=True,
                      format=fmt_out)]


def _mentions_person(text: str, lex: PersonNames) -> bool:
    if _EMAIL.search(text) or _SSN.search(text):
        return True
    for match in _PHONE.findall(text):
        if _DATE.fullmatch(match):
            continue
        digits = sum(ch.isdigit() for ch in _EXTENSION.sub("", match))
        if 8 <= digits <= 15 and (match[0] in "+(0" or match.count(" ") + match.count("-")
                                  + match.count(".") >= 2):
            return True
    return _names_a_person(_WORD.findall(text), lex)


def _names_a_person(words: list[str], lex: PersonNames) -> bool:
    """A capitalised first name followed (past any particles: "van der") by a capitalised
    last name, e.g. "Graag Ashley Jansen terugbellen", "met Sara van Beek"."""
    for pos, word in enumerate(words[:-1]):
        if not word[0].isupper() or not _in(fold(word), lex.first):
            continue
        nxt = pos + 1
        while nxt < len(words) - 1 and fold(words[nxt]) in lex.particles:
            nxt += 1
        if words[nxt][0].isupper() and _in(fold(words[nxt]), lex.last):
            return True
    return False


def detect_free_text(sample: ColumnSample, hints: NameHints) -> list[Candidate]:
    """Sentences where a share of values mention an e-mail, phone, SSN or a person's name."""
    if sample.dtype != "text" or not sample.n:
        return []
    words = sum(t.count(" ") + 1 for t in sample.texts) / sample.n
    if words < _MIN_TEXT_WORDS:
        return []
    lex = person_names()
    hits = share((_mentions_person(t, lex) for t in sample.texts), sample.n)
    return [Candidate("free_text", hits, "mention an e-mail, phone number or person's name",
                      min_share=0.3, min_share_hinted=0.1)]


PEOPLE_DETECTORS = (detect_person_names, detect_username, detect_date_of_birth,
                    detect_free_text)
