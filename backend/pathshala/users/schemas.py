from __future__ import annotations

import marshmallow as ma

from pathshala.media.public_images import public_image_url
from pathshala.pagination import PageArgs
from pathshala.users.models import ROLES
from pathshala.users.service import USER_SORTS


class UserSchema(ma.Schema):
    id = ma.fields.UUID(dump_only=True)
    email = ma.fields.Email(dump_only=True)
    name = ma.fields.String(dump_only=True)
    role = ma.fields.String(dump_only=True, metadata={"enum": list(ROLES)})
    has_password = ma.fields.Boolean(dump_only=True)
    google_linked = ma.fields.Boolean(dump_only=True)
    is_banned = ma.fields.Boolean(dump_only=True)
    banned_reason = ma.fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Why the account is suspended (null when it is not)"},
    )
    created_at = ma.fields.DateTime(dump_only=True)
    last_login_at = ma.fields.DateTime(dump_only=True, allow_none=True)
    avatar_url = ma.fields.Function(
        lambda user: public_image_url(ma.utils.get_value(user, "avatar_key")),
        allow_none=True,
        metadata={"type": "string", "description": "/media/public/<key>, or null: no avatar"},
    )


class UserPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(UserSchema))
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()


class UserListArgs(PageArgs):
    q = ma.fields.String(load_default=None, validate=ma.validate.Length(max=100))
    role = ma.fields.String(load_default=None, validate=ma.validate.OneOf(ROLES))
    sort = ma.fields.String(load_default="newest", validate=ma.validate.OneOf(list(USER_SORTS)))


class BanSchema(ma.Schema):
    reason = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=3, max=500),
        metadata={"description": "Why, for the audit log and other admins (3 to 500 characters)"},
    )

    @ma.pre_load
    def strip(self, data, **kwargs):
        if isinstance(data, dict) and isinstance(data.get("reason"), str):
            return {**data, "reason": data["reason"].strip()}
        return data


class RoleChangeSchema(ma.Schema):
    role = ma.fields.String(
        required=True,
        validate=ma.validate.OneOf(ROLES, error="Choose student, teacher, instructor or admin."),
        metadata={"enum": list(ROLES)},
    )
