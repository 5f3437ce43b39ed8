"""The rules of uploads: who may upload what for which lesson, course or profile; receiving
the bytes when the app is its own store; and checking and attaching what arrived.

1. ``sign``: the caller declares name, type, size and purpose. Lesson videos and attachments
   need a lesson of a course the caller may edit, thumbnails such a course, avatars are the
   caller's own. An ``uploads`` row (status signed) records who asked for what; the answer
   says where to send the bytes: a presigned S3 PUT bound to the size and type, or (local
   storage) this app's own single-use PUT URL, HMAC-signed over upload id, size and expiry.
2. ``receive`` (local storage only): streams the body to storage in chunks, hashing as it
   goes, and keeps nothing unless exactly the signed size arrived.
3. ``complete``: the uploader says the bytes are there. The object must exist with the signed
   size and really be of the declared type (magic bytes, Office zip entries, UTF-8 text,
   ffprobe for video). A failure rejects the upload and deletes the object. Success attaches
   it: a lesson's video (transcoding queued), a course thumbnail or avatar (re-encoded as
   WebP, the original deleted), or a lesson attachment. Repeating it changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from flask import current_app
from sqlalchemy import func, select, update
from werkzeug.exceptions import ClientDisconnected

from pathshala import jobs
from pathshala.courses import service as courses
from pathshala.courses.models import Course, Lesson
from pathshala.errors import AppError, Conflict, Forbidden, InvalidInput, NotFound
from pathshala.extensions import db
from pathshala.media.storage import LocalStorage, Storage
from pathshala.uploads import images, rules
from pathshala.uploads.models import LessonAttachment, Upload
from pathshala.users.models import AUTHOR_ROLES, User

#: How long a signed upload URL may be used.
UPLOAD_URL_TTL_SECONDS = 60 * 60
RECEIVE_CHUNK_BYTES = 1024 * 1024
TRANSCODE_JOB = "pathshala.media.transcoding.transcode_lesson_video"
# Separates this key from every other use of the JWT secret.
PUT_URL_KEY_LABEL = b"pathshala.uploads.put-url.v1"


class Gone(AppError):
    status = 410
    code = "upload_url_expired"
    message = "This upload URL has expired. Ask for a new one."


class PayloadTooLarge(AppError):
    status = 413
    code = "upload_too_large"
    message = "More bytes arrived than the upload was signed for. Nothing was kept."


class UploadRejected(AppError):
    status = 422
    code = "upload_rejected"


def _settings():
    return current_app.extensions["pathshala.settings"]


def _storage() -> Storage:
    return current_app.extensions["pathshala.storage"]


def _now() -> datetime:
    """The current time (one place, so tests can move it)."""
    return datetime.fromtimestamp(time.time(), UTC)


# ---- signing ---------------------------------------------------------------------------------


@dataclass
class SignedUpload:
    upload_id: uuid.UUID
    url: str
    method: str
    headers: dict[str, str]
    fields: dict[str, str]
    expires_at: datetime


def sign(user: User, body: dict[str, Any]) -> SignedUpload:
    """Hand out one upload URL for one file, if the caller may upload it for that purpose
    (403 otherwise; 404 unknown lesson or course; 422 name, type or size not allowed)."""
    purpose = body["purpose"]
    lesson, course = _target(user, purpose, body.get("lesson_id"), body.get("course_id"))
    try:
        declared = rules.check_declared(
            purpose, body["filename"], body["content_type"], body["size"]
        )
    except rules.RuleBroken as broken:
        raise InvalidInput(
            broken.message, code=broken.code, fields={broken.field or "_body": [broken.message]}
        ) from broken

    upload_id = uuid.uuid4()
    if purpose == "lesson_video":
        key = f"lessons/{lesson.id}/source/{upload_id}.{declared.extension}"
    else:
        key = f"uploads/{upload_id}/{declared.key_name}"
    # Whole seconds: the expiry travels in the URL and is part of what is signed.
    expires_at = _now().replace(microsecond=0) + timedelta(seconds=UPLOAD_URL_TTL_SECONDS)
    upload = Upload(
        id=upload_id,
        user_id=user.id,
        purpose=purpose,
        lesson_id=lesson.id if lesson else None,
        course_id=course.id if course else None,
        filename=declared.filename,
        content_type=declared.content_type,
        size=body["size"],
        storage_key=key,
        status="signed",
        expires_at=expires_at,
    )
    db.session.add(upload)
    db.session.commit()

    storage = _storage()
    if storage.supports_presigned:
        target = storage.presigned_put(  # type: ignore[attr-defined]
            key,
            content_type=declared.content_type,
            size=upload.size,
            expires_in=UPLOAD_URL_TTL_SECONDS,
        )
        return SignedUpload(
            upload_id, target["url"], target["method"], target["headers"], {}, expires_at
        )
    expires = int(expires_at.timestamp())
    signature = put_url_signature(upload_id, upload.size, expires)
    url = (
        f"{_settings().public_url}/api/uploads/{upload_id}/data"
        f"?expires={expires}&signature={signature}"
    )
    return SignedUpload(
        upload_id, url, "PUT", {"Content-Type": declared.content_type}, {}, expires_at
    )


def _target(
    user: User, purpose: str, lesson_id: uuid.UUID | None, course_id: uuid.UUID | None
) -> tuple[Lesson | None, Course | None]:
    """The lesson and course an upload is for, checked against the caller's rights."""
    if purpose == "avatar":
        if lesson_id or course_id:
            raise InvalidInput(
                "An avatar belongs to the caller, not to a lesson or course.",
                code="unexpected_target",
                fields={"lesson_id" if lesson_id else "course_id": ["Not used for avatars."]},
            )
        return None, None
    if not (user.is_admin or user.role in AUTHOR_ROLES):
        raise Forbidden("Only teachers and admins upload course material.", code="forbidden")
    if purpose == "thumbnail":
        if course_id is None or lesson_id is not None:
            raise InvalidInput(
                "A thumbnail is for a course: send course_id (and no lesson_id).",
                code="course_id_required",
                fields={"course_id": ["Required for thumbnails."]},
            )
        return None, courses.get_course_for_edit(course_id, user)
    if lesson_id is None or course_id is not None:
        raise InvalidInput(
            "Lesson videos and attachments are for a lesson: send lesson_id (and no course_id).",
            code="lesson_id_required",
            fields={"lesson_id": ["Required for lesson videos and attachments."]},
        )
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None:
        raise NotFound("No such lesson.", code="lesson_not_found")
    courses.ensure_can_edit(lesson.course, user)
    return lesson, lesson.course


