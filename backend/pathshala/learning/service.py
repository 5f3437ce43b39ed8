"""Progress rules.

- Only actively enrolled students record progress (403 ``not_enrolled`` otherwise, 404 when
  the course is not visible to them at all).
- A heartbeat is one upsert. It moves the resume position and adds to the watched time at
  most what could really have played since the previous heartbeat (wall time at double
  speed plus a few seconds), so skipping to the end does not count as watching.
- A video lesson completes by itself once 90% of it has been watched; asking to complete it
  earlier is refused (409 ``video_not_watched``). A lesson without a ready video completes
  when the student says so. Completion is never undone by a later heartbeat.
- Completing the last lesson hands over to certificates, in the same transaction.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, null, select

from pathshala.certificates import service as certificates
from pathshala.columns import utcnow
from pathshala.courses import service as courses
from pathshala.courses.models import Lesson
from pathshala.enrollments.models import Enrollment
from pathshala.errors import Conflict, Forbidden, InvalidInput, NotFound
from pathshala.extensions import db
from pathshala.learning.models import LessonProgress
from pathshala.sql import greatest, least, upsert_insert
from pathshala.users.models import User

COMPLETE_SHARE = 0.9
MAX_PLAYBACK_RATE = 2
HEARTBEAT_SLACK_SECONDS = 5
# Players report a position a little past the last frame.
POSITION_SLACK_SECONDS = 2


@dataclass(frozen=True)
class HeartbeatResult:
    lesson_id: uuid.UUID
    position_seconds: int
    watched_seconds: int
    completed_at: datetime | None
    #: the certificate this heartbeat earned, if it finished the course
    certificate_code: str | None

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


@dataclass(frozen=True)
class LessonState:
    lesson_id: uuid.UUID
    position_seconds: int
    watched_seconds: int
    completed_at: datetime | None
    updated_at: datetime

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


@dataclass
class CourseProgress:
    course_id: uuid.UUID
    total_lessons: int
    lessons: list[LessonState]
    #: where "Continue" goes: the lesson last worked on, or the next unfinished one
    resume_lesson_id: uuid.UUID | None
    last_activity_at: datetime | None
    #: the student's standing certificate of the course (filled by course_progress)
    certificate_code: str | None = None

    @property
    def completed_lessons(self) -> int:
        return sum(1 for state in self.lessons if state.completed)

    @property
    def percent(self) -> int:
        if not self.total_lessons:
            return 0
        return math.floor(100 * self.completed_lessons / self.total_lessons)


def _enrolled_lesson(lesson_id: uuid.UUID, user: User) -> Lesson:
    """The lesson, with the caller's active enrollment in its course checked in the same
    query (a heartbeat comes every 15 s from every student watching)."""
    row = db.session.execute(
        select(Lesson, Enrollment.id)
        .outerjoin(
            Enrollment,
            and_(
                Enrollment.course_id == Lesson.course_id,
                Enrollment.user_id == user.id,
                Enrollment.status == "active",
            ),
        )
        .where(Lesson.id == lesson_id)
    ).first()
    if row is None:
        raise NotFound("No such lesson.", code="lesson_not_found")
    lesson, enrollment_id = row
    if enrollment_id is None:
        try:
            courses.view_course(str(lesson.course_id), user)
        except NotFound as error:
            raise NotFound("No such lesson.", code="lesson_not_found") from error
        raise Forbidden(
            "Only students enrolled in this course record progress.", code="not_enrolled"
        )
    return lesson


def has_playable_video(lesson: Lesson) -> bool:
    return lesson.video_status == "ready" and lesson.duration_seconds > 0


def record_progress(
    lesson_id: uuid.UUID, user: User, *, position_seconds: int, completed: bool
) -> HeartbeatResult:
    """A heartbeat from the player (position, and completed when the student finishes)."""
    lesson = _enrolled_lesson(lesson_id, user)
    video = has_playable_video(lesson)
    if video and position_seconds > lesson.duration_seconds + POSITION_SLACK_SECONDS:
        raise InvalidInput(
            "The position is past the end of the video.",
            code="position_out_of_range",
            fields={"position_seconds": [f"At most {lesson.duration_seconds} for this lesson."]},
        )
    now = utcnow()
    insert = upsert_insert(LessonProgress).values(
        id=uuid.uuid4(),
        user_id=user.id,
        lesson_id=lesson.id,
        course_id=lesson.course_id,
        position_seconds=position_seconds,
        watched_seconds=0,
        heartbeat_ms=int(now.timestamp() * 1000),
        completed_at=now if completed and not video else None,
        created_at=now,
        updated_at=now,
    )
    stored, incoming = LessonProgress.__table__.c, insert.excluded
    if video:
        forward = greatest(incoming.position_seconds - stored.position_seconds, 0)
        # What could have played since the last heartbeat: wall time at the fastest rate.
        elapsed_ms = greatest(incoming.heartbeat_ms - stored.heartbeat_ms, 0)
        allowance = elapsed_ms * MAX_PLAYBACK_RATE // 1000 + HEARTBEAT_SLACK_SECONDS
        watched = least(stored.watched_seconds + least(forward, allowance), lesson.duration_seconds)
        threshold = math.ceil(COMPLETE_SHARE * lesson.duration_seconds)
        completed_at = func.coalesce(
            stored.completed_at, case((watched >= threshold, incoming.updated_at), else_=null())
        )
    else:
        watched = stored.watched_seconds
        completed_at = func.coalesce(stored.completed_at, incoming.completed_at)
    upsert = insert.on_conflict_do_update(
        index_elements=[stored.user_id, stored.lesson_id],
        set_={
            "position_seconds": incoming.position_seconds,
            "watched_seconds": watched,
            "heartbeat_ms": incoming.heartbeat_ms,
            "completed_at": completed_at,
            "updated_at": incoming.updated_at,
        },
    ).returning(stored.position_seconds, stored.watched_seconds, stored.completed_at)
    row = db.session.execute(upsert).one()
    if completed and row.completed_at is None:
        db.session.rollback()
        raise Conflict(
            "Watch at least 90% of the video to complete this lesson.", code="video_not_watched"
        )
    certificate_code = None
    if row.completed_at == now:  # completed by this very heartbeat
        certificate = certificates.issue_if_earned(user.id, lesson.course_id)
        certificate_code = certificate.code if certificate else None
    db.session.commit()
    # lesson_id, not lesson.id: reading the expired lesson after commit would reload it.
    return HeartbeatResult(
        lesson_id, row.position_seconds, row.watched_seconds, row.completed_at, certificate_code
    )


def progress_for_courses(
    user_id: uuid.UUID, course_ids: list[uuid.UUID]
) -> dict[uuid.UUID, CourseProgress]:
    """Progress in each course: the lessons in order with the student's state of each, in one
    query whatever the number of courses or lessons."""
    if not course_ids:
        return {}
    lesson_order: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    states: dict[uuid.UUID, list[LessonState]] = defaultdict(list)
    for row in db.session.execute(
        select(
            Lesson.id,
            Lesson.course_id,
            LessonProgress.position_seconds,
            LessonProgress.watched_seconds,
            LessonProgress.completed_at,
            LessonProgress.updated_at,
        )
        .outerjoin(
            LessonProgress,
            and_(LessonProgress.lesson_id == Lesson.id, LessonProgress.user_id == user_id),
        )
        .where(Lesson.course_id.in_(course_ids))
        .order_by(Lesson.course_id, Lesson.position, Lesson.created_at)
    ):
        lesson_order[row.course_id].append(row.id)
        if row.updated_at is not None:
            states[row.course_id].append(
                LessonState(
                    row.id,
                    row.position_seconds,
                    row.watched_seconds,
                    row.completed_at,
                    row.updated_at,
                )
            )
    return {
        course_id: _course_progress(
            course_id,
            lesson_order[course_id],
            sorted(states[course_id], key=lambda state: state.updated_at, reverse=True),
        )
        for course_id in course_ids
    }


def _course_progress(
    course_id: uuid.UUID, ordered: list[uuid.UUID], newest_first: list[LessonState]
) -> CourseProgress:
    """Counts and where to continue: the lesson last worked on while unfinished, else the
    next unfinished one after it (wrapping round), else nothing (all done)."""
    done = {state.lesson_id for state in newest_first if state.completed}
    resume: uuid.UUID | None
    if not newest_first:
        resume = ordered[0] if ordered else None
    elif not newest_first[0].completed:
        resume = newest_first[0].lesson_id
    else:
        after = ordered.index(newest_first[0].lesson_id)
        unfinished = [
            lesson for lesson in ordered[after + 1 :] + ordered[:after] if lesson not in done
        ]
        resume = unfinished[0] if unfinished else None
    return CourseProgress(
        course_id,
        len(ordered),
        newest_first,
        resume,
        newest_first[0].updated_at if newest_first else None,
    )


def course_progress(course_ref: str, user: User) -> CourseProgress:
    """The caller's progress in a course they are enrolled in."""
    view = courses.view_course(course_ref, user)
    if not view.enrolled:
        raise Forbidden(
            "Only students enrolled in this course have progress in it.", code="not_enrolled"
        )
    progress = progress_for_courses(user.id, [view.course.id])[view.course.id]
    progress.certificate_code = certificates.codes_for(user.id, [view.course.id]).get(
        view.course.id
    )
    return progress


@dataclass
class LearningItem:
    """An enrollment of the caller with its course and the caller's progress in it."""

    enrollment: Enrollment
    progress: CourseProgress
    certificate_code: str | None

    def __getattr__(self, name: str):
        return getattr(self.enrollment, name)


def my_learning(user: User) -> list[LearningItem]:
    """The caller's active enrollments, the course worked on most recently first, then the
    newest enrollment. Constant query count."""
    enrolled = courses.my_enrolled_courses(user)
    course_ids = [enrollment.course_id for enrollment in enrolled]
    progress = progress_for_courses(user.id, course_ids)
    codes = certificates.codes_for(user.id, course_ids)
    items = [
        LearningItem(enrollment, progress[enrollment.course_id], codes.get(enrollment.course_id))
        for enrollment in enrolled
    ]
    items.sort(
        key=lambda item: (
            item.progress.last_activity_at or item.enrollment.created_at,
            item.enrollment.created_at,
        ),
        reverse=True,
    )
    return items
