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
from xml.sax.saxutils import escape

from flask import current_app
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from pathshala.errors import Conflict, NotFound
from pathshala.extensions import db
from pathshala.payments.models import Payment, PaymentOrder
from pathshala.pdf_fonts import PdfFonts, pdf_fonts
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
#: where the fonts are looked for; a test points it elsewhere to draw without DejaVu
FONT_DIRS: tuple[Path, ...] | None = None


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


def _date(moment: datetime | None) -> str:
    return moment.strftime("%d %b %Y") if moment else "-"


INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
RULE = colors.HexColor("#cbd2d9")
SHADE = colors.HexColor("#f0f4f8")
ACCENT = colors.HexColor("#1e3a5f")
PAGE_MARGIN = 18 * mm
#: platypus frames pad their content by 6 pt; the page margins make up for it so text, table
#: edges and the footer rule all line up at PAGE_MARGIN.
FRAME_PADDING = 6
AMOUNT_WIDTH = 42 * mm


def _styles(fonts: PdfFonts) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("text", fontName=fonts.regular, fontSize=9.5, leading=13, textColor=INK)
    return {
        "text": base,
        "muted": ParagraphStyle("muted", base, fontSize=8.5, leading=11.5, textColor=MUTED),
        "business": ParagraphStyle(
            "business", base, fontName=fonts.bold, fontSize=16, leading=20, textColor=ACCENT
        ),
        "title": ParagraphStyle(
            "title", base, fontName=fonts.bold, fontSize=15, leading=19, alignment=TA_RIGHT
        ),
        "right": ParagraphStyle("right", base, alignment=TA_RIGHT),
        "right_muted": ParagraphStyle(
            "right_muted", base, fontSize=8.5, leading=11.5, textColor=MUTED, alignment=TA_RIGHT
        ),
        "label": ParagraphStyle(
            "label", base, fontName=fonts.bold, fontSize=7.5, leading=10, textColor=MUTED
        ),
        "head": ParagraphStyle("head", base, fontName=fonts.bold, fontSize=8.5, leading=11),
        "head_right": ParagraphStyle(
            "head_right", base, fontName=fonts.bold, fontSize=8.5, leading=11, alignment=TA_RIGHT
        ),
        "strong": ParagraphStyle("strong", base, fontName=fonts.bold),
        "strong_right": ParagraphStyle(
            "strong_right", base, fontName=fonts.bold, alignment=TA_RIGHT
        ),
        "sub": ParagraphStyle("sub", base, fontSize=8.5, leading=11.5, leftIndent=10),
    }


