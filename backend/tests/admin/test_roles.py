"""PATCH /api/admin/users/<id>/role: admins give anyone another role, the platform always keeps
an admin (also when two admins demote each other at the same moment), the new role applies to
open sessions at once, and every change is audited."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from pathshala.extensions import db
from pathshala.users.models import User
from tests.admin.helpers import admin_with_headers, audit_events, fresh
from tests.auth.api import assert_error
from tests.fakes.workers import client_for
from tests.payments.helpers import race


def _change_role(client, headers, user_id, role):
    return client.patch(f"/api/admin/users/{user_id}/role", json={"role": role}, headers=headers)


def _admin_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).where(User.role == "admin")) or 0


def test_an_admin_makes_a_student_a_teacher(client, make_user):
    admin, headers = admin_with_headers()
    student = make_user("student")

    response = _change_role(client, headers, student.id, "teacher")

    assert response.status_code == 200
    assert response.get_json()["id"] == str(student.id)
    assert response.get_json()["role"] == "teacher"
    assert fresh(student).role == "teacher"
    [event] = audit_events(student)
    assert event.action == "user.role_changed"
    assert event.actor_id == admin.id
    assert event.data == {"from": "student", "to": "teacher"}
    assert event.ip_address == client.environ_base["REMOTE_ADDR"]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("student", "instructor"),
        ("teacher", "student"),
        ("instructor", "teacher"),
        ("student", "admin"),
        ("admin", "teacher"),
    ],
)
def test_any_role_can_become_any_other(client, make_user, before, after):
    _, headers = admin_with_headers()
    user = make_user(before)

    assert _change_role(client, headers, user.id, after).status_code == 200
    assert fresh(user).role == after
    assert audit_events(user)[0].data == {"from": before, "to": after}


def test_the_new_role_applies_to_open_sessions_at_once(client, make_user, auth_headers):
    """Roles are read from the database on every request, not from the token."""
    _, headers = admin_with_headers()
    student = make_user("student")
    student_headers = auth_headers(student)
    other_admin = make_user("admin")
    other_admin_headers = auth_headers(other_admin)
    assert_error(client.get("/api/studio/courses", headers=student_headers), 403, "forbidden")

    _change_role(client, headers, student.id, "teacher")
    _change_role(client, headers, other_admin.id, "student")

    assert client.get("/api/studio/courses", headers=student_headers).status_code == 200
    assert client.get("/api/auth/me", headers=student_headers).get_json()["role"] == "teacher"
    demoted = client.get("/api/admin/users", headers=other_admin_headers)
    assert_error(demoted, 403, "forbidden")


def test_the_same_role_again_changes_nothing(client, make_user):
    _, headers = admin_with_headers()
    teacher = make_user("teacher")

    response = _change_role(client, headers, teacher.id, "teacher")

    assert response.status_code == 200
    assert response.get_json()["role"] == "teacher"
    assert audit_events() == []


def test_the_last_admin_cannot_be_demoted(client):
    admin, headers = admin_with_headers()

    error = assert_error(_change_role(client, headers, admin.id, "teacher"), 409, "last_admin")

    assert "last admin" in error["message"]
    assert fresh(admin).role == "admin"
    assert audit_events() == []


def test_an_admin_may_step_down_while_another_remains(client, make_user):
    admin, headers = admin_with_headers()
    other = make_user("admin")

    assert _change_role(client, headers, admin.id, "teacher").status_code == 200

    assert fresh(admin).role == "teacher"
    assert fresh(other).role == "admin"
    # The caller is no longer an admin: their next admin request is refused.
    assert_error(_change_role(client, headers, other.id, "student"), 403, "forbidden")


def test_demoting_every_other_admin_stops_at_the_last(client, make_user):
    admin, headers = admin_with_headers()
    others = [make_user("admin") for _ in range(2)]

    for other in others:
        assert _change_role(client, headers, other.id, "student").status_code == 200
    assert_error(_change_role(client, headers, admin.id, "student"), 409, "last_admin")

    assert _admin_count() == 1


def test_a_suspended_admin_does_not_count_as_the_remaining_admin(client, make_user):
    """Admins cannot be suspended through the API, but a row may say so (set by hand)."""
    admin, headers = admin_with_headers()
    make_user("admin", is_banned=True, banned_reason="Set by hand")

    assert_error(_change_role(client, headers, admin.id, "teacher"), 409, "last_admin")


def test_a_suspended_account_is_not_made_an_admin(client, make_user):
    _, headers = admin_with_headers()
    banned = make_user("student", is_banned=True, banned_reason="Spam")

    assert_error(_change_role(client, headers, banned.id, "admin"), 409, "user_banned")
    assert fresh(banned).role == "student"
    # Other roles are fine: a suspension is about signing in, not about the role.
    assert _change_role(client, headers, banned.id, "teacher").status_code == 200
    assert [event.data for event in audit_events(banned)] == [{"from": "student", "to": "teacher"}]


@pytest.mark.parametrize("round_", range(3))
def test_two_admins_demoting_each_other_at_once_leave_one_admin(
    app, make_user, auth_headers, round_
):
    first, second = make_user("admin"), make_user("admin")
    calls = [
        (auth_headers(first), str(second.id)),
        (auth_headers(second), str(first.id)),
    ]

    def demote(headers, target):
        return lambda: _change_role(client_for(app), headers, target, "student")

    responses = race([demote(headers, target) for headers, target in calls])

    # One demotion lands. The other is refused: 409 when both got past the role check before
    # either committed, 403 when it started after the first had made its caller a student.
    statuses = sorted(response.status_code for response in responses)
    assert statuses in ([200, 403], [200, 409]), [r.get_json() for r in responses]
    refused = next(r for r in responses if r.status_code != 200)
    assert refused.get_json()["code"] in ("last_admin", "forbidden")
    assert _admin_count() == 1
    assert [event.action for event in audit_events()] == ["user.role_changed"]


def test_two_admins_both_past_the_role_check_still_leave_one_admin(app, make_user, auth_headers):
    """The interleaving the lock exists for, forced: both requests are through @require_roles
    and waiting on the admins' rows (held by a third transaction) before either may count."""
    first, second = make_user("admin"), make_user("admin")
    calls = [
        (auth_headers(first), str(second.id)),
        (auth_headers(second), str(first.id)),
    ]

    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are Postgres's")
    with db.engine.connect() as blocker:
        blocker_pid = blocker.execute(text("SELECT pg_backend_pid()")).scalar_one()
        blocker.execute(text("SELECT id FROM users WHERE role = 'admin' FOR NO KEY UPDATE"))
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [
                pool.submit(_change_role, client_for(app), headers, target, "student")
                for headers, target in calls
            ]
            _wait_for_waiters(blocker_pid, 2)
            blocker.commit()
            responses = [future.result(timeout=60) for future in futures]

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 409], [r.get_json() for r in responses]
    refused = next(r for r in responses if r.status_code == 409)
    assert refused.get_json()["code"] == "last_admin"
    assert _admin_count() == 1
    assert [event.action for event in audit_events()] == ["user.role_changed"]


