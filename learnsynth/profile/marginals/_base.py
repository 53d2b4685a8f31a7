"""The :class:`Family` contract and the strict-parsing helpers every family shares.

A family describes the *continuous part* of a numeric column. It is a tiny frozen dataclass: its
fields are its parameters, ``fit`` learns them, ``cdf``/``ppf`` evaluate the distribution and
``to_dict``/``from_dict`` turn it into the readable JSON a reviewer sees in ``model.json``.
Families never draw random numbers: sampling is ``ppf`` of uniforms supplied by the caller.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar, Self

import numpy as np

from learnsynth.errors import ArtifactError
from learnsynth.profile.marginals._table import tail_dense_probabilities

__all__ = [
    "Family",
    "check_keys",
    "clipped_cdf",
    "edge_cdfs",
    "finite_float",
    "positive_floor",
]


def positive_floor(spread: float, center: float) -> float:
    """A strictly positive scale: ``spread``, or a tiny one for constant data (no zero division)."""
    floor = 1e-9 * max(1.0, abs(center))
    return float(spread) if math.isfinite(spread) and spread > floor else floor


def clipped_cdf(family: Family, y: np.ndarray, low: float, high: float) -> np.ndarray:
    """CDF of the family once samples are clipped to [low, high]: 0 below low, 1 from high on.

    This is the distribution that sampling actually produces, so it is the one to test and to use
    for the probability integral transform.
    """
    y = np.asarray(y, dtype=float)
    inside = family.cdf(np.clip(y, low, high))
    return np.where(y < low, 0.0, np.where(y >= high, 1.0, inside))


def edge_cdfs(family: Family, x: np.ndarray, half: float, low: float,
              high: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`clipped_cdf` at ``x - half`` and ``x + half`` (the rounding interval of each value).

    On sorted distinct values of a grid (integers: ``half`` = 0.5), the upper edge of one value is
    the lower edge of the next whenever they are one step apart; such a shared edge is read once
    (the same number either way: the CDF is elementwise). Otherwise both edges are read.
    """
    lower_at, upper_at = x - half, x + half
    shared = upper_at[:-1] == lower_at[1:]
    if 4 * int(np.count_nonzero(shared)) < x.size:
        return clipped_cdf(family, lower_at, low, high), clipped_cdf(family, upper_at, low, high)
    lower = clipped_cdf(family, lower_at, low, high)
    own = np.append(~shared, True)  # upper edges that are nobody's lower edge
    upper = np.empty_like(lower)
    upper[own] = clipped_cdf(family, upper_at[own], low, high)
    upper[:-1][shared] = lower[1:][shared]
    return lower, upper


def check_keys(d: object, expected: set[str], what: str) -> Mapping[str, Any]:
    """Return ``d`` as a mapping if its keys are exactly ``expected``; else ArtifactError."""
    if not isinstance(d, Mapping):
        raise ArtifactError(f"{what} must be a JSON object; got {type(d).__name__}. "
                            "The model is damaged: refit it.")
    unknown = sorted(str(key) for key in d if key not in expected)
    missing = sorted(expected - set(d))
    if unknown or missing:
        raise ArtifactError(f"{what} must have exactly the keys {sorted(expected)}; got unknown "
                            f"{unknown} and missing {missing}. The model was edited or written by "
                            "another learnsynth version: refit it.")
    return d


def finite_float(value: object, what: str) -> float:
    """``value`` as a float if it is a finite JSON number (not a bool), else raise ArtifactError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ArtifactError(f"{what} must be a finite number; got {type(value).__name__}. "
                            "The model is damaged: refit it.")
    if not math.isfinite(value):
        raise ArtifactError(f"{what} must be a finite number; got {value!r}. "
                            "The model is damaged: refit it.")
    return float(value)


class Family:
    """One parametric (or smoothed empirical) distribution for the continuous part of a column.

    Subclasses are frozen dataclasses whose fields are listed in ``param_names``; ``positive``
    names those that must be > 0. ``complexity`` ranks families when several fit equally well:
    the simpler explanation wins.
    """

    name: ClassVar[str]
    param_names: ClassVar[tuple[str, ...]] = ()
    positive: ClassVar[tuple[str, ...]] = ()
    complexity: ClassVar[int] = 0
    parametric: ClassVar[bool] = True

    @classmethod
    def applicable(cls, x: np.ndarray, low: float, high: float) -> bool:
        """Whether the family can describe data ``x`` within [low, high] at all."""
        return True

    @classmethod
    def fit(cls, x: np.ndarray, low: float, high: float) -> Family:
        """Learn the parameters from ``x`` (already clipped to the protected [low, high])."""
        raise NotImplementedError

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """Cumulative distribution function, elementwise."""
        raise NotImplementedError

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Quantile function (inverse CDF), elementwise; u = 0 or 1 may give -inf or inf."""
        raise NotImplementedError

    def ppf_of_normal(self, z: np.ndarray) -> np.ndarray | None:
        """``ppf(ndtr(z))`` in closed form for normal scores ``z``, or None where there is none.

        The copula draws normal scores; a family that is a transform of a normal (normal,
        lognormal) maps them directly, exactly and without the normal CDF (the costliest step of
        sampling such a column). Other families return None and are read off the quantile table.
        """
        return None

    def quantile_table(self) -> tuple[np.ndarray, np.ndarray]:
        """Knots (p, ppf(p)) for sampling to interpolate: 2049 evenly spaced, more in the tails.

        Computed once per marginal; sampling then never calls the family.
        """
        p = tail_dense_probabilities()
        return p, self.ppf(p)

    def _validate(self) -> None:
        """Cross-parameter checks beyond positivity (e.g. upper > lower); raise ArtifactError."""

    def to_dict(self) -> dict[str, object]:
        """Readable parameters: ``{"name": ..., <param>: float, ...}``."""
        out: dict[str, object] = {"name": self.name}
        for param in self.param_names:
            out[param] = float(getattr(self, param))
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> Self:
        """Parse ``to_dict`` output strictly: exact keys, finite numbers, valid parameters."""
        what = f"Marginal family {cls.name!r}"
        d = check_keys(d, {"name", *cls.param_names}, what)
        if d["name"] != cls.name:
            raise ArtifactError(f"{what} was given a dict for family {d['name']!r}. "
                                "The model is damaged: refit it.")
        values = {p: finite_float(d[p], f"{what} parameter {p!r}") for p in cls.param_names}
        for param in cls.positive:
            if values[param] <= 0:
                raise ArtifactError(f"{what} parameter {param!r} must be > 0; got "
                                    f"{values[param]!r}. The model is damaged: refit it.")
        family = cls(**values)
        family._validate()
        return family
