"""PII detection: which columns hold personal data, of which kind, written how.

Only a sample is examined: up to ``sample_size`` (default **2000**) non-null values per column,
drawn without replacement from a seeded generator (``np.random.default_rng(0)`` unless one is
injected), so a million-row table costs the same as a two-thousand-row one. Expensive checks
(phone parsing, national ID and IBAN checksums) look at an evenly spaced subset of at most 400
of them. ``learnsynth detect`` first reads a seeded uniform subsample of ``READ_ROWS`` (20,000)
rows of each table.

Values decide, names help. Each detector validates values with a real rule where one exists
(Luhn for cards, mod-97 for IBANs, US SSN area/group/serial rules, ``phonenumbers`` under the
most plausible region, ``ipaddress``, python-stdnum national ID checksums, Faker's locale name
and place lists); a kind is chosen when at least 80% of sampled values support it, or 60% when
the column name (read in English, German, French, Spanish, Italian, Dutch and Portuguese)
suggests it. Latitude/longitude, passport, bank account and username have no reliable value
test and are found only with the name's support. Free text is PII when 30% of values (10%
with a name hint) mention an e-mail, phone number, SSN or a person's name.

``format`` describes how values are written so the sampler can produce look-alikes; its keys
by kind:

=================  ===================================================================
email, username    ``case`` (lower / upper / title / mixed)
names              ``case``; full_name also ``order`` (first_last / last_first)
phone              ``pattern`` (``#`` digits), ``international`` (share written with +/00)
credit_card, ssn   ``pattern``, ``separator``
iban               ``pattern``, ``grouped``
national_id,       ``pattern``
passport,
bank_account,
postal_code
ip_address         ``version`` (4 or 6)
mac_address        ``separator``, ``case``
url                ``scheme``
street_address     ``multiline``, ``number_first``
state              ``abbreviated``
country            ``style`` (name / alpha2 / alpha3)
latitude,          ``decimals``
longitude
date_of_birth      ``date_format`` (strftime) or ``dtype`` (datetime)
=================  ===================================================================

A pattern appears only when at least five sampled values share it, and no format entry ever
contains a sampled value.
"""

from __future__ import annotations

from learnsynth.profile.pii.detect import (
    DEFAULT_SAMPLE_SIZE,
    READ_ROWS,
    detect_column,
    detect_frame,
    skip_column,
)
from learnsynth.profile.pii.finding import PII_KINDS, PiiFinding

__all__ = ["DEFAULT_SAMPLE_SIZE", "PII_KINDS", "READ_ROWS", "PiiFinding", "detect_column",
           "detect_frame", "skip_column"]
