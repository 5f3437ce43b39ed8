"""The payment sandbox of the embedded setup: no Razorpay account, no network.

It behaves like Razorpay where the platform can tell: orders get ids (``order_sbx_…``), the
sandbox checkout "pays" an order by handing back a payment id and an HMAC-SHA256 signature
over ``order_id|payment_id``, and ``/verify`` checks that signature and fetches the payment
exactly as it does with Razorpay.

It keeps no state, so every worker process (and the reconcile command) agrees with every
other: a payment id carries its order, amount, currency and status, sealed with a MAC. The
secret is derived from the JWT secret, which all workers of one installation share.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct

from pathshala.payments.providers.base import (
    CheckoutContext,
    ProviderOrder,
    ProviderPayment,
    ProviderRefund,
    ProviderRejected,
    SignedCheckoutProvider,
)

ORDER_PREFIX = "order_sbx_"
PAYMENT_PREFIX = "pay_sbx_"
_ORDER_NONCE_BYTES = 10
_STATUS_CODES = {"captured": b"c", "authorized": b"a", "failed": b"f"}
_STATUS_NAMES = {code: name for name, code in _STATUS_CODES.items()}
# order nonce, amount, currency, status, payment nonce
_LAYOUT = struct.Struct(f">{_ORDER_NONCE_BYTES}sI3s1s3s")
_MAC_BYTES = 8


def _b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode().rstrip("=").lower()


def _unb32(text: str) -> bytes:
    return base64.b32decode(text.upper() + "=" * (-len(text) % 8))


class SandboxProvider(SignedCheckoutProvider):
    name = "sandbox"
    key_id = "rzp_test_sandbox"
    is_sandbox = True

    def __init__(self, installation_secret: str) -> None:
        self._secret = hmac.new(
            installation_secret.encode(), b"pathshala payment sandbox", hashlib.sha256
        ).hexdigest()

    @property
    def _key_secret(self) -> str:
        return self._secret

    # ---- the checkout (what the customer's bank and Checkout.js would do) ----------------

    def pay(self, order_id: str, *, amount: int, currency: str, outcome: str) -> ProviderPayment:
        """Pay (outcome "success") or fail to pay ("fail") an order of this sandbox."""
        status = "captured" if outcome == "success" else "failed"
        nonce = self._order_nonce(order_id)
        payload = _LAYOUT.pack(
            nonce, amount, currency.encode()[:3], _STATUS_CODES[status], secrets.token_bytes(3)
        )
        payment_id = PAYMENT_PREFIX + _b32(payload + self._mac(payload))
        return ProviderPayment(
            id=payment_id, order_id=order_id, amount=amount, currency=currency, status=status
        )

    # ---- the provider interface ----------------------------------------------------------

    def create_order(
        self,
        *,
        amount: int,
        currency: str,
        receipt: str,
        notes: dict[str, str],
        context: CheckoutContext,
    ) -> ProviderOrder:
        order_id = ORDER_PREFIX + _b32(secrets.token_bytes(_ORDER_NONCE_BYTES))
        return ProviderOrder(
            id=order_id, amount=amount, currency=currency, status="created", receipt=receipt
        )

    def fetch_payment(self, payment_id: str) -> ProviderPayment:
        nonce, amount, currency, status = self._open(payment_id)
        return ProviderPayment(
            id=payment_id,
            order_id=ORDER_PREFIX + _b32(nonce),
            amount=amount,
            currency=currency,
            status=status,
            method="sandbox",
            raw={"id": payment_id, "entity": "payment", "status": status, "sandbox": True},
        )

    def capture_payment(self, payment_id: str, *, amount: int, currency: str) -> ProviderPayment:
        payment = self.fetch_payment(payment_id)
        if payment.status != "authorized":
            raise ProviderRejected("This payment has already been captured or has failed.")
        if (payment.amount, payment.currency) != (amount, currency):
            raise ProviderRejected("Capture amount must be equal to the amount authorized.")
        return ProviderPayment(
            id=payment.id,
            order_id=payment.order_id,
            amount=payment.amount,
            currency=payment.currency,
            status="captured",
            method="sandbox",
            raw={**payment.raw, "status": "captured"},
        )

    def fetch_order_payments(self, order_id: str) -> list[ProviderPayment]:
        # Stateless: the sandbox cannot list what was paid. A sandbox checkout whose /verify
        # never came is simply abandoned; reconciliation expires its order.
        self._order_nonce(order_id)
        return []

    def refund(self, payment_id: str, *, amount: int, notes: dict[str, str]) -> ProviderRefund:
        payment = self.fetch_payment(payment_id)
        return ProviderRefund(
            id="rfnd_sbx_" + _b32(secrets.token_bytes(10)),
            payment_id=payment.id,
            amount=amount,
            currency=payment.currency,
            status="processed",
            raw={"sandbox": True},
        )

    # ---- sealing ids ------------------------------------------------------------------------

    def _mac(self, payload: bytes) -> bytes:
        return hmac.new(self._secret.encode(), payload, hashlib.sha256).digest()[:_MAC_BYTES]

    def _order_nonce(self, order_id: str) -> bytes:
        try:
            if order_id.startswith(ORDER_PREFIX):
                nonce = _unb32(order_id[len(ORDER_PREFIX) :])
                if len(nonce) == _ORDER_NONCE_BYTES:
                    return nonce
        except ValueError:
            pass
        raise ProviderRejected("The id provided does not exist")

    def _open(self, payment_id: str) -> tuple[bytes, int, str, str]:
        try:
            if not payment_id.startswith(PAYMENT_PREFIX):
                raise ValueError("not a sandbox payment id")
            raw = _unb32(payment_id[len(PAYMENT_PREFIX) :])
            payload, mac = raw[: _LAYOUT.size], raw[_LAYOUT.size :]
            if len(raw) != _LAYOUT.size + _MAC_BYTES or not hmac.compare_digest(
                mac, self._mac(payload)
            ):
                raise ValueError("not sealed by this sandbox")
            nonce, amount, currency, status, _ = _LAYOUT.unpack(payload)
            return nonce, amount, currency.decode(), _STATUS_NAMES[status]
        except (ValueError, KeyError, UnicodeDecodeError) as exc:
            raise ProviderRejected("The id provided does not exist") from exc
