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

from typing import Literal, TypedDict

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
    reason: str | None


class ShapeScores(TypedDict):
    score: float | None              # mean of the per-column scores (SDMetrics' property score)
    columns: list[ColumnScore]       # sorted worst first (null scores last)


class TrendScores(TypedDict):
    score: float | None              # mean of the per-pair scores
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
