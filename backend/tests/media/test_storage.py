"""The Storage interface, one suite run against files on disk and against an S3 server."""

from __future__ import annotations

import random
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from pathshala.media import storage as storage_module
from pathshala.media.storage import LocalStorage, S3Storage, Storage, storage_from_settings
from pathshala.settings import load_settings

CHUNK = 64 * 1024
# Past boto3's 8 MB multipart threshold, so S3 uploads go in parts.
BIG = 9 * 1024 * 1024 + 123

UNSAFE_KEYS = [
    "../escape.mp4",
    "lessons/1/../../../escape.mp4",
    "lessons/..",
    "/etc/passwd",
    "lessons\\1\\a.mp4",
    "..\\escape.mp4",
    "lessons/1/a\x00.mp4",
    "lessons/1/a\n.mp4",
    "lessons/1/a\x7f.mp4",
    "lessons//a.mp4",
    "lessons/./a.mp4",
    "",
    "lessons/1/",
]
UNSAFE_PREFIXES = ["../", "/lessons/", "lessons\\1", "lessons/\x1b", "lessons/../"]


def body(size: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(size)


@pytest.fixture(params=["local", "s3"])
def storage(request, base_settings, tmp_path) -> Storage:
    """Built the way the app builds it: from settings."""
    if request.param == "local":
        overrides = {
            "BACKEND_STORAGE_BACKEND": "local",
            "BACKEND_STORAGE_DIR": str(tmp_path / "media"),
        }
    else:
        server = request.getfixturevalue("s3_server")
        overrides = server.settings(request.getfixturevalue("s3_bucket"))
    return storage_from_settings(load_settings({**base_settings, **overrides}))


@pytest.fixture
def s3_storage(s3_server, s3_bucket) -> S3Storage:
    return S3Storage(
        s3_bucket,
        endpoint_url=s3_server.url,
        access_key=s3_server.settings(s3_bucket)["BACKEND_S3_ACCESS_KEY"],
        secret_key=s3_server.settings(s3_bucket)["BACKEND_S3_SECRET_KEY"],
        region="us-east-1",
    )


def put(storage: Storage, key: str, data: bytes) -> None:
    with storage.open_write(key) as out:
        out.write(data)


def test_backend_is_chosen_from_settings(storage):
    assert isinstance(storage, LocalStorage | S3Storage)
    assert storage.supports_presigned is isinstance(storage, S3Storage)


def test_streamed_write_then_read_round_trip(storage, tmp_path):
    data = body(BIG)
    key = "lessons/42/source/lecture one.mp4"
    with storage.open_write(key) as out:
        for start in range(0, len(data), CHUNK):
            out.write(data[start : start + CHUNK])

    assert storage.exists(key)
    assert storage.size(key) == len(data)
    received = bytearray()
    with storage.open_read(key) as stream:
        while chunk := stream.read(CHUNK):
            received += chunk
    assert bytes(received) == data
    copy = tmp_path / "downloaded.mp4"
    storage.download_to(key, copy)
    assert copy.read_bytes() == data
    assert storage.read_head(key, 12) == data[:12]
    assert storage.list_keys("lessons/42/") == [key]


def test_save_file_and_overwrite(storage, tmp_path):
    source = tmp_path / "poster.webp"
    source.write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 first")
    key = "lessons/3/poster.webp"
    storage.save_file(key, source)
    assert storage.read_head(key, 1000) == source.read_bytes()

    put(storage, key, b"second")
    assert storage.size(key) == 6
    with storage.open_read(key) as stream:
        assert stream.read() == b"second"


def test_read_head_of_short_and_empty_objects(storage):
    put(storage, "attachments/empty.txt", b"")
    put(storage, "attachments/short.txt", b"%PDF")
    assert storage.size("attachments/empty.txt") == 0
    assert storage.exists("attachments/empty.txt")
    assert storage.read_head("attachments/empty.txt", 8) == b""
    assert storage.read_head("attachments/short.txt", 8) == b"%PDF"
    assert storage.read_head("attachments/short.txt", 0) == b""


def test_a_missing_object(storage, tmp_path):
    key = "lessons/9/source/never.mp4"
    assert storage.size(key) is None
    assert storage.exists(key) is False
    storage.delete(key)  # not an error
    with pytest.raises(FileNotFoundError):
        storage.open_read(key)
    with pytest.raises(FileNotFoundError):
        storage.read_head(key, 4)
    with pytest.raises(FileNotFoundError):
        storage.download_to(key, tmp_path / "never.mp4")
    assert storage.list_keys("lessons/9/") == []


def test_list_delete_and_delete_prefix(storage):
    keys = [
        "avatars/7.webp",
        "lessons/1/hls/720p/seg_000.ts",
        "lessons/1/hls/master.m3u8",
        "lessons/1/source/a.mp4",
        "lessons/10/source/b.mp4",
    ]
    for key in keys:
        put(storage, key, key.encode())

    assert storage.list_keys() == keys
    assert storage.list_keys("lessons/1/") == keys[1:4]
    # A plain string prefix on both backends, as in S3: "lessons/1" covers lesson 10 too.
    assert storage.list_keys("lessons/1") == keys[1:]
    assert storage.list_keys("lessons/1/hls/") == keys[1:3]
    assert storage.list_keys("nothing/") == []

    assert storage.delete_prefix("lessons/1/hls/") == 2
    assert storage.list_keys("lessons/") == [keys[3], keys[4]]
    assert storage.delete_prefix("lessons/1/") == 1
    assert storage.delete_prefix("lessons/1/") == 0
    assert storage.exists("lessons/10/source/b.mp4")

    storage.delete("avatars/7.webp")
    assert not storage.exists("avatars/7.webp")
    assert storage.list_keys() == ["lessons/10/source/b.mp4"]
    with pytest.raises(ValueError, match="refusing to delete everything"):
        storage.delete_prefix("")
    assert storage.list_keys() == ["lessons/10/source/b.mp4"]


def test_delete_prefix_beyond_one_batch(storage, monkeypatch):
    # S3 deletes at most 1000 keys per request; a small batch exercises the same loop.
    monkeypatch.setattr(storage_module, "S3_DELETE_BATCH", 2)
    for number in range(5):
        put(storage, f"lessons/5/hls/360p/seg_{number:04d}.ts", b"x")
    put(storage, "lessons/50/source/a.mp4", b"x")
    assert len(storage.list_keys("lessons/5/")) == 5
    assert storage.delete_prefix("lessons/5/") == 5
    assert storage.list_keys() == ["lessons/50/source/a.mp4"]


class Interrupted(Exception):
    pass


def test_an_error_inside_open_write_leaves_nothing(storage):
    key = "lessons/2/source/broken.mp4"
    with pytest.raises(Interrupted), storage.open_write(key) as out:
        out.write(body(2 * 1024 * 1024))
        raise Interrupted
    assert not storage.exists(key)
    assert storage.list_keys() == []


def test_a_failed_overwrite_keeps_the_old_object(storage):
    key = "lessons/2/source/kept.mp4"
    put(storage, key, b"the original")
    with pytest.raises(Interrupted), storage.open_write(key) as out:
        out.write(b"half of a repla")
        raise Interrupted
    with storage.open_read(key) as stream:
        assert stream.read() == b"the original"
    assert storage.list_keys() == [key]


@pytest.mark.parametrize("key", UNSAFE_KEYS)
def test_unsafe_keys_are_refused(storage, tmp_path, key):
    source = tmp_path / "source.bin"
    source.write_bytes(b"data")
    with pytest.raises(ValueError), storage.open_write(key) as out:
        out.write(b"data")
    for operation in (
        lambda: storage.save_file(key, source),
        lambda: storage.open_read(key),
        lambda: storage.download_to(key, tmp_path / "out.bin"),
        lambda: storage.size(key),
        lambda: storage.exists(key),
        lambda: storage.delete(key),
        lambda: storage.read_head(key, 4),
        lambda: storage.read_head(key, 0),
    ):
        with pytest.raises(ValueError):
            operation()
    if isinstance(storage, S3Storage):
        with pytest.raises(ValueError):
            storage.presigned_get_url(key, 60)
        with pytest.raises(ValueError):
            storage.presigned_put(key, content_type="video/mp4", size=4, expires_in=60)
    else:
        with pytest.raises(ValueError):
            storage.local_path(key)
    assert storage.list_keys() == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["source.bin"]


@pytest.mark.parametrize("prefix", UNSAFE_PREFIXES)
def test_unsafe_prefixes_are_refused(storage, prefix):
    with pytest.raises(ValueError):
        storage.list_keys(prefix)
    with pytest.raises(ValueError):
        storage.delete_prefix(prefix)


# LocalStorage


def test_local_path_stays_inside_the_root(tmp_path):
    root = tmp_path / "media"
    storage = LocalStorage(root)
    for key in ["a.mp4", "lessons/1/source/x.mp4", "lessons/1/a..b.mp4", "..hidden/...", "~/x"]:
        path = storage.local_path(key)
        assert path.is_relative_to(root.resolve())
        assert path == root.resolve() / key
    for key in UNSAFE_KEYS:
        with pytest.raises(ValueError):
            storage.local_path(key)
    assert not root.exists()  # nothing is created until something is written


def test_local_path_refuses_a_symlink_out_of_the_root(tmp_path):
    # The resolved path is checked too, not only the key's text.
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "media"
    root.mkdir()
    (root / "lessons").symlink_to(outside, target_is_directory=True)
    storage = LocalStorage(root)
    with pytest.raises(ValueError, match="leaves the storage root"):
        storage.local_path("lessons/1/a.mp4")
    with pytest.raises(ValueError):
        put(storage, "lessons/1/a.mp4", b"x")
    assert list(outside.iterdir()) == []


def test_local_writes_are_atomic_and_readable(tmp_path):
    storage = LocalStorage(tmp_path / "media")
    key = "lessons/4/hls/master.m3u8"
    with storage.open_write(key) as out:
        out.write(b"#EXTM3U\n")
        # Until the block ends only a hidden partial file exists, never the key.
        assert not storage.exists(key)
        assert storage.list_keys() == []
        siblings = list(storage.local_path(key).parent.iterdir())
        assert len(siblings) == 1 and siblings[0].name.startswith(".partial-")
    assert storage.local_path(key).read_bytes() == b"#EXTM3U\n"
    assert storage.local_path(key).stat().st_mode & 0o777 == 0o644
    assert [p.name for p in storage.local_path(key).parent.iterdir()] == ["master.m3u8"]


def test_local_delete_prunes_empty_directories(tmp_path):
    root = tmp_path / "media"
    storage = LocalStorage(root)
    put(storage, "lessons/8/hls/720p/seg_000.ts", b"x")
    put(storage, "lessons/8/source/a.mp4", b"x")
    assert storage.delete_prefix("lessons/8/hls/") == 1
    assert not (root / "lessons/8/hls").exists()
    storage.delete("lessons/8/source/a.mp4")
    assert list(root.iterdir()) == []


# S3Storage: presigned URLs


def signed_headers(url: str) -> list[str]:
    return parse_qs(urlsplit(url).query)["X-Amz-SignedHeaders"][0].split(";")


def test_presigned_put_binds_type_and_size(s3_storage):
    data = body(256 * 1024)
    key = "lessons/6/source/upload.mp4"
    signed = s3_storage.presigned_put(key, content_type="video/mp4", size=len(data), expires_in=60)
    assert signed["method"] == "PUT"
    assert signed["headers"] == {"Content-Type": "video/mp4"}
    assert {"content-length", "content-type", "host"} <= set(signed_headers(signed["url"]))

    bigger = requests.put(signed["url"], data=data + b"!", headers=signed["headers"], timeout=10)
    assert bigger.status_code == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in bigger.text
    smaller = requests.put(signed["url"], data=data[:-1], headers=signed["headers"], timeout=10)
    assert smaller.status_code == 403
    other_type = requests.put(
        signed["url"], data=data, headers={"Content-Type": "application/x-msdownload"}, timeout=10
    )
    assert other_type.status_code == 403
    assert not s3_storage.exists(key)

    exact = requests.put(signed["url"], data=data, headers=signed["headers"], timeout=10)
    assert exact.status_code == 200, exact.text
    assert s3_storage.size(key) == len(data)
    assert s3_storage.read_head(key, len(data)) == data


def test_presigned_put_expires(s3_storage):
    signed = s3_storage.presigned_put(
        "lessons/6/source/late.mp4", content_type="video/mp4", size=3, expires_in=1
    )
    time.sleep(2)
    late = requests.put(signed["url"], data=b"abc", headers=signed["headers"], timeout=10)
    assert late.status_code == 403
    assert "Request has expired" in late.text
    assert not s3_storage.exists("lessons/6/source/late.mp4")


def test_presigned_get_returns_the_bytes_until_it_expires(s3_storage):
    data = body(100_000)
    key = "lessons/7/hls/360p/seg 000.ts"
    put(s3_storage, key, data)

    url = s3_storage.presigned_get_url(key, 60)
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    assert response.content == data

    tampered = url.replace("lessons/7/", "lessons/8/")
    assert requests.get(tampered, timeout=10).status_code == 403

    # X-Amz-Date has whole seconds, so a 1 s URL may already be stale: only check it late.
    short = s3_storage.presigned_get_url(key, 1)
    time.sleep(2)
    expired = requests.get(short, timeout=10)
    assert expired.status_code == 403
    assert "Request has expired" in expired.text


# Wiring


def test_create_app_binds_the_configured_storage(make_app, s3_server, s3_bucket, tmp_path):
    local = make_app(BACKEND_STORAGE_BACKEND="local", BACKEND_STORAGE_DIR=str(tmp_path))
    assert isinstance(local.extensions["pathshala.storage"], LocalStorage)
    assert local.extensions["pathshala.storage"].root == Path(tmp_path).resolve()

    remote = make_app(**s3_server.settings(s3_bucket))
    storage = remote.extensions["pathshala.storage"]
    assert isinstance(storage, S3Storage)
    put(storage, "avatars/1.webp", b"RIFF")
    assert s3_server.client.get_object(Bucket=s3_bucket, Key="avatars/1.webp")["Body"].read() == (
        b"RIFF"
    )
