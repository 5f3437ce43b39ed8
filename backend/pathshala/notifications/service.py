"""Telling users what happened to them: an in-app notification, and the same news by mail
unless they turned mail off for that kind.

- ``notify`` writes both in the caller's transaction: an event that rolls back tells nobody.
- The mail is never sent inside the request. It waits in the outbox, and once the transaction
  commits its delivery is put on the job queue (``after_commit`` below). If the queue cannot be
  reached the message stays in the outbox for ``flask mail deliver``; the request never fails.
- Every mail carries a signed link that turns mail of its kind off (one click, no sign-in).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import redis
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import and_, event, func, select, update
from sqlalchemy.orm import Session, SessionTransaction

from pathshala import jobs
from pathshala.classwork.models import Classwork
from pathshala.columns import utcnow
from pathshala.courses.models import Course
from pathshala.errors import BadRequest, NotFound
from pathshala.extensions import db
from pathshala.mail import service as mail
from pathshala.notifications.models import KINDS, Notification, NotificationPreference
from pathshala.pagination import Page, paginate
from pathshala.settings import Settings
from pathshala.sql import insert_ignoring_duplicates
from pathshala.users.models import User

log = logging.getLogger(__name__)

#: how each kind is named on the preferences page and in the mail's footer
LABELS = {
    "enrolled": "Enrolled in a course",
    "payment_received": "Payment received",
    "payment_refunded": "Refund recorded",
    "classwork_graded": "Classwork graded",
    "certificate_issued": "Certificate issued",
}
DELIVER_JOB = "pathshala.notifications.jobs.deliver_mail"
#: Session.info key: outbox ids to hand to the job queue when the transaction commits
PENDING_MAIL = "pathshala.notifications.pending_mail"
UNSUBSCRIBE_SALT = "pathshala.notifications.unsubscribe"
SORTS = {"newest": (Notification.created_at.desc(), Notification.id.desc())}


def _settings() -> Settings:
    return current_app.extensions["pathshala.settings"]


# ---- writing a notification ------------------------------------------------------------------


def notify(
    user_id: uuid.UUID,
    kind: str,
    *,
    title: str,
    body: str,
    link: str | None = None,
    mail_subject: str | None = None,
) -> Notification:
    """Add an in-app notification for ``user_id`` and, unless they turned mail of ``kind``
    off (or are banned), its mail to the outbox, in the caller's transaction. ``link`` is an
    SPA path (``/learn/<slug>``). Two queries; the mail leaves through the job queue after
    commit."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    notification = Notification(
        id=uuid.uuid4(), user_id=user_id, kind=kind, title=title[:200], body=body, link=link
    )
    db.session.add(notification)
    row = db.session.execute(
        select(User, NotificationPreference.email_enabled)
        .outerjoin(
            NotificationPreference,
            and_(NotificationPreference.user_id == User.id, NotificationPreference.kind == kind),
        )
        .where(User.id == user_id)
    ).first()
    if row is None:
        return notification
    user, email_enabled = row
    if email_enabled is False or user.is_banned:
        return notification
    subject, text, html = _mail_for(user, notification, mail_subject or title)
    message = mail.queue_mail(
        user.email,
        subject,
        text,
        kind=f"notification:{kind}",
        body_html=html,
        unsubscribe_url=unsubscribe_url(user.id, kind),
    )
    db.session().info.setdefault(PENDING_MAIL, []).append(str(message.id))
    return notification


