"""Issuing, rotating and revoking sessions (a session = one refresh-token family)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, has_request_context, request
from flask_jwt_extended import create_access_token, create_refresh_token
from sqlalchemy import select, update

from pathshala.auth.models import RefreshToken
from pathshala.auth.revocation import RevocationStore, revocation_horizon
from pathshala.columns import utcnow
from pathshala.errors import Unauthorized
from pathshala.extensions import db
from pathshala.requests import client_ip
from pathshala.settings import Settings
from pathshala.users.models import User


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    family_id: str
    expires_in: int


def _settings() -> Settings:
    return current_app.extensions["pathshala.settings"]


def revocation_store() -> RevocationStore:
    return current_app.extensions["pathshala.revocations"]


def issue(user: User, family_id: str | None = None) -> TokenPair:
    """A new access + refresh token; a new family unless continuing one by rotation."""
    settings = _settings()
    family_id = family_id or str(uuid.uuid4())
    refresh_jti = str(uuid.uuid4())
    identity = str(user.id)
    # Sessions may also be issued outside a request (a CLI command, the test factories).
    in_request = has_request_context()
    user_agent = ((request.user_agent.string or "")[:300] or None) if in_request else None
    ip_address = client_ip()[:64] if in_request else None
    access = create_access_token(identity, additional_claims={"fam": family_id, "role": user.role})
    refresh = create_refresh_token(
        identity, additional_claims={"fam": family_id, "jti": refresh_jti}
    )
    db.session.add(
        RefreshToken(
            jti=refresh_jti,
            family_id=family_id,
            user_id=user.id,
            expires_at=utcnow() + timedelta(days=settings.refresh_token_days),
            user_agent=user_agent,
            ip_address=ip_address,
        )
    )
    return TokenPair(access, refresh, family_id, settings.access_token_minutes * 60)


def rotate(user: User, refresh_claims: dict) -> TokenPair:
    """Spend a refresh token for a new pair. Presenting a spent token again means it was
    stolen or replayed: the whole family is revoked and the caller must sign in again."""
    jti, family_id = refresh_claims["jti"], refresh_claims.get("fam")
    now = utcnow()
    # A conditional UPDATE is the lock: of two racing requests exactly one gets rowcount 1.
    spent = db.session.execute(
        update(RefreshToken)
        .where(
            RefreshToken.jti == jti,
            RefreshToken.used_at.is_(None),
            RefreshToken.revoked_at.is_(None),
        )
        .values(used_at=now)
    ).rowcount
    if spent != 1:
        if family_id:
            revoke_families([family_id])
        db.session.commit()
        raise Unauthorized("This session has ended. Sign in again.", code="token_reused")
    return issue(user, family_id=family_id)


def revoke_families(family_ids: list[str]) -> None:
    if not family_ids:
        return
    db.session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id.in_(family_ids), RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    revocation_store().revoke(family_ids, revocation_horizon(_settings().refresh_token_days))


def revoke_all_for(user_id: uuid.UUID, *, keep_family: str | None = None) -> int:
    """Revoke every live session of a user (optionally all but the caller's own)."""
    query = select(RefreshToken.family_id).where(
        RefreshToken.user_id == user_id,
        RefreshToken.revoked_at.is_(None),
        RefreshToken.expires_at > utcnow(),
    )
    families = sorted(set(db.session.scalars(query)) - {keep_family})
    revoke_families(families)
    return len(families)


def is_revoked(token_claims: dict) -> bool:
    family_id = token_claims.get("fam")
    return not family_id or revocation_store().is_revoked(family_id)
