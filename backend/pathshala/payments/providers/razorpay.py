"""Razorpay through its official SDK (razorpay-python 2.x), pointed at BACKEND_RAZORPAY_API_URL.

The SDK raises ``BadRequestError`` for 4xx answers, ``GatewayError``/``ServerError`` for
5xx (and for any answer it cannot classify), and lets ``requests`` exceptions through when
Razorpay cannot be reached; each becomes one of the provider errors of ``base``. Retries
stay off: the caller decides (verify answers 503 and reconciliation tries again later).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import razorpay
import requests
from razorpay.errors import BadRequestError, GatewayError, ServerError

from pathshala.payments.providers.base import (
    CheckoutContext,
    ProviderFailed,
    ProviderOrder,
    ProviderPayment,
    ProviderRefund,
    ProviderRejected,
    ProviderUnavailable,
    SignedCheckoutProvider,
    WebhookNotice,
    WebhookRefused,
    hmac_sha256_hex,
    signatures_match,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
#: (connect, read) seconds: a webhook or a verify waiting on Razorpay must not hang a worker
TIMEOUT = (5, 15)


class RazorpayProvider(SignedCheckoutProvider):
    name = "razorpay"

    def __init__(self, *, key_id: str, key_secret: str, api_url: str) -> None:
        self.key_id = key_id
        self._secret = key_secret
        self._api_url = api_url.rstrip("/")
        # requests.Session is not thread-safe; each thread of a worker gets its own client.
        self._local = threading.local()

    @property
    def _key_secret(self) -> str:
        return self._secret

    def _client(self) -> razorpay.Client:
        client = getattr(self._local, "client", None)
        if client is None:
            client = razorpay.Client(auth=(self.key_id, self._secret), base_url=self._api_url)
            client.set_app_details({"title": "Pathshala", "version": "1"})
            self._local.client = client
        return client

    def _call(
        self,
        what: str,
        request: Callable[[razorpay.Client], Any],
        parse: Callable[[Any], T],
    ) -> T:
        try:
            return parse(request(self._client()))
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("razorpay answered an unknown shape on %s: %s", what, exc)
            raise ProviderFailed(f"Razorpay gave an unreadable answer ({what}).") from exc
        except BadRequestError as exc:
            raise ProviderRejected(f"Razorpay refused to {what}: {exc}") from exc
        except (GatewayError, ServerError) as exc:
            log.warning("razorpay error on %s: %s", what, exc)
            raise ProviderFailed(f"Razorpay failed to {what}: {exc}") from exc
        except (requests.ConnectionError, requests.Timeout) as exc:
            log.warning("razorpay unreachable on %s: %s", what, exc)
            raise ProviderUnavailable(f"Razorpay did not answer ({what}).") from exc
        except requests.RequestException as exc:
            # An answer that is not JSON (a proxy's HTML error page): a failure upstream.
            log.warning("razorpay answered nonsense on %s: %s", what, exc)
            raise ProviderFailed(f"Razorpay gave an unreadable answer ({what}).") from exc

    def create_order(
        self,
        *,
        amount: int,
        currency: str,
        receipt: str,
        notes: dict[str, str],
        context: CheckoutContext,
    ) -> ProviderOrder:
        body = {"amount": amount, "currency": currency, "receipt": receipt, "notes": notes}
        return self._call(
            "create an order", lambda c: c.order.create(data=body, timeout=TIMEOUT), _order
        )

    def fetch_payment(self, payment_id: str) -> ProviderPayment:
        return self._call(
            "fetch a payment",
            lambda c: c.payment.fetch(payment_id, timeout=TIMEOUT),
            ProviderPayment.from_entity,
        )

    def capture_payment(self, payment_id: str, *, amount: int, currency: str) -> ProviderPayment:
        return self._call(
            "capture a payment",
            lambda c: c.payment.capture(
                payment_id, amount, data={"currency": currency}, timeout=TIMEOUT
            ),
            ProviderPayment.from_entity,
        )

    def fetch_order_payments(self, order_id: str) -> list[ProviderPayment]:
        return self._call(
            "list an order's payments",
            lambda c: c.order.payments(order_id, timeout=TIMEOUT),
            lambda collection: [ProviderPayment.from_entity(item) for item in _items(collection)],
        )

    def refund(self, payment_id: str, *, amount: int, notes: dict[str, str]) -> ProviderRefund:
        body = {"amount": amount, "speed": "normal", "notes": notes}
        return self._call(
            "refund a payment",
            lambda c: c.payment.refund(payment_id, body, timeout=TIMEOUT),
            ProviderRefund.from_entity,
        )


def _order(entity: dict[str, Any]) -> ProviderOrder:
    return ProviderOrder(
        id=str(entity["id"]),
        amount=int(entity["amount"]),
        currency=str(entity.get("currency") or "INR"),
        status=str(entity.get("status") or "created"),
        receipt=entity.get("receipt"),
        raw=dict(entity),
    )


def _items(collection: Any) -> list[dict[str, Any]]:
    if isinstance(collection, dict) and isinstance(collection.get("items"), list):
        return [item for item in collection["items"] if isinstance(item, dict)]
    raise ValueError("not a collection of payments")


# ---- webhooks ------------------------------------------------------------------------------
#: Razorpay's event names are already the platform's kinds; refund.* carry their stage
_KINDS = {
    "payment.captured": "payment.captured",
    "order.paid": "payment.captured",
    "payment.authorized": "payment.authorized",
    "payment.failed": "payment.failed",
    "refund.created": "refund.created",
    "refund.processed": "refund.processed",
    "refund.failed": "refund.failed",
}


def read_webhook(
    raw: bytes, *, signature: str | None, event_id: str | None, secret: str
) -> WebhookNotice:
    """A Razorpay delivery, verified: ``X-Razorpay-Signature`` is HMAC-SHA256 of the raw body
    with the webhook secret. The event id is ``X-Razorpay-Event-Id`` (redeliveries keep it),
    else the body's digest."""
    if not signature or not signatures_match(hmac_sha256_hex(secret, raw), signature.strip()):
        raise WebhookRefused("invalid_signature", "The webhook signature is not valid.")
    invalid = WebhookRefused("invalid_payload", "The webhook body is not a Razorpay event.")
    try:
        event = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid from exc
    if not isinstance(event, dict) or not isinstance(event.get("event"), str):
        raise invalid
    payload = event.get("payload") if isinstance(event.get("payload"), dict) else {}
    try:
        payment_entity = _entity(payload, "payment")
        refund_entity = _entity(payload, "refund")
        payment = ProviderPayment.from_entity(payment_entity) if payment_entity else None
        refund = ProviderRefund.from_entity(refund_entity) if refund_entity else None
    except (KeyError, TypeError, ValueError) as exc:
        raise invalid from exc
    event_id = (event_id or "").strip() or str(event.get("id") or "").strip()
    if not event_id or len(event_id) > 100:
        event_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    event_type = event["event"][:60]
    return WebhookNotice(
        event_id=event_id,
        event_type=event_type,
        kind=_KINDS.get(event_type, "other"),
        payload=event,
        payment=payment,
        refund=refund,
        order_id=payment.order_id if payment else None,
    )


def _entity(payload: dict[str, Any], name: str) -> dict[str, Any] | None:
    wrapper = payload.get(name)
    if isinstance(wrapper, dict) and isinstance(wrapper.get("entity"), dict):
        return wrapper["entity"]
    return None
