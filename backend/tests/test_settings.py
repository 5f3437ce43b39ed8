"""settings.py: every BACKEND_* variable of the contract is read into Settings, production
refuses unsafe values and names the setting, and development makes its own JWT secret."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from pathshala import settings as settings_module
from pathshala.settings import (
    GOOGLE_CERTS_URL,
    KNOWN_DEFAULT_SECRETS,
    REPO_DIR,
    SettingsError,
    load_settings,
)

STRONG_SECRET = "k" * 20 + "Q7-v9_zP2xW4rT8yL1mN"
SAFE_PRODUCTION = {
    "BACKEND_ENV": "production",
    "BACKEND_JWT_SECRET": STRONG_SECRET,
    "BACKEND_PUBLIC_URL": "https://courses.example.com",
    "BACKEND_CORS_ORIGINS": "https://courses.example.com",
    "BACKEND_RAZORPAY_KEY_ID": "rzp_live_abc",
    "BACKEND_RAZORPAY_SECRET": "live-secret",
    "BACKEND_DATABASE_URL": "postgresql://pathshala@db:5432/pathshala",
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No BACKEND_* from the developer's shell, and the instance folder in a temp dir."""
    for name in list(os.environ):
        if name.startswith("BACKEND_") or name in ("GOOGLE_CLIENT_ID", "PORT"):
            monkeypatch.delenv(name)
    monkeypatch.setattr(settings_module, "INSTANCE_DIR", tmp_path / "instance")


def load(**values: str):
    return load_settings(values, env_files=False)


# The contract's table (shared/contract/API.md, "Environment (backend)"): variable, a value,
# and where that value must show up in Settings.
CONTRACT = [
    ("BACKEND_ENV", "test", "env", "test"),
    ("BACKEND_DATABASE_URL", "postgresql://u@h:5432/d", "database_url", "postgresql://u@h:5432/d"),
    ("BACKEND_JWT_SECRET", STRONG_SECRET, "jwt_secret", STRONG_SECRET),
    ("BACKEND_REDIS_URL", "redis://cache:6379/2", "redis_url", "redis://cache:6379/2"),
    (
        "BACKEND_CORS_ORIGINS",
        "https://a.example, https://b.example",
        "cors_origins",
        ("https://a.example", "https://b.example"),
    ),
    ("BACKEND_RAZORPAY_WEBHOOK_SECRET", "whsec", "razorpay_webhook_secret", "whsec"),
    (
        "BACKEND_RAZORPAY_API_URL",
        "http://127.0.0.1:9000",
        "razorpay_api_url",
        "http://127.0.0.1:9000",
    ),
    (
        "GOOGLE_CLIENT_ID",
        "g.apps.googleusercontent.com",
        "google_client_id",
        "g.apps.googleusercontent.com",
    ),
    (
        "BACKEND_GOOGLE_CLIENT_ID",
        "b.apps.googleusercontent.com",
        "google_client_id",
        "b.apps.googleusercontent.com",
    ),
    (
        "BACKEND_GOOGLE_CERTS_URL",
        "http://127.0.0.1:9/certs",
        "google_certs_url",
        "http://127.0.0.1:9/certs",
    ),
    ("BACKEND_PAYMENT_PROVIDER", "stripe", "payment_provider", "stripe"),
    ("BACKEND_STRIPE_SECRET_KEY", "sk_test_1", "stripe_secret_key", "sk_test_1"),
    ("BACKEND_STRIPE_WEBHOOK_SECRET", "whsec_1", "stripe_webhook_secret", "whsec_1"),
    (
        "BACKEND_STRIPE_API_URL",
        "http://127.0.0.1:12111",
        "stripe_api_url",
        "http://127.0.0.1:12111",
    ),
    ("BACKEND_SMTP_URL", "smtp://u:p@mail:587", "smtp_url", "smtp://u:p@mail:587"),
    ("BACKEND_PUBLIC_URL", "https://learn.example/", "public_url", "https://learn.example"),
    ("BACKEND_STORAGE_BACKEND", "local", "storage_backend", "local"),
    ("BACKEND_STORAGE_DIR", "/srv/media", "storage_dir", "/srv/media"),
    ("BACKEND_S3_ENDPOINT_URL", "http://minio:9000", "s3_endpoint_url", "http://minio:9000"),
    ("BACKEND_S3_BUCKET", "media", "s3_bucket", "media"),
    ("BACKEND_S3_ACCESS_KEY", "AKIA1", "s3_access_key", "AKIA1"),
    ("BACKEND_S3_SECRET_KEY", "s3cret", "s3_secret_key", "s3cret"),
    ("BACKEND_S3_REGION", "ap-south-1", "s3_region", "ap-south-1"),
    ("BACKEND_VIDEO_URL_TTL_SECONDS", "600", "video_url_ttl_seconds", 600),
    ("BACKEND_MEDIA_ACCEL", "1", "media_accel", True),
    ("BACKEND_MEDIA_ACCEL", "false", "media_accel", False),
    ("PORT", "8080", "port", 8080),
]


