"""One row per student and lesson: where they are in it, how much they watched, when they
finished it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from pathshala.columns import Timestamps, UTCDateTime, uuid_pk
from pathshala.extensions import db


class LessonProgress(Timestamps, db.Model):
    __tablename__ = "lesson_progress"
    __table_args__ = (
        UniqueConstraint("user_id", "lesson_id"),
        CheckConstraint("position_seconds >= 0", name="position_not_negative"),
        CheckConstraint("watched_seconds >= 0", name="watched_not_negative"),
        # A course's progress for one student, and "continue where you left off" (newest first).
        Index(
            "ix_lesson_progress_user_id_course_id_updated_at", "user_id", "course_id", "updated_at"
        ),
        Index("ix_lesson_progress_lesson_id", "lesson_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    lesson_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("lessons.id", ondelete="CASCADE"), nullable=False
    )
    # The lesson's course, kept here so a course's progress is one indexed range read.
    course_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False
    )
    position_seconds: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    watched_seconds: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Milliseconds since the epoch of the last heartbeat: plain arithmetic in the upsert on
    # Postgres and SQLite alike, to cap how much a heartbeat may add to watched_seconds.
    heartbeat_ms: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
