"""Fit one column: turn its values into a :class:`ColumnModel` and the copula's uniforms.

Each ``fit_*`` function returns a :class:`ColumnFit`: the column model (what is stored) and, for
modelled kinds, the column's uniforms ``u`` (and null-indicator uniforms) for the copula. Privacy
rules are applied here: rare categories merged, numeric bounds protected, PII/key/text columns
reduced to descriptors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from learnsynth.model import ColumnModel, Conditional, NumericConditional, key_count
from learnsynth.profile.copula import (
    MAX_BLOCK,
    CopulaBlock,
    NormalScores,
    ScoreColumns,
    category_matrix,
    fit_latent_correlation,
    leading_score,
    normal_bounds,
    order_categories,
    ranked_uniforms,
    to_normal,
)
from learnsynth.profile.kinds import ColumnKind, TextCodes, to_datetime_seconds
from learnsynth.profile.marginals import fit_marginal

__all__ = ["ColumnFit", "category_uniforms", "encode_categoricals", "fit_column", "fit_copula"]

PARTNER_ROWS = 20_000  # rows used to choose each categorical's partner
PARTNER_PASSES = 2  # passes over the categoricals, so category-category chains settle
MIN_ETA = 0.01  # below this no partner says anything: fall back to the table's leading score
MAX_PARTNER_WORK = 200_000  # categoricals x candidate dimensions beyond which partners are skipped
MIN_DEPENDENCE = 0.7  # share of a categorical's entropy a parent must explain to be stored
MAX_CONDITIONAL_CELLS = 20_000  # parent keys x categories of the largest conditional table
MIN_EXPLAINED = 0.3  # share of a number's variance a categorical must explain to be its parent
MAX_SKETCH_INTERVALS = 64  # middle windows of a number's quantiles within one category
TAIL_WINDOWS = 3  # windows of exactly k values at each end of a category's quantiles
MAX_TOTAL_KNOTS = 8_192  # knots of one number over all categories, at most about this many

_NULL = "\x00null"  # stands for a missing value while counting categories


@dataclass
class ColumnFit:
    """A fitted column plus what the copula needs from it (None for unmodelled kinds)."""

    model: ColumnModel
    u: np.ndarray | None = None          # value uniforms, NaN where null (numeric kinds)
    u_null: np.ndarray | None = None     # null-indicator uniforms (numeric kinds with nulls)
    codes: np.ndarray | None = None      # category codes (categorical kinds), -1 never occurs
    stats: dict[str, Any] | None = None  # summary for the profile document
    bounds: tuple[np.ndarray, np.ndarray] | None = None  # [lo, hi] of each value's uniform
    null_bounds: tuple[np.ndarray, np.ndarray] | None = None  # the same for the null indicator
    keys: np.ndarray | None = None       # point-mass index per row, then "other", then null
    k: int = 5                           # the privacy threshold the column was fitted with
    normal: NormalScores | None = None       # normal scores of u (and bounds), once computed
    null_normal: NormalScores | None = None  # the same for the null indicator


def _null_uniforms(isnull: np.ndarray, rate: float, rng: np.random.Generator) -> np.ndarray:
    """Interval encoding of the null indicator: present in [0, 1-rate), null in [1-rate, 1)."""
    draw = rng.random(isnull.shape[0])
    return np.where(isnull, 1 - rate + draw * rate, draw * (1 - rate))


def _null_bounds(isnull: np.ndarray, rate: float) -> tuple[np.ndarray, np.ndarray]:
    return np.where(isnull, 1.0 - rate, 0.0), np.where(isnull, 1.0, 1.0 - rate)


def _numeric_values(values: pd.Series, kind: ColumnKind) -> np.ndarray:
    if kind.kind == "datetime":
        return to_datetime_seconds(values, kind.details)
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)


def _fit_numeric(values: pd.Series, kind: ColumnKind, options: Any,
                 rng: np.random.Generator, override: Any) -> ColumnFit:
    x = _numeric_values(values, kind)
    isnull = np.isnan(x)
    present = x[~isnull]
    null_rate = float(isnull.mean())
    integer = kind.kind == "integer" or kind.kind == "datetime"
    marginal = fit_marginal(present, integer=integer, k=options.k, tail=options.tail,
                            rng=rng, **({"family": override.distribution}
                                        if override and override.distribution else {}))
    u = np.full(x.shape[0], np.nan)
    lo, hi = np.full(x.shape[0], np.nan), np.full(x.shape[0], np.nan)
    u[~isnull], lo[~isnull], hi[~isnull] = marginal.uniforms_and_bounds(present, rng)
    with_nulls = 0 < null_rate < 1
    u_null = _null_uniforms(isnull, null_rate, rng) if with_nulls else None
    null_bounds = _null_bounds(isnull, null_rate) if with_nulls else None
    q = marginal.ppf(np.array([0.05, 0.25, 0.5, 0.75, 0.95]))
    stats = {"count": int(present.size), "mean": float(present.mean()),
             "std": float(present.std()), "quantiles_5_25_50_75_95": [float(v) for v in q],
             "protected_low": marginal.low, "protected_high": marginal.high}
    model = ColumnModel(kind.column, kind.kind, null_rate, dict(kind.details), marginal)
    keys = None
    if marginal.atoms:
        n_atoms = len(marginal.atoms)
        atom = marginal.atom_of_value(np.where(isnull, 0.0, x))
        keys = np.where(isnull, n_atoms + 1, np.where(atom >= 0, atom, n_atoms))
    return ColumnFit(model, u, u_null, stats=stats, bounds=(lo, hi), null_bounds=null_bounds,
                     keys=keys, k=options.k)


def _fit_categorical(values: pd.Series, kind: ColumnKind, options: Any,
                     rng: np.random.Generator, null_rate: float,
                     codes: TextCodes | None = None) -> ColumnFit:
    """Categories shared by fewer than k' rows become the rare token; null is its own category.

    k' is k plus a small random amount per column (as MOSTLY AI does), so the threshold itself does
    not tell how many rows a missing category had.
    """
    k_col = options.k + int(rng.integers(0, 3))
    ids, labels = _label_ids(values, kind.kind == "boolean" and bool(kind.details.get("native")),
                             codes)
    counts: dict[str, int] = {}
    for label, m in zip(labels, np.bincount(ids[ids >= 0], minlength=len(labels)), strict=True):
        counts[label] = int(m)
    n_null = int(np.count_nonzero(ids < 0))
    if n_null:
        counts[_NULL] = counts.get(_NULL, 0) + n_null
    kept = sorted(c for c, m in counts.items() if m >= k_col or c == _NULL)
    rare = int(ids.size - sum(counts[c] for c in kept))
    cats: list[Any] = [None if c == _NULL else c for c in kept]
    if rare:
        cats.append(options.rare_token)
    index = {c: i for i, c in enumerate(kept)}
    # Position -1 (a null row) reads the last entry: the null category's code.
    lookup = np.array([index.get(c, len(kept)) for c in [*labels, _NULL]], dtype=np.int64)
    codes_arr = lookup[ids]
    weights = np.bincount(codes_arr, minlength=len(cats)) / ids.size
    model = ColumnModel(kind.column, kind.kind, null_rate, dict(kind.details),
                        None, tuple(cats), tuple(float(w) for w in weights))
    stats = {"categories_kept": len([c for c in kept if c != _NULL]),
             "categories_merged": int(len(counts) - len(kept)), "rare_share": rare / ids.size}
    return ColumnFit(model, codes=codes_arr, stats=stats, k=options.k)


def _label_ids(values: pd.Series, native_bool: bool,
               codes: TextCodes | None = None) -> tuple[np.ndarray, list[str]]:
    """Each row's label id (-1 for null) and the sorted labels: ``str(value)``, or 'true'/'false'.

    Factorizes first, so ``str`` runs once per distinct value rather than once per row.
    """
    ids, uniques = (codes.ids, codes.uniques) if codes is not None \
        else pd.factorize(values, use_na_sentinel=True)
    names = [("true" if bool(u) else "false") if native_bool else str(u) for u in uniques]
    labels = sorted(set(names))
    position = {label: i for i, label in enumerate(labels)}
    remap = np.array([position[name] for name in names] + [-1], dtype=np.int64)
    return remap[ids], labels


def category_uniforms(codes: np.ndarray, weights: np.ndarray, order: np.ndarray,
                      rng: np.random.Generator) -> np.ndarray:
    """Uniforms for category codes: each category owns an interval, laid out in ``order``."""
    w = weights[order]
    upper = np.cumsum(w)
    lower = upper - w
    pos = np.empty_like(order)
    pos[order] = np.arange(order.size)
    slot = pos[codes]
    return lower[slot] + rng.random(codes.shape[0]) * w[slot]


def encode_categoricals(fits: list[ColumnFit], n: int, rng: np.random.Generator) -> None:
    """Give every categorical its copula uniforms, laid out so its strongest association survives.

    The copula sees a categorical as intervals of one uniform, so it can only carry associations
    that are monotone in the interval order. Each categorical therefore gets a *partner*: the
    column (a number's normal score, a null indicator, or another categorical's encoding) that
    its categories explain best (largest correlation ratio, ``copula.correlation_ratios``). Its
    categories are ordered by the partner's mean and each row is placed inside its category by
    the partner's rank (:func:`ranked_uniforms`), so an age group ordered and placed by age
    carries the age association at full strength, and a species ordered by its genus nests
    inside the genus intervals. Two passes let category-category chains settle. Without any
    informative partner (or on very wide tables) the table's leading principal score is used.

    Sets ``codes`` (renumbered in interval order), ``model`` (categories and weights in that
    order) and ``u`` on each categorical fit. Uses ``rng`` only; nothing random is data-seeded.
    """
    cats = [f for f in fits if f.codes is not None]
    if not cats:
        return
    numeric = [f.u for f in fits if f.u is not None and f.codes is None] + [
        f.u_null for f in fits if f.u_null is not None]
    z_num = to_normal(np.column_stack(numeric)) if numeric else np.zeros((n, 0))
    _keep_normal_scores(fits, z_num)
    lead = leading_score(z_num) if z_num.shape[1] else rng.standard_normal(n)
    codes = [_codes(f) for f in cats]
    sizes = [len(f.model.categories) for f in cats]
    orders = [order_categories(c, k, lead) for c, k in zip(codes, sizes, strict=True)]
    u_cat = [ranked_uniforms(c, o, lead, rng) for c, o in zip(codes, orders, strict=True)]
    z_cat = [to_normal(u) for u in u_cat]
    if len(cats) * (z_num.shape[1] + len(cats)) <= MAX_PARTNER_WORK:
        sub = np.sort(rng.choice(n, PARTNER_ROWS, replace=False)) if n > PARTNER_ROWS \
            else slice(None)
        partners = _Partners(z_num, z_cat, [c[sub] for c in codes], sizes, sub)
        for _ in range(PARTNER_PASSES):
            for i in range(len(cats)):
                source, partner = partners.best(i, lead)
                if source == partners.source[i]:
                    continue  # the same score as last time: the encoding would not change
                orders[i] = order_categories(codes[i], sizes[i], partner)
                u_cat[i] = ranked_uniforms(codes[i], orders[i], partner, rng)
                z_cat[i] = to_normal(u_cat[i])
                partners.update(i, z_cat[i], source)
    for f, order, u, z in zip(cats, orders, u_cat, z_cat, strict=True):
        pos = np.empty_like(order)
        pos[order] = np.arange(order.size)
        f.codes = pos[_codes(f)]
        m = f.model
        f.model = replace(m, categories=tuple(m.categories[i] for i in order),
                          weights=tuple(m.weights[i] for i in order))
        f.u = u
        upper = np.cumsum(f.model.weights)
        width = np.asarray(f.model.weights)
        lower, upper = np.clip(upper - width, 0.0, 1.0), np.clip(upper, 0.0, 1.0)
        f.bounds = (lower[f.codes], upper[f.codes])
        z_lower, z_upper = normal_bounds(lower, upper)  # per category, then per row
        f.normal = NormalScores(z, z_lower[f.codes], z_upper[f.codes])
    fit_conditionals(fits)
    fit_numeric_conditionals(fits)


def _keep_normal_scores(fits: list[ColumnFit], z_num: np.ndarray) -> None:
    """Keep each number's and null indicator's normal scores (the columns of ``z_num``, in the
    order :func:`encode_categoricals` stacks them) for the copula fit, which would compute them
    again. A null indicator's bounds take three values (0, 1 - rate, 1), so their normal scores
    are kept too; a number's own bounds are left to the copula fit, on its subsample."""
    numbers = [f for f in fits if f.u is not None and f.codes is None]
    nulls = [f for f in fits if f.u_null is not None]
    for j, f in enumerate(numbers):
        f.normal = NormalScores(z_num[:, j])
    for j, f in enumerate(nulls, start=len(numbers)):
        if f.null_bounds is None:
            f.null_normal = NormalScores(z_num[:, j])
            continue
        lo, hi = f.null_bounds
        isnull = lo > 0.0  # null rows own [1 - rate, 1], present rows [0, 1 - rate)
        edge = hi[~isnull][:1] if (~isnull).any() else lo[isnull][:1]
        z_edge = normal_bounds(edge, edge)[0]  # ndtri(0) = -inf and ndtri(1) = inf exactly
        f.null_normal = NormalScores(z_num[:, j], np.where(isnull, z_edge, -np.inf),
                                     np.where(isnull, np.inf, z_edge))


