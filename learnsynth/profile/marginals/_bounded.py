"""Families with a finite support tied to the protected bounds: uniform and (scaled) beta.

Both only ever see the protected bounds [low, high] and data already clipped to them, so their
support never reveals the real minimum or maximum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy import special

from learnsynth.errors import ArtifactError
from learnsynth.profile.marginals._base import Family, positive_floor

__all__ = ["Beta", "Uniform"]

_MAX_BETA = 1e6  # cap on alpha/beta for (near-)constant data
_MIN_BETA = 1e-3


class _Bounded(Family):
    """Shared by families on [lower, upper]: needs a non-empty interval."""

    lower: float
    upper: float

    @classmethod
    def applicable(cls, x: np.ndarray, low: float, high: float) -> bool:
        """Only when the protected bounds span an interval."""
        return high > low

    def _validate(self) -> None:
        if not self.upper > self.lower:
            raise ArtifactError(f"Marginal family {self.name!r} must have upper > lower; got "
                                f"{self.lower!r} and {self.upper!r}. "
                                "The model is damaged: refit it.")


@dataclass(frozen=True)
class Uniform(_Bounded):
    """Uniform on [lower, upper].

    Data clipped to the protected bounds pile up a little mass at ``low`` and ``high`` (the real
    values beyond them). The fit extends the interval by just that share on each side, so that
    sampling, which clips to [low, high] again, puts the same mass there.
    """

    name: ClassVar[str] = "uniform"
    param_names: ClassVar[tuple[str, ...]] = ("lower", "upper")
    complexity: ClassVar[int] = 0

    lower: float
    upper: float

    @classmethod
    def fit(cls, x: np.ndarray, low: float, high: float) -> Uniform:
        """Interval [low, high] widened by the share of data at (or beyond) each bound."""
        x = np.asarray(x, dtype=float)
        at_low, at_high = float(np.mean(x <= low)), float(np.mean(x >= high))
        if at_low + at_high >= 0.5:  # mostly piled at the bounds: do not extrapolate
            at_low = at_high = 0.0
        width = positive_floor((high - low) / (1.0 - at_low - at_high), max(abs(low), abs(high)))
        return cls(low - at_low * width, low - at_low * width + width)

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """Uniform CDF."""
        t = (np.asarray(x, dtype=float) - self.lower) / (self.upper - self.lower)
        return np.clip(t, 0.0, 1.0)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Uniform quantile function."""
        t = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        return self.lower + t * (self.upper - self.lower)


@dataclass(frozen=True)
class Beta(_Bounded):
    """Beta(``alpha``, ``beta``) scaled to [lower, upper] = the protected bounds."""

    name: ClassVar[str] = "beta"
    param_names: ClassVar[tuple[str, ...]] = ("alpha", "beta", "lower", "upper")
    positive: ClassVar[tuple[str, ...]] = ("alpha", "beta")
    complexity: ClassVar[int] = 3

    alpha: float
    beta: float
    lower: float
    upper: float

    @classmethod
    def fit(cls, x: np.ndarray, low: float, high: float) -> Beta:
        """Method of moments on (x - low) / (high - low): robust to data sitting on the bounds."""
        t = np.clip((np.asarray(x, dtype=float) - low) / (high - low), 0.0, 1.0)
        mean, var = float(np.mean(t)), float(np.var(t))
        if var <= 0.0 or not 0.0 < mean < 1.0:
            common = _MAX_BETA
            mean = min(max(mean, 1e-6), 1.0 - 1e-6)
        else:
            common = max(mean * (1.0 - mean) / var - 1.0, 2 * _MIN_BETA)
        alpha = min(max(mean * common, _MIN_BETA), _MAX_BETA)
        beta = min(max((1.0 - mean) * common, _MIN_BETA), _MAX_BETA)
        return cls(alpha, beta, float(low), float(high))

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """Scaled beta CDF."""
        t = (np.asarray(x, dtype=float) - self.lower) / (self.upper - self.lower)
        return special.betainc(self.alpha, self.beta, np.clip(t, 0.0, 1.0))

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Scaled beta quantile function."""
        t = special.betaincinv(self.alpha, self.beta, np.clip(np.asarray(u, dtype=float), 0.0, 1.0))
        return self.lower + t * (self.upper - self.lower)
