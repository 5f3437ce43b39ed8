from __future__ import annotations

import logging

import redis
from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from pathshala.extensions import db

log = logging.getLogger(__name__)


def database_answers() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError as exc:
        log.error("health: database not answering: %s", exc)
        db.session.rollback()
        return False


def redis_state() -> str:
    """'ok', 'error', or 'off' when the platform runs without Redis."""
    client = current_app.extensions.get("pathshala.redis")
    if client is None:
        return "off"
    try:
        client.ping()
        return "ok"
    except redis.RedisError as exc:
        log.error("health: redis not answering: %s", exc)
        return "error"
