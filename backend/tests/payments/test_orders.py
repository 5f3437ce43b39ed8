"""GET /api/payments/orders: the caller's orders, and the OpenAPI document of payments."""

from __future__ import annotations

from pathshala.users.models import User
from tests import factories
from tests.auth.api import assert_error
from tests.payments.helpers import PRICE, client_for, create_order, paid_course, verify


def _buy(sandbox_app, headers, course, outcome: str | None = "success") -> dict:
    client = client_for(sandbox_app)
    order = create_order(client, headers, course).json
    if outcome is not None:
        paid = client.post(
            "/api/payments/sandbox/pay",
            json={"order_id": order["order_id"], "outcome": outcome},
            headers=headers,
        ).json
        if outcome == "success":
            paid.pop("outcome")
            assert verify(client, headers, paid).status_code == 200
    return order


def test_my_orders_newest_first_with_course_status_and_receipt(
    sandbox_app, make_user, auth_headers
):
    student = make_user()
    headers = auth_headers(student)
    first = _buy(sandbox_app, headers, paid_course(title="Sitar I"))
    second = _buy(sandbox_app, headers, paid_course(title="Sitar II"), outcome="fail")
    third = _buy(sandbox_app, headers, paid_course(title="Sitar III", price=100), outcome=None)
    _buy(sandbox_app, auth_headers(make_user()), paid_course())  # someone else's

    response = client_for(sandbox_app).get("/api/payments/orders", headers=headers)

    assert response.status_code == 200, response.json
    body = response.json
    assert body["total"] == 3 and body["page"] == 1
    items = body["items"]
    assert [item["id"] for item in items] == [third["id"], second["id"], first["id"]]
    assert [item["status"] for item in items] == ["created", "failed", "paid"]
    assert [item["course"]["title"] for item in items] == ["Sitar III", "Sitar II", "Sitar I"]
    paid = items[2]
    assert paid["receipt_number"] == 1 and paid["receipt_label"] == "PS-000001"
    assert paid["amount"] == PRICE and paid["currency"] == "INR"
    assert paid["order_id"] == first["order_id"] and paid["paid_at"]
    assert paid["payment"]["method"] == "sandbox" and paid["payment"]["status"] == "paid"
    assert items[0]["payment"] is None and items[0]["receipt_number"] is None

    failed_only = client_for(sandbox_app).get(
        "/api/payments/orders", query_string={"status": "failed"}, headers=headers
    )
    assert [item["id"] for item in failed_only.json["items"]] == [second["id"]]
    assert_error(client_for(sandbox_app).get("/api/payments/orders"), 401)
    assert_error(
        client_for(sandbox_app).get(
            "/api/payments/orders", query_string={"status": "lost"}, headers=headers
        ),
        422,
    )


def test_my_orders_take_a_fixed_number_of_queries(
    sandbox_app, make_user, auth_headers, count_queries
):
    student = make_user()
    headers = auth_headers(student)
    client = client_for(sandbox_app)

    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/api/payments/orders", headers=headers).status_code == 200
        return len(statements)

    _buy(sandbox_app, headers, paid_course())
    one = queries()
    for outcome in ("success", "fail", None, "success"):
        _buy(sandbox_app, headers, paid_course(), outcome=outcome)

    assert queries() == one


def test_openapi_documents_the_payment_endpoints(app):
    spec = client_for(app).get("/api/openapi.json").json
    paths = spec["paths"]

    for path, method in [
        ("/api/payments/config", "get"),
        ("/api/payments/create-order", "post"),
        ("/api/payments/verify", "post"),
        ("/api/payments/webhook", "post"),
        ("/api/payments/manual-record", "post"),
        ("/api/payments/orders", "get"),
        ("/api/payments/{payment_id}/refund", "post"),
        ("/api/payments/sandbox/pay", "post"),
        ("/api/admin/payments", "get"),
    ]:
        assert method in paths.get(path, {}), f"{method.upper()} {path} is not documented"
    create = paths["/api/payments/create-order"]["post"]
    assert {"201", "409", "502", "503"} <= set(create["responses"])
    verify_doc = paths["/api/payments/verify"]["post"]
    assert {"200", "400", "404", "409", "502", "503"} <= set(verify_doc["responses"])
    assert "security" not in paths["/api/payments/webhook"]["post"]
    checkout = spec["components"]["schemas"]["Checkout"]["properties"]
    assert {"order_id", "amount", "currency", "key_id"} <= set(checkout)


def test_an_admin_buying_is_logged_as_admin(sandbox_app, make_user, auth_headers):
    """The transition log says who acted: here an admin buying a course for themselves."""
    from sqlalchemy import select

    from pathshala.extensions import db
    from pathshala.payments.models import PaymentTransition

    admin: User = make_user("admin")
    _buy(sandbox_app, factories.auth_headers(admin), paid_course())

    actors = set(
        db.session.execute(select(PaymentTransition.actor, PaymentTransition.actor_user_id))
    )
    assert actors == {("admin", admin.id)}
