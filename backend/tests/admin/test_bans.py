"""POST /api/admin/users/<id>/ban and /unban: a suspension ends every session of the account at
once, admins cannot be suspended, both are idempotent, and each change is audited."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from pathshala.auth.models import RefreshToken
from pathshala.extensions import db
from tests.admin.helpers import admin_with_headers, audit_events, fresh
from tests.auth.api import assert_error, bearer, login
from tests.fakes.workers import client_for


def _ban(client, headers, user_id, reason="Posting spam in the forum"):
    return client.post(f"/api/admin/users/{user_id}/ban", json={"reason": reason}, headers=headers)


def _unban(client, headers, user_id):
    return client.post(f"/api/admin/users/{user_id}/unban", headers=headers)


# ---- ban -------------------------------------------------------------------------------------


def test_an_admin_suspends_a_student_with_a_reason(client, make_user):
    admin, headers = admin_with_headers()
    student = make_user("student", name="Sam Spammer")

    response = _ban(client, headers, student.id, reason="  Posting spam in the forum  ")

    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == str(student.id)
    assert body["is_banned"] is True
    assert body["banned_reason"] == "Posting spam in the forum"
    row = fresh(student)
    assert (row.is_banned, row.banned_reason) == (True, "Posting spam in the forum")
    [event] = audit_events(student)
    assert event.action == "user.banned"
    assert event.actor_id == admin.id
    assert (event.target_type, event.target_id) == ("user", str(student.id))
    assert event.data == {"reason": "Posting spam in the forum"}
    assert event.ip_address == client.environ_base["REMOTE_ADDR"]


@pytest.mark.parametrize("role", ["student", "teacher", "instructor"])
def test_every_non_admin_role_can_be_suspended(client, make_user, role):
    _, headers = admin_with_headers()
    user = make_user(role)

    assert _ban(client, headers, user.id).status_code == 200
    assert fresh(user).is_banned is True


def test_a_suspension_ends_every_live_session_at_once(app, client, make_user, auth_headers):
    _, headers = admin_with_headers()
    student = make_user("student")
    browser = client_for(app)
    signed_in = login(browser, student.email).get_json()
    other_device = auth_headers(student)
    assert browser.get("/api/auth/me", headers=bearer(signed_in["access_token"])).status_code == 200

    assert _ban(client, headers, student.id).status_code == 200

    # The access tokens, still within their lifetime, are refused from the very next request,
    # and so is the refresh token: with the code the SPA recognises, not a plain "signed out".
    me = browser.get("/api/auth/me", headers=bearer(signed_in["access_token"]))
    assert_error(me, 403, "account_suspended")
    assert_error(browser.get("/api/auth/me", headers=other_device), 403, "account_suspended")
    refreshed = browser.post("/api/auth/refresh", headers=bearer(signed_in["refresh_token"]))
    assert_error(refreshed, 403, "account_suspended")
    # The session cookies the browser holds are refused as well.
    assert_error(browser.get("/api/auth/me"), 403, "account_suspended")
    db.session.expire_all()
    tokens = db.session.scalars(select(RefreshToken).where(RefreshToken.user_id == student.id))
    assert all(token.revoked_at is not None for token in tokens)


def test_a_suspended_account_cannot_sign_in(client, make_user):
    _, headers = admin_with_headers()
    student = make_user("student")
    _ban(client, headers, student.id)

    assert_error(login(client_for(client.application), student.email), 403, "account_suspended")


def test_suspending_a_suspended_account_changes_nothing(client, make_user):
    _, headers = admin_with_headers()
    student = make_user("student")
    _ban(client, headers, student.id, reason="First reason")

    again = _ban(client, headers, student.id, reason="Another reason")

    assert again.status_code == 200
    assert again.get_json()["is_banned"] is True
    assert again.get_json()["banned_reason"] == "First reason"
    assert [event.action for event in audit_events(student)] == ["user.banned"]


def test_an_admin_cannot_be_suspended(client):
    admin, headers = admin_with_headers()
    other_admin, other_headers = admin_with_headers(name="Other Admin")

    assert_error(_ban(client, headers, other_admin.id), 409, "cannot_ban_admin")
    assert_error(_ban(client, headers, admin.id), 409, "cannot_ban_admin")  # not even oneself

    assert fresh(other_admin).is_banned is False
    assert fresh(admin).is_banned is False
    assert audit_events() == []
    assert client.get("/api/auth/me", headers=other_headers).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"reason": ""},
        {"reason": "  a  "},
        {"reason": "x" * 501},
        {"reason": 42},
        {"reason": None},
    ],
)
def test_a_reason_of_3_to_500_characters_is_required(client, make_user, body):
    _, headers = admin_with_headers()
    student = make_user("student")

    response = client.post(f"/api/admin/users/{student.id}/ban", json=body, headers=headers)

    error = assert_error(response, 422, "invalid_input")
    assert "reason" in error["fields"]
    assert fresh(student).is_banned is False
    assert audit_events() == []


def test_a_body_that_is_not_an_object_is_refused(client, make_user):
    _, headers = admin_with_headers()
    student = make_user("student")

    response = client.post(f"/api/admin/users/{student.id}/ban", json=["spam"], headers=headers)

    assert_error(response, 422)
    assert fresh(student).is_banned is False


def test_unknown_users_are_404(client):
    _, headers = admin_with_headers()

    assert_error(_ban(client, headers, uuid.uuid4()), 404, "user_not_found")
    assert_error(_unban(client, headers, uuid.uuid4()), 404, "user_not_found")
    assert_error(_ban(client, headers, "not-a-uuid"), 404)
    assert audit_events() == []


@pytest.mark.parametrize("role", ["student", "teacher", "instructor"])
def test_only_admins_suspend_or_lift_suspensions(client, make_user, auth_headers, role):
    caller = make_user(role)
    target = make_user("student", is_banned=True, banned_reason="Spam")
    other = make_user("student")
    headers = auth_headers(caller)

    assert_error(_ban(client, headers, other.id), 403, "forbidden")
    assert_error(_unban(client, headers, target.id), 403, "forbidden")
    assert_error(_ban(client, {}, other.id), 401, "not_authenticated")
    assert_error(_unban(client, {}, target.id), 401, "not_authenticated")
    assert fresh(other).is_banned is False
    assert fresh(target).is_banned is True
    assert audit_events() == []


# ---- unban -----------------------------------------------------------------------------------


def test_lifting_a_suspension_lets_the_person_sign_in_again(app, client, make_user):
    admin, headers = admin_with_headers()
    student = make_user("student")
    browser = client_for(app)
    old_session = login(browser, student.email).get_json()
    _ban(client, headers, student.id)

    response = _unban(client, headers, student.id)

    assert response.status_code == 200
    assert response.get_json()["is_banned"] is False
    assert response.get_json()["banned_reason"] is None
    assert [event.action for event in audit_events(student)] == ["user.banned", "user.unbanned"]
    unbanned = audit_events(student)[-1]
    assert unbanned.actor_id == admin.id
    assert unbanned.ip_address == client.environ_base["REMOTE_ADDR"]
    # The sessions the suspension ended stay ended; signing in again works.
    me = browser.get("/api/auth/me", headers=bearer(old_session["access_token"]))
    assert_error(me, 401, "token_revoked")
    again = login(client_for(app), student.email)
    assert again.status_code == 200
    assert (
        client.get("/api/auth/me", headers=bearer(again.get_json()["access_token"])).status_code
        == 200
    )


def test_unbanning_an_account_that_is_not_suspended_changes_nothing(client, make_user):
    _, headers = admin_with_headers()
    student = make_user("student")

    response = _unban(client, headers, student.id)

    assert response.status_code == 200
    assert response.get_json()["is_banned"] is False
    assert audit_events() == []


def test_the_users_list_shows_the_suspension_and_its_reason(client, make_user):
    _, headers = admin_with_headers()
    student = make_user("student", email="sam@example.com")
    _ban(client, headers, student.id, reason="Chargeback fraud")

    listed = client.get("/api/admin/users", query_string={"q": "sam@"}, headers=headers)

    [item] = listed.get_json()["items"]
    assert (item["is_banned"], item["banned_reason"]) == (True, "Chargeback fraud")
