"""Alembic environment shared by `flask --app wsgi db ...` and `cd db && alembic ...`.

Under Flask-Migrate an app context already exists; under plain Alembic one is created
from the same settings, so both use BACKEND_DATABASE_URL and the same metadata.
"""

from __future__ import annotations

import logging
import sys
from contextlib import nullcontext
from logging.config import fileConfig
from pathlib import Path

from alembic import context
from flask import current_app, has_app_context

config = context.config
if config.config_file_name is not None and not has_app_context():
    fileConfig(config.config_file_name, disable_existing_loggers=False)
log = logging.getLogger("alembic.env")
# Postgres-only indexes written by hand in migrations (the models cannot express them for
# both dialects); autogenerate must not propose dropping them.
HAND_WRITTEN_INDEXES = {"ix_courses_search"}
# Postgres-only generated columns, likewise: (table, column).
HAND_WRITTEN_COLUMNS = {("courses", "search_vector")}


def _include_object(obj, name, type_, reflected, compare_to) -> bool:
    if not reflected:
        return True
    if type_ == "index":
        return name not in HAND_WRITTEN_INDEXES
    if type_ == "column":
        return (obj.table.name, name) not in HAND_WRITTEN_COLUMNS
    return True


def _app_context():
    if has_app_context():
        return nullcontext()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "backend"))
    from pathshala import create_app

    return create_app().app_context()


def _run(connection) -> None:
    from pathshala.extensions import db

    context.configure(
        connection=connection,
        target_metadata=db.metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
        compare_type=True,
        include_object=_include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


with _app_context():
    from pathshala.extensions import db

    if context.is_offline_mode():
        context.configure(
            url=current_app.config["SQLALCHEMY_DATABASE_URI"],
            target_metadata=db.metadata,
            literal_binds=True,
            render_as_batch=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    else:
        with db.engine.connect() as connection:
            _run(connection)
