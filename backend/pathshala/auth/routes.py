"""/api/auth: thin routes over auth.service. Tokens go in the body (API clients) and in
HttpOnly cookies (the SPA, with CSRF double-submit); see docs/auth-wire.md."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import after_this_request
from flask_jwt_extended import (
    current_user,
    get_jwt,
    jwt_required,
    set_access_cookies,
    set_refresh_cookies,
    unset_jwt_cookies,
)
from flask_smorest import Blueprint

from pathshala.auth import service
from pathshala.auth.permissions import BEARER, require_login, require_roles
from pathshala.auth.schemas import (
    ChangePasswordSchema,
    CreateTeacherSchema,
    ForgotPasswordSchema,
    GoogleSchema,
    LoginSchema,
    MessageSchema,
    ProfileSchema,
    RefreshBodySchema,
    RegisterSchema,
    ResetPasswordSchema,
    SignedInSchema,
    TokensSchema,
)
from pathshala.auth.sessions import TokenPair
from pathshala.errors import BadRequest, ErrorSchema
from pathshala.extensions import limiter
from pathshala.requests import json_body_is_not_an_object, json_field
from pathshala.users.schemas import UserSchema

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Sign-up, sign-in, sessions")


def _with_cookies(tokens: TokenPair) -> None:
    @after_this_request
    def set_cookies(response):
        set_access_cookies(response, tokens.access_token)
        set_refresh_cookies(response, tokens.refresh_token)
        return response


def _clear_cookies() -> None:
    @after_this_request
    def clear(response):
        unset_jwt_cookies(response)
        return response


def _signed_in_body(signed_in: service.SignedIn) -> dict:
    _with_cookies(signed_in.tokens)
    return {
        "access_token": signed_in.tokens.access_token,
        "refresh_token": signed_in.tokens.refresh_token,
        "expires_in": signed_in.tokens.expires_in,
        "user": signed_in.user,
    }


def _rate_limited(limit: str):
    return blp.alt_response(
        429, schema=ErrorSchema, description=f"Rate limited ({limit}); see Retry-After"
    )


def _email_key() -> str:
    return "email:" + json_field("email")


@blp.route("/register", methods=["POST"])
@limiter.limit("10/hour")
@blp.arguments(RegisterSchema)
@blp.response(201, SignedInSchema)
@blp.alt_response(409, schema=ErrorSchema, description="Email already registered")
@blp.alt_response(403, schema=ErrorSchema, description="Role not allowed (admin)")
@_rate_limited("10 an hour per address")
def register(body):
    """Create an account (student by default; teacher or instructor on request)."""
    return _signed_in_body(service.register(**body))


@blp.route("/login", methods=["POST"])
@limiter.limit("10/minute")
@limiter.limit("10/minute", key_func=_email_key)
@blp.arguments(LoginSchema)
@blp.response(200, SignedInSchema)
@blp.alt_response(401, schema=ErrorSchema, description="Wrong email or password")
@blp.alt_response(403, schema=ErrorSchema, description="Account suspended")
@_rate_limited("10 a minute per address and per email")
def login(body):
    """Sign in with email and password."""
    return _signed_in_body(service.login(**body))


@blp.route("/google", methods=["POST"])
@limiter.limit("20/minute")
@blp.arguments(GoogleSchema)
@blp.response(200, SignedInSchema)
@blp.alt_response(400, schema=ErrorSchema, description="Token not accepted; nothing created")
@blp.alt_response(403, schema=ErrorSchema, description="Account suspended")
@_rate_limited("20 a minute per address")
def google(body):
    """Sign in with a Google ID token; creates a student account on first sign-in."""
    return _signed_in_body(service.google_sign_in(body["id_token"]))


def _json_object_body(view: Callable) -> Callable:
    """flask-jwt-extended reads ``refresh_token`` from the body with ``.get``, which crashes on
    JSON that is not an object (``[1]``, ``null``): such bodies are refused before it looks."""

    @wraps(view)
    def checked(*args, **kwargs):
        if json_body_is_not_an_object():
            raise BadRequest("Send the request body as a JSON object.", code="invalid_json")
        return view(*args, **kwargs)

    return checked


@blp.route("/refresh", methods=["POST"])
@_json_object_body
@jwt_required(refresh=True, locations=["headers", "json", "cookies"])
@blp.arguments(RefreshBodySchema)
@blp.response(200, TokensSchema)
@blp.alt_response(401, schema=ErrorSchema, description="Refresh token spent, revoked or expired")
@blp.alt_response(403, schema=ErrorSchema, description="Account suspended")
@blp.doc(security=BEARER)
def refresh(_body):
    """Spend a refresh token for a new access and refresh token (rotation)."""
    tokens = service.refresh(current_user, get_jwt())
    _with_cookies(tokens)
    return {
        "access_token": tokens.access_token,
        "refresh_token": tokens.refresh_token,
        "expires_in": tokens.expires_in,
    }


@blp.route("/logout", methods=["POST"])
@require_login
@blp.response(200, MessageSchema)
@blp.doc(security=BEARER)
def logout():
    """End this session: its access and refresh tokens are refused from now on."""
    service.logout(get_jwt())
    _clear_cookies()
    return {"message": "Signed out."}


@blp.route("/logout-all", methods=["POST"])
@require_login
@blp.response(200, MessageSchema)
@blp.doc(security=BEARER)
def logout_all():
    """End every session of the caller, on every device."""
    count = service.logout_everywhere(current_user)
    _clear_cookies()
    return {"message": f"Signed out of {count} session(s)."}


@blp.route("/me", methods=["GET"])
@require_login
@blp.response(200, UserSchema)
@blp.doc(security=BEARER)
def me():
    """The signed-in user."""
    return current_user


@blp.route("/me", methods=["PATCH"])
@require_login
@blp.arguments(ProfileSchema)
@blp.response(200, UserSchema)
@blp.doc(security=BEARER)
def update_me(body):
    """Change the signed-in user's display name."""
    return service.update_profile(current_user, name=body["name"])


