"""What the notification tests share: rows as the database has them now."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from pathshala.extensions import db
from pathshala.mail.models import OutboxMessage
from pathshala.notifications.models import Notification


def notifications_of(user_id: uuid.UUID, kind: str | None = None) -> list[Notification]:
    db.session.expire_all()
    query = select(Notification).where(Notification.user_id == user_id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query.order_by(Notification.created_at)))


def outbox_of(address: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.to_address == address)
            .order_by(OutboxMessage.created_at)
        )
    )


def notification_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Notification)) or 0
