"""Database URLs and table order, property-based.

No password ever shows, any URL either parses or fails with one InvalidInputError line, and any
foreign-key graph gets an order with parents first."""

from __future__ import annotations

from urllib.parse import quote as pct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsynth.data.sql import (
    Catalog,
    ForeignKey,
    TableSchema,
    parse_url,
    redact,
    scrub,
    table_order,
)
from learnsynth.errors import InvalidInputError

# a marker around any text, so that the password cannot appear in a message by coincidence
passwords = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20).map(
    lambda t: f"Zq{t}#x")


@settings(max_examples=200, deadline=None)
@given(password=passwords, encode=st.booleans(), scheme=st.sampled_from(
    ["postgresql", "postgres", "postgresql+psycopg"]))
def test_a_password_never_shows_whatever_it_holds(password: str, encode: bool,
                                                  scheme: str) -> None:
    written = pct(password, safe="") if encode else password
    url = f"{scheme}://alice:{written}@db.internal:5432/sales?table=orders"

    assert written not in redact(url) and "alice:***@db.internal" in redact(url)
    try:
        parsed = parse_url(url)
    except InvalidInputError as exc:
        message = str(exc)
        assert "\n" not in message and written not in message and password not in message
        return
    assert parsed.shown == "postgresql://alice:***@db.internal:5432/sales".replace(
        "postgresql", scheme)
    assert parsed.table == "orders" and "table=" not in parsed.conninfo
    assert written not in repr(parsed) and password not in repr(parsed)
    # a driver message quoting the password (raw or decoded) is scrubbed
    said = f'FATAL: bad password "{password}"\n\tfor "{written}"'
    assert password not in scrub(said, parsed) and "\n" not in scrub(said, parsed)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_parses_or_fails_with_one_line(text: str) -> None:
    for url in (text, "postgresql://" + text, "sqlite:///" + text):
        try:
            parse_url(url)
        except InvalidInputError as exc:
            assert "\n" not in str(exc)


def test_password_query_parameters_are_redacted_too() -> None:
    url = "postgresql://bob@h/db?password=hunter22&sslmode=require"
    assert "hunter22" not in redact(url)
    assert "hunter22" not in repr(parse_url(url))


@pytest.mark.parametrize("url, fragment", [
    ("mysql://u:p@h/db", "not a database URL"),
    ("sqlite://relative.db", "sqlite:///relative/path.db"),
    ("sqlite:///x.db?schema=s", "no schemas"),
    ("postgresql://u:pw@h/db?table=a&table=b", "given once"),
    ("postgresql://u:pw@h:99999999/db", "malformed"),
])
def test_bad_urls_name_what_is_wrong(url: str, fragment: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_url(url)
    assert fragment in str(info.value) and ":pw@" not in str(info.value)


names = st.sampled_from([f"t{i}" for i in range(8)])


@settings(max_examples=300, deadline=None)
@given(st.sets(names, min_size=1), st.lists(st.tuples(names, names), max_size=20))
def test_order_puts_parents_first_and_explains_every_broken_reference(
        tables: set[str], edges: list[tuple[str, str]]) -> None:
    fks: dict[str, list[ForeignKey]] = {t: [] for t in tables}
    for child, parent in edges:
        if child in tables and parent in tables:
            fks[child].append(ForeignKey((f"{parent}_id",), parent, ("id",)))
    catalog = Catalog("x", {t: TableSchema(t, (), ("id",), tuple(fks[t])) for t in tables})

    order, notes = table_order(catalog)

    assert sorted(order) == sorted(tables)
    position = {t: i for i, t in enumerate(order)}
    broken = {(c, fk.parent) for c in tables for fk in fks[c]
              if position[fk.parent] >= position[c]}
    assert all("\n" not in note for note in notes)
    assert sum("references itself" in n for n in notes) == sum(
        1 for c in tables for fk in fks[c] if fk.parent == c)
    cycles = [n for n in notes if "in a cycle" in n]
    assert bool(cycles) == any(c != p for c, p in broken)  # only a real cycle breaks the order
    assert table_order(catalog) == (order, notes)  # deterministic
