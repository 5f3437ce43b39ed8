"""Make rows with sensible defaults: ``make_user(role="teacher")``."""

from __future__ import annotations

import uuid

from pathshala.auth import sessions
from pathshala.extensions import db
from pathshala.users import service as users
from pathshala.users.models import User

DEFAULT_PASSWORD = "a-fine-password-42"


def make_user(
    role: str = "student",
    *,
    email: str | None = None,
    name: str = "Test Person",
    password: str | None = DEFAULT_PASSWORD,
    **fields,
) -> User:
    user = users.create_user(
        email=email or f"{role}-{uuid.uuid4().hex[:10]}@example.com",
        name=name,
        role=role,
        password=password,
    )
    for key, value in fields.items():
        setattr(user, key, value)
    db.session.commit()
    return user


def auth_headers(user: User) -> dict[str, str]:
    tokens = sessions.issue(user)
    db.session.commit()
    return {"Authorization": f"Bearer {tokens.access_token}"}
