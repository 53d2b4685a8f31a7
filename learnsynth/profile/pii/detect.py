"""Run the detectors on a column's sample and decide: which kind, if any, and how sure.

Decision rule: a candidate kind is accepted when at least :data:`ACCEPT_SHARE` of the sampled
non-null values support it, or :data:`HINTED_SHARE` when the column name suggests that kind
(latitude/longitude, passport, bank account and username are accepted only with the name's
support). Among accepted kinds, validated evidence beats shape-only evidence, then the best
supported wins, a name hint adding :data:`HINT_BONUS`; ties go to the more specific kind (a
Luhn-valid card beats a phone).

Confidence grows with the margin above the threshold (shape-only evidence is capped at
:data:`WEAK_CONFIDENCE_CAP`); for a column found clean it shrinks as the closest candidate nears
its threshold, and when the name suggests PII that the values do not show.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from learnsynth.errors import InvalidInputError
from learnsynth.profile.pii.candidates import Candidate
from learnsynth.profile.pii.detect_ids import IDENTIFIER_DETECTORS
from learnsynth.profile.pii.detect_people import PEOPLE_DETECTORS
from learnsynth.profile.pii.detect_places import PLACE_DETECTORS
from learnsynth.profile.pii.finding import PII_KINDS, PiiFinding
from learnsynth.profile.pii.formats import scrub
from learnsynth.profile.pii.names import NameHints, hints_for
from learnsynth.profile.pii.sampling import ColumnSample, draw_sample, skip_sample

__all__ = ["ACCEPT_SHARE", "DEFAULT_SAMPLE_SIZE", "HINTED_SHARE", "READ_ROWS", "detect_column",
           "detect_frame", "skip_column"]

DEFAULT_SAMPLE_SIZE = 2000
# Rows a source is subsampled to before detection: ten samples' worth, so a column with up to
# 90% nulls still yields a full sample, while reading stays cheap.
READ_ROWS = 10 * DEFAULT_SAMPLE_SIZE
ACCEPT_SHARE = 0.8
HINTED_SHARE = 0.6
HINT_BONUS = 0.15
WEAK_CONFIDENCE_CAP = 0.75
_DETECTORS = IDENTIFIER_DETECTORS + PLACE_DETECTORS + PEOPLE_DETECTORS
# Most specific first: breaks ties between kinds that the same values support.
_RANK = {kind: pos for pos, kind in enumerate((
    "credit_card", "iban", "ssn", "national_id", "email", "mac_address", "ip_address", "url",
    "date_of_birth", "phone", "postal_code", "latitude", "longitude", "street_address",
    "username", "full_name", "first_name", "last_name", "country", "state", "city", "passport",
    "bank_account", "free_text",
))}
_LOCALE_KINDS = frozenset({
    "full_name", "first_name", "last_name", "phone", "street_address", "city", "state",
    "postal_code", "country", "national_id", "bank_account", "passport", "free_text",
})


def _hinted(candidate: Candidate, hints: NameHints) -> bool:
    return candidate.kind in hints.kinds


def _threshold(candidate: Candidate, hints: NameHints) -> float:
    if _hinted(candidate, hints):
        return candidate.min_share_hinted if candidate.min_share_hinted is not None \
            else HINTED_SHARE
    return candidate.min_share if candidate.min_share is not None else ACCEPT_SHARE


def _eligible(candidate: Candidate, hints: NameHints) -> bool:
    return not candidate.needs_hint or _hinted(candidate, hints)


def _score(candidate: Candidate, hints: NameHints) -> tuple[bool, float, int]:
    """Validated evidence first, then support (plus the hint bonus), then specificity."""
    bonus = HINT_BONUS if _hinted(candidate, hints) else 0.0
    return not candidate.weak, candidate.share + bonus, -_RANK[candidate.kind]


def _choose(candidates: Sequence[Candidate], hints: NameHints) -> Candidate | None:
    accepted = [c for c in candidates
                if _eligible(c, hints) and c.share >= _threshold(c, hints)]
    return max(accepted, key=lambda c: _score(c, hints)) if accepted else None


def _confidence(candidate: Candidate, hints: NameHints) -> float:
    threshold = _threshold(candidate, hints)
    margin = (candidate.share - threshold) / max(min(1.0 - threshold, threshold), 1e-9)
    value = 0.6 + 0.35 * min(max(margin, 0.0), 1.0) + (0.04 if _hinted(candidate, hints) else 0)
    if candidate.weak:
        value = min(value, WEAK_CONFIDENCE_CAP)
    return round(float(min(max(value, 0.5), 0.99)), 3)


def _near_miss(candidates: Sequence[Candidate], hints: NameHints) -> Candidate | None:
    eligible = [c for c in candidates if _eligible(c, hints) and c.share > 0]
    return max(eligible, key=lambda c: c.share / _threshold(c, hints)) if eligible else None


def _pct(value: float) -> str:
    return f"{round(100 * value)}%"


def _values(n: int) -> str:
    return f"{n} sampled value" + ("" if n == 1 else "s")


def _negative(name: str, sample: ColumnSample, candidates: Sequence[Candidate],
              hints: NameHints) -> PiiFinding:
    named = sorted(hints.kinds)
    if sample.n == 0:
        return PiiFinding(name, False, None, 0.7 if named else 0.9,
                          reason="no non-null values to examine")
    near = _near_miss(candidates, hints)
    closeness = near.share / _threshold(near, hints) if near else 0.0
    confidence = 0.97 - 0.4 * min(closeness, 1.0) ** 2 - (0.1 if named else 0.0)
    if near is None or closeness < 0.25:
        reason = f"no PII pattern in {_values(sample.n)}"
    else:
        reason = (f"best match {near.kind}: {_pct(near.share)} of {_values(sample.n)} "
                  f"{near.evidence}, below the {_pct(_threshold(near, hints))} required")
    if named:
        reason += f"; the name suggests {', '.join(named)} but the values do not match"
    return PiiFinding(name, False, None, round(float(min(max(confidence, 0.5), 0.99)), 3),
                      reason=reason)


def _positive(name: str, sample: ColumnSample, chosen: Candidate,
              hints: NameHints) -> PiiFinding:
    reason = f"{_pct(chosen.share)} of {_values(sample.n)} {chosen.evidence}"
    if _hinted(chosen, hints):
        reason += "; the column name suggests it"
    if chosen.weak:
        reason += " (shape only, no checksum or vocabulary match)"
    locale = chosen.locale
    if not locale and chosen.kind in _LOCALE_KINDS and hints.locales:
        locale = hints.locales[0]
    fmt = scrub(chosen.format, sample.texts)
    return PiiFinding(name, True, chosen.kind, _confidence(chosen, hints), locale or None, fmt,
                      reason)


def _as_series(values: object) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, pd.Index | np.ndarray | list | tuple):
        return pd.Series(list(values), dtype=object)
    raise InvalidInputError(
        f"detect_column values must be a pandas Series or a list of values; "
        f"got {type(values).__name__}. Pass one column, e.g. frame['email']."
    )


def _check_sample_size(sample_size: object) -> int:
    if isinstance(sample_size, bool) or not isinstance(sample_size, int | np.integer) \
            or sample_size < 1:
        raise InvalidInputError(
            f"The 'sample_size' parameter of PII detection must be a positive integer. "
            f"Got {sample_size!r} instead."
        )
    return int(sample_size)


def detect_column(name: str, values: pd.Series, *, sample_size: int = DEFAULT_SAMPLE_SIZE,
                  rng: np.random.Generator | None = None) -> PiiFinding:
    """Decide whether one column holds PII, which kind, and how it is written.

    Args:
        name: The column name (a hint only; opaque names are judged on values alone).
        values: The column: text (object dtype, ``None`` for nulls), numbers, booleans or
            datetimes.
        sample_size: Non-null values examined at most.
        rng: Generator that draws the sample (default ``np.random.default_rng(0)``).

    Returns:
        The finding; never raises on odd values (empty, all-null, mixed types, unicode).

    Raises:
        InvalidInputError: ``sample_size`` is not a positive integer or ``values`` is not a
            column.
    """
    size = _check_sample_size(sample_size)
    series = _as_series(values)
    column = str(name)
    hints = hints_for(column)
    sample = draw_sample(series, size, rng if rng is not None else np.random.default_rng(0))
    candidates: list[Candidate] = []
    if sample.n:
        for detector in _DETECTORS:
            candidates.extend(detector(sample, hints))
    chosen = _choose(candidates, hints)
    if chosen is None or chosen.kind not in PII_KINDS:
        return _negative(column, sample, candidates, hints)
    return _positive(column, sample, chosen, hints)


def skip_column(name: str, values: pd.Series, *, sample_size: int = DEFAULT_SAMPLE_SIZE,
                rng: np.random.Generator | None = None, reason: str = "not examined",
                isnull: np.ndarray | None = None) -> PiiFinding:
    """The finding for a column whose PII decision is made elsewhere (a user's config).

    No detector runs and no lexicon is loaded, but ``rng`` advances exactly as
    :func:`detect_column` would advance it, so whatever is drawn from it next does not change.
    The finding says "not PII" with confidence 0 (nothing was examined) and ``reason``.
    """
    size = _check_sample_size(sample_size)
    if rng is not None:
        skip_sample(_as_series(values), size, rng, isnull)
    return PiiFinding(str(name), False, None, 0.0, reason=reason)


def _frame_locale(findings: Iterable[PiiFinding]) -> str | None:
    counts = Counter(f.locale for f in findings if f.pii and f.locale)
    return counts.most_common(1)[0][0] if counts else None


def detect_frame(frame: pd.DataFrame, *, sample_size: int = DEFAULT_SAMPLE_SIZE,
                 seed: int = 0) -> list[PiiFinding]:
    """Detect PII in every column of a table, in column order.

    Column ``i`` draws its sample from child ``i`` of ``SeedSequence(seed)``: the result
    depends only on the seed and the column's position, never on the values of other
    columns. Columns whose locale the values could not tell (bare postal codes, text in an
    unknown language) then take the table's majority locale.

    Args:
        frame: The table.
        sample_size: Non-null values examined per column at most.
        seed: Seed of the sampling generators.
    """
    if not isinstance(frame, pd.DataFrame):
        raise InvalidInputError(
            f"detect_frame needs a pandas DataFrame; got {type(frame).__name__}."
        )
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InvalidInputError(
            f"The 'seed' parameter of detect_frame must be a non-negative integer. "
            f"Got {seed!r} instead."
        )
    children = np.random.SeedSequence(int(seed)).spawn(frame.shape[1])
    findings = [
        detect_column(str(name), frame.iloc[:, pos], sample_size=sample_size,
                      rng=np.random.default_rng(child))
        for pos, (name, child) in enumerate(zip(frame.columns, children, strict=True))
    ]
    locale = _frame_locale(findings)
    return [
        PiiFinding(f.column, f.pii, f.kind, f.confidence, locale, f.format, f.reason)
        if f.pii and f.locale is None and f.kind in _LOCALE_KINDS and locale else f
        for f in findings
    ]
