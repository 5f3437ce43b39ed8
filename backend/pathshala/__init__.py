"""Pathshala: the application factory. The one place that wires the app together."""

from __future__ import annotations

import logging
from pathlib import Path

import redis
from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from pathshala.settings import REPO_DIR, Settings, load_settings

MIGRATIONS_DIR = REPO_DIR / "db" / "migrations"
log = logging.getLogger(__name__)


def create_app(overrides: dict[str, str] | None = None) -> Flask:
    """Build the app from the environment (``overrides`` wins; tests use it)."""
    settings = load_settings(overrides)
    app = Flask(
        __name__,
        static_folder=None,
        instance_path=str(Path(__file__).resolve().parent.parent / "instance"),
    )
    app.extensions["pathshala.settings"] = settings
    _configure(app, settings)
    _bind_extensions(app, settings)
    _bind_services(app, settings)
    _register_routes(app, settings)
    return app


def _configure(app: Flask, settings: Settings) -> None:
    from pathshala.observability import configure_logging
    from pathshala.security import SWAGGER_UI_CDN

    if settings.env != "test":
        configure_logging(settings.log_level, settings.log_format)
    app.config.update(
        SECRET_KEY=settings.jwt_secret,
        # Every body but a local upload PUT (uploads.routes.receive: its own signed bound).
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        SQLALCHEMY_DATABASE_URI=settings.database_url,
        SQLALCHEMY_ENGINE_OPTIONS=(
            {"connect_args": {"timeout": 30}}
            if settings.is_sqlite
            else {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 10}
        ),
        JSON_SORT_KEYS=False,
        TESTING=settings.env == "test",
        PROPAGATE_EXCEPTIONS=False,
        # flask-smorest: OpenAPI 3 at /api/openapi.json, Swagger UI at /api/docs
        API_TITLE="Pathshala API",
        API_VERSION="1.0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",  # pathshala.security.DOCS_PATH
        OPENAPI_SWAGGER_UI_URL=f"{SWAGGER_UI_CDN}/npm/swagger-ui-dist@5/",
        # Flask-Limiter: Redis when configured so every worker shares one count
        RATELIMIT_ENABLED=settings.ratelimit_enabled,
        RATELIMIT_STORAGE_URI=settings.redis_url or "memory://",
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 2, "socket_timeout": 2},
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=bool(settings.redis_url),
        RATELIMIT_HEADERS_ENABLED=True,
        RATELIMIT_KEY_PREFIX="pathshala",
    )
    app.url_map.strict_slashes = False
    if settings.proxy_count:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app,
            x_for=settings.proxy_count,
            x_proto=settings.proxy_count,
            x_host=settings.proxy_count,
        )


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def _bind_extensions(app: Flask, settings: Settings) -> None:
    from pathshala.auth.jwt_setup import configure_jwt
    from pathshala.errors import register_error_handlers
    from pathshala.extensions import api, cors, db, jwt, limiter, migrate

    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    configure_jwt(app, jwt, settings)
    cors.init_app(
        app,
        resources={r"/api/*": {"origins": list(settings.cors_origins)}},
        supports_credentials=True,
        expose_headers=["X-Request-ID", "Retry-After"],
    )
    limiter.init_app(app)
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    api.spec.components.security_scheme(
        "cookieAuth", {"type": "apiKey", "in": "cookie", "name": "access_token_cookie"}
    )
    register_error_handlers(app)
    _import_models()


def _import_models() -> None:
    """Every model module, so metadata (and Alembic autogenerate) sees every table."""
    from pathshala.audit import models as _audit  # noqa: F401
    from pathshala.auth import models as _auth  # noqa: F401
    from pathshala.certificates import models as _certificates  # noqa: F401
    from pathshala.classwork import models as _classwork  # noqa: F401
    from pathshala.courses import models as _courses  # noqa: F401
    from pathshala.enrollments import models as _enrollments  # noqa: F401
    from pathshala.learning import models as _learning  # noqa: F401
    from pathshala.mail import models as _mail  # noqa: F401
    from pathshala.notifications import models as _notifications  # noqa: F401
    from pathshala.payments import models as _payments  # noqa: F401
    from pathshala.uploads import models as _uploads  # noqa: F401
    from pathshala.users import models as _users  # noqa: F401


