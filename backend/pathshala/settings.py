"""Every BACKEND_* setting, read and validated in one place.

Nothing else in the code reads ``os.environ``. ``load_settings()`` returns a frozen
``Settings``; ``BACKEND_ENV=production`` refuses values that are only safe on a laptop.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from dotenv import dotenv_values

BACKEND_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = BACKEND_DIR.parent
INSTANCE_DIR = BACKEND_DIR / "instance"
FRONTEND_DIST_DIR = REPO_DIR / "frontend" / "dist"

ENVIRONMENTS = ("development", "production", "test")
PAYMENT_PROVIDERS = ("razorpay", "stripe")
STORAGE_BACKENDS = ("local", "s3")
LOG_LEVELS = ("debug", "info", "warning", "error")
GOOGLE_CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"
MIN_JWT_SECRET_LENGTH = 32
# A random secret of 32+ characters uses many different ones (even hex gives ~14); fewer than
# this means a typed placeholder such as "xxxxxxxx..." or "test-secret-xxxx...".
MIN_JWT_SECRET_DISTINCT_CHARACTERS = 8
# Secrets that appear in docs and examples; production must never run with them.
KNOWN_DEFAULT_SECRETS = frozenset(
    {"change-me", "changeme", "secret", "dev", "development", "jwt-secret", "please-change-me"}
)


class SettingsError(RuntimeError):
    """A setting is missing, malformed or unsafe for the chosen environment."""


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    database_url: str = ""
    jwt_secret: str = ""
    jwt_secret_is_generated: bool = False
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    redis_url: str | None = None
    cors_origins: tuple[str, ...] = ("http://localhost:5173",)
    razorpay_key_id: str | None = None
    razorpay_secret: str | None = None
    razorpay_webhook_secret: str | None = None
    razorpay_api_url: str = "https://api.razorpay.com"
    payment_provider: str = "razorpay"
    payment_sandbox: bool = True
    stripe_secret_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_api_url: str | None = None
    google_client_id: str | None = None
    google_certs_url: str = GOOGLE_CERTS_URL
    smtp_url: str | None = None
    mail_from: str = "Pathshala <no-reply@localhost>"
    public_url: str = "http://localhost:5000"
    storage_backend: str = "local"
    storage_dir: str = str(INSTANCE_DIR / "media")
    s3_endpoint_url: str | None = None
    s3_bucket: str | None = None
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_region: str | None = None
    video_url_ttl_seconds: int = 300
    media_accel: bool = False
    reconcile_interval_seconds: int = 300
    max_request_bytes: int = 1024 * 1024
    proxy_count: int = 0
    ratelimit_enabled: bool = True
    log_level: str = "INFO"
    log_format: str = "text"
    port: int = 5000
    frontend_dist_dir: str = str(FRONTEND_DIST_DIR)
    business_name: str = "Pathshala"
    business_address: str = ""
    gstin: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _environment(overrides: dict[str, str] | None, env_files: bool = True) -> dict[str, str]:
    """The process environment over the repo's .env file, then explicit overrides."""
    values: dict[str, str] = {}
    for env_file in (REPO_DIR / ".env", BACKEND_DIR / ".env") if env_files else ():
        if env_file.is_file():
            values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ)
    values.update(overrides or {})
    return values


def _text(env: dict[str, str], name: str, default: str | None = None) -> str | None:
    value = env.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def _integer(env: dict[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = _text(env, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}.") from exc
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}.")
    return value


def _flag(env: dict[str, str], name: str, default: bool) -> bool:
    raw = _text(env, name)
    if raw is None:
        return default
    lowered = raw.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}.")


