"""Test wiring: a real database (Postgres when reachable, else SQLite, loudly), Redis when
reachable, one app per worker, and a clean database for every test.

Tests commit for real (concurrency tests need real transactions across threads), so each
test ends by emptying every table rather than by rolling back one outer transaction.
"""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg2
import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, text

from pathshala import MIGRATIONS_DIR, create_app
from pathshala.extensions import db
from tests import factories

POSTGRES_DSN = os.environ.get("TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
KEEP_TABLES = {"roles", "alembic_version"}


def _postgres_reachable() -> bool:
    try:
        psycopg2.connect(POSTGRES_DSN, connect_timeout=2).close()
        return True
    except psycopg2.OperationalError:
        return False


def _redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


USE_POSTGRES = _postgres_reachable()
USE_REDIS = _redis_reachable()
FALLBACK_NOTICE = []
if not USE_POSTGRES:
    FALLBACK_NOTICE.append(f"POSTGRES NOT REACHABLE at {POSTGRES_DSN}: TESTS RUN ON SQLITE")
if not USE_REDIS:
    FALLBACK_NOTICE.append(f"REDIS NOT REACHABLE at {REDIS_URL}: IN-PROCESS FALLBACKS")
if os.environ.get("CI") and FALLBACK_NOTICE:
    raise pytest.UsageError(
        "CI must test against Postgres and Redis: " + "; ".join(FALLBACK_NOTICE)
    )


def pytest_report_header(config) -> list[str]:
    lines = [
        f"database: {'postgres ' + POSTGRES_DSN if USE_POSTGRES else 'SQLITE (fallback)'}",
        f"redis: {REDIS_URL if USE_REDIS else 'NONE (in-process fallbacks)'}",
    ]
    return lines + [f"!!! {notice} !!!" for notice in FALLBACK_NOTICE]


def pytest_terminal_summary(terminalreporter) -> None:
    # Also at the end: `-q` and xdist hide the report header, and this is what a reader checks.
    for line in pytest_report_header(None)[:2]:
        terminalreporter.write_line(line)
    for notice in FALLBACK_NOTICE:
        terminalreporter.write_line(f"!!! {notice} !!!", red=True, bold=True)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    """A fresh schema (Postgres) or file (SQLite) for this test run and xdist worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if not USE_POSTGRES:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    schema = f"test_{worker}_{uuid.uuid4().hex[:8]}"
    connection = psycopg2.connect(POSTGRES_DSN)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_DSN}?options=-csearch_path%3D{schema}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
        connection.close()


@pytest.fixture(scope="session")
def base_settings(database_url) -> dict[str, str]:
    settings = {
        "BACKEND_ENV": "test",
        "BACKEND_DATABASE_URL": database_url,
        "BACKEND_JWT_SECRET": "test-secret-" + "x" * 40,
        "BACKEND_PUBLIC_URL": "http://pathshala.test",
        "BACKEND_CORS_ORIGINS": "http://localhost:5173",
        "BACKEND_RATELIMIT_ENABLED": "true",
        "BACKEND_GOOGLE_CLIENT_ID": "",
        "BACKEND_SMTP_URL": "",
        "BACKEND_REDIS_URL": REDIS_URL if USE_REDIS else "",
    }
    return settings


@pytest.fixture(scope="session")
def make_app(base_settings) -> Callable[..., Flask]:
    """Another app instance on the same database (e.g. a second gunicorn worker, or one
    with SMTP or Google configured)."""

    def build(**overrides: str) -> Flask:
        return create_app({**base_settings, **overrides})

    return build


@pytest.fixture(scope="session")
def app(make_app) -> Flask:
    application = make_app()
    with application.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
    return application


def _empty_tables() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(autouse=True)
def clean_database(app) -> Iterator[None]:
    with app.app_context():
        yield
        db.session.rollback()
        _empty_tables()
        db.session.remove()


def random_loopback_ip() -> str:
    """Each test's client has its own address, so per-IP rate limits never leak between tests."""
    return f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(1, 254)}"


@pytest.fixture
def client(app) -> FlaskClient:
    test_client = app.test_client()
    test_client.environ_base["REMOTE_ADDR"] = random_loopback_ip()
    return test_client


@pytest.fixture
def make_user(app):
    return factories.make_user


@pytest.fixture
def auth_headers(app):
    """Bearer headers for a user (a fresh session)."""
    return factories.auth_headers


@contextmanager
def _counting(engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as queries: ...`` then ``len(queries)``."""
    return lambda: _counting(db.engine)
