"""The guarantees of issue 4, each against Razorpay's local fake through the real SDK, with
real concurrent requests (threads, each with its own database connection). They run on
Postgres (conftest says loudly when it fell back to SQLite; CI refuses to)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from pathshala.columns import utcnow
from pathshala.enrollments.models import Enrollment
from pathshala.extensions import db
from pathshala.payments.models import Payment, PaymentOrder, PaymentTransition, WebhookEvent
from tests.auth.api import assert_error
from tests.fakes.razorpay import sign
from tests.payments.helpers import (
    client_for,
    count,
    create_order,
    order_row,
    paid_course,
    race,
    snapshot,
    transitions,
    verify,
)


def _open_order(rzp_app, make_user, auth_headers):
    student = make_user()
    headers = auth_headers(student)
    order_id = create_order(client_for(rzp_app), headers, paid_course()).json["order_id"]
    return student, headers, order_id


def _backdate(order_id: str, minutes: int = 16) -> None:
    db.session.execute(
        update(PaymentOrder)
        .where(PaymentOrder.provider_order_id == order_id)
        .values(created_at=utcnow() - timedelta(minutes=minutes))
    )
    db.session.commit()


def run_reconcile(application, *args: str):
    """`flask payments reconcile` of ``application`` (the test's own app context is the base
    app's, which the CLI would otherwise use)."""
    with application.app_context():
        return application.test_cli_runner().invoke(args=["payments", "reconcile", *args])


def test_twenty_identical_verifications_in_parallel(rzp_app, razorpay, make_user, auth_headers):
    student, headers, order_id = _open_order(rzp_app, make_user, auth_headers)
    body = razorpay.checkout_response(order_id, razorpay.pay(order_id)["id"])

    responses = race([lambda: verify(client_for(rzp_app), headers, body)] * 20)

    assert [r.status_code for r in responses] == [200] * 20, [r.json for r in responses]
    assert {r.json["payment"]["id"] for r in responses} == {responses[0].json["payment"]["id"]}
    assert count(Payment) == 1
    assert count(Enrollment, Enrollment.user_id == student.id) == 1
    order = order_row(order_id)
    assert order.status == "paid" and order.receipt_number == 1
    assert transitions(order) == [(None, "created", "user"), ("created", "paid", "user")]


def test_verify_and_webhook_racing(rzp_app, razorpay, make_user, auth_headers):
    student, headers, order_id = _open_order(rzp_app, make_user, auth_headers)
    payment_id = razorpay.pay(order_id)["id"]
    body = razorpay.checkout_response(order_id, payment_id)
    captured = razorpay.webhook("payment.captured", payment_id=payment_id)
    paid = razorpay.webhook("order.paid", payment_id=payment_id)

    def deliver(delivery):
        raw, webhook_headers = delivery
        return client_for(rzp_app).post("/api/payments/webhook", data=raw, headers=webhook_headers)

    calls = [lambda: verify(client_for(rzp_app), headers, body)] * 4
    calls += [lambda: deliver(captured), lambda: deliver(paid)] * 2
    responses = race(calls)

    assert [r.status_code for r in responses] == [200] * 8, [r.json for r in responses]
    assert count(Payment) == 1
    assert count(Enrollment, Enrollment.user_id == student.id) == 1
    assert count(WebhookEvent) == 2  # two distinct events, each delivered twice
    order = order_row(order_id)
    assert order.status == "paid"
    assert count(PaymentTransition, PaymentTransition.to_status == "paid") == 1


def test_the_same_webhook_five_times_in_parallel(rzp_app, razorpay, make_user, auth_headers):
    student, _headers, order_id = _open_order(rzp_app, make_user, auth_headers)
    raw, webhook_headers = razorpay.webhook(
        "payment.captured", payment_id=razorpay.pay(order_id)["id"]
    )

    responses = race(
        [
            lambda: client_for(rzp_app).post(
                "/api/payments/webhook", data=raw, headers=webhook_headers
            )
        ]
        * 5
    )

    assert [r.status_code for r in responses] == [200] * 5
    assert sorted(r.json["status"] for r in responses) == ["applied"] + ["duplicate"] * 4
    assert count(WebhookEvent) == 1 and count(Payment) == 1
    assert count(Enrollment, Enrollment.user_id == student.id) == 1
    order = order_row(order_id)
    assert order.status == "paid"
    assert transitions(order)[-1] == ("created", "paid", "webhook")


def test_an_underpayment_is_refused(rzp_app, razorpay, make_user, auth_headers):
    _student, headers, order_id = _open_order(rzp_app, make_user, auth_headers)
    short = razorpay.pay(order_id, amount=razorpay.orders[order_id]["amount"] - 100)
    before = snapshot()

    response = verify(
        client_for(rzp_app), headers, razorpay.checkout_response(order_id, short["id"])
    )

    assert_error(response, 400, "payment_amount_mismatch")
    assert snapshot() == before and order_row(order_id).status == "created"


def test_a_payment_in_another_currency_is_refused(rzp_app, razorpay, make_user, auth_headers):
    _student, headers, order_id = _open_order(rzp_app, make_user, auth_headers)
    dollars = razorpay.pay(order_id, currency="USD")
    before = snapshot()

    response = verify(
        client_for(rzp_app), headers, razorpay.checkout_response(order_id, dollars["id"])
    )

    assert_error(response, 400, "payment_amount_mismatch")
    assert snapshot() == before


def test_a_payment_for_another_order_is_refused(rzp_app, razorpay, make_user, auth_headers):
    """Even with a valid signature (a leaked key secret, a broken checkout), Razorpay's word
    on which order the payment paid decides."""
    _student, headers, order_id = _open_order(rzp_app, make_user, auth_headers)
    _other, _other_headers, other_order = _open_order(rzp_app, make_user, auth_headers)
    elsewhere = razorpay.pay(other_order)
    before = snapshot()

    response = verify(
        client_for(rzp_app), headers, razorpay.checkout_response(order_id, elsewhere["id"])
    )

    assert_error(response, 400, "payment_order_mismatch")
    assert snapshot() == before
    assert order_row(order_id).status == order_row(other_order).status == "created"


def test_an_underpaying_webhook_is_recorded_not_applied(rzp_app, razorpay, make_user, auth_headers):
    _student, _headers, order_id = _open_order(rzp_app, make_user, auth_headers)
    short = razorpay.pay(order_id, amount=100)
    raw, webhook_headers = razorpay.webhook("payment.captured", payment_id=short["id"])

    response = client_for(rzp_app).post("/api/payments/webhook", data=raw, headers=webhook_headers)

    assert response.status_code == 200
    assert response.json["status"] == "rejected_payment_amount_mismatch"
    assert count(Payment) == 0 and count(Enrollment) == 0
    assert order_row(order_id).status == "created"


def test_bad_requests_write_nothing(rzp_app, razorpay, make_user, auth_headers):
    _student, headers, order_id = _open_order(rzp_app, make_user, auth_headers)
    _other, other_headers, _ = _open_order(rzp_app, make_user, auth_headers)
    payment_id = razorpay.pay(order_id)["id"]
    good = razorpay.checkout_response(order_id, payment_id)
    client = client_for(rzp_app)
    before = snapshot()

    cases = [
        (headers, {**good, "razorpay_signature": "0" * 64}, 400, "invalid_signature"),
        (headers, {**good, "razorpay_signature": "é" * 64}, 400, "invalid_signature"),
        (
            headers,
            {**good, "razorpay_signature": sign("not-the-secret", f"{order_id}|{payment_id}")},
            400,
            "invalid_signature",
        ),
        (headers, {**good, "razorpay_order_id": "order_Unknown0000000"}, 404, "order_not_found"),
        (other_headers, good, 404, "order_not_found"),
        (headers, {**good, "razorpay_payment_id": "../orders"}, 422, "invalid_input"),
        (headers, {"razorpay_order_id": order_id}, 422, "invalid_input"),
        (headers, {**good, "razorpay_signature": 42}, 422, "invalid_input"),
    ]
    for caller, body, status, code in cases:
        assert_error(verify(client, caller, body), status, code)
    assert_error(verify(client, {}, good), 401)
    for raw in (b"[]", b"not json", b'{"razorpay_order_id": null}'):
        response = client.post(
            "/api/payments/verify",
            data=raw,
            headers={**headers, "Content-Type": "application/json"},
        )
        assert 400 <= response.status_code < 500, response.json

    assert snapshot() == before
    assert razorpay.calls("GET", f"/payments/{payment_id}") == 0  # refused before asking
    assert verify(client, headers, good).status_code == 200  # the real one still works


def test_bad_webhooks_write_nothing(rzp_app, razorpay, make_user, auth_headers):
    _student, _headers, order_id = _open_order(rzp_app, make_user, auth_headers)
    raw, good_headers = razorpay.webhook(
        "payment.captured", payment_id=razorpay.pay(order_id)["id"]
    )
    client = client_for(rzp_app)
    before = snapshot()

    forged = {**good_headers, "X-Razorpay-Signature": sign("guess", raw)}
    unsigned = {k: v for k, v in good_headers.items() if k != "X-Razorpay-Signature"}
    for headers, body in ((forged, raw), (unsigned, raw), (good_headers, raw + b" ")):
        response = client.post("/api/payments/webhook", data=body, headers=headers)
        assert_error(response, 400, "invalid_signature")
    for body in (
        b"not json",
        b"[1, 2]",
        b'{"event": 5}',
        b'{"event": "payment.captured", "payload": {"payment": {"entity": {"id": "pay_x"}}}}',
    ):
        signed = razorpay.delivery(body)
        response = client.post("/api/payments/webhook", data=signed[0], headers=signed[1])
        assert_error(response, 400, "invalid_payload")

    assert snapshot() == before
    assert client.post("/api/payments/webhook", data=raw, headers=good_headers).status_code == 200


@pytest.mark.parametrize("down", ["unreachable", "5xx"])
def test_razorpay_down_during_verify_then_reconciled(
    rzp_app, razorpay, make_user, auth_headers, down
):
    student, headers, order_id = _open_order(rzp_app, make_user, auth_headers)
    body = razorpay.checkout_response(order_id, razorpay.pay(order_id)["id"])
    before = snapshot()

    with razorpay.outage(status=None if down == "unreachable" else 503):
        response = verify(client_for(rzp_app), headers, body)

    if down == "unreachable":
        assert_error(response, 503, "payment_provider_unreachable")
        assert response.headers["Retry-After"]
    else:
        assert_error(response, 502, "payment_provider_error")
    assert snapshot() == before
    assert order_row(order_id).status == "created"

    # The browser is gone, the webhook lost: reconciliation finds the payment later.
    _backdate(order_id)
    result = run_reconcile(rzp_app)

    assert result.exit_code == 0, result.output
    assert "1 checked, 1 completed, 0 expired" in result.output
    order = order_row(order_id)
    assert order.status == "paid" and order.receipt_number is not None
    assert transitions(order)[-1] == ("created", "paid", "reconcile")
    assert count(Enrollment, Enrollment.user_id == student.id, Enrollment.status == "active") == 1
    # ... and the student's own retry of verify is now a harmless repeat
    assert verify(client_for(rzp_app), headers, body).status_code == 200
    assert count(Payment) == 1


def test_reconcile_expires_abandoned_orders_and_leaves_young_ones(
    rzp_app, razorpay, make_user, auth_headers
):
    _s1, _h1, abandoned = _open_order(rzp_app, make_user, auth_headers)
    _s2, _h2, young = _open_order(rzp_app, make_user, auth_headers)
    _s3, _h3, authorized = _open_order(rzp_app, make_user, auth_headers)
    razorpay.pay(authorized, status="authorized")
    _s4, _h4, failed_once = _open_order(rzp_app, make_user, auth_headers)
    razorpay.pay(failed_once, status="failed")
    for order_id in (abandoned, authorized, failed_once):
        _backdate(order_id)

    result = run_reconcile(rzp_app)

    assert result.exit_code == 0, result.output
    assert "3 checked, 1 completed, 2 expired" in result.output
    assert order_row(abandoned).status == "expired"
    assert order_row(failed_once).status == "expired"
    assert order_row(young).status == "created"
    assert order_row(authorized).status == "paid"  # captured by reconciliation
    assert (
        razorpay.payments[db.session.scalars(select(Payment.provider_payment_id)).one()]["status"]
        == "captured"
    )
    assert transitions(order_row(abandoned))[-1] == ("created", "expired", "reconcile")


def test_reconcile_while_razorpay_is_down_leaves_orders_open(
    rzp_app, razorpay, make_user, auth_headers
):
    _student, _headers, order_id = _open_order(rzp_app, make_user, auth_headers)
    razorpay.pay(order_id)
    _backdate(order_id)

    with razorpay.outage():
        result = run_reconcile(rzp_app)

    assert result.exit_code == 1
    assert "1 checked, 0 completed, 0 expired, 1 need another try" in result.output
    assert order_row(order_id).status == "created" and count(Payment) == 0
