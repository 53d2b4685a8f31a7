"""City, state and postal code per row, coherent where the locale's data allows it.

What belongs together, per locale:

============  ==============================================================================
``en_US``     state, then a ZIP code inside that state's range (Faker's ``states_postcode``);
              states weighted by the width of their ZIP range. City from Faker's invented
              city names, not tied to the state.
``fr_FR``     "state" is the département; the postal code starts with its number (``2A``/``2B``
              -> ``20``, overseas ``97x``). City invented, not tied to the département.
``es_ES``     "state" is the province; the postal code starts with its INE number; the city is
              the province capital.
``it_IT``     postal code, city and province drawn together from Faker's CAP table (geonames).
``pt_BR``     state, then a CEP inside that state's Correios range. City invented.
others        city, state (Land, county, province) and postal code drawn independently from the
              locale's lists (``de_DE``, ``en_GB``, ``nl_NL``): Faker has no link between them.
============  ==============================================================================
"""

from __future__ import annotations

from functools import partial

import numpy as np
from faker import Faker

from learnsynth.sample.fakes._pools import Pool, cached, faker_pool, locale_data, pool_of
from learnsynth.sample.fakes._text import int_digits, map_distinct, random_fill, render

__all__ = ["GEOGRAPHIES", "Geography", "geography_for"]

Place = tuple[np.ndarray, np.ndarray, np.ndarray]

# INE province numbers (the first two digits of a Spanish postal code), by Faker's es_ES names.
_ES_PROVINCES = {
    "Álava": 1, "Albacete": 2, "Alicante": 3, "Almería": 4, "Ávila": 5, "Badajoz": 6,
    "Baleares": 7, "Barcelona": 8, "Burgos": 9, "Cáceres": 10, "Cádiz": 11, "Castellón": 12,
    "Ciudad": 13, "Córdoba": 14, "La Coruña": 15, "Cuenca": 16, "Girona": 17, "Granada": 18,
    "Guadalajara": 19, "Guipúzcoa": 20, "Huelva": 21, "Huesca": 22, "Jaén": 23, "León": 24,
    "Lleida": 25, "La Rioja": 26, "Lugo": 27, "Madrid": 28, "Málaga": 29, "Murcia": 30,
    "Navarra": 31, "Ourense": 32, "Asturias": 33, "Palencia": 34, "Las Palmas": 35,
    "Pontevedra": 36, "Salamanca": 37, "Santa Cruz de Tenerife": 38, "Cantabria": 39,
    "Segovia": 40, "Sevilla": 41, "Soria": 42, "Tarragona": 43, "Teruel": 44, "Toledo": 45,
    "Valencia": 46, "Valladolid": 47, "Vizcaya": 48, "Zamora": 49, "Zaragoza": 50, "Ceuta": 51,
    "Melilla": 52,
}
_ES_NAMES = {"Ciudad": "Ciudad Real"}  # Faker's list truncates this one
_ES_CAPITALS = {
    "Álava": "Vitoria-Gasteiz", "Asturias": "Oviedo", "Baleares": "Palma", "Cantabria": "Santander",
    "Ciudad": "Ciudad Real", "Guipúzcoa": "San Sebastián", "La Coruña": "A Coruña",
    "La Rioja": "Logroño", "Las Palmas": "Las Palmas de Gran Canaria", "Navarra": "Pamplona",
    "Vizcaya": "Bilbao",
}
# Main Correios CEP range per Brazilian state, as 5-digit prefixes (first, last).
_BR_CEP = {
    "SP": (1000, 19999), "RJ": (20000, 28999), "ES": (29000, 29999), "MG": (30000, 39999),
    "BA": (40000, 48999), "SE": (49000, 49999), "PE": (50000, 56999), "AL": (57000, 57999),
    "PB": (58000, 58999), "RN": (59000, 59999), "CE": (60000, 63999), "PI": (64000, 64999),
    "MA": (65000, 65999), "PA": (66000, 68899), "AP": (68900, 68999), "AM": (69000, 69299),
    "RR": (69300, 69399), "AC": (69900, 69999), "DF": (70000, 72799), "GO": (72800, 72999),
    "TO": (77000, 77999), "RO": (76800, 76999), "MT": (78000, 78899), "MS": (79000, 79999),
    "PR": (80000, 87999), "SC": (88000, 89999), "RS": (90000, 99999),
}
_IT_EXTRA_PROVINCES = {"SU": "Sud Sardegna"}  # in Faker's CAP table, not in its province list
_STATE_LISTS = ("states", "provinces", "counties")


