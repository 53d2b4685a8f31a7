"""Large inputs: the width limit, the documented subsample, and batches read from Parquet."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from learnsynth import api
from learnsynth.config import ColumnOverride, ProfileOptions
from learnsynth.errors import InvalidInputError
from learnsynth.profile import profiler
from learnsynth.profile.profiler import fit_table


def _wide(n_cols: int, n_rows: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({f"c{i}": [f"{v:.2f}" for v in rng.normal(i, 1, n_rows)]
                         for i in range(n_cols)}).astype(object)


def test_a_table_wider_than_the_limit_is_refused_naming_the_way_out(monkeypatch):
    monkeypatch.setattr(profiler, "MAX_COLUMNS", 5)
    with pytest.raises(InvalidInputError) as info:
        fit_table("wide", _wide(8), ProfileOptions(), np.random.default_rng(0))
    message = str(info.value)
    assert "'wide'" in message and "8 columns" in message and "at most 5" in message
    assert "exclude: true" in message and "\n" not in message


def test_excluded_columns_do_not_count_towards_the_limit(monkeypatch):
    monkeypatch.setattr(profiler, "MAX_COLUMNS", 5)
    options = ProfileOptions(columns={f"c{i}": ColumnOverride(exclude=True) for i in (0, 3, 7)})
    model, profile = fit_table("wide", _wide(8), options, np.random.default_rng(0))
    assert [c.name for c in model.columns] == ["c1", "c2", "c4", "c5", "c6"]
    assert [d["column"] for d in profile.columns if d.get("excluded")] == ["c0", "c3", "c7"]


def test_the_limit_is_a_thousand_columns():
    width = profiler.MAX_COLUMNS
    with pytest.raises(InvalidInputError, match="1,001 columns"):
        fit_table("wide", _wide(width + 1, 12), ProfileOptions(), np.random.default_rng(0))


def test_fit_uses_the_seeded_subsample_and_the_document_says_so(tmp_path: Path):
    rng = np.random.default_rng(4)
    n = 5_000
    groups = ["a"] * (n // 2) + ["b", "c"] * (n // 4)  # sorted: a head-of-file sample is all 'a'
    table = pa.table({"x": rng.gamma(2.0, 10.0, n), "g": groups})
    pq.write_table(table, tmp_path / "big.parquet", row_group_size=700)  # many read batches
    (tmp_path / "cfg.yaml").write_text("max_rows: 1000\n")
    result = api.profile([tmp_path / "big.parquet"], "big", store=str(tmp_path / "models"),
                         config=str(tmp_path / "cfg.yaml"), profiles_dir=tmp_path / "profiles")
    doc = json.loads(result.document.read_text())
    assert doc["tables"][0]["rows_fitted"] == 1000
    assert doc["tables"][0]["rows_in_source"] == n
    weights = dict(zip(result.synthesizer.model_.tables[0].column("g").categories,
                       result.synthesizer.model_.tables[0].column("g").weights, strict=True))
    assert weights["a"] == pytest.approx(0.5, abs=0.05)  # a uniform subsample, not the head
