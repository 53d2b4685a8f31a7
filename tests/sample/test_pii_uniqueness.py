"""Unique PII columns stay unique across chunks, and honest samples of the demo data reproduce no
real direct identifier."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import iban, luhn
from stdnum.br import cpf
from stdnum.es import dni
from stdnum.us import ssn

from learnsynth import Synthesizer
from learnsynth.sample.fakes import fill_pii
from learnsynth.sample.fakes._serials import Serials, run_key

DEMO = Path(__file__).resolve().parents[2] / "examples" / "customers.csv"
UNIQUE_KINDS = ("email", "username", "url", "phone", "ssn", "credit_card", "iban", "passport",
                "bank_account", "national_id")


def chunked(columns: list[tuple[str, str, str | None, dict[str, object]]], sizes: list[int],
            seed: int) -> dict[str, np.ndarray]:
    """Fill the columns chunk by chunk as the sampler does: chunk i from the run's i-th child
    seed, starting at its global row number; the chunks concatenated."""
    children = np.random.SeedSequence(seed).spawn(len(sizes))
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).tolist()
    parts = [fill_pii(columns, size, child, unique=[c[0] for c in columns], start=start)
             for size, child, start in zip(sizes, children, starts, strict=True)]
    return {name: np.concatenate([part[name] for part in parts]) for name, *_ in columns}


@pytest.mark.parametrize("locale", ["en_US", "en_GB", "es_ES", "pt_BR"])
def test_unique_columns_do_not_repeat_across_chunks(locale: str) -> None:
    columns = [(kind, kind, locale, {}) for kind in UNIQUE_KINDS]
    out = chunked(columns, [20_000] * 6, seed=7)  # 120,000 rows: serial widths 4, 5 and 6
    for name, values in out.items():
        assert len(values) == 120_000
        assert pd.Series(values).is_unique, f"{name} repeats across chunks"


def test_values_are_still_valid_and_realistic_across_chunks() -> None:
    columns = [("email", "email", "en_US", {}), ("user", "username", "en_US", {}),
               ("ssn", "ssn", "en_US", {}), ("card", "credit_card", "en_US", {}),
               ("iban", "iban", "es_ES", {"separator": " "}), ("dni", "national_id", "es_ES", {}),
               ("cpf", "national_id", "pt_BR", {})]
    out = chunked(columns, [5_000, 5_000, 5_000], seed=3)
    assert all(ssn.is_valid(v) for v in out["ssn"])
    assert all(luhn.is_valid(v) for v in out["card"])
    assert all(iban.is_valid(v) for v in out["iban"])
    assert all(dni.is_valid(v) for v in out["dni"])
    assert all(cpf.is_valid(v) for v in out["cpf"])
    # name-based handle, then a number of 4+ digits (5 digits from row 10,000 on)
    local = [e.split("@")[0] for e in out["email"]]
    assert all(re.fullmatch(r"[a-z._]+[a-z][0-9]{4}", v) for v in local[:10_000])
    assert all(re.fullmatch(r"[a-z._]+[a-z][0-9]{5}", v) for v in local[10_000:])
    assert all(re.fullmatch(r"[a-z._]+[a-z][0-9]{4,5}", v) for v in out["user"])


def test_output_does_not_depend_on_how_rows_are_split_into_workers() -> None:
    """The same chunk (seed, start) gives the same values whichever other chunks exist."""
    columns = [("email", "email", None, {}), ("phone", "phone", None, {})]
    children = np.random.SeedSequence(11).spawn(3)
    alone = fill_pii(columns, 1_000, children[2], unique=["email"], start=2_000)
    again = chunked(columns, [1_000, 1_000, 1_000], seed=11)
    assert alone["email"].tolist() == again["email"][2_000:].tolist()
    assert alone["phone"].tolist() == again["phone"][2_000:].tolist()


@settings(max_examples=60, deadline=None)
@given(size=st.integers(1, 10**15), start=st.integers(0, 10**15), seed=st.integers(0, 2**32))
def test_serials_are_one_to_one_within_their_range(size: int, start: int, seed: int) -> None:
    rows = np.arange(start, start + min(size, 3_000)) % size
    values = Serials(run_key(np.random.SeedSequence(seed), "c")).of(rows, size)
    assert values.min() >= 0 and values.max() < size
    assert len(np.unique(values)) == len(np.unique(rows))


@pytest.fixture(scope="module")
def demo_sample() -> tuple[pd.DataFrame, pd.DataFrame]:
    real = pd.read_csv(DEMO, dtype=str, keep_default_na=False, na_values=[""])
    synth = Synthesizer(seed=0).fit(real)
    return real, synth.sample(10_000, seed=0, chunk_rows=2_500)


def test_a_sample_of_the_demo_reproduces_no_real_direct_identifier(demo_sample) -> None:
    real, out = demo_sample
    direct = [c for c in ("email", "phone", "ssn", "username") if c in real.columns]
    assert {"email", "phone"} <= set(direct)
    for column in direct:
        produced = set(out[column].dropna().str.lower())
        leaked = produced & set(real[column].dropna().str.lower())
        assert not leaked, f"{len(leaked)} real {column} values in the output"


def test_the_demos_unique_email_stays_unique_over_four_chunks(demo_sample) -> None:
    _real, out = demo_sample
    emails = out["email"].dropna()
    assert len(emails) > 9_000 and emails.is_unique
    assert emails.str.fullmatch(r"[a-z._]+[0-9]{4}@example\.(com|org|net)").all()
