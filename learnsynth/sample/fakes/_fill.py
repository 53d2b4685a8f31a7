"""Fill the PII columns of a chunk: one Faker and one ``People`` per locale, one generator."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace

import numpy as np
from faker import Faker

from learnsynth.errors import InvalidInputError
from learnsynth.sample.fakes._base import FormatError, Provider
from learnsynth.sample.fakes._finance import BankAccount, CreditCard, Iban
from learnsynth.sample.fakes._locales import resolve_locale
from learnsynth.sample.fakes._national import NationalId, Passport, Ssn
from learnsynth.sample.fakes._network import IpAddress, MacAddress
from learnsynth.sample.fakes._people import People, make_people
from learnsynth.sample.fakes._persons import (
    DateOfBirth,
    Email,
    FirstName,
    FreeText,
    FullName,
    LastName,
    Url,
    Username,
)
from learnsynth.sample.fakes._phone import Phone
from learnsynth.sample.fakes._places import (
    City,
    Country,
    Latitude,
    Longitude,
    PostalCode,
    State,
    StreetAddress,
)
from learnsynth.sample.fakes._serials import Serials, run_key
from learnsynth.sample.fakes._text import duplicated

__all__ = ["PROVIDERS", "fill_pii"]

Column = tuple[str, str, str | None, Mapping[str, object]]

# Kinds whose uniqueness is settled on the shared people, so that the e-mail, user name and
# national id of a row keep matching its (now unique) name.
_NAME_KEYS: dict[str, Callable[[People], np.ndarray]] = {
    "full_name": lambda people: people.first + " " + people.last,
    "first_name": lambda people: people.first,
    "last_name": lambda people: people.last,
}
_NAME_ROUNDS = 30

PROVIDERS: dict[str, type[Provider]] = {provider.kind: provider for provider in (
    FullName, FirstName, LastName, Email, Phone, Ssn, NationalId, Passport, CreditCard, Iban,
    BankAccount, IpAddress, MacAddress, StreetAddress, City, State, PostalCode, Country,
    Latitude, Longitude, DateOfBirth, Username, Url, FreeText,
)}


def _providers(columns: Sequence[Column], fakers: Mapping[str, Faker], rng: np.random.Generator,
               sequence: np.random.SeedSequence,
               unique: Collection[str]) -> list[tuple[str, str, Provider]]:
    """(column, locale, provider) per column, every format descriptor checked."""
    out: list[tuple[str, str, Provider]] = []
    for name, kind, locale, fmt in columns:
        loc = resolve_locale(locale)
        provider = PROVIDERS[kind](loc, fmt or {}, fakers[loc], rng,
                                   Serials(run_key(sequence, name)), name in unique)
        try:
            _ = provider.options  # checks the descriptor before anything is drawn
        except FormatError as exc:
            raise InvalidInputError(
                f"Column {name!r}: format {exc.key!r} must be {exc.expected}, got "
                f"{exc.got!r}. Fix the column's format in the profile config and refit."
            ) from exc
        out.append((name, loc, provider))
    return out


def _check_columns(columns: Sequence[Column], n: int) -> None:
    if n < 0:
        raise InvalidInputError(f"The number of rows must be 0 or more, got {n}.")
    seen: set[str] = set()
    for name, kind, _locale, _fmt in columns:
        if kind not in PROVIDERS:
            raise InvalidInputError(
                f"Column {name!r} has PII kind {kind!r}, which has no generator. Expected one "
                f"of: {', '.join(sorted(PROVIDERS))}.")
        if name in seen:
            raise InvalidInputError(f"Column {name!r} is listed twice; column names must be "
                                    "unique within a table.")
        seen.add(name)


def _people(n: int, locale: str, faker: Faker, rng: np.random.Generator,
            unique_kinds: set[str]) -> People:
    """The locale's people, with new names drawn for rows whose name must not repeat."""
    people = make_people(n, locale, faker, rng)
    for kind in sorted(unique_kinds & set(_NAME_KEYS)):
        for _round in range(_NAME_ROUNDS):
            rows = np.flatnonzero(duplicated(_NAME_KEYS[kind](people)))
            if rows.size == 0:
                break
            fresh = make_people(rows.size, locale, faker, rng)
            first, last = people.first.copy(), people.last.copy()
            first[rows], last[rows] = fresh.first, fresh.last
            people = replace(people, first=first, last=last)
    return people


def _require_unique(name: str, kind: str, values: np.ndarray) -> None:
    repeated = int(duplicated(values).sum())
    if repeated:
        raise InvalidInputError(
            f"Column {name!r} (PII kind {kind!r}) must be unique, but only "
            f"{len(values) - repeated} distinct values could be drawn for {len(values)} rows. "
            "Sample fewer rows per chunk, widen its pattern, or drop its unique flag.")


def fill_pii(columns: Sequence[Column], n: int, seed: np.random.SeedSequence | int, *,
             unique: Collection[str] = (), start: int = 0) -> dict[str, np.ndarray]:
    """Fake values for PII columns, ``n`` rows each, as column name -> object array of str.

    Args:
        columns: ``(column name, PII kind, locale or None, format descriptor)`` per column.
            A locale outside ``SUPPORTED_LOCALES`` falls back (see ``resolve_locale``); the
            caller reports that fallback.
        n: Number of rows.
        seed: The chunk's seed; the same seed gives the same values. Its ``entropy`` (the
            run's seed, shared by every chunk spawned from it) keys the row serials.
        unique: Names of columns whose values must all differ. E-mail, user name, phone,
            SSN, card, IBAN, passport, bank account and most national ids differ across every
            call with the same run seed and disjoint rows (see :mod:`._serials`); other kinds
            (names) within this call only.
        start: Global row number of the first row (the chunk's start), so that serials
            differ between chunks.

    Returns:
        Column name -> values, every row of every locale describing one synthetic person;
        the same for the same seed and rows whatever the other chunks are.

    Raises:
        InvalidInputError: unknown kind, repeated column name, bad format descriptor, or a
            unique column whose kind or pattern cannot give ``n`` distinct values.
    """
    _check_columns(columns, n)
    if start < 0:
        raise InvalidInputError(f"The first row number must be 0 or more, got {start}.")
    sequence = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    rng = np.random.default_rng(sequence)
    faker_seed = int(sequence.generate_state(1)[0])
    fakers: dict[str, Faker] = {}
    for _name, _kind, locale, _fmt in columns:
        loc = resolve_locale(locale)
        if loc not in fakers:
            fakers[loc] = Faker(loc)
            fakers[loc].seed_instance(faker_seed)
    people: dict[str, People] = {}
    out: dict[str, np.ndarray] = {}
    for (name, kind, _locale, _fmt), (_n, loc, provider) in zip(
            columns, _providers(columns, fakers, rng, sequence, unique), strict=True):
        if loc not in people:
            unique_kinds = {k for c, k, locale, _f in columns
                            if c in unique and resolve_locale(locale) == loc}
            people[loc] = replace(_people(n, loc, fakers[loc], rng, unique_kinds),
                                  row=np.arange(start, start + n, dtype=np.int64))
        values = provider.generate(n, people[loc])
        if name in unique:
            values = provider.unique(values, people[loc])
            _require_unique(name, kind, values)
        out[name] = values
    return out
