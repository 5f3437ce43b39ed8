"""Provider ids up to 255 characters: Stripe's Checkout Session ids (cs_…) are longer than
Razorpay's, and Stripe documents 255 as the longest id it issues.

Revision ID: 20261123_04
Revises: 20261123_03
Create Date: 2026-11-23 14:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "20261123_04"
down_revision = "20261123_03"
branch_labels = None
depends_on = None

COLUMNS = (
    ("payment_orders", "provider_order_id"),
    ("payments", "provider_payment_id"),
    ("payment_refunds", "provider_refund_id"),
)


def _resize(length_from: int, length_to: int) -> None:
    for table, column in COLUMNS:
        # batch mode: SQLite cannot ALTER a column's type in place (the table is rebuilt).
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column,
                existing_type=sa.String(length=length_from),
                type_=sa.String(length=length_to),
                existing_nullable=True,
            )


def upgrade():
    _resize(64, 255)


def downgrade():
    _resize(255, 64)