def city_pool(faker: Faker) -> Pool:
    """The locale's real city list where Faker has one, else 500 invented city names."""
    cities = locale_data(faker, "address", "cities")
    if cities:
        return cached(faker, "cities", lambda: pool_of(cities))
    return faker_pool(faker, "city", 500, faker.city)


def _state_pool(faker: Faker) -> Pool:
    for attribute in _STATE_LISTS:
        states = locale_data(faker, "address", attribute)
        if states:
            return cached(faker, attribute, partial(pool_of, states))
    return faker_pool(faker, "administrative_unit", 300, faker.administrative_unit)


def _postcodes(faker: Faker, n: int, rng: np.random.Generator) -> np.ndarray:
    """Postal codes from the locale's ``#``/``%``/``?`` formats, or from a pool of Faker's."""
    formats = locale_data(faker, "address", "postcode_formats")
    simple = isinstance(formats, tuple) and formats and all(
        set(fmt) <= set("#%? ") for fmt in formats)
    if not simple:
        return faker_pool(faker, "postcode", 2000, faker.postcode).draw(n, rng)
    choice = rng.integers(0, len(formats), n)
    out = np.empty(n, dtype=object)
    for index, fmt in enumerate(formats):
        rows = np.flatnonzero(choice == index)
        out[rows] = random_fill(fmt, rows.size, rng)
    return out


class Geography:
    """City, state and postal code drawn independently from the locale's pools."""

    def draw(self, faker: Faker, n: int, rng: np.random.Generator) -> Place:
        """``n`` rows of (city, state, postal code)."""
        city = city_pool(faker).draw(n, rng)
        state = _state_pool(faker).draw(n, rng)
        return city, state, _postcodes(faker, n, rng)

    def state_codes(self, faker: Faker) -> dict[str, str]:
        """State name -> its short code, where the locale has one (``"Texas"`` -> ``"TX"``)."""
        return {}


class UnitedStates(Geography):
    """A state, then a ZIP code inside that state's range."""

    def draw(self, faker: Faker, n: int, rng: np.random.Generator) -> Place:
        codes = self.state_codes(faker)
        ranges = locale_data(faker, "address", "states_postcode")
        names = np.array(list(codes), dtype=object)
        bounds = np.array([ranges[codes[name]] for name in names], dtype=np.int64)
        width = (bounds[:, 1] - bounds[:, 0] + 1).astype(float)
        state = rng.choice(len(names), size=n, p=width / width.sum())
        zips = rng.integers(bounds[state, 0], bounds[state, 1] + 1)
        return city_pool(faker).draw(n, rng), names[state], render("#####", int_digits(zips, 5))

    def state_codes(self, faker: Faker) -> dict[str, str]:
        abbreviations = [a for a in locale_data(faker, "address", "states_abbr") if a != "DC"]
        return dict(zip(locale_data(faker, "address", "states"), abbreviations, strict=True))


