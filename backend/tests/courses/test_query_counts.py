"""List and detail endpoints run a constant number of SQL queries (at most 4), whatever the
page size, lesson count or number of submissions: relations load eagerly, aggregates in the
page query.

Every request is measured with everything in the session expired, as a fresh gunicorn request
would run: objects the factories left loaded in the test's session (requests share its app
context) would otherwise answer some lookups (the signed-in user, say) without SQL and hide
queries. The counts include the JWT user lookup.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from pathshala.classwork.models import Classwork, Submission
from pathshala.columns import utcnow
from pathshala.extensions import db
from tests.factories import enroll, make_course, make_lesson

MAX_QUERIES = 4


@pytest.fixture
def measure(client, count_queries):
    """``measure(url, headers)`` -> (response, SQL statements run while answering it)."""

    def run(url: str, headers: dict[str, str] | None = None, **query):
        db.session.expire_all()  # start like a fresh request: nothing loaded answers for SQL
        with count_queries() as statements:
            response = client.get(url, headers=headers or {}, query_string=query)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        return response, list(statements)

    return run


def assert_constant(few: list[str], many: list[str]) -> None:
    shown = "\n---\n".join(many)
    assert len(many) == len(few), f"{len(few)} queries grew to {len(many)}:\n{shown}"
    assert len(many) <= MAX_QUERIES, f"{len(many)} queries (at most {MAX_QUERIES}):\n{shown}"


def add_courses(teacher, count: int, **fields) -> list:
    courses = []
    for index in range(count):
        course = make_course(
            teacher,
            title=f"Carnatic vocals {index}",
            category="Music",
            level="beginner",
            **fields,
        )
        make_lesson(course, position=1, duration_seconds=300)
        make_lesson(course, position=2, duration_seconds=600)
        courses.append(course)
    return courses


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "vocals"},
        {"category": "music", "level": "beginner", "price": "free", "sort": "title"},
        {"q": "carnatic", "category": "Music", "price": "free", "sort": "price"},
    ],
    ids=["plain", "search", "filtered-sorted", "search-filtered"],
)
def test_catalog(make_user, auth_headers, measure, query):
    teacher = make_user("teacher")
    add_courses(teacher, 1)
    _, few = measure("/api/courses", per_page=100, **query)
    add_courses(make_user("instructor"), 29)
    many_response, many = measure("/api/courses", per_page=100, **query)
    assert len(many_response.json["items"]) == 30
    assert {item["lesson_count"] for item in many_response.json["items"]} == {2}
    assert_constant(few, many)
    # Signed in, the catalog adds only the user lookup.
    _, signed_in = measure("/api/courses", auth_headers(make_user("student")), per_page=100)
    assert len(signed_in) <= MAX_QUERIES


@pytest.mark.parametrize("who", ["anonymous", "student", "enrolled", "owner", "admin"])
@pytest.mark.parametrize("path", ["", "/lessons"], ids=["detail", "outline"])
def test_course_detail_and_outline(make_user, auth_headers, measure, who, path):
    owner = make_user("teacher")
    course = make_course(owner)
    make_lesson(course, position=1, section_title="Start", is_free_preview=True)
    user = {
        "anonymous": None,
        "student": make_user("student"),
        "enrolled": make_user("student"),
        "owner": owner,
        "admin": make_user("admin"),
    }[who]
    if who == "enrolled":
        enroll(user, course)
    headers = auth_headers(user) if user else {}
    _, few = measure(f"/api/courses/{course.id}{path}", headers)
    for position in range(2, 51):
        make_lesson(course, position=position, section_title=f"Part {position // 10}")
    response, many = measure(f"/api/courses/{course.slug}{path}", headers)
    lessons = response.json if path else response.json["lessons"]
    assert len(lessons) == 50
    assert_constant(few, many)


def test_my_courses(make_user, auth_headers, measure):
    student = make_user("student")
    headers = auth_headers(student)
    enroll(student, add_courses(make_user("teacher"), 1)[0])
    _, few = measure("/api/me/courses", headers)
    for course in add_courses(make_user("teacher"), 30):
        enroll(student, course)
    response, many = measure("/api/me/courses", headers)
    assert len(response.json["items"]) == 31
    assert_constant(few, many)


@pytest.mark.parametrize("role", ["teacher", "admin"])
def test_studio_courses(make_user, auth_headers, measure, role):
    author = make_user(role)
    headers = auth_headers(author)
    owner = author if role == "teacher" else make_user("instructor")
    course = add_courses(owner, 1, is_published=False)[0]
    enroll(make_user("student"), course)
    _, few = measure("/api/studio/courses", headers, per_page=100)
    for extra in add_courses(owner, 30):
        enroll(make_user("student", password=None), extra)
    response, many = measure("/api/studio/courses", headers, per_page=100)
    assert len(response.json["items"]) == 31
    assert_constant(few, many)


def add_classwork(course, count: int) -> list[Classwork]:
    items = [
        Classwork(
            course_id=course.id,
            title=f"Exercise {index}",
            max_points=10,
            due_at=utcnow() + timedelta(days=index),
        )
        for index in range(count)
    ]
    db.session.add_all(items)
    db.session.commit()
    return items


def submit(classwork: Classwork, student, *, graded: bool = False) -> None:
    submission = Submission(classwork_id=classwork.id, student_id=student.id, text="Answer")
    if graded:
        submission.grade, submission.feedback, submission.graded_at = 7, "Good", utcnow()
    db.session.add(submission)
    db.session.commit()


@pytest.mark.parametrize("who", ["enrolled", "owner"])
def test_classwork_list(make_user, auth_headers, measure, who):
    owner = make_user("teacher")
    course = make_course(owner)
    student = make_user("student")
    enroll(student, course)
    caller = student if who == "enrolled" else owner
    headers = auth_headers(caller)
    first = add_classwork(course, 1)
    submit(first[0], student)
    _, few = measure(f"/api/courses/{course.id}/classwork", headers)
    for index, item in enumerate(add_classwork(course, 30)):
        submit(item, student, graded=index % 2 == 0)
    response, many = measure(f"/api/courses/{course.id}/classwork", headers)
    assert len(response.json) == 31
    mine = [entry["my_submission"] for entry in response.json]
    if who == "enrolled":
        assert all(mine) and sum(1 for s in mine if s["grade"] is not None) == 15
    else:
        assert not any(mine)
    assert_constant(few, many)


@pytest.mark.parametrize("who", ["owner", "admin", "enrolled"])
def test_submissions_list(make_user, auth_headers, measure, who):
    owner = make_user("teacher")
    course = make_course(owner)
    classwork = add_classwork(course, 1)[0]
    student = make_user("student")
    enroll(student, course)
    submit(classwork, student)
    caller = {"owner": owner, "admin": make_user("admin"), "enrolled": student}[who]
    headers = auth_headers(caller)
    url = f"/api/classwork/{classwork.id}/submissions"
    _, few = measure(url, headers)
    for _ in range(30):
        classmate = make_user("student", password=None)
        enroll(classmate, course)
        submit(classwork, classmate, graded=True)
    response, many = measure(url, headers)
    assert len(response.json) == (1 if who == "enrolled" else 31)
    assert_constant(few, many)
