"""A certificate keeps what it certifies (names, course, date) as issued, with a SHA-256 over
that canonical data: later renames do not rewrite it, and an edit behind the platform's back
shows as a hash mismatch."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from pathshala.columns import UTCDateTime, utcnow, uuid_pk
from pathshala.extensions import db

ISSUE_REASONS = ("completed", "manual")


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (
        # One per student and course, also when two completions race.
        UniqueConstraint("user_id", "course_id"),
        UniqueConstraint("code"),
        CheckConstraint("issue_reason IN ('completed', 'manual')", name="issue_reason_is_known"),
        Index("ix_certificates_course_id", "course_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    code: Mapped[str] = mapped_column(String(14), nullable=False)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    course_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("courses.id", ondelete="RESTRICT"), nullable=False
    )
    student_name: Mapped[str] = mapped_column(String(200), nullable=False)
    course_title: Mapped[str] = mapped_column(String(200), nullable=False)
    instructor_name: Mapped[str] = mapped_column(String(200), nullable=False)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    issue_reason: Mapped[str] = mapped_column(String(10), nullable=False)
    issued_by: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL")
    )
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL")
    )
    revoked_reason: Mapped[str | None] = mapped_column(Text)
