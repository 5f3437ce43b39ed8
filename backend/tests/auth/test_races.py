"""Requests that race: the database's constraints and conditional updates decide, and the
loser gets a clean 4xx, never a 500."""

from __future__ import annotations

import threading
from collections.abc import Callable

from pathshala.users.models import User
from tests.auth.api import PASSWORD, bearer, count, login, unique_email
from tests.fakes.workers import client_for

RACERS = 4


def _race(calls: list[Callable]) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_racing_sign_ups_for_one_email_make_one_account(spawn_app):
    worker = spawn_app()
    email = unique_email("race")
    body = {"email": email, "password": PASSWORD, "name": "Racer"}

    responses = _race([lambda: client_for(worker).post("/api/auth/register", json=body)] * RACERS)

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * (RACERS - 1), statuses
    assert all(r.get_json()["code"] == "email_taken" for r in responses if r.status_code == 409)
    assert count(User, User.email == email) == 1


def test_racing_refreshes_with_one_token_let_exactly_one_through(spawn_app, make_user):
    worker = spawn_app()
    session = login(client_for(worker), make_user().email).get_json()

    responses = _race(
        [
            lambda: client_for(worker).post(
                "/api/auth/refresh", headers=bearer(session["refresh_token"])
            )
        ]
        * RACERS
    )

    assert sorted(r.status_code for r in responses) == [200] + [401] * (RACERS - 1)
    # The losers presented a token that had just been spent, which is what a replay looks
    # like, so the family is revoked: the winner's new pair is refused as well. (The SPA
    # must therefore send one refresh at a time; docs/auth-wire.md.)
    [winner] = [r.get_json() for r in responses if r.status_code == 200]
    client = client_for(worker)
    assert client.get("/api/auth/me", headers=bearer(winner["access_token"])).status_code == 401
    assert (
        client.post("/api/auth/refresh", headers=bearer(winner["refresh_token"])).status_code
        == 401
    )
