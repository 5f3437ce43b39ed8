"""Who may call what: one row per endpoint, one column per role, each cell a real request.

Adding an endpoint? Add its row to TABLE (and, when it needs a body, path parameters or a
special token, a request builder to BUILDERS). A route without a row fails
``test_every_endpoint_has_a_row``. Allowed cells send a valid request, so they must answer
2xx: a 422 there means the builder's body is wrong, not that the role is refused.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from flask import Flask
from google.auth import crypt
from google.auth import jwt as google_jwt

from pathshala.auth import sessions
from pathshala.auth.models import PasswordResetToken
from pathshala.extensions import db
from pathshala.users.models import User
from tests import factories
from tests.conftest import random_loopback_ip

ROLES = ("anonymous", "student", "instructor", "teacher", "admin")

# fmt: off
#                                                   anonymous student instructor teacher admin
TABLE: dict[tuple[str, str], tuple[int, int, int, int, int]] = {
    ("GET",   "/health"):                              (200,     200,    200,       200,    200),
    ("GET",   "/health/ready"):                        (200,     200,    200,       200,    200),
    ("GET",   "/api/config"):                          (200,     200,    200,       200,    200),
    ("POST",  "/api/auth/register"):                   (201,     201,    201,       201,    201),
    ("POST",  "/api/auth/login"):                      (200,     200,    200,       200,    200),
    ("POST",  "/api/auth/google"):                     (200,     200,    200,       200,    200),
    ("POST",  "/api/auth/refresh"):                    (401,     200,    200,       200,    200),
    ("POST",  "/api/auth/logout"):                     (401,     200,    200,       200,    200),
    ("POST",  "/api/auth/logout-all"):                 (401,     200,    200,       200,    200),
    ("GET",   "/api/auth/me"):                         (401,     200,    200,       200,    200),
    ("PATCH", "/api/auth/me"):                         (401,     200,    200,       200,    200),
    ("POST",  "/api/auth/admin/create-teacher"):       (401,     403,    403,       403,    201),
    ("POST",  "/api/auth/forgot-password"):            (200,     200,    200,       200,    200),
    ("POST",  "/api/auth/reset-password"):             (200,     200,    200,       200,    200),
    ("POST",  "/api/auth/change-password"):            (401,     200,    200,       200,    200),
    ("GET",   "/api/admin/users"):                     (401,     403,    403,       403,    200),
}
# fmt: on

EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    key: dict(zip(ROLES, statuses, strict=True)) for key, statuses in TABLE.items()
}

#: Routes outside the matrix, each with the reason.
EXEMPT: dict[tuple[str, str], str] = {
    ("GET", "/api/openapi.json"): "static OpenAPI document, public by design (test_openapi.py)",
    ("GET", "/api/docs"): "static Swagger UI page, public by design (test_openapi.py)",
    ("GET", "/"): "SPA catch-all: the built frontend, public files (system/test_spa.py)",
    ("GET", "/<spa_path:path>"): "SPA catch-all: the built frontend (system/test_spa.py)",
}

NEW_PASSWORD = "a-brand-new-password-91"


# ---- a Google ID-token issuer on a local port (Google sign-in needs signed tokens) ----------


class GoogleIssuer:
    """Signs ID tokens with a fresh RSA key and serves its certificate the way
    https://www.googleapis.com/oauth2/v1/certs does: ``{key_id: PEM certificate}``."""

    client_id = "role-matrix.apps.googleusercontent.com"
    key_id = "role-matrix-key"

    def __init__(self) -> None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake google")])
        now = datetime.now(UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=1))
            .sign(key, hashes.SHA256())
        )
        certs = {self.key_id: certificate.public_bytes(serialization.Encoding.PEM).decode()}
        private_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self._signer = crypt.RSASigner.from_string(private_pem, self.key_id)
        body = json.dumps(certs).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.certs_url = f"http://127.0.0.1:{self._server.server_address[1]}/certs"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def id_token(self, email: str, sub: str | None = None) -> str:
        now = int(time.time())
        claims = {
            "iss": "https://accounts.google.com",
            "aud": self.client_id,
            "sub": sub or uuid.uuid4().hex,
            "email": email,
            "email_verified": True,
            "name": "Google Person",
            "iat": now,
            "exp": now + 600,
        }
        return google_jwt.encode(self._signer, claims).decode()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


# ---- request builders -------------------------------------------------------------------------


@dataclass
class Caller:
    role: str  # one of ROLES
    user: User | None  # None when anonymous
    headers: dict[str, str]  # the Bearer header of the user's access token (empty if anonymous)
    google: GoogleIssuer


@dataclass
class Call:
    json: dict[str, Any] | None = None
    query: dict[str, Any] | None = None
    path_params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] | None = None  # None: the caller's own headers


def _email() -> str:
    return f"matrix-{uuid.uuid4().hex[:12]}@example.com"


def _someone(caller: Caller) -> User:
    """The caller's account, or (for anonymous callers) a fresh student's."""
    return caller.user or factories.make_user("student")


def _refresh_with_refresh_token(caller: Caller) -> Call:
    if caller.user is None:
        return Call()
    tokens = sessions.issue(caller.user)
    db.session.commit()
    return Call(headers={"Authorization": f"Bearer {tokens.refresh_token}"})


