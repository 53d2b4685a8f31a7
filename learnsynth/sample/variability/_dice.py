"""Cheap scalar draws for per-cell editors, from a buffered ``numpy.random.Generator``.

An editor needs a few random numbers per cell; a ``Generator`` call costs microseconds, which
adds up over hundreds of thousands of cells. :class:`Dice` draws uniforms in blocks and hands
them out one at a time: the sequence is still a pure function of the generator's seed.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Dice"]

_BLOCK = 8192


class Dice:
    """Uniform draws served from a buffer filled by ``rng``."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self._next = iter(()).__next__  # the buffer's iterator: a C call per draw

    def random(self) -> float:
        """A uniform in [0, 1)."""
        try:
            return self._next()
        except StopIteration:
            self._next = iter(self.rng.random(_BLOCK).tolist()).__next__
            return self._next()

    def below(self, k: int) -> int:
        """An integer in [0, k)."""
        i = int(self.random() * k)
        return i if i < k else k - 1

    def uniform(self, lo: float, hi: float) -> float:
        return lo + (hi - lo) * self.random()

    def choose(self, cum: np.ndarray | list[float]) -> int:
        """An index drawn with cumulative probabilities ``cum`` (last entry 1)."""
        u = self.random()
        for i, c in enumerate(cum):
            if u < c:
                return i
        return len(cum) - 1
