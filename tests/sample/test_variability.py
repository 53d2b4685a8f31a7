"""Variability injection: what a user checks — the log replays exactly, rates match the config,
dirt lands only where it makes sense, and the output depends on the seed alone."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from faker import Faker
from stdnum import iban as std_iban
from stdnum import luhn

from learnsynth import Synthesizer, api
from learnsynth.sample.sampler import iter_chunks
from learnsynth.sample.variability import (
    VariabilityTransform,
    apply_log,
    load_variability,
    parse_variability,
    plan,
)
from tests.conftest import people_frame

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "variability.yaml"
HEAVY = {"defaults": {"typo": 0.03, "missing": 0.03, "format": 0.03, "outlier": 0.02,
                      "invalid": 0.03},
         "columns": {"customer_id": {"typo": 0.01}},
         "near_duplicates": {"rate": 0.03, "fields": 2}}


def _money_frame(n: int = 1500, seed: int = 5) -> pd.DataFrame:
    """People plus phones, cards and IBANs (all fake), so every kind of dirt has a column."""
    frame = people_frame(n, seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    frame["phone"] = [f"({fake.numerify('2##')}) {fake.numerify('###')}-{fake.numerify('####')}"
                      for _ in range(n)]
    frame["card"] = [fake.credit_card_number(card_type="visa16") for _ in range(n)]
    frame["iban"] = [fake.iban() for _ in range(n)]
    return frame


@pytest.fixture(scope="module")
def synth() -> Synthesizer:
    return Synthesizer(seed=0).fit(_money_frame())


def _csv_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as the CSV writer (Arrow) writes it; '' for null."""
    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    text = {n: pc.fill_null(table[n].cast(pa.string()), "").to_pylist()
            for n in table.column_names}
    return pd.DataFrame(text, dtype=object)


def _run(synth: Synthesizer, doc: dict, n: int, seed: int, chunk_rows: int):
    tm = synth.model_.table()
    transform = VariabilityTransform(plan(parse_variability(doc, "t.yaml"), tm), seed, n,
                                     chunk_rows)
    clean, dirty, logs, counts = [], [], [], []
    for i, chunk in enumerate(iter_chunks(tm, n, seed, chunk_rows)):
        clean.append(chunk)
        out, extra = transform(i, i * chunk_rows, chunk)
        dirty.append(out)
        logs.append(extra["variability_log"])
        counts.append(extra["variability_counts"])
    return clean, dirty, pd.concat(logs, ignore_index=True), counts, transform


def test_model_knows_the_columns_dirt_needs(synth: Synthesizer) -> None:
    kinds = {c.name: c.details.get("pii_kind") for c in synth.model_.table().columns}
    assert kinds["card"] == "credit_card" and kinds["iban"] == "iban"
    assert kinds["phone"] == "phone" and kinds["email"] == "email"


def test_dirt_lands_only_where_it_applies(synth: Synthesizer) -> None:
    _, _, log, _, _ = _run(synth, HEAVY, 6000, 3, 2000)
    by = log.groupby(["kind", "variant"])["column"].agg(lambda c: set(c.dropna()))
    assert by[("format", "phone")] == {"phone"}
    assert by[("invalid", "checksum")] == {"card", "iban"}
    assert by[("invalid", "email")] == {"email"}
    assert by[("format", "date")] <= {"signup"}
    outlier_cols = set(log.loc[log["kind"] == "outlier", "column"])
    assert outlier_cols <= {"age", "income", "credit_score", "signup"}
    assert "customer_id" not in set(log.loc[log["kind"] != "typo", "column"].dropna()) - {
        "customer_id"} or set(log.loc[(log["column"] == "customer_id"), "variant"]) <= {
        "adjacent", "transpose", "delete", "insert", "double", "new_key"}


