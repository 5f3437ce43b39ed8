"""Teachers author courses and lessons; only the owner or an admin may change them."""

import uuid

import pytest
from sqlalchemy import func, select

from pathshala.courses.models import Course, Lesson
from pathshala.extensions import db
from tests.factories import enroll, make_course, make_lesson


def course_count() -> int:
    return db.session.scalar(select(func.count(Course.id)))


def test_teacher_creates_a_draft_course(client, make_user, auth_headers):
    teacher = make_user("teacher")
    response = client.post(
        "/api/courses",
        json={"title": "  Tabla for Beginners ", "description": "# Hello", "price": 49900},
        headers=auth_headers(teacher),
    )
    assert response.status_code == 201
    body = response.json
    assert body["title"] == "Tabla for Beginners"
    assert body["slug"] == "tabla-for-beginners"
    assert body["instructor_id"] == str(teacher.id)
    assert body["is_published"] is False
    assert body["price"] == 49900 and body["currency"] == "INR"
    assert "<h1>Hello</h1>" in body["description_html"]


def test_slugs_stay_unique(client, make_user, auth_headers):
    headers = auth_headers(make_user("instructor"))
    slugs = {
        client.post("/api/courses", json={"title": "Ragas"}, headers=headers).json["slug"]
        for _ in range(3)
    }
    assert slugs == {"ragas", "ragas-2", "ragas-3"}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"title": "x", "price": -1}, "price"),
        ({"title": "x", "price": 50}, "price"),
        ({"title": "x", "price": "100"}, "price"),
        ({"title": "x", "level": "expert"}, "level"),
        ({"title": ""}, "title"),
        ({"title": "t" * 201}, "title"),
        ({"title": "x", "currency": "USD"}, "currency"),
        ({}, "title"),
    ],
)
def test_bad_course_input_writes_nothing(client, make_user, auth_headers, body, field):
    response = client.post("/api/courses", json=body, headers=auth_headers(make_user("teacher")))
    assert response.status_code == 422
    assert field in response.json["fields"]
    assert course_count() == 0


def test_a_megabyte_title_is_refused(client, make_user, auth_headers):
    response = client.post(
        "/api/courses", json={"title": "t" * 1_100_000}, headers=auth_headers(make_user("teacher"))
    )
    assert response.status_code == 413
    assert course_count() == 0


def test_students_cannot_author(client, make_user, auth_headers):
    response = client.post(
        "/api/courses", json={"title": "Mine"}, headers=auth_headers(make_user("student"))
    )
    assert response.status_code == 403
    assert course_count() == 0


def test_only_owner_or_admin_edits(client, make_user, auth_headers):
    owner = make_user("teacher")
    course = make_course(owner, is_published=False)
    other = make_user("teacher")
    url = f"/api/courses/{course.id}"
    assert (
        client.patch(url, json={"title": "Hijack"}, headers=auth_headers(other)).status_code == 403
    )
    assert client.delete(url, headers=auth_headers(other)).status_code == 403
    assert (
        client.patch(url, json={"title": "Mine"}, headers=auth_headers(owner)).json["title"]
        == "Mine"
    )
    admin_edit = client.patch(
        url, json={"is_published": True}, headers=auth_headers(make_user("admin"))
    )
    assert admin_edit.status_code == 200 and admin_edit.json["published_at"]
    db.session.expire_all()
    assert db.session.get(Course, course.id).title == "Mine"


def test_unknown_and_malformed_ids(client, make_user, auth_headers):
    headers = auth_headers(make_user("teacher"))
    assert (
        client.patch(
            f"/api/courses/{uuid.uuid4()}", json={"title": "x"}, headers=headers
        ).status_code
        == 404
    )
    assert (
        client.patch("/api/courses/not-a-uuid", json={"title": "x"}, headers=headers).status_code
        == 404
    )
    assert client.get(f"/api/courses/{uuid.uuid4()}").status_code == 404
    nul = client.get("/api/courses/%00%27")
    assert nul.status_code == 400 and nul.json["code"] == "invalid_characters"


def test_course_with_enrollments_is_archived_not_deleted(client, make_user, auth_headers):
    owner = make_user("teacher")
    course = make_course(owner)
    student = make_user("student")
    enroll(student, course)
    headers = auth_headers(owner)
    refused = client.delete(f"/api/courses/{course.id}", headers=headers)
    assert refused.status_code == 409 and refused.json["code"] == "course_has_enrollments"
    archived = client.patch(f"/api/courses/{course.id}", json={"archived": True}, headers=headers)
    assert archived.json["archived_at"]
    # Gone from the catalog, still open to its student, hidden from others.
    assert client.get("/api/courses").json["total"] == 0
    assert client.get(f"/api/courses/{course.id}", headers=auth_headers(student)).status_code == 200
    assert (
        client.get(f"/api/courses/{course.id}", headers=auth_headers(make_user())).status_code
        == 404
    )


