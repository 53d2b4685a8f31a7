"""Helpers shared by the corpus specs: seeded Faker instances, nulls, column records."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
from faker import Faker

__all__ = ["LOCALES", "OPAQUE_NAMES", "REFERENCE_DAY", "RawColumn", "birth_date", "faker_for",
           "pick", "with_nulls"]

LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR")
# Dates are drawn relative to this fixed day, never today: the corpus must not age.
REFERENCE_DAY = date(2025, 1, 1)
OPAQUE_NAMES = ("col_7", "x", "field3", "c12", "v", "attr_2", "column_b", "f", "data", "val")


@dataclass(frozen=True)
class RawColumn:
    """A generated column before it is frozen into a :class:`LabelledColumn`."""

    id: str
    name: str
    kind: str | None
    locale: str | None
    group: str
    dtype: str
    values: Sequence[object]


@cache
def _faker(locale: str) -> Faker:
    generator = Faker(locale)
    for provider in generator.providers:
        # it_IT builds its city list from a set: its order changes with PYTHONHASHSEED.
        if isinstance(getattr(provider, "cities", None), list):
            provider.cities = sorted(provider.cities)
    return generator


def faker_for(locale: str, rng: np.random.Generator) -> Faker:
    """The locale's Faker, re-seeded from ``rng`` (one instance per locale, never global)."""
    generator = _faker(locale)
    generator.seed_instance(int(rng.integers(0, 2**31 - 1)))
    return generator


def pick(rng: np.random.Generator, options: Sequence[str]) -> str:
    """One of ``options``, drawn with ``rng``."""
    return options[int(rng.integers(0, len(options)))]


def with_nulls(values: list[object], rng: np.random.Generator, share: float) -> list[object]:
    """``values`` with about ``share`` of them replaced by ``None``."""
    if share <= 0:
        return values
    mask = rng.random(len(values)) < share
    return [None if drop else v for v, drop in zip(values, mask, strict=True)]


def draw(make: Callable[[], object], n: int) -> list[object]:
    """``n`` values of ``make()``."""
    return [make() for _ in range(n)]


def birth_date(faker: Faker, min_age: int, max_age: int) -> date:
    """A birth date of someone ``min_age`` to ``max_age`` years old on :data:`REFERENCE_DAY`."""
    latest = REFERENCE_DAY.replace(year=REFERENCE_DAY.year - min_age)
    earliest = REFERENCE_DAY.replace(year=REFERENCE_DAY.year - max_age)
    born: date = faker.date_between_dates(earliest, latest)
    return born
