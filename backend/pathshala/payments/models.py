"""Money: orders (what a student set out to buy), payments (money received), refunds,
provider webhook deliveries, and every status change of each, with who made it.

Amounts are integer paise. Table and column names of the first four tables are fixed:
operators query them directly.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pathshala.columns import Timestamps, UTCDateTime, utcnow, uuid_pk
from pathshala.courses.models import Course
from pathshala.extensions import db
from pathshala.users.models import User

ORDER_STATUSES = ("created", "attempted", "paid", "failed", "expired", "refunded")
#: orders that may still be paid through the provider's checkout (and are reused)
OPEN_ORDER_STATUSES = ("created", "attempted")
#: orders a captured payment still completes: money received is never turned away
COMPLETABLE_ORDER_STATUSES = ("created", "attempted", "failed", "expired")
ORDER_PROVIDERS = ("razorpay", "sandbox", "stripe", "manual")
PAYMENT_METHODS = ("razorpay", "sandbox", "stripe", "manual")
PAYMENT_STATUSES = ("paid", "partially_refunded", "refunded")
REFUND_STATUSES = ("pending", "processed", "failed")
ACTORS = ("user", "admin", "webhook", "reconcile", "system")
RECEIPT_SERIES = "receipt"


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


_OPEN_ORDER = text("status IN ('created', 'attempted')")


class PaymentOrder(Timestamps, db.Model):
    """An order for one course at the price of the moment, opened with a provider.
    ``receipt`` is the reference sent to the provider; ``receipt_number`` is the platform's
    sequential receipt number, given when the order is paid."""

    __tablename__ = "payment_orders"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(_one_of("status", ORDER_STATUSES), name="status_is_known"),
        CheckConstraint(_one_of("provider", ORDER_PROVIDERS), name="provider_is_known"),
        UniqueConstraint("provider_order_id"),
        UniqueConstraint("receipt"),
        UniqueConstraint("receipt_number"),
        # A student's orders, newest first.
        Index("ix_payment_orders_user_id_created_at", "user_id", "created_at"),
        Index("ix_payment_orders_course_id", "course_id"),
        # Reconciliation (open orders older than ...) and the ledger's status filter.
        Index("ix_payment_orders_status_created_at", "status", "created_at"),
        # At most one open order per student and course: create-order reuses it.
        Index(
            "uq_payment_orders_open_user_course",
            "user_id",
            "course_id",
            unique=True,
            postgresql_where=_OPEN_ORDER,
            sqlite_where=_OPEN_ORDER,
        ),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    # An unpaid order goes with its course; a paid one keeps the course (its payment and
    # enrollment refuse the delete).
    course_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("courses.id", ondelete="CASCADE"), nullable=False
    )
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="INR")
    provider: Mapped[str] = mapped_column(String(20), nullable=False)
    provider_order_id: Mapped[str | None] = mapped_column(String(255))
    receipt: Mapped[str] = mapped_column(String(40), nullable=False)
    receipt_number: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="created")
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()
    payments: Mapped[list[Payment]] = relationship(
        back_populates="order", order_by="Payment.created_at"
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ORDER_STATUSES

    @property
    def receipt_label(self) -> str | None:
        return None if self.receipt_number is None else f"PS-{self.receipt_number:06d}"

    @property
    def payment(self) -> Payment | None:
        """The payment that paid the order (loaded with the order's payments)."""
        return self.payments[0] if self.payments else None


class Payment(Timestamps, db.Model):
    """Money received for an order: through a provider, or recorded by an admin (manual)."""

    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(
            "amount_refunded >= 0 AND amount_refunded <= amount", name="refund_within_amount"
        ),
        CheckConstraint(_one_of("method", PAYMENT_METHODS), name="method_is_known"),
        CheckConstraint(_one_of("status", PAYMENT_STATUSES), name="status_is_known"),
        UniqueConstraint("provider_payment_id"),
        Index("ix_payments_order_id", "order_id"),
        Index("ix_payments_user_id", "user_id"),
        Index("ix_payments_course_id_created_at", "course_id", "created_at"),
        # The ledger: newest first, filtered by method or status.
        Index("ix_payments_created_at", "created_at"),
        Index("ix_payments_method_created_at", "method", "created_at"),
        Index("ix_payments_status_created_at", "status", "created_at"),
        Index("ix_payments_recorded_by_user_id", "recorded_by_user_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    order_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("payment_orders.id", ondelete="RESTRICT"), nullable=False
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    course_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("courses.id", ondelete="RESTRICT"), nullable=False
    )
    method: Mapped[str] = mapped_column(String(10), nullable=False)
    provider_payment_id: Mapped[str | None] = mapped_column(String(255))
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="INR")
    amount_refunded: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="paid")
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT")
    )
    provider_payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    paid_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    order: Mapped[PaymentOrder] = relationship(back_populates="payments")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    course: Mapped[Course] = relationship()
    refunds: Mapped[list[PaymentRefund]] = relationship(
        back_populates="payment", order_by="PaymentRefund.created_at"
    )

    @property
    def refundable(self) -> int:
        return self.amount - self.amount_refunded

    @property
    def provider_order_id(self) -> str | None:
        return self.order.provider_order_id


