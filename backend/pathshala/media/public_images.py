"""Which stored images are public: course thumbnails and user avatars, while current.

Only keys the uploads feature writes qualify (``courses/<id>/thumbnail/<name>.webp`` and
``avatars/<id>/<name>.webp``), and only while the key is still the course's ``thumbnail_ref``
or the user's ``avatar_key``: a replaced image stops being public at once.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select

from pathshala.courses.models import Course
from pathshala.extensions import db
from pathshala.users.models import User

URL_PREFIX = "/media/public/"
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_NAME = r"[A-Za-z0-9_-]{1,64}"
PUBLIC_KEY = re.compile(
    rf"(?:courses/(?P<course_id>{_UUID})/thumbnail|avatars/(?P<user_id>{_UUID}))/{_NAME}\.webp"
)


def public_image_url(key: str | None) -> str | None:
    """The app-relative URL of a stored thumbnail or avatar; None for no key, or for a value
    this route does not serve (e.g. a thumbnail_ref set by hand to some URL)."""
    if key is None or PUBLIC_KEY.fullmatch(key) is None:
        return None
    return URL_PREFIX + key


def current_key(key: str) -> str | None:
    """``key`` if it is the current thumbnail or avatar of its course or user, else None.

    One lookup by primary key, of the one column."""
    match = PUBLIC_KEY.fullmatch(key)
    if match is None:
        return None
    if match["course_id"]:
        column, owner_id = Course.thumbnail_ref, Course.id == uuid.UUID(match["course_id"])
    else:
        column, owner_id = User.avatar_key, User.id == uuid.UUID(match["user_id"])
    current = db.session.scalar(select(column).where(owner_id))
    return key if current == key else None
