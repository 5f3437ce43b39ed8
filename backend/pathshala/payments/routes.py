"""/api/payments and /api/admin/payments: thin routes over payments.service."""

from __future__ import annotations

import uuid

from flask import Response, request, stream_with_context
from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from pathshala.auth.permissions import require_login, require_roles
from pathshala.errors import ErrorSchema
from pathshala.payments import receipts, service
from pathshala.payments.schemas import (
    CheckoutSchema,
    ConfirmSchema,
    CreateOrderSchema,
    LedgerArgs,
    LedgerPageSchema,
    ManualPaymentSchema,
    ManualRecordSchema,
    OrderListArgs,
    OrderPageSchema,
    PaymentsConfigSchema,
    RefundResultSchema,
    RefundSchema,
    SandboxPaymentSchema,
    SandboxPaySchema,
    SettlementSchema,
    VerifySchema,
    WebhookAnswerSchema,
)

blp = Blueprint("payments", __name__, url_prefix="/api/payments", description="Buying courses")
admin_blp = Blueprint(
    "payments_admin", __name__, url_prefix="/api/admin", description="The money ledger"
)

PROVIDER_DOWN = "The payment provider is not answering (nothing was written)"
PROVIDER_ERROR = "The payment provider answered with an error (nothing was written)"


@blp.route("/config", methods=["GET"])
@blp.response(200, PaymentsConfigSchema)
def payments_config():
    """Which checkout the SPA opens: Razorpay's (with this key) or the sandbox's."""
    return service.public_config()


