"""Forgot and reset password, with the mail read back from a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from pathshala.auth import service as auth_service
from pathshala.auth.models import PasswordResetToken
from pathshala.mail.models import OutboxMessage
from tests.auth.api import PASSWORD, assert_error, bearer, count, login, unique_email
from tests.fakes.workers import client_for

NEW_PASSWORD = "reset-to-something-new-8"
PUBLIC_URL = "https://courses.example.test"


@pytest.fixture
def mail_app(spawn_app, smtp_server):
    return spawn_app(BACKEND_SMTP_URL=smtp_server.url, BACKEND_PUBLIC_URL=PUBLIC_URL)


@pytest.fixture
def mail_client(mail_app):
    return client_for(mail_app)


def _forgot(client, email: str):
    # buffered: the response is read and closed, as a real server does; the mail leaves then
    return client.post("/api/auth/forgot-password", json={"email": email}, buffered=True)


def _reset(client, token: str, new_password: str = NEW_PASSWORD):
    return client.post(
        "/api/auth/reset-password", json={"token": token, "new_password": new_password}
    )


def _token_from(mail) -> str:
    links = [link for link in mail.links() if "/reset-password?" in link]
    assert len(links) == 1, mail.text
    parsed = urlparse(links[0])
    assert f"{parsed.scheme}://{parsed.netloc}" == PUBLIC_URL
    assert parsed.path == "/reset-password"
    return parse_qs(parsed.query)["token"][0]


def _mailed_token(client, smtp_server, email: str) -> str:
    assert _forgot(client, email).status_code == 200
    mails = smtp_server.wait_for(email)
    return _token_from(mails[-1])


def test_forgot_password_mails_a_link_that_resets_the_password(mail_client, smtp_server, make_user):
    user = make_user(email=unique_email(), name="Meera")
    old_session = login(mail_client, user.email).get_json()

    response = _forgot(mail_client, f"  {user.email.upper()} ")

    assert response.status_code == 200
    assert response.get_json()["message"]
    [mail] = smtp_server.wait_for(user.email)
    assert mail.recipients == [user.email]
    assert "Reset" in mail.subject
    assert "Meera" in mail.text and "one hour" in mail.text
    token = _token_from(mail)
    assert token in mail.html
    outbox = OutboxMessage.query.filter_by(to_address=user.email).one()
    assert outbox.status == "sent" and outbox.sent_at is not None
    # only a hash of the token is stored
    assert PasswordResetToken.query.filter_by(token_hash=token).count() == 0

    reset = _reset(mail_client, token)

    assert reset.status_code == 200
    assert login(mail_client, user.email, NEW_PASSWORD).status_code == 200
    assert_error(login(mail_client, user.email, PASSWORD), 401, "invalid_credentials")
    # every session from before the reset is over
    assert_error(mail_client.get("/api/auth/me", headers=bearer(old_session["access_token"])), 401)
    assert_error(
        mail_client.post("/api/auth/refresh", headers=bearer(old_session["refresh_token"])), 401
    )


def test_a_reset_link_works_once(mail_client, smtp_server, make_user):
    user = make_user(email=unique_email())
    token = _mailed_token(mail_client, smtp_server, user.email)
    assert _reset(mail_client, token).status_code == 200

    assert_error(_reset(mail_client, token, "yet-another-passphrase-5"), 400, "invalid_reset_token")
    assert login(mail_client, user.email, NEW_PASSWORD).status_code == 200


def test_using_one_link_spends_every_open_link(mail_client, smtp_server, make_user):
    user = make_user(email=unique_email())
    first = _mailed_token(mail_client, smtp_server, user.email)
    second = _mailed_token(mail_client, smtp_server, user.email)
    assert first != second

    assert _reset(mail_client, second).status_code == 200

    assert_error(_reset(mail_client, first, "yet-another-passphrase-5"), 400, "invalid_reset_token")


def test_a_link_expires_after_one_hour(mail_client, smtp_server, make_user, monkeypatch):
    user = make_user(email=unique_email())
    token = _mailed_token(mail_client, smtp_server, user.email)
    row = PasswordResetToken.query.filter_by(user_id=user.id).one()
    assert abs((row.expires_at - row.created_at) - timedelta(hours=1)) < timedelta(seconds=5)
    issued = datetime.now(UTC)

    monkeypatch.setattr(auth_service, "utcnow", lambda: issued + timedelta(minutes=61))
    assert_error(_reset(mail_client, token), 400, "invalid_reset_token")
    assert login(mail_client, user.email, PASSWORD).status_code == 200

    monkeypatch.setattr(auth_service, "utcnow", lambda: issued + timedelta(minutes=59))
    assert _reset(mail_client, token).status_code == 200


def test_a_weak_new_password_is_refused_and_the_link_stays_usable(
    mail_client, smtp_server, make_user
):
    user = make_user(email=unique_email())
    token = _mailed_token(mail_client, smtp_server, user.email)

    body = assert_error(_reset(mail_client, token, "password123"), 422, "weak_password")

    assert "new_password" in body["fields"]
    assert _reset(mail_client, token).status_code == 200


@pytest.mark.parametrize("token", ["made-up-token", "x" * 43])
def test_an_unknown_token_is_refused(client, token):
    assert_error(_reset(client, token), 400, "invalid_reset_token")


def test_reset_password_validates_its_body(client):
    body = assert_error(client.post("/api/auth/reset-password", json={}), 422, "invalid_input")
    assert {"token", "new_password"} <= set(body["fields"])


def test_an_unknown_email_gets_the_same_answer_and_no_mail(mail_client, smtp_server, make_user):
    user = make_user(email=unique_email())
    known = _forgot(mail_client, user.email)
    smtp_server.wait_for(user.email)
    unknown_email = unique_email("nobody")

    unknown = _forgot(mail_client, unknown_email)

    assert unknown.status_code == known.status_code == 200
    assert unknown.get_json() == known.get_json()
    assert smtp_server.to(unknown_email) == []
    assert count(OutboxMessage, OutboxMessage.to_address == unknown_email) == 0
    assert count(PasswordResetToken) == 1


def test_the_answer_does_not_wait_for_the_mail_server(mail_client, smtp_server, make_user):
    """A slow mail server neither slows the answer nor tells known emails from unknown ones."""
    user = make_user(email=unique_email())
    smtp_server.delay = 1.5

    started = time.monotonic()
    known = mail_client.post("/api/auth/forgot-password", json={"email": user.email})
    known_took = time.monotonic() - started
    started = time.monotonic()
    unknown = mail_client.post("/api/auth/forgot-password", json={"email": unique_email()})
    unknown_took = time.monotonic() - started

    assert known.status_code == unknown.status_code == 200
    assert known_took < 1.0 and unknown_took < 1.0, (known_took, unknown_took)
    assert smtp_server.to(user.email) == []
    assert OutboxMessage.query.filter_by(to_address=user.email).one().status == "pending"

    known.close()  # the server has sent the response: now the mail leaves
    unknown.close()

    [mail] = smtp_server.wait_for(user.email)
    assert _token_from(mail)
    assert count(OutboxMessage, OutboxMessage.status == "sent") == 1


def test_a_banned_account_gets_no_link(mail_client, smtp_server, make_user):
    user = make_user(email=unique_email(), is_banned=True)

    assert _forgot(mail_client, user.email).status_code == 200

    assert smtp_server.to(user.email) == []
    assert count(PasswordResetToken) == 0


def test_forgot_password_without_an_email_is_422(client):
    assert_error(client.post("/api/auth/forgot-password", json={}), 422, "invalid_input")