class PaymentRefund(db.Model):
    """Money given back, in full or in part, through the provider or recorded (manual)."""

    __tablename__ = "payment_refunds"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(_one_of("status", REFUND_STATUSES), name="status_is_known"),
        UniqueConstraint("provider_refund_id"),
        Index("ix_payment_refunds_payment_id", "payment_id"),
        Index("ix_payment_refunds_created_by_user_id", "created_by_user_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    payment_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("payments.id", ondelete="RESTRICT"), nullable=False
    )
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="INR")
    reason: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="processed")
    provider_refund_id: Mapped[str | None] = mapped_column(String(255))
    # Null when the refund was made outside the platform (the provider's dashboard).
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    payment: Mapped[Payment] = relationship(back_populates="refunds")


class WebhookEvent(db.Model):
    """Every webhook delivery that passed the signature check, once per event id: the unique
    constraint is what makes a redelivered event a no-op."""

    __tablename__ = "webhook_events"
    __table_args__ = (
        UniqueConstraint("provider", "event_id"),
        Index("ix_webhook_events_received_at", "received_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    provider: Mapped[str] = mapped_column(String(20), nullable=False)
    event_id: Mapped[str] = mapped_column(String(100), nullable=False)
    event_type: Mapped[str] = mapped_column(String(60), nullable=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    outcome: Mapped[str] = mapped_column(String(40), nullable=False, default="received")
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class PaymentTransition(db.Model):
    """One status change of an order (or of a payment, when refunded): from what to what,
    by whom (``actor`` with ``actor_user_id`` for people; webhook, reconcile, system), when."""

    __tablename__ = "payment_transitions"
    __table_args__ = (
        CheckConstraint(_one_of("actor", ACTORS), name="actor_is_known"),
        CheckConstraint("entity IN ('order', 'payment')", name="entity_is_known"),
        Index("ix_payment_transitions_order_id_created_at", "order_id", "created_at"),
        Index("ix_payment_transitions_payment_id", "payment_id"),
        Index("ix_payment_transitions_actor_user_id", "actor_user_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    entity: Mapped[str] = mapped_column(String(10), nullable=False, default="order")
    order_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("payment_orders.id", ondelete="CASCADE"), nullable=False
    )
    payment_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("payments.id", ondelete="RESTRICT")
    )
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20), nullable=False)
    actor: Mapped[str] = mapped_column(String(20), nullable=False)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT")
    )
    reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    # Declared so the unit of work inserts the order and payment before their transitions.
    order: Mapped[PaymentOrder] = relationship()
    payment: Mapped[Payment | None] = relationship()


class ReceiptCounter(db.Model):
    """The last receipt number given, per series: one row, taken with a row lock by the
    transaction that marks an order paid, so numbers are sequential and without gaps."""

    __tablename__ = "receipt_counters"

    series: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
