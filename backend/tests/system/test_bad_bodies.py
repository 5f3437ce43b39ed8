"""Every write endpoint, fed bodies that are not what it expects, answers a JSON 4xx: never a
500, never a trace, as anonymous and as an admin (who passes every role check)."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.auth.api import assert_error

BODIES = [
    ("[1, 2]", "application/json"),
    ("null", "application/json"),
    ('"text"', "application/json"),
    ("42", "application/json"),
    ("{", "application/json"),
    ('{"unexpected": {"deeply": ["nested", null]}}', "application/json"),
    ("a=1&b=2", "application/x-www-form-urlencoded"),
    ("\xff\xfe binary", "application/octet-stream"),
]


# They read no body, and would end the admin's session for the rest of the sweep.
BODYLESS = {"/api/auth/logout", "/api/auth/logout-all"}


def _write_routes(app) -> list[tuple[str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.rule in BODYLESS:
            continue
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH"}):
            routes.append((method, rule.rule))
    return sorted(routes)


def _fill(rule: str) -> str:
    return re.sub(r"<[^>]+>", str(uuid.uuid4()), rule)


@pytest.mark.parametrize("as_admin", [False, True], ids=["anonymous", "admin"])
def test_write_endpoints_refuse_bad_bodies_cleanly(app, client, make_user, auth_headers, as_admin):
    headers = auth_headers(make_user("admin")) if as_admin else {}
    failures = []
    for method, rule in _write_routes(app):
        for data, content_type in BODIES:
            response = client.open(
                _fill(rule), method=method, data=data, content_type=content_type, headers=headers
            )
            if not 400 <= response.status_code < 500:
                failures.append(f"{method} {rule} {data!r}: {response.status_code}")
                continue
            assert_error(response, response.status_code)
    assert not failures, "\n".join(failures)
