"""Small SQL building blocks that behave the same on Postgres and SQLite."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from pathshala.extensions import db


def insert_ignoring_duplicates(model: Any, rows: list[dict[str, Any]]) -> int:
    """INSERT ... ON CONFLICT DO NOTHING: idempotent under concurrent writers.
    Returns how many rows were really inserted."""
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return db.session.execute(insert(model).values(rows).on_conflict_do_nothing()).rowcount


def contains_pattern(text: str) -> str:
    """A case-folded LIKE pattern matching ``text`` anywhere, with %, _ and \\ taken literally
    (use with ``escape="\\"``)."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
