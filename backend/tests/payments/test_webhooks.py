"""Razorpay's webhook: signature over the raw body, once per event, what each event does."""

from __future__ import annotations

import hashlib
import hmac
import json

from sqlalchemy import select

from pathshala.enrollments.models import Enrollment
from pathshala.extensions import db
from pathshala.payments.models import Payment, PaymentRefund, WebhookEvent
from tests.auth.api import assert_error
from tests.payments.helpers import (
    client_for,
    count,
    create_order,
    order_row,
    paid_course,
    snapshot,
    transitions,
    verify,
)


def _deliver(application, delivery):
    raw, headers = delivery
    return client_for(application).post("/api/payments/webhook", data=raw, headers=headers)


def _order(rzp_app, make_user, auth_headers):
    student = make_user()
    headers = auth_headers(student)
    return student, headers, create_order(client_for(rzp_app), headers, paid_course()).json


def test_payment_captured_completes_an_order_without_verify(
    rzp_app, razorpay, make_user, auth_headers
):
    student, _headers, order = _order(rzp_app, make_user, auth_headers)
    payment = razorpay.pay(order["order_id"])

    response = _deliver(rzp_app, razorpay.webhook("payment.captured", payment_id=payment["id"]))

    assert response.status_code == 200 and response.json == {"status": "applied"}
    row = order_row(order["order_id"])
    assert row.status == "paid" and row.receipt_number == 1
    assert transitions(row)[-1] == ("created", "paid", "webhook")
    enrollment = db.session.scalars(select(Enrollment)).one()
    assert (enrollment.user_id, enrollment.status) == (student.id, "active")
    event = db.session.scalars(select(WebhookEvent)).one()
    assert (event.event_type, event.outcome) == ("payment.captured", "applied")


def test_order_paid_completes_the_order(rzp_app, razorpay, make_user, auth_headers):
    _student, _headers, order = _order(rzp_app, make_user, auth_headers)
    payment = razorpay.pay(order["order_id"])

    response = _deliver(rzp_app, razorpay.webhook("order.paid", payment_id=payment["id"]))

    assert response.json == {"status": "applied"}
    assert order_row(order["order_id"]).status == "paid" and count(Payment) == 1


def test_a_webhook_after_verify_changes_nothing(rzp_app, razorpay, make_user, auth_headers):
    _student, headers, order = _order(rzp_app, make_user, auth_headers)
    payment = razorpay.pay(order["order_id"])
    verify(
        client_for(rzp_app), headers, razorpay.checkout_response(order["order_id"], payment["id"])
    )
    before = snapshot()

    response = _deliver(rzp_app, razorpay.webhook("payment.captured", payment_id=payment["id"]))

    assert response.json == {"status": "already_applied"}
    after = snapshot()
    assert after.pop("webhook_events") == before.pop("webhook_events") + 1
    assert after == before


def test_payment_failed_marks_the_order_failed_and_a_later_capture_still_counts(
    rzp_app, razorpay, make_user, auth_headers
):
    _student, headers, order = _order(rzp_app, make_user, auth_headers)
    failed = razorpay.pay(order["order_id"], status="failed")

    response = _deliver(rzp_app, razorpay.webhook("payment.failed", payment_id=failed["id"]))

    assert response.json == {"status": "applied"}
    assert order_row(order["order_id"]).status == "failed"
    # The student retries in the same checkout and pays: money received is never refused.
    retry = razorpay.pay(order["order_id"])
    settled = verify(
        client_for(rzp_app), headers, razorpay.checkout_response(order["order_id"], retry["id"])
    )
    assert settled.status_code == 200
    row = order_row(order["order_id"])
    assert [t[:2] for t in transitions(row)] == [
        (None, "created"),
        ("created", "failed"),
        ("failed", "paid"),
    ]


