"""Fonts for the PDFs the platform draws (receipts, certificates).

The rupee sign and most non-Latin names need a font that has them; the PDF standard fonts do
not. DejaVu Sans is on most Linux hosts (`make` installs it); without it the PDFs fall back to
Helvetica and write "INR" for the sign.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont

UNICODE_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
)
UNICODE_FONT = "PathshalaSans"
UNICODE_FONT_BOLD = "PathshalaSans-Bold"


@dataclass(frozen=True)
class PdfFonts:
    regular: str
    bold: str
    currency_symbol: str


def unicode_font_files(
    directories: tuple[Path, ...] | None = None,
) -> tuple[Path, Path] | None:
    """(regular, bold) DejaVu Sans files in the first directory holding the regular one; the
    regular file stands in for bold when bold is missing. None when no directory has it."""
    for directory in UNICODE_FONT_DIRS if directories is None else directories:
        regular = directory / "DejaVuSans.ttf"
        if regular.is_file():
            bold = directory / "DejaVuSans-Bold.ttf"
            return regular, bold if bold.is_file() else regular
    return None


def pdf_fonts(directories: tuple[Path, ...] | None = None) -> PdfFonts:
    """DejaVu Sans (which has the rupee sign) when installed, else the PDF standard Helvetica
    with "INR " written for the sign."""
    files = unicode_font_files(directories)
    if files is None:
        return PdfFonts("Helvetica", "Helvetica-Bold", "INR ")
    registered = pdfmetrics.getRegisteredFontNames()
    for name, path in zip((UNICODE_FONT, UNICODE_FONT_BOLD), files, strict=True):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    # Lets <b> inside a Paragraph pick the bold face.
    registerFontFamily(
        UNICODE_FONT,
        normal=UNICODE_FONT,
        bold=UNICODE_FONT_BOLD,
        italic=UNICODE_FONT,
        boldItalic=UNICODE_FONT_BOLD,
    )
    return PdfFonts(UNICODE_FONT, UNICODE_FONT_BOLD, "₹")