def _draw(order: PaymentOrder, settings: Settings, *, page_compression: int) -> bytes:
    fonts = pdf_fonts(FONT_DIRS)
    style = _styles(fonts)
    payment = order.payment
    assert payment is not None and order.receipt_label is not None

    def money(paise: int) -> str:
        return escape(format_inr(paise, fonts.currency_symbol))

    def para(text: str, style_name: str = "text") -> Paragraph:
        # Names, titles and addresses are user text: escaped, so "&" or "<" print as written.
        return Paragraph(escape(text), style[style_name])

    width = A4[0] - 2 * PAGE_MARGIN
    story: list[Flowable] = []

    # Header: who issues the receipt (left), which receipt it is (right).
    issuer = [para(settings.business_name, "business")]
    if settings.business_address:
        issuer.append(para(settings.business_address, "muted"))
    if settings.gstin:
        issuer.append(para(f"GSTIN: {settings.gstin}", "muted"))
    paid_on = _date(order.paid_at or payment.paid_at)
    heading = [
        para(f"Receipt {order.receipt_label}", "title"),
        para(f"Date paid: {paid_on}", "right"),
    ]
    story.append(_columns([issuer, heading], [width * 0.58, width * 0.42]))
    story.append(Spacer(1, 4 * mm))
    story.append(HRFlowable(width="100%", thickness=1.2, color=ACCENT, spaceAfter=5 * mm))

    # Who paid, and how.
    billed_to = [
        para("Billed to", "label"),
        para(order.user.name, "strong"),
        para(order.user.email),
    ]
    paid_with = [
        para("Payment", "label"),
        para(f"Method: {METHOD_NAMES.get(payment.method, payment.method)}"),
    ]
    if payment.provider_payment_id:
        reference = "UTR / reference" if payment.method == "manual" else "Payment id"
        paid_with.append(para(f"{reference}: {payment.provider_payment_id}"))
    paid_with.append(para(f"Currency: {payment.currency}"))
    story.append(_columns([billed_to, paid_with], [width * 0.58, width * 0.42]))
    story.append(Spacer(1, 7 * mm))

    # The line, its tax split, what was paid, refunded and kept.
    rows: list[list[Flowable | str]] = [
        [para("Description", "head"), para("Amount", "head_right")],
        [
            [para(order.course.title, "strong"), para("Online course enrolment", "muted")],
            Paragraph(money(payment.amount), style["right"]),
        ],
    ]
    commands: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, RULE),
        ("LINEBELOW", (0, 1), (-1, 1), 0.5, RULE),
    ]
    if settings.gstin:
        taxable, gst = gst_split(payment.amount)
        rows.append([para("Taxable value", "sub"), Paragraph(money(taxable), style["right_muted"])])
        rows.append(
            [
                para(f"GST ({GST_RATE_PERCENT}%)", "sub"),
                Paragraph(money(gst), style["right_muted"]),
            ]
        )
        commands.append(("LINEBELOW", (0, len(rows) - 1), (-1, len(rows) - 1), 0.5, RULE))
    rows.append(
        [para("Amount paid", "strong"), Paragraph(money(payment.amount), style["strong_right"])]
    )
    refunds = [refund for refund in payment.refunds if refund.status != "failed"]
    if refunds:
        if payment.amount_refunded:
            rows.append(
                [
                    para("Less: refunded"),
                    Paragraph(f"-{money(payment.amount_refunded)}", style["right"]),
                ]
            )
        net = payment.amount - payment.amount_refunded
        rows.append([para("Net amount:", "strong"), Paragraph(money(net), style["strong_right"])])
        commands.append(("LINEABOVE", (0, len(rows) - 1), (-1, len(rows) - 1), 0.75, INK))
        commands.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), SHADE))
    else:
        commands.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), SHADE))
    table = Table(rows, colWidths=[width - AMOUNT_WIDTH, AMOUNT_WIDTH], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("BOX", (0, 0), (-1, -1), 0.75, RULE),
                *commands,
            ]
        )
    )
    story.append(table)
    if settings.gstin:
        story.append(Spacer(1, 2 * mm))
        story.append(
            para(
                f"The amount is inclusive of GST ({GST_RATE_PERCENT}%): taxable value "
                f"{format_inr(taxable, fonts.currency_symbol)}, "
                f"GST {format_inr(gst, fonts.currency_symbol)}.",
                "muted",
            )
        )

    if refunds:
        story.append(Spacer(1, 6 * mm))
        story.append(para("Refunds", "label"))
        story.append(Spacer(1, 1 * mm))
        for refund in refunds:
            pending = "" if refund.status == "processed" else f" ({refund.status})"
            when = _date(refund.processed_at or refund.created_at)
            story.append(
                para(
                    f"{when}: {format_inr(refund.amount, fonts.currency_symbol)} refunded{pending}"
                )
            )

    story.append(Spacer(1, 8 * mm))
    story.append(para(f"Thank you for learning with {settings.business_name}.", "muted"))

    def footer(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(PAGE_MARGIN, 15 * mm, A4[0] - PAGE_MARGIN, 15 * mm)
        canvas.setFont(fonts.regular, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(
            PAGE_MARGIN, 10.5 * mm, "This is a computer-generated receipt and needs no signature."
        )
        canvas.drawRightString(
            A4[0] - PAGE_MARGIN, 10.5 * mm, f"{order.receipt_label} · page {document.page}"
        )
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=PAGE_MARGIN - FRAME_PADDING,
        rightMargin=PAGE_MARGIN - FRAME_PADDING,
        topMargin=PAGE_MARGIN - FRAME_PADDING,
        bottomMargin=22 * mm - FRAME_PADDING,
        title=f"Receipt {order.receipt_label}",
        author=settings.business_name,
        pageCompression=page_compression,
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _columns(cells: list[list[Flowable]], widths: list[float]) -> Table:
    """Side-by-side blocks of paragraphs, top-aligned, with no padding at the outer edges."""
    table = Table([cells], colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), 12),
                ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table
