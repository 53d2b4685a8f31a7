"""Chunks drawn straight into Arrow for Parquet: the same rows, types and file contents as the
DataFrame path, categories written from their dictionaries and read back as strings, and the
step lookup of few-valued numbers equal to the marginal's own ppf."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from learnsynth import Synthesizer
from learnsynth.data.sinks import (
    TEXT_DICTIONARY,
    resolve_target,
    to_arrow,
    write_chunks,
    write_part,
)
from learnsynth.profile.marginals import NumericMarginal
from learnsynth.profile.marginals._empirical import Empirical
from learnsynth.profile.marginals._unbounded import Normal
from learnsynth.sample.parallel import chunk_seed, sample_to_target
from learnsynth.sample.sampler import sample_chunk, sample_chunk_arrow, sample_table
from learnsynth.sample.steps import MAX_STEPS, steps_of
from tests.conftest import people_frame


def _native_frame(n: int = 800, seed: int = 3) -> pd.DataFrame:
    """Native dtypes: datetimes, booleans, nullable integers, floats with NaN, categories."""
    rng = np.random.default_rng(seed)
    visits = pd.array(rng.poisson(3, n), dtype="Int64")
    visits[rng.random(n) < 0.1] = pd.NA
    amount = rng.gamma(2, 10, n).round(1)
    amount[rng.random(n) < 0.05] = np.nan
    return pd.DataFrame({
        "when": pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 10**7, n), "s"),
        "flag": rng.random(n) < 0.3,
        "visits": visits,
        "amount": amount,
        "tier": rng.choice(["gold", "silver", "bronze", "none"], n, p=[0.1, 0.3, 0.5, 0.1]),
    })


@pytest.fixture(scope="module", params=["people", "native"])
def table(request):
    frame = people_frame(1200, seed=4) if request.param == "people" else _native_frame()
    return Synthesizer(seed=0).fit(frame).model_.table()


def test_arrow_chunk_holds_the_dataframe_chunks_rows_types_and_pandas_metadata(table) -> None:
    for start, stop in ((0, 3000), (3000, 3001), (5, 5)):
        frame = to_arrow(sample_chunk(table, start, stop, chunk_seed(9, 1), {"seed": 9}))
        arrow = to_arrow(sample_chunk_arrow(table, start, stop, chunk_seed(9, 1), {"seed": 9}))
        assert arrow.schema.metadata == frame.schema.metadata
        assert arrow.num_rows == stop - start
        for field in arrow.schema:
            if pa.types.is_dictionary(field.type):  # categories: held once, marked as text
                assert field.metadata == TEXT_DICTIONARY
                assert frame.schema.field(field.name).type == pa.string()
        assert arrow.cast(frame.schema).equals(frame)


def test_parquet_file_and_parts_read_back_as_the_in_memory_sample(table, tmp_path: Path) -> None:
    rows, chunk = 2_500, 1_000
    expected = sample_table(table, rows, seed=4, chunk_rows=chunk)
    for out in ("one.parquet", "parts/"):
        sample_to_target(table, rows, resolve_target(str(tmp_path / out)), seed=4,
                         chunk_rows=chunk, progress=False)
        path = tmp_path / out.rstrip("/")
        files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
        schema = pq.read_schema(files[0])
        assert not any(pa.types.is_dictionary(f.type) for f in schema)  # strings, as written
        back = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
        for name in expected.columns:
            if isinstance(back[name].dtype, pd.StringDtype):
                assert back[name].astype(object).where(back[name].notna(), None).tolist() \
                    == expected[name].tolist(), name
            else:
                assert str(back[name].dtype) == str(expected[name].dtype), name
                pd.testing.assert_series_equal(back[name], expected[name].reset_index(drop=True),
                                               check_names=False)


def test_a_column_that_needs_arrows_schema_keeps_it_and_decodes_the_categories(
        tmp_path: Path) -> None:
    labels = pa.array(["a", "bb"])
    categories = pa.DictionaryArray.from_arrays(pa.array([0, 1, 1, 0], pa.int8()), labels)
    when = pa.array(pd.date_range("2024-01-01", periods=4, tz="Europe/Paris"))
    target = resolve_target(str(tmp_path / "parts") + "/")
    for index, extra in enumerate((None, when)):
        columns, fields = [categories], [pa.field("group", categories.type,
                                                  metadata=TEXT_DICTIONARY)]
        if extra is not None:
            columns.append(extra)
            fields.append(pa.field("when", extra.type))
        chunk = pa.Table.from_arrays(columns, schema=pa.schema(fields))
        assert pa.types.is_string(to_arrow(chunk).schema.field("group").type) == (index == 1)
        name = write_part(chunk, tmp_path, index, target)
        back = pq.read_table(tmp_path / name)
        assert back.schema.field("group").type == pa.string()  # never a dictionary
        assert back.column("group").to_pylist() == ["a", "bb", "bb", "a"]
        if extra is not None:  # the time zone survives: Arrow's schema was kept
            assert back.schema.field("when").type.tz == "Europe/Paris"


def test_a_pandas_categorical_still_reads_back_as_categorical(tmp_path: Path) -> None:
    frame = pd.DataFrame({"group": pd.Categorical(["x", "y", "x"]), "n": [1, 2, 3]})
    write_chunks(iter([frame]), tmp_path / "c.parquet")
    assert isinstance(pd.read_parquet(tmp_path / "c.parquet")["group"].dtype,
                      pd.CategoricalDtype)


def _marginals() -> list[NumericMarginal]:
    empirical = Empirical(tuple(np.linspace(0.0, 40.0, 101) ** 1.3))
    return [
        NumericMarginal(empirical, ((0.0, 0.2), (3.0, 0.05)), 0.0, 130.0, True, 0, {}),
        NumericMarginal(empirical, ((1.5, 0.3),), 0.0, 130.0, False, 1, {}),
        NumericMarginal(Normal(5.0, 2.0), ((5.0, 0.4),), -3.0, 13.0, False, 2, {}),
        NumericMarginal(None, ((1.0, 0.5), (2.0, 0.3), (7.0, 0.2)), 1.0, 7.0, True, 0, {}),
        NumericMarginal(empirical, (), 0.0, 130.0, True, 0, {}),
    ]


@pytest.mark.parametrize("marginal", _marginals())
def test_step_lookup_equals_the_marginals_ppf(marginal: NumericMarginal) -> None:
    steps = steps_of(marginal)
    assert steps is not None and steps.passes <= 4
    rng = np.random.default_rng(0)
    z = np.concatenate((rng.standard_normal(400_000), rng.uniform(-9.0, 9.0, 100_000),
                        steps.cuts, np.nextafter(steps.cuts, -np.inf),
                        [-1e300, -40.0, 0.0, 40.0, 1e300]))
    np.testing.assert_array_equal(steps(z), marginal.ppf_normal(z))


def test_closed_forms_and_many_valued_columns_keep_their_own_ppf() -> None:
    assert steps_of(NumericMarginal(Normal(0.0, 1.0), (), -5.0, 5.0, False, 1, {})) is None
    wide = NumericMarginal(Empirical(tuple(np.linspace(0.0, 1e6, 101))), (), 0.0, 1e6, False, 2,
                           {})
    assert steps_of(wide) is None  # about 1e8 values on its grid
    assert MAX_STEPS < 1e8


def test_a_packed_table_is_parsed_once_per_worker_and_draws_the_same_chunks(
        tmp_path: Path) -> None:
    from learnsynth.sample import parallel

    table = Synthesizer(seed=0).fit(_native_frame(300)).model_.table()
    job = parallel.SampleJob(table, 900, 2, 400, resolve_target(str(tmp_path / "a.parquet")))
    packed = parallel._Packed.of(job.table)
    assert set(packed.files) == {"table.json", "arrays.npz"}  # artifact formats, no pickle
    rest = replace(job, table=None)
    first = parallel._run_packed(packed, rest, 0)
    reused = parallel._UNPACKED[packed.digest]
    last = parallel._run_packed(packed, rest, 2)
    assert parallel._UNPACKED[packed.digest] is reused  # one object served both chunks
    assert list(parallel._UNPACKED) == [packed.digest]
    assert parallel._Packed.of(job.table).digest == packed.digest
    for index, result in ((0, first), (2, last)):
        assert result.payload.equals(parallel.run_chunk(job, index).payload)
    assert last.rows == 100


def test_table_files_round_trip_every_table_kind(tmp_path: Path) -> None:
    """What the workers parse equals the table the parent had, hidden and reference ones too."""
    from learnsynth.model import table_from_files, table_to_files
    from tests.relational.test_reference import RELS, business

    synth = Synthesizer(reference_tables=("plans", "countries")).fit(
        business(300), relationships=RELS, progress=False)
    for table in synth.model_.tables:
        again = table_from_files(table_to_files(table))
        assert table_to_files(again) == table_to_files(table), table.name
        assert again.hidden == table.hidden and again.column_names == table.column_names


def test_step_cache_forgets_a_marginal_that_is_gone_and_keeps_its_lookup() -> None:
    import gc

    from learnsynth.sample import steps as steps_module

    marginal = _marginals()[0]
    ident, lookup = id(marginal), steps_of(marginal)
    assert steps_module._BY_OBJECT[ident][1] is lookup
    del marginal
    gc.collect()
    assert ident not in steps_module._BY_OBJECT
    assert steps_of(_marginals()[0]) is lookup  # an equal marginal: the same lookup by content
