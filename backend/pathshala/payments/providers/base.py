"""What the platform needs from a payment provider.

Every provider follows one model: the server opens an order (Razorpay's order, Stripe's
Checkout Session) at the database's price, the customer pays it in the provider's checkout,
and the server completes it only once the provider's API (or a signed webhook) says a payment
for that order and amount is captured. Two kinds of checkout exist:

- in-page (``SignedCheckoutProvider``: Razorpay and the sandbox): the checkout hands the
  browser a payment id signed with HMAC-SHA256 over ``order_id|payment_id``, sent to /verify;
- redirect (Stripe): the customer pays on the provider's page (``ProviderOrder.checkout_url``)
  and comes back to the SPA, which asks /confirm to look the order up with the provider.
"""

from __future__ import annotations

import hashlib
import hmac
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any


class ProviderError(Exception):
    """The provider could not do what was asked."""


class ProviderUnavailable(ProviderError):
    """The provider did not answer (connection refused, timed out): try again later."""


class ProviderFailed(ProviderError):
    """The provider answered with a server error (5xx, gateway error)."""


class ProviderRejected(ProviderError):
    """The provider refused the request (4xx): unknown id, already captured, ..."""


@dataclass(frozen=True)
class ProviderOrder:
    id: str
    amount: int
    currency: str
    status: str
    receipt: str | None = None
    #: where the customer pays (redirect checkouts); None for in-page checkouts
    checkout_url: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckoutContext:
    """What a provider's hosted checkout shows and where it sends the customer back."""

    title: str
    customer_email: str
    success_url: str
    cancel_url: str


@dataclass(frozen=True)
class ProviderPayment:
    id: str
    order_id: str | None
    amount: int
    currency: str
    status: str  # created, pending, authorized, captured, refunded, failed
    method: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_entity(cls, entity: dict[str, Any]) -> ProviderPayment:
        """From a Razorpay payment entity (API answer or webhook payload)."""
        return cls(
            id=str(entity["id"]),
            order_id=entity.get("order_id"),
            amount=int(entity["amount"]),
            currency=str(entity.get("currency") or "INR"),
            status=str(entity.get("status") or ""),
            method=entity.get("method"),
            raw=dict(entity),
        )


@dataclass(frozen=True)
class ProviderRefund:
    id: str
    payment_id: str
    amount: int
    currency: str
    status: str  # pending, processed, failed
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_entity(cls, entity: dict[str, Any]) -> ProviderRefund:
        return cls(
            id=str(entity["id"]),
            payment_id=str(entity["payment_id"]),
            amount=int(entity["amount"]),
            currency=str(entity.get("currency") or "INR"),
            status=str(entity.get("status") or "processed"),
            raw=dict(entity),
        )


@dataclass(frozen=True)
class WebhookNotice:
    """A verified webhook delivery in the platform's terms. ``kind`` is one of
    payment.captured, payment.authorized, payment.failed, order.expired, refund.created,
    refund.processed, refund.failed (anything else is recorded and ignored); ``event_type``
    is the provider's own name for it."""

    event_id: str
    event_type: str
    kind: str
    payload: dict[str, Any]
    payment: ProviderPayment | None = None
    refund: ProviderRefund | None = None
    #: the provider's order id the event is about (payment events name it on the payment)
    order_id: str | None = None


class WebhookRefused(Exception):
    """A delivery that is not accepted: a bad signature, or a body that is not an event."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def hmac_sha256_hex(secret: str, message: str | bytes) -> str:
    body = message.encode() if isinstance(message, str) else message
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signatures_match(expected: str, given: str) -> bool:
    """Constant-time comparison; any string (non-ASCII too) is simply a mismatch."""
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))


class PaymentProvider(ABC):
    #: "razorpay", "sandbox" or "stripe": stored on orders; tells the SPA which checkout to open
    name: str
    #: the public key an in-page checkout is opened with (None for redirect checkouts)
    key_id: str | None
    is_sandbox: bool = False
    #: the customer pays on the provider's own page (``ProviderOrder.checkout_url``)
    redirects: bool = False

    @abstractmethod
    def create_order(
        self,
        *,
        amount: int,
        currency: str,
        receipt: str,
        notes: dict[str, str],
        context: CheckoutContext,
    ) -> ProviderOrder: ...

    def open_checkout_url(self, order_id: str) -> str | None:
        """Where the customer can still pay this open order (redirect checkouts); None when
        it can no longer be paid there. In-page checkouts reopen any open order."""
        return None

    @abstractmethod
    def fetch_payment(self, payment_id: str) -> ProviderPayment: ...

    @abstractmethod
    def capture_payment(self, payment_id: str, *, amount: int, currency: str) -> ProviderPayment:
        """Capture an authorized payment (the money then reaches the merchant)."""

    @abstractmethod
    def fetch_order_payments(self, order_id: str) -> list[ProviderPayment]: ...

    @abstractmethod
    def refund(self, payment_id: str, *, amount: int, notes: dict[str, str]) -> ProviderRefund: ...


class SignedCheckoutProvider(PaymentProvider):
    """An in-page checkout that hands the browser HMAC-signed payment ids (Razorpay's)."""

    key_id: str

    @property
    @abstractmethod
    def _key_secret(self) -> str:
        """The secret the checkout's payment signatures are made with."""

    def payment_signature(self, order_id: str, payment_id: str) -> str:
        return hmac_sha256_hex(self._key_secret, f"{order_id}|{payment_id}")

    def verify_payment_signature(self, order_id: str, payment_id: str, signature: str) -> bool:
        """The checkout's proof that ``payment_id`` was made for ``order_id``. The order id
        must be the one stored on the server, never the one the browser sent."""
        return signatures_match(self.payment_signature(order_id, payment_id), signature)
