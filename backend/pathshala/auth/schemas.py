from __future__ import annotations

import marshmallow as ma

from pathshala.auth.passwords import MAX_LENGTH
from pathshala.users.models import ROLES
from pathshala.users.schemas import UserSchema

EMAIL = {"validate": ma.validate.Length(max=254)}


def _name() -> ma.fields.String:
    return ma.fields.String(
        required=True, validate=ma.validate.Length(min=1, max=120, error="Use 1 to 120 characters.")
    )


class StrippedName(ma.Schema):
    @ma.pre_load
    def strip_strings(self, data, **kwargs):
        if isinstance(data, dict):
            return {
                k: v.strip() if isinstance(v, str) and k in ("name", "email") else v
                for k, v in data.items()
            }
        return data


class RegisterSchema(StrippedName):
    email = ma.fields.Email(required=True, **EMAIL)
    password = ma.fields.String(
        required=True, load_only=True, validate=ma.validate.Length(max=MAX_LENGTH)
    )
    name = _name()
    role = ma.fields.String(
        load_default="student", validate=ma.validate.OneOf(ROLES, error="Unknown role.")
    )


class LoginSchema(StrippedName):
    email = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=254))
    password = ma.fields.String(
        required=True, load_only=True, validate=ma.validate.Length(min=1, max=MAX_LENGTH)
    )


class GoogleSchema(ma.Schema):
    id_token = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=8192))


class RefreshBodySchema(ma.Schema):
    refresh_token = ma.fields.String(validate=ma.validate.Length(max=4096))


class CreateTeacherSchema(StrippedName):
    email = ma.fields.Email(required=True, **EMAIL)
    password = ma.fields.String(
        required=True, load_only=True, validate=ma.validate.Length(max=MAX_LENGTH)
    )
    name = _name()


class ProfileSchema(StrippedName):
    name = _name()


class ChangePasswordSchema(ma.Schema):
    current_password = ma.fields.String(
        load_default=None, validate=ma.validate.Length(max=MAX_LENGTH)
    )
    new_password = ma.fields.String(required=True, validate=ma.validate.Length(max=MAX_LENGTH))


class ForgotPasswordSchema(StrippedName):
    email = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=254))


class ResetPasswordSchema(ma.Schema):
    token = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    new_password = ma.fields.String(required=True, validate=ma.validate.Length(max=MAX_LENGTH))


class TokensSchema(ma.Schema):
    access_token = ma.fields.String()
    refresh_token = ma.fields.String()
    token_type = ma.fields.String(dump_default="Bearer")
    expires_in = ma.fields.Integer(metadata={"description": "Access token lifetime, seconds."})


class SignedInSchema(TokensSchema):
    user = ma.fields.Nested(UserSchema)


class MessageSchema(ma.Schema):
    message = ma.fields.String()
