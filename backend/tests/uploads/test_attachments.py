"""Lesson attachments: listing and downloading them (whoever may open the lesson), and their
removal by the course's owner or an admin."""

from __future__ import annotations

import uuid
from datetime import timedelta
from urllib.parse import quote

import pytest
from flask import Flask

from pathshala.columns import utcnow
from pathshala.extensions import db
from pathshala.media.storage import LocalStorage
from pathshala.uploads.models import LessonAttachment, Upload
from tests import factories


def add_attachment(
    app: Flask,
    lesson,
    *,
    title: str = "Worksheet",
    filename: str = "notes.txt",
    content_type: str = "text/plain",
    body: bytes = b"Sa Re Ga Ma",
    position: int = 0,
) -> LessonAttachment:
    """An attachment as `complete` leaves it: the bytes in storage, an attached upload, a row."""
    upload = Upload(
        user_id=lesson.course.instructor_id,
        purpose="attachment",
        lesson_id=lesson.id,
        filename=filename,
        content_type=content_type,
        size=len(body),
        storage_key=f"uploads/{uuid.uuid4().hex}/{uuid.uuid4().hex}",
        status="attached",
        expires_at=utcnow() + timedelta(hours=1),
        received_at=utcnow(),
    )
    with app.extensions["pathshala.storage"].open_write(upload.storage_key) as target:
        target.write(body)
    db.session.add(upload)
    db.session.flush()
    attachment = LessonAttachment(
        lesson_id=lesson.id, upload_id=upload.id, title=title, position=position
    )
    db.session.add(attachment)
    db.session.commit()
    return attachment


@pytest.fixture
def owner(app):
    return factories.make_user("teacher")


@pytest.fixture
def course(owner):
    return factories.make_course(owner)


@pytest.fixture
def lesson(course):
    return factories.make_lesson(course)


def _list(client, lesson, user):
    headers = factories.auth_headers(user) if user else {}
    return client.get(f"/api/lessons/{lesson.id}/attachments", headers=headers)


def test_list_in_order_with_fields_for_everyone_who_may_open_the_lesson(
    app, client, owner, course, lesson
):
    second = add_attachment(app, lesson, title="Slides", position=2, body=b"12345")
    first = add_attachment(
        app, lesson, title="Notes", position=1, filename="n.pdf", content_type="application/pdf"
    )
    third = add_attachment(app, lesson, title="Later slides", position=2)
    enrolled = factories.make_user("student")
    factories.enroll(enrolled, course)
    admin = factories.make_user("admin")

    for user in (enrolled, owner, admin):
        response = _list(client, lesson, user)
        assert response.status_code == 200, response.json
        items = response.json["items"]
        assert [item["id"] for item in items] == [str(first.id), str(second.id), str(third.id)]
        assert items[1] == {
            "id": str(second.id),
            "title": "Slides",
            "content_type": "text/plain",
            "size": 5,
            "download_url": f"/api/attachments/{second.id}/download",
        }
        assert items[0]["content_type"] == "application/pdf"


def test_free_preview_lesson_is_listed_for_anyone_signed_in(app, client, course):
    preview = factories.make_lesson(course, is_free_preview=True)
    add_attachment(app, preview)
    response = _list(client, preview, factories.make_user("student"))
    assert response.status_code == 200
    assert len(response.json["items"]) == 1


def test_anonymous_is_401_and_not_enrolled_is_403(app, client, lesson):
    add_attachment(app, lesson)
    assert _list(client, lesson, None).status_code == 401
    for role in ("student", "teacher"):
        response = _list(client, lesson, factories.make_user(role))
        assert response.status_code == 403
        assert response.json["code"] == "not_enrolled"


def test_unknown_or_hidden_lesson_is_404(app, client, owner):
    student = factories.make_user("student")
    unknown = client.get(
        f"/api/lessons/{uuid.uuid4()}/attachments", headers=factories.auth_headers(student)
    )
    assert unknown.status_code == 404 and unknown.json["code"] == "lesson_not_found"
    draft = factories.make_lesson(factories.make_course(owner, is_published=False))
    hidden = _list(client, draft, student)
    assert hidden.status_code == 404 and hidden.json["code"] == "lesson_not_found"


