"""Artifact bytes: canonical JSON, strict deterministic .npz, content hashes, manifest checks."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from learnsynth import artifact
from learnsynth.artifact import (
    canonical_json,
    check_manifest,
    content_hash,
    manifest_signature,
    read_json_bytes,
    read_npz_bytes,
    sha256_hex,
    write_npz_bytes,
)
from learnsynth.errors import ArtifactError

# -- canonical JSON -------------------------------------------------------------------------------


def test_canonical_json_is_sorted_readable_utf8_with_final_newline() -> None:
    data = canonical_json({"b": [1, 2.5], "a": "Zoë"})

    assert data == '{\n "a": "Zoë",\n "b": [\n  1,\n  2.5\n ]\n}\n'.encode()


def test_canonical_json_ignores_insertion_order() -> None:
    first = canonical_json({"x": {"q": 1, "p": 2}, "y": None})
    second = canonical_json({"y": None, "x": {"p": 2, "q": 1}})

    assert first == second


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_canonical_json_refuses_nan_and_infinity(bad: float) -> None:
    with pytest.raises(ArtifactError, match="NaN/infinite"):
        canonical_json({"mean": [1.0, bad]})


def test_canonical_json_round_trips_through_strict_reader() -> None:
    value = {"name": "ünïcode", "n": [1, -2, 3.25, True, None], "nested": {"k": "v"}}

    assert read_json_bytes(canonical_json(value), label="model.json") == value


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"a": NaN}', "NaN"),
        (b'{"a": Infinity}', "Infinity"),
        (b'{"a": 1, "a": 2}', "duplicate key"),
        (b"\xff\xfe{}", "utf-8"),
        (b'{"a": ', "Expecting value"),
    ],
)
def test_read_json_bytes_is_strict(raw: bytes, reason: str) -> None:
    with pytest.raises(ArtifactError, match=reason) as info:
        read_json_bytes(raw, label="model.json of 'x@v1'")

    assert "model.json of 'x@v1'" in str(info.value)


# -- npz writing ----------------------------------------------------------------------------------


def _sample_arrays() -> dict[str, np.ndarray]:
    return {
        "corr": np.array([[1.0, 0.3], [0.3, 1.0]]),
        "counts": np.arange(5, dtype=np.int64),
        "flags": np.array([True, False]),
        "labels": np.array(["a", "bé"]),
        "when": np.array(["2024-01-01", "2024-02-29"], dtype="datetime64[D]"),
        "scalar": np.array(3.5),
        "empty": np.zeros((0, 3)),
    }


def test_npz_round_trips_values_and_dtypes() -> None:
    arrays = _sample_arrays()

    loaded = read_npz_bytes(write_npz_bytes(arrays))

    assert sorted(loaded) == sorted(arrays)
    for name, expected in arrays.items():
        assert loaded[name].dtype == expected.dtype
        np.testing.assert_array_equal(loaded[name], expected)


def test_npz_bytes_are_deterministic_whatever_order_or_layout() -> None:
    arrays = _sample_arrays()
    reordered = dict(reversed(list(arrays.items())))
    reordered["corr"] = np.asfortranarray(arrays["corr"])

    first = write_npz_bytes(arrays)

    assert write_npz_bytes(arrays) == first
    assert write_npz_bytes(reordered) == first
    assert write_npz_bytes({**arrays, "counts": np.arange(1, 6)}) != first


def test_npz_members_carry_fixed_metadata() -> None:
    with zipfile.ZipFile(io.BytesIO(write_npz_bytes(_sample_arrays()))) as archive:
        infos = archive.infolist()

    assert [i.filename for i in infos] == sorted(f"{n}.npy" for n in _sample_arrays())
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


def test_npz_is_readable_by_numpy() -> None:
    loaded = np.load(io.BytesIO(write_npz_bytes({"w": np.arange(3.0)})), allow_pickle=False)

    np.testing.assert_array_equal(loaded["w"], [0.0, 1.0, 2.0])


@pytest.mark.parametrize(
    "value",
    [
        np.array([{"code": "import os"}, 1], dtype=object),
        np.zeros(2, dtype=[("a", "i4"), ("b", "f8")]),
        np.zeros(2, dtype="V8"),
    ],
    ids=["object", "structured", "void"],
)
def test_write_npz_refuses_non_plain_dtypes(value: np.ndarray) -> None:
    with pytest.raises(ArtifactError, match="array 'bad' has dtype"):
        write_npz_bytes({"bad": value})


@pytest.mark.parametrize("name", ["", "a/b", "../x", "a b", "x\n", "é"])
def test_write_npz_refuses_unsafe_names(name: str) -> None:
    with pytest.raises(ArtifactError, match="Array name"):
        write_npz_bytes({name: np.zeros(1)})


@settings(max_examples=40, deadline=None)
@given(
    hnp.arrays(
        dtype=st.sampled_from([np.float64, np.int32, np.uint8, np.bool_, np.complex128]),
        shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=5),
    )
)
def test_npz_round_trip_and_determinism_property(array: np.ndarray) -> None:
    data = write_npz_bytes({"a": array})

    assert write_npz_bytes({"a": array.copy()}) == data
    np.testing.assert_array_equal(read_npz_bytes(data)["a"], array)


# -- npz reading: refusing unsafe archives --------------------------------------------------------


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _npy(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.lib.format.write_array(out, array, allow_pickle=False)
    return out.getvalue()


def test_read_npz_accepts_plain_numpy_savez() -> None:
    buffer = io.BytesIO()
    np.savez(buffer, a=np.arange(4), b=np.eye(2))

    loaded = read_npz_bytes(buffer.getvalue())

    np.testing.assert_array_equal(loaded["a"], np.arange(4))
    np.testing.assert_array_equal(loaded["b"], np.eye(2))


def test_read_npz_refuses_object_array_made_with_pickle() -> None:
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=True, evil=np.array([{"x": 1}, None], dtype=object))

    with pytest.raises(ArtifactError, match="'evil'.*dtype 'object'"):
        read_npz_bytes(buffer.getvalue())


@pytest.mark.parametrize(
    "member", ["sub/a.npy", "../a.npy", "/abs.npy", "a.txt", "a.npy.py", ".npy"]
)
def test_read_npz_refuses_unexpected_members(member: str) -> None:
    data = _zip({member: _npy(np.zeros(2))})

    with pytest.raises(ArtifactError, match="expected only flat '<name>.npy' members"):
        read_npz_bytes(data)


def test_read_npz_refuses_duplicate_members() -> None:
    with pytest.warns(UserWarning, match="Duplicate name"):
        data = _zip({"a.npy": _npy(np.zeros(2))} | {"b.npy": b""})
        buffer = io.BytesIO(data)
        with zipfile.ZipFile(buffer, "a") as archive:
            archive.writestr("a.npy", _npy(np.ones(2)))

    with pytest.raises(ArtifactError, match="same member twice"):
        read_npz_bytes(buffer.getvalue())


def test_read_npz_refuses_oversized_member_before_decompressing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bomb = _zip({"big.npy": _npy(np.zeros(1_000_000))}, method=zipfile.ZIP_DEFLATED)
    assert len(bomb) < 20_000  # 8 MB of zeros deflate to almost nothing
    monkeypatch.setattr(artifact, "MAX_FILE_BYTES", 1_000_000)

    with pytest.raises(ArtifactError, match="would unpack to 8000128 bytes"):
        read_npz_bytes(bomb)


def test_read_npz_refuses_header_claiming_more_data_than_present() -> None:
    forged = _npy(np.zeros(2))
    forged = forged.replace(b"(2,)", b"(10000000000000,)", 1)

    with pytest.raises(ArtifactError, match="header does not match its data length"):
        read_npz_bytes(_zip({"forged.npy": forged}))


@pytest.mark.parametrize("data", [b"", b"not a zip", b"\x93NUMPY" + b"\x00" * 20])
def test_read_npz_refuses_non_zip_bytes(data: bytes) -> None:
    with pytest.raises(ArtifactError, match="not a readable zip archive"):
        read_npz_bytes(data)


def test_read_npz_refuses_truncated_archive() -> None:
    data = write_npz_bytes(_sample_arrays())

    with pytest.raises(ArtifactError, match="arrays.npz"):
        read_npz_bytes(data[: len(data) // 2])


def test_read_npz_refuses_corrupted_compressed_data() -> None:
    data = bytearray(write_npz_bytes({"w": np.arange(1000.0)}))
    data[60] ^= 0xFF  # inside the deflated stream of the only member

    with pytest.raises(ArtifactError, match="arrays.npz is not a readable zip archive"):
        read_npz_bytes(bytes(data))


_FUZZ_ARRAYS = {"w": np.arange(300.0), "names": np.array(["a", "b"]), "i": np.arange(7)}
_FUZZ_BYTES = write_npz_bytes(_FUZZ_ARRAYS)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(_FUZZ_BYTES) - 1), st.integers(1, 255), st.booleans())
def test_read_npz_damaged_bytes_give_artifact_error_or_the_same_arrays(
    position: int, xor: int, truncate: bool
) -> None:
    damaged = bytearray(_FUZZ_BYTES[:position] if truncate else _FUZZ_BYTES)
    if not truncate:
        damaged[position] ^= xor

    try:
        loaded = read_npz_bytes(bytes(damaged))
    except ArtifactError:
        return
    assert sorted(loaded) == sorted(_FUZZ_ARRAYS)
    for name, expected in _FUZZ_ARRAYS.items():
        np.testing.assert_array_equal(loaded[name], expected)


# -- hashes ---------------------------------------------------------------------------------------


def test_sha256_hex_matches_known_vector() -> None:
    expected = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    assert sha256_hex(b"") == expected


def test_content_hash_is_over_sorted_name_hash_lines() -> None:
    model = b"{}\n"
    files = {"model.json": model, "arrays.npz": b"zip"}
    lines = f"arrays.npz {sha256_hex(b'zip')}\nmodel.json {sha256_hex(model)}\n"

    assert content_hash(files) == hashlib.sha256(lines.encode()).hexdigest()
    assert content_hash(dict(reversed(list(files.items())))) == content_hash(files)


def test_content_hash_changes_with_any_byte() -> None:
    files = {"model.json": b'{"a": 1}\n', "arrays.npz": b"zip"}

    assert content_hash({**files, "arrays.npz": b"zap"}) != content_hash(files)


@pytest.mark.parametrize("name", ["a b", "x\nmodel.json", ""])
def test_content_hash_refuses_ambiguous_names(name: str) -> None:
    with pytest.raises(ArtifactError, match="cannot be part of a model"):
        content_hash({name: b""})


# -- manifest structure ---------------------------------------------------------------------------


def _manifest(**changes: object) -> dict[str, object]:
    files = {"model.json": b"{}\n"}
    manifest: dict[str, object] = {
        "format_version": 1,
        "learnsynth_version": "0.1.0",
        "name": "cust",
        "version": 2,
        "created_at": "2024-01-01T00:00:00Z",
        "parent_version": 1,
        "source_fingerprint": "f" * 64,
        "files": {"model.json": {"sha256": sha256_hex(b"{}\n"), "bytes": 3}},
        "model_sha256": content_hash(files),
        "extra": {},
    }
    manifest.update(changes)
    return manifest


def test_check_manifest_accepts_a_well_formed_manifest() -> None:
    manifest = _manifest(signature="ab" * 32)

    assert check_manifest(manifest, label="'cust@v2'", name="cust", version=2) == manifest


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"format_version": 2, "new_key": 1}, r"newer learnsynth \(format 2\); upgrade"),
        ({"format_version": 0}, "format_version 0"),
        ({"format_version": "1"}, "format_version '1'"),
        ({"code": "os.system"}, r"unknown key\(s\) \['code'\]"),
        ({"version": True}, "malformed 'version'"),
        ({"parent_version": 2}, "parent_version 2"),
        ({"model_sha256": "xyz"}, "malformed 'model_sha256'"),
        ({"name": "other"}, "copied or renamed"),
        ({"files": {"../x": {"sha256": "0" * 64, "bytes": 1}}}, "lists no 'model.json'"),
        ({"files": {"model.json": {"sha256": "0" * 64, "bytes": 1}, "run.py": {}}}, "may hold"),
        ({"files": {"model.json": {"sha256": "0" * 64, "bytes": -1}}}, "malformed entry"),
    ],
)
def test_check_manifest_refuses_bad_manifests(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ArtifactError, match=message) as info:
        check_manifest(_manifest(**changes), label="'cust@v2'", name="cust", version=2)

    assert "'cust@v2'" in str(info.value)


def test_check_manifest_refuses_missing_keys() -> None:
    manifest = _manifest()
    del manifest["extra"]

    with pytest.raises(ArtifactError, match=r"no key\(s\) \['extra'\]"):
        check_manifest(manifest, label="'cust@v2'", name="cust", version=2)


def test_manifest_signature_covers_everything_but_itself() -> None:
    manifest = _manifest()
    signature = manifest_signature(manifest, b"key")

    assert manifest_signature({**manifest, "signature": "anything"}, b"key") == signature
    assert manifest_signature({**manifest, "extra": {"x": 1}}, b"key") != signature
    assert manifest_signature(manifest, b"other") != signature
    assert json.loads(canonical_json(manifest)) == manifest