def test_broken_checksums_fail_the_real_checks(synth: Synthesizer) -> None:
    _, _, log, _, _ = _run(synth, HEAVY, 6000, 4, 3000)
    broken = log[(log["kind"] == "invalid") & (log["variant"] == "checksum")]
    cards = broken[broken["column"] == "card"]
    ibans = broken[broken["column"] == "iban"]
    assert len(cards) > 20 and len(ibans) > 20
    assert all(luhn.is_valid(c) for c in cards["clean"])
    assert not any(luhn.is_valid(d) for d in cards["dirty"])
    assert all(len(c) == len(d) for c, d in zip(cards["clean"], cards["dirty"], strict=True))
    assert all(std_iban.is_valid(c) for c in ibans["clean"])
    assert not any(std_iban.is_valid(d) for d in ibans["dirty"])
    emails = log[(log["kind"] == "invalid") & (log["variant"] == "email")]["dirty"]
    assert not any(e.count("@") == 1 and "." in e.split("@")[1] and " " not in e
                   and ".." not in e and "," not in e and not e.startswith("@") for e in emails)


def test_rates_match_the_config_within_binomial_tolerance(synth: Synthesizer) -> None:
    clean, _, log, counts, transform = _run(synth, HEAVY, 40_000, 9, 10_000)
    cells = log[log["row"].isin(log["row"]) & log["source_row"].isna()]
    for cp in transform.plan.columns:
        eligible = int(sum(c.notna().sum() for c in (ch[cp.name] for ch in clean)))
        for kind, rate in cp.rates.items():
            got = int(((cells["column"] == cp.name) & (cells["kind"] == kind)).sum())
            sd = np.sqrt(eligible * rate * (1 - rate))
            assert abs(got - eligible * rate) <= 4 * sd + 1, (cp.name, kind, got, eligible)
    copies = int(((log["kind"] == "duplicate") & (log["variant"] == "copy")).sum())
    sd = np.sqrt(40_000 * 0.03 * 0.97)
    assert abs(copies - 1200) <= 4 * sd
    assert copies == sum(c["duplicates"] for c in counts)


def test_every_logged_change_is_a_change(synth: Synthesizer) -> None:
    _, _, log, _, _ = _run(synth, HEAVY, 5000, 2, 5000)
    cells = log[log["column"].notna() & (log["kind"] != "duplicate")]
    assert len(cells) > 1000
    assert (cells["clean"].fillna("\0") != cells["dirty"].fillna("\0")).all()


def test_near_duplicates_copy_a_clean_row_and_get_fresh_keys(synth: Synthesizer) -> None:
    clean, dirty, log, _, _ = _run(synth, HEAVY, 6000, 8, 2000)
    frame = pd.concat(dirty)
    assert frame.index.equals(pd.RangeIndex(0, len(frame)))
    copies = log[(log["kind"] == "duplicate") & (log["variant"] == "copy")]
    fresh = frame.loc[copies["row"], "customer_id"]
    assert fresh.is_unique and not set(fresh) & set(pd.concat(clean)["customer_id"])
    changed = log[log["column"].notna()].groupby("row")["column"].agg(set)
    clean_all = _csv_text(pd.concat(clean))
    frame = _csv_text(frame)
    nondup = np.setdiff1d(np.arange(len(frame)), copies["row"].to_numpy())
    for row, source in zip(copies["row"][:50], copies["source_row"][:50], strict=True):
        original = clean_all.iloc[int(np.searchsorted(nondup, source))]
        same = [c for c in frame.columns if c not in changed.get(row, set())]
        assert len(same) >= len(frame.columns) - 3
        assert frame.loc[row, same].tolist() == original[same].tolist()


