"""flask --app wsgi media transcode <lesson_id>"""

from __future__ import annotations

import uuid

import click
from flask import Blueprint

from pathshala.courses.models import Lesson
from pathshala.extensions import db
from pathshala.media import transcoding

commands = Blueprint("media_transcode_commands", __name__, cli_group="media")


@commands.cli.command("transcode")
@click.argument("lesson_id", type=click.UUID)
def transcode(lesson_id: uuid.UUID) -> None:
    """Transcode a lesson's video now, in the foreground, printing the percent done
    (whatever its status; a new version replaces the current renditions)."""
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None:
        raise click.ClickException(f"No lesson {lesson_id}.")
    if lesson.video_upload_id is None:
        raise click.ClickException(f"Lesson {lesson_id} has no video.")
    upload_id = lesson.video_upload_id
    click.echo(f"Transcoding lesson {lesson_id} (upload {upload_id})...")
    status = transcoding.transcode(
        lesson_id, upload_id, on_progress=lambda percent: click.echo(f"{percent}%")
    )
    lesson = db.session.get(Lesson, lesson_id)
    if status == "ready" and lesson is not None:
        click.echo(f"Ready: {lesson.video_hls_key} ({lesson.duration_seconds} s)")
        return
    if status is None:
        raise click.ClickException("The lesson's video was replaced meanwhile; nothing done.")
    error = lesson.video_error if lesson is not None else None
    raise click.ClickException(f"Failed: {error or 'see the log'}")