def fit_conditionals(fits: list[ColumnFit]) -> None:
    """Tie each categorical that another column nearly determines to a conditional table.

    One copula dimension per categorical cannot nest a hierarchy (species inside genus) or a
    step (dead only at the top injury severity): the copula blurs across interval boundaries.
    When a parent column (a categorical, or a number's point masses) explains at least
    :data:`MIN_DEPENDENCE` of a categorical's entropy (uncertainty coefficient, measured with
    the table that would be stored), the categorical is drawn from P(category | parent key)
    instead, at the conditional quantile of its own copula uniform (so its other associations
    still follow the copula). Privacy: cells shared by fewer than k rows are dropped before
    normalising, and a parent key without any such cell falls back to the column's weights.
    Greedy by strength; a conditional column is never a parent (no chains, no cycles).
    """
    cats = [f for f in fits if f.codes is not None]
    parents = [f for f in fits if f.codes is not None or f.keys is not None]
    if not cats or len(parents) < 2:
        return
    found: list[tuple[float, int, int, np.ndarray]] = []
    explains = {pi: _entropy(np.bincount(_keys(f))) for pi, f in enumerate(fits)
                if f.codes is not None or f.keys is not None}
    for ci, child in enumerate(fits):
        if child.codes is None or len(child.model.categories) < 2:
            continue
        own = _entropy(np.asarray(child.model.weights, dtype=float))
        slack = math.log1p(len(child.model.categories) / child.codes.size)
        for pi, parent in enumerate(fits):
            if parent is child or pi not in explains:
                continue
            # The score is at most (H(parent) + slack) / H(child) (see _conditional_table): a
            # parent with too little entropy cannot reach MIN_DEPENDENCE, so its table is not built.
            if own <= 0 or (explains[pi] + slack) / own < MIN_DEPENDENCE - 1e-9:
                continue
            table, score = _conditional_table(child, parent)
            if table is not None and score >= MIN_DEPENDENCE:
                found.append((score, ci, pi, table))
    found.sort(key=lambda t: (-t[0], t[1], t[2]))
    children: set[int] = set()
    used_as_parent: set[int] = set()
    for score, ci, pi, table in found:
        if ci in children or ci in used_as_parent or pi in children:
            continue
        child, parent = fits[ci], fits[pi]
        given = Conditional(parent.model.name, tuple(tuple(round(float(p), 6) for p in row)
                                                     for row in _renormalised(table)))
        child.model = replace(child.model, given=given)
        if child.stats is not None:
            child.stats.update({"given": parent.model.name, "dependence": round(score, 3)})
        children.add(ci)
        used_as_parent.add(pi)


