"""Stripe Checkout as the provider (BACKEND_PAYMENT_PROVIDER=stripe): the same guarantees as
Razorpay's, against a local fake of Stripe's API through the real stripe-python SDK, and its
webhook checked with ``Stripe-Signature``. Switching provider is configuration only."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update

from pathshala.columns import utcnow
from pathshala.enrollments.models import Enrollment
from pathshala.extensions import db
from pathshala.payments.models import Payment, PaymentOrder, PaymentRefund, WebhookEvent
from tests.auth.api import assert_error
from tests.fakes.stripe import FakeStripe, stripe_signature
from tests.payments.helpers import (
    client_for,
    count,
    create_order,
    order_row,
    paid_course,
    race,
    snapshot,
    transitions,
)

CONFIRM = "/api/payments/confirm"
WEBHOOK = "/api/payments/stripe/webhook"


@pytest.fixture(scope="module")
def stripe_app(make_app, fake_stripe: FakeStripe) -> Iterator[Flask]:
    application = make_app(**fake_stripe.settings())
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _stripe_recovers(fake_stripe: FakeStripe) -> Iterator[None]:
    yield
    fake_stripe.recover()


def _checkout(stripe_app, make_user, auth_headers, course=None):
    student = make_user()
    headers = auth_headers(student)
    course = course or paid_course()
    answer = create_order(client_for(stripe_app), headers, course)
    assert answer.status_code == 201, answer.json
    return student, headers, answer.json


def _confirm(stripe_app, headers, session_id: str):
    return client_for(stripe_app).post(CONFIRM, json={"order_id": session_id}, headers=headers)


def _deliver(stripe_app, delivery):
    raw, headers = delivery
    return client_for(stripe_app).post(WEBHOOK, data=raw, headers=headers)


# ---- opening the checkout -------------------------------------------------------------------


def test_create_order_opens_a_checkout_session_at_the_database_price(
    stripe_app, fake_stripe, make_user, auth_headers
):
    course = paid_course(price=149_950, title="Ragas for beginners")
    student, _, checkout = _checkout(stripe_app, make_user, auth_headers, course)

    assert checkout["provider"] == "stripe" and checkout["key_id"] is None
    assert checkout["order_id"].startswith("cs_test_") and len(checkout["order_id"]) == 66
    assert checkout["checkout_url"] == fake_stripe.sessions[checkout["order_id"]]["url"]
    assert (checkout["amount"], checkout["currency"]) == (149_950, "INR")
    sent = fake_stripe.sessions[checkout["order_id"]]
    assert (sent["amount_total"], sent["currency"]) == (149_950, "inr")
    assert sent["line_items_name"] == "Ragas for beginners"
    assert sent["customer_email"] == student.email
    assert sent["success_url"].endswith(
        f"/courses/{course.slug}?checkout=stripe&session_id={{CHECKOUT_SESSION_ID}}"
    )
    assert sent["cancel_url"].endswith(f"/courses/{course.slug}?checkout=cancelled")
    assert sent["expires_at"] > time.time() + 29 * 60
    assert order_row(checkout["order_id"]).provider == "stripe"


def test_config_tells_the_spa_to_redirect(stripe_app):
    config = client_for(stripe_app).get("/api/payments/config").json
    assert config == {
        "provider": "stripe",
        "key_id": None,
        "sandbox": False,
        "currency": "INR",
        "merchant_name": "Pathshala",
    }


def test_an_open_session_is_reused_and_an_expired_one_replaced(
    stripe_app, fake_stripe, make_user, auth_headers
):
    course = paid_course()
    _, headers, first = _checkout(stripe_app, make_user, auth_headers, course)
    again = create_order(client_for(stripe_app), headers, course).json
    assert (again["order_id"], again["checkout_url"]) == (first["order_id"], first["checkout_url"])

    fake_stripe.expire(first["order_id"])
    replaced = create_order(client_for(stripe_app), headers, course).json
    assert replaced["order_id"] != first["order_id"] and replaced["checkout_url"]
    assert order_row(first["order_id"]).status == "expired"
    assert count(PaymentOrder) == 2


# ---- confirm: the buyer comes back from Stripe ---------------------------------------------


def test_paying_then_confirming_enrolls_once(stripe_app, fake_stripe, make_user, auth_headers):
    student, headers, checkout = _checkout(stripe_app, make_user, auth_headers)
    session = fake_stripe.pay(checkout["order_id"])

    first = _confirm(stripe_app, headers, checkout["order_id"])
    assert first.status_code == 200, first.json
    assert first.json["status"] == "paid"
    assert first.json["enrollment"]["status"] == "active"
    assert first.json["payment"]["method"] == "stripe"
    assert first.json["payment"]["provider_payment_id"] == session["payment_intent"]
    assert first.json["order"]["receipt_label"]
    before = snapshot()

    again = _confirm(stripe_app, headers, checkout["order_id"])
    assert again.status_code == 200 and again.json["payment"] == first.json["payment"]
    assert snapshot() == before
    enrollment = db.session.scalars(
        select(Enrollment).where(Enrollment.user_id == student.id)
    ).one()
    assert enrollment.source == "stripe"


def test_confirming_an_unpaid_session_writes_nothing(
    stripe_app, fake_stripe, make_user, auth_headers
):
    _, headers, checkout = _checkout(stripe_app, make_user, auth_headers)
    before = snapshot()
    answer = _confirm(stripe_app, headers, checkout["order_id"])
    assert_error(answer, 409, "payment_pending")

    fake_stripe.expire(checkout["order_id"])
    assert_error(_confirm(stripe_app, headers, checkout["order_id"]), 409, "payment_not_captured")
    assert snapshot() == before


def test_someone_elses_or_an_unknown_session_is_404(
    stripe_app, fake_stripe, make_user, auth_headers
):
    _, _, checkout = _checkout(stripe_app, make_user, auth_headers)
    fake_stripe.pay(checkout["order_id"])
    intruder = auth_headers(make_user())
    before = snapshot()

    assert_error(_confirm(stripe_app, intruder, checkout["order_id"]), 404, "order_not_found")
    assert_error(_confirm(stripe_app, intruder, "cs_test_nothing"), 404, "order_not_found")
    assert snapshot() == before


@pytest.mark.parametrize(
    "body",
    [{}, {"order_id": ""}, {"order_id": "cs_test/../v1/refunds"}, {"order_id": 5}, []],
)
def test_malformed_confirm_bodies_are_refused(stripe_app, make_user, auth_headers, body):
    before = snapshot()
    answer = client_for(stripe_app).post(CONFIRM, json=body, headers=auth_headers(make_user()))
    assert_error(answer, 422, "invalid_input")
    assert snapshot() == before


def test_a_session_paid_for_less_is_refused(stripe_app, fake_stripe, make_user, auth_headers):
    _, headers, checkout = _checkout(stripe_app, make_user, auth_headers)
    fake_stripe.pay(checkout["order_id"])
    fake_stripe.sessions[checkout["order_id"]]["amount_total"] = 100
    before = snapshot()

    assert_error(
        _confirm(stripe_app, headers, checkout["order_id"]), 400, "payment_amount_mismatch"
    )
    assert snapshot() == before


def test_the_razorpay_verify_route_is_not_for_stripe_orders(stripe_app, make_user, auth_headers):
    _, headers, checkout = _checkout(stripe_app, make_user, auth_headers)
    answer = client_for(stripe_app).post(
        "/api/payments/verify",
        json={
            "razorpay_order_id": checkout["order_id"],
            "razorpay_payment_id": "pi_forged",
            "razorpay_signature": "0" * 64,
        },
        headers=headers,
    )
    assert_error(answer, 400, "wrong_checkout")


def test_stripe_down_during_confirm_then_reconcile_completes_it(
    stripe_app, fake_stripe, make_user, auth_headers
):
    student, headers, checkout = _checkout(stripe_app, make_user, auth_headers)
    fake_stripe.pay(checkout["order_id"])
    before = snapshot()

    with fake_stripe.outage():
        down = _confirm(stripe_app, headers, checkout["order_id"])
    assert_error(down, 503, "payment_provider_unreachable")
    with fake_stripe.outage(500):
        failing = _confirm(stripe_app, headers, checkout["order_id"])
    assert_error(failing, 502, "payment_provider_error")
    assert snapshot() == before and order_row(checkout["order_id"]).status == "created"

    db.session.execute(
        update(PaymentOrder)
        .where(PaymentOrder.provider_order_id == checkout["order_id"])
        .values(created_at=utcnow() - timedelta(minutes=16))
    )
    db.session.commit()
    with stripe_app.app_context():
        result = stripe_app.test_cli_runner().invoke(args=["payments", "reconcile"])
    assert result.exit_code == 0, result.output
    assert "1 completed" in result.output
    order = order_row(checkout["order_id"])
    assert order.status == "paid"
    assert transitions(order)[-1] == ("created", "paid", "reconcile")
    assert count(Enrollment, Enrollment.user_id == student.id) == 1


def test_reconcile_expires_a_lapsed_session(stripe_app, fake_stripe, make_user, auth_headers):
    _, _, checkout = _checkout(stripe_app, make_user, auth_headers)
    fake_stripe.expire(checkout["order_id"])
    db.session.execute(update(PaymentOrder).values(created_at=utcnow() - timedelta(minutes=40)))
    db.session.commit()
    with stripe_app.app_context():
        result = stripe_app.test_cli_runner().invoke(args=["payments", "reconcile"])
    assert result.exit_code == 0, result.output
    assert order_row(checkout["order_id"]).status == "expired"


# ---- webhooks ----------------------------------------------------------------------------------


def test_checkout_completed_webhook_enrolls_without_the_buyer_returning(
    stripe_app, fake_stripe, make_user, auth_headers
):
    student, headers, checkout = _checkout(stripe_app, make_user, auth_headers)
    session = fake_stripe.pay(checkout["order_id"])
    delivery = fake_stripe.event("checkout.session.completed", session)

    answers = race([lambda: _deliver(stripe_app, delivery)] * 5)

    assert sorted(a.json["status"] for a in answers) == ["applied"] + ["duplicate"] * 4
    assert count(Payment) == 1 and count(WebhookEvent) == 1
    assert count(Enrollment, Enrollment.user_id == student.id) == 1
    order = order_row(checkout["order_id"])
    assert order.status == "paid"
    assert transitions(order)[-1] == ("created", "paid", "webhook")
    # The buyer's browser comes back afterwards: the same settlement, nothing new.
    before = snapshot()
    assert _confirm(stripe_app, headers, checkout["order_id"]).json["status"] == "paid"
    assert snapshot() == before


def test_confirm_and_webhook_racing(stripe_app, fake_stripe, make_user, auth_headers):
    student, headers, checkout = _checkout(stripe_app, make_user, auth_headers)
    session = fake_stripe.pay(checkout["order_id"])
    delivery = fake_stripe.event("checkout.session.completed", session)

    answers = race(
        [lambda: _confirm(stripe_app, headers, checkout["order_id"])] * 10
        + [lambda: _deliver(stripe_app, delivery)] * 3
    )

    assert {a.status_code for a in answers} == {200}, [a.json for a in answers]
    assert count(Payment) == 1
    assert count(Enrollment, Enrollment.user_id == student.id) == 1
    assert order_row(checkout["order_id"]).receipt_number is not None


def test_an_async_payment_settles_later(stripe_app, fake_stripe, make_user, auth_headers):
    student, headers, checkout = _checkout(stripe_app, make_user, auth_headers)
    session = fake_stripe.pay(checkout["order_id"], settling=True)

    assert (
        _deliver(stripe_app, fake_stripe.event("checkout.session.completed", session)).json[
            "status"
        ]
        == "applied"
    )
    assert order_row(checkout["order_id"]).status == "attempted"
    assert_error(_confirm(stripe_app, headers, checkout["order_id"]), 409, "payment_pending")
    assert count(Payment) == 0

    settled = fake_stripe.settle(checkout["order_id"])
    answer = _deliver(
        stripe_app, fake_stripe.event("checkout.session.async_payment_succeeded", settled)
    )
    assert answer.json["status"] == "applied"
    assert order_row(checkout["order_id"]).status == "paid"
    assert count(Enrollment, Enrollment.user_id == student.id) == 1


def test_failed_and_expired_sessions_close_the_order(
    stripe_app, fake_stripe, make_user, auth_headers
):
    _, _, failing = _checkout(stripe_app, make_user, auth_headers)
    session = fake_stripe.pay(failing["order_id"], settling=True)
    failed = fake_stripe.event("checkout.session.async_payment_failed", session)
    assert _deliver(stripe_app, failed).json["status"] == "applied"
    assert order_row(failing["order_id"]).status == "failed"

    _, _, lapsing = _checkout(stripe_app, make_user, auth_headers)
    expired = fake_stripe.event("checkout.session.expired", fake_stripe.expire(lapsing["order_id"]))
    assert _deliver(stripe_app, expired).json["status"] == "applied"
    assert order_row(lapsing["order_id"]).status == "expired"
    assert count(Payment) == 0 and count(Enrollment) == 0


def test_bad_deliveries_are_400_and_write_nothing(stripe_app, fake_stripe, make_user, auth_headers):
    _, _, checkout = _checkout(stripe_app, make_user, auth_headers)
    session = fake_stripe.pay(checkout["order_id"])
    raw, headers = fake_stripe.event("checkout.session.completed", session)
    before = snapshot()

    forged = {**headers, "Stripe-Signature": stripe_signature("whsec_wrong", raw)}
    stale = {
        **headers,
        "Stripe-Signature": stripe_signature(
            fake_stripe.webhook_secret, raw, int(time.time()) - 600
        ),
    }
    unsigned = {"Content-Type": "application/json"}
    for bad in (forged, stale, unsigned):
        assert_error(
            client_for(stripe_app).post(WEBHOOK, data=raw, headers=bad), 400, "invalid_signature"
        )
    tampered = raw.replace(b'"paid"', b'"PAID"')
    answer = client_for(stripe_app).post(WEBHOOK, data=tampered, headers=headers)
    assert_error(answer, 400, "invalid_signature")

    not_json = b"{not json"
    signed = {"Stripe-Signature": stripe_signature(fake_stripe.webhook_secret, not_json)}
    assert_error(
        client_for(stripe_app).post(WEBHOOK, data=not_json, headers=signed), 400, "invalid_payload"
    )
    shapeless = json.dumps(
        {
            "id": "evt_1",
            "object": "event",
            "type": "checkout.session.completed",
            "data": {"object": {"id": "cs_x"}},
        }
    ).encode()
    signed = {"Stripe-Signature": stripe_signature(fake_stripe.webhook_secret, shapeless)}
    assert_error(
        client_for(stripe_app).post(WEBHOOK, data=shapeless, headers=signed), 400, "invalid_payload"
    )
    assert snapshot() == before


def test_without_a_webhook_secret_deliveries_are_refused(make_app, fake_stripe):
    application = make_app(**fake_stripe.settings(BACKEND_STRIPE_WEBHOOK_SECRET=""))
    raw, headers = fake_stripe.event("checkout.session.expired", {"id": "cs_test_x"})
    answer = client_for(application).post(WEBHOOK, data=raw, headers=headers)
    assert_error(answer, 400, "webhook_not_configured")
    with application.app_context():
        db.engine.dispose()


def test_an_unknown_event_type_is_acknowledged(stripe_app, fake_stripe):
    answer = _deliver(stripe_app, fake_stripe.event("customer.created", {"id": "cus_1"}))
    assert answer.status_code == 200 and answer.json["status"] == "ignored"


# ---- refunds -------------------------------------------------------------------------------------


def _paid(stripe_app, fake_stripe, make_user, auth_headers):
    student, headers, checkout = _checkout(stripe_app, make_user, auth_headers)
    fake_stripe.pay(checkout["order_id"])
    settled = _confirm(stripe_app, headers, checkout["order_id"]).json
    return student, checkout, settled["payment"]


def test_admin_refunds_through_stripe_and_a_full_refund_revokes(
    stripe_app, fake_stripe, make_user, auth_headers
):
    student, checkout, payment = _paid(stripe_app, fake_stripe, make_user, auth_headers)
    admin = auth_headers(make_user("admin"))
    refund_url = f"/api/payments/{payment['id']}/refund"

    part = client_for(stripe_app).post(
        refund_url, json={"amount": 10_000, "reason": "Half the course was missing"}, headers=admin
    )
    assert part.status_code == 201, part.json
    made = [
        r
        for r in fake_stripe.refunds.values()
        if r["payment_intent"] == payment["provider_payment_id"]
    ]
    assert [r["amount"] for r in made] == [10_000]
    assert made[0]["metadata"]["reason"] == "Half the course was missing"
    assert count(Enrollment, Enrollment.user_id == student.id, Enrollment.status == "active") == 1

    rest = client_for(stripe_app).post(refund_url, json={"reason": "Cancelled"}, headers=admin)
    assert rest.status_code == 201, rest.json
    assert rest.json["amount"] == payment["amount"] - 10_000
    assert order_row(checkout["order_id"]).status == "refunded"
    assert count(Enrollment, Enrollment.user_id == student.id, Enrollment.status == "active") == 0

    # Stripe then tells us about the same refunds: already known, applied once.
    for refund in list(fake_stripe.refunds.values()):
        if refund["payment_intent"] == payment["provider_payment_id"]:
            delivery = fake_stripe.event("refund.updated", refund)
            assert _deliver(stripe_app, delivery).json["status"] in ("applied", "already_applied")
    assert count(PaymentRefund) == 2


def test_a_refund_made_in_stripes_dashboard_is_recorded(
    stripe_app, fake_stripe, make_user, auth_headers
):
    student, checkout, payment = _paid(stripe_app, fake_stripe, make_user, auth_headers)
    refund = fake_stripe.refund_outside(payment["provider_payment_id"])
    delivery = fake_stripe.event("refund.created", refund)

    assert _deliver(stripe_app, delivery).json["status"] == "applied"
    assert _deliver(stripe_app, delivery).json["status"] == "duplicate"
    recorded = db.session.scalars(select(PaymentRefund)).one()
    assert (recorded.amount, recorded.status) == (payment["amount"], "processed")
    assert order_row(checkout["order_id"]).status == "refunded"
    assert count(Enrollment, Enrollment.user_id == student.id, Enrollment.status == "active") == 0
