"""The embedded setup's payment sandbox, and how the provider is chosen from settings."""

from __future__ import annotations

import pytest

from pathshala import create_app
from pathshala.payments.models import Payment
from pathshala.payments.providers.razorpay import RazorpayProvider
from pathshala.payments.providers.sandbox import SandboxProvider
from pathshala.payments.providers.stripe import StripeProvider
from pathshala.settings import SettingsError
from tests.auth.api import assert_error
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

SAFE_PRODUCTION = {
    "BACKEND_ENV": "production",
    "BACKEND_JWT_SECRET": "pr0duct10n-Secret-with-enough-entropy-9f8e7d6c5b4a",
    "BACKEND_PUBLIC_URL": "https://courses.example.com",
    "BACKEND_CORS_ORIGINS": "https://courses.example.com",
    "BACKEND_DATABASE_URL": "sqlite:///:memory:",
    "BACKEND_REDIS_URL": "",
}


def test_config_says_which_checkout_to_open(sandbox_app, rzp_app, razorpay):
    sandbox = client_for(sandbox_app).get("/api/payments/config")
    real = client_for(rzp_app).get("/api/payments/config")

    assert sandbox.status_code == real.status_code == 200
    assert sandbox.json["provider"] == "sandbox" and sandbox.json["sandbox"] is True
    assert sandbox.json["key_id"] == SandboxProvider.key_id
    assert real.json["provider"] == "razorpay" and real.json["sandbox"] is False
    assert real.json["key_id"] == razorpay.key_id


def test_buying_through_the_sandbox(sandbox_app, make_user, auth_headers):
    headers = auth_headers(make_user())
    client = client_for(sandbox_app)
    course = paid_course()

    order = create_order(client, headers, course).json
    assert order["order_id"].startswith("order_sbx_") and order["provider"] == "sandbox"
    assert order["amount"] == PRICE and order["key_id"] == SandboxProvider.key_id
    paid = client.post(
        "/api/payments/sandbox/pay",
        json={"order_id": order["order_id"], "outcome": "success"},
        headers=headers,
    )
    assert paid.status_code == 200 and paid.json["outcome"] == "success"
    checkout = {k: v for k, v in paid.json.items() if k.startswith("razorpay_")}
    assert checkout["razorpay_payment_id"].startswith("pay_sbx_")

    settled = verify(client, headers, checkout)

    assert settled.status_code == 200, settled.json
    assert settled.json["status"] == "paid" and settled.json["payment"]["method"] == "sandbox"
    assert settled.json["enrollment"]["status"] == "active"
    assert verify(client, headers, checkout).status_code == 200
    assert count(Payment) == 1


def test_a_tampered_sandbox_payment_is_refused(sandbox_app, make_user, auth_headers):
    headers = auth_headers(make_user())
    client = client_for(sandbox_app)
    order = create_order(client, headers, paid_course()).json
    other = create_order(client, headers, paid_course(price=100)).json
    cheap = client.post(
        "/api/payments/sandbox/pay",
        json={"order_id": other["order_id"], "outcome": "success"},
        headers=headers,
    ).json
    before = snapshot()

    # A payment made for the ₹1 order, presented for the ₹499 one with a wrong signature ...
    wrong = {**cheap, "razorpay_order_id": order["order_id"]}
    wrong.pop("outcome")
    assert_error(verify(client, headers, wrong), 400, "invalid_signature")
    # ... and an id the sandbox never made.
    forged = dict(wrong, razorpay_payment_id="pay_sbx_" + "a" * 47)
    assert_error(verify(client, headers, forged), 400, "invalid_signature")
    assert snapshot() == before


def test_a_failed_sandbox_payment_fails_the_order(sandbox_app, make_user, auth_headers):
    headers = auth_headers(make_user())
    client = client_for(sandbox_app)
    order = create_order(client, headers, paid_course()).json

    failed = client.post(
        "/api/payments/sandbox/pay",
        json={"order_id": order["order_id"], "outcome": "fail"},
        headers=headers,
    )

    assert failed.status_code == 200 and failed.json["outcome"] == "fail"
    assert failed.json["error"]["reason"] == "payment_failed"
    row = order_row(order["order_id"])
    assert row.status == "failed" and transitions(row)[-1] == ("created", "failed", "system")
    assert count(Payment) == 0
    # Retrying opens a fresh order.
    assert (
        create_order(client, headers, order["course"]["id"]).json["order_id"] != order["order_id"]
    )


