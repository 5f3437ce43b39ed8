"""/api/me/notifications, /api/me/notification-preferences (the signed-in user's own) and
/api/notifications/unsubscribe (the signed link in every notification mail): thin routes."""

from __future__ import annotations

import uuid

from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from pathshala.auth.permissions import require_login
from pathshala.errors import ErrorSchema
from pathshala.notifications import service
from pathshala.notifications.schemas import (
    MarkAllReadSchema,
    MarkedReadSchema,
    NotificationListArgs,
    NotificationPageSchema,
    NotificationSchema,
    PreferenceListSchema,
    PreferenceSchema,
    PreferenceUpdateSchema,
    UnreadCountSchema,
    UnsubscribeArgs,
)

blp = Blueprint(
    "notifications", __name__, url_prefix="/api", description="Notifications and their mail"
)

INVALID_LINK = "The link's token is not valid (altered, or not from Pathshala); nothing changed"


@blp.route("/me/notifications", methods=["GET"])
@require_login
@blp.arguments(NotificationListArgs, location="query")
@blp.response(200, NotificationPageSchema)
def list_notifications(args):
    """The caller's notifications, newest first, with the unread count."""
    return service.list_for(current_user, **args)


@blp.route("/me/notifications/unread-count", methods=["GET"])
@require_login
@blp.response(200, UnreadCountSchema)
def unread_count():
    """How many of the caller's notifications are unread (cheap: the SPA polls it)."""
    return {"unread_count": service.unread_count(current_user)}


@blp.route("/me/notifications/<uuid:notification_id>/read", methods=["POST"])
@require_login
@blp.response(200, NotificationSchema)
@blp.alt_response(404, schema=ErrorSchema, description="Not one of the caller's notifications")
def mark_read(notification_id: uuid.UUID):
    """Mark one of the caller's notifications read (again: harmless)."""
    return service.mark_read(current_user, notification_id)


@blp.route("/me/notifications/read-all", methods=["POST"])
@require_login
@blp.arguments(MarkAllReadSchema)
@blp.response(200, MarkedReadSchema)
def mark_all_read(body):
    """Mark the caller's notifications read, up to the newest they have seen."""
    return {"updated": service.mark_all_read(current_user, until=body["until"])}


@blp.route("/me/notification-preferences", methods=["GET"])
@require_login
@blp.response(200, PreferenceListSchema)
def get_preferences():
    """Whether mail is on, for every kind of notification (on unless turned off)."""
    return {"items": service.preferences(current_user.id)}


@blp.route("/me/notification-preferences", methods=["PUT"])
@require_login
@blp.arguments(PreferenceUpdateSchema)
@blp.response(200, PreferenceListSchema)
def set_preference(body):
    """Turn mail of one kind on or off (``{kind, email_enabled}``); answers every kind."""
    items = service.set_email_enabled(current_user.id, body["kind"], body["email_enabled"])
    return {"items": items}


@blp.route("/notifications/unsubscribe", methods=["GET"])
@blp.arguments(UnsubscribeArgs, location="query")
@blp.response(200, PreferenceSchema)
@blp.alt_response(400, schema=ErrorSchema, description=INVALID_LINK)
def unsubscribe(args):
    """The link in every notification mail: no sign-in, its signed token names the account
    and the kind of mail to turn off."""
    return service.unsubscribe(args["token"])


@blp.route("/notifications/unsubscribe", methods=["POST"])
@blp.arguments(UnsubscribeArgs, location="query")
@blp.response(200, PreferenceSchema)
@blp.alt_response(400, schema=ErrorSchema, description=INVALID_LINK)
def unsubscribe_one_click(args):
    """RFC 8058 one-click unsubscribe: what a mail client POSTs to the List-Unsubscribe URL
    (the body, ``List-Unsubscribe=One-Click``, is not needed)."""
    return service.unsubscribe(args["token"])
