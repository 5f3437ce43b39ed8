"""POST /api/auth/admin/create-teacher: only admins make teachers."""

from __future__ import annotations

import pytest

from pathshala.users.models import User
from tests.auth.api import assert_error, count, login, unique_email

TEACHER_PASSWORD = "teacher-starts-here-4"


def _create(client, headers, **fields):
    body = {"name": "Tara Teacher", "email": unique_email("tara"), "password": TEACHER_PASSWORD}
    body.update(fields)
    return client.post("/api/auth/admin/create-teacher", json=body, headers=headers)


def test_an_admin_creates_a_teacher(client, make_user, auth_headers):
    admin = make_user("admin")
    email = unique_email("tara")

    response = _create(client, auth_headers(admin), email=email.upper())

    assert response.status_code == 201
    body = response.get_json()
    assert body["role"] == "teacher"
    assert body["email"] == email
    assert body["has_password"] is True
    assert "access_token" not in body  # the admin stays signed in as the admin
    assert login(client, email, TEACHER_PASSWORD).get_json()["user"]["role"] == "teacher"


@pytest.mark.parametrize("role", ["student", "teacher", "instructor"])
def test_other_roles_get_403_and_nothing_is_written(client, make_user, auth_headers, role):
    caller = make_user(role)

    assert_error(_create(client, auth_headers(caller)), 403, "forbidden")

    assert count(User) == 1


def test_anonymous_gets_401(client):
    assert_error(_create(client, {}), 401, "not_authenticated")
    assert count(User) == 0


def test_a_taken_email_is_409(client, make_user, auth_headers):
    admin = make_user("admin")
    existing = make_user("student", email=unique_email())

    assert_error(
        _create(client, auth_headers(admin), email=existing.email.upper()), 409, "email_taken"
    )

    assert count(User) == 2
    assert count(User, User.role == "teacher") == 0


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"password": "short"}, "weak_password"),
        ({"password": "password123"}, "weak_password"),
        ({"email": "nope"}, "invalid_input"),
        ({"name": ""}, "invalid_input"),
        ({"role": "admin"}, "invalid_input"),
    ],
)
def test_bad_input_is_422_and_writes_nothing(client, make_user, auth_headers, fields, code):
    admin = make_user("admin")

    assert_error(_create(client, auth_headers(admin), **fields), 422, code)

    assert count(User) == 1
