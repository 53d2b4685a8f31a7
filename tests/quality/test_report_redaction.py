"""Report errors name the REAL/SYNTH source, but never a database password inside its URL."""

from __future__ import annotations

import pandas as pd
import pytest

from learnsynth.errors import InvalidInputError
from learnsynth.quality.run import _check_columns, _pick

URL = "postgresql://alice:s3cr3t-pw@127.0.0.1:5432/shop?table=customers"


def test_missing_column_message_names_the_source_without_its_password() -> None:
    kinds = {"a": {}, "b": {}}
    real = pd.DataFrame({"a": [1], "b": [2]})
    synth = pd.DataFrame({"a": [1]})
    with pytest.raises(InvalidInputError) as err:
        _check_columns(kinds, real, synth, "real.csv", URL)
    message = str(err.value)
    assert "s3cr3t-pw" not in message
    assert "alice:***@127.0.0.1" in message and "'b'" in message


def test_table_choice_message_names_the_source_without_its_password() -> None:
    with pytest.raises(InvalidInputError) as err:
        _pick({"x": None, "y": None}, None, "REAL", URL)  # type: ignore[dict-item]
    assert "s3cr3t-pw" not in str(err.value) and "--table" in str(err.value)
