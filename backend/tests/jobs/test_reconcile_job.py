"""The periodic reconcile job: expires an abandoned order; a quiet no-op without payments."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import update

from pathshala.columns import utcnow
from pathshala.extensions import db
from pathshala.payments import jobs as payment_jobs
from pathshala.payments.models import PaymentOrder
from tests.payments.helpers import client_for, create_order, paid_course


def test_the_job_expires_an_abandoned_sandbox_order(make_app, make_user, auth_headers, caplog):
    sandbox = make_app(
        BACKEND_PAYMENT_SANDBOX="true", BACKEND_RAZORPAY_KEY_ID="", BACKEND_RAZORPAY_SECRET=""
    )
    response = create_order(client_for(sandbox), auth_headers(make_user()), paid_course())
    assert response.status_code in (200, 201), response.json
    db.session.execute(update(PaymentOrder).values(created_at=utcnow() - timedelta(hours=1)))
    db.session.commit()

    with sandbox.app_context(), caplog.at_level(logging.INFO):
        payment_jobs.reconcile()

    db.session.expire_all()
    assert db.session.scalars(db.select(PaymentOrder.status)).all() == ["expired"]
    assert "1 checked, 0 completed, 1 expired" in caplog.text


def test_the_job_does_nothing_when_payments_are_off(make_app, caplog):
    off = make_app(
        BACKEND_PAYMENT_PROVIDER="stripe",
        BACKEND_STRIPE_SECRET_KEY="",
        BACKEND_PAYMENT_SANDBOX="false",
    )

    with off.app_context(), caplog.at_level(logging.INFO):
        payment_jobs.reconcile()

    assert "payments are not configured" in caplog.text
