"""GET /api/payments/orders/<id>/receipt.pdf: the PDF receipt of a paid order."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from flask import Flask
from pypdf import PdfReader

from pathshala.extensions import db
from pathshala.payments import receipts, service
from pathshala.payments.receipts import format_inr, gst_split
from pathshala.pdf_fonts import unicode_font_files
from pathshala.settings import SettingsError, load_settings
from tests import factories
from tests.auth.api import assert_error
from tests.payments.helpers import client_for, make_sandbox_order, paid_course

GSTIN = "29ABCDE1234F1Z5"
LONG_ADDRESS = (
    "Third floor, Sri Lakshmi Venkateswara Commercial Complex, 12/4 Mahatma Gandhi Road, "
    "opposite the old Cauvery Emporium, Shivajinagar, Bengaluru, Karnataka 560001, India"
)
#: 200 characters, the longest title a course may have.
LONG_TITLE = (
    "Hindustani classical vocals from the ground up: breath, swara, alankars, the first ten "
    "raags of the evening, bandish singing with tabla accompaniment, and a recital project "
    "for the whole batch online."
)


@pytest.fixture(scope="module")
def gst_app(make_app) -> Iterator[Flask]:
    """The app with the platform's GSTIN, business name and address configured."""
    application = make_app(
        BACKEND_GSTIN=GSTIN,
        BACKEND_BUSINESS_NAME="Pathshala Learning LLP",
        BACKEND_BUSINESS_ADDRESS="12 MG Road, Bengaluru 560001",
    )
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def long_gst_app(make_app) -> Iterator[Flask]:
    """The app with a GSTIN and a business address long enough to wrap."""
    application = make_app(
        BACKEND_GSTIN=GSTIN,
        BACKEND_BUSINESS_NAME="Pathshala Learning LLP",
        BACKEND_BUSINESS_ADDRESS=LONG_ADDRESS,
    )
    yield application
    with application.app_context():
        db.engine.dispose()


def _paid_order(student, *, price: int = 149_900, title: str = "Hindustani vocals I", **fields):
    admin = factories.make_user("admin", password=None)
    course = paid_course(price=price, title=title)
    recorded = service.record_manual_payment(
        admin,
        {
            "course_id": course.id,
            "user_id": student.id,
            "provider_payment_id": "UTR12345678",
            **fields,
        },
    )
    return admin, recorded.payment


def _receipt(application: Flask, headers: dict[str, str], order_id):
    return client_for(application).get(
        f"/api/payments/orders/{order_id}/receipt.pdf", headers=headers
    )


def _pages(response) -> list:
    assert response.data.startswith(b"%PDF"), response.data[:40]
    return PdfReader(io.BytesIO(response.data)).pages


def _text(response) -> str:
    """The receipt's words, with runs of whitespace as one space: wrapped cells and table
    columns come out of the PDF on separate lines."""
    return " ".join(" ".join(page.extract_text() for page in _pages(response)).split())


def test_money_is_formatted_en_in_and_gst_split_in_paise():
    assert format_inr(149_900) == "₹1,499.00"
    assert format_inr(14_990_000) == "₹1,49,900.00"
    assert format_inr(5) == "₹0.05"
    assert format_inr(123_456_789_00) == "₹12,34,56,789.00"
    assert gst_split(149_900) == (127_034, 22_866)  # 149900 / 1.18 = 127033.898...
    assert gst_split(118) == (100, 18)
    assert gst_split(59) == (50, 9)  # 50.0 exactly
    assert gst_split(1) == (1, 0)  # 0.847 rounds up
    for amount in (1, 99, 49_900, 149_900, 1_000_001):
        taxable, gst = gst_split(amount)
        assert taxable + gst == amount


def test_the_owner_downloads_a_pdf_receipt(app, make_user, auth_headers):
    student = make_user(name="Meera Iyer")
    _, payment = _paid_order(student)
    label = payment.order.receipt_label

    response = _receipt(app, auth_headers(student), payment.order_id)

    assert response.status_code == 200, response.data[:200]
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="pathshala-receipt-{label}.pdf"'
    )
    text = _text(response)
    assert f"Receipt {label}" in text
    assert "Hindustani vocals I" in text
    assert "1,499.00" in text
    assert "Meera Iyer" in text and student.email in text
    assert "UTR12345678" in text
    assert "GST" not in text and "Refunds" not in text