def _wait_for_waiters(blocker_pid: int, count: int) -> None:
    """Until ``count`` other sessions wait on a lock held by ``blocker_pid``."""
    deadline = time.monotonic() + 30
    # Waiters queue behind each other's tuple lock, so follow the chain from the blocker.
    query = text(
        "WITH RECURSIVE waiters(pid) AS ("
        " SELECT pid FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"
        " UNION SELECT a.pid FROM pg_stat_activity a"
        " JOIN waiters w ON w.pid = ANY(pg_blocking_pids(a.pid))"
        ") SELECT count(*) FROM waiters"
    )
    while time.monotonic() < deadline:
        with db.engine.connect() as probe:
            if probe.execute(query, {"pid": blocker_pid}).scalar_one() >= count:
                return
        time.sleep(0.05)
    raise AssertionError(f"{count} requests never queued behind the held admin rows")


def test_an_admin_promoting_while_another_demotes_keeps_the_rules(app, make_user, auth_headers):
    """A promotion and a demotion at once: no deadlock, and an admin remains."""
    first = make_user("admin")
    second = make_user("admin")
    student = make_user("student")
    first_headers, second_headers = auth_headers(first), auth_headers(second)
    # Threads have no app context to load attributes in: read the ids here.
    second_id, student_id = str(second.id), str(student.id)

    responses = race(
        [
            lambda: _change_role(client_for(app), first_headers, second_id, "teacher"),
            lambda: _change_role(client_for(app), second_headers, student_id, "admin"),
        ]
    )

    statuses = {response.status_code for response in responses}
    # The promotion may run after the demotion (its caller is then no longer an admin: 403).
    assert statuses <= {200, 403} and 200 in statuses
    assert _admin_count() >= 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"role": "superuser"},
        {"role": ""},
        {"role": None},
        {"role": ["admin"]},
        {"role": "Admin"},
    ],
)
def test_an_unknown_role_is_refused(client, make_user, body):
    _, headers = admin_with_headers()
    student = make_user("student")

    response = client.patch(f"/api/admin/users/{student.id}/role", json=body, headers=headers)

    error = assert_error(response, 422, "invalid_input")
    assert "role" in error["fields"]
    assert fresh(student).role == "student"
    assert audit_events() == []


def test_an_unknown_user_is_404(client):
    _, headers = admin_with_headers()

    assert_error(_change_role(client, headers, uuid.uuid4(), "teacher"), 404, "user_not_found")
    assert audit_events() == []


@pytest.mark.parametrize("role", ["student", "teacher", "instructor"])
def test_only_admins_change_roles(client, make_user, auth_headers, role):
    caller = make_user(role)
    headers = auth_headers(caller)

    assert_error(_change_role(client, headers, caller.id, "admin"), 403, "forbidden")
    assert_error(_change_role(client, {}, caller.id, "admin"), 401, "not_authenticated")
    assert fresh(caller).role == role
    assert audit_events() == []


@pytest.mark.parametrize("round_", range(3))
def test_a_ban_and_a_role_change_of_one_user_at_once_both_land(
    app, make_user, auth_headers, round_
):
    """Two admins act on one student at the same moment: both changes are made, one after the
    other (neither waits on the other's audit row: no deadlock, no 503)."""
    first, second = make_user("admin"), make_user("admin")
    student = make_user("student")
    first_headers, second_headers = auth_headers(first), auth_headers(second)
    student_id = str(student.id)

    responses = race(
        [
            lambda: client_for(app).post(
                f"/api/admin/users/{student_id}/ban",
                json={"reason": "Spam"},
                headers=first_headers,
            ),
            lambda: _change_role(client_for(app), second_headers, student_id, "teacher"),
        ]
    )

    assert [response.status_code for response in responses] == [200, 200], [
        response.get_json() for response in responses
    ]
    row = fresh(student)
    assert (row.is_banned, row.role) == (True, "teacher")
    assert sorted(event.action for event in audit_events(student)) == [
        "user.banned",
        "user.role_changed",
    ]