@pytest.mark.parametrize(("variable", "value", "field", "expected"), CONTRACT)
def test_every_contract_variable_is_read(variable, value, field, expected):
    assert getattr(load(**{variable: value}), field) == expected


def test_the_razorpay_keys_are_read_together():
    settings = load(BACKEND_RAZORPAY_KEY_ID="rzp_test_1", BACKEND_RAZORPAY_SECRET="sec")

    assert (settings.razorpay_key_id, settings.razorpay_secret) == ("rzp_test_1", "sec")
    assert settings.payment_sandbox is False
    with pytest.raises(SettingsError, match="BACKEND_RAZORPAY_SECRET"):
        load(BACKEND_RAZORPAY_KEY_ID="rzp_test_1")


def test_s3_storage_is_read_and_needs_a_bucket():
    assert load(BACKEND_STORAGE_BACKEND="s3", BACKEND_S3_BUCKET="b").storage_backend == "s3"
    with pytest.raises(SettingsError, match="BACKEND_S3_BUCKET"):
        load(BACKEND_STORAGE_BACKEND="s3")


def test_the_embedded_defaults(tmp_path):
    settings = load()

    assert settings.env == "development"
    assert settings.database_url == f"sqlite:///{tmp_path / 'instance' / 'pathshala.db'}"
    assert settings.redis_url is None
    assert settings.cors_origins == ("http://localhost:5173",)
    assert settings.razorpay_key_id is None and settings.payment_sandbox is True
    assert settings.razorpay_webhook_secret is None
    assert settings.razorpay_api_url == "https://api.razorpay.com"
    assert settings.google_client_id is None
    assert settings.google_certs_url == GOOGLE_CERTS_URL
    assert settings.payment_provider == "razorpay"
    assert settings.smtp_url is None
    assert settings.public_url == "http://localhost:5000"
    assert settings.storage_backend == "local"
    assert settings.video_url_ttl_seconds == 300
    assert settings.media_accel is False
    assert settings.port == 5000


def test_the_default_public_url_follows_port():
    assert load(PORT="8123").public_url == "http://localhost:8123"


def test_backend_google_client_id_wins_over_google_client_id():
    settings = load(GOOGLE_CLIENT_ID="plain", BACKEND_GOOGLE_CLIENT_ID="prefixed")
    assert settings.google_client_id == "prefixed"


def test_heroku_style_postgres_urls_are_accepted():
    assert load(BACKEND_DATABASE_URL="postgres://u@h/d").database_url == "postgresql://u@h/d"


