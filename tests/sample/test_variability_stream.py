"""The ground-truth log streams to disk as chunks arrive: same files as writing it at the end,
nothing kept in the parent, nothing left behind on failure, and workers (loky or Dask) write it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from learnsynth import Synthesizer, api
from learnsynth.data.sinks import resolve_target
from learnsynth.sample.parallel import sample_to_target
from learnsynth.sample.sampler import iter_chunks
from learnsynth.sample.variability import (
    VariabilityTransform,
    apply_log,
    log_locations,
    prepare,
)
from tests.conftest import people_frame

DIRT = {"defaults": {"typo": 0.03, "missing": 0.03, "format": 0.03, "outlier": 0.02},
        "near_duplicates": {"rate": 0.03, "fields": 2}}
ROWS, CHUNK = 5000, 1200


@pytest.fixture(scope="module")
def synth() -> Synthesizer:
    return Synthesizer(seed=0).fit(people_frame(1200, 3))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, synth: Synthesizer) -> str:
    root = tmp_path_factory.mktemp("store")
    synth.save("people", str(root / "models"))
    return str(root / "models")


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "dirt.yaml"
    path.write_text(json.dumps(DIRT))
    return path


def _collected(synth: Synthesizer, config: Path, out: Path, fmt: str | None = None
               ) -> tuple[dict, Path]:
    """The log written the old way: every chunk's log frame kept in memory, written at the end."""
    tm = synth.model_.table()
    run = prepare(config, tm, out=out, fmt=fmt, seed=4, n_rows=ROWS, chunk_rows=CHUNK)
    extras = [run.transform(i, i * CHUNK, c)[1] for i, c in
              enumerate(iter_chunks(tm, ROWS, 4, CHUNK))]
    assert all("variability_log" in e for e in extras)
    return run.finish(extras), run.log_path


@pytest.mark.parametrize("name", ["dirty.csv", "dirty.parquet", "dirty.jsonl.gz", "parts/"])
def test_streamed_log_equals_the_log_written_at_the_end(synth: Synthesizer, store: str,
                                                        config: Path, tmp_path: Path,
                                                        name: str) -> None:
    streamed = str(tmp_path / "streamed" / name) + ("/" if name.endswith("/") else "")
    (tmp_path / "streamed").mkdir()
    api.sample("people", ROWS, streamed, store=store, seed=4, chunk_rows=CHUNK, jobs=2,
               no_report=True, variability=config)
    kept = str(tmp_path / "kept" / name) + ("/" if name.endswith("/") else "")
    summary, log = _collected(synth, config, Path(kept) if not name.endswith("/") else kept)
    got, got_summary = log_locations(streamed)
    assert got.name == log.name
    if name.endswith("/"):
        parts = sorted(p.name for p in got.iterdir())
        assert parts == sorted(p.name for p in log.iterdir()) and len(parts) == 5
        assert all((got / p).read_bytes() == (log / p).read_bytes() for p in parts)
    else:
        assert got.read_bytes() == log.read_bytes()
    written = json.loads(got_summary.read_text())
    assert {k: v for k, v in written.items() if k != "log"} == {
        k: v for k, v in summary.items() if k != "log"}
    rows = written["rows"]
    assert rows["output"] == rows["clean"] + rows["near_duplicates"] > ROWS


def test_streamed_log_replays_the_dirty_file(store: str, config: Path, tmp_path: Path) -> None:
    api.sample("people", ROWS, tmp_path / "clean.csv", store=store, seed=4, chunk_rows=CHUNK,
               no_report=True)
    api.sample("people", ROWS, tmp_path / "dirty.csv", store=store, seed=4, chunk_rows=CHUNK,
               jobs=2, no_report=True, variability=config)

    def read(p: str) -> pd.DataFrame:
        return pd.read_csv(tmp_path / p, dtype=str, keep_default_na=False)

    pd.testing.assert_frame_equal(apply_log(read("clean.csv"), read("dirty.variability.csv")),
                                  read("dirty.csv").astype(object))


def test_parent_keeps_no_log_and_gets_encoded_chunks_in_order(synth: Synthesizer, config: Path,
                                                              tmp_path: Path) -> None:
    tm = synth.model_.table()
    out = tmp_path / "dirty.csv"
    run = prepare(config, tm, out=out, fmt=None, seed=4, n_rows=ROWS, chunk_rows=CHUNK)
    seen: list[dict] = []
    with run.stream() as log:
        def keep(extra: dict) -> None:
            seen.append(extra)
            log.add(extra)

        result = sample_to_target(tm, ROWS, resolve_target(out), seed=4, chunk_rows=CHUNK,
                                  transform=log.transform, on_extra=keep)
        log.finish()
    assert result.extras == []
    assert len(seen) == 5 and all("variability_log" not in e for e in seen)
    payloads = [e["variability_log_payload"] for e in seen]
    assert all(isinstance(p, bytes) for p in payloads)
    assert payloads[0].startswith(b'"row","column"') and not payloads[1].startswith(b'"row"')
    log_rows = len(pd.read_csv(run.log_path))
    assert log_rows == sum(e["variability_log_rows"] for e in seen) > 0


def test_a_failure_mid_run_leaves_no_log_behind(synth: Synthesizer, config: Path,
                                                tmp_path: Path) -> None:
    tm = synth.model_.table()
    for out in (str(tmp_path / "dirty.csv"), str(tmp_path / "parts") + "/"):
        run = prepare(config, tm, out=out, fmt=None, seed=4, n_rows=ROWS, chunk_rows=CHUNK)
        with pytest.raises(RuntimeError, match="disk on fire"), run.stream() as log:
            def add_two_then_fail(extra: dict, log=log) -> None:
                if log.chunks == 2:  # two chunks of the log are already on disk
                    raise RuntimeError("disk on fire")
                log.add(extra)

            sample_to_target(tm, ROWS, resolve_target(out), seed=4, chunk_rows=CHUNK, jobs=2,
                             transform=log.transform, on_extra=add_two_then_fail)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["dirt.yaml"]


def test_dask_workers_write_the_same_log_parts(store: str, config: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        api.sample("people", ROWS, str(tmp_path / "dask") + "/", store=store, seed=4,
                   chunk_rows=CHUNK, backend="dask", scheduler=cluster.scheduler_address,
                   no_report=True, variability=config, fmt="csv")
    api.sample("people", ROWS, str(tmp_path / "loky") + "/", store=store, seed=4,
               chunk_rows=CHUNK, jobs=2, no_report=True, variability=config, fmt="csv")
    names = sorted(p.name for p in (tmp_path / "loky.variability").iterdir())
    assert len(names) == 5
    for name in names:
        assert ((tmp_path / "dask.variability" / name).read_bytes()
                == (tmp_path / "loky.variability" / name).read_bytes())


def test_transform_without_a_log_target_still_returns_frames(synth: Synthesizer,
                                                             config: Path) -> None:
    from learnsynth.sample.variability import load_variability, plan

    tm = synth.model_.table()
    transform = VariabilityTransform(plan(load_variability(config), tm), 4, ROWS, CHUNK)
    chunk = next(iter(iter_chunks(tm, ROWS, 4, CHUNK)))
    _, extra = transform(0, 0, chunk)
    assert isinstance(extra["variability_log"], pd.DataFrame)
    assert extra["variability_log_rows"] == len(extra["variability_log"]) > 0
