"""Parallel sampling: same bytes whatever the workers, atomic output, the transform hook."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from learnsynth import Synthesizer, api
from learnsynth.errors import InvalidInputError, ModelNotFoundError
from learnsynth.sample.parallel import chunk_seed, transform_seed
from tests.conftest import people_frame

ROWS, CHUNK = 2_500, 600  # five chunks, the last one short


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("store")
    Synthesizer(seed=0).fit(people_frame(1200, seed=4)).save("people", store=str(root))
    return str(root)


def _sample(store: str, out: Path, **kwargs) -> int:
    kwargs.setdefault("seed", 5)
    kwargs.setdefault("chunk_rows", CHUNK)
    # reports are tested in tests/quality; here they would only land in the checkout's reports/
    kwargs.setdefault("no_report", True)
    return api.sample("people", kwargs.pop("rows", ROWS), out, store=store, **kwargs)[1]


def test_same_seed_gives_the_same_file_bytes_for_one_and_two_jobs(store, tmp_path):
    for suffix in ("csv", "parquet", "jsonl", "csv.gz"):
        one, two = tmp_path / f"one.{suffix}", tmp_path / f"two.{suffix}"
        assert _sample(store, one, jobs=1) == ROWS
        assert _sample(store, two, jobs=2) == ROWS
        assert one.read_bytes() == two.read_bytes(), suffix
    other = tmp_path / "other.csv"
    _sample(store, other, seed=6)
    assert other.read_bytes() != (tmp_path / "one.csv").read_bytes()


def test_files_hold_the_rows_in_every_format(store, tmp_path):
    _sample(store, tmp_path / "a.csv")
    _sample(store, tmp_path / "a.parquet")
    _sample(store, tmp_path / "a.jsonl")
    _sample(store, tmp_path / "a.csv.gz")
    csv = pd.read_csv(tmp_path / "a.csv", dtype=str, keep_default_na=False, na_values=[""])
    parquet = pd.read_parquet(tmp_path / "a.parquet")
    jsonl = pd.read_json(tmp_path / "a.jsonl", lines=True, dtype=False)
    assert len(csv) == len(parquet) == len(jsonl) == ROWS
    assert list(csv.columns) == list(parquet.columns) == list(people_frame(5).columns)
    assert csv["customer_id"].is_unique and csv["customer_id"].str.fullmatch(r"17-\d{6}").all()
    assert (csv["email"] == parquet["email"]).all() and (jsonl["email"] == csv["email"]).all()
    assert parquet["age"].between(18, 90).all()
    # a .gz file is one gzip member per chunk; together they are the plain CSV's bytes
    plain = (tmp_path / "a.csv").read_bytes()
    assert gzip.decompress((tmp_path / "a.csv.gz").read_bytes()) == plain


def test_folder_has_one_part_per_chunk_and_matches_the_single_file(store, tmp_path):
    _sample(store, tmp_path / "parts", jobs=2)
    _sample(store, tmp_path / "whole.parquet")
    parts = sorted(p.name for p in (tmp_path / "parts").iterdir())
    assert parts == [f"part-{i:05d}.parquet" for i in range(5)]
    assert [pd.read_parquet(tmp_path / "parts" / p).shape[0] for p in parts] == [600] * 4 + [100]
    joined = pd.concat([pd.read_parquet(tmp_path / "parts" / p) for p in parts],
                       ignore_index=True)
    pd.testing.assert_frame_equal(joined, pd.read_parquet(tmp_path / "whole.parquet"))
    _sample(store, f"{tmp_path / 'csvparts'}/", fmt="csv")
    assert (tmp_path / "csvparts" / "part-00004.csv").read_text().startswith('"customer_id"')
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_dask_local_cluster_writes_the_same_parts_as_loky(store, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    _sample(store, tmp_path / "loky", jobs=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  protocol="tcp", host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        _sample(store, tmp_path / "dask", backend="dask", scheduler=cluster.scheduler_address)
        _sample(store, tmp_path / "dask.csv", backend="dask",
                scheduler=cluster.scheduler_address)
    for i in range(5):
        name = f"part-{i:05d}.parquet"
        assert (tmp_path / "loky" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes()
    _sample(store, tmp_path / "loky.csv", jobs=2)
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "loky.csv").read_bytes()


def test_existing_target_is_refused_unless_overwrite(store, tmp_path):
    out = tmp_path / "x.csv"
    out.write_text("keep me\n")
    with pytest.raises(InvalidInputError, match="--overwrite"):
        _sample(store, out)
    assert out.read_text() == "keep me\n"
    _sample(store, out, overwrite=True)
    assert len(pd.read_csv(out)) == ROWS
    folder = tmp_path / "parts"
    _sample(store, folder, rows=700)
    with pytest.raises(InvalidInputError, match="already exists"):
        _sample(store, folder)
    _sample(store, folder, overwrite=True)
    assert len(list(folder.iterdir())) == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parts", "x.csv"]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"rows": 0}, "--rows"),
        ({"rows": -3}, "--rows"),
        ({"rows": 2.5}, "--rows"),
        ({"jobs": 0}, "--jobs"),
        ({"backend": "spark"}, "--backend"),
        ({"scheduler": "tcp://127.0.0.1:1"}, "--scheduler needs --backend dask"),
        ({"out": "x.xlsx"}, "x.xlsx"),
        ({"out": "x.parquet.gz"}, "Parquet"),
    ],
)
def test_bad_input_is_one_clear_error_and_writes_nothing(store, tmp_path, kwargs, fragment):
    out = tmp_path / kwargs.pop("out", "x.csv")
    with pytest.raises(InvalidInputError, match=fragment.replace(".", r"\.")):
        _sample(store, out, **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_unknown_model_or_version_is_refused(store, tmp_path):
    with pytest.raises(ModelNotFoundError):
        api.sample("nobody", 10, tmp_path / "x.csv", store=store)
    with pytest.raises(ModelNotFoundError):
        api.sample("people@v9", 10, tmp_path / "x.csv", store=store)


def test_unwritable_out_is_refused(store, tmp_path):
    if os.geteuid() == 0:
        blocker = tmp_path / "file"
        blocker.write_text("")
        out = blocker / "sub" / "x.csv"  # a parent that is a file cannot be created
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        out = locked / "x.csv"
    with pytest.raises(InvalidInputError, match="--out"):
        _sample(store, out)


@dataclass(frozen=True)
class Tagger:
    """A picklable transform: logs its arguments and a draw from its own seed."""

    seed: int
    fail_at: int = -1
    kill_at: int = -1

    def __call__(self, index: int, start: int, df: pd.DataFrame):
        if index == self.fail_at:
            raise InvalidInputError("transform failed on purpose")
        if index == self.kill_at:
            os.kill(os.getpid(), 9)
        draw = int(np.random.default_rng(transform_seed(self.seed, index)).integers(1 << 30))
        return df, (index, start, len(df), int(df.index[0]), draw)


def test_transform_gets_each_chunk_and_its_extras_come_back_in_order(store, tmp_path):
    from learnsynth.data.sinks import resolve_target
    from learnsynth.sample.parallel import sample_to_target

    table = Synthesizer.load("people", store).model_.table()
    plain = tmp_path / "plain.csv"
    _sample(store, plain)
    for jobs in (1, 2):
        out = tmp_path / f"t{jobs}.csv"
        result = sample_to_target(table, ROWS, resolve_target(out), seed=5, chunk_rows=CHUNK,
                                  jobs=jobs, transform=Tagger(5))
        assert [e[:4] for e in result.extras] == [(i, i * 600, min(600, ROWS - i * 600),
                                                  i * 600) for i in range(5)]
        draws = [e[4] for e in result.extras]
        assert len(set(draws)) == 5
        assert out.read_bytes() == plain.read_bytes()  # clean draws do not see the transform
    assert draws == [e[4] for e in sample_to_target(
        table, ROWS, resolve_target(tmp_path / "again", overwrite=True), seed=5,
        chunk_rows=CHUNK, transform=Tagger(5)).extras]


def test_transform_seed_is_apart_from_the_chunk_streams():
    child = np.random.SeedSequence(5).spawn(4)[3]
    assert (chunk_seed(5, 3).generate_state(4) == child.generate_state(4)).all()
    used = [s.generate_state(4).tolist() for s in child.spawn(3)]
    assert transform_seed(5, 3).generate_state(4).tolist() not in used


def test_a_failing_chunk_leaves_nothing_behind(store, tmp_path):
    from learnsynth.data.sinks import resolve_target
    from learnsynth.sample.parallel import sample_to_target

    table = Synthesizer.load("people", store).model_.table()
    for out in (tmp_path / "x.parquet", tmp_path / "parts"):
        with pytest.raises(InvalidInputError, match="on purpose"):
            sample_to_target(table, ROWS, resolve_target(out), seed=5, chunk_rows=CHUNK,
                             transform=Tagger(5, fail_at=3))
        assert list(tmp_path.iterdir()) == []


def test_kill_9_mid_run_leaves_no_file_at_the_target(store, tmp_path):
    code = (
        "import sys; from learnsynth.data.sinks import resolve_target; "
        "from learnsynth.sample.parallel import sample_to_target; "
        "from learnsynth import Synthesizer; from tests.sample.test_parallel import Tagger; "
        f"t = Synthesizer.load('people', {store!r}).model_.table(); "
        "sample_to_target(t, 2500, resolve_target(sys.argv[1]), seed=5, chunk_rows=600, "
        "transform=Tagger(5, kill_at=3))"
    )
    root = Path(__file__).resolve().parents[2]
    for name in ("killed.csv", "killed"):
        proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / name)], cwd=root,
                              capture_output=True, timeout=120)
        assert proc.returncode == -9
        assert not (tmp_path / name).exists()
    leftovers = [p.name for p in tmp_path.iterdir()]
    assert all(n.startswith((".killed.csv.", ".tmp-killed-")) for n in leftovers), leftovers


def test_progress_bar_goes_to_stderr(store, tmp_path, capsys):
    api.sample("people", ROWS, tmp_path / "p.csv", store=store, chunk_rows=CHUNK, progress=True,
               no_report=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "sample [" in captured.err and f"{ROWS:,}/{ROWS:,} rows" in captured.err
