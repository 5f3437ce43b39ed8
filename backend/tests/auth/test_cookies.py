"""The SPA's wire (docs/auth-wire.md): HttpOnly cookies, and a CSRF header on every write."""

from __future__ import annotations

from tests.auth.api import assert_error, login, register


def _cookie(client, name: str, path: str = "/") -> str | None:
    cookie = client.get_cookie(name, path=path)
    return cookie.value if cookie else None


def _signed_in_spa(client) -> dict:
    """Sign up as the SPA does; the test client keeps the cookies like a browser."""
    body = register(client).get_json()
    assert _cookie(client, "access_token_cookie")
    assert _cookie(client, "refresh_token_cookie", path="/api/auth")
    assert _cookie(client, "csrf_access_token")
    assert _cookie(client, "csrf_refresh_token")
    return body


def test_reads_work_with_the_cookie_alone(client):
    body = _signed_in_spa(client)

    response = client.get("/api/auth/me")

    assert response.status_code == 200
    assert response.get_json()["id"] == body["user"]["id"]


def test_a_cookie_write_without_the_csrf_header_is_refused(client):
    _signed_in_spa(client)

    response = client.patch("/api/auth/me", json={"name": "Changed by a forged form"})

    assert_error(response, 401, "csrf_failed")
    assert client.get("/api/auth/me").get_json()["name"] == "Asha Rao"


def test_a_cookie_write_with_a_wrong_csrf_header_is_refused(client):
    _signed_in_spa(client)

    response = client.patch(
        "/api/auth/me", json={"name": "Changed"}, headers={"X-CSRF-TOKEN": "guessed-value"}
    )

    assert_error(response, 401, "csrf_failed")


def test_a_cookie_write_with_the_csrf_header_succeeds(client):
    _signed_in_spa(client)

    response = client.patch(
        "/api/auth/me",
        json={"name": "Changed"},
        headers={"X-CSRF-TOKEN": _cookie(client, "csrf_access_token")},
    )

    assert response.status_code == 200
    assert client.get("/api/auth/me").get_json()["name"] == "Changed"


def test_logout_by_cookie_needs_csrf_then_clears_the_cookies(client):
    _signed_in_spa(client)
    assert_error(client.post("/api/auth/logout"), 401, "csrf_failed")
    assert client.get("/api/auth/me").status_code == 200

    response = client.post(
        "/api/auth/logout", headers={"X-CSRF-TOKEN": _cookie(client, "csrf_access_token")}
    )

    assert response.status_code == 200
    assert _cookie(client, "access_token_cookie") is None
    assert _cookie(client, "refresh_token_cookie", path="/api/auth") is None
    assert_error(client.get("/api/auth/me"), 401, "not_authenticated")


def test_the_spa_refreshes_with_the_refresh_cookie_and_its_csrf_token(client):
    _signed_in_spa(client)
    old_access = _cookie(client, "access_token_cookie")
    old_refresh = _cookie(client, "refresh_token_cookie", path="/api/auth")

    assert_error(client.post("/api/auth/refresh"), 401, "csrf_failed")
    # the access token's CSRF value does not unlock the refresh cookie
    assert_error(
        client.post(
            "/api/auth/refresh", headers={"X-CSRF-TOKEN": _cookie(client, "csrf_access_token")}
        ),
        401,
        "csrf_failed",
    )

    response = client.post(
        "/api/auth/refresh", headers={"X-CSRF-TOKEN": _cookie(client, "csrf_refresh_token")}
    )

    assert response.status_code == 200
    assert _cookie(client, "access_token_cookie") not in (None, old_access)
    assert _cookie(client, "refresh_token_cookie", path="/api/auth") not in (None, old_refresh)
    assert client.get("/api/auth/me").status_code == 200


def test_a_replayed_refresh_cookie_ends_the_session(client, make_user):
    user = make_user()
    login(client, user.email)
    stolen = _cookie(client, "refresh_token_cookie", path="/api/auth")
    stolen_csrf = _cookie(client, "csrf_refresh_token")
    assert (
        client.post("/api/auth/refresh", headers={"X-CSRF-TOKEN": stolen_csrf}).status_code == 200
    )

    client.set_cookie("refresh_token_cookie", stolen, path="/api/auth")
    client.set_cookie("csrf_refresh_token", stolen_csrf)
    assert_error(client.post("/api/auth/refresh", headers={"X-CSRF-TOKEN": stolen_csrf}), 401)


def test_a_bearer_header_needs_no_csrf(client):
    body = _signed_in_spa(client)
    client.delete_cookie("access_token_cookie")

    response = client.patch(
        "/api/auth/me",
        json={"name": "API client"},
        headers={"Authorization": f"Bearer {body['access_token']}"},
    )

    assert response.status_code == 200
