"""Reading input tables: CSV/TSV as verbatim text, Parquet/JSON Lines/SQLite with native types,
folders, subsampling, and one clear error per kind of bad input."""

from __future__ import annotations

import bz2
import dataclasses
import gzip
import hashlib
import lzma
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from learnsynth.data._collect import Collector
from learnsynth.data.sources import Table, read_table, read_tables, redact_url
from learnsynth.errors import InvalidInputError
from learnsynth.progress import Progress


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def make_sqlite(path: Path, tables: dict[str, tuple[str, list[tuple[object, ...]]]]) -> Path:
    connection = sqlite3.connect(path)
    for name, (columns, rows) in tables.items():
        connection.execute(f"CREATE TABLE {name} ({columns})")
        if rows:
            marks = ",".join("?" * len(rows[0]))
            connection.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
    connection.commit()
    connection.close()
    return path


# --- CSV as text ----------------------------------------------------------------------------------


def test_csv_keeps_raw_text_and_turns_null_tokens_into_none(tmp_path: Path) -> None:
    csv = write(tmp_path / "customers.csv",
                "id,zip,joined,note\n"
                "007,02134,03/04/2021, padded \n"
                "008,,2021-04-03,NA\n"
                "009,N/A,NULL,none\n"
                '010,#N/A,"NaN",n/a\n')

    table = read_table(csv)

    assert table.name == "customers"
    assert list(table.frame.columns) == ["id", "zip", "joined", "note"]
    assert table.frame.to_dict("list") == {
        "id": ["007", "008", "009", "010"],
        "zip": ["02134", None, None, None],
        "joined": ["03/04/2021", "2021-04-03", None, None],
        "note": [" padded ", None, "none", "n/a"],  # exact tokens only, no case folding
    }
    assert all(dtype == np.dtype(object) for dtype in table.frame.dtypes)
    assert all(type(v) is str for v in table.frame["id"])
    assert table.frame.index.equals(pd.RangeIndex(4))


def test_csv_every_null_token(tmp_path: Path) -> None:
    tokens = ["", "NA", "N/A", "NaN", "nan", "NULL", "null", "None", "#N/A"]
    csv = write(tmp_path / "t.csv", "v,w\n" + "".join(f"{t},x\n" for t in tokens))

    frame = read_table(csv).frame

    assert frame["v"].tolist() == [None] * len(tokens)
    assert frame["w"].tolist() == ["x"] * len(tokens)


def test_csv_quoted_values_with_delimiters_quotes_and_newlines(tmp_path: Path) -> None:
    csv = write(tmp_path / "q.csv", 'a,b\n"x, y","he said ""hi"""\n"line1\nline2",2\n')

    frame = read_table(csv).frame

    assert frame.to_dict("list") == {"a": ["x, y", "line1\nline2"], "b": ['he said "hi"', "2"]}


def test_tsv_splits_on_tabs_only(tmp_path: Path) -> None:
    tsv = write(tmp_path / "t.tsv", "a\tb\n1,5\t2\n")

    assert read_table(tsv).frame.to_dict("list") == {"a": ["1,5"], "b": ["2"]}


def _zstd(data: bytes) -> bytes:
    return bytes(pa.Codec("zstd").compress(data, asbytes=True))


@pytest.mark.parametrize(("suffix", "compress"), [
    (".gz", gzip.compress), (".bz2", bz2.compress), (".xz", lzma.compress), (".zst", _zstd),
])
def test_compressed_csv(tmp_path: Path, suffix: str, compress: Callable[[bytes], bytes]) -> None:
    path = write(tmp_path / f"orders.csv{suffix}", compress(b"id,total\n01,9.50\n02,\n"))

    table = read_table(path)

    assert table.name == "orders"
    assert table.frame.to_dict("list") == {"id": ["01", "02"], "total": ["9.50", None]}


def test_utf8_bom_is_not_part_of_the_first_column_name(tmp_path: Path) -> None:
    csv = write(tmp_path / "bom.csv", b"\xef\xbb\xbfid,v\n1,2\n")

    assert list(read_table(csv).frame.columns) == ["id", "v"]


