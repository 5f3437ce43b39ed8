"""/api/admin: platform administration (admins only)."""

from __future__ import annotations

from flask_smorest import Blueprint

from pathshala.auth.permissions import BEARER, require_roles
from pathshala.users import service as users
from pathshala.users.schemas import UserListArgs, UserPageSchema

blp = Blueprint("admin", __name__, url_prefix="/api/admin", description="Administration")


@blp.route("/users", methods=["GET"])
@require_roles("admin")
@blp.arguments(UserListArgs, location="query")
@blp.response(200, UserPageSchema)
@blp.doc(security=BEARER)
def list_users(args):
    """Every user, searchable by name or email and filterable by role."""
    return users.list_users(**args)
