"""The Gaussian copula: dependence between all modelled columns, in normal-score space.

Every modelled column becomes one or two *dimensions*: its values mapped to uniforms by its marginal
(categoricals by intervals, in an order chosen so their strongest association is monotone), and,
when it has nulls, a null indicator. Many values are only known up to an interval of the uniform
(a category, an atom or rounded number, a null indicator) or not at all (a missing value); the
correlation is that of the *latent* normal scores, estimated by imputing those from their
conditional distribution given the other columns (:func:`fit_latent_correlation`: polychoric and
polyserial correlations at once), shrunk towards the identity for small samples and repaired to the
nearest positive definite correlation matrix. Wide tables are split into blocks of at most
``MAX_BLOCK`` dimensions, each with its own copula (dependence across blocks is not modelled; the
profile says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse, special
from threadpoolctl import ThreadpoolController

__all__ = [
    "MAX_BLOCK",
    "CopulaBlock",
    "NormalScores",
    "ScoreColumns",
    "bivariate_normal_cdf",
    "category_matrix",
    "conditional_rank",
    "correlation_ratios",
    "interval_ranks",
    "normal_bounds",
    "fit_correlation",
    "fit_latent_correlation",
    "one_blas_thread",
    "order_categories",
    "ranked_uniforms",
    "to_normal",
]

MAX_BLOCK = 1000
_EPS = 1e-9
GIBBS_ROWS = 10_000  # rows the latent correlation is estimated from (a seeded subsample)
GIBBS_SWEEPS = 8  # imputation sweeps; the mean of the second half is kept
MAX_GIBBS_DIMS = 400  # wider blocks keep the plain normal-score correlation
_GIBBS_RIDGE = 0.02  # near-duplicate columns must not blow up the precision matrix
_MIN_WIDTH = 1e-3  # a value whose normal-score range is narrower than this is taken as exact
_GATHER_SHARE = 2  # a dimension free on at most 1/this of the rows redraws only those rows
_TRY_PLAIN = 0.5  # plain normal draws are tried first while at least this share lands inside
_BLAS = ThreadpoolController()


def one_blas_thread() -> Any:
    """A context in which BLAS runs on one thread.

    Fitting multiplies small matrices: more threads only spin (10-30x the CPU under load), and
    the thread count changes the order of floating-point sums, so without this the same data and
    seed could give different model bytes on machines with different core counts.
    """
    return _BLAS.limit(limits=1, user_api="blas")


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


def fit_latent_correlation(lo: np.ndarray, hi: np.ndarray, init: np.ndarray,
                           rng: np.random.Generator, *,
                           known: Sequence[NormalScores | None] | None = None) -> np.ndarray:
    """Correlation of the latent normal scores when many values are only known up to an interval.

    A category, an atom (a heaped or discrete number), a null indicator, or a rounded number
    tells only that its uniform lies in ``[lo, hi]``; a missing value (NaN bounds) tells nothing.
    Placing such values at random inside their interval dilutes every correlation (a binary
    column's correlation with its own latent score is 0.8 at best); placing them by one partner's
    rank overstates it. Instead this imputes them from their conditional distribution given all
    the other columns, sweep after sweep (the data-augmentation estimator of the Gaussian copula
    for mixed data, as in Hoff's extended rank likelihood), re-estimating the correlation each
    time, and keeps the mean of the later sweeps: the polychoric / polyserial correlations, all
    at once and positive definite.

    Args:
        lo, hi: ``(n, d)`` bounds in [0, 1] of each value's uniform; NaN where missing.
        init: ``(n, d)`` starting uniforms inside the bounds (NaN where missing).
        rng: Draws the subsample and the imputations.
        known: Per column, its normal scores and their bounds if the caller has them already
            (:class:`NormalScores`, the same numbers this would compute); None to compute.

    Returns:
        The ``(d, d)`` correlation matrix, shrunk for small samples and positive definite.
    """
    n, d = lo.shape
    rows = np.sort(rng.choice(n, GIBBS_ROWS, replace=False)) if n > GIBBS_ROWS else slice(None)
    lo, hi = lo[rows], hi[rows]
    missing = np.isnan(lo)
    known = known or [None] * d
    z = _known_or(np.empty((lo.shape[0], d)), known, "z", rows,
                  lambda todo: to_normal(init[rows][:, todo]))
    corr = fit_correlation(z, shrinkage=0.0)
    if d < 2 or d > MAX_GIBBS_DIMS:
        return fit_correlation(z)
    zlo, zhi = _known_bounds(lo, hi, rows, known)
    # A value known to within _MIN_WIDTH in normal-score space stays where it is: no draw could
    # move it further than that, far below what the correlation estimate can resolve.
    plan = _imputation_plan(zlo, zhi, missing | (zhi - zlo > _MIN_WIDTH))
    if not plan:
        return fit_correlation(z)
    z = np.asfortranarray(np.where(missing, 0.0, z))
    kept: list[np.ndarray] = []
    with _BLAS.limit(limits=1, user_api="blas"):
        for sweep in range(GIBBS_SWEEPS):
            ridge = (1.0 - _GIBBS_RIDGE) * corr + _GIBBS_RIDGE * np.eye(d)  # keeps P well scaled
            _impute_sweep(z, plan, np.linalg.inv(ridge), rng)
            corr = nearest_correlation(np.corrcoef(z, rowvar=False))
            if sweep >= GIBBS_SWEEPS // 2:
                kept.append(corr)
    shrinkage = d / (d + z.shape[0])
    mean = np.mean(kept, axis=0)
    return nearest_correlation((1.0 - shrinkage) * mean + shrinkage * np.eye(d))


@dataclass(frozen=True)
class NormalScores:
    """A column's normal scores (:func:`to_normal` of its uniforms) and, if known, the
    normal-score bounds of its intervals (:func:`normal_bounds`), all rows, as a caller computed
    them already (the same numbers :func:`fit_latent_correlation` would compute)."""

    z: np.ndarray
    lo: np.ndarray | None = None
    hi: np.ndarray | None = None


def normal_bounds(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Uniform bounds in normal-score space; a missing value (NaN) is (-inf, +inf)."""
    missing = np.isnan(lo)
    with np.errstate(divide="ignore"):
        zlo = np.where(missing, -np.inf, special.ndtri(np.clip(lo, 0.0, 1.0)))
        zhi = np.where(missing, np.inf, special.ndtri(np.clip(hi, 0.0, 1.0)))
    return zlo, zhi


def _known_or(out: np.ndarray, known: Sequence[NormalScores | None], field: str,
              rows: np.ndarray | slice, compute: Any) -> np.ndarray:
    """Fill ``out`` column by column: ``field`` of the known columns on ``rows``, the others
    from ``compute(their indices)`` (the same numbers, computed here)."""
    given = [getattr(k, field) if k is not None else None for k in known]
    todo = [j for j, g in enumerate(given) if g is None]
    if todo:
        out[:, todo] = compute(todo)
    for j, g in enumerate(given):
        if g is not None:
            out[:, j] = g[rows]
    return out


def _known_bounds(lo: np.ndarray, hi: np.ndarray, rows: np.ndarray | slice,
                  known: Sequence[NormalScores | None]) -> tuple[np.ndarray, np.ndarray]:
    """Normal-score bounds on ``rows`` (``lo``, ``hi`` already taken on them), column-major:
    read where ``known`` has both, computed for the other columns in one call."""
    zlo, zhi = np.empty(lo.shape, order="F"), np.empty(lo.shape, order="F")
    todo = [j for j, k in enumerate(known) if k is None or k.lo is None or k.hi is None]
    if todo:
        zlo[:, todo], zhi[:, todo] = normal_bounds(lo[:, todo], hi[:, todo])
    for j, k in enumerate(known):
        if k is not None and k.lo is not None and k.hi is not None:
            zlo[:, j], zhi[:, j] = k.lo[rows], k.hi[rows]
    return zlo, zhi


@dataclass
class _Imputed:
    """One dimension's part of a Gibbs sweep: which rows it redraws and their bounds.

    ``rows`` is None when the dimension redraws every row (``keep`` then marks the few rows that
    must not move, or is None); otherwise the rows to redraw, gathered once, so a dimension that
    is mostly exact (a rounded number with a few tied values) costs only its tied rows.
    ``accepted`` is the share of plain normal draws that fell inside their interval in the last
    sweep that tried them (see :func:`_impute_sweep`).
    """

    j: int
    rows: np.ndarray | None
    keep: np.ndarray | None
    lo: np.ndarray
    hi: np.ndarray
    accepted: float = 1.0


def _imputation_plan(zlo: np.ndarray, zhi: np.ndarray, free: np.ndarray) -> list[_Imputed]:
    """The :class:`_Imputed` of every dimension with a free value, in dimension order."""
    plan = []
    n = free.shape[0]
    for j in np.flatnonzero(free.any(axis=0)):
        mask = free[:, j]
        count = int(np.count_nonzero(mask))
        if count == n:
            plan.append(_Imputed(int(j), None, None, zlo[:, j], zhi[:, j]))
        elif count * _GATHER_SHARE <= n:
            rows = np.flatnonzero(mask)
            plan.append(_Imputed(int(j), rows, None, zlo[rows, j], zhi[rows, j]))
        else:
            plan.append(_Imputed(int(j), None, ~mask, zlo[:, j], zhi[:, j]))
    return plan


def _impute_sweep(z: np.ndarray, plan: list[_Imputed], prec: np.ndarray,
                  rng: np.random.Generator) -> None:
    """One Gibbs sweep: redraw each free latent from its truncated conditional normal, in place.

    Given the others, dimension j is normal with mean ``-sum_k P_jk z_k / P_jj`` (k != j) and
    variance ``1 / P_jj`` (P the precision matrix). The conditional mean is one matrix-vector
    product per dimension on a column-major ``z`` (one pass over memory; a rank-one update of
    ``z @ P`` costs about ten times more), over only the rows that dimension redraws (``plan``).
    Callers hold BLAS to one thread: the products are small, and threads fighting other jobs for
    the cores made them slower, not faster.

    The draw: where the value's interval is wide (a category, a null indicator, an atom), a plain
    normal draw usually lands inside it, so one is tried first (a few nanoseconds) and kept where
    it does; the rest are drawn by inverting the truncated CDF (three special functions each, the
    bulk of the cost). Both are exact draws from the truncated normal, so their mix is too. A
    dimension whose plain draws mostly miss (narrow intervals) goes straight to the inversion.
    """
    diag = np.diag(prec)
    for step in plan:
        j = step.j
        inv_sd = float(np.sqrt(diag[j]))
        weights = prec[:, j] / diag[j]
        if step.rows is None:
            mu = z @ weights
            np.subtract(z[:, j], mu, out=mu)
        else:
            part = z[step.rows]
            mu = part @ weights
            np.subtract(part[:, j], mu, out=mu)
        if step.accepted >= _TRY_PLAIN:
            draw = rng.standard_normal(mu.shape[0])
            draw /= inv_sd
            draw += mu
            miss = (draw < step.lo) | (draw > step.hi)
            if step.keep is not None:
                miss &= ~step.keep
            redo = np.flatnonzero(miss)
            step.accepted = 1.0 - redo.size / mu.shape[0]
            if redo.size:
                draw[redo] = _inverse_draw(mu[redo], step.lo[redo], step.hi[redo], inv_sd, rng)
        else:
            draw = _inverse_draw(mu, step.lo, step.hi, inv_sd, rng)
        if step.rows is not None:
            z[step.rows, j] = draw
        elif step.keep is None:
            z[:, j] = draw
        else:
            np.copyto(draw, z[:, j], where=step.keep)
            z[:, j] = draw


def _inverse_draw(mu: np.ndarray, lo: np.ndarray, hi: np.ndarray, inv_sd: float,
                  rng: np.random.Generator) -> np.ndarray:
    """Draws of N(mu, 1 / inv_sd²) confined to [lo, hi] by inverting the truncated CDF.

    In place on two buffers: the special functions are the work, the rest should not add passes
    over memory.
    """
    a = np.subtract(lo, mu)
    a *= inv_sd
    special.ndtr(a, out=a)
    b = np.subtract(hi, mu)
    b *= inv_sd
    special.ndtr(b, out=b)
    b -= a
    b *= rng.random(mu.shape[0])
    a += b
    np.clip(a, _EPS, 1.0 - _EPS, out=a)
    special.ndtri(a, out=a)
    a /= inv_sd
    a += mu
    np.maximum(a, lo, out=a)
    np.minimum(a, hi, out=a)
    return a


def bivariate_normal_cdf(h: np.ndarray, k: np.ndarray, rho: float) -> np.ndarray:
    """P(Z1 <= h, Z2 <= k) for standard normals with correlation ``rho`` (Owen's T formula).

    Vectorised and exact to about 1e-10; infinite limits are taken at +-12 standard deviations.
    """
    rho = float(np.clip(rho, -0.999999, 0.999999))
    h = np.clip(np.asarray(h, dtype=float), -12.0, 12.0)
    k = np.clip(np.asarray(k, dtype=float), -12.0, 12.0)
    h = np.where(np.abs(h) < 1e-10, np.copysign(1e-10, h), h)  # the formula divides by h, k
    k = np.where(np.abs(k) < 1e-10, np.copysign(1e-10, k), k)
    s = np.sqrt(1.0 - rho * rho)
    th = special.owens_t(h, (k - rho * h) / (h * s))
    tk = special.owens_t(k, (h - rho * k) / (k * s))
    out = 0.5 * special.ndtr(h) + 0.5 * special.ndtr(k) - th - tk - np.where(h * k < 0, 0.5, 0.0)
    return np.asarray(np.clip(out, 0.0, 1.0))


RANK_GRID = np.linspace(-6.0, 6.0, 161)  # normal scores at which within-interval ranks are kept


def interval_ranks(edges: np.ndarray, rho: float) -> np.ndarray:
    """Within-interval rank of a copula dimension, tabulated: ``out[j, g]`` is
    ``P(Z <= RANK_GRID[g] | V in [edges[j], edges[j + 1]])`` when the latent normal scores of the
    two dimensions have correlation ``rho`` and ``V`` is the partner's uniform.

    Read at a row's normal score (:func:`conditional_rank`), it turns a number's copula uniform
    into its rank among the rows whose partner fell in the same interval (its category): uniform
    within each category under the copula, and increasing in the number's uniform, so the number
    keeps the order that carries its associations with the other columns. Tabulated once per
    model as the running integral of ``phi(s) * P(V in interval | Z = s)`` (trapezoids on a grid
    twice as fine as ``RANK_GRID``; within 2e-4 of :func:`bivariate_normal_cdf` for
    ``|rho| <= 0.9``, 2e-3 at 0.99), several times cheaper than Owen's T per grid point.
    """
    rho = float(np.clip(rho, -0.999, 0.999))
    sigma = np.sqrt(1.0 - rho * rho)
    a = to_normal(np.asarray(edges, dtype=float))
    a[0], a[-1] = -np.inf, np.inf
    s = np.linspace(RANK_GRID[0], RANK_GRID[-1], 2 * RANK_GRID.size - 1)
    below = special.ndtr((a[:, None] - rho * s[None, :]) / sigma)  # P(V <= edge | Z = s)
    density = np.diff(below, axis=0) * np.exp(-0.5 * s * s)[None, :]
    steps = (density[:, 1:] + density[:, :-1]) * ((s[1] - s[0]) / 2.0)
    running = np.concatenate((np.zeros((density.shape[0], 1)), np.cumsum(steps, axis=1)), axis=1)
    total = np.maximum(running[:, -1:], 1e-300)
    return np.asarray(np.clip(running[:, ::2] / total, 0.0, 1.0))


def conditional_rank(z: np.ndarray, keys: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Each row's within-interval rank: its normal score ``z`` read off row ``keys`` of an
    :func:`interval_ranks` table, linearly between grid points."""
    step = RANK_GRID[1] - RANK_GRID[0]
    pos = np.clip((np.asarray(z, dtype=float) - RANK_GRID[0]) / step, 0.0,
                  RANK_GRID.size - 1.000001)
    j = pos.astype(np.intp)
    frac = pos - j
    return table[keys, j] * (1.0 - frac) + table[keys, j + 1] * frac


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
    valid = (codes >= 0) & ~np.isnan(score)
    sums = np.bincount(codes[valid], weights=score[valid], minlength=n_categories)
    counts = np.bincount(codes[valid], minlength=n_categories)
    means = np.divide(sums, counts, out=np.zeros(n_categories), where=counts > 0)
    return np.argsort(means, kind="stable")


def correlation_ratios(codes: np.ndarray, n_categories: int, scores: np.ndarray) -> np.ndarray:
    """How much of each score column the categories explain: the correlation ratio eta².

    eta² is the between-category share of a score's variance (0: the category says nothing about
    it; 1: the category determines it). It is the squared correlation that the best ordering of
    the categories can reach with that score, so the column with the largest eta² is the partner
    whose association an interval encoding should carry. NaN scores (missing values) are ignored.
    To ask many categoricals about the same scores, prepare them once with :class:`ScoreColumns`.

    Args:
        codes: ``(n,)`` category codes in ``0..n_categories-1``.
        n_categories: How many categories there are.
        scores: ``(n, m)`` candidate scores, NaN where missing.

    Returns:
        ``(m,)`` values in [0, 1]; 0 for a score with no spread.
    """
    return ScoreColumns(scores).ratios(category_matrix(codes, n_categories))


def category_matrix(codes: np.ndarray, n_categories: int) -> sparse.csr_matrix:
    """The ``(n_categories, n)`` indicator matrix of ``codes``: its product with a score matrix
    sums each score per category. Build it once per categorical and reuse it."""
    n = codes.shape[0]
    # Built in CSR form directly: each category's row positions in increasing order (a stable
    # sort on small integers), the layout a conversion from coordinates would give, unsorted.
    counts = np.bincount(codes, minlength=n_categories)
    indptr = np.concatenate(([0], np.cumsum(counts)))
    rows = np.argsort(codes, kind="stable")
    return sparse.csr_matrix((np.ones(n), rows, indptr), shape=(n_categories, n))


class ScoreColumns:
    """Score columns prepared once for :meth:`ratios`, asked by many categoricals.

    What does not depend on the categorical is computed here, once: the scores with missing
    values as 0, each column's mean and total sum of squares, and which columns have gaps at all
    (only those need a per-category count of present values). A column can be replaced in place
    (:meth:`replace`) when its score changes, so the others are not prepared again.
    """

    def __init__(self, scores: np.ndarray) -> None:
        scores = np.asarray(scores, dtype=float)
        n, m = scores.shape
        self.filled = np.empty((n, m))
        self.grand = np.zeros(m)
        self.total = np.zeros(m)
        self.present: dict[int, np.ndarray] = {}
        for j in range(m):
            self.replace(j, scores[:, j])

    def replace(self, j: int, column: np.ndarray) -> None:
        """Make ``column`` (NaN where missing) score column ``j``."""
        present = ~np.isnan(column)
        if present.all():
            self.present.pop(j, None)
            filled = column
            count = column.shape[0]
        else:
            self.present[j] = present.astype(float)
            filled = np.where(present, column, 0.0)
            count = int(present.sum())
        self.filled[:, j] = filled
        grand = float(filled.sum()) / count if count else 0.0
        self.grand[j] = grand
        dev = filled - grand
        if j in self.present:
            dev *= self.present[j]
        self.total[j] = float(dev @ dev)

    def ratios(self, onehot: sparse.csr_matrix) -> np.ndarray:
        """eta² of every column for the categorical whose :func:`category_matrix` is ``onehot``."""
        sums = onehot @ self.filled
        per_category = np.asarray(onehot.sum(axis=1)).reshape(-1, 1)
        counts = np.repeat(per_category, sums.shape[1], axis=1)
        if self.present:
            gaps = sorted(self.present)
            counts[:, gaps] = onehot @ np.column_stack([self.present[j] for j in gaps])
        with np.errstate(invalid="ignore", divide="ignore"):
            means = np.where(counts > 0, sums / np.maximum(counts, 1), 0.0)
            between = (counts * (means - self.grand) ** 2).sum(axis=0)
            eta = np.where(self.total > 0, between / self.total, 0.0)
        return np.nan_to_num(np.clip(eta, 0.0, 1.0))


def ranked_uniforms(codes: np.ndarray, order: np.ndarray, partner: np.ndarray,
                    rng: np.random.Generator) -> np.ndarray:
    """Interval encoding whose position inside each category follows a partner score.

    Category intervals are laid out in ``order`` with widths equal to their row shares, as in
    :func:`~learnsynth.profile.columns.category_uniforms`; but inside its interval a row is placed
    by the rank of its partner score (ties and missing scores at random) instead of at random. When
    the categories are bins of the partner (an age group and the age), the encoding then equals the
    partner's own uniform and the copula carries the association at full strength; random
    placement would dilute it. Sampling reads only which interval a uniform falls in, so the
    placement changes what the correlation matrix learns, nothing else.

    Returns:
        ``(n,)`` uniforms ``(rank + U(0, 1)) / n`` where rows are ranked by (interval, partner).
    """
    n = codes.shape[0]
    pos = np.empty_like(order)
    pos[order] = np.arange(order.size)
    slot = pos[codes]
    key = np.where(np.isnan(partner), rng.standard_normal(n), partner)
    ranked = _slot_key_order(slot, key, rng.random((n,)), order.size)
    rank = np.empty(n)
    rank[ranked] = np.arange(n)
    return (rank + rng.random(n)) / n


def _slot_key_order(slot: np.ndarray, key: np.ndarray, tie: np.ndarray,
                    n_slots: int) -> np.ndarray:
    """``np.lexsort((tie, key, slot))``, about five times faster.

    Sorts by ``key`` alone (the random ``tie`` only matters where two keys are equal, and then
    the full lexsort is used), then stably by ``slot`` (a radix sort on small integers).
    """
    by_key = np.argsort(key)
    sorted_key = key[by_key]
    if np.any(sorted_key[1:] == sorted_key[:-1]):
        by_key = np.lexsort((tie, key))
    slots = slot[by_key]
    if n_slots <= np.iinfo(np.uint16).max:
        slots = slots.astype(np.uint16)
    return by_key[np.argsort(slots, kind="stable")]


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
        return special.ndtr(self.sample_normal(n, rng).T)

    def sample_normal(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Draw ``n`` rows of correlated normal scores, *transposed*: shape ``(len(dims), n)``.

        Row ``j`` is dimension ``j``, contiguous in memory, so a sampler reads each column without
        striding. The standard normals are drawn in row order (the same stream as before) and
        multiplied by the Cholesky factor in one matrix product. Sampling maps most dimensions
        from these scores directly (category and null thresholds moved into normal space, normal
        and lognormal marginals in closed form), which skips the normal CDF for them.
        """
        chol = np.linalg.cholesky(self.corr)
        return chol @ rng.standard_normal((n, len(self.dims))).T
