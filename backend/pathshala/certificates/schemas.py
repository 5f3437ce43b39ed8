"""Request and response shapes of certificates."""

from __future__ import annotations

import marshmallow as ma


class VerificationSchema(ma.Schema):
    """What anyone with the code may see: enough to trust it, nothing private."""

    code = ma.fields.String()
    valid = ma.fields.Boolean()
    status = ma.fields.String(
        metadata={
            "description": "valid | revoked | invalid (the stored record no longer matches "
            "the seal taken when it was issued)"
        }
    )
    student_name = ma.fields.String()
    course_title = ma.fields.String()
    instructor_name = ma.fields.String()
    issued_at = ma.fields.DateTime()
    revoked_at = ma.fields.DateTime(allow_none=True)


class MyCertificateSchema(VerificationSchema):
    course_id = ma.fields.UUID()
    pdf_url = ma.fields.Function(lambda item: f"/api/certificates/{item.code}/pdf")


class MyCertificatesSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MyCertificateSchema))


class RevokeSchema(ma.Schema):
    reason = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=3, max=500),
        metadata={"description": "Why, for the audit log (3 to 500 characters)"},
    )

    @ma.pre_load
    def strip(self, data, **kwargs):
        if isinstance(data, dict) and isinstance(data.get("reason"), str):
            return {**data, "reason": data["reason"].strip()}
        return data


class IssueSchema(ma.Schema):
    user_id = ma.fields.UUID(required=True, metadata={"description": "An enrolled student"})


class AdminCertificateSchema(VerificationSchema):
    """The public view plus what only admins see."""

    revoked_reason = ma.fields.String(allow_none=True)
    issue_reason = ma.fields.String()