class France(Geography):
    """A département, then a postal code that starts with its number."""

    def draw(self, faker: Faker, n: int, rng: np.random.Generator) -> Place:
        departments = locale_data(faker, "address", "departments")
        pick = rng.integers(0, len(departments), n)
        names = np.array([name for _code, name in departments], dtype=object)[pick]
        prefixes = np.array([code.replace("2A", "20").replace("2B", "20")
                             for code, _name in departments], dtype=object)
        sizes = np.array([len(prefix) for prefix in prefixes])[pick]
        postal = np.empty(n, dtype=object)
        for size in (2, 3):
            rows = np.flatnonzero(sizes == size)
            postal[rows] = prefixes[pick[rows]] + random_fill("#" * (5 - size), rows.size, rng)
        return city_pool(faker).draw(n, rng), names, postal

    def state_codes(self, faker: Faker) -> dict[str, str]:
        return {name: code for code, name in locale_data(faker, "address", "departments")}


class Spain(Geography):
    """A province, its capital, and a postal code that starts with its INE number."""

    def draw(self, faker: Faker, n: int, rng: np.random.Generator) -> Place:
        faker_names = [s for s in locale_data(faker, "address", "states") if s in _ES_PROVINCES]
        pick = rng.integers(0, len(faker_names), n)
        numbers = np.array([_ES_PROVINCES[s] for s in faker_names], dtype=np.int64)[pick]
        states = np.array([_ES_NAMES.get(s, s) for s in faker_names], dtype=object)[pick]
        cities = np.array([_ES_CAPITALS.get(s, s) for s in faker_names], dtype=object)[pick]
        postal = numbers * 1000 + rng.integers(1, 1000, n)
        return cities, states, render("#####", int_digits(postal, 5))


class Italy(Geography):
    """Postal code, city and province drawn together from Faker's CAP table."""

    def _table(self, faker: Faker) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        def build() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            rows = [(cap, city, province) for cap, places in
                    locale_data(faker, "address", "cap_city_province").items()
                    for city, province in places]
            caps, cities, provinces = (np.array(column, dtype=object)
                                       for column in zip(*rows, strict=True))
            return caps, cities, provinces
        return cached(faker, "it_cap_table", build)

    def draw(self, faker: Faker, n: int, rng: np.random.Generator) -> Place:
        caps, cities, provinces = self._table(faker)
        pick = rng.integers(0, len(caps), n)
        names = {code: name for name, code in self.state_codes(faker).items()}
        states = map_distinct(provinces[pick], lambda code: names.get(code, code))
        return cities[pick], states, caps[pick]

    def state_codes(self, faker: Faker) -> dict[str, str]:
        codes = dict(zip(locale_data(faker, "address", "states"),
                         locale_data(faker, "address", "states_abbr"), strict=True))
        return codes | {name: code for code, name in _IT_EXTRA_PROVINCES.items()}


class Brazil(Geography):
    """A state, then a CEP inside that state's range."""

    def draw(self, faker: Faker, n: int, rng: np.random.Generator) -> Place:
        states = [(code, name) for code, name in locale_data(faker, "address", "estados")
                  if code in _BR_CEP]
        bounds = np.array([_BR_CEP[code] for code, _name in states], dtype=np.int64)
        width = (bounds[:, 1] - bounds[:, 0] + 1).astype(float)
        pick = rng.choice(len(states), size=n, p=width / width.sum())
        cep = rng.integers(bounds[pick, 0] * 1000, bounds[pick, 1] * 1000 + 1000)
        names = np.array([name for _code, name in states], dtype=object)[pick]
        return city_pool(faker).draw(n, rng), names, render("#####-###", int_digits(cep, 8))

    def state_codes(self, faker: Faker) -> dict[str, str]:
        return {name: code for code, name in locale_data(faker, "address", "estados")}


GEOGRAPHIES: dict[str, Geography] = {
    "en_US": UnitedStates(), "fr_FR": France(), "es_ES": Spain(), "it_IT": Italy(),
    "pt_BR": Brazil(),
}


def geography_for(locale: str) -> Geography:
    """The coherent geography of a supported locale, or the independent one."""
    return GEOGRAPHIES.get(locale, Geography())
