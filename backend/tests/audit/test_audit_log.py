"""The audit log: money, catalog and certificate actions are recorded with who, what, when and
from where; admins read it, filtered, in constant queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pathshala.audit import service as audit
from pathshala.audit.models import AuditEvent
from pathshala.columns import utcnow
from pathshala.extensions import db
from tests.factories import make_course

LOG = "/api/admin/audit"


def events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.created_at)))


@pytest.fixture
def admin(make_user):
    return make_user("admin", name="Asha Admin")


def test_a_manual_payment_and_its_refund_are_recorded(client, admin, make_user, auth_headers):
    headers = auth_headers(admin)
    course = make_course(price=49900)
    student = make_user()

    recorded = client.post(
        "/api/payments/manual-record",
        json={
            "course_id": str(course.id),
            "user_id": str(student.id),
            "provider_payment_id": "SBIN0012345",
        },
        headers=headers,
    )
    payment_id = recorded.json["id"]
    refunded = client.post(
        f"/api/payments/{payment_id}/refund",
        json={"amount": 10000, "reason": "Paid twice"},
        headers=headers,
    )

    assert recorded.status_code == 201 and refunded.status_code == 201
    manual, refund = events()
    assert (manual.action, manual.actor_id, manual.target_id) == (
        "payment.manual_recorded",
        admin.id,
        payment_id,
    )
    assert manual.data["amount"] == 49900 and manual.data["reference"] == "SBIN0012345"
    assert manual.data["student_id"] == str(student.id)
    assert refund.action == "payment.refunded"
    assert refund.data["amount"] == 10000 and refund.data["reason"] == "Paid twice"
    assert manual.ip_address and refund.ip_address


def test_unpublishing_and_archiving_a_course_are_recorded(client, make_user, auth_headers):
    owner = make_user("teacher")
    course = make_course(owner)
    headers = auth_headers(owner)

    client.patch(f"/api/courses/{course.id}", json={"title": "Renamed"}, headers=headers)
    client.patch(f"/api/courses/{course.id}", json={"is_published": False}, headers=headers)
    client.patch(f"/api/courses/{course.id}", json={"archived": True}, headers=headers)
    client.patch(f"/api/courses/{course.id}", json={"archived": True}, headers=headers)

    assert [(e.action, e.actor_id) for e in events()] == [
        ("course.unpublished", owner.id),
        ("course.archived", owner.id),
    ]


def test_admins_read_the_log_newest_first_with_the_actor(client, admin, auth_headers):
    audit.record(admin, "user.banned", "user", "u-1", {"reason": "spam"})
    db.session.commit()
    audit.record(admin, "certificate.revoked", "certificate", "PSH-0000-0001", {"reason": "x"})
    db.session.commit()

    response = client.get(LOG, headers=auth_headers(admin))

    assert response.status_code == 200
    assert response.json["total"] == 2
    first, second = response.json["items"]
    assert first["action"] == "certificate.revoked" and second["action"] == "user.banned"
    assert first["actor"] == {"id": str(admin.id), "name": "Asha Admin", "email": admin.email}
    assert second["data"] == {"reason": "spam"}


def test_filters(client, admin, make_user, auth_headers):
    other = make_user("admin")
    audit.record(admin, "payment.refunded", "payment", "p-1", {})
    audit.record(admin, "payment.manual_recorded", "payment", "p-2", {})
    audit.record(other, "user.banned", "user", "u-1", {})
    old = audit.record(admin, "course.unpublished", "course", "c-1", {})
    old.created_at = utcnow() - timedelta(days=10)
    db.session.commit()
    headers = auth_headers(admin)

    def actions(**query) -> list[str]:
        response = client.get(LOG, query_string=query, headers=headers)
        assert response.status_code == 200, response.json
        return sorted(item["action"] for item in response.json["items"])

    assert actions(action="payment.") == ["payment.manual_recorded", "payment.refunded"]
    assert actions(action="payment.refunded") == ["payment.refunded"]
    assert actions(actor_id=str(other.id)) == ["user.banned"]
    assert actions(target_type="payment", target_id="p-2") == ["payment.manual_recorded"]
    today = utcnow().date().isoformat()
    assert "course.unpublished" not in actions(**{"from": today, "to": today})
    assert actions(**{"to": (utcnow() - timedelta(days=5)).date().isoformat()}) == [
        "course.unpublished"
    ]
    assert len(actions(action="", actor_id="")) == 4  # empty filters are no filters


@pytest.mark.parametrize(
    "query",
    [
        {"action": "payment%"},
        {"action": "'; drop table"},
        {"actor_id": "not-a-uuid"},
        {"from": "2026-11-23", "to": "2026-11-01"},
        {"from": "yesterday"},
        {"per_page": 1000},
        {"sort": "random"},
    ],
)
def test_bad_filters_are_refused(client, admin, auth_headers, query):
    response = client.get(LOG, query_string=query, headers=auth_headers(admin))

    assert response.status_code == 422


def test_only_admins_read_it(client, make_user, auth_headers):
    assert client.get(LOG).status_code == 401
    for role in ("student", "teacher", "instructor"):
        assert client.get(LOG, headers=auth_headers(make_user(role))).status_code == 403


def test_the_page_costs_the_same_whatever_its_size(client, admin, auth_headers, count_queries):
    headers = auth_headers(admin)
    audit.record(admin, "user.banned", "user", "u", {})
    db.session.commit()
    db.session.expire_all()
    with count_queries() as few:
        client.get(LOG, headers=headers)
    for index in range(30):
        audit.record(admin if index % 2 else None, "user.banned", "user", f"u{index}", {})
    db.session.commit()
    db.session.expire_all()
    with count_queries() as many:
        response = client.get(LOG, query_string={"per_page": 50}, headers=headers)

    assert len(response.json["items"]) == 31
    assert len(many) == len(few)


def test_there_is_no_way_to_change_the_log_through_the_api(app):
    writable = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if "audit" in rule.rule
        for method in rule.methods - {"GET", "HEAD", "OPTIONS"}
    }

    assert writable == set()
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0
