"""Signed playback: who gets a video link, and what a link opens (app, S3 and nginx)."""

from __future__ import annotations

import os
import posixpath
import pwd
import shutil
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

from pathshala.enrollments import service as enrollments
from pathshala.extensions import db
from pathshala.media import playback
from pathshala.security import content_security_policy
from pathshala.settings import REPO_DIR
from tests.factories import enroll, make_course, make_lesson

NGINX = "/usr/sbin/nginx"
DEPLOY_DIR = REPO_DIR / "deploy"
MASTER = (
    "#EXTM3U\n"
    "#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360\n360p/index.m3u8\n"
    "#EXT-X-STREAM-INF:BANDWIDTH=2800000,RESOLUTION=1280x720\n720p/index.m3u8\n"
)
VARIANT = (
    "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-PLAYLIST-TYPE:VOD\n"
    "#EXTINF:6.0,\nseg_00001.ts\n#EXTINF:6.0,\nseg_00002.ts\n#EXT-X-ENDLIST\n"
)


def segment_bytes(rendition: str, number: int) -> bytes:
    # MPEG-TS packets start with the sync byte 0x47; the rest tells the files apart.
    return (b"\x47" + f"{rendition}-{number}".encode()).ljust(188, b"\xff") * 20


# ---- setup --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def media_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def media_app(make_app, media_dir):
    return make_app(BACKEND_STORAGE_DIR=str(media_dir))


@pytest.fixture
def media_client(media_app):
    return media_app.test_client()


def write_hls(storage, lesson, version: str = "v1") -> str:
    """A small, fake HLS tree for the lesson (as the transcoder leaves it); the lesson ready."""
    directory = f"lessons/{lesson.id}/hls/{version}"
    files = {f"{directory}/master.m3u8": MASTER.encode(), f"{directory}/poster.jpg": b"\xff\xd8jpg"}
    for rendition in ("360p", "720p"):
        files[f"{directory}/{rendition}/index.m3u8"] = VARIANT.encode()
        for number in (1, 2):
            files[f"{directory}/{rendition}/seg_0000{number}.ts"] = segment_bytes(rendition, number)
    for key, data in files.items():
        with storage.open_write(key) as out:
            out.write(data)
    lesson.video_status = "ready"
    lesson.video_hls_key = f"{directory}/master.m3u8"
    lesson.video_poster_key = f"{directory}/poster.jpg"
    db.session.commit()
    return directory


@pytest.fixture
def course(make_user):
    return make_course(make_user("teacher"), price=49900)


@pytest.fixture
def lesson(media_app, course):
    lesson = make_lesson(course)
    write_hls(media_app.extensions["pathshala.storage"], lesson)
    return lesson


@pytest.fixture
def student(make_user, course):
    user = make_user("student")
    enroll(user, course, source="manual")
    return user


