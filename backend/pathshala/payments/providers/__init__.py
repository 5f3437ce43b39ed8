"""Payment providers behind one interface; ``provider_from_settings`` picks one at start-up."""

from __future__ import annotations

import logging

from pathshala.payments.providers.base import PaymentProvider
from pathshala.settings import Settings

log = logging.getLogger(__name__)


def provider_from_settings(settings: Settings) -> PaymentProvider | None:
    """The sandbox when configured (never in production: settings refuse it), else the
    configured provider with its keys; None when payments cannot be taken at all."""
    from pathshala.payments.providers.razorpay import RazorpayProvider
    from pathshala.payments.providers.sandbox import SandboxProvider
    from pathshala.payments.providers.stripe import StripeProvider

    if settings.payment_sandbox:
        return SandboxProvider(settings.jwt_secret)
    if settings.payment_provider == "razorpay" and settings.razorpay_key_id:
        return RazorpayProvider(
            key_id=settings.razorpay_key_id,
            key_secret=settings.razorpay_secret or "",
            api_url=settings.razorpay_api_url,
        )
    if settings.payment_provider == "stripe" and settings.stripe_secret_key:
        return StripeProvider(
            secret_key=settings.stripe_secret_key, api_url=settings.stripe_api_url
        )
    log.error(
        "payments are off: BACKEND_PAYMENT_PROVIDER=%s has no implementation or no keys",
        settings.payment_provider,
    )
    return None
