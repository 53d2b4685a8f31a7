"""Invalid values (broken checksums, malformed emails) and outliers (scale, sign, range, dates).

Every editor takes one clean value and the injected generator and returns a value that differs
from it; a dirty value that happened to equal the clean one would be a lie in the log.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from learnsynth.sample.variability._dice import Dice
from learnsynth.sample.variability._formats import parse_date, render_like, shift_year

__all__ = ["break_checksum", "break_email", "date_outlier", "luhn_ok", "mod97_ok",
           "number_outlier"]

_EMAIL_BREAKS = ("no_at", "double_at", "no_dot", "space", "double_dot", "no_local", "comma")


def luhn_ok(digits: str) -> bool:
    """Luhn check over the digits of ``digits``."""
    nums = [int(c) for c in digits if c.isdigit()][::-1]
    total = sum(n if i % 2 == 0 else (2 * n - 9 if n > 4 else 2 * n) for i, n in enumerate(nums))
    return bool(nums) and total % 10 == 0


def mod97_ok(iban: str) -> bool:
    """ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97."""
    compact = re.sub(r"\s", "", iban).upper()
    if len(compact) < 5 or not compact.isalnum():
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _replace_digit(value: str, index: int, rng: Dice, ok: Any) -> str:
    start = rng.below(10)
    for d in ((start + j) % 10 for j in range(10)):
        out = value[:index] + str(d) + value[index + 1:]
        if out != value and not ok(out):
            return out
    return value[:index] + str((int(value[index]) + 1) % 10) + value[index + 1:]


def break_checksum(value: str, pii_kind: str, rng: Dice) -> str:
    """A card number that fails Luhn, or an IBAN that fails mod 97, in the same layout."""
    digits = [i for i, c in enumerate(value) if c.isdigit()]
    if not digits:
        return value + "0"
    if pii_kind == "iban":
        alnum = [i for i, c in enumerate(value) if c.isalnum()]
        if len(alnum) > 4 and all(value[i].isdigit() for i in alnum[2:4]):
            return _replace_digit(value, alnum[3], rng, mod97_ok)
        return _replace_digit(value, digits[-1], rng, mod97_ok)
    return _replace_digit(value, digits[-1], rng, luhn_ok)


def break_email(value: str, rng: Dice) -> str:
    """A malformed address: no @, two @, no dot in the domain, a space, '..', no local part."""
    local, at, domain = value.rpartition("@")
    if not at:
        return value + "@"
    how = _EMAIL_BREAKS[rng.below(len(_EMAIL_BREAKS))]
    if how == "no_at":
        return local + domain
    if how == "double_at":
        return f"{local}@@{domain}"
    if how == "no_dot" and "." in domain:
        return f"{local}@{domain.replace('.', '', 1)}"
    if how == "space" and local:
        i = rng.below(len(local) + 1)
        return f"{local[:i]} {local[i:]}@{domain}"
    if how == "double_dot" and "." in domain:
        return f"{local}@{domain.replace('.', '..', 1)}"
    if how == "comma" and "." in domain:
        return f"{local}@{domain[::-1].replace('.', ',', 1)[::-1]}"
    out = f"@{domain}" if local else f"{local}@"
    return out if out != value else f"@{value}"  # 'name@' has no domain to drop


def number_outlier(variant: str, value: float, bounds: tuple[float, float] | None,
                   decimals: int, rng: Dice) -> tuple[str, float]:
    """(variant used, outlying value): x10, x1000, a flipped sign, or well outside the bounds."""
    out = {"x10": value * 10, "x1000": value * 1000, "sign": -value}.get(variant)
    if out is not None:
        out = round(out, decimals)
        if out != value:
            return variant, out
    lo, hi = bounds if bounds is not None else (value - 1.0, value + 1.0)
    span = max(hi - lo, abs(hi), abs(lo), 1.0)
    far = span * rng.uniform(0.5, 3.0)
    out = round(hi + far if rng.random() < 0.5 else lo - far, decimals)
    if out == value:
        out = round(value + span + 1, decimals)
    return "range", out


def _far_year(variant: str, bounds_years: tuple[int, int], rng: Dice) -> int:
    lo, hi = bounds_years
    if variant == "far_past":
        return max(1700, lo - (100 + rng.below(100)))
    return min(2250, hi + (100 + rng.below(100)))


def date_outlier(variant: str, value: Any, fmt: str | None, bounds_years: tuple[int, int],
                 rng: Dice) -> tuple[str, Any]:
    """(variant used, the date moved a century or two before or after the column's range).

    Text dates stay in the column's format; native timestamps stay timestamps.
    """
    year = _far_year(variant, bounds_years, rng)
    if isinstance(value, datetime | date):
        return variant, shift_year(value, year)
    stamp = parse_date(str(value), fmt)
    if stamp is None:
        return "far_past", f"{year:04d}-01-01"
    return variant, render_like(shift_year(stamp, year), fmt, str(value))  # type: ignore[arg-type]