def test_unicode_names_and_values_are_kept_exactly(tmp_path: Path) -> None:
    csv = write(tmp_path / "u.csv", "naïve,名前,emoji 🎉\nÅngström,山田 太郎,e\u0301\n")

    frame = read_table(csv).frame

    assert list(frame.columns) == ["naïve", "名前", "emoji 🎉"]
    assert frame.iloc[0].tolist() == ["Ångström", "山田 太郎", "e\u0301"]


def test_single_row_and_all_null_column_are_kept(tmp_path: Path) -> None:
    csv = write(tmp_path / "one.csv", "a,empty\n1,\n")

    table = read_table(csv)

    assert table.n_rows_total == 1
    assert table.frame.to_dict("list") == {"a": ["1"], "empty": [None]}


def test_ten_thousand_columns(tmp_path: Path) -> None:
    n_cols, n_rows = 10_000, 20
    header = ",".join(f"c{i}" for i in range(n_cols))
    rows = "".join(",".join(f"{r}.{i}" for i in range(n_cols)) + "\n" for r in range(n_rows))
    csv = write(tmp_path / "wide.csv", header + "\n" + rows)

    frame = read_table(csv).frame

    assert frame.shape == (n_rows, n_cols)
    assert frame.iloc[19, 9999] == "19.9999"
    assert frame.columns[-1] == "c9999"


def test_row_longer_than_a_read_block(tmp_path: Path) -> None:
    long_value = "x" * 3_000_000
    csv = write(tmp_path / "long.csv", f"a,b\n1,{long_value}\n2,y\n")

    frame = read_table(csv).frame

    assert frame["b"].tolist() == [long_value, "y"]


def test_file_table_metadata(tmp_path: Path) -> None:
    csv = write(tmp_path / "m.csv", "a\n1\n2\n")

    table = read_table(csv)

    assert table.source == str(csv)
    assert table.n_rows_total == 2
    assert table.fingerprint == hashlib.sha256(csv.read_bytes()).hexdigest()
    with pytest.raises(dataclasses.FrozenInstanceError):
        table.name = "other"  # type: ignore[misc]


# --- Parquet and JSON Lines keep native types ---------------------------------------------------


