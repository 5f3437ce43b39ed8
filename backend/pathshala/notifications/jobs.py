"""Job functions of notifications (queued by dotted path: pathshala.notifications.jobs.*)."""

from __future__ import annotations

import uuid

from pathshala.mail import service as mail


def deliver_mail(message_ids: list[str]) -> int:
    """Send the notification mails a committed transaction left in the outbox. Messages
    already sent are skipped; a failure stays in the outbox for `flask mail deliver`."""
    return mail.deliver([uuid.UUID(message_id) for message_id in message_ids])
