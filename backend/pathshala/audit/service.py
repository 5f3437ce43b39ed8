"""Recording audit events. There is deliberately no function that changes or removes one."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from pathshala.audit.models import AuditEvent
from pathshala.extensions import db
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
