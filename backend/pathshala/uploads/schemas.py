"""Request and response bodies of /api/uploads and lesson attachments."""

from __future__ import annotations

import marshmallow as ma
from flask import url_for

from pathshala.uploads.models import PURPOSES, UPLOAD_STATUSES
from pathshala.uploads.rules import MAX_FILENAME_CHARS, RULES

#: The largest size any purpose allows (lesson videos); each purpose's own limit is checked
#: by the service, which names it in the error.
LARGEST_UPLOAD = max(rule.max_bytes for rule in RULES.values())


class SignSchema(ma.Schema):
    filename = ma.fields.String(
        required=True,
        # Longer names are cut to 255 after sanitising; this only bounds the request.
        validate=ma.validate.Length(min=1, max=4 * MAX_FILENAME_CHARS),
        metadata={"description": "The file's name; folders and control characters are removed"},
    )
    content_type = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    size = ma.fields.Integer(
        strict=True,
        required=True,
        validate=ma.validate.Range(min=1),
        metadata={
            "description": "Bytes. At most 2 GB for lesson_video, 5 MB for thumbnail and "
            "avatar, 50 MB for attachment"
        },
    )
    purpose = ma.fields.String(required=True, validate=ma.validate.OneOf(PURPOSES))
    lesson_id = ma.fields.UUID(
        load_default=None, allow_none=True, metadata={"description": "lesson_video, attachment"}
    )
    course_id = ma.fields.UUID(
        load_default=None, allow_none=True, metadata={"description": "thumbnail"}
    )


class SignedUploadSchema(ma.Schema):
    upload_id = ma.fields.UUID()
    url = ma.fields.String(metadata={"description": "Where to send the bytes"})
    method = ma.fields.String(metadata={"example": "PUT"})
    headers = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        metadata={"description": "Headers to send with a PUT (Content-Type)"},
    )
    fields = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        metadata={"description": "Form fields to send before `file` with a multipart POST"},
    )
    expires_at = ma.fields.DateTime()


class ReceiveArgs(ma.Schema):
    expires = ma.fields.Integer(required=True, metadata={"description": "Unix time"})
    signature = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=128))


class ReceiptSchema(ma.Schema):
    upload_id = ma.fields.UUID()
    size = ma.fields.Integer()
    sha256 = ma.fields.String()


class AttachedToSchema(ma.Schema):
    type = ma.fields.String(metadata={"description": "lesson | lesson_attachment | course | user"})
    id = ma.fields.UUID(allow_none=True)
    video_status = ma.fields.String(allow_none=True)
    video_progress = ma.fields.Integer(allow_none=True)
    lesson_id = ma.fields.UUID(allow_none=True)
    title = ma.fields.String(allow_none=True)
    position = ma.fields.Integer(allow_none=True)
    thumbnail_ref = ma.fields.String(allow_none=True)
    avatar_key = ma.fields.String(allow_none=True)


class UploadSchema(ma.Schema):
    id = ma.fields.UUID(attribute="upload.id")
    purpose = ma.fields.String(attribute="upload.purpose")
    status = ma.fields.String(
        attribute="upload.status", validate=ma.validate.OneOf(UPLOAD_STATUSES)
    )
    filename = ma.fields.String(attribute="upload.filename")
    content_type = ma.fields.String(attribute="upload.content_type")
    size = ma.fields.Integer(attribute="upload.size")
    sha256 = ma.fields.String(attribute="upload.sha256", allow_none=True)
    lesson_id = ma.fields.UUID(attribute="upload.lesson_id", allow_none=True)
    course_id = ma.fields.UUID(attribute="upload.course_id", allow_none=True)
    created_at = ma.fields.DateTime(attribute="upload.created_at")
    attached_to = ma.fields.Nested(AttachedToSchema)


class AttachmentSchema(ma.Schema):
    id = ma.fields.UUID()
    title = ma.fields.String()
    content_type = ma.fields.String(attribute="upload.content_type")
    size = ma.fields.Integer(attribute="upload.size", metadata={"description": "Bytes"})
    download_url = ma.fields.Function(
        lambda attachment: url_for("uploads.download_attachment", attachment_id=attachment.id),
        metadata={"description": "Relative to the app's origin; needs the caller's session"},
    )


class AttachmentListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(AttachmentSchema))
