"""The bytes of a model artifact: canonical JSON, deterministic ``.npz`` and content hashes.

A stored model is data, never code. Its structure and parameters go in ``model.json`` (canonical
JSON: sorted keys, no NaN, UTF-8, so a reviewer can read it and the same model always gives the
same bytes) and its numeric arrays in ``arrays.npz`` (a zip of ``.npy`` members written without
pickle and with fixed metadata, so the same arrays always give the same bytes). The store adds
``manifest.json`` beside them. Reading is strict: object arrays, pickles, odd member names and
oversized members (zip bombs) are refused before anything is allocated.

Everything here is a pure function of its arguments; the store does the I/O.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
import zipfile
import zlib
from collections.abc import Mapping
from typing import cast

import numpy as np

from learnsynth.errors import ArtifactError

__all__ = [
    "ALLOWED_FILES",
    "FORMAT_VERSION",
    "MANIFEST_FILE",
    "MAX_FILE_BYTES",
    "MANIFEST_KEYS",
    "canonical_json",
    "check_manifest",
    "content_hash",
    "manifest_signature",
    "read_json_bytes",
    "read_npz_bytes",
    "sha256_hex",
    "write_npz_bytes",
]

FORMAT_VERSION: int = 1
"""Version of the on-disk layout; a reader refuses anything newer than it knows."""

MAX_FILE_BYTES: int = 512 * 1024 * 1024
"""Largest file (and largest total uncompressed ``.npz`` content) a model may hold."""

ALLOWED_FILES: frozenset[str] = frozenset({"model.json", "arrays.npz"})
"""Content files a model may hold; the store adds ``MANIFEST_FILE`` beside them."""

MANIFEST_FILE = "manifest.json"

MANIFEST_KEYS: frozenset[str] = frozenset(
    {
        "format_version",
        "learnsynth_version",
        "name",
        "version",
        "created_at",
        "parent_version",
        "source_fingerprint",
        "files",
        "model_sha256",
        "extra",
    }
)
"""Keys every manifest has; ``signature`` is added when a signing key is configured."""

_ARRAY_NAME = re.compile(r"[A-Za-z0-9_.:-]{1,200}")
_FILE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,200}")
# bool, signed/unsigned int, float, complex, bytes, str, datetime64, timedelta64: all plain data.
_ALLOWED_KINDS = frozenset("biufcSUMm")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_ZIP_ATTR = 0o100644 << 16  # a regular file, rw-r--r--, whatever the umask of the writer
_ZIP_LEVEL = 6
# What zipfile raises on damaged or forged archives (ValueError: negative offsets,
# NotImplementedError: unknown "version needed to extract").
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
)
_HEX64 = re.compile(r"[0-9a-f]{64}")
_FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "learnsynth_version": str,
    "name": str,
    "version": int,
    "created_at": str,
    "parent_version": (int, type(None)),
    "source_fingerprint": str,
    "files": dict,
    "model_sha256": str,
    "extra": dict,
    "signature": str,
}


def canonical_json(obj: object) -> bytes:
    """Serialise plain JSON data to canonical UTF-8 bytes (sorted keys, indent 1, final newline).

    The same data always gives the same bytes, so hashes identify content. NaN and infinities are
    refused: JSON has no spelling for them and a model must not depend on a parser's leniency.

    Raises:
        ArtifactError: ``obj`` holds NaN/inf or a string that is not valid Unicode.
        TypeError: ``obj`` holds something JSON cannot represent (a bug in the caller).
    """
    try:
        text = json.dumps(obj, sort_keys=True, ensure_ascii=False, indent=1, allow_nan=False)
        return (text + "\n").encode("utf-8")
    except ValueError as exc:  # UnicodeEncodeError is a ValueError too
        raise ArtifactError(
            f"Model data cannot be stored as JSON: {exc}. Replace NaN/infinite numbers with null "
            "and strings with valid Unicode before storing."
        ) from exc


def read_json_bytes(data: bytes, *, label: str) -> object:
    """Parse JSON strictly: UTF-8 only, no NaN/Infinity, no duplicate keys.

    Args:
        data: the file's bytes.
        label: how to name the file in error messages, e.g. ``"model.json of 'x@v2'"``.

    Raises:
        ArtifactError: the bytes are not strict JSON.
    """

    def refuse_constant(name: str) -> object:
        raise ValueError(f"{name} is not a JSON number")

    def refuse_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
        result = dict(pairs)
        if len(result) != len(pairs):
            seen = [key for key, _ in pairs]
            dups = sorted({key for key in seen if seen.count(key) > 1})
            raise ValueError(f"duplicate key(s) {', '.join(map(repr, dups))}")
        return result

    try:
        return json.loads(
            data.decode("utf-8"),
            parse_constant=refuse_constant,
            object_pairs_hook=refuse_duplicates,
        )
    except (ValueError, RecursionError) as exc:
        raise ArtifactError(
            f"{label} is not valid JSON ({exc}): the artifact is damaged. Restore it or profile "
            "again."
        ) from exc


def write_npz_bytes(arrays: Mapping[str, np.ndarray]) -> bytes:
    """Pack named arrays into deterministic ``.npz`` bytes (same arrays, same bytes).

    Members are sorted by name, carry a fixed date and mode, are deflated at a fixed level and are
    written with ``allow_pickle=False``; arrays are stored in C order so memory layout does not
    change the bytes.

    Raises:
        ArtifactError: a name is not ``[A-Za-z0-9_.:-]+``, an array holds objects, structured or
            void data, or the result would exceed ``MAX_FILE_BYTES``.
    """
    buffer = io.BytesIO()
    total = 0
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            member = _npy_bytes(name, arrays[name])
            total += len(member)
            if total > MAX_FILE_BYTES:
                raise ArtifactError(
                    f"Model arrays are larger than the limit of {MAX_FILE_BYTES} bytes (at array "
                    f"{name!r}). Reduce the model (fewer columns or categories) before storing."
                )
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = _ZIP_ATTR
            info.create_system = 3  # Unix, whichever system wrote it
            archive.writestr(info, member, compresslevel=_ZIP_LEVEL)
    return buffer.getvalue()


def _npy_bytes(name: str, value: np.ndarray) -> bytes:
    """One array as ``.npy`` bytes, after checking its name and dtype."""
    if not isinstance(name, str) or not _ARRAY_NAME.fullmatch(name):
        raise ArtifactError(
            f"Array name {name!r} cannot be stored: expected 1-200 characters among letters, "
            "digits, '_', '.', ':' and '-'."
        )
    array = np.asarray(value)
    _check_dtype(array.dtype, f"array {name!r}")
    if not array.flags.c_contiguous:
        array = array.copy(order="C")
    out = io.BytesIO()
    np.lib.format.write_array(out, array, allow_pickle=False)
    return out.getvalue()


def _check_dtype(dtype: np.dtype, what: str) -> None:
    if dtype.kind not in _ALLOWED_KINDS or dtype.hasobject or dtype.fields is not None:
        raise ArtifactError(
            f"Model {what} has dtype {str(dtype)!r}: only plain numbers, booleans, strings and "
            "dates can be stored (never objects, which would need pickle)."
        )


def read_npz_bytes(data: bytes) -> dict[str, np.ndarray]:
    """Unpack ``.npz`` bytes strictly, without pickle and without trusting the archive's claims.

    This does what ``np.load(io.BytesIO(data), allow_pickle=False)`` does, plus the checks it
    lacks: every member is a flat ``<name>.npy``; the total uncompressed size stays within
    ``MAX_FILE_BYTES`` (checked from the zip directory before anything is decompressed); each
    ``.npy`` header declares a plain dtype and exactly as many bytes as the member holds (so a
    forged shape cannot make NumPy allocate terabytes).

    Raises:
        ArtifactError: the bytes are not such an archive.
    """
    if len(data) > MAX_FILE_BYTES:
        raise ArtifactError(f"arrays.npz is larger than the limit of {MAX_FILE_BYTES} bytes.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_members(infos, _declared_members(data))
            return {info.filename[: -len(".npy")]: _read_member(archive, info) for info in infos}
    except _ZIP_ERRORS as exc:
        raise ArtifactError(
            f"arrays.npz is not a readable zip archive ({exc}): the artifact is damaged. Restore "
            "it or profile again."
        ) from exc


def _declared_members(data: bytes) -> int | None:
    """Member count the end-of-directory record declares (None if absent or Zip64)."""
    end = data.rfind(b"PK\x05\x06")
    if end < 0 or end + 22 > len(data):
        return None
    count = int.from_bytes(data[end + 10 : end + 12], "little")
    return None if count == 0xFFFF else count


def _check_members(infos: list[zipfile.ZipInfo], declared: int | None) -> None:
    """Refuse odd member names, duplicates, encryption and oversized content, from metadata only."""
    names = [info.filename for info in infos]
    if declared is not None and declared != len(names):
        raise ArtifactError(
            f"arrays.npz declares {declared} members but its directory lists {len(names)}: the "
            "artifact is damaged. Restore it or profile again."
        )
    if len(set(names)) != len(names):
        raise ArtifactError("arrays.npz holds the same member twice: the artifact was tampered.")
    for info in infos:
        stem = info.filename[: -len(".npy")]
        if not info.filename.endswith(".npy") or not _ARRAY_NAME.fullmatch(stem):
            raise ArtifactError(
                f"arrays.npz holds member {info.filename!r}: expected only flat '<name>.npy' "
                "members (no folders, no '..', no other files)."
            )
        if info.flag_bits & 0x1:
            raise ArtifactError(f"arrays.npz member {info.filename!r} is encrypted.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ArtifactError(
                f"arrays.npz member {info.filename!r} uses an unsupported compression method."
            )
    total = sum(info.file_size for info in infos)
    if total > MAX_FILE_BYTES:
        raise ArtifactError(
            f"arrays.npz would unpack to {total} bytes, more than the limit of {MAX_FILE_BYTES}: "
            "refusing to decompress it."
        )


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> np.ndarray:
    """Read one ``.npy`` member after checking its header against its real size."""
    with archive.open(info) as handle:
        raw = handle.read(info.file_size + 1)
    if len(raw) != info.file_size:
        raise ArtifactError(f"arrays.npz member {info.filename!r} does not match its stated size.")
    stream = io.BytesIO(raw)
    what = f"array {info.filename[:-4]!r}"
    try:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(stream)
        else:
            raise ValueError(f"unsupported .npy format version {version}")
        _check_dtype(dtype, what)
        count = int(np.prod(shape, dtype=object))  # Python ints: no overflow on forged shapes
        if count * dtype.itemsize != len(raw) - stream.tell():
            raise ValueError("its header does not match its data length")
        stream.seek(0)
        return np.lib.format.read_array(stream, allow_pickle=False)
    except ValueError as exc:
        raise ArtifactError(
            f"arrays.npz holds an unreadable {what} ({exc}): the artifact is damaged or unsafe. "
            "Restore it or profile again."
        ) from exc


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def content_hash(files: Mapping[str, bytes]) -> str:
    """The model's identity: SHA-256 over the sorted lines ``"<name> <sha256 of file>\\n"``.

    It covers content only (not the manifest, not the creation time), so the same data, options
    and seed give the same hash wherever and whenever the model was made.

    Raises:
        ArtifactError: a file name holds characters that would make the lines ambiguous.
    """
    lines = []
    for name in sorted(files):
        if not _FILE_NAME.fullmatch(name):
            raise ArtifactError(f"File name {name!r} cannot be part of a model.")
        lines.append(f"{name} {sha256_hex(files[name])}\n")
    return sha256_hex("".join(lines).encode("ascii"))


def manifest_signature(manifest: Mapping[str, object], key: bytes) -> str:
    """Hex HMAC-SHA256 over the canonical JSON of the manifest without its ``signature``."""
    body = {k: v for k, v in manifest.items() if k != "signature"}
    return hmac.new(key, canonical_json(body), hashlib.sha256).hexdigest()


def check_manifest(manifest: object, *, label: str, name: str, version: int) -> dict[str, object]:
    """Check a parsed manifest's structure strictly, before any content file is trusted.

    Checks, in order: a JSON object; not from a newer format; exactly the known keys; the
    supported ``format_version``; the type of every field; file names a model may hold, with
    well-formed hashes and sizes; and that it describes ``name``/``version`` (the folder it is in).
    It does not read the content files: the store compares them with the manifest afterwards.

    Args:
        manifest: the parsed ``manifest.json``.
        label: the model as users name it in messages, e.g. ``"'customers@v3'"``.
        name: the model name its folder says.
        version: the version its folder says.

    Returns:
        The manifest, now known to be a dict of the expected shape.

    Raises:
        ArtifactError: naming the model and what is wrong.
    """
    if not isinstance(manifest, dict):
        raise ArtifactError(f"Manifest of model {label} is not a JSON object: it is damaged.")
    _check_keys(manifest, label)
    for key, expected in _FIELD_TYPES.items():
        value = manifest.get(key)
        if key in manifest and (not isinstance(value, expected) or isinstance(value, bool)):
            raise ArtifactError(
                f"Manifest of model {label} has a malformed {key!r} ({type(value).__name__}): "
                "the artifact is damaged. Restore it or profile again."
            )
    _check_files_entry(cast("dict[str, object]", manifest["files"]), label)
    if not _HEX64.fullmatch(str(manifest["model_sha256"])):
        raise ArtifactError(f"Manifest of model {label} has a malformed 'model_sha256'.")
    parent = cast("int | None", manifest["parent_version"])
    if manifest["name"] != name or manifest["version"] != version:
        raise ArtifactError(
            f"Manifest of model {label} describes '{manifest['name']}@v{manifest['version']}': "
            "the version folder was copied or renamed. Restore it or profile again."
        )
    if parent is not None and not 1 <= parent < version:
        raise ArtifactError(f"Manifest of model {label} has parent_version {parent!r}.")
    return manifest


def _check_keys(manifest: dict[str, object], label: str) -> None:
    """Format version first (a newer format may have other keys), then exactly the known keys."""
    found = manifest.get("format_version")
    is_int = isinstance(found, int) and not isinstance(found, bool)
    if isinstance(found, int) and is_int and found > FORMAT_VERSION:
        raise ArtifactError(
            f"Model {label} was written by a newer learnsynth (format {found}); upgrade "
            "learnsynth to read it."
        )
    unknown = sorted(set(manifest) - MANIFEST_KEYS - {"signature"})
    missing = sorted(MANIFEST_KEYS - set(manifest))
    if unknown or missing:
        what = f"unknown key(s) {unknown}" if unknown else f"no key(s) {missing}"
        raise ArtifactError(
            f"Manifest of model {label} has {what}: expected exactly {sorted(MANIFEST_KEYS)} "
            "(plus 'signature'). The artifact was changed after it was stored. Restore it or "
            "profile again."
        )
    if not is_int or found != FORMAT_VERSION:
        raise ArtifactError(
            f"Manifest of model {label} has format_version {found!r}; this learnsynth reads "
            f"format {FORMAT_VERSION}."
        )


def _check_files_entry(files: dict[str, object], label: str) -> None:
    """The manifest's ``files``: allowed names only, each with a sha256 and a byte count."""
    if "model.json" not in files:
        raise ArtifactError(f"Manifest of model {label} lists no 'model.json': it is damaged.")
    for fname, meta in files.items():
        if fname not in ALLOWED_FILES:
            raise ArtifactError(
                f"Manifest of model {label} lists file {fname!r}: a model may hold only "
                f"{sorted(ALLOWED_FILES)}. The artifact is unsafe; do not use it."
            )
        size = meta.get("bytes") if isinstance(meta, dict) else None
        well_formed = (
            isinstance(meta, dict)
            and set(meta) == {"sha256", "bytes"}
            and isinstance(meta["sha256"], str)
            and _HEX64.fullmatch(meta["sha256"]) is not None
            and isinstance(size, int)
            and not isinstance(size, bool)
            and size >= 0
        )
        if not well_formed:
            raise ArtifactError(
                f"Manifest of model {label} has a malformed entry for file {fname!r}: expected "
                "{'sha256': <64 hex digits>, 'bytes': <count>}."
            )
