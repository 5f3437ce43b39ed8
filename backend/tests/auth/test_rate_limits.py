"""Rate limits: login 10/min per IP and per email, register 10/hour per IP, forgot-password
5/hour per IP; the 429 is the one JSON error. Redis storage when configured, shared by
every worker."""

from __future__ import annotations

import pytest
from limits.storage import MemoryStorage, RedisStorage

from pathshala.extensions import limiter
from pathshala.users.models import User
from tests.auth.api import PASSWORD, assert_error, count, login, register, unique_email
from tests.conftest import REDIS_URL, USE_REDIS, random_loopback_ip
from tests.fakes.workers import client_for

needs_redis = pytest.mark.skipif(not USE_REDIS, reason=f"Redis not reachable at {REDIS_URL}")
LIMITED = {"BACKEND_RATELIMIT_ENABLED": "true"}


@pytest.fixture
def limited_app(spawn_app):
    return spawn_app(**LIMITED)


def _assert_rate_limited(response):
    body = assert_error(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) > 0
    return body


def test_the_limits_use_redis_when_it_is_configured(limited_app):
    with limited_app.app_context():
        storage = limiter.storage
    assert isinstance(storage, RedisStorage if USE_REDIS else MemoryStorage)


def test_login_allows_10_a_minute_per_ip(limited_app):
    client = client_for(limited_app)
    for attempt in range(10):
        response = login(client, unique_email(f"try{attempt}"), "wrong-password-1")
        assert response.status_code == 401, attempt

    _assert_rate_limited(login(client, unique_email("eleventh"), "wrong-password-1"))
    # another address is not affected
    assert login(client_for(limited_app), unique_email(), "wrong-password-1").status_code == 401


def test_login_allows_10_a_minute_per_email_from_any_ip(limited_app, make_user):
    user = make_user(email=unique_email("target"))
    for _ in range(10):
        assert login(client_for(limited_app), user.email, "guess-password-1").status_code == 401

    # the right password, from a fresh address, is refused too: the account is being guessed
    _assert_rate_limited(login(client_for(limited_app), user.email, PASSWORD))
    # whatever the email's case
    _assert_rate_limited(login(client_for(limited_app), user.email.upper(), PASSWORD))
    # other accounts can still sign in
    other = make_user(email=unique_email())
    assert login(client_for(limited_app), other.email).status_code == 200


def test_register_allows_10_an_hour_per_ip(limited_app):
    client = client_for(limited_app)
    for _ in range(10):
        assert register(client).status_code == 201

    _assert_rate_limited(register(client))
    assert count(User) == 10


def test_forgot_password_allows_5_an_hour_per_ip(limited_app):
    client = client_for(limited_app)
    for _ in range(5):
        response = client.post("/api/auth/forgot-password", json={"email": unique_email()})
        assert response.status_code == 200

    _assert_rate_limited(client.post("/api/auth/forgot-password", json={"email": unique_email()}))


def test_an_app_without_limits_does_not_switch_off_another_apps(spawn_app):
    unlimited = spawn_app(BACKEND_RATELIMIT_ENABLED="false")
    limited = spawn_app(**LIMITED)
    ip = random_loopback_ip()

    for _ in range(6):
        client_for(unlimited, ip).post("/api/auth/forgot-password", json={"email": unique_email()})
        client_for(limited, ip).post("/api/auth/forgot-password", json={"email": unique_email()})

    assert (
        client_for(unlimited, ip)
        .post("/api/auth/forgot-password", json={"email": unique_email()})
        .status_code
        == 200
    )
    _assert_rate_limited(
        client_for(limited, ip).post("/api/auth/forgot-password", json={"email": unique_email()})
    )


@needs_redis
def test_workers_sharing_redis_share_one_count(spawn_app):
    worker_a = spawn_app(BACKEND_REDIS_URL=REDIS_URL, **LIMITED)
    worker_b = spawn_app(BACKEND_REDIS_URL=REDIS_URL, **LIMITED)
    ip = random_loopback_ip()
    for worker in (worker_a, worker_b) * 5:
        assert login(client_for(worker, ip), unique_email(), "wrong-password-1").status_code == 401

    _assert_rate_limited(login(client_for(worker_a, ip), unique_email(), "wrong-password-1"))
    _assert_rate_limited(login(client_for(worker_b, ip), unique_email(), "wrong-password-1"))
