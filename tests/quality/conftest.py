"""Fixtures for the quality tests: the demo data and a model fitted on it with a holdout."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from learnsynth import Synthesizer

DEMO = Path(__file__).resolve().parents[2] / "examples" / "customers.csv"


@pytest.fixture(scope="session")
def customers() -> pd.DataFrame:
    return pd.read_csv(DEMO, dtype=str, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="session")
def customers_synth(customers) -> Synthesizer:
    return Synthesizer(k=5, holdout=0.2, seed=0).fit(customers)
