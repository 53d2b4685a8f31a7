"""The versioned model store: immutable, numbered, verified model versions under one URI.

Layout (one place to read it)::

    <store>/<name>/v<N>/manifest.json    format, versions, hashes, fingerprint, time, signature
    <store>/<name>/v<N>/model.json       structure and parameters (canonical JSON)
    <store>/<name>/v<N>/arrays.npz       numeric arrays (optional; never pickled)
    <store>/<name>/.staging-<uuid>/      a publish in progress (ignored by readers)

A version appears atomically: its files are written aside in a staging folder, the manifest
last, and the folder is then renamed to ``v<N>``. A version folder without a readable manifest
(a crash on a store without atomic rename) is invisible to :meth:`Store.versions` and to ``NAME``
alone. Loading checks the manifest, every file's size and sha256, the model hash and, when
``LEARNSYNTH_SIGNING_KEY`` is set, an HMAC signature, before returning any byte.
"""

from __future__ import annotations

import errno
import hmac
import os
import re
import shutil
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from fsspec.core import url_to_fs
from fsspec.implementations.local import LocalFileSystem

from learnsynth import artifact
from learnsynth._version import __version__
from learnsynth.errors import ArtifactError, InvalidInputError, ModelNotFoundError

__all__ = ["DEFAULT_STORE", "SIGNING_KEY_ENV", "ModelRef", "Store", "StoredModel", "parse_spec"]

DEFAULT_STORE = "./models"
SIGNING_KEY_ENV = "LEARNSYNTH_SIGNING_KEY"

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
_VERSION = re.compile(r"v([1-9][0-9]{0,8})")
_MAX_MANIFEST_BYTES = 8 * 1024 * 1024
_PUBLISH_TRIES = 64
# rename() onto a version that another publisher created first fails with one of these.
_TAKEN = {errno.EEXIST, errno.ENOTEMPTY} | ({errno.EACCES} if os.name == "nt" else set())

_ManifestFor = Callable[[int, "int | None"], bytes]
"""Builds the manifest bytes for a version number and its parent, once the number is known."""


@dataclass(frozen=True)
class ModelRef:
    """One stored version: its name, number and content hash (the model's identity)."""

    name: str
    version: int
    sha256: str

    @property
    def spec(self) -> str:
        """The version as users write it, e.g. ``"customers@v3"``."""
        return f"{self.name}@v{self.version}"


@dataclass(frozen=True)
class StoredModel:
    """A loaded, verified version: its ref, its manifest and its content files' bytes."""

    ref: ModelRef
    manifest: dict[str, object]
    files: dict[str, bytes]


def parse_spec(spec: str) -> tuple[str, int | None]:
    """Split ``"NAME"`` or ``"NAME@vN"`` into the name and the version (None: the latest).

    Raises:
        InvalidInputError: the spec is neither form, or the name is not a valid model name.
    """
    name, at, version = spec.partition("@") if isinstance(spec, str) else ("", "", "")
    match = _VERSION.fullmatch(version)
    if not _valid_name(name) or (at and match is None):
        raise InvalidInputError(
            f"Model {spec!r} is not a valid model reference: expected NAME or NAME@vN (e.g. "
            "'customers@v3'), where NAME is 1-100 letters, digits, '_', '.' or '-' starting with "
            "a letter or digit, and N is a version number from 1."
        )
    return name, int(match.group(1)) if match else None


def _valid_name(name: str) -> bool:
    return _NAME.fullmatch(name) is not None and ".." not in name


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not _valid_name(name):
        raise InvalidInputError(
            f"Model name {name!r} is not valid: expected 1-100 letters, digits, '_', '.' or '-', "
            "starting with a letter or digit, without '..' or '/'. Choose another --name."
        )


def _signing_key() -> bytes | None:
    """The HMAC key from the environment, read at each call so a change takes effect at once."""
    value = os.environ.get(SIGNING_KEY_ENV)
    if value is None:
        return None
    if not value:
        raise InvalidInputError(
            f"{SIGNING_KEY_ENV} is set but empty: set it to the signing key, or unset it to store "
            "and load unsigned models."
        )
    return value.encode("utf-8")


