"""PII detection accuracy on the labelled corpus, against a name-only baseline.

Prints, for the tune seed and the hold-out seed of ``tests/detect/corpus_seed<N>.json.gz``:
binary precision / recall / F1 (PII or not), kind accuracy on the PII columns, locale accuracy
on name/address/phone columns, and the same figures for a classifier that reads the column
name only (``learnsynth.profile.pii.baseline.detect_by_name``, same lexicon), plus every
column the detector got wrong (id, expected, found; never a value).

Usage: ``.venv/bin/python benchmarks/detect_corpus.py [SEED...]`` (``--build`` generates the
corpus of seeds that have no committed file, in memory).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "detect"))

from pii_corpus import (  # noqa: E402
    HOLDOUT_SEED,
    TUNE_SEED,
    LabelledColumn,
    Scores,
    build_corpus,
    corpus_path,
    load_corpus,
    score,
    to_series,
)

from learnsynth.profile.pii import DEFAULT_SAMPLE_SIZE, detect_column  # noqa: E402
from learnsynth.profile.pii.baseline import detect_by_name  # noqa: E402

_LOCALE_KINDS = ("full_name", "first_name", "last_name", "phone", "street_address", "city",
                 "state", "postal_code")


def _row(label: str, s: Scores, locale: str, seconds: float | None) -> str:
    took = f"{seconds:.1f}" if seconds is not None else "-"
    return (f"| {label:<28} | {s.n:>4} | {s.n_pii:>4} | {s.precision:.3f} | {s.recall:.3f} "
            f"| {s.f1:.3f} | {s.kind_accuracy:.3f} | {locale:>6} | {took:>5} |")


def _locale_accuracy(columns: list[LabelledColumn], locales: list[str | None]) -> str:
    pairs = [(c.locale, got) for c, got in zip(columns, locales, strict=True)
             if c.group == "faker" and c.kind in _LOCALE_KINDS]
    return f"{sum(a == b for a, b in pairs) / len(pairs):.3f}" if pairs else "-"


def _corpus(seed: int) -> list[LabelledColumn]:
    return load_corpus(seed) if corpus_path(seed).exists() else build_corpus(seed)


def main(argv: list[str]) -> int:
    seeds = [int(a) for a in argv] or [TUNE_SEED, HOLDOUT_SEED]
    print(f"sample size: {DEFAULT_SAMPLE_SIZE} non-null values per column\n")
    print("| corpus / classifier          |    n |  PII | prec. | recall |    F1 | kind acc. "
          "| locale |     s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    misses: list[str] = []
    for seed in seeds:
        columns = _corpus(seed)
        labels = [c.kind for c in columns]
        start = time.perf_counter()
        found = [detect_column(c.name, to_series(c)) for c in columns]
        elapsed = time.perf_counter() - start
        named = [detect_by_name(c.name) for c in columns]
        tag = "tune" if seed == TUNE_SEED else "hold-out" if seed == HOLDOUT_SEED else "extra"
        print(_row(f"seed {seed} ({tag}) detector", score(labels, [f.kind for f in found]),
                   _locale_accuracy(columns, [f.locale for f in found]), elapsed))
        print(_row(f"seed {seed} ({tag}) name only", score(labels, [f.kind for f in named]),
                   _locale_accuracy(columns, [f.locale for f in named]), None))
        misses += [f"seed {seed}: {c.id} (name {c.name!r}) expected {c.kind}, found {f.kind}"
                   for c, f in zip(columns, found, strict=True) if c.kind != f.kind]
    print("\nmisclassified columns:" if misses else "\nno misclassified column")
    for line in misses:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
