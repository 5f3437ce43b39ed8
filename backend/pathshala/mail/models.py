"""The mail outbox: every message is written here first, in the sender's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pathshala.columns import UTCDateTime, utcnow, uuid_pk
from pathshala.extensions import db

MAIL_STATUSES = ("pending", "sent", "logged", "failed")


class OutboxMessage(db.Model):
    __tablename__ = "mail_outbox"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'sent', 'logged', 'failed')", name="status_is_known"
        ),
        Index("ix_mail_outbox_status_created_at", "status", "created_at"),
        Index("ix_mail_outbox_to_address", "to_address"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    to_address: Mapped[str] = mapped_column(String(254), nullable=False)
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    body_text: Mapped[str] = mapped_column(Text, nullable=False)
    body_html: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
