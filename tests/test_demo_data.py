"""Tests for scripts/make_demo_data.py: the fake customer table that ``make demo`` profiles.

The script is run as a user runs it (a subprocess with this interpreter) and the CSV it writes is
checked for what the demo relies on: reproducibility, formats, null and zero rates, a rare
category, and dependence strong enough for copula fidelity to show.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "make_demo_data.py"
COLUMNS = [
    "customer_id", "first_name", "last_name", "email", "phone", "street_address", "city",
    "state", "postal_code", "date_of_birth", "age", "signup_ts", "income", "credit_score",
    "num_orders", "total_spent", "segment", "preferred_channel", "loyalty_tier", "is_active",
    "country", "notes",
]  # fmt: skip
NULL_RATES = {"phone": 0.03, "income": 0.04, "credit_score": 0.02,
              "preferred_channel": 0.10, "loyalty_tier": 0.15, "notes": 0.70}  # fmt: skip
ROWS = 5000


def run_script(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the script as a user would, from ``cwd``, and return the finished process."""
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | float]:
    """Write the default file twice with seed 7 and once with seed 8; time the first run."""
    root = tmp_path_factory.mktemp("demo")
    paths: dict[str, Path | float] = {}
    for key, seed in (("a", "7"), ("b", "7"), ("other", "8")):
        out = root / key / "customers.csv"
        start = time.perf_counter()
        result = run_script(root, "--rows", str(ROWS), "--seed", seed, "--out", str(out))
        paths.setdefault("seconds", time.perf_counter() - start)
        assert result.returncode == 0, result.stderr
        paths[key] = out
    return paths