def _put_url_key() -> bytes:
    return hmac.new(_settings().jwt_secret.encode(), PUT_URL_KEY_LABEL, hashlib.sha256).digest()


def put_url_signature(upload_id: uuid.UUID, size: int, expires: int) -> str:
    message = f"{upload_id}:{size}:{expires}".encode()
    return hmac.new(_put_url_key(), message, hashlib.sha256).hexdigest()


# ---- receiving (local storage) ---------------------------------------------------------------


@dataclass
class Receipt:
    upload_id: uuid.UUID
    size: int
    sha256: str


def prepare_receive(upload_id: uuid.UUID, expires: int, signature: str) -> Upload:
    """The upload a local PUT URL is for, if the URL is genuine (403), not expired (410),
    and not used before (409)."""
    upload = db.session.get(Upload, upload_id)
    # An unknown id gets the same answer as a forged signature: there is nothing to verify.
    if upload is None or not hmac.compare_digest(
        put_url_signature(upload.id, upload.size, expires), signature
    ):
        raise Forbidden("The upload URL's signature is not valid.", code="invalid_signature")
    if expires != int(upload.expires_at.timestamp()):
        raise Forbidden("The upload URL's signature is not valid.", code="invalid_signature")
    if _now().timestamp() > expires:
        raise Gone()
    if upload.received_at is not None or upload.status != "signed":
        raise Conflict("This upload URL has already been used.", code="upload_url_used")
    return upload


