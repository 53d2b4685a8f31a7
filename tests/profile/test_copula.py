from __future__ import annotations

import numpy as np
from scipy import stats

from learnsynth.profile.copula import (
    CopulaBlock,
    fit_correlation,
    nearest_correlation,
    order_categories,
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
