"""Privacy by construction: planted canaries never reach the artifact, and it is reproducible."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from learnsynth import api
from tests.conftest import people_frame

CANARY_NAME = "Zebulonius"
CANARY_EMAIL = "zebulonius.quixotewright@canary-mail.org"
CANARY_CATEGORY = "platinum-canary-tier"


def _hashes(value: str) -> list[str]:
    data = value.encode()
    return [hashlib.sha256(data).hexdigest(), hashlib.md5(data).hexdigest(),
            hashlib.sha1(data).hexdigest()]


@pytest.fixture
def canary_csv(tmp_path: Path) -> Path:
    frame = people_frame(1200, seed=5)
    frame.loc[17, "first_name"] = CANARY_NAME
    frame.loc[17, "email"] = CANARY_EMAIL
    frame.loc[17, "age"] = "130"
    frame.loc[18, "income"] = "9876543.21"
    frame.loc[19, "segment"] = CANARY_CATEGORY
    path = tmp_path / "people.csv"
    frame.to_csv(path, index=False)
    return path


def _artifact_bytes(store: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file())


def test_canaries_and_their_hashes_never_reach_the_artifact(canary_csv, tmp_path):
    store = tmp_path / "models"
    api.profile([canary_csv], "people", store=str(store), profiles_dir=tmp_path / "profiles")
    blob = _artifact_bytes(store)
    import zipfile

    npz = next(store.rglob("arrays.npz"))
    with zipfile.ZipFile(npz) as zf:
        blob += b"".join(zf.read(n) for n in zf.namelist())
    for canary in (CANARY_NAME, CANARY_EMAIL, CANARY_CATEGORY):
        for form in (canary, canary.lower(), canary.upper(), *_hashes(canary)):
            assert form.encode() not in blob, form
    model = json.loads(next(store.rglob("model.json")).read_text())
    numbers = _numbers(model)
    assert 130.0 not in numbers and 9876543.21 not in numbers
    columns = {c["name"]: c for c in model["tables"][0]["columns"]}
    assert columns["age"]["marginal"]["high"] < 100
    assert columns["income"]["marginal"]["high"] < 9876543.21
    assert columns["customer_id"]["kind"] == "key"


def test_no_real_pii_value_or_id_appears_in_the_artifact(canary_csv, tmp_path):
    store = tmp_path / "models"
    api.profile([canary_csv], "people", store=str(store), profiles_dir=tmp_path / "profiles")
    text = next(store.rglob("model.json")).read_text()
    real = pd.read_csv(canary_csv, dtype=str)
    for column in ("first_name", "last_name", "email", "customer_id"):
        leaked = [v for v in real[column].dropna().unique() if f'"{v}"' in text]
        assert leaked == [], (column, leaked[:3])


def _numbers(obj: object) -> set[float]:
    if isinstance(obj, dict):
        return set().union(*(_numbers(v) for v in obj.values())) if obj else set()
    if isinstance(obj, list):
        return set().union(*(_numbers(v) for v in obj)) if obj else set()
    if isinstance(obj, int | float) and not isinstance(obj, bool):
        return {float(obj)}
    return set()


def test_same_data_options_and_seed_give_identical_artifact_bytes(canary_csv, tmp_path):
    refs = []
    for i in range(2):
        store = tmp_path / f"store{i}"
        refs.append(api.profile([canary_csv], "people", store=str(store), seed=4,
                                profiles_dir=tmp_path / "profiles").ref)
    a, b = tmp_path / "store0/people/v1", tmp_path / "store1/people/v1"
    for name in ("model.json", "arrays.npz"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    assert refs[0].sha256 == refs[1].sha256
    other = api.profile([canary_csv], "people", store=str(tmp_path / "store2"), seed=5,
                        profiles_dir=tmp_path / "profiles").ref
    assert other.sha256 != refs[0].sha256
