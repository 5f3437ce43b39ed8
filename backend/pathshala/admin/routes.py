"""/api/admin: platform administration (admins only)."""

from __future__ import annotations

import uuid

from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from pathshala.auth.permissions import BEARER, require_roles
from pathshala.errors import ErrorSchema
from pathshala.users import service as users
from pathshala.users.schemas import (
    BanSchema,
    RoleChangeSchema,
    UserListArgs,
    UserPageSchema,
    UserSchema,
)

blp = Blueprint("admin", __name__, url_prefix="/api/admin", description="Administration")


@blp.route("/users", methods=["GET"])
@require_roles("admin")
@blp.arguments(UserListArgs, location="query")
@blp.response(200, UserPageSchema)
@blp.doc(security=BEARER)
def list_users(args):
    """Every user, searchable by name or email and filterable by role."""
    return users.list_users(**args)


@blp.route("/users/<uuid:user_id>/ban", methods=["POST"])
@require_roles("admin")
@blp.arguments(BanSchema)
@blp.response(200, UserSchema, description="Suspended (or already suspended: nothing changed)")
@blp.alt_response(404, schema=ErrorSchema, description="No such user")
@blp.alt_response(409, schema=ErrorSchema, description="Admins cannot be suspended")
@blp.doc(security=BEARER)
def ban_user(body, user_id: uuid.UUID):
    """Suspend an account with a reason: it cannot sign in, and its sessions end at once."""
    return users.ban(user_id, current_user, body["reason"])


@blp.route("/users/<uuid:user_id>/unban", methods=["POST"])
@require_roles("admin")
@blp.response(200, UserSchema, description="Not suspended (any more)")
@blp.alt_response(404, schema=ErrorSchema, description="No such user")
@blp.doc(security=BEARER)
def unban_user(user_id: uuid.UUID):
    """Lift a suspension; the person may sign in again."""
    return users.unban(user_id, current_user)


@blp.route("/users/<uuid:user_id>/role", methods=["PATCH"])
@require_roles("admin")
@blp.arguments(RoleChangeSchema)
@blp.response(200, UserSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such user")
@blp.alt_response(
    409,
    schema=ErrorSchema,
    description="The last admin cannot be demoted; a suspended account cannot become an admin",
)
@blp.doc(security=BEARER)
def change_user_role(body, user_id: uuid.UUID):
    """Give a user another role; it applies to their open sessions at once."""
    return users.change_role(user_id, current_user, body["role"])
