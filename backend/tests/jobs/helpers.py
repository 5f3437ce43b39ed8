"""Job functions the tests queue (by dotted path, as real jobs are) and a way to wait."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from flask import current_app
from sqlalchemy import select

from pathshala.extensions import db
from pathshala.users.models import User
from tests import factories

HERE = "tests.jobs.helpers"


def record_user(email: str) -> None:
    """A side effect a test can see: a user row, written through the app context's session."""
    assert current_app.extensions["pathshala.settings"].env == "test"
    factories.make_user(email=email)


def record_periodic_run() -> None:
    factories.make_user(email=f"periodic-{uuid.uuid4().hex[:10]}@example.com")


def periodic_runs() -> int:
    db.session.rollback()
    return len(db.session.scalars(select(User.id).where(User.email.like("periodic-%"))).all())


def explode() -> None:
    raise RuntimeError("this job always fails")


def user_exists(email: str) -> bool:
    db.session.rollback()  # see what other threads and processes committed
    return db.session.scalar(select(User.id).where(User.email == email)) is not None


def eventually(check: Callable[[], bool], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()
