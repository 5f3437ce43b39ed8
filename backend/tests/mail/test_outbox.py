"""The mail outbox: without SMTP every message is kept (and logged); with SMTP it is sent,
and what could not be sent waits for `flask mail deliver`."""

from __future__ import annotations

import logging
import re

from pathshala.extensions import db
from pathshala.mail import service as mail_service
from pathshala.mail.mailer import LogMailer, SmtpMailer
from pathshala.mail.models import OutboxMessage
from tests.auth.api import PASSWORD, count, login, unique_email
from tests.fakes.smtp import free_port
from tests.fakes.workers import client_for

NEW_PASSWORD = "from-the-outbox-pass-3"


def _forgot(client, email: str):
    # buffered: the response is read and closed, as a real server does; the mail leaves then
    return client.post("/api/auth/forgot-password", json={"email": email}, buffered=True)


def _outbox(email: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return OutboxMessage.query.filter_by(to_address=email).order_by(OutboxMessage.created_at).all()


def _token(message: OutboxMessage) -> str:
    match = re.search(r"/reset-password\?token=([A-Za-z0-9_-]+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


def test_without_smtp_the_message_is_kept_in_the_outbox_and_logged(app, client, make_user, caplog):
    assert isinstance(app.extensions["pathshala.mailer"], LogMailer)
    user = make_user(email=unique_email())

    with caplog.at_level(logging.INFO, logger="pathshala.mail.mailer"):
        assert _forgot(client, user.email).status_code == 200

    [message] = _outbox(user.email)
    assert message.status == "logged"
    assert message.kind == "password_reset"
    assert message.attempts == 1
    assert message.body_html and "<a href=" in message.body_html
    assert "http://pathshala.test/reset-password?token=" in message.body_text
    assert any(user.email in record.getMessage() for record in caplog.records)

    # the link in the stored message works
    response = client.post(
        "/api/auth/reset-password",
        json={"token": _token(message), "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert login(client, user.email, NEW_PASSWORD).status_code == 200


def test_mail_that_could_not_be_sent_waits_for_flask_mail_deliver(
    spawn_app, smtp_server, make_user
):
    down = spawn_app(BACKEND_SMTP_URL=f"smtp://127.0.0.1:{free_port()}")
    assert isinstance(down.extensions["pathshala.mailer"], SmtpMailer)
    user = make_user(email=unique_email())

    # the mail server is down: the request still answers 200, and the message waits
    assert _forgot(client_for(down), user.email).status_code == 200
    [message] = _outbox(user.email)
    assert message.status == "failed"
    assert message.attempts == 1
    assert message.last_error
    assert smtp_server.to(user.email) == []

    up = spawn_app(BACKEND_SMTP_URL=smtp_server.url)
    with up.app_context():
        result = up.test_cli_runner().invoke(args=["mail", "deliver"])

    assert result.exit_code == 0, result.output
    assert "Delivered 1 message(s)." in result.output
    [mail] = smtp_server.wait_for(user.email)
    assert _token(message) in mail.text
    [message] = _outbox(user.email)
    assert message.status == "sent"
    assert message.attempts == 2
    assert message.last_error is None
    assert message.sent_at is not None

    # nothing is left to send
    with up.app_context():
        again = up.test_cli_runner().invoke(args=["mail", "deliver"])
    assert "Delivered 0 message(s)." in again.output
    assert len(smtp_server.to(user.email)) == 1


def test_flask_mail_deliver_sends_pending_messages_oldest_first(spawn_app, smtp_server):
    up = spawn_app(BACKEND_SMTP_URL=smtp_server.url)
    address = unique_email("queue")
    for number in range(3):
        mail_service.queue_mail(address, f"Message {number}", f"Body {number}", kind="test")
        db.session.commit()

    with up.app_context():
        result = up.test_cli_runner().invoke(args=["mail", "deliver", "--limit", "2"])

    assert result.exit_code == 0, result.output
    assert "Delivered 2 message(s)." in result.output
    assert [m.subject for m in smtp_server.wait_for(address, 2)] == ["Message 0", "Message 1"]
    assert [m.status for m in _outbox(address)] == ["sent", "sent", "pending"]


def test_a_message_that_keeps_failing_is_given_up_after_five_attempts(spawn_app, smtp_server):
    address = unique_email("stuck")
    message = mail_service.queue_mail(address, "Stuck", "Body", kind="test")
    message.status, message.attempts = "failed", mail_service.MAX_ATTEMPTS
    db.session.commit()
    up = spawn_app(BACKEND_SMTP_URL=smtp_server.url)

    with up.app_context():
        result = up.test_cli_runner().invoke(args=["mail", "deliver"])

    assert "Delivered 0 message(s)." in result.output
    assert smtp_server.to(address) == []
    assert count(OutboxMessage, OutboxMessage.status == "failed") == 1


def test_the_smtp_mailer_sends_text_and_html_from_the_configured_sender(spawn_app, smtp_server):
    up = spawn_app(
        BACKEND_SMTP_URL=smtp_server.url, BACKEND_MAIL_FROM="Pathshala <mail@pathshala.test>"
    )
    address = unique_email("parts")
    message = mail_service.queue_mail(
        address, "Hello", "Plain body", kind="test", body_html="<p>HTML body</p>"
    )
    db.session.commit()

    with up.app_context():
        assert mail_service.deliver([message.id]) == 1

    [mail] = smtp_server.wait_for(address)
    assert mail.mail_from == "mail@pathshala.test"
    assert mail.message["From"] == "Pathshala <mail@pathshala.test>"
    assert mail.text.strip() == "Plain body"
    assert "<p>HTML body</p>" in mail.html
    assert PASSWORD not in mail.text
