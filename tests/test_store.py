"""The versioned store: publish/load round trips, versions, and refusal of damaged artifacts."""

from __future__ import annotations

import errno
import json
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fsspec import AbstractFileSystem
from fsspec.core import url_to_fs
from hypothesis import given
from hypothesis import strategies as st

from learnsynth import artifact
from learnsynth import store as store_module
from learnsynth._version import __version__
from learnsynth.artifact import canonical_json, content_hash, sha256_hex, write_npz_bytes
from learnsynth.errors import ArtifactError, InvalidInputError, ModelNotFoundError
from learnsynth.store import SIGNING_KEY_ENV, ModelRef, Store, parse_spec


@pytest.fixture(autouse=True)
def _no_signing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SIGNING_KEY_ENV, raising=False)


@pytest.fixture(params=["local", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "local":
        yield Store(tmp_path / "models")
        return
    uri = f"memory://learnsynth-test-{uuid.uuid4().hex}"
    yield Store(uri)
    fs, root = url_to_fs(uri)
    if fs.exists(root):
        fs.rm(root, recursive=True)


def model_files(value: int = 1) -> dict[str, bytes]:
    return {
        "model.json": canonical_json({"tables": {"t": {"value": value}}}),
        "arrays.npz": write_npz_bytes({"corr": np.eye(2) * value}),
    }


def fs_path(store: Store, *parts: str) -> tuple[AbstractFileSystem, str]:
    fs, root = url_to_fs(store.uri)
    return fs, "/".join((root.rstrip("/"), *parts))


def read_manifest(store: Store, name: str, version: int) -> dict[str, object]:
    fs, path = fs_path(store, name, f"v{version}", "manifest.json")
    manifest: dict[str, object] = json.loads(fs.cat_file(path))
    return manifest


def write_file(store: Store, data: bytes, *parts: str) -> None:
    fs, path = fs_path(store, *parts)
    fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
    fs.pipe_file(path, data)


def rewrite_manifest(store: Store, name: str, version: int, **changes: object) -> None:
    manifest = {**read_manifest(store, name, version), **changes}
    write_file(store, canonical_json(manifest), name, f"v{version}", "manifest.json")


# -- round trips and versions ---------------------------------------------------------------------


def test_publish_then_load_round_trips_bytes_and_manifest(store: Store) -> None:
    files = model_files()

    ref = store.publish("customers", files, source_fingerprint="f" * 64, extra={"holdout": "h"})
    loaded = store.load("customers@v1")

    assert ref == ModelRef("customers", 1, content_hash(files))
    assert ref.spec == "customers@v1"
    assert loaded.ref == ref
    assert loaded.files == files
    manifest = loaded.manifest
    assert manifest["format_version"] == artifact.FORMAT_VERSION
    assert manifest["learnsynth_version"] == __version__
    assert (manifest["name"], manifest["version"], manifest["parent_version"]) == (
        "customers",
        1,
        None,
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", str(manifest["created_at"]))
    assert manifest["source_fingerprint"] == "f" * 64
    assert manifest["extra"] == {"holdout": "h"}
    assert manifest["model_sha256"] == ref.sha256
    assert manifest["files"] == {
        name: {"sha256": sha256_hex(data), "bytes": len(data)} for name, data in files.items()
    }
    assert "signature" not in manifest


def test_layout_is_name_then_version_folder(tmp_path: Path) -> None:
    Store(tmp_path).publish("customers", model_files(), source_fingerprint="x")

    assert sorted(p.name for p in (tmp_path / "customers").iterdir()) == ["v1"]
    assert sorted(p.name for p in (tmp_path / "customers" / "v1").iterdir()) == [
        "arrays.npz",
        "manifest.json",
        "model.json",
    ]
    manifest = (tmp_path / "customers" / "v1" / "manifest.json").read_bytes()
    assert manifest == canonical_json(json.loads(manifest))


def test_versions_increment_and_record_their_parent(store: Store) -> None:
    refs = [store.publish("cust", model_files(i), source_fingerprint="x") for i in (1, 2, 3)]

    assert [r.version for r in refs] == [1, 2, 3]
    assert store.versions("cust") == [1, 2, 3]
    assert [read_manifest(store, "cust", v)["parent_version"] for v in (1, 2, 3)] == [None, 1, 2]
    fs, name_dir = fs_path(store, "cust")
    assert sorted(p.rsplit("/", 1)[-1] for p in fs.ls(name_dir, detail=False)) == ["v1", "v2", "v3"]


def test_name_alone_resolves_to_latest(store: Store) -> None:
    first = store.publish("cust", model_files(1), source_fingerprint="x")
    second = store.publish("cust", model_files(2), source_fingerprint="x")

    assert store.resolve("cust") == second
    assert store.resolve("cust@v1") == first
    assert store.load("cust").files == model_files(2)
    assert store.verify("cust@v1") == first


def test_same_content_gives_same_identity_whenever_published(store: Store) -> None:
    first = store.publish("a", model_files(7), source_fingerprint="x")
    second = store.publish("b", model_files(7), source_fingerprint="y", extra={"other": 1})

    assert first.sha256 == second.sha256


def test_model_json_alone_is_a_valid_model(store: Store) -> None:
    files = {"model.json": canonical_json({"tables": {}})}

    store.publish("tiny", files, source_fingerprint="x")

    assert store.load("tiny").files == files


def test_names_and_list_describe_what_is_stored(store: Store) -> None:
    store.publish("orders", model_files(1), source_fingerprint="x")
    store.publish("customers", model_files(1), source_fingerprint="x")
    store.publish("customers", model_files(2), source_fingerprint="x")

    rows = store.list()

    assert store.names() == ["customers", "orders"]
    assert [(r["name"], r["version"]) for r in rows] == [
        ("customers", 1),
        ("customers", 2),
        ("orders", 1),
    ]
    assert rows[1]["sha256"] == content_hash(model_files(2))
    assert rows[1]["bytes"] == sum(len(d) for d in model_files(2).values())
    assert rows[1]["learnsynth_version"] == __version__
    assert isinstance(rows[1]["created_at"], str)


def test_empty_or_missing_store_lists_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "does-not-exist")

    assert (store.names(), store.list(), store.versions("cust")) == ([], [], [])
    assert not (tmp_path / "does-not-exist").exists()


def test_store_uri_defaults_and_accepts_paths(tmp_path: Path) -> None:
    assert Store().uri == "./models"
    assert Store(tmp_path).uri == str(tmp_path)
    assert Store(f"file://{tmp_path}").versions("x") == []


def test_unknown_store_protocol_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="Store 'nosuchproto://x' cannot be opened"):
        Store("nosuchproto://x")


# -- not found and bad references -----------------------------------------------------------------


def test_unknown_model_names_the_store_and_the_next_step(store: Store) -> None:
    with pytest.raises(ModelNotFoundError) as info:
        store.load("nope")

    message = str(info.value)
    assert f"No model named 'nope' in store {store.uri!r}" in message
    assert "`learnsynth models list`" in message


def test_unknown_version_lists_available_versions(store: Store) -> None:
    store.publish("cust", model_files(1), source_fingerprint="x")
    store.publish("cust", model_files(2), source_fingerprint="x")

    with pytest.raises(ModelNotFoundError, match=r"no version v9 .*it has v1, v2"):
        store.resolve("cust@v9")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("customers", ("customers", None)),
        ("customers@v3", ("customers", 3)),
        ("a.b-c_d@v12", ("a.b-c_d", 12)),
        ("X" * 100, ("X" * 100, None)),
    ],
)
def test_parse_spec_accepts_names_and_versions(spec: str, expected: tuple[str, int | None]) -> None:
    assert parse_spec(spec) == expected


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "..",
        "../x",
        "a/b",
        "a\\b",
        ".hidden",
        "a..b",
        "x@",
        "x@3",
        "x@v0",
        "x@v01",
        "x@v1@v2",
        "X" * 101,
        "name with space",
        "x@latest",
    ],
)
def test_parse_spec_refuses_anything_else_naming_it(spec: str) -> None:
    with pytest.raises(InvalidInputError, match="is not a valid model reference") as info:
        parse_spec(spec)

    assert repr(spec) in str(info.value)


