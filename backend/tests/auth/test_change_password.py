"""POST /api/auth/change-password: the current password is needed, the policy applies, and
every other session of the account is signed out (the caller's own stays)."""

from __future__ import annotations

from pathshala.extensions import db
from pathshala.users.models import User
from tests.auth.api import PASSWORD, assert_error, bearer, login, unique_email

NEW_PASSWORD = "a-brand-new-passphrase-7"


def _change(client, access_token: str, **body):
    return client.post("/api/auth/change-password", json=body, headers=bearer(access_token))


def _hash_of(user: User) -> str | None:
    db.session.expire_all()
    return db.session.get(User, user.id).password_hash


def test_change_password_signs_out_other_sessions_and_keeps_this_one(client, make_user):
    user = make_user(email=unique_email())
    this = login(client, user.email).get_json()
    laptop = login(client, user.email).get_json()
    phone = login(client, user.email).get_json()

    response = _change(
        client, this["access_token"], current_password=PASSWORD, new_password=NEW_PASSWORD
    )

    assert response.status_code == 200
    assert "2 other session" in response.get_json()["message"]
    assert client.get("/api/auth/me", headers=bearer(this["access_token"])).status_code == 200
    assert (
        client.post("/api/auth/refresh", headers=bearer(this["refresh_token"])).status_code == 200
    )
    for other in (laptop, phone):
        assert_error(client.get("/api/auth/me", headers=bearer(other["access_token"])), 401)
        assert_error(client.post("/api/auth/refresh", headers=bearer(other["refresh_token"])), 401)
    assert_error(login(client, user.email, PASSWORD), 401, "invalid_credentials")
    assert login(client, user.email, NEW_PASSWORD).status_code == 200


def test_a_wrong_current_password_changes_nothing(client, make_user):
    user = make_user(email=unique_email())
    this = login(client, user.email).get_json()
    other = login(client, user.email).get_json()
    before = _hash_of(user)

    body = assert_error(
        _change(
            client, this["access_token"], current_password="nope-nope-9", new_password=NEW_PASSWORD
        ),
        422,
        "wrong_password",
    )

    assert "current_password" in body["fields"]
    assert _hash_of(user) == before
    assert client.get("/api/auth/me", headers=bearer(other["access_token"])).status_code == 200


def test_the_current_password_is_required_when_the_account_has_one(client, make_user):
    user = make_user(email=unique_email())
    this = login(client, user.email).get_json()

    assert_error(
        _change(client, this["access_token"], new_password=NEW_PASSWORD), 422, "wrong_password"
    )


def test_the_password_policy_applies_to_the_new_password(client, make_user):
    user = make_user(email=unique_email())
    this = login(client, user.email).get_json()
    before = _hash_of(user)

    for weak in ("short", "password123", user.email.split("@")[0]):
        body = assert_error(
            _change(client, this["access_token"], current_password=PASSWORD, new_password=weak),
            422,
            "weak_password",
        )
        assert body["fields"]["new_password"]
    assert _hash_of(user) == before


def test_a_google_only_account_sets_its_first_password_without_a_current_one(
    client, make_user, auth_headers
):
    user = make_user(email=unique_email(), password=None, google_sub="g-sub-1")
    headers = auth_headers(user)

    response = client.post(
        "/api/auth/change-password", json={"new_password": NEW_PASSWORD}, headers=headers
    )

    assert response.status_code == 200
    assert login(client, user.email, NEW_PASSWORD).status_code == 200
    me = client.get("/api/auth/me", headers=headers).get_json()
    assert me["has_password"] is True and me["google_linked"] is True


def test_change_password_needs_a_session(client):
    assert_error(
        client.post(
            "/api/auth/change-password",
            json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        ),
        401,
        "not_authenticated",
    )
