"""Access tokens as the API sees them: missing, forged, `alg: none`, expired, for a user that
is gone, or of the wrong kind. Every failure is a 401 in the one error format."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import timedelta

import jwt as pyjwt
import pytest
from flask_jwt_extended import create_access_token, create_refresh_token

from pathshala.auth import sessions
from pathshala.extensions import db
from tests.auth.api import assert_error, bearer, register


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(token: str) -> dict:
    return pyjwt.decode(token, options={"verify_signature": False})


@pytest.fixture
def session_tokens(client):
    body = register(client).get_json()
    return body


def test_me_returns_the_caller(client, session_tokens):
    response = client.get("/api/auth/me", headers=bearer(session_tokens["access_token"]))

    assert response.status_code == 200
    assert response.get_json() == session_tokens["user"]


def test_patch_me_changes_the_name(client, session_tokens):
    headers = bearer(session_tokens["access_token"])

    response = client.patch("/api/auth/me", json={"name": "  New Name "}, headers=headers)

    assert response.status_code == 200
    assert response.get_json()["name"] == "New Name"
    assert client.get("/api/auth/me", headers=headers).get_json()["name"] == "New Name"
    assert_error(client.patch("/api/auth/me", json={"name": ""}, headers=headers), 422)
    assert_error(client.patch("/api/auth/me", json={"role": "admin"}, headers=headers), 422)
    assert client.get("/api/auth/me", headers=headers).get_json()["role"] == "student"


def test_no_token_is_401_not_authenticated(client):
    assert_error(client.get("/api/auth/me"), 401, "not_authenticated")


@pytest.mark.parametrize(
    "authorization",
    ["Bearer", "Bearer not-a-jwt", "Bearer a.b.c", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 5000],
)
def test_garbage_tokens_are_401(client, authorization):
    response = client.get("/api/auth/me", headers={"Authorization": authorization})

    assert_error(response, 401)


def test_a_token_signed_with_another_secret_is_401(client, session_tokens):
    forged = pyjwt.encode(_claims(session_tokens["access_token"]), "x" * 48, algorithm="HS256")

    assert_error(client.get("/api/auth/me", headers=bearer(forged)), 401, "invalid_token")


def test_a_token_with_a_tampered_payload_is_401(client, session_tokens):
    header, _payload, signature = session_tokens["access_token"].split(".")
    claims = _claims(session_tokens["access_token"]) | {"role": "admin"}
    tampered = f"{header}.{_b64(claims)}.{signature}"

    assert_error(client.get("/api/auth/me", headers=bearer(tampered)), 401, "invalid_token")


def test_alg_none_is_401(client, session_tokens):
    claims = _claims(session_tokens["access_token"])
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."

    assert_error(client.get("/api/auth/me", headers=bearer(unsigned)), 401, "invalid_token")


@pytest.mark.filterwarnings("ignore:The HMAC key")
def test_an_hs512_token_with_the_right_secret_is_still_refused(app, client, session_tokens):
    """Only HS256 is accepted, so an attacker cannot pick the algorithm."""
    claims = _claims(session_tokens["access_token"])
    other_alg = pyjwt.encode(claims, app.config["JWT_SECRET_KEY"], algorithm="HS512")

    assert_error(client.get("/api/auth/me", headers=bearer(other_alg)), 401, "invalid_token")


def test_an_expired_token_is_401_token_expired(client, make_user):
    user = make_user()
    tokens = sessions.issue(user)
    db.session.commit()
    expired = create_access_token(
        str(user.id),
        additional_claims={"fam": tokens.family_id, "role": user.role},
        expires_delta=timedelta(seconds=-30),
    )

    assert_error(client.get("/api/auth/me", headers=bearer(expired)), 401, "token_expired")


def test_a_token_without_a_session_family_is_refused(client, make_user):
    user = make_user()
    stray = create_access_token(str(user.id))

    assert_error(client.get("/api/auth/me", headers=bearer(stray)), 401, "token_revoked")


def test_a_token_of_a_deleted_user_is_401(client, make_user, auth_headers):
    user = make_user()
    headers = auth_headers(user)
    db.session.delete(user)
    db.session.commit()

    assert_error(client.get("/api/auth/me", headers=headers), 401, "invalid_token")


def test_a_token_for_an_unknown_user_id_is_401(client, make_user):
    user = make_user()
    tokens = sessions.issue(user)
    db.session.commit()
    nobody = create_access_token(str(uuid.uuid4()), additional_claims={"fam": tokens.family_id})
    not_a_uuid = create_access_token("42", additional_claims={"fam": tokens.family_id})

    assert_error(client.get("/api/auth/me", headers=bearer(nobody)), 401, "invalid_token")
    assert_error(client.get("/api/auth/me", headers=bearer(not_a_uuid)), 401, "invalid_token")


def test_a_refresh_token_is_not_an_access_token(client, session_tokens):
    response = client.get("/api/auth/me", headers=bearer(session_tokens["refresh_token"]))

    assert_error(response, 401, "invalid_token")


def test_an_access_token_is_not_a_refresh_token(client, session_tokens):
    response = client.post("/api/auth/refresh", headers=bearer(session_tokens["access_token"]))

    assert_error(response, 401, "invalid_token")


def test_a_refresh_token_signed_elsewhere_is_refused(client, make_user):
    user = make_user()
    forged = pyjwt.encode(
        _claims(create_refresh_token(str(user.id), additional_claims={"fam": "f", "jti": "j"})),
        "y" * 48,
        algorithm="HS256",
    )

    assert_error(client.post("/api/auth/refresh", headers=bearer(forged)), 401, "invalid_token")