def receive(
    upload: Upload,
    open_body: Callable[[], IO[bytes]],
    content_length: int | None,
    content_type: str | None,
) -> Receipt:
    """Stream the body of a local PUT into storage, chunk by chunk, never holding the file.

    The URL is single-use: it is claimed (atomically, so two PUTs cannot both write) before
    the first byte is read. More bytes than signed: 413; fewer: 400; either way nothing is
    kept and the upload is rejected.
    """
    if not isinstance(_storage(), LocalStorage):
        raise NotFound("Uploads go straight to the object store here.", code="not_found")
    if rules.normalise_content_type(content_type or "") != upload.content_type:
        raise InvalidInput(
            f"Send the file with Content-Type: {upload.content_type}.",
            code="content_type_mismatch",
            fields={"Content-Type": [f"Must be {upload.content_type}."]},
        )
    upload_id, size, key = upload.id, upload.size, upload.storage_key
    claimed = db.session.execute(
        update(Upload)
        .where(Upload.id == upload_id, Upload.status == "signed", Upload.received_at.is_(None))
        .values(received_at=_now())
    ).rowcount
    db.session.commit()
    if claimed != 1:
        raise Conflict("This upload URL has already been used.", code="upload_url_used")

    # The declared length decides before anything is read or written.
    if content_length is not None and content_length > size:
        _reject(upload_id, "more bytes than signed (Content-Length)")
        raise PayloadTooLarge()
    if content_length is not None and content_length < size:
        _reject(upload_id, "fewer bytes than signed (Content-Length)")
        raise _short_body()

    digest = hashlib.sha256()
    received = 0
    storage = _storage()
    stream = open_body()
    try:
        # The "with" body raising means the partial file is removed: nothing is kept.
        with storage.open_write(key) as out:
            # Read one byte past the signed size: that byte arriving proves the body is
            # too long, without trusting a header.
            while chunk := stream.read(min(RECEIVE_CHUNK_BYTES, size + 1 - received)):
                received += len(chunk)
                if received > size:
                    raise PayloadTooLarge()
                digest.update(chunk)
                out.write(chunk)
            if received < size:
                raise _short_body()
    except PayloadTooLarge:
        _reject(upload_id, "more bytes than signed")
        raise
    except ClientDisconnected as error:
        _reject(upload_id, "the client stopped sending")
        raise _short_body() from error
    except IncompleteUpload:
        _reject(upload_id, f"only {received} of {size} bytes arrived")
        raise

    sha256 = digest.hexdigest()
    db.session.execute(
        update(Upload)
        .where(Upload.id == upload_id)
        .values(status="uploaded", sha256=sha256, updated_at=_now())
    )
    db.session.commit()
    return Receipt(upload_id, received, sha256)


class IncompleteUpload(AppError):
    status = 400
    code = "upload_incomplete"
    message = "Fewer bytes arrived than the upload was signed for. Nothing was kept."


def _short_body() -> IncompleteUpload:
    return IncompleteUpload()


def _reject(upload_id: uuid.UUID, reason: str) -> None:
    db.session.rollback()
    db.session.execute(
        update(Upload)
        .where(Upload.id == upload_id)
        .values(status="rejected", rejection_reason=reason, updated_at=_now())
    )
    db.session.commit()


# ---- completing ------------------------------------------------------------------------------


@dataclass
class Completed:
    upload: Upload
    attached_to: dict[str, Any]


