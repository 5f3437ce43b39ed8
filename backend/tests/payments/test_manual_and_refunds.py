"""Admins: manual payments (bank transfer, UPI, cash), refunds, and the ledger."""

from __future__ import annotations

import csv
import io
import re
import uuid

from sqlalchemy import select

from pathshala.enrollments.models import Enrollment
from pathshala.extensions import db
from pathshala.mail.models import OutboxMessage
from pathshala.payments.models import Payment, PaymentOrder, PaymentRefund, PaymentTransition
from pathshala.users.models import User
from tests import factories
from tests.auth.api import assert_error, login
from tests.payments.helpers import (
    PRICE,
    client_for,
    count,
    create_order,
    order_row,
    paid_course,
    snapshot,
    transitions,
    verify,
)

NEW_PASSWORD = "my-own-new-password-77"


def _record(application, admin, **body):
    return client_for(application).post(
        "/api/payments/manual-record",
        json={
            key: str(value) if isinstance(value, uuid.UUID) else value
            for key, value in body.items()
        },
        headers=factories.auth_headers(admin),
    )


def test_recording_a_bank_transfer_for_an_existing_student(app, make_user):
    admin, student = make_user("admin"), make_user("student")
    course = paid_course()

    response = _record(
        app,
        admin,
        course_id=course.id,
        user_id=student.id,
        provider_payment_id="UTR123456789",
        notes="NEFT from HDFC, 21 Nov",
    )

    assert response.status_code == 201, response.json
    body = response.json
    assert (body["method"], body["status"], body["amount"], body["currency"]) == (
        "manual",
        "paid",
        PRICE,
        "INR",
    )
    assert body["recorded_by_user_id"] == str(admin.id)
    assert body["user_id"] == str(student.id) and body["course_id"] == str(course.id)
    assert body["provider_payment_id"] == "UTR123456789"
    assert body["notes"] == "NEFT from HDFC, 21 Nov"
    assert body["enrollment"]["status"] == "active" and body["enrollment"]["source"] == "manual"
    assert body["user_created"] is False and body["receipt_number"] == 1
    order = db.session.get(PaymentOrder, uuid.UUID(body["order_id"]))
    assert order.provider == "manual" and order.status == "paid"
    rows = db.session.scalars(
        select(PaymentTransition).where(PaymentTransition.order_id == order.id)
    ).all()
    assert {(row.to_status, row.actor, row.actor_user_id) for row in rows} == {
        ("created", "admin", admin.id),
        ("paid", "admin", admin.id),
    }


