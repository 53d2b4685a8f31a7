"""Kinds made from the row's place: street address, city, state, postal code, country and
coordinates (see :mod:`._geography` for which of them agree with each other per locale)."""

from __future__ import annotations

import numpy as np

from learnsynth.sample.fakes._base import PatternedProvider, Provider
from learnsynth.sample.fakes._geography import geography_for
from learnsynth.sample.fakes._locales import country_of
from learnsynth.sample.fakes._people import People, coordinates
from learnsynth.sample.fakes._text import fixed_decimals, map_distinct

__all__ = ["City", "Country", "Latitude", "Longitude", "PostalCode", "State", "StreetAddress"]


class StreetAddress(Provider):
    """The row's street and building number, in the locale's order."""

    kind = "street_address"

    def _generate(self, n: int, people: People) -> np.ndarray:
        return people.street.copy()


class City(Provider):
    """The row's city."""

    kind = "city"

    def _generate(self, n: int, people: People) -> np.ndarray:
        return people.city.copy()


class State(Provider):
    """The row's state, province, county or département; ``style: code`` gives its short code
    where the locale has one (``TX``, ``MI``, ``SP``, ``75``)."""

    kind = "state"

    def _generate(self, n: int, people: People) -> np.ndarray:
        if self.options.style != "code":
            return people.state.copy()
        codes = geography_for(self.resolved_locale).state_codes(self.faker)
        return map_distinct(people.state, lambda name: codes.get(name, name))


class PostalCode(PatternedProvider):
    """The row's postal code, or its digits in the column's pattern."""

    kind = "postal_code"

    def _generate(self, n: int, people: People) -> np.ndarray:
        return self._shaped(people.postal.copy())


class Country(Provider):
    """The row's country (the locale's); ``style: code`` gives its ISO 3166 alpha-2 code."""

    kind = "country"

    def _generate(self, n: int, people: People) -> np.ndarray:
        if self.options.style != "code":
            return people.country.copy()
        name, code = self.faker.current_country(), country_of(self.resolved_locale)
        return map_distinct(people.country, lambda value: code if value == name else value)


class _Coordinate(Provider):
    """One coordinate of the row's point, written with the format's ``decimals``."""

    axis: int

    def _generate(self, n: int, people: People) -> np.ndarray:
        latitude, longitude = people.latitude, people.longitude
        if latitude is None or longitude is None:
            latitude, longitude = coordinates(self.faker, self.resolved_locale, n, self.rng)
        return fixed_decimals((latitude, longitude)[self.axis], self.options.decimals)


class Latitude(_Coordinate):
    """Latitude in degrees near a known place of the locale's country."""

    kind = "latitude"
    axis = 0


class Longitude(_Coordinate):
    """Longitude in degrees near a known place of the locale's country."""

    kind = "longitude"
    axis = 1
