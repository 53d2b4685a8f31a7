"""Reference tables: public lookup tables copied as they are, and foreign keys that point at them.

Data: a fake subscription business built in code. ``plans`` (4 rows, integer keys, a fee) and
``countries`` (12 rows, text codes) are public lookup tables; ``customers`` reference both, and
``orders`` reference customers (a modelled relationship, keys regenerated). Premium customers
spend more, and the country ``ZZ`` is used by only two customers (below k).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsynth.config import ColumnOverride, ProfileOptions, load_config
from learnsynth.errors import ArtifactError, ConfigError, InvalidInputError
from learnsynth.model import Model
from learnsynth.profile.relations import Relationship
from learnsynth.quality.relational import referential_integrity
from learnsynth.relational import reference
from learnsynth.relational.reference import reference_of, reference_rows
from learnsynth.synthesizer import Synthesizer

ROOT = Path(__file__).resolve().parents[2]
RELS = (
    Relationship("plans", "plan_id", "customers", "plan_id"),
    Relationship("countries", "code", "customers", "country"),
    Relationship("customers", "customer_id", "orders", "customer_id"),
)
CODES = ["DE", "FR", "IT", "ES", "NL", "BE", "AT", "PL", "SE", "DK", "FI", "ZZ"]


def business(n: int = 1500, seed: int = 11) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    plans = pd.DataFrame({"plan_id": [1, 2, 3, 4], "name": ["free", "basic", "plus", "premium"],
                          "fee": [0.0, 4.99, 9.99, 24.99]})
    countries = pd.DataFrame({"code": CODES, "region": ["west"] * 6 + ["east"] * 3 + ["north"]
                              * 2 + ["none"]})
    plan = rng.choice([1, 2, 3, 4], n, p=[0.4, 0.3, 0.2, 0.1])
    share = np.array([30, 20, 15, 10, 8, 6, 4, 3, 2, 1, 1, 0], dtype=float)
    country = rng.choice(CODES, n, p=share / share.sum()).astype(object)
    country[:2] = "ZZ"  # two customers: a key with fewer than k children
    country[2:7] = "XX"  # five orphans: a code the countries table lacks
    customers = pd.DataFrame({
        "customer_id": np.arange(1, n + 1) * 3,
        "plan_id": plan,
        "country": country,
        "spend": np.round(rng.gamma(2.0, 10.0 * plan), 2),
    })
    owner = np.repeat(np.arange(n), rng.poisson(2.0, n))
    orders = pd.DataFrame({"order_id": np.arange(owner.size) + 100,
                           "customer_id": customers["customer_id"].to_numpy()[owner],
                           "amount": np.round(rng.gamma(2.0, 15.0, owner.size), 2)})
    return {"plans": plans, "countries": countries, "customers": customers, "orders": orders}


@pytest.fixture(scope="module")
def data() -> dict[str, pd.DataFrame]:
    return business()


@pytest.fixture(scope="module")
def fitted(data: dict[str, pd.DataFrame]) -> Synthesizer:
    return Synthesizer(reference_tables=("plans", "countries"), seed=0).fit(
        data, relationships=RELS, progress=False)


@pytest.fixture(scope="module")
def sampled(fitted: Synthesizer) -> dict[str, pd.DataFrame]:
    return fitted.sample_tables(seed=4)


def test_reference_tables_are_written_exactly_as_read(data, sampled) -> None:
    for name in ("plans", "countries"):
        got = sampled[name]
        assert list(got.columns) == list(data[name].columns)
        assert got.astype(object).values.tolist() == data[name].astype(object).values.tolist()
    assert pd.api.types.is_integer_dtype(sampled["plans"]["plan_id"])
    assert pd.api.types.is_float_dtype(sampled["plans"]["fee"])


def test_reference_tables_keep_their_size_whatever_rows_or_scale(fitted) -> None:
    small = fitted.sample_tables(10, seed=1)
    assert len(small["customers"]) == 10 and len(small["plans"]) == 4
    big = fitted.sample_tables(scale=2.0, seed=1)
    assert len(big["countries"]) == 12 and len(big["customers"]) == 3000


def test_every_foreign_key_into_a_reference_table_points_at_one_of_its_rows(sampled) -> None:
    result = referential_integrity(sampled, RELS)
    for label, entry in result.items():
        assert entry["share"] == 1.0 and entry["checked"] > 0, (label, entry)
    assert sampled["customers"]["plan_id"].dtype == sampled["plans"]["plan_id"].dtype


def test_each_key_keeps_its_share_of_children(data, sampled) -> None:
    real = data["customers"]["plan_id"].value_counts()
    synth = sampled["customers"]["plan_id"].value_counts()
    for plan_id, count in real.items():  # one chunk: each share exact to a row
        assert abs(int(synth.get(plan_id, 0)) - int(count)) <= 1, (plan_id, count, synth)


def test_rare_keys_and_orphans_point_only_at_keys_not_kept(data, fitted, sampled) -> None:
    column = fitted.model_.table("customers").column("country")
    assert "ZZ" not in column.categories and "XX" not in column.categories
    assert "_RARE_" in column.categories
    kept = {str(c) for c in column.categories}
    rare_rows = ~sampled["customers"]["country"].isin(kept)
    assert rare_rows.sum() > 0  # the two ZZ customers and five orphans have their share
    assert set(sampled["customers"]["country"][rare_rows]) == {"ZZ"}  # the only key not kept


def test_children_follow_the_reference_key_through_the_copula(sampled) -> None:
    spend = sampled["customers"].groupby("plan_id")["spend"].median()
    assert spend[4] > 2.5 * spend[1], spend  # premium customers spend more, as in the data


def test_modelled_relationships_still_regenerate_keys(data, sampled) -> None:
    real_ids = set(data["customers"]["customer_id"])
    synth_ids = set(sampled["customers"]["customer_id"])
    assert len(synth_ids & real_ids) < len(synth_ids)  # regenerated, not copied ...
    assert sampled["orders"]["customer_id"].isin(synth_ids).all()  # ... and joining


def test_the_artifact_holds_the_reference_rows_and_no_modelled_row(fitted, data) -> None:
    files = fitted.model_.to_files()
    doc = json.loads(files["model.json"])
    plans = next(t for t in doc["tables"] if t["name"] == "plans")
    assert plans["reference"]["values"][1] == ["free", "basic", "plus", "premium"]
    assert plans["columns"] == [] and plans["blocks"] == []
    assert doc["options"]["reference_tables"] == ["countries", "plans"]
    text = files["model.json"].decode()
    for spend in data["customers"]["spend"].nlargest(3):  # the modelled table's extremes
        assert f"{spend}" not in text
    again = Model.from_files(files)
    assert again.to_files() == files
    assert again.table("countries").reference is not None


def test_same_seed_same_rows(fitted) -> None:
    a = fitted.sample_tables(seed=9)["customers"]
    b = fitted.sample_tables(seed=9, chunk_rows=400)["customers"]
    c = fitted.sample_tables(seed=9)["customers"]
    pd.testing.assert_frame_equal(a, c)
    assert len(a) == len(b)


def _tamper(files: dict[str, bytes], change) -> dict[str, bytes]:
    doc = json.loads(files["model.json"])
    change(doc)
    return {**files, "model.json": json.dumps(doc).encode()}


@pytest.mark.parametrize("change, message", [
    (lambda d: d["tables"][0]["reference"]["values"][0].append(9), "equally long"),
    (lambda d: d["tables"][0]["reference"]["types"].__setitem__(0, "blob"), "types"),
    (lambda d: d.update(schema_version=3), "version-3 model cannot"),
    (lambda d: d["tables"][0].update(n_rows=99), "as many as its row count"),
])
def test_a_damaged_reference_table_is_refused(fitted, change, message) -> None:
    files = _tamper(fitted.model_.to_files(), change)
    with pytest.raises(ArtifactError, match=message):
        Model.from_files(files)


def test_a_foreign_key_into_a_reference_table_must_be_its_categorical(fitted) -> None:
    def change(doc):
        for col in next(t for t in doc["tables"] if t["name"] == "customers")["columns"]:
            if col["name"] == "plan_id":
                col["details"].pop("references")
    with pytest.raises(ArtifactError, match="is not a categorical referencing plans.plan_id"):
        Model.from_files(_tamper(fitted.model_.to_files(), change))


# ---------------------------------------------------------------- what qualifies


def test_unknown_reference_table_is_one_clear_error(data) -> None:
    with pytest.raises(InvalidInputError, match="reference_tables names 'plan'"):
        Synthesizer(reference_tables=("plan",)).fit(data, relationships=RELS, progress=False)


def test_a_reference_table_with_pii_is_refused_unless_declared_public(data) -> None:
    rng = np.random.default_rng(0)
    people = pd.DataFrame({"rep_id": range(1, 41), "email": [
        f"{a}.{b}@example.org" for a, b in zip(rng.choice(["ann", "bob", "eve", "joe"], 40),
                                                rng.choice(["lee", "kim", "roe", "fox"], 40),
                                                strict=True)]})
    tables = {**data, "reps": people}
    with pytest.raises(InvalidInputError, match="column 'email' looks like PII"):
        Synthesizer(reference_tables=("reps",)).fit(tables, progress=False)
    options = ProfileOptions(reference_tables=("reps",),
                             columns={"reps.email": ColumnOverride(pii=False)})
    synth = Synthesizer(options).fit({"reps": people}, progress=False)
    assert synth.sample_tables(seed=0)["reps"]["email"].tolist() == people["email"].tolist()


def test_a_reference_table_pointing_at_a_modelled_table_is_refused(data) -> None:
    sellers = pd.DataFrame({"seller_id": range(1, 51), "rating": np.linspace(1, 5, 50)})
    tables = {**data, "sellers": sellers, "plans": data["plans"].assign(seller_id=[1, 2, 3, 4])}
    rels = (*RELS, Relationship("sellers", "seller_id", "plans", "seller_id"))
    with pytest.raises(InvalidInputError, match="into the modelled table 'sellers'"):
        Synthesizer(reference_tables=("plans", "countries")).fit(
            tables, relationships=rels, progress=False)


def test_a_large_or_subsampled_reference_table_is_refused(data, monkeypatch) -> None:
    monkeypatch.setattr(reference, "MAX_ROWS", 10)
    with pytest.raises(InvalidInputError, match="has 12 rows; .* at most 10"):
        Synthesizer(reference_tables=("countries",)).fit(data, relationships=RELS,
                                                         progress=False)
    with pytest.raises(InvalidInputError, match="read as a subsample"):
        reference.check_reference_tables(ProfileOptions(reference_tables=("countries",)),
                                         data, RELS, {"countries": 50})


@pytest.mark.parametrize("text, message", [
    ("reference_tables: airlines\n", "must be a list of table names"),
    ("reference_tables: [a, a]\n", "names 'a' twice"),
    ("reference_tables: [1]\n", "must be a list of table names"),
])
def test_config_mistakes_are_one_line(tmp_path, text, message) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(path, ProfileOptions())


# ---------------------------------------------------------------- rows kept as they were


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(
    st.one_of(st.none(), st.integers(-2**53, 2**53)),
    st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, width=64)),
    st.one_of(st.none(), st.text(max_size=8)),
    st.one_of(st.none(), st.booleans()),
    st.one_of(st.none(), st.datetimes(min_value=pd.Timestamp("1900-01-01").to_pydatetime(),
                                      max_value=pd.Timestamp("2200-01-01").to_pydatetime())),
), min_size=1, max_size=20))
def test_reference_rows_round_trip_through_the_artifact(rows) -> None:
    ints, floats, texts, bools, times = zip(*rows, strict=True)
    frame = pd.DataFrame({
        "i": pd.array(list(ints), dtype="Int64"), "f": pd.array(list(floats), dtype="Float64")
        .astype(float), "t": pd.Series(list(texts), dtype=object),
        "b": pd.array(list(bools), dtype="boolean"),
        "d": pd.to_datetime(pd.Series(list(times), dtype=object)),
        "z": pd.to_datetime(pd.Series(list(times), dtype=object)).dt.tz_localize("UTC")
        .dt.tz_convert("Europe/Paris"),
    })
    ref = reference_of("r", frame)
    parsed = Model.from_files(Model((_table(ref),), {}, (), 4).to_files())
    back = reference_rows(parsed.tables[0].reference, 0, len(frame))
    for column in frame.columns:
        want = frame[column].astype(object).where(frame[column].notna(), None).tolist()
        got = back[column].astype(object).where(back[column].notna(), None).tolist()
        assert got == want, column
    assert str(back["z"].dtype) == str(frame["z"].dtype)


def _table(ref):
    from learnsynth.model import TableModel

    return TableModel("r", ref.n_rows, (), (), ref)


def test_infinite_numbers_in_a_reference_table_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="column 'x' holds infinite numbers"):
        reference_of("r", pd.DataFrame({"x": [1.0, np.inf]}))


# ---------------------------------------------------------------- the command line


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-m", "learnsynth", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_profile_and_sample_copy_reference_tables_from_the_command_line(tmp_path, data) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    for name, frame in data.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    (tmp_path / "c.yaml").write_text(
        "reference_tables: [plans, countries]\nrelationships:\n"
        "  - {child: customers.plan_id, parent: plans.plan_id}\n"
        "  - {child: customers.country, parent: countries.code}\n")
    proc = _cli("profile", "data", "--name", "biz", "--config", "c.yaml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "table plans: 4 rows copied as they are (reference table)" in proc.stderr
    doc = json.loads(next((tmp_path / "profiles").glob("biz-v1.json")).read_text())
    assert {t["table"]: t["reference"] for t in doc["tables"]}["countries"] is True
    proc = _cli("sample", "biz", "--scale", "1", "--out", "out/", "--format", "csv",
                cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "copied as they are (reference tables, no report): plans, countries" in proc.stderr \
        or "copied as they are (reference tables, no report): countries, plans" in proc.stderr
    assert not list((tmp_path / "reports").glob("*-plans-sample-report.json"))
    assert list((tmp_path / "reports").glob("*-customers-sample-report.json"))
    plans = pd.read_csv(tmp_path / "out" / "plans.csv")
    pd.testing.assert_frame_equal(plans, data["plans"])
    customers = pd.read_csv(tmp_path / "out" / "customers.csv")
    assert customers["plan_id"].isin(plans["plan_id"]).all()
    outs = []
    for jobs in ("1", "2"):  # rare keys drawn per chunk: the same bytes on any number of jobs
        proc = _cli("sample", "biz", "--scale", "1", "--out", f"j{jobs}/", "--format", "csv",
                    "--chunk-rows", "300", "--jobs", jobs, "--seed", "3", "--no-report",
                    cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        outs.append((tmp_path / f"j{jobs}" / "customers.csv").read_bytes())
    assert outs[0] == outs[1]
    (tmp_path / "bad.yaml").write_text("reference_tables: [nope]\n")
    proc = _cli("profile", "data", "--name", "b2", "--config", "bad.yaml", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "error: reference_tables names 'nope', which is not among the tables read "
        "(countries, customers, orders, plans)."]


def test_text_read_from_csv_is_typed_only_where_it_round_trips() -> None:
    frame = pd.DataFrame({"id": ["1", "2", "30"], "fee": ["0.0", "4.99", None],
                          "zip": ["007", "10", "2"], "price": ["4.990", "1", "2"],
                          "big": ["1e5", "2", "3"]}, dtype=object)
    ref = reference_of("r", frame)
    assert dict(zip(ref.columns, ref.types, strict=True)) == {
        "id": "integer", "fee": "float", "zip": "string", "price": "string", "big": "string"}
    back = reference_rows(ref, 0, 3)
    assert back["id"].tolist() == [1, 2, 30] and back["zip"].tolist() == ["007", "10", "2"]
    assert back["fee"].tolist()[:2] == [0.0, 4.99] and pd.isna(back["fee"].iloc[2])


def test_an_empty_reference_table_with_children_is_refused(data) -> None:
    tables = {**data, "plans": data["plans"].iloc[:0]}
    with pytest.raises(InvalidInputError, match="Reference table 'plans' is empty"):
        Synthesizer(reference_tables=("plans", "countries")).fit(
            tables, relationships=RELS, progress=False)


def test_a_database_gets_the_reference_rows_typed_and_joining(tmp_path, fitted) -> None:
    import sqlite3

    from learnsynth.sample.relational import sample_model

    db = tmp_path / "out.db"
    sample_model(fitted.model_, f"sqlite:///{db}", seed=2, chunk_rows=500)
    with sqlite3.connect(db) as con:
        assert con.execute("select plan_id, name, fee from plans").fetchall() == [
            (1, "free", 0.0), (2, "basic", 4.99), (3, "plus", 9.99), (4, "premium", 24.99)]
        joined = con.execute("select count(*) from customers c join plans p "
                             "on c.plan_id = p.plan_id join countries k on c.country = k.code")
        assert joined.fetchone()[0] == con.execute("select count(*) from customers").fetchone()[0]
        schema = con.execute("select sql from sqlite_master where name = 'customers'").fetchone()
        assert 'REFERENCES "plans" ("plan_id")' in schema[0]


def test_report_on_a_copied_table_says_why_there_is_nothing_to_score(tmp_path, data) -> None:
    synth = Synthesizer(reference_tables=("plans", "countries")).fit(
        data, relationships=RELS, progress=False)
    ref = synth.save("biz", str(tmp_path / "models"))
    data["plans"].to_csv(tmp_path / "plans.csv", index=False)
    proc = _cli("report", "plans.csv", "plans.csv", "--model", ref.spec, "--store", "models",
                "--table", "plans", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "'plans' of model 'biz@v1' is a reference table" in proc.stderr


def test_html_profile_shows_a_reference_table_as_read(tmp_path) -> None:
    pytest.importorskip("ydata_profiling")
    from learnsynth.profile.html import write_html_profile

    small = business(200)
    synth = Synthesizer(reference_tables=("plans", "countries")).fit(
        small, relationships=RELS, progress=False)
    path = write_html_profile(small, synth, tmp_path / "p.html")
    page = path.read_text(encoding="utf-8")
    assert page.count("<iframe") == 4
    assert "Reference table of 4 rows, declared public" in page
    assert "premium" in page  # the public rows are shown as they are


def test_nothing_of_a_reference_table_is_held_out(data) -> None:
    synth = Synthesizer(reference_tables=("plans", "countries"), holdout=0.2, seed=1).fit(
        data, relationships=RELS, progress=False)
    assert synth.holdout_["plans"]["fraction"] == 0.0
    assert synth.holdout_["plans"]["rows_held_out"] == 0
    assert synth.holdout_["customers"]["rows_held_out"] == 300
    assert len(synth.sample_tables(seed=2)["countries"]) == 12


def test_null_foreign_keys_into_a_reference_table_stay_null(data) -> None:
    customers = data["customers"].copy()
    customers["plan_id"] = customers["plan_id"].astype(object)
    customers.loc[::10, "plan_id"] = None
    customers.loc[5::10, "country"] = None
    tables = {**data, "customers": customers}
    synth = Synthesizer(reference_tables=("plans", "countries")).fit(
        tables, relationships=RELS, progress=False)
    out = synth.sample_tables(seed=1)
    assert abs(out["customers"]["plan_id"].isna().mean() - 0.1) < 0.01
    assert abs(out["customers"]["country"].isna().mean() - 0.1) < 0.01
    result = referential_integrity(out, RELS[:2])
    assert all(e["share"] == 1.0 and e["nulls"] > 0 for e in result.values()), result
    present = out["customers"]["plan_id"].dropna()
    assert set(present.astype(int)) <= {1, 2, 3, 4}