class Store:
    """Versioned models under a local folder or any fsspec URL.

    Args:
        uri: a local path or an fsspec URL (``"memory://x"``, ``"file:///tmp/m"``,
            ``"s3://bucket/models"``); None means ``./models``.

    On a local file system a publish is atomic and safe under concurrency: the staging folder is
    renamed to ``v<N>``, and a rename onto a version another process created first fails, so the
    publisher retries with the next number. Other file systems (object stores) have no atomic
    folder rename: there the files are moved into ``v<N>`` and the manifest is written last and
    read back. A crash there leaves an invisible version (no manifest), but two publishes of the
    same name racing on such a store can still collide: one may replace the other's version, or
    leave it inconsistent (which :meth:`load` then refuses). Publish to object stores from one
    process at a time.
    """

    def __init__(self, uri: str | os.PathLike[str] | None = None) -> None:
        self.uri: str = DEFAULT_STORE if uri is None else os.fspath(uri)
        try:
            self._fs, root = url_to_fs(self.uri)
        except (ValueError, ImportError) as exc:
            raise InvalidInputError(
                f"Store {self.uri!r} cannot be opened ({exc}): expected a local folder or an "
                "fsspec URL such as 'memory://models' or 's3://bucket/models'. Check --store."
            ) from exc
        self._root: str = root.rstrip("/")
        self._local = isinstance(self._fs, LocalFileSystem)

    def __repr__(self) -> str:
        return f"Store({self.uri!r})"

    # -- reading ------------------------------------------------------------------------------

    def names(self) -> list[str]:
        """Sorted names that have at least one visible version."""
        entries = self._entries(self._root)
        return [
            n
            for n, kind in sorted(entries.items())
            if kind == "directory" and _valid_name(n) and self._manifests(n)
        ]

    def versions(self, name: str) -> list[int]:
        """Sorted visible versions of ``name`` (those with a readable manifest); [] if none."""
        _check_name(name)
        return sorted(self._manifests(name))

    def resolve(self, spec: str) -> ModelRef:
        """The version ``spec`` names (NAME alone: the latest), from its checked manifest.

        Only the manifest is checked; use :meth:`verify` or :meth:`load` to check the files.
        """
        name, version = self._locate(spec)
        manifest = self._checked_manifest(name, version)
        return ModelRef(name, version, cast(str, manifest["model_sha256"]))

    def verify(self, spec: str) -> ModelRef:
        """Check a version fully (manifest, files, hashes, signature); returns its ref."""
        return self.load(spec).ref

    def load(self, spec: str) -> StoredModel:
        """Read and verify a version; nothing is returned unless every check passes.

        Raises:
            InvalidInputError: ``spec`` is malformed.
            ModelNotFoundError: no such name or version.
            ArtifactError: the version is incomplete, tampered, unsigned when a signing key is
                set, from a newer learnsynth, or unsafe.
        """
        name, version = self._locate(spec)
        label = f"'{name}@v{version}'"
        manifest = self._checked_manifest(name, version)
        files = self._verified_files(name, version, manifest)
        digest = artifact.content_hash(files)
        if digest != manifest["model_sha256"]:
            raise ArtifactError(
                f"Model {label} does not match its manifest (model_sha256 differs): the artifact "
                "was changed after it was stored. Restore it or profile again."
            )
        _check_signature(manifest, label)
        return StoredModel(ref=ModelRef(name, version, digest), manifest=manifest, files=files)

    def _path(self, *parts: str) -> str:
        return "/".join((self._root, *parts))

    def _entries(self, path: str) -> dict[str, str]:
        """Base name -> "file" or "directory" of a folder's entries; {} if it does not exist."""
        try:
            listing = self._fs.ls(path, detail=True)
        except (FileNotFoundError, NotADirectoryError):
            return {}
        return {
            e["name"].rstrip("/").rsplit("/", 1)[-1]: e["type"]
            for e in listing
            if e["name"].rstrip("/") != path
        }

    def _version_dirs(self, name: str) -> list[int]:
        """Every ``v<N>`` folder of ``name``, visible or not."""
        entries = self._entries(self._path(name))
        return sorted(
            int(m.group(1))
            for n, kind in entries.items()
            if kind == "directory" and (m := _VERSION.fullmatch(n))
        )

    def _manifests(
        self, name: str, version_dirs: list[int] | None = None
    ) -> dict[int, dict[str, object]]:
        """Visible versions of ``name`` with their parsed (not yet checked) manifests.

        Only ``version_dirs`` are looked at when given, so a caller can share one listing.
        """
        found = {}
        for version in self._version_dirs(name) if version_dirs is None else version_dirs:
            try:
                parsed = self._read_manifest(name, version)
            except (ArtifactError, OSError):
                continue
            if isinstance(parsed, dict):
                found[version] = parsed
        return found

    def _read_manifest(self, name: str, version: int) -> object:
        path = self._path(name, f"v{version}", artifact.MANIFEST_FILE)
        size = self._fs.size(path)
        if size is None or size > _MAX_MANIFEST_BYTES:
            raise ArtifactError(f"Manifest of model '{name}@v{version}' is too large.")
        label = f"manifest.json of model '{name}@v{version}'"
        return artifact.read_json_bytes(self._fs.cat_file(path), label=label)

    def _locate(self, spec: str) -> tuple[str, int]:
        """Name and version ``spec`` refers to, among visible versions."""
        name, version = parse_spec(spec)
        available = self.versions(name)
        if version in available or (version is None and available):
            return name, version or available[-1]
        if version is not None and version in self._version_dirs(name):
            raise ArtifactError(
                f"Model '{name}@v{version}' is incomplete or damaged: its manifest.json is missing "
                "or unreadable (an interrupted publish?). Restore it or profile again."
            )
        if not available:
            raise ModelNotFoundError(
                f"No model named {name!r} in store {self.uri!r}. Run `learnsynth models list` to "
                "see what is there."
            )
        listed = ", ".join(f"v{v}" for v in available)
        raise ModelNotFoundError(
            f"Model {name!r} has no version v{version} in store {self.uri!r}: it has {listed}. "
            f"Use one of those, or {name!r} alone for the latest."
        )

    def _checked_manifest(self, name: str, version: int) -> dict[str, object]:
        label = f"'{name}@v{version}'"
        try:
            parsed = self._read_manifest(name, version)
        except FileNotFoundError as exc:
            raise ArtifactError(f"Model {label} has no manifest.json: restore it.") from exc
        return artifact.check_manifest(parsed, label=label, name=name, version=version)

    def _verified_files(
        self, name: str, version: int, manifest: dict[str, object]
    ) -> dict[str, bytes]:
        """Content files of a version, each checked against the manifest before it is returned."""
        label = f"'{name}@v{version}'"
        listed = cast("dict[str, dict[str, object]]", manifest["files"])
        entries = self._entries(self._path(name, f"v{version}"))
        extra = sorted(set(entries) - set(listed) - {artifact.MANIFEST_FILE})
        if extra:
            raise ArtifactError(
                f"Model {label} holds unexpected file(s) {extra}: the artifact was changed after "
                "it was stored. Remove them, restore it or profile again."
            )
        files = {}
        for fname, meta in sorted(listed.items()):
            if entries.get(fname) != "file":
                raise ArtifactError(
                    f"File {fname!r} of model {label} is missing: the artifact is incomplete. "
                    "Restore it or profile again."
                )
            files[fname] = self._verified_file(
                self._path(name, f"v{version}", fname), meta, f"File {fname!r} of model {label}"
            )
        return files

    def _verified_file(self, path: str, meta: dict[str, object], what: str) -> bytes:
        size = self._fs.size(path)
        if size is None or size > artifact.MAX_FILE_BYTES:
            raise ArtifactError(
                f"{what} is {size} bytes, more than the limit of {artifact.MAX_FILE_BYTES}: "
                "refusing to read it."
            )
        data = self._fs.cat_file(path) if size == meta["bytes"] else b""
        if size != meta["bytes"] or len(data) != size:
            reason = "size differs"
        elif artifact.sha256_hex(data) != meta["sha256"]:
            reason = "sha256 differs"
        else:
            return bytes(data)
        raise ArtifactError(
            f"{what} does not match its manifest ({reason}): the artifact was changed after it "
            "was stored. Restore it or profile again."
        )

    # -- publishing ---------------------------------------------------------------------------

    def publish(
        self,
        name: str,
        files: Mapping[str, bytes],
        *,
        source_fingerprint: str,
        extra: Mapping[str, object] | None = None,
    ) -> ModelRef:
        """Store ``files`` as the next version of ``name``, atomically; returns its ref.

        Args:
            name: the model name.
            files: content files by name (``model.json`` required, ``arrays.npz`` optional).
            source_fingerprint: a hash of the source data (never the data itself).
            extra: more JSON data for the manifest, e.g. the holdout description.

        Raises:
            InvalidInputError: bad name, or an empty signing key in the environment.
            ArtifactError: a file name a model may not hold, a file over the size limit,
                non-JSON ``extra``, or too many concurrent publishes of the same name.
        """
        _check_name(name)
        if not isinstance(source_fingerprint, str):
            raise TypeError(f"source_fingerprint must be a str, got {type(source_fingerprint)}")
        content = _checked_content(name, files)
        key = _signing_key()
        base: dict[str, object] = {
            "format_version": artifact.FORMAT_VERSION,
            "learnsynth_version": __version__,
            "name": name,
            "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "source_fingerprint": source_fingerprint,
            "files": {
                f: {"sha256": artifact.sha256_hex(d), "bytes": len(d)} for f, d in content.items()
            },
            "model_sha256": artifact.content_hash(content),
            "extra": dict(extra or {}),
        }
        artifact.canonical_json(base)  # refuse non-JSON ``extra`` before writing anything

        def manifest_for(version: int, parent: int | None) -> bytes:
            manifest = {**base, "version": version, "parent_version": parent}
            if key is not None:
                manifest["signature"] = artifact.manifest_signature(manifest, key)
            return artifact.canonical_json(manifest)

        publish = self._publish_local if self._local else self._publish_remote
        version = publish(name, content, manifest_for)
        return ModelRef(name, version, cast(str, base["model_sha256"]))

    def _next_slot(self, name: str) -> tuple[int, int | None]:
        """The number to try next (past every version folder) and the latest visible version.

        Both come from one listing, so on a local store the parent is always ``N - 1`` unless
        an interrupted publish left an invisible folder.
        """
        taken = self._version_dirs(name)
        visible = self._manifests(name, taken)
        return max(taken, default=0) + 1, max(visible, default=None)

    def _publish_local(
        self, name: str, content: dict[str, bytes], manifest_for: _ManifestFor
    ) -> int:
        """Stage with fsync, manifest last, then rename; a lost race retries with the next N."""
        name_dir = self._path(name)
        os.makedirs(name_dir, exist_ok=True)
        staging = os.path.join(name_dir, f".staging-{uuid.uuid4().hex}")
        os.mkdir(staging)
        try:
            for fname, data in sorted(content.items()):
                _write_synced(os.path.join(staging, fname), data)
            for _ in range(_PUBLISH_TRIES):
                version, parent = self._next_slot(name)
                _write_synced(
                    os.path.join(staging, artifact.MANIFEST_FILE), manifest_for(version, parent)
                )
                _fsync_dir(staging)
                try:
                    os.rename(staging, os.path.join(name_dir, f"v{version}"))
                except OSError as exc:
                    if exc.errno not in _TAKEN:
                        raise
                    continue
                _fsync_dir(name_dir)
                return version
            raise _too_busy(name)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def _publish_remote(
        self, name: str, content: dict[str, bytes], manifest_for: _ManifestFor
    ) -> int:
        """Stage, move the files into ``v<N>``, write the manifest last and read it back."""
        staging = self._path(name, f".staging-{uuid.uuid4().hex}")
        try:
            for fname, data in sorted(content.items()):
                self._fs.pipe_file(f"{staging}/{fname}", data)
            for _ in range(_PUBLISH_TRIES):
                version, parent = self._next_slot(name)
                target = self._path(name, f"v{version}")
                if self._fs.exists(target):
                    continue
                for fname in sorted(content):
                    self._fs.mv(f"{staging}/{fname}", f"{target}/{fname}")
                manifest = manifest_for(version, parent)
                self._fs.pipe_file(f"{target}/{artifact.MANIFEST_FILE}", manifest)
                if self._fs.cat_file(f"{target}/{artifact.MANIFEST_FILE}") != manifest:
                    raise ArtifactError(
                        f"Model '{name}@v{version}' was written by two publishes at once on "
                        f"store {self.uri!r}, which has no atomic rename. Publish again, one at "
                        "a time."
                    )
                return version
            raise _too_busy(name)
        finally:
            try:
                self._fs.rm(staging, recursive=True)
            except FileNotFoundError:
                pass

    def list(self) -> list[dict[str, object]]:
        """One row per visible version, for ``learnsynth models list`` (not verified).

        Keys: name, version, sha256 (the model hash), created_at, learnsynth_version and bytes
        (total size of the content files); a field a damaged manifest lacks is None.
        """
        rows: list[dict[str, object]] = []
        for name in self.names():
            for version, manifest in sorted(self._manifests(name).items()):
                files = manifest.get("files")
                sizes = (
                    [m.get("bytes") for m in files.values() if isinstance(m, dict)]
                    if isinstance(files, dict)
                    else []
                )
                rows.append(
                    {
                        "name": name,
                        "version": version,
                        "sha256": _str_or_none(manifest.get("model_sha256")),
                        "created_at": _str_or_none(manifest.get("created_at")),
                        "learnsynth_version": _str_or_none(manifest.get("learnsynth_version")),
                        "bytes": sum(s for s in sizes if isinstance(s, int)) if sizes else None,
                    }
                )
        return rows