def _reset_password(caller: Caller) -> Call:
    user = _someone(caller)
    token = uuid.uuid4().hex + uuid.uuid4().hex
    db.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            expires_at=datetime.now(UTC) + timedelta(hours=1),
        )
    )
    db.session.commit()
    return Call(json={"token": token, "new_password": NEW_PASSWORD})


BUILDERS: dict[tuple[str, str], Callable[[Caller], Call]] = {
    ("POST", "/api/auth/register"): lambda c: Call(
        json={"email": _email(), "password": factories.DEFAULT_PASSWORD, "name": "Matrix"}
    ),
    ("POST", "/api/auth/login"): lambda c: Call(
        json={"email": _someone(c).email, "password": factories.DEFAULT_PASSWORD}
    ),
    ("POST", "/api/auth/google"): lambda c: Call(json={"id_token": c.google.id_token(_email())}),
    ("POST", "/api/auth/refresh"): _refresh_with_refresh_token,
    ("PATCH", "/api/auth/me"): lambda c: Call(json={"name": "Renamed Person"}),
    ("POST", "/api/auth/admin/create-teacher"): lambda c: Call(
        json={"email": _email(), "password": factories.DEFAULT_PASSWORD, "name": "New Teacher"}
    ),
    ("POST", "/api/auth/forgot-password"): lambda c: Call(json={"email": _someone(c).email}),
    ("POST", "/api/auth/reset-password"): _reset_password,
    ("POST", "/api/auth/change-password"): lambda c: Call(
        json={"current_password": factories.DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    ),
    ("GET", "/api/admin/users"): lambda c: Call(query={"q": "example", "per_page": 5}),
}

_RULE_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def fill_rule(rule: str, params: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in params:
            raise AssertionError(f"the builder for {rule} must supply path_params[{name!r}]")
        return str(params[name])

    return _RULE_PARAM.sub(value, rule)


# ---- the app's routes ---------------------------------------------------------------------------


def app_routes(app: Flask) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


@pytest.fixture(scope="module")
def google_issuer() -> Iterator[GoogleIssuer]:
    issuer = GoogleIssuer()
    yield issuer
    issuer.close()


@pytest.fixture(scope="module")
def matrix_app(make_app, google_issuer) -> Flask:
    """The test app plus Google sign-in (pointed at the local issuer); same database."""
    return make_app(
        BACKEND_GOOGLE_CLIENT_ID=google_issuer.client_id,
        BACKEND_GOOGLE_CERTS_URL=google_issuer.certs_url,
    )


def test_every_endpoint_has_a_row(app):
    routes = app_routes(app)
    missing = sorted(routes - EXPECTED.keys() - EXEMPT.keys())
    stale = sorted((EXPECTED.keys() | EXEMPT.keys()) - routes)
    assert not missing, (
        f"These endpoints have no role-matrix row: {missing}. Add a row per endpoint to TABLE "
        "in tests/test_role_matrix.py (status per role), and a request builder to BUILDERS "
        "if the endpoint needs a body, path parameters or a special token."
    )
    assert not stale, f"TABLE/EXEMPT name routes the app no longer has: {stale}; remove them."
    assert not EXPECTED.keys() & EXEMPT.keys(), "a route is both in TABLE and EXEMPT"
    assert set(BUILDERS) <= EXPECTED.keys(), "a builder exists for a route without a row"


def test_table_agrees_with_require_roles(app):
    """Endpoints guarded by @require_roles: exactly those roles get 2xx, anonymous 401."""
    for rule in app.url_map.iter_rules():
        required = getattr(app.view_functions[rule.endpoint], "required_roles", None)
        if required is None:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            row = EXPECTED[(method, rule.rule)]
            allowed = {role for role, status in row.items() if 200 <= status < 300}
            assert allowed == set(required), (method, rule.rule, allowed, required)
            assert row["anonymous"] == 401, (method, rule.rule)
            assert all(row[r] == 403 for r in ROLES[1:] if r not in required), (method, rule.rule)


CELLS = [(method, rule, role) for (method, rule), row in EXPECTED.items() for role in row]


@pytest.mark.parametrize(
    ("method", "rule", "role"), CELLS, ids=[f"{m} {r} as {role}" for m, r, role in CELLS]
)
def test_role_matrix(matrix_app, google_issuer, method, rule, role):
    expected = EXPECTED[(method, rule)][role]
    user = None if role == "anonymous" else factories.make_user(role)
    headers = factories.auth_headers(user) if user else {}
    builder = BUILDERS.get((method, rule), lambda _caller: Call())
    call = builder(Caller(role=role, user=user, headers=headers, google=google_issuer))

    client = matrix_app.test_client()
    client.environ_base["REMOTE_ADDR"] = random_loopback_ip()
    response = client.open(
        fill_rule(rule, call.path_params),
        method=method,
        json=call.json,
        query_string=call.query,
        headers=headers if call.headers is None else call.headers,
    )

    assert response.status_code == expected, (
        f"{method} {rule} as {role}: expected {expected}, got {response.status_code} "
        f"{response.get_data(as_text=True)[:500]}"
    )
    if expected == 401:
        assert response.json["code"] == "not_authenticated"
    elif expected == 403:
        assert response.json["code"] == "forbidden"
