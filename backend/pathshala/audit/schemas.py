"""Request and response shapes of the audit log viewer."""

from __future__ import annotations

import marshmallow as ma

from pathshala.audit.service import SORTS
from pathshala.pagination import BlankFiltersOmitted, PageArgs


class AuditArgs(BlankFiltersOmitted, PageArgs):
    action = ma.fields.String(
        load_default=None,
        validate=ma.validate.Regexp(r"^[a-z_]+(\.[a-z_]*)?$"),
        metadata={"description": "An action (user.banned), or a family ending in a dot (user.)"},
    )
    actor_id = ma.fields.UUID(load_default=None)
    target_type = ma.fields.String(load_default=None, validate=ma.validate.Length(max=40))
    target_id = ma.fields.String(load_default=None, validate=ma.validate.Length(max=64))
    date_from = ma.fields.Date(load_default=None, data_key="from")
    date_to = ma.fields.Date(load_default=None, data_key="to")
    sort = ma.fields.String(load_default="newest", validate=ma.validate.OneOf(list(SORTS)))

    @ma.validates_schema
    def range_in_order(self, data, **kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ma.ValidationError("'from' is after 'to'.", "from")


class AuditActorSchema(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    email = ma.fields.String()


class AuditEventSchema(ma.Schema):
    id = ma.fields.UUID()
    action = ma.fields.String()
    target_type = ma.fields.String()
    target_id = ma.fields.String()
    data = ma.fields.Dict(metadata={"description": "What changed (reason, from/to, amount...)"})
    ip_address = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    actor = ma.fields.Nested(AuditActorSchema, allow_none=True)


class AuditPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(AuditEventSchema))
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