def test_parquet_native_types(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    pd.DataFrame({
        "n": [1, 2, 3], "n_null": [1, None, 3], "x": [0.5, 1.5, None],
        "flag": [True, None, False], "s": ["a", None, "c"],
        "when": pd.to_datetime(["2020-01-01", None, "2021-06-30"]),
        "cat": pd.Categorical(["u", "v", "u"]),
    }).to_parquet(path)

    frame = read_table(path).frame

    assert frame["n"].dtype == np.int64 and frame["n"].tolist() == [1, 2, 3]
    assert frame["n_null"].dtype == np.float64 and np.isnan(frame["n_null"][1])
    assert str(frame["flag"].dtype) == "boolean" and frame["flag"].isna().tolist() == [
        False, True, False]
    assert frame["s"].tolist() == ["a", None, "c"]
    assert pd.api.types.is_datetime64_any_dtype(frame["when"]) and pd.isna(frame["when"][1])
    assert frame["cat"].tolist() == ["u", "v", "u"] and frame["cat"].dtype == object
    assert frame.index.equals(pd.RangeIndex(3))


def test_pq_suffix_and_batches_across_row_groups(tmp_path: Path) -> None:
    path = tmp_path / "many.pq"
    pq.write_table(pa.table({"i": np.arange(200_000)}), path, row_group_size=30_000)

    table = read_table(path)

    assert table.name == "many"
    assert table.frame["i"].tolist() == list(range(200_000))


def test_jsonl_native_types_and_timestamp_like_strings_stay_text(tmp_path: Path) -> None:
    path = write(tmp_path / "events.jsonl",
                 '{"id": 1, "at": "2020-01-01 10:00:00", "ok": true, "v": 1.5}\n'
                 '\n'
                 '{"id": 2, "at": "03/01/2020", "ok": null, "v": null, "late": "x"}\n')

    frame = read_table(path).frame

    assert list(frame.columns) == ["id", "at", "ok", "v", "late"]
    assert frame["id"].tolist() == [1, 2] and frame["id"].dtype == np.int64
    assert frame["at"].tolist() == ["2020-01-01 10:00:00", "03/01/2020"]
    assert str(frame["ok"].dtype) == "boolean"
    assert frame["late"].tolist() == [None, "x"]


def test_jsonl_type_change_far_down_becomes_object_column(tmp_path: Path) -> None:
    lines = [f'{{"code": {i}}}' for i in range(50_000)] + ['{"code": "A-1"}']
    path = write(tmp_path / "codes.ndjson.gz", gzip.compress("\n".join(lines).encode()))

    table = read_table(path)

    assert table.name == "codes"
    assert table.n_rows_total == 50_001
    assert table.frame["code"].iloc[-1] == "A-1" and table.frame["code"].iloc[0] == 0


# --- SQLite --------------------------------------------------------------------------------------


def test_sqlite_reads_every_table_with_redacted_source(tmp_path: Path) -> None:
    db = make_sqlite(tmp_path / "shop.db", {
        "users": ("id INTEGER, name TEXT, score REAL", [(1, "Ann", 2.5), (2, None, None)]),
        "orders": ("id INTEGER, user_id INTEGER, mixed", [(10, 1, 5), (11, 2, "five")]),
    })
    url = f"sqlite:///{db}"

    tables = read_tables(url)

    assert list(tables) == ["orders", "users"]
    users = tables["users"]
    assert users.source == f"{url}#users"
    assert users.frame["id"].tolist() == [1, 2] and users.frame["id"].dtype == np.int64
    assert users.frame["name"].tolist() == ["Ann", None]
    assert tables["orders"].frame["mixed"].tolist() == [5, "five"]
    assert len(users.fingerprint) == 64 and users.fingerprint != tables["orders"].fingerprint


def test_sqlite_table_query_and_fingerprint_follows_the_data(tmp_path: Path) -> None:
    db = make_sqlite(tmp_path / "a.db", {"t": ("v TEXT", [("x",), ("y",)]),
                                         "other": ("v TEXT", [("z",)])})
    url = f"sqlite:///{db}?table=t"

    first = read_tables(url)
    again = read_tables(url)
    connection = sqlite3.connect(db)
    connection.execute("UPDATE t SET v = 'w' WHERE v = 'y'")
    connection.commit()
    connection.close()
    changed = read_tables(url)

    assert list(first) == ["t"]
    assert first["t"].source == f"sqlite:///{db}#t"
    assert first["t"].fingerprint == again["t"].fingerprint != changed["t"].fingerprint


def test_sqlite_absolute_path_url(tmp_path: Path) -> None:
    db = make_sqlite(tmp_path / "abs.db", {"t": ("v", [(1,)])})
    assert db.is_absolute()

    assert read_tables(f"sqlite:///{db}")["t"].frame["v"].tolist() == [1]


# --- folders -------------------------------------------------------------------------------------


def test_folder_one_table_per_supported_file_sorted(tmp_path: Path) -> None:
    write(tmp_path / "b.csv", "x\n1\n")
    write(tmp_path / "a.jsonl", '{"y": 2}\n')
    pd.DataFrame({"z": [3]}).to_parquet(tmp_path / "c.parquet")
    write(tmp_path / "notes.txt", "ignored")
    write(tmp_path / ".hidden.csv", "ignored\n")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "d.csv", "ignored\n1\n")

    tables = read_tables(tmp_path)

    assert list(tables) == ["a", "b", "c"]
    assert tables["b"].frame["x"].tolist() == ["1"]
    assert tables["c"].source == str(tmp_path / "c.parquet")


def test_folder_without_supported_files_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "readme.md", "# hi")

    with pytest.raises(InvalidInputError, match="holds no supported file"):
        read_tables(tmp_path)


def test_folder_with_two_files_for_one_table_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "people.csv", "a\n1\n")
    write(tmp_path / "people.jsonl", '{"a": 1}\n')

    with pytest.raises(InvalidInputError, match="two files for table 'people'"):
        read_tables(tmp_path)


# --- max_rows subsampling ------------------------------------------------------------------------


