"""/api/uploads, and lesson attachments: thin routes over uploads.service and
uploads.attachments."""

from __future__ import annotations

import uuid

from flask import current_app, request
from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from pathshala.auth.permissions import require_author, require_login
from pathshala.errors import ErrorSchema
from pathshala.uploads import attachments, service
from pathshala.uploads.schemas import (
    AttachmentListSchema,
    ReceiptSchema,
    ReceiveArgs,
    SignedUploadSchema,
    SignSchema,
    UploadSchema,
)

blp = Blueprint(
    "uploads", __name__, url_prefix="/api", description="Uploading files, lesson attachments"
)


@blp.route("/uploads/sign", methods=["POST"])
@require_login
@blp.arguments(SignSchema)
@blp.response(201, SignedUploadSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such lesson or course")
def sign(body):
    """Ask where to send one file. Lesson videos and attachments need `lesson_id` of a lesson
    in a course the caller owns (or any, for admins); thumbnails need such a `course_id`;
    avatars are the caller's own. Name, type and size must suit the purpose (422)."""
    return service.sign(current_user, body)


@blp.route("/uploads/<uuid:upload_id>/data", methods=["PUT"])
@blp.arguments(ReceiveArgs, location="query")
@blp.response(200, ReceiptSchema)
@blp.doc(
    requestBody={
        "required": True,
        "description": "The file's bytes, exactly the signed size, with the signed Content-Type",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
)
@blp.alt_response(400, schema=ErrorSchema, description="Fewer bytes than signed; nothing kept")
@blp.alt_response(403, schema=ErrorSchema, description="The URL's signature is not valid")
@blp.alt_response(404, schema=ErrorSchema, description="Not stored by the app itself here")
@blp.alt_response(409, schema=ErrorSchema, description="The URL has been used")
@blp.alt_response(410, schema=ErrorSchema, description="The URL has expired")
@blp.alt_response(413, schema=ErrorSchema, description="More bytes than signed; nothing kept")
def receive(args, upload_id: uuid.UUID):
    """The upload URL `sign` hands out when the app stores files itself (no session: the
    signature in the query is the permission). Single-use; the body is streamed to storage."""
    upload = service.prepare_receive(upload_id, args["expires"], args["signature"])
    # The one exemption from BACKEND_MAX_REQUEST_BYTES (MAX_CONTENT_LENGTH): this body is
    # bounded by the size it was signed for instead. One byte over, so the service sees a
    # too-long body arrive and rejects it itself; werkzeug stops reading past that.
    request.max_content_length = upload.size + 1
    # request.stream is only opened once the service has checked the declared length.
    return service.receive(upload, lambda: request.stream, request.content_length, request.mimetype)


@blp.route("/uploads/<uuid:upload_id>/complete", methods=["POST"])
@require_login
@blp.response(200, UploadSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such upload of the caller's")
@blp.alt_response(409, schema=ErrorSchema, description="The file is still arriving")
@blp.alt_response(
    422,
    schema=ErrorSchema,
    description="Not received, or rejected (and deleted): wrong size or not really of its type",
)
def complete(upload_id: uuid.UUID):
    """Check the file that arrived and put it to use: a lesson's video (transcoding starts;
    the lesson's `video_status` becomes pending), a course thumbnail or the caller's avatar
    (stored as WebP without metadata), or a lesson attachment. Repeating it is harmless."""
    return service.complete(current_user, upload_id)


# ---- lesson attachments ---------------------------------------------------------------------

LOCKED = "Not enrolled (code not_enrolled): enroll to open this lesson's files"


@blp.route("/lessons/<uuid:lesson_id>/attachments", methods=["GET"])
@require_login
@blp.response(200, AttachmentListSchema)
@blp.alt_response(403, schema=ErrorSchema, description=LOCKED)
@blp.alt_response(404, schema=ErrorSchema, description="No such lesson")
def lesson_attachments(lesson_id: uuid.UUID):
    """The lesson's attachments in the author's order, for whoever may open the lesson:
    enrolled students, the course's owner, admins, anyone for a free preview."""
    return {"items": attachments.lesson_attachments(lesson_id, current_user)}


@blp.route("/attachments/<uuid:attachment_id>/download", methods=["GET"])
@require_login
@blp.doc(
    responses={
        "200": {
            "description": "The file, as a download named after the uploaded file",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        },
        "302": {"description": "To a presigned storage URL, valid for 5 minutes (S3 storage)"},
    }
)
@blp.alt_response(403, schema=ErrorSchema, description=LOCKED)
@blp.alt_response(404, schema=ErrorSchema, description="No such attachment, or its file is gone")
def download_attachment(attachment_id: uuid.UUID):
    """Download an attachment (the same access as its lesson); never cached."""
    storage = current_app.extensions["pathshala.storage"]
    return attachments.download_response(attachment_id, current_user, storage)


@blp.route("/attachments/<uuid:attachment_id>", methods=["DELETE"])
@require_author
@blp.response(204)
@blp.alt_response(404, schema=ErrorSchema, description="No such attachment")
def delete_attachment(attachment_id: uuid.UUID):
    """Remove an attachment and its file (the course's owner or an admin)."""
    storage = current_app.extensions["pathshala.storage"]
    attachments.delete_attachment(attachment_id, current_user, storage)
