"""The Gaussian copula: dependence between all modelled columns, in normal-score space.

Every modelled column becomes one or two *dimensions*: its values mapped to uniforms by its marginal
(categoricals by their frequency intervals, in an order chosen so associations are monotone), and,
when it has nulls, a null indicator. The copula is the correlation matrix of the normal scores
``Φ⁻¹(u)``, estimated from pairwise-complete rows (a missing value never fakes a correlation),
shrunk towards the identity for small samples and repaired to the nearest positive definite
correlation matrix. Wide tables are split into blocks of at most ``MAX_BLOCK`` dimensions, each with
its own copula (dependence across blocks is not modelled; the profile says so).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

__all__ = ["MAX_BLOCK", "CopulaBlock", "fit_correlation", "order_categories", "to_normal"]

MAX_BLOCK = 1000
_EPS = 1e-9


def to_normal(u: np.ndarray) -> np.ndarray:
    """Normal scores of uniforms; NaN stays NaN (a missing value)."""
    return special.ndtri(np.clip(u, _EPS, 1 - _EPS))


def fit_correlation(z: np.ndarray, *, shrinkage: float | None = None) -> np.ndarray:
    """Pairwise-complete correlation of normal scores, shrunk and repaired to positive definite.

    Args:
        z: ``(n, d)`` normal scores, NaN where a value is missing.
        shrinkage: weight of the identity target; None picks ``d / (d + n_eff)``, which is
            negligible for thousands of rows and strong for a few dozen.
    """
    present = ~np.isnan(z)
    zz = np.where(present, z, 0.0)
    m = present.astype(float)
    cross = zz.T @ zz
    sq = (zz * zz).T @ m
    denom = np.sqrt(sq * sq.T)
    counts = m.T @ m
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = np.where((denom > 0) & (counts >= 3), cross / denom, 0.0)
    np.fill_diagonal(corr, 1.0)
    d = corr.shape[0]
    if shrinkage is None:
        n_eff = float(np.median(np.diag(counts))) if d else 0.0
        shrinkage = d / (d + n_eff) if n_eff > 0 else 1.0
    corr = (1.0 - shrinkage) * corr + shrinkage * np.eye(d)
    return nearest_correlation(corr)


def nearest_correlation(corr: np.ndarray, floor: float = 1e-6) -> np.ndarray:
    """Clip eigenvalues to ``floor`` and rescale to a unit diagonal (a positive definite matrix)."""
    sym = (corr + corr.T) / 2.0
    vals, vecs = np.linalg.eigh(sym)
    if vals.min() >= floor:
        return sym
    fixed = (vecs * np.maximum(vals, floor)) @ vecs.T
    scale = np.sqrt(np.diag(fixed))
    fixed = fixed / np.outer(scale, scale)
    np.fill_diagonal(fixed, 1.0)
    return (fixed + fixed.T) / 2.0


def order_categories(
    codes: np.ndarray, n_categories: int, score: np.ndarray
) -> np.ndarray:
    """Order a categorical's categories by the mean of a row score (optimal scaling).

    Interval encoding maps category i to an interval of the uniform; the copula can only carry an
    association that is monotone in that order. Sorting categories by the mean of the table's
    leading principal score puts associated categories next to each other, so category–number and
    category–category associations survive (a frequency order, as SDV uses, scrambles them).

    Returns:
        A permutation: position j holds the category code placed j-th.
    """
    valid = codes >= 0
    sums = np.bincount(codes[valid], weights=score[valid], minlength=n_categories)
    counts = np.bincount(codes[valid], minlength=n_categories)
    means = np.divide(sums, counts, out=np.zeros(n_categories), where=counts > 0)
    return np.argsort(means, kind="stable")


def leading_score(z: np.ndarray) -> np.ndarray:
    """Each row's score on the first principal axis of the normal scores (missing as 0)."""
    zz = np.nan_to_num(z, nan=0.0)
    if zz.shape[1] == 0:
        return np.zeros(zz.shape[0])
    corr = fit_correlation(z, shrinkage=0.0)
    vals, vecs = np.linalg.eigh(corr)
    axis = vecs[:, -1]
    axis = axis if axis.sum() >= 0 else -axis
    return zz @ axis


@dataclass(frozen=True)
class CopulaBlock:
    """One block of the copula: named dimensions and their correlation matrix."""

    dims: tuple[str, ...]
    corr: np.ndarray

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Draw ``n`` rows of correlated uniforms, shape ``(n, len(dims))``."""
        chol = np.linalg.cholesky(self.corr)
        z = rng.standard_normal((n, len(self.dims))) @ chol.T
        return special.ndtr(z)
