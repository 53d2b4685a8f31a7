"""The quality and privacy report: its schema (this module) and how it is assembled.

The report is one JSON document. Machines read ``fidelity``, ``privacy`` and ``lineage`` (the
contract in DESIGN.md: keys are only ever added, never renamed); the HTML report is rendered from
the same dict. ``docs/report.md`` describes every key. The TypedDicts below *are* the schema:
every key they name is always present (a value that cannot be computed is ``null`` with a
``reason``), so a reader never has to guess whether a key exists.

Scores are in [0, 1], higher is better, and follow SDMetrics' definitions (see
:mod:`learnsynth.quality.fidelity`). Every privacy test carries its threshold and a ``status``:
``"pass"``, ``"fail"`` or ``"not_run"`` (with the reason, e.g. no holdout).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TypedDict

import numpy as np
import pandas as pd

from learnsynth.data.sinks import write_text_atomic
from learnsynth.model import TableModel
from learnsynth.quality._fast import datetime_ns
from learnsynth.quality.detection import detection_score
from learnsynth.quality.fidelity import (
    CONTINUOUS,
    SDTYPE,
    Scored,
    column_pair_trends,
    column_shapes,
    encode,
    mean_score,
    worst_first,
)
from learnsynth.quality.model_fidelity import model_fidelity
from learnsynth.quality.plots import column_plots, correlation_plot
from learnsynth.quality.privacy import (
    DCR_HOLDOUT_ROWS,
    DCR_QUERY_ROWS,
    DCR_TRAIN_ROWS,
    DIRECT_KINDS,
    Split,
    dcr_test,
    exact_copies_test,
    pii_leak_test,
)
from learnsynth.quality.reviewer import limitations, pii_columns, retention, risks, threat_model

__all__ = [
    "REPORT_SCHEMA_VERSION",
    "ColumnPlot",
    "ColumnScore",
    "CorrelationPlot",
    "DcrTest",
    "DetectionScore",
    "ExactCopiesTest",
    "Fidelity",
    "Lineage",
    "ModelRetention",
    "PairScore",
    "PiiColumn",
    "PiiLeakColumn",
    "PiiLeaks",
    "Plots",
    "Privacy",
    "PrivacyTest",
    "Report",
    "Risk",
    "Risks",
    "ShapeScores",
    "Subsampling",
    "TrendScores",
    "Variability",
    "against_model",
    "compare",
    "write_report",
]

REPORT_SCHEMA_VERSION = 1

Status = Literal["pass", "fail", "not_run"]
Reference = Literal["real", "model"]


# ---------------------------------------------------------------- fidelity


class ColumnScore(TypedDict):
    """Column shape of one column: KSComplement (numeric, datetime) or TVComplement (others)."""

    column: str
    kind: str                        # learnsynth column kind (integer, continuous, datetime, ...)
    sdtype: str                      # SDMetrics sdtype used: numerical|datetime|categorical|boolean
    metric: Literal["KSComplement", "TVComplement"]
    score: float | None              # null when a side has no non-null value
    reason: str | None


class PairScore(TypedDict):
    """Column pair trend of one pair: CorrelationSimilarity or ContingencySimilarity."""

    column_1: str
    column_2: str
    metric: Literal["CorrelationSimilarity", "ContingencySimilarity"]
    score: float | None
    real_correlation: float | None   # Pearson, numeric/datetime pairs only (else null)
    synthetic_correlation: float | None
    real_association: float | None   # Cramér's V of the real contingency (contingency pairs)
    meets_threshold: bool            # counts towards the property score (SDMetrics' rule)
    reason: str | None


class ShapeScores(TypedDict):
    score: float | None              # mean of the per-column scores (SDMetrics' property score)
    columns: list[ColumnScore]       # sorted worst first (null scores last)


class TrendScores(TypedDict):
    score: float | None              # mean of the scores of pairs that meet the threshold
    pairs: list[PairScore]           # sorted worst first (null scores last)


class DetectionScore(TypedDict):
    """How well a classifier tells real from synthetic rows (ROC AUC; 0.5 = indistinguishable)."""

    roc_auc: float | None
    score: float | None              # 1 - 2*|roc_auc - 0.5| clipped to [0, 1] (1 is ideal)
    classifier: str
    rows_per_side: int
    folds: int
    threshold: float                 # pass when roc_auc <= threshold
    status: Status
    reason: str | None


class Subsampling(TypedDict):
    """What was subsampled to keep the report fast (row counts actually used)."""

    real_rows: int
    synthetic_rows: int
    real_rows_used: int
    synthetic_rows_used: int
    seed: int
    note: str


class Fidelity(TypedDict):
    overall: float | None            # mean of column_shapes.score and column_pair_trends.score
    column_shapes: ShapeScores
    column_pair_trends: TrendScores
    reference: Reference             # "real": compared with real rows; "model": with the model
    detection: DetectionScore
    subsampling: Subsampling


# ---------------------------------------------------------------- privacy


class PrivacyTest(TypedDict):
    """Fields every privacy test has."""

    value: float | None
    threshold: float
    comparison: str                  # how value is compared with threshold, e.g. "<=" or "== 0"
    status: Status
    reason: str | None               # why not_run, or a note on the result
    description: str


class DcrTest(PrivacyTest):
    """Share of synthetic rows whose closest record is in training rather than in the holdout."""

    train_rows_used: int
    holdout_rows_used: int
    synthetic_rows_used: int
    median_dcr_train: float | None
    median_dcr_holdout: float | None
    raw_share: float | None          # unweighted share closer to training
    expected_raw_share: float | None # n_t / (n_t + n_h): the raw share chance gives


class ExactCopiesTest(PrivacyTest):
    """Synthetic rows equal to a training row, against the rate expected from the holdout."""

    synthetic_copies: int            # synthetic rows equal to some training row
    synthetic_share: float | None    # synthetic_copies / synthetic rows checked
    expected_share: float | None     # share of holdout rows equal to some training row


class PiiLeakColumn(TypedDict):
    column: str
    pii_kind: str | None
    role: Literal["direct", "quasi"]
    real_values: int                 # distinct normalised real values scanned for
    leaked_values: int               # of those, how many appear in the synthetic column
    overlap: float | None            # leaked_values / real_values
    baseline: float | None           # quasi: overlap expected by chance (holdout vs train)
    threshold: float
    status: Status
    reason: str | None


class PiiLeaks(PrivacyTest):
    """Scan of the output for real values of PII columns (direct identifiers: must be zero)."""

    direct_leaks: int                # total leaked values over direct-identifier columns
    columns: list[PiiLeakColumn]


class Privacy(TypedDict):
    dcr_share: DcrTest
    exact_copies: ExactCopiesTest
    pii_leaks: PiiLeaks
    status: Status                   # fail if any test fails; pass if all run tests pass


# ---------------------------------------------------------------- reviewer sections


class PiiColumn(TypedDict):
    column: str
    pii: bool
    detector_kind: str | None        # what the detector found (null if none)
    pii_kind: str | None             # the kind the model uses (after overrides)
    confidence: float | None
    hipaa_identifier: str | None     # e.g. "(A) Names" — HIPAA Safe Harbor, 45 CFR 164.514(b)(2)
    role: Literal["direct", "quasi", "none"]
    treatment: str                   # how the column was treated, in words
    overridden: bool                 # a user's config decided this column


class ModelRetention(TypedDict):
    retains: list[str]               # what the model keeps, in words
    protections: list[str]           # protections that were applied


class Risk(TypedDict):
    risk: Literal["singling_out", "linkability", "inference"]
    question: str
    figures: dict[str, float | int | str | None]   # the measured figures that speak to it
    assessment: str


class Risks(TypedDict):
    singling_out: Risk
    linkability: Risk
    inference: Risk


class ColumnPlot(TypedDict):
    column: str
    kind: str
    type: Literal["histogram", "frequencies"]
    bins: list[float] | None         # histogram edges (len(real)+1); datetimes as ISO in labels
    labels: list[str]                # one per bar (bin range or category)
    real: list[float]                # shares (sum to 1 over non-null values)
    synthetic: list[float]


class CorrelationPlot(TypedDict):
    columns: list[str]
    real: list[list[float | None]]   # Pearson on numeric/datetime columns
    synthetic: list[list[float | None]]


class Plots(TypedDict):
    columns: list[ColumnPlot]
    correlation: CorrelationPlot


class Lineage(TypedDict):
    source_fingerprint: str | None
    model: str | None                # NAME@vN
    model_name: str | None
    model_version: int | None
    model_sha256: str | None
    seed: int | None
    options: dict[str, object]
    learnsynth_version: str
    created_at: str                  # ISO 8601, UTC
    command: str                     # the exact command that reproduces this output
    real: str | None                 # REAL path as given (null when reference is the model)
    synthetic: str
    synthetic_rows: int
    table: str | None


class Variability(TypedDict):
    """What ``sample --variability`` injected: configured against actual rates (no values)."""

    config: str | None               # the YAML file
    seed: int | None
    rows: dict[str, int]             # clean, near_duplicates, output
    near_duplicates: dict[str, Any]  # configured, actual, fields
    kinds: dict[str, dict[str, float]]       # per dirt kind: configured, actual, cells, eligible
    columns: dict[str, dict[str, Any]]       # per column, per kind: configured, actual, counts
    variants: dict[str, dict[str, int]]      # per kind: cells per variant (e.g. typo type)
    summary: str | None              # path of <stem>.variability.json
    fidelity_on: str                 # fidelity is measured on the clean rows


class Report(TypedDict):
    schema_version: int
    table: str | None
    fidelity: Fidelity
    privacy: Privacy
    lineage: Lineage
    pii_columns: list[PiiColumn]
    model: ModelRetention
    risks: Risks
    threat_model: list[str]
    limitations: list[str]
    plots: Plots
    signoff: dict[str, str | None]   # reviewer, date, decision: empty for a person to fill in
    variability: Variability | None  # sample --variability: injected rates (else null)


# ================================================================ assembling a report


def _scored_columns(kinds: Mapping[str, Mapping[str, Any]]) -> list[Scored]:
    return [Scored(name, info["kind"], dict(info.get("details", {})))
            for name, info in kinds.items() if info["kind"] in SDTYPE]


def _attribute_columns(kinds: Mapping[str, Mapping[str, Any]]) -> list[Scored]:
    """Columns the row-level privacy tests compare: all but keys, text and direct identifiers."""
    out = []
    for name, info in kinds.items():
        kind, details = info["kind"], info.get("details", {})
        if kind in SDTYPE:
            out.append(Scored(name, kind, dict(details)))
        elif kind == "pii" and details.get("pii_kind") not in DIRECT_KINDS:
            out.append(Scored(name, "categorical", {}))
    return out


def _typed(frame: pd.DataFrame, kinds: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """Numbers as floats and datetimes as ``datetime64[ns]``, parsed once for every test."""
    out = frame.copy(deep=False)
    for name, info in kinds.items():
        if name not in frame.columns or info["kind"] not in CONTINUOUS:
            continue
        if info["kind"] == "datetime":
            out[name] = datetime_ns(frame[name], dict(info.get("details", {})))
        else:
            out[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    return out


def _fidelity(real: pd.DataFrame, synth: pd.DataFrame, scored: Sequence[Scored], k: int,
              seed: int) -> tuple[Fidelity, Plots]:
    encoded = [encode(real, synth, c) for c in scored]
    shapes = column_shapes(encoded)
    pairs = column_pair_trends(encoded)
    shape_score, trend_score = mean_score(shapes), mean_score(pairs, only_meeting=True)
    props = [s for s in (shape_score, trend_score) if s is not None]
    detection = detection_score(real, synth, scored, seed)
    n_det = detection["rows_per_side"]
    fidelity: Fidelity = {
        "overall": float(np.mean(props)) if props else None,
        "column_shapes": {"score": shape_score, "columns": worst_first(shapes)},  # type: ignore
        "column_pair_trends": {"score": trend_score, "pairs": worst_first(pairs)},  # type: ignore
        "reference": "real", "detection": detection,  # type: ignore[typeddict-item]
        "subsampling": {
            "real_rows": len(real), "synthetic_rows": len(synth), "real_rows_used": len(real),
            "synthetic_rows_used": len(synth), "seed": seed,
            "note": "column shapes and pair trends use every row; the detection classifier uses "
                    f"{n_det} rows per side, DCR at most {DCR_TRAIN_ROWS} training, "
                    f"{DCR_HOLDOUT_ROWS} holdout and {DCR_QUERY_ROWS} synthetic rows"},
    }
    plots: Plots = {"columns": column_plots(encoded, k),  # type: ignore[typeddict-item]
                    "correlation": correlation_plot(pairs, encoded)}  # type: ignore
    return fidelity, plots


def _privacy(split: Split, synth: pd.DataFrame, kinds: Mapping[str, Mapping[str, Any]],
             seed: int) -> Privacy:
    attrs = _attribute_columns(kinds)
    pii = {name: info.get("details", {}).get("pii_kind") for name, info in kinds.items()
           if info["kind"] == "pii"}
    tests = {"dcr_share": dcr_test(split, synth, attrs, seed),
             "exact_copies": exact_copies_test(split, synth, attrs),
             "pii_leaks": pii_leak_test(split, synth, pii, seed)}
    statuses = {t["status"] for t in tests.values()}
    status = "fail" if "fail" in statuses else "not_run" if "not_run" in statuses else "pass"
    return {**tests, "status": status}  # type: ignore[return-value,typeddict-item]


def _assemble(table: str | None, fidelity: Fidelity, privacy: Privacy, plots: Plots,
              lineage: Mapping[str, Any], kinds: Mapping[str, Mapping[str, Any]],
              detected: Mapping[str, Any], overridden: set[str],
              options: Mapping[str, Any] | None) -> Report:
    return {
        "schema_version": REPORT_SCHEMA_VERSION, "table": table, "fidelity": fidelity,
        "privacy": privacy, "lineage": dict(lineage),  # type: ignore[typeddict-item]
        "pii_columns": pii_columns(kinds, detected, overridden),  # type: ignore[typeddict-item]
        "model": retention(options),  # type: ignore[typeddict-item]
        "risks": risks(privacy, fidelity),  # type: ignore[typeddict-item]
        "threat_model": threat_model(), "limitations": limitations(), "plots": plots,
        "signoff": {"reviewer": None, "date": None, "decision": None},
        "variability": None,
    }


def compare(real: pd.DataFrame, synth: pd.DataFrame, kinds: Mapping[str, Mapping[str, Any]], *,
            holdout: np.ndarray | None = None, detected: Mapping[str, Any] | None = None,
            overridden: set[str] | None = None, options: Mapping[str, Any] | None = None,
            lineage: Mapping[str, Any] | None = None, table: str | None = None,
            seed: int = 0) -> Report:
    """The full report of ``synth`` against ``real``.

    Args:
        real: The real rows (all of them, training and holdout).
        synth: The synthetic rows.
        kinds: Column → ``{"kind": ..., "details": {...}}`` (from the model or inferred).
        holdout: Boolean mask over ``real`` of the rows kept out of fitting, or None.
        detected: Column → PII finding of the detector, for the reviewer section.
        overridden: Columns a user's config decided.
        options: The model's profile options (k, protected_quantile, ...).
        lineage: The Lineage dict.
        table: The table's name.
        seed: Seed of every subsample and classifier, so a report is reproducible.
    """
    k = int((options or {}).get("k", 5))
    real, synth = _typed(real, kinds), _typed(synth, kinds)
    fidelity, plots = _fidelity(real, synth, _scored_columns(kinds), k, seed)
    if holdout is not None and holdout.any():
        split = Split(real.loc[~holdout], real.loc[holdout])
    else:
        split = Split(real, None)
    privacy = _privacy(split, synth, kinds, seed)
    return _assemble(table, fidelity, privacy, plots, lineage or {}, kinds, detected or {},
                     overridden or set(), options)


def against_model(table_model: TableModel, synth: pd.DataFrame, *,
                  options: Mapping[str, Any] | None = None,
                  lineage: Mapping[str, Any] | None = None, seed: int = 0) -> Report:
    """The report ``sample`` writes: synthetic rows against the model's own marginals and copula.

    Real data is not at hand, so privacy tests are ``not_run`` and plots show the synthetic side
    only against the model's category weights (histograms have no real side: shares are empty).
    """
    kinds = {c.name: {"kind": c.kind, "details": c.details} for c in table_model.columns}
    fidelity, plots = model_fidelity(table_model, synth, seed)
    not_run = "real data is not at hand when sampling; run 'learnsynth report REAL SYNTH --model'"
    split_none: dict[str, Any] = {"status": "not_run", "reason": not_run}
    privacy = _privacy(Split(synth.iloc[:0], None), synth.iloc[:0], {}, seed)
    for key in ("dcr_share", "exact_copies", "pii_leaks"):
        privacy[key].update(split_none)  # type: ignore[literal-required]
        privacy[key]["value"] = None  # type: ignore[literal-required]
    privacy["status"] = "not_run"
    overridden = set((options or {}).get("columns", {}) or {})
    return _assemble(table_model.name, fidelity, privacy, plots, lineage or {}, kinds, {},
                     overridden, options)


def write_report(report: Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write the report JSON atomically (aside, then moved into place)."""
    text = json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return write_text_atomic(path, text)