def video_url(client, lesson, headers) -> dict:
    response = client.get(f"/api/lessons/{lesson.id}/video-url", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def sibling(url: str, relative: str) -> str:
    return posixpath.join(posixpath.dirname(url), relative)


def link_parts(url: str) -> list[str]:
    """["", "media", "s", token, expires, user_id, "lessons", ...]"""
    return url.split("/")


def secret_of(app) -> str:
    return playback.media_secret(app.extensions["pathshala.settings"])


# ---- who gets a link ----------------------------------------------------------------------


def test_an_enrolled_student_gets_a_link_bound_to_them(media_client, lesson, student, auth_headers):
    before = int(time.time())
    body = video_url(media_client, lesson, auth_headers(student))

    assert body["type"] == "application/vnd.apple.mpegurl"
    parts = link_parts(body["url"])
    assert parts[1:3] == ["media", "s"]
    assert parts[5] == str(student.id)
    assert body["url"].endswith(f"/lessons/{lesson.id}/hls/v1/master.m3u8")
    assert body["poster_url"] == body["url"].removesuffix("master.m3u8") + "poster.jpg"
    poster = media_client.get(body["poster_url"])
    assert poster.status_code == 200 and poster.mimetype == "image/jpeg"
    expires = int(parts[4])
    assert before + 300 <= expires <= int(time.time()) + 300
    assert body["expires_at"].startswith(time.strftime("%Y-%m-%dT%H:%M", time.gmtime(expires)))


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_the_owner_and_admins_get_a_link(
    media_client, lesson, course, make_user, auth_headers, who
):
    user = course.instructor if who == "owner" else make_user("admin")
    assert video_url(media_client, lesson, auth_headers(user))["url"].startswith("/media/s/")


def test_a_free_preview_plays_for_any_logged_in_user(
    media_app, media_client, course, make_user, auth_headers
):
    preview = make_lesson(course, is_free_preview=True)
    write_hls(media_app.extensions["pathshala.storage"], preview)
    stranger = make_user("student")

    body = video_url(media_client, preview, auth_headers(stranger))
    assert media_client.get(body["url"]).status_code == 200
    assert media_client.get(f"/api/lessons/{preview.id}/video-url").status_code == 401


def test_anonymous_gets_401(media_client, lesson):
    response = media_client.get(f"/api/lessons/{lesson.id}/video-url")
    assert response.status_code == 401
    assert media_client.get(f"/content/video/{lesson.id}").status_code == 401


def test_a_student_who_is_not_enrolled_gets_403(media_client, lesson, make_user, auth_headers):
    headers = auth_headers(make_user("student"))
    response = media_client.get(f"/api/lessons/{lesson.id}/video-url", headers=headers)

    assert response.status_code == 403
    assert response.get_json()["code"] == "not_enrolled"
    assert media_client.get(f"/content/video/{lesson.id}", headers=headers).status_code == 403


def test_another_teacher_gets_403(media_client, lesson, make_user, auth_headers):
    headers = auth_headers(make_user("teacher"))
    response = media_client.get(f"/api/lessons/{lesson.id}/video-url", headers=headers)
    assert response.status_code == 403


def test_a_revoked_enrollment_gets_403(media_client, lesson, student, course, auth_headers):
    headers = auth_headers(student)
    video_url(media_client, lesson, headers)
    enrollments.revoke(enrollments.active_enrollment(student.id, course.id))
    db.session.commit()

    response = media_client.get(f"/api/lessons/{lesson.id}/video-url", headers=headers)
    assert response.status_code == 403
    assert response.get_json()["code"] == "not_enrolled"


def test_unknown_lessons_and_hidden_courses_are_404(
    media_client, make_user, auth_headers, media_app
):
    headers = auth_headers(make_user("student"))
    response = media_client.get(f"/api/lessons/{uuid.uuid4()}/video-url", headers=headers)
    assert response.status_code == 404
    assert response.get_json()["code"] == "lesson_not_found"

    draft = make_course(is_published=False)
    preview = make_lesson(draft, is_free_preview=True)
    write_hls(media_app.extensions["pathshala.storage"], preview)
    response = media_client.get(f"/api/lessons/{preview.id}/video-url", headers=headers)
    assert response.status_code == 404


@pytest.mark.parametrize("status", [None, "pending", "processing", "failed"])
def test_a_lesson_without_a_ready_video_is_409(media_client, course, student, auth_headers, status):
    lesson = make_lesson(course, video_status=status)
    response = media_client.get(
        f"/api/lessons/{lesson.id}/video-url", headers=auth_headers(student)
    )

    assert response.status_code == 409
    assert response.get_json()["code"] == "video_not_ready"


def test_not_enrolled_is_answered_before_the_video_state(
    media_client, course, make_user, auth_headers
):
    lesson = make_lesson(course, video_status="failed")
    headers = auth_headers(make_user("student"))
    assert (
        media_client.get(f"/api/lessons/{lesson.id}/video-url", headers=headers).status_code == 403
    )


def test_content_video_redirects_to_a_valid_signed_link(
    media_app, media_client, lesson, student, auth_headers
):
    response = media_client.get(f"/content/video/{lesson.id}", headers=auth_headers(student))

    assert response.status_code == 302
    location = response.headers["Location"]
    _, _, _, token, expires, user_id, *rest = link_parts(location)
    key = playback.check_link(token, expires, user_id, "/".join(rest), secret_of(media_app))
    assert key == lesson.video_hls_key and user_id == str(student.id)
    assert media_client.get(location).data == MASTER.encode()


# ---- what a link opens --------------------------------------------------------------------


def test_a_link_opens_the_master_variants_segments_and_poster(
    media_client, lesson, student, auth_headers
):
    url = video_url(media_client, lesson, auth_headers(student))["url"]

    master = media_client.get(url)
    assert master.status_code == 200
    assert master.mimetype == "application/vnd.apple.mpegurl"
    assert master.data == MASTER.encode()
    assert "private" in master.headers["Cache-Control"]
    assert "max-age=60" in master.headers["Cache-Control"]

    variant_url = sibling(url, "720p/index.m3u8")
    variant = media_client.get(variant_url)
    assert variant.status_code == 200 and variant.data == VARIANT.encode()

    segment = media_client.get(sibling(variant_url, "seg_00002.ts"))
    assert segment.status_code == 200
    assert segment.mimetype == "video/mp2t"
    assert segment.data == segment_bytes("720p", 2)

    partial = media_client.get(sibling(variant_url, "seg_00001.ts"), headers={"Range": "bytes=0-9"})
    assert partial.status_code == 206 and partial.data == segment_bytes("720p", 1)[:10]

    poster = media_client.get(sibling(url, "poster.jpg"))
    assert poster.status_code == 200 and poster.mimetype == "image/jpeg"


def test_a_link_needs_no_session(media_app, lesson, student, auth_headers, media_client):
    url = video_url(media_client, lesson, auth_headers(student))["url"]
    # hls.js fetches segments with no Authorization header; the link is the credential.
    assert media_app.test_client().get(url).status_code == 200


def test_a_missing_file_under_the_directory_is_404(media_client, lesson, student, auth_headers):
    url = video_url(media_client, lesson, auth_headers(student))["url"]
    response = media_client.get(sibling(url, "360p/seg_09999.ts"))
    assert response.status_code == 404


def tampered(url: str, index: int, value: str) -> str:
    parts = link_parts(url)
    parts[index] = value
    return "/".join(parts)


def test_a_tampered_token_is_403(media_client, lesson, student, auth_headers):
    url = video_url(media_client, lesson, auth_headers(student))["url"]
    token = link_parts(url)[3]
    flipped = ("A" if token[0] != "A" else "B") + token[1:]

    for bad in (tampered(url, 3, flipped), tampered(url, 3, token[:-1]), tampered(url, 3, "x")):
        response = media_client.get(bad)
        assert response.status_code == 403
        assert response.get_json()["code"] == "bad_media_link"


def test_another_users_id_in_the_path_is_403(
    media_client, lesson, student, make_user, auth_headers
):
    url = video_url(media_client, lesson, auth_headers(student))["url"]
    other = make_user("student")
    assert media_client.get(tampered(url, 5, str(other.id))).status_code == 403


def test_a_later_expiry_in_the_path_is_403(media_client, lesson, student, auth_headers):
    url = video_url(media_client, lesson, auth_headers(student))["url"]
    later = str(int(link_parts(url)[4]) + 3600)
    assert media_client.get(tampered(url, 4, later)).status_code == 403


def test_an_expired_link_is_410(media_app, media_client, lesson, student):
    directory = posixpath.dirname(lesson.video_hls_key)
    expired = playback.signed_path(
        directory, "master.m3u8", str(student.id), int(time.time()) - 1, secret_of(media_app)
    )
    response = media_client.get(expired)

    assert response.status_code == 410
    assert response.get_json()["code"] == "media_link_expired"
    # Forged and expired is still forged.
    assert media_client.get(tampered(expired, 3, "A" * 22)).status_code == 403


def test_an_issued_link_expires_after_the_ttl(
    media_client, lesson, student, auth_headers, monkeypatch
):
    url = video_url(media_client, lesson, auth_headers(student))["url"]
    expires = int(link_parts(url)[4])

    monkeypatch.setattr(time, "time", lambda: expires + 0.5)
    assert media_client.get(url).status_code == 200  # nginx too: expired only after the second
    monkeypatch.setattr(time, "time", lambda: expires + 1.0)
    assert media_client.get(url).status_code == 410


@pytest.mark.parametrize(
    "escape",
    [
        "../../../../../../etc/passwd",
        "360p/../../v2/master.m3u8",
        "%2e%2e/%2e%2e/v2/master.m3u8",
        "360p/..%2f..%2fmaster.m3u8",
        "./master.m3u8",
        "360p//index.m3u8",
        "master.m3u8.bak",
        ".partial-master.m3u8",
    ],
)
def test_paths_outside_the_signed_directory_are_refused(
    media_client, lesson, student, auth_headers, escape
):
    url = video_url(media_client, lesson, auth_headers(student))["url"]
    response = media_client.get(sibling(url, escape))
    assert response.status_code in (403, 404)
    assert response.data != MASTER.encode()


def test_a_link_does_not_open_another_lessons_directory(
    media_app, media_client, lesson, course, student, auth_headers
):
    other = make_lesson(course, position=2)
    other_directory = write_hls(media_app.extensions["pathshala.storage"], other)
    url = video_url(media_client, lesson, auth_headers(student))["url"]
    own_directory = posixpath.dirname(lesson.video_hls_key)

    foreign = url.replace(own_directory, other_directory)
    assert foreign != url
    assert media_client.get(foreign).status_code == 403
    # Nor another version of its own lesson.
    assert media_client.get(url.replace("/hls/v1/", "/hls/v2/")).status_code == 403


def test_media_accel_hands_the_file_to_nginx(make_app, media_dir, lesson, student, auth_headers):
    accel_app = make_app(BACKEND_STORAGE_DIR=str(media_dir), BACKEND_MEDIA_ACCEL="1")
    client = accel_app.test_client()
    url = video_url(client, lesson, auth_headers(student))["url"]
    segment = sibling(url, "360p/seg_00001.ts")

    response = client.get(segment)
    assert response.status_code == 200
    directory = posixpath.dirname(lesson.video_hls_key)
    assert response.headers["X-Accel-Redirect"] == f"/protected-media/{directory}/360p/seg_00001.ts"
    assert response.data == b""
    assert response.mimetype == "video/mp2t"
    assert "private" in response.headers["Cache-Control"]
    # The check still comes first.
    assert client.get(tampered(segment, 3, "A" * 22)).status_code == 403
    assert "X-Accel-Redirect" not in client.get(tampered(segment, 3, "A" * 22)).headers


def test_the_token_is_the_documented_md5():
    import base64
    import hashlib

    directory = f"lessons/{uuid.uuid4()}/hls/v1"
    user_id = str(uuid.uuid4())
    text = f"1900000000/{user_id}/{directory} s3cret"
    expected = (
        base64.urlsafe_b64encode(hashlib.md5(text.encode(), usedforsecurity=False).digest())
        .decode()
        .rstrip("=")
    )

    assert playback.link_token(directory, user_id, 1900000000, "s3cret") == expected
    assert len(expected) == 22


# ---- S3: playlists through the app, segments from the bucket -------------------------------


def test_with_s3_segments_are_presigned_bucket_urls(
    make_app, s3_server, s3_bucket, course, student, auth_headers
):
    s3_app = make_app(**s3_server.settings(s3_bucket))
    client = s3_app.test_client()
    lesson = make_lesson(course)
    write_hls(s3_app.extensions["pathshala.storage"], lesson)
    url = video_url(client, lesson, auth_headers(student))["url"]

    master = client.get(url)
    assert master.status_code == 200 and master.mimetype == "application/vnd.apple.mpegurl"
    uris = [line for line in master.get_data(as_text=True).splitlines() if not line.startswith("#")]
    assert uris == ["360p/index.m3u8", "720p/index.m3u8"]  # variants stay relative

    variant = client.get(sibling(url, uris[0]))
    assert variant.status_code == 200
    lines = variant.get_data(as_text=True).splitlines()
    segments = [line for line in lines if line and not line.startswith("#")]
    assert len(segments) == 2 and all(s.startswith(s3_server.url) for s in segments)
    assert all("X-Amz-Signature=" in s and "X-Amz-Expires=300" in s for s in segments)
    assert [line for line in lines if line.startswith("#")] == [
        line for line in VARIANT.splitlines() if line.startswith("#")
    ]
    fetched = requests.get(segments[1], timeout=10)
    assert fetched.status_code == 200 and fetched.content == segment_bytes("360p", 2)

    poster = client.get(sibling(url, "poster.jpg"))
    assert poster.status_code == 302
    assert requests.get(poster.headers["Location"], timeout=10).content == b"\xff\xd8jpg"

    assert client.get(tampered(url, 3, "A" * 22)).status_code == 403


# ---- nginx: deploy/nginx.conf with deploy/nginx-media.conf, for real -----------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"deploy/nginx.conf no longer has {old!r}: update this test"
    return text.replace(old, new)


@pytest.fixture(scope="module")
def nginx(media_app, media_dir, tmp_path_factory):
    """Debian's nginx running deploy/nginx.conf (its media snippet rendered as the image's
    template step does), with the app, in a thread, as its upstream."""
    if not os.path.exists(NGINX):
        pytest.skip(f"{NGINX} is not installed (make media-tools)")
    prefix = tmp_path_factory.mktemp("nginx")
    for name in ("html", "client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / name).mkdir()

    api = make_server("127.0.0.1", 0, media_app, threaded=True)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    port = _free_port()

    media_app_settings = media_app.extensions["pathshala.settings"]
    snippet = (DEPLOY_DIR / "nginx-media.conf").read_text()
    snippet = snippet.replace("${PATHSHALA_MEDIA_SECRET}", secret_of(media_app))
    snippet = snippet.replace("${PATHSHALA_MEDIA_ROOT}", str(media_dir))
    assert "${" not in snippet
    (prefix / "media.conf").write_text(snippet)

    site = (DEPLOY_DIR / "nginx.conf").read_text()
    site = _replace_once(site, "server api:5000;", f"server 127.0.0.1:{api.server_port};")
    site = _replace_once(
        site, "listen 80 default_server;", f"listen 127.0.0.1:{port} default_server;"
    )
    site = _replace_once(site, "root /usr/share/nginx/html;", f"root {prefix / 'html'};")
    site = _replace_once(
        site, "include /etc/nginx/pathshala/media.conf;", f"include {prefix / 'media.conf'};"
    )
    # The SPA's security headers, rendered as the image does from `flask security csp`.
    headers = (DEPLOY_DIR / "nginx-headers.conf").read_text()
    headers = headers.replace("${PATHSHALA_CSP}", content_security_policy(media_app_settings))
    assert "${" not in headers
    (prefix / "headers.conf").write_text(headers)
    include_headers = "include /etc/nginx/pathshala/headers.conf;"
    assert site.count(include_headers) == 3, "update this test: where nginx.conf adds headers"
    site = site.replace(include_headers, f"include {prefix / 'headers.conf'};")
    (prefix / "html" / "index.html").write_text("<!doctype html><title>Pathshala</title>")
    (prefix / "site.conf").write_text(site)
    (prefix / "nginx.conf").write_text(
        # Workers run as this user (ignored, with a notice, when not root): the tmp dirs are 0700.
        f"user {pwd.getpwuid(os.getuid()).pw_name};\n"
        "worker_processes 1;\n"
        f"pid {prefix / 'nginx.pid'};\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n"
        "    access_log off;\n"
        + "".join(
            f"    {name}_temp_path {prefix / name};\n"
            for name in ("proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"    client_body_temp_path {prefix / 'client_body'};\n"
        f"    include {prefix / 'site.conf'};\n"
        "}\n"
    )
    command = [
        NGINX,
        "-p",
        str(prefix),
        "-e",
        str(prefix / "error.log"),
        "-c",
        str(prefix / "nginx.conf"),
    ]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)  # noqa: S603 (fixed)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(  # noqa: S603 (a fixed command line)
        [*command, "-g", "daemon off;"], stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
            time.sleep(0.05)
    yield base
    process.terminate()
    process.wait(timeout=10)
    api.shutdown()
    shutil.rmtree(prefix, ignore_errors=True)


def test_nginx_serves_the_spa_with_the_apps_security_headers(nginx, media_app):
    page = requests.get(nginx + "/learn/some-course", timeout=10)

    assert page.status_code == 200 and "Pathshala" in page.text
    assert page.headers["Content-Security-Policy"] == content_security_policy(
        media_app.extensions["pathshala.settings"]
    )
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    # Proxied answers keep the app's own headers, once.
    api = requests.get(nginx + "/api/config", timeout=10)
    assert api.headers["X-Frame-Options"] == "DENY"
    assert "," not in api.headers["Content-Security-Policy"]  # not sent twice


def test_nginx_serves_valid_links_from_disk(
    nginx, media_app, media_client, lesson, student, auth_headers
):
    url = video_url(media_client, lesson, auth_headers(student))["url"]

    master = requests.get(nginx + url, timeout=10)
    assert master.status_code == 200
    assert master.content == MASTER.encode()
    assert master.headers["Content-Type"] == "application/vnd.apple.mpegurl"
    assert master.headers["Cache-Control"] == "private, max-age=60"

    segment = requests.get(nginx + sibling(url, "720p/seg_00001.ts"), timeout=10)
    assert segment.status_code == 200
    assert segment.headers["Content-Type"] == "video/mp2t"
    assert segment.content == segment_bytes("720p", 1)


def test_nginx_refuses_tampered_and_other_users_links(
    nginx, media_client, lesson, student, make_user, auth_headers
):
    url = video_url(media_client, lesson, auth_headers(student))["url"]
    token = link_parts(url)[3]
    flipped = ("A" if token[0] != "A" else "B") + token[1:]

    assert requests.get(nginx + tampered(url, 3, flipped), timeout=10).status_code == 403
    assert (
        requests.get(nginx + tampered(url, 5, str(make_user().id)), timeout=10).status_code == 403
    )
    later = str(int(link_parts(url)[4]) + 3600)
    assert requests.get(nginx + tampered(url, 4, later), timeout=10).status_code == 403


def test_nginx_answers_410_for_an_expired_link(nginx, media_app, lesson, student):
    expired = playback.signed_path(
        posixpath.dirname(lesson.video_hls_key),
        "360p/seg_00001.ts",
        str(student.id),
        int(time.time()) - 5,
        secret_of(media_app),
    )
    assert requests.get(nginx + expired, timeout=10).status_code == 410


def test_nginx_refuses_another_lessons_files_and_hides_protected_media(
    nginx, media_app, media_client, lesson, course, student, auth_headers
):
    other = make_lesson(course, position=2)
    other_directory = write_hls(media_app.extensions["pathshala.storage"], other)
    url = video_url(media_client, lesson, auth_headers(student))["url"]
    foreign = url.replace(posixpath.dirname(lesson.video_hls_key), other_directory)
    assert requests.get(nginx + foreign, timeout=10).status_code == 403
    # nginx resolves ".." before matching, so the signed directory is the one really read.
    climb = sibling(url, f"../../../../{other_directory}/master.m3u8")
    assert requests.get(nginx + climb, timeout=10).status_code in (403, 404)
    # The X-Accel-Redirect target is internal only.
    direct = f"/protected-media/{lesson.video_hls_key}"
    assert requests.get(nginx + direct, timeout=10).status_code == 404


def test_nginx_passes_files_it_does_not_have_to_the_app(
    nginx, media_client, lesson, student, auth_headers
):
    url = video_url(media_client, lesson, auth_headers(student))["url"]
    # Not on nginx's disk (as with S3 storage): the app answers, after its own check.
    missing = requests.get(nginx + sibling(url, "360p/seg_09999.ts"), timeout=10)
    assert missing.status_code == 404
    assert missing.json()["code"] == "media_not_found"
