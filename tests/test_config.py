from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_config_relationships_and_detection_switch(tmp_path):
    path = write(tmp_path, """
relationships:
  - {child: flights.origin, parent: airports.faa}
  - {child: employees.manager_id, parent: employees.id, fill_after: true}
  - {child: orders.customer_code, parent: customers.code, enabled: false}
detect_relationships: false
""")
    opts = load_config(path, ProfileOptions())
    assert [(r.child, r.parent, r.fill_after, r.enabled) for r in opts.relationships] == [
        ("flights.origin", "airports.faa", False, True),
        ("employees.manager_id", "employees.id", True, True),
        ("orders.customer_code", "customers.code", False, False)]
    assert opts.detect_relationships is False
    assert str(path) in opts.relationships[0].where and "entry 1" in opts.relationships[0].where
    # recorded in the artifact, sorted, so the same declarations give the same bytes
    recorded = opts.to_dict()
    assert recorded["detect_relationships"] is False
    assert [r["child"] for r in recorded["relationships"]] == [
        "employees.manager_id", "flights.origin", "orders.customer_code"]
    assert recorded["relationships"][0] == {"child": "employees.manager_id",
                                            "parent": "employees.id", "fill_after": True,
                                            "enabled": True}
    assert ProfileOptions().to_dict()["relationships"] == []
    assert ProfileOptions().detect_relationships is True


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("relationships: {child: a.b}\n", "'relationships' must be a list"),
        ("relationships: [a.b]\n", "relationships entry 1 must be a mapping"),
        ("relationships:\n  - {child: a.b}\n", "relationships entry 1 has no ['parent']"),
        ("relationships:\n  - {child: a.b, parent: c.d, cascade: true}\n",
         "relationships entry 1 has unknown key(s) ['cascade']"),
        ("relationships:\n  - {child: ab, parent: c.d}\n",
         "relationships entry 1: 'child' must be 'table.column', got 'ab'"),
        ("relationships:\n  - {child: a.b, parent: .d}\n", "'parent' must be 'table.column'"),
        ("relationships:\n  - {child: a.b, parent: 7}\n", "'parent' must be 'table.column'"),
        ("relationships:\n  - {child: a.b, parent: c.d, fill_after: yes please}\n",
         "relationships entry 1 (a.b): 'fill_after' must be true or false"),
        ("relationships:\n  - {child: a.b, parent: c.d, enabled: 0}\n",
         "'enabled' must be true or false, got 0"),
        ("relationships:\n  - {child: a.b, parent: a.b}\n", "column a.b cannot reference itself"),
        ("relationships:\n  - {child: a.b, parent: c.d}\n  - {child: a.b, parent: e.f}\n",
         "relationships entry 2 declares a.b again (entry 1 already does)"),
        ("detect_relationships: maybe\n", "'detect_relationships' must be true or false"),
    ],
)
def test_bad_relationship_entries_are_one_clear_error(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path, ProfileOptions())
    assert message in str(err.value)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


_YAMLISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text("ab.c_ ", max_size=6)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(
        st.sampled_from(["child", "parent", "fill_after", "enabled", "x"]), inner, max_size=4)),
    max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(st.one_of(_YAMLISH, st.lists(st.fixed_dictionaries(
    {"child": st.text("ab.\n", max_size=5), "parent": st.text("ab.", max_size=5)},
    optional={"fill_after": _YAMLISH, "enabled": st.booleans()}), max_size=3)))
def test_any_relationships_value_parses_or_is_one_config_error(tmp_path_factory, value):
    path = tmp_path_factory.mktemp("cfg") / "config.yaml"
    path.write_text(yaml.safe_dump({"relationships": value}), encoding="utf-8")
    try:
        opts = load_config(path, ProfileOptions())
    except ConfigError as err:
        assert str(path) in str(err) and "\n" not in str(err)
        return
    for entry in opts.relationships:
        for ref in (entry.child, entry.parent):
            table, _, column = ref.partition(".")
            assert table.strip() and column.strip()
        assert isinstance(entry.fill_after, bool) and isinstance(entry.enabled, bool)
    assert len({e.child for e in opts.relationships}) == len(opts.relationships)
