"""Binds flask-jwt-extended to Pathshala: who a token belongs to, whether it is revoked,
and how its failures read in the one error format."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import Flask, g
from flask_jwt_extended import JWTManager

from pathshala.auth import sessions
from pathshala.errors import Forbidden, error_response
from pathshala.extensions import db
from pathshala.settings import Settings
from pathshala.users.models import User

SUSPENDED_MESSAGE = "This account is suspended. Contact the platform's admin."


def _token_user(payload: dict) -> User | None:
    try:
        return db.session.get(User, uuid.UUID(str(payload.get("sub"))))
    except ValueError:
        return None


def configure_jwt(app: Flask, jwt: JWTManager, settings: Settings) -> None:
    app.config.update(
        JWT_SECRET_KEY=settings.jwt_secret,
        JWT_ALGORITHM="HS256",
        JWT_DECODE_ALGORITHMS=["HS256"],
        JWT_ACCESS_TOKEN_EXPIRES=timedelta(minutes=settings.access_token_minutes),
        JWT_REFRESH_TOKEN_EXPIRES=timedelta(days=settings.refresh_token_days),
        JWT_TOKEN_LOCATION=["headers", "cookies"],
        JWT_COOKIE_SECURE=settings.is_production,
        JWT_COOKIE_SAMESITE="Lax",
        JWT_COOKIE_CSRF_PROTECT=True,
        JWT_CSRF_IN_COOKIES=True,
        JWT_SESSION_COOKIE=False,
        JWT_REFRESH_COOKIE_PATH="/api/auth",
        JWT_REFRESH_CSRF_COOKIE_PATH="/",
        JWT_ACCESS_CSRF_COOKIE_PATH="/",
        JWT_REFRESH_JSON_KEY="refresh_token",
    )
    jwt.init_app(app)

    @jwt.token_in_blocklist_loader
    def token_is_revoked(_header: dict, payload: dict) -> bool:
        return sessions.is_revoked(payload)

    @jwt.user_lookup_loader
    def load_user(_header: dict, payload: dict) -> User | None:
        user = _token_user(payload)
        if user is not None and user.is_banned:
            raise Forbidden(SUSPENDED_MESSAGE, code="account_suspended")
        if user is not None:
            g.user_id = str(user.id)
        return user

    @jwt.user_lookup_error_loader
    def unknown_user(_header: dict, _payload: dict):
        return error_response(401, "invalid_token", "This account no longer exists.")

    @jwt.unauthorized_loader
    def missing_token(reason: str):
        if "csrf" in reason.lower():
            return error_response(
                401, "csrf_failed", "The request is missing its CSRF token. Reload the page."
            )
        return error_response(401, "not_authenticated", "Sign in to continue.")

    @jwt.invalid_token_loader
    def invalid_token(_reason: str):
        return error_response(401, "invalid_token", "The sign-in token is not valid.")

    @jwt.expired_token_loader
    def expired_token(_header: dict, _payload: dict):
        return error_response(401, "token_expired", "The sign-in token has expired.")

    @jwt.revoked_token_loader
    def revoked_token(_header: dict, payload: dict):
        # Suspending an account revokes its sessions; its tokens then answer as a suspended
        # account's do (not as an ordinary sign-out), so the client can say why it ended.
        user = _token_user(payload)
        if user is not None and user.is_banned:
            return error_response(403, "account_suspended", SUSPENDED_MESSAGE)
        return error_response(401, "token_revoked", "This session has ended. Sign in again.")

    @jwt.needs_fresh_token_loader
    def needs_fresh(_header: dict, _payload: dict):
        return error_response(401, "fresh_token_required", "Sign in again to do this.")
