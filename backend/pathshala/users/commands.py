"""flask --app wsgi create-admin ..."""

from __future__ import annotations

import click
from flask import Blueprint

from pathshala.errors import AppError
from pathshala.extensions import db
from pathshala.users import service

commands = Blueprint("users_commands", __name__, cli_group=None)


@commands.cli.command("create-admin")
@click.option("--email", required=True, help="The admin's email (an existing account is promoted).")
@click.option("--password", required=True, help="At least 8 characters, not a common password.")
@click.option("--name", required=True, help="Display name.")
def create_admin(email: str, password: str, name: str) -> None:
    """Create an admin, or promote an existing account to admin. Never prompts."""
    try:
        user, created = service.create_or_promote_admin(email=email, password=password, name=name)
        db.session.commit()
    except AppError as exc:
        db.session.rollback()
        details = "; ".join(m for msgs in (exc.fields or {}).values() for m in msgs)
        raise click.ClickException(f"{exc.message} {details}".strip()) from exc
    click.echo(f"{'Created' if created else 'Promoted'} admin {user.email} ({user.id}).")
