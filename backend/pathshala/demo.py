"""flask --app wsgi seed-demo: demo accounts for the embedded setup, created once."""

from __future__ import annotations

import click
from flask import Blueprint, current_app

from pathshala.extensions import db
from pathshala.users import service as users

commands = Blueprint("demo_commands", __name__, cli_group=None)

# Local demo only: the command refuses to run in production.
DEMO_ACCOUNTS = (
    ("admin", "Asha Admin", "admin@pathshala.local", "demo-admin-pass-42"),
    ("teacher", "Tara Teacher", "teacher@pathshala.local", "demo-teacher-pass-42"),
    ("student", "Sami Student", "student@pathshala.local", "demo-student-pass-42"),
)


@commands.cli.command("seed-demo")
def seed_demo() -> None:
    """Create the demo admin, teacher and student (once) and print how to sign in."""
    if current_app.extensions["pathshala.settings"].is_production:
        raise click.ClickException(
            "seed-demo creates known passwords; it never runs in production."
        )
    users.ensure_roles_exist()
    created = 0
    for role, name, email, password in DEMO_ACCOUNTS:
        if users.find_by_email(email) is None:
            users.create_user(email=email, name=name, role=role, password=password)
            created += 1
    db.session.commit()
    click.echo(
        f"Demo data: {created} account(s) created" if created else "Demo data already present."
    )
    click.echo("Sign in at the address below with one of these demo accounts:")
    for role, _name, email, password in DEMO_ACCOUNTS:
        click.echo(f"  {role:<8} {email:<26} {password}")
