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
    y = PAGE_HEIGHT - 50 * mm

    def line(text: str, font: str, size: float, color, gap_before: float) -> None:
        nonlocal y
        y -= gap_before
        canvas.setFillColor(color)
        canvas.setFont(font, size)
        canvas.drawCentredString(center, y, text)

    def fitted(text: str, largest: float, smallest: float, color, gap_before: float) -> None:
        """A name or title as large as fits, wrapped at the smallest size when it must."""
        nonlocal y
        lines, size = _fitted_lines(text, fonts.bold, largest, smallest)
        y -= gap_before
        canvas.setFillColor(color)
        canvas.setFont(fonts.bold, size)
        for text_line in lines:
            canvas.drawCentredString(center, y, text_line)
            y -= size * 1.2

    line("PATHSHALA", fonts.bold, 13, ACCENT, 0)
    line("Certificate of Completion", fonts.bold, 30, INK, 16 * mm)
    line("This certifies that", fonts.regular, 13, MUTED, 14 * mm)
    fitted(certificate.student_name, 28, 16, INK, 13 * mm)
    line("has successfully completed the course", fonts.regular, 13, MUTED, 3 * mm)
    fitted(certificate.course_title, 20, 13, ACCENT, 11 * mm)
    line(f"taught by {certificate.instructor_name}", fonts.regular, 12, MUTED, 2 * mm)

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