def test_list_query_count_does_not_grow(app, client, course, lesson, count_queries):
    student = factories.make_user("student")
    factories.enroll(student, course)
    headers = factories.auth_headers(student)
    add_attachment(app, lesson)
    with count_queries() as one:
        response = client.get(f"/api/lessons/{lesson.id}/attachments", headers=headers)
    assert len(response.json["items"]) == 1
    for position in range(1, 5):
        add_attachment(app, lesson, position=position)
    with count_queries() as five:
        response = client.get(f"/api/lessons/{lesson.id}/attachments", headers=headers)
    assert len(response.json["items"]) == 5
    assert len(five) == len(one)


@pytest.mark.parametrize(
    ("filename", "disposition"),
    [
        ("notes.txt", "filename=notes.txt"),
        (
            "राग यमन.txt",
            f"filename*=UTF-8''{quote('राग यमन.txt')}",
        ),
    ],
)
def test_download_sends_the_bytes_as_a_named_file(
    app, client, course, lesson, filename, disposition
):
    body = "Notes: सा रे ग म".encode()
    attachment = add_attachment(app, lesson, filename=filename, body=body)
    student = factories.make_user("student")
    factories.enroll(student, course)
    response = client.get(
        f"/api/attachments/{attachment.id}/download", headers=factories.auth_headers(student)
    )
    assert response.status_code == 200
    assert response.data == body
    assert response.mimetype == "text/plain"
    assert response.headers["Content-Disposition"].startswith("attachment; ")
    assert disposition in response.headers["Content-Disposition"].split("; ")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_download_follows_the_lesson_access(app, client, lesson):
    attachment = add_attachment(app, lesson)
    url = f"/api/attachments/{attachment.id}/download"
    assert client.get(url).status_code == 401
    locked = client.get(url, headers=factories.auth_headers(factories.make_user("student")))
    assert locked.status_code == 403 and locked.json["code"] == "not_enrolled"
    unknown = client.get(
        f"/api/attachments/{uuid.uuid4()}/download",
        headers=factories.auth_headers(factories.make_user("admin")),
    )
    assert unknown.status_code == 404 and unknown.json["code"] == "attachment_not_found"


def test_download_from_s3_redirects_to_a_presigned_url(s3_app):
    with s3_app.app_context():
        owner = factories.make_user("teacher")
        lesson = factories.make_lesson(factories.make_course(owner))
        attachment = add_attachment(s3_app, lesson)
        headers = factories.auth_headers(owner)
        response = s3_app.test_client().get(
            f"/api/attachments/{attachment.id}/download", headers=headers
        )
    assert response.status_code == 302
    assert "X-Amz-Expires=300" in response.headers["Location"]
    assert response.headers["Cache-Control"] == "private, no-store"


def test_owner_deletes_the_row_the_upload_and_the_file(app, client, owner, lesson):
    attachment = add_attachment(app, lesson)
    attachment_id, upload_id = attachment.id, attachment.upload_id
    storage = app.extensions["pathshala.storage"]
    assert isinstance(storage, LocalStorage)
    key = attachment.upload.storage_key
    assert storage.exists(key)

    response = client.delete(
        f"/api/attachments/{attachment_id}", headers=factories.auth_headers(owner)
    )
    assert response.status_code == 204
    db.session.expire_all()
    assert db.session.get(LessonAttachment, attachment_id) is None
    assert db.session.get(Upload, upload_id) is None
    assert not storage.exists(key)


def test_others_may_not_delete(app, client, lesson):
    attachment = add_attachment(app, lesson)
    url = f"/api/attachments/{attachment.id}"
    other = client.delete(url, headers=factories.auth_headers(factories.make_user("teacher")))
    assert other.status_code == 403 and other.json["code"] == "not_course_owner"
    student = client.delete(url, headers=factories.auth_headers(factories.make_user("student")))
    assert student.status_code == 403 and student.json["code"] == "forbidden"
    db.session.expire_all()
    assert db.session.get(LessonAttachment, attachment.id) is not None
