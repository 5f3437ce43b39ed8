"""What the payment tests share: courses for sale, calls as the SPA makes them, row counts."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import uuid
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from pathshala.enrollments.models import Enrollment
from pathshala.extensions import db
from pathshala.payments.models import (
    Payment,
    PaymentOrder,
    PaymentRefund,
    PaymentTransition,
    WebhookEvent,
)
from pathshala.payments.providers.base import CheckoutContext
from tests import factories
from tests.conftest import random_loopback_ip

PRICE = 49_900  # ₹499


def client_for(application: Flask) -> FlaskClient:
    test_client = application.test_client()
    test_client.environ_base["REMOTE_ADDR"] = random_loopback_ip()
    return test_client


def paid_course(price: int = PRICE, **fields: Any):
    return factories.make_course(price=price, **fields)


def count(model: Any, *where: Any) -> int:
    """Rows as the database has them now (not as this session remembers them)."""
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def snapshot() -> dict[str, int]:
    """How many rows each money table holds: 'nothing written' means this did not change."""
    return {
        model.__tablename__: count(model)
        for model in (
            PaymentOrder,
            Payment,
            PaymentRefund,
            PaymentTransition,
            WebhookEvent,
            Enrollment,
        )
    }


def order_row(provider_order_id: str) -> PaymentOrder:
    db.session.expire_all()
    return db.session.scalars(
        select(PaymentOrder).where(PaymentOrder.provider_order_id == provider_order_id)
    ).one()


def transitions(order: PaymentOrder) -> list[tuple[str | None, str, str]]:
    db.session.expire_all()
    rows = db.session.scalars(
        select(PaymentTransition)
        .where(PaymentTransition.order_id == order.id, PaymentTransition.entity == "order")
        .order_by(PaymentTransition.created_at)
    )
    return [(row.from_status, row.to_status, row.actor) for row in rows]


def create_order(client: FlaskClient, headers: dict[str, str], course) -> TestResponse:
    """``course``: a Course, or its id (threads have no app context to load a Course in)."""
    course_id = course if isinstance(course, str) else str(course.id)
    return client.post("/api/payments/create-order", json={"course_id": course_id}, headers=headers)


def verify(client: FlaskClient, headers: dict[str, str], body: dict[str, str]) -> TestResponse:
    return client.post("/api/payments/verify", json=body, headers=headers)


def race(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls at the same moment, each on its own thread; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except BaseException as exc:  # noqa: BLE001 (reported to the test below)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


# ---- rows for tests that do not go through the checkout (the role matrix) ---------------------


def make_sandbox_order(user, course=None) -> PaymentOrder:
    """An open sandbox order of ``user`` for a paid course (the app must run the sandbox)."""
    from flask import current_app

    sandbox = current_app.extensions["pathshala.payment_provider"]
    course = course or paid_course()
    receipt = "rcpt_" + uuid.uuid4().hex
    opened = sandbox.create_order(
        amount=course.price,
        currency="INR",
        receipt=receipt,
        notes={},
        context=CheckoutContext(course.title, user.email, "http://x/paid", "http://x/cancelled"),
    )
    order = PaymentOrder(
        user_id=user.id,
        course_id=course.id,
        amount=course.price,
        currency=course.currency,
        provider="sandbox",
        provider_order_id=opened.id,
        receipt=receipt,
        status="created",
    )
    db.session.add(order)
    db.session.commit()
    return order


def sandbox_checkout(user) -> dict[str, str]:
    """What the sandbox checkout hands the browser for a fresh paid order of ``user``."""
    from flask import current_app

    sandbox = current_app.extensions["pathshala.payment_provider"]
    order = make_sandbox_order(user)
    paid = sandbox.pay(
        order.provider_order_id, amount=order.amount, currency=order.currency, outcome="success"
    )
    return {
        "razorpay_order_id": order.provider_order_id,
        "razorpay_payment_id": paid.id,
        "razorpay_signature": sandbox.payment_signature(order.provider_order_id, paid.id),
    }


def make_manual_payment() -> Payment:
    """A paid manual payment (a student, a course, recorded by an admin)."""
    from pathshala.payments import service

    admin = factories.make_user("admin", password=None)
    student = factories.make_user("student", password=None)
    recorded = service.record_manual_payment(
        admin, {"course_id": paid_course().id, "user_id": student.id}
    )
    return recorded.payment


def razorpay_event(event: str, *, order_id: str, amount: int = 100) -> bytes:
    return json.dumps(
        {
            "entity": "event",
            "event": event,
            "payload": {
                "payment": {
                    "entity": {
                        "id": "pay_" + uuid.uuid4().hex[:14],
                        "order_id": order_id,
                        "amount": amount,
                        "currency": "INR",
                        "status": "failed" if event == "payment.failed" else "captured",
                    }
                }
            },
        }
    ).encode()


def stripe_event(event_type: str, obj: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "id": "evt_" + uuid.uuid4().hex[:24],
            "object": "event",
            "type": event_type,
            "data": {"object": obj},
        }
    ).encode()


def webhook_headers(secret: str, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-Razorpay-Signature": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest(),
        "X-Razorpay-Event-Id": "evt_" + uuid.uuid4().hex[:14],
    }
