"""POST /api/auth/login."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pathshala.auth.models import RefreshToken
from pathshala.extensions import db
from pathshala.users.models import User
from tests.auth.api import PASSWORD, assert_error, bearer, count, login, unique_email


def test_login_answers_200_with_tokens_and_the_user(client, make_user):
    user = make_user("teacher", email=unique_email())

    response = login(client, user.email)

    assert response.status_code == 200
    body = response.get_json()
    assert body["access_token"] and body["refresh_token"]
    assert body["user"]["id"] == str(user.id)
    assert body["user"]["role"] == "teacher"
    me = client.get("/api/auth/me", headers=bearer(body["access_token"]))
    assert me.get_json()["email"] == user.email


def test_login_ignores_the_case_and_spaces_of_the_email(client, make_user):
    user = make_user(email=unique_email())

    assert login(client, f"  {user.email.upper()}  ").status_code == 200


def test_login_records_last_login_at(client, make_user):
    user = make_user(email=unique_email())
    assert user.last_login_at is None
    before = datetime.now(UTC)

    response = login(client, user.email)

    db.session.expire_all()
    stored = db.session.get(User, user.id).last_login_at
    assert stored is not None and before - timedelta(seconds=1) <= stored <= datetime.now(UTC)
    assert datetime.fromisoformat(response.get_json()["user"]["last_login_at"]) == stored


def test_each_login_is_a_new_session(client, make_user):
    user = make_user(email=unique_email())

    first = login(client, user.email).get_json()
    second = login(client, user.email).get_json()

    families = {row.family_id for row in RefreshToken.query.filter_by(user_id=user.id).all()}
    assert len(families) == 2
    assert first["refresh_token"] != second["refresh_token"]


def test_wrong_password_and_unknown_email_get_the_same_401(client, make_user):
    user = make_user(email=unique_email())

    wrong_password = login(client, user.email, "not-the-password-1")
    unknown_email = login(client, unique_email("nobody"), "not-the-password-1")

    first = assert_error(wrong_password, 401, "invalid_credentials")
    second = assert_error(unknown_email, 401, "invalid_credentials")
    first.pop("request_id", None)
    second.pop("request_id", None)
    assert first == second
    assert wrong_password.headers.get("Set-Cookie") is None
    assert count(RefreshToken) == 0


def test_an_account_without_password_cannot_log_in_with_one(client, make_user):
    user = make_user(email=unique_email(), password=None, google_sub="google-123")

    assert_error(login(client, user.email, ""), 422)
    assert_error(login(client, user.email, "anything-at-all-9"), 401, "invalid_credentials")


def test_banned_users_get_403(client, make_user):
    user = make_user(email=unique_email(), is_banned=True)

    assert_error(login(client, user.email), 403, "account_suspended")
    assert count(RefreshToken) == 0


def test_a_banned_users_existing_token_stops_working(client, make_user, auth_headers):
    user = make_user(email=unique_email())
    headers = auth_headers(user)
    assert client.get("/api/auth/me", headers=headers).status_code == 200

    user.is_banned = True
    db.session.commit()

    assert_error(client.get("/api/auth/me", headers=headers), 403, "account_suspended")


def test_a_wrong_password_for_a_banned_user_is_still_401(client, make_user):
    """Suspension is only revealed to someone who knows the password."""
    user = make_user(email=unique_email(), is_banned=True)

    assert_error(login(client, user.email, "not-the-password-1"), 401, "invalid_credentials")


@pytest.mark.parametrize(
    "body",
    [{}, {"email": "a@example.com"}, {"password": PASSWORD}, {"email": 1, "password": 2}],
)
def test_login_refuses_incomplete_bodies(client, body):
    response = client.post("/api/auth/login", json=body)

    assert_error(response, 422, "invalid_input")


def test_login_refuses_a_non_json_body(client):
    response = client.post("/api/auth/login", data="{", content_type="application/json")

    assert_error(response, 400, "invalid_json")
