"""More app instances on the test database, as separate gunicorn workers would be: each has its
own engine, revocation store, rate-limit storage and mailer, and they share only what real
workers share (the database, and Redis when configured).

``spawn_app(**overrides)`` is a fixture; every app it builds has its engine disposed after
the test, so the connection pool does not outlive it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from pathshala.extensions import db
from tests.conftest import random_loopback_ip


@pytest.fixture
def spawn_app(make_app) -> Iterator[Callable[..., Flask]]:
    built: list[Flask] = []

    def build(**overrides: str) -> Flask:
        application = make_app(**overrides)
        built.append(application)
        return application

    yield build
    for application in built:
        with application.app_context():
            db.engine.dispose()


def client_for(application: Flask, ip: str | None = None) -> FlaskClient:
    """A test client with its own address, so per-IP rate limits stay within the test."""
    test_client = application.test_client()
    test_client.environ_base["REMOTE_ADDR"] = ip or random_loopback_ip()
    return test_client
