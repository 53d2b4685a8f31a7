"""The HTML report as a reviewer gets it: written beside the JSON, self-contained, escaped, and
holding no real value. (test_html_browser.py opens it in Chromium.)"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learnsynth import Synthesizer, api
from learnsynth.quality.html import render_html, verdict

XSS = "<script>alert(1)</script>"
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p",
                "b", "em", "nav", "a", "main", "section", "span", "ul", "li", "table", "thead",
                "tbody", "tr", "th", "td", "details", "summary", "div", "figure", "figcaption",
                "svg", "rect", "line", "polyline", "text", "pre", "code", "footer"}


class Page(HTMLParser):
    """The parts of a page the tests look at: tags, ids, text, attributes with URLs."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name == "id":
                self.ids.add(value or "")
            if name in {"href", "src", "xlink:href", "action"}:
                self.hrefs.append(value or "")

    def handle_data(self, data):
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(self.text)


def _frame(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 90, n)
    return pd.DataFrame({
        "age": age, "income": (age * 900 + rng.normal(0, 8000, n)).round(2),
        "plan": rng.choice(["basic", "plus", "pro"], n, p=[0.5, 0.3, 0.2]),
    })


def _report(tmp: Path, real: pd.DataFrame, synth: pd.DataFrame, name: str = "r"
            ) -> tuple[dict, str]:
    real.to_csv(tmp / f"{name}-real.csv", index=False)
    synth.to_csv(tmp / f"{name}-synth.csv", index=False)
    rep, path = api.report(str(tmp / f"{name}-real.csv"), str(tmp / f"{name}-synth.csv"),
                           out=tmp / f"{name}.json")
    html = path.with_suffix(".html")
    assert html.exists(), "the HTML report is written beside the JSON"
    return rep, html.read_text(encoding="utf-8")


# ---------------------------------------------------------------- privacy: canaries


CANARY = {"full_name": "Zebulon Quixotefeather", "email": "zebulon.qfeather@canary-mail.org",
          "ssn": "078-05-1120", "plan": "CANARYPLANZQ"}


@pytest.fixture(scope="module")
def canary_report(tmp_path_factory):
    """A model fitted on data with canary PII and a rare category, its output with one real row
    copied in (a leak the report must count but never show), and the report of the two."""
    from faker import Faker

    tmp = tmp_path_factory.mktemp("canary")
    fake = Faker("en_US")
    fake.seed_instance(3)
    n = 400
    real = _frame(n, 1)
    real.insert(0, "full_name", [fake.name() for _ in range(n)])
    real.insert(1, "email", [fake.unique.email() for _ in range(n)])
    real.insert(2, "ssn", [fake.unique.ssn() for _ in range(n)])
    for col, value in CANARY.items():
        real.loc[7, col] = value
    real.loc[8, "plan"] = CANARY["plan"]  # a category of 2 rows: below k = 5
    real.to_csv(tmp / "real.csv", index=False)
    Synthesizer(k=5, holdout=0.2, seed=0).fit(real.astype(str)).save("canary",
                                                                     store=str(tmp / "m"))
    api.sample("canary", 300, tmp / "out" / "s.csv", store=str(tmp / "m"), seed=2,
               reports_dir=str(tmp / "reports"))
    synth = pd.read_csv(tmp / "out" / "s.csv", dtype=str, keep_default_na=False)
    leaked = real.astype(str).iloc[[7]]
    pd.concat([synth, leaked], ignore_index=True).to_csv(tmp / "leaky.csv", index=False)
    rep, path = api.report(str(tmp / "real.csv"), str(tmp / "leaky.csv"), model="canary",
                           store=str(tmp / "m"), out=tmp / "leaky.json")
    return {"tmp": tmp, "real": real, "report": rep,
            "html": path.with_suffix(".html").read_text(encoding="utf-8"),
            "sample_html": (tmp / "reports" / "s-sample-report.html").read_text(encoding="utf-8")}


def test_no_real_pii_value_or_rare_category_reaches_the_html(canary_report):
    rep, html = canary_report["report"], canary_report["html"]
    assert rep["privacy"]["pii_leaks"]["status"] == "fail"  # the leak was found...
    assert rep["privacy"]["pii_leaks"]["direct_leaks"] >= 2
    for value in CANARY.values():  # ...and counted, never shown
        assert value.lower() not in html.lower()
        assert value.lower() not in canary_report["sample_html"].lower()
    real = canary_report["real"]
    for col in ("full_name", "email", "ssn"):
        shown = [v for v in real[col].astype(str) if v in html]
        assert shown == [], f"real {col} values in the HTML: {shown[:3]}"


def test_a_failed_privacy_test_leads_the_page(canary_report):
    html = canary_report["html"]
    page = Page(html)
    first_section = re.search(r'<section id="([^"]+)"', html).group(1)
    assert first_section == "verdict"
    assert "Not ready to share" in page.all_text
    assert "Real PII values found in the output" in page.all_text
    # the per-column scan shows the failing direct identifiers with counts
    email_row = re.search(r'<tr class="fail"><td class="col">email</td>.*?</tr>', html, re.S)
    assert email_row and "✗ FAIL" in email_row.group(0)


def test_pii_table_names_detector_hipaa_and_treatment(canary_report):
    page = Page(canary_report["html"])
    text = page.all_text
    for expected in ("(A) Names", "(F) Electronic mail addresses", "(G) Social security numbers",
                     "regenerated with Faker"):
        assert expected in text
    assert "HIPAA Safe Harbor identifier" in text


