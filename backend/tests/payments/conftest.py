from collections.abc import Iterator

import pytest
from flask import Flask

from pathshala.extensions import db
from tests.fakes.razorpay import FakeRazorpay, _razorpay_recovers, razorpay  # noqa: F401
from tests.fakes.stripe import fake_stripe  # noqa: F401 (fixture)
from tests.fakes.workers import spawn_app  # noqa: F401 (fixture)


@pytest.fixture(scope="module")
def rzp_app(make_app, razorpay: FakeRazorpay) -> Iterator[Flask]:  # noqa: F811
    """The app with Razorpay configured, pointed at the local fake; same database."""
    application = make_app(**razorpay.settings())
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def sandbox_app(make_app) -> Iterator[Flask]:
    """The embedded setup: no Razorpay keys, the payment sandbox on."""
    application = make_app(
        BACKEND_RAZORPAY_KEY_ID="",
        BACKEND_RAZORPAY_SECRET="",
        BACKEND_RAZORPAY_WEBHOOK_SECRET="",
        BACKEND_PAYMENT_SANDBOX="true",
    )
    yield application
    with application.app_context():
        db.engine.dispose()
