"""Shared fixtures: a small, entirely fake people table built in code (no real data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from faker import Faker


def people_frame(n: int = 1500, seed: int = 11) -> pd.DataFrame:
    """Text columns as a CSV reader would give them: str values, None for nulls."""
    rng = np.random.default_rng(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    firsts = [fake.first_name() for _ in range(300)]
    lasts = [fake.last_name() for _ in range(300)]
    first = rng.choice(firsts, n)
    last = rng.choice(lasts, n)
    age = rng.integers(18, 90, n)
    income = np.round(np.exp(9.5 + 0.02 * age + rng.normal(0, 0.5, n)), 2)
    income[rng.random(n) < 0.1] = 0.0
    score = np.clip(np.round(500 + 0.002 * income + rng.normal(0, 40, n)), 300, 850)
    segment = np.where(age < 25, "student", np.where(age > 67, "retired",
                       rng.choice(["consumer", "business"], n)))
    emails = [f"{f.lower()}.{s.lower()}{i}@example.com" for i, (f, s) in
              enumerate(zip(first, last, strict=True))]
    frame = pd.DataFrame({
        "customer_id": [f"17-{i:06d}" for i in range(1, n + 1)],
        "first_name": first, "last_name": last, "email": emails,
        "age": age.astype(str), "income": [f"{v:.2f}" for v in income],
        "credit_score": score.astype(int).astype(str), "segment": segment,
        "signup": [str(d.date()) for d in pd.Timestamp("2020-01-01")
                   + pd.to_timedelta(rng.integers(0, 1500, n), unit="D")],
        "active": rng.choice(["true", "false"], n),
    }).astype(object)
    frame.loc[rng.random(n) < 0.1, "segment"] = None
    frame.loc[rng.random(n) < 0.05, "income"] = None
    return frame


@pytest.fixture
def people() -> pd.DataFrame:
    return people_frame()
