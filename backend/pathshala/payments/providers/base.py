"""What the platform needs from a payment provider, in the provider's own terms (Razorpay's
model: an order is created first, the customer pays it in the provider's checkout, the
checkout hands back a payment id signed with HMAC-SHA256 over ``order_id|payment_id``)."""

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
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderPayment:
    id: str
    order_id: str | None
    amount: int
    currency: str
    status: str  # created, authorized, captured, refunded, failed
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


def hmac_sha256_hex(secret: str, message: str | bytes) -> str:
    body = message.encode() if isinstance(message, str) else message
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signatures_match(expected: str, given: str) -> bool:
    """Constant-time comparison; any string (non-ASCII too) is simply a mismatch."""
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))


class PaymentProvider(ABC):
    #: "razorpay" or "sandbox": stored on orders; tells the SPA which checkout to open
    name: str
    #: the public key the browser checkout is opened with
    key_id: str
    is_sandbox: bool = False

    @property
    @abstractmethod
    def _key_secret(self) -> str:
        """The secret the checkout's payment signatures are made with."""

    @abstractmethod
    def create_order(
        self, *, amount: int, currency: str, receipt: str, notes: dict[str, str]
    ) -> ProviderOrder: ...

    @abstractmethod
    def fetch_payment(self, payment_id: str) -> ProviderPayment: ...

    @abstractmethod
    def capture_payment(self, payment_id: str, *, amount: int, currency: str) -> ProviderPayment:
        """Capture an authorized payment (the money then reaches the merchant)."""

    @abstractmethod
    def fetch_order_payments(self, order_id: str) -> list[ProviderPayment]: ...

    @abstractmethod
    def refund(self, payment_id: str, *, amount: int, notes: dict[str, str]) -> ProviderRefund: ...

    def payment_signature(self, order_id: str, payment_id: str) -> str:
        return hmac_sha256_hex(self._key_secret, f"{order_id}|{payment_id}")

    def verify_payment_signature(self, order_id: str, payment_id: str, signature: str) -> bool:
        """The checkout's proof that ``payment_id`` was made for ``order_id``. The order id
        must be the one stored on the server, never the one the browser sent."""
        return signatures_match(self.payment_signature(order_id, payment_id), signature)
