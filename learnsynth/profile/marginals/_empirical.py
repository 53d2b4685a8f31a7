"""The fallback family: a smoothed, microaggregated empirical quantile function.

Used when no parametric family passes the KS test (multimodal, skewed-and-bounded, messy data).
It stores ``quantiles``: values at evenly spaced probabilities 0, 1/m, ..., 1. Each inner value is
the mean of a window of at least k consecutive sorted values (microaggregation), so no stored number
is a single real value; the first and last are the protected bounds, never the real min and max.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

import numpy as np

from learnsynth.errors import ArtifactError
from learnsynth.profile.marginals._base import Family, check_keys, finite_float

__all__ = ["MAX_KNOT_INTERVALS", "Empirical"]

MAX_KNOT_INTERVALS = 256  # at most 257 stored quantiles per column


@dataclass(frozen=True)
class Empirical(Family):
    """Piecewise-linear quantile function through microaggregated knots."""

    name: ClassVar[str] = "empirical"
    param_names: ClassVar[tuple[str, ...]] = ("quantiles",)
    complexity: ClassVar[int] = 9
    parametric: ClassVar[bool] = False

    quantiles: tuple[float, ...]

    @classmethod
    def fit(cls, x: np.ndarray, low: float, high: float, *, k: int = 5) -> Empirical:
        """Knots at min(n // k, 256) + 1 probabilities, each the mean of >= k sorted values.

        Windows are centred on each knot's quantile and about n / intervals wide, so they tile the
        data. Knots are then made non-decreasing and clipped to [low, high], and the ends are set
        to low and high.
        """
        xs = np.sort(np.clip(np.asarray(x, dtype=float), low, high))
        n = xs.size
        intervals = max(min(n // max(k, 1), MAX_KNOT_INTERVALS), 1)
        window = min(n, max(k, math.ceil(n / intervals)))
        centres = np.linspace(0.0, n - 1.0, intervals + 1)
        starts = np.clip(np.rint(centres - (window - 1) / 2.0), 0, n - window).astype(np.intp)
        values = xs[starts[:, None] + np.arange(window)].mean(axis=1)
        values = np.clip(np.maximum.accumulate(values), low, high)
        values[0], values[-1] = low, high
        return cls(tuple(float(v) for v in values))

    @cached_property
    def _knots(self) -> tuple[np.ndarray, np.ndarray]:
        q = np.asarray(self.quantiles, dtype=float)
        return np.linspace(0.0, 1.0, q.size), q

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """Right-continuous inverse of the quantile function (flat stretches become jumps)."""
        p, q = self._knots
        x = np.asarray(x, dtype=float)
        j = np.searchsorted(q, x, side="right")  # q[j-1] <= x < q[j]
        jc = np.clip(j, 1, q.size - 1)
        q0, q1 = q[jc - 1], q[jc]
        gap = np.where(q1 > q0, q1 - q0, 1.0)
        inner = p[jc - 1] + (x - q0) / gap * (p[jc] - p[jc - 1])
        return np.where(j == 0, 0.0, np.where(j >= q.size, 1.0, inner))

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Linear interpolation between the knots."""
        p, q = self._knots
        return np.interp(np.asarray(u, dtype=float), p, q)

    def quantile_table(self) -> tuple[np.ndarray, np.ndarray]:
        """The knots themselves: the quantile function is exactly piecewise linear through them."""
        return self._knots

    def to_dict(self) -> dict[str, object]:
        """``{"name": "empirical", "quantiles": [...]}`` at probabilities 0, 1/m, ..., 1."""
        return {"name": self.name, "quantiles": [float(v) for v in self.quantiles]}

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> Empirical:
        """Strict: exact keys, at least two finite, non-decreasing quantiles."""
        what = "Marginal family 'empirical'"
        d = check_keys(d, {"name", "quantiles"}, what)
        raw = d["quantiles"]
        if d["name"] != cls.name or not isinstance(raw, list) or len(raw) < 2:
            raise ArtifactError(f"{what} must hold a list of at least 2 quantiles. "
                                "The model is damaged: refit it.")
        values = tuple(finite_float(v, f"{what} quantile") for v in raw)
        if any(b < a for a, b in zip(values, values[1:], strict=False)):
            raise ArtifactError(f"{what} quantiles must be non-decreasing. "
                                "The model is damaged: refit it.")
        return cls(values)
