"""Stripe's REST API, locally: the paths, form-encoded bodies and JSON shapes stripe-python
uses for Checkout Sessions (create, retrieve with ``expand[]=payment_intent``, list by
payment_intent), PaymentIntents (retrieve, capture) and Refunds (create), with bearer-key
auth, ``Idempotency-Key`` replays, Stripe's error bodies, and switches for a bad day.

The customer's side is here too: ``pay(session_id)`` completes a session as Stripe's hosted
page would (paid, or left settling with an async method), ``expire`` lets it lapse, and
``event(...)`` builds a delivery signed like Stripe's (``Stripe-Signature: t=…,v1=…``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import string
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl

import pytest

from tests.fakes.http import start_local_server

ALPHABET = string.ascii_letters + string.digits


def _id(prefix: str, length: int = 24) -> str:
    return prefix + "".join(secrets.choice(ALPHABET) for _ in range(length))


def stripe_signature(secret: str, raw: bytes, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header Stripe sends with a webhook delivery."""
    stamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + raw, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def _unflatten(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding (``line_items[0][price_data][currency]=inr``) back to objects;
    numeric keys become list positions."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        if key.endswith("[]"):  # expand[]=a&expand[]=b
            root.setdefault(key[:-2], []).append(value)
            continue
        parts = key.replace("]", "").split("[")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _lists(root)


def _lists(node: Any) -> Any:
    if isinstance(node, dict):
        if node and all(key.isdigit() for key in node):
            return [_lists(node[key]) for key in sorted(node, key=int)]
        return {key: _lists(value) for key, value in node.items()}
    return node


class StripeError(Exception):
    def __init__(self, status: int, message: str, kind: str = "invalid_request_error") -> None:
        super().__init__(message)
        self.status, self.message, self.kind = status, message, kind

    def body(self) -> dict[str, Any]:
        return {"error": {"type": self.kind, "message": self.message}}


class FakeStripe:
    def __init__(self) -> None:
        self.secret_key = "sk_test_fake" + secrets.token_hex(12)
        self.webhook_secret = "whsec_fake" + secrets.token_hex(12)
        self.sessions: dict[str, dict[str, Any]] = {}
        self.intents: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str]] = []
        self.bodies: list[dict[str, Any]] = []
        self._idempotent: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._failure: int | None = None
        self._dropping = False
        self._server, self.url = start_local_server(self._serve)

    def settings(self, **overrides: str) -> dict[str, str]:
        """make_app overrides that make Stripe the provider, pointed at this fake."""
        values = {
            "BACKEND_PAYMENT_PROVIDER": "stripe",
            "BACKEND_PAYMENT_SANDBOX": "false",
            "BACKEND_STRIPE_SECRET_KEY": self.secret_key,
            "BACKEND_STRIPE_WEBHOOK_SECRET": self.webhook_secret,
            "BACKEND_STRIPE_API_URL": self.url,
            "BACKEND_RAZORPAY_KEY_ID": "",
            "BACKEND_RAZORPAY_SECRET": "",
        }
        values.update(overrides)
        return values

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ---- a bad day ------------------------------------------------------------------------

    @contextmanager
    def outage(self, status: int | None = None) -> Iterator[None]:
        """Down (connections dropped) or answering ``status`` for the duration."""
        with self._lock:
            if status is None:
                self._dropping = True
            else:
                self._failure = status
        try:
            yield
        finally:
            self.recover()

    def recover(self) -> None:
        with self._lock:
            self._failure, self._dropping = None, False

    def calls(self, method: str, path_part: str) -> int:
        with self._lock:
            return sum(1 for m, p in self.requests if m == method and path_part in p)

    # ---- the customer's side ---------------------------------------------------------------

    def pay(self, session_id: str, *, settling: bool = False) -> dict[str, Any]:
        """Complete the session on Stripe's page: paid at once (a card), or completed with an
        async method whose money has not arrived yet (``settling``)."""
        with self._lock:
            session = self.sessions[session_id]
            intent = {
                "id": _id("pi_"),
                "object": "payment_intent",
                "amount": session["amount_total"],
                "amount_received": 0 if settling else session["amount_total"],
                "currency": session["currency"],
                "status": "processing" if settling else "succeeded",
                "metadata": dict(session["payment_intent_data_metadata"]),
                "latest_charge": None if settling else _id("ch_"),
                "created": int(time.time()),
                "livemode": False,
            }
            self.intents[intent["id"]] = intent
            session.update(
                status="complete",
                payment_status="unpaid" if settling else "paid",
                payment_intent=intent["id"],
                url=None,
            )
            return dict(session)

    def settle(self, session_id: str, *, succeeded: bool = True) -> dict[str, Any]:
        """The async payment of a completed session arrives (or fails)."""
        with self._lock:
            session = self.sessions[session_id]
            intent = self.intents[session["payment_intent"]]
            if succeeded:
                intent.update(status="succeeded", amount_received=intent["amount"])
                session["payment_status"] = "paid"
            else:
                intent["status"] = "requires_payment_method"
            return dict(session)

    def expire(self, session_id: str) -> dict[str, Any]:
        with self._lock:
            session = self.sessions[session_id]
            session.update(status="expired", url=None)
            return dict(session)

    def refund_outside(self, intent_id: str, amount: int | None = None) -> dict[str, Any]:
        """A refund made in Stripe's dashboard, not through the platform."""
        with self._lock:
            return self._refund({"payment_intent": intent_id, "amount": amount})

    def event(
        self,
        event_type: str,
        obj: dict[str, Any],
        *,
        event_id: str | None = None,
        secret: str | None = None,
        timestamp: int | None = None,
    ) -> tuple[bytes, dict[str, str]]:
        """A signed delivery of ``event_type`` carrying ``obj`` (a session or refund)."""
        body = {
            "id": event_id or _id("evt_"),
            "object": "event",
            "api_version": "2026-10-28.endive",
            "created": int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "type": event_type,
            "data": {"object": obj},
        }
        raw = json.dumps(body).encode()
        signature = stripe_signature(secret or self.webhook_secret, raw, timestamp)
        return raw, {"Content-Type": "application/json", "Stripe-Signature": signature}

    # ---- the API ---------------------------------------------------------------------------

    def _serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        path, _, query = handler.path.partition("?")
        with self._lock:
            self.requests.append((method, path))
            if self._dropping:
                handler.close_connection = True
                return
            failure = self._failure
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length).decode() if length else ""
        body = _unflatten(parse_qsl(raw if method == "POST" else query, keep_blank_values=True))
        try:
            if failure is not None:
                raise StripeError(failure, "An unknown error occurred", "api_error")
            if handler.headers.get("Authorization") != f"Bearer {self.secret_key}":
                raise StripeError(401, "Invalid API Key provided", "invalid_request_error")
            key = handler.headers.get("Idempotency-Key")
            with self._lock:
                self.bodies.append(body)
                if method == "POST" and key and key in self._idempotent:
                    answer = self._idempotent[key]
                else:
                    answer = self._route(method, path, body)
                    if method == "POST" and key:
                        self._idempotent[key] = answer
            status = 200
        except StripeError as exc:
            status, answer = exc.status, exc.body()
        data = json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Request-Id", _id("req_", 14))
        handler.end_headers()
        handler.wfile.write(data)

    def _route(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        parts = [part for part in path.split("/") if part]
        if parts[:1] != ["v1"]:
            raise StripeError(404, f"Unrecognized request URL ({method}: {path}).")
        parts = parts[1:]
        if parts == ["checkout", "sessions"]:
            if method == "POST":
                return self._create_session(body)
            return self._list_sessions(body)
        if method == "GET" and len(parts) == 3 and parts[:2] == ["checkout", "sessions"]:
            session = dict(self._get(self.sessions, parts[2], "checkout.session"))
            if "payment_intent" in (body.get("expand") or []) and session["payment_intent"]:
                session["payment_intent"] = dict(self.intents[session["payment_intent"]])
            return session
        if method == "GET" and len(parts) == 2 and parts[0] == "payment_intents":
            return dict(self._get(self.intents, parts[1], "payment_intent"))
        if method == "POST" and len(parts) == 3 and parts[0] == "payment_intents":
            if parts[2] == "capture":
                return self._capture(self._get(self.intents, parts[1], "payment_intent"), body)
        if method == "POST" and parts == ["refunds"]:
            return self._refund(body)
        raise StripeError(404, f"Unrecognized request URL ({method}: {path}).")

    @staticmethod
    def _get(table: dict[str, dict[str, Any]], key: str, kind: str) -> dict[str, Any]:
        if key not in table:
            raise StripeError(404, f"No such {kind}: '{key}'")
        return table[key]

    def _create_session(self, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("mode") != "payment":
            raise StripeError(400, "Missing required param: mode.")
        items = body.get("line_items") or []
        if len(items) != 1:
            raise StripeError(400, "Fake Stripe takes exactly one line item.")
        price = items[0]["price_data"]
        amount = int(price["unit_amount"])
        for url in ("success_url", "cancel_url"):
            if not str(body.get(url, "")).startswith(("http://", "https://")):
                raise StripeError(400, f"Not a valid URL: {url}")
        session_id = _id("cs_test_a1", 56)  # real ids are this long (66 characters)
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": "payment",
            "amount_total": amount * int(items[0].get("quantity") or 1),
            "amount_subtotal": amount,
            "currency": price["currency"],
            "client_reference_id": body.get("client_reference_id"),
            "customer_email": body.get("customer_email"),
            "metadata": body.get("metadata") or {},
            "payment_intent": None,
            "payment_status": "unpaid",
            "status": "open",
            "success_url": body["success_url"],
            "cancel_url": body["cancel_url"],
            "expires_at": int(body.get("expires_at") or time.time() + 86400),
            "url": f"{self.url}/pay/{session_id}",
            "line_items_name": price.get("product_data", {}).get("name"),
            "payment_intent_data_metadata": (body.get("payment_intent_data") or {}).get("metadata")
            or {},
            "livemode": False,
        }
        self.sessions[session_id] = session
        return dict(session)

    def _list_sessions(self, query: dict[str, Any]) -> dict[str, Any]:
        wanted = query.get("payment_intent")
        found = [dict(s) for s in self.sessions.values() if s["payment_intent"] == wanted]
        listing = {"object": "list", "data": found[:1], "has_more": False}
        return {**listing, "url": "/v1/checkout/sessions"}

    def _capture(self, intent: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        if intent["status"] != "requires_capture":
            raise StripeError(400, "This PaymentIntent could not be captured.")
        intent.update(status="succeeded", amount_received=int(body.get("amount_to_capture") or 0))
        return dict(intent)

    def _refund(self, body: dict[str, Any]) -> dict[str, Any]:
        intent = self._get(self.intents, str(body.get("payment_intent")), "payment_intent")
        if intent["status"] != "succeeded":
            raise StripeError(400, "This PaymentIntent has not succeeded.")
        refunded = sum(
            r["amount"] for r in self.refunds.values() if r["payment_intent"] == intent["id"]
        )
        remaining = intent["amount_received"] - refunded
        amount = int(body.get("amount") or remaining)
        if amount <= 0 or amount > remaining:
            raise StripeError(
                400, f"Refund amount ({amount}) is greater than unrefunded amount ({remaining})."
            )
        refund = {
            "id": _id("re_"),
            "object": "refund",
            "amount": amount,
            "currency": intent["currency"],
            "payment_intent": intent["id"],
            "charge": intent["latest_charge"],
            "metadata": body.get("metadata") or {},
            "reason": body.get("reason"),
            "status": "succeeded",
            "created": int(time.time()),
        }
        self.refunds[refund["id"]] = refund
        return dict(refund)


@pytest.fixture(scope="module")
def fake_stripe() -> Iterator[FakeStripe]:
    fake = FakeStripe()
    yield fake
    fake.close()
