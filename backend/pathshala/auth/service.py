"""The rules of signing up, signing in, and managing one's credentials."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from pathshala.auth import google, sessions
from pathshala.auth.emails import password_reset_mail
from pathshala.auth.models import PasswordResetToken
from pathshala.auth.passwords import ensure_acceptable, hash_password, needs_rehash, verify_password
from pathshala.auth.sessions import TokenPair
from pathshala.columns import utcnow
from pathshala.errors import BadRequest, Conflict, Forbidden, InvalidInput, Unauthorized
from pathshala.extensions import db
from pathshala.mail import service as mail
from pathshala.settings import Settings
from pathshala.users import service as users
from pathshala.users.models import SELF_SERVICE_ROLES, User

log = logging.getLogger(__name__)
RESET_TOKEN_LIFETIME = timedelta(hours=1)


@dataclass(frozen=True)
class SignedIn:
    user: User
    tokens: TokenPair


def _settings() -> Settings:
    return current_app.extensions["pathshala.settings"]


def _suspended() -> Forbidden:
    return Forbidden(
        "This account is suspended. Contact the platform's admin.", code="account_suspended"
    )


def register(*, email: str, password: str, name: str, role: str) -> SignedIn:
    """Self-service sign-up. Anyone may become a student, teacher or instructor; never an admin."""
    if role not in SELF_SERVICE_ROLES:
        raise Forbidden(
            "Admin accounts cannot be created by signing up.",
            code="role_not_allowed",
            fields={"role": ["Choose student, teacher or instructor."]},
        )
    user = users.create_user(email=email, name=name, role=role, password=password)
    user.last_login_at = utcnow()
    tokens = sessions.issue(user)
    db.session.commit()
    log.info("user registered", extra={"user_id": str(user.id), "role": role})
    return SignedIn(user, tokens)


def login(*, email: str, password: str) -> SignedIn:
    """Unknown email and wrong password answer alike, in the same time."""
    user = users.find_by_email(email)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        raise Unauthorized("The email or password is not right.", code="invalid_credentials")
    if user.is_banned:
        raise _suspended()
    if needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    tokens = sessions.issue(user)
    db.session.commit()
    return SignedIn(user, tokens)


def refresh(user: User, refresh_claims: dict) -> TokenPair:
    tokens = sessions.rotate(user, refresh_claims)
    db.session.commit()
    return tokens


def logout(access_claims: dict) -> None:
    sessions.revoke_families([access_claims["fam"]])
    db.session.commit()


def logout_everywhere(user: User) -> int:
    count = sessions.revoke_all_for(user.id)
    db.session.commit()
    return count


def google_sign_in(id_token: str) -> SignedIn:
    """Sign in with a Google ID token: the account with that Google subject, else the account
    with that (Google-verified) email, which is then linked, else a new student."""
    settings = _settings()
    if not settings.google_client_id:
        raise BadRequest(
            "Google sign-in is not enabled on this platform.", code="google_sign_in_disabled"
        )
    try:
        identity = google.verify_id_token(
            id_token, client_id=settings.google_client_id, certs_url=settings.google_certs_url
        )
    except google.GoogleCertsUnavailable as exc:
        log.warning("google certs unavailable: %s", exc)
        raise BadRequest(
            "Google sign-in could not be checked right now. Try again shortly.",
            code="google_sign_in_unavailable",
        ) from exc
    except google.GoogleTokenRejected as exc:
        log.info("google token rejected: %s", exc)
        raise BadRequest("Google sign-in failed. Try again.", code="google_sign_in_failed") from exc

    user = _google_account(identity)
    if user.is_banned:
        db.session.rollback()
        raise _suspended()
    user.last_login_at = utcnow()
    tokens = sessions.issue(user)
    db.session.commit()
    return SignedIn(user, tokens)


def _google_account(identity: google.GoogleIdentity) -> User:
    user = db.session.scalar(select(User).where(User.google_sub == identity.sub))
    if user is not None:
        return user
    user = users.find_by_email(identity.email)
    if user is not None:
        if user.google_sub is not None:
            # The email is linked to a different Google account; never re-link silently.
            raise BadRequest(
                "This email is linked to another Google account.", code="google_sign_in_failed"
            )
        user.google_sub = identity.sub
        return user
    try:
        return users.create_user(email=identity.email, name=identity.name, google_sub=identity.sub)
    except Conflict as exc:  # a concurrent first sign-in created it a moment ago
        raise BadRequest(
            "Google sign-in raced another request. Try again.", code="google_sign_in_failed"
        ) from exc


def create_teacher(*, email: str, password: str, name: str) -> User:
    user = users.create_user(email=email, name=name, role="teacher", password=password)
    db.session.commit()
    return user


def update_profile(user: User, *, name: str) -> User:
    user.name = name.strip()
    db.session.commit()
    return user


def change_password(
    user: User, access_claims: dict, *, current_password: str | None, new_password: str
) -> int:
    """Needs the current password, unless the account has none yet (Google-only).
    Every other session of the user is signed out; returns how many."""
    if user.has_password and not verify_password(user.password_hash, current_password or ""):
        raise InvalidInput(
            "The current password is not right.",
            code="wrong_password",
            fields={"current_password": ["The current password is not right."]},
        )
    ensure_acceptable(new_password, field="new_password", email=user.email, name=user.name)
    user.password_hash = hash_password(new_password)
    ended = sessions.revoke_all_for(user.id, keep_family=access_claims.get("fam"))
    db.session.commit()
    return ended


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_password_reset(email: str, *, kind: str = "password_reset") -> None:
    """Mail a single-use, one-hour link, if such an account exists. The caller learns nothing
    either way, so the answer cannot be used to find out who has an account."""
    user = users.find_by_email(email)
    if user is None or user.is_banned:
        return
    send_password_link(user, kind=kind)


def send_password_link(user: User, *, kind: str = "password_reset") -> None:
    """Issue a reset token for ``user`` and mail it (also used to invite new accounts)."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=_token_hash(token),
            expires_at=utcnow() + RESET_TOKEN_LIFETIME,
        )
    )
    link = f"{_settings().public_url}/reset-password?token={token}"
    subject, text, html = password_reset_mail(user.name, link, invite=kind == "invite")
    message = mail.queue_mail(user.email, subject, text, kind=kind, body_html=html)
    db.session.commit()
    mail.deliver_after_response([message.id])


def reset_password(*, token: str, new_password: str) -> None:
    """Set a new password from a mailed link; the link then stops working, and so does every
    other open link and every session of the account."""
    now = utcnow()
    reset = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _token_hash(token))
    )
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        raise BadRequest(
            "This link has expired or was already used. Ask for a new one.",
            code="invalid_reset_token",
        )
    user = users.get_user(reset.user_id)
    ensure_acceptable(new_password, field="new_password", email=user.email, name=user.name)
    spent = db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if spent == 0:  # a concurrent request spent it between our read and this write
        db.session.rollback()
        raise BadRequest(
            "This link has expired or was already used. Ask for a new one.",
            code="invalid_reset_token",
        )
    user.password_hash = hash_password(new_password)
    sessions.revoke_all_for(user.id)
    db.session.commit()
