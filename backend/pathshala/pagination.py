"""The one way lists are paged: a bounded page size and a whitelisted sort."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import marshmallow as ma
from sqlalchemy import Select, func, select

from pathshala.extensions import db

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int


class BlankFiltersOmitted(ma.Schema):
    """A filter sent empty (``?method=``) means no filter, as an unset form field does."""

    @ma.pre_load
    def drop_blank(self, data, **kwargs):
        if isinstance(data, Mapping):
            return {key: value for key, value in data.items() if value != ""}
        return data


class PageArgs(ma.Schema):
    """Query parameters every list endpoint accepts; subclasses add filters and sorts."""

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    per_page = ma.fields.Integer(
        load_default=DEFAULT_PER_PAGE, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE)
    )


def paginate(
    query: Select, *, page: int, per_page: int, sort: str, sorts: dict[str, tuple]
) -> Page:
    """Two queries, whatever the page size: one count, one page. ``sort`` must be a key of
    ``sorts`` (the schema validates it); each value ends with a unique column for stable order."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(
        query.order_by(*sorts[sort]).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(items=list(items), total=total or 0, page=page, per_page=per_page)
