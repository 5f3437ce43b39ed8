"""The rules of taking money for courses.

- The price always comes from the database; the provider's checkout only pays an order the
  server opened. At most one open order per student and course (reused, not piled up).
- An order is paid once: the order row is locked while it is completed, and the unique
  provider payment id is the final guard. Repeating a verification, or a webhook that races
  it, changes nothing the second time.
- A payment is accepted only when the provider says it is captured (an authorized one is
  captured first), for this order, for this amount and currency.
- Money received is never turned away: a captured payment also completes a failed or expired
  order. Each paid order gets the next receipt number of one gapless series.
- Every status change writes a ``payment_transitions`` row naming who or what made it, and
  a log line.
- When the provider cannot be reached nothing is written and the caller gets 503 (502 when it
  answered with an error); reconciliation completes or expires what was left open.
"""

from __future__ import annotations

import csv
import io
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from pathshala.audit import service as audit
from pathshala.auth import service as auth
from pathshala.columns import utcnow
from pathshala.courses import service as courses
from pathshala.courses.models import Course
from pathshala.enrollments import service as enrollments
from pathshala.enrollments.models import Enrollment
from pathshala.errors import (
    AppError,
    BadRequest,
    Conflict,
    InvalidInput,
    NotFound,
    ServiceUnavailable,
)
from pathshala.extensions import db
from pathshala.notifications import service as notifications
from pathshala.pagination import Page, paginate
from pathshala.payments.models import (
    COMPLETABLE_ORDER_STATUSES,
    OPEN_ORDER_STATUSES,
    RECEIPT_SERIES,
    Payment,
    PaymentOrder,
    PaymentRefund,
    PaymentTransition,
    ReceiptCounter,
    WebhookEvent,
)
from pathshala.payments.providers import razorpay as razorpay_webhooks
from pathshala.payments.providers import stripe as stripe_webhooks
from pathshala.payments.providers.base import (
    CheckoutContext,
    PaymentProvider,
    ProviderError,
    ProviderFailed,
    ProviderPayment,
    ProviderRefund,
    ProviderRejected,
    ProviderUnavailable,
    SignedCheckoutProvider,
    WebhookNotice,
    WebhookRefused,
)
from pathshala.payments.providers.sandbox import SandboxProvider
from pathshala.payments.receipts import format_inr
from pathshala.settings import Settings
from pathshala.sql import insert_ignoring_duplicates
from pathshala.users import service as users
from pathshala.users.models import User

log = logging.getLogger(__name__)

PROVIDER_EXTENSION = "pathshala.payment_provider"
RECONCILE_AFTER = timedelta(minutes=15)
MERCHANT_NAME = "Pathshala"
#: the enrollment source a payment method grants (the sandbox stands in for Razorpay)
ENROLLMENT_SOURCE = {
    "razorpay": "razorpay",
    "sandbox": "razorpay",
    "stripe": "stripe",
    "manual": "manual",
}
PAID_SOURCES = ("razorpay", "stripe", "manual")
CSV_ROW_LIMIT = 50_000


class BadGateway(AppError):
    status = 502
    code = "payment_provider_error"
    message = "The payment provider answered with an error. Try again shortly."


class ProviderDown(ServiceUnavailable):
    code = "payment_provider_unreachable"
    message = "The payment provider is not answering. Try again shortly."


class PaymentsOff(ServiceUnavailable):
    code = "payments_unavailable"
    message = "Payments are not configured on this platform."


# ---- who changes things ------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who or what changed a status: a person (``user``/``admin`` with their id), the
    provider's ``webhook``, ``reconcile``, or the platform itself (``system``)."""

    kind: str
    user_id: uuid.UUID | None = None

    @classmethod
    def person(cls, user: User) -> Actor:
        return cls("admin" if user.is_admin else "user", user.id)

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id}" if self.user_id else self.kind


WEBHOOK = Actor("webhook")
RECONCILE = Actor("reconcile")
SYSTEM = Actor("system")


def _record_transition(
    order: PaymentOrder,
    from_status: str | None,
    to_status: str,
    actor: Actor,
    *,
    payment: Payment | None = None,
    entity: str = "order",
    reason: str | None = None,
) -> None:
    db.session.add(
        PaymentTransition(
            entity=entity,
            order_id=order.id,
            payment_id=payment.id if payment is not None else None,
            from_status=from_status,
            to_status=to_status,
            actor=actor.kind,
            actor_user_id=actor.user_id,
            reason=reason[:500] if reason else None,
        )
    )
    log.info(
        "payment %s %s (%s): %s -> %s by %s%s",
        entity,
        payment.id if payment is not None and entity == "payment" else order.id,
        order.provider_order_id or order.receipt,
        from_status,
        to_status,
        actor,
        f" ({reason})" if reason else "",
    )


def _set_status(
    order: PaymentOrder,
    to_status: str,
    actor: Actor,
    *,
    payment: Payment | None = None,
    reason: str | None = None,
) -> None:
    before = order.status
    order.status = to_status
    _record_transition(order, before, to_status, actor, payment=payment, reason=reason)


# ---- the provider --------------------------------------------------------------------------


def provider() -> PaymentProvider:
    chosen = current_app.extensions.get(PROVIDER_EXTENSION)
    if chosen is None:
        raise PaymentsOff()
    return chosen


def _settings() -> Settings:
    return current_app.extensions["pathshala.settings"]


@contextmanager
def _calling_provider() -> Iterator[None]:
    """Provider outages become 503 (no answer) or 502 (an error answer)."""
    try:
        yield
    except ProviderUnavailable as exc:
        raise ProviderDown(headers={"Retry-After": "30"}) from exc
    except ProviderFailed as exc:
        raise BadGateway() from exc


