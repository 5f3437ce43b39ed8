"""Signed video playback: /api/lessons/<id>/video-url, /content/video/<id>, /media/s/...

Thin routes over media.playback; the link scheme is described there.
"""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask import current_app, redirect
from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from pathshala.auth.permissions import require_login
from pathshala.errors import ErrorSchema
from pathshala.media import playback

blp = Blueprint("playback", __name__, url_prefix="/api", description="Watching lesson videos")
media_blp = Blueprint("media_links", __name__, description="Signed lesson video files")

LOCKED = "Not enrolled (code not_enrolled): enroll to watch; free previews play for anyone"
NOT_READY = "The lesson has no video ready to play (code video_not_ready)"


class VideoLinkSchema(ma.Schema):
    url = ma.fields.String(
        required=True,
        metadata={"description": "Relative to the app's origin: /media/s/<token>/..."},
    )
    expires_at = ma.fields.DateTime(required=True)
    type = ma.fields.String(required=True, metadata={"example": playback.HLS_TYPE})
    poster_url = ma.fields.String(
        allow_none=True, metadata={"description": "The poster frame, signed like `url`"}
    )


def _settings():
    return current_app.extensions["pathshala.settings"]


@blp.route("/lessons/<uuid:lesson_id>/video-url", methods=["GET"])
@require_login
@blp.response(200, VideoLinkSchema)
@blp.alt_response(403, schema=ErrorSchema, description=LOCKED)
@blp.alt_response(404, schema=ErrorSchema, description="No such lesson")
@blp.alt_response(409, schema=ErrorSchema, description=NOT_READY)
def video_url(lesson_id: uuid.UUID):
    """A link to the lesson's HLS master playlist for the caller, valid for
    BACKEND_VIDEO_URL_TTL_SECONDS; every playlist and segment under it is covered."""
    return playback.video_link(lesson_id, current_user, _settings())


@media_blp.route("/content/video/<uuid:lesson_id>", methods=["GET"])
@require_login
@media_blp.response(302)
@media_blp.alt_response(403, schema=ErrorSchema, description=LOCKED)
@media_blp.alt_response(404, schema=ErrorSchema, description="No such lesson")
@media_blp.alt_response(409, schema=ErrorSchema, description=NOT_READY)
def content_video(lesson_id: uuid.UUID):
    """Redirect to the same signed link as video-url (for clients of the original spec)."""
    link = playback.video_link(lesson_id, current_user, _settings())
    response = redirect(link.url, code=302)
    response.headers["Cache-Control"] = "no-store"
    return response


@media_blp.route(
    "/media/s/<string:token>/<string:expires>/<string:user_id>/<path:rest>", methods=["GET"]
)
@media_blp.alt_response(403, schema=ErrorSchema, description="Tampered or malformed link")
@media_blp.alt_response(404, schema=ErrorSchema, description="No such file under the lesson")
@media_blp.alt_response(410, schema=ErrorSchema, description="The link has expired")
def media_file(token: str, expires: str, user_id: str, rest: str):
    """A file under a signed lesson directory: the link is the credential (no session), checked
    before storage is touched."""
    settings = _settings()
    key = playback.check_link(token, expires, user_id, rest, playback.media_secret(settings))
    storage = current_app.extensions["pathshala.storage"]
    return playback.media_response(key, storage, settings)
