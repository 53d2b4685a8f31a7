"""The explicit registry of marginal families, and parsing a stored family by its name."""

from __future__ import annotations

from collections.abc import Mapping

from learnsynth.errors import ArtifactError
from learnsynth.profile.marginals._base import Family
from learnsynth.profile.marginals._bounded import Beta, Uniform
from learnsynth.profile.marginals._empirical import Empirical
from learnsynth.profile.marginals._unbounded import Exponential, Gamma, LogNormal, Normal

__all__ = ["FAMILIES", "family_from_dict"]

FAMILIES: dict[str, type[Family]] = {
    "normal": Normal,
    "lognormal": LogNormal,
    "gamma": Gamma,
    "exponential": Exponential,
    "uniform": Uniform,
    "beta": Beta,
    "empirical": Empirical,
}


def family_from_dict(d: object) -> Family:
    """Parse a stored family; only names in :data:`FAMILIES` are accepted (nothing is imported)."""
    name = d.get("name") if isinstance(d, Mapping) else None
    if not isinstance(d, Mapping) or not isinstance(name, str) or name not in FAMILIES:
        raise ArtifactError(f"Marginal family must be one of {sorted(FAMILIES)}; got "
                            f"{name!r}. The model is damaged or from a newer learnsynth: refit it.")
    return FAMILIES[name].from_dict(d)
