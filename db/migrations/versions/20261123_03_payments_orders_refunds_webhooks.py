"""Payments: orders, payments, refunds, webhook events, status transitions, and the
receipt-number counter (seeded with the one series, "receipt").

One open order per student and course is a partial unique index (Postgres and SQLite both
support the WHERE clause).

Revision ID: 20261123_03
Revises: 20261123_02
Create Date: 2026-11-23 11:01:25.973010
"""

import sqlalchemy as sa
from alembic import op

revision = "20261123_03"
down_revision = "20261123_02"
branch_labels = None
depends_on = None


def upgrade():
    receipt_counters = op.create_table(
        "receipt_counters",
        sa.Column("series", sa.String(length=40), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("series", name=op.f("pk_receipt_counters")),
    )
    # The one receipt series; payments.service takes the next number under a row lock.
    op.bulk_insert(receipt_counters, [{"series": "receipt", "last_value": 0}])
    op.create_table(
        "webhook_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("event_type", sa.String(length=60), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_events")),
        sa.UniqueConstraint(
            "provider", "event_id", name=op.f("uq_webhook_events_provider_event_id")
        ),
    )
    with op.batch_alter_table("webhook_events", schema=None) as batch_op:
        batch_op.create_index("ix_webhook_events_received_at", ["received_at"], unique=False)

    op.create_table(
        "payment_orders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("provider_order_id", sa.String(length=64), nullable=True),
        sa.Column("receipt", sa.String(length=40), nullable=False),
        sa.Column("receipt_number", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "provider IN ('razorpay', 'sandbox', 'stripe', 'manual')",
            name=op.f("ck_payment_orders_provider_is_known"),
        ),
        sa.CheckConstraint(
            "status IN ('created', 'attempted', 'paid', 'failed', 'expired', 'refunded')",
            name=op.f("ck_payment_orders_status_is_known"),
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_orders_amount_positive")),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_payment_orders_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_payment_orders_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_orders")),
        sa.UniqueConstraint("provider_order_id", name=op.f("uq_payment_orders_provider_order_id")),
        sa.UniqueConstraint("receipt", name=op.f("uq_payment_orders_receipt")),
        sa.UniqueConstraint("receipt_number", name=op.f("uq_payment_orders_receipt_number")),
    )
    with op.batch_alter_table("payment_orders", schema=None) as batch_op:
        batch_op.create_index("ix_payment_orders_course_id", ["course_id"], unique=False)
        batch_op.create_index(
            "ix_payment_orders_status_created_at", ["status", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_payment_orders_user_id_created_at", ["user_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "uq_payment_orders_open_user_course",
            ["user_id", "course_id"],
            unique=True,
            postgresql_where=sa.text("status IN ('created', 'attempted')"),
            sqlite_where=sa.text("status IN ('created', 'attempted')"),
        )

    op.create_table(
        "payments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("provider_payment_id", sa.String(length=64), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount_refunded", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recorded_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("provider_payload", sa.JSON(), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "method IN ('razorpay', 'sandbox', 'stripe', 'manual')",
            name=op.f("ck_payments_method_is_known"),
        ),
        sa.CheckConstraint(
            "status IN ('paid', 'partially_refunded', 'refunded')",
            name=op.f("ck_payments_status_is_known"),
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payments_amount_positive")),
        sa.CheckConstraint(
            "amount_refunded >= 0 AND amount_refunded <= amount",
            name=op.f("ck_payments_refund_within_amount"),
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_payments_course_id_courses"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["payment_orders.id"],
            name=op.f("fk_payments_order_id_payment_orders"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["users.id"],
            name=op.f("fk_payments_recorded_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_payments_user_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint("provider_payment_id", name=op.f("uq_payments_provider_payment_id")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_payments_course_id_created_at", ["course_id", "created_at"], unique=False
        )
        batch_op.create_index("ix_payments_created_at", ["created_at"], unique=False)
        batch_op.create_index(
            "ix_payments_method_created_at", ["method", "created_at"], unique=False
        )
        batch_op.create_index("ix_payments_order_id", ["order_id"], unique=False)
        batch_op.create_index(
            "ix_payments_recorded_by_user_id", ["recorded_by_user_id"], unique=False
        )
        batch_op.create_index(
            "ix_payments_status_created_at", ["status", "created_at"], unique=False
        )
        batch_op.create_index("ix_payments_user_id", ["user_id"], unique=False)

    op.create_table(
        "payment_refunds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("provider_refund_id", sa.String(length=64), nullable=True),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'processed', 'failed')",
            name=op.f("ck_payment_refunds_status_is_known"),
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_refunds_amount_positive")),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_payment_refunds_created_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name=op.f("fk_payment_refunds_payment_id_payments"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_refunds")),
        sa.UniqueConstraint(
            "provider_refund_id", name=op.f("uq_payment_refunds_provider_refund_id")
        ),
    )
    with op.batch_alter_table("payment_refunds", schema=None) as batch_op:
        batch_op.create_index(
            "ix_payment_refunds_created_by_user_id", ["created_by_user_id"], unique=False
        )
        batch_op.create_index("ix_payment_refunds_payment_id", ["payment_id"], unique=False)

    op.create_table(
        "payment_transitions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entity", sa.String(length=10), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("payment_id", sa.Uuid(), nullable=True),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=20), nullable=False),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "actor IN ('user', 'admin', 'webhook', 'reconcile', 'system')",
            name=op.f("ck_payment_transitions_actor_is_known"),
        ),
        sa.CheckConstraint(
            "entity IN ('order', 'payment')", name=op.f("ck_payment_transitions_entity_is_known")
        ),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["users.id"],
            name=op.f("fk_payment_transitions_actor_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["payment_orders.id"],
            name=op.f("fk_payment_transitions_order_id_payment_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name=op.f("fk_payment_transitions_payment_id_payments"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_transitions")),
    )
    with op.batch_alter_table("payment_transitions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_payment_transitions_actor_user_id", ["actor_user_id"], unique=False
        )
        batch_op.create_index(
            "ix_payment_transitions_order_id_created_at", ["order_id", "created_at"], unique=False
        )
        batch_op.create_index("ix_payment_transitions_payment_id", ["payment_id"], unique=False)


