"""Where revoked sessions are remembered, so every worker refuses their tokens.

A session is a refresh-token family; every access token names its family in the ``fam``
claim. Revoking a family therefore revokes its access and refresh tokens at once.
Redis when BACKEND_REDIS_URL is set (keys expire with the tokens), the database otherwise.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

import redis
from sqlalchemy import select

from pathshala.auth.models import TokenRevocation
from pathshala.columns import utcnow
from pathshala.extensions import db
from pathshala.sql import insert_ignoring_duplicates


class RevocationStore(Protocol):
    def revoke(self, family_ids: list[str], until: datetime) -> None: ...

    def is_revoked(self, family_id: str) -> bool: ...


class DatabaseRevocationStore:
    """Writes in the caller's transaction: the revocation lands when the request commits."""

    def revoke(self, family_ids: list[str], until: datetime) -> None:
        now = utcnow()
        insert_ignoring_duplicates(
            TokenRevocation,
            [{"key": f"family:{f}", "revoked_at": now, "expires_at": until} for f in family_ids],
        )

    def is_revoked(self, family_id: str) -> bool:
        key = f"family:{family_id}"
        return (
            db.session.scalar(select(TokenRevocation.key).where(TokenRevocation.key == key))
            is not None
        )


class RedisRevocationStore:
    PREFIX = "pathshala:revoked:family:"

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def revoke(self, family_ids: list[str], until: datetime) -> None:
        ttl = max(int((until - utcnow()).total_seconds()) + 60, 60)
        pipe = self.client.pipeline(transaction=False)
        for family_id in family_ids:
            pipe.set(self.PREFIX + family_id, "1", ex=ttl)
        pipe.execute()

    def is_revoked(self, family_id: str) -> bool:
        return bool(self.client.exists(self.PREFIX + family_id))


def revocation_horizon(refresh_days: int) -> datetime:
    """After this moment no token of a family issued now can still be valid."""
    return utcnow() + timedelta(days=refresh_days, minutes=5)
