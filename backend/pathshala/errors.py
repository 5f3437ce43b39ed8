"""The one error format: every error, whatever raised it, leaves as
``{"code", "message", "fields"?, "request_id"}`` with the right status.

Services raise ``AppError`` subclasses; HTTP errors from Flask, webargs and Flask-Limiter,
and JWT failures, are translated here. A stack trace never reaches a client.
"""

from __future__ import annotations

import logging
from typing import Any

import marshmallow as ma
import redis
from flask import Flask, g, jsonify
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class AppError(Exception):
    status = 400
    code = "bad_request"
    message = "The request could not be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        self.code = code or self.code
        self.fields = fields
        self.headers = headers or {}


class InvalidInput(AppError):
    status = 422
    code = "invalid_input"
    message = "Some fields are not valid."


class BadRequest(AppError):
    status = 400
    code = "bad_request"


class Unauthorized(AppError):
    status = 401
    code = "not_authenticated"
    message = "Sign in to continue."


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    message = "You are not allowed to do that."


class NotFound(AppError):
    status = 404
    code = "not_found"
    message = "Not found."


class Conflict(AppError):
    status = 409
    code = "conflict"
    message = "That conflicts with something that already exists."


class Gone(AppError):
    status = 410
    code = "gone"
    message = "This is no longer available."


class ServiceUnavailable(AppError):
    status = 503
    code = "service_unavailable"
    message = "A service the platform depends on is not answering. Try again shortly."


class ErrorSchema(ma.Schema):
    """The error body, as documented in the OpenAPI document."""

    code = ma.fields.String(required=True, metadata={"example": "invalid_input"})
    message = ma.fields.String(required=True)
    fields = ma.fields.Dict(
        keys=ma.fields.String(),
        metadata={"description": "Per-field messages, present for validation errors."},
    )
    request_id = ma.fields.String()


def documented_error(description: str) -> dict[str, Any]:
    """An error response for the OpenAPI document (its body is ``ErrorSchema``)."""
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


# Machine codes for HTTP errors that do not come from an AppError.
HTTP_CODES = {
    400: ("bad_request", "The request could not be understood."),
    401: ("not_authenticated", "Sign in to continue."),
    403: ("forbidden", "You are not allowed to do that."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "That method is not allowed here."),
    409: ("conflict", "That conflicts with something that already exists."),
    413: ("payload_too_large", "The request body is too large."),
    415: ("unsupported_media_type", "Send the request body as JSON."),
    422: ("invalid_input", "Some fields are not valid."),
    429: ("rate_limited", "Too many requests. Wait a little and try again."),
    500: ("internal_error", "Something went wrong on our side. It has been logged."),
    503: ("service_unavailable", "The service is not available right now."),
}


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
):
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    request_id = g.get("request_id") if g else None
    if request_id:
        body["request_id"] = request_id
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _validation_fields(messages: Any) -> dict[str, Any]:
    """Flatten webargs' ``{"json": {...}, "query": {...}}`` into one field map."""
    fields: dict[str, Any] = {}
    if isinstance(messages, dict):
        for location_or_field, value in messages.items():
            if location_or_field in ("json", "query", "form", "headers", "files", "view_args"):
                if isinstance(value, dict):
                    fields.update(value)
                else:
                    fields["_body"] = value
            else:
                fields[location_or_field] = value
    return {("_body" if name == "_schema" else name): value for name, value in fields.items()}


def render_http_exception(error: HTTPException):
    status = error.code or 500
    code, message = HTTP_CODES.get(status, ("http_error", error.description or "HTTP error."))
    data = getattr(error, "data", None) or {}
    fields = None
    headers = dict(data.get("headers") or {})
    if status == 400 and "messages" in data:
        # webargs reports a body that is not JSON at all as a 400.
        code, message = "invalid_json", "The request body is not valid JSON."
    elif status == 422 and "messages" in data:
        fields = _validation_fields(data["messages"])
    elif status == 429:
        message = f"Too many requests ({error.description}). Wait a little and try again."
    if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return error_response(status, code, message, fields, headers)


def register_error_handlers(app: Flask) -> None:
    from pathshala.requests import contains_nul

    @app.before_request
    def refuse_nul_characters():
        if contains_nul():
            return error_response(
                400,
                "invalid_characters",
                "The request contains a NUL character, which is not allowed.",
            )
        return None

    @app.errorhandler(AppError)
    def handle_app_error(error: AppError):
        return error_response(error.status, error.code, error.message, error.fields, error.headers)

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        return render_http_exception(error)

    @app.errorhandler(OperationalError)
    @app.errorhandler(redis.ConnectionError)
    @app.errorhandler(redis.TimeoutError)
    def handle_dependency_down(error: Exception):
        # The database or Redis is down or overloaded: the client may retry, it is not a bug.
        log.error("dependency unavailable: %s: %s", type(error).__name__, error)
        return error_response(
            503, ServiceUnavailable.code, ServiceUnavailable.message, headers={"Retry-After": "5"}
        )

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        # The one place an unexpected exception is caught: log it whole, tell the client little.
        log.exception("unhandled error", exc_info=error)
        code, message = HTTP_CODES[500]
        return error_response(500, code, message)
