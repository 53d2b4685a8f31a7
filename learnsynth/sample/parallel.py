"""Sample in parallel: chunks of rows drawn by joblib's loky workers or by a Dask cluster.

The work is a list of chunks fixed by the row count and ``chunk_rows`` alone. Chunk ``i`` covers
rows ``[i * chunk_rows, min((i + 1) * chunk_rows, n_rows))`` and draws only from
``SeedSequence(seed).spawn(n_chunks)[i]`` (:func:`chunk_seed`), so its rows, and the bytes they
encode to, do not depend on ``--jobs``, ``--backend`` or which worker ran it::

    sample_to_target(table, n_rows, target, seed=..., jobs=..., backend=..., scheduler=...)
      ├── resolve the backend: in-process (jobs 1), loky processes, or a Dask client
      ├── for every chunk, in a worker: run_chunk(job, i)
      │     ├── sample_chunk(...)            clean rows (copula → marginals, keys, PII, text);
      │     │                                without a transform, to Parquet: sample_chunk_arrow,
      │     │                                the same rows straight into Arrow
      │     ├── job.transform(i, start, df)  optional, e.g. variability injection (see below)
      │     └── a folder target: write part-0000i.* itself; a file target: encode the chunk
      │         (Arrow table, or CSV/JSONL bytes compressed on their own) and hand it back
      └── in the parent, in chunk order: append payloads to the hidden temporary file (or count
          the parts), update the progress bar, and publish the file or folder atomically

A folder target never sends rows back to the parent, so no process holds more than a chunk or
two; a file target streams chunks through the parent in order (joblib keeps at most
``2 * jobs`` in flight).

The transform hook (for :mod:`learnsynth.sample.variability`)
-------------------------------------------------------------
``SampleJob.transform`` is an optional callable, called in the worker right after a chunk's
clean DataFrame is generated::

    transform(chunk_index: int, start_row: int, df: pd.DataFrame) -> (pd.DataFrame, extra)

- ``df`` has the table's columns in model order and index ``RangeIndex(start_row, stop_row)``.
  Dtypes: integers ``Int64`` (nullable), continuous ``float64`` (NaN = missing), native
  booleans ``boolean``, native datetimes ``datetime64[ns]``; every text column (categories,
  formatted datetimes, keys, PII, free text) is pandas' Arrow-backed ``string`` dtype (``<NA>``
  = missing). A transform may change dtypes (e.g. ``astype(object)`` to put ``"N/A"`` into a
  number column) and add rows, but must return the same columns with the same dtypes for every
  chunk, because a Parquet file has one schema.
- Its randomness must come from :func:`transform_seed` ``(seed, chunk_index)``: a stream of the
  chunk's own seed sequence that the clean draws never use, so the clean rows are the same with
  or without the transform and the result is the same whatever ``--jobs``. Build the callable with
  the root seed (e.g. a frozen dataclass holding the plan and the seed); it must pickle, because
  it travels to loky and Dask workers.
- ``extra`` is anything picklable (e.g. a log of injected cells); the parent collects them in
  chunk order in :attr:`SampleResult.extras`, or, given ``on_extra``, hands each to
  ``on_extra(extra)`` in chunk order as it arrives and keeps none, so extras that grow with the
  rows (a variability log) cost memory only while their chunk is in flight. Rows written are
  counted after the transform.
"""

from __future__ import annotations

import contextlib
import hashlib
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from learnsynth.data.sinks import (
    FolderWriter,
    Target,
    chunk_payload,
    open_writer,
    takes_arrow_chunks,
    write_part,
)
from learnsynth.errors import InvalidInputError
from learnsynth.model import TableModel, table_from_files, table_to_files
from learnsynth.progress import Progress
from learnsynth.sample.sampler import chunk_bounds, sample_chunk, sample_chunk_arrow

__all__ = ["BACKENDS", "ChunkResult", "SampleJob", "SampleResult", "Transform", "chunk_seed",
           "run_chunk", "sample_to_target", "transform_seed"]

BACKENDS = ("loky", "dask")
CONNECT_TIMEOUT_S = 5
_TRANSFORM_STREAM = 3  # sample_chunk spawns streams 0-2 of the chunk's sequence for itself

Transform = Callable[[int, int, pd.DataFrame], tuple[pd.DataFrame, Any]]


