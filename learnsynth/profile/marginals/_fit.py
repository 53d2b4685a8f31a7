"""Fit a :class:`NumericMarginal` to one column's values, applying the privacy rules on the way.

Steps: check input -> rounding grid -> (tiny sample: normal) -> (few values, all shared: discrete)
-> protected bounds -> atoms -> winsorise the rest -> choose a family by KS -> assemble.
"""

from __future__ import annotations

import math

import numpy as np

from learnsynth.errors import InvalidInputError
from learnsynth.profile.marginals._base import Family, edge_cdfs
from learnsynth.profile.marginals._empirical import Empirical
from learnsynth.profile.marginals._marginal import MAX_DECIMALS, NumericMarginal
from learnsynth.profile.marginals._registry import FAMILIES
from learnsynth.profile.marginals._unbounded import Normal

__all__ = ["fit_marginal", "ks_statistic"]

MAX_ATOMS = 20
ATOM_SHARE = 0.01  # a value shared by >= max(k, 1% of rows) is a point mass
KS_COEFFICIENT = 1.36  # 1.36 / sqrt(m): the KS critical value at the 5% level
_KS_STRIDE = 32  # the KS statistic reads every 32nd distinct value first, then where it matters
_KS_SLACK = 1e-9  # far above the rounding in any family's CDF, far below any KS that matters


def fit_marginal(x: np.ndarray, *, integer: bool = False, k: int = 5, tail: float = 0.005,
                 max_fit: int = 20_000, rng: np.random.Generator,
                 family: str | None = None) -> NumericMarginal:
    """Fit the marginal of one numeric column without storing any single real value.

    Args:
        x: Finite values of the column (NaN already removed), at least one.
        integer: Samples must be whole numbers (integers, datetimes in whole seconds).
        k: Privacy threshold: atoms are shared by >= k rows, bounds and empirical knots are means
            of >= k values.
        tail: Share of each tail beyond the protected bounds (at least k values are).
        max_fit: Families are fitted and KS-tested on a subsample of at most this many values.
        rng: Only used to draw that subsample.
        family: Force this family (a user override) instead of choosing by KS.

    Returns:
        The marginal. With fewer than 2k values it is a normal around the mean, bounded by the
        means of the lowest and highest k values (all values' mean if fewer than k), no atoms.
        With at most 20 distinct values, each shared by >= k rows (integer or not), it is
        entirely atoms (family None), bounded by the smallest and largest of them: those are
        shared by >= k rows, so they single no one out. Unless ``family`` is forced.
    """
    xs = np.sort(_checked(x, k, tail, max_fit, rng, family))
    n = xs.size
    values, counts = _runs(xs)
    decimals = 0 if integer else _decimals(values)
    if n < 2 * k:
        low, high = float(np.mean(xs[:min(k, n)])), float(np.mean(xs[-min(k, n):]))
        normal = Normal.fit(np.clip(xs, low, high), low, high)
        return NumericMarginal(normal, (), low, high, integer, decimals, {})
    if values.size <= MAX_ATOMS and counts.min() >= k and family is None:
        atoms = tuple((float(v), float(c / n)) for v, c in zip(values, counts, strict=True))
        return NumericMarginal(None, atoms, float(values[0]), float(values[-1]), integer,
                               decimals, {})
    low, high = _protected_bounds(xs, k, tail)
    is_atom = _atoms(values, counts, n, k, low, high)
    cont = np.clip(xs[np.repeat(~is_atom, counts)], low, high)
    chosen, fit_stat = _choose_family(cont, low, high, k, decimals, max_fit, rng, family)
    atoms = tuple((float(v), float(c / n))
                  for v, c in zip(values[is_atom], counts[is_atom], strict=True))
    return NumericMarginal(chosen, atoms, low, high, integer, decimals, fit_stat)