def test_course_without_enrollments_is_deleted_with_its_lessons(client, make_user, auth_headers):
    owner = make_user("teacher")
    course = make_course(owner)
    make_lesson(course)
    assert (
        client.delete(f"/api/courses/{course.id}", headers=auth_headers(owner)).status_code == 204
    )
    assert course_count() == 0
    assert db.session.scalar(select(func.count(Lesson.id))) == 0


def test_lessons_sections_and_reordering(client, make_user, auth_headers):
    owner = make_user("teacher")
    course = make_course(owner)
    headers = auth_headers(owner)
    created = [
        client.post(
            f"/api/courses/{course.id}/lessons",
            json={"title": title, "section_title": section, "duration_seconds": 300},
            headers=headers,
        ).json
        for title, section in [("Posture", "Basics"), ("Na", "Basics"), ("Teental", "Rhythms")]
    ]
    assert [lesson["position"] for lesson in created] == [1, 2, 3]
    new_order = [
        {"id": created[2]["id"]},
        {"id": created[0]["id"], "section_title": "Start here"},
        {"id": created[1]["id"]},
    ]
    response = client.put(
        f"/api/courses/{course.id}/lessons/order", json={"lessons": new_order}, headers=headers
    )
    assert response.status_code == 200
    assert [lesson["title"] for lesson in response.json] == ["Teental", "Posture", "Na"]
    assert response.json[1]["section_title"] == "Start here"
    # An order that forgets a lesson is refused and changes nothing.
    partial = client.put(
        f"/api/courses/{course.id}/lessons/order", json={"lessons": new_order[:2]}, headers=headers
    )
    assert partial.status_code == 409
    outline = client.get(f"/api/courses/{course.id}/lessons").json
    assert [lesson["title"] for lesson in outline] == ["Teental", "Posture", "Na"]


def test_another_teacher_cannot_touch_lessons(client, make_user, auth_headers):
    course = make_course(make_user("teacher"))
    lesson = make_lesson(course)
    intruder = auth_headers(make_user("teacher"))
    assert (
        client.post(
            f"/api/courses/{course.id}/lessons", json={"title": "x"}, headers=intruder
        ).status_code
        == 403
    )
    assert (
        client.patch(f"/api/lessons/{lesson.id}", json={"title": "x"}, headers=intruder).status_code
        == 403
    )
    assert client.delete(f"/api/lessons/{lesson.id}", headers=intruder).status_code == 403
    assert db.session.scalar(select(func.count(Lesson.id))) == 1


def test_studio_lists_own_courses_with_drafts(client, make_user, auth_headers):
    owner = make_user("teacher")
    make_course(owner, is_published=False, title="Draft")
    make_course(owner, title="Live")
    make_course(make_user("teacher"), title="Someone else's")
    listing = client.get("/api/studio/courses", headers=auth_headers(owner)).json
    assert sorted(item["title"] for item in listing["items"]) == ["Draft", "Live"]
    assert (
        client.get("/api/studio/courses", headers=auth_headers(make_user("admin"))).json["total"]
        == 3
    )


def test_a_new_lesson_joins_the_end_of_its_section(client, make_user, auth_headers):
    owner = make_user("teacher")
    course = make_course(owner)
    headers = auth_headers(owner)
    url = f"/api/courses/{course.id}/lessons"
    for title, section in (("A1", "Alpha"), ("A2", "Alpha"), ("B1", "Beta")):
        created = client.post(url, json={"title": title, "section_title": section}, headers=headers)
        assert created.status_code == 201

    added = client.post(url, json={"title": "A3", "section_title": "Alpha"}, headers=headers)
    fresh = client.post(url, json={"title": "C1", "section_title": "Gamma"}, headers=headers)

    assert added.status_code == 201 and fresh.status_code == 201
    outline = client.get(url, headers=headers).json
    lessons = outline["lessons"] if isinstance(outline, dict) else outline
    ordered = sorted(lessons, key=lambda lesson: lesson["position"])
    assert [lesson["title"] for lesson in ordered] == ["A1", "A2", "A3", "B1", "C1"]
    assert len({lesson["position"] for lesson in ordered}) == 5


def test_lesson_and_classwork_markdown_is_rendered_safely(client, make_user, auth_headers):
    owner = make_user("teacher")
    course = make_course(owner)
    headers = auth_headers(owner)
    lesson = client.post(
        f"/api/courses/{course.id}/lessons",
        json={"title": "Intro", "description": "**Bold** <script>alert(1)</script>"},
        headers=headers,
    ).json
    assert "<strong>Bold</strong>" in lesson["description_html"]
    assert "<script>" not in lesson["description_html"]
    classwork = client.post(
        f"/api/courses/{course.id}/classwork",
        json={"title": "Task", "instructions": "1. first\n2. second"},
        headers=headers,
    ).json
    assert "<ol>" in classwork["instructions_html"]
