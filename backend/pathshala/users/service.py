"""Creating and finding users. Emails are stored lower-case and unique whatever their case."""

from __future__ import annotations

import uuid

import marshmallow as ma
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from pathshala.audit import service as audit
from pathshala.auth import sessions
from pathshala.auth.passwords import ensure_acceptable, hash_password
from pathshala.errors import Conflict, InvalidInput, NotFound
from pathshala.extensions import db
from pathshala.pagination import Page, paginate
from pathshala.sql import contains_pattern
from pathshala.users.models import ROLES, Role, User

ROLE_DESCRIPTIONS = {
    "student": "Learns: enrolls in courses, watches lessons, submits classwork.",
    "instructor": "Authors and teaches courses (same rights as a teacher).",
    "teacher": "Authors, sells and teaches courses.",
    "admin": "Runs the platform: users, payments, every course.",
}


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def get_user(user_id: uuid.UUID) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.", code="user_not_found")
    return user


def create_user(
    *,
    email: str,
    name: str,
    role: str = "student",
    password: str | None = None,
    google_sub: str | None = None,
) -> User:
    """Add a user to the session (flushed, not committed). A taken email is a 409."""
    email = normalise_email(email)
    if password is not None:
        ensure_acceptable(password, field="password", email=email, name=name)
    if find_by_email(email) is not None:
        raise Conflict(
            "An account with this email already exists.",
            code="email_taken",
            fields={"email": ["An account with this email already exists."]},
        )
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        password_hash=hash_password(password) if password is not None else None,
        google_sub=google_sub,
    )
    db.session.add(user)
    try:
        # The unique index is the final guard when two requests race for one email.
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "An account with this email already exists.",
            code="email_taken",
            fields={"email": ["An account with this email already exists."]},
        ) from exc
    return user


def ensure_roles_exist() -> None:
    """The roles table is seeded by migration; this repairs a database created otherwise."""
    existing = set(db.session.scalars(select(Role.name)))
    for name in ROLES:
        if name not in existing:
            db.session.add(Role(name=name, description=ROLE_DESCRIPTIONS[name]))
    db.session.flush()


_EMAIL = ma.validate.Email(error="Not a valid email address.")
MAX_NAME_LENGTH = 120


def ensure_valid_identity(*, email: str, name: str) -> None:
    """The checks the API's schemas make, for callers that bypass them (the CLI)."""
    problems: dict[str, list[str]] = {}
    try:
        _EMAIL(normalise_email(email))
    except ma.ValidationError as exc:
        problems["email"] = [str(message) for message in exc.messages]
    if not 1 <= len(name.strip()) <= MAX_NAME_LENGTH:
        problems["name"] = [f"Use 1 to {MAX_NAME_LENGTH} characters."]
    if problems:
        raise InvalidInput(fields=problems)


def create_or_promote_admin(*, email: str, password: str, name: str) -> tuple[User, bool]:
    """Used by the create-admin command: a new admin, or an existing account made admin
    (its password replaced). Returns the user and whether it was created."""
    ensure_valid_identity(email=email, name=name)
    user = find_by_email(email)
    if user is None:
        return create_user(email=email, name=name, role="admin", password=password), True
    ensure_acceptable(password, field="password", email=email, name=name)
    user.role = "admin"
    user.name = name.strip()
    user.password_hash = hash_password(password)
    user.is_banned = False
    return user, False


def list_users(*, q: str | None, role: str | None, page: int, per_page: int, sort: str) -> Page:
    """Every user, newest first unless told; ``q`` matches a part of the name or email
    literally (``%`` and ``_`` are not wildcards)."""
    query = select(User)
    if q and q.strip():
        pattern = contains_pattern(q)
        query = query.where(
            or_(
                func.lower(User.email).like(pattern, escape="\\"),
                func.lower(User.name).like(pattern, escape="\\"),
            )
        )
    if role:
        query = query.where(User.role == role)
    return paginate(query, page=page, per_page=per_page, sort=sort, sorts=USER_SORTS)


