"""Writing mail to the outbox and delivering what is waiting there."""

from __future__ import annotations

import logging
import uuid

from flask import after_this_request, current_app, has_request_context
from sqlalchemy import select

from pathshala.columns import utcnow
from pathshala.extensions import db
from pathshala.mail.mailer import MailDeliveryError, Mailer, OutgoingMail
from pathshala.mail.models import OutboxMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def mailer() -> Mailer:
    return current_app.extensions["pathshala.mailer"]


def queue_mail(
    to_address: str,
    subject: str,
    body_text: str,
    *,
    kind: str,
    body_html: str | None = None,
    unsubscribe_url: str | None = None,
) -> OutboxMessage:
    """Add a message to the outbox in the current transaction; it leaves after commit.
    The id is set here, so the caller can name the message before the flush."""
    message = OutboxMessage(
        id=uuid.uuid4(),
        to_address=to_address,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        kind=kind,
        unsubscribe_url=unsubscribe_url,
    )
    db.session.add(message)
    return message


def deliver(message_ids: list[uuid.UUID]) -> int:
    """Deliver the given pending messages; returns how many left. Failures stay in the outbox
    (status failed, with the error) for `flask mail deliver` to retry."""
    if not message_ids:
        return 0
    messages = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.id.in_(message_ids), OutboxMessage.status.in_(("pending", "failed"))
        )
    ).all()
    return _deliver_each(messages)


def deliver_after_response(message_ids: list[uuid.UUID]) -> None:
    """Deliver once the response has been sent (outside a request: now). The caller does not
    wait for the mail server, and cannot tell from the response time whether a mail was sent
    at all: forgot-password must not reveal who has an account. The messages are committed to
    the outbox first, so a delivery that never runs is retried by `flask mail deliver`."""
    if not has_request_context():
        deliver(message_ids)
        return
    app = current_app._get_current_object()  # the context is gone when the response closes

    @after_this_request
    def deliver_when_sent(response):
        def run() -> None:
            with app.app_context():
                deliver(message_ids)

        response.call_on_close(run)
        return response


def deliver_waiting(limit: int = 100) -> int:
    """Retry everything pending or failed (fewer than MAX_ATTEMPTS tries), oldest first."""
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.status.in_(("pending", "failed")),
            OutboxMessage.attempts < MAX_ATTEMPTS,
        )
        .order_by(OutboxMessage.created_at)
        .limit(limit)
    ).all()
    return _deliver_each(messages)


def _deliver_each(messages: list[OutboxMessage]) -> int:
    delivered = 0
    transport = mailer()
    for message in messages:
        message.attempts += 1
        try:
            transport.deliver(
                OutgoingMail(
                    message.to_address,
                    message.subject,
                    message.body_text,
                    message.body_html,
                    unsubscribe_url=message.unsubscribe_url,
                )
            )
        except MailDeliveryError as exc:
            log.warning("mail %s to %s failed: %s", message.id, message.to_address, exc)
            message.status = "failed"
            message.last_error = str(exc)[:500]
        else:
            message.status = transport.delivered_status
            message.sent_at = utcnow()
            message.last_error = None
            delivered += 1
        db.session.commit()
    return delivered
