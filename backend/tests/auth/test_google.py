"""POST /api/auth/google against locally generated keys served over HTTP (tests/fakes)."""

from __future__ import annotations

import time

import pytest

from pathshala.auth.models import RefreshToken
from pathshala.users.models import User
from tests.auth.api import assert_error, bearer, count, unique_email
from tests.fakes.smtp import free_port
from tests.fakes.workers import client_for


@pytest.fixture
def google_app(spawn_app, google_issuer):
    return spawn_app(**google_issuer.settings())


@pytest.fixture
def google_client(google_app):
    return client_for(google_app)


def _sign_in(client, id_token):
    return client.post("/api/auth/google", json={"id_token": id_token})


def test_a_valid_token_creates_a_student_without_a_password(google_client, google_issuer):
    token = google_issuer.id_token(sub="1098765", email="Gita.Kumar@Gmail.test", name="Gita Kumar")

    response = _sign_in(google_client, token)

    assert response.status_code == 200
    body = response.get_json()
    assert body["access_token"] and body["refresh_token"]
    assert body["user"]["email"] == "gita.kumar@gmail.test"
    assert body["user"]["name"] == "Gita Kumar"
    assert body["user"]["role"] == "student"
    assert body["user"]["has_password"] is False
    assert body["user"]["google_linked"] is True
    user = User.query.filter_by(email="gita.kumar@gmail.test").one()
    assert user.google_sub == "1098765"
    assert user.password_hash is None
    assert user.last_login_at is not None
    me = google_client.get("/api/auth/me", headers=bearer(body["access_token"]))
    assert me.get_json()["id"] == str(user.id)
    assert "access_token_cookie=" in " ".join(response.headers.getlist("Set-Cookie"))


def test_signing_in_again_finds_the_same_account(google_client, google_issuer):
    first = _sign_in(google_client, google_issuer.id_token(sub="555", email="same@gmail.test"))
    # the same Google account, even if its email changed since
    second = _sign_in(google_client, google_issuer.id_token(sub="555", email="new@gmail.test"))

    assert first.status_code == second.status_code == 200
    assert first.get_json()["user"]["id"] == second.get_json()["user"]["id"]
    assert count(User) == 1
    assert count(RefreshToken) == 2


def test_links_an_existing_password_account_by_email(google_client, google_issuer, make_user):
    user = make_user("teacher", email=unique_email())

    response = _sign_in(google_client, google_issuer.id_token(sub="777", email=user.email.upper()))

    assert response.status_code == 200
    assert response.get_json()["user"]["id"] == str(user.id)
    assert response.get_json()["user"]["role"] == "teacher"
    assert response.get_json()["user"]["has_password"] is True
    assert count(User) == 1
    assert count(User, User.id == user.id, User.google_sub == "777") == 1


def test_an_email_linked_to_another_google_account_is_not_relinked(
    google_client, google_issuer, make_user
):
    user = make_user(email=unique_email(), google_sub="original-sub")

    response = _sign_in(google_client, google_issuer.id_token(sub="intruder", email=user.email))

    assert_error(response, 400, "google_sign_in_failed")
    assert count(User, User.id == user.id, User.google_sub == "original-sub") == 1
    assert count(RefreshToken) == 0


def test_a_banned_account_cannot_sign_in_with_google(google_client, google_issuer, make_user):
    user = make_user(email=unique_email(), google_sub="banned-sub", is_banned=True)

    response = _sign_in(google_client, google_issuer.id_token(sub="banned-sub", email=user.email))

    assert_error(response, 403, "account_suspended")
    assert count(RefreshToken) == 0


def test_a_name_is_made_up_from_the_email_when_google_gives_none(google_client, google_issuer):
    response = _sign_in(google_client, google_issuer.id_token(email="ravi@gmail.test", name=None))

    assert response.get_json()["user"]["name"] == "ravi"


