"""A notification is a row the user sees in the app; a preference turns the mail of one kind
off (no row: mail on)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from pathshala.columns import UTCDateTime, utcnow, uuid_pk
from pathshala.extensions import db

#: every kind of notification, in the order the preferences page lists them
KINDS = (
    "enrolled",
    "payment_received",
    "payment_refunded",
    "classwork_graded",
    "certificate_issued",
)
_KNOWN_KIND = "kind IN ('enrolled', 'payment_received', 'payment_refunded', " + (
    "'classwork_graded', 'certificate_issued')"
)


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(_KNOWN_KIND, name="kind_is_known"),
        # the list: a user's newest first
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
        # the unread badge, polled every 30 s: only unread rows are in this index
        Index(
            "ix_notifications_user_id_unread",
            "user_id",
            postgresql_where=text("read_at IS NULL"),
            sqlite_where=text("read_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    #: where the SPA goes when it is clicked, e.g. /learn/<slug>
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NotificationPreference(db.Model):
    __tablename__ = "notification_preferences"
    __table_args__ = (
        UniqueConstraint("user_id", "kind"),
        CheckConstraint(_KNOWN_KIND, name="kind_is_known"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    email_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
