"""Fake values for PII columns, generated from Faker's locale data, never from real values.

The sampler knows only a PII column's kind, locale and format descriptor; this package turns
those into a whole column at once::

    fill_pii(columns, n, seed, unique=...)      # the entry point
      ├── one Faker per locale, seeded from ``seed`` (never Faker.seed())
      ├── one numpy Generator from ``seed`` for every row-level draw
      ├── make_people(...) -> People              # one synthetic person/place per row, per locale
      └── PROVIDERS[kind](locale, fmt, faker, rng).generate(n, people)

Pools (Faker's name, city and street lists, or a few hundred Faker calls) are built once per
Faker; rows are drawn from them with array operations, so 100,000 rows cost milliseconds per
column. Kinds built from the same person (names, e-mail, user name, URL, date of birth,
national ids that encode them) and from the same place (street, city, state, postal code,
coordinates) agree within a row. Validity per kind: cards pass Luhn, IBANs mod 97, SSNs the
SSA rules, national ids their country's checks, phones libphonenumber.
"""

from __future__ import annotations

from learnsynth.sample.fakes._base import FormatError, Options, Provider, read_options
from learnsynth.sample.fakes._fill import PROVIDERS, fill_pii
from learnsynth.sample.fakes._locales import DEFAULT_LOCALE, SUPPORTED_LOCALES, resolve_locale
from learnsynth.sample.fakes._people import REFERENCE_DATE, People, make_people
from learnsynth.sample.fakes._text import fold_ascii

__all__ = [
    "DEFAULT_LOCALE", "PROVIDERS", "REFERENCE_DATE", "SUPPORTED_LOCALES", "FormatError", "Options",
    "People", "Provider", "fill_pii", "fold_ascii", "make_people", "read_options",
    "resolve_locale",
]
