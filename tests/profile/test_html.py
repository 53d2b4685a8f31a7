"""``profile --html``: the ydata-profiling report exists, and holds no PII, row or rare value.

Canaries are planted in the input (a unique name and e-mail, a one-off category, a 130-year age,
a huge income, unique free-text notes) and searched for in the HTML, in the forms a reader would
see: as written, lower- and upper-case, and as numbers in the age column's statistics.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from learnsynth.model import ColumnModel, TableModel
from learnsynth.profile import html as html_module
from learnsynth.profile.html import privacy_view
from learnsynth.profile.marginals import fit_marginal
from tests.conftest import people_frame

pytest.importorskip("ydata_profiling")  # the `html` extra; `make test` installs it

CANARY_NAME = "Zebulonius"
CANARY_EMAIL = "zebulonius.quixotewright@canary-mail.org"
CANARY_CATEGORY = "platinum-canary-tier"
CANARY_INCOME = "9876543.21"


def _run(*args: str, cwd: Path, prelude: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop("LEARNSYNTH_SIGNING_KEY", None)
    code = f"{prelude}import sys; from learnsynth.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def _visible_text(page: str) -> str:
    """What a reader sees: no scripts, styles, SVG plots or tags; whitespace collapsed."""
    page = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("html")
    frame = people_frame(1200, seed=5)
    frame.loc[17, "first_name"] = CANARY_NAME
    frame.loc[17, "email"] = CANARY_EMAIL
    frame.loc[17, "age"] = "130"
    frame.loc[18, "income"] = CANARY_INCOME
    frame.loc[19, "segment"] = CANARY_CATEGORY
    frame["notes"] = [f"called on day {i}, said qzx{i * 7919 % 100003:05d} about the order"
                      for i in range(len(frame))]
    frame.to_csv(root / "people.csv", index=False)
    proc = _run("profile", "people.csv", "--name", "people", "--html", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "%|" not in proc.stderr  # no tqdm bars either
    version = proc.stdout.strip().split("@v")[1].split()[0]
    return root / "profiles" / f"people-v{version}.html", (root / "people.csv").read_text()


def test_html_is_written_next_to_the_profile_document(report):
    path, _ = report
    assert path.is_file() and path.with_suffix(".json").is_file()
    page = path.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html")
    text = _visible_text(page)
    for shown in ("age", "income", "credit_score", "segment", "signup", "active"):
        assert shown in text
    assert "learnsynth privacy view of 1,200 rows" in text


@pytest.mark.parametrize("canary", [CANARY_NAME, CANARY_EMAIL, CANARY_CATEGORY, CANARY_INCOME,
                                    "9876543", "qzx"])
def test_planted_canaries_never_reach_the_html(report, canary):
    page = report[0].read_text(encoding="utf-8")
    for form in (canary, canary.lower(), canary.upper()):
        assert form not in page


def test_pii_key_and_text_columns_are_left_out_and_named(report):
    path, _ = report
    page = path.read_text(encoding="utf-8")
    text = _visible_text(page)
    real = pd.read_csv(path.parent.parent / "people.csv", dtype=str)
    for column in ("first_name", "last_name", "email", "customer_id", "notes"):
        leaked = [v for v in real[column].dropna().unique() if f">{v}<" in page or
                  f" {v} " in text]
        assert leaked == [], (column, leaked[:3])
    assert "email: PII" in text and "customer_id: identifier" in text and "notes: free text" in text


def test_age_130_is_clipped_to_the_protected_bound(report):
    text = _visible_text(report[0].read_text(encoding="utf-8"))
    section = text[text.index("age Real number"):text.index("income Real number")]
    maximum = float(re.search(r"Maximum (\d+(?:\.\d+)?)", section).group(1))
    assert 80 <= maximum < 100
    assert "130" not in re.findall(r"\d+(?:\.\d+)?", section)


def test_no_sample_rows_duplicates_or_extreme_value_lists(report):
    text = _visible_text(report[0].read_text(encoding="utf-8"))
    assert "First rows" not in text and "Last rows" not in text
    assert "Duplicate rows" not in text
    # The tables exist as tabs but list nothing: ydata-profiling prints "No values found."
    assert re.search(r"Minimum 0 values", text)
    assert "Minimum 10 values" not in text and "Maximum 10 values" not in text


def test_rare_category_shows_only_as_the_rare_token(report):
    text = _visible_text(report[0].read_text(encoding="utf-8"))
    section = text[text.index("segment Categorical"):]
    assert "_RARE_" in section and "student" in section


def _categorical(name: str, cats: tuple[object, ...]) -> ColumnModel:
    return ColumnModel(name, "categorical", 0.0, {}, None, cats, tuple(1 / len(cats)
                                                                       for _ in cats))


def test_privacy_view_merges_unkept_categories_clips_numbers_and_unlinks_nothing_else():
    rng = np.random.default_rng(0)
    x = rng.normal(50, 10, 500)
    marginal = fit_marginal(x, integer=False, k=5, tail=0.005, rng=rng)
    frame = pd.DataFrame({"colour": ["red"] * 250 + ["blue"] * 249 + ["mauve"],
                          "size": np.append(x[:-1], 1e6), "secret": ["s"] * 500})
    table = TableModel("t", 500, (
        _categorical("colour", ("blue", "red", "_RARE_")),
        ColumnModel("size", "continuous", 0.0, {}, marginal),
        ColumnModel("secret", "pii", 0.0, {"pii_kind": "full_name"}),
    ), ())
    view, left_out = privacy_view(frame, table, "_RARE_")
    assert list(view.columns) == ["colour", "size"]
    assert left_out == {"secret": "PII, regenerated with fake values (full_name)"}
    assert view["colour"].value_counts().to_dict() == {"red": 250, "blue": 249, "_RARE_": 1}
    assert view["size"].max() == pytest.approx(marginal.high) and marginal.high < 1e6
    assert view["size"].min() >= marginal.low


def test_missing_extra_is_one_line_naming_it_and_stores_nothing(tmp_path):
    people_frame(100, seed=1).to_csv(tmp_path / "p.csv", index=False)
    proc = _run("profile", "p.csv", "--name", "p", "--html", cwd=tmp_path,
                prelude="import sys; sys.modules['ydata_profiling'] = None; ")
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --html"), proc.stderr
    assert "pip install 'learnsynth[html]'" in lines[0]
    assert not (tmp_path / "models").exists() and not (tmp_path / "profiles").exists()


def test_multi_table_model_gives_one_file_with_every_table(tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    people_frame(60, seed=2).to_csv(folder / "customers.csv", index=False)
    pd.DataFrame({"amount": np.round(np.random.default_rng(3).gamma(2, 30, 80), 2),
                  "channel": ["web", "shop"] * 40}).to_csv(folder / "orders.csv", index=False)
    proc = _run("profile", "db", "--name", "shop", "--html", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "profiles" / "shop-v1.html").read_text(encoding="utf-8")
    assert page.count("<iframe") == 2
    assert ">customers</h2>" in page and ">orders</h2>" in page


def test_view_is_capped_and_its_columns_are_shuffled_apart(monkeypatch):
    monkeypatch.setattr(html_module, "MAX_HTML_ROWS", 50)
    frame = pd.DataFrame({"a": np.arange(200), "b": np.arange(200) * 10})
    view = html_module._unlinked(frame, seed=3)
    assert len(view) == 50 and view["a"].is_unique
    assert set(view["a"]) <= set(frame["a"]) and set(view["b"]) <= set(frame["b"])
    assert (view["b"] != view["a"] * 10).mean() > 0.9  # rows of the view are not rows of the data
    again = html_module._unlinked(frame, seed=3)
    assert view.equals(again)
    small = html_module._unlinked(frame.iloc[:40], seed=3)
    assert sorted(small["a"]) == list(range(40))
