"""Who may learn what. Every grant goes through ``grant``: idempotent, one row per
(user, course), guarded by the unique constraint under concurrent requests."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from pathshala.columns import utcnow
from pathshala.enrollments.models import Enrollment
from pathshala.extensions import db
from pathshala.notifications import service as notifications
from pathshala.sql import insert_ignoring_duplicates


def active_enrollment(user_id: uuid.UUID | None, course_id: uuid.UUID) -> Enrollment | None:
    if user_id is None:
        return None
    return db.session.scalar(
        select(Enrollment).where(
            Enrollment.user_id == user_id,
            Enrollment.course_id == course_id,
            Enrollment.status == "active",
        )
    )


def grant(
    user_id: uuid.UUID, course_id: uuid.UUID, *, source: str, announce: bool = True
) -> tuple[Enrollment, bool]:
    """Make the user actively enrolled; returns (enrollment, whether anything changed).
    A revoked enrollment is re-activated with the new source. Runs in the caller's transaction.
    A change is announced (an ``enrolled`` notification) unless the caller tells the news
    itself (a payment: ``payment_received`` says the course is unlocked)."""
    now = utcnow()
    inserted = insert_ignoring_duplicates(
        Enrollment,
        [
            {
                "id": uuid.uuid4(),
                "user_id": user_id,
                "course_id": course_id,
                "source": source,
                "status": "active",
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    enrollment = db.session.scalar(
        select(Enrollment)
        .where(Enrollment.user_id == user_id, Enrollment.course_id == course_id)
        .with_for_update()
    )
    assert enrollment is not None  # inserted above or already there
    changed = inserted == 1
    if enrollment.status != "active":
        enrollment.status, enrollment.source, enrollment.revoked_at = "active", source, None
        changed = True
    if changed and announce:
        notifications.enrolled(user_id, course_id)
    return enrollment, changed


def revoke(enrollment: Enrollment) -> None:
    enrollment.status = "revoked"
    enrollment.revoked_at = utcnow()


def enrolled_course_ids(user_id: uuid.UUID, course_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    if not course_ids:
        return set()
    return set(
        db.session.scalars(
            select(Enrollment.course_id).where(
                Enrollment.user_id == user_id,
                Enrollment.course_id.in_(course_ids),
                Enrollment.status == "active",
            )
        )
    )
