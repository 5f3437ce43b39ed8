"""Recording audit events. There is deliberately no function that changes or removes one."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import has_request_context, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from pathshala.audit.models import AuditEvent
from pathshala.extensions import db
from pathshala.pagination import Page, paginate
from pathshala.users.models import User


def record(
    actor: User | None,
    action: str,
    target_type: str,
    target_id: str,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an event in the caller's transaction (it stands or falls with the change it
    describes). The client address is the one ProxyFix resolved from the trusted proxy."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        data=data or {},
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event


SORTS = {
    "newest": (AuditEvent.created_at.desc(), AuditEvent.id.desc()),
    "oldest": (AuditEvent.created_at.asc(), AuditEvent.id.asc()),
}


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def list_events(
    *,
    action: str | None,
    actor_id: Any | None,
    target_type: str | None,
    target_id: str | None,
    date_from: date | None,
    date_to: date | None,
    page: int,
    per_page: int,
    sort: str,
) -> Page:
    """The log, newest first, filtered. ``action`` matches exactly, or a whole family when it
    ends with a dot (``payment.``); dates are UTC days, both inclusive. Two queries."""
    query = select(AuditEvent).options(joinedload(AuditEvent.actor))
    if action:
        query = query.where(
            AuditEvent.action.startswith(action, autoescape=True)
            if action.endswith(".")
            else AuditEvent.action == action
        )
    if actor_id:
        query = query.where(AuditEvent.actor_id == actor_id)
    if target_type:
        query = query.where(AuditEvent.target_type == target_type)
    if target_id:
        query = query.where(AuditEvent.target_id == target_id)
    if date_from:
        query = query.where(AuditEvent.created_at >= _day_start(date_from))
    if date_to:
        query = query.where(AuditEvent.created_at < _day_start(date_to + timedelta(days=1)))
    return paginate(query, page=page, per_page=per_page, sort=sort, sorts=SORTS)
