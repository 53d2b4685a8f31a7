from __future__ import annotations

import numpy as np
from scipy import stats

from learnsynth.profile.copula import (
    CopulaBlock,
    correlation_ratios,
    fit_correlation,
    fit_latent_correlation,
    nearest_correlation,
    order_categories,
    ranked_uniforms,
    to_normal,
)


def test_correlation_recovered_from_normal_scores():
    rng = np.random.default_rng(3)
    true = np.array([[1.0, 0.7, -0.3], [0.7, 1.0, 0.0], [-0.3, 0.0, 1.0]])
    z = rng.multivariate_normal(np.zeros(3), true, size=20_000)
    u = stats.norm.cdf(z)
    est = fit_correlation(to_normal(u))
    np.testing.assert_allclose(est, true, atol=0.03)


def test_missing_values_do_not_fake_or_hide_correlation():
    rng = np.random.default_rng(4)
    z = rng.multivariate_normal([0, 0], [[1, 0.8], [0.8, 1]], size=10_000)
    z[rng.random(10_000) < 0.4, 0] = np.nan
    est = fit_correlation(z)
    assert abs(est[0, 1] - 0.8) < 0.03


def test_small_samples_are_shrunk_towards_independence():
    rng = np.random.default_rng(5)
    z = rng.standard_normal((12, 6))
    est = fit_correlation(z)
    raw = np.corrcoef(z, rowvar=False)
    off = ~np.eye(6, dtype=bool)
    assert np.abs(est[off]).mean() < np.abs(raw[off]).mean()


def test_nearest_correlation_repairs_indefinite_matrix():
    bad = np.array([[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]])
    assert np.linalg.eigvalsh(bad).min() < 0
    fixed = nearest_correlation(bad)
    assert np.linalg.eigvalsh(fixed).min() > 0
    np.testing.assert_allclose(np.diag(fixed), 1.0)
    np.linalg.cholesky(fixed)


def test_order_categories_follows_the_score():
    codes = np.array([0, 1, 2] * 100)
    score = np.array([5.0, -5.0, 0.0] * 100)
    assert order_categories(codes, 3, score).tolist() == [1, 2, 0]


def test_block_sampling_is_seeded_and_correlated():
    block = CopulaBlock((("a", "value"), ("b", "value")), np.array([[1.0, 0.6], [0.6, 1.0]]))
    u1 = block.sample(50_000, np.random.default_rng(9))
    u2 = block.sample(50_000, np.random.default_rng(9))
    np.testing.assert_array_equal(u1, u2)
    assert abs(stats.spearmanr(u1[:, 0], u1[:, 1]).statistic - 0.58) < 0.03
    assert 0 < u1.min() and u1.max() < 1


def _binned(u: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Interval bounds of u cut into k equal bins (a k-category ordinal)."""
    cell = np.minimum((u * k).astype(int), k - 1)
    return cell / k, (cell + 1) / k


def test_latent_correlation_undoes_the_dilution_of_categories():
    """A 3-category version of a variable correlated 0.7: random placement reads ~0.6."""
    rng = np.random.default_rng(11)
    z = rng.multivariate_normal([0, 0], [[1, 0.7], [0.7, 1]], size=8000)
    u = stats.norm.cdf(z)
    lo_a, hi_a = _binned(u[:, 0], 3)
    lo = np.column_stack([lo_a, u[:, 1]])
    hi = np.column_stack([hi_a, u[:, 1]])
    init = lo + rng.random(lo.shape) * (hi - lo)
    naive = np.corrcoef(to_normal(init), rowvar=False)[0, 1]
    est = fit_latent_correlation(lo, hi, init, np.random.default_rng(1))
    assert naive < 0.64
    assert abs(est[0, 1] - 0.7) < 0.03


def test_latent_correlation_invents_nothing_between_independent_discrete_columns():
    rng = np.random.default_rng(12)
    u = rng.random((5000, 3))
    bounds = [_binned(u[:, j], k) for j, k in enumerate((2, 12, 31))]
    lo = np.column_stack([b[0] for b in bounds])
    hi = np.column_stack([b[1] for b in bounds])
    est = fit_latent_correlation(lo, hi, lo + rng.random(lo.shape) * (hi - lo),
                                 np.random.default_rng(2))
    off = ~np.eye(3, dtype=bool)
    assert np.abs(est[off]).max() < 0.05
    np.linalg.cholesky(est)


def test_latent_correlation_imputes_missing_values_without_bias():
    rng = np.random.default_rng(13)
    z = rng.multivariate_normal([0, 0], [[1, -0.6], [-0.6, 1]], size=6000)
    u = stats.norm.cdf(z)
    u[rng.random(6000) < 0.3, 1] = np.nan
    est = fit_latent_correlation(u, u, u, np.random.default_rng(3))
    assert abs(est[0, 1] + 0.6) < 0.04


def test_latent_correlation_is_reproducible():
    rng = np.random.default_rng(14)
    lo, hi = _binned(rng.random((3000, 2)), 4)
    init = lo + rng.random(lo.shape) * (hi - lo)
    a = fit_latent_correlation(lo, hi, init, np.random.default_rng(5))
    b = fit_latent_correlation(lo, hi, init, np.random.default_rng(5))
    np.testing.assert_array_equal(a, b)


def test_correlation_ratio_finds_the_partner_a_category_explains():
    rng = np.random.default_rng(15)
    codes = rng.integers(0, 4, 4000)
    explained = codes * 2.0 + rng.standard_normal(4000) * 0.3
    unrelated = rng.standard_normal(4000)
    with_gaps = explained.copy()
    with_gaps[::3] = np.nan
    eta = correlation_ratios(codes, 4, np.column_stack([explained, unrelated, with_gaps]))
    assert eta[0] > 0.95 and eta[2] > 0.95
    assert eta[1] < 0.01


def test_ranked_uniforms_keep_intervals_and_follow_the_partner_inside_them():
    rng = np.random.default_rng(16)
    codes = rng.integers(0, 3, 3000)
    partner = rng.standard_normal(3000)
    order = np.array([2, 0, 1])
    u = ranked_uniforms(codes, order, partner, rng)
    shares = np.bincount(codes, minlength=3) / 3000
    upper = np.cumsum(shares[order])
    pos = np.empty(3, dtype=int)
    pos[order] = np.arange(3)
    slot = pos[codes]
    assert np.all(u >= upper[slot] - shares[order][slot] - 1e-12)
    assert np.all(u <= upper[slot] + 1e-12)
    inside = codes == 0
    assert stats.spearmanr(u[inside], partner[inside]).statistic > 0.99