def test_sample_writes_the_html_beside_its_report(canary_report):
    html = canary_report["sample_html"]
    page = Page(html)
    assert {"verdict", "pii", "privacy", "fidelity", "lineage", "signoff"} <= page.ids
    assert "Privacy not fully assessed" in page.all_text
    assert "learnsynth sample canary@v1 --rows 300" in page.all_text
    assert (canary_report["tmp"] / "reports" / "s-sample-report.json").exists()


# ---------------------------------------------------------------- escaping, edge cases


def test_column_names_are_escaped(tmp_path):
    real = _frame(300).rename(columns={"income": XSS, "plan": 'a&b "quoted" \'x\''})
    rep, html = _report(tmp_path, real, _frame(300, 5).set_axis(real.columns, axis=1))
    assert XSS not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = Page(html)
    assert "script" not in page.tags
    assert set(page.tags) <= ALLOWED_TAGS
    assert XSS in page.all_text  # shown to the reader as text


def test_a_report_with_no_pii_column(tmp_path):
    rep, html = _report(tmp_path, _frame(300), _frame(300, 9))
    assert not any(c["pii"] for c in rep["pii_columns"])
    page = Page(html)
    assert "No column was found to hold PII" in page.all_text
    assert page.tags.count("svg") == len(rep["plots"]["columns"]) + 3  # overlays + 3 heatmaps


def test_a_one_column_table(tmp_path):
    rep, html = _report(tmp_path, _frame(200)[["age"]], _frame(200, 4)[["age"]])
    page = Page(html)
    assert "Fewer than two numeric or date columns" in page.all_text
    assert page.tags.count("svg") == 1
    assert "No pair of columns could be scored" in page.all_text


def test_unicode_column_names(tmp_path):
    names = {"age": "âge_ü", "income": "收入 💶", "plan": "план"}
    rep, html = _report(tmp_path, _frame(300).rename(columns=names),
                        _frame(300, 2).rename(columns=names))
    assert '<meta charset="utf-8">' in html
    text = Page(html).all_text
    for name in names.values():
        assert name in text


def test_the_page_is_self_contained(canary_report):
    html = canary_report["html"]
    page = Page(html)
    assert all(h.startswith("#") for h in page.hrefs), page.hrefs
    for banned in ("http://", "https://", "//cdn", "url(", "@import", "<script", "<link",
                   "<img", "<iframe"):
        assert banned not in html.lower()


def test_plots_and_tables_put_the_worst_columns_first(canary_report):
    rep, html = canary_report["report"], canary_report["html"]
    captions = re.findall(r'<figcaption><b class="col">([^<]+)</b>', html)
    shapes = [c["column"] for c in rep["fidelity"]["column_shapes"]["columns"]]
    assert captions == [c for c in shapes if c in captions]
    assert len(captions) == len(rep["plots"]["columns"])


def test_the_reproduce_command_and_lineage_are_shown(canary_report):
    rep, html = canary_report["report"], canary_report["html"]
    lin = rep["lineage"]
    pre = re.search(r'<pre class="command"><code>(.*?)</code></pre>', html, re.S).group(1)
    assert Page(pre).all_text == lin["command"]
    for key in ("source_fingerprint", "model_sha256", "model", "learnsynth_version",
                "created_at"):
        assert str(lin[key]) in html


def test_verdict_follows_the_privacy_statuses(canary_report):
    rep = copy.deepcopy(canary_report["report"])
    for key in ("dcr_share", "exact_copies", "pii_leaks"):
        rep["privacy"][key]["status"] = "pass"
    assert verdict(rep)["status"] == "pass"
    assert "Every privacy test passed" in render_html(rep)
    rep["privacy"]["dcr_share"]["status"] = "not_run"
    assert verdict(rep)["status"] == "not_run"
    rep["privacy"]["exact_copies"]["status"] = "fail"
    assert verdict(rep)["status"] == "fail"
    assert verdict(rep)["failed"][0].startswith("Exact copies of training rows")


# ---------------------------------------------------------------- property: any column name


@pytest.fixture(scope="module")
def base_report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prop")
    real = _frame(200).rename(columns={"income": "COLNAMEPLACEHOLDER"})
    rep, _ = _report(tmp, real, _frame(200, 3).set_axis(real.columns, axis=1))
    return json.dumps(rep, ensure_ascii=False)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=40).filter(lambda s: s.strip() and "\x00" not in s))
def test_any_column_name_renders_as_text(base_report, name):
    rep = json.loads(base_report.replace("COLNAMEPLACEHOLDER", json.dumps(name)[1:-1]))
    html = render_html(rep)
    page = Page(html)
    assert set(page.tags) <= ALLOWED_TAGS
    assert all(h.startswith("#") for h in page.hrefs)
    assert name in page.all_text  # whole, as text, in the tables


# ---------------------------------------------------------------- command line


def test_cli_out_html_writes_both_and_json_still_prints_json(tmp_path):
    _frame(200).to_csv(tmp_path / "real.csv", index=False)
    _frame(200, 6).to_csv(tmp_path / "synth.csv", index=False)
    done = subprocess.run([sys.executable, "-m", "learnsynth", "report", "real.csv", "synth.csv",
                           "--out", "rep/page.html", "--json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert printed == json.loads((tmp_path / "rep" / "page.json").read_text())
    page = (tmp_path / "rep" / "page.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "rep/page.json" in done.stderr and "rep/page.html" in done.stderr