@given(st.text(max_size=120))
def test_parse_spec_never_yields_a_path_like_name(spec: str) -> None:
    try:
        name, version = parse_spec(spec)
    except InvalidInputError:
        return
    assert "/" not in name and "\\" not in name and ".." not in name
    assert not name.startswith(".")
    assert version is None or version >= 1


@pytest.mark.parametrize("name", ["..", "../escape", "a/b", "", ".staging-x", "a..b"])
def test_publish_refuses_unsafe_names_and_writes_nothing(tmp_path: Path, name: str) -> None:
    with pytest.raises(InvalidInputError, match="Model name .* is not valid"):
        Store(tmp_path / "m").publish(name, model_files(), source_fingerprint="x")

    assert not (tmp_path / "m").exists()


# -- publish refuses what a model may not hold ----------------------------------------------------


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"model.json": b"{}", "run.py": b"import os"}, "cannot hold file 'run.py'"),
        ({"model.json": b"{}", "../model.json": b"{}"}, "cannot hold file '../model.json'"),
        ({"arrays.npz": b""}, "without a 'model.json'"),
    ],
)
def test_publish_refuses_unexpected_files(
    store: Store, files: dict[str, bytes], message: str
) -> None:
    with pytest.raises(ArtifactError, match=message):
        store.publish("cust", files, source_fingerprint="x")

    assert store.names() == []