def _checked_content(name: str, files: Mapping[str, bytes]) -> dict[str, bytes]:
    """Content files as bytes, after checking their names and sizes."""
    content = {fname: bytes(data) for fname, data in files.items()}
    for fname, data in content.items():
        if fname not in artifact.ALLOWED_FILES:
            raise ArtifactError(
                f"Model {name!r} cannot hold file {fname!r}: a model holds only "
                f"{sorted(artifact.ALLOWED_FILES)}."
            )
        if len(data) > artifact.MAX_FILE_BYTES:
            raise ArtifactError(
                f"File {fname!r} of model {name!r} is {len(data)} bytes, more than the limit of "
                f"{artifact.MAX_FILE_BYTES}. Reduce the model before storing it."
            )
    if "model.json" not in content:
        raise ArtifactError(f"Model {name!r} cannot be stored without a 'model.json'.")
    return content


def _check_signature(manifest: dict[str, object], label: str) -> None:
    """With a signing key set, require a valid HMAC; without one, ignore (and keep) a signature."""
    key = _signing_key()
    if key is None:
        return
    found = manifest.get("signature")
    if found is None:
        raise ArtifactError(
            f"Model {label} is not signed, but {SIGNING_KEY_ENV} is set, so only signed models are "
            "accepted. Profile again with the key set, or unset the key."
        )
    if not hmac.compare_digest(str(found), artifact.manifest_signature(manifest, key)):
        raise ArtifactError(
            f"Model {label} has an invalid signature: its manifest was changed after signing, or "
            f"it was signed with another key than {SIGNING_KEY_ENV}. Do not use it."
        )


def _write_synced(path: str, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: str) -> None:
    """Make a folder's entries durable (POSIX only; elsewhere the rename itself must do)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _too_busy(name: str) -> ArtifactError:
    return ArtifactError(
        f"Could not publish model {name!r}: {_PUBLISH_TRIES} concurrent publishes of the same "
        "name kept taking the next version number. Try again."
    )


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
