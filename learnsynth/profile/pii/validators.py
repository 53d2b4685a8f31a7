"""Per-value checks: checksums and syntax rules, not just regular expressions.

Every function takes one value as text and returns a verdict without raising. They are meant
for the few thousand sampled values of a column, never a whole column.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

from stdnum import iban as _iban
from stdnum.at import vnr as _at_vnr
from stdnum.be import nn as _be_nn
from stdnum.br import cpf as _br_cpf
from stdnum.ca import sin as _ca_sin
from stdnum.ch import ssn as _ch_ssn
from stdnum.de import idnr as _de_idnr
from stdnum.es import dni as _es_dni
from stdnum.es import nie as _es_nie
from stdnum.fr import nir as _fr_nir
from stdnum.in_ import aadhaar as _in_aadhaar
from stdnum.it import codicefiscale as _it_cf
from stdnum.mx import curp as _mx_curp
from stdnum.nl import bsn as _nl_bsn
from stdnum.pl import pesel as _pl_pesel
from stdnum.pt import nif as _pt_nif

__all__ = [
    "card_digits",
    "iban_country",
    "ip_version",
    "is_credit_card",
    "is_email",
    "is_mac",
    "is_url",
    "luhn_ok",
    "national_id_locale",
    "postal_locales",
    "ssn_ok",
]

_EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$",
    re.IGNORECASE,
)
_CARD = re.compile(r"^\d{4}(?:[ -]?\d{2,7}){1,4}$|^\d{12,19}$")
_SSN_DASHED = re.compile(r"^(\d{3})([- ])(\d{2})\2(\d{4})$")
_SSN_PLAIN = re.compile(r"^(\d{3})(\d{2})(\d{4})$")
_MAC = re.compile(
    r"^[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}$|^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$",
    re.IGNORECASE,
)
_URL = re.compile(
    r"^(?:(?:https?|ftp)://[^\s/?#]+\.[^\s/?#]+|www\.[^\s/?#]+\.[a-z]{2,})(?:[/?#]\S*)?$"
    r"|^(?:https?|ftp)://(?:localhost|\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?(?:[/?#]\S*)?$",
    re.IGNORECASE,
)
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9 ]{10,36}$", re.IGNORECASE)
# Real suffixes are A-D; Faker writes others, and the layout alone is distinctive.
_NINO = re.compile(r"^[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Z]$", re.IGNORECASE)
_ID_CHARS = re.compile(r"^[0-9A-Z][0-9A-Z .\-/]{6,22}$", re.IGNORECASE)

# (locale, compact length range, validator). Compact = without spaces, dots, dashes, slashes.
_NATIONAL_IDS: tuple[tuple[str, tuple[int, int], Callable[[str], bool]], ...] = (
    ("fr_FR", (15, 15), _fr_nir.is_valid),
    ("it_IT", (16, 16), _it_cf.is_valid),
    ("nl_NL", (8, 9), _nl_bsn.is_valid),
    ("pt_BR", (11, 11), _br_cpf.is_valid),
    ("es_ES", (9, 9), _es_dni.is_valid),
    ("es_ES", (9, 9), _es_nie.is_valid),
    ("de_DE", (11, 11), _de_idnr.is_valid),
    ("de_CH", (13, 13), _ch_ssn.is_valid),
    ("nl_BE", (11, 11), _be_nn.is_valid),
    ("de_AT", (10, 10), _at_vnr.is_valid),
    ("pt_PT", (9, 9), _pt_nif.is_valid),
    ("pl_PL", (11, 11), _pl_pesel.is_valid),
    ("en_CA", (9, 9), _ca_sin.is_valid),
    ("en_IN", (12, 12), _in_aadhaar.is_valid),
    ("es_MX", (18, 18), _mx_curp.is_valid),
)

# (locale, pattern, strong): strong patterns are distinctive enough to count without a name
# hint; bare 4-6 digit codes look like any other number and need the column name's support.
_POSTAL: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    ("en_US", re.compile(r"^\d{5}-\d{4}$"), True),
    ("en_GB", re.compile(r"^(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})$", re.I),
     True),
    ("nl_NL", re.compile(r"^[1-9]\d{3} ?[A-Z]{2}$", re.I), True),
    ("en_CA", re.compile(r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$",
                         re.I), True),
    ("pt_PT", re.compile(r"^\d{4}-\d{3}$"), True),
    ("pt_BR", re.compile(r"^\d{5}-\d{3}$"), True),
    ("en_IE", re.compile(r"^[AC-FHKNPRTV-Y]\d{2} ?[AC-FHKNPRTV-Y0-9]{4}$", re.I), True),
    ("pl_PL", re.compile(r"^\d{2}-\d{3}$"), True),
    ("en_US", re.compile(r"^\d{5}$"), False),
    ("de_DE", re.compile(r"^\d{5}$"), False),
    ("fr_FR", re.compile(r"^\d{5}$"), False),
    ("es_ES", re.compile(r"^(?:0[1-9]|[1-4]\d|5[0-2])\d{3}$"), False),
    ("it_IT", re.compile(r"^\d{5}$"), False),
    ("pt_BR", re.compile(r"^\d{8}$"), False),
    ("en_US", re.compile(r"^\d{9}$"), False),
    ("en_IN", re.compile(r"^[1-9]\d{5}$"), False),
    ("de_AT", re.compile(r"^[1-9]\d{3}$"), False),
    ("de_CH", re.compile(r"^[1-9]\d{3}$"), False),
    ("nl_BE", re.compile(r"^[1-9]\d{3}$"), False),
)


def is_email(text: str) -> bool:
    """RFC 5322-ish address: dot-atom local part, dotted host, alphabetic top-level domain."""
    return len(text) <= 254 and _EMAIL.match(text) is not None


def luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) checksum of a digit string."""
    total = 0
    for pos, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if pos % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def card_digits(text: str) -> str | None:
    """The digits of a card-shaped value (12-19 digits, grouped by spaces or dashes)."""
    if len(text) > 25 or _CARD.match(text) is None:
        return None
    digits = text.replace(" ", "").replace("-", "")
    return digits if 12 <= len(digits) <= 19 else None


