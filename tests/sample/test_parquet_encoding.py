"""Parquet output: zstd, statistics on numbers and dates only, values and types read back as
written (a file and a folder of parts alike)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from learnsynth.data.sinks import write_chunks


def _chunk(start: int, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(start)
    return pd.DataFrame({
        "amount": rng.normal(10, 2, n).round(2),
        "count": pd.array(rng.integers(0, 9, n), dtype="Int64"),
        "when": pd.to_datetime(rng.integers(0, 10**9, n), unit="s"),
        "group": pd.array(rng.choice(["a", "bb", "ccc"], n), dtype="string[pyarrow]"),
    }, index=pd.RangeIndex(start, start + n))


@pytest.mark.parametrize("out", ["s.parquet", "parts/"])
def test_parquet_keeps_values_types_and_numeric_statistics(tmp_path: Path, out: str) -> None:
    chunks = [_chunk(0, 500), _chunk(500, 300)]
    target = tmp_path / out
    assert write_chunks(iter(chunks), str(target) + ("/" if out.endswith("/") else "")) == 800
    files = sorted(target.glob("*.parquet")) if target.is_dir() else [target]
    for path in files:
        meta = pq.ParquetFile(path).metadata
        assert meta.row_group(0).column(0).compression == "ZSTD"
        names = [meta.schema.column(i).name for i in range(meta.num_columns)]
        for rg in range(meta.num_row_groups):
            stats = {names[i]: meta.row_group(rg).column(i).statistics
                     for i in range(meta.num_columns)}
            assert stats["amount"] is not None and stats["amount"].has_min_max
            assert stats["count"].has_min_max and stats["when"].has_min_max
            assert stats["group"] is None  # text: no min/max (they would never prune)
    back = pd.concat([pd.read_parquet(p) for p in files], ignore_index=True)
    expected = pd.concat(chunks, ignore_index=True)
    assert str(back["count"].dtype) == "Int64"
    assert isinstance(back["group"].dtype, pd.StringDtype)
    pd.testing.assert_frame_equal(back.astype({"group": object}),
                                  expected.astype({"group": object}), check_dtype=False)
    assert back["group"].tolist() == expected["group"].tolist()