def test_max_rows_keeps_exact_deterministic_subsample_in_order(tmp_path: Path) -> None:
    csv = write(tmp_path / "big.csv", "i\n" + "".join(f"{i}\n" for i in range(50_000)))

    a = read_table(csv, max_rows=500, seed=7)
    b = read_table(csv, max_rows=500, seed=7)
    c = read_table(csv, max_rows=500, seed=8)
    whole = read_table(csv, max_rows=60_000)

    picked = [int(v) for v in a.frame["i"]]
    assert len(picked) == 500 and a.n_rows_total == 50_000
    assert picked == sorted(picked) and len(set(picked)) == 500
    assert a.frame.equals(b.frame)
    assert not a.frame.equals(c.frame)
    assert a.frame.index.equals(pd.RangeIndex(500))
    assert len(whole.frame) == 50_000 and whole.n_rows_total == 50_000
    assert min(picked) < 5_000 and max(picked) > 45_000  # spread over the whole file


def test_same_rows_whatever_the_format_and_batching(tmp_path: Path) -> None:
    n = 100_000
    csv = write(tmp_path / "s.csv", "i\n" + "".join(f"{i}\n" for i in range(n)))
    parquet = tmp_path / "s.parquet"
    pq.write_table(pa.table({"i": np.arange(n)}), parquet, row_group_size=7_001)

    from_csv = read_table(csv, max_rows=300, seed=3).frame["i"].astype(int).tolist()
    from_parquet = read_table(parquet, max_rows=300, seed=3).frame["i"].tolist()

    assert from_csv == from_parquet


def test_collector_is_uniform_and_holds_bounded_rows() -> None:
    n, keep, runs = 200, 20, 2_000
    counts = np.zeros(n)
    peak = 0
    for seed in range(runs):
        collector = Collector(keep, seed, Progress(None, "t", enabled=False))
        for start in range(0, n, 15):
            rows = list(range(start, min(start + 15, n)))
            collector.add(rows, len(rows))
            peak = max(peak, collector.held)
        kept = collector.result()
        assert len(kept) == keep and kept == sorted(kept)
        counts[kept] += 1

    expected = runs * keep / n  # 200 selections per row
    assert np.all(np.abs(counts - expected) < 5 * np.sqrt(expected))
    assert peak < 2 * keep + 15


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_max_rows_must_be_positive_integer(tmp_path: Path, bad: object) -> None:
    csv = write(tmp_path / "x.csv", "a\n1\n")

    with pytest.raises(InvalidInputError, match="max_rows must be a positive integer"):
        read_table(csv, max_rows=bad)  # type: ignore[arg-type]


# --- progress ------------------------------------------------------------------------------------


