"""flask --app wsgi payments reconcile"""

from __future__ import annotations

from datetime import timedelta

import click
from flask import Blueprint

from pathshala.errors import AppError
from pathshala.payments import service

commands = Blueprint("payments_commands", __name__, cli_group="payments")


@commands.cli.command("reconcile")
@click.option(
    "--older-than-minutes",
    default=int(service.RECONCILE_AFTER.total_seconds() // 60),
    show_default=True,
    type=click.IntRange(min=0),
    help="Only orders left open for longer than this.",
)
@click.option("--limit", default=500, show_default=True, type=click.IntRange(min=1))
def reconcile(older_than_minutes: int, limit: int) -> None:
    """Ask the payment provider about orders left open (browser closed, webhook lost):
    complete those that were paid, expire those that were not."""
    try:
        report = service.reconcile(
            older_than=timedelta(minutes=older_than_minutes), limit=limit, progress=click.echo
        )
    except AppError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(
        f"{report.checked} checked, {report.completed} completed, {report.expired} expired"
        + (f", {report.failed} need another try or an admin" if report.failed else "")
        + "."
    )
    if report.failed:
        raise SystemExit(1)