def test_an_unknown_email_becomes_a_student_who_sets_a_password(app, make_user):
    admin = make_user("admin")
    course = paid_course(title="Bharatanatyam basics")
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"

    response = _record(
        app, admin, course_id=course.id, email=email.upper(), name="Lakshmi N", amount=45_000
    )

    assert response.status_code == 201, response.json
    assert response.json["user_created"] is True and response.json["amount"] == 45_000
    user = db.session.scalars(select(User).where(User.email == email)).one()
    assert (user.role, user.password_hash, user.name) == ("student", None, "Lakshmi N")
    invite = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.to_address == email, OutboxMessage.kind == "invite"
        )
    ).one()
    assert invite.kind == "invite"
    token = re.search(r"reset-password\?token=([\w-]+)", invite.body_text).group(1)

    client = client_for(app)
    reset = client.post(
        "/api/auth/reset-password", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert reset.status_code == 200, reset.json
    session = login(client, email, NEW_PASSWORD)
    assert session.status_code == 200
    mine = client.get(
        "/api/me/courses", headers={"Authorization": f"Bearer {session.json['access_token']}"}
    ).json["items"]
    assert [item["course"]["title"] for item in mine] == ["Bharatanatyam basics"]


def test_a_pending_razorpay_order_is_completed_not_duplicated(
    rzp_app, razorpay, make_user, auth_headers
):
    admin, student = make_user("admin"), make_user()
    headers = auth_headers(student)
    order = create_order(client_for(rzp_app), headers, paid_course()).json
    payment = razorpay.pay(order["order_id"])  # paid, but verify never came through

    response = _record(
        rzp_app,
        admin,
        course_id=order["course"]["id"],
        email=student.email,
        provider_order_id=order["order_id"],
        provider_payment_id=payment["id"],
        notes="Student sent a screenshot",
    )

    assert response.status_code == 201, response.json
    assert response.json["order_id"] == order["id"]
    assert response.json["provider_order_id"] == order["order_id"]
    assert count(PaymentOrder) == 1 and count(Payment) == 1
    row = order_row(order["order_id"])
    assert row.status == "paid"
    assert transitions(row)[-1] == ("created", "paid", "admin")
    # The student's late verify is now a harmless repeat.
    late = verify(
        client_for(rzp_app), headers, razorpay.checkout_response(order["order_id"], payment["id"])
    )
    assert late.status_code == 200 and count(Payment) == 1


def test_a_manual_payment_supersedes_an_open_checkout(sandbox_app, make_user, auth_headers):
    admin, student = make_user("admin"), make_user()
    course = paid_course()
    checkout = create_order(client_for(sandbox_app), auth_headers(student), course).json

    response = _record(sandbox_app, admin, course_id=course.id, user_id=student.id)

    assert response.status_code == 201, response.json
    assert response.json["order_id"] != checkout["id"]
    abandoned = order_row(checkout["order_id"])
    assert abandoned.status == "expired"
    assert transitions(abandoned)[-1] == ("created", "expired", "admin")


def test_manual_record_refusals(app, make_user):
    admin, student = make_user("admin"), make_user()
    course = paid_course()
    factories.enroll(student, enrolled_in := paid_course(), source="manual")
    free = factories.make_course(price=0)
    before = snapshot()

    assert_error(
        _record(app, admin, course_id=enrolled_in.id, user_id=student.id), 409, "already_enrolled"
    )
    assert_error(_record(app, admin, course_id=free.id, user_id=student.id), 409, "course_is_free")
    assert_error(
        _record(app, admin, course_id=uuid.uuid4(), user_id=student.id), 404, "course_not_found"
    )
    assert_error(
        _record(app, admin, course_id=course.id, user_id=uuid.uuid4()), 404, "user_not_found"
    )
    assert_error(_record(app, admin, course_id=course.id), 422)
    assert_error(_record(app, admin, course_id=course.id, email="nobody-yet@example.com"), 422)
    assert_error(
        _record(app, admin, course_id=course.id, user_id=student.id, email=student.email), 422
    )
    assert_error(_record(app, admin, course_id=course.id, user_id=student.id, amount=0), 422)
    assert_error(_record(app, admin, course_id=course.id, user_id=student.id, amount="100"), 422)
    assert snapshot() == before
    assert count(User, User.email == "nobody-yet@example.com") == 0

    assert (
        _record(
            app, admin, course_id=course.id, user_id=student.id, provider_payment_id="UTR1"
        ).status_code
        == 201
    )
    other = make_user()
    assert_error(
        _record(app, admin, course_id=course.id, user_id=other.id, provider_payment_id="UTR1"),
        409,
        "payment_already_used",
    )


# ---- refunds ------------------------------------------------------------------------------------


def _refund(application, admin, payment_id, **body):
    return client_for(application).post(
        f"/api/payments/{payment_id}/refund", json=body, headers=factories.auth_headers(admin)
    )


def _bought(rzp_app, razorpay, make_user, auth_headers):
    student = make_user()
    headers = auth_headers(student)
    order = create_order(client_for(rzp_app), headers, paid_course()).json
    payment = razorpay.pay(order["order_id"])
    settled = verify(
        client_for(rzp_app), headers, razorpay.checkout_response(order["order_id"], payment["id"])
    )
    return student, order, settled.json["payment"]


def test_full_refund_through_razorpay_revokes_the_enrollment(
    rzp_app, razorpay, make_user, auth_headers
):
    admin = make_user("admin")
    student, order, payment = _bought(rzp_app, razorpay, make_user, auth_headers)

    response = _refund(rzp_app, admin, payment["id"], reason="Asked within 7 days")

    assert response.status_code == 201, response.json
    body = response.json
    assert body["amount"] == PRICE and body["status"] == "processed"
    assert body["provider_refund_id"] in razorpay.refunds
    assert body["created_by_user_id"] == str(admin.id) and body["reason"] == "Asked within 7 days"
    assert body["payment"]["status"] == "refunded" and body["payment"]["amount_refunded"] == PRICE
    assert razorpay.payments[payment["provider_payment_id"]]["status"] == "refunded"
    row = order_row(order["order_id"])
    assert row.status == "refunded"
    assert transitions(row)[-1] == ("paid", "refunded", "admin")
    enrollment = db.session.scalars(
        select(Enrollment).where(Enrollment.user_id == student.id)
    ).one()
    assert enrollment.status == "revoked"
    # Razorpay's refund.processed webhook for the same refund adds nothing.
    raw, headers = razorpay.webhook(
        "refund.processed",
        payment_id=payment["provider_payment_id"],
        refund_id=body["provider_refund_id"],
    )
    again = client_for(rzp_app).post("/api/payments/webhook", data=raw, headers=headers)
    assert again.json == {"status": "already_applied"}
    assert count(PaymentRefund) == 1
    assert_error(_refund(rzp_app, admin, payment["id"], reason="again"), 409, "already_refunded")


def test_partial_refunds_up_to_what_remains(rzp_app, razorpay, make_user, auth_headers):
    admin = make_user("admin")
    student, order, payment = _bought(rzp_app, razorpay, make_user, auth_headers)

    first = _refund(rzp_app, admin, payment["id"], amount=20_000, reason="Module 3 missing")
    too_much = _refund(rzp_app, admin, payment["id"], amount=PRICE, reason="oops")

    assert first.status_code == 201 and first.json["payment"]["status"] == "partially_refunded"
    assert_error(too_much, 409, "refund_exceeds_payment")
    assert order_row(order["order_id"]).status == "paid"
    assert db.session.scalars(select(Enrollment)).one().status == "active"
    rest = _refund(rzp_app, admin, payment["id"], reason="The rest")
    assert rest.status_code == 201 and rest.json["amount"] == PRICE - 20_000
    assert rest.json["payment"]["status"] == "refunded"
    assert db.session.scalars(select(Enrollment)).one().status == "revoked"
    assert count(PaymentRefund) == 2


def test_a_manual_payment_refund_is_recorded_only(app, make_user):
    admin, student = make_user("admin"), make_user()
    payment = _record(app, admin, course_id=paid_course().id, user_id=student.id).json

    response = _refund(app, admin, payment["id"], reason="Cash returned")

    assert response.status_code == 201
    assert response.json["provider_refund_id"] is None and response.json["status"] == "processed"
    assert db.session.scalars(select(Enrollment)).one().status == "revoked"


def test_razorpay_down_during_a_refund_writes_nothing(rzp_app, razorpay, make_user, auth_headers):
    admin = make_user("admin")
    _student, _order, payment = _bought(rzp_app, razorpay, make_user, auth_headers)
    before = snapshot()

    with razorpay.outage():
        response = _refund(rzp_app, admin, payment["id"], reason="Asked")

    assert_error(response, 503, "payment_provider_unreachable")
    assert snapshot() == before
    assert razorpay.payments[payment["provider_payment_id"]]["amount_refunded"] == 0


def test_refund_refusals(app, make_user):
    admin = make_user("admin")
    payment = _record(app, admin, course_id=paid_course().id, user_id=make_user().id).json
    before = snapshot()

    assert_error(_refund(app, admin, uuid.uuid4(), reason="x"), 404, "payment_not_found")
    assert_error(_refund(app, admin, payment["id"]), 422)
    assert_error(_refund(app, admin, payment["id"], reason="x", amount=-5), 422)
    assert_error(_refund(app, admin, payment["id"], reason="x", amount=PRICE + 1), 409)
    assert snapshot() == before


# ---- the ledger -------------------------------------------------------------------------------


def test_the_ledger_filters_totals_and_exports(app, make_user):
    admin = make_user("admin")
    headers = factories.auth_headers(admin)
    vocals, tabla = paid_course(title="Vocals"), paid_course(title="=Tabla", price=30_000)
    first = _record(app, admin, course_id=vocals.id, user_id=make_user().id).json
    _record(app, admin, course_id=tabla.id, user_id=make_user(name="+Ravi").id)
    _refund(app, admin, first["id"], amount=9_900, reason="Discount")
    client = client_for(app)

    everything = client.get("/api/admin/payments", headers=headers)
    assert everything.status_code == 200, everything.json
    assert everything.json["total"] == 2
    assert everything.json["totals"] == {
        "amount": PRICE + 30_000,
        "amount_refunded": 9_900,
        "net": PRICE + 30_000 - 9_900,
    }
    assert [item["course"]["title"] for item in everything.json["items"]] == ["=Tabla", "Vocals"]
    item = everything.json["items"][1]
    assert item["receipt_label"] == "PS-000001" and item["order_status"] == "paid"
    assert item["user"]["email"] and item["method"] == "manual"

    only_vocals = client.get(
        "/api/admin/payments", query_string={"course_id": str(vocals.id)}, headers=headers
    )
    assert [i["id"] for i in only_vocals.json["items"]] == [first["id"]]
    unfiltered = client.get(
        "/api/admin/payments",
        query_string={"method": "", "status": "", "from": ""},
        headers=headers,
    )
    assert unfiltered.status_code == 200 and unfiltered.json["total"] == 2
    partial = client.get(
        "/api/admin/payments", query_string={"status": "partially_refunded"}, headers=headers
    )
    assert partial.json["total"] == 1
    assert (
        client.get(
            "/api/admin/payments", query_string={"method": "razorpay"}, headers=headers
        ).json["total"]
        == 0
    )
    future = client.get("/api/admin/payments", query_string={"from": "2999-01-01"}, headers=headers)
    assert future.json["total"] == 0 and future.json["totals"]["amount"] == 0
    assert_error(
        client.get(
            "/api/admin/payments",
            query_string={"from": "2026-12-01", "to": "2026-11-01"},
            headers=headers,
        ),
        422,
    )

    exported = client.get("/api/admin/payments", query_string={"format": "csv"}, headers=headers)
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    assert "attachment" in exported.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert len(rows) == 2
    assert {row["course_title"] for row in rows} == {"'=Tabla", "Vocals"}  # no formulas
    assert {row["student_name"] for row in rows} >= {"'+Ravi"}
    assert {int(row["amount"]) for row in rows} == {PRICE, 30_000}


def test_the_ledger_reads_a_page_in_a_fixed_number_of_queries(app, make_user, count_queries):
    admin = make_user("admin")
    headers = factories.auth_headers(admin)
    client = client_for(app)

    def queries_for_page() -> int:
        with count_queries() as queries:
            assert client.get("/api/admin/payments", headers=headers).status_code == 200
        return len(queries)

    _record(app, admin, course_id=paid_course().id, user_id=make_user().id)
    few = queries_for_page()
    for _ in range(4):
        _record(app, admin, course_id=paid_course().id, user_id=make_user().id)
    assert queries_for_page() == few