BAD_TOKENS = {
    "wrong audience": lambda g: g.id_token(aud="someone-else.apps.googleusercontent.com"),
    "wrong issuer": lambda g: g.id_token(iss="https://evil.example.com"),
    "no issuer": lambda g: g.id_token(iss=None),
    "expired": lambda g: g.id_token(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600),
    "issued in the future": lambda g: g.id_token(
        iat=int(time.time()) + 3600, exp=int(time.time()) + 7200
    ),
    "email not verified": lambda g: g.id_token(email_verified=False),
    "email_verified missing": lambda g: g.id_token(email_verified=None),
    "no email": lambda g: g.id_token(email=None),
    "no subject": lambda g: g.id_token(sub=None),
    "signed by another key": lambda g: g.id_token(signer=g.forger),
    "unknown key id": lambda g: g.id_token(signer=g.unknown_kid_signer),
    "garbage": lambda g: "this.is.not-a-token",
    "not even dotted": lambda g: "garbage",
    "alg none": lambda g: ".".join(
        [
            "eyJhbGciOiJub25lIiwidHlwIjoiSldUIiwia2lkIjoiazEifQ",
            g.id_token().split(".")[1],
            "",
        ]
    ),
    "tampered payload": lambda g: ".".join(
        [
            g.id_token().split(".")[0],
            g.id_token(email="victim@gmail.test").split(".")[1],
            g.id_token().split(".")[2],
        ]
    ),
}


@pytest.mark.parametrize("case", list(BAD_TOKENS))
def test_every_bad_token_is_400_and_creates_nobody(google_client, google_issuer, case):
    response = _sign_in(google_client, BAD_TOKENS[case](google_issuer))

    assert_error(response, 400, "google_sign_in_failed")
    assert count(User) == 0
    assert count(RefreshToken) == 0


@pytest.mark.parametrize("body", [{}, {"id_token": ""}, {"id_token": None}, {"id_token": 42}])
def test_a_missing_id_token_is_refused_and_creates_nobody(google_client, body):
    response = google_client.post("/api/auth/google", json=body)

    assert response.status_code in (400, 422)
    assert_error(response, response.status_code)
    assert count(User) == 0


def test_google_sign_in_is_off_without_a_client_id(client, google_issuer):
    response = _sign_in(client, google_issuer.id_token())

    assert_error(response, 400, "google_sign_in_disabled")
    assert count(User) == 0


def test_unreachable_certs_are_a_400_and_create_nobody(spawn_app, google_issuer):
    unreachable = spawn_app(
        GOOGLE_CLIENT_ID=google_issuer.client_id,
        BACKEND_GOOGLE_CERTS_URL=f"http://127.0.0.1:{free_port()}/certs",
    )

    response = _sign_in(client_for(unreachable), google_issuer.id_token())

    assert_error(response, 400, "google_sign_in_unavailable")
    assert count(User) == 0


def test_certs_are_fetched_once_for_many_sign_ins(google_client, google_issuer):
    assert google_issuer.hits == 0

    for _ in range(4):
        assert _sign_in(google_client, google_issuer.id_token()).status_code == 200
    # a failed sign-in uses the cached certs too
    assert (
        _sign_in(google_client, google_issuer.id_token(signer=google_issuer.forger)).status_code
        == 400
    )

    assert google_issuer.hits == 1
    assert count(User) == 4


def test_the_cert_cache_is_shared_by_app_instances_in_one_process(spawn_app, google_issuer):
    worker_a = spawn_app(**google_issuer.settings())
    worker_b = spawn_app(**google_issuer.settings())

    assert _sign_in(client_for(worker_a), google_issuer.id_token()).status_code == 200
    assert _sign_in(client_for(worker_b), google_issuer.id_token()).status_code == 200

    assert google_issuer.hits == 1


def test_backend_google_client_id_wins_over_google_client_id(spawn_app, google_issuer):
    configured = spawn_app(
        BACKEND_GOOGLE_CLIENT_ID=google_issuer.client_id,
        GOOGLE_CLIENT_ID="other.apps.googleusercontent.com",
        BACKEND_GOOGLE_CERTS_URL=google_issuer.certs_url,
    )

    assert _sign_in(client_for(configured), google_issuer.id_token()).status_code == 200
    assert configured.test_client().get("/api/config").get_json()["google_client_id"] == (
        google_issuer.client_id
    )
