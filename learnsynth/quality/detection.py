"""Detection score: can a classifier tell real rows from synthetic ones?

A random forest classifier (scikit-learn) is cross-validated on equal numbers of
real and synthetic rows (up to 3,000 each), features as in the DCR test. ROC AUC 0.5 means the
rows are indistinguishable; 1.0 means every synthetic row is recognised.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from learnsynth.quality.fidelity import Scored
from learnsynth.quality.privacy import _features, _subsample

__all__ = ["DETECTION_ROWS", "DETECTION_THRESHOLD", "detection_score"]

DETECTION_ROWS = 3_000
DETECTION_THRESHOLD = 0.9
_FOLDS = 3
_CLASSIFIER = ("sklearn RandomForestClassifier(n_estimators=60, min_samples_leaf=5), "
               "3-fold cross-validation")


def detection_score(real: pd.DataFrame, synth: pd.DataFrame, columns: Sequence[Scored],
                    seed: int = 0) -> dict[str, Any]:
    """ROC AUC of telling real from synthetic rows, with a pass/fail against the threshold."""
    base: dict[str, Any] = {"roc_auc": None, "score": None, "classifier": _CLASSIFIER,
                            "rows_per_side": 0, "folds": _FOLDS,
                            "threshold": DETECTION_THRESHOLD}
    n = min(len(real), len(synth), DETECTION_ROWS)
    if not columns or n < 10 * _FOLDS:
        return {**base, "status": "not_run",
                "reason": "needs at least 30 rows per side and one scored column"}
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0xDE7]))
    r, s = _subsample(real, n, rng), _subsample(synth, n, rng)
    x_r, x_s = _features([r, s], columns)
    x = np.vstack([x_r, x_s])
    y = np.r_[np.zeros(len(x_r)), np.ones(len(x_s))]
    model = RandomForestClassifier(n_estimators=60, min_samples_leaf=5, n_jobs=1,
                                   random_state=seed)
    folds = StratifiedKFold(_FOLDS, shuffle=True, random_state=seed)
    proba = cross_val_predict(model, x, y, cv=folds, method="predict_proba")[:, 1]
    auc = float(roc_auc_score(y, proba))
    return {**base, "roc_auc": auc, "score": float(np.clip(1 - 2 * abs(auc - 0.5), 0, 1)),
            "rows_per_side": n, "status": "pass" if auc <= DETECTION_THRESHOLD else "fail",
            "reason": None}
