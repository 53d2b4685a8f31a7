"""Keyboard typos: adjacent-key substitution, transposition, deletion, insertion, doubling.

Each function edits one string at a position drawn from the injected generator and returns the
edited string; the caller checks that the value really changed and falls back to ``insert``
(which always changes it) when it did not.
"""

from __future__ import annotations

from collections.abc import Callable

from learnsynth.sample.variability._dice import Dice

__all__ = ["NEAR", "TYPOS", "typo"]

_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours() -> dict[str, str]:
    """QWERTY neighbours: same row left/right, and the keys above and below."""
    out: dict[str, str] = {}
    for r, row in enumerate(_ROWS):
        for c, ch in enumerate(row):
            near = []
            for dr, dc in ((0, -1), (0, 1), (-1, 0), (-1, 1), (1, -1), (1, 0)):
                rr, cc = r + dr, c + dc
                if 0 <= rr < len(_ROWS) and 0 <= cc < len(_ROWS[rr]):
                    near.append(_ROWS[rr][cc])
            out[ch] = "".join(near)
    return out


NEAR = _neighbours()


def _near(ch: str, rng: Dice) -> str:
    keys = NEAR.get(ch.lower())
    if not keys:
        return "abcdefghijklmnopqrstuvwxyz"[rng.below(26)]
    pick = keys[rng.below(len(keys))]
    return pick.upper() if ch.isupper() else pick


def _pos(value: str, rng: Dice) -> int:
    """A random position, moved forward (wrapping) to the next letter or digit if there is one."""
    n = len(value)
    start = rng.below(n)
    for j in range(n):
        i = (start + j) % n
        if value[i].isalnum():
            return i
    return start


def _adjacent(value: str, rng: Dice) -> str:
    i = _pos(value, rng)
    return value[:i] + _near(value[i], rng) + value[i + 1:]


def _transpose(value: str, rng: Dice) -> str:
    pairs = [i for i in range(len(value) - 1) if value[i] != value[i + 1]]
    if not pairs:
        return value
    i = pairs[rng.below(len(pairs))]
    return value[:i] + value[i + 1] + value[i] + value[i + 2:]


def _delete(value: str, rng: Dice) -> str:
    i = _pos(value, rng)
    return value[:i] + value[i + 1:]


def _insert(value: str, rng: Dice) -> str:
    if not value:
        return "abcdefghijklmnopqrstuvwxyz"[rng.below(26)]
    i = _pos(value, rng)
    return value[: i + 1] + _near(value[i], rng) + value[i + 1:]


def _double(value: str, rng: Dice) -> str:
    i = _pos(value, rng)
    return value[: i + 1] + value[i] + value[i + 1:]


TYPOS: dict[str, Callable[[str, Dice], str]] = {
    "adjacent": _adjacent, "transpose": _transpose, "delete": _delete, "insert": _insert,
    "double": _double,
}


def typo(variant: str, value: str, rng: Dice) -> tuple[str, str]:
    """(variant actually used, edited value); never returns ``value`` unchanged."""
    if value:
        out = TYPOS[variant](value, rng)
        if out != value:
            return variant, out
    return "insert", _insert(value, rng)
