"""Free enrollment and My courses."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from pathshala.enrollments.models import Enrollment
from pathshala.extensions import db
from tests.conftest import random_loopback_ip
from tests.factories import make_course


def enrollment_count() -> int:
    return db.session.scalar(select(func.count(Enrollment.id)))


def test_enroll_in_a_free_course(client, make_user, auth_headers):
    course = make_course(make_user("teacher"))
    headers = auth_headers(make_user("student"))
    first = client.post(f"/api/courses/{course.id}/enroll", headers=headers)
    assert first.status_code == 201 and first.json["source"] == "free"
    again = client.post(f"/api/courses/{course.slug}/enroll", headers=headers)
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    mine = client.get("/api/me/courses", headers=headers).json["items"]
    assert [item["course"]["id"] for item in mine] == [str(course.id)]
    assert enrollment_count() == 1


def test_paid_course_answers_402(client, make_user, auth_headers):
    course = make_course(make_user("teacher"), price=49900)
    response = client.post(f"/api/courses/{course.id}/enroll", headers=auth_headers(make_user()))
    assert response.status_code == 402 and response.json["code"] == "payment_required"
    assert enrollment_count() == 0


def test_drafts_and_anonymous_cannot_enroll(client, make_user, auth_headers):
    draft = make_course(make_user("teacher"), is_published=False)
    assert (
        client.post(
            f"/api/courses/{draft.id}/enroll", headers=auth_headers(make_user())
        ).status_code
        == 404
    )
    assert client.post(f"/api/courses/{draft.id}/enroll").status_code == 401
    assert enrollment_count() == 0


def test_parallel_enrolls_make_one_row(app, make_user, auth_headers):
    url = f"/api/courses/{make_course(make_user('teacher')).id}/enroll"
    headers = auth_headers(make_user())

    def enroll_once(_):
        test_client = app.test_client()
        test_client.environ_base["REMOTE_ADDR"] = random_loopback_ip()
        return test_client.post(url, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(enroll_once, range(16)))
    assert sorted(set(statuses)) in ([200, 201], [201])
    assert statuses.count(201) == 1
    assert enrollment_count() == 1


def test_enrolled_students_keep_a_course_the_teacher_unpublishes(client, make_user, auth_headers):
    owner = make_user("teacher")
    course = make_course(owner)
    student = auth_headers(make_user())
    stranger = auth_headers(make_user())
    assert client.post(f"/api/courses/{course.id}/enroll", headers=student).status_code == 201

    unpublish = client.patch(
        f"/api/courses/{course.id}", json={"is_published": False}, headers=auth_headers(owner)
    )
    assert unpublish.status_code == 200

    assert client.get(f"/api/courses/{course.id}", headers=student).status_code == 200
    assert client.get(f"/api/courses/{course.id}/lessons", headers=student).status_code == 200
    mine = client.get("/api/me/courses", headers=student).json["items"]
    assert [item["course"]["id"] for item in mine] == [str(course.id)]
    # Everyone else sees a draft: it is gone from the catalog and its page is not found.
    assert client.get(f"/api/courses/{course.id}", headers=stranger).status_code == 404
    assert client.get(f"/api/courses/{course.id}").status_code == 404
    # And nobody new can join it.
    late = client.post(f"/api/courses/{course.id}/enroll", headers=stranger)
    assert late.status_code == 404