@cache
def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("pathshala.notifications", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _mail_for(user: User, notification: Notification, subject: str) -> tuple[str, str, str]:
    public_url = _settings().public_url
    context = {
        "name": user.name,
        "title": notification.title,
        "body": notification.body,
        "link": public_url + notification.link if notification.link else None,
        "label": LABELS[notification.kind],
        "unsubscribe_url": unsubscribe_url(user.id, notification.kind),
        "preferences_url": public_url + "/account",
    }
    text = _templates().get_template("notification.txt").render(context)
    html = _templates().get_template("notification.html").render(context)
    return subject[:200], text, html


# ---- delivery after commit -------------------------------------------------------------------


def enqueue_pending_mail(session: Session) -> None:
    """after_commit: hand the mail the transaction wrote to the job queue. A queue that cannot
    be reached loses nothing: the messages wait in the outbox for ``flask mail deliver``."""
    message_ids = session.info.pop(PENDING_MAIL, None)
    if not message_ids:
        return
    try:
        jobs.enqueue(DELIVER_JOB, message_ids=message_ids)
    except (redis.RedisError, OSError) as exc:
        log.warning(
            "mail %s not queued (%s): it waits in the outbox for `flask mail deliver`",
            ", ".join(message_ids),
            exc,
        )


def forget_pending_mail(session: Session, previous_transaction: SessionTransaction) -> None:
    """after_soft_rollback: the outermost transaction rolled back, and its mail with it."""
    if previous_transaction.parent is None:
        session.info.pop(PENDING_MAIL, None)


def deliver_mail_after_commit() -> None:
    """Listen to every session's commits and rollbacks (once per process; create_app)."""
    if not event.contains(Session, "after_commit", enqueue_pending_mail):
        event.listen(Session, "after_commit", enqueue_pending_mail)
        event.listen(Session, "after_soft_rollback", forget_pending_mail)


# ---- the events ------------------------------------------------------------------------------


def enrolled(user_id: uuid.UUID, course_id: uuid.UUID) -> Notification:
    """Free enrollment, an admin's grant, access given back: the course is open to them."""
    course = db.session.get(Course, course_id)
    assert course is not None
    return notify(
        user_id,
        "enrolled",
        title=f"You are enrolled in {course.title}",
        body="Every lesson of the course is open to you now. Start whenever you are ready.",
        link=f"/learn/{course.slug}",
    )


def payment_received(
    user_id: uuid.UUID, course_id: uuid.UUID, *, amount: str, receipt: str | None
) -> Notification:
    """A payment settled. It also unlocks the course, so it stands in for ``enrolled``."""
    course = db.session.get(Course, course_id)
    assert course is not None
    receipt_line = f" Your receipt number is {receipt}." if receipt else ""
    return notify(
        user_id,
        "payment_received",
        title=f"Payment received: {course.title}",
        body=f"We received your payment of {amount}.{receipt_line} The course is unlocked: "
        "every lesson is open to you now.",
        link=f"/learn/{course.slug}",
    )


def payment_refunded(user_id: uuid.UUID, course_id: uuid.UUID, *, amount: str) -> Notification:
    course = db.session.get(Course, course_id)
    assert course is not None
    return notify(
        user_id,
        "payment_refunded",
        title=f"Refund recorded: {course.title}",
        body=f"A refund of {amount} for {course.title} has been recorded. A refund to a card "
        "or bank account usually shows there within 5 to 7 working days.",
        link="/orders",
    )


def classwork_graded(
    student_id: uuid.UUID, course: Course, classwork: Classwork, *, points: int
) -> Notification:
    return notify(
        student_id,
        "classwork_graded",
        title=f"Graded: {classwork.title}",
        body=f"Your work for {classwork.title} in {course.title} was graded "
        f"{points} out of {classwork.max_points}. Read the feedback on the course's classwork.",
        link=f"/learn/{course.slug}/classwork",
    )


def certificate_issued(user_id: uuid.UUID, course: Course, *, link: str) -> Notification:
    """For the certificates feature: ``link`` is the SPA path of the certificate."""
    return notify(
        user_id,
        "certificate_issued",
        title=f"Your certificate for {course.title}",
        body=f"Congratulations on completing {course.title}! Your certificate is ready to "
        "view, download and share.",
        link=link,
    )


# ---- reading and marking ---------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationPage:
    items: list[Notification]
    total: int
    page: int
    per_page: int
    unread_count: int


def unread_count(user: User) -> int:
    """One indexed count (the partial index holds only unread rows)."""
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def list_for(user: User, *, page: int, per_page: int, unread: bool = False) -> NotificationPage:
    """The caller's notifications, newest first (only unread ones if asked), with the unread
    count for the badge: three queries whatever the page size."""
    query = select(Notification).where(Notification.user_id == user.id)
    if unread:
        query = query.where(Notification.read_at.is_(None))
    result: Page = paginate(query, page=page, per_page=per_page, sort="newest", sorts=SORTS)
    return NotificationPage(
        result.items, result.total, result.page, result.per_page, unread_count(user)
    )


def mark_read(user: User, notification_id: uuid.UUID) -> Notification:
    """Only the caller's own; anyone else's is unknown (404). Marking twice keeps the first
    time."""
    notification = db.session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user.id
        )
    )
    if notification is None:
        raise NotFound("No such notification.", code="notification_not_found")
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def mark_all_read(user: User, *, until: datetime) -> int:
    """Every unread notification of the caller created at or before ``until`` (the newest the
    caller has seen): one that arrived after the list was shown stays unread."""
    updated = db.session.execute(
        update(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.read_at.is_(None),
            Notification.created_at <= until,
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return updated


# ---- mail preferences ------------------------------------------------------------------------


@dataclass(frozen=True)
class Preference:
    kind: str
    label: str
    email_enabled: bool


def preferences(user_id: uuid.UUID) -> list[Preference]:
    """Every kind, mail on unless a row says off."""
    stored = dict(
        db.session.execute(
            select(NotificationPreference.kind, NotificationPreference.email_enabled).where(
                NotificationPreference.user_id == user_id
            )
        ).all()
    )
    return [Preference(kind, LABELS[kind], stored.get(kind, True)) for kind in KINDS]


def set_email_enabled(user_id: uuid.UUID, kind: str, enabled: bool) -> list[Preference]:
    """Turn mail of one kind on or off (idempotent, safe under concurrent requests)."""
    if kind not in KINDS:
        raise BadRequest(f"Unknown notification kind {kind!r}.", code="unknown_kind")
    insert_ignoring_duplicates(
        NotificationPreference,
        [{"id": uuid.uuid4(), "user_id": user_id, "kind": kind, "email_enabled": enabled}],
    )
    db.session.execute(
        update(NotificationPreference)
        .where(NotificationPreference.user_id == user_id, NotificationPreference.kind == kind)
        .values(email_enabled=enabled)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return preferences(user_id)


# ---- one-click unsubscribe -------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user_id: uuid.UUID, kind: str) -> str:
    return _serializer().dumps({"u": str(user_id), "k": kind})


def unsubscribe_url(user_id: uuid.UUID, kind: str) -> str:
    token = unsubscribe_token(user_id, kind)
    return f"{_settings().public_url}/api/notifications/unsubscribe?token={token}"


def unsubscribe(token: str) -> Preference:
    """Turn off the mail a signed link names (the link in every mail, and its List-Unsubscribe
    header). It does not expire: an old mail's link must still work. A forged or altered token,
    or one for an account that is gone, is 400 and changes nothing."""
    invalid = BadRequest(
        "This unsubscribe link is not valid. Change your mail settings on your account page.",
        code="invalid_unsubscribe_token",
    )
    try:
        claims = _serializer().loads(token)
        user_id, kind = uuid.UUID(claims["u"]), claims["k"]
    except (BadSignature, KeyError, TypeError, ValueError) as exc:
        raise invalid from exc
    if kind not in KINDS or db.session.get(User, user_id) is None:
        raise invalid
    set_email_enabled(user_id, kind, False)
    log.info("user %s unsubscribed from %s mail", user_id, kind)
    return Preference(kind, LABELS[kind], False)
