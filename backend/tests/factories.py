"""Make rows with sensible defaults: ``make_user(role="teacher")``."""

from __future__ import annotations

import uuid

from pathshala.auth import sessions
from pathshala.extensions import db
from pathshala.users import service as users
from pathshala.users.models import User

DEFAULT_PASSWORD = "a-fine-password-42"


def make_user(
    role: str = "student",
    *,
    email: str | None = None,
    name: str = "Test Person",
    password: str | None = DEFAULT_PASSWORD,
    **fields,
) -> User:
    user = users.create_user(
        email=email or f"{role}-{uuid.uuid4().hex[:10]}@example.com",
        name=name,
        role=role,
        password=password,
    )
    for key, value in fields.items():
        setattr(user, key, value)
    db.session.commit()
    return user


def auth_headers(user: User) -> dict[str, str]:
    tokens = sessions.issue(user)
    db.session.commit()
    return {"Authorization": f"Bearer {tokens.access_token}"}


def make_course(owner: User | None = None, **fields):
    """A published free course with no lessons unless told otherwise."""
    from pathshala.courses.models import Course

    owner = owner or make_user("teacher")
    values = {
        "title": "Course " + uuid.uuid4().hex[:8],
        "slug": "course-" + uuid.uuid4().hex,
        "price": 0,
        "is_published": True,
    }
    values.update(fields)
    course = Course(instructor_id=owner.id, **values)
    db.session.add(course)
    db.session.commit()
    return course


def make_lesson(course, **fields):
    from pathshala.courses.models import Lesson

    values = {"title": "Lesson " + uuid.uuid4().hex[:6], "position": 1, "duration_seconds": 60}
    values.update(fields)
    lesson = Lesson(course_id=course.id, **values)
    db.session.add(lesson)
    db.session.commit()
    return lesson


def enroll(user: User, course, source: str = "free"):
    from pathshala.enrollments import service as enrollments

    enrollment, _ = enrollments.grant(user.id, course.id, source=source)
    db.session.commit()
    return enrollment