def _checked(x: np.ndarray, k: int, tail: float, max_fit: int, rng: object,
             family: str | None) -> np.ndarray:
    """Validate the arguments; return x as a 1-D float array."""
    arr = np.asarray(x, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise InvalidInputError("The 'x' parameter of fit_marginal must be a non-empty 1-D array; "
                                f"got shape {arr.shape}. Pass the column's non-missing values.")
    bad = int(np.count_nonzero(~np.isfinite(arr)))
    if bad:
        raise InvalidInputError(f"The 'x' parameter of fit_marginal must hold finite numbers; got "
                                f"{bad} NaN or infinite value(s). Drop missing values first.")
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise InvalidInputError(f"The 'k' parameter of fit_marginal must be an int >= 1; "
                                f"got {k!r}.")
    if not 0.0 <= tail < 0.5:
        raise InvalidInputError(f"The 'tail' parameter of fit_marginal must be in [0, 0.5); "
                                f"got {tail!r}.")
    if isinstance(max_fit, bool) or not isinstance(max_fit, int | np.integer) or max_fit < 2 * k:
        raise InvalidInputError(f"The 'max_fit' parameter of fit_marginal must be an int >= 2k "
                                f"= {2 * k}; got {max_fit!r}.")
    if not isinstance(rng, np.random.Generator):
        raise InvalidInputError("The 'rng' parameter of fit_marginal must be a "
                                f"numpy.random.Generator; got {type(rng).__name__}.")
    if family is not None and family not in FAMILIES:
        raise InvalidInputError(f"The 'family' parameter of fit_marginal must be one of "
                                f"{', '.join(FAMILIES)}; got {family!r}.")
    return arr


def _runs(xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of sorted ``xs`` and how many rows share each."""
    starts = np.concatenate(([0], np.flatnonzero(np.diff(xs)) + 1))
    return xs[starts], np.diff(np.concatenate((starts, [xs.size])))


def _decimals(values: np.ndarray) -> int:
    """Smallest d in 0..6 such that every value is a multiple of 10^-d (else 6).

    The tolerance is 1e-6 in units of the last decimal, widened by float precision for very
    large magnitudes (where x * 10^d cannot be exact).
    """
    for d in range(MAX_DECIMALS + 1):
        scaled = values * 10.0**d
        tol = 1e-6 + 8 * np.finfo(float).eps * np.abs(scaled)
        if np.all(np.abs(scaled - np.rint(scaled)) < tol):
            return d
    return MAX_DECIMALS


def _protected_bounds(xs: np.ndarray, k: int, tail: float) -> tuple[float, float]:
    """Means of k sorted values starting max(ceil(tail * n), k) in from each end.

    So at least k real values lie beyond each bound and no single extreme is stored. For n < 3k
    the start moves in to (n - k) // 2 so the two windows never cross. An extreme shared by at
    least k rows is itself the bound.
    """
    n = xs.size
    start = min(max(math.ceil(tail * n - 1e-9), k), (n - k) // 2)
    low = float(np.mean(xs[start:start + k]))
    high = float(np.mean(xs[n - start - k:n - start]))
    # An extreme that at least k rows share singles no one out (as a category kept at k does):
    # it may be the bound itself, so a heaped range such as 0..20 years keeps its true ends.
    if xs[k - 1] == xs[0]:
        low = float(xs[0])
    if xs[n - k] == xs[-1]:
        high = float(xs[-1])
    return low, high


def _atoms(values: np.ndarray, counts: np.ndarray, n: int, k: int, low: float,
           high: float) -> np.ndarray:
    """Mask of the distinct values that become point masses.

    A value is an atom if >= max(k, 1% of n) rows share it and it lies in [low, high]; at most
    the 20 heaviest. If fewer than 2k rows would be left for the continuous part, the lightest
    atoms go back to it (a handful of rows cannot be fitted without revealing them).
    """
    eligible = (counts >= max(k, ATOM_SHARE * n)) & (values >= low) & (values <= high)
    idx = np.flatnonzero(eligible)
    heaviest = idx[np.lexsort((values[idx], -counts[idx]))][:MAX_ATOMS]
    is_atom = np.zeros(values.size, dtype=bool)
    is_atom[heaviest] = True
    rest = n - int(counts[is_atom].sum())
    for j in heaviest[::-1]:  # lightest first
        if rest >= 2 * k:
            break
        is_atom[j] = False
        rest += int(counts[j])
    return is_atom


def ks_statistic(xs: np.ndarray, family: Family, low: float, high: float, half: float) -> float:
    """KS distance between sorted data ``xs`` and the family as sampled (clipped, rounded).

    A value on a rounding grid of step 2 * half stands for [x - half, x + half], so the model
    CDF is read at those edges; ties are handled exactly.
    """
    m = xs.size
    # Tied values share one CDF: the largest gap above the model is at a run's last row, the
    # largest below at its first, so the CDF is read once per distinct value.
    first = np.flatnonzero(np.concatenate(([True], xs[1:] != xs[:-1])))
    last = np.concatenate((first[1:], [m]))  # 1-based position of each run's last row
    distinct = xs[first]
    if distinct.size <= 4 * _KS_STRIDE:
        lower, upper = edge_cdfs(family, distinct, half, low, high)
        return float(max(np.max(last / m - upper), np.max(lower - first / m), 0.0))
    # Both the empirical and the model CDF only grow, so between two read values the gap cannot
    # exceed (ECDF at the right one) - (model at the left one): read every _KS_STRIDE-th value,
    # then only the stretches whose bound beats the largest gap found (the same maximum as
    # reading all of them; the slack covers rounding in the model's CDF).
    ends = np.append(np.arange(0, distinct.size - 1, _KS_STRIDE), distinct.size - 1)
    lower, upper = edge_cdfs(family, distinct[ends], half, low, high)
    best = max(np.max(last[ends] / m - upper), np.max(lower - first[ends] / m), 0.0)
    bound = np.maximum(last[ends[1:] - 1] / m - upper[:-1], lower[1:] - first[ends[:-1] + 1] / m)
    open_ = np.flatnonzero((bound > best - _KS_SLACK) & (ends[1:] - ends[:-1] > 1))
    if open_.size:
        inside = np.concatenate([np.arange(ends[k] + 1, ends[k + 1]) for k in open_])
        lower, upper = edge_cdfs(family, distinct[inside], half, low, high)
        best = max(best, np.max(last[inside] / m - upper), np.max(lower - first[inside] / m))
    return float(best)


def _choose_family(cont: np.ndarray, low: float, high: float, k: int, decimals: int, max_fit: int,
                   rng: np.random.Generator, forced: str | None) -> tuple[Family, dict[str, float]]:
    """Fit every applicable family on a subsample and keep the simplest that passes KS at 5%.

    Among passing parametric families the lowest ``complexity`` wins, then the smallest KS;
    if none passes, the empirical family (fitted on all of ``cont``) is used.
    """
    sub = np.sort(cont if cont.size <= max_fit else rng.choice(cont, max_fit, replace=False))
    half = 0.5 * 10.0**-decimals
    fitted: dict[str, Family] = {"empirical": Empirical.fit(cont, low, high, k=k)}
    for name, cls in FAMILIES.items():
        spread = np.ptp(sub) > 0 or name == forced  # constant data: only a forced family
        if cls.parametric and spread and cls.applicable(sub, low, high):
            fitted[name] = cls.fit(sub, low, high)
    stats = {name: ks_statistic(sub, f, low, high, half) for name, f in fitted.items()}
    if forced is not None:
        if forced not in fitted:
            raise InvalidInputError(f"Distribution {forced!r} cannot describe this column: it "
                                    "needs values > 0 (lognormal, gamma, exponential) or a range "
                                    "(uniform, beta). Choose another distribution or drop it.")
        return fitted[forced], stats
    critical = KS_COEFFICIENT / math.sqrt(sub.size)
    passing = [name for name, f in fitted.items() if f.parametric and stats[name] <= critical]
    if not passing:
        return fitted["empirical"], stats
    best = min(passing, key=lambda name: (FAMILIES[name].complexity, stats[name]))
    return fitted[best], stats
