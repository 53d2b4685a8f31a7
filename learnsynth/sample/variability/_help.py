"""The text ``learnsynth sample --variability-help`` prints: every option of the YAML file."""

from __future__ import annotations

__all__ = ["OPTIONS_HELP"]

OPTIONS_HELP = """\
learnsynth sample NAME --rows N --out FILE --variability FILE.yaml

Injects controlled dirt into the sampled rows and writes, beside --out, a ground-truth log
<stem>.variability.<ext> (one row per change: row, column, kind, variant, clean, dirty,
source_row) and <stem>.variability.json (configured vs injected rates). The same --seed gives
the same dirt whatever --jobs; the clean data plus the log replays the dirty data exactly.

Rates are per non-null cell; a cell gets at most one kind, so a column's rates may add up to 1
at most. Kinds apply only where they make sense for the column the model knows.

defaults:                  rates for every column where the kind applies (not key columns)
  typo: 0.01               keyboard typos: strings (names, places, emails, phones, categories, text)
  missing: 0.01            replaced by a missing-value marker: every column
  format: 0.01             the same value written another way: every column
  outlier: 0.002           numbers and dates only
  invalid: 0.005           credit cards, IBANs (bad checksum) and emails (malformed) only
columns:                   per-column rates; they replace the defaults kind by kind
  email: {invalid: 0.05}   0 turns a kind off for a column; key columns get dirt only from here
variants:                  which variants each kind draws from: a list (equal weights) or
                           a mapping variant -> weight
  typo:    adjacent (a neighbouring QWERTY key), transpose (two neighbours swapped),
           delete, insert (a neighbouring key added), double (a character doubled)
  missing: the markers, as a list: ~ (a real null), "" (empty string), N/A, -, unknown, 0
           (default all six; any other string works too)
  format:  phone (regrouped: 555-123-4567, (555) 123-4567, +1 555 123 4567, ...: phones),
           date (another date format: 31/12/1990, 12/31/1990, 19901231, 31 Dec 1990, ...:
           dates and timestamps), number (1,234.5 or 1234,5: numbers),
           grouping (digits regrouped in fours or run together: cards, IBANs),
           case (UPPER, lower, Title, sWAP), whitespace (leading, trailing, doubled,
           non-breaking, tab), unicode (another normalisation form, else a Cyrillic look-alike
           letter)
  outlier: x10, x1000 (scale errors), sign (flipped), range (far outside the column's range):
           numbers; far_past, far_future (a century or two outside the range): dates
  invalid: checksum (last digit of a card / IBAN check digits changed so the check fails:
           credit_card, iban), email (no @, @@, no dot in the domain, a space, '..', no local
           part, a comma)
near_duplicates:           copies of generated rows inserted nearby (or just a rate)
  rate: 0.01               copies per clean row (the output has about rows * (1 + rate) rows)
  fields: 2                fields perturbed per copy (never key columns, which get fresh keys)
  kinds: [typo, format, missing]   how copies are perturbed

Bad config (unknown key, column, kind or variant; a rate outside [0, 1]; rates adding above 1
for a column; a kind that cannot apply to a column it is set on): one 'error:' line, exit 2.
"""
