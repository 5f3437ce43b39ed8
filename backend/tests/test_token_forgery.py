"""Tokens a client could forge or replay: each is refused with a 401 in the one error format."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from pathshala.auth import sessions
from pathshala.extensions import db

ME = "/api/auth/me"


def _b64(data: dict) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _claims(user, **extra) -> dict:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user.id),
        "type": "access",
        "fresh": False,
        "jti": str(uuid.uuid4()),
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(minutes=5),
    }
    claims.update(extra)
    return claims


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _assert_refused(response, code: str) -> None:
    assert response.status_code == 401, response.get_data(as_text=True)
    assert response.json["code"] == code
    assert response.json["message"]
    assert "Traceback" not in response.get_data(as_text=True)


def test_alg_none_token_is_refused(client, make_user):
    user = make_user()
    claims = _claims(user)
    for key in ("iat", "nbf", "exp"):
        claims[key] = int(claims[key].timestamp())
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."

    _assert_refused(client.get(ME, headers=_bearer(unsigned)), "invalid_token")


def test_token_signed_with_another_secret_is_refused(client, make_user):
    user = make_user()
    forged = jwt.encode(_claims(user), "an-attacker-guessed-secret-0123456789", algorithm="HS256")

    _assert_refused(client.get(ME, headers=_bearer(forged)), "invalid_token")


def test_token_with_a_tampered_payload_is_refused(app, client, make_user):
    victim, attacker = make_user(), make_user()
    genuine = jwt.encode(_claims(attacker), app.config["JWT_SECRET_KEY"], algorithm="HS256")
    header, _payload, signature = genuine.split(".")
    claims = _claims(victim)
    for key in ("iat", "nbf", "exp"):
        claims[key] = int(claims[key].timestamp())
    tampered = f"{header}.{_b64(claims)}.{signature}"

    _assert_refused(client.get(ME, headers=_bearer(tampered)), "invalid_token")


def test_expired_token_is_refused(app, client, make_user):
    user = make_user()
    past = datetime.now(UTC) - timedelta(hours=2)
    expired = jwt.encode(
        _claims(user, iat=past, nbf=past, exp=past + timedelta(minutes=15)),
        app.config["JWT_SECRET_KEY"],
        algorithm="HS256",
    )

    _assert_refused(client.get(ME, headers=_bearer(expired)), "token_expired")


def test_token_of_a_deleted_account_is_refused(client, make_user, auth_headers):
    user = make_user()
    headers = auth_headers(user)
    db.session.delete(user)
    db.session.commit()

    _assert_refused(client.get(ME, headers=headers), "invalid_token")


def test_token_whose_subject_is_not_an_id_is_refused(app, client, make_user):
    user = make_user()
    odd = jwt.encode(
        _claims(user, sub="1 OR 1=1"), app.config["JWT_SECRET_KEY"], algorithm="HS256"
    )

    response = client.get(ME, headers=_bearer(odd))

    assert response.status_code == 401
    assert response.json["code"] in {"invalid_token", "token_revoked"}


def test_revoked_access_token_is_refused(client, make_user):
    user = make_user()
    tokens = sessions.issue(user)
    db.session.commit()
    assert client.post("/api/auth/logout", headers=_bearer(tokens.access_token)).status_code == 200

    _assert_refused(client.get(ME, headers=_bearer(tokens.access_token)), "token_revoked")


def test_refresh_token_is_not_an_access_token(client, make_user):
    user = make_user()
    tokens = sessions.issue(user)
    db.session.commit()

    _assert_refused(client.get(ME, headers=_bearer(tokens.refresh_token)), "invalid_token")


def test_access_token_cannot_refresh(client, make_user):
    user = make_user()
    tokens = sessions.issue(user)
    db.session.commit()

    response = client.post("/api/auth/refresh", headers=_bearer(tokens.access_token))

    _assert_refused(response, "invalid_token")


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("Bearer", "invalid_token"),
        ("Bearer not.a.jwt", "invalid_token"),
        ("Bearer a.b", "invalid_token"),
        ("Basic dXNlcjpwYXNz", "not_authenticated"),
        ("bearer", "not_authenticated"),
    ],
)
def test_malformed_authorization_headers_get_json_401(client, header, code):
    _assert_refused(client.get(ME, headers={"Authorization": header}), code)
