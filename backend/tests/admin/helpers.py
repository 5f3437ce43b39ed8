"""What the admin tests share: an admin's headers, and the audit log as the database has it."""

from __future__ import annotations

from sqlalchemy import select

from pathshala.audit.models import AuditEvent
from pathshala.extensions import db
from pathshala.users.models import User
from tests import factories


def admin_with_headers(**fields) -> tuple[User, dict[str, str]]:
    admin = factories.make_user("admin", name=fields.pop("name", "Ada Admin"), **fields)
    return admin, factories.auth_headers(admin)


def audit_events(target: User | None = None) -> list[AuditEvent]:
    """Every audit event (about ``target`` when given), oldest first, as committed."""
    db.session.expire_all()
    query = select(AuditEvent).order_by(AuditEvent.created_at)
    if target is not None:
        query = query.where(
            AuditEvent.target_type == "user", AuditEvent.target_id == str(target.id)
        )
    return list(db.session.scalars(query))


def fresh(user: User) -> User:
    """The user's row as committed (another request changed it)."""
    db.session.expire_all()
    reloaded = db.session.get(User, user.id)
    assert reloaded is not None
    return reloaded
