"""Numbers that a categorical largely explains are drawn from their quantiles per category.

A species' hindfoot length, a storm's year by its name: the number's level jumps from category to
category in no order the copula could follow. These tests check what a user would: each
category's numbers keep their own distribution after sampling, the number keeps its association
with a third column inside each category, ``model.json`` names the parent and holds only
microaggregated quantiles (no lone extreme, nothing for a category of fewer than 2k rows), the
model round-trips byte for byte, and a damaged conditional is refused with one clear message.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats

from learnsynth import Synthesizer
from learnsynth.config import ColumnOverride, ProfileOptions
from learnsynth.errors import ArtifactError
from learnsynth.model import Model
from learnsynth.profile.copula import bivariate_normal_cdf, conditional_rank, interval_ranks

# Category levels in no monotone order of their names or frequencies; "bimodal" has two modes.
_LEVEL = {"a": 30.0, "b": 12.0, "c": 44.0, "d": 20.0, "e": 36.0, "f": 25.0}
_SHARE = np.array([0.3, 0.2, 0.15, 0.15, 0.1, 0.1])
_COLUMNS = ("species", "length", "mass", "bimodal", "tiny")


def _table(n: int = 6_000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    species = rng.choice(sorted(_LEVEL), size=n, p=_SHARE)
    level = np.array([_LEVEL[s] for s in species])
    within = rng.standard_normal(n)
    length = np.round(level + 2.0 * within, 1)
    mass = np.round(3.0 * length + 4.0 * (0.8 * within + 0.6 * rng.standard_normal(n)), 1)
    bimodal = np.where(species == "a", rng.choice([4.0, 16.0], size=n), level + 20.0) \
        + rng.normal(0, 1, n)
    tiny = species.astype(object)
    tiny[:7] = "rare-species"  # 7 rows: kept as a category (>= k) but below 2k for quantiles
    frame = pd.DataFrame({"species": species, "length": length, "mass": mass,
                          "bimodal": np.round(bimodal, 2), "tiny": tiny})
    return frame


def _options() -> ProfileOptions:
    return ProfileOptions(columns={c: ColumnOverride(pii=False) for c in _COLUMNS})


def _columns(synth: Synthesizer) -> dict[str, dict[str, object]]:
    doc = json.loads(synth.model_.to_files()["model.json"])
    return {c["name"]: c for c in doc["tables"][0]["columns"]}


@pytest.fixture(scope="module")
def fitted() -> tuple[pd.DataFrame, Synthesizer, pd.DataFrame]:
    real = _table()
    synth = Synthesizer(_options(), seed=1).fit(real)
    return real, synth, synth.sample(30_000, seed=2)


def test_each_category_keeps_its_own_distribution(fitted) -> None:
    real, _, fake = fitted
    for species in sorted(_LEVEL):
        r = real.loc[real["species"] == species, "length"]
        f = fake.loc[fake["species"] == species, "length"].astype(float)
        assert abs(f.median() - r.median()) < 0.5, species
        assert stats.ks_2samp(r, f).statistic < 0.08, species
    # two modes inside one category survive (the copula alone gives one blurred hump)
    a_real = real.loc[real["species"] == "a", "bimodal"]
    a_fake = fake.loc[fake["species"] == "a", "bimodal"].astype(float)
    assert ((a_fake > 7) & (a_fake < 13)).mean() < 0.05
    assert abs((a_fake > 10).mean() - (a_real > 10).mean()) < 0.05


def test_association_with_another_column_survives_inside_categories(fitted) -> None:
    real, _, fake = fitted
    for species in ("a", "b", "c"):
        r = real[real["species"] == species]
        f = fake[fake["species"] == species].astype({"length": float, "mass": float})
        r_corr = np.corrcoef(r["length"], r["mass"])[0, 1]
        f_corr = np.corrcoef(f["length"], f["mass"])[0, 1]
        assert abs(f_corr - r_corr) < 0.1, (species, r_corr, f_corr)


def test_model_json_names_the_parent_and_stores_only_shared_quantiles(fitted) -> None:
    _, synth, _ = fitted
    columns = _columns(synth)
    given = columns["length"]["given"]
    parent = columns[given["column"]]
    assert given["column"] in ("species", "tiny")
    assert len(given["quantiles"]) == len(parent["categories"])
    for knots in given["quantiles"]:
        if knots is None:
            continue
        probabilities, quantiles = knots
        assert probabilities[0] == 0.0 and probabilities[-1] == 1.0
        assert all(b > a for a, b in zip(probabilities, probabilities[1:], strict=False))
        assert all(b >= a for a, b in zip(quantiles, quantiles[1:], strict=False))
        assert all(0.0 <= q <= 1.0 for q in quantiles)
    profile = {d["column"]: d for d in synth.profiles_[0].columns}
    assert profile["length"]["stats"]["given"] == given["column"]
    assert profile["length"]["stats"]["explained"] >= 0.3


def test_a_category_of_fewer_than_2k_rows_gets_no_quantiles() -> None:
    real = _table(3_000, seed=3)
    options = ProfileOptions(columns={c: ColumnOverride(pii=False, exclude=c == "species")
                                      for c in _COLUMNS})
    synth = Synthesizer(options, seed=1).fit(real)
    columns = _columns(synth)
    given = columns["length"]["given"]
    assert given["column"] == "tiny"
    rare = columns["tiny"]["categories"].index("rare-species")
    assert given["quantiles"][rare] is None
    assert sum(q is not None for q in given["quantiles"]) == len(_LEVEL)


def test_a_lone_extreme_in_one_category_never_reaches_the_model_or_the_rows() -> None:
    real = _table(3_000, seed=5)
    lone = real.index[real["species"] == "b"][0]
    real.loc[lone, "length"] = 987.6
    synth = Synthesizer(_options(), seed=1).fit(real)
    text = synth.model_.to_files()["model.json"].decode()
    assert "987.6" not in text
    columns = _columns(synth)
    assert columns["length"]["marginal"]["high"] < 60
    fake = synth.sample(20_000, seed=4)
    assert fake["length"].astype(float).max() <= columns["length"]["marginal"]["high"]


def test_round_trip_and_reproducible_bytes() -> None:
    real = _table(3_000, seed=6)
    a = Synthesizer(_options(), seed=7).fit(real)
    b = Synthesizer(_options(), seed=7).fit(real)
    files = a.model_.to_files()
    assert files == b.model_.to_files()
    loaded = Model.from_files(files)
    assert loaded.to_files() == files
    assert "given" in json.loads(files["model.json"])["tables"][0]["columns"][1]
    from learnsynth.sample.sampler import sample_table

    pd.testing.assert_frame_equal(sample_table(loaded.table(), 2_000, seed=3),
                                  sample_table(a.model_.table(), 2_000, seed=3))


def _tampered(change: str) -> dict[str, bytes]:
    files = Synthesizer(_options(), seed=1).fit(_table(3_000)).model_.to_files()
    doc = json.loads(files["model.json"])
    cols = {c["name"]: c for c in doc["tables"][0]["columns"]}
    given = cols["length"]["given"]
    knots = next(q for q in given["quantiles"] if q is not None)
    if change == "unknown key":
        given["code"] = "os.system"
    elif change == "decreasing quantiles":
        knots[1] = list(reversed(knots[1]))
    elif change == "probabilities not from 0 to 1":
        knots[0][-1] = 0.9
    elif change == "uneven lists":
        knots[1] = knots[1][:-1]
    elif change == "too few keys":
        given["quantiles"] = given["quantiles"][:-1]
    elif change == "numeric parent":
        given["column"] = "mass"
    elif change == "out of range":
        knots[1][-1] = 1.5
    return {**files, "model.json": json.dumps(doc).encode()}


@pytest.mark.parametrize(("change", "message"), [
    ("unknown key", r"unknown key\(s\) \['code'\]"),
    ("decreasing quantiles", "quantiles non-decreasing"),
    ("probabilities not from 0 to 1", "probabilities increasing from 0 to 1"),
    ("uneven lists", "two lists of the same length"),
    ("out of range", r"in \[0, 1\]"),
    ("too few keys", "is conditional on '(species|tiny)'"),
    ("numeric parent", "is conditional on 'mass'"),
])
def test_damaged_numeric_conditionals_are_refused(change: str, message: str) -> None:
    with pytest.raises(ArtifactError, match=message):
        Model.from_files(_tampered(change))


@settings(max_examples=60, deadline=None)
@given(h=st.floats(-9, 9), k=st.floats(-9, 9), rho=st.floats(-0.99, 0.99))
def test_bivariate_normal_cdf_equals_scipy(h: float, k: float, rho: float) -> None:
    ref = stats.multivariate_normal([0.0, 0.0], [[1.0, rho], [rho, 1.0]]).cdf([h, k])
    assert abs(float(bivariate_normal_cdf(np.array(h), np.array(k), rho)) - ref) < 1e-6


@settings(max_examples=15, deadline=None)
@given(rho=st.floats(-0.9, 0.9), cuts=st.lists(st.floats(0.05, 0.95), min_size=1, max_size=4,
                                                 unique=True))
def test_within_interval_rank_is_uniform_inside_every_interval(rho: float,
                                                               cuts: list[float]) -> None:
    """Under the copula, the rank is uniform among the rows whose partner fell in an interval."""
    edges = np.array([0.0, *sorted(cuts), 1.0])
    rng = np.random.default_rng(0)
    z = rng.multivariate_normal([0.0, 0.0], [[1.0, rho], [rho, 1.0]], size=40_000)
    keys = np.searchsorted(edges[1:-1], special.ndtr(z[:, 1]), side="right")
    v = conditional_rank(z[:, 0], keys, interval_ranks(edges, rho))
    for key in np.unique(keys):
        inside = v[keys == key]
        if inside.size >= 500:
            assert stats.kstest(inside, "uniform").pvalue > 1e-4, (key, inside.size)


@settings(max_examples=20, deadline=None)
@given(rho=st.floats(-0.99, 0.99), cuts=st.lists(st.floats(0.001, 0.999), min_size=1,
                                                 max_size=30, unique=True))
def test_tabulated_ranks_equal_the_exact_bivariate_normal(rho: float, cuts: list[float]) -> None:
    """The running-integral table agrees with Owen's T to 2e-3 (1e-4 for moderate rho)."""
    edges = np.array([0.0, *sorted(cuts), 1.0])
    a = special.ndtri(np.clip(edges, 1e-9, 1 - 1e-9))
    a[0], a[-1] = -12.0, 12.0
    from learnsynth.profile.copula import RANK_GRID

    joint = bivariate_normal_cdf(a[:, None], RANK_GRID[None, :], rho)
    mass = np.diff(special.ndtr(a))[:, None]
    keep = mass[:, 0] > 1e-6  # a sliver of an interval: both are ratios of tiny numbers
    exact = np.divide(np.diff(joint, axis=0), mass, out=np.zeros_like(joint[1:]),
                      where=mass > 1e-6)
    table = interval_ranks(edges, rho)
    tolerance = 2e-3 if abs(rho) > 0.9 else 2e-4
    assert np.abs(table - exact)[keep].max() < tolerance
