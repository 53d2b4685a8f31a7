"""Serials: a keyed permutation of the output's global row numbers, for unique PII values.

Chunks are drawn by workers that never talk to each other, so a value that must be unique
across the whole output cannot be checked against the other chunks. Instead, direct
identifiers carry a part derived from the row's *global* number: ``Serials(key).of(rows,
size)`` maps row ``r`` to a number in ``[0, size)``, one-to-one for ``r < size``. Distinct rows
get distinct serials, whichever chunk or worker drew them, so an e-mail local part, a phone
subscriber number or an SSN built around a serial never repeats.

The permutation is a four-round Feistel network on the smallest even number of bits that
holds ``size``, with cycle walking (values that land outside ``[0, size)`` are encrypted again
until they land inside), keyed from the *run's* seed and the column name. For a random seed
each row's serial is uniform over ``[0, size)``, which is what the collision estimates in
``docs/sampling.md`` assume; consecutive rows show no visible pattern.
"""

from __future__ import annotations

import zlib

import numpy as np

__all__ = ["Serials", "digit_width", "fill_slots", "run_key", "slot_space"]

_ROUNDS = 4
_MIX = np.uint64(0x9E3779B97F4A7C15)
_MIX2 = np.uint64(0xBF58476D1CE4E5B9)
_KEY_TAG = 0x5E41A1  # separates serial keys from every stream the sampler spawns


def run_key(sequence: np.random.SeedSequence, column: str) -> np.random.SeedSequence:
    """The serial key of ``column`` for the whole run.

    A chunk's seed sequence is spawned from the run's; its ``entropy`` is the run's seed, the
    same in every chunk, so every worker derives the same key without coordination.
    """
    entropy = sequence.entropy
    words = [entropy] if isinstance(entropy, int) else list(entropy or [0])
    return np.random.SeedSequence([*words, _KEY_TAG, zlib.crc32(column.encode("utf-8"))])


def digit_width(rows: np.ndarray, minimum: int) -> np.ndarray:
    """Decimal digits needed to write each row number, at least ``minimum``."""
    rows = np.asarray(rows, dtype=np.int64)
    width = np.full(rows.shape, minimum, dtype=np.int64)
    for digits in range(minimum + 1, 19):
        width[rows >= 10 ** (digits - 1)] = digits
    return width


class Serials:
    """Keyed one-to-one maps of row numbers onto ``[0, size)``; see the module docstring."""

    def __init__(self, key: np.random.SeedSequence) -> None:
        self.key = key

    def _round_keys(self, size: int) -> np.ndarray:
        """Round keys per domain size, so that different sizes permute independently."""
        seq = np.random.SeedSequence(self.key.entropy, spawn_key=(*self.key.spawn_key, size))
        return seq.generate_state(_ROUNDS, np.uint64)

    def of(self, rows: np.ndarray, size: int) -> np.ndarray:
        """Serial of each row in ``[0, size)``; rows ``>= size`` wrap around (and repeat)."""
        if size <= 0:
            raise ValueError(f"size must be positive, got {size}")
        values = np.asarray(rows, dtype=np.int64) % size
        if size == 1 or values.size == 0:
            return values
        bits = max(2, int(size - 1).bit_length())
        bits += bits % 2
        keys = self._round_keys(size)
        out = self._encrypt(values.astype(np.uint64), bits, keys)
        outside = np.flatnonzero(out >= size)
        while outside.size:  # cycle walking: at most a few rounds, as size > 2**bits / 4
            out[outside] = self._encrypt(out[outside], bits, keys)
            outside = outside[out[outside] >= size]
        return out.astype(np.int64)

    @staticmethod
    def _encrypt(values: np.ndarray, bits: int, keys: np.ndarray) -> np.ndarray:
        half = np.uint64(bits // 2)
        mask = np.uint64((1 << (bits // 2)) - 1)
        left, right = values >> half, values & mask
        for key in keys:
            mixed = (right ^ key) * _MIX
            mixed = (mixed ^ (mixed >> np.uint64(29))) * _MIX2
            left, right = right, left ^ ((mixed >> np.uint64(32)) & mask)
        return (left << half) | right


def slot_space(template: str, letters: str) -> int:
    """How many values ``template`` can take: ``#`` a digit, ``?`` one of ``letters``."""
    return int(10 ** template.count("#") * len(letters) ** template.count("?"))


def fill_slots(template: str, serials: np.ndarray, letters: str) -> np.ndarray:
    """``template`` with its ``#`` and ``?`` slots spelling each serial in mixed radix (digits
    and ``letters``), last slot least significant; one distinct value per serial below
    :func:`slot_space`. Returns object strings."""
    codes = np.array([ord(char) for char in template], dtype=np.uint32)
    alphabet = np.array([ord(char) for char in letters], dtype=np.uint32)
    buf = np.tile(codes, (len(serials), 1))
    rest = np.asarray(serials, dtype=np.int64).copy()
    for position in range(len(template) - 1, -1, -1):
        if template[position] == "#":
            buf[:, position] = 48 + (rest % 10).astype(np.uint32)
            rest //= 10
        elif template[position] == "?":
            buf[:, position] = alphabet[rest % len(letters)]
            rest //= len(letters)
    if not len(serials) or not template:
        return np.full(len(serials), "" if not template else template, dtype=object)
    text = np.ascontiguousarray(buf).view(np.dtype(f"U{len(template)}"))
    return text[:, 0].astype(object)
