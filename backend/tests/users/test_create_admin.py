"""`flask --app wsgi create-admin --email E --password P --name N`: no prompts, creates or
promotes, refuses a bad password with a non-zero exit."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pathshala.auth.passwords import verify_password
from pathshala.extensions import db
from pathshala.settings import BACKEND_DIR
from pathshala.users.models import User
from tests.auth.api import count, login, unique_email

ADMIN_PASSWORD = "admin-from-the-cli-6"


def _create_admin(app, *args: str):
    return app.test_cli_runner().invoke(args=["create-admin", *args], input="")


def _user(email: str) -> User:
    db.session.expire_all()
    return User.query.filter_by(email=email).one()


def test_creates_an_admin(app, client):
    email = unique_email("root")

    result = _create_admin(
        app, "--email", email.upper(), "--password", ADMIN_PASSWORD, "--name", "Root Admin"
    )

    assert result.exit_code == 0, result.output
    assert f"Created admin {email}" in result.output
    user = _user(email)
    assert user.role == "admin" and user.name == "Root Admin"
    assert login(client, email, ADMIN_PASSWORD).get_json()["user"]["role"] == "admin"


def test_promotes_an_existing_account(app, make_user, auth_headers, client):
    existing = make_user("student", email=unique_email(), is_banned=True)
    old_headers = auth_headers(existing)

    result = _create_admin(
        app, "--email", existing.email, "--password", ADMIN_PASSWORD, "--name", "Promoted"
    )

    assert result.exit_code == 0, result.output
    assert "Promoted admin" in result.output
    user = _user(existing.email)
    assert user.id == existing.id
    assert (user.role, user.name, user.is_banned) == ("admin", "Promoted", False)
    assert verify_password(user.password_hash, ADMIN_PASSWORD)
    assert count(User) == 1
    # the role is read from the database, so even the old session is an admin's now
    assert client.get("/api/admin/users", headers=old_headers).status_code == 200


def test_a_weak_password_is_refused_with_a_non_zero_exit(app):
    email = unique_email()

    for weak in ("short", "password123"):
        result = _create_admin(app, "--email", email, "--password", weak, "--name", "Nope")
        assert result.exit_code != 0
        assert "password" in result.output.lower()
    assert count(User) == 0


def test_a_weak_password_does_not_promote(app, make_user):
    existing = make_user("teacher", email=unique_email())

    result = _create_admin(app, "--email", existing.email, "--password", "short", "--name", "X")

    assert result.exit_code != 0
    assert _user(existing.email).role == "teacher"


def test_missing_options_fail_instead_of_prompting(app):
    result = _create_admin(app, "--email", unique_email())

    assert result.exit_code == 2
    assert "Missing option" in result.output
    assert count(User) == 0


@pytest.mark.parametrize(
    ("email", "name", "says"),
    [
        ("not an email", "X", "Not a valid email address"),
        ("ok@example.com", "   ", "1 to 120 characters"),
        ("ok@example.com", "n" * 121, "1 to 120 characters"),
    ],
)
def test_a_malformed_email_or_name_is_refused(app, email, name, says):
    result = _create_admin(app, "--email", email, "--password", ADMIN_PASSWORD, "--name", name)

    assert result.exit_code == 1
    assert says in result.output and "Traceback" not in result.output
    assert count(User) == 0


def test_the_real_command_line_works(base_settings):
    """`flask --app wsgi create-admin ...` as an operator types it, in a child process."""
    email = unique_email("shell")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKEND_")}
    env.update(base_settings)
    command = [
        *(sys.executable, "-m", "flask", "--app", "wsgi", "create-admin"),
        *("--email", email, "--password", ADMIN_PASSWORD, "--name", "Shell Admin"),
    ]

    finished = subprocess.run(  # noqa: S603 (a fixed command line)
        command,
        cwd=BACKEND_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        check=False,
    )

    assert finished.returncode == 0, finished.stderr
    assert _user(email).role == "admin"
