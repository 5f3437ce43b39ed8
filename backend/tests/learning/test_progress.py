"""Progress: heartbeats, watched time, completion, resume, and who may record it."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pathshala.columns import utcnow
from pathshala.extensions import db
from pathshala.learning import service
from pathshala.learning.models import LessonProgress
from tests.factories import enroll, make_course, make_lesson


class Clock:
    """Moves the progress service's clock by hand: watched time depends on wall time."""

    def __init__(self, monkeypatch) -> None:
        self.now = utcnow()
        monkeypatch.setattr(service, "utcnow", lambda: self.now)

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def video_lesson(course, duration=100, **fields):
    return make_lesson(course, duration_seconds=duration, video_status="ready", **fields)


def beat(client, headers, lesson, position, completed=None):
    body = {"position_seconds": position}
    if completed is not None:
        body["completed"] = completed
    return client.post(f"/api/lessons/{lesson.id}/progress", json=body, headers=headers)


def rows():
    return db.session.scalar(select(func.count(LessonProgress.id)))


@pytest.fixture
def student_in(make_user, auth_headers):
    def make(course):
        student = make_user()
        enroll(student, course)
        return student, auth_headers(student)

    return make


def test_a_heartbeat_saves_the_resume_position(client, student_in):
    course = make_course()
    lesson = video_lesson(course)
    _, headers = student_in(course)

    first = beat(client, headers, lesson, 12)
    again = beat(client, headers, lesson, 30)

    assert first.status_code == 200, first.json
    assert first.json["position_seconds"] == 12 and first.json["completed"] is False
    assert again.json["position_seconds"] == 30
    assert rows() == 1
    progress = client.get(f"/api/courses/{course.id}/progress", headers=headers).json
    assert progress["lessons"][0]["position_seconds"] == 30
    assert progress["resume_lesson_id"] == str(lesson.id)


def test_a_video_completes_by_itself_at_ninety_percent_watched(client, student_in, clock):
    course = make_course()
    lesson = video_lesson(course, duration=100)
    make_lesson(course, position=2, title="Reading")  # so the course is not finished
    _, headers = student_in(course)

    beat(client, headers, lesson, 0)
    for position in range(15, 90, 15):
        clock.advance(15)
        assert beat(client, headers, lesson, position).json["completed"] is False
    clock.advance(15)
    done = beat(client, headers, lesson, 90)

    assert done.json["watched_seconds"] == 90
    assert done.json["completed"] is True and done.json["completed_at"]
    # Watching it again from the start later never undoes the completion.
    clock.advance(600)
    assert beat(client, headers, lesson, 0).json["completed"] is True


def test_skipping_to_the_end_does_not_count_as_watching(client, student_in, clock):
    course = make_course()
    lesson = video_lesson(course, duration=600)
    _, headers = student_in(course)

    beat(client, headers, lesson, 0)
    clock.advance(10)
    skipped = beat(client, headers, lesson, 590)

    # 10 s of wall time can play at most 20 s at double speed, plus 5 s of slack.
    assert skipped.json["watched_seconds"] == 25
    assert skipped.json["completed"] is False
    refused = beat(client, headers, lesson, 600, completed=True)
    assert refused.status_code == 409 and refused.json["code"] == "video_not_watched"
    assert db.session.scalar(select(LessonProgress.completed_at)) is None


def test_a_lesson_without_video_completes_by_the_button(client, student_in):
    course = make_course()
    reading = make_lesson(course, title="Reading", position=1)
    make_lesson(course, title="Next", position=2)
    _, headers = student_in(course)

    response = beat(client, headers, reading, 0, completed=True)

    assert response.status_code == 200
    assert response.json["completed"] is True
    progress = client.get(f"/api/courses/{course.slug}/progress", headers=headers).json
    assert progress["completed_lessons"] == 1 and progress["total_lessons"] == 2
    assert progress["percent"] == 50


def test_a_failed_or_pending_video_counts_as_no_video(client, student_in):
    course = make_course()
    lesson = make_lesson(course, duration_seconds=100, video_status="failed")
    make_lesson(course, position=2)
    _, headers = student_in(course)

    assert beat(client, headers, lesson, 0, completed=True).json["completed"] is True


def test_continue_goes_to_the_next_unfinished_lesson(client, student_in):
    course = make_course()
    first = make_lesson(course, position=1)
    second = make_lesson(course, position=2)
    third = make_lesson(course, position=3)
    _, headers = student_in(course)

    def resume():
        return client.get(f"/api/courses/{course.id}/progress", headers=headers).json[
            "resume_lesson_id"
        ]

    assert resume() == str(first.id)  # nothing started: the first lesson
    beat(client, headers, second, 0, completed=True)
    assert resume() == str(third.id)  # after a finished lesson: the next unfinished one
    beat(client, headers, third, 0, completed=True)
    assert resume() == str(first.id)  # wraps round to what was skipped
    beat(client, headers, first, 0, completed=True)
    assert resume() is None


