"""Sessions: refresh rotation and reuse detection, logout, logout-all, and revocation that
holds across workers (separate app instances sharing the database, and Redis when set)."""

from __future__ import annotations

import jwt as pyjwt
import pytest
import redis

from pathshala.auth.models import RefreshToken, TokenRevocation
from pathshala.auth.revocation import DatabaseRevocationStore, RedisRevocationStore
from pathshala.extensions import db
from tests.auth.api import assert_error, bearer, count, login, register
from tests.conftest import REDIS_URL, USE_REDIS
from tests.fakes.workers import client_for

needs_redis = pytest.mark.skipif(not USE_REDIS, reason=f"Redis not reachable at {REDIS_URL}")


def _refresh(client, refresh_token: str):
    return client.post("/api/auth/refresh", headers=bearer(refresh_token))


def _me(client, access_token: str):
    return client.get("/api/auth/me", headers=bearer(access_token))


def _family(token: str) -> str:
    return pyjwt.decode(token, options={"verify_signature": False})["fam"]


# ---- refresh ---------------------------------------------------------------------------------


def test_refresh_gives_a_new_pair_in_the_same_session(client):
    first = register(client).get_json()

    response = _refresh(client, first["refresh_token"])

    assert response.status_code == 200
    second = response.get_json()
    assert {"access_token", "refresh_token"} <= set(second)
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert _family(second["refresh_token"]) == _family(first["refresh_token"])
    assert _me(client, second["access_token"]).status_code == 200


def test_refresh_accepts_the_token_in_the_json_body(client):
    first = register(client).get_json()
    client.delete_cookie("refresh_token_cookie", path="/api/auth")

    response = client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})

    assert response.status_code == 200
    assert _me(client, response.get_json()["access_token"]).status_code == 200


def test_a_used_refresh_token_is_refused(client):
    first = register(client).get_json()
    assert _refresh(client, first["refresh_token"]).status_code == 200

    assert_error(_refresh(client, first["refresh_token"]), 401)


def test_reusing_a_rotated_token_revokes_the_whole_family(client):
    first = register(client).get_json()
    second = _refresh(client, first["refresh_token"]).get_json()
    assert _me(client, second["access_token"]).status_code == 200

    # An attacker replays the stolen, already-rotated first token...
    assert_error(_refresh(client, first["refresh_token"]), 401)

    # ...and the legitimate holder's newer tokens die with it: the session is over.
    assert_error(_refresh(client, second["refresh_token"]), 401)
    assert_error(_me(client, second["access_token"]), 401, "token_revoked")
    family = _family(first["refresh_token"])
    assert (
        count(RefreshToken, RefreshToken.family_id == family, RefreshToken.revoked_at.is_(None))
        == 0
    )


def test_reuse_revokes_only_that_family(client, make_user):
    user = make_user()
    device_a = login(client, user.email).get_json()
    device_b = login(client, user.email).get_json()
    assert _refresh(client, device_a["refresh_token"]).status_code == 200

    assert_error(_refresh(client, device_a["refresh_token"]), 401)

    assert _me(client, device_b["access_token"]).status_code == 200
    assert _refresh(client, device_b["refresh_token"]).status_code == 200


def test_refresh_without_a_token_is_401(client):
    assert_error(client.post("/api/auth/refresh"), 401, "not_authenticated")
    assert_error(client.post("/api/auth/refresh", json={}), 401, "not_authenticated")


@pytest.mark.parametrize("data", ["[1]", "null", '"a-token"', "42", "{", "not json"])
def test_refresh_refuses_a_body_that_is_not_a_json_object(client, data):
    response = client.post("/api/auth/refresh", data=data, content_type="application/json")

    assert_error(response, 400, "invalid_json")


def test_a_refresh_body_with_a_wrong_typed_token_is_refused(client):
    for value in (42, ["a"], {"a": 1}, "", "not.a.jwt"):
        response = client.post("/api/auth/refresh", json={"refresh_token": value})
        assert 400 <= response.status_code < 500, (value, response.status_code)
        assert_error(response, response.status_code)


# ---- logout ------------------------------------------------------------------------------------


def test_logout_revokes_the_access_and_refresh_token(client, make_user):
    user = make_user()
    session = login(client, user.email).get_json()
    other = login(client, user.email).get_json()

    response = client.post("/api/auth/logout", headers=bearer(session["access_token"]))

    assert response.status_code == 200
    assert response.get_json()["message"]
    assert_error(_me(client, session["access_token"]), 401, "token_revoked")
    assert_error(_refresh(client, session["refresh_token"]), 401)
    # the user's other session (another device) is untouched
    assert _me(client, other["access_token"]).status_code == 200
    assert _refresh(client, other["refresh_token"]).status_code == 200


