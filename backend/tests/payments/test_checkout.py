"""create-order and verify against Razorpay (the local fake, through the real SDK)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from pathshala.columns import utcnow
from pathshala.enrollments.models import Enrollment
from pathshala.extensions import db
from pathshala.payments.models import Payment, PaymentOrder
from tests import factories
from tests.auth.api import assert_error
from tests.payments.helpers import (
    PRICE,
    client_for,
    count,
    create_order,
    order_row,
    paid_course,
    snapshot,
    transitions,
    verify,
)


def test_buying_a_course(rzp_app, razorpay, make_user, auth_headers):
    student = make_user("student", name="Meera Iyer")
    headers = auth_headers(student)
    course = paid_course(title="Hindustani vocals")
    client = client_for(rzp_app)

    created = create_order(client, headers, course)

    assert created.status_code == 201, created.json
    body = created.json
    assert body["order_id"].startswith("order_") and body["order_id"] in razorpay.orders
    assert (body["amount"], body["currency"], body["key_id"]) == (PRICE, "INR", razorpay.key_id)
    assert body["provider"] == "razorpay" and body["status"] == "created"
    assert body["description"] == "Hindustani vocals"
    assert body["prefill"] == {"name": "Meera Iyer", "email": student.email}
    assert razorpay.orders[body["order_id"]]["amount"] == PRICE
    assert razorpay.orders[body["order_id"]]["receipt"] == body["receipt"]

    payment = razorpay.pay(body["order_id"])
    verified = verify(client, headers, razorpay.checkout_response(body["order_id"], payment["id"]))

    assert verified.status_code == 200, verified.json
    result = verified.json
    assert result["status"] == "paid"
    assert result["enrollment"]["status"] == "active"
    assert result["enrollment"]["source"] == "razorpay"
    assert result["enrollment"]["course_id"] == str(course.id)
    assert result["payment"]["provider_payment_id"] == payment["id"]
    assert result["payment"]["method"] == "razorpay" and result["payment"]["amount"] == PRICE
    assert result["order"]["receipt_number"] == 1
    assert result["order"]["receipt_label"] == "PS-000001"
    order = order_row(body["order_id"])
    assert order.status == "paid" and order.paid_at is not None
    assert transitions(order) == [(None, "created", "user"), ("created", "paid", "user")]
    mine = client.get("/api/me/courses", headers=headers).json["items"]
    assert [item["course"]["id"] for item in mine] == [str(course.id)]


def test_the_amount_comes_from_the_database(rzp_app, make_user, auth_headers):
    course = paid_course()
    client = client_for(rzp_app)
    headers = auth_headers(make_user())

    tampered = client.post(
        "/api/payments/create-order",
        json={"course_id": str(course.id), "amount": 100},
        headers=headers,
    )

    assert_error(tampered, 422)
    assert create_order(client, headers, course).json["amount"] == PRICE


def test_an_open_order_is_reused(rzp_app, razorpay, make_user, auth_headers):
    course = paid_course()
    client = client_for(rzp_app)
    headers = auth_headers(make_user())

    first = create_order(client, headers, course).json
    second = create_order(client, headers, course).json

    assert first["order_id"] == second["order_id"] and first["id"] == second["id"]
    assert count(PaymentOrder) == 1


def test_a_new_price_opens_a_new_order_and_expires_the_old(rzp_app, make_user, auth_headers):
    course = paid_course()
    client = client_for(rzp_app)
    headers = auth_headers(make_user())
    first = create_order(client, headers, course).json
    course.price = 59_900
    db.session.commit()

    second = create_order(client, headers, course).json

    assert second["order_id"] != first["order_id"] and second["amount"] == 59_900
    old = order_row(first["order_id"])
    assert old.status == "expired"
    assert transitions(old)[-1] == ("created", "expired", "system")


def test_parallel_create_orders_make_one_order(rzp_app, make_user, auth_headers):
    from tests.payments.helpers import race

    course_id = str(paid_course().id)
    headers = auth_headers(make_user())

    responses = race([lambda: create_order(client_for(rzp_app), headers, course_id)] * 6)

    assert {r.status_code for r in responses} == {201}
    assert len({r.json["order_id"] for r in responses}) == 1
    assert count(PaymentOrder) == 1


def test_free_courses_enrolled_students_and_drafts_are_refused(
    rzp_app, razorpay, make_user, auth_headers
):
    student = make_user()
    headers = auth_headers(student)
    client = client_for(rzp_app)
    free = factories.make_course(price=0)
    bought = paid_course()
    factories.enroll(student, bought, source="razorpay")
    draft = paid_course(is_published=False)
    archived = paid_course(archived_at=utcnow())
    before = snapshot()
    orders_at_razorpay = len(razorpay.orders)

    assert_error(create_order(client, headers, free), 409, "course_is_free")
    assert_error(create_order(client, headers, bought), 409, "already_enrolled")
    assert_error(create_order(client, headers, draft), 404, "course_not_found")
    assert_error(create_order(client, headers, archived), 404, "course_not_found")
    unknown = client.post(
        "/api/payments/create-order",
        json={"course_id": "00000000-0000-4000-8000-000000000000"},
        headers=headers,
    )
    assert_error(unknown, 404, "course_not_found")
    assert_error(client.post("/api/payments/create-order", json={}, headers=headers), 422)
    assert_error(client.post("/api/payments/create-order", json={"course_id": str(free.id)}), 401)
    assert snapshot() == before and len(razorpay.orders) == orders_at_razorpay


def test_razorpay_down_while_opening_an_order(rzp_app, razorpay, make_user, auth_headers):
    course = paid_course()
    client = client_for(rzp_app)
    headers = auth_headers(make_user())
    before = snapshot()

    with razorpay.outage():
        assert_error(create_order(client, headers, course), 503, "payment_provider_unreachable")
    with razorpay.outage(status=500):
        assert_error(create_order(client, headers, course), 502, "payment_provider_error")

    assert snapshot() == before
    assert create_order(client, headers, course).status_code == 201


def test_an_authorized_payment_is_captured(rzp_app, razorpay, make_user, auth_headers):
    headers = auth_headers(make_user())
    client = client_for(rzp_app)
    order_id = create_order(client, headers, paid_course()).json["order_id"]
    payment = razorpay.pay(order_id, status="authorized")

    response = verify(client, headers, razorpay.checkout_response(order_id, payment["id"]))

    assert response.status_code == 200, response.json
    assert razorpay.calls("POST", f"/payments/{payment['id']}/capture") == 1
    assert razorpay.payments[payment["id"]]["status"] == "captured"
    assert order_row(order_id).status == "paid"


def test_a_failed_payment_does_not_pay(rzp_app, razorpay, make_user, auth_headers):
    headers = auth_headers(make_user())
    client = client_for(rzp_app)
    order_id = create_order(client, headers, paid_course()).json["order_id"]
    payment = razorpay.pay(order_id, status="failed")
    before = snapshot()

    response = verify(client, headers, razorpay.checkout_response(order_id, payment["id"]))

    assert_error(response, 400, "payment_not_captured")
    assert snapshot() == before and order_row(order_id).status == "created"


def test_repeating_a_verification_is_harmless(rzp_app, razorpay, make_user, auth_headers):
    headers = auth_headers(make_user())
    client = client_for(rzp_app)
    order_id = create_order(client, headers, paid_course()).json["order_id"]
    body = razorpay.checkout_response(order_id, razorpay.pay(order_id)["id"])
    first = verify(client, headers, body)
    after_first = snapshot()
    fetches = razorpay.calls("GET", "/payments/")

    again = verify(client, headers, body)

    assert first.status_code == again.status_code == 200
    assert again.json["payment"]["id"] == first.json["payment"]["id"]
    assert again.json["enrollment"]["id"] == first.json["enrollment"]["id"]
    assert snapshot() == after_first
    assert razorpay.calls("GET", "/payments/") == fetches  # answered from the database


def test_a_payment_id_used_for_another_order_is_409(rzp_app, razorpay, make_user, auth_headers):
    headers = auth_headers(make_user())
    client = client_for(rzp_app)
    first_order = create_order(client, headers, paid_course()).json["order_id"]
    second_order = create_order(client, headers, paid_course()).json["order_id"]
    payment_id = razorpay.pay(first_order)["id"]
    assert (
        verify(client, headers, razorpay.checkout_response(first_order, payment_id)).status_code
        == 200
    )
    before = snapshot()

    reused = verify(client, headers, razorpay.checkout_response(second_order, payment_id))

    assert_error(reused, 409, "payment_already_used")
    assert snapshot() == before and order_row(second_order).status == "created"


def test_receipt_numbers_follow_each_other(rzp_app, razorpay, make_user, auth_headers):
    client = client_for(rzp_app)
    numbers = []
    for _ in range(3):
        headers = auth_headers(make_user())
        order_id = create_order(client, headers, paid_course()).json["order_id"]
        body = razorpay.checkout_response(order_id, razorpay.pay(order_id)["id"])
        numbers.append(verify(client, headers, body).json["order"]["receipt_number"])

    assert numbers == [1, 2, 3]


def test_every_payment_row_names_its_order(rzp_app, razorpay, make_user, auth_headers):
    student = make_user()
    headers = auth_headers(student)
    client = client_for(rzp_app)
    course = paid_course()
    order_id = create_order(client, headers, course).json["order_id"]
    payment = razorpay.pay(order_id)
    verify(client, headers, razorpay.checkout_response(order_id, payment["id"]))

    db.session.expire_all()
    row = db.session.scalars(select(Payment)).one()
    assert (row.user_id, row.course_id, row.order_id) == (
        student.id,
        course.id,
        order_row(order_id).id,
    )
    assert row.provider_payload["id"] == payment["id"] and row.recorded_by_user_id is None
    enrollment = db.session.scalars(select(Enrollment)).one()
    assert enrollment.source == "razorpay" and enrollment.status == "active"
    assert row.paid_at > utcnow() - timedelta(minutes=1)
