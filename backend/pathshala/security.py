"""Security headers on every response, and the Content-Security-Policy that fits the SPA.

The policy is built from settings, so it allows exactly the outside origins this deployment
uses: Razorpay's Checkout (when Razorpay is the provider), Google's sign-in button (when a
Google client id is set) and the S3-compatible bucket (uploads go there, video segments and
images come from there). Everything else is 'self'. Mantine sets styles inline, hence
'unsafe-inline' for styles only; scripts never run inline. hls.js feeds the video element
through blob: URLs.

In production nginx serves the SPA's files; `flask --app wsgi security csp` prints the same
policy for its configuration (deploy/nginx.conf reads PATHSHALA_CSP).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import click
from flask import Blueprint, Flask, Response, current_app, request

from pathshala.settings import Settings

RAZORPAY = {
    "script-src": ["https://checkout.razorpay.com"],
    "frame-src": ["https://api.razorpay.com", "https://checkout.razorpay.com"],
    "connect-src": ["https://api.razorpay.com", "https://lumberjack.razorpay.com"],
    "img-src": ["https://cdn.razorpay.com"],
    # Some payment methods (netbanking, 3-D Secure) post a form to Razorpay.
    "form-action": ["https://api.razorpay.com"],
}
GOOGLE_SIGN_IN = {
    "script-src": ["https://accounts.google.com/gsi/client"],
    "style-src": ["https://accounts.google.com/gsi/style"],
    "frame-src": ["https://accounts.google.com/gsi/"],
    "connect-src": ["https://accounts.google.com/gsi/"],
}
HSTS = "max-age=31536000; includeSubDomains"
SWAGGER_UI_CDN = "https://cdn.jsdelivr.net"
#: /api/docs is Swagger UI from its CDN, started by an inline script: a policy of its own.
DOCS_POLICY = (
    f"default-src 'self'; script-src {SWAGGER_UI_CDN} 'unsafe-inline'; "
    f"style-src {SWAGGER_UI_CDN} 'unsafe-inline'; img-src 'self' data: {SWAGGER_UI_CDN}; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)

commands = Blueprint("security_commands", __name__, cli_group="security")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def bucket_origins(settings: Settings) -> list[str]:
    """Where the browser talks to the bucket: the configured endpoint (MinIO, R2), or AWS's
    virtual-hosted and path-style hosts for the bucket's region."""
    if settings.storage_backend != "s3":
        return []
    if settings.s3_endpoint_url:
        return [_origin(settings.s3_endpoint_url)]
    region = settings.s3_region or "us-east-1"
    bucket = settings.s3_bucket
    return [
        f"https://{bucket}.s3.{region}.amazonaws.com",
        f"https://{bucket}.s3.amazonaws.com",
        f"https://s3.{region}.amazonaws.com",
    ]


def content_security_policy(settings: Settings) -> str:
    directives: dict[str, list[str]] = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": [],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    extras: list[dict[str, list[str]]] = []
    if settings.payment_provider == "razorpay" and settings.razorpay_key_id:
        extras.append(RAZORPAY)
    if settings.google_client_id:
        extras.append(GOOGLE_SIGN_IN)
    bucket = bucket_origins(settings)
    if bucket:
        extras.append({"img-src": bucket, "media-src": bucket, "connect-src": bucket})
    for extra in extras:
        for name, sources in extra.items():
            directives[name] += [source for source in sources if source not in directives[name]]
    directives["frame-src"] = directives["frame-src"] or ["'none'"]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


DOCS_PATH = "/api/docs"


def register_security_headers(app: Flask, settings: Settings) -> None:
    policy = content_security_policy(settings)

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault(
            "Content-Security-Policy", DOCS_POLICY if request.path == DOCS_PATH else policy
        )
        if settings.is_production:
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response


@commands.cli.command("csp")
def print_csp() -> None:
    """Print the Content-Security-Policy for this configuration (for nginx's PATHSHALA_CSP)."""
    click.echo(content_security_policy(current_app.extensions["pathshala.settings"]))