def test_in_memory_log_replays_exactly(synth: Synthesizer) -> None:
    clean, dirty, log, _, _ = _run(synth, HEAVY, 5000, 1, 2000)
    as_read = log.assign(**{c: log[c].fillna("").astype(object) for c in ("column", "dirty")})
    replayed = apply_log(_csv_text(pd.concat(clean)), as_read)
    pd.testing.assert_frame_equal(replayed, _csv_text(pd.concat(dirty)))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, synth: Synthesizer) -> str:
    root = tmp_path_factory.mktemp("store")
    synth.save("money", str(root / "models"))
    return str(root / "models")


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_clean_output_plus_log_reproduces_the_dirty_file(store: str, tmp_path: Path) -> None:
    cfg = tmp_path / "dirt.yaml"
    cfg.write_text(json.dumps(HEAVY))
    api.sample("money", 7000, tmp_path / "clean.csv", store=store, seed=5, chunk_rows=2500,
               no_report=True)
    api.sample("money", 7000, tmp_path / "dirty.csv", store=store, seed=5, chunk_rows=2500,
               no_report=True, variability=cfg)
    clean, dirty = _read(tmp_path / "clean.csv"), _read(tmp_path / "dirty.csv")
    log = _read(tmp_path / "dirty.variability.csv")
    assert len(dirty) > len(clean) and not clean.equals(dirty.iloc[: len(clean)])
    pd.testing.assert_frame_equal(apply_log(clean, log), dirty.astype(object))
    summary = json.loads((tmp_path / "dirty.variability.json").read_text())
    assert summary["rows"] == {"clean": 7000, "near_duplicates": len(dirty) - 7000,
                               "output": len(dirty)}
    assert set(summary["kinds"]) == {"typo", "missing", "format", "outlier", "invalid"}
    assert summary["columns"]["email"]["invalid"]["configured"] == 0.03


def test_same_seed_same_bytes_whatever_jobs(store: str, tmp_path: Path) -> None:
    cfg = tmp_path / "dirt.yaml"
    cfg.write_text(json.dumps(HEAVY))
    outs = []
    for jobs in (1, 2):
        out = tmp_path / f"j{jobs}" / "dirty.parquet"
        api.sample("money", 6000, out, store=store, seed=11, chunk_rows=1500, jobs=jobs,
                   no_report=True, variability=cfg)
        outs.append(out)
    assert outs[0].read_bytes() == outs[1].read_bytes()
    logs = [o.with_name("dirty.variability.parquet").read_bytes() for o in outs]
    assert logs[0] == logs[1]
    other = tmp_path / "other.parquet"
    api.sample("money", 6000, other, store=store, seed=12, chunk_rows=1500, no_report=True,
               variability=cfg)
    assert other.read_bytes() != outs[0].read_bytes()


def test_folder_output_writes_log_parts_in_a_sibling_folder(store: str, tmp_path: Path) -> None:
    cfg = tmp_path / "dirt.yaml"
    cfg.write_text(json.dumps(HEAVY))
    api.sample("money", 3000, str(tmp_path / "parts") + "/", store=store, seed=2,
               chunk_rows=1000, no_report=True, variability=cfg, fmt="csv")
    parts = sorted((tmp_path / "parts.variability").iterdir())
    assert [p.name for p in parts] == ["part-00000.csv", "part-00001.csv", "part-00002.csv"]
    assert (tmp_path / "parts.variability.json").exists()


def test_example_config_is_valid_for_the_demo_columns() -> None:
    config = load_variability(EXAMPLE)
    assert config.near_duplicates.rate == 0.01
    assert config.columns["notes"] == {"typo": 0.0, "format": 0.0}


def test_number_columns_stay_numbers_without_text_dirt(synth: Synthesizer) -> None:
    doc = {"defaults": {"outlier": 0.05, "missing": 0.05}, "variants": {"missing": [None]},
           "near_duplicates": {"rate": 0.05, "fields": 2, "kinds": ["missing"]}}
    clean, dirty, log, _, _ = _run(synth, doc, 3000, 3, 1000)
    for before, after in zip(clean, dirty, strict=True):
        assert after.dtypes.to_dict() == before.dtypes.to_dict()
    assert str(dirty[0]["age"].dtype) == "Int64" and dirty[0]["income"].dtype == "float64"
    outliers = log[log["kind"] == "outlier"]
    assert {"x10", "x1000", "sign", "range"} <= set(outliers["variant"])
    as_read = log.assign(**{c: log[c].fillna("").astype(object) for c in ("column", "dirty")})
    replayed = apply_log(_csv_text(pd.concat(clean)), as_read)
    pd.testing.assert_frame_equal(replayed, _csv_text(pd.concat(dirty)))
