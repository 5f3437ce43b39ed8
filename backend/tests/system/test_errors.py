"""One JSON error format for every status, request ids, the size limit, and no stack traces."""

from __future__ import annotations

import json
import logging

import pytest

from pathshala.users.models import User
from tests.auth.api import assert_error, count, register, unique_email
from tests.fakes.workers import client_for


def test_every_response_carries_a_request_id(client):
    generated = client.get("/health")
    echoed = client.get("/health", headers={"X-Request-ID": "req-1234abcd"})

    assert len(generated.headers["X-Request-ID"]) >= 16
    assert echoed.headers["X-Request-ID"] == "req-1234abcd"
    assert generated.headers["X-Request-ID"] != client.get("/health").headers["X-Request-ID"]


@pytest.mark.parametrize(
    "bad_id", ["short", "has spaces in it", "x" * 65, "semi;colon-1234", "ü" * 10]
)
def test_an_unusable_incoming_request_id_is_replaced(client, bad_id):
    response = client.get("/health", headers={"X-Request-ID": bad_id})

    assert response.headers["X-Request-ID"] != bad_id
    assert len(response.headers["X-Request-ID"]) >= 16


def test_error_bodies_carry_the_request_id(client):
    response = client.get("/api/auth/me", headers={"X-Request-ID": "trace-me-12345"})

    body = assert_error(response, 401, "not_authenticated")
    assert body["request_id"] == "trace-me-12345"


def test_unknown_api_paths_are_json_404(client):
    for path in ("/api/nothing-here", "/api/auth/nope", "/api/", "/api"):
        assert_error(client.get(path), 404, "not_found")


def test_a_wrong_method_is_json_405_with_allow(client):
    response = client.delete("/api/auth/login")

    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]
    assert_error(client.get("/api/auth/register"), 405, "method_not_allowed")
    assert_error(client.post("/health"), 405, "method_not_allowed")


@pytest.mark.parametrize(
    "payload",
    [
        '{"email": "a\\u0000@example.com", "password": "a-fine-password-42", "name": "A"}',
        '{"email": "a@example.com", "password": "a-fine-password-42", "name": "A\\u0000B"}',
        '{"email": "a@example.com", "password": "a-fine-\u0000password-42", "name": "A"}',
    ],
)
def test_a_nul_character_in_json_is_400(client, payload):
    response = client.post("/api/auth/register", data=payload, content_type="application/json")

    assert_error(response, 400, "invalid_characters")
    assert count(User) == 0


def test_a_nul_character_in_the_query_string_is_400(client):
    assert_error(client.get("/api/courses?q=a%00b"), 400, "invalid_characters")


def test_an_oversized_body_is_json_413_and_writes_nothing(client):
    body = json.dumps(
        {"email": unique_email(), "password": "a-fine-password-42", "name": "A" * 2_000_000}
    )

    response = client.post("/api/auth/register", data=body, content_type="application/json")

    assert_error(response, 413, "payload_too_large")
    assert count(User) == 0


def test_the_size_limit_is_a_setting(spawn_app):
    small = client_for(spawn_app(BACKEND_MAX_REQUEST_BYTES="2048"))

    response = small.post("/api/auth/register", json={"name": "A" * 3000})

    assert_error(response, 413, "payload_too_large")
    assert register(small).status_code == 201


def test_an_unexpected_error_is_a_json_500_without_a_trace(spawn_app, caplog):
    application = spawn_app()

    def explode():
        raise RuntimeError("secret internals: password=hunter2")

    application.add_url_rule("/api/explode", "explode", explode)

    with caplog.at_level(logging.ERROR, logger="pathshala.errors"):
        response = client_for(application).get("/api/explode")

    body = assert_error(response, 500, "internal_error")
    assert "hunter2" not in response.get_data(as_text=True)
    assert "RuntimeError" not in response.get_data(as_text=True)
    assert body["request_id"]
    # the whole story is in the log instead
    assert any("hunter2" in (r.exc_text or str(r.exc_info)) for r in caplog.records)


def test_validation_errors_name_the_fields(client):
    body = assert_error(
        client.post("/api/auth/register", json={"email": "bad", "password": 5}),
        422,
        "invalid_input",
    )

    assert set(body["fields"]) == {"email", "password", "name"}
    assert all(isinstance(messages, list) for messages in body["fields"].values())


def test_no_error_response_contains_a_stack_trace(client, make_user, auth_headers):
    """A sweep over the ways a request can fail."""
    headers = auth_headers(make_user())
    responses = [
        client.get("/api/nope"),
        client.put("/api/auth/me", headers=headers),
        client.post("/api/auth/login", data="{{{", content_type="application/json"),
        client.post("/api/auth/login", json=[]),
        client.post("/api/auth/login", json={"email": None, "password": None}),
        client.post("/api/auth/register", json={"email": "x" * 10_000}),
        client.get("/api/auth/me", headers={"Authorization": "Bearer ..."}),
        client.get("/api/admin/users", headers=headers),
        client.get("/api/admin/users?page=-1", headers=headers),
        client.post("/api/auth/refresh", json={"refresh_token": 42}),
        client.post("/api/auth/reset-password", json={"token": "t" * 500, "new_password": "x"}),
    ]
    for response in responses:
        assert 400 <= response.status_code < 500, (response.request.path, response.status_code)
        assert_error(response, response.status_code)
