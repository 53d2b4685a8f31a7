"""One synthetic person and place per row, shared by every PII column of that row.

A row's e-mail address is made from the same first and last name as its name columns, its date
of birth from the same birth date, its city, state and postal code from the same place (see
:mod:`._geography` for what is coherent in each locale). Names come from Faker's locale lists
with Faker's frequency weights where it has them; birth dates give ages 18-90 on a fixed
reference date, so that the same seed gives the same dates whatever day it runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
from faker import Faker

from learnsynth.errors import InvalidInputError
from learnsynth.sample.fakes._geography import geography_for
from learnsynth.sample.fakes._locales import country_of, resolve_locale
from learnsynth.sample.fakes._pools import Pool, cached, locale_data, pool_of
from learnsynth.sample.fakes._text import int_strings

__all__ = ["REFERENCE_DATE", "People", "make_people"]

REFERENCE_DATE = date(2025, 1, 1)
MIN_AGE, MAX_AGE = 18, 90
_LATEST_BIRTH = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - MIN_AGE)
_EARLIEST_BIRTH = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - MAX_AGE - 1)
_STREETS = 500  # street pool size; a random building number is added per row
_SLOT = "\ue000"  # private-use character: the building number while Faker formats a street
_JITTER_DEGREES = 0.05  # about 5 km around a known place
_LINE_BREAK = re.compile(r"\s*\n\s*")


@dataclass(frozen=True, eq=False)
class People:
    """Row-aligned arrays describing one synthetic person per row.

    ``latitude``/``longitude`` (degrees, float) place the row near a known place of the
    locale's country; they are optional so that a ``People`` can be built from the eight
    name/address arrays alone, in which case coordinate columns are drawn independently.
    ``row`` is each person's global row number in the output (``fill_pii`` sets it from the
    chunk's first row); unique identifiers are built around it (see :mod:`._serials`).
    """

    first: np.ndarray
    last: np.ndarray
    birth: np.ndarray  # datetime64[D]
    street: np.ndarray
    city: np.ndarray
    state: np.ndarray
    postal: np.ndarray
    country: np.ndarray
    latitude: np.ndarray | None = None
    longitude: np.ndarray | None = None
    row: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.first)

    def take(self, rows: np.ndarray) -> People:
        """The people of the given rows, in that order."""
        latitude, longitude = self.latitude, self.longitude
        return People(self.first[rows], self.last[rows], self.birth[rows], self.street[rows],
                      self.city[rows], self.state[rows], self.postal[rows], self.country[rows],
                      None if latitude is None else latitude[rows],
                      None if longitude is None else longitude[rows],
                      None if self.row is None else self.row[rows])

    def rows(self) -> np.ndarray:
        """Global row numbers (``0..n-1`` when none were set)."""
        return np.arange(len(self), dtype=np.int64) if self.row is None else self.row


def make_people(n: int, locale: str, faker: Faker, rng: np.random.Generator) -> People:
    """``n`` synthetic people of ``locale``, drawn from ``faker``'s locale data with ``rng``."""
    if n < 0:
        raise InvalidInputError(f"The number of rows must be 0 or more, got {n}.")
    locale = resolve_locale(locale)
    first = _person_pool(faker, "first_names").draw(n, rng)
    last = _person_pool(faker, "last_names").draw(n, rng)
    birth = _births(n, rng)
    city, state, postal = geography_for(locale).draw(faker, n, rng)
    street = _streets(faker, n, rng)
    country = np.full(n, cached(faker, "country", faker.current_country), dtype=object)
    latitude, longitude = coordinates(faker, locale, n, rng)
    return People(first, last, birth, street, city, state, postal, country, latitude, longitude)


def _person_pool(faker: Faker, attribute: str) -> Pool:
    return cached(faker, attribute, lambda: pool_of(locale_data(faker, "person", attribute)))


def _births(n: int, rng: np.random.Generator) -> np.ndarray:
    """Birth dates uniform over the days that give ages MIN_AGE..MAX_AGE on REFERENCE_DATE."""
    earliest = np.datetime64(_EARLIEST_BIRTH, "D") + 1
    latest = np.datetime64(_LATEST_BIRTH, "D")
    span = int((latest - earliest).astype(np.int64)) + 1
    return earliest + rng.integers(0, span, n).astype("timedelta64[D]")


def _street_pool(faker: Faker) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Street addresses split around their building number: (before, after, has number)."""
    formats = locale_data(faker, "address", "street_address_formats")

    def one() -> str:
        if not formats:
            return str(faker.street_address())
        pattern = faker.random_element(formats).replace("{{building_number}}", _SLOT)
        return str(faker.parse(pattern))

    def build() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        texts = dict.fromkeys(_LINE_BREAK.sub(", ", one()).strip() for _ in range(_STREETS))
        parts = [text.partition(_SLOT) for text in texts]
        return (np.array([head for head, _slot, _tail in parts], dtype=object),
                np.array([tail for _head, _slot, tail in parts], dtype=object),
                np.array([bool(slot) for _head, slot, _tail in parts]))
    return cached(faker, "streets", build)


def _streets(faker: Faker, n: int, rng: np.random.Generator) -> np.ndarray:
    """Street addresses: a pooled street with a log-uniform building number 1-999."""
    heads, tails, numbered = _street_pool(faker)
    pick = rng.integers(0, len(heads), n)
    numbers = int_strings(np.exp(rng.uniform(0.0, np.log(1000.0), n)).astype(np.int64))
    return np.where(numbered[pick], heads[pick] + numbers + tails[pick], heads[pick])


def _places(faker: Faker, locale: str) -> np.ndarray:
    """(latitude, longitude) of Faker's known places in the locale's country."""
    def build() -> np.ndarray:
        coords = locale_data(faker, "geo", "land_coords") or ()
        code = country_of(locale)
        mine = [(float(c[0]), float(c[1])) for c in coords if c[3] == code]
        return np.array(mine or [(float(c[0]), float(c[1])) for c in coords] or [(0.0, 0.0)])
    return cached(faker, f"places_{locale}", build)


def coordinates(faker: Faker, locale: str, n: int,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Points scattered about 5 km around known places of the locale's country."""
    places = _places(faker, resolve_locale(locale))
    pick = places[rng.integers(0, len(places), n)]
    jitter = rng.normal(0.0, _JITTER_DEGREES, (n, 2))
    latitude = np.clip(pick[:, 0] + jitter[:, 0], -90.0, 90.0)
    longitude = (pick[:, 1] + jitter[:, 1] + 180.0) % 360.0 - 180.0
    return latitude, longitude