def test_a_failed_order_is_not_reused(rzp_app, razorpay, make_user, auth_headers):
    _student, headers, order = _order(rzp_app, make_user, auth_headers)
    failed = razorpay.pay(order["order_id"], status="failed")
    _deliver(rzp_app, razorpay.webhook("payment.failed", payment_id=failed["id"]))
    course_id = order["course"]["id"]

    again = create_order(client_for(rzp_app), headers, course_id)

    assert again.status_code == 201 and again.json["order_id"] != order["order_id"]


def test_the_same_event_twice_is_applied_once(rzp_app, razorpay, make_user, auth_headers):
    _student, _headers, order = _order(rzp_app, make_user, auth_headers)
    delivery = razorpay.webhook(
        "payment.captured", payment_id=razorpay.pay(order["order_id"])["id"]
    )

    first, second = _deliver(rzp_app, delivery), _deliver(rzp_app, delivery)

    assert (first.json, second.json) == ({"status": "applied"}, {"status": "duplicate"})
    assert count(WebhookEvent) == 1 and count(Payment) == 1


def test_without_an_event_id_the_body_identifies_the_event(
    rzp_app, razorpay, make_user, auth_headers
):
    _student, _headers, order = _order(rzp_app, make_user, auth_headers)
    raw, headers = razorpay.webhook(
        "payment.captured", payment_id=razorpay.pay(order["order_id"])["id"]
    )
    del headers["X-Razorpay-Event-Id"]

    first = _deliver(rzp_app, (raw, headers))
    second = _deliver(rzp_app, (raw, headers))

    assert (first.json["status"], second.json["status"]) == ("applied", "duplicate")
    assert db.session.scalars(select(WebhookEvent.event_id)).one().startswith("sha256:")


def test_unknown_orders_and_events_are_acknowledged_and_ignored(rzp_app, razorpay):
    outside = razorpay.delivery(
        {
            "event": "payment.captured",
            "payload": {
                "payment": {
                    "entity": {
                        "id": "pay_FromAnotherApp1",
                        "order_id": "order_NotOurs000001",
                        "amount": 1000,
                        "currency": "INR",
                        "status": "captured",
                    }
                }
            },
        }
    )
    other_event = razorpay.delivery({"event": "subscription.charged", "payload": {}})

    assert _deliver(rzp_app, outside).json == {"status": "ignored_unknown_order"}
    assert _deliver(rzp_app, other_event).json == {"status": "ignored"}
    assert count(Payment) == 0 and count(WebhookEvent) == 2


def test_without_a_webhook_secret_every_webhook_is_refused(
    spawn_app, razorpay, make_user, auth_headers
):
    unconfigured = spawn_app(**razorpay.settings(BACKEND_RAZORPAY_WEBHOOK_SECRET=""))
    raw, headers = razorpay.delivery({"event": "order.paid", "payload": {}})
    # Signed with an empty key: what a forger would try against a missing secret.
    headers["X-Razorpay-Signature"] = hmac.new(b"", raw, hashlib.sha256).hexdigest()

    response = client_for(unconfigured).post("/api/payments/webhook", data=raw, headers=headers)

    assert_error(response, 400, "webhook_not_configured")
    assert count(WebhookEvent) == 0


def test_full_refund_in_the_dashboard_revokes_the_enrollment(
    rzp_app, razorpay, make_user, auth_headers
):
    student, headers, order = _order(rzp_app, make_user, auth_headers)
    payment = razorpay.pay(order["order_id"])
    verify(
        client_for(rzp_app), headers, razorpay.checkout_response(order["order_id"], payment["id"])
    )
    refund = razorpay.refund_outside(payment["id"])

    response = _deliver(
        rzp_app,
        razorpay.webhook("refund.processed", payment_id=payment["id"], refund_id=refund["id"]),
    )

    assert response.json == {"status": "applied"}
    row = order_row(order["order_id"])
    assert row.status == "refunded"
    assert transitions(row)[-1] == ("paid", "refunded", "webhook")
    enrollment = db.session.scalars(select(Enrollment)).one()
    assert enrollment.user_id == student.id and enrollment.status == "revoked"
    recorded = db.session.scalars(select(PaymentRefund)).one()
    assert (recorded.provider_refund_id, recorded.amount, recorded.status) == (
        refund["id"],
        payment["amount"],
        "processed",
    )
    assert recorded.created_by_user_id is None
    assert db.session.scalars(select(Payment)).one().status == "refunded"
    again = _deliver(
        rzp_app,
        razorpay.webhook("refund.processed", payment_id=payment["id"], refund_id=refund["id"]),
    )
    assert again.json == {"status": "already_applied"}
    assert count(PaymentRefund) == 1


