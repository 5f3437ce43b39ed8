"""An S3-compatible server, locally: moto's standalone server on a free loopback port.

Moto speaks S3's protocol (buckets, objects, multipart uploads, ranges, DeleteObjects), but
it accepts any presigned URL as it is: it checks neither the signature, nor the expiry, nor
the signed headers. AWS, R2 and MinIO check all three, and uploads rely on the signed
Content-Length and Content-Type to bound what a client may send. So requests carrying a
presigned query (``X-Amz-Signature``) pass a SigV4 check here first, answered with S3's own
errors: ``AccessDenied`` "Request has expired" and ``SignatureDoesNotMatch``.

``s3_server`` (session) is the server; ``s3_bucket`` is a fresh, empty bucket for one test,
removed afterwards; ``s3_server.settings(bucket)`` are the BACKEND_* values that point the
app at it.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

import boto3
import pytest
from botocore.config import Config
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

ACCESS_KEY = "pathshala-test-access"
SECRET_KEY = "pathshala-test-secret"
REGION = "us-east-1"
AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def _uri_encode(value: str, safe: str = "-_.~") -> str:
    return quote(value, safe=safe)


class PresignedUrlCheck:
    """WSGI middleware: SigV4 query-string authentication as S3 does it, before moto."""

    def __init__(self, app: Callable[..., Iterable[bytes]], secret_key: str) -> None:
        self.app = app
        self.secret_key = secret_key

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        params = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        if any(name == "X-Amz-Signature" for name, _ in params):
            refusal = self._refusal(environ, params)
            if refusal is not None:
                _drain(environ)
                code, message = refusal
                body = (
                    '<?xml version="1.0" encoding="UTF-8"?>\n'
                    f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
                ).encode()
                start_response(
                    "403 Forbidden",
                    [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))],
                )
                return [body]
        return self.app(environ, start_response)

    def _refusal(self, environ: dict[str, Any], params: list[tuple[str, str]]):
        query = dict(params)
        try:
            signed_at = datetime.strptime(query["X-Amz-Date"], AMZ_DATE_FORMAT).replace(tzinfo=UTC)
            expires = int(query["X-Amz-Expires"])
            scope = query["X-Amz-Credential"].split("/", 1)[1]
            signed_headers = query["X-Amz-SignedHeaders"].split(";")
        except (KeyError, ValueError, IndexError):
            return "AuthorizationQueryParametersError", "Malformed presigned query."
        if datetime.now(UTC) > signed_at + timedelta(seconds=expires):
            return "AccessDenied", "Request has expired"
        expected = self._signature(environ, params, scope, signed_headers, query["X-Amz-Date"])
        if not hmac.compare_digest(expected, query["X-Amz-Signature"]):
            return (
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you "
                "provided. Check your key and signing method.",
            )
        return None

    def _signature(
        self,
        environ: dict[str, Any],
        params: list[tuple[str, str]],
        scope: str,
        signed_headers: list[str],
        amz_date: str,
    ) -> str:
        raw_path = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ["PATH_INFO"]
        path = _uri_encode(unquote(raw_path.split("?", 1)[0]), safe="/-_.~")
        canonical_query = "&".join(
            f"{_uri_encode(name)}={_uri_encode(value)}"
            for name, value in sorted(params)
            if name != "X-Amz-Signature"
        )
        canonical_headers = "".join(
            f"{name}:{' '.join(_header(environ, name).split())}\n" for name in signed_headers
        )
        payload = dict(params).get("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
        canonical_request = "\n".join(
            [
                environ["REQUEST_METHOD"],
                path,
                canonical_query,
                canonical_headers,
                ";".join(signed_headers),
                payload,
            ]
        )
        string_to_sign = "\n".join(
            [
                "AWS4-HMAC-SHA256",
                amz_date,
                scope,
                hashlib.sha256(canonical_request.encode()).hexdigest(),
            ]
        )
        date, region, service, terminal = scope.split("/")
        key = _hmac(("AWS4" + self.secret_key).encode(), date)
        for part in (region, service, terminal):
            key = _hmac(key, part)
        return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def _header(environ: dict[str, Any], name: str) -> str:
    if name == "content-type":
        return environ.get("CONTENT_TYPE", "")
    if name == "content-length":
        return environ.get("CONTENT_LENGTH", "")
    return environ.get("HTTP_" + name.upper().replace("-", "_"), "")


def _drain(environ: dict[str, Any]) -> None:
    """Read the refused body, so the client gets the answer instead of a reset connection."""
    remaining = int(environ.get("CONTENT_LENGTH") or 0)
    stream = environ["wsgi.input"]
    while remaining > 0:
        chunk = stream.read(min(remaining, 1024 * 1024))
        if not chunk:
            return
        remaining -= len(chunk)


class FakeS3Server:
    def __init__(self) -> None:
        app = PresignedUrlCheck(DomainDispatcherApplication(create_backend_app), SECRET_KEY)
        self._server = make_server(
            "127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler
        )
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.client: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
            config=Config(s3={"addressing_style": "path"}),
        )

    def settings(self, bucket: str) -> dict[str, str]:
        """BACKEND_* values for an app (or ``load_settings``) that stores in ``bucket``."""
        return {
            "BACKEND_STORAGE_BACKEND": "s3",
            "BACKEND_S3_ENDPOINT_URL": self.url,
            "BACKEND_S3_BUCKET": bucket,
            "BACKEND_S3_ACCESS_KEY": ACCESS_KEY,
            "BACKEND_S3_SECRET_KEY": SECRET_KEY,
            "BACKEND_S3_REGION": REGION,
        }

    def create_bucket(self) -> str:
        name = f"pathshala-{uuid.uuid4().hex[:16]}"
        self.client.create_bucket(Bucket=name)
        return name

    def remove_bucket(self, name: str) -> None:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=name):
            for item in page.get("Contents", []):
                self.client.delete_object(Bucket=name, Key=item["Key"])
        self.client.delete_bucket(Bucket=name)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[FakeS3Server]:
    server = FakeS3Server()
    yield server
    server.stop()


@pytest.fixture
def s3_bucket(s3_server: FakeS3Server) -> Iterator[str]:
    """A new, empty bucket on the session's S3 server; emptied and removed afterwards."""
    name = s3_server.create_bucket()
    yield name
    s3_server.remove_bucket(name)
