"""Bad input gets a 4xx and nothing is kept: no object in storage, the upload rejected."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from pathshala.courses.models import Lesson
from pathshala.extensions import db
from pathshala.uploads import service
from pathshala.uploads.models import LessonAttachment, Upload
from tests import factories
from tests.uploads.helpers import (
    DOCX_TYPE,
    ELF,
    make_jpeg,
    make_zip,
    put,
    sign,
    stored_files,
)


@pytest.fixture
def owner(app):
    return factories.make_user("teacher")


@pytest.fixture
def owner_headers(owner):
    return factories.auth_headers(owner)


@pytest.fixture
def lesson(owner):
    return factories.make_lesson(factories.make_course(owner))


def _sign_ok(client, headers, **fields):
    response = sign(client, headers, **fields)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _row(upload_id: str) -> Upload:
    db.session.expire_all()
    return db.session.get(Upload, uuid.UUID(upload_id))


def _complete(client, headers, upload_id):
    return client.post(f"/api/uploads/{upload_id}/complete", headers=headers)


def _upload_rows() -> int:
    return db.session.query(Upload).count()


# ---- at signing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("purpose", "filename", "content_type", "code", "field"),
    [
        ("lesson_video", "notes.pdf", "application/pdf", "file_type_not_allowed", "filename"),
        ("lesson_video", "clip.mp4", "video/webm", "content_type_mismatch", "content_type"),
        ("lesson_video", "clip", "video/mp4", "file_type_not_allowed", "filename"),
        (
            "attachment",
            "setup.exe",
            "application/octet-stream",
            "file_type_not_allowed",
            "filename",
        ),
        ("attachment", "page.html", "text/html", "file_type_not_allowed", "filename"),
        ("attachment", "notes.pdf", "text/plain", "content_type_mismatch", "content_type"),
        ("attachment", "image.svg", "image/svg+xml", "file_type_not_allowed", "filename"),
        ("thumbnail", "cover.gif", "image/gif", "file_type_not_allowed", "filename"),
        ("avatar", "me.png", "image/jpeg", "content_type_mismatch", "content_type"),
    ],
)
def test_a_type_the_purpose_does_not_allow_is_refused(
    media_client, owner_headers, lesson, purpose, filename, content_type, code, field
):
    target = {"lesson_id": lesson.id} if purpose in ("lesson_video", "attachment") else {}
    if purpose == "thumbnail":
        target = {"course_id": lesson.course_id}

    response = sign(
        media_client,
        owner_headers,
        purpose=purpose,
        filename=filename,
        content_type=content_type,
        size=1000,
        **target,
    )

    assert response.status_code == 422
    assert response.get_json()["code"] == code
    assert field in response.get_json()["fields"]
    assert _upload_rows() == 0


@pytest.mark.parametrize(
    ("purpose", "filename", "content_type", "size"),
    [
        ("lesson_video", "v.mp4", "video/mp4", 2 * 1024**3 + 1),
        ("thumbnail", "t.png", "image/png", 5 * 1024**2 + 1),
        ("avatar", "a.webp", "image/webp", 5 * 1024**2 + 1),
        ("attachment", "a.pdf", "application/pdf", 50 * 1024**2 + 1),
    ],
)
def test_a_file_over_the_purposes_limit_is_refused(
    media_client, owner_headers, lesson, purpose, filename, content_type, size
):
    target = {
        "lesson_video": {"lesson_id": lesson.id},
        "attachment": {"lesson_id": lesson.id},
        "thumbnail": {"course_id": lesson.course_id},
        "avatar": {},
    }[purpose]

    response = sign(
        media_client,
        owner_headers,
        purpose=purpose,
        filename=filename,
        content_type=content_type,
        size=size,
        **target,
    )

    assert response.status_code == 422
    assert response.get_json()["code"] == "file_too_large"
    assert _upload_rows() == 0


def test_the_limits_themselves_are_allowed(media_client, owner_headers, lesson):
    response = sign(
        media_client,
        owner_headers,
        purpose="lesson_video",
        filename="v.mkv",
        content_type="video/x-matroska",
        size=2 * 1024**3,
        lesson_id=lesson.id,
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\system32\\evil.txt", "evil.txt"),
        ("C:\\Users\\me\\notes.txt", "notes.txt"),
        ("/abs/path/notes.txt", "notes.txt"),
        ("bell\x07 and\ttab\nnewline.txt", "bell and tab newline.txt"),
        # The right-to-left override that shows "harmless\u202etxt.exe" as "harmlessexe.txt".
        ("harm\u202eless.txt", "harmless.txt"),
        ("..hidden.txt", "hidden.txt"),
        ("Cafe\u0301 notes.txt", "Caf\u00e9 notes.txt"),  # NFC
        ("x" * 400 + ".txt", "x" * 251 + ".txt"),
    ],
)
def test_file_names_are_sanitised(media_client, owner_headers, lesson, raw, kept):
    body = _sign_ok(
        media_client,
        owner_headers,
        purpose="attachment",
        filename=raw,
        content_type="text/plain",
        size=3,
        lesson_id=lesson.id,
    )

    row = _row(body["upload_id"])
    assert row.filename == kept
    key_dir, key_name = row.storage_key.rsplit("/", 1)
    assert key_dir == f"uploads/{row.id}"
    assert key_name.endswith(".txt") and len(key_name) <= 100
    assert all(char.isascii() and (char.isalnum() or char in "._-") for char in key_name)


@pytest.mark.parametrize("raw", ["../", "\\", "...", "\x01\x02", "   ", "a/b/"])
def test_a_name_that_is_nothing_once_sanitised_is_refused(media_client, owner_headers, lesson, raw):
    response = sign(
        media_client,
        owner_headers,
        purpose="attachment",
        filename=raw,
        content_type="text/plain",
        size=3,
        lesson_id=lesson.id,
    )
    assert response.status_code == 422
    assert _upload_rows() == 0


def test_a_nul_in_the_name_is_refused(media_client, owner_headers, lesson):
    response = sign(
        media_client,
        owner_headers,
        purpose="attachment",
        filename="a\x00.txt",
        content_type="text/plain",
        size=3,
        lesson_id=lesson.id,
    )
    assert response.status_code == 400
    assert _upload_rows() == 0


# ---- who may sign ------------------------------------------------------------------------------


def test_anonymous_callers_are_refused(media_client, lesson):
    response = sign(
        media_client,
        {},
        purpose="avatar",
        filename="me.png",
        content_type="image/png",
        size=10,
    )
    assert response.status_code == 401
    assert _upload_rows() == 0


@pytest.mark.parametrize("enrolled", [False, True])
def test_a_student_cannot_sign_a_lesson_video(media_client, lesson, enrolled):
    student = factories.make_user("student")
    if enrolled:
        factories.enroll(student, lesson.course)

    response = sign(
        media_client,
        factories.auth_headers(student),
        purpose="lesson_video",
        filename="v.mp4",
        content_type="video/mp4",
        size=10,
        lesson_id=lesson.id,
    )

    assert response.status_code == 403
    assert _upload_rows() == 0


@pytest.mark.parametrize("role", ["teacher", "instructor"])
def test_another_author_cannot_sign_for_someone_elses_lesson_or_course(media_client, lesson, role):
    other = factories.auth_headers(factories.make_user(role))

    video = sign(
        media_client,
        other,
        purpose="lesson_video",
        filename="v.mp4",
        content_type="video/mp4",
        size=10,
        lesson_id=lesson.id,
    )
    attachment = sign(
        media_client,
        other,
        purpose="attachment",
        filename="a.pdf",
        content_type="application/pdf",
        size=10,
        lesson_id=lesson.id,
    )
    thumbnail = sign(
        media_client,
        other,
        purpose="thumbnail",
        filename="t.png",
        content_type="image/png",
        size=10,
        course_id=lesson.course_id,
    )

    assert [r.status_code for r in (video, attachment, thumbnail)] == [403, 403, 403]
    assert video.get_json()["code"] == "not_course_owner"
    assert _upload_rows() == 0


def test_unknown_lesson_or_course_is_404(media_client, owner_headers):
    video = sign(
        media_client,
        owner_headers,
        purpose="lesson_video",
        filename="v.mp4",
        content_type="video/mp4",
        size=10,
        lesson_id=uuid.uuid4(),
    )
    thumbnail = sign(
        media_client,
        owner_headers,
        purpose="thumbnail",
        filename="t.png",
        content_type="image/png",
        size=10,
        course_id=uuid.uuid4(),
    )
    assert (video.status_code, thumbnail.status_code) == (404, 404)


def test_the_target_must_suit_the_purpose(media_client, owner_headers, lesson):
    no_lesson = sign(
        media_client,
        owner_headers,
        purpose="lesson_video",
        filename="v.mp4",
        content_type="video/mp4",
        size=10,
    )
    avatar_for_course = sign(
        media_client,
        owner_headers,
        purpose="avatar",
        filename="a.png",
        content_type="image/png",
        size=10,
        course_id=lesson.course_id,
    )
    assert (no_lesson.status_code, avatar_for_course.status_code) == (422, 422)
    assert "lesson_id" in no_lesson.get_json()["fields"]


# ---- at the upload URL -------------------------------------------------------------------------


@pytest.fixture
def signed_txt(media_client, owner_headers, lesson):
    """A signed 100-byte text attachment."""
    return _sign_ok(
        media_client,
        owner_headers,
        purpose="attachment",
        filename="notes.txt",
        content_type="text/plain",
        size=100,
        lesson_id=lesson.id,
    )


def test_a_short_body_is_refused_and_nothing_is_kept(media_client, signed_txt, storage_dir):
    response = put(media_client, signed_txt, b"a" * 99)

    assert response.status_code == 400
    assert response.get_json()["code"] == "upload_incomplete"
    assert stored_files(storage_dir) == []
    assert _row(signed_txt["upload_id"]).status == "rejected"


def test_a_long_body_is_refused_and_nothing_is_kept(media_client, signed_txt, storage_dir):
    response = put(media_client, signed_txt, b"a" * 101)

    assert response.status_code == 413
    assert response.get_json()["code"] == "upload_too_large"
    assert stored_files(storage_dir) == []
    assert _row(signed_txt["upload_id"]).status == "rejected"


class CountingStream(io.BytesIO):
    """A request body that remembers how much of it the app read."""

    consumed = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.consumed += len(chunk)
        return chunk

    def readinto(self, buffer) -> int:
        count = super().readinto(buffer)
        self.consumed += count
        return count


def _put_chunked(client, signed, stream):
    """A body without Content-Length (chunked), behind a server that ends the stream."""
    return client.put(
        signed["url"],
        input_stream=stream,
        headers=signed["headers"],
        environ_overrides={"wsgi.input_terminated": True, "HTTP_TRANSFER_ENCODING": "chunked"},
    )


@pytest.mark.parametrize("sent", [100 + 1, 100 + 5 * 1024 * 1024])
def test_a_streamed_body_without_a_length_stops_one_byte_past_the_signed_size(
    media_client, signed_txt, storage_dir, sent
):
    """The bytes are counted as they arrive and the write is abandoned one byte past the
    signed size, whatever the headers said."""
    body = CountingStream(b"a" * sent)

    response = _put_chunked(media_client, signed_txt, body)

    assert response.status_code == 413, response.get_json()
    assert response.get_json()["code"] == "upload_too_large"
    assert stored_files(storage_dir) == []
    assert _row(signed_txt["upload_id"]).status == "rejected"
    # Read no further than needed: the signed size and one byte more.
    assert body.consumed == 101


def test_a_streamed_body_of_the_right_size_is_kept(media_client, signed_txt, storage):
    response = _put_chunked(media_client, signed_txt, CountingStream(b"a" * 100))

    assert response.status_code == 200, response.get_json()
    assert storage.size(_row(signed_txt["upload_id"]).storage_key) == 100


def test_a_streamed_body_that_ends_early_is_refused(media_client, signed_txt, storage_dir):
    response = _put_chunked(media_client, signed_txt, CountingStream(b"a" * 60))

    assert response.status_code == 400
    assert stored_files(storage_dir) == []
    assert _row(signed_txt["upload_id"]).status == "rejected"


def test_a_big_declared_body_is_refused_before_a_byte_is_read(
    media_client, signed_txt, storage_dir
):
    """Content-Length past the signed size (and past BACKEND_MAX_REQUEST_BYTES): the
    upload's own 413, not the app-wide one, and the URL is used up."""
    response = put(media_client, signed_txt, b"a" * (5 * 1024 * 1024))

    assert response.status_code == 413
    assert response.get_json()["code"] == "upload_too_large"
    assert stored_files(storage_dir) == []
    assert _row(signed_txt["upload_id"]).status == "rejected"


