"""Google's token-signing side, locally: an RSA key, a self-signed X.509 certificate served as
``{kid: PEM}`` over HTTP (like https://www.googleapis.com/oauth2/v1/certs, with Cache-Control
max-age), and ID tokens signed by the real google-auth signer.

``google_issuer`` is a fixture; ``google_issuer.hits`` counts certificate downloads.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from google.auth import crypt
from google.auth import jwt as google_jwt

CLIENT_ID = "pathshala-tests.apps.googleusercontent.com"
KEY_ID = "k1"


def _key_and_certificate() -> tuple[bytes, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "accounts.google.test")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=2))
        .sign(key, hashes.SHA256())
    )
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return private_pem, certificate.public_bytes(serialization.Encoding.PEM).decode()


class GoogleIssuer:
    client_id = CLIENT_ID
    key_id = KEY_ID

    def __init__(self, max_age: int = 3600) -> None:
        private_pem, certificate_pem = _key_and_certificate()
        self.signer = crypt.RSASigner.from_string(private_pem, key_id=self.key_id)
        # A key Google never published, for forged signatures (same kid, or an unknown one).
        other_private_pem, _ = _key_and_certificate()
        self.forger = crypt.RSASigner.from_string(other_private_pem, key_id=self.key_id)
        self.unknown_kid_signer = crypt.RSASigner.from_string(private_pem, key_id="not-published")
        self._lock = threading.Lock()
        self._hits = 0
        body = json.dumps({self.key_id: certificate_pem}).encode()
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                with issuer._lock:
                    issuer._hits += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", f"public, max-age={max_age}")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # A unique path per issuer: the app's certificate cache is keyed by URL.
        self.certs_url = (
            f"http://127.0.0.1:{self._server.server_address[1]}/oauth2/v1/certs/{uuid.uuid4().hex}"
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def hits(self) -> int:
        with self._lock:
            return self._hits

    def settings(self) -> dict[str, str]:
        """make_app overrides that turn Google sign-in on against this issuer."""
        return {
            "GOOGLE_CLIENT_ID": self.client_id,
            "BACKEND_GOOGLE_CLIENT_ID": "",
            "BACKEND_GOOGLE_CERTS_URL": self.certs_url,
        }

    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": "https://accounts.google.com",
            "aud": self.client_id,
            "azp": self.client_id,
            "sub": str(uuid.uuid4().int)[:21],
            "email": f"g-{uuid.uuid4().hex[:10]}@gmail.test",
            "email_verified": True,
            "name": "Gita Google",
            "iat": now,
            "exp": now + 600,
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def id_token(self, signer: crypt.Signer | None = None, **overrides: Any) -> str:
        return google_jwt.encode(signer or self.signer, self.claims(**overrides)).decode()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def google_issuer() -> Iterator[GoogleIssuer]:
    issuer = GoogleIssuer()
    yield issuer
    issuer.close()
