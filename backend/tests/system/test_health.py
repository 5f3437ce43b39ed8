"""GET /health (the contract's) and /health/ready (the database and Redis)."""

from __future__ import annotations

import pytest

from tests.conftest import REDIS_URL, USE_REDIS
from tests.fakes.smtp import free_port
from tests.fakes.workers import client_for

needs_redis = pytest.mark.skipif(not USE_REDIS, reason=f"Redis not reachable at {REDIS_URL}")


def test_health_is_ok_with_the_database_up(client):
    response = client.get("/health")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "db": "ok"}


def _with_the_database_down(spawn_app):
    return spawn_app(BACKEND_DATABASE_URL=f"postgresql://postgres@127.0.0.1:{free_port()}/x")


def test_health_is_503_with_the_database_down(spawn_app):
    response = client_for(_with_the_database_down(spawn_app)).get("/health")

    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "db": "error"}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/auth/login", {"email": "a@example.com", "password": "whatever-123"}),
        ("GET", "/api/courses", None),
    ],
)
def test_a_dead_database_is_a_503_without_details(spawn_app, method, path, body):
    down = client_for(_with_the_database_down(spawn_app))

    response = down.open(path, method=method, json=body)

    assert response.status_code == 503
    assert response.get_json()["code"] == "service_unavailable"
    assert set(response.get_json()) <= {"code", "message", "request_id"}
    assert response.headers["Retry-After"]
    text = response.get_data(as_text=True)
    assert "psycopg2" not in text and "127.0.0.1" not in text and "Traceback" not in text


def test_a_dead_redis_is_a_503_for_authenticated_calls(spawn_app, make_user, auth_headers):
    down = spawn_app(BACKEND_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    headers = auth_headers(make_user())

    response = client_for(down).get("/api/auth/me", headers=headers)

    assert response.status_code == 503
    assert response.get_json()["code"] == "service_unavailable"


@needs_redis
def test_ready_reports_the_database_and_redis(spawn_app):
    response = client_for(spawn_app(BACKEND_REDIS_URL=REDIS_URL)).get("/health/ready")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "db": "ok", "redis": "ok"}


def test_ready_without_redis_says_so(spawn_app):
    response = client_for(spawn_app(BACKEND_REDIS_URL="")).get("/health/ready")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "db": "ok", "redis": "off"}


def test_ready_is_503_when_redis_is_down(spawn_app):
    down = spawn_app(BACKEND_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")

    response = client_for(down).get("/health/ready")

    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "db": "ok", "redis": "error"}
    # /health is the database only: a Redis outage does not take the app out of rotation
    assert client_for(down).get("/health").status_code == 200


def test_ready_is_503_when_the_database_is_down(spawn_app):
    response = client_for(_with_the_database_down(spawn_app)).get("/health/ready")

    assert response.status_code == 503
    assert response.get_json()["db"] == "error"


def test_config_tells_the_spa_what_it_needs(client):
    response = client.get("/api/config")

    assert response.status_code == 200
    assert response.get_json() == {
        "google_client_id": None,
        "payment_sandbox": True,
        "public_url": "http://pathshala.test",
    }
