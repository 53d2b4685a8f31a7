"""The fast sampling paths give the draws the plain definitions give.

Sampling maps the copula's normal scores without the normal CDF where it can: category and null
cuts become thresholds in normal space, normal and lognormal marginals are read in closed form,
and the mixture ppf finds a uniform's stretch by a cell table instead of a binary search. Each is
checked here against the plain definition (``ndtr`` then compare / ``searchsorted`` / the
quantile table) on random and adversarial inputs.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from learnsynth.profile.marginals import NumericMarginal
from learnsynth.profile.marginals._empirical import Empirical
from learnsynth.profile.marginals._unbounded import Gamma, LogNormal, Normal
from learnsynth.sample.sampler import _category_codes, normal_threshold, normal_thresholds

probabilities = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def _neighbours(t: float) -> np.ndarray:
    """``t`` and the doubles a few ulps either side of it (where a cut could go wrong)."""
    if not np.isfinite(t):
        return np.array([-50.0, 0.0, 50.0])
    below = [t]
    above = [t]
    for _ in range(4):
        below.append(float(np.nextafter(below[-1], -np.inf)))
        above.append(float(np.nextafter(above[-1], np.inf)))
    return np.array(below + above)


@settings(max_examples=300, deadline=None)
@given(p=probabilities)
def test_normal_threshold_decides_as_the_uniform_would(p: float) -> None:
    """The same decision as ``ndtr(z) >= p``, except within a few ulps of the cut, where ``ndtr``
    itself is not monotone (ndtr(t + 1 ulp) can be below ndtr(t)): a chance of about 1e-16."""
    t = normal_threshold(p)
    z = np.concatenate((_neighbours(t), np.random.default_rng(0).standard_normal(2000) * 4))
    differ = (z >= t) != (special.ndtr(z) >= p)
    assert np.all(np.abs(z[differ] - t) <= 8 * np.abs(np.spacing(t)))
    if np.isfinite(t):
        assert special.ndtr(t) >= p and special.ndtr(np.nextafter(t, -np.inf)) < p


def test_normal_threshold_edges() -> None:
    assert normal_threshold(0.0) == -np.inf
    assert normal_threshold(0.5) == 0.0 or special.ndtr(normal_threshold(0.5)) >= 0.5
    t1 = normal_threshold(1.0)  # ndtr reaches exactly 1.0 a little above 8
    assert special.ndtr(t1) == 1.0 and special.ndtr(np.nextafter(t1, -np.inf)) < 1.0


def test_thresholds_of_many_cuts_at_once() -> None:
    """Thousands of category edges in one vectorised bisection: each the smallest double that
    reaches its cut, non-decreasing along sorted cuts."""
    cuts = np.sort(np.random.default_rng(2).random(5000))
    t = normal_thresholds(cuts)
    assert np.all(special.ndtr(t) >= cuts)
    assert np.all(special.ndtr(np.nextafter(t, -np.inf)) < cuts)
    assert np.all(np.diff(t) >= 0)


@settings(max_examples=100, deadline=None)
@given(weights=st.lists(st.floats(min_value=1e-6, max_value=1.0), min_size=1, max_size=40))
def test_category_codes_from_scores_equal_codes_from_uniforms(weights: list[float]) -> None:
    z = np.random.default_rng(len(weights)).standard_normal(5000) * 2
    cum = np.cumsum(weights)
    edges = cum[:-1] / cum[-1]
    expected = np.searchsorted(edges, special.ndtr(z), side="right")
    np.testing.assert_array_equal(_category_codes(tuple(weights), z), expected)


def _mixture(atoms: list[tuple[float, float]], family: object = None) -> NumericMarginal:
    fam = family if family is not None else Empirical(tuple(np.linspace(0.0, 100.0, 33)))
    return NumericMarginal(fam, tuple(atoms), 0.0, 100.0, False, 1, {})  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.integers(min_value=1, max_value=99), min_size=1, max_size=20,
                       unique=True),
       raw=st.lists(st.floats(min_value=1e-5, max_value=0.2), min_size=20, max_size=20))
def test_stretch_lookup_equals_searchsorted(values: list[int], raw: list[float]) -> None:
    weights = np.array(raw[:len(values)])
    weights = weights / weights.sum() * 0.9  # leave 10% to the continuous part
    marginal = _mixture([(float(v), float(w)) for v, w in zip(sorted(values), weights,
                                                                  strict=True)])
    edges = marginal._layout.edges
    u = np.concatenate((np.random.default_rng(1).random(20_000), edges,
                        np.nextafter(edges, -np.inf), np.nextafter(edges, np.inf),
                        np.arange(4097) / 4096, [0.0, 1.0]))
    u = np.clip(u, 0.0, 1.0)
    pos = marginal._stretches.locate(u)
    np.testing.assert_array_equal(pos, np.searchsorted(edges, u, side="right"))


def _reference_mixture_ppf(m: NumericMarginal, u: np.ndarray) -> np.ndarray:
    """The mixture ppf as first written: searchsorted, fences, then atom values."""
    lay = m._layout
    pos = np.searchsorted(lay.edges, u, side="right")
    out = m._rounded(lay.table((u - lay.cum[pos // 2]) / lay.cont), lay)
    fences = np.concatenate(([-np.inf], lay.values, [np.inf]))
    np.clip(out, fences[pos // 2], fences[pos // 2 + 1], out=out)
    inside = np.flatnonzero(pos % 2 == 1)
    out[inside] = lay.values[(pos[inside] - 1) // 2]
    return out


def test_mixture_ppf_equals_the_reference() -> None:
    m = _mixture([(0.0, 0.3), (10.0, 0.05), (10.5, 0.00001), (50.0, 0.2), (99.9, 0.01)])
    u = np.random.default_rng(3).random(200_000)
    np.testing.assert_array_equal(m.ppf(u), _reference_mixture_ppf(m, u))


def test_many_tiny_atoms_fall_back_to_searchsorted() -> None:
    atoms = [(1.0 + 0.001 * i, 1e-6) for i in range(12)]  # 24 edges inside a cell or two
    m = _mixture(atoms)
    assert m._stretches.passes > 4
    u = np.random.default_rng(4).random(50_000)
    np.testing.assert_array_equal(m.ppf(u), _reference_mixture_ppf(m, u))


@pytest.mark.parametrize(("family", "low", "high", "decimals"), [
    (Normal(50.0, 10.0), 10.0, 90.0, 2),
    (Normal(0.0, 1.0), -3.0, 3.0, 6),
    (LogNormal(4.0, 0.8), 1.0, 900.0, 2),
    (LogNormal(0.0, 3.0), 1e-3, 1e4, 0),
])
def test_closed_form_equals_the_exact_quantile(family: Normal | LogNormal, low: float,
                                               high: float, decimals: int) -> None:
    """The family's exact quantile of ``ndtr(z)``, clipped and rounded, but for float noise that
    can move a value across a rounding boundary: at most one step, on very few rows. (The
    quantile table, which the closed form replaces, is off by up to 16 steps near |z| = 3.)"""
    m = NumericMarginal(family, (), low, high, decimals == 0, decimals, {})
    z = np.concatenate((np.random.default_rng(5).standard_normal(100_000), [-9.0, 0.0, 9.0]))
    direct = m.ppf_normal(z)
    grid = m._layout  # the protected bounds moved inward onto the rounding grid
    exact = np.clip(np.round(family.ppf(special.ndtr(z)), decimals), grid.grid_low,
                    grid.grid_high)
    step = 10.0**-decimals
    assert np.all(np.abs(direct - exact) <= step * (1 + 1e-9) + 1e-12 * np.abs(exact))
    assert np.mean(direct != exact) < 0.001
    assert direct.min() >= low and direct.max() <= high
    np.testing.assert_array_equal(direct, np.round(direct, decimals))


def test_other_families_read_the_table() -> None:
    m = NumericMarginal(Gamma(2.0, 3.0), (), 0.1, 40.0, False, 1, {})
    z = np.random.default_rng(6).standard_normal(10_000)
    np.testing.assert_array_equal(m.ppf_normal(z), m.ppf(special.ndtr(z)))