def is_credit_card(text: str) -> bool:
    """Card number: 12-19 digits (Maestro starts at 12), a card-network prefix, Luhn-valid."""
    digits = card_digits(text)
    return digits is not None and digits[0] in "23456" and luhn_ok(digits)


def ssn_ok(text: str, *, plain: bool) -> bool:
    """US SSN rules: area not 000/666/9xx, group not 00, serial not 0000.

    Args:
        text: The value.
        plain: Accept 9 bare digits too (only when the column name says SSN).
    """
    match = _SSN_DASHED.match(text)
    if match is not None:
        area, group, serial = match.group(1), match.group(3), match.group(4)
    else:
        match = _SSN_PLAIN.match(text) if plain else None
        if match is None:
            return False
        area, group, serial = match.groups()
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def iban_country(text: str) -> str | None:
    """Country code of a valid IBAN (mod-97 and country format, via python-stdnum)."""
    if len(text) > 50 or _IBAN_SHAPE.match(text) is None:
        return None
    try:
        return text[:2].upper() if _iban.is_valid(text) else None
    except Exception:  # stdnum may raise on exotic input; a bad value is just not an IBAN
        return None


def ip_version(text: str) -> int:
    """4 or 6 for an IP address, 0 otherwise."""
    if len(text) > 45 or (":" not in text and "." not in text):
        return 0
    try:
        return ipaddress.ip_address(text).version
    except ValueError:
        return 0


def is_mac(text: str) -> bool:
    """MAC address in colon, dash or Cisco dotted notation."""
    return len(text) <= 17 and _MAC.match(text) is not None


def is_url(text: str) -> bool:
    """http(s)/ftp URL with a host, or a ``www.`` host name."""
    return len(text) <= 2048 and _URL.match(text) is not None


def _compact(text: str) -> str:
    return re.sub(r"[\s.\-/]", "", text).upper()


def national_id_locale(text: str) -> str | None:
    """Locale of the first national identifier checksum that ``text`` satisfies, if any.

    The UK National Insurance number has no checksum; its letter/digit layout is used.
    """
    if len(text) > 24 or _ID_CHARS.match(text) is None:
        return None
    if _NINO.match(text):
        return "en_GB"
    compact = _compact(text)
    for locale, (low, high), check in _NATIONAL_IDS:
        if low <= len(compact) <= high:
            try:
                if check(compact):
                    return locale
            except Exception:  # stdnum edge cases: treat as "not this identifier"
                continue
    return None


def postal_locales(text: str, *, strong_only: bool) -> tuple[str, ...]:
    """Locales whose postal-code format ``text`` fits.

    Args:
        text: The value.
        strong_only: Only formats distinctive enough to count without a name hint.
    """
    if len(text) > 10:
        return ()
    return tuple(loc for loc, pattern, strong in _POSTAL
                 if (strong or not strong_only) and pattern.match(text))