def test_an_upload_url_works_once(media_client, signed_txt, storage):
    first = put(media_client, signed_txt, b"a" * 100)
    second = put(media_client, signed_txt, b"b" * 100)

    assert first.status_code == 200
    assert second.status_code == 409
    assert second.get_json()["code"] == "upload_url_used"
    key = _row(signed_txt["upload_id"]).storage_key
    assert storage.local_path(key).read_bytes() == b"a" * 100


def test_a_failed_upload_url_cannot_be_retried(media_client, signed_txt, storage_dir):
    assert put(media_client, signed_txt, b"a" * 10).status_code == 400
    assert put(media_client, signed_txt, b"a" * 100).status_code == 409
    assert stored_files(storage_dir) == []


def test_an_expired_upload_url_is_gone(media_client, signed_txt, storage_dir, monkeypatch):
    later = service._now() + timedelta(seconds=service.UPLOAD_URL_TTL_SECONDS + 1)
    monkeypatch.setattr(service, "_now", lambda: later)

    response = put(media_client, signed_txt, b"a" * 100)

    assert response.status_code == 410
    assert response.get_json()["code"] == "upload_url_expired"
    assert stored_files(storage_dir) == []


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return parts._replace(query=urlencode(query)).geturl()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda s: _with_query(s["url"], signature="0" * 64),
        lambda s: _with_query(s["url"], signature=""),
        lambda s: _with_query(s["url"], expires=str(int(_query(s, "expires")) + 3600)),
        lambda s: s["url"].replace(s["upload_id"], str(uuid.uuid4())),
    ],
    ids=["signature", "empty-signature", "expiry", "upload-id"],
)
def test_a_tampered_upload_url_is_refused(media_client, signed_txt, storage_dir, tamper):
    response = media_client.put(tamper(signed_txt), data=b"a" * 100, headers=signed_txt["headers"])

    assert response.status_code in (403, 422)
    if response.status_code == 403:
        assert response.get_json()["code"] == "invalid_signature"
    assert stored_files(storage_dir) == []
    assert _row(signed_txt["upload_id"]).received_at is None


