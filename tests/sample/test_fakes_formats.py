"""Property tests: format descriptors read from a profile config never break generation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsynth.errors import InvalidInputError
from learnsynth.sample.fakes import FormatError, fill_pii, read_options

PATTERNED = ("phone", "ssn", "national_id", "postal_code", "bank_account", "passport")
patterns = st.text(alphabet=st.sampled_from("#####()-+. /0xAé№"), min_size=1, max_size=24)
any_value = st.one_of(st.none(), st.booleans(), st.integers(-5, 20), st.floats(allow_nan=True),
                      st.text(max_size=12), st.lists(st.text(max_size=8), max_size=3))
descriptors = st.dictionaries(
    st.sampled_from(["pattern", "case", "date_format", "separator", "decimals", "style",
                     "domains", "version", "other"]), any_value, max_size=4)


@settings(max_examples=40, deadline=None)
@given(pattern=patterns, kind=st.sampled_from(PATTERNED),
       locale=st.sampled_from(["en_US", "de_DE", "fr_FR", "pt_BR"]))
def test_any_pattern_gives_values_of_exactly_its_shape(pattern: str, kind: str,
                                                       locale: str) -> None:
    out = fill_pii([("c", kind, locale, {"pattern": pattern})], 25, np.random.SeedSequence(1))
    for value in out["c"]:
        assert len(value) == len(pattern)
        for char, slot in zip(value, pattern, strict=True):
            assert char.isdigit() if slot == "#" else char == slot


@settings(max_examples=150, deadline=None)
@given(fmt=descriptors)
def test_any_descriptor_is_read_or_refused_with_a_format_error(fmt: dict) -> None:
    try:
        options = read_options(fmt)
    except FormatError as exc:
        assert exc.key in fmt
        with pytest.raises(InvalidInputError, match=f"Column 'c': format '{exc.key}'"):
            fill_pii([("c", "email", "en_US", fmt)], 3, np.random.SeedSequence(1))
    else:
        assert options.decimals in range(13) and options.version in (4, 6)
