"""Security headers on every response, and a Content-Security-Policy that allows exactly the
outside origins this deployment uses."""

from __future__ import annotations

import pytest

from pathshala.security import DOCS_POLICY, content_security_policy
from pathshala.settings import load_settings
from tests.test_settings import SAFE_PRODUCTION

# A production configuration the settings accept (tests/test_settings.py checks it).
PRODUCTION = {key: value for key, value in SAFE_PRODUCTION.items() if key != "BACKEND_DATABASE_URL"}


def policy(**env: str) -> dict[str, list[str]]:
    text = content_security_policy(load_settings(env, env_files=False))
    return {name: sources for name, *sources in (part.split() for part in text.split("; "))}


@pytest.mark.parametrize(
    "path", ["/api/config", "/api/courses", "/api/no-such-thing", "/health", "/"]
)
def test_every_response_carries_the_headers(client, path):
    response = client.get(path)

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    # Not in production: no HSTS (a developer's http://localhost must keep working).
    assert "Strict-Transport-Security" not in response.headers


def test_production_adds_hsts(make_app, base_settings):
    app = make_app(**PRODUCTION, BACKEND_DATABASE_URL=base_settings["BACKEND_DATABASE_URL"])

    response = app.test_client().get("/health")

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_the_embedded_setup_allows_only_itself():
    directives = policy(BACKEND_ENV="development", BACKEND_PAYMENT_SANDBOX="true")

    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # never inline, never another origin
    assert directives["connect-src"] == ["'self'"]
    assert directives["frame-src"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    # hls.js plays through blob: URLs; Mantine sets styles inline.
    assert "blob:" in directives["media-src"] and "'unsafe-inline'" in directives["style-src"]


def test_razorpay_and_google_are_allowed_when_configured():
    directives = policy(**PRODUCTION, BACKEND_GOOGLE_CLIENT_ID="123.apps.googleusercontent.com")

    assert "https://checkout.razorpay.com" in directives["script-src"]
    assert "https://api.razorpay.com" in directives["frame-src"]
    assert "https://api.razorpay.com" in directives["form-action"]
    assert "https://accounts.google.com/gsi/client" in directives["script-src"]
    assert "https://accounts.google.com/gsi/" in directives["frame-src"]
    assert "'unsafe-inline'" not in directives["script-src"]


def test_stripe_needs_no_origin_the_browser_is_sent_there():
    directives = policy(
        BACKEND_ENV="development",
        BACKEND_PAYMENT_PROVIDER="stripe",
        BACKEND_STRIPE_SECRET_KEY="sk_test_abc",
    )

    assert directives["script-src"] == ["'self'"]
    assert directives["frame-src"] == ["'none'"]


@pytest.mark.parametrize(
    ("env", "origins"),
    [
        (
            {"BACKEND_S3_ENDPOINT_URL": "http://127.0.0.1:9000/ignored/path"},
            ["http://127.0.0.1:9000"],
        ),
        (
            {"BACKEND_S3_REGION": "ap-south-1"},
            [
                "https://course-media.s3.ap-south-1.amazonaws.com",
                "https://course-media.s3.amazonaws.com",
                "https://s3.ap-south-1.amazonaws.com",
            ],
        ),
    ],
)
def test_the_bucket_is_allowed_for_uploads_video_and_images(env, origins):
    directives = policy(
        BACKEND_ENV="development",
        BACKEND_STORAGE_BACKEND="s3",
        BACKEND_S3_BUCKET="course-media",
        BACKEND_S3_ACCESS_KEY="key",
        BACKEND_S3_SECRET_KEY="secret",
        **env,
    )

    for directive in ("connect-src", "media-src", "img-src"):
        assert directives[directive][-len(origins) :] == origins


def test_the_api_docs_page_gets_a_policy_for_swagger_ui(client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == DOCS_POLICY


def test_cookies_are_http_only_and_same_site(client, make_user):
    from tests.factories import DEFAULT_PASSWORD

    user = make_user()
    response = client.post(
        "/api/auth/login", json={"email": user.email, "password": DEFAULT_PASSWORD}
    )

    cookies = response.headers.getlist("Set-Cookie")
    session_cookies = [c for c in cookies if c.startswith(("access_token_cookie", "refresh_token"))]
    assert session_cookies
    for cookie in session_cookies:
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
