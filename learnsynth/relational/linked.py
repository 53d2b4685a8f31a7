"""Child rows that depend on their parent's columns: one linked pair per primary relationship.

The count of children joins the parent's copula, but a child row's own columns would otherwise
not know whose child it is: a business customer's orders would be no larger than a consumer's.
At fit time, over the child rows joined to their (training) parent, the pair of a parent column
and a child number with the strongest rank correlation is found (a categorical parent column is
ordered by the child's mean rank in each of its categories of at least k joined rows); if
``|rho| >= MIN_RHO`` it is stored on the child key column as ``details["linked"]`` — the two
column names, ``rho`` and, for a categorical, its categories in that order (categories the
parent's model keeps anyway; no value of any row).

At sample time the child's rows are drawn as usual, then matched to their parent slots by a
Gaussian copula between the two: each slot gets the latent score ``rho * z_parent + sqrt(1 -
rho^2) * noise`` (``z_parent`` the normal score of the parent's value), and the child row of rank
r in the linked child column takes the slot of rank r. Each parent keeps its sampled number of
children and every child row keeps its values; only which parent it belongs to follows the
parent's column.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from learnsynth.model import TableModel

__all__ = ["MIN_RHO", "find_link", "latent_scores", "match_slots", "parent_scores"]

MIN_RHO = 0.1  # weaker links are not worth a second pass over the child table
MAX_CATEGORIES = 50
_NUMERIC = ("integer", "continuous")


def _ranks(values: np.ndarray) -> np.ndarray:
    order = np.argsort(values, kind="stable")
    ranks = np.empty(values.size, dtype=float)
    ranks[order] = np.arange(values.size)
    return ranks


def _spearman(x: np.ndarray, y_ranks: np.ndarray) -> float:
    xr = pd.Series(x).rank().to_numpy()
    if np.std(xr) == 0 or np.std(y_ranks) == 0:
        return 0.0
    return float(np.corrcoef(xr, y_ranks)[0, 1])


def _categorical(labels: pd.Series, y_ranks: np.ndarray, k: int,
                 kept: Sequence[Any]) -> tuple[float, list[str]] | None:
    """Rank correlation of a category column ordered by the child's mean rank per category."""
    text = labels.astype(object).where(labels.notna(), None).map(
        lambda v: None if v is None else str(v))
    allowed = {str(c) for c in kept if c is not None}
    frame = pd.DataFrame({"c": text, "y": y_ranks})
    frame = frame[frame["c"].isin(allowed)]
    sizes = frame.groupby("c")["y"].agg(["mean", "size"])
    sizes = sizes[sizes["size"] >= k]
    if len(sizes) < 2 or len(sizes) > MAX_CATEGORIES:
        return None
    order = [str(c) for c in sizes.sort_values("mean").index]
    frame = frame[frame["c"].isin(order)]
    position = {c: i for i, c in enumerate(order)}
    rho = _spearman(frame["c"].map(position).to_numpy(float), _ranks(frame["y"].to_numpy()))
    return rho, order


def find_link(parent: TableModel, parent_train: pd.DataFrame, child: TableModel,
              child_train: pd.DataFrame, parent_of: np.ndarray, k: int) -> dict[str, Any] | None:
    """The linked pair (see the module docstring), or None when no pair reaches MIN_RHO."""
    joined = parent_of >= 0
    if int(joined.sum()) < 2 * k:
        return None
    rows = parent_of[joined]
    best: tuple[float, dict[str, Any]] | None = None
    for c in (c for c in child.columns if c.kind in _NUMERIC and c.name in child_train):
        y = pd.to_numeric(child_train[c.name], errors="coerce").to_numpy(float)[joined]
        present = ~np.isnan(y)
        if int(present.sum()) < 2 * k:
            continue
        y_ranks = _ranks(y[present])
        for p in (p for p in parent.columns if p.name in parent_train
                  and p.kind in (*_NUMERIC, "categorical", "boolean")):
            values = parent_train[p.name].to_numpy(object)[rows][present]
            if p.kind in _NUMERIC:
                x = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(float)
                if np.isnan(x).any():
                    continue
                found: dict[str, Any] = {"parent_column": p.name, "child_column": c.name}
                rho = _spearman(x, y_ranks)
            else:
                result = _categorical(pd.Series(values), y_ranks, k, p.categories)
                if result is None:
                    continue
                rho, order = result
                found = {"parent_column": p.name, "child_column": c.name, "order": order}
            if abs(rho) >= MIN_RHO and (best is None or abs(rho) > best[0]):
                best = (abs(rho), {**found, "rho": round(rho, 4)})
    return None if best is None else best[1]


def parent_scores(values: pd.Series, link: dict[str, Any]) -> np.ndarray:
    """The parent column as numbers: its values, or its categories' positions in the order."""
    order = link.get("order")
    if order is None:
        return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    position = {c: float(i) for i, c in enumerate(order)}
    mapped = values.astype(object).map(lambda v: position.get(str(v), np.nan) if v is not None
                                       and v is not pd.NA else np.nan)
    return mapped.to_numpy(dtype=float)


def latent_scores(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Normal scores of ``values``' ranks, ties (and missing values) in a seeded random order;
    a missing value gets a random score."""
    values = np.asarray(values, dtype=float)
    n = values.size
    if n == 0:
        return values
    missing = np.isnan(values)
    filled = np.where(missing, rng.random(n) * (np.nanmax(values) if (~missing).any() else 1.0),
                      values)
    order = np.lexsort((rng.random(n), filled))
    ranks = np.empty(n)
    ranks[order] = np.arange(n)
    z = special.ndtri((ranks + 0.5) / n)
    z[missing] = rng.standard_normal(int(missing.sum()))
    return z


def match_slots(slots: np.ndarray, parent_z: np.ndarray, child_values: np.ndarray, rho: float,
                rng: np.random.Generator) -> np.ndarray:
    """The parent of each child row: slot ``s`` belongs to parent ``slots[s]`` (-1: a null key);
    child rows take slots in the order of their linked column, slots in the order of
    ``rho * parent_z + sqrt(1 - rho^2) * noise``."""
    n = slots.size
    noise = rng.standard_normal(n)
    rho = float(np.clip(rho, -0.99, 0.99))
    slot_z = noise
    if parent_z.size:
        slot_z = np.where(slots >= 0, rho * parent_z[np.maximum(slots, 0)]
                          + np.sqrt(1.0 - rho * rho) * noise, noise)
    child_z = latent_scores(child_values, rng)
    parents = np.empty(n, dtype=np.int64)
    parents[np.argsort(child_z, kind="stable")] = slots[np.argsort(slot_z, kind="stable")]
    return parents
