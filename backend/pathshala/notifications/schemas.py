"""Request and response bodies of /api/me/notifications, /api/me/notification-preferences
and /api/notifications/unsubscribe."""

from __future__ import annotations

from collections.abc import Mapping

import marshmallow as ma

from pathshala.notifications.models import KINDS
from pathshala.pagination import PageArgs


class NotificationListArgs(PageArgs):
    unread = ma.fields.Boolean(
        load_default=False, metadata={"description": "Only notifications not read yet"}
    )

    @ma.pre_load
    def drop_blank(self, data, **kwargs):
        # ?unread= (an unset filter) means all, as for the other lists
        if isinstance(data, Mapping):
            return {key: value for key, value in data.items() if value != ""}
        return data


class NotificationSchema(ma.Schema):
    id = ma.fields.UUID()
    kind = ma.fields.String(metadata={"enum": list(KINDS)})
    title = ma.fields.String()
    body = ma.fields.String()
    link = ma.fields.String(
        allow_none=True, metadata={"description": "An SPA path to open, e.g. /learn/<slug>"}
    )
    created_at = ma.fields.DateTime()
    read_at = ma.fields.DateTime(allow_none=True)


class NotificationPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(NotificationSchema))
    unread_count = ma.fields.Integer(metadata={"description": "All unread, not only this page's"})
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()


class UnreadCountSchema(ma.Schema):
    unread_count = ma.fields.Integer()


class MarkAllReadSchema(ma.Schema):
    until = ma.fields.AwareDateTime(
        required=True,
        metadata={
            "description": "Mark those created at or before this moment: the created_at of the "
            "newest notification the caller has seen, so one that arrived meanwhile stays unread"
        },
    )


class MarkedReadSchema(ma.Schema):
    updated = ma.fields.Integer(metadata={"description": "How many were unread until now"})


class PreferenceSchema(ma.Schema):
    kind = ma.fields.String(metadata={"enum": list(KINDS)})
    label = ma.fields.String()
    email_enabled = ma.fields.Boolean()


class PreferenceListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PreferenceSchema))


class PreferenceUpdateSchema(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(KINDS))
    email_enabled = ma.fields.Boolean(required=True)


class UnsubscribeArgs(ma.Schema):
    token = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=400))