def read(path: Path) -> pd.DataFrame:
    """Read the CSV as text, empty cells as NaN, so formats can be checked as written."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module", params=["a", "other"], ids=["seed7", "seed8"])
def table(request: pytest.FixtureRequest, generated: dict[str, Path | float]) -> pd.DataFrame:
    """The generated table for each seed: statistical claims must not hinge on one seed."""
    path = generated[request.param]
    assert isinstance(path, Path)
    return read(path)


def numeric(frame: pd.DataFrame, column: str) -> pd.Series:
    """One column as numbers (NaN where empty)."""
    return pd.to_numeric(frame[column])


def test_same_seed_gives_identical_bytes(generated: dict[str, Path | float]) -> None:
    a, b = generated["a"], generated["b"]
    assert isinstance(a, Path) and isinstance(b, Path)
    assert a.read_bytes() == b.read_bytes()


def test_different_seed_gives_different_bytes(generated: dict[str, Path | float]) -> None:
    a, other = generated["a"], generated["other"]
    assert isinstance(a, Path) and isinstance(other, Path)
    assert a.read_bytes() != other.read_bytes()


def test_runs_in_under_ten_seconds(generated: dict[str, Path | float]) -> None:
    seconds = generated["seconds"]
    assert isinstance(seconds, float)
    assert seconds < 10.0


def test_file_is_utf8_with_lf_line_ends_and_header(generated: dict[str, Path | float]) -> None:
    path = generated["a"]
    assert isinstance(path, Path)
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert b"\r" not in raw
    assert text.endswith("\n")
    assert text.splitlines()[0] == ",".join(COLUMNS)


def test_has_the_columns_in_order_and_the_rows(table: pd.DataFrame) -> None:
    assert list(table.columns) == COLUMNS
    assert len(table) == ROWS


def test_customer_ids_are_sequential_in_file_order(table: pd.DataFrame) -> None:
    expected = [f"17-{i:06d}" for i in range(1, ROWS + 1)]
    assert table["customer_id"].tolist() == expected


def test_emails_are_unique_lower_case_and_derived_from_the_name(table: pd.DataFrame) -> None:
    email = table["email"]
    assert email.is_unique
    assert email.str.fullmatch(r"[a-z]+(\.[a-z]+)?[0-9]*@[a-z]+\.[a-z]+").all()
    last = table["last_name"].str.lower().str.replace(r"[^a-z]", "", regex=True)
    local = email.str.split("@").str[0]
    assert all(name in part for name, part in zip(last, local, strict=True))
    domains = email.str.split("@").str[1]
    assert {"example.com", "example.org", "example.net"} <= set(domains)
    assert domains.nunique() >= 4  # Faker's free e-mail domains too


def test_names_repeat_naturally(table: pd.DataFrame) -> None:
    assert 200 < table["first_name"].nunique() < ROWS / 2
    assert 300 < table["last_name"].nunique() < ROWS / 2


def test_phones_use_one_format_and_the_fictional_555_01xx_block(table: pd.DataFrame) -> None:
    phone = table["phone"].dropna()
    assert phone.str.fullmatch(r"\([2-9]\d\d\) 555-01\d\d").all()


def test_addresses_have_us_formats_and_keep_leading_zeros(table: pd.DataFrame) -> None:
    us = table[table["country"] == "US"]
    assert us["state"].str.fullmatch(r"[A-Z]{2}").all()
    assert us["postal_code"].str.fullmatch(r"\d{5}").all()
    assert us["postal_code"].str.startswith("0").any()  # New England codes survive as text
    assert us["street_address"].str.fullmatch(r"\d{3,5} [A-Za-z' ]+( Apt\. \d+)?").all()
    assert us["state"].nunique() >= 45


def test_country_is_us_except_three_coherent_foreign_rows(table: pd.DataFrame) -> None:
    assert table["country"].value_counts().to_dict() == {"US": ROWS - 3, "CA": 2, "MX": 1}
    canada = table[table["country"] == "CA"]
    assert set(canada["state"]) == {"ON", "BC"}
    assert canada["postal_code"].str.fullmatch(r"[A-Z]\d[A-Z] \d[A-Z]\d").all()


def test_age_matches_date_of_birth_at_2026_01_01(table: pd.DataFrame) -> None:
    dob = pd.to_datetime(table["date_of_birth"], format="%Y-%m-%d")
    before_birthday = (dob.dt.month > 1) | (dob.dt.day > 1)
    expected = 2026 - dob.dt.year - before_birthday.astype(int)
    age = numeric(table, "age")
    assert (age == expected).all()
    assert age.between(18, 90).all()
    assert age.between(25, 60).mean() > 0.6
    assert age.value_counts().max() < 0.05 * ROWS  # no pile-up at a clipped bound


def test_signup_is_iso_with_offset_in_range_and_after_18th_birthday(table: pd.DataFrame) -> None:
    text = table["signup_ts"]
    assert text.str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00").all()
    signup = pd.to_datetime(text, format="ISO8601")
    assert signup.min() >= pd.Timestamp("2018-01-01", tz="UTC")
    assert signup.max() < pd.Timestamp("2026-01-01", tz="UTC")
    adult = pd.to_datetime(table["date_of_birth"]) + pd.DateOffset(years=18)
    assert (signup.dt.tz_localize(None) >= adult).all()


@pytest.mark.parametrize(("column", "rate"), sorted(NULL_RATES.items()))
def test_null_rates_match_the_documented_rates(
    table: pd.DataFrame, column: str, rate: float
) -> None:
    tolerance = 4 * np.sqrt(rate * (1 - rate) / ROWS)
    assert table[column].isna().mean() == pytest.approx(rate, abs=tolerance)


def test_other_columns_have_no_nulls(table: pd.DataFrame) -> None:
    complete = [c for c in COLUMNS if c not in NULL_RATES]
    assert not table[complete].isna().any().any()


def test_money_has_two_decimals_and_zero_shares(table: pd.DataFrame) -> None:
    money = r"\d+\.\d\d"
    assert table["income"].dropna().str.fullmatch(money).all()
    assert table["total_spent"].str.fullmatch(money).all()
    assert (table["income"] == "0.00").mean() == pytest.approx(0.08, abs=0.02)
    orders = numeric(table, "num_orders")
    assert (orders == 0).mean() == pytest.approx(0.20, abs=0.04)
    assert ((numeric(table, "total_spent") == 0) == (orders == 0)).all()


def test_counts_and_scores_are_integers_in_range(table: pd.DataFrame) -> None:
    assert table["num_orders"].str.fullmatch(r"\d+").all()
    credit = table["credit_score"].dropna()
    assert credit.str.fullmatch(r"\d{3}").all()
    assert credit.astype(int).between(300, 850).all()


@pytest.mark.parametrize(
    ("column", "allowed"),
    [
        ("segment", {"consumer", "small_business", "enterprise", "student", "retired"}),
        ("preferred_channel", {"email", "phone", "sms", "mail"}),
        ("loyalty_tier", {"bronze", "silver", "gold", "platinum"}),
        ("is_active", {"true", "false"}),
    ],
)
def test_categories_use_every_allowed_value_and_no_other(
    table: pd.DataFrame, column: str, allowed: set[str]
) -> None:
    assert set(table[column].dropna()) == allowed


def spearman(table: pd.DataFrame, x: str, y: str) -> float:
    """Spearman correlation over the rows where both columns are present."""
    pair = table[[x, y]].apply(pd.to_numeric).dropna()
    return float(pair[x].corr(pair[y], method="spearman"))


def test_numeric_columns_are_strongly_dependent(table: pd.DataFrame) -> None:
    assert abs(spearman(table, "age", "income")) >= 0.3
    assert spearman(table, "income", "credit_score") >= 0.5
    assert spearman(table, "income", "num_orders") >= 0.15
    assert spearman(table, "num_orders", "total_spent") >= 0.8


def group_median(table: pd.DataFrame, by: str, column: str) -> pd.Series:
    """Median of a numeric column per category."""
    return pd.to_numeric(table[column]).groupby(table[by]).median()


CHECKS: dict[str, Callable[[pd.DataFrame], bool]] = {
    "students are younger than retirees": lambda t: (
        group_median(t, "segment", "age")["student"] + 30
        < group_median(t, "segment", "age")["retired"]
    ),
    "students earn less than enterprise customers": lambda t: (
        group_median(t, "segment", "income")["student"]
        < group_median(t, "segment", "income")["enterprise"] / 3
    ),
    "phone and mail fans are older than sms fans": lambda t: (
        min(group_median(t, "preferred_channel", "age")[["phone", "mail"]])
        > group_median(t, "preferred_channel", "age")["sms"] + 7
    ),
    "loyalty tiers rise with total spent": lambda t: (
        group_median(t, "loyalty_tier", "total_spent")[["bronze", "silver", "gold", "platinum"]]
        .is_monotonic_increasing
    ),
    "active customers order more": lambda t: (
        group_median(t, "is_active", "num_orders")["true"]
        > group_median(t, "is_active", "num_orders")["false"]
    ),
}  # fmt: skip


@pytest.mark.parametrize("claim", sorted(CHECKS))
def test_categories_depend_on_the_numbers(table: pd.DataFrame, claim: str) -> None:
    assert CHECKS[claim](table), claim


@pytest.mark.parametrize(
    ("args", "flag"),
    [(["--rows", "5"], "--rows"), (["--rows", "many"], "--rows"), (["--seed", "-1"], "--seed")],
)
def test_bad_flags_exit_2_naming_the_flag(tmp_path: Path, args: list[str], flag: str) -> None:
    result = run_script(tmp_path, *args, "--out", str(tmp_path / "x.csv"))
    assert result.returncode == 2
    assert f"argument {flag}" in result.stderr
    assert not (tmp_path / "x.csv").exists()