def _query(signed, name):
    return parse_qs(urlsplit(signed["url"]).query)[name][0]


def test_the_signed_content_type_must_be_sent(media_client, signed_txt, storage_dir):
    response = media_client.put(
        signed_txt["url"], data=b"a" * 100, headers={"Content-Type": "application/x-msdownload"}
    )
    assert response.status_code == 422
    assert response.get_json()["code"] == "content_type_mismatch"
    # Not used up: the right request still works.
    assert put(media_client, signed_txt, b"a" * 100).status_code == 200


def test_the_upload_url_does_not_exist_with_s3_storage(s3_app, signed_txt):
    client = s3_app.test_client()
    response = client.put(signed_txt["url"], data=b"a" * 100, headers=signed_txt["headers"])
    assert response.status_code == 404


# ---- at complete -------------------------------------------------------------------------------


def _send(client, headers, data, **fields):
    signed = _sign_ok(client, headers, size=len(data), **fields)
    assert put(client, signed, data).status_code == 200
    return signed


def test_a_renamed_executable_is_rejected_and_deleted(
    media_client, owner_headers, lesson, storage_dir, jobs_recorder
):
    signed = _send(
        media_client,
        owner_headers,
        ELF,
        purpose="lesson_video",
        filename="lecture.mp4",
        content_type="video/mp4",
        lesson_id=lesson.id,
    )

    response = _complete(media_client, owner_headers, signed["upload_id"])

    assert response.status_code == 422
    assert response.get_json()["code"] == "file_content_mismatch"
    assert stored_files(storage_dir) == []
    row = _row(signed["upload_id"])
    assert row.status == "rejected" and "not that of a .mp4" in row.rejection_reason
    assert db.session.get(Lesson, lesson.id).video_upload_id is None
    assert jobs_recorder.calls == []
    # Asking again gives the same refusal.
    again = _complete(media_client, owner_headers, signed["upload_id"])
    assert again.status_code == 422


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [("lecture.mp4", "video/mp4"), ("lecture.mkv", "video/x-matroska")],
)
def test_a_file_with_the_right_magic_but_no_video_is_rejected_by_ffprobe(
    media_client, owner_headers, lesson, storage_dir, filename, content_type
):
    magic = b"\x00\x00\x00\x18ftypisom" if filename.endswith(".mp4") else b"\x1a\x45\xdf\xa3"
    signed = _send(
        media_client,
        owner_headers,
        magic + ELF * 4,
        purpose="lesson_video",
        filename=filename,
        content_type=content_type,
        lesson_id=lesson.id,
    )

    response = _complete(media_client, owner_headers, signed["upload_id"])

    assert response.status_code == 422
    assert response.get_json()["code"] == "video_unreadable"
    assert stored_files(storage_dir) == []


