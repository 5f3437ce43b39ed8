"""/api/lessons/<id>/video: the transcoding status the studio polls, and its retry."""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from pathshala.auth.permissions import require_author
from pathshala.errors import ErrorSchema
from pathshala.media import transcoding

blp = Blueprint(
    "lesson_video", __name__, url_prefix="/api", description="Lesson videos: transcoding status"
)


class VideoStatusSchema(ma.Schema):
    status = ma.fields.String(
        attribute="video_status",
        allow_none=True,
        metadata={
            "enum": ["pending", "processing", "ready", "failed", None],
            "description": "null: the lesson has no video",
        },
    )
    progress = ma.fields.Integer(
        attribute="video_progress", metadata={"description": "Percent transcoded, 0 to 100"}
    )
    error = ma.fields.String(
        attribute="video_error",
        allow_none=True,
        metadata={"description": "Why transcoding failed, in words an author can act on"},
    )
    duration_seconds = ma.fields.Integer()
    retryable = ma.fields.Function(
        transcoding.can_retry,
        metadata={
            "type": "boolean",
            "description": "Failed, or left pending so long its job was surely lost: "
            "POST .../video/retry queues it again",
        },
    )


@blp.route("/lessons/<uuid:lesson_id>/video", methods=["GET"])
@require_author
@blp.response(200, VideoStatusSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such lesson")
def video_status(lesson_id: uuid.UUID):
    """The lesson video's transcoding status and progress (the course's owner or an admin)."""
    return transcoding.lesson_for_video_edit(lesson_id, current_user)


@blp.route("/lessons/<uuid:lesson_id>/video/retry", methods=["POST"])
@require_author
@blp.response(202, VideoStatusSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such lesson")
@blp.alt_response(409, schema=ErrorSchema, description="The video's transcoding has not failed")
def retry_video(lesson_id: uuid.UUID):
    """Transcode the lesson's video again after a failure (status back to pending)."""
    return transcoding.retry_transcoding(lesson_id, current_user)