def test_progress_bar_on_stderr_only_when_asked(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    csv = write(tmp_path / "p.csv", "a\n1\n2\n")

    read_table(csv, progress=True)
    shown = capsys.readouterr().err
    read_table(csv, progress=False)
    hidden = capsys.readouterr().err
    read_table(csv)  # None: only on a terminal, and pytest's stderr is not one
    default = capsys.readouterr().err

    assert "reading p.csv" in shown and "2 rows" in shown
    assert hidden == "" and default == ""


# --- bad input: one clear line each --------------------------------------------------------------


def _error(source: str | Path) -> str:
    with pytest.raises(InvalidInputError) as info:
        read_tables(source)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_missing_path(tmp_path: Path) -> None:
    message = _error(tmp_path / "nope.csv")
    assert "nope.csv" in message and "does not exist" in message


def test_unsupported_suffix(tmp_path: Path) -> None:
    message = _error(write(tmp_path / "data.xlsx", b"PK"))
    assert "data.xlsx" in message and "unsupported suffix" in message and ".csv" in message


def test_compressed_parquet_suffix_is_unsupported(tmp_path: Path) -> None:
    assert "unsupported suffix" in _error(write(tmp_path / "d.parquet.gz", b"x"))


@pytest.mark.parametrize("name", ["empty.csv", "empty.parquet", "empty.jsonl"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    message = _error(write(tmp_path / name, b""))
    assert f"{name}' is empty" in message


def test_csv_of_blank_lines_is_empty(tmp_path: Path) -> None:
    assert "is empty" in _error(write(tmp_path / "blank.csv", "\n\n\n"))


def test_header_only(tmp_path: Path) -> None:
    message = _error(write(tmp_path / "h.csv", "a,b\n"))
    assert "'" + str(tmp_path / "h.csv") + "' has a header but no rows" in message


def test_duplicate_column_names(tmp_path: Path) -> None:
    message = _error(write(tmp_path / "dup.csv", "id,name,id\n1,a,2\n"))
    assert "dup.csv" in message and "'id' twice" in message and "columns 1 and 3" in message


def test_empty_column_name(tmp_path: Path) -> None:
    message = _error(write(tmp_path / "e.csv", "a,,c\n1,2,3\n"))
    assert "e.csv" in message and "column 2 has an empty name" in message


def test_non_utf8_csv_names_byte_and_line(tmp_path: Path) -> None:
    message = _error(write(tmp_path / "latin.csv", b"name,city\nAnn,Paris\nBob,Z"
                           + b"\xfcrich\n"))
    assert "latin.csv" in message and "not valid UTF-8" in message
    assert "line 3 (byte offset 25)" in message and "Re-encode" in message


def test_non_utf8_in_compressed_csv_counts_decompressed_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "l.csv.gz", gzip.compress(b"a\n" + b"ok\n" * 1000 + b"\xe9\n"))
    assert "line 1002 (byte offset 3002)" in _error(path)


def test_non_utf8_after_a_character_split_across_read_chunks(tmp_path: Path) -> None:
    data = b"a\n" + b"x" * ((1 << 20) - 3) + "ééé\n".encode() + b"ok\n\xff\n"
    offset = data.index(b"\xff")
    message = _error(write(tmp_path / "wide.csv", data))
    assert f"line 4 (byte offset {offset})" in message


def test_non_utf8_json_line(tmp_path: Path) -> None:
    message = _error(write(tmp_path / "j.jsonl", b'{"a": "x"}\n{"a": "\xe9"}\n'))
    assert "j.jsonl" in message and "line 2 is not valid UTF-8" in message


def test_ragged_row_names_line_and_never_quotes_data(tmp_path: Path) -> None:
    csv = write(tmp_path / "r.csv", 'a,b\n1,2\n"multi\nline",3\nsecret-value,4,5\n')

    message = _error(csv)

    assert "r.csv" in message and "line 5" in message
    assert "3 fields but the header has 2" in message
    assert "secret-value" not in message


def test_short_row_is_malformed_too(tmp_path: Path) -> None:
    assert "line 3" in _error(write(tmp_path / "s.csv", "a,b\n1,2\n3\n"))


def test_malformed_json_line(tmp_path: Path) -> None:
    path = write(tmp_path / "m.jsonl", '{"a": 1}\n{"a": 2}\n{"a": \n')
    message = _error(path)
    assert "m.jsonl" in message and "line 3 is not valid JSON" in message


def test_json_line_that_is_not_an_object(tmp_path: Path) -> None:
    message = _error(write(tmp_path / "arr.json", '[{"a": 1}]\n'))
    assert "line 1 is not a JSON object" in message


def test_json_duplicate_key(tmp_path: Path) -> None:
    message = _error(write(tmp_path / "d.jsonl", '{"a": 1, "a": 2}\n'))
    assert "'a' appears twice" in message and "line 1" in message


def test_json_nested_value_names_the_column(tmp_path: Path) -> None:
    first = _error(write(tmp_path / "n1.jsonl", '{"id": 1, "tags": ["x"]}\n'))
    later = _error(write(tmp_path / "n2.jsonl", '{"id": 1, "tags": "x"}\n{"id": 2, "tags": {}}\n'))
    assert "column 'tags' holds nested value" in first
    assert "column 'tags' holds a nested value" in later and "line 2" in later


def test_parquet_nested_and_binary_columns(tmp_path: Path) -> None:
    pq.write_table(pa.table({"id": [1], "addr": [{"city": "x"}]}), tmp_path / "s.parquet")
    pq.write_table(pa.table({"blob": [b"\x00\x01"]}), tmp_path / "b.parquet")

    assert "column 'addr' holds nested values" in _error(tmp_path / "s.parquet")
    assert "column 'blob' holds binary data" in _error(tmp_path / "b.parquet")


def test_parquet_duplicate_column_names(tmp_path: Path) -> None:
    table = pa.table([pa.array([1]), pa.array([2])], names=["a", "a"])
    pq.write_table(table, tmp_path / "d.parquet")
    assert "'a' twice" in _error(tmp_path / "d.parquet")


def test_parquet_without_rows(tmp_path: Path) -> None:
    pq.write_table(pa.table({"a": pa.array([], pa.int64())}), tmp_path / "z.parquet")
    assert "has columns but no rows" in _error(tmp_path / "z.parquet")


def test_corrupt_parquet(tmp_path: Path) -> None:
    good = tmp_path / "good.parquet"
    pq.write_table(pa.table({"a": list(range(1000))}), good)
    data = good.read_bytes()
    torn = write(tmp_path / "torn.parquet", data[: len(data) // 2])
    garbage = write(tmp_path / "garbage.parquet", b"not parquet at all")

    assert "torn.parquet' is not a readable Parquet file" in _error(torn)
    assert "garbage.parquet' is not a readable Parquet file" in _error(garbage)


def test_parquet_strings_that_are_not_utf8(tmp_path: Path) -> None:
    raw = pa.array([b"\xff\xfe", b"ok"], pa.binary())
    pq.write_table(pa.table({"s": pa.Array.from_buffers(pa.string(), 2, raw.buffers())}),
                   tmp_path / "u.parquet")
    assert "u.parquet' is a damaged Parquet file" in _error(tmp_path / "u.parquet")


def test_corrupt_gzip(tmp_path: Path) -> None:
    message = _error(write(tmp_path / "c.csv.gz", b"this is not gzip"))
    assert "c.csv.gz" in message and "could not be read as CSV" in message


def test_unreadable_sqlite_file(tmp_path: Path) -> None:
    fake = write(tmp_path / "fake.db", "id,name\n1,a\n")
    message = _error(f"sqlite:///{fake}")
    assert "fake.db" in message and "not a readable SQLite database" in message


def test_missing_sqlite_file(tmp_path: Path) -> None:
    assert "does not exist" in _error(f"sqlite:///{tmp_path / 'none.db'}")


def test_sqlite_table_not_found_lists_tables(tmp_path: Path) -> None:
    db = make_sqlite(tmp_path / "x.db", {"users": ("id", [(1,)])})
    message = _error(f"sqlite:///{db}?table=user")
    assert "no table 'user'" in message and "'users'" in message


def test_sqlite_empty_table_blob_column_and_bad_query(tmp_path: Path) -> None:
    db = make_sqlite(tmp_path / "y.db", {"empty": ("a", []), "files": ("data BLOB", [(b"\x00",)])})

    assert "has no rows" in _error(f"sqlite:///{db}?table=empty")
    assert "column 'data' holds binary data" in _error(f"sqlite:///{db}?table=files")
    assert "only query parameter" in _error(f"sqlite:///{db}?tables=files")
    assert "sqlite:///relative/path.db" in _error("sqlite://")


def test_other_database_schemes_are_refused_without_printing_the_password() -> None:
    message = _error("mysql://alice:s3cr3t@db.example:3306/sales")  # postgresql: see test_sql.py
    assert "not available" in message and "'mysql'" in message
    assert "s3cr3t" not in message and "alice:***@db.example" in message


def test_read_table_refuses_a_folder_and_a_url(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="is a folder"):
        read_table(tmp_path)
    with pytest.raises(InvalidInputError, match="is a URL"):
        read_table("sqlite:///x.db")


# --- redact_url ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "expected"), [
    ("postgresql://u:secret@h/db", "postgresql://u:***@h/db"),
    ("postgresql://u@h:5432/db", "postgresql://u@h:5432/db"),
    ("postgresql://h:5432/db", "postgresql://h:5432/db"),
    ("mysql://u:p@ss/w?rd@h/db", "mysql://u:***@h/db"),
    ("postgresql://h/db?user=u&password=pw&sslmode=require",
     "postgresql://h/db?user=u&password=***&sslmode=require"),
    ("sqlite:///data/x.db", "sqlite:///data/x.db"),
    ("/plain/path.csv", "/plain/path.csv"),
])
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected


def test_table_is_the_public_dataclass(tmp_path: Path) -> None:
    table = read_tables(write(tmp_path / "k.csv", "a\n1\n"))["k"]
    assert isinstance(table, Table)
