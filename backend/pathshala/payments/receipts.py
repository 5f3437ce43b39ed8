"""PDF receipts of paid orders, drawn on request (nothing is stored).

A receipt shows what the ledger already holds: the order's sequential receipt number, who was
billed, the course, the amount paid, how it was paid, and any refunds. When the platform's
GSTIN is configured the receipt also states the GST included in the amount (18%), split in
integer paise, rounded half up.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from pathshala.errors import Conflict, NotFound
from pathshala.extensions import db
from pathshala.payments.models import Payment, PaymentOrder
from pathshala.settings import Settings
from pathshala.users.models import User

#: Orders that were paid at some point: paid, or paid then refunded in part or in full.
RECEIPT_ORDER_STATUSES = ("paid", "refunded")
GST_RATE_PERCENT = 18
METHOD_NAMES = {
    "razorpay": "Razorpay",
    "stripe": "Stripe",
    "manual": "Bank transfer / manual",
    "sandbox": "Sandbox (test payment)",
}
# The rupee sign needs a font that has it; the PDF standard fonts do not. DejaVu Sans is on
# most Linux hosts; without it the receipt writes "INR" instead of the sign.
UNICODE_FONT_PATHS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
)
UNICODE_FONT = "PathshalaReceiptSans"


@dataclass(frozen=True)
class Receipt:
    filename: str
    content: bytes


def format_inr(paise: int, symbol: str = "₹") -> str:
    """Integer paise as Indian rupees with en-IN grouping: 14990000 -> ₹1,49,900.00."""
    sign = "-" if paise < 0 else ""
    rupees, remainder = divmod(abs(paise), 100)
    digits = str(rupees)
    if len(digits) > 3:
        head, tail = digits[:-3], digits[-3:]
        groups = []
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        groups.insert(0, head)
        digits = ",".join(groups) + "," + tail
    return f"{sign}{symbol}{digits}.{remainder:02d}"


def gst_split(inclusive_paise: int, rate_percent: int = GST_RATE_PERCENT) -> tuple[int, int]:
    """(taxable value, GST) of an amount that includes GST, in paise; the taxable value is
    rounded half up and the GST is the rest, so the two always add up to the amount."""
    denominator = 100 + rate_percent
    taxable = (inclusive_paise * 100 * 2 + denominator) // (denominator * 2)
    return taxable, inclusive_paise - taxable


def receipt_for(user: User, order_id: uuid.UUID, *, page_compression: int = 1) -> Receipt:
    """The PDF receipt of an order: its owner's or, for an admin, anyone's (others: 404);
    only for orders that were paid (409 receipt_not_available otherwise)."""
    order = db.session.scalars(
        select(PaymentOrder)
        .options(
            joinedload(PaymentOrder.course),
            joinedload(PaymentOrder.user),
            selectinload(PaymentOrder.payments).selectinload(Payment.refunds),
        )
        .where(PaymentOrder.id == order_id)
    ).one_or_none()
    if order is None or (order.user_id != user.id and not user.is_admin):
        raise NotFound("No such order.", code="order_not_found")
    if (
        order.status not in RECEIPT_ORDER_STATUSES
        or order.receipt_label is None
        or order.payment is None
    ):
        raise Conflict(
            "A receipt is available once the order is paid.", code="receipt_not_available"
        )
    settings: Settings = current_app.extensions["pathshala.settings"]
    label = order.receipt_label
    return Receipt(
        filename=f"pathshala-receipt-{label}.pdf",
        content=_draw(order, settings, page_compression=page_compression),
    )


def _font() -> tuple[str, str]:
    """(font name, currency symbol) for amounts."""
    if UNICODE_FONT in pdfmetrics.getRegisteredFontNames():
        return UNICODE_FONT, "₹"
    for path in UNICODE_FONT_PATHS:
        if path.is_file():
            pdfmetrics.registerFont(TTFont(UNICODE_FONT, str(path)))
            return UNICODE_FONT, "₹"
    return "Helvetica", "INR "


def _date(moment: datetime | None) -> str:
    return moment.strftime("%d %b %Y") if moment else "-"


def _draw(order: PaymentOrder, settings: Settings, *, page_compression: int) -> bytes:
    font, symbol = _font()
    payment = order.payment
    assert payment is not None and order.receipt_label is not None

    def money(paise: int) -> str:
        return format_inr(paise, symbol)

    lines: list[tuple[str, str]] = []  # (style, text); style "title", "head" or "text"
    lines.append(("title", settings.business_name))
    if settings.business_address:
        lines.append(("text", settings.business_address))
    if settings.gstin:
        lines.append(("text", f"GSTIN: {settings.gstin}"))
    lines.append(("gap", ""))
    lines.append(("head", f"Receipt {order.receipt_label}"))
    lines.append(("text", f"Date paid: {_date(order.paid_at or payment.paid_at)}"))
    lines.append(("gap", ""))
    lines.append(("head", "Billed to"))
    lines.append(("text", order.user.name))
    lines.append(("text", order.user.email))
    lines.append(("gap", ""))
    lines.append(("head", "Course"))
    lines.append(("text", order.course.title))
    lines.append(("text", f"Amount paid: {money(payment.amount)} ({payment.currency})"))
    if settings.gstin:
        taxable, gst = gst_split(payment.amount)
        lines.append(
            (
                "text",
                f"The amount is inclusive of GST ({GST_RATE_PERCENT}%): taxable value "
                f"{money(taxable)}, GST {money(gst)}.",
            )
        )
    lines.append(("gap", ""))
    lines.append(("head", "Payment"))
    lines.append(("text", f"Method: {METHOD_NAMES.get(payment.method, payment.method)}"))
    if payment.provider_payment_id:
        reference = "UTR / reference" if payment.method == "manual" else "Payment id"
        lines.append(("text", f"{reference}: {payment.provider_payment_id}"))
    refunds = [refund for refund in payment.refunds if refund.status != "failed"]
    if refunds:
        lines.append(("gap", ""))
        lines.append(("head", "Refunds"))
        for refund in refunds:
            pending = "" if refund.status == "processed" else f" ({refund.status})"
            when = _date(refund.processed_at or refund.created_at)
            lines.append(("text", f"{when}: {money(refund.amount)} refunded{pending}"))
        lines.append(("text", f"Net amount: {money(payment.amount - payment.amount_refunded)}"))

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=page_compression)
    pdf.setTitle(f"Receipt {order.receipt_label}")
    pdf.setAuthor(settings.business_name)
    width, height = A4
    left, y = 20 * mm, height - 25 * mm
    sizes = {"title": 16, "head": 12, "text": 10}
    for style, text in lines:
        if style == "gap":
            y -= 4 * mm
            continue
        if y < 20 * mm:
            pdf.showPage()
            y = height - 25 * mm
        pdf.setFont(font, sizes[style])
        pdf.drawString(left, y, text)
        y -= sizes[style] * 0.5 * mm
    pdf.setFont(font, 8)
    pdf.drawString(left, 12 * mm, "This is a computer-generated receipt.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
