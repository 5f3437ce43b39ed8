"""An ``uploads`` row per upload a client asked to make: who, what for, what arrived, and
where it went. Lesson attachments name the upload they are made of."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pathshala.columns import Timestamps, UTCDateTime, uuid_pk
from pathshala.extensions import db
from pathshala.users.models import User

PURPOSES = ("lesson_video", "thumbnail", "attachment", "avatar")
#: signed: a URL was handed out; uploaded: the bytes arrived and passed the checks;
#: attached: in use (lesson video, thumbnail, ...); rejected: refused, bytes deleted
UPLOAD_STATUSES = ("signed", "uploaded", "attached", "rejected")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class Upload(Timestamps, db.Model):
    __tablename__ = "uploads"
    __table_args__ = (
        CheckConstraint(_one_of("purpose", PURPOSES), name="purpose_is_known"),
        CheckConstraint(_one_of("status", UPLOAD_STATUSES), name="status_is_known"),
        CheckConstraint("size > 0", name="size_positive"),
        # A user's uploads, newest first; what a lesson or course was given.
        Index("ix_uploads_user_id_created_at", "user_id", "created_at"),
        Index("ix_uploads_lesson_id", "lesson_id"),
        Index("ix_uploads_course_id", "course_id"),
        # Clean-up of signed URLs nobody used.
        Index("ix_uploads_status_expires_at", "status", "expires_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    purpose: Mapped[str] = mapped_column(String(20), nullable=False)
    lesson_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("lessons.id", ondelete="SET NULL")
    )
    course_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("courses.id", ondelete="SET NULL")
    )
    #: the client's name for the file, sanitised (no path parts, no control characters)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    #: the size the URL was signed for; the bytes must match it exactly
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str | None] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(500), nullable=False, unique=True)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="signed")
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: when the single-use upload URL was used (local storage)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LessonAttachment(Timestamps, db.Model):
    """A file students of a lesson may download (worksheet, slides, notes)."""

    __tablename__ = "lesson_attachments"
    __table_args__ = (Index("ix_lesson_attachments_lesson_id_position", "lesson_id", "position"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    lesson_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("lessons.id", ondelete="CASCADE"), nullable=False
    )
    upload_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("uploads.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    title: Mapped[str] = mapped_column(String(255), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    upload: Mapped[Upload] = relationship()