@blp.route("/admin/create-teacher", methods=["POST"])
@require_roles("admin")
@blp.arguments(CreateTeacherSchema)
@blp.response(201, UserSchema)
@blp.doc(security=BEARER)
def create_teacher(body):
    """Create a teacher account (admins only)."""
    return service.create_teacher(**body)


@blp.route("/forgot-password", methods=["POST"])
@limiter.limit("5/hour")
@blp.arguments(ForgotPasswordSchema)
@blp.response(200, MessageSchema)
@_rate_limited("5 an hour per address")
def forgot_password(body):
    """Mail a password-reset link if the account exists. The answer is the same either way."""
    service.start_password_reset(body["email"])
    return {"message": "If an account exists for that email, a reset link is on its way."}


@blp.route("/reset-password", methods=["POST"])
@limiter.limit("20/hour")
@blp.arguments(ResetPasswordSchema)
@blp.response(200, MessageSchema)
@blp.alt_response(400, schema=ErrorSchema, description="Link expired or already used")
@_rate_limited("20 an hour per address")
def reset_password(body):
    """Set a new password with a mailed token; ends every session of the account."""
    service.reset_password(token=body["token"], new_password=body["new_password"])
    _clear_cookies()
    return {"message": "Your password has been changed. Sign in with the new one."}


@blp.route("/change-password", methods=["POST"])
@require_login
@blp.arguments(ChangePasswordSchema)
@blp.response(200, MessageSchema)
@blp.doc(security=BEARER)
def change_password(body):
    """Change the password; every other session of the account is signed out."""
    ended = service.change_password(current_user, get_jwt(), **body)
    return {"message": f"Password changed. Signed out of {ended} other session(s)."}
