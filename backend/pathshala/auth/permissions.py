"""Coarse, per-endpoint access rules. Per-object checks live in each feature's service."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask_jwt_extended import current_user, verify_jwt_in_request
from flask_smorest import Blueprint

from pathshala.errors import Forbidden, documented_error
from pathshala.users.models import AUTHOR_ROLES, ROLES

#: every role may call an endpoint decorated with require_login
ANY_ROLE = ROLES
#: OpenAPI security requirement for authenticated endpoints (bearer token or cookie)
BEARER = [{"bearerAuth": []}, {"cookieAuth": []}]


def require_roles(*roles: str) -> Callable:
    """Let a signed-in user with one of ``roles`` through; others get 401 or 403.
    The roles are kept on the view (``required_roles``) for the role-matrix test."""
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown roles {unknown}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any):
            verify_jwt_in_request()
            if current_user.role not in roles:
                raise Forbidden("Your role does not allow this.", code="forbidden")
            return view(*args, **kwargs)

        restricted = set(roles) != set(ANY_ROLE)
        # The answers this guard can give, in the OpenAPI document of every guarded endpoint.
        documented = Blueprint.doc(
            security=BEARER,
            responses={
                "401": documented_error("Not signed in, or the token is expired or revoked"),
                "403": documented_error(
                    f"The caller's role is not one of {', '.join(roles)}, or the account is "
                    "suspended"
                    if restricted
                    else "The account is suspended"
                ),
            },
        )(guarded)
        documented.required_roles = tuple(roles)  # type: ignore[attr-defined]
        return documented

    return decorator


def require_login(view: Callable) -> Callable:
    return require_roles(*ANY_ROLE)(view)


#: course authoring: teachers and instructors have the same rights; admins may do anything
require_author = require_roles(*AUTHOR_ROLES)