def complete(user: User, upload_id: uuid.UUID) -> Completed:
    """Check what arrived for the caller's upload and attach it. 404 unless the caller made
    the upload; 422 (and the upload rejected, its bytes deleted) when the bytes are wrong;
    409 while a local upload is still arriving. Done before: the same answer, no new effects.
    """
    upload = db.session.scalar(
        select(Upload).where(Upload.id == upload_id, Upload.user_id == user.id).with_for_update()
    )
    if upload is None:
        raise NotFound("No such upload of yours.", code="upload_not_found")
    if upload.status == "attached":
        return Completed(upload, _attached_to(upload))
    if upload.status == "rejected":
        raise UploadRejected(
            f"This upload was rejected: {upload.rejection_reason}. Upload the file again."
        )
    if upload.status == "signed" and upload.received_at is not None:
        raise Conflict("The file is still arriving.", code="upload_in_progress")
    # Rights may have changed since signing (the course given to another teacher).
    if upload.purpose != "avatar":
        target = _course_of(upload)
        if target is None:
            raise NotFound("The lesson or course was deleted.", code="upload_target_gone")
        courses.ensure_can_edit(target, user)

    storage = _storage()
    stored_size = storage.size(upload.storage_key)
    if stored_size is None:
        raise InvalidInput(
            "No file has arrived for this upload yet. Send it to the upload URL first.",
            code="upload_not_received",
        )
    try:
        if stored_size != upload.size:
            raise rules.RuleBroken(
                "size_mismatch",
                f"{stored_size} bytes arrived, but the upload was signed for {upload.size}.",
            )
        _check_content(storage, upload)
    except rules.RuleBroken as broken:
        storage.delete(upload.storage_key)
        upload.status = "rejected"
        upload.rejection_reason = broken.message
        db.session.commit()
        raise UploadRejected(broken.message, code=broken.code) from broken

    upload.status = "uploaded"
    after_commit = _attach(upload, user)
    upload.status = "attached"
    db.session.commit()
    for effect in after_commit:
        effect()
    return Completed(upload, _attached_to(upload))


def _course_of(upload: Upload) -> Course | None:
    if upload.purpose == "thumbnail":
        return db.session.get(Course, upload.course_id) if upload.course_id else None
    lesson = db.session.get(Lesson, upload.lesson_id) if upload.lesson_id else None
    return lesson.course if lesson else None


def _check_content(storage: Storage, upload: Upload) -> None:
    """RuleBroken unless the stored object really is what was declared; fills in sha256."""
    extension = upload.filename.rpartition(".")[2].lower()
    rules.check_magic(extension, storage.read_head(upload.storage_key, rules.HEAD_BYTES))
    needs_file = extension in rules.VIDEO_EXTENSIONS or extension in (
        "zip",
        *rules.OFFICE_TYPES,
    )
    if extension == "txt":
        with storage.open_read(upload.storage_key) as stream:
            rules.check_text(_hashing(stream, upload))
    elif needs_file:
        with _local_copy(storage, upload) as path:
            if extension in rules.VIDEO_EXTENSIONS:
                rules.probe_video(path)
            elif extension == "zip":
                rules.check_zip(path)
            else:
                rules.check_office_package(extension, path)
    if upload.sha256 is None:
        with storage.open_read(upload.storage_key) as stream:
            for _chunk in _hashing(stream, upload):
                pass


def _hashing(stream: IO[bytes], upload: Upload) -> Iterator[bytes]:
    """The stream's chunks; sets ``upload.sha256`` once all have passed (if not known)."""
    digest = hashlib.sha256()
    for chunk in rules.read_chunks(stream, RECEIVE_CHUNK_BYTES):
        digest.update(chunk)
        yield chunk
    if upload.sha256 is None:
        upload.sha256 = digest.hexdigest()


@contextmanager
def _local_copy(storage: Storage, upload: Upload) -> Iterator[Path]:
    """A file on this machine with the object's bytes (for ffprobe and zipfile): the stored
    file itself on local storage, else a temporary download (hashed on the way)."""
    if isinstance(storage, LocalStorage):
        yield storage.local_path(upload.storage_key)
        return
    suffix = "." + upload.filename.rpartition(".")[2].lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with storage.open_read(upload.storage_key) as stream:
            for chunk in _hashing(stream, upload):
                copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


