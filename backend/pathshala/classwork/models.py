"""Classwork a teacher sets for a course, and students' submissions to it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pathshala.columns import Timestamps, UTCDateTime, utcnow, uuid_pk
from pathshala.extensions import db
from pathshala.users.models import User


class Classwork(Timestamps, db.Model):
    __tablename__ = "classwork"
    __table_args__ = (
        CheckConstraint("max_points > 0", name="max_points_positive"),
        Index("ix_classwork_course_id_due_at", "course_id", "due_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    course_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    instructions: Mapped[str] = mapped_column(Text, nullable=False, default="")
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    max_points: Mapped[int] = mapped_column(Integer, nullable=False, default=100)
    attachment_ref: Mapped[str | None] = mapped_column(String(500))


class Submission(db.Model):
    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("classwork_id", "student_id"),
        CheckConstraint("grade IS NULL OR grade >= 0", name="grade_not_negative"),
        Index("ix_submissions_student_id", "student_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    classwork_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("classwork.id", ondelete="CASCADE"), nullable=False
    )
    student_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    attachment_ref: Mapped[str | None] = mapped_column(String(500))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    grade: Mapped[int | None] = mapped_column(Integer)
    feedback: Mapped[str | None] = mapped_column(Text)
    graded_by: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL")
    )
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    student: Mapped[User] = relationship(foreign_keys=[student_id])

    @property
    def is_graded(self) -> bool:
        return self.graded_at is not None
