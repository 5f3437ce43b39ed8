"""POST /api/auth/register: who may sign up, with what, and that a refusal writes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from pathshala.auth.models import RefreshToken
from pathshala.users.models import User
from tests.auth.api import PASSWORD, assert_error, bearer, count, register, unique_email

USER_FIELDS = {
    "id",
    "email",
    "name",
    "role",
    "has_password",
    "google_linked",
    "is_banned",
    "created_at",
    "last_login_at",
}


def test_register_answers_201_with_tokens_and_the_user(client):
    email = unique_email("Asha").replace("asha", "Asha")
    response = register(client, email=f"  {email.upper()} ", name="  Asha Rao ")

    assert response.status_code == 201
    body = response.get_json()
    assert {"access_token", "refresh_token", "user"} <= set(body)
    assert body["access_token"] != body["refresh_token"]
    user = body["user"]
    assert USER_FIELDS <= set(user)
    assert "password" not in user and "password_hash" not in user
    uuid.UUID(user["id"])
    assert user["email"] == email.lower()
    assert user["name"] == "Asha Rao"
    assert user["role"] == "student"
    assert user["has_password"] is True
    assert user["google_linked"] is False
    assert user["is_banned"] is False
    assert datetime.fromisoformat(user["last_login_at"]) > datetime.now(UTC) - timedelta(minutes=1)

    row = User.query.filter_by(email=email.lower()).one()
    assert row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in row.password_hash
    assert count(RefreshToken, RefreshToken.user_id == row.id) == 1

    me = client.get("/api/auth/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.get_json()["id"] == user["id"]


def test_register_sets_the_spa_cookies(client):
    response = register(client)

    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert {
        "access_token_cookie",
        "refresh_token_cookie",
        "csrf_access_token",
        "csrf_refresh_token",
    } <= set(cookies)
    assert "HttpOnly" in cookies["access_token_cookie"]
    assert "HttpOnly" in cookies["refresh_token_cookie"]
    assert "Path=/api/auth" in cookies["refresh_token_cookie"]
    assert "HttpOnly" not in cookies["csrf_access_token"]


@pytest.mark.parametrize("role", ["teacher", "instructor", "student"])
def test_register_accepts_the_self_service_roles(client, role):
    response = register(client, role=role)

    assert response.status_code == 201
    assert response.get_json()["user"]["role"] == role
    assert User.query.filter_by(email=response.get_json()["user"]["email"]).one().role == role


def test_register_refuses_admin_and_writes_nothing(client):
    email = unique_email()
    body = assert_error(register(client, email=email, role="admin"), 403, "role_not_allowed")

    assert "role" in body.get("fields", {})
    assert count(User) == 0
    assert count(RefreshToken) == 0


@pytest.mark.parametrize("role", ["superuser", "ADMIN", "", 7])
def test_register_refuses_unknown_roles(client, role):
    body = assert_error(register(client, role=role), 422, "invalid_input")

    assert "role" in body["fields"]
    assert count(User) == 0


@pytest.mark.parametrize("password", ["", "short", "1234567"])
def test_register_refuses_a_password_under_8_characters(client, password):
    body = assert_error(register(client, password=password), 422, "weak_password")

    assert any("8 characters" in problem for problem in body["fields"]["password"])
    assert count(User) == 0


@pytest.mark.parametrize("password", ["password123", "qwertyuiop", "12345678", "Password1"])
def test_register_refuses_common_passwords(client, password):
    body = assert_error(register(client, password=password), 422, "weak_password")

    assert any("common" in problem for problem in body["fields"]["password"])
    assert count(User) == 0


def test_register_refuses_the_email_as_password(client):
    email = unique_email("ravishankar")
    body = assert_error(
        register(client, email=email, password=email.split("@")[0]), 422, "weak_password"
    )
    assert body["fields"]["password"]


def test_register_refuses_a_password_longer_than_128(client):
    body = assert_error(register(client, password="x7" * 65), 422)

    assert "password" in body["fields"]
    assert count(User) == 0


def test_register_accepts_exactly_8_characters(client):
    assert register(client, password="kq7#vz2!").status_code == 201


def test_email_is_unique_whatever_its_case(client):
    email = unique_email()
    assert register(client, email=email).status_code == 201

    body = assert_error(
        register(client, email=email.upper(), password="another-fine-password-9"),
        409,
        "email_taken",
    )

    assert "email" in body["fields"]
    assert count(User) == 1
    assert count(RefreshToken) == 1


@pytest.mark.parametrize(
    "email", ["not-an-email", "a@", "@example.com", "a b@example.com", "x" * 250 + "@ex.com"]
)
def test_register_refuses_a_malformed_email(client, email):
    body = assert_error(register(client, email=email), 422, "invalid_input")

    assert "email" in body["fields"]
    assert count(User) == 0


def test_register_names_every_missing_field(client):
    body = assert_error(client.post("/api/auth/register", json={}), 422, "invalid_input")

    assert {"email", "password", "name"} <= set(body["fields"])
    assert count(User) == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"email": 12345},
        {"password": ["a-fine-password-42"]},
        {"name": {"first": "Asha"}},
        {"name": ""},
        {"name": "   "},
        {"name": "n" * 121},
        {"role": None},
    ],
)
def test_register_refuses_wrong_typed_fields(client, fields):
    body = assert_error(register(client, **fields), 422, "invalid_input")

    assert set(fields) <= set(body["fields"])
    assert count(User) == 0


def test_register_refuses_unknown_fields(client):
    body = assert_error(register(client, is_admin=True), 422, "invalid_input")

    assert "is_admin" in body["fields"]
    assert count(User) == 0


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ('{"email": "a@example.com", "password": ', "application/json"),
        ("not json at all", "application/json"),
        (
            "email=a%40example.com&password=a-fine-password-42&name=A",
            "application/x-www-form-urlencoded",
        ),
        ("[1, 2, 3]", "application/json"),
        ('"just a string"', "application/json"),
        ("", "application/json"),
    ],
)
def test_register_answers_a_non_json_body_with_a_json_4xx(client, data, content_type):
    response = client.post("/api/auth/register", data=data, content_type=content_type)

    assert 400 <= response.status_code < 500
    assert_error(response, response.status_code)
    assert count(User) == 0


def test_malformed_json_is_invalid_json(client):
    response = client.post("/api/auth/register", data='{"email": ', content_type="application/json")

    assert_error(response, 400, "invalid_json")
