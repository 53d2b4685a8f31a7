"""Families with an open support: normal, and the positive-only lognormal, gamma, exponential.

The positive families are fitted with their location fixed at 0 (no shift parameter), so nothing
like the real minimum is ever a parameter. Fitting uses closed forms (or a few Newton steps for the
gamma shape): fast, deterministic, no optimiser warnings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy import special

from learnsynth.profile.marginals._base import Family, positive_floor

__all__ = ["Exponential", "Gamma", "LogNormal", "Normal"]

_MAX_SHAPE = 1e6  # gamma shape cap for (near-)constant data


def _positive_data(x: np.ndarray) -> bool:
    return bool(x.size) and bool(np.all(x > 0))


@dataclass(frozen=True)
class Normal(Family):
    """Gaussian with ``mean`` and standard deviation ``sd``."""

    name: ClassVar[str] = "normal"
    param_names: ClassVar[tuple[str, ...]] = ("mean", "sd")
    positive: ClassVar[tuple[str, ...]] = ("sd",)
    complexity: ClassVar[int] = 2

    mean: float
    sd: float

    @classmethod
    def fit(cls, x: np.ndarray, low: float, high: float) -> Normal:
        """Sample mean and standard deviation."""
        mean = float(np.mean(x))
        return cls(mean, positive_floor(float(np.std(x)), mean))

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """Normal CDF."""
        return special.ndtr((np.asarray(x, dtype=float) - self.mean) / self.sd)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Normal quantile function."""
        return self.mean + self.sd * special.ndtri(np.asarray(u, dtype=float))

    def ppf_of_normal(self, z: np.ndarray) -> np.ndarray:
        """``mean + sd * z``: a normal score is already this family's standardised value."""
        out = np.multiply(z, self.sd, dtype=float)
        out += self.mean
        return out


@dataclass(frozen=True)
class LogNormal(Family):
    """log(x) is normal with mean ``mu`` and standard deviation ``sigma`` (x > 0)."""

    name: ClassVar[str] = "lognormal"
    param_names: ClassVar[tuple[str, ...]] = ("mu", "sigma")
    positive: ClassVar[tuple[str, ...]] = ("sigma",)
    complexity: ClassVar[int] = 2

    mu: float
    sigma: float

    @classmethod
    def applicable(cls, x: np.ndarray, low: float, high: float) -> bool:
        """Only for strictly positive data."""
        return _positive_data(x)

    @classmethod
    def fit(cls, x: np.ndarray, low: float, high: float) -> LogNormal:
        """Maximum likelihood with location 0: mean and sd of log(x)."""
        logs = np.log(x)
        mu = float(np.mean(logs))
        return cls(mu, positive_floor(float(np.std(logs)), 1.0))

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """Lognormal CDF (0 for x <= 0)."""
        x = np.asarray(x, dtype=float)
        positive = x > 0
        z = (np.log(np.where(positive, x, 1.0)) - self.mu) / self.sigma
        return np.where(positive, special.ndtr(z), 0.0)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Lognormal quantile function."""
        with np.errstate(over="ignore"):
            return np.exp(self.mu + self.sigma * special.ndtri(np.asarray(u, dtype=float)))

    def ppf_of_normal(self, z: np.ndarray) -> np.ndarray:
        """``exp(mu + sigma * z)``: the log of a lognormal value is normal."""
        out = np.multiply(z, self.sigma, dtype=float)
        out += self.mu
        with np.errstate(over="ignore"):
            return np.exp(out, out=out)


def _gamma_shape(s: float) -> float:
    """Solve log(a) - digamma(a) = s for the gamma shape (Minka's start, then Newton)."""
    if not s > 1e-12:
        return _MAX_SHAPE
    a = (3.0 - s + math.sqrt((s - 3.0) ** 2 + 24.0 * s)) / (12.0 * s)
    for _ in range(50):
        f = math.log(a) - float(special.digamma(a)) - s
        slope = 1.0 / a - float(special.polygamma(1, a))
        step = f / slope
        new = a - step if a - step > 0 else a / 2.0
        if abs(new - a) <= 1e-12 * a:
            return min(new, _MAX_SHAPE)
        a = new
    return min(a, _MAX_SHAPE)


@dataclass(frozen=True)
class Gamma(Family):
    """Gamma with ``shape`` and ``scale`` (mean = shape * scale), location 0, x > 0."""

    name: ClassVar[str] = "gamma"
    param_names: ClassVar[tuple[str, ...]] = ("shape", "scale")
    positive: ClassVar[tuple[str, ...]] = ("shape", "scale")
    complexity: ClassVar[int] = 2

    shape: float
    scale: float

    @classmethod
    def applicable(cls, x: np.ndarray, low: float, high: float) -> bool:
        """Only for strictly positive data."""
        return _positive_data(x)

    @classmethod
    def fit(cls, x: np.ndarray, low: float, high: float) -> Gamma:
        """Maximum likelihood with location 0."""
        mean = float(np.mean(x))
        shape = _gamma_shape(math.log(mean) - float(np.mean(np.log(x))))
        return cls(shape, mean / shape)

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """Gamma CDF (0 for x <= 0)."""
        t = np.maximum(np.asarray(x, dtype=float), 0.0) / self.scale
        return special.gammainc(self.shape, t)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Gamma quantile function."""
        return special.gammaincinv(self.shape, np.asarray(u, dtype=float)) * self.scale


@dataclass(frozen=True)
class Exponential(Family):
    """Exponential with mean ``scale``, location 0, x > 0."""

    name: ClassVar[str] = "exponential"
    param_names: ClassVar[tuple[str, ...]] = ("scale",)
    positive: ClassVar[tuple[str, ...]] = ("scale",)
    complexity: ClassVar[int] = 1

    scale: float

    @classmethod
    def applicable(cls, x: np.ndarray, low: float, high: float) -> bool:
        """Only for strictly positive data."""
        return _positive_data(x)

    @classmethod
    def fit(cls, x: np.ndarray, low: float, high: float) -> Exponential:
        """Maximum likelihood with location 0: the mean."""
        mean = float(np.mean(x))
        return cls(positive_floor(mean, mean))

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """Exponential CDF (0 for x <= 0)."""
        t = np.maximum(np.asarray(x, dtype=float), 0.0) / self.scale
        return -np.expm1(-t)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Exponential quantile function."""
        with np.errstate(divide="ignore"):
            return -self.scale * np.log1p(-np.asarray(u, dtype=float))
