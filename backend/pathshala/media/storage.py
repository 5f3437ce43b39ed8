"""Where uploaded and generated media live: a ``Storage`` chosen once from settings.

Objects are named by relative keys such as ``lessons/<lesson_id>/source/<name>.mp4``; the
same key means the same object on disk (``LocalStorage``, the embedded setup) and in a bucket
(``S3Storage``: AWS, R2, MinIO). Prefixes are plain string prefixes on both, as in S3:
``lessons/1`` also matches ``lessons/10/...``, so callers pass ``lessons/1/``.

Only ``S3Storage`` can hand out presigned URLs (``supports_presigned``); ``LocalStorage``
instead exposes ``local_path`` so the app (or nginx) serves and receives the files itself.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, ClassVar

from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from pathshala.settings import Settings

COPY_CHUNK_BYTES = 1024 * 1024
# In-progress local writes: hidden next to their target, never listed as keys.
PARTIAL_PREFIX = ".partial-"
# S3's DeleteObjects takes at most this many keys per request.
S3_DELETE_BATCH = 1000
MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


def validate_key(key: str) -> str:
    """``key`` unchanged if it is a safe relative object name, else ValueError.

    Refused: empty, a leading "/", backslashes, control characters, and empty, "." or ".."
    segments (so a key never climbs out of its directory on disk).
    """
    _check_text(key, "key")
    if not key or key.endswith("/"):
        raise ValueError(f"storage key must name an object: {key!r}")
    _check_segments(key, key.split("/"))
    return key


def validate_prefix(prefix: str) -> str:
    """Like ``validate_key`` but "" (everything) and a trailing "/" are allowed."""
    _check_text(prefix, "prefix")
    if prefix:
        segments = prefix.split("/")
        if segments[-1] == "":
            segments.pop()
        _check_segments(prefix, segments)
    return prefix


def _check_text(value: str, what: str) -> None:
    if not isinstance(value, str):
        raise ValueError(f"storage {what} must be a string, not {type(value).__name__}")
    if value.startswith("/"):
        raise ValueError(f"storage {what} must be relative: {value!r}")
    if "\\" in value:
        raise ValueError(f"storage {what} must not contain backslashes: {value!r}")
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise ValueError(f"storage {what} must not contain control characters: {value!r}")


def _check_segments(value: str, segments: list[str]) -> None:
    for segment in segments:
        if segment in ("", ".", ".."):
            raise ValueError(f"storage key has an empty, '.' or '..' part: {value!r}")
        if segment.startswith(PARTIAL_PREFIX):
            raise ValueError(f"storage key part is reserved: {value!r}")


class Storage(ABC):
    """Objects by key. Reads of a missing key raise FileNotFoundError on every backend."""

    # True when clients can be sent straight to the store (presigned_get_url/presigned_put);
    # False when the app itself must serve and receive the bytes (local_path).
    supports_presigned: ClassVar[bool]

    @abstractmethod
    def open_write(self, key: str) -> AbstractContextManager[IO[bytes]]:
        """``with storage.open_write(key) as out:`` a binary file to stream the object into,
        chunk by chunk. The object appears (or is replaced) only when the block ends without
        an error; after an error nothing is kept."""

    @abstractmethod
    def save_file(self, key: str, local_path: str | Path, content_type: str | None = None) -> None:
        """Store a copy of a local file under ``key`` (S3 serves it with ``content_type``)."""

    @abstractmethod
    def open_read(self, key: str) -> BinaryIO:
        """A binary stream of the object; the caller closes it."""

    @abstractmethod
    def download_to(self, key: str, local_path: str | Path) -> None:
        """Copy the object to a local file (e.g. for ffmpeg)."""

    @abstractmethod
    def size(self, key: str) -> int | None:
        """The object's size in bytes, or None when there is no such object."""

    def exists(self, key: str) -> bool:
        return self.size(key) is not None

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the object; a missing one is not an error."""

    @abstractmethod
    def list_keys(self, prefix: str = "") -> list[str]:
        """Every key starting with ``prefix``, sorted."""

    @abstractmethod
    def delete_prefix(self, prefix: str) -> int:
        """Remove every object whose key starts with ``prefix`` (not ""); how many were."""

    def read_head(self, key: str, n: int) -> bytes:
        """The first ``n`` bytes (fewer if the object is shorter), for magic-byte checks."""
        if n <= 0:
            validate_key(key)
            return b""
        with self.open_read(key) as stream:
            return _read_up_to(stream, n)


def _read_up_to(stream: IO[bytes], n: int) -> bytes:
    parts: list[bytes] = []
    remaining = n
    while remaining > 0:
        chunk = stream.read(remaining)
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


def _nonempty_prefix(prefix: str) -> str:
    if not validate_prefix(prefix):
        raise ValueError("delete_prefix needs a prefix; refusing to delete everything")
    return prefix


class LocalStorage(Storage):
    """Files under one directory (BACKEND_STORAGE_DIR); writes are atomic renames."""

    supports_presigned: ClassVar[bool] = False

    def __init__(self, root: str | Path) -> None:
        # Created on first write, not here: building the app has no side effects on disk.
        self.root = Path(root).resolve()

    def local_path(self, key: str) -> Path:
        """The file for ``key``; ValueError if it would lie outside the root."""
        path = (self.root / validate_key(key)).resolve()
        # validate_key already rules out "..", this catches anything it missed (and
        # symlinks inside the root that point elsewhere).
        if path == self.root or not path.is_relative_to(self.root):
            raise ValueError(f"storage key leaves the storage root: {key!r}")
        return path

    @contextmanager
    def open_write(self, key: str) -> Iterator[IO[bytes]]:
        target = self.local_path(key)
        partial = self._create_partial(target)
        committed = False
        try:
            with partial.open("wb") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            # mkstemp makes 0600; nginx (X-Accel-Redirect) reads these as another user.
            partial.chmod(0o644)
            partial.replace(target)
            committed = True
        finally:
            if not committed:
                partial.unlink(missing_ok=True)

    @staticmethod
    def _create_partial(target: Path) -> Path:
        """An empty hidden file beside ``target``, its directory created as needed."""
        for _attempt in range(3):
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                descriptor, name = tempfile.mkstemp(
                    dir=target.parent, prefix=PARTIAL_PREFIX + target.name + "."
                )
            except FileNotFoundError:
                # A concurrent delete pruned the directory just made empty: make it again.
                continue
            os.close(descriptor)
            return Path(name)
        raise FileNotFoundError(f"could not create a file beside {target}")

    def save_file(self, key: str, local_path: str | Path, content_type: str | None = None) -> None:
        # On disk the type comes from the name when the file is served.
        with open(local_path, "rb") as source, self.open_write(key) as target:
            shutil.copyfileobj(source, target, COPY_CHUNK_BYTES)

    def open_read(self, key: str) -> BinaryIO:
        return open(self.local_path(key), "rb")  # the caller closes it

    def download_to(self, key: str, local_path: str | Path) -> None:
        shutil.copyfile(self.local_path(key), local_path)

    def size(self, key: str) -> int | None:
        path = self.local_path(key)
        return path.stat().st_size if path.is_file() else None

    def delete(self, key: str) -> None:
        path = self.local_path(key)
        path.unlink(missing_ok=True)
        self._prune_empty_dirs(path.parent)

    def list_keys(self, prefix: str = "") -> list[str]:
        return sorted(key for key, _path in self._walk(validate_prefix(prefix)))

    def delete_prefix(self, prefix: str) -> int:
        removed = 0
        parents: set[Path] = set()
        for _key, path in list(self._walk(_nonempty_prefix(prefix))):
            path.unlink(missing_ok=True)
            parents.add(path.parent)
            removed += 1
        for parent in sorted(parents, key=lambda p: len(p.parts), reverse=True):
            self._prune_empty_dirs(parent)
        return removed

    def _walk(self, prefix: str) -> Iterator[tuple[str, Path]]:
        """(key, path) of every stored file whose key starts with ``prefix``."""
        # Only the directory the prefix is certainly inside needs walking.
        base = self.root.joinpath(*prefix.split("/")[:-1]) if "/" in prefix else self.root
        if not base.is_dir():
            return
        for directory, _dirs, files in os.walk(base):
            for name in files:
                if name.startswith(PARTIAL_PREFIX):
                    continue
                path = Path(directory, name)
                key = path.relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    yield key, path

    def _prune_empty_dirs(self, directory: Path) -> None:
        """Remove now-empty directories from ``directory`` up to (not including) the root."""
        while directory != self.root and directory.is_relative_to(self.root):
            try:
                directory.rmdir()
            except OSError:  # not empty, already gone, or busy: leave it
                return
            directory = directory.parent


class S3Storage(Storage):
    """Objects in an S3-compatible bucket (AWS S3, Cloudflare R2, MinIO)."""

    supports_presigned: ClassVar[bool] = True

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        region: str | None = None,
    ) -> None:
        # boto3 costs ~0.3 s to import; the embedded (local) setup never pays it.
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        config = Config(
            signature_version="s3v4",
            # Path-style for custom endpoints: MinIO and test servers have no per-bucket DNS.
            s3={"addressing_style": "path" if endpoint_url else "auto"},
            # The default CRC32 checksums are not understood by every S3-compatible store,
            # and a presigned PUT would carry the checksum of an empty body.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            retries={"max_attempts": 3, "mode": "standard"},
        )
        # Keys left unset fall through to boto3's own chain (environment, instance role).
        self._client: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            region_name=region or "us-east-1",
            config=config,
        )

    @contextmanager
    def open_write(self, key: str) -> Iterator[IO[bytes]]:
        validate_key(key)
        # Spooled to disk, not memory: lesson videos run to gigabytes. Uploaded only once
        # the block succeeds, so a failed write leaves nothing in the bucket.
        with tempfile.TemporaryFile() as spool:
            yield spool
            spool.flush()
            spool.seek(0)
            self._client.upload_fileobj(spool, self.bucket, key)

    def save_file(self, key: str, local_path: str | Path, content_type: str | None = None) -> None:
        extra = {"ContentType": content_type} if content_type else None
        self._client.upload_file(str(local_path), self.bucket, validate_key(key), ExtraArgs=extra)

    def open_read(self, key: str) -> BinaryIO:
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=validate_key(key))
        except ClientError as error:
            raise _missing_or_error(error, key) from error
        return response["Body"]

    def download_to(self, key: str, local_path: str | Path) -> None:
        try:
            self._client.download_file(self.bucket, validate_key(key), str(local_path))
        except ClientError as error:
            raise _missing_or_error(error, key) from error

    def size(self, key: str) -> int | None:
        try:
            head = self._client.head_object(Bucket=self.bucket, Key=validate_key(key))
        except ClientError as error:
            if _is_missing(error):
                return None
            raise
        return int(head["ContentLength"])

    def delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self.bucket, Key=validate_key(key))

    def list_keys(self, prefix: str = "") -> list[str]:
        return sorted(self._iter_keys(validate_prefix(prefix)))

    def delete_prefix(self, prefix: str) -> int:
        keys = list(self._iter_keys(_nonempty_prefix(prefix)))
        for start in range(0, len(keys), S3_DELETE_BATCH):
            batch = keys[start : start + S3_DELETE_BATCH]
            response = self._client.delete_objects(
                Bucket=self.bucket,
                Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True},
            )
            if response.get("Errors"):
                first = response["Errors"][0]
                raise OSError(
                    f"S3 refused to delete {len(response['Errors'])} object(s) under "
                    f"{prefix!r}: {first.get('Key')}: {first.get('Code')} {first.get('Message')}"
                )
        return len(keys)

    def _iter_keys(self, prefix: str) -> Iterator[str]:
        paginator = self._client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                yield item["Key"]

    def read_head(self, key: str, n: int) -> bytes:
        if n <= 0:
            validate_key(key)
            return b""
        try:
            response = self._client.get_object(
                Bucket=self.bucket, Key=validate_key(key), Range=f"bytes=0-{n - 1}"
            )
        except ClientError as error:
            if _error_code(error) == "InvalidRange":  # an empty object has no byte 0
                return b""
            raise _missing_or_error(error, key) from error
        with response["Body"] as body:
            return _read_up_to(body, n)

    def presigned_get_url(self, key: str, expires_in: int) -> str:
        """A URL anyone can GET the object from until ``expires_in`` seconds pass."""
        return self._client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": validate_key(key)},
            ExpiresIn=expires_in,
        )

    def presigned_put(
        self, key: str, *, content_type: str, size: int, expires_in: int
    ) -> dict[str, Any]:
        """How a client uploads exactly ``size`` bytes of ``content_type`` to ``key``.

        Content-Type and Content-Length are both signed, so the store refuses any other
        type or a longer (or shorter) body. ``headers`` are what the client must send;
        Content-Length is left out because browsers set it themselves from the body.
        """
        url = self._client.generate_presigned_url(
            "put_object",
            Params={
                "Bucket": self.bucket,
                "Key": validate_key(key),
                "ContentType": content_type,
                "ContentLength": size,
            },
            ExpiresIn=expires_in,
            HttpMethod="PUT",
        )
        return {"url": url, "method": "PUT", "headers": {"Content-Type": content_type}}


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _is_missing(error: ClientError) -> bool:
    return _error_code(error) in MISSING_CODES


def _missing_or_error(error: ClientError, key: str) -> Exception:
    if _is_missing(error):
        return FileNotFoundError(f"no stored object {key!r}")
    return error


def storage_from_settings(settings: Settings) -> Storage:
    """The configured backend: S3 when BACKEND_STORAGE_BACKEND=s3, else files on disk."""
    if settings.storage_backend == "s3":
        if not settings.s3_bucket:
            raise ValueError("BACKEND_STORAGE_BACKEND=s3 needs BACKEND_S3_BUCKET")
        return S3Storage(
            settings.s3_bucket,
            endpoint_url=settings.s3_endpoint_url,
            access_key=settings.s3_access_key,
            secret_key=settings.s3_secret_key,
            region=settings.s3_region,
        )
    return LocalStorage(settings.storage_dir)
