"""Categoricals that another column nearly determines are drawn from a conditional table.

A species' genus, an injury severity's outcome: one copula dimension per categorical blurs such
hierarchies across interval boundaries. These tests check what a user would: the synthetic rows
keep the hierarchy, the model says so in ``model.json``, rare combinations never leave, the
artifact stays byte-reproducible, and a damaged conditional table is refused.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from learnsynth import Synthesizer
from learnsynth.config import ColumnOverride, ProfileOptions
from learnsynth.errors import ArtifactError
from learnsynth.model import Model

_GENUS = {f"sp{i:02d}": f"genus{i % 7}" for i in range(30)}


def _hierarchy(n: int = 6_000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    species = rng.choice(sorted(_GENUS), size=n, p=np.linspace(1, 3, 30) / np.linspace(1, 3, 30)
                         .sum())
    genus = np.array([_GENUS[s] for s in species], dtype=object)
    weight = rng.lognormal(3 + 0.05 * np.array([int(s[2:]) for s in species]), 0.3)
    severity = rng.choice([0, 1, 2, 3, 4], size=n, p=[0.3, 0.3, 0.2, 0.15, 0.05])
    dead = np.where(severity == 4, "dead", "alive").astype(object)
    frame = pd.DataFrame({"species": species, "genus": genus, "weight": weight,
                          "severity": severity, "dead": dead})
    return frame


def _options() -> ProfileOptions:
    return ProfileOptions(columns={c: ColumnOverride(pii=False) for c in
                                   ("species", "genus", "weight", "severity", "dead")})


def _table_json(synth: Synthesizer) -> dict[str, dict[str, object]]:
    doc = json.loads(synth.model_.to_files()["model.json"])
    return {c["name"]: c for c in doc["tables"][0]["columns"]}


def test_hierarchy_and_step_survive_sampling() -> None:
    real = _hierarchy()
    synth = Synthesizer(_options(), seed=1).fit(real)
    fake = synth.sample(20_000, seed=2)

    pairs = set(zip(fake["species"], fake["genus"], strict=True))
    assert all(_GENUS[s] == g for s, g in pairs)
    assert set(fake.loc[fake["dead"] == "dead", "severity"]) == {4}
    assert set(fake.loc[fake["severity"] == 4, "dead"]) == {"dead"}
    assert abs((fake["dead"] == "dead").mean() - (real["dead"] == "dead").mean()) < 0.01
    # genus keeps its own share of rows, not only the pairing
    shares = fake["genus"].value_counts(normalize=True)
    real_shares = real["genus"].value_counts(normalize=True)
    assert (shares - real_shares).abs().max() < 0.02


def test_model_json_names_the_parent_and_holds_probabilities() -> None:
    synth = Synthesizer(_options(), seed=1).fit(_hierarchy())
    columns = _table_json(synth)
    given = {name: c["given"]["column"] for name, c in columns.items() if "given" in c}
    assert given.get("genus") == "species" or given.get("species") == "genus"
    assert given["dead"] == "severity"
    for c in columns.values():
        if "given" in c and c["kind"] in ("categorical", "boolean"):  # numbers: quantiles
            for row in c["given"]["probabilities"]:
                assert len(row) == len(c["categories"])
                assert abs(sum(row) - 1.0) < 1e-9
    profile = {d["column"]: d for d in synth.profiles_[0].columns}
    assert profile["dead"]["stats"]["given"] == "severity"


def test_combinations_shared_by_fewer_than_k_rows_never_appear() -> None:
    real = _hierarchy()
    rare = real.index[real["species"] == "sp29"][:3]
    real.loc[rare, "genus"] = "genus0"  # 3 rows: fewer than k = 5
    synth = Synthesizer(_options(), seed=1).fit(real)
    fake = synth.sample(30_000, seed=3)
    assert not ((fake["species"] == "sp29") & (fake["genus"] == "genus0")).any()
    columns = _table_json(synth)
    child, parent = ("genus", "species") if "given" in columns["genus"] else ("species", "genus")
    value = {"genus": "genus0", "species": "sp29"}
    row = columns[parent]["categories"].index(value[parent])
    cell = columns[child]["categories"].index(value[child])
    assert columns[child]["given"]["probabilities"][row][cell] == 0.0


def test_conditional_models_are_byte_reproducible() -> None:
    real = _hierarchy(3_000, seed=4)
    a = Synthesizer(_options(), seed=7).fit(real).model_.to_files()
    b = Synthesizer(_options(), seed=7).fit(real).model_.to_files()
    assert a == b


def _tampered(change: str) -> dict[str, bytes]:
    files = Synthesizer(_options(), seed=1).fit(_hierarchy(3_000)).model_.to_files()
    doc = json.loads(files["model.json"])
    col = next(c for c in doc["tables"][0]["columns"] if c["name"] == "dead")
    if change == "unknown key":
        col["given"]["code"] = "os.system"
    elif change == "short row":
        col["given"]["probabilities"][0] = col["given"]["probabilities"][0][:-1]
    elif change == "bad sum":
        col["given"]["probabilities"][0] = [0.9] * len(col["categories"])
    elif change == "missing parent":
        col["given"]["column"] = "nowhere"
    elif change == "numeric child":
        num = next(c for c in doc["tables"][0]["columns"] if c["name"] == "weight")
        num["given"] = col["given"]
    return {**files, "model.json": json.dumps(doc).encode()}


@pytest.mark.parametrize(("change", "message"), [
    ("unknown key", r"unknown key\(s\) \['code'\]"),
    ("short row", "probabilities in \\[0, 1\\] summing to 1"),
    ("bad sum", "summing to 1"),
    ("missing parent", "is conditional on 'nowhere'"),
    ("numeric child", "has a conditional table"),
])
def test_damaged_conditionals_are_refused(change: str, message: str) -> None:
    with pytest.raises(ArtifactError, match=message):
        Model.from_files(_tampered(change))