def test_publish_refuses_oversized_file(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(artifact, "MAX_FILE_BYTES", 10)

    with pytest.raises(ArtifactError, match="'model.json' of model 'cust' is .* more than the"):
        store.publish("cust", {"model.json": b"x" * 11}, source_fingerprint="x")


def test_publish_refuses_non_json_extra_before_writing(tmp_path: Path) -> None:
    store = Store(tmp_path)

    with pytest.raises(ArtifactError, match="NaN"):
        store.publish("cust", model_files(), source_fingerprint="x", extra={"x": float("nan")})

    assert list(tmp_path.iterdir()) == []


def test_failed_local_publish_leaves_no_staging_and_no_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_rename(src: str, dst: str) -> None:
        raise OSError(errno.EIO, "disk on fire")

    monkeypatch.setattr(store_module.os, "rename", broken_rename)

    with pytest.raises(OSError, match="disk on fire"):
        Store(tmp_path).publish("cust", model_files(), source_fingerprint="x")

    assert list((tmp_path / "cust").iterdir()) == []


def test_publish_that_loses_a_race_takes_the_next_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_rename = os.rename
    rival: list[ModelRef] = []

    def rename_after_rival(src: str, dst: str) -> None:
        if not rival:  # another publisher takes v1 between our listing and our rename
            monkeypatch.setattr(store_module.os, "rename", real_rename)
            rival.append(Store(tmp_path).publish("cust", model_files(9), source_fingerprint="r"))
            monkeypatch.setattr(store_module.os, "rename", rename_after_rival)
        real_rename(src, dst)

    monkeypatch.setattr(store_module.os, "rename", rename_after_rival)

    ours = Store(tmp_path).publish("cust", model_files(1), source_fingerprint="x")

    assert (rival[0].version, ours.version) == (1, 2)
    assert read_manifest(Store(tmp_path), "cust", 2)["parent_version"] == 1
    assert Store(tmp_path).load("cust@v1").files == model_files(9)
    assert Store(tmp_path).load("cust@v2").files == model_files(1)
    assert sorted(p.name for p in (tmp_path / "cust").iterdir()) == ["v1", "v2"]


def test_remote_publish_detects_a_rival_manifest(monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(f"memory://learnsynth-test-{uuid.uuid4().hex}")
    fs = store._fs
    real_pipe = fs.pipe_file

    def rival_overwrites(path: str, value: bytes, **kwargs: object) -> None:
        real_pipe(path, value, **kwargs)
        if path.endswith("/v1/manifest.json"):  # a second publisher lands right after us
            real_pipe(path, b"{}", **kwargs)

    monkeypatch.setattr(fs, "pipe_file", rival_overwrites)

    with pytest.raises(ArtifactError, match="'cust@v1' was written by two publishes at once"):
        store.publish("cust", model_files(), source_fingerprint="x")
    fs.rm(store._root, recursive=True)


# -- interrupted publishes ------------------------------------------------------------------------


def test_version_without_manifest_is_invisible_and_skipped(store: Store) -> None:
    write_file(store, b"{}", "cust", "v1", "model.json")  # a crash on a non-atomic store
    write_file(store, b"{}", "cust", ".staging-abc", "model.json")

    assert store.versions("cust") == []
    assert store.names() == []
    with pytest.raises(ModelNotFoundError, match="No model named 'cust'"):
        store.load("cust")
    with pytest.raises(ArtifactError, match="'cust@v1' is incomplete or damaged"):
        store.load("cust@v1")

    ref = store.publish("cust", model_files(), source_fingerprint="x")

    assert ref.version == 2
    assert store.versions("cust") == [2]
    assert read_manifest(store, "cust", 2)["parent_version"] is None


def test_truncated_manifest_hides_the_version(store: Store) -> None:
    store.publish("cust", model_files(1), source_fingerprint="x")
    store.publish("cust", model_files(2), source_fingerprint="x")
    fs, path = fs_path(store, "cust", "v2", "manifest.json")
    write_file(store, fs.cat_file(path)[:20], "cust", "v2", "manifest.json")

    assert store.versions("cust") == [1]
    with pytest.raises(ArtifactError, match="'cust@v2' is incomplete or damaged"):
        store.verify("cust@v2")


# -- tampering ------------------------------------------------------------------------------------


def _published(store: Store) -> ModelRef:
    store.publish("cust", model_files(1), source_fingerprint="x")
    return store.publish("cust", model_files(2), source_fingerprint="x")


def test_flipped_byte_is_detected(store: Store) -> None:
    _published(store)
    data = bytearray(model_files(2)["model.json"])
    data[5] ^= 0x01
    write_file(store, bytes(data), "cust", "v2", "model.json")

    with pytest.raises(ArtifactError) as info:
        store.load("cust")

    assert str(info.value) == (
        "File 'model.json' of model 'cust@v2' does not match its manifest (sha256 differs): the "
        "artifact was changed after it was stored. Restore it or profile again."
    )
    assert store.verify("cust@v1").version == 1  # other versions are untouched


def test_truncated_file_is_detected(store: Store) -> None:
    _published(store)
    write_file(store, model_files(2)["arrays.npz"][:-10], "cust", "v2", "arrays.npz")

    with pytest.raises(ArtifactError, match=r"'arrays.npz' of model 'cust@v2' .*\(size differs\)"):
        store.verify("cust@v2")


def test_deleted_file_is_detected(store: Store) -> None:
    _published(store)
    fs, path = fs_path(store, "cust", "v2", "arrays.npz")
    fs.rm(path)

    with pytest.raises(ArtifactError, match="File 'arrays.npz' of model 'cust@v2' is missing"):
        store.load("cust")


def test_extra_file_is_detected(store: Store) -> None:
    _published(store)
    write_file(store, b"import os", "cust", "v2", "evil.py")

    with pytest.raises(ArtifactError, match=r"'cust@v2' holds unexpected file\(s\) \['evil.py'\]"):
        store.load("cust@v2")


def test_manifest_with_unknown_key_is_refused(store: Store) -> None:
    _published(store)
    rewrite_manifest(store, "cust", 2, loader="os.system")

    with pytest.raises(ArtifactError, match=r"'cust@v2' has unknown key\(s\) \['loader'\]"):
        store.load("cust")


def test_future_format_version_asks_for_an_upgrade(store: Store) -> None:
    _published(store)
    rewrite_manifest(store, "cust", 2, format_version=2, new_feature={})

    with pytest.raises(ArtifactError) as info:
        store.load("cust")

    assert str(info.value) == (
        "Model 'cust@v2' was written by a newer learnsynth (format 2); upgrade learnsynth to "
        "read it."
    )


def test_manifest_naming_forbidden_file_is_refused(store: Store) -> None:
    _published(store)
    files = dict(read_manifest(store, "cust", 2)["files"])  # type: ignore[call-overload]
    files["../x"] = {"sha256": "0" * 64, "bytes": 0}
    rewrite_manifest(store, "cust", 2, files=files)

    with pytest.raises(ArtifactError, match="lists file '../x': a model may hold only"):
        store.load("cust")


def test_copied_version_folder_is_refused(store: Store) -> None:
    _published(store)
    fs, v1 = fs_path(store, "cust", "v1")
    for name in ("manifest.json", "model.json", "arrays.npz"):
        write_file(store, fs.cat_file(f"{v1}/{name}"), "cust", "v3", name)

    with pytest.raises(ArtifactError, match="'cust@v3' describes 'cust@v1'.*copied or renamed"):
        store.load("cust")


def test_consistently_rewritten_file_breaks_the_model_hash(store: Store) -> None:
    _published(store)
    forged = canonical_json({"tables": {"t": {"value": 666}}})
    write_file(store, forged, "cust", "v2", "model.json")
    files = dict(read_manifest(store, "cust", 2)["files"])  # type: ignore[call-overload]
    files["model.json"] = {"sha256": sha256_hex(forged), "bytes": len(forged)}
    rewrite_manifest(store, "cust", 2, files=files)

    with pytest.raises(ArtifactError, match=r"'cust@v2' does not match its manifest \(model_sha"):
        store.load("cust")


def test_oversized_file_is_refused_before_reading(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    _published(store)
    monkeypatch.setattr(artifact, "MAX_FILE_BYTES", 50)

    with pytest.raises(ArtifactError, match="'arrays.npz' of model 'cust@v2' is .* more than"):
        store.load("cust")


def test_resolve_reads_only_the_manifest(store: Store) -> None:
    ref = _published(store)
    write_file(store, b"tampered", "cust", "v2", "model.json")

    assert store.resolve("cust") == ref
    with pytest.raises(ArtifactError, match="does not match its manifest"):
        store.verify("cust")


# -- signing --------------------------------------------------------------------------------------


def test_signed_model_round_trips(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SIGNING_KEY_ENV, "s3cret")

    ref = store.publish("cust", model_files(), source_fingerprint="x")
    loaded = store.load("cust")

    assert loaded.ref == ref
    assert re.fullmatch(r"[0-9a-f]{64}", str(loaded.manifest["signature"]))


def test_wrong_key_is_refused(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SIGNING_KEY_ENV, "s3cret")
    store.publish("cust", model_files(), source_fingerprint="x")
    monkeypatch.setenv(SIGNING_KEY_ENV, "other")

    with pytest.raises(ArtifactError, match="'cust@v1' has an invalid signature"):
        store.verify("cust")


def test_signed_manifest_edited_afterwards_is_refused(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SIGNING_KEY_ENV, "s3cret")
    store.publish("cust", model_files(), source_fingerprint="x")
    rewrite_manifest(store, "cust", 1, source_fingerprint="forged")

    with pytest.raises(ArtifactError, match="invalid signature"):
        store.load("cust")


def test_unsigned_model_is_refused_when_a_key_is_set(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.publish("cust", model_files(), source_fingerprint="x")
    monkeypatch.setenv(SIGNING_KEY_ENV, "s3cret")

    with pytest.raises(ArtifactError, match=f"'cust@v1' is not signed, but {SIGNING_KEY_ENV}"):
        store.load("cust")


def test_signature_is_kept_but_not_required_without_a_key(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SIGNING_KEY_ENV, "s3cret")
    store.publish("cust", model_files(), source_fingerprint="x")
    monkeypatch.delenv(SIGNING_KEY_ENV)

    assert "signature" in store.load("cust").manifest


def test_empty_signing_key_is_an_error(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SIGNING_KEY_ENV, "")

    with pytest.raises(InvalidInputError, match=f"{SIGNING_KEY_ENV} is set but empty"):
        store.publish("cust", model_files(), source_fingerprint="x")
