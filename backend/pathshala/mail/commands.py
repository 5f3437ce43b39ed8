"""flask --app wsgi mail deliver"""

from __future__ import annotations

import click
from flask import Blueprint

from pathshala.mail import service

commands = Blueprint("mail_commands", __name__, cli_group="mail")


@commands.cli.command("deliver")
@click.option("--limit", default=100, show_default=True, help="At most this many messages.")
def deliver(limit: int) -> None:
    """Retry delivery of outbox messages that are pending or failed."""
    delivered = service.deliver_waiting(limit=limit)
    click.echo(f"Delivered {delivered} message(s).")