def test_partial_refund_keeps_the_enrollment(rzp_app, razorpay, make_user, auth_headers):
    _student, headers, order = _order(rzp_app, make_user, auth_headers)
    payment = razorpay.pay(order["order_id"])
    verify(
        client_for(rzp_app), headers, razorpay.checkout_response(order["order_id"], payment["id"])
    )
    refund = razorpay.refund_outside(payment["id"], amount=10_000)

    _deliver(
        rzp_app,
        razorpay.webhook("refund.processed", payment_id=payment["id"], refund_id=refund["id"]),
    )

    row = db.session.scalars(select(Payment)).one()
    assert (row.status, row.amount_refunded) == ("partially_refunded", 10_000)
    assert order_row(order["order_id"]).status == "paid"
    assert db.session.scalars(select(Enrollment)).one().status == "active"


def test_the_raw_body_is_what_is_signed(rzp_app, razorpay, make_user, auth_headers):
    """The same JSON, re-serialised differently, is not what Razorpay signed."""
    _student, _headers, order = _order(rzp_app, make_user, auth_headers)
    raw, headers = razorpay.webhook(
        "payment.captured", payment_id=razorpay.pay(order["order_id"])["id"]
    )
    reformatted = json.dumps(json.loads(raw), indent=2).encode()

    response = client_for(rzp_app).post("/api/payments/webhook", data=reformatted, headers=headers)

    assert_error(response, 400, "invalid_signature")
    assert count(Payment) == 0


def test_a_refund_that_fails_gives_the_course_back(rzp_app, razorpay, make_user, auth_headers):
    _student, headers, order = _order(rzp_app, make_user, auth_headers)
    payment = razorpay.pay(order["order_id"])
    verify(
        client_for(rzp_app), headers, razorpay.checkout_response(order["order_id"], payment["id"])
    )
    refund = razorpay.refund_outside(payment["id"])

    created = _deliver(
        rzp_app,
        razorpay.webhook("refund.created", payment_id=payment["id"], refund_id=refund["id"]),
    )
    assert created.json == {"status": "applied"}
    assert order_row(order["order_id"]).status == "refunded"
    assert db.session.scalars(select(PaymentRefund)).one().status == "pending"
    assert db.session.scalars(select(Enrollment)).one().status == "revoked"

    failed = _deliver(
        rzp_app, razorpay.webhook("refund.failed", payment_id=payment["id"], refund_id=refund["id"])
    )

    assert failed.json == {"status": "applied"}
    row = order_row(order["order_id"])
    assert row.status == "paid"
    assert [t[:2] for t in transitions(row)][-2:] == [("paid", "refunded"), ("refunded", "paid")]
    assert db.session.scalars(select(PaymentRefund)).one().status == "failed"
    paid = db.session.scalars(select(Payment)).one()
    assert (paid.status, paid.amount_refunded) == ("paid", 0)
    assert db.session.scalars(select(Enrollment)).one().status == "active"


def test_payment_authorized_marks_the_order_attempted(rzp_app, razorpay, make_user, auth_headers):
    _student, _headers, order = _order(rzp_app, make_user, auth_headers)
    authorized = razorpay.pay(order["order_id"], status="authorized")

    response = _deliver(
        rzp_app, razorpay.webhook("payment.authorized", payment_id=authorized["id"])
    )

    assert response.json == {"status": "applied"}
    row = order_row(order["order_id"])
    assert row.status == "attempted"
    assert transitions(row)[-1] == ("created", "attempted", "webhook")
    assert count(Payment) == 0