def _choice(env: dict[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = (_text(env, name, default) or default).lower()
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, got {value!r}.")
    return value


def _url(env: dict[str, str], name: str, default: str | None = None) -> str | None:
    value = _text(env, name, default)
    if value is not None:
        parsed = urlparse(value)
        if not parsed.scheme or not (parsed.netloc or parsed.scheme == "sqlite"):
            raise SettingsError(f"{name} must be a full URL, got {value!r}.")
    return value


def _development_jwt_secret() -> str:
    """One generated secret per checkout, shared by every worker process of `make run`."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    secret_file = INSTANCE_DIR / "dev-jwt-secret"
    if not secret_file.exists():
        fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return secret_file.read_text().strip()


def _database_url(env: dict[str, str]) -> str:
    url = _text(env, "BACKEND_DATABASE_URL")
    if url is None:
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{INSTANCE_DIR / 'pathshala.db'}"
    if url.startswith("postgres://"):
        # Heroku-style URLs; SQLAlchemy 2 only knows the postgresql:// scheme.
        url = "postgresql://" + url[len("postgres://") :]
    if not url.startswith(("sqlite", "postgresql")):
        raise SettingsError(
            "BACKEND_DATABASE_URL must be a sqlite:// or postgresql:// URL, "
            f"got {url.split(':', 1)[0]!r}."
        )
    return url


GSTIN_LENGTH = 15


def _gstin(env: dict[str, str]) -> str | None:
    """The platform's GST number, shown on receipts; unset means no GST lines."""
    gstin = (_text(env, "BACKEND_GSTIN") or "").strip().upper()
    if not gstin:
        return None
    if len(gstin) != GSTIN_LENGTH or not gstin.isalnum():
        raise SettingsError("BACKEND_GSTIN must be a 15-character GSTIN, e.g. 29ABCDE1234F1Z5.")
    return gstin


def load_settings(overrides: dict[str, str] | None = None, *, env_files: bool = True) -> Settings:
    """Read the environment (plus ``overrides``, used by tests) into validated settings.
    ``env_files=False`` ignores the .env files, so tests do not depend on a developer's."""
    env = _environment(overrides, env_files)
    environment = _choice(env, "BACKEND_ENV", "development", ENVIRONMENTS)
    production = environment == "production"
    port = _integer(env, "PORT", 5000, minimum=1)

    jwt_secret = _text(env, "BACKEND_JWT_SECRET")
    generated = jwt_secret is None
    if production:
        if jwt_secret is None:
            raise SettingsError("BACKEND_JWT_SECRET must be set in production.")
        lowered = jwt_secret.lower()
        if lowered in KNOWN_DEFAULT_SECRETS or any(
            placeholder in lowered.replace("_", "-") for placeholder in ("change-me", "changeme")
        ):
            raise SettingsError("BACKEND_JWT_SECRET is a well-known default; set a random one.")
        if len(jwt_secret) < MIN_JWT_SECRET_LENGTH:
            raise SettingsError(
                f"BACKEND_JWT_SECRET must be at least {MIN_JWT_SECRET_LENGTH} characters "
                f"in production (it has {len(jwt_secret)})."
            )
        if len(set(jwt_secret)) < MIN_JWT_SECRET_DISTINCT_CHARACTERS:
            raise SettingsError(
                "BACKEND_JWT_SECRET looks like a placeholder, not a random value; generate one "
                "with `openssl rand -base64 48`."
            )
    if jwt_secret is None:
        jwt_secret = _development_jwt_secret()

    cors_raw = _text(env, "BACKEND_CORS_ORIGINS", "http://localhost:5173") or ""
    cors_origins = tuple(origin.strip() for origin in cors_raw.split(",") if origin.strip())
    if production and "*" in cors_origins:
        raise SettingsError("BACKEND_CORS_ORIGINS may not be '*' in production; list the origins.")

    razorpay_key_id = _text(env, "BACKEND_RAZORPAY_KEY_ID")
    razorpay_secret = _text(env, "BACKEND_RAZORPAY_SECRET")
    if bool(razorpay_key_id) != bool(razorpay_secret):
        raise SettingsError(
            "Set both BACKEND_RAZORPAY_KEY_ID and BACKEND_RAZORPAY_SECRET, or neither."
        )
    payment_provider = _choice(env, "BACKEND_PAYMENT_PROVIDER", "razorpay", PAYMENT_PROVIDERS)
    stripe_secret_key = _text(env, "BACKEND_STRIPE_SECRET_KEY")
    provider_configured = (
        bool(razorpay_key_id) if payment_provider == "razorpay" else bool(stripe_secret_key)
    )
    # The sandbox is the embedded default: on when no real provider keys are set.
    payment_sandbox = _flag(env, "BACKEND_PAYMENT_SANDBOX", not provider_configured)
    if production and payment_sandbox:
        raise SettingsError(
            "The payment sandbox cannot run in production: set BACKEND_PAYMENT_SANDBOX=false "
            f"and configure the {payment_provider} keys."
        )

    storage_backend = _choice(env, "BACKEND_STORAGE_BACKEND", "local", STORAGE_BACKENDS)
    settings = Settings(
        env=environment,
        database_url=_database_url(env),
        jwt_secret=jwt_secret,
        jwt_secret_is_generated=generated,
        access_token_minutes=_integer(env, "BACKEND_ACCESS_TOKEN_MINUTES", 15, minimum=1),
        refresh_token_days=_integer(env, "BACKEND_REFRESH_TOKEN_DAYS", 30, minimum=1),
        redis_url=_url(env, "BACKEND_REDIS_URL"),
        cors_origins=cors_origins,
        razorpay_key_id=razorpay_key_id,
        razorpay_secret=razorpay_secret,
        razorpay_webhook_secret=_text(env, "BACKEND_RAZORPAY_WEBHOOK_SECRET"),
        razorpay_api_url=_url(env, "BACKEND_RAZORPAY_API_URL", "https://api.razorpay.com") or "",
        payment_provider=payment_provider,
        payment_sandbox=payment_sandbox,
        stripe_secret_key=stripe_secret_key,
        stripe_webhook_secret=_text(env, "BACKEND_STRIPE_WEBHOOK_SECRET"),
        stripe_api_url=_url(env, "BACKEND_STRIPE_API_URL"),
        google_client_id=_text(env, "BACKEND_GOOGLE_CLIENT_ID") or _text(env, "GOOGLE_CLIENT_ID"),
        google_certs_url=_url(env, "BACKEND_GOOGLE_CERTS_URL", GOOGLE_CERTS_URL) or "",
        smtp_url=_url(env, "BACKEND_SMTP_URL"),
        mail_from=_text(env, "BACKEND_MAIL_FROM", "Pathshala <no-reply@localhost>") or "",
        public_url=(_url(env, "BACKEND_PUBLIC_URL", f"http://localhost:{port}") or "").rstrip("/"),
        storage_backend=storage_backend,
        storage_dir=_text(env, "BACKEND_STORAGE_DIR", str(INSTANCE_DIR / "media")) or "",
        s3_endpoint_url=_url(env, "BACKEND_S3_ENDPOINT_URL"),
        s3_bucket=_text(env, "BACKEND_S3_BUCKET"),
        s3_access_key=_text(env, "BACKEND_S3_ACCESS_KEY"),
        s3_secret_key=_text(env, "BACKEND_S3_SECRET_KEY"),
        s3_region=_text(env, "BACKEND_S3_REGION"),
        video_url_ttl_seconds=_integer(env, "BACKEND_VIDEO_URL_TTL_SECONDS", 300, minimum=10),
        # Behind nginx: signed media answers with X-Accel-Redirect and nginx sends the file.
        media_accel=_flag(env, "BACKEND_MEDIA_ACCEL", False),
        # How often open payment orders are reconciled in the background; 0 turns it off.
        reconcile_interval_seconds=_integer(env, "BACKEND_RECONCILE_INTERVAL_SECONDS", 300),
        max_request_bytes=_integer(env, "BACKEND_MAX_REQUEST_BYTES", 1024 * 1024, minimum=1024),
        proxy_count=_integer(env, "BACKEND_PROXY_COUNT", 0),
        ratelimit_enabled=_flag(env, "BACKEND_RATELIMIT_ENABLED", True),
        log_level=_choice(env, "BACKEND_LOG_LEVEL", "info", LOG_LEVELS).upper(),
        log_format=_choice(
            env, "BACKEND_LOG_FORMAT", "json" if production else "text", ("json", "text")
        ),
        port=port,
        frontend_dist_dir=_text(env, "BACKEND_FRONTEND_DIST_DIR", str(FRONTEND_DIST_DIR)) or "",
        business_name=_text(env, "BACKEND_BUSINESS_NAME", "Pathshala") or "Pathshala",
        business_address=_text(env, "BACKEND_BUSINESS_ADDRESS", "") or "",
        gstin=_gstin(env),
    )
    if storage_backend == "s3" and not settings.s3_bucket:
        raise SettingsError("BACKEND_STORAGE_BACKEND=s3 needs BACKEND_S3_BUCKET.")
    if production and not settings.public_url.startswith("https://"):
        raise SettingsError("BACKEND_PUBLIC_URL must be an https:// address in production.")
    return settings
