"""Numeric marginal distributions: families, the mixture with point masses, and the fitter.

::

    fit_marginal(x, integer=..., k=5, rng=...)  ->  NumericMarginal
        atoms (zeros, sentinels, heaping)  +  family (continuous part, chosen by KS)
        protected bounds [low, high]: means of k values, never the real min/max
    NumericMarginal.to_uniform(x, rng)  ->  uniforms for the copula
    NumericMarginal.ppf(u)              ->  samples (clipped, rounded)
    NumericMarginal.ppf_normal(z)       ->  the same from the copula's normal scores (closed form
                                            for normal and lognormal families)

Families are registered in :data:`FAMILIES`; a stored family is found by name there and
nowhere else, so a model file can never name code to import.
"""

from __future__ import annotations

from learnsynth.profile.marginals._base import Family
from learnsynth.profile.marginals._fit import fit_marginal
from learnsynth.profile.marginals._marginal import NumericMarginal
from learnsynth.profile.marginals._registry import FAMILIES

__all__ = ["FAMILIES", "Family", "NumericMarginal", "fit_marginal"]
