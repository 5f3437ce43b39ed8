"""CORS: only BACKEND_CORS_ORIGINS may call the API from a browser, with credentials."""

from __future__ import annotations

from tests.fakes.workers import client_for

ALLOWED = "http://localhost:5173"


def _preflight(client, origin: str):
    return client.options(
        "/api/auth/login",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type, X-CSRF-TOKEN",
        },
    )


def test_an_allowed_origin_may_call_with_credentials(client):
    response = _preflight(client, ALLOWED)

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "x-csrf-token" in response.headers["Access-Control-Allow-Headers"].lower()


def test_another_origin_gets_no_cors_headers(client):
    preflight = _preflight(client, "https://evil.example")
    simple = client.get("/api/config", headers={"Origin": "https://evil.example"})

    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert "Access-Control-Allow-Origin" not in simple.headers


def test_the_request_id_is_readable_by_the_spa(client):
    response = client.get("/api/config", headers={"Origin": ALLOWED})

    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "X-Request-ID" in response.headers["Access-Control-Expose-Headers"]


def test_the_origins_come_from_the_setting(spawn_app):
    configured = client_for(spawn_app(BACKEND_CORS_ORIGINS="https://a.example, https://b.example"))

    for origin in ("https://a.example", "https://b.example"):
        assert _preflight(configured, origin).headers["Access-Control-Allow-Origin"] == origin
    assert "Access-Control-Allow-Origin" not in _preflight(configured, ALLOWED).headers
