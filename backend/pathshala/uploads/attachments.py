"""Lesson attachments (worksheets, slides, notes): who may list and download them, and who
may remove them.

Listing and downloading follow the course outline's ``locked`` rule, the same as watching the
lesson's video: actively enrolled students, the course's owner, admins, and anyone signed in
for a free-preview lesson. Removing one is for the course's owner or an admin.
"""

from __future__ import annotations

import uuid

from flask import Response, redirect, send_file
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from pathshala.courses import service as courses
from pathshala.courses.models import Lesson
from pathshala.errors import NotFound
from pathshala.extensions import db
from pathshala.media.storage import LocalStorage, S3Storage, Storage
from pathshala.uploads.models import LessonAttachment, Upload
from pathshala.users.models import User

#: how long a presigned bucket URL for a download stays valid
DOWNLOAD_URL_TTL_SECONDS = 5 * 60
# Each download is checked against the caller's access; nothing may keep a copy.
CACHE_CONTROL = "private, no-store"


def _attachment_not_found() -> NotFound:
    return NotFound("No such attachment.", code="attachment_not_found")


def lesson_attachments(lesson_id: uuid.UUID, user: User) -> list[LessonAttachment]:
    """The lesson's attachments with their uploads (one query), in the author's order, for a
    caller who may open the lesson."""
    lesson = courses.openable_lesson(lesson_id, user)
    query = (
        select(LessonAttachment)
        .join(LessonAttachment.upload)
        .options(contains_eager(LessonAttachment.upload))
        .where(LessonAttachment.lesson_id == lesson.id)
        .order_by(LessonAttachment.position, LessonAttachment.created_at, LessonAttachment.id)
    )
    return list(db.session.scalars(query))


def _attachment(attachment_id: uuid.UUID) -> LessonAttachment:
    attachment = db.session.scalar(
        select(LessonAttachment)
        .options(joinedload(LessonAttachment.upload))
        .where(LessonAttachment.id == attachment_id)
    )
    if attachment is None:
        raise _attachment_not_found()
    return attachment


def downloadable_attachment(attachment_id: uuid.UUID, user: User) -> LessonAttachment:
    """The attachment, if ``user`` may open its lesson (403 ``not_enrolled`` if locked); a
    lesson in a course they cannot see is answered as an unknown attachment (404)."""
    attachment = _attachment(attachment_id)
    try:
        courses.openable_lesson(attachment.lesson_id, user)
    except NotFound as error:
        raise _attachment_not_found() from error
    return attachment


def download_response(attachment_id: uuid.UUID, user: User, storage: Storage) -> Response:
    """The attachment's file as a download named after the uploaded file (local storage), or
    a redirect to a short-lived presigned bucket URL (S3)."""
    upload = downloadable_attachment(attachment_id, user).upload
    if isinstance(storage, S3Storage):
        response = redirect(
            storage.presigned_get_url(upload.storage_key, DOWNLOAD_URL_TTL_SECONDS), code=302
        )
    elif isinstance(storage, LocalStorage):
        path = storage.local_path(upload.storage_key)
        if not path.is_file():
            raise NotFound("The attachment's file is missing.", code="attachment_file_not_found")
        response = send_file(
            path,
            mimetype=upload.content_type,
            as_attachment=True,
            download_name=upload.filename,
            conditional=True,
        )
    else:  # a Storage that neither presigns nor has local files
        raise NotFound("The attachment's file is missing.", code="attachment_file_not_found")
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def delete_attachment(attachment_id: uuid.UUID, user: User, storage: Storage) -> None:
    """Remove an attachment, its upload and the stored file: the course's owner or an admin
    (403 ``not_course_owner`` for anyone else)."""
    attachment = _attachment(attachment_id)
    lesson = db.session.scalar(
        select(Lesson).options(joinedload(Lesson.course)).where(Lesson.id == attachment.lesson_id)
    )
    if lesson is None:
        raise _attachment_not_found()
    courses.ensure_can_edit(lesson.course, user)
    upload: Upload = attachment.upload
    key = upload.storage_key
    db.session.delete(attachment)
    db.session.delete(upload)
    db.session.commit()
    # After the commit: a failed delete leaves an orphaned file, never a row without its file.
    storage.delete(key)
