"""Public images: course thumbnails and avatars at /media/public/<key>, and their URLs."""

from __future__ import annotations

import io
import uuid

import pytest
import requests
from PIL import Image

from pathshala.extensions import db
from pathshala.media.public_images import public_image_url
from tests.factories import auth_headers, make_course, make_user

IMMUTABLE = "public, max-age=31536000, immutable"


def webp_bytes(color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(out, format="WEBP")
    return out.getvalue()


def store(storage, key: str, data: bytes) -> None:
    with storage.open_write(key) as out:
        out.write(data)


def thumbnail(storage, course, data: bytes | None = None) -> str:
    """A stored WebP made the course's current thumbnail; its key."""
    key = f"courses/{course.id}/thumbnail/{uuid.uuid4()}.webp"
    store(storage, key, data or webp_bytes())
    course.thumbnail_ref = key
    db.session.commit()
    return key


def avatar(storage, user, data: bytes | None = None) -> str:
    key = f"avatars/{user.id}/{uuid.uuid4()}.webp"
    store(storage, key, data or webp_bytes())
    user.avatar_key = key
    db.session.commit()
    return key


@pytest.fixture(scope="module")
def media_app(make_app, tmp_path_factory):
    return make_app(BACKEND_STORAGE_DIR=str(tmp_path_factory.mktemp("public-media")))


@pytest.fixture
def media_client(media_app):
    return media_app.test_client()


@pytest.fixture
def storage(media_app):
    return media_app.extensions["pathshala.storage"]


def test_a_current_thumbnail_is_served_to_anyone_and_cached_for_good(media_client, storage):
    course = make_course()
    data = webp_bytes()
    key = thumbnail(storage, course, data)

    response = media_client.get(f"/media/public/{key}")
    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data == data
    assert Image.open(io.BytesIO(response.data)).format == "WEBP"


def test_a_current_avatar_is_served(media_client, storage):
    user = make_user("student")
    data = webp_bytes((10, 120, 10))
    key = avatar(storage, user, data)

    response = media_client.get(public_image_url(key))
    assert response.status_code == 200 and response.mimetype == "image/webp"
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.data == data


def test_a_replaced_image_is_no_longer_served(media_client, storage):
    course = make_course()
    old_thumbnail = thumbnail(storage, course)
    new_thumbnail = thumbnail(storage, course)  # the old file is still on disk
    user = make_user("student")
    old_avatar = avatar(storage, user)
    avatar(storage, user)

    for key in (old_thumbnail, old_avatar):
        response = media_client.get(f"/media/public/{key}")
        assert response.status_code == 404
        assert response.json["code"] == "image_not_found"
    assert media_client.get(f"/media/public/{new_thumbnail}").status_code == 200


def test_a_key_of_one_owner_is_not_served_under_another(media_client, storage):
    course, other = make_course(), make_course()
    key = thumbnail(storage, course)
    moved = key.replace(str(course.id), str(other.id))
    store(storage, moved, webp_bytes())
    assert media_client.get(f"/media/public/{moved}").status_code == 404
    # A user id where a course id belongs (and the reverse) finds nothing either.
    assert media_client.get(f"/media/public/{key.replace('courses/', 'avatars/')}").status_code == (
        404
    )


def test_a_removed_image_file_is_404(media_client, storage):
    course = make_course()
    key = thumbnail(storage, course)
    storage.delete(key)
    response = media_client.get(f"/media/public/{key}")
    assert response.status_code == 404 and response.json["code"] == "image_not_found"


@pytest.mark.parametrize(
    "key",
    [
        "lessons/{course_id}/hls/x/master.m3u8",
        "lessons/{course_id}/source/lecture.mp4",
        "../etc/passwd",
        "..%2F..%2Fetc%2Fpasswd",
        "courses/{course_id}/thumbnail/../../../etc/passwd",
        "courses/{course_id}/thumbnail/x.png",
        "courses/{course_id}/thumbnail/x.webp/",
        "courses/{course_id}/thumbnail/sub/x.webp",
        "courses/{course_id}/source/x.webp",
        "courses/not-a-uuid/thumbnail/x.webp",
        "avatars/{course_id}/../x.webp",
        "Courses/{course_id}/thumbnail/x.webp",
    ],
)
def test_keys_of_any_other_shape_are_404(media_client, storage, key):
    course = make_course()
    current = thumbnail(storage, course)
    # Make the odd key the course's thumbnail too, so only its shape can refuse it.
    course.thumbnail_ref = key.format(course_id=course.id)
    db.session.commit()

    response = media_client.get("/media/public/" + key.format(course_id=course.id))
    assert response.status_code == 404
    assert response.is_json and "code" in response.json
    assert public_image_url(key.format(course_id=course.id)) is None
    assert public_image_url(current) == f"/media/public/{current}"


def test_public_image_url_only_for_stored_keys():
    course_id, user_id = uuid.uuid4(), uuid.uuid4()
    assert public_image_url(None) is None
    assert public_image_url("") is None
    assert public_image_url("https://cdn.example.com/cover.jpg") is None
    key = f"courses/{course_id}/thumbnail/{uuid.uuid4()}.webp"
    assert public_image_url(key) == f"/media/public/{key}"
    key = f"avatars/{user_id}/{uuid.uuid4()}.webp"
    assert public_image_url(key) == f"/media/public/{key}"


def test_courses_carry_thumbnail_url(client, storage):
    with_image = make_course(title="Has a cover")
    key = thumbnail(storage, with_image)
    without = make_course(title="No cover")
    legacy = make_course(title="Legacy cover", thumbnail_ref="https://cdn.example.com/c.jpg")

    detail = client.get(f"/api/courses/{with_image.slug}").json
    assert detail["thumbnail_url"] == f"/media/public/{key}"
    assert detail["thumbnail_ref"] == key
    assert client.get(f"/api/courses/{without.slug}").json["thumbnail_url"] is None

    items = {item["id"]: item for item in client.get("/api/courses").json["items"]}
    assert items[str(with_image.id)]["thumbnail_url"] == f"/media/public/{key}"
    assert items[str(without.id)]["thumbnail_url"] is None
    assert items[str(legacy.id)]["thumbnail_url"] is None
    assert items[str(legacy.id)]["thumbnail_ref"] == "https://cdn.example.com/c.jpg"


def test_me_carries_avatar_url(client, storage):
    user = make_user("student")
    assert client.get("/api/auth/me", headers=auth_headers(user)).json["avatar_url"] is None
    key = avatar(storage, user)
    me = client.get("/api/auth/me", headers=auth_headers(user)).json
    assert me["avatar_url"] == f"/media/public/{key}"


# ---- S3: a redirect to a presigned bucket URL ----------------------------------------------


def test_with_s3_a_current_image_redirects_to_a_presigned_url(make_app, s3_server, s3_bucket):
    s3_app = make_app(**s3_server.settings(s3_bucket))
    s3_client = s3_app.test_client()
    s3_storage = s3_app.extensions["pathshala.storage"]
    course = make_course()
    data = webp_bytes()
    key = thumbnail(s3_storage, course, data)

    response = s3_client.get(f"/media/public/{key}")
    assert response.status_code == 302
    assert response.headers["Cache-Control"] == "public, max-age=3000"
    location = response.headers["Location"]
    assert location.startswith(s3_server.url)
    assert "X-Amz-Signature=" in location and "X-Amz-Expires=3600" in location
    fetched = requests.get(location, timeout=10)
    assert fetched.status_code == 200 and fetched.content == data

    thumbnail(s3_storage, course)  # replaced: the old key is no longer redirected
    assert s3_client.get(f"/media/public/{key}").status_code == 404
