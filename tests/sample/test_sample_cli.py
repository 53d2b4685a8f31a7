"""`learnsynth sample` as a user runs it: flags, same bytes across --jobs, one-line errors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.cli.test_cli import assert_one_line_error, run
from tests.conftest import people_frame


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sample_cli")
    people_frame(600, seed=3).to_csv(root / "people.csv", index=False)
    proc = run("profile", "people.csv", "--name", "people", cwd=root)
    assert proc.returncode == 0, proc.stderr
    return root


def test_jobs_one_and_two_write_the_same_bytes(workdir):
    for out, jobs in (("j1.parquet", "1"), ("j2.parquet", "2"), ("f2", "2")):
        proc = run("sample", "people@v1", "--rows", "3000", "--chunk-rows", "1000", "--seed", "9",
                   "--jobs", jobs, "--out", out, cwd=workdir)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == f"wrote 3000 rows of people@v1 to {out}"
    assert (workdir / "j1.parquet").read_bytes() == (workdir / "j2.parquet").read_bytes()
    assert sorted(p.name for p in (workdir / "f2").iterdir()) == [
        "part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]


def test_unreachable_scheduler_is_one_line_exit_2_quickly(workdir):
    began = time.monotonic()
    proc = run("sample", "people", "--rows", "10", "--out", "never.csv", "--backend", "dask",
               "--scheduler", "tcp://127.0.0.1:9", cwd=workdir)
    assert time.monotonic() - began < 60
    assert_one_line_error(proc, "--scheduler", "tcp://127.0.0.1:9")
    assert not (workdir / "never.csv").exists()


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("--rows", "0"), ("--rows",)),
        (("--rows", "ten"), ("--rows", "ten")),
        (("--rows", "5", "--jobs", "0"), ("--jobs",)),
        (("--rows", "5", "--backend", "spark"), ("--backend",)),
        (("--rows", "5", "--out", "x.xlsx"), ("x.xlsx",)),
        (("--rows", "5", "--scheduler", "tcp://127.0.0.1:9"), ("--scheduler",)),
    ],
)
def test_bad_flags_are_one_line_exit_2(workdir, args, fragments):
    argv = ["sample", "people", *args]
    if "--out" not in args:
        argv += ["--out", "bad.csv"]
    assert_one_line_error(run(*argv, cwd=workdir), *fragments)
    assert not (workdir / "bad.csv").exists() and not (workdir / "x.xlsx").exists()
