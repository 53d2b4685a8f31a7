"""The real command, run in a temporary folder: outputs, exit codes and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import people_frame


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("LEARNSYNTH_SIGNING_KEY", None)
    return subprocess.run([sys.executable, "-m", "learnsynth", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    people_frame(800, seed=2).to_csv(root / "people.csv", index=False)
    return root


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_profile_stores_a_version_and_prints_the_contract_line(workdir):
    proc = run("profile", "people.csv", "--name", "people", cwd=workdir)
    assert proc.returncode == 0, proc.stderr
    last = proc.stdout.strip().splitlines()[-1]
    assert last.startswith("stored people@v") and " sha256:" in last
    version = last.split("@v")[1].split()[0]
    assert (workdir / "models" / "people" / f"v{version}" / "manifest.json").is_file()
    assert (workdir / "profiles" / f"people-v{version}.json").is_file()
    listing = run("models", "list", cwd=workdir)
    assert f"people@v{version}" in listing.stdout
    assert run("models", "verify", "people", cwd=workdir).returncode == 0


def test_sample_writes_csv_and_refuses_to_overwrite(workdir):
    run("profile", "people.csv", "--name", "people", cwd=workdir)
    proc = run("sample", "people", "--rows", "1234", "--out", "fake.csv", "--seed", "3",
               cwd=workdir)
    assert proc.returncode == 0, proc.stderr
    fake = pd.read_csv(workdir / "fake.csv", dtype=str)
    assert len(fake) == 1234 and "email" in fake.columns
    again = run("sample", "people", "--rows", "10", "--out", "fake.csv", cwd=workdir)
    assert_one_line_error(again, "fake.csv", "--overwrite")
    assert len(pd.read_csv(workdir / "fake.csv")) == 1234


def test_same_seed_same_bytes_across_chunk_sizes(workdir):
    run("profile", "people.csv", "--name", "people", cwd=workdir)
    for out, chunk in (("a.csv", "500"), ("b.csv", "500")):
        proc = run("sample", "people@v1", "--rows", "1200", "--out", out, "--seed", "5",
                   "--chunk-rows", chunk, "--overwrite", cwd=workdir)
        assert proc.returncode == 0, proc.stderr
    assert (workdir / "a.csv").read_bytes() == (workdir / "b.csv").read_bytes()


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("profile", "missing.csv", "--name", "x"), ("missing.csv",)),
        (("profile", "people.csv", "--name", "x", "--config", "nope.yaml"), ("nope.yaml",)),
        (("profile", "people.csv", "--name", "bad/name"), ("bad/name",)),
        (("profile", "people.csv"), ("--name",)),
        (("sample", "nosuchmodel", "--rows", "5", "--out", "o.csv"), ("nosuchmodel",)),
        (("sample", "people", "--rows", "0", "--out", "o.csv"), ("--rows",)),
        (("sample", "people", "--rows", "ten", "--out", "o.csv"), ("--rows",)),
        (("sample", "people", "--rows", "5", "--out", "o.xlsx"), ("o.xlsx",)),
        # a missing folder is created (see below); a path through a file cannot be
        (("sample", "people", "--rows", "5", "--out", "people.csv/o.csv"),
         ("people.csv/o.csv", "cannot create folder")),
        (("models", "show", "people@v99"), ("people",)),
    ],
)
def test_bad_input_is_one_line_and_exit_2(workdir, args, fragments):
    run("profile", "people.csv", "--name", "people", cwd=workdir)
    assert_one_line_error(run(*args, cwd=workdir), *fragments)


def test_sample_creates_a_missing_output_folder(workdir):
    run("profile", "people.csv", "--name", "people", cwd=workdir)
    proc = run("sample", "people", "--rows", "7", "--out", "new/deeper/o.csv", "--no-report",
               cwd=workdir)
    assert proc.returncode == 0, proc.stderr
    assert len(pd.read_csv(workdir / "new" / "deeper" / "o.csv")) == 7


def test_tampered_model_fails_verify_with_exit_2(workdir):
    proc = run("profile", "people.csv", "--name", "tamper", cwd=workdir)
    version = proc.stdout.strip().split("@v")[1].split()[0]
    model_json = workdir / "models" / "tamper" / f"v{version}" / "model.json"
    data = bytearray(model_json.read_bytes())
    data[50] = ord("X") if data[50] != ord("X") else ord("Y")
    model_json.write_bytes(bytes(data))
    assert_one_line_error(run("models", "verify", f"tamper@v{version}", cwd=workdir), "tamper")
    assert_one_line_error(run("sample", "tamper", "--rows", "5", "--out", "t.csv", cwd=workdir),
                          "tamper")
    assert not (workdir / "t.csv").exists()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b"a,b\n", "no rows"),
        (b"a,a\n1,2\n3,4\n", "column name 'a' twice"),
        (b"name\n\xe9t\xe9\n", "UTF-8"),
    ],
)
def test_bad_files_are_refused_clearly(workdir, content, fragment):
    path = workdir / "bad.csv"
    path.write_bytes(content)
    assert_one_line_error(run("profile", "bad.csv", "--name", "bad", cwd=workdir), "bad.csv",
                          fragment)


def test_one_row_is_refused_with_the_minimum(workdir):
    (workdir / "one.csv").write_text("a,b\n1,x\n")
    assert_one_line_error(run("profile", "one.csv", "--name", "one", cwd=workdir),
                          "'one'", "at least 10")


def test_unknown_format_is_refused_naming_the_file(workdir):
    (workdir / "data.xlsx").write_bytes(b"PK\x03\x04 not really a spreadsheet")
    assert_one_line_error(run("profile", "data.xlsx", "--name", "x", cwd=workdir), "data.xlsx",
                          "unsupported suffix")


def test_ten_thousand_columns_are_refused_naming_the_limit_and_the_way_out(workdir):
    header = ",".join(f"c{i}" for i in range(10_000))
    rows = "".join(",".join(str((r * 7 + i) % 13) for i in range(10_000)) + "\n"
                   for r in range(12))
    (workdir / "wide.csv").write_text(header + "\n" + rows)
    proc = run("profile", "wide.csv", "--name", "wide", cwd=workdir)
    assert_one_line_error(proc, "'wide'", "10,000 columns", "at most 1,000", "exclude: true")
    assert not (workdir / "models" / "wide").exists()


def test_odd_but_valid_columns_are_profiled_with_documented_kinds(workdir):
    n = 60
    frame = pd.DataFrame({
        "amount": [f"{(i * 37) % 101}.5" for i in range(n)],
        "nothing": [None] * n,                                     # all null -> empty
        "token": [f"tk{(i * 7919) % 100003:05x}q" for i in range(n)],  # 100 % unique -> text
        "mixed": ["1", "two", "3.0", "four", "5"] * (n // 5),      # mixed types -> categorical
    })
    frame.to_csv(workdir / "odd.csv", index=False)
    proc = run("profile", "odd.csv", "--name", "odd", cwd=workdir)
    assert proc.returncode == 0, proc.stderr
    version = proc.stdout.strip().split("@v")[1].split()[0]
    doc = json.loads((workdir / "profiles" / f"odd-v{version}.json").read_text())
    kinds = {c["column"]: c["kind"] for c in doc["tables"][0]["columns"]}
    assert kinds == {"amount": "continuous", "nothing": "empty", "token": "text",
                     "mixed": "categorical"}
    model = (workdir / "models" / "odd" / f"v{version}" / "model.json").read_text()
    assert not [t for t in frame["token"] if t in model]  # unique strings are never stored


def test_profiling_the_same_data_again_stores_a_new_version_with_the_same_hash(workdir):
    first = run("profile", "people.csv", "--name", "again", cwd=workdir)
    second = run("profile", "people.csv", "--name", "again", cwd=workdir)
    assert first.returncode == 0 and second.returncode == 0, second.stderr
    (spec1, sha1), (spec2, sha2) = (p.stdout.strip().splitlines()[-1].split()[1:]
                                    for p in (first, second))
    assert (spec1, spec2) == ("again@v1", "again@v2")
    assert sha1 == sha2
    manifest = json.loads((workdir / "models" / "again" / "v2" / "manifest.json").read_text())
    assert manifest["parent_version"] == 1
