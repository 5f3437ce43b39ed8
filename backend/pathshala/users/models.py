"""People on the platform and the roles they hold."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from pathshala.columns import Timestamps, UTCDateTime, uuid_pk
from pathshala.extensions import db

ROLES = ("student", "instructor", "teacher", "admin")
AUTHOR_ROLES = ("teacher", "instructor", "admin")
SELF_SERVICE_ROLES = ("student", "teacher", "instructor")


class Role(db.Model):
    """The four roles, as rows, so operators can join on them and the FK guards users.role."""

    __tablename__ = "roles"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    description: Mapped[str] = mapped_column(String(200), nullable=False)


class User(Timestamps, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('student', 'instructor', 'teacher', 'admin')", name="role_is_known"
        ),
        # Emails are unique whatever their case; lookups go through lower(email).
        Index("uq_users_email_lower", text("lower(email)"), unique=True),
        Index("ix_users_role", "role"),
        Index("ix_users_created_at", "created_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    # Null for accounts that only sign in with Google (or were created by an admin).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(
        String(20), ForeignKey("roles.name"), nullable=False, default="student"
    )
    google_sub: Mapped[str | None] = mapped_column(String(255), unique=True)
    is_banned: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    banned_reason: Mapped[str | None] = mapped_column(String(500))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: storage key of the user's avatar (WebP), when they uploaded one
    avatar_key: Mapped[str | None] = mapped_column(String(500))

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    @property
    def google_linked(self) -> bool:
        return self.google_sub is not None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