@blp.route("/create-order", methods=["POST"])
@require_login
@blp.arguments(CreateOrderSchema)
@blp.response(201, CheckoutSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such course")
@blp.alt_response(
    409, schema=ErrorSchema, description="Already enrolled, a free course, or not open"
)
@blp.alt_response(502, schema=ErrorSchema, description=PROVIDER_ERROR)
@blp.alt_response(503, schema=ErrorSchema, description=PROVIDER_DOWN)
def create_order(body):
    """Open an order for a paid course at its price (or get the caller's open one back)."""
    return service.create_order(current_user, body["course_id"])


@blp.route("/verify", methods=["POST"])
@require_login
@blp.arguments(VerifySchema)
@blp.response(200, SettlementSchema)
@blp.alt_response(400, schema=ErrorSchema, description="Bad signature or unusable payment")
@blp.alt_response(404, schema=ErrorSchema, description="No such order of the caller")
@blp.alt_response(409, schema=ErrorSchema, description="Payment id used for another order")
@blp.alt_response(502, schema=ErrorSchema, description=PROVIDER_ERROR)
@blp.alt_response(503, schema=ErrorSchema, description=PROVIDER_DOWN)
def verify(body):
    """Complete an order with what the checkout handed back; repeating it is harmless."""
    return service.verify(
        current_user,
        order_id=body["razorpay_order_id"],
        payment_id=body["razorpay_payment_id"],
        signature=body["razorpay_signature"],
    )


@blp.route("/webhook", methods=["POST"])
@blp.response(200, WebhookAnswerSchema)
@blp.alt_response(400, schema=ErrorSchema, description="Bad signature or body; or not set up")
def webhook():
    """Razorpay's webhook (no session): `X-Razorpay-Signature` is HMAC-SHA256 of the raw body
    with BACKEND_RAZORPAY_WEBHOOK_SECRET. payment.captured and order.paid complete the order,
    payment.failed marks it failed, refund.* record refunds. Each event id is applied once."""
    outcome = service.handle_razorpay_webhook(
        request.get_data(cache=True),
        signature=request.headers.get("X-Razorpay-Signature"),
        event_id=request.headers.get("X-Razorpay-Event-Id"),
    )
    return {"status": outcome}


@blp.route("/confirm", methods=["POST"])
@require_login
@blp.arguments(ConfirmSchema)
@blp.response(200, SettlementSchema)
@blp.alt_response(400, schema=ErrorSchema, description="Not a redirect checkout's order")
@blp.alt_response(404, schema=ErrorSchema, description="No such order of the caller")
@blp.alt_response(409, schema=ErrorSchema, description="Not paid, or the payment is settling")
@blp.alt_response(502, schema=ErrorSchema, description=PROVIDER_ERROR)
@blp.alt_response(503, schema=ErrorSchema, description=PROVIDER_DOWN)
def confirm(body):
    """Complete an order after the provider's hosted checkout (Stripe's) sent the buyer back:
    the provider is asked what was paid. Repeating it is harmless."""
    return service.confirm(current_user, order_id=body["order_id"])


@blp.route("/stripe/webhook", methods=["POST"])
@blp.response(200, WebhookAnswerSchema)
@blp.alt_response(400, schema=ErrorSchema, description="Bad signature or body; or not set up")
def stripe_webhook():
    """Stripe's webhook (no session), checked with `Stripe-Signature` and
    BACKEND_STRIPE_WEBHOOK_SECRET. checkout.session.completed and async_payment_succeeded
    complete the order, async_payment_failed and expired close it, refund.* record refunds.
    Each event id is applied once."""
    outcome = service.handle_stripe_webhook(
        request.get_data(cache=True), signature=request.headers.get("Stripe-Signature")
    )
    return {"status": outcome}


@blp.route("/manual-record", methods=["POST"])
@require_roles("admin")
@blp.arguments(ManualRecordSchema)
@blp.response(201, ManualPaymentSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such course or user")
@blp.alt_response(409, schema=ErrorSchema, description="Already enrolled, paid, or recorded")
def manual_record(body):
    """Record a payment received outside the checkout (bank transfer, UPI, cash)."""
    return service.record_manual_payment(current_user, body)


@blp.route("/orders", methods=["GET"])
@require_login
@blp.arguments(OrderListArgs, location="query")
@blp.response(200, OrderPageSchema)
def my_orders(args):
    """The caller's orders, newest first, with course, status and receipt number."""
    return service.my_orders(current_user, **args)


@blp.route("/orders/<uuid:order_id>/receipt.pdf", methods=["GET"])
@require_login
@blp.response(
    200,
    {"format": "binary", "type": "string"},
    content_type="application/pdf",
    description="The receipt as a PDF download",
)
@blp.alt_response(404, schema=ErrorSchema, description="No such order of the caller")
@blp.alt_response(409, schema=ErrorSchema, description="The order has not been paid")
def order_receipt(order_id: uuid.UUID):
    """The PDF receipt of one of the caller's paid (or since refunded) orders; admins may
    fetch anyone's."""
    receipt = receipts.receipt_for(current_user, order_id)
    return Response(
        receipt.content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{receipt.filename}"'},
    )


@blp.route("/<uuid:payment_id>/refund", methods=["POST"])
@require_roles("admin")
@blp.arguments(RefundSchema)
@blp.response(201, RefundResultSchema)
@blp.alt_response(409, schema=ErrorSchema, description="More than remains, or refused")
@blp.alt_response(502, schema=ErrorSchema, description=PROVIDER_ERROR)
@blp.alt_response(503, schema=ErrorSchema, description=PROVIDER_DOWN)
def refund(body, payment_id: uuid.UUID):
    """Refund a payment in full or in part; a full refund ends the enrollment."""
    return service.refund_payment(current_user, payment_id, **body)


@blp.route("/sandbox/pay", methods=["POST"])
@require_login
@blp.arguments(SandboxPaySchema)
@blp.response(200, SandboxPaymentSchema)
@blp.alt_response(404, schema=ErrorSchema, description="Sandbox off, or no such order")
@blp.alt_response(409, schema=ErrorSchema, description="The order is already paid")
def sandbox_pay(body):
    """The sandbox checkout (embedded setup only): pay or fail the caller's order and get
    what Checkout.js would hand the browser."""
    return service.sandbox_pay(current_user, **body)


@admin_blp.route("/payments", methods=["GET"])
@require_roles("admin")
@admin_blp.arguments(LedgerArgs, location="query")
@admin_blp.response(200, LedgerPageSchema)
def ledger(args):
    """Every payment, filtered by paid date (from/to, inclusive, UTC), method, status and
    course, with totals; `format=csv` answers text/csv with every matching row instead."""
    page, per_page, sort = args.pop("page"), args.pop("per_page"), args.pop("sort")
    if args.pop("format") == "csv":
        return Response(
            stream_with_context(service.ledger_csv(args, sort=sort)),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="pathshala-payments.csv"'},
        )
    return service.ledger(args, page=page, per_page=per_page, sort=sort)
