from __future__ import annotations

import pytest

from learnsynth.config import ProfileOptions, load_config
from learnsynth.errors import ConfigError


def write(tmp_path, text):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_config_overrides_options_and_columns(tmp_path):
    path = write(tmp_path, """
k: 7
protected_quantile: 0.01
holdout: 0.2
columns:
  email: {kind: email}
  notes: {exclude: true}
  income: {distribution: lognormal}
  customers.code: {pii: false, kind: categorical}
""")
    opts = load_config(path, ProfileOptions(seed=3))
    assert (opts.k, opts.protected_quantile, opts.holdout, opts.seed) == (7, 0.01, 0.2, 3)
    assert opts.override("customers", "email").pii is True
    assert opts.override("t", "notes").exclude
    assert opts.override("customers", "code").kind == "categorical"
    assert opts.override("other", "code") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("k: 1\n", "'k' must be an integer in [2, 1000], got 1"),
        ("holdout: 0.9\n", "'holdout' must be a number in [0, 0.5]"),
        ("colums: {}\n", "unknown key(s) ['colums']"),
        ("columns: {a: {kind: banana}}\n", "column 'a' has unknown kind 'banana'"),
        ("columns: {a: {distribution: cauchy}}\n", "unknown distribution 'cauchy'"),
        ("columns: {a: {kind: email, pii: false}}\n", "PII kind 'email' but pii: false"),
        ("columns: {a: {frobnicate: 1}}\n", "unknown option(s) ['frobnicate']"),
        ("- a\n- b\n", "must be a mapping"),
        ("k: [unclosed\n", "cannot be read as YAML"),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path, ProfileOptions())
    assert message in str(err.value)
    assert str(path) in str(err.value)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.yaml", ProfileOptions())
