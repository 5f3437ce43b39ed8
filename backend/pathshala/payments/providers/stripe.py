"""Stripe Checkout through the official SDK (stripe-python), pointed at BACKEND_STRIPE_API_URL.

A platform order is a Checkout Session (``cs_…``, mode ``payment``, one line at the
database's price); its payment is the session's PaymentIntent (``pi_…``). The customer pays
on Stripe's page and comes back to the SPA, which asks the server to look the session up;
the ``checkout.session.*`` and ``refund.*`` webhooks (``Stripe-Signature``) do the same for a
customer who never comes back, and reconciliation asks about whatever is left open.

Stripe's errors become the provider errors of ``base``: no connection is ProviderUnavailable,
a 4xx refusal ProviderRejected, a 5xx (or a key Stripe does not accept) ProviderFailed.
Retries stay off, as with Razorpay: the caller decides.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import stripe

from pathshala.payments.providers.base import (
    CheckoutContext,
    PaymentProvider,
    ProviderFailed,
    ProviderOrder,
    ProviderPayment,
    ProviderRefund,
    ProviderRejected,
    ProviderUnavailable,
    WebhookNotice,
    WebhookRefused,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
#: (connect, read) seconds, as for Razorpay
TIMEOUT = (5, 15)
#: Stripe's shortest session lifetime; reconciliation expires the order once Stripe has
CHECKOUT_LIFETIME_SECONDS = 30 * 60
#: PaymentIntent status -> the platform's payment status
_INTENT_STATUS = {
    "succeeded": "captured",
    "requires_capture": "authorized",
    "processing": "pending",
    "requires_payment_method": "created",
    "requires_confirmation": "created",
    "requires_action": "pending",
    "canceled": "failed",
}
_REFUND_STATUS = {
    "succeeded": "processed",
    "pending": "pending",
    "requires_action": "pending",
    "failed": "failed",
    "canceled": "failed",
}


class StripeProvider(PaymentProvider):
    name = "stripe"
    key_id = None
    redirects = True

    def __init__(self, *, secret_key: str, api_url: str | None) -> None:
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_url.rstrip("/")} if api_url else None,
            max_network_retries=0,
            http_client=stripe.RequestsClient(timeout=TIMEOUT),
        )

    def _call(self, what: str, request: Callable[[], Any], parse: Callable[[Any], T]) -> T:
        try:
            return parse(request())
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("stripe answered an unknown shape on %s: %s", what, exc)
            raise ProviderFailed(f"Stripe gave an unreadable answer ({what}).") from exc
        except stripe.APIConnectionError as exc:
            log.warning("stripe unreachable on %s: %s", what, exc)
            raise ProviderUnavailable(f"Stripe did not answer ({what}).") from exc
        except stripe.AuthenticationError as exc:
            log.error("stripe refused the secret key on %s: %s", what, exc)
            raise ProviderFailed(f"Stripe refused the platform's key ({what}).") from exc
        except (stripe.APIError, stripe.RateLimitError) as exc:
            log.warning("stripe error on %s: %s", what, exc)
            raise ProviderFailed(f"Stripe failed to {what}: {exc.user_message or exc}") from exc
        except stripe.StripeError as exc:
            if (exc.http_status or 0) >= 500:
                raise ProviderFailed(f"Stripe failed to {what}: {exc}") from exc
            raise ProviderRejected(f"Stripe refused to {what}: {exc.user_message or exc}") from exc

    # ---- orders: Checkout Sessions ------------------------------------------------------------

    def create_order(
        self,
        *,
        amount: int,
        currency: str,
        receipt: str,
        notes: dict[str, str],
        context: CheckoutContext,
    ) -> ProviderOrder:
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": currency.lower(),
                        "unit_amount": amount,
                        "product_data": {"name": context.title[:250]},
                    },
                }
            ],
            "client_reference_id": receipt,
            "customer_email": context.customer_email,
            "metadata": {**notes, "receipt": receipt},
            "payment_intent_data": {"metadata": {**notes, "receipt": receipt}},
            "success_url": context.success_url,
            "cancel_url": context.cancel_url,
            "expires_at": int(time.time()) + CHECKOUT_LIFETIME_SECONDS,
        }
        return self._call(
            "open a checkout session",
            # The receipt is unique per order: a retried request cannot open a second session.
            lambda: self._client.v1.checkout.sessions.create(
                params, options={"idempotency_key": receipt}
            ),
            _order,
        )

    def open_checkout_url(self, order_id: str) -> str | None:
        session = self._call(
            "fetch a checkout session",
            lambda: self._client.v1.checkout.sessions.retrieve(order_id),
            _plain,
        )
        return session.get("url") if session.get("status") == "open" else None

    def fetch_order_payments(self, order_id: str) -> list[ProviderPayment]:
        session = self._call(
            "fetch a checkout session",
            lambda: self._client.v1.checkout.sessions.retrieve(
                order_id, {"expand": ["payment_intent"]}
            ),
            _plain,
        )
        return session_payments(session)

    # ---- payments: PaymentIntents ---------------------------------------------------------------

    def fetch_payment(self, payment_id: str) -> ProviderPayment:
        intent = self._call(
            "fetch a payment",
            lambda: self._client.v1.payment_intents.retrieve(payment_id),
            _plain,
        )
        return _intent_payment(intent, order_id=self._session_of(payment_id))

    def capture_payment(self, payment_id: str, *, amount: int, currency: str) -> ProviderPayment:
        intent = self._call(
            "capture a payment",
            lambda: self._client.v1.payment_intents.capture(
                payment_id, {"amount_to_capture": amount}
            ),
            _plain,
        )
        return _intent_payment(intent, order_id=self._session_of(payment_id))

    def _session_of(self, payment_id: str) -> str | None:
        """The Checkout Session (the platform's order) a PaymentIntent was made in."""
        sessions = self._call(
            "find a payment's checkout session",
            lambda: self._client.v1.checkout.sessions.list(
                {"payment_intent": payment_id, "limit": 1}
            ),
            _plain,
        )
        found = sessions.get("data") or []
        return str(found[0]["id"]) if found else None

    def refund(self, payment_id: str, *, amount: int, notes: dict[str, str]) -> ProviderRefund:
        params = {
            "payment_intent": payment_id,
            "amount": amount,
            "reason": "requested_by_customer",
            "metadata": notes,
        }
        return self._call(
            "refund a payment",
            lambda: self._client.v1.refunds.create(params),
            lambda refund: _refund(_plain(refund)),
        )


# ---- Stripe objects in the platform's terms ------------------------------------------------------


def _plain(obj: Any) -> dict[str, Any]:
    """A Stripe object as plain dicts and lists (what is stored as the provider payload)."""
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if isinstance(obj, dict):
        return obj
    raise TypeError(f"not a Stripe object: {type(obj).__name__}")


def _order(session: Any) -> ProviderOrder:
    data = _plain(session)
    return ProviderOrder(
        id=str(data["id"]),
        amount=int(data["amount_total"]),
        currency=str(data["currency"]).upper(),
        status=str(data.get("status") or "open"),
        receipt=data.get("client_reference_id"),
        checkout_url=data.get("url"),
        raw=data,
    )


def _intent_payment(intent: dict[str, Any], *, order_id: str | None) -> ProviderPayment:
    status = _INTENT_STATUS.get(str(intent.get("status")), "pending")
    amount = intent.get("amount_received") if status == "captured" else intent.get("amount")
    return ProviderPayment(
        id=str(intent["id"]),
        order_id=order_id,
        amount=int(amount if amount is not None else intent["amount"]),
        currency=str(intent["currency"]).upper(),
        status=status,
        method="stripe",
        raw=intent,
    )


def session_payments(session: dict[str, Any]) -> list[ProviderPayment]:
    """The payment a Checkout Session holds, in the platform's terms: captured when Stripe
    says the session is paid; pending while it is open or an async method is settling; none
    once it expired unpaid (reconciliation then expires the order)."""
    intent = session.get("payment_intent")
    intent_id = intent.get("id") if isinstance(intent, dict) else intent
    amount, currency = session.get("amount_total"), str(session.get("currency") or "").upper()
    if session.get("payment_status") == "paid" and intent_id:
        return [
            ProviderPayment(
                id=str(intent_id),
                order_id=str(session["id"]),
                amount=int(amount),
                currency=currency,
                status="captured",
                method="stripe",
                raw=session,
            )
        ]
    if isinstance(intent, dict) and intent.get("status") in ("requires_capture", "canceled"):
        return [_intent_payment(intent, order_id=str(session["id"]))]
    if session.get("status") == "expired":
        return []
    return [
        ProviderPayment(
            id=str(intent_id or session["id"]),
            order_id=str(session["id"]),
            amount=int(amount or 0),
            currency=currency,
            status="pending",
            method="stripe",
            raw=session,
        )
    ]


def _refund(data: dict[str, Any]) -> ProviderRefund:
    intent = data.get("payment_intent")
    return ProviderRefund(
        id=str(data["id"]),
        payment_id=str(intent.get("id") if isinstance(intent, dict) else intent),
        amount=int(data["amount"]),
        currency=str(data["currency"]).upper(),
        status=_REFUND_STATUS.get(str(data.get("status")), "pending"),
        raw=data,
    )


# ---- webhooks ------------------------------------------------------------------------------------

_SESSION_EVENTS = (
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
)
_REFUND_EVENTS = ("refund.created", "refund.updated", "refund.failed", "charge.refund.updated")


def read_webhook(raw: bytes, *, signature: str | None, secret: str) -> WebhookNotice:
    """A Stripe delivery verified by the SDK (``Stripe-Signature``: t=…,v1=HMAC-SHA256 of
    ``t.body``, at most 5 minutes old), in the platform's terms."""
    try:
        event = stripe.Webhook.construct_event(raw, signature or "", secret)
    except stripe.SignatureVerificationError as exc:
        raise WebhookRefused("invalid_signature", "The webhook signature is not valid.") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise WebhookRefused("invalid_payload", "The webhook body is not a Stripe event.") from exc
    invalid = WebhookRefused("invalid_payload", "The webhook body is not a Stripe event.")
    try:
        data = event.to_dict()
        event_type = str(data["type"])[:60]
        event_id = str(data["id"])[:100]
        obj = data["data"]["object"]
        if event_type in _SESSION_EVENTS:
            return _session_notice(data, event_id, event_type, obj)
        if event_type in _REFUND_EVENTS:
            refund = _refund(obj)
            stage = {"processed": "processed", "failed": "failed"}.get(refund.status, "created")
            return WebhookNotice(event_id, event_type, f"refund.{stage}", data, refund=refund)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise invalid from exc
    return WebhookNotice(event_id, event_type, "other", data)


def _session_notice(
    event: dict[str, Any], event_id: str, event_type: str, session: dict[str, Any]
) -> WebhookNotice:
    order_id = str(session["id"])
    if event_type == "checkout.session.expired":
        return WebhookNotice(event_id, event_type, "order.expired", event, order_id=order_id)
    intent = session.get("payment_intent")
    intent_id = str(intent.get("id") if isinstance(intent, dict) else intent or order_id)
    paid = session.get("payment_status") == "paid"
    if event_type == "checkout.session.async_payment_failed":
        kind, status = "payment.failed", "failed"
    elif paid:
        kind, status = "payment.captured", "captured"
    else:  # completed, but an async method (a bank debit) is still settling
        kind, status = "payment.authorized", "pending"
    payment = ProviderPayment(
        id=intent_id,
        order_id=order_id,
        amount=int(session["amount_total"]),
        currency=str(session["currency"]).upper(),
        status=status,
        method="stripe",
        raw=session,
    )
    return WebhookNotice(event_id, event_type, kind, event, payment=payment, order_id=order_id)