def downgrade():
    with op.batch_alter_table("payment_transitions", schema=None) as batch_op:
        batch_op.drop_index("ix_payment_transitions_payment_id")
        batch_op.drop_index("ix_payment_transitions_order_id_created_at")
        batch_op.drop_index("ix_payment_transitions_actor_user_id")

    op.drop_table("payment_transitions")
    with op.batch_alter_table("payment_refunds", schema=None) as batch_op:
        batch_op.drop_index("ix_payment_refunds_payment_id")
        batch_op.drop_index("ix_payment_refunds_created_by_user_id")

    op.drop_table("payment_refunds")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index("ix_payments_user_id")
        batch_op.drop_index("ix_payments_status_created_at")
        batch_op.drop_index("ix_payments_recorded_by_user_id")
        batch_op.drop_index("ix_payments_order_id")
        batch_op.drop_index("ix_payments_method_created_at")
        batch_op.drop_index("ix_payments_created_at")
        batch_op.drop_index("ix_payments_course_id_created_at")

    op.drop_table("payments")
    with op.batch_alter_table("payment_orders", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_payment_orders_open_user_course",
            postgresql_where=sa.text("status IN ('created', 'attempted')"),
            sqlite_where=sa.text("status IN ('created', 'attempted')"),
        )
        batch_op.drop_index("ix_payment_orders_user_id_created_at")
        batch_op.drop_index("ix_payment_orders_status_created_at")
        batch_op.drop_index("ix_payment_orders_course_id")

    op.drop_table("payment_orders")
    with op.batch_alter_table("webhook_events", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_events_received_at")

    op.drop_table("webhook_events")
    op.drop_table("receipt_counters")
