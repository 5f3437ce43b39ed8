"""Razorpay's REST API, locally: the paths and JSON shapes the razorpay-python SDK uses for
orders (create, fetch, list payments), payments (fetch, capture, refund), with HTTP basic
auth, Razorpay's error bodies, and switches for a bad day (5xx answers, connections dropped).

The customer's side is here too: ``pay(order_id)`` makes the payment Checkout.js would (a
captured, authorized or failed payment; any amount, to test what the server refuses), and
``checkout_response`` signs it like Checkout.js hands it to the browser. ``webhook(...)``
builds a signed webhook delivery.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import string
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from tests.fakes.http import start_local_server

KEY_ID = "rzp_test_FakeKey0001"
ALPHABET = string.ascii_letters + string.digits


def _id(prefix: str) -> str:
    return prefix + "".join(secrets.choice(ALPHABET) for _ in range(14))


def sign(secret: str, message: str | bytes) -> str:
    body = message.encode() if isinstance(message, str) else message
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class RazorpayError(Exception):
    def __init__(self, status: int, code: str, description: str) -> None:
        super().__init__(description)
        self.status, self.code, self.description = status, code, description

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "description": self.description,
                "source": "business" if self.status < 500 else "internal",
                "step": "payment_initiation",
                "reason": "input_validation_failed" if self.status < 500 else "server_error",
                "metadata": {},
            }
        }


def _bad_request(description: str) -> RazorpayError:
    return RazorpayError(400, "BAD_REQUEST_ERROR", description)


class FakeRazorpay:
    key_id = KEY_ID

    def __init__(self) -> None:
        self.key_secret = "fake-key-secret-" + secrets.token_hex(12)
        self.webhook_secret = "fake-webhook-secret-" + secrets.token_hex(12)
        self.orders: dict[str, dict[str, Any]] = {}
        self.payments: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._failure: tuple[int, int] | None = None  # (status, how many more; -1 forever)
        self._dropping = False
        self._server, self.url = start_local_server(self._serve)

    def settings(self, **overrides: str) -> dict[str, str]:
        """make_app overrides that point the app's Razorpay provider at this fake."""
        values = {
            "BACKEND_RAZORPAY_KEY_ID": self.key_id,
            "BACKEND_RAZORPAY_SECRET": self.key_secret,
            "BACKEND_RAZORPAY_WEBHOOK_SECRET": self.webhook_secret,
            "BACKEND_RAZORPAY_API_URL": self.url,
            "BACKEND_PAYMENT_PROVIDER": "razorpay",
            "BACKEND_PAYMENT_SANDBOX": "false",
        }
        values.update(overrides)
        return values

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ---- a bad day ------------------------------------------------------------------------

    def fail(self, status: int = 500, times: int = -1) -> None:
        """Answer the next ``times`` requests (-1: all) with a Razorpay server error."""
        with self._lock:
            self._failure = (status, times)

    def drop_connections(self) -> None:
        """Close every connection without an answer, as a host that is down would."""
        with self._lock:
            self._dropping = True

    def recover(self) -> None:
        with self._lock:
            self._failure, self._dropping = None, False

    @contextmanager
    def outage(self, status: int | None = None) -> Iterator[None]:
        """Down (connections dropped) or answering ``status`` for the duration."""
        if status is None:
            self.drop_connections()
        else:
            self.fail(status)
        try:
            yield
        finally:
            self.recover()

    def calls(self, method: str, path_part: str) -> int:
        with self._lock:
            return sum(1 for m, p in self.requests if m == method and path_part in p)

    # ---- the customer's side ---------------------------------------------------------------

    def pay(
        self,
        order_id: str,
        *,
        amount: int | None = None,
        currency: str | None = None,
        status: str = "captured",
        method: str = "upi",
    ) -> dict[str, Any]:
        """A payment for ``order_id`` as the checkout would make it (the amount may differ
        from the order's, to play a tampered or broken checkout)."""
        with self._lock:
            order = self.orders[order_id]
            payment = {
                "id": _id("pay_"),
                "entity": "payment",
                "amount": order["amount"] if amount is None else amount,
                "currency": currency or order["currency"],
                "status": status,
                "order_id": order_id,
                "invoice_id": None,
                "international": False,
                "method": method,
                "amount_refunded": 0,
                "refund_status": None,
                "captured": status == "captured",
                "description": "Pathshala course",
                "card_id": None,
                "bank": None,
                "wallet": None,
                "vpa": "success@razorpay" if method == "upi" else None,
                "email": "student@example.com",
                "contact": "+919000090000",
                "notes": [],
                "fee": None,
                "tax": None,
                "error_code": "BAD_REQUEST_ERROR" if status == "failed" else None,
                "error_description": "Payment failed" if status == "failed" else None,
                "created_at": int(time.time()),
            }
            self.payments[payment["id"]] = payment
            order["attempts"] += 1
            order["status"] = "attempted"
            if status == "captured":
                self._order_paid(order, payment)
            return dict(payment)

    def checkout_response(self, order_id: str, payment_id: str) -> dict[str, str]:
        """What Checkout.js hands the browser: ids and the signature over order|payment."""
        return {
            "razorpay_order_id": order_id,
            "razorpay_payment_id": payment_id,
            "razorpay_signature": sign(self.key_secret, f"{order_id}|{payment_id}"),
        }

    def webhook(
        self,
        event: str,
        *,
        payment_id: str | None = None,
        refund_id: str | None = None,
        event_id: str | None = None,
        secret: str | None = None,
    ) -> tuple[bytes, dict[str, str]]:
        """A signed delivery of ``event`` about a payment (and refund) this fake knows."""
        payload: dict[str, Any] = {}
        with self._lock:
            if payment_id is not None:
                payment = self.payments[payment_id]
                payload["payment"] = {"entity": dict(payment)}
                if event == "order.paid":
                    payload["order"] = {"entity": dict(self.orders[payment["order_id"]])}
            if refund_id is not None:
                payload["refund"] = {"entity": dict(self.refunds[refund_id])}
        return self.delivery(
            {
                "entity": "event",
                "account_id": "acc_FakeAccount01",
                "event": event,
                "contains": sorted(payload),
                "payload": payload,
                "created_at": int(time.time()),
            },
            event_id=event_id,
            secret=secret,
        )

    def delivery(
        self,
        body: dict[str, Any] | bytes,
        *,
        event_id: str | None = None,
        secret: str | None = None,
    ) -> tuple[bytes, dict[str, str]]:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Razorpay-Signature": sign(secret or self.webhook_secret, raw),
            "X-Razorpay-Event-Id": event_id or _id("evt_"),
        }
        return raw, headers

    def refund_outside(self, payment_id: str, amount: int | None = None) -> dict[str, Any]:
        """A refund made in Razorpay's dashboard, not through the platform."""
        with self._lock:
            return self._refund(self.payments[payment_id], {"amount": amount} if amount else {})

    # ---- the API ---------------------------------------------------------------------------

    def _serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        path = handler.path.split("?", 1)[0]
        with self._lock:
            self.requests.append((method, path))
            if self._dropping:
                handler.close_connection = True
                return  # no status line: the client sees the connection closed
            failure = self._failure
            if failure is not None:
                status, times = failure
                if times > 0:
                    self._failure = (status, times - 1) if times > 1 else None
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            if failure is not None:
                raise RazorpayError(
                    failure[0],
                    "SERVER_ERROR",
                    "We are facing some trouble completing your request at the moment.",
                )
            self._authenticate(handler.headers.get("Authorization", ""))
            body = json.loads(raw) if raw else {}
            with self._lock:
                status, answer = 200, self._route(method, path, body)
        except RazorpayError as exc:
            status, answer = exc.status, exc.body()
        except (ValueError, KeyError) as exc:
            status, answer = 400, _bad_request(f"Bad request: {exc}").body()
        data = json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _authenticate(self, header: str) -> None:
        expected = "Basic " + base64.b64encode(f"{self.key_id}:{self.key_secret}".encode()).decode()
        if not hmac.compare_digest(header, expected):
            raise RazorpayError(401, "BAD_REQUEST_ERROR", "Authentication failed")

    def _route(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        parts = [part for part in path.split("/") if part]
        if parts[:1] != ["v1"]:
            raise RazorpayError(404, "BAD_REQUEST_ERROR", "The requested URL was not found")
        parts = parts[1:]
        if method == "POST" and parts == ["orders"]:
            return self._create_order(body)
        if method == "GET" and len(parts) == 2 and parts[0] == "orders":
            return dict(self._order(parts[1]))
        if method == "GET" and len(parts) == 3 and parts[0] == "orders" and parts[2] == "payments":
            self._order(parts[1])
            items = [dict(p) for p in self.payments.values() if p["order_id"] == parts[1]]
            return {"entity": "collection", "count": len(items), "items": items}
        if method == "GET" and len(parts) == 2 and parts[0] == "payments":
            return dict(self._payment(parts[1]))
        if method == "POST" and len(parts) == 3 and parts[0] == "payments":
            if parts[2] == "capture":
                return self._capture(self._payment(parts[1]), body)
            if parts[2] == "refund":
                return self._refund(self._payment(parts[1]), body)
        raise RazorpayError(404, "BAD_REQUEST_ERROR", "The requested URL was not found")

    def _order(self, order_id: str) -> dict[str, Any]:
        if order_id not in self.orders:
            raise _bad_request("The id provided does not exist")
        return self.orders[order_id]

    def _payment(self, payment_id: str) -> dict[str, Any]:
        if payment_id not in self.payments:
            raise _bad_request("The id provided does not exist")
        return self.payments[payment_id]

    def _create_order(self, body: dict[str, Any]) -> dict[str, Any]:
        amount = body.get("amount")
        if not isinstance(amount, int) or amount < 100:
            raise _bad_request("The amount must be atleast INR 1.00")
        receipt = body.get("receipt")
        if receipt is not None and (not isinstance(receipt, str) or len(receipt) > 40):
            raise _bad_request("receipt: the length must not be greater than 40.")
        if any(order["receipt"] == receipt for order in self.orders.values() if receipt):
            raise _bad_request("Duplicate receipt")
        order = {
            "id": _id("order_"),
            "entity": "order",
            "amount": amount,
            "amount_paid": 0,
            "amount_due": amount,
            "currency": body.get("currency") or "INR",
            "receipt": receipt,
            "offer_id": None,
            "status": "created",
            "attempts": 0,
            "notes": body.get("notes") or [],
            "created_at": int(time.time()),
        }
        self.orders[order["id"]] = order
        return dict(order)

    def _order_paid(self, order: dict[str, Any], payment: dict[str, Any]) -> None:
        order["status"] = "paid"
        order["amount_paid"] = payment["amount"]
        order["amount_due"] = max(0, order["amount"] - payment["amount"])

    def _capture(self, payment: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        if payment["status"] != "authorized":
            raise _bad_request("This payment has already been captured")
        if body.get("amount") != payment["amount"]:
            raise _bad_request("Capture amount must be equal to the amount authorized")
        if body.get("currency", payment["currency"]) != payment["currency"]:
            raise _bad_request("Currency should be same as that of payment currency")
        payment["status"], payment["captured"] = "captured", True
        self._order_paid(self.orders[payment["order_id"]], payment)
        return dict(payment)

    def _refund(self, payment: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        if payment["status"] not in ("captured", "refunded"):
            raise _bad_request("The payment has not been captured")
        remaining = payment["amount"] - payment["amount_refunded"]
        amount = body.get("amount") or remaining
        if amount <= 0 or amount > remaining:
            raise _bad_request("The refund amount provided is greater than amount captured")
        refund = {
            "id": _id("rfnd_"),
            "entity": "refund",
            "amount": amount,
            "currency": payment["currency"],
            "payment_id": payment["id"],
            "notes": body.get("notes") or [],
            "receipt": None,
            "acquirer_data": {"arn": None},
            "created_at": int(time.time()),
            "batch_id": None,
            "status": "processed",
            "speed_processed": "normal",
            "speed_requested": body.get("speed") or "normal",
        }
        self.refunds[refund["id"]] = refund
        payment["amount_refunded"] += amount
        full = payment["amount_refunded"] == payment["amount"]
        payment["refund_status"] = "full" if full else "partial"
        if full:
            payment["status"] = "refunded"
        return dict(refund)


@pytest.fixture(scope="module")
def razorpay() -> Iterator[FakeRazorpay]:
    fake = FakeRazorpay()
    yield fake
    fake.close()


@pytest.fixture(autouse=True)
def _razorpay_recovers(request) -> Iterator[None]:
    """Each test starts with Razorpay answering normally."""
    yield
    if "razorpay" in request.fixturenames:
        request.getfixturevalue("razorpay").recover()


def fresh_event_id() -> str:
    return "evt_" + uuid.uuid4().hex[:14]