def public_config() -> dict[str, Any]:
    chosen = current_app.extensions.get(PROVIDER_EXTENSION)
    return {
        "provider": chosen.name if chosen else None,
        "key_id": chosen.key_id if chosen else None,
        "sandbox": bool(chosen and chosen.is_sandbox),
        "currency": "INR",
        "merchant_name": MERCHANT_NAME,
    }


# ---- finding and locking -------------------------------------------------------------------


def _lock_order(order_id: uuid.UUID) -> PaymentOrder:
    """The order, re-read under a row lock (SELECT ... FOR UPDATE on Postgres; SQLite has
    one writer at a time and the unique constraints guard it)."""
    return db.session.scalars(
        select(PaymentOrder)
        .where(PaymentOrder.id == order_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _lock_payment(payment_id: uuid.UUID) -> Payment:
    return db.session.scalars(
        select(Payment)
        .where(Payment.id == payment_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _order_by_provider_id(provider_order_id: str) -> PaymentOrder | None:
    return db.session.scalar(
        select(PaymentOrder).where(PaymentOrder.provider_order_id == provider_order_id)
    )


def _recorded_payment(provider_payment_id: str) -> Payment | None:
    return db.session.scalar(
        select(Payment).where(Payment.provider_payment_id == provider_payment_id)
    )


def _open_order(user_id: uuid.UUID, course_id: uuid.UUID) -> PaymentOrder | None:
    return db.session.scalar(
        select(PaymentOrder).where(
            PaymentOrder.user_id == user_id,
            PaymentOrder.course_id == course_id,
            PaymentOrder.status.in_(OPEN_ORDER_STATUSES),
        )
    )


def _new_receipt_reference() -> str:
    """The reference sent to the provider as ``receipt`` (unique, at most 40 characters)."""
    return "rcpt_" + uuid.uuid4().hex


def _next_receipt_number() -> int:
    """The next number of the receipt series. The counter row stays locked until the
    caller's transaction ends, so numbers are sequential and a rollback leaves no gap.
    Take it last in a transaction, after every other lock."""
    bump = (
        update(ReceiptCounter)
        .where(ReceiptCounter.series == RECEIPT_SERIES)
        .values(last_value=ReceiptCounter.last_value + 1)
        .returning(ReceiptCounter.last_value)
        .execution_options(synchronize_session=False)
    )
    number = db.session.execute(bump).scalar()
    if number is None:  # a database the migration did not seed
        insert_ignoring_duplicates(ReceiptCounter, [{"series": RECEIPT_SERIES, "last_value": 0}])
        number = db.session.execute(bump).scalar_one()
    return number


# ---- completing an order -------------------------------------------------------------------


def _complete(
    order: PaymentOrder,
    *,
    method: str,
    amount: int,
    currency: str,
    actor: Actor,
    provider_payment_id: str | None = None,
    provider_payload: dict[str, Any] | None = None,
    notes: str | None = None,
    recorded_by: User | None = None,
) -> tuple[Payment, Enrollment]:
    """Record the payment, mark the (locked) order paid, enroll the student and give the
    receipt number, in the caller's transaction."""
    now = utcnow()
    payment = Payment(
        id=uuid.uuid4(),
        order_id=order.id,
        user_id=order.user_id,
        course_id=order.course_id,
        method=method,
        provider_payment_id=provider_payment_id,
        amount=amount,
        currency=currency,
        amount_refunded=0,
        status="paid",
        notes=notes,
        recorded_by_user_id=recorded_by.id if recorded_by is not None else None,
        provider_payload=provider_payload,
        paid_at=now,
    )
    db.session.add(payment)
    order.paid_at = now
    _set_status(order, "paid", actor, payment=payment)
    enrollment, _ = enrollments.grant(
        order.user_id, order.course_id, source=ENROLLMENT_SOURCE[method], announce=False
    )
    order.receipt_number = _next_receipt_number()
    notifications.payment_received(
        order.user_id, order.course_id, amount=format_inr(amount), receipt=order.receipt_label
    )
    log.info(
        "order %s paid: %s %s %s (payment %s), receipt %s",
        order.id,
        method,
        amount,
        currency,
        provider_payment_id or payment.id,
        order.receipt_label,
    )
    return payment, enrollment


def _mismatch(order: PaymentOrder, payment: ProviderPayment) -> AppError | None:
    """Why a provider payment cannot pay this order, or None."""
    if payment.order_id != order.provider_order_id:
        return BadRequest("This payment was made for another order.", code="payment_order_mismatch")
    if payment.amount != order.amount or payment.currency != order.currency:
        return BadRequest(
            f"The payment ({payment.amount} {payment.currency}) does not match the order "
            f"({order.amount} {order.currency}).",
            code="payment_amount_mismatch",
        )
    return None


def _captured(chosen: PaymentProvider, order: PaymentOrder, payment: ProviderPayment):
    """The payment, captured if it was only authorized (the provider is called)."""
    if payment.status != "authorized":
        return payment
    try:
        return chosen.capture_payment(payment.id, amount=order.amount, currency=order.currency)
    except ProviderRejected:
        # Captured meanwhile (auto-capture, or a racing capture): the provider has the truth.
        return chosen.fetch_payment(payment.id)


# ---- create-order ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkout:
    """An order as the browser's checkout needs it."""

    order: PaymentOrder
    course: Course
    user: User
    key_id: str | None
    #: where the customer pays (redirect checkouts such as Stripe's)
    checkout_url: str | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.order, name)


def create_order(user: User, course_id: uuid.UUID) -> Checkout:
    """Open an order for a paid course at its current price, or hand back the caller's open
    order for it. Free courses (use enroll) and courses the caller is enrolled in are 409."""
    chosen = provider()
    view = courses.view_course(str(course_id), user)
    course = view.course
    if view.enrolled:
        raise Conflict("You are already enrolled in this course.", code="already_enrolled")
    if not course.is_published or course.archived_at is not None:
        raise Conflict("This course is not open for enrollment.", code="course_not_open")
    if course.is_free:
        raise Conflict(
            "This course is free: enroll with POST /api/courses/<id>/enroll.",
            code="course_is_free",
        )
    existing = _open_order(user.id, course.id)
    if existing is not None and _reusable(existing, course, chosen):
        if not chosen.redirects:
            return Checkout(existing, course, user, chosen.key_id)
        with _calling_provider():
            url = chosen.open_checkout_url(existing.provider_order_id or "")
        if url is not None:
            return Checkout(existing, course, user, chosen.key_id, url)

    receipt = _new_receipt_reference()
    with _calling_provider():
        try:
            opened = chosen.create_order(
                amount=course.price,
                currency=course.currency,
                receipt=receipt,
                notes={"course_id": str(course.id), "user_id": str(user.id)},
                context=_checkout_context(course, user),
            )
        except ProviderRejected as exc:
            log.error("provider refused to open an order for course %s: %s", course.id, exc)
            raise BadGateway("The payment provider refused to open the order.") from exc
    if (opened.amount, opened.currency) != (course.price, course.currency):
        log.error("provider opened order %s for %s %s", opened.id, opened.amount, opened.currency)
        raise BadGateway("The payment provider opened the order for a different amount.")

    if existing is not None:
        # The price (or the provider) changed since it was opened: it gives way to the new one.
        existing = _lock_order(existing.id)
        if existing.status in OPEN_ORDER_STATUSES:
            _set_status(existing, "expired", SYSTEM, reason="superseded by a new order")
            db.session.flush()  # before the new open order's insert (one open order each)
    order = PaymentOrder(
        id=uuid.uuid4(),
        user_id=user.id,
        course_id=course.id,
        amount=course.price,
        currency=course.currency,
        provider=chosen.name,
        provider_order_id=opened.id,
        receipt=receipt,
        status="created",
    )
    db.session.add(order)
    _record_transition(order, None, "created", Actor.person(user))
    try:
        db.session.commit()
    except IntegrityError:
        # A parallel request opened one first (one open order per student and course).
        db.session.rollback()
        winner = _open_order(user.id, course.id)
        if winner is None:
            raise Conflict(
                "Another order for this course is being opened. Try again.",
                code="order_in_progress",
            ) from None
        if chosen.redirects:
            with _calling_provider():
                url = chosen.open_checkout_url(winner.provider_order_id or "")
            return Checkout(winner, course, user, chosen.key_id, url)
        return Checkout(winner, course, user, chosen.key_id)
    return Checkout(order, course, user, chosen.key_id, opened.checkout_url)


def _checkout_context(course: Course, user: User) -> CheckoutContext:
    """A hosted checkout sends the customer back to the course page, which finishes the
    purchase (``checkout=stripe``) or says it was cancelled."""
    page = f"{_settings().public_url}/courses/{course.slug}"
    return CheckoutContext(
        title=course.title,
        customer_email=user.email,
        success_url=page + "?checkout=stripe&session_id={CHECKOUT_SESSION_ID}",
        cancel_url=page + "?checkout=cancelled",
    )


def _reusable(order: PaymentOrder, course: Course, chosen: PaymentProvider) -> bool:
    return (order.amount, order.currency, order.provider) == (
        course.price,
        course.currency,
        chosen.name,
    )


# ---- verify ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settlement:
    """A paid order as its buyer sees it after /verify."""

    status: str
    order: PaymentOrder
    payment: Payment
    enrollment: Enrollment | None


def _settlement(order_id: uuid.UUID, payment_id: uuid.UUID) -> Settlement:
    order = db.session.scalar(
        select(PaymentOrder)
        .options(joinedload(PaymentOrder.course))
        .where(PaymentOrder.id == order_id)
        .execution_options(populate_existing=True)
    )
    payment = db.session.get(Payment, payment_id, populate_existing=True)
    assert order is not None and payment is not None
    enrollment = db.session.scalar(
        select(Enrollment).where(
            Enrollment.user_id == order.user_id, Enrollment.course_id == order.course_id
        )
    )
    return Settlement(order.status, order, payment, enrollment)


def _already_settled(order: PaymentOrder, recorded: Payment) -> Settlement:
    if recorded.order_id != order.id:
        raise Conflict(
            "This payment has already been used for another order.", code="payment_already_used"
        )
    return _settlement(order.id, recorded.id)


def verify(user: User, *, order_id: str, payment_id: str, signature: str) -> Settlement:
    """Complete the caller's order from what the checkout handed back: the signature over
    (stored order id | payment id) must match, and the provider must confirm the payment."""
    chosen = provider()
    order = _order_by_provider_id(order_id)
    if order is None or order.user_id != user.id:
        raise NotFound("No such order.", code="order_not_found")
    if not isinstance(chosen, SignedCheckoutProvider):
        raise BadRequest(
            f"Payments through {chosen.name} are completed with POST /api/payments/confirm.",
            code="wrong_checkout",
        )
    if not chosen.verify_payment_signature(order.provider_order_id or "", payment_id, signature):
        log.warning("verify: bad signature for order %s from user %s", order.id, user.id)
        raise BadRequest("The payment signature is not valid.", code="invalid_signature")

    recorded = _recorded_payment(payment_id)
    if recorded is not None:
        return _already_settled(order, recorded)
    try:
        return _settle_verified(chosen, user, order.id, payment_id)
    except IntegrityError:
        # The unique payment id caught a completion that raced this one (SQLite; on Postgres
        # the order lock already serialises them).
        db.session.rollback()
        recorded = _recorded_payment(payment_id)
        if recorded is None:
            raise
        return _already_settled(order, recorded)


def _settle_verified(
    chosen: PaymentProvider, user: User, order_id: uuid.UUID, payment_id: str
) -> Settlement:
    order = _lock_order(order_id)
    recorded = _recorded_payment(payment_id)
    if recorded is not None:
        db.session.rollback()
        return _already_settled(order, recorded)
    if order.status not in COMPLETABLE_ORDER_STATUSES:
        raise Conflict("This order has already been paid.", code="order_already_paid")
    with _calling_provider():
        try:
            fetched = chosen.fetch_payment(payment_id)
            problem = _mismatch(order, fetched)
            if problem is not None:
                log.error("verify: order %s refused payment %s: %s", order.id, payment_id, problem)
                raise problem
            fetched = _captured(chosen, order, fetched)
        except ProviderRejected as exc:
            raise BadRequest(
                "The payment provider does not know this payment.", code="payment_not_found"
            ) from exc
    if fetched.status != "captured":
        raise BadRequest(
            f"The payment has not gone through (its status is {fetched.status or 'unknown'}).",
            code="payment_not_captured",
        )
    payment, _ = _complete(
        order,
        method=order.provider,
        amount=fetched.amount,
        currency=fetched.currency,
        actor=Actor.person(user),
        provider_payment_id=fetched.id,
        provider_payload=fetched.raw or None,
    )
    db.session.commit()
    return _settlement(order.id, payment.id)


# ---- confirm (redirect checkouts) ------------------------------------------------------------


def confirm(user: User, *, order_id: str) -> Settlement:
    """Complete the caller's order after a redirect checkout (Stripe's) sent them back: the
    provider is asked what was paid for it; nothing the browser says is taken on trust.
    An order already completed (by its webhook) answers the same; a payment still settling
    is 409 ``payment_pending``; a checkout left unpaid is 409 ``payment_not_captured``."""
    chosen = provider()
    order = _order_by_provider_id(order_id)
    if order is None or order.user_id != user.id:
        raise NotFound("No such order.", code="order_not_found")
    if order.provider != chosen.name:
        raise BadRequest(
            "This order was opened with another payment provider.", code="wrong_checkout"
        )
    if order.status not in COMPLETABLE_ORDER_STATUSES:
        return _settlement_of(order)
    with _calling_provider():
        try:
            payments = chosen.fetch_order_payments(order_id)
        except ProviderRejected as exc:
            raise BadRequest(
                "The payment provider does not know this order.", code="payment_not_found"
            ) from exc
    captured = [p for p in payments if p.status == "captured"]
    if not captured:
        if any(p.status in ("pending", "authorized") for p in payments):
            raise Conflict(
                "The payment is still being processed. You will be enrolled as soon as it arrives.",
                code="payment_pending",
            )
        raise Conflict("The checkout was not paid.", code="payment_not_captured")
    try:
        outcome = _complete_from_provider(captured[0], Actor.person(user))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # its webhook completed it at the same moment
        outcome = "already_applied"
    if outcome not in ("applied", "already_applied"):
        raise BadRequest(
            "The payment does not match this order; the platform's team has been told.",
            code=outcome.removeprefix("rejected_"),
        )
    return _settlement_of(order)


def _settlement_of(order: PaymentOrder) -> Settlement:
    paid = db.session.scalar(
        select(Payment).where(Payment.order_id == order.id).order_by(Payment.created_at.desc())
    )
    if paid is None:
        raise Conflict("The checkout was not paid.", code="payment_not_captured")
    return _settlement(order.id, paid.id)


# ---- the sandbox checkout ----------------------------------------------------------------


def sandbox_pay(user: User, *, order_id: str, outcome: str) -> dict[str, Any]:
    """What Checkout.js would hand the browser, for the sandbox: a signed payment id, or the
    failure (and the order is marked failed, as Razorpay's payment.failed webhook would)."""
    chosen = current_app.extensions.get(PROVIDER_EXTENSION)
    if not isinstance(chosen, SandboxProvider):
        raise NotFound("The payment sandbox is off.", code="sandbox_not_found")
    order = _order_by_provider_id(order_id)
    if order is None or order.user_id != user.id or order.provider != chosen.name:
        raise NotFound("No such order.", code="order_not_found")
    if order.status not in COMPLETABLE_ORDER_STATUSES:
        raise Conflict("This order has already been paid.", code="order_already_paid")
    paid = chosen.pay(order_id, amount=order.amount, currency=order.currency, outcome=outcome)
    if outcome == "success":
        return {
            "outcome": "success",
            "razorpay_order_id": order_id,
            "razorpay_payment_id": paid.id,
            "razorpay_signature": chosen.payment_signature(order_id, paid.id),
        }
    order = _lock_order(order.id)
    if order.status in OPEN_ORDER_STATUSES:
        _set_status(order, "failed", SYSTEM, reason="sandbox checkout: payment failed")
    db.session.commit()
    return {
        "outcome": "fail",
        "error": {
            "code": "BAD_REQUEST_ERROR",
            "description": "Payment failed (sandbox).",
            "source": "customer",
            "step": "payment_authorization",
            "reason": "payment_failed",
            "metadata": {"order_id": order_id, "payment_id": paid.id},
        },
    }


# ---- webhooks ----------------------------------------------------------------------------------


def handle_razorpay_webhook(raw: bytes, *, signature: str | None, event_id: str | None) -> str:
    """Apply one Razorpay delivery (``X-Razorpay-Signature``), at most once per event id."""
    secret = _settings().razorpay_webhook_secret
    if not secret:
        raise BadRequest(
            "Webhooks are refused: BACKEND_RAZORPAY_WEBHOOK_SECRET is not set.",
            code="webhook_not_configured",
        )
    return _apply_delivery(
        "razorpay",
        lambda: razorpay_webhooks.read_webhook(
            raw, signature=signature, event_id=event_id, secret=secret
        ),
    )


def handle_stripe_webhook(raw: bytes, *, signature: str | None) -> str:
    """Apply one Stripe delivery (``Stripe-Signature``), at most once per event id."""
    secret = _settings().stripe_webhook_secret
    if not secret:
        raise BadRequest(
            "Webhooks are refused: BACKEND_STRIPE_WEBHOOK_SECRET is not set.",
            code="webhook_not_configured",
        )
    return _apply_delivery(
        "stripe", lambda: stripe_webhooks.read_webhook(raw, signature=signature, secret=secret)
    )


def _apply_delivery(provider_name: str, read: Callable[[], WebhookNotice]) -> str:
    """Verify and read a delivery, record its event id (a duplicate stops here), apply it,
    and record the outcome, in one transaction. Returns the outcome."""
    try:
        notice = read()
    except WebhookRefused as exc:
        log.warning("%s webhook refused: %s", provider_name, exc.code)
        raise BadRequest(exc.message, code=exc.code) from exc
    fresh = insert_ignoring_duplicates(
        WebhookEvent,
        [
            {
                "id": uuid.uuid4(),
                "provider": provider_name,
                "event_id": notice.event_id,
                "event_type": notice.event_type,
                "received_at": utcnow(),
                "outcome": "received",
                "payload": notice.payload,
            }
        ],
    )
    if not fresh:
        db.session.rollback()
        log.info("webhook %s (%s): already received", notice.event_id, notice.event_type)
        return "duplicate"
    outcome = _apply_webhook(notice)
    db.session.execute(
        update(WebhookEvent)
        .where(WebhookEvent.provider == provider_name, WebhookEvent.event_id == notice.event_id)
        .values(outcome=outcome)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    log.info("webhook %s (%s): %s", notice.event_id, notice.event_type, outcome)
    return outcome


def _apply_webhook(notice: WebhookNotice) -> str:
    kind, payment = notice.kind, notice.payment
    if kind == "payment.captured":
        if payment is None or payment.status != "captured":
            return "ignored_not_captured"
        return _complete_from_provider(payment, WEBHOOK)
    if kind in ("payment.authorized", "payment.failed", "order.expired"):
        if not notice.order_id:
            return "ignored_no_order"
        to_status = {"payment.authorized": "attempted", "payment.failed": "failed"}
        reason = f"payment {payment.id}" if payment else notice.event_type
        return _mark_unpaid(notice.order_id, to_status.get(kind, "expired"), reason)
    if kind.startswith("refund."):
        if notice.refund is None:
            return "ignored_no_refund"
        return _refund_notice(notice.refund, kind.split(".", 1)[1])
    return "ignored"


def _complete_from_provider(payment: ProviderPayment, actor: Actor) -> str:
    """Complete the order a captured payment names (webhook, reconcile). Returns the outcome;
    mismatches are logged as errors for an admin, not applied."""
    found = _order_by_provider_id(payment.order_id or "")
    if found is None:
        return "ignored_unknown_order"
    order = _lock_order(found.id)
    recorded = _recorded_payment(payment.id)
    if recorded is not None:
        if recorded.order_id == order.id:
            return "already_applied"
        log.error("payment %s is recorded for another order than %s", payment.id, order.id)
        return "rejected_payment_used_elsewhere"
    if order.status not in COMPLETABLE_ORDER_STATUSES:
        log.error(
            "order %s is already %s; a second payment %s (%s %s) needs a refund",
            order.id,
            order.status,
            payment.id,
            payment.amount,
            payment.currency,
        )
        return "rejected_order_already_paid"
    problem = _mismatch(order, payment)
    if problem is not None:
        log.error("order %s refused payment %s: %s", order.id, payment.id, problem)
        return "rejected_" + problem.code
    _complete(
        order,
        method=order.provider,
        amount=payment.amount,
        currency=payment.currency,
        actor=actor,
        provider_payment_id=payment.id,
        provider_payload=payment.raw or None,
    )
    return "applied"


def _mark_unpaid(provider_order_id: str, to_status: str, reason: str) -> str:
    """An open order's payment is under way (attempted), failed, or its checkout expired."""
    found = _order_by_provider_id(provider_order_id)
    if found is None:
        return "ignored_unknown_order"
    order = _lock_order(found.id)
    allowed = ("created",) if to_status == "attempted" else OPEN_ORDER_STATUSES
    if order.status not in allowed:
        return "ignored_order_" + order.status
    _set_status(order, to_status, WEBHOOK, reason=reason)
    return "applied"


# ---- refunds -------------------------------------------------------------------------------------


def _count_refund(
    order: PaymentOrder, payment: Payment, amount: int, actor: Actor, reason: str | None
) -> None:
    """Add a refund to the (locked) payment; a full refund marks the order refunded and
    ends the enrollment it paid for."""
    before = payment.status
    payment.amount_refunded += amount
    notifications.payment_refunded(order.user_id, order.course_id, amount=format_inr(amount))
    fully = payment.amount_refunded >= payment.amount
    payment.status = "refunded" if fully else "partially_refunded"
    if payment.status != before:
        _record_transition(
            order, before, payment.status, actor, payment=payment, entity="payment", reason=reason
        )
    if payment.status == "refunded" and order.status == "paid":
        _set_status(order, "refunded", actor, payment=payment, reason=reason)
        _revoke_unless_paid_otherwise(order)


def _uncount_refund(order: PaymentOrder, payment: Payment, amount: int, actor: Actor) -> None:
    """A refund the provider could not make: the money stays paid, the enrollment too."""
    before = payment.status
    payment.amount_refunded = max(0, payment.amount_refunded - amount)
    payment.status = "paid" if payment.amount_refunded == 0 else "partially_refunded"
    if payment.status != before:
        _record_transition(
            order,
            before,
            payment.status,
            actor,
            payment=payment,
            entity="payment",
            reason="refund failed",
        )
    if order.status == "refunded":
        _set_status(order, "paid", actor, payment=payment, reason="refund failed")
        enrollments.grant(order.user_id, order.course_id, source=ENROLLMENT_SOURCE[payment.method])


def _revoke_unless_paid_otherwise(order: PaymentOrder) -> None:
    other_paid = db.session.scalar(
        select(func.count(PaymentOrder.id)).where(
            PaymentOrder.user_id == order.user_id,
            PaymentOrder.course_id == order.course_id,
            PaymentOrder.status == "paid",
            PaymentOrder.id != order.id,
        )
    )
    enrollment = enrollments.active_enrollment(order.user_id, order.course_id)
    if enrollment is not None and not other_paid and enrollment.source in PAID_SOURCES:
        enrollments.revoke(enrollment)
        log.info("enrollment %s revoked: order %s refunded in full", enrollment.id, order.id)


def _refund_notice(refund: ProviderRefund, stage: str) -> str:
    found = _recorded_payment(refund.payment_id)
    if found is None:
        return "ignored_unknown_payment"
    order = _lock_order(found.order_id)
    payment = _lock_payment(found.id)
    known = db.session.scalar(
        select(PaymentRefund).where(PaymentRefund.provider_refund_id == refund.id)
    )
    if known is not None:
        if stage == "processed" and known.status == "pending":
            known.status, known.processed_at = "processed", utcnow()
            return "applied"
        if stage == "processed" and known.status == "failed":
            known.status, known.processed_at = "processed", utcnow()
            _count_refund(order, payment, known.amount, WEBHOOK, known.reason)
            return "applied"
        if stage == "failed" and known.status != "failed":
            known.status = "failed"
            _uncount_refund(order, payment, known.amount, WEBHOOK)
            return "applied"
        return "already_applied"
    if stage == "failed":
        return "ignored_unknown_refund"
    if refund.amount > payment.refundable:
        log.error(
            "refund %s of %s exceeds what remains of payment %s (%s)",
            refund.id,
            refund.amount,
            payment.id,
            payment.refundable,
        )
        return "rejected_exceeds_payment"
    notes = refund.raw.get("notes") if isinstance(refund.raw.get("notes"), dict) else {}
    reason = str(notes.get("reason") or "Refunded outside the platform")[:500]
    db.session.add(
        PaymentRefund(
            payment_id=payment.id,
            amount=refund.amount,
            currency=refund.currency,
            reason=reason,
            status="processed" if stage == "processed" else "pending",
            provider_refund_id=refund.id,
            processed_at=utcnow() if stage == "processed" else None,
        )
    )
    _count_refund(order, payment, refund.amount, WEBHOOK, reason)
    return "applied"


def refund_payment(
    admin: User, payment_id: uuid.UUID, *, amount: int | None, reason: str
) -> PaymentRefund:
    """Refund a payment in full or in part: through the provider for provider payments,
    recorded only for manual ones. More than what remains is a 409."""
    found = db.session.get(Payment, payment_id)
    if found is None:
        raise NotFound("No such payment.", code="payment_not_found")
    order = _lock_order(found.order_id)
    payment = _lock_payment(found.id)
    remaining = payment.refundable
    if remaining <= 0:
        raise Conflict("This payment has already been refunded in full.", code="already_refunded")
    amount = remaining if amount is None else amount
    if amount > remaining:
        raise Conflict(
            f"Only {remaining} {payment.currency} of this payment can still be refunded.",
            code="refund_exceeds_payment",
            fields={"amount": [f"At most {remaining}."]},
        )
    refund = PaymentRefund(
        id=uuid.uuid4(),
        payment_id=payment.id,
        amount=amount,
        currency=payment.currency,
        reason=reason,
        status="processed",
        created_by_user_id=admin.id,
        processed_at=utcnow(),
    )
    if payment.method != "manual":
        made = _refund_through_provider(payment, amount, reason, admin)
        refund.provider_refund_id = made.id
        if made.status != "processed":
            refund.status, refund.processed_at = "pending", None
    db.session.add(refund)
    _count_refund(order, payment, amount, Actor.person(admin), reason)
    audit.record(
        admin,
        "payment.refunded",
        "payment",
        str(payment.id),
        {
            "amount": amount,
            "currency": payment.currency,
            "reason": reason,
            "refund_id": str(refund.id),
        },
    )
    db.session.commit()
    return db.session.scalars(
        select(PaymentRefund)
        .options(joinedload(PaymentRefund.payment))
        .where(PaymentRefund.id == refund.id)
        .execution_options(populate_existing=True)
    ).one()


def _refund_through_provider(
    payment: Payment, amount: int, reason: str, admin: User
) -> ProviderRefund:
    chosen = provider()
    if chosen.name != payment.method or not payment.provider_payment_id:
        raise Conflict(
            f"This payment was made through {payment.method}, which is not the configured "
            "provider now: refund it there and record it.",
            code="provider_mismatch",
        )
    with _calling_provider():
        try:
            made = chosen.refund(
                payment.provider_payment_id,
                amount=amount,
                notes={"reason": reason[:250], "refunded_by": str(admin.id)},
            )
        except ProviderRejected as exc:
            raise Conflict(
                f"The payment provider refused the refund: {exc}", code="refund_refused"
            ) from exc
    if made.status == "failed":
        raise Conflict("The payment provider could not make the refund.", code="refund_refused")
    return made


# ---- manual payments -------------------------------------------------------------------------


@dataclass(frozen=True)
class ManualRecord:
    payment: Payment
    enrollment: Enrollment
    user: User
    user_created: bool

    def __getattr__(self, name: str) -> Any:
        return getattr(self.payment, name)


def record_manual_payment(admin: User, fields: dict[str, Any]) -> ManualRecord:
    """An admin records money received outside the checkout (bank transfer, UPI, cash). An
    unknown email becomes a student without a password, who is mailed a set-password link.
    ``provider_order_id`` naming an open (or failed, expired) order completes that order."""
    course = db.session.get(Course, fields["course_id"])
    if course is None:
        raise NotFound("No such course.", code="course_not_found")
    provider_order_id = fields.get("provider_order_id")
    existing = _order_by_provider_id(provider_order_id) if provider_order_id else None
    user, created = _payer(fields, existing)

    provider_payment_id = fields.get("provider_payment_id")
    if provider_payment_id and _recorded_payment(provider_payment_id) is not None:
        raise Conflict("This payment id has already been recorded.", code="payment_already_used")

    if existing is not None:
        order = _lock_order(existing.id)
        if order.user_id != user.id or order.course_id != course.id:
            raise Conflict(
                "provider_order_id names an order of another student or course.",
                code="order_mismatch",
            )
        if order.status not in COMPLETABLE_ORDER_STATUSES:
            raise Conflict("That order has already been paid.", code="order_already_paid")
    else:
        if enrollments.active_enrollment(user.id, course.id) is not None:
            raise Conflict(
                "This student is already enrolled in the course.", code="already_enrolled"
            )
        amount = fields.get("amount") or course.price
        if amount <= 0:
            raise Conflict(
                "This course is free: enroll the student instead of recording a payment.",
                code="course_is_free",
            )
        # The student's unpaid checkout for this course is settled by this payment.
        abandoned = _open_order(user.id, course.id)
        if abandoned is not None:
            _set_status(
                _lock_order(abandoned.id),
                "expired",
                Actor.person(admin),
                reason="superseded by a manual payment",
            )
            db.session.flush()
        order = PaymentOrder(
            id=uuid.uuid4(),
            user_id=user.id,
            course_id=course.id,
            amount=amount,
            currency=fields.get("currency") or course.currency,
            provider="manual",
            provider_order_id=provider_order_id,
            receipt=_new_receipt_reference(),
            status="created",
        )
        db.session.add(order)
        _record_transition(order, None, "created", Actor.person(admin), reason="manual payment")
    try:
        payment, enrollment = _complete(
            order,
            method="manual",
            amount=fields.get("amount") or order.amount,
            currency=fields.get("currency") or order.currency,
            actor=Actor.person(admin),
            provider_payment_id=provider_payment_id,
            notes=fields.get("notes"),
            recorded_by=admin,
        )
        audit.record(
            admin,
            "payment.manual_recorded",
            "payment",
            str(payment.id),
            {
                "amount": payment.amount,
                "currency": payment.currency,
                "student_id": str(user.id),
                "course_id": str(order.course_id),
                "reference": provider_payment_id,
            },
        )
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict(
            "This payment was recorded by someone else at the same moment.",
            code="payment_already_used",
        ) from exc
    if created:
        auth.send_password_link(user, kind="invite")
    return ManualRecord(_payment_with_relations(payment.id), enrollment, user, created)


def _payer(fields: dict[str, Any], order: PaymentOrder | None) -> tuple[User, bool]:
    if fields.get("user_id"):
        return users.get_user(fields["user_id"]), False
    email = fields.get("email")
    if email:
        user = users.find_by_email(email)
        if user is not None:
            return user, False
        name = (fields.get("name") or "").strip()
        if not name:
            raise InvalidInput(
                fields={"name": ["A name is needed to create an account for a new email."]}
            )
        return users.create_user(email=email, name=name, role="student"), True
    if order is not None:
        return users.get_user(order.user_id), False
    raise InvalidInput(fields={"user_id": ["Give user_id, or email and name."]})


def _payment_with_relations(payment_id: uuid.UUID) -> Payment:
    return db.session.scalars(
        select(Payment)
        .options(
            joinedload(Payment.order),
            joinedload(Payment.course),
            joinedload(Payment.user),
        )
        .where(Payment.id == payment_id)
        .execution_options(populate_existing=True)
    ).one()


# ---- lists ---------------------------------------------------------------------------------------

ORDER_SORTS = {"newest": (PaymentOrder.created_at.desc(), PaymentOrder.id.desc())}


def my_orders(user: User, *, page: int, per_page: int, status: str | None = None) -> Page:
    """The caller's orders, newest first, with course and payment, in three queries."""
    query = (
        select(PaymentOrder)
        .options(joinedload(PaymentOrder.course), selectinload(PaymentOrder.payments))
        .where(PaymentOrder.user_id == user.id)
    )
    if status:
        query = query.where(PaymentOrder.status == status)
    return paginate(query, page=page, per_page=per_page, sort="newest", sorts=ORDER_SORTS)


LEDGER_SORTS = {
    "newest": (Payment.created_at.desc(), Payment.id.desc()),
    "oldest": (Payment.created_at.asc(), Payment.id.asc()),
    "amount": (Payment.amount.desc(), Payment.id.desc()),
}


@dataclass(frozen=True)
class Ledger:
    items: list[Payment]
    total: int
    page: int
    per_page: int
    totals: dict[str, int]


def _ledger_query(filters: dict[str, Any]) -> Select:
    query = select(Payment)
    if filters.get("date_from"):
        query = query.where(Payment.paid_at >= _day_start(filters["date_from"]))
    if filters.get("date_to"):
        query = query.where(Payment.paid_at < _day_start(filters["date_to"]) + timedelta(days=1))
    if filters.get("method"):
        query = query.where(Payment.method == filters["method"])
    if filters.get("status"):
        query = query.where(Payment.status == filters["status"])
    if filters.get("course_id"):
        query = query.where(Payment.course_id == filters["course_id"])
    return query


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def ledger(filters: dict[str, Any], *, page: int, per_page: int, sort: str) -> Ledger:
    """Every payment (admins), filtered by paid date range (inclusive, UTC days), method,
    status and course, with the totals of everything the filters match."""
    query = _ledger_query(filters).options(
        joinedload(Payment.order), joinedload(Payment.course), joinedload(Payment.user)
    )
    result = paginate(query, page=page, per_page=per_page, sort=sort, sorts=LEDGER_SORTS)
    matched = _ledger_query(filters).subquery()
    amount, refunded = db.session.execute(
        select(
            func.coalesce(func.sum(matched.c.amount), 0),
            func.coalesce(func.sum(matched.c.amount_refunded), 0),
        )
    ).one()
    totals = {"amount": int(amount), "amount_refunded": int(refunded)}
    totals["net"] = totals["amount"] - totals["amount_refunded"]
    return Ledger(result.items, result.total, result.page, result.per_page, totals)


LEDGER_COLUMNS = (
    "paid_at",
    "receipt_number",
    "payment_id",
    "method",
    "status",
    "amount",
    "amount_refunded",
    "currency",
    "provider_payment_id",
    "provider_order_id",
    "student_name",
    "student_email",
    "course_title",
    "recorded_by_user_id",
    "notes",
)


def ledger_csv(filters: dict[str, Any], *, sort: str) -> Iterator[str]:
    """The matching ledger as CSV lines (amounts in paise), at most CSV_ROW_LIMIT rows."""
    query = (
        _ledger_query(filters)
        .options(joinedload(Payment.order), joinedload(Payment.course), joinedload(Payment.user))
        .order_by(*LEDGER_SORTS[sort])
        .limit(CSV_ROW_LIMIT)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: list[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_csv_safe(value) for value in values])
        return buffer.getvalue()

    yield line(list(LEDGER_COLUMNS))
    for payment in db.session.scalars(query):
        yield line(
            [
                payment.paid_at.isoformat(),
                payment.order.receipt_label or "",
                payment.id,
                payment.method,
                payment.status,
                payment.amount,
                payment.amount_refunded,
                payment.currency,
                payment.provider_payment_id or "",
                payment.order.provider_order_id or "",
                payment.user.name,
                payment.user.email,
                payment.course.title,
                payment.recorded_by_user_id or "",
                payment.notes or "",
            ]
        )


def _csv_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (=, +, -, @) is quoted with a leading '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# ---- reconciliation --------------------------------------------------------------------------


@dataclass
class ReconcileReport:
    checked: int = 0
    completed: int = 0
    expired: int = 0
    failed: int = 0


def reconcile(
    *,
    older_than: timedelta = RECONCILE_AFTER,
    limit: int = 500,
    progress: Callable[[str], None] = lambda _line: None,
) -> ReconcileReport:
    """Ask the provider about orders left created/attempted for longer than ``older_than``:
    a captured (or authorized, then captured) payment completes the order; no payment at
    all expires it; a payment still pending leaves it open. Each order is its own
    transaction; orders locked by a verify in progress are skipped."""
    chosen = provider()
    report = ReconcileReport()
    cutoff = utcnow() - older_than
    order_ids = db.session.scalars(
        select(PaymentOrder.id)
        .where(
            PaymentOrder.status.in_(OPEN_ORDER_STATUSES),
            PaymentOrder.provider == chosen.name,
            PaymentOrder.created_at < cutoff,
        )
        .order_by(PaymentOrder.created_at)
        .limit(limit)
    ).all()
    db.session.rollback()
    for order_id in order_ids:
        order = db.session.scalar(
            select(PaymentOrder)
            .where(PaymentOrder.id == order_id)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        if order is None or order.status not in OPEN_ORDER_STATUSES:
            db.session.rollback()
            continue
        report.checked += 1
        try:
            outcome = _reconcile_order(chosen, order)
        except ProviderError as exc:
            db.session.rollback()
            report.failed += 1
            progress(f"order {order_id}: provider error, left open ({exc})")
            continue
        db.session.commit()
        if outcome == "completed":
            report.completed += 1
        elif outcome == "expired":
            report.expired += 1
        elif outcome == "flagged":
            report.failed += 1
        progress(f"order {order_id}: {outcome}")
    return report


def _reconcile_order(chosen: PaymentProvider, order: PaymentOrder) -> str:
    payments = chosen.fetch_order_payments(order.provider_order_id or "")
    for status in ("captured", "authorized"):
        for candidate in (p for p in payments if p.status == status):
            if _mismatch(order, candidate) is not None:
                log.error(
                    "reconcile: order %s has payment %s of %s %s; an admin must look at it",
                    order.id,
                    candidate.id,
                    candidate.amount,
                    candidate.currency,
                )
                continue
            captured = _captured(chosen, order, candidate)
            if captured.status != "captured":
                continue
            outcome = _complete_from_provider(captured, RECONCILE)
            return "completed" if outcome == "applied" else "flagged"
    if any(p.status in ("created", "pending", "authorized") for p in payments):
        return "pending"
    if any(p.status == "captured" for p in payments):
        return "flagged"
    _set_status(order, "expired", RECONCILE, reason="no payment arrived")
    return "expired"
