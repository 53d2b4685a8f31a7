"""A numeric column with few distinct values, read from its normal scores as a step function.

A marginal whose values are rounded (integers, one or two decimals over a short range) or mostly
point masses takes few distinct values: ``ppf(ndtr(z))`` is a non-decreasing step function of the
copula's normal score ``z`` with a few hundred steps at most. Its cuts (the smallest ``z`` that
reaches each value) are found once per marginal by bisection over the doubles in order, and a
chunk then reads each row's value through a table of cells over ``z`` plus one or two
comparisons, instead of the normal CDF, the mixture's stretch lookup, the quantile table,
rounding and clipping (about 40-50 ms per million rows and column before, 10 after).

The values are the marginal's own, found by evaluating its ``ppf_normal``: the lookup equals it
wherever that function is non-decreasing, which it is except within a few ulps of a cut, where
``ndtr`` itself is not monotone (the same caveat as the category cuts in
:func:`learnsynth.sample.sampler.normal_thresholds`; a chance of about 1e-16 per draw).
"""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass

import numpy as np

from learnsynth.profile.marginals import NumericMarginal

__all__ = ["MAX_STEPS", "Steps", "double_keys", "doubles", "steps_of"]

MAX_STEPS = 2048  # more distinct values than this: the marginal's own ppf is as fast
_CELLS = 4096  # cells of the z axis between the first and the last cut
_MAX_PASSES = 4  # more cuts than this in one cell: searchsorted instead
_Z_EDGE = 40.0  # ndtr is exactly 0 below -40 and exactly 1 above 40
_SIGN = np.uint64(1 << 63)


def double_keys(x: np.ndarray) -> np.ndarray:
    """Doubles as unsigned integers in the same order (negatives reversed below positives)."""
    bits = np.asarray(x, dtype=np.float64).view(np.uint64)
    return np.where(bits & _SIGN, ~bits, bits | _SIGN)


def doubles(keys: np.ndarray) -> np.ndarray:
    """The inverse of :func:`double_keys`."""
    bits = np.where(keys & _SIGN, keys & ~_SIGN, ~keys)
    return bits.astype(np.uint64).view(np.float64)


@dataclass(frozen=True)
class Steps:
    """``values[k]`` for normal scores in ``[cuts[k - 1], cuts[k])`` (``cuts`` increasing)."""

    cuts: np.ndarray
    values: np.ndarray
    low: float  # the cells span [low, low + _CELLS / scale]
    scale: float
    first: np.ndarray  # first[c]: the number of cuts in cells before c
    passes: int  # most cuts in one cell
    edges: np.ndarray  # the cuts, then +inf (a sentinel for the comparisons)

    @classmethod
    def build(cls, cuts: np.ndarray, values: np.ndarray) -> Steps:
        low = float(cuts[0]) if cuts.size else 0.0
        span = float(cuts[-1]) - low if cuts.size else 0.0
        scale = _CELLS / span if span > 0.0 else 1.0
        own = _cell(cuts, low, scale)
        first = np.searchsorted(own, np.arange(_CELLS + 1), side="left")
        passes = int(np.bincount(own, minlength=1).max()) if cuts.size else 0
        return cls(cuts, values, low, scale, first.astype(np.intp), passes,
                   np.append(cuts, np.inf))

    def __call__(self, z: np.ndarray) -> np.ndarray:
        """The value of each normal score: ``values[searchsorted(cuts, z, side="right")]``.

        A score's cell holds every cut of the cells before it below it and every cut of later
        cells above it (the cell is a non-decreasing function of ``z``, the same one the cuts were
        binned with), so counting the cuts of its own cell finishes the search.
        """
        if self.passes > _MAX_PASSES:
            return self.values[np.searchsorted(self.cuts, z, side="right")]
        pos = self.first[_cell(z, self.low, self.scale)]
        for _ in range(self.passes):
            pos += self.edges[pos] <= z
        return self.values[pos]


def _cell(z: np.ndarray, low: float, scale: float) -> np.ndarray:
    t = np.subtract(z, low)
    t *= scale
    np.clip(t, 0.0, float(_CELLS), out=t)
    return t.astype(np.intp)


def _find_cuts(f: NumericMarginal) -> tuple[np.ndarray, np.ndarray] | None:
    """Every step of ``z -> f.ppf_normal(z)`` on [-40, 40], or None beyond :data:`MAX_STEPS`.

    Bisection of all intervals whose ends differ, level by level (about 64 levels, each one
    vectorised call): for a non-decreasing function, equal ends mean no step inside.
    """
    a = double_keys(np.array([-_Z_EDGE]))
    b = double_keys(np.array([_Z_EDGE]))
    fa, fb = f.ppf_normal(doubles(a)), f.ppf_normal(doubles(b))
    cuts: list[np.ndarray] = []
    while True:  # every interval (a, b] holds at least one step: its ends differ
        keep = fa != fb
        a, b, fa, fb = a[keep], b[keep], fa[keep], fb[keep]
        if a.size > MAX_STEPS:
            return None
        done = b - a <= 1
        cuts.append(b[done])
        a, b, fa, fb = a[~done], b[~done], fa[~done], fb[~done]
        if not a.size:
            break
        mid = a + (b - a) // np.uint64(2)
        fm = f.ppf_normal(doubles(mid))
        a, b = np.concatenate((a, mid)), np.concatenate((mid, b))
        fa, fb = np.concatenate((fa, fm)), np.concatenate((fm, fb))
    keys = np.sort(np.concatenate(cuts)) if cuts else np.empty(0, np.uint64)
    if keys.size > MAX_STEPS:
        return None
    z = doubles(keys)
    values = np.concatenate((f.ppf_normal(np.array([-_Z_EDGE])), f.ppf_normal(z)))
    return z, values


def _uses_table(marginal: NumericMarginal) -> bool:
    """Whether ``ppf_normal`` goes through the normal CDF (atoms, or no closed form), so that it
    is constant below -40 and above 40 and the cuts on [-40, 40] are all of them."""
    family = marginal.family
    return bool(marginal.atoms) or family is None \
        or family.ppf_of_normal(np.zeros(1)) is None


_CACHE: dict[str, tuple[Steps | None]] = {}  # (None,): no lookup for it
_BY_OBJECT: dict[int, tuple[weakref.ref[NumericMarginal], Steps | None]] = {}
_CACHE_SIZE = 256


def steps_of(marginal: NumericMarginal) -> Steps | None:
    """The step lookup of ``marginal``, or None where it has too many values (or a closed form).

    Cached by the marginal's content (its JSON), since a copy of the same model may arrive again
    (another run, another load), and by the object itself while it lives, which skips the JSON.
    """
    ident = id(marginal)
    seen = _BY_OBJECT.get(ident)
    if seen is not None and seen[0]() is marginal:
        return seen[1]
    key = json.dumps(marginal.to_dict(), sort_keys=True)
    hit = _CACHE.get(key)
    if hit is not None:
        steps = hit[0]
    else:
        found = _find_cuts(marginal) if _uses_table(marginal) else None
        steps = None if found is None else Steps.build(*found)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        _CACHE[key] = (steps,)
    # the entry goes when the marginal does (before its id can be reused)
    _BY_OBJECT[ident] = (weakref.ref(marginal, lambda _: _BY_OBJECT.pop(ident, None)), steps)
    return steps
