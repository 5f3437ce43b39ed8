"""Health checks and the runtime settings the SPA needs."""

from __future__ import annotations

import marshmallow as ma
from flask import current_app
from flask_smorest import Blueprint

from pathshala.system import service

blp = Blueprint("system", __name__, description="Health and runtime configuration")


class HealthSchema(ma.Schema):
    status = ma.fields.String()
    db = ma.fields.String()
    redis = ma.fields.String()


class ConfigSchema(ma.Schema):
    google_client_id = ma.fields.String(allow_none=True)
    payment_sandbox = ma.fields.Boolean()
    public_url = ma.fields.String()


@blp.route("/health", methods=["GET"])
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="The database is not answering")
def health():
    """Liveness plus a database round trip: 503 with db "error" when the database is down."""
    db_ok = service.database_answers()
    body = {"status": "ok" if db_ok else "error", "db": "ok" if db_ok else "error"}
    return body, (200 if db_ok else 503)


@blp.route("/health/ready", methods=["GET"])
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="A dependency is not answering")
def ready():
    """Readiness: the database and, when configured, Redis."""
    db_ok = service.database_answers()
    redis_state = service.redis_state()
    ok = db_ok and redis_state != "error"
    body = {
        "status": "ok" if ok else "error",
        "db": "ok" if db_ok else "error",
        "redis": redis_state,
    }
    return body, (200 if ok else 503)


@blp.route("/api/config", methods=["GET"])
@blp.response(200, ConfigSchema)
def config():
    """Public runtime settings the SPA adapts to."""
    settings = current_app.extensions["pathshala.settings"]
    return {
        "google_client_id": settings.google_client_id,
        "payment_sandbox": settings.payment_sandbox,
        "public_url": settings.public_url,
    }