def _attach(upload: Upload, user: User) -> list:
    """Put the checked upload to use; returns what must happen once it is committed."""
    storage = _storage()
    if upload.purpose == "lesson_video":
        lesson = db.session.get(Lesson, upload.lesson_id)
        lesson.video_upload_id = upload.id
        lesson.video_status = "pending"
        lesson.video_progress = 0
        lesson.video_error = None
        job_kwargs = {"lesson_id": str(lesson.id), "upload_id": str(upload.id)}
        # Queued only once committed, so the worker finds the lesson pointing at this upload.
        return [lambda: jobs.enqueue(TRANSCODE_JOB, **job_kwargs)]
    if upload.purpose == "attachment":
        position = db.session.scalar(
            select(func.coalesce(func.max(LessonAttachment.position), -1) + 1).where(
                LessonAttachment.lesson_id == upload.lesson_id
            )
        )
        db.session.add(
            LessonAttachment(
                lesson_id=upload.lesson_id,
                upload_id=upload.id,
                title=upload.filename,
                position=position,
            )
        )
        return []

    # thumbnail or avatar: re-encoded; the original is never kept.
    original_key = upload.storage_key
    try:
        with storage.open_read(original_key) as stream:
            webp = images.to_webp(stream, upload.purpose)
    except rules.RuleBroken as broken:
        storage.delete(original_key)
        upload.status = "rejected"
        upload.rejection_reason = broken.message
        db.session.commit()
        raise UploadRejected(broken.message, code=broken.code) from broken
    if upload.purpose == "thumbnail":
        course = db.session.get(Course, upload.course_id)
        prefix = f"courses/{course.id}/thumbnail/"
        previous = course.thumbnail_ref
        new_key = f"{prefix}{upload.id}.webp"
        course.thumbnail_ref = new_key
    else:
        prefix = f"avatars/{user.id}/"
        previous = user.avatar_key
        new_key = f"{prefix}{upload.id}.webp"
        user.avatar_key = new_key
    _write_bytes(storage, new_key, webp)
    upload.storage_key = new_key
    effects = [lambda: storage.delete(original_key)]
    # Only an image this feature stored is removed; a thumbnail_ref set by hand to some URL
    # is not ours to delete.
    if previous and previous != new_key and previous.startswith(prefix):
        effects.append(lambda: storage.delete(previous))
    return effects


def _write_bytes(storage: Storage, key: str, data: bytes) -> None:
    with storage.open_write(key) as out:
        out.write(data)


def _attached_to(upload: Upload) -> dict[str, Any]:
    """What a completed upload is in use as, for the response."""
    if upload.purpose == "lesson_video":
        lesson = db.session.get(Lesson, upload.lesson_id) if upload.lesson_id else None
        return {
            "type": "lesson",
            "id": upload.lesson_id,
            "video_status": lesson.video_status if lesson else None,
            "video_progress": lesson.video_progress if lesson else None,
        }
    if upload.purpose == "attachment":
        attachment = db.session.scalar(
            select(LessonAttachment).where(LessonAttachment.upload_id == upload.id)
        )
        return {
            "type": "lesson_attachment",
            "id": attachment.id if attachment else None,
            "lesson_id": upload.lesson_id,
            "title": attachment.title if attachment else None,
            "position": attachment.position if attachment else None,
        }
    if upload.purpose == "thumbnail":
        course = db.session.get(Course, upload.course_id) if upload.course_id else None
        return {
            "type": "course",
            "id": upload.course_id,
            "thumbnail_ref": course.thumbnail_ref if course else None,
        }
    return {"type": "user", "id": upload.user_id, "avatar_key": upload.user.avatar_key}
