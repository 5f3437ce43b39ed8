"""sign → PUT to the app's own URL → complete, for every purpose, with real files."""

from __future__ import annotations

import hashlib
import io
import uuid

import pytest
from PIL import Image

from pathshala.courses.models import Course, Lesson
from pathshala.extensions import db
from pathshala.uploads.models import LessonAttachment, Upload
from pathshala.uploads.service import TRANSCODE_JOB
from pathshala.users.models import User
from tests import factories
from tests.uploads.helpers import (
    DOCX_TYPE,
    make_docx,
    make_jpeg,
    make_pdf,
    make_png,
    make_zip,
    put,
    sign,
    stored_files,
    upload,
)


@pytest.fixture
def owner(app):
    return factories.make_user("teacher")


@pytest.fixture
def owner_headers(owner):
    return factories.auth_headers(owner)


@pytest.fixture
def course(owner):
    return factories.make_course(owner)


@pytest.fixture
def lesson(course):
    return factories.make_lesson(course)


def _fresh(model, key):
    db.session.expire_all()
    return db.session.get(model, key)


def test_lesson_video_is_received_checked_attached_and_queued(
    media_client, owner_headers, lesson, mp4_bytes, storage, jobs_recorder
):
    signed = sign(
        media_client,
        owner_headers,
        purpose="lesson_video",
        filename="Intro lecture.mp4",
        content_type="video/mp4",
        size=len(mp4_bytes),
        lesson_id=lesson.id,
    )
    assert signed.status_code == 201, signed.get_json()
    body = signed.get_json()
    assert set(body) == {"upload_id", "url", "method", "headers", "fields", "expires_at"}
    assert body["method"] == "PUT"
    assert body["headers"] == {"Content-Type": "video/mp4"}
    assert body["fields"] == {}
    assert body["url"].startswith(f"http://pathshala.test/api/uploads/{body['upload_id']}/data?")
    row = db.session.get(Upload, uuid.UUID(body["upload_id"]))
    assert row.status == "signed" and row.size == len(mp4_bytes)
    assert row.storage_key == f"lessons/{lesson.id}/source/{row.id}.mp4"
    assert row.filename == "Intro lecture.mp4"

    sent = put(media_client, body, mp4_bytes)
    assert sent.status_code == 200, sent.get_json()
    assert sent.get_json()["sha256"] == hashlib.sha256(mp4_bytes).hexdigest()
    assert storage.local_path(row.storage_key).read_bytes() == mp4_bytes

    done = media_client.post(f"/api/uploads/{body['upload_id']}/complete", headers=owner_headers)
    assert done.status_code == 200, done.get_json()
    result = done.get_json()
    assert result["status"] == "attached"
    assert result["sha256"] == hashlib.sha256(mp4_bytes).hexdigest()
    assert result["attached_to"] == {
        "type": "lesson",
        "id": str(lesson.id),
        "video_status": "pending",
        "video_progress": 0,
    }
    fresh = _fresh(Lesson, lesson.id)
    assert fresh.video_upload_id == row.id
    assert (fresh.video_status, fresh.video_progress, fresh.video_error) == ("pending", 0, None)
    assert jobs_recorder.calls == [
        (TRANSCODE_JOB, {"lesson_id": str(lesson.id), "upload_id": body["upload_id"]})
    ]

    # Repeating complete answers the same and queues nothing more.
    again = media_client.post(f"/api/uploads/{body['upload_id']}/complete", headers=owner_headers)
    assert again.status_code == 200
    assert again.get_json() == result
    assert len(jobs_recorder.calls) == 1


def test_a_failed_video_is_reset_by_a_new_upload(
    media_client, owner_headers, lesson, mp4_bytes, jobs_recorder
):
    lesson.video_status, lesson.video_error, lesson.video_progress = "failed", "boom", 40
    db.session.commit()

    done = upload(
        media_client,
        owner_headers,
        mp4_bytes,
        purpose="lesson_video",
        filename="take2.mp4",
        content_type="video/mp4",
        lesson_id=lesson.id,
    )

    assert done.status_code == 200
    fresh = _fresh(Lesson, lesson.id)
    assert (fresh.video_status, fresh.video_progress, fresh.video_error) == ("pending", 0, None)