def test_sandbox_pay_refusals(sandbox_app, rzp_app, make_user, auth_headers):
    owner_headers = auth_headers(make_user())
    client = client_for(sandbox_app)
    order = create_order(client, owner_headers, paid_course()).json
    stranger = auth_headers(make_user())
    body = {"order_id": order["order_id"], "outcome": "success"}

    assert_error(client.post("/api/payments/sandbox/pay", json=body), 401)
    assert_error(
        client.post("/api/payments/sandbox/pay", json=body, headers=stranger),
        404,
        "order_not_found",
    )
    assert_error(
        client.post(
            "/api/payments/sandbox/pay", json={**body, "outcome": "maybe"}, headers=owner_headers
        ),
        422,
    )
    off = client_for(rzp_app).post("/api/payments/sandbox/pay", json=body, headers=owner_headers)
    assert_error(off, 404, "sandbox_not_found")


def test_the_sandbox_is_the_same_in_every_worker(spawn_app, make_user, auth_headers):
    """gunicorn runs several workers: pay in one, verify in another."""
    settings = {"BACKEND_RAZORPAY_KEY_ID": "", "BACKEND_RAZORPAY_SECRET": ""}
    one, two = spawn_app(**settings), spawn_app(**settings)
    headers = auth_headers(make_user())
    order = create_order(client_for(one), headers, paid_course()).json
    checkout = (
        client_for(one)
        .post(
            "/api/payments/sandbox/pay",
            json={"order_id": order["order_id"], "outcome": "success"},
            headers=headers,
        )
        .json
    )
    checkout.pop("outcome")

    assert verify(client_for(two), headers, checkout).status_code == 200


def test_the_provider_is_chosen_from_settings(make_app, razorpay):
    sandbox = make_app(BACKEND_RAZORPAY_KEY_ID="", BACKEND_RAZORPAY_SECRET="")
    real = make_app(**razorpay.settings())
    forced = make_app(**razorpay.settings(BACKEND_PAYMENT_SANDBOX="true"))

    assert isinstance(sandbox.extensions["pathshala.payment_provider"], SandboxProvider)
    assert isinstance(real.extensions["pathshala.payment_provider"], RazorpayProvider)
    assert isinstance(forced.extensions["pathshala.payment_provider"], SandboxProvider)


def test_production_never_runs_the_sandbox(razorpay):
    with pytest.raises(SettingsError, match="BACKEND_PAYMENT_SANDBOX"):
        create_app(
            {**SAFE_PRODUCTION, "BACKEND_RAZORPAY_KEY_ID": "", "BACKEND_RAZORPAY_SECRET": ""}
        )
    with pytest.raises(SettingsError, match="BACKEND_PAYMENT_SANDBOX"):
        create_app({**SAFE_PRODUCTION, **razorpay.settings(BACKEND_PAYMENT_SANDBOX="true")})

    production = create_app({**SAFE_PRODUCTION, **razorpay.settings()})

    assert isinstance(production.extensions["pathshala.payment_provider"], RazorpayProvider)


def test_payments_off_answers_503(spawn_app, make_user, auth_headers):
    """Stripe is chosen without its key and the sandbox is off: payments answer 503."""
    off = spawn_app(
        BACKEND_PAYMENT_PROVIDER="stripe",
        BACKEND_STRIPE_SECRET_KEY="",
        BACKEND_PAYMENT_SANDBOX="false",
    )
    client = client_for(off)

    assert client.get("/api/payments/config").json["provider"] is None
    response = create_order(client, auth_headers(make_user()), paid_course())
    assert_error(response, 503, "payments_unavailable")


def test_switching_to_stripe_is_configuration_only(fake_stripe):
    production = create_app({**SAFE_PRODUCTION, **fake_stripe.settings()})

    assert isinstance(production.extensions["pathshala.payment_provider"], StripeProvider)
    with production.app_context():
        from pathshala.payments import service

        assert service.public_config()["provider"] == "stripe"