def test_my_courses_carry_progress_most_recent_first(client, student_in, clock):
    older, newer = make_course(title="Older"), make_course(title="Newer")
    lesson_old = make_lesson(older)
    make_lesson(older, position=2)
    student, headers = student_in(older)
    enroll(student, newer)
    make_lesson(newer)

    clock.advance(60)  # worked on the older course after joining the newer one
    beat(client, headers, lesson_old, 0, completed=True)
    items = client.get("/api/me/courses", headers=headers).json["items"]

    assert [item["course"]["title"] for item in items] == ["Older", "Newer"]
    assert items[0]["progress"] == {
        "completed_lessons": 1,
        "total_lessons": 2,
        "percent": 50,
        "resume_lesson_id": items[0]["progress"]["resume_lesson_id"],
        "last_activity_at": items[0]["progress"]["last_activity_at"],
    }
    assert items[0]["progress"]["last_activity_at"] is not None
    assert items[1]["progress"]["percent"] == 0
    assert items[1]["progress"]["last_activity_at"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"position_seconds": -1}, "position_seconds"),
        ({"position_seconds": 10**9}, "position_seconds"),
        ({"position_seconds": "12"}, "position_seconds"),
        ({"position_seconds": 1.5}, "position_seconds"),
        ({}, "position_seconds"),
        ({"position_seconds": 1, "completed": "yes please"}, "completed"),
    ],
)
def test_bad_heartbeats_are_refused_and_write_nothing(client, student_in, body, field):
    course = make_course()
    lesson = video_lesson(course)
    _, headers = student_in(course)

    response = client.post(f"/api/lessons/{lesson.id}/progress", json=body, headers=headers)

    assert response.status_code == 422
    assert field in response.json["fields"]
    assert rows() == 0


def test_a_position_past_the_end_of_the_video_is_refused(client, student_in):
    course = make_course()
    lesson = video_lesson(course, duration=100)
    _, headers = student_in(course)

    assert beat(client, headers, lesson, 102).status_code == 200  # players overshoot a little
    response = beat(client, headers, lesson, 160)

    assert response.status_code == 422 and response.json["code"] == "position_out_of_range"
    assert db.session.scalar(select(LessonProgress.position_seconds)) == 102


def test_only_enrolled_students_record_progress(client, make_user, auth_headers):
    owner = make_user("teacher")
    course = make_course(owner)
    preview = video_lesson(course, is_free_preview=True)
    stranger = auth_headers(make_user())

    assert beat(client, stranger, preview, 5).status_code == 403
    assert beat(client, auth_headers(owner), preview, 5).json["code"] == "not_enrolled"
    assert (
        client.post(f"/api/lessons/{preview.id}/progress", json={"position_seconds": 1}).status_code
        == 401
    )
    assert beat(client, stranger, type("L", (), {"id": uuid.uuid4()}), 5).status_code == 404
    draft = make_course(owner, is_published=False)
    hidden = make_lesson(draft)
    assert beat(client, stranger, hidden, 0).status_code == 404
    assert client.get(f"/api/courses/{course.id}/progress", headers=stranger).status_code == 403
    assert rows() == 0


def test_a_revoked_enrollment_records_nothing(client, student_in):
    from pathshala.enrollments import service as enrollments

    course = make_course()
    lesson = make_lesson(course)
    student, headers = student_in(course)
    enrollments.revoke(enrollments.active_enrollment(student.id, course.id))
    db.session.commit()

    assert beat(client, headers, lesson, 0, completed=True).status_code == 403
    assert rows() == 0


def test_heartbeats_are_one_upsert_after_the_checks(client, student_in, count_queries):
    course = make_course()
    lesson = video_lesson(course)
    _, headers = student_in(course)
    beat(client, headers, lesson, 0)

    with count_queries() as queries:
        assert beat(client, headers, lesson, 10).status_code == 200
    writes = [q for q in queries if q.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert len(writes) == 1 and "ON CONFLICT" in writes[0].upper()


def test_progress_list_query_count_does_not_grow_with_lessons(client, student_in, count_queries):
    course = make_course()
    lessons = [make_lesson(course, position=i) for i in range(3)]
    _, headers = student_in(course)
    beat(client, headers, lessons[0], 0, completed=True)
    with count_queries() as few:
        client.get(f"/api/courses/{course.id}/progress", headers=headers)
    for i in range(40):
        lesson = make_lesson(course, position=10 + i)
        beat(client, headers, lesson, 0, completed=True)
    with count_queries() as many:
        response = client.get(f"/api/courses/{course.id}/progress", headers=headers)
    assert response.json["completed_lessons"] == 41
    assert len(many) == len(few)
