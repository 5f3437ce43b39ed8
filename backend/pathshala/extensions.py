"""Flask extensions, created unbound; ``create_app`` binds them to an app."""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin
from flask import Flask, current_app, has_app_context
from flask_cors import CORS
from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from pathshala.errors import ErrorSchema, documented_error, render_http_exception
from pathshala.requests import client_ip

# Named constraints let Alembic's batch mode (SQLite) alter and drop them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class CommonErrorsPlugin(BasePlugin):
    """Documents what every endpoint of a kind can answer, so no operation leaves it out:
    a path that names something (an id) can name nothing, and answers 404."""

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        if not path or "{" not in path:
            return
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            if "404" not in {str(status) for status in responses}:
                responses["404"] = documented_error("Nothing with that id")


class PathshalaApi(Api):
    """flask-smorest's Api, rendering every HTTP error in Pathshala's one error format."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        return render_http_exception(error)


class _PerAppAttribute:
    """A Limiter attribute read from and written to the state of the current app."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, limiter: AppBoundLimiter | None, owner: type | None = None) -> Any:
        if limiter is None:
            return self
        return limiter.app_state().get(self.name, limiter.unbound_state.get(self.name))

    def __set__(self, limiter: AppBoundLimiter, value: Any) -> None:
        limiter.app_state()[self.name] = value


class AppBoundLimiter(Limiter):
    """Flask-Limiter keeps its storage and on/off switch on the Limiter object, so each
    ``create_app()`` in a process silently rebinds every earlier app's limits to its own
    storage and settings (a second app built by a test or a CLI command moved the first app's
    counters, or switched them off). Here those attributes live per app; the declared limits
    stay shared, as they are code."""

    enabled = _PerAppAttribute()
    _storage = _PerAppAttribute()
    _limiter = _PerAppAttribute()
    _storage_dead = _PerAppAttribute()
    _fallback_storage = _PerAppAttribute()
    _fallback_limiter = _PerAppAttribute()
    _in_memory_fallback_enabled = _PerAppAttribute()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.unbound_state: dict[str, Any] = {}
        self._binding: dict[str, Any] | None = None
        super().__init__(*args, **kwargs)

    def app_state(self) -> dict[str, Any]:
        if self._binding is not None:  # inside init_app
            return self._binding
        if has_app_context():
            state = current_app.extensions.get("pathshala.limiter")
            if state is not None:
                return state
        return self.unbound_state

    def init_app(self, app: Flask) -> None:
        self._binding = dict(self.unbound_state)
        try:
            super().init_app(app)
            app.extensions["pathshala.limiter"] = self._binding
        finally:
            self._binding = None


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
jwt = JWTManager()
cors = CORS()
api = PathshalaApi(spec_kwargs={"extra_plugins": [CommonErrorsPlugin()]})
limiter = AppBoundLimiter(key_func=client_ip, headers_enabled=True)