def test_logout_clears_the_cookies(client):
    session = register(client).get_json()

    response = client.post("/api/auth/logout", headers=bearer(session["access_token"]))

    cleared = [c for c in response.headers.getlist("Set-Cookie") if "access_token_cookie=;" in c]
    assert cleared and ("Max-Age=0" in cleared[0] or "Expires=Thu, 01 Jan 1970" in cleared[0])


def test_logout_twice_is_refused_the_second_time(client):
    session = register(client).get_json()
    assert (
        client.post("/api/auth/logout", headers=bearer(session["access_token"])).status_code == 200
    )

    assert_error(client.post("/api/auth/logout", headers=bearer(session["access_token"])), 401)


def test_logout_all_revokes_every_session(client, make_user):
    user = make_user()
    sessions = [login(client, user.email).get_json() for _ in range(3)]
    bystander = login(client, make_user().email).get_json()

    response = client.post("/api/auth/logout-all", headers=bearer(sessions[0]["access_token"]))

    assert response.status_code == 200
    assert "3" in response.get_json()["message"]
    for session in sessions:
        assert_error(_me(client, session["access_token"]), 401, "token_revoked")
        assert_error(_refresh(client, session["refresh_token"]), 401)
    assert (
        count(RefreshToken, RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None)) == 0
    )
    assert _me(client, bystander["access_token"]).status_code == 200
    # signing in again works
    assert login(client, user.email).status_code == 200


# ---- across workers ----------------------------------------------------------------------------


def _revocation_holds_across_workers(spawn_app, make_user, **settings):
    worker_a = spawn_app(**settings)
    worker_b = spawn_app(**settings)
    client_a, client_b = client_for(worker_a), client_for(worker_b)
    user = make_user()
    session = login(client_a, user.email).get_json()
    other = login(client_a, user.email).get_json()
    assert _me(client_b, session["access_token"]).status_code == 200

    assert (
        client_b.post("/api/auth/logout", headers=bearer(session["access_token"])).status_code
        == 200
    )

    assert_error(_me(client_a, session["access_token"]), 401, "token_revoked")
    assert_error(_refresh(client_a, session["refresh_token"]), 401)
    # a worker started after the logout refuses it too
    worker_c = spawn_app(**settings)
    assert_error(_me(client_for(worker_c), session["access_token"]), 401, "token_revoked")

    assert (
        client_a.post("/api/auth/logout-all", headers=bearer(other["access_token"])).status_code
        == 200
    )
    assert_error(_me(client_b, other["access_token"]), 401, "token_revoked")
    assert_error(_refresh(client_b, other["refresh_token"]), 401)
    return worker_a, session


def test_revocation_holds_across_workers_with_the_database_store(spawn_app, make_user):
    worker, session = _revocation_holds_across_workers(spawn_app, make_user, BACKEND_REDIS_URL="")

    assert isinstance(worker.extensions["pathshala.revocations"], DatabaseRevocationStore)
    key = f"family:{_family(session['access_token'])}"
    assert count(TokenRevocation, TokenRevocation.key == key) == 1


@needs_redis
def test_revocation_holds_across_workers_sharing_redis(spawn_app, make_user):
    worker, session = _revocation_holds_across_workers(
        spawn_app, make_user, BACKEND_REDIS_URL=REDIS_URL
    )

    assert isinstance(worker.extensions["pathshala.revocations"], RedisRevocationStore)
    family = _family(session["access_token"])
    store = redis.Redis.from_url(REDIS_URL)
    assert store.exists(RedisRevocationStore.PREFIX + family) == 1
    assert store.ttl(RedisRevocationStore.PREFIX + family) > 29 * 24 * 3600
    assert count(TokenRevocation) == 0


@needs_redis
def test_rotation_reuse_is_caught_by_another_worker(spawn_app, make_user):
    worker_a = spawn_app(BACKEND_REDIS_URL=REDIS_URL)
    worker_b = spawn_app(BACKEND_REDIS_URL=REDIS_URL)
    client_a, client_b = client_for(worker_a), client_for(worker_b)
    first = login(client_a, make_user().email).get_json()
    second = _refresh(client_a, first["refresh_token"]).get_json()

    assert_error(_refresh(client_b, first["refresh_token"]), 401)

    assert_error(_me(client_a, second["access_token"]), 401, "token_revoked")
    assert_error(_refresh(client_a, second["refresh_token"]), 401)


def test_a_suspended_account_cannot_refresh(client, make_user):
    user = make_user()
    session = login(client, user.email).get_json()
    user.is_banned = True
    db.session.commit()

    assert_error(_refresh(client, session["refresh_token"]), 403, "account_suspended")