def test_gstin_adds_the_tax_lines(gst_app, make_user, auth_headers):
    student = make_user()
    _, payment = _paid_order(student)
    response = _receipt(gst_app, auth_headers(student), payment.order_id)

    assert response.status_code == 200
    text = _text(response)
    assert f"GSTIN: {GSTIN}" in text
    assert "Pathshala Learning LLP" in text and "12 MG Road, Bengaluru 560001" in text
    assert "inclusive of GST (18%)" in text
    assert "1,270.34" in text and "228.66" in text


def test_refunds_are_listed_with_the_net_amount(app, make_user, auth_headers):
    student = make_user()
    admin, payment = _paid_order(student)
    service.refund_payment(admin, payment.id, amount=49_900, reason="Partial")

    response = _receipt(app, auth_headers(student), payment.order_id)

    assert response.status_code == 200
    text = _text(response)
    assert "Refunds" in text and "499.00 refunded" in text
    assert "Net amount: ₹1,000.00" in text or "Net amount: INR 1,000.00" in text

    service.refund_payment(admin, payment.id, amount=None, reason="The rest")
    fully = _receipt(app, auth_headers(student), payment.order_id)
    assert fully.status_code == 200
    assert "1,000.00 refunded" in _text(fully)


def test_others_get_404_admins_200_anonymous_401(app, make_user, auth_headers):
    student = make_user()
    _, payment = _paid_order(student)

    assert_error(_receipt(app, auth_headers(make_user()), payment.order_id), 404, "order_not_found")
    assert_error(
        _receipt(app, auth_headers(make_user("teacher")), payment.order_id), 404, "order_not_found"
    )
    assert _receipt(app, auth_headers(make_user("admin")), payment.order_id).status_code == 200
    assert_error(_receipt(app, {}, payment.order_id), 401)
    unknown = "00000000-0000-4000-8000-000000000000"
    assert_error(_receipt(app, auth_headers(make_user("admin")), unknown), 404, "order_not_found")


def test_an_unpaid_order_has_no_receipt(app, make_user, auth_headers):
    student = make_user()
    order = make_sandbox_order(student)
    response = _receipt(app, auth_headers(student), order.id)

    assert_error(response, 409, "receipt_not_available")


def test_gstin_setting_is_checked_and_optional():
    assert load_settings({}, env_files=False).gstin is None
    assert load_settings({"BACKEND_GSTIN": " 29abcde1234f1z5 "}, env_files=False).gstin == GSTIN
    with pytest.raises(SettingsError, match="BACKEND_GSTIN"):
        load_settings({"BACKEND_GSTIN": "29ABCDE"}, env_files=False)


def test_a_long_title_and_address_wrap_on_one_page(long_gst_app, make_user, auth_headers):
    assert len(LONG_TITLE) == 200
    student = make_user(name="Meenakshi Sundaram Venkataraghavan Iyer-Krishnamurthy")
    admin, payment = _paid_order(student, price=14_990_000, title=LONG_TITLE)
    service.refund_payment(admin, payment.id, amount=49_900, reason="Partial")

    response = _receipt(long_gst_app, auth_headers(student), payment.order_id)

    assert response.status_code == 200
    assert len(_pages(response)) == 1
    text = _text(response)
    assert LONG_TITLE in text
    assert LONG_ADDRESS in text
    assert "Meenakshi Sundaram Venkataraghavan Iyer-Krishnamurthy" in text
    assert f"GSTIN: {GSTIN}" in text and "inclusive of GST (18%)" in text
    assert "499.00 refunded" in text and "1,49,401.00" in text
    if unicode_font_files() is not None:
        assert "₹1,49,900.00" in text and "INR" not in text.replace("Currency: INR", "")


def test_without_dejavu_amounts_say_inr(app, make_user, auth_headers, monkeypatch, tmp_path):
    monkeypatch.setattr(receipts, "FONT_DIRS", (tmp_path,))
    student = make_user()
    _, payment = _paid_order(student)

    response = _receipt(app, auth_headers(student), payment.order_id)

    assert response.status_code == 200
    text = _text(response)
    assert "INR 1,499.00" in text and "₹" not in text
