"""Pools of values built once per Faker instance, and whole-column draws from them.

A pool is either Faker's own locale data (``first_names``, ``cities``, ...) read straight from
the locale's provider class, or a few hundred values produced by calling a seeded Faker. Pools
are cached per Faker instance (``fill_pii`` makes one Faker per locale per call), so a call
builds each pool once however many columns or uniqueness redraws need it. Rows are then drawn
from pools with the injected ``numpy.random.Generator`` only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

import numpy as np
from faker import Faker

__all__ = ["Pool", "cached", "faker_pool", "locale_data", "pool_of"]

T = TypeVar("T")

_CACHE: WeakKeyDictionary[Faker, dict[str, Any]] = WeakKeyDictionary()


@dataclass(frozen=True, eq=False)
class Pool:
    """Distinct-enough values and optional draw probabilities (Faker's weights, normalised)."""

    values: np.ndarray
    probabilities: np.ndarray | None = None

    def draw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` values drawn with replacement."""
        return self.values[self.indices(n, rng)]

    def indices(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` row indices into :attr:`values`, drawn with replacement."""
        if self.probabilities is None:
            return rng.integers(0, len(self.values), n)
        return rng.choice(len(self.values), size=n, p=self.probabilities)


def pool_of(data: Iterable[str] | Mapping[str, float]) -> Pool:
    """A pool from a Faker data list; an ``OrderedDict`` of weights keeps its weights."""
    if isinstance(data, Mapping):
        weights = np.fromiter(data.values(), dtype=float, count=len(data))
        return Pool(np.array(list(data.keys()), dtype=object), weights / weights.sum())
    return Pool(np.array(list(data), dtype=object))


def cached(faker: Faker, key: str, build: Callable[[], T]) -> T:
    """``build()`` once per Faker instance and key."""
    store = _CACHE.setdefault(faker, {})
    if key not in store:
        store[key] = build()
    value: T = store[key]
    return value


def locale_data(faker: Faker, provider: str, attribute: str) -> Any:
    """A data attribute of the Faker provider ``provider`` (``"person"``, ``"address"``, ...)
    that this Faker instance actually uses, after Faker's own locale fallback; ``None`` if the
    provider has no such attribute."""
    wanted = f"faker.providers.{provider}"
    for instance in faker.get_providers():
        if getattr(instance, "__provider__", None) == wanted:
            return getattr(instance, attribute, None)
    return None


def faker_pool(faker: Faker, key: str, size: int, make: Callable[[], str]) -> Pool:
    """A cached pool of the distinct values among ``size`` calls of ``make`` (a Faker method)."""
    def build() -> Pool:
        values = dict.fromkeys(make() for _ in range(size))
        return Pool(np.array(list(values), dtype=object))
    return cached(faker, key, build)
