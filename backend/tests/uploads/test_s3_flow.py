"""With S3Storage: sign → PUT straight to the bucket with the presigned URL → complete.
The bucket is moto's server behind a SigV4 check (tests/fakes/s3.py)."""

from __future__ import annotations

import hashlib
import io
import uuid

import pytest
import requests
from PIL import Image

from pathshala.courses.models import Course, Lesson
from pathshala.extensions import db
from pathshala.uploads.models import Upload
from pathshala.uploads.service import TRANSCODE_JOB
from tests import factories
from tests.uploads.helpers import ELF, make_jpeg, make_pdf, sign


@pytest.fixture
def client(s3_app):
    return s3_app.test_client()


@pytest.fixture
def owner(app):
    return factories.make_user("teacher")


@pytest.fixture
def headers(owner):
    return factories.auth_headers(owner)


def _keys(s3_server, bucket) -> list[str]:
    listing = s3_server.client.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def _send(client, headers, data, **fields):
    signed = sign(client, headers, size=len(data), **fields)
    assert signed.status_code == 201, signed.get_json()
    body = signed.get_json()
    assert body["method"] == "PUT" and "X-Amz-Signature" in body["url"]
    sent = requests.put(body["url"], data=data, headers=body["headers"], timeout=10)
    assert sent.status_code == 200, sent.text
    return body


def test_a_thumbnail_goes_to_the_bucket_and_comes_back_as_webp(
    client, headers, owner, s3_server, s3_bucket
):
    course = factories.make_course(owner)
    signed = _send(
        client,
        headers,
        make_jpeg(1920, 1080, orientation=3),
        purpose="thumbnail",
        filename="cover.jpg",
        content_type="image/jpeg",
        course_id=course.id,
    )

    done = client.post(f"/api/uploads/{signed['upload_id']}/complete", headers=headers)

    assert done.status_code == 200, done.get_json()
    key = f"courses/{course.id}/thumbnail/{signed['upload_id']}.webp"
    assert done.get_json()["attached_to"]["thumbnail_ref"] == key
    db.session.expire_all()
    assert db.session.get(Course, course.id).thumbnail_ref == key
    assert _keys(s3_server, s3_bucket) == [key]  # the original is gone
    data = s3_server.client.get_object(Bucket=s3_bucket, Key=key)["Body"].read()
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("WEBP", (1280, 720))
    assert not image.getexif() and b"EXIF" not in data and b"SecretCam" not in data
    # The sha256 was computed from the bucket.
    row = db.session.get(Upload, uuid.UUID(signed["upload_id"]))
    assert row.sha256 is not None and row.status == "attached"


def test_a_lesson_video_is_probed_from_the_bucket_and_queued(
    client, headers, owner, mp4_bytes, s3_server, s3_bucket, jobs_recorder
):
    lesson = factories.make_lesson(factories.make_course(owner))
    signed = _send(
        client,
        headers,
        mp4_bytes,
        purpose="lesson_video",
        filename="lecture.mp4",
        content_type="video/mp4",
        lesson_id=lesson.id,
    )

    done = client.post(f"/api/uploads/{signed['upload_id']}/complete", headers=headers)

    assert done.status_code == 200, done.get_json()
    assert done.get_json()["sha256"] == hashlib.sha256(mp4_bytes).hexdigest()
    key = f"lessons/{lesson.id}/source/{signed['upload_id']}.mp4"
    assert _keys(s3_server, s3_bucket) == [key]
    db.session.expire_all()
    assert db.session.get(Lesson, lesson.id).video_status == "pending"
    assert jobs_recorder.calls == [
        (TRANSCODE_JOB, {"lesson_id": str(lesson.id), "upload_id": signed["upload_id"]})
    ]


def test_an_attachment_in_the_bucket_is_attached(client, headers, owner, s3_server, s3_bucket):
    lesson = factories.make_lesson(factories.make_course(owner))
    signed = _send(
        client,
        headers,
        make_pdf(),
        purpose="attachment",
        filename="sheet.pdf",
        content_type="application/pdf",
        lesson_id=lesson.id,
    )
    done = client.post(f"/api/uploads/{signed['upload_id']}/complete", headers=headers)
    assert done.status_code == 200
    assert done.get_json()["attached_to"]["title"] == "sheet.pdf"


def test_a_renamed_executable_in_the_bucket_is_rejected_and_deleted(
    client, headers, owner, s3_server, s3_bucket, jobs_recorder
):
    lesson = factories.make_lesson(factories.make_course(owner))
    signed = _send(
        client,
        headers,
        ELF,
        purpose="lesson_video",
        filename="lecture.mp4",
        content_type="video/mp4",
        lesson_id=lesson.id,
    )

    done = client.post(f"/api/uploads/{signed['upload_id']}/complete", headers=headers)

    assert done.status_code == 422
    assert _keys(s3_server, s3_bucket) == []
    db.session.expire_all()
    assert db.session.get(Upload, uuid.UUID(signed["upload_id"])).status == "rejected"
    assert jobs_recorder.calls == []


def test_the_bucket_refuses_a_body_of_another_size_or_type(client, headers, owner, s3_bucket):
    course = factories.make_course(owner)
    data = make_jpeg(64, 64)
    signed = sign(
        client,
        headers,
        purpose="thumbnail",
        filename="t.jpg",
        content_type="image/jpeg",
        size=len(data),
        course_id=course.id,
    ).get_json()

    longer = requests.put(signed["url"], data=data + b"x", headers=signed["headers"], timeout=10)
    other_type = requests.put(
        signed["url"], data=data, headers={"Content-Type": "text/html"}, timeout=10
    )

    assert longer.status_code == 403
    assert other_type.status_code == 403
    done = client.post(f"/api/uploads/{signed['upload_id']}/complete", headers=headers)
    assert done.status_code == 422
    assert done.get_json()["code"] == "upload_not_received"
