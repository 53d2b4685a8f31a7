"""A numeric column's marginal: a continuous family mixed with point masses, clipped and rounded.

The mixture CDF is ``G(x) = c * F(x) + sum(weight of atoms <= x)`` where ``c = 1 - sum(weights)``
and ``F`` is the family (clipped to the protected bounds). ``to_uniform`` maps real values into
(0, 1) for the copula; ``ppf`` maps the copula's uniforms back to values. ``ppf`` is the sampling
hot path, so it reads a precomputed interpolation table instead of calling the family.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import special

from learnsynth.errors import ArtifactError, InvalidInputError
from learnsynth.profile.marginals._base import (
    Family,
    check_keys,
    clipped_cdf,
    edge_cdfs,
    finite_float,
)
from learnsynth.profile.marginals._registry import family_from_dict
from learnsynth.profile.marginals._table import QuantileTable

__all__ = ["MAX_DECIMALS", "NumericMarginal"]

MAX_DECIMALS = 6
U_EPS = 1e-9  # uniforms handed to the copula stay in [U_EPS, 1 - U_EPS]
_KEYS = {"family", "atoms", "low", "high", "integer", "decimals", "fit_stat"}
_WHAT = "Numeric marginal"
_CELLS = 4096  # the u axis is cut into this many equal cells to find a uniform's stretch
_MAX_PASSES = 4  # more edges than this inside one cell: fall back to searchsorted
_DEDUPE_MIN = 512  # from this many values, uniform_bounds looks for repeated ones first


@dataclass(frozen=True)
class _Layout:
    """Everything ``ppf``/``to_uniform`` need, computed once per marginal."""

    values: np.ndarray  # atom values, increasing
    cum: np.ndarray  # cum[j] = total weight of the first j atoms (length J + 1)
    edges: np.ndarray  # atom j owns [edges[2j], edges[2j + 1]) of the u axis
    cont: float  # weight of the continuous part
    table: QuantileTable  # the continuous part's quantile function
    grid_low: float  # the protected bounds moved inward onto the rounding grid
    grid_high: float


@dataclass(frozen=True)
class _Stretches:
    """The mixture ppf's lookup tables, indexed by ``pos``, the number of edges <= u.

    Even ``pos`` is a stretch of the continuous part, odd ``pos`` an atom. Finding ``pos`` by
    ``searchsorted`` costs a binary search per draw on random input (unpredictable branches);
    here the cell of ``u`` (arithmetic: ``_CELLS`` is a power of two, so ``u * _CELLS`` is exact)
    gives the count of edges below the cell, and at most ``passes`` comparisons with the next
    edges finish the count. The result equals ``searchsorted(edges, u, side="right")``.
    """

    first: np.ndarray  # first[c] = number of edges <= c / _CELLS
    passes: int  # most edges inside one cell
    edges: np.ndarray  # the edges, then +inf (a sentinel for the comparisons)
    shift: np.ndarray  # cum[pos // 2]: atom weight below the stretch
    fence_low: np.ndarray  # even pos: the atoms either side (rounding must not cross them);
    fence_high: np.ndarray  # odd pos: the atom's value twice (clipping to it gives the atom)

    @classmethod
    def build(cls, lay: _Layout) -> _Stretches:
        edges = lay.edges
        first = np.searchsorted(edges, np.arange(_CELLS + 1) / _CELLS, side="right")
        passes = int(np.diff(first).max()) if first.size > 1 else 0
        pos = np.arange(edges.size + 1)
        fences = np.concatenate(([-np.inf], lay.values, [np.inf]))
        low, high = fences[pos // 2], fences[pos // 2 + 1]
        odd = pos % 2 == 1
        low[odd] = high[odd] = lay.values[(pos[odd] - 1) // 2]
        return cls(first.astype(np.intp), passes, np.append(edges, np.inf), lay.cum[pos // 2],
                   low, high)

    def locate(self, u: np.ndarray) -> np.ndarray:
        """``searchsorted(edges, u, side="right")`` for uniforms in [0, 1]."""
        if self.passes > _MAX_PASSES:
            return np.searchsorted(self.edges[:-1], u, side="right")
        cell = np.multiply(u, _CELLS).astype(np.intp)
        np.clip(cell, 0, _CELLS, out=cell)
        pos = self.first[cell]
        for _ in range(self.passes):
            pos += self.edges[pos] <= u
        return pos


def _grid_bounds(low: float, high: float, decimals: int) -> tuple[float, float]:
    """Smallest and largest rounded values inside [low, high] (their midpoint if there is none)."""
    scale = 10.0**decimals
    lo = round(math.ceil(low * scale - 1e-9) / scale, decimals)
    hi = round(math.floor(high * scale + 1e-9) / scale, decimals)
    if lo > hi:
        mid = round((low + high) / 2.0, decimals)
        return mid, mid
    return max(lo, low), min(hi, high)  # float noise at large magnitudes must not cross a bound


@dataclass(frozen=True)
class NumericMarginal:
    """Distribution of one numeric column (datetimes as float seconds).

    Attributes:
        family: The continuous part, or None when the column is entirely atoms (discrete).
        atoms: ``(value, weight)`` point masses (zeros, sentinels, heaping), increasing values;
            each value is shared by at least k rows.
        low: Protected lower bound: every sample is >= low; never the real minimum.
        high: Protected upper bound: every sample is <= high; never the real maximum.
        integer: Samples are whole numbers.
        decimals: Samples are rounded to this many decimals (0..6; 0 when ``integer``).
        fit_stat: KS statistic of each candidate family on the continuous part.
    """

    family: Family | None
    atoms: tuple[tuple[float, float], ...]
    low: float
    high: float
    integer: bool
    decimals: int
    fit_stat: dict[str, float]

    @cached_property
    def _layout(self) -> _Layout:
        values = np.array([a[0] for a in self.atoms], dtype=float)
        weights = np.array([a[1] for a in self.atoms], dtype=float)
        cum = np.concatenate(([0.0], np.cumsum(weights)))
        cont = max(1.0 - float(cum[-1]), 0.0) if self.family is not None else 0.0
        if self.family is not None:
            p, q = self.family.quantile_table()
            starts = cont * clipped_cdf(self.family, values, self.low, self.high) + cum[:-1]
        else:
            p, q = np.array([0.0, 1.0]), np.array([self.low, self.high])
            starts = cum[:-1].copy()
        # Clip only to drop infinities: clipping to [low, high] here would put a kink inside a
        # grid cell and bend the values near the bounds; ppf clips after interpolating instead.
        span = self.high - self.low if self.high > self.low else 1.0
        table = QuantileTable.build(p, np.clip(q, self.low - span, self.high + span))
        edges = np.column_stack((starts, starts + weights)).reshape(-1)
        grid_low, grid_high = _grid_bounds(self.low, self.high, self.decimals)
        return _Layout(values, cum, edges, cont, table, grid_low, grid_high)

    @cached_property
    def _stretches(self) -> _Stretches:
        return _Stretches.build(self._layout)

    def ppf_normal(self, z: np.ndarray) -> np.ndarray:
        """Values for the copula's normal scores ``z``: the same as ``ppf(ndtr(z))``.

        Without atoms, a family with a closed form from normal scores (normal, lognormal) maps
        them directly, more exactly than the quantile table and without the normal CDF; then
        the same rounding and clipping as ``ppf``.
        """
        lay = self._layout
        if lay.values.size == 0 and self.family is not None:
            direct = self.family.ppf_of_normal(np.asarray(z, dtype=float))
            if direct is not None:
                return self._rounded(direct, lay)
        return self.ppf(special.ndtr(z))

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Values for uniforms ``u``: mixture quantile, clipped to [low, high], then rounded.

        Atom values are returned exactly as stored (they are real, shared values already).
        """
        lay = self._layout
        u = np.asarray(u, dtype=float)
        flat = u.reshape(-1)
        if np.isnan(flat).any():
            raise InvalidInputError("Uniforms passed to NumericMarginal.ppf must not be NaN; got "
                                    f"{int(np.isnan(flat).sum())}. This is a bug in the caller.")
        if lay.values.size == 0:
            out = self._rounded(lay.table(flat), lay)
        elif lay.cont <= 0.0:
            atom = np.searchsorted(lay.cum[1:-1], flat, side="right")
            out = lay.values[atom]
        else:
            out = self._mixture_ppf(flat, lay)
        return out.reshape(u.shape)

    def atom_of_uniform(self, u: np.ndarray) -> np.ndarray:
        """Index of the atom whose stretch of the u axis holds each uniform; -1 for none.

        ``ppf`` returns that atom's value for exactly these uniforms, so a sampler can tell which
        point mass a row drew without comparing floats.
        """
        lay = self._layout
        u = np.asarray(u, dtype=float)
        if lay.values.size == 0:
            return np.full(u.shape, -1, dtype=np.int64)
        if lay.cont <= 0.0:
            return np.searchsorted(lay.cum[1:-1], u, side="right").astype(np.int64)
        pos = np.searchsorted(lay.edges, u, side="right")
        return np.where(pos % 2 == 1, (pos - 1) // 2, -1).astype(np.int64)

    def atom_of_value(self, x: np.ndarray) -> np.ndarray:
        """Index of the atom equal to each value; -1 for a value that is no atom (or NaN)."""
        values = self._layout.values
        x = np.asarray(x, dtype=float)
        if values.size == 0:
            return np.full(x.shape, -1, dtype=np.int64)
        idx = np.clip(np.searchsorted(values, x, side="left"), 0, values.size - 1)
        return np.where(values[idx] == x, idx, -1).astype(np.int64)

    def _rounded(self, out: np.ndarray, lay: _Layout) -> np.ndarray:
        """Round to the column's grid and clip to the grid points inside [low, high]."""
        if self.decimals == 0:
            np.rint(out, out=out)
        else:
            out = np.round(out, self.decimals)
        return np.clip(out, lay.grid_low, lay.grid_high, out=out)

    def _mixture_ppf(self, u: np.ndarray, lay: _Layout) -> np.ndarray:
        """Atoms own [start, end) of the u axis; the rest is rescaled onto the continuous part."""
        st = self._stretches
        pos = st.locate(u)
        out = self._rounded(lay.table((u - st.shift[pos]) / lay.cont), lay)
        # Rounding must not carry a continuous draw past the atoms on either side of it; a
        # uniform inside an atom's stretch (odd pos) is clipped to exactly that atom's value.
        return np.clip(out, st.fence_low[pos], st.fence_high[pos], out=out)

    def to_uniform(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Probability integral transform of real values into [1e-9, 1 - 1e-9] for the copula.

        Each value stands for the interval that rounds to it (half a rounding step either side),
        plus its atom if it is one; the result is a uniform draw inside that interval's CDF range
        (:meth:`uniform_bounds`). So tied values (atoms, integers, values clipped to a bound) get
        no fake order, and a continuous value lands exactly on the mixture CDF. One draw per
        value, always, so the same ``rng`` state gives the same result.
        """
        return self.uniforms_and_bounds(x, rng)[0]

    def uniforms_and_bounds(self, x: np.ndarray, rng: np.random.Generator
                            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`to_uniform` and the :meth:`uniform_bounds` it draws inside, reading the CDF once.

        The copula fit needs both; computing them apart read the family's CDF twice per value.
        """
        lo, hi = self.uniform_bounds(x)
        draw = rng.random(lo.shape)
        return np.clip(lo + draw * (hi - lo), U_EPS, 1.0 - U_EPS), lo, hi

    def uniform_bounds(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The CDF range ``[lo, hi]`` each value stands for (its rounding interval, plus its atom).

        The copula fit treats a tied or rounded value as "somewhere in this range" and imputes
        where, given the other columns, instead of guessing at random.
        """
        x = np.asarray(x, dtype=float)
        if np.isnan(x).any():
            raise InvalidInputError("Values passed to NumericMarginal.to_uniform must not be NaN; "
                                    f"got {int(np.isnan(x).sum())} NaN. Drop missing values first.")
        xc = np.clip(x, self.low, self.high)
        if xc.size >= _DEDUPE_MIN:
            # Columns repeat values (integers, rounded amounts): read the CDF once per distinct
            # value. Each value's result is the same as computed alone (elementwise functions).
            distinct, inverse = np.unique(xc, return_inverse=True)
            if distinct.size * 2 <= xc.size:
                lo, hi = self._bounds_of(distinct)
                return lo[inverse], hi[inverse]
        return self._bounds_of(xc)

    def _bounds_of(self, xc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lay = self._layout
        lo = np.zeros(xc.shape)
        hi = np.zeros(xc.shape)
        if self.family is not None and lay.cont > 0.0:
            half = max(0.5 * 10.0**-self.decimals, 4 * np.spacing(max(abs(self.low),
                                                                       abs(self.high))))
            lower, upper = edge_cdfs(self.family, xc, half, self.low, self.high)
            lo, hi = lay.cont * lower, lay.cont * upper
        if lay.values.size:
            lo = lo + lay.cum[np.searchsorted(lay.values, xc, side="left")]
            hi = hi + lay.cum[np.searchsorted(lay.values, xc, side="right")]
        return lo, hi

    def to_dict(self) -> dict[str, object]:
        """Readable JSON: family parameters, atoms, protected bounds, rounding, fit statistics."""
        return {
            "family": None if self.family is None else self.family.to_dict(),
            "atoms": [{"value": float(v), "weight": float(w)} for v, w in self.atoms],
            "low": float(self.low),
            "high": float(self.high),
            "integer": bool(self.integer),
            "decimals": int(self.decimals),
            "fit_stat": {str(k): float(v) for k, v in self.fit_stat.items()},
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> NumericMarginal:
        """Parse ``to_dict`` output strictly: anything unknown or inconsistent is refused."""
        d = check_keys(d, _KEYS, _WHAT)
        low = finite_float(d["low"], f"{_WHAT} 'low'")
        high = finite_float(d["high"], f"{_WHAT} 'high'")
        integer, decimals = d["integer"], d["decimals"]
        if not low <= high:
            raise ArtifactError(f"{_WHAT} must have low <= high; got {low!r} > {high!r}. "
                                "The model is damaged: refit it.")
        if not isinstance(integer, bool) or isinstance(decimals, bool) \
                or not isinstance(decimals, int) or not 0 <= decimals <= MAX_DECIMALS \
                or (integer and decimals != 0):
            raise ArtifactError(f"{_WHAT} must have a boolean 'integer' and 'decimals' in "
                                f"0..{MAX_DECIMALS} (0 for integers). "
                                "The model is damaged: refit it.")
        family = None if d["family"] is None else family_from_dict(d["family"])
        atoms = _parse_atoms(d["atoms"], low, high, discrete=family is None)
        return cls(family, atoms, low, high, integer, decimals, _parse_fit_stat(d["fit_stat"]))


def _parse_atoms(raw: object, low: float, high: float,
                 discrete: bool) -> tuple[tuple[float, float], ...]:
    """Atoms: increasing values inside [low, high], weights in (0, 1] summing to <= 1 (1 if
    there is no continuous part)."""
    if not isinstance(raw, list):
        raise ArtifactError(f"{_WHAT} 'atoms' must be a list; got {type(raw).__name__}. "
                            "The model is damaged: refit it.")
    atoms = []
    for item in raw:
        item = check_keys(item, {"value", "weight"}, f"{_WHAT} atom")
        atoms.append((finite_float(item["value"], f"{_WHAT} atom value"),
                      finite_float(item["weight"], f"{_WHAT} atom weight")))
    values = [v for v, _ in atoms]
    total = math.fsum(w for _, w in atoms)
    ok = (all(low <= v <= high for v in values)
          and all(b > a for a, b in zip(values, values[1:], strict=False))
          and all(0.0 < w <= 1.0 for _, w in atoms)
          and (abs(total - 1.0) <= 1e-6 if discrete else total < 1.0))
    if not ok:
        raise ArtifactError(f"{_WHAT} atoms must have increasing values within [low, high] and "
                            "weights in (0, 1] that sum to 1 without a family, below 1 with one. "
                            "The model is damaged: refit it.")
    return tuple(atoms)


def _parse_fit_stat(raw: object) -> dict[str, float]:
    if not isinstance(raw, Mapping) or not all(isinstance(k, str) for k in raw):
        raise ArtifactError(f"{_WHAT} 'fit_stat' must map family names to numbers. "
                            "The model is damaged: refit it.")
    return {k: finite_float(v, f"{_WHAT} fit_stat {k!r}") for k, v in raw.items()}
