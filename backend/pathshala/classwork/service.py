"""Classwork rules: the course's owner (or an admin) sets and grades it; actively enrolled
students submit, and may resubmit until their work is graded."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import joinedload

from pathshala.certificates import service as certificates
from pathshala.classwork.models import Classwork, Submission
from pathshala.columns import utcnow
from pathshala.courses import service as courses
from pathshala.courses.models import Course
from pathshala.enrollments.models import Enrollment
from pathshala.errors import Conflict, Forbidden, InvalidInput, NotFound
from pathshala.extensions import db
from pathshala.notifications import service as notifications
from pathshala.sql import insert_ignoring_duplicates
from pathshala.users.models import User


def _with_enrollment(query: Select, user: User) -> Select:
    """Add whether ``user`` is actively enrolled in the query's Course (one row at most:
    enrollments are unique per user and course), so access needs no query of its own."""
    return query.add_columns(Enrollment.id).outerjoin(
        Enrollment,
        and_(
            Enrollment.course_id == Course.id,
            Enrollment.user_id == user.id,
            Enrollment.status == "active",
        ),
    )


def _classwork(classwork_id: uuid.UUID, user: User) -> tuple[Classwork, Course, bool]:
    """The classwork, its course and whether the user is enrolled in it, in one query."""
    row = db.session.execute(
        _with_enrollment(
            select(Classwork, Course).join(Course, Course.id == Classwork.course_id), user
        ).where(Classwork.id == classwork_id)
    ).first()
    if row is None:
        raise NotFound("No such classwork.", code="classwork_not_found")
    classwork, course, enrollment_id = row
    return classwork, course, enrollment_id is not None


def _ensure_participant(course: Course, user: User, enrolled: bool) -> bool:
    """Owner/admin (True) or actively enrolled student (False); anyone else is refused."""
    if courses.can_edit(course, user):
        return True
    if not enrolled:
        raise Forbidden("Enroll in this course to see its classwork.", code="not_enrolled")
    return False


@dataclass
class ClassworkEntry:
    """A classwork item with the caller's own submission (students) or None."""

    classwork: Classwork
    my_submission: Submission | None
    submission_count: int | None = None
    ungraded_count: int | None = None

    def __getattr__(self, name: str):
        return getattr(self.classwork, name)


def list_for_course(course_id: uuid.UUID, user: User) -> list[ClassworkEntry]:
    """Participants only; a student's entries carry their own submission and grade.
    Two queries, however much classwork and however many submissions."""
    row = db.session.execute(
        _with_enrollment(select(Course), user).where(Course.id == course_id)
    ).first()
    if row is None:
        raise NotFound("No such course.", code="course_not_found")
    course, enrollment_id = row
    editor = _ensure_participant(course, user, enrollment_id is not None)
    order = (Classwork.due_at.asc().nulls_last(), Classwork.created_at, Classwork.id)
    if editor:
        # What the teacher needs on the list ("3 to grade"), counted in the same query.
        handed_in = (
            select(func.count(Submission.id))
            .where(Submission.classwork_id == Classwork.id)
            .scalar_subquery()
        )
        to_grade = (
            select(func.count(Submission.id))
            .where(Submission.classwork_id == Classwork.id, Submission.grade.is_(None))
            .scalar_subquery()
        )
        rows = db.session.execute(
            select(Classwork, handed_in, to_grade)
            .where(Classwork.course_id == course_id)
            .order_by(*order)
        )
        return [ClassworkEntry(cw, None, count, ungraded) for cw, count, ungraded in rows]
    rows = db.session.execute(
        select(Classwork, Submission)
        .outerjoin(
            Submission,
            and_(Submission.classwork_id == Classwork.id, Submission.student_id == user.id),
        )
        .where(Classwork.course_id == course_id)
        .order_by(*order)
    )
    return [ClassworkEntry(classwork, mine) for classwork, mine in rows]


def get(classwork_id: uuid.UUID, user: User) -> Classwork:
    classwork, course, enrolled = _classwork(classwork_id, user)
    _ensure_participant(course, user, enrolled)
    return classwork


def create(course_id: uuid.UUID, user: User, fields: dict) -> Classwork:
    course = courses.get_course_for_edit(course_id, user)
    classwork = Classwork(course_id=course.id, **fields)
    db.session.add(classwork)
    db.session.commit()
    return classwork