def chunk_seed(seed: int, index: int) -> np.random.SeedSequence:
    """``SeedSequence(seed).spawn(n)[index]`` for any ``n > index``, without spawning the rest."""
    return np.random.SeedSequence(seed, spawn_key=(index,))


def transform_seed(seed: int, index: int) -> np.random.SeedSequence:
    """The seed for chunk ``index``'s transform: a stream the clean draws never touch."""
    return np.random.SeedSequence(seed, spawn_key=(index, _TRANSFORM_STREAM))


@dataclass(frozen=True)
class SampleJob:
    """Everything a worker needs for any chunk; pickled once per run, unpickled once per worker."""

    table: TableModel
    n_rows: int
    seed: int
    chunk_rows: int
    target: Target
    part_folder: str | None = None  # the temporary folder, for folder targets
    transform: Transform | None = None

    @property
    def bounds(self) -> list[tuple[int, int]]:
        return chunk_bounds(self.n_rows, self.chunk_rows)


@dataclass(frozen=True)
class ChunkResult:
    """What a worker returns: rows written, the encoded chunk (file targets) and the extra."""

    index: int
    clean_rows: int
    rows: int
    payload: Any
    extra: Any


@dataclass(frozen=True)
class SampleResult:
    """Rows written, where, and the transform's extras in chunk order."""

    rows: int
    target: Target
    extras: list[Any] = field(default_factory=list)


def run_chunk(job: SampleJob, index: int) -> ChunkResult:
    """Draw chunk ``index``, transform it, then write its part file or encode it."""
    start, stop = job.bounds[index]
    seed, options = chunk_seed(job.seed, index), {"seed": job.seed}
    frame: pd.DataFrame | pa.Table
    extra = None
    if job.transform is None and takes_arrow_chunks(job.target):
        # nothing looks at the rows before they are written: draw them straight into Arrow
        frame = sample_chunk_arrow(job.table, start, stop, seed, options)
    else:
        frame = sample_chunk(job.table, start, stop, seed, options)
    if job.transform is not None:
        frame, extra = job.transform(index, start, frame)
    if job.part_folder is not None:
        write_part(frame, job.part_folder, index, job.target)
        payload = None
    else:
        payload = chunk_payload(frame, job.target, index)
    return ChunkResult(index, stop - start, len(frame), payload, extra)


def _sequential(job: SampleJob) -> Iterator[ChunkResult]:
    for index in range(len(job.bounds)):
        yield run_chunk(job, index)


@dataclass(frozen=True)
class _Packed:
    """The job's table in the artifact's formats (JSON and ``.npz``), encoded once by the parent
    and parsed once per worker process, which then reuses it for all its chunks.

    Handing the table itself to every task made the parent pickle it (about 330 KiB for ten
    columns) for each chunk and each worker rebuild the marginals' lookup tables for each chunk.
    Parsing the artifact formats runs no code, as loading a stored model does; the rest of the
    job (target, seed, transform) is small and travels with each task.
    """

    digest: str
    files: dict[str, bytes]

    @classmethod
    def of(cls, table: TableModel) -> _Packed:
        files = table_to_files(table)
        digest = hashlib.sha256(files["table.json"] + files["arrays.npz"]).hexdigest()
        return cls(digest, files)


_UNPACKED: dict[str, TableModel] = {}


def _run_packed(packed: _Packed, job: SampleJob, index: int) -> ChunkResult:
    table = _UNPACKED.get(packed.digest)
    if table is None:
        _UNPACKED.clear()  # one job at a time per worker
        table = _UNPACKED[packed.digest] = table_from_files(packed.files, "a sampling job")
    return run_chunk(replace(job, table=table), index)


def _joblib(job: SampleJob, jobs: int, backend: str) -> Iterator[ChunkResult]:
    from joblib import Parallel, delayed

    packed = _Packed.of(job.table)
    rest = replace(job, table=None)  # type: ignore[arg-type]  # the table travels packed
    tasks = (delayed(_run_packed)(packed, rest, index) for index in range(len(job.bounds)))
    # one chunk per task: chunks are already big enough to amortise the dispatch
    runner = Parallel(n_jobs=jobs, backend=backend, return_as="generator",
                      pre_dispatch="2*n_jobs", batch_size=1)
    with warnings.catch_warnings():
        # Stopping early (an error) makes joblib warn that finished chunks went unused; the
        # error itself is what the user needs to see, on one line.
        warnings.filterwarnings("ignore", message=r".*tasks have been successfully executed",
                                category=UserWarning)
        warnings.filterwarnings("ignore", message=r".*tasks which were still being processed",
                                category=UserWarning)
        yield from runner(tasks)


