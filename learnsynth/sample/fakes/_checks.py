"""Check digits, vectorised over rows: each function takes an ``(n, k)`` matrix of digits (or
code points) and returns the check digit(s) of every row.

The algorithms are the published ones, written to agree with python-stdnum's validators
(the tests check every generated number with stdnum).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "codice_fiscale_check", "cpf_checks", "dni_letters", "elf_proef", "iban_check", "luhn",
    "mod_11_10", "spanish_ccc",
]

_DNI_LETTERS = np.array(list("TRWAGMYFPDXBNJZSQVHLCKE"), dtype=object)
_CF_ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4,
                    18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23), strict=True))
_CF_EVEN = {**{str(d): d for d in range(10)}, **{chr(65 + i): i for i in range(26)}}


def luhn(payload: np.ndarray) -> np.ndarray:
    """Luhn check digit to append to each row of digits (payment cards)."""
    width = payload.shape[1]
    doubled = (width - np.arange(width)) % 2 == 1  # the digit next to the check digit doubles
    products = np.where(doubled, payload * 2, payload)
    products = np.where(products > 9, products - 9, products)
    return (10 - products.sum(axis=1) % 10) % 10


def iban_check(codes: np.ndarray) -> np.ndarray:
    """ISO 13616 check digits (2-98) from code points of ``BBAN + country + "00"``:
    letters count as 10-35, and the number's remainder modulo 97 is taken digit by digit."""
    is_digit = codes < 65
    values = np.where(is_digit, codes.astype(np.int64) - 48, codes.astype(np.int64) - 55)
    scale = np.where(is_digit, 10, 100)
    remainder = np.zeros(codes.shape[0], dtype=np.int64)
    for column in range(codes.shape[1]):
        remainder = (remainder * scale[:, column] + values[:, column]) % 97
    return 98 - remainder


def _ccc_digit(digits: np.ndarray) -> np.ndarray:
    check = (digits * (2 ** np.arange(digits.shape[1]) % 11)).sum(axis=1) % 11
    return np.where(check < 2, check, 11 - check)


def spanish_ccc(bban: np.ndarray) -> np.ndarray:
    """A Spanish BBAN (bank 4, branch 4, control 2, account 10 digits) with its two control
    digits set."""
    out = bban.copy()
    padded = np.hstack([np.zeros((len(bban), 2), dtype=bban.dtype), bban[:, :8]])
    out[:, 8] = _ccc_digit(padded)
    out[:, 9] = _ccc_digit(bban[:, 10:])
    return out


def mod_11_10(digits: np.ndarray) -> np.ndarray:
    """ISO 7064 Mod 11,10 check digit (German tax id)."""
    check = np.full(digits.shape[0], 5, dtype=np.int64)
    for column in range(digits.shape[1]):
        check = ((np.where(check == 0, 10, check) * 2) % 11 + digits[:, column]) % 10
    return (1 - (np.where(check == 0, 10, check) * 2) % 11) % 10


def elf_proef(digits: np.ndarray) -> np.ndarray:
    """Dutch BSN last digit for 8 leading digits; 10 means no digit works (redraw the row)."""
    return (digits * np.arange(9, 1, -1)).sum(axis=1) % 11


def cpf_checks(digits: np.ndarray) -> np.ndarray:
    """The two check digits of a Brazilian CPF for 9 leading digits."""
    first = (11 - (digits * np.arange(10, 1, -1)).sum(axis=1)) % 11 % 10
    second = (11 - (digits * np.arange(11, 2, -1)).sum(axis=1) - 2 * first) % 11 % 10
    return np.stack([first, second], axis=1)


def dni_letters(numbers: np.ndarray) -> np.ndarray:
    """Control letter of Spanish DNI numbers."""
    return _DNI_LETTERS[np.asarray(numbers) % 23]


def codice_fiscale_check(codes: np.ndarray) -> np.ndarray:
    """Control letter code points of Italian fiscal codes from their first 15 code points."""
    odd = np.zeros(128, dtype=np.int64)
    even = np.zeros(128, dtype=np.int64)
    for char, value in _CF_ODD.items():
        odd[ord(char)] = value
    for char, value in _CF_EVEN.items():
        even[ord(char)] = value
    positions = np.arange(codes.shape[1])
    table = np.where(positions % 2 == 0, 0, 1)
    values = np.where(table == 0, odd[codes], even[codes])
    return values.sum(axis=1) % 26 + 65
