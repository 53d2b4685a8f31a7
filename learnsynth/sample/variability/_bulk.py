"""Batch editors for the most frequent variants: typos, whitespace, letter case, unicode.

A chunk edits a few hundred cells per (column, kind); calling a Python editor per cell (and a
random draw per decision) cost more than the sampling it dirties. Here one batch of values that
share a variant, across every column of the chunk, is edited in one call:

- typos work on a code-point matrix (``numpy`` ``U`` strings viewed as ``uint32``, one row per
  value): the position, the QWERTY neighbour and the splice are array lookups;
- whitespace, case and unicode are a few string-method calls per value (NumPy's ``StringDType``
  kernels were slower at these sizes: converting in and out costs more than the calls);
  look-alikes are a table lookup.

Every randomness comes from the uniforms ``u`` (one row per value) that the caller draws from the
chunk's own generator, so a batch's result is a pure function of the values and ``u``. Each
editor returns ``(variants used, dirty values)`` and never returns a value unchanged: where the
variant cannot apply it falls back (typos to ``insert``, formats to ``whitespace``) as the scalar
editors do. Values that a code-point matrix cannot hold faithfully (empty, or holding NUL) take
the scalar editor.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import numpy as np

from learnsynth.sample.variability._dice import Dice
from learnsynth.sample.variability._formats import HOMOGLYPHS, spaced
from learnsynth.sample.variability._typos import NEAR, typo

__all__ = ["BULK", "bulk_edit"]

_LETTERS = 26


_ASCII_ALNUM = np.array([chr(c).isalnum() for c in range(128)], dtype=bool)


@cache
def _isalnum(code: int) -> bool:
    return chr(code).isalnum()


@cache
def _near_table() -> tuple[np.ndarray, np.ndarray]:
    """(neighbours, count) for every ASCII code point: the QWERTY keys around it."""
    table = np.zeros((128, 8), dtype=np.uint32)
    count = np.zeros(128, dtype=np.int64)
    for ch, keys in NEAR.items():
        table[ord(ch), : len(keys)] = [ord(k) for k in keys]
        count[ord(ch)] = len(keys)
    return table, count


def _index(u: np.ndarray, k: np.ndarray | int) -> np.ndarray:
    """``floor(u * k)`` clipped to ``[0, k - 1]`` (``k >= 1``)."""
    return np.minimum((u * k).astype(np.int64), np.maximum(np.asarray(k) - 1, 0))


def _alnum(cps: np.ndarray) -> np.ndarray:
    """``isalnum`` per code point: a table for ASCII, one cached call per other code point."""
    out = _ASCII_ALNUM[np.minimum(cps, 127)]
    other = cps > 127
    if other.any():
        codes, inverse = np.unique(cps[other], return_inverse=True)
        out[other] = np.array([_isalnum(c) for c in codes.tolist()], dtype=bool)[inverse]
    return out


def _matrix(values: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(code points, lengths): values without NUL as a C-contiguous ``uint32`` matrix."""
    arr = np.array(values, dtype=str)
    width = max(arr.dtype.itemsize // 4, 1)
    cps = np.ascontiguousarray(arr).view(np.uint32).reshape(len(values), width)
    return cps, np.array([len(v) for v in values], dtype=np.int64)


def _strings(cps: np.ndarray) -> list[str]:
    """A code-point matrix (zero padded) back to Python strings."""
    cps = np.ascontiguousarray(cps, dtype=np.uint32)
    return cps.view(f"<U{cps.shape[1]}").ravel().tolist()


def _positions(cps: np.ndarray, lengths: np.ndarray, u: np.ndarray) -> np.ndarray:
    """A random position per value, moved forward (wrapping) to the next letter or digit."""
    width = cps.shape[1]
    cols = np.arange(width)
    ok = _alnum(cps) & (cols[None, :] < lengths[:, None])
    start = _index(u, lengths)
    rel = (start[:, None] + cols[None, :]) % lengths[:, None]
    rows = np.arange(len(cps))
    hit = ok[rows[:, None], rel]
    first = hit.argmax(axis=1)
    found = rel[rows, first]
    return np.where(hit.any(axis=1), found, start)


def _near(ch: np.ndarray, u: np.ndarray) -> np.ndarray:
    """A neighbouring key per character (same case), or a random letter off the keyboard."""
    table, count = _near_table()
    upper = (ch >= 65) & (ch <= 90)
    lower = np.where(upper, ch + 32, ch)
    slot = np.minimum(lower, 127).astype(np.int64)
    known = (lower < 128) & (count[slot] > 0)
    pick = table[slot, _index(u, np.maximum(count[slot], 1))]
    pick = np.where(upper & (pick >= 97) & (pick <= 122), pick - 32, pick)
    letter = (97 + _index(u, _LETTERS)).astype(np.uint32)
    return np.where(known, pick, letter).astype(np.uint32)


def _splice(cps: np.ndarray, at: np.ndarray, insert: np.ndarray | None) -> np.ndarray:
    """Delete the character at ``at`` (``insert`` None) or insert ``insert`` before ``at``."""
    m, width = cps.shape
    padded = np.zeros((m, width + 2), dtype=np.uint32)
    padded[:, :width] = cps
    cols = np.arange(width + 1)[None, :]
    rows = np.arange(m)[:, None]
    if insert is None:
        return padded[rows, cols + (cols >= at[:, None])]
    out = padded[rows, np.maximum(cols - (cols > at[:, None]), 0)]
    out[np.arange(m), at] = insert
    return out


def _transpose(cps: np.ndarray, lengths: np.ndarray, u: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """(edited matrix, applied): swap a random pair of differing neighbours."""
    m, width = cps.shape
    pairs = (cps[:, :-1] != cps[:, 1:]) & (np.arange(width - 1)[None, :] < (lengths - 1)[:, None])
    count = pairs.sum(axis=1)
    applied = count > 0
    out = cps.copy()
    if not applied.any():
        return out, applied
    k = _index(u, np.maximum(count, 1))
    i = (np.cumsum(pairs, axis=1) > k[:, None]).argmax(axis=1)
    rows = np.flatnonzero(applied)
    i = i[rows]
    out[rows, i], out[rows, i + 1] = cps[rows, i + 1], cps[rows, i]
    return out, applied


def _typos(variant: str, values: list[str], u: np.ndarray) -> tuple[list[str], list[str]]:
    """Typos for non-empty values without NUL; ``transpose`` falls back to ``insert``."""
    cps, lengths = _matrix(values)
    m = len(values)
    pos = _positions(cps, lengths, u[:, 0])
    rows = np.arange(m)
    used = [variant] * m
    if variant == "adjacent":
        out = np.zeros((m, cps.shape[1] + 1), dtype=np.uint32)
        out[:, : cps.shape[1]] = cps
        out[rows, pos] = _near(cps[rows, pos], u[:, 1])
        return used, _strings(out)
    if variant == "delete":
        return used, _strings(_splice(cps, pos, None))
    if variant == "double":
        return used, _strings(_splice(cps, pos + 1, cps[rows, pos]))
    inserted = _strings(_splice(cps, pos + 1, _near(cps[rows, pos], u[:, 1])))
    if variant == "insert":
        return used, inserted
    swapped, applied = _transpose(cps, lengths, u[:, 2])
    swapped_text = _strings(swapped)
    return ([variant if a else "insert" for a in applied.tolist()],
            [s if a else i for s, i, a in zip(swapped_text, inserted, applied.tolist(),
                                              strict=True)])


def _whitespace(values: list[str], u: np.ndarray) -> tuple[list[str], list[str]]:
    """A space before or after, a doubled space, a trailing NBSP, or a leading tab.

    Plain Python per value: at a chunk's few thousand values the string methods beat NumPy's
    ``StringDType`` kernels, which pay for a conversion in and out.
    """
    return (["whitespace"] * len(values),
            [spaced(v, k) for v, k in zip(values, _index(u, 5).tolist(), strict=True)])


_CASES = (str.upper, str.lower, str.title, str.swapcase)


def _recase(value: str, start: int) -> str:
    """The first of upper, lower, title, swapped case (from ``start``) that changes ``value``."""
    for j in range(4):
        out = _CASES[(start + j) % 4](value)
        if out != value:
            return out
    return value


def _case(values: list[str], u: np.ndarray) -> tuple[list[str], list[str]]:
    """Upper, lower, title or swapped case (the first that changes the value, from a random one)."""
    out = [_recase(v, k) for v, k in zip(values, _index(u[:, 0], 4).tolist(), strict=True)]
    changed = np.array([o != v for o, v in zip(out, values, strict=True)], dtype=bool)
    return _fallback("case", values, out, changed, u)


_SPOT_CHARS = frozenset(c for c in HOMOGLYPHS if not c.isdigit())


def _lookalike(value: str, u: float) -> str:
    spots = [i for i, ch in enumerate(value) if ch in _SPOT_CHARS]
    if not spots:
        return value
    i = spots[min(int(u * len(spots)), len(spots) - 1)]
    return value[:i] + HOMOGLYPHS[value[i]] + value[i + 1:]


def _renormalised(value: str, u: float) -> str:
    if not value.isascii():  # ASCII text is in every normal form
        for form in ("NFD", "NFC"):
            if not unicodedata.is_normalized(form, value):
                return unicodedata.normalize(form, value)
    return _lookalike(value, u)


def _unicode(values: list[str], u: np.ndarray) -> tuple[list[str], list[str]]:
    """Another normalisation form (NFD, else NFC), else a Cyrillic look-alike letter."""
    out = [_renormalised(v, x) for v, x in zip(values, u[:, 0].tolist(), strict=True)]
    changed = np.array([o != v for o, v in zip(out, values, strict=True)], dtype=bool)
    return _fallback("unicode", values, out, changed, u)


def _fallback(variant: str, values: list[str], out: list[str], changed: np.ndarray,
              u: np.ndarray) -> tuple[list[str], list[str]]:
    """Where ``variant`` left a value unchanged, write it with ``whitespace`` instead."""
    used = [variant] * len(values)
    if changed.all():
        return used, out
    redo = np.flatnonzero(~changed)
    _, respaced = _whitespace([values[i] for i in redo.tolist()], u[redo, 1])
    for i, s in zip(redo.tolist(), respaced, strict=True):
        used[i], out[i] = "whitespace", s
    return used, out


# (kind, variant) pairs edited in bulk; every other pair goes through the scalar editors
BULK = frozenset({("typo", v) for v in ("adjacent", "transpose", "delete", "insert", "double")}
                 | {("format", v) for v in ("whitespace", "case", "unicode")})


def bulk_edit(kind: str, variant: str, values: list[str], u: np.ndarray,
              dice: Dice) -> tuple[list[str], list[str]]:
    """(variants used, dirty values) for text ``values`` that all get ``(kind, variant)``.

    ``u`` holds three uniforms per value; ``dice`` serves the few values a vectorised editor
    cannot take (typos on an empty value or one holding NUL).
    """
    if kind == "format":
        editor = {"whitespace": lambda: _whitespace(values, u[:, 0]),
                  "case": lambda: _case(values, u), "unicode": lambda: _unicode(values, u)}
        return editor[variant]()
    plain = [i for i, v in enumerate(values) if v and "\x00" not in v]
    if len(plain) == len(values):
        return _typos(variant, values, u)
    used = [""] * len(values)
    out = [""] * len(values)
    if plain:
        some_used, some_out = _typos(variant, [values[i] for i in plain], u[plain])
        for i, a, b in zip(plain, some_used, some_out, strict=True):
            used[i], out[i] = a, b
    for i in sorted(set(range(len(values))) - set(plain)):
        used[i], out[i] = typo(variant, values[i], dice)
    return used, out

