"""Facts about the current HTTP request that several features need."""

from flask import request
from flask_jwt_extended import current_user


def client_ip() -> str:
    """The caller's address. ProxyFix (BACKEND_PROXY_COUNT) has already applied X-Forwarded-For."""
    return request.remote_addr or "unknown"


def signed_in_user_key() -> str:
    """A rate-limit key per signed-in user (a classroom behind one NAT address is many
    students); the address for anyone else. Use under ``require_login``."""
    return f"user:{current_user.id}" if current_user else f"ip:{client_ip()}"


def json_field(name: str) -> str:
    """A top-level string field of the JSON body, lower-cased; '' when absent or not a string."""
    body = request.get_json(silent=True)
    if isinstance(body, dict):
        value = body.get(name)
        if isinstance(value, str):
            return value.strip().lower()
    return ""


def json_body_is_not_an_object() -> bool:
    """True when a JSON request has a body that is not a JSON object (an array, a string,
    ``null``, or not JSON at all)."""
    if not request.is_json or not request.get_data(cache=True).strip():
        return False
    return not isinstance(request.get_json(silent=True), dict)


def contains_nul() -> bool:
    """Postgres text cannot hold NUL; a client that sends one gets a 400, not a 500.
    Only JSON bodies are inspected (uploads are streamed elsewhere)."""
    if "\x00" in request.path or "\x00" in request.query_string.decode("latin-1"):
        return True
    if any("\x00" in value for value in request.args.values()):
        return True
    if request.is_json:
        body = request.get_data(cache=True)
        return b"\\u0000" in body or b"\x00" in body
    return False
