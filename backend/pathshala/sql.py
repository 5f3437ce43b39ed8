"""Small SQL building blocks that behave the same on Postgres and SQLite."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite

from pathshala.extensions import db


def upsert_insert(model: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT for this database that knows ON CONFLICT (both dialects spell it alike)."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def least(*values: Any) -> Any:
    """The smallest argument: LEAST on Postgres, the scalar min() on SQLite."""
    return _dialect_function("least", "min")(*values)


def greatest(*values: Any) -> Any:
    """The largest argument: GREATEST on Postgres, the scalar max() on SQLite."""
    return _dialect_function("greatest", "max")(*values)


def _dialect_function(postgres_name: str, sqlite_name: str) -> Any:
    name = postgres_name if db.session.get_bind().dialect.name == "postgresql" else sqlite_name
    return getattr(func, name)


def insert_ignoring_duplicates(model: Any, rows: list[dict[str, Any]]) -> int:
    """INSERT ... ON CONFLICT DO NOTHING: idempotent under concurrent writers.
    Returns how many rows were really inserted."""
    if not rows:
        return 0
    return db.session.execute(upsert_insert(model).values(rows).on_conflict_do_nothing()).rowcount


def contains_pattern(text: str) -> str:
    """A case-folded LIKE pattern matching ``text`` anywhere, with %, _ and \\ taken literally
    (use with ``escape="\\"``)."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