def _bind_services(app: Flask, settings: Settings) -> None:
    """Outside services behind small interfaces; the implementation is chosen here, once."""
    from pathshala.auth.revocation import DatabaseRevocationStore, RedisRevocationStore
    from pathshala.jobs.queue import JOBS_EXTENSION, ThreadJobQueue, queue_from_settings
    from pathshala.jobs.schedule import periodic_jobs
    from pathshala.mail.mailer import LogMailer, SmtpMailer
    from pathshala.media.storage import storage_from_settings
    from pathshala.notifications.service import deliver_mail_after_commit
    from pathshala.payments.providers import provider_from_settings

    redis_client = (
        redis.Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2)
        if settings.redis_url
        else None
    )
    app.extensions["pathshala.redis"] = redis_client
    app.extensions["pathshala.revocations"] = (
        RedisRevocationStore(redis_client) if redis_client else DatabaseRevocationStore()
    )
    app.extensions["pathshala.mailer"] = (
        SmtpMailer(settings.smtp_url, settings.mail_from) if settings.smtp_url else LogMailer()
    )
    app.extensions["pathshala.payment_provider"] = provider_from_settings(settings)
    app.extensions["pathshala.storage"] = storage_from_settings(settings)
    deliver_mail_after_commit()  # notification mail goes to the job queue once committed
    # Embedded, the web process schedules periodic jobs itself (each gunicorn worker does:
    # reconcile locks orders with FOR UPDATE SKIP LOCKED, so two at once is safe). Never
    # under test: a test that wants the schedule builds its own ThreadJobQueue.
    periodic = [] if app.testing else periodic_jobs(settings)
    jobs = queue_from_settings(app, redis_client, periodic)
    app.extensions[JOBS_EXTENSION] = jobs
    if isinstance(jobs, ThreadJobQueue) and periodic:
        # The first request, not create_app: CLI commands (db upgrade, seed) must not start it.
        app.before_request(jobs.start)
    if settings.jwt_secret_is_generated and settings.env == "development":
        log.debug("BACKEND_JWT_SECRET not set: using the generated development secret")


def _register_routes(app: Flask, settings: Settings) -> None:
    from pathshala import demo
    from pathshala.admin.routes import blp as admin_blp
    from pathshala.audit.routes import blp as audit_blp
    from pathshala.auth.routes import blp as auth_blp
    from pathshala.certificates.routes import blp as certificates_blp
    from pathshala.classwork.routes import blp as classwork_blp
    from pathshala.courses.routes import blp as courses_blp
    from pathshala.extensions import api
    from pathshala.jobs.commands import commands as job_commands
    from pathshala.learning.routes import blp as learning_blp
    from pathshala.mail.commands import commands as mail_commands
    from pathshala.media.commands import commands as transcode_commands
    from pathshala.media.playback import commands as media_commands
    from pathshala.media.playback_routes import blp as playback_blp
    from pathshala.media.playback_routes import media_blp as media_links_blp
    from pathshala.media.public_routes import blp as public_media_blp
    from pathshala.media.routes import blp as lesson_video_blp
    from pathshala.notifications.routes import blp as notifications_blp
    from pathshala.observability import register_request_logging
    from pathshala.payments.commands import commands as payment_commands
    from pathshala.payments.routes import admin_blp as payments_admin_blp
    from pathshala.payments.routes import blp as payments_blp
    from pathshala.security import commands as security_commands
    from pathshala.security import register_security_headers
    from pathshala.system.routes import blp as system_blp
    from pathshala.system.spa import register_spa
    from pathshala.uploads.routes import blp as uploads_blp
    from pathshala.users.commands import commands as user_commands

    register_request_logging(app)
    register_security_headers(app, settings)
    for blueprint in (
        system_blp,
        auth_blp,
        admin_blp,
        audit_blp,
        courses_blp,
        classwork_blp,
        learning_blp,
        certificates_blp,
        payments_blp,
        payments_admin_blp,
        playback_blp,
        media_links_blp,
        public_media_blp,
        lesson_video_blp,
        uploads_blp,
        notifications_blp,
    ):
        api.register_blueprint(blueprint)
    for commands in (
        user_commands,
        mail_commands,
        payment_commands,
        job_commands,
        demo.commands,
        media_commands,
        transcode_commands,
        security_commands,
    ):
        app.register_blueprint(commands)
    register_spa(app, settings.frontend_dist_dir)