@contextlib.contextmanager
def dask_client(scheduler: str | None, jobs: int) -> Iterator[Any]:
    """A client of the cluster at ``scheduler``, or of a local cluster of ``jobs`` processes."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise InvalidInputError("--backend dask needs dask.distributed: pip install "
                                "'learnsynth[dask]'.") from exc
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
        else:
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, host="127.0.0.1",
                                   dashboard_address=None, processes=True)
            client = Client(cluster)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        if cluster is not None:
            cluster.close()
        raise InvalidInputError(
            f"--scheduler {scheduler!r}: cannot connect to a Dask scheduler within "
            f"{CONNECT_TIMEOUT_S} s ({exc}). Check the address (e.g. tcp://host:8786) and that "
            "the scheduler is running.") from exc
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _dask(job: SampleJob, jobs: int, scheduler: str | None) -> Iterator[ChunkResult]:
    """Chunks as Dask futures, at most two per worker in flight, results taken in chunk order.

    The client is used directly rather than through joblib's Dask backend, whose generator mode
    fails in joblib 1.6 with distributed 2026.x (``Batch.__call__() got an unexpected keyword
    argument 'nesting_level'``) as soon as two workers share the work.
    """
    with dask_client(scheduler, jobs) as client:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        window = 2 * workers
        shared = client.scatter(job, broadcast=True, hash=False)
        pending: deque[Any] = deque()
        submitted = 0
        total = len(job.bounds)
        try:
            while submitted < total or pending:
                while submitted < total and len(pending) < window:
                    pending.append(client.submit(run_chunk, shared, submitted, pure=False))
                    submitted += 1
                future = pending.popleft()
                result = future.result()
                future.release()
                yield result
        finally:
            for future in pending:
                future.cancel()


def _results(job: SampleJob, jobs: int, backend: str,
             scheduler: str | None) -> Iterator[ChunkResult]:
    if backend == "dask":
        return _dask(job, jobs, scheduler)
    if jobs == 1 or len(job.bounds) == 1:
        return _sequential(job)
    return _joblib(job, min(jobs, len(job.bounds)), "loky")  # no worker without a chunk


def check_options(jobs: int, backend: str, scheduler: str | None) -> None:
    """``--jobs``, ``--backend`` and ``--scheduler`` together, before any work starts."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs <= 0:
        raise InvalidInputError(f"--jobs must be a positive integer, got {jobs!r}.")
    if backend not in BACKENDS:
        raise InvalidInputError(f"--backend must be one of {', '.join(BACKENDS)}, got "
                                f"{backend!r}.")
    if scheduler and backend != "dask":
        raise InvalidInputError("--scheduler needs --backend dask.")


def sample_to_target(table: TableModel, n_rows: int, target: Target, *, seed: int = 0,
                     chunk_rows: int, jobs: int = 1, backend: str = "loky",
                     scheduler: str | None = None, transform: Transform | None = None,
                     progress: bool | None = None,
                     on_extra: Callable[[Any], None] | None = None) -> SampleResult:
    """Draw ``n_rows`` rows of ``table`` into ``target``; published only if every chunk is.

    Each chunk's transform extra goes to ``on_extra`` in chunk order (then ``extras`` stays
    empty), or into :attr:`SampleResult.extras`. ``on_extra`` runs before the target is
    published; if it raises, nothing is.
    """
    check_options(jobs, backend, scheduler)
    extras: list[Any] = []
    with open_writer(target) as writer, Progress(n_rows, "sample", enabled=progress) as bar:
        folder = str(writer.tmp) if isinstance(writer, FolderWriter) else None
        job = SampleJob(table, n_rows, seed, chunk_rows, target, folder, transform)
        for result in _results(job, jobs, backend, scheduler):
            writer.write(result.payload, result.rows)
            if on_extra is None:
                extras.append(result.extra)
            else:
                on_extra(result.extra)
            bar.update(result.clean_rows)
        writer.commit()
        return SampleResult(writer.rows, target, extras)
