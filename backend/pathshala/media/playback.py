"""Signed playback: who may watch a lesson's video, and the links that let them.

A playback link signs a lesson's whole HLS directory, so the relative URIs inside its
playlists (``360p/index.m3u8``, ``seg_00001.ts``) stay covered without a token per file::

    /media/s/<token>/<expires>/<user_id>/lessons/<lesson_id>/hls/<version>/master.m3u8
             \\_____/ \\_______/ \\_______/ \\_________________________________/
              md5     unix s    binds     the signed directory (``directory``)

    token = base64url(md5(f"{expires}/{user_id}/{directory} {secret}")) without "=" padding

The signed text is the link's own path between the token and the file name, then a space
and the secret: ``SIGNED_TEXT`` below is the one definition, and deploy/nginx-media.conf's
``secure_link_md5 "$secure_link_expires/$pm_user/$pm_dir ${PATHSHALA_MEDIA_SECRET}"`` is the
same text, so nginx (production) and the app (embedded, or behind nginx with
BACKEND_MEDIA_ACCEL) accept exactly the same links. md5 is what nginx's secure_link offers;
the secret it is keyed with never leaves the servers.

``secret`` is derived from BACKEND_JWT_SECRET (HMAC-SHA256 of a fixed label), so rotating the
JWT secret also retires every media link; ``flask media-link-secret`` prints it for nginx.

Checks, in nginx's order: the shape of the path (no storage touched), the token in constant
time (403 ``bad_media_link``), the expiry (410 ``media_link_expired``), then the file. A link
is a capability for its TTL: revoking an enrollment stops new links at once and old ones
within BACKEND_VIDEO_URL_TTL_SECONDS.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import posixpath
import re
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import click
from flask import Blueprint, Response, current_app, redirect, send_file

from pathshala.courses import service as courses
from pathshala.courses.models import Lesson
from pathshala.errors import Conflict, Forbidden, Gone, NotFound
from pathshala.media.storage import LocalStorage, S3Storage, Storage
from pathshala.settings import Settings
from pathshala.users.models import User

MEDIA_LINK_PREFIX = "/media/s"
#: nginx's internal location that aliases BACKEND_STORAGE_DIR (X-Accel-Redirect target)
ACCEL_PREFIX = "/protected-media/"
HLS_TYPE = "application/vnd.apple.mpegurl"
SECRET_LABEL = b"pathshala media link secret v1"
SIGNED_TEXT = "{expires}/{user_id}/{directory} {secret}"
# Links are fetched again well before they expire; a player may cache within that.
CACHE_CONTROL = "private, max-age=60"
CONTENT_TYPES = {"m3u8": HLS_TYPE, "ts": "video/mp2t", "jpg": "image/jpeg"}

# The same shapes as deploy/nginx-media.conf's location: a lesson's HLS directory, and a file
# under it (plain names, no "." or ".." parts, one of the served types).
DIRECTORY = (
    r"lessons/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/hls/[A-Za-z0-9_-]+"
)
FILE = r"(?:[A-Za-z0-9_-]+/)*[A-Za-z0-9_-]+\.(?:m3u8|ts|jpg)"
_DIRECTORY = re.compile(DIRECTORY)
_REST = re.compile(rf"(?P<directory>{DIRECTORY})/(?P<file>{FILE})")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")
_EXPIRES = re.compile(r"[0-9]{1,12}")
_USER = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# A URI attribute inside a tag (#EXT-X-MAP:URI="init.mp4", #EXT-X-KEY:...).
_URI_ATTRIBUTE = re.compile(r'URI="([^"]*)"')


class MediaLinkExpired(Gone):
    code = "media_link_expired"
    message = "This video link has expired. Reload the lesson to get a new one."


BAD_LINK = "This video link is not valid."


# ---- the token ------------------------------------------------------------------------------


def media_secret(settings: Settings) -> str:
    """The secret media links are keyed with (nginx's ``secure_link_md5`` needs it too)."""
    return hmac.new(settings.jwt_secret.encode(), SECRET_LABEL, hashlib.sha256).hexdigest()


def link_token(directory: str, user_id: str, expires: int, secret: str) -> str:
    text = SIGNED_TEXT.format(expires=expires, user_id=user_id, directory=directory, secret=secret)
    digest = hashlib.md5(text.encode(), usedforsecurity=False).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def signed_path(directory: str, file: str, user_id: str, expires: int, secret: str) -> str:
    """The link to ``file`` under the signed ``directory`` for that user until ``expires``."""
    if not _DIRECTORY.fullmatch(directory):
        raise ValueError(f"not a lesson's HLS directory: {directory!r}")
    token = link_token(directory, user_id, expires, secret)
    return f"{MEDIA_LINK_PREFIX}/{token}/{expires}/{user_id}/{directory}/{file}"


def check_link(token: str, expires: str, user_id: str, rest: str, secret: str) -> str:
    """The storage key a media link names, if the link is genuine and current.

    Shape first (nothing read), then the token in constant time, then the expiry, as nginx's
    secure_link does: a forged link is 403 whether or not it has expired.
    """
    match = _REST.fullmatch(rest)
    if not (
        match
        and _TOKEN.fullmatch(token)
        and _EXPIRES.fullmatch(expires)
        and _USER.fullmatch(user_id)
    ):
        raise Forbidden(BAD_LINK, code="bad_media_link")
    expected = link_token(match["directory"], user_id, int(expires), secret)
    if not hmac.compare_digest(expected, token):
        raise Forbidden(BAD_LINK, code="bad_media_link")
    if int(expires) < int(time.time()):
        raise MediaLinkExpired()
    return f"{match['directory']}/{match['file']}"


# ---- who may watch --------------------------------------------------------------------------


@dataclass(frozen=True)
class VideoLink:
    url: str
    expires_at: datetime
    type: str = HLS_TYPE
    #: the poster frame, signed like the playlist (it lives in the same directory)
    poster_url: str | None = None


def playable_lesson(lesson_id: uuid.UUID, user: User) -> Lesson:
    """The lesson, if ``user`` may watch it now: 404 unknown (or a course they cannot see),
    403 locked (not actively enrolled, not the owner or an admin, not a free preview),
    409 no ready video. The same rule as the course outline's ``locked``."""
    lesson = courses.openable_lesson(lesson_id, user)
    if lesson.video_status != "ready" or not lesson.video_hls_key:
        state = lesson.video_status or "none"
        raise Conflict(
            f"This lesson has no video ready to play (status: {state}).", code="video_not_ready"
        )
    return lesson


def video_link(lesson_id: uuid.UUID, user: User, settings: Settings) -> VideoLink:
    """A link to the lesson's master playlist, bound to ``user``, for the configured TTL.

    Relative (``/media/s/...``): the SPA is served from the same origin as the app in every
    setup (the web container's nginx, ``make run``, Vite's dev proxy), so the player stays on
    the origin its page came from, with no CORS, whatever host or port the visitor used.
    """
    lesson = playable_lesson(lesson_id, user)
    directory, file = posixpath.split(lesson.video_hls_key or "")
    expires = int(time.time()) + settings.video_url_ttl_seconds
    secret = media_secret(settings)
    url = signed_path(directory, file, str(user.id), expires, secret)
    poster_dir, poster_file = posixpath.split(lesson.video_poster_key or "")
    poster_url = (
        signed_path(directory, poster_file, str(user.id), expires, secret)
        if poster_file and poster_dir == directory
        else None
    )
    return VideoLink(
        url=url, expires_at=datetime.fromtimestamp(expires, UTC), poster_url=poster_url
    )


# ---- serving --------------------------------------------------------------------------------


def media_response(key: str, storage: Storage, settings: Settings) -> Response:
    """The file ``key`` (already checked by ``check_link``), however the storage serves it."""
    extension = key.rsplit(".", 1)[-1]
    content_type = CONTENT_TYPES[extension]
    if isinstance(storage, S3Storage):
        if extension == "m3u8":
            response = Response(
                _presigned_playlist(key, storage, settings), content_type=content_type
            )
        else:
            # Posters (or a player that ignored the rewritten playlist) go to the bucket.
            response = redirect(storage.presigned_get_url(key, settings.video_url_ttl_seconds))
    elif settings.media_accel:
        response = Response(b"", content_type=content_type)
        response.headers["X-Accel-Redirect"] = ACCEL_PREFIX + key
    elif isinstance(storage, LocalStorage):
        path = storage.local_path(key)
        if not path.is_file():
            raise NotFound("No such media file.", code="media_not_found")
        response = send_file(path, mimetype=content_type, conditional=True, etag=True)
    else:  # a Storage that neither presigns nor has local files
        raise NotFound("No such media file.", code="media_not_found")
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _presigned_playlist(key: str, storage: S3Storage, settings: Settings) -> str:
    """The playlist with every media URI replaced by a presigned bucket URL.

    Playlists (``.m3u8``) stay relative so they come back through this route and its check;
    absolute URIs and anything outside the signed directory are left as they are.
    """
    try:
        with storage.open_read(key) as stream:
            text = stream.read().decode("utf-8")
    except FileNotFoundError as error:
        raise NotFound("No such media file.", code="media_not_found") from error
    base = posixpath.dirname(key)
    directory = _REST.fullmatch(key)["directory"]  # type: ignore[index]
    ttl = settings.video_url_ttl_seconds

    def presigned(uri: str) -> str:
        if not uri or "://" in uri or uri.startswith("/") or uri.endswith(".m3u8"):
            return uri
        target = posixpath.normpath(posixpath.join(base, uri.split("?", 1)[0]))
        if not target.startswith(directory + "/"):
            return uri
        return storage.presigned_get_url(target, ttl)

    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            lines.append(line)
        elif stripped.startswith("#"):
            lines.append(_URI_ATTRIBUTE.sub(lambda m: f'URI="{presigned(m[1])}"', line))
        else:
            lines.append(presigned(stripped))
    return "\n".join(lines) + "\n"


# ---- CLI ------------------------------------------------------------------------------------

commands = Blueprint("media_commands", __name__, cli_group=None)


@commands.cli.command("media-link-secret")
def print_media_link_secret() -> None:
    """Print the secret nginx's secure_link needs (PATHSHALA_MEDIA_SECRET of the web image)."""
    click.echo(media_secret(current_app.extensions["pathshala.settings"]))
