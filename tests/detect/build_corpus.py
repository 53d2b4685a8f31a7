"""Build the labelled PII detection corpus files (``corpus_seed<N>.json.gz``) beside this script.

Usage: ``.venv/bin/python tests/detect/build_corpus.py [SEED...]`` (default: the tune and the
hold-out seed). The same seed and the same Faker version write the same bytes.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pii_corpus import (  # noqa: E402
    HOLDOUT_SEED,
    TUNE_SEED,
    build_corpus,
    corpus_path,
    save_corpus,
)


def main(argv: Sequence[str]) -> int:
    """Build and write the corpora of the given seeds (default: tune and hold-out)."""
    seeds = [int(a) for a in argv] or [TUNE_SEED, HOLDOUT_SEED]
    for seed in seeds:
        columns = build_corpus(seed)
        save_corpus(columns, corpus_path(seed))
        n_pii = sum(c.kind is not None for c in columns)
        locales = sorted({c.locale for c in columns if c.locale})
        print(f"seed {seed}: {len(columns)} columns ({n_pii} PII) over {len(locales)} locales "
              f"-> {corpus_path(seed).name} ({corpus_path(seed).stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
