"""Small helpers the auth tests share: calls as a client makes them, and the error shape."""

from __future__ import annotations

import uuid
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from pathshala.extensions import db

PASSWORD = "a-fine-password-42"
ERROR_KEYS = {"code", "message", "fields", "request_id"}


def unique_email(prefix: str = "person") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def register(client: FlaskClient, **fields: Any) -> TestResponse:
    body = {"email": unique_email(), "password": PASSWORD, "name": "Asha Rao"}
    body.update(fields)
    return client.post("/api/auth/register", json=body)


def login(client: FlaskClient, email: str, password: str = PASSWORD, **kwargs) -> TestResponse:
    return client.post("/api/auth/login", json={"email": email, "password": password}, **kwargs)


def assert_error(response: TestResponse, status: int, code: str | None = None) -> dict:
    """The one error format: JSON with code and message, nothing that looks like a trace."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert isinstance(body, dict)
    assert set(body) <= ERROR_KEYS, body
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["message"], str) and body["message"]
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and 'File "' not in text
    if code is not None:
        assert body["code"] == code, body
    return body


def count(model: Any, *where: Any) -> int:
    """Rows of ``model`` as the database has them now (not as this session remembers)."""
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0