def update(classwork_id: uuid.UUID, user: User, fields: dict) -> Classwork:
    classwork, course, _enrolled = _classwork(classwork_id, user)
    courses.ensure_can_edit(course, user)
    if "max_points" in fields:
        highest = db.session.scalar(
            select(Submission.grade)
            .where(Submission.classwork_id == classwork.id, Submission.grade.is_not(None))
            .order_by(Submission.grade.desc())
            .limit(1)
        )
        if highest is not None and fields["max_points"] < highest:
            raise Conflict(
                f"A submission is already graded {highest}; max points cannot be lower.",
                code="max_points_below_grade",
            )
    for name, value in fields.items():
        setattr(classwork, name, value)
    db.session.commit()
    return classwork


def delete(classwork_id: uuid.UUID, user: User) -> None:
    classwork, course, _enrolled = _classwork(classwork_id, user)
    courses.ensure_can_edit(course, user)
    db.session.delete(classwork)
    db.session.commit()


def submit(
    classwork_id: uuid.UUID, user: User, *, text: str, attachment_ref: str | None
) -> tuple[Submission, bool]:
    """Submit or resubmit (until graded). Returns the submission and whether it is new.
    One row per student per classwork, also when two submits race."""
    classwork, course, enrolled = _classwork(classwork_id, user)
    if courses.can_edit(course, user) or not enrolled:
        raise Forbidden("Only students enrolled in this course can submit.", code="not_enrolled")
    if not text.strip() and not attachment_ref:
        raise InvalidInput(
            "Write an answer or attach a file.",
            code="empty_submission",
            fields={"text": ["Write an answer or attach a file."]},
        )
    now = utcnow()
    created = (
        insert_ignoring_duplicates(
            Submission,
            [
                {
                    "id": uuid.uuid4(),
                    "classwork_id": classwork.id,
                    "student_id": user.id,
                    "text": text,
                    "attachment_ref": attachment_ref,
                    "submitted_at": now,
                }
            ],
        )
        == 1
    )
    submission = db.session.scalar(
        select(Submission)
        .where(Submission.classwork_id == classwork.id, Submission.student_id == user.id)
        .with_for_update()
    )
    assert submission is not None
    if not created:
        if submission.is_graded:
            db.session.rollback()
            raise Conflict(
                "This work is already graded and can no longer be changed.", code="already_graded"
            )
        submission.text, submission.attachment_ref, submission.submitted_at = (
            text,
            attachment_ref,
            now,
        )
    db.session.commit()
    return submission, created


def list_submissions(classwork_id: uuid.UUID, user: User) -> list[Submission]:
    """The owner sees every submission (with the student); a student sees only their own."""
    classwork, course, enrolled = _classwork(classwork_id, user)
    is_owner = _ensure_participant(course, user, enrolled)
    query = (
        select(Submission)
        .options(joinedload(Submission.student))
        .where(Submission.classwork_id == classwork.id)
        .order_by(Submission.submitted_at.desc())
    )
    if not is_owner:
        query = query.where(Submission.student_id == user.id)
    return list(db.session.scalars(query))


def grade(submission_id: uuid.UUID, user: User, *, points: int, feedback: str) -> Submission:
    row = db.session.execute(
        select(Submission, Classwork, Course)
        .join(Classwork, Classwork.id == Submission.classwork_id)
        .join(Course, Course.id == Classwork.course_id)
        .where(Submission.id == submission_id)
    ).first()
    if row is None:
        raise NotFound("No such submission.", code="submission_not_found")
    submission, classwork, course = row
    courses.ensure_can_edit(course, user)
    if points > classwork.max_points:
        raise InvalidInput(
            f"The grade cannot exceed {classwork.max_points} points.",
            fields={"grade": [f"At most {classwork.max_points}."]},
        )
    if (submission.grade, submission.feedback) != (points, feedback):  # not a repeated click
        notifications.classwork_graded(submission.student_id, course, classwork, points=points)
    submission.grade, submission.feedback = points, feedback
    submission.graded_by, submission.graded_at = user.id, utcnow()
    # A passing grade may be the last thing a course with a pass mark was waiting for.
    certificates.issue_if_earned(submission.student_id, course.id)
    db.session.commit()
    return submission