def _assert_clean_webp(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "WEBP"
    assert not image.getexif()
    assert not {"exif", "xmp", "icc_profile"} & set(image.info)
    for chunk in (b"EXIF", b"XMP ", b"ICCP"):
        assert chunk not in data
    assert b"SecretCam" not in data
    return image


def test_thumbnail_is_turned_upright_contained_in_1280x720_and_stripped(
    media_client, owner_headers, course, storage, storage_dir
):
    # 1600x900 stored sideways: EXIF orientation 6 means "rotate 90° clockwise to view".
    jpeg = make_jpeg(1600, 900, orientation=6)

    done = upload(
        media_client,
        owner_headers,
        jpeg,
        purpose="thumbnail",
        filename="cover.jpg",
        content_type="image/jpeg",
        course_id=course.id,
    )

    assert done.status_code == 200, done.get_json()
    result = done.get_json()
    key = f"courses/{course.id}/thumbnail/{result['id']}.webp"
    assert result["attached_to"] == {"type": "course", "id": str(course.id), "thumbnail_ref": key}
    assert _fresh(Course, course.id).thumbnail_ref == key
    image = _assert_clean_webp(storage.local_path(key).read_bytes())
    # Upright it is 900x1600 (portrait); contained in 1280x720 that is 405x720.
    assert image.size == (405, 720)
    # The original is gone; only the WebP is kept.
    assert stored_files(storage_dir) == [key]

    # A new thumbnail replaces the old, whose file is deleted.
    second = upload(
        media_client,
        owner_headers,
        make_png(640, 360),
        purpose="thumbnail",
        filename="cover2.png",
        content_type="image/png",
        course_id=course.id,
    )
    assert second.status_code == 200
    new_key = second.get_json()["attached_to"]["thumbnail_ref"]
    assert stored_files(storage_dir) == [new_key]
    # Smaller than the box: kept at its size, never enlarged.
    assert Image.open(storage.local_path(new_key)).size == (640, 360)


def test_avatar_is_cropped_to_256_square_and_replaces_the_previous(
    media_client, storage, storage_dir
):
    user = factories.make_user("student")
    headers = factories.auth_headers(user)

    first = upload(
        media_client,
        headers,
        make_png(800, 500),
        purpose="avatar",
        filename="me.png",
        content_type="image/png",
    )
    assert first.status_code == 200, first.get_json()
    first_key = first.get_json()["attached_to"]["avatar_key"]
    assert first_key == f"avatars/{user.id}/{first.get_json()['id']}.webp"
    image = _assert_clean_webp(storage.local_path(first_key).read_bytes())
    assert image.size == (256, 256)

    second = upload(
        media_client,
        headers,
        make_jpeg(300, 600),
        purpose="avatar",
        filename="me2.jpeg",
        content_type="image/jpeg",
    )
    assert second.status_code == 200
    second_key = second.get_json()["attached_to"]["avatar_key"]
    assert _fresh(User, user.id).avatar_key == second_key
    assert stored_files(storage_dir) == [second_key]


@pytest.mark.parametrize(
    ("filename", "content_type", "make"),
    [
        ("Worksheet 1.pdf", "application/pdf", make_pdf),
        ("code.zip", "application/zip", lambda: make_zip({"main.py": b"print(1)\n"})),
        ("code.zip", "application/x-zip-compressed", lambda: make_zip({"a.txt": b"a"})),
        ("Notes.docx", DOCX_TYPE, make_docx),
        ("readme.txt", "text/plain", lambda: "नमस्ते, pathshala\n".encode()),
    ],
)
def test_attachments_become_lesson_attachments(
    media_client, owner_headers, lesson, storage, filename, content_type, make
):
    data = make()

    done = upload(
        media_client,
        owner_headers,
        data,
        purpose="attachment",
        filename=filename,
        content_type=content_type,
        lesson_id=lesson.id,
    )

    assert done.status_code == 200, done.get_json()
    result = done.get_json()
    attachment = db.session.query(LessonAttachment).one()
    assert result["attached_to"] == {
        "type": "lesson_attachment",
        "id": str(attachment.id),
        "lesson_id": str(lesson.id),
        "title": filename,
        "position": 0,
    }
    row = db.session.get(Upload, attachment.upload_id)
    assert row.status == "attached"
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    assert storage.local_path(row.storage_key).read_bytes() == data


def test_attachments_are_numbered_in_order(media_client, owner_headers, lesson):
    for name in ("a.txt", "b.txt"):
        done = upload(
            media_client,
            owner_headers,
            b"hello\n",
            purpose="attachment",
            filename=name,
            content_type="text/plain",
            lesson_id=lesson.id,
        )
        assert done.status_code == 200
    rows = db.session.query(LessonAttachment).order_by(LessonAttachment.position).all()
    assert [(r.title, r.position) for r in rows] == [("a.txt", 0), ("b.txt", 1)]


def test_an_admin_may_upload_to_any_lesson(media_client, lesson, mp4_bytes, jobs_recorder):
    admin = factories.make_user("admin")

    done = upload(
        media_client,
        factories.auth_headers(admin),
        mp4_bytes,
        purpose="lesson_video",
        filename="v.mp4",
        content_type="video/mp4",
        lesson_id=lesson.id,
    )

    assert done.status_code == 200
    assert len(jobs_recorder.calls) == 1


def test_an_instructor_uploads_to_their_own_course(media_client, storage):
    instructor = factories.make_user("instructor")
    course = factories.make_course(instructor)

    done = upload(
        media_client,
        factories.auth_headers(instructor),
        make_png(100, 100),
        purpose="thumbnail",
        filename="t.png",
        content_type="image/png",
        course_id=course.id,
    )

    assert done.status_code == 200


def test_the_app_wide_body_limit_does_not_apply_to_the_upload_url_only(
    make_app, tmp_path, owner_headers, lesson
):
    limited = make_app(
        BACKEND_STORAGE_DIR=str(tmp_path / "media"), BACKEND_MAX_REQUEST_BYTES="1024"
    )
    client = limited.test_client()
    data = b"line of text\n" * 1000  # 13 000 bytes, far past the 1 KB limit

    done = upload(
        client,
        owner_headers,
        data,
        purpose="attachment",
        filename="big.txt",
        content_type="text/plain",
        lesson_id=lesson.id,
    )
    assert done.status_code == 200, done.get_json()

    # Every other route keeps the limit.
    too_big = client.post(
        "/api/uploads/sign",
        json={
            "purpose": "avatar",
            "filename": "x" * 2000 + ".png",
            "content_type": "image/png",
            "size": 10,
        },
        headers=owner_headers,
    )
    assert too_big.status_code == 413