def test_the_process_environment_is_read(monkeypatch):
    monkeypatch.setenv("BACKEND_SMTP_URL", "smtp://from-env:25")
    monkeypatch.setenv("GOOGLE_CLIENT_ID", "from-env.apps.googleusercontent.com")

    settings = load()

    assert settings.smtp_url == "smtp://from-env:25"
    assert settings.google_client_id == "from-env.apps.googleusercontent.com"
    # explicit overrides (what tests pass to create_app) win over the environment
    assert load(BACKEND_SMTP_URL="smtp://override:25").smtp_url == "smtp://override:25"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BACKEND_ENV", "staging"),
        ("BACKEND_DATABASE_URL", "mysql://u@h/d"),
        ("BACKEND_VIDEO_URL_TTL_SECONDS", "soon"),
        ("BACKEND_VIDEO_URL_TTL_SECONDS", "1"),
        ("PORT", "0"),
        ("BACKEND_PAYMENT_PROVIDER", "paypal"),
        ("BACKEND_STORAGE_BACKEND", "ftp"),
        ("BACKEND_MEDIA_ACCEL", "sometimes"),
        ("BACKEND_REDIS_URL", "not a url"),
        ("BACKEND_SMTP_URL", "mail.example.com"),
        ("BACKEND_RATELIMIT_ENABLED", "maybe"),
    ],
)
def test_malformed_values_are_refused_by_name(variable, value):
    with pytest.raises(SettingsError, match=variable):
        load(**{variable: value})


# ---- production ----------------------------------------------------------------------------


def test_a_safe_production_configuration_loads():
    settings = load(**SAFE_PRODUCTION)

    assert settings.is_production
    assert settings.payment_sandbox is False
    assert settings.log_format == "json"
    assert settings.jwt_secret_is_generated is False


def _production_error(**changes: str | None) -> str:
    values = {k: v for k, v in {**SAFE_PRODUCTION, **changes}.items() if v is not None}
    with pytest.raises(SettingsError) as refused:
        load_settings(values, env_files=False)
    return str(refused.value)


def test_production_refuses_a_missing_jwt_secret():
    assert "BACKEND_JWT_SECRET" in _production_error(BACKEND_JWT_SECRET=None)
    assert "BACKEND_JWT_SECRET" in _production_error(BACKEND_JWT_SECRET="   ")


def test_production_refuses_a_short_jwt_secret():
    message = _production_error(BACKEND_JWT_SECRET="r4nd0m-but-only-31-characters-")

    assert "BACKEND_JWT_SECRET" in message and "32" in message
    exactly_32 = "aB3dE5gH7jK9mN1pQ2sT4vW6yZ8cF0hL"
    assert len(exactly_32) == 32
    assert load(**{**SAFE_PRODUCTION, "BACKEND_JWT_SECRET": exactly_32}).jwt_secret == exactly_32


@pytest.mark.parametrize("secret", sorted(KNOWN_DEFAULT_SECRETS) + ["CHANGE-ME"])
def test_production_refuses_a_known_default_jwt_secret(secret):
    assert "BACKEND_JWT_SECRET" in _production_error(BACKEND_JWT_SECRET=secret)


@pytest.mark.parametrize(
    "secret",
    [
        "please-change-me-to-a-long-random-string",
        "CHANGE_ME_CHANGE_ME_CHANGE_ME_CHANGE_ME",
        "x" * 64,
        "test-secret-" + "x" * 40,  # the test suite's own
    ],
)
def test_production_refuses_long_placeholders(secret):
    """Long enough is not random enough: typed placeholders are refused too."""
    assert "BACKEND_JWT_SECRET" in _production_error(BACKEND_JWT_SECRET=secret)


def test_production_accepts_generated_secrets():
    import secrets

    for secret in (secrets.token_hex(16), secrets.token_urlsafe(48)):
        assert load(**{**SAFE_PRODUCTION, "BACKEND_JWT_SECRET": secret}).jwt_secret == secret


@pytest.mark.parametrize("origins", ["*", "https://courses.example.com, *"])
def test_production_refuses_cors_star(origins):
    assert "BACKEND_CORS_ORIGINS" in _production_error(BACKEND_CORS_ORIGINS=origins)


def test_production_refuses_the_payment_sandbox():
    no_keys = _production_error(BACKEND_RAZORPAY_KEY_ID=None, BACKEND_RAZORPAY_SECRET=None)
    forced = _production_error(BACKEND_PAYMENT_SANDBOX="true")

    for message in (no_keys, forced):
        assert "BACKEND_PAYMENT_SANDBOX" in message


