"""The certificate as a one-page landscape PDF, drawn on request from the stored record: the
student, the course, the instructor, the date, the code, and a QR code to the public
verification page."""

from __future__ import annotations

import io

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from pathshala.certificates.models import Certificate
from pathshala.pdf_fonts import pdf_fonts

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
ACCENT = colors.HexColor("#364fc7")
GOLD = colors.HexColor("#b08d2c")
PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
TEXT_WIDTH = PAGE_WIDTH - 70 * mm
QR_SIZE = 30 * mm


def verify_url(public_url: str, code: str) -> str:
    return f"{public_url.rstrip('/')}/verify/{code}"


def _fitted_lines(text: str, font: str, largest: float, smallest: float) -> tuple[list[str], float]:
    """The largest size (down to ``smallest``) at which ``text`` fits on one line; below that,
    wrapped at the smallest size onto at most three lines."""
    size = largest
    while size > smallest and stringWidth(text, font, size) > TEXT_WIDTH:
        size -= 1
    lines = simpleSplit(text, font, size, TEXT_WIDTH)
    if len(lines) > 3:
        lines = lines[:3]
        lines[-1] = lines[-1].rstrip(" .") + "..."
    return lines, size


def draw_certificate(certificate: Certificate, public_url: str) -> bytes:
    fonts = pdf_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
    canvas.setTitle(f"Certificate {certificate.code}: {certificate.course_title}")
    canvas.setAuthor("Pathshala")
    canvas.setSubject(f"Certificate of completion for {certificate.student_name}")

    # Frame: an outer accent rule and a thin gold one inside it.
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(3)
    canvas.rect(10 * mm, 10 * mm, PAGE_WIDTH - 20 * mm, PAGE_HEIGHT - 20 * mm)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.rect(14 * mm, 14 * mm, PAGE_WIDTH - 28 * mm, PAGE_HEIGHT - 28 * mm)

    center = PAGE_WIDTH / 2
    y = PAGE_HEIGHT - 40 * mm
    canvas.setFillColor(ACCENT)
    canvas.setFont(fonts.bold, 13)
    canvas.drawCentredString(center, y, "PATHSHALA")
    y -= 16 * mm
    canvas.setFillColor(INK)
    canvas.setFont(fonts.bold, 30)
    canvas.drawCentredString(center, y, "Certificate of Completion")
    y -= 14 * mm
    canvas.setFillColor(MUTED)
    canvas.setFont(fonts.regular, 13)
    canvas.drawCentredString(center, y, "This certifies that")

    lines, size = _fitted_lines(certificate.student_name, fonts.bold, 28, 16)
    y -= 13 * mm
    canvas.setFillColor(INK)
    canvas.setFont(fonts.bold, size)
    for line in lines:
        canvas.drawCentredString(center, y, line)
        y -= size * 1.2
    y -= 3 * mm
    canvas.setFillColor(MUTED)
    canvas.setFont(fonts.regular, 13)
    canvas.drawCentredString(center, y, "has successfully completed the course")

    lines, size = _fitted_lines(certificate.course_title, fonts.bold, 20, 13)
    y -= 11 * mm
    canvas.setFillColor(ACCENT)
    canvas.setFont(fonts.bold, size)
    for line in lines:
        canvas.drawCentredString(center, y, line)
        y -= size * 1.25
    y -= 2 * mm
    canvas.setFillColor(MUTED)
    canvas.setFont(fonts.regular, 12)
    canvas.drawCentredString(center, y, f"taught by {certificate.instructor_name}")

    # Bottom row: date on the left, code and where to verify in the middle, QR on the right.
    base = 26 * mm
    canvas.setFillColor(INK)
    canvas.setFont(fonts.bold, 12)
    canvas.drawString(30 * mm, base + 8 * mm, certificate.issued_at.strftime("%d %B %Y"))
    canvas.setFillColor(MUTED)
    canvas.setFont(fonts.regular, 9)
    canvas.drawString(30 * mm, base + 3 * mm, "Date of issue")

    url = verify_url(public_url, certificate.code)
    canvas.setFillColor(INK)
    canvas.setFont(fonts.bold, 12)
    canvas.drawCentredString(center, base + 8 * mm, f"Certificate ID: {certificate.code}")
    canvas.setFillColor(MUTED)
    canvas.setFont(fonts.regular, 9)
    canvas.drawCentredString(center, base + 3 * mm, f"Verify at {url}")

    widget = QrCodeWidget(url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        QR_SIZE, QR_SIZE, transform=[QR_SIZE / (right - left), 0, 0, QR_SIZE / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, PAGE_WIDTH - 30 * mm - QR_SIZE, base - 4 * mm)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
