"""Public images: /media/public/<key> serves course thumbnails and user avatars to anyone.

Only keys the uploads feature writes are served (``courses/<id>/thumbnail/<name>.webp`` and
``avatars/<id>/<name>.webp``), and only while the key is still the course's ``thumbnail_ref``
or the user's ``avatar_key``: a replaced image stops being served at once. Every upload gets
a new key, so a served image never changes and may be cached for good.
"""

from __future__ import annotations

from flask import Response, current_app, redirect, send_file
from flask_smorest import Blueprint

from pathshala.errors import ErrorSchema, NotFound
from pathshala.media.public_images import current_key
from pathshala.media.storage import LocalStorage

blp = Blueprint("public_media", __name__, description="Course thumbnails and avatars")

# Local files: the key is unique per upload, so the bytes under it never change.
IMMUTABLE = "public, max-age=31536000, immutable"
PRESIGNED_TTL_SECONDS = 3600
# Shorter than the presigned URL's life, so a cached redirect never points at an expired one.
REDIRECT_CACHE = "public, max-age=3000"


@blp.route("/media/public/<path:key>", methods=["GET"])
@blp.response(200, content_type="image/webp")
@blp.alt_response(302, description="S3 storage: to a presigned URL of the image (1 hour)")
@blp.alt_response(404, schema=ErrorSchema, description="No such image, or not a current one")
def public_image(key: str) -> Response:
    """A course thumbnail or user avatar: public, no session. Only the current image of its
    course or user is served."""
    if current_key(key) is None:
        raise NotFound("No such image.", code="image_not_found")
    storage = current_app.extensions["pathshala.storage"]
    if storage.supports_presigned:
        response = redirect(storage.presigned_get_url(key, PRESIGNED_TTL_SECONDS), code=302)
        response.headers["Cache-Control"] = REDIRECT_CACHE
        return response
    if not isinstance(storage, LocalStorage):  # neither presigns nor has local files
        raise NotFound("No such image.", code="image_not_found")
    path = storage.local_path(key)
    if not path.is_file():
        raise NotFound("No such image.", code="image_not_found")
    response = send_file(path, mimetype="image/webp", conditional=True, etag=True)
    response.headers["Cache-Control"] = IMMUTABLE
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
