"""`learnsynth report` and the report `sample` writes, run as a user would."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from learnsynth.quality.report import Report

KEYS = set(Report.__annotations__)


def _run(*args: str, cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "learnsynth", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory, customers, customers_synth):
    root = tmp_path_factory.mktemp("cli")
    customers.to_csv(root / "real.csv", index=False)
    customers_synth.save("customers", store=str(root / "models"))
    return root


def test_sample_writes_a_report_and_no_report_skips_it(workdir):
    done = _run("sample", "customers", "--store", "models", "--rows", "1500", "--out",
                "out/s.csv", "--seed", "4", cwd=workdir)
    assert done.returncode == 0, done.stderr
    rep = json.loads((workdir / "reports" / "s-sample-report.json").read_text())
    assert KEYS <= set(rep)
    assert rep["fidelity"]["reference"] == "model"
    assert 0.8 < rep["fidelity"]["overall"] <= 1.0
    assert rep["privacy"]["status"] == "not_run"
    assert rep["variability"] is None
    assert rep["lineage"]["command"] == ("learnsynth sample customers@v1 --rows 1500 --out "
                                         "out/s.csv --seed 4 --store models")
    done = _run("sample", "customers", "--store", "models", "--rows", "100", "--out",
                "out/t.csv", "--no-report", cwd=workdir)
    assert done.returncode == 0, done.stderr
    assert not list((workdir / "reports").glob("t-*"))


def test_sample_and_report_of_one_output_write_distinct_reports(workdir):
    done = _run("sample", "customers", "--store", "models", "--rows", "800", "--out",
                "out/u.csv", "--seed", "5", cwd=workdir)
    assert done.returncode == 0, done.stderr
    done = _run("report", "real.csv", "out/u.csv", cwd=workdir)
    assert done.returncode == 0, done.stderr
    sampled = json.loads((workdir / "reports" / "u-sample-report.json").read_text())
    compared = json.loads((workdir / "reports" / "u-vs-real-report.json").read_text())
    assert sampled["fidelity"]["reference"] == "model"   # not overwritten by the report
    assert compared["fidelity"]["reference"] == "real"
    assert (workdir / "reports" / "u-sample-report.html").exists()
    assert (workdir / "reports" / "u-vs-real-report.html").exists()
    assert "u-vs-real-report.json" in done.stderr


def test_variability_report_scores_clean_rows_and_lists_injected_rates(workdir):
    config = workdir / "dirt.yaml"
    config.write_text("defaults: {missing: 0.3, typo: 0.1, outlier: 0.05}\n"
                      "near_duplicates: {rate: 0.1}\n")
    args = ("sample", "customers", "--store", "models", "--rows", "3000", "--out", "out/d.csv",
            "--seed", "6", "--chunk-rows", "1000")
    done = _run(*args, "--variability", "dirt.yaml", cwd=workdir)
    assert done.returncode == 0, done.stderr
    dirty = json.loads((workdir / "reports" / "d-sample-report.json").read_text())
    done = _run(*args[:-5], "out/c.csv", "--seed", "6", "--chunk-rows", "1000", cwd=workdir)
    assert done.returncode == 0, done.stderr
    clean = json.loads((workdir / "reports" / "c-sample-report.json").read_text())
    # fidelity is that of the clean rows: the same as sampling without --variability
    assert dirty["fidelity"]["overall"] == pytest.approx(clean["fidelity"]["overall"], abs=1e-12)
    assert dirty["fidelity"]["subsampling"]["synthetic_rows_used"] == 3000
    summary = json.loads((workdir / "out" / "d.variability.json").read_text())
    var = dirty["variability"]
    assert var["config"] == summary["config"] and var["rows"] == summary["rows"]
    assert var["rows"]["output"] > 3000                       # near-duplicates were added
    assert dirty["lineage"]["synthetic_rows"] == var["rows"]["output"]
    assert var["kinds"]["missing"]["configured"] == pytest.approx(0.3)
    assert 0.25 < var["kinds"]["missing"]["actual"] < 0.35
    assert var["near_duplicates"] == summary["near_duplicates"]
    assert var["summary"].endswith("d.variability.json")
    page = (workdir / "reports" / "d-sample-report.html").read_text(encoding="utf-8")
    assert 'id="variability"' in page and "near-duplicate rows" in page
    assert "30.0%" in page                                     # the configured missing rate
    assert 'id="variability"' not in (workdir / "reports" / "c-sample-report.html").read_text(
        encoding="utf-8")
    assert dirty["lineage"]["command"] == (
        "learnsynth sample customers@v1 --rows 3000 --out out/d.csv --seed 6 --store models "
        "--chunk-rows 1000 --variability dirt.yaml")
    # the reproduce command reproduces the output byte for byte
    first = (workdir / "out" / "d.csv").read_bytes()
    done = _run(*dirty["lineage"]["command"].split()[1:], "--overwrite", cwd=workdir)
    assert done.returncode == 0, done.stderr
    assert (workdir / "out" / "d.csv").read_bytes() == first


def test_report_json_to_stdout_and_file(workdir):
    _run("sample", "customers", "--store", "models", "--rows", "2000", "--out", "out/r.csv",
         "--no-report", cwd=workdir)
    done = _run("report", "real.csv", "out/r.csv", "--model", "customers", "--store", "models",
                "--out", "rep/r.json", "--json", cwd=workdir)
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert printed == json.loads((workdir / "rep" / "r.json").read_text())
    assert {"overall", "column_shapes", "column_pair_trends"} <= set(printed["fidelity"])
    assert {"dcr_share", "exact_copies", "pii_leaks"} <= set(printed["privacy"])
    assert printed["lineage"]["model"] == "customers@v1"
    assert printed["lineage"]["source_fingerprint"]
    scores = [c["score"] for c in printed["fidelity"]["column_shapes"]["columns"]]
    assert scores == sorted(scores)  # worst first
    pii = {c["column"]: c for c in printed["pii_columns"]}
    assert pii["email"]["hipaa_identifier"].startswith("(F)")
    assert pii["email"]["role"] == "direct" and pii["income"]["pii"] is False
    assert set(printed["risks"]) == {"singling_out", "linkability", "inference"}
    # no raw PII value of the real data reaches the report
    text = (workdir / "rep" / "r.json").read_text()
    real = (workdir / "real.csv").read_text().splitlines()[1].split(",")
    assert real[3] not in text and real[4] not in text


@pytest.mark.parametrize(("args", "needle"), [
    (["report", "missing.csv", "real.csv"], "missing.csv"),
    (["report", "real.csv", "real.csv", "--model", "nosuch", "--store", "models"], "nosuch"),
    (["report", "real.csv", "few.csv"], "lacks column"),
    (["report", "real.csv", "more.csv"], "'extra'"),
    (["report", "head.csv", "real.csv", "--model", "customers", "--store", "models"],
     "profiled from"),
])
def test_bad_input_is_one_line_and_exit_2(workdir, customers, args, needle):
    customers[["age", "income"]].to_csv(workdir / "few.csv", index=False)
    customers.assign(extra=1).to_csv(workdir / "more.csv", index=False)
    customers.head(100).to_csv(workdir / "head.csv", index=False)
    done = _run(*args, cwd=workdir)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0]
    assert "Traceback" not in done.stderr