def fit_numeric_conditionals(fits: list[ColumnFit]) -> None:
    """Tie each number that a categorical largely explains to its quantiles per category.

    The copula carries a category-number association only as far as it is monotone in the
    category order, so a number whose level jumps from category to category (a species'
    hindfoot length, a storm's year by its name) comes out blurred. When a categorical explains
    at least :data:`MIN_EXPLAINED` of a number's variance in normal-score space (adjusted
    correlation ratio, so many small categories do not win by chance), the number's marginal
    uniform is stored per category (:class:`~learnsynth.model.NumericConditional`) and sampled
    at the row's within-category rank. Privacy: only categories with at least 2k values get
    quantiles, each the mean of at least k values' uniforms (never a single value, and the
    marginal still clips to the protected bounds). A number that is itself a conditional parent,
    and a categorical that is itself conditional, take no part.
    """
    parents = [f for f in fits if f.codes is not None and f.model.given is None
               and len(f.model.categories) >= 2]
    busy = {f.model.given.column for f in fits if f.model.given is not None}
    numbers = [f for f in fits if f.codes is None and f.u is not None
               and f.model.marginal is not None and f.model.name not in busy
               and f.model.details.get("role") != "children"]
    if not parents or not numbers:
        return
    n = numbers[0].u.shape[0] if numbers[0].u is not None else 0
    sub = np.arange(0, n, max(1, n // PARTNER_ROWS))
    z = np.column_stack([f.normal.z[sub] if f.normal is not None else to_normal(f.u[sub])
                         for f in numbers if f.u is not None])
    present = np.maximum((~np.isnan(z)).sum(axis=0), 1)
    best = np.full(len(numbers), MIN_EXPLAINED)
    chosen: list[ColumnFit | None] = [None] * len(numbers)
    scores = ScoreColumns(z)  # prepared once, asked by every parent
    for parent in parents:
        size = len(parent.model.categories)
        eta = scores.ratios(category_matrix(_codes(parent)[sub], size))
        adjusted = 1.0 - (1.0 - eta) * (present - 1) / np.maximum(present - size, 1)
        for j in np.flatnonzero(adjusted >= best):
            best[j], chosen[j] = adjusted[j], parent
    for number, best_parent, score in zip(numbers, chosen, best, strict=True):
        if best_parent is None or number.u is None:
            continue
        quantiles = _within_quantiles(number.u, _codes(best_parent),
                                      len(best_parent.model.categories), number.k)
        if all(q is None for q in quantiles):
            continue
        number.model = replace(number.model,
                               given=NumericConditional(best_parent.model.name, quantiles))
        if number.stats is not None:
            number.stats.update({"given": best_parent.model.name,
                                 "explained": round(float(score), 3)})


def _within_quantiles(u: np.ndarray, codes: np.ndarray, n_keys: int,
                      k: int) -> tuple[tuple[tuple[float, ...], tuple[float, ...]] | None, ...]:
    """Microaggregated quantile knots ``(probabilities, uniforms)`` of ``u`` within each category
    of >= 2k present values (else None).

    The sorted values of a category are cut into consecutive windows of at least k values
    (:func:`_windows`); each knot is a window's mean at the probability of its middle, so no
    stored number is a single value. The outermost windows hold exactly k values, so each
    category keeps its tails (a lone grade-12 pupil aged 12 among thousands aged 17 and 18 is
    averaged with four others, never dropped or stored). Knots at 0 and 1 extend the outer
    segments linearly, clipped to [0, 1]. All categories at once: one sort, one cumulative sum.
    """
    present = ~np.isnan(u)
    c, uu = codes[present], u[present]
    ordered = uu[np.lexsort((uu, c))]
    counts = np.bincount(c, minlength=n_keys)
    starts = np.cumsum(counts) - counts
    least = max(k, math.ceil(uu.size / MAX_TOTAL_KNOTS))
    keys = [key for key in range(n_keys) if counts[key] >= 2 * k]
    if not keys:
        return (None,) * n_keys
    local = [_windows(int(counts[key]), k, least) for key in keys]
    bounds = np.concatenate([np.asarray(e) + starts[key] for e, key in zip(local, keys,
                                                                             strict=True)])
    last = np.cumsum([len(e) for e in local]) - 1  # each key's final edge in ``bounds``
    cumulative = np.concatenate(([0.0], np.cumsum(ordered)))
    inner = np.ones(bounds.size, dtype=bool)
    inner[last] = False  # a window runs from a bound to the next one of the same key
    begin, stop = bounds[:-1][inner[:-1]], bounds[1:][inner[:-1]]
    mean = (cumulative[stop] - cumulative[begin]) / (stop - begin)
    m_row = np.repeat(counts[keys], [len(e) - 1 for e in local])
    start_row = np.repeat(starts[keys], [len(e) - 1 for e in local])
    prob = (begin - start_row + (stop - begin) / 2.0) / m_row
    out: list[tuple[tuple[float, ...], tuple[float, ...]] | None] = [None] * n_keys
    offset = 0
    for key, edges in zip(keys, local, strict=True):
        w = len(edges) - 1
        p, q = prob[offset:offset + w], mean[offset:offset + w]
        offset += w
        q0 = q[0] - (q[1] - q[0]) * p[0] / (p[1] - p[0])
        q1 = q[-1] + (q[-1] - q[-2]) * (1.0 - p[-1]) / (p[-1] - p[-2])
        values = np.clip(np.round(np.concatenate(([q0], q, [q1])), 6), 0.0, 1.0)
        out[key] = (tuple([0.0, *np.round(p, 8).tolist(), 1.0]), tuple(values.tolist()))
    return tuple(out)


@lru_cache(maxsize=4096)
def _windows(m: int, k: int, least: int) -> tuple[int, ...]:
    """Edges of consecutive windows over ``m`` sorted values: :data:`TAIL_WINDOWS` windows of k
    at each end, the middle in at most :data:`MAX_SKETCH_INTERVALS` windows of >= ``least``.
    Every window holds at least k values (so m >= 2k gives at least two windows)."""
    tail = TAIL_WINDOWS * k
    if m < 2 * tail + least:
        return (*range(0, (m // k) * k, k), m)  # windows of k, the last one wider
    inner = max(1, min(MAX_SKETCH_INTERVALS, (m - 2 * tail) // least))
    middle = np.rint(np.linspace(tail, m - tail, inner + 1)).astype(int).tolist()
    return (*range(0, tail, k), *middle, *range(m - tail + k, m + 1, k))


def _renormalised(table: np.ndarray) -> np.ndarray:
    """Rows that sum to exactly 1 after rounding to 6 decimals (the rounding error goes to the
    largest cell), so the stored JSON passes the loader's check."""
    out = np.round(table, 6)
    for row in out:
        row[int(np.argmax(row))] += 1.0 - float(row.sum())
    return np.clip(out, 0.0, 1.0)


def _keys(fit: ColumnFit) -> np.ndarray:
    keys = fit.codes if fit.codes is not None else fit.keys
    if keys is None:
        raise ValueError(f"column {fit.model.name!r} has no keys")
    return keys


def _entropy(weights: np.ndarray) -> float:
    """Entropy (nats) of counts or shares (normalised here)."""
    p = weights[weights > 0] / weights.sum() if weights.sum() > 0 else weights[:0]
    return float(-np.sum(p * np.log(p)))


def _conditional_table(child: ColumnFit, parent: ColumnFit) -> tuple[np.ndarray | None, float]:
    """P(child category | parent key) from cells of >= k rows, and the share of the child's
    entropy it explains on the real rows (0 when not worth storing).

    The share is 1 - cross / H(child), cross the child's cross-entropy under the floored table.
    Each floored table row sums to at most 1 + categories / n, so by Gibbs' inequality cross is at
    least H(child | parent) - log(1 + categories / n), and the share at most
    (I(child; parent) + log(1 + categories / n)) / H(child) <= (H(parent) + that) / H(child):
    :func:`fit_conditionals` skips parents that cannot reach the threshold by this bound."""
    codes = _codes(child)
    n_cats = len(child.model.categories)
    keys = parent.codes if parent.codes is not None else parent.keys
    n_keys = key_count(parent.model)
    if keys is None or n_keys * n_cats > MAX_CONDITIONAL_CELLS or n_keys < 2:
        return None, 0.0
    counts = np.bincount(keys * n_cats + codes, minlength=n_keys * n_cats).reshape(n_keys, n_cats)
    kept = np.where(counts >= child.k, counts, 0).astype(float)
    weights = np.asarray(child.model.weights, dtype=float)
    sums = kept.sum(axis=1, keepdims=True)
    table = np.where(sums > 0, kept / np.maximum(sums, 1.0), weights[None, :])
    n = codes.size
    entropy = -float(np.sum(weights[weights > 0] * np.log(weights[weights > 0])))
    if entropy <= 0:
        return None, 0.0
    cross = -float(np.sum(counts * np.log(np.maximum(table, 1.0 / n)))) / n
    return table, 1.0 - cross / entropy


def fit_copula(fits: list[ColumnFit], rng: np.random.Generator) -> tuple[CopulaBlock, ...]:
    """The copula blocks: every value and null-indicator dimension, latent correlation each.

    Blocks hold at most :data:`MAX_BLOCK` consecutive dimensions (dependence across blocks is not
    modelled). See :func:`fit_latent_correlation` for how tied, categorical and missing values
    are handled.
    """
    dims: list[tuple[str, str]] = []
    cols: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    known: list[NormalScores | None] = []
    for f in fits:
        if f.u is not None and f.bounds is not None:
            dims.append((f.model.name, "value"))
            cols.append((f.bounds[0], f.bounds[1], f.u))
            known.append(f.normal)
        if f.u_null is not None and f.null_bounds is not None:
            dims.append((f.model.name, "null"))
            cols.append((f.null_bounds[0], f.null_bounds[1], f.u_null))
            known.append(f.null_normal)
    blocks = []
    for start in range(0, len(dims), MAX_BLOCK):
        part = cols[start:start + MAX_BLOCK]
        lo, hi, u = (np.column_stack([c[i] for c in part]) for i in range(3))
        corr = fit_latent_correlation(lo, hi, u, rng, known=known[start:start + MAX_BLOCK])
        blocks.append(CopulaBlock(tuple(dims[start:start + MAX_BLOCK]), corr))
    return tuple(blocks)


_Source = tuple[str, int, int]  # ("lead" | "number" | "category", column, its version)


class _Partners:
    """Finds the score each categorical explains best (its own encoding excluded), on ``sub``.

    The numbers' scores never change and a categorical's codes never do, so how much categorical
    ``i`` explains of each number is computed once and kept for the later passes; only the
    categoricals' encodings are asked again (:class:`~learnsynth.profile.copula.ScoreColumns`,
    one column replaced when it changes). ``source[i]`` says which score categorical ``i`` was
    last encoded by (a category's score by its version), so a pass that picks the same one again
    leaves that encoding as it is instead of redrawing it from the same inputs.
    """

    def __init__(self, z_num: np.ndarray, z_cat: list[np.ndarray], codes: list[np.ndarray],
                 sizes: list[int], sub: np.ndarray | slice) -> None:
        self.z_num, self.z_cat, self.sub = z_num, z_cat, sub
        self.onehots = [category_matrix(c, k) for c, k in zip(codes, sizes, strict=True)]
        self.numbers = ScoreColumns(z_num[sub]) if z_num.shape[1] else None
        self.encodings = ScoreColumns(np.column_stack([z[sub] for z in z_cat]))
        self.explained: dict[int, np.ndarray] = {}
        self.versions = [0] * len(z_cat)
        self.source: list[_Source] = [("lead", -1, 0)] * len(z_cat)  # first encoded by lead

    def update(self, i: int, z: np.ndarray, source: _Source) -> None:
        """Categorical ``i`` is now encoded as ``z``, by the score ``source``."""
        self.z_cat[i] = z
        self.encodings.replace(i, z[self.sub])
        self.versions[i] += 1
        self.source[i] = source

    def best(self, i: int, lead: np.ndarray) -> tuple[_Source, np.ndarray]:
        """Which score categorical ``i`` explains best, and that score (``lead`` when none
        explains enough)."""
        onehot = self.onehots[i]
        if i not in self.explained:
            self.explained[i] = self.numbers.ratios(onehot) if self.numbers is not None \
                else np.zeros(0)
        eta = np.concatenate((self.explained[i],
                              np.delete(self.encodings.ratios(onehot), i)))
        best = int(np.argmax(eta)) if eta.size else -1
        if best < 0 or eta[best] < MIN_ETA:
            return ("lead", -1, 0), lead
        n_num = self.z_num.shape[1]
        if best < n_num:
            return ("number", best, 0), self.z_num[:, best]
        j = best - n_num + (best - n_num >= i)
        return ("category", j, self.versions[j]), self.z_cat[j]


def _codes(fit: ColumnFit) -> np.ndarray:
    if fit.codes is None:
        raise ValueError(f"column {fit.model.name!r} has no category codes")
    return fit.codes


def _text_stats(values: pd.Series, k: int) -> dict[str, Any]:
    lengths = np.sort(values.dropna().astype(str).str.len().to_numpy())
    if lengths.size < 2 * k:
        return {"length_mean": float(lengths.mean()) if lengths.size else 0.0}
    groups = np.array_split(lengths, min(5, lengths.size // k))
    return {"length_profile": [float(g.mean()) for g in groups]}


def fit_column(values: pd.Series, kind: ColumnKind, options: Any, rng: np.random.Generator,
               override: Any = None, *, isnull: np.ndarray | None = None,
               codes: TextCodes | None = None) -> ColumnFit:
    """Fit one column according to its kind (``isnull``: its null mask, ``codes``: its
    :func:`~learnsynth.profile.kinds.text_codes`, if the caller has them)."""
    if isnull is None:
        isnull = values.isna().to_numpy(dtype=bool)
    null_rate = float(isnull.mean()) if isnull.size else float("nan")
    if kind.kind in ("integer", "continuous", "datetime"):
        return _fit_numeric(values, kind, options, rng, override)
    if kind.kind in ("categorical", "boolean"):
        return _fit_categorical(values, kind, options, rng, null_rate, codes)
    details = dict(kind.details)
    if kind.kind == "text":
        details.update(_text_stats(values, options.k))
    if kind.kind == "pii":
        present = values.dropna()
        # Only the fact that values never repeat is kept, so replacements can be unique too.
        details["unique"] = bool(present.size > 1 and present.is_unique)
    model = ColumnModel(kind.column, kind.kind, null_rate, details)
    return ColumnFit(model, stats={"count": int(values.notna().sum())})
