"""/api/me/notifications, the preferences and the unsubscribe link, as the SPA and a mail
client call them."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from pathshala.columns import utcnow
from pathshala.extensions import db
from pathshala.notifications import service as notifications
from pathshala.notifications.models import KINDS, Notification, NotificationPreference
from tests import factories
from tests.auth.api import assert_error
from tests.notifications.helpers import notifications_of, outbox_of


def _notes(user, count: int, *, read: int = 0, start=None) -> list[Notification]:
    """``count`` notifications of ``user``, one minute apart from ``start`` (an hour ago; the
    last is the newest), the oldest ``read`` of them read."""
    start = start or utcnow() - timedelta(hours=1)
    rows = [
        Notification(
            user_id=user.id,
            kind="enrolled",
            title=f"Note {number}",
            body="Body",
            link=f"/learn/course-{number}",
            created_at=start + timedelta(minutes=number),
            read_at=start if number < read else None,
        )
        for number in range(count)
    ]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def test_the_list_is_newest_first_with_the_unread_count(client):
    user = factories.make_user()
    _notes(user, 3, read=1)
    _notes(factories.make_user(), 2)  # someone else's
    headers = factories.auth_headers(user)

    everything = client.get("/api/me/notifications", headers=headers)
    unread = client.get("/api/me/notifications?unread=true&per_page=1", headers=headers)
    blank = client.get("/api/me/notifications?unread=", headers=headers)

    assert everything.status_code == 200
    assert [n["title"] for n in everything.json["items"]] == ["Note 2", "Note 1", "Note 0"]
    assert everything.json["unread_count"] == 2
    assert (everything.json["total"], everything.json["page"]) == (3, 1)
    item = everything.json["items"][0]
    assert set(item) == {"id", "kind", "title", "body", "link", "created_at", "read_at"}
    assert item["link"] == "/learn/course-2" and item["read_at"] is None
    assert [n["title"] for n in unread.json["items"]] == ["Note 2"]
    assert (unread.json["total"], unread.json["per_page"], unread.json["unread_count"]) == (2, 1, 2)
    assert blank.json["total"] == 3


def test_the_list_reads_in_the_same_number_of_queries_for_1_or_30(client, count_queries):
    few, many = factories.make_user(), factories.make_user()
    _notes(few, 1)
    _notes(many, 30)

    def measure(user) -> int:
        headers = factories.auth_headers(user)
        with count_queries() as statements:
            response = client.get("/api/me/notifications?per_page=50", headers=headers)
        assert response.status_code == 200
        return len(statements)

    assert measure(few) == measure(many)


@pytest.mark.parametrize(
    "query",
    ["per_page=0", "per_page=101", "page=0", "unread=perhaps", "page=x"],
)
def test_bad_list_parameters_are_422(client, query):
    headers = factories.auth_headers(factories.make_user())
    assert_error(client.get(f"/api/me/notifications?{query}", headers=headers), 422)


def test_unread_count_and_marking_read(client):
    user = factories.make_user()
    oldest, _, newest = _notes(user, 3)
    headers = factories.auth_headers(user)

    assert client.get("/api/me/notifications/unread-count", headers=headers).json == {
        "unread_count": 3
    }
    marked = client.post(f"/api/me/notifications/{newest.id}/read", headers=headers)
    assert marked.status_code == 200
    assert marked.json["id"] == str(newest.id) and marked.json["read_at"] is not None
    again = client.post(f"/api/me/notifications/{newest.id}/read", headers=headers)
    assert again.json["read_at"] == marked.json["read_at"]  # the first time is kept
    assert client.get("/api/me/notifications/unread-count", headers=headers).json == {
        "unread_count": 2
    }

    seen = client.get("/api/me/notifications", headers=headers).json["items"][0]["created_at"]
    [arrived_meanwhile] = _notes(user, 1, start=utcnow() + timedelta(seconds=5))
    everything = client.post(
        "/api/me/notifications/read-all", json={"until": seen}, headers=headers
    )
    assert everything.status_code == 200 and everything.json == {"updated": 2}
    again = client.post("/api/me/notifications/read-all", json={"until": seen}, headers=headers)
    assert again.json == {"updated": 0}
    # the one that arrived after the list was shown stays unread
    assert client.get("/api/me/notifications/unread-count", headers=headers).json == {
        "unread_count": 1
    }
    assert [n.id for n in notifications_of(user.id) if n.read_at is None] == [arrived_meanwhile.id]
    assert oldest.id != arrived_meanwhile.id


@pytest.mark.parametrize(
    "body", [None, {}, {"until": "yesterday"}, {"until": "2026-11-23T10:00:00"}, [1]]
)
def test_read_all_needs_the_moment_it_reads_until(client, body):
    user = factories.make_user()
    _notes(user, 2)
    response = client.post(
        "/api/me/notifications/read-all", json=body, headers=factories.auth_headers(user)
    )
    assert_error(response, 422)
    assert all(n.read_at is None for n in notifications_of(user.id))


def test_someone_elses_notification_is_unknown(client):
    owner, other = factories.make_user(), factories.make_user()
    [note] = _notes(owner, 1)
    headers = factories.auth_headers(other)

    assert_error(
        client.post(f"/api/me/notifications/{note.id}/read", headers=headers),
        404,
        "notification_not_found",
    )
    assert_error(
        client.post(f"/api/me/notifications/{uuid.uuid4()}/read", headers=headers),
        404,
        "notification_not_found",
    )
    read_all = client.post(
        "/api/me/notifications/read-all", json={"until": utcnow().isoformat()}, headers=headers
    )
    assert read_all.json == {"updated": 0}
    [unchanged] = notifications_of(owner.id)
    assert unchanged.read_at is None


def test_signed_out_callers_are_401(client):
    for method, path in [
        ("get", "/api/me/notifications"),
        ("get", "/api/me/notifications/unread-count"),
        ("post", "/api/me/notifications/read-all"),
        ("get", "/api/me/notification-preferences"),
        ("put", "/api/me/notification-preferences"),
    ]:
        assert getattr(client, method)(path).status_code == 401, path


def test_preferences_list_every_kind_and_toggle_one(client):
    user = factories.make_user()
    headers = factories.auth_headers(user)

    listed = client.get("/api/me/notification-preferences", headers=headers)
    assert listed.status_code == 200
    assert [p["kind"] for p in listed.json["items"]] == list(KINDS)
    assert all(p["email_enabled"] and p["label"] for p in listed.json["items"])

    off = client.put(
        "/api/me/notification-preferences",
        json={"kind": "classwork_graded", "email_enabled": False},
        headers=headers,
    )
    assert off.status_code == 200
    assert {p["kind"]: p["email_enabled"] for p in off.json["items"]} == {
        kind: kind != "classwork_graded" for kind in KINDS
    }
    on = client.put(
        "/api/me/notification-preferences",
        json={"kind": "classwork_graded", "email_enabled": True},
        headers=headers,
    )
    assert all(p["email_enabled"] for p in on.json["items"])
    db.session.expire_all()
    assert db.session.query(NotificationPreference).filter_by(user_id=user.id).count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "birthday", "email_enabled": False},
        {"kind": "enrolled"},
        {"email_enabled": False},
        {"kind": "enrolled", "email_enabled": "perhaps"},
        {"kind": "enrolled", "email_enabled": False, "extra": 1},
        [{"kind": "enrolled", "email_enabled": False}],
    ],
)
def test_bad_preference_bodies_are_422_and_change_nothing(client, body):
    user = factories.make_user()
    response = client.put(
        "/api/me/notification-preferences", json=body, headers=factories.auth_headers(user)
    )
    assert_error(response, 422)
    db.session.expire_all()
    assert db.session.query(NotificationPreference).count() == 0


def _unsubscribe_link(user, kind: str) -> str:
    return notifications.unsubscribe_url(user.id, kind).removeprefix("http://pathshala.test")


def test_the_unsubscribe_link_turns_off_that_kind_of_mail_only(mail_setup, in_mail_app):
    student = factories.make_user("student")
    link = in_mail_app(_unsubscribe_link, student, "enrolled")

    response = mail_setup.client().get(link)  # no session: the token decides

    assert response.status_code == 200
    assert response.json == {
        "kind": "enrolled",
        "label": "Enrolled in a course",
        "email_enabled": False,
    }
    # in-app notifications still come; the enrolled mail does not; other mail still does
    course = factories.make_course()

    def enroll_then_certify():
        factories.enroll(student, course)
        notifications.certificate_issued(student.id, course, link="/certificates/1")
        db.session.commit()

    in_mail_app(enroll_then_certify)
    assert [n.kind for n in notifications_of(student.id)] == ["enrolled", "certificate_issued"]
    [message] = outbox_of(student.email)
    assert message.kind == "notification:certificate_issued"


def test_one_click_unsubscribe_by_post_as_rfc_8058_says(mail_setup, in_mail_app):
    student = factories.make_user("student")
    link = in_mail_app(_unsubscribe_link, student, "payment_received")

    response = mail_setup.client().post(
        link,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200 and response.json["email_enabled"] is False
    prefs = {p.kind: p.email_enabled for p in notifications.preferences(student.id)}
    assert prefs == {kind: kind != "payment_received" for kind in KINDS}


def test_a_tampered_or_foreign_token_is_refused_and_changes_nothing(mail_setup, in_mail_app):
    student = factories.make_user("student")
    link = in_mail_app(_unsubscribe_link, student, "enrolled")
    token = link.split("token=", 1)[1]
    payload, signature = token.rsplit(".", 1)
    other_app_token = notifications.unsubscribe_token(student.id, "enrolled")  # base app secret
    client = mail_setup.client()

    forged = [
        payload + "." + signature[::-1],
        payload[:-2] + "AA." + signature,
        "not-a-token",
        token.replace(payload, payload.upper()),
    ]
    for bad in forged:
        assert_error(
            client.get(f"/api/notifications/unsubscribe?token={bad}"),
            400,
            "invalid_unsubscribe_token",
        )
    assert_error(client.get("/api/notifications/unsubscribe"), 422)
    assert_error(client.get("/api/notifications/unsubscribe?token="), 422)
    db.session.expire_all()
    assert db.session.query(NotificationPreference).count() == 0
    # same secret in every app of a deployment, so a token of this test app is valid there
    assert client.get(f"/api/notifications/unsubscribe?token={other_app_token}").status_code == 200


def test_a_token_for_a_deleted_account_is_refused(mail_setup, in_mail_app):
    student = factories.make_user("student")
    link = in_mail_app(_unsubscribe_link, student, "enrolled")
    db.session.delete(student)
    db.session.commit()

    assert_error(mail_setup.client().get(link), 400, "invalid_unsubscribe_token")
