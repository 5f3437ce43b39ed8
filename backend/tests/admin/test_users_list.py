"""GET /api/admin/users: admins only, paged, searchable, and a constant number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pathshala.extensions import db
from pathshala.users.models import User
from tests.auth.api import assert_error


def _list(client, headers, **params):
    return client.get("/api/admin/users", query_string=params, headers=headers)


def _add_users(count: int, **fields) -> list[User]:
    """Many users quickly (no password hashing), each a second older than the last."""
    start = datetime.now(UTC) - timedelta(days=1)
    users = []
    for number in range(count):
        user = User(
            email=f"bulk-{number:03d}-{fields.get('role', 'student')}@example.com",
            name=f"Bulk Person {number:03d}",
            role="student",
            created_at=start + timedelta(seconds=number),
            updated_at=start + timedelta(seconds=number),
        )
        for key, value in fields.items():
            setattr(user, key, value)
        users.append(user)
    db.session.add_all(users)
    db.session.commit()
    return users


@pytest.fixture
def admin_headers(make_user, auth_headers):
    return auth_headers(make_user("admin", email="the-admin@example.com", name="Ada Admin"))


def test_an_admin_sees_every_user_newest_first(client, admin_headers):
    _add_users(3)

    response = _list(client, admin_headers)

    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 4
    assert body["page"] == 1
    assert body["per_page"] == 20
    emails = [item["email"] for item in body["items"]]
    assert emails[0] == "the-admin@example.com"
    assert emails[1:] == [
        "bulk-002-student@example.com",
        "bulk-001-student@example.com",
        "bulk-000-student@example.com",
    ]
    assert {"id", "email", "name", "role", "is_banned", "created_at"} <= set(body["items"][0])
    assert all("password_hash" not in item for item in body["items"])


@pytest.mark.parametrize("role", ["student", "teacher", "instructor"])
def test_only_admins_may_list_users(client, make_user, auth_headers, role):
    assert_error(_list(client, auth_headers(make_user(role))), 403, "forbidden")


def test_anonymous_gets_401(client):
    assert_error(_list(client, {}), 401, "not_authenticated")


def test_pages(client, admin_headers):
    _add_users(25)

    first = _list(client, admin_headers, per_page=10, sort="oldest").get_json()
    third = _list(client, admin_headers, per_page=10, page=3, sort="oldest").get_json()
    beyond = _list(client, admin_headers, per_page=10, page=9).get_json()

    assert first["total"] == third["total"] == 26
    assert [u["email"] for u in first["items"]][:2] == [
        "bulk-000-student@example.com",
        "bulk-001-student@example.com",
    ]
    assert len(third["items"]) == 6
    assert third["items"][-1]["email"] == "the-admin@example.com"
    assert beyond["items"] == [] and beyond["total"] == 26


@pytest.mark.parametrize(
    "params",
    [
        {"per_page": 101},
        {"per_page": 0},
        {"page": 0},
        {"page": "x"},
        {"sort": "password_hash"},
        {"role": "superuser"},
    ],
)
def test_bad_list_parameters_are_422(client, admin_headers, params):
    body = assert_error(_list(client, admin_headers, **params), 422, "invalid_input")
    assert set(params) <= set(body["fields"])


def test_search_by_name_or_email_and_filter_by_role(client, admin_headers, make_user):
    make_user("teacher", email="priya.teacher@example.com", name="Priya Sharma")
    make_user("student", email="sam@example.com", name="Sam PRIYADARSHI")
    make_user("instructor", email="zed@example.com", name="Zed")

    by_name = _list(client, admin_headers, q="priya").get_json()
    by_email = _list(client, admin_headers, q="ZED@EXAM").get_json()
    teachers = _list(client, admin_headers, q="priya", role="teacher").get_json()
    # LIKE's wildcards are searched for literally
    percent = _list(client, admin_headers, q="%").get_json()
    underscore = _list(client, admin_headers, q="a_t").get_json()

    assert {u["email"] for u in by_name["items"]} == {
        "priya.teacher@example.com",
        "sam@example.com",
    }
    assert [u["email"] for u in by_email["items"]] == ["zed@example.com"]
    assert [u["email"] for u in teachers["items"]] == ["priya.teacher@example.com"]
    assert teachers["total"] == 1
    assert percent["total"] == underscore["total"] == 0


def test_the_number_of_queries_does_not_grow_with_the_users(client, admin_headers, count_queries):
    _add_users(2)
    with count_queries() as few:
        assert _list(client, admin_headers, per_page=100).status_code == 200

    _add_users(60, role="teacher")
    with count_queries() as many:
        response = _list(client, admin_headers, per_page=100)

    assert response.get_json()["total"] == 63
    assert len(response.get_json()["items"]) == 63
    assert len(many) == len(few), many
