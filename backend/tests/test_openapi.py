"""The OpenAPI document agrees with the contract and documents every error answer."""

from __future__ import annotations

import json
import re

import pytest

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}

# shared/contract/API.md: the auth and course endpoints (plus /health), as (method, path).
CONTRACT = {
    ("get", "/health"),
    ("post", "/api/auth/register"),
    ("post", "/api/auth/login"),
    ("post", "/api/auth/refresh"),
    ("post", "/api/auth/logout"),
    ("post", "/api/auth/logout-all"),
    ("get", "/api/auth/me"),
    ("post", "/api/auth/google"),
    ("post", "/api/auth/admin/create-teacher"),
    ("post", "/api/auth/forgot-password"),
    ("post", "/api/auth/reset-password"),
    ("post", "/api/auth/change-password"),
    ("get", "/api/courses"),
    ("post", "/api/courses"),
    ("get", "/api/courses/{}"),
    ("patch", "/api/courses/{}"),
    ("delete", "/api/courses/{}"),
    ("post", "/api/courses/{}/lessons"),
    ("get", "/api/courses/{}/lessons"),
    ("patch", "/api/lessons/{}"),
    ("delete", "/api/lessons/{}"),
    ("post", "/api/courses/{}/classwork"),
    ("get", "/api/courses/{}/classwork"),
    ("patch", "/api/classwork/{}"),
    ("delete", "/api/classwork/{}"),
    ("post", "/api/classwork/{}/submissions"),
    ("post", "/api/courses/{}/enroll"),
    ("get", "/api/me/courses"),
}
RATE_LIMITED = {
    ("post", "/api/auth/register"),
    ("post", "/api/auth/login"),
    ("post", "/api/auth/forgot-password"),
}


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


@pytest.fixture(scope="module")
def spec(app):
    response = app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return json.loads(response.get_data(as_text=True))


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield method, path, operation


def _resolve(spec, reference: str):
    assert reference.startswith("#/"), reference
    node = spec
    for part in reference[2:].split("/"):
        assert part in node, f"dangling $ref {reference}"
        node = node[part]
    return node


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_the_document_is_openapi_3(spec):
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] and spec["info"]["version"]
    assert spec["paths"]
    for reference in set(_refs(spec)):
        _resolve(spec, reference)


def test_path_parameters_are_declared(spec):
    for method, path, operation in _operations(spec):
        declared = {
            p["name"]
            for p in spec["paths"][path].get("parameters", []) + operation.get("parameters", [])
            if p.get("in") == "path"
        }
        assert set(re.findall(r"\{([^}]+)\}", path)) == declared, (method, path)


def test_every_contract_endpoint_is_documented(spec):
    documented = {(method, _shape(path)) for method, path, _ in _operations(spec)}

    missing = CONTRACT - documented
    assert not missing, f"not in /api/openapi.json: {sorted(missing)}"


def test_every_route_of_the_app_is_documented(app, spec):
    documented = {(method, _shape(path)) for method, path, _ in _operations(spec)}
    routes = {
        (method.lower(), _shape(re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(("/api/", "/health"))
        and not rule.rule.startswith("/api/docs")
        and rule.rule != "/api/openapi.json"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }

    assert routes - documented == set()


def _error_statuses(spec, operation) -> dict[str, dict]:
    found = {}
    for status, response in operation["responses"].items():
        if "$ref" in response:
            response = _resolve(spec, response["$ref"])
        if status == "default" or status.startswith(("4", "5")):
            found[status] = response
    return found


def test_every_error_response_uses_the_error_schema(spec):
    for method, path, operation in _operations(spec):
        for status, response in _error_statuses(spec, operation).items():
            schema = response["content"]["application/json"]["schema"]
            if path.startswith("/health") and status == "503":
                # the contract's health body: {"status": "error", "db": "error"}
                assert schema == {"$ref": "#/components/schemas/Health"}
                continue
            assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)
    error = spec["components"]["schemas"]["Error"]
    assert {"code", "message", "fields", "request_id"} <= set(error["properties"])
    assert set(error["required"]) == {"code", "message"}


def test_every_endpoint_documents_its_error_responses(spec):
    problems = []
    for method, path, operation in _operations(spec):
        statuses = set(_error_statuses(spec, operation))
        expected = {"default"}
        if operation.get("security"):
            expected |= {"401", "403"}
        if "{" in path:
            expected.add("404")
        takes_input = "requestBody" in operation or any(
            p.get("in") == "query" for p in operation.get("parameters", [])
        )
        if takes_input:
            expected.add("422")
        if (method, _shape(path)) in RATE_LIMITED:
            expected.add("429")
        if not expected <= statuses:
            problems.append(f"{method.upper()} {path}: missing {sorted(expected - statuses)}")
    assert not problems, "\n".join(problems)


def test_endpoints_that_need_a_session_say_so(app, spec):
    guarded = {
        (method.lower(), _shape(re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)))
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions[rule.endpoint], "required_roles", None)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    secured = {
        (method, _shape(path)) for method, path, op in _operations(spec) if op.get("security")
    }

    assert guarded and guarded <= secured
    assert {"bearerAuth", "cookieAuth"} <= set(spec["components"]["securitySchemes"])


def test_swagger_ui_is_served(client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "swagger-ui" in html.lower()
    assert "/api/openapi.json" in html