@pytest.mark.parametrize("url", [None, "http://courses.example.com", "ftp://courses.example.com"])
def test_production_refuses_a_public_url_that_is_not_https(url):
    assert "BACKEND_PUBLIC_URL" in _production_error(BACKEND_PUBLIC_URL=url)


def test_create_app_refuses_to_start_with_unsafe_production_settings():
    from pathshala import create_app

    with pytest.raises(SettingsError, match="BACKEND_CORS_ORIGINS"):
        create_app({**SAFE_PRODUCTION, "BACKEND_CORS_ORIGINS": "*"})


# ---- development -------------------------------------------------------------------------


def test_development_generates_and_persists_a_jwt_secret(tmp_path):
    first = load()
    secret_file = tmp_path / "instance" / "dev-jwt-secret"

    assert first.jwt_secret_is_generated is True
    assert len(first.jwt_secret) >= 32
    assert secret_file.read_text().strip() == first.jwt_secret
    assert secret_file.stat().st_mode & 0o077 == 0  # readable by its owner only
    # every worker process (and every restart) gets the same one
    assert load().jwt_secret == first.jwt_secret
    assert load(BACKEND_ENV="test").jwt_secret == first.jwt_secret


def test_a_set_jwt_secret_is_not_replaced(tmp_path):
    settings = load(BACKEND_JWT_SECRET="short-is-fine-on-a-laptop")

    assert settings.jwt_secret == "short-is-fine-on-a-laptop"
    assert settings.jwt_secret_is_generated is False
    assert not (tmp_path / "instance" / "dev-jwt-secret").exists()


# ---- the .env file and .env.example -----------------------------------------------------


def test_a_dotenv_file_is_read_and_the_environment_wins(monkeypatch, tmp_path):
    repo = tmp_path / "repo"
    (repo / "backend").mkdir(parents=True)
    (repo / ".env").write_text("BACKEND_SMTP_URL=smtp://from-dotenv:25\nBACKEND_S3_REGION=eu\n")
    monkeypatch.setattr(settings_module, "REPO_DIR", repo)
    monkeypatch.setattr(settings_module, "BACKEND_DIR", repo / "backend")
    monkeypatch.setenv("BACKEND_S3_REGION", "from-env")

    settings = load_settings()

    assert settings.smtp_url == "smtp://from-dotenv:25"
    assert settings.s3_region == "from-env"
    assert load_settings(env_files=False).smtp_url is None


def _variables_read_by_settings() -> set[str]:
    source = Path(settings_module.__file__).read_text()
    return set(re.findall(r'"((?:BACKEND_|GOOGLE_)[A-Z0-9_]+|PORT)"', source))


def test_env_example_lists_every_variable_settings_reads():
    example = (REPO_DIR / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))

    missing = _variables_read_by_settings() - listed
    assert not missing, f".env.example does not list {sorted(missing)}"


def test_settings_reads_every_variable_of_the_contract():
    contract = {variable for variable, *_ in CONTRACT} | {
        "BACKEND_RAZORPAY_KEY_ID",
        "BACKEND_RAZORPAY_SECRET",
    }
    assert contract <= _variables_read_by_settings()


# ---- background jobs -----------------------------------------------------------------------


def test_reconcile_runs_every_five_minutes_by_default():
    assert load().reconcile_interval_seconds == 300


def test_reconcile_interval_is_read_and_zero_turns_it_off():
    assert load(BACKEND_RECONCILE_INTERVAL_SECONDS="60").reconcile_interval_seconds == 60
    assert load(BACKEND_RECONCILE_INTERVAL_SECONDS="0").reconcile_interval_seconds == 0


@pytest.mark.parametrize("value", ["-1", "soon", "1.5"])
def test_a_bad_reconcile_interval_is_refused_by_name(value):
    with pytest.raises(SettingsError, match="BACKEND_RECONCILE_INTERVAL_SECONDS"):
        load(BACKEND_RECONCILE_INTERVAL_SECONDS=value)
