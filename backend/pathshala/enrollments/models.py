"""Enrollments are entitlements: who may learn a course, and how they came to (source).
Payments are recorded separately; a payment grants an enrollment, a refund may revoke it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pathshala.columns import Timestamps, UTCDateTime, uuid_pk
from pathshala.courses.models import Course
from pathshala.extensions import db
from pathshala.users.models import User

SOURCES = ("free", "razorpay", "stripe", "manual", "admin_grant")
STATUSES = ("active", "revoked")


class Enrollment(Timestamps, db.Model):
    __tablename__ = "enrollments"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id"),
        CheckConstraint(
            "source IN ('free', 'razorpay', 'stripe', 'manual', 'admin_grant')",
            name="source_is_known",
        ),
        CheckConstraint("status IN ('active', 'revoked')", name="status_is_known"),
        Index("ix_enrollments_course_id_status", "course_id", "status"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    course_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("courses.id", ondelete="RESTRICT"), nullable=False
    )
    source: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="active")
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship()
    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status == "active"