USER_SORTS = {
    "newest": (User.created_at.desc(), User.id),
    "oldest": (User.created_at.asc(), User.id),
    "name": (User.name.asc(), User.id),
    "email": (User.email.asc(), User.id),
}


# ---- suspending accounts and changing roles (admins) ----------------------------------------


# Rows are locked FOR NO KEY UPDATE (key_share=True): it serialises the admin changes below
# among themselves, yet does not block the key-share locks that inserting rows pointing at a
# user takes (an audit event's actor, a refresh token), which could otherwise deadlock.


def _locked_user(user_id: uuid.UUID) -> User:
    """The user's row, locked until the transaction ends and read afresh (not as this session
    may remember it), or 404."""
    user = db.session.scalar(
        select(User)
        .where(User.id == user_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    if user is None:
        db.session.rollback()
        raise NotFound("No such user.", code="user_not_found")
    return user


def ban(user_id: uuid.UUID, actor: User, reason: str) -> User:
    """Suspend an account: it can no longer sign in, and every session it has ends now
    (revoked like "sign out everywhere", so its access and refresh tokens are refused from the
    next request on). Admins cannot be suspended (demote first), which also keeps an admin from
    suspending themself. Suspending a suspended account changes nothing (and is not audited)."""
    user = _locked_user(user_id)
    if user.role == "admin":
        db.session.rollback()
        raise Conflict(
            "Admins cannot be suspended. Change their role first.", code="cannot_ban_admin"
        )
    if user.is_banned:
        db.session.commit()  # nothing changed; ends the transaction and its lock
        return user
    user.is_banned = True
    user.banned_reason = reason
    sessions.revoke_all_for(user.id)
    audit.record(actor, "user.banned", "user", str(user.id), {"reason": reason})
    db.session.commit()
    return user


def unban(user_id: uuid.UUID, actor: User) -> User:
    """Lift a suspension; the person signs in again (their old sessions stay ended).
    Unbanning an account that is not suspended changes nothing (and is not audited)."""
    user = _locked_user(user_id)
    if not user.is_banned:
        db.session.commit()
        return user
    user.is_banned = False
    user.banned_reason = None
    audit.record(actor, "user.unbanned", "user", str(user.id))
    db.session.commit()
    return user


def change_role(user_id: uuid.UUID, actor: User, role: str) -> User:
    """Give a user another role. The platform always keeps an active admin: demoting the last
    one is refused (409 ``last_admin``), and a suspended account is not made an admin.

    Every admin's row and the target's are locked in one statement, in id order, before the
    admins are counted: two admins demoting each other at once are serialised (the second
    counts after the first has committed), and lockers never wait on each other in a cycle.
    Roles are read from the database on every request, so the change applies to the user's
    open sessions at once."""
    locked = db.session.scalars(
        select(User)
        .where(or_(User.role == "admin", User.id == user_id))
        .order_by(User.id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    ).all()
    user = next((row for row in locked if row.id == user_id), None)
    if user is None:
        db.session.rollback()
        raise NotFound("No such user.", code="user_not_found")
    previous = user.role
    if role == previous:
        db.session.commit()
        return user
    if role == "admin" and user.is_banned:
        db.session.rollback()
        raise Conflict(
            "A suspended account cannot be made an admin. Lift the suspension first.",
            code="user_banned",
        )
    if previous == "admin" and not user.is_banned:
        other_admins = [
            row for row in locked if row.role == "admin" and not row.is_banned and row.id != user.id
        ]
        if not other_admins:
            db.session.rollback()
            raise Conflict(
                "This is the last admin. Make someone else an admin first.", code="last_admin"
            )
    user.role = role
    audit.record(actor, "user.role_changed", "user", str(user.id), {"from": previous, "to": role})
    db.session.commit()
    return user
