"""Facts about the current HTTP request that several features need."""

from flask import request


def client_ip() -> str:
    """The caller's address. ProxyFix (BACKEND_PROXY_COUNT) has already applied X-Forwarded-For."""
    return request.remote_addr or "unknown"


def json_field(name: str) -> str:
    """A top-level string field of the JSON body, lower-cased; '' when absent or not a string."""
    body = request.get_json(silent=True)
    if isinstance(body, dict):
        value = body.get(name)
        if isinstance(value, str):
            return value.strip().lower()
    return ""