@pytest.mark.parametrize(
    ("filename", "content_type", "data", "purpose"),
    [
        ("slides.pdf", "application/pdf", ELF, "attachment"),
        ("notes.txt", "text/plain", b"caf\xe9 latin-1\n", "attachment"),
        ("notes.txt", "text/plain", b"abc" + b"\x00" * 70 + b"def", "attachment"),
        ("report.docx", DOCX_TYPE, make_zip({"a.txt": b"just a zip"}), "attachment"),
        ("code.zip", "application/zip", b"PK\x03\x04" + b"\x00" * 100, "attachment"),
        ("cover.png", "image/png", make_jpeg(10, 10), "thumbnail"),
        ("cover.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 300, "thumbnail"),
        ("me.webp", "image/webp", b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 50, "avatar"),
    ],
    ids=[
        "pdf-is-elf",
        "txt-latin-1",
        "txt-nul",
        "docx-plain-zip",
        "zip-header-only",
        "png-is-jpeg",
        "jpeg-broken",
        "webp-broken",
    ],
)
def test_content_that_is_not_what_it_claims_is_rejected_and_deleted(
    media_client, owner_headers, lesson, storage_dir, filename, content_type, data, purpose
):
    target = {
        "attachment": {"lesson_id": lesson.id},
        "thumbnail": {"course_id": lesson.course_id},
        "avatar": {},
    }[purpose]
    signed = _send(
        media_client,
        owner_headers,
        data,
        purpose=purpose,
        filename=filename,
        content_type=content_type,
        **target,
    )

    response = _complete(media_client, owner_headers, signed["upload_id"])

    assert response.status_code == 422, response.get_json()
    assert stored_files(storage_dir) == []
    assert _row(signed["upload_id"]).status == "rejected"
    assert db.session.query(LessonAttachment).count() == 0


def test_complete_before_the_bytes_arrive_keeps_the_upload_open(
    media_client, owner_headers, signed_txt
):
    early = _complete(media_client, owner_headers, signed_txt["upload_id"])

    assert early.status_code == 422
    assert early.get_json()["code"] == "upload_not_received"
    assert _row(signed_txt["upload_id"]).status == "signed"
    assert put(media_client, signed_txt, b"a" * 100).status_code == 200
    assert _complete(media_client, owner_headers, signed_txt["upload_id"]).status_code == 200


def test_someone_elses_upload_cannot_be_completed(media_client, signed_txt):
    assert put(media_client, signed_txt, b"a" * 100).status_code == 200
    for role in ("student", "teacher", "admin"):
        stranger = factories.auth_headers(factories.make_user(role))
        response = _complete(media_client, stranger, signed_txt["upload_id"])
        assert response.status_code == 404, role
    assert _row(signed_txt["upload_id"]).status == "uploaded"


def test_complete_of_an_unknown_upload_is_404_and_anonymous_is_401(media_client, owner_headers):
    assert _complete(media_client, owner_headers, uuid.uuid4()).status_code == 404
    assert _complete(media_client, {}, uuid.uuid4()).status_code == 401


def test_an_author_who_lost_the_course_cannot_complete(media_client, owner_headers, signed_txt):
    assert put(media_client, signed_txt, b"a" * 100).status_code == 200
    row = _row(signed_txt["upload_id"])
    course = db.session.get(Lesson, row.lesson_id).course
    course.instructor_id = factories.make_user("teacher").id
    db.session.commit()

    response = _complete(media_client, owner_headers, signed_txt["upload_id"])

    assert response.status_code == 403
    assert db.session.query(LessonAttachment).count() == 0
