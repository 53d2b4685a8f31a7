"""Dirty data on purpose: controlled, logged variability injected into sampled chunks.

::

    load_variability(path)  ->  VariabilityConfig      (YAML, checked; ConfigError on mistakes)
    plan(config, table)     ->  Plan                   (per column: kinds, rates, variants)
    VariabilityTransform(plan, seed, n_rows, chunk_rows)
        (chunk_index, start_row, clean chunk) -> (dirty chunk, {"variability_log": ...})
    apply_log(clean, log)   ->  dirty                  (the log replayed; exact)

The clean chunk is what ``sample`` draws with the same seed and no variability; the dirty chunk is
it with cells edited and near-duplicate rows inserted, and the log says exactly what changed.
"""

from __future__ import annotations

from learnsynth.sample.variability._config import (
    NearDuplicates,
    VariabilityConfig,
    load_variability,
    parse_variability,
)
from learnsynth.sample.variability._help import OPTIONS_HELP
from learnsynth.sample.variability._inject import ChunkResult, inject_chunk
from learnsynth.sample.variability._kinds import CELL_KINDS, DEFAULT_VARIANTS
from learnsynth.sample.variability._log import LOG_COLUMNS, apply_log, arrow_text
from learnsynth.sample.variability._plan import ColumnPlan, Plan, plan
from learnsynth.sample.variability._run import VariabilityRun, log_locations, prepare
from learnsynth.sample.variability._transform import (
    Summary,
    VariabilityTransform,
    output_paths,
)

__all__ = [
    "CELL_KINDS",
    "DEFAULT_VARIANTS",
    "LOG_COLUMNS",
    "OPTIONS_HELP",
    "ChunkResult",
    "ColumnPlan",
    "NearDuplicates",
    "Plan",
    "Summary",
    "VariabilityConfig",
    "VariabilityRun",
    "VariabilityTransform",
    "apply_log",
    "arrow_text",
    "inject_chunk",
    "load_variability",
    "log_locations",
    "output_paths",
    "parse_variability",
    "plan",
    "prepare",
]
