"""``learnsynth detect`` run for real on files, folders and SQLite URLs: the table people read,
the contract JSON, one-line errors, and no raw value in either output."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from faker import Faker

N = 300


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-m", "learnsynth", "detect", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300)


def _people() -> pd.DataFrame:
    fake = Faker("de_DE")
    fake.seed_instance(3)
    return pd.DataFrame({
        "Vorname": [fake.first_name() for _ in range(N)],
        "correo": [fake.email() for _ in range(N)],
        "col_7": [fake.iban() for _ in range(N)],
        "phone_count": [str(i % 4) for i in range(N)],
        "betrag": [f"{i * 1.5:.2f}" for i in range(N)],
    })


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("detect")
    people = _people()
    people.to_csv(root / "people.csv", index=False)
    (root / "many").mkdir()
    people.to_csv(root / "many" / "people.csv", index=False)
    people[["betrag"]].to_parquet(root / "many" / "amounts.parquet")
    with sqlite3.connect(root / "db.sqlite") as conn:
        people.to_sql("kunden", conn, index=False)
    return root


def _raw_values(workdir: Path) -> set[str]:
    frame = pd.read_csv(workdir / "people.csv", dtype=str)
    return {v for col in ("Vorname", "correo", "col_7") for v in frame[col] if len(v) >= 4}


def test_json_follows_the_contract(workdir: Path) -> None:
    proc = run("people.csv", "--json", cwd=workdir)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    [table] = doc["tables"]
    assert table["table"] == "people"
    found = {c["column"]: c for c in table["columns"]}
    assert list(found) == ["Vorname", "correo", "col_7", "phone_count", "betrag"]
    assert {k: found[k]["kind"] for k in found} == {
        "Vorname": "first_name", "correo": "email", "col_7": "iban", "phone_count": None,
        "betrag": None}
    for column in table["columns"]:
        assert {"column", "pii", "kind", "confidence"} <= set(column)
        assert column["pii"] is (column["kind"] is not None)
        assert 0 <= column["confidence"] <= 1
    assert found["Vorname"]["locale"] == "de_DE"


def test_table_shows_kind_locale_and_reason_without_values(workdir: Path) -> None:
    proc = run("people.csv", cwd=workdir)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "table people"
    assert lines[1].split() == ["column", "pii", "kind", "confidence", "locale", "reason"]
    row = next(line for line in lines if line.strip().startswith("Vorname"))
    assert row.split()[:5] == ["Vorname", "yes", "first_name", row.split()[3], "de_DE"]
    assert "first names" in row
    assert "phone_count" in proc.stdout
    assert not any(value in proc.stdout for value in _raw_values(workdir))


def test_folder_gives_one_table_per_file(workdir: Path) -> None:
    proc = run("many", "--json", cwd=workdir)
    assert proc.returncode == 0, proc.stderr
    tables = {t["table"]: t["columns"] for t in json.loads(proc.stdout)["tables"]}
    assert set(tables) == {"people", "amounts"}
    assert [c["kind"] for c in tables["amounts"]] == [None]


def test_sqlite_url_is_read_like_a_file(workdir: Path) -> None:
    proc = run("sqlite:///db.sqlite", "--json", cwd=workdir)
    assert proc.returncode == 0, proc.stderr
    [table] = json.loads(proc.stdout)["tables"]
    assert table["table"] == "kunden"
    assert [c["kind"] for c in table["columns"]][:3] == ["first_name", "email", "iban"]


def test_missing_source_is_one_error_line(workdir: Path) -> None:
    proc = run("nope.csv", cwd=workdir)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "nope.csv" in lines[0]
    assert proc.stdout == ""
