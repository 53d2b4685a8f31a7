"""The privacy gate works: a 'synthesizer' that copies its training rows fails, an honest
learnsynth sample passes."""

from __future__ import annotations

import pandas as pd
import pytest

from learnsynth.profile.profiler import holdout_mask
from learnsynth.quality.run import report_files


@pytest.fixture(scope="module")
def stored(tmp_path_factory, customers, customers_synth):
    root = tmp_path_factory.mktemp("gate")
    customers_synth.save("customers", store=str(root / "models"))
    real = root / "real.csv"
    customers.to_csv(real, index=False)
    return root, real


def _report(root, real, frame: pd.DataFrame, name: str):
    path = root / f"{name}.csv"
    frame.to_csv(path, index=False)
    rep, _ = report_files(str(real), str(path), model="customers",
                          store=str(root / "models"), out=root / f"{name}.json")
    return rep["privacy"]


def test_copier_fails_every_gate(stored, customers):
    root, real = stored
    train = customers.loc[~holdout_mask(len(customers), 0.2, 0)]
    privacy = _report(root, real, train.sample(frac=1.0, random_state=0), "copier")
    assert privacy["dcr_share"]["status"] == "fail" and privacy["dcr_share"]["value"] > 0.9
    assert privacy["exact_copies"]["status"] == "fail"
    assert privacy["exact_copies"]["synthetic_share"] == 1.0
    assert privacy["pii_leaks"]["status"] == "fail"
    assert privacy["pii_leaks"]["direct_leaks"] > 1000
    assert privacy["status"] == "fail"


def test_honest_sample_passes(stored, customers_synth):
    root, real = stored
    privacy = _report(root, real, customers_synth.sample(4000, seed=5), "honest")
    assert privacy["dcr_share"]["status"] == "pass"
    assert 0.4 <= privacy["dcr_share"]["value"] <= 0.6
    assert privacy["exact_copies"]["status"] == "pass"
    assert privacy["exact_copies"]["synthetic_copies"] == 0
    by_col = {c["column"]: c for c in privacy["pii_leaks"]["columns"]}
    assert all(c["status"] == "pass" for c in by_col.values() if c["role"] == "quasi")
    assert by_col["phone"]["leaked_values"] == 0
    assert by_col["street_address"]["leaked_values"] == 0
    # Emails are built from common first/last names, as the demo's fake 'real' emails are, so a
    # few coincide by chance (a finding for the sampler); far from a copier's thousands.
    assert by_col["email"]["leaked_values"] <= 0.01 * by_col["email"]["real_values"]


def test_half_copied_output_is_caught_by_exact_copies(stored, customers, customers_synth):
    root, real = stored
    train = customers.loc[~holdout_mask(len(customers), 0.2, 0)]
    mixed = pd.concat([customers_synth.sample(1000, seed=6), train.head(100)],
                      ignore_index=True)
    privacy = _report(root, real, mixed, "mixed")
    assert privacy["exact_copies"]["synthetic_copies"] == 100
    assert privacy["exact_copies"]["status"] == "fail"
