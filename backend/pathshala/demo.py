"""flask --app wsgi seed-demo: demo accounts and courses for the embedded setup, created once."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path

import click
from flask import Blueprint, current_app
from sqlalchemy import select

from pathshala.classwork.models import Classwork
from pathshala.columns import utcnow
from pathshala.courses.models import Course, Lesson
from pathshala.extensions import db
from pathshala.media import transcoding
from pathshala.uploads.models import Upload
from pathshala.users import service as users
from pathshala.users.models import User

commands = Blueprint("demo_commands", __name__, cli_group=None)

# Local demo only: the command refuses to run in production.
DEMO_ACCOUNTS = (
    ("admin", "Asha Admin", "admin@pathshala.local", "demo-admin-pass-42"),
    ("teacher", "Tara Teacher", "teacher@pathshala.local", "demo-teacher-pass-42"),
    ("student", "Sami Student", "student@pathshala.local", "demo-student-pass-42"),
)

DEMO_COURSES = (
    {
        "slug": "tabla-for-beginners",
        "title": "Tabla for Beginners",
        "subtitle": "Posture, the first bols and your first theka in four weeks",
        "description": (
            "A gentle start on the tabla.\n\n"
            "## What you will learn\n\n"
            "- How to sit and hold your hands\n"
            "- The bols **Na**, **Tin**, **Ge** and **Ke**\n"
            "- Teentaal, the sixteen-beat cycle\n\n"
            "No instrument yet? The first lessons work with a table top."
        ),
        "price": 0,
        "level": "beginner",
        "category": "Music",
        "lessons": (
            ("Getting started", "Welcome and how this course works", 240, True),
            ("Getting started", "Sitting and hand position", 420, True),
            ("First bols", "Na and Tin on the dayan", 600, False),
            ("First bols", "Ge and Ke on the bayan", 540, False),
            ("Your first theka", "Teentaal, slowly", 720, False),
        ),
        "classwork": (
            "Record your first Teentaal",
            "Play one cycle of Teentaal slowly and describe where you lost the beat.",
            10,
        ),
    },
    {
        "slug": "spoken-sanskrit-in-30-days",
        "title": "Spoken Sanskrit in 30 Days",
        "subtitle": "Everyday conversation, from greetings to telling a story",
        "description": (
            "Learn to speak simple Sanskrit sentences from the first day.\n\n"
            "Each lesson is ten minutes of listening and speaking, with a short exercise."
        ),
        "price": 149900,
        "level": "beginner",
        "category": "Languages",
        "lessons": (
            ("Week 1", "Greetings and introductions", 600, True),
            ("Week 1", "Numbers and time", 660, False),
            ("Week 2", "At the market", 720, False),
            ("Week 2", "Asking for directions", 690, False),
        ),
        "classwork": ("Introduce yourself", "Write five sentences about yourself in Sanskrit.", 20),
    },
    {
        "slug": "python-for-data-analysis",
        "title": "Python for Data Analysis",
        "subtitle": "pandas, plotting and clean data, with Indian census examples",
        "description": (
            "For people who know a little Python and want to answer real questions with data.\n\n"
            "```python\nimport pandas as pd\ncensus = pd.read_csv('census.csv')\n```"
        ),
        "price": 299900,
        "level": "intermediate",
        "category": "Programming",
        "lessons": (
            ("Foundations", "Setting up your notebook", 480, True),
            ("Foundations", "DataFrames in ten minutes", 900, False),
            ("Cleaning", "Missing values and odd spellings", 1080, False),
            ("Plotting", "Charts that tell the truth", 960, False),
        ),
        "classwork": (
            "Clean a district table",
            "Load the sample file, fix the district names and report the three largest districts.",
            100,
        ),
    },
)


#: the paid course whose first lessons get a real video, so a newcomer can buy and watch
DEMO_VIDEO_COURSE = "spoken-sanskrit-in-30-days"
DEMO_VIDEO_LESSONS = 2
DEMO_VIDEO_SECONDS = 12


def _demo_clip(ffmpeg: str, path: Path, tone_hz: int) -> None:
    """A short 720p test card with a tone, made by Debian's ffmpeg."""
    subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [
            ffmpeg,
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=duration={DEMO_VIDEO_SECONDS}:size=1280x720:rate=25",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency={tone_hz}:duration={DEMO_VIDEO_SECONDS}",
            "-pix_fmt",
            "yuv420p",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-c:a",
            "aac",
            "-shortest",
            str(path),
        ],  # fmt: skip
        check=True,
        timeout=120,
    )


def _seed_videos(teacher: User) -> int:
    """Give the first lessons of the demo's paid course a transcoded video (once each)."""
    course = db.session.scalar(select(Course).where(Course.slug == DEMO_VIDEO_COURSE))
    if course is None:
        return 0
    lessons = db.session.scalars(
        select(Lesson)
        .where(Lesson.course_id == course.id, Lesson.video_status.is_(None))
        .order_by(Lesson.position)
        .limit(DEMO_VIDEO_LESSONS)
    ).all()
    lessons = [lesson for lesson in lessons if lesson.position <= DEMO_VIDEO_LESSONS]
    if not lessons:
        return 0
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        click.echo("Demo videos skipped: ffmpeg is not installed (make run installs it).")
        return 0
    storage = current_app.extensions["pathshala.storage"]
    made = 0
    with tempfile.TemporaryDirectory(prefix="pathshala-demo-") as workdir:
        for lesson in lessons:
            click.echo(f"Demo video for “{lesson.title}”: generating a {DEMO_VIDEO_SECONDS} s clip")
            clip = Path(workdir) / f"{lesson.id}.mp4"
            _demo_clip(ffmpeg, clip, 330 + 110 * lesson.position)
            upload = Upload(
                user_id=teacher.id,
                purpose="lesson_video",
                lesson_id=lesson.id,
                course_id=course.id,
                filename=f"demo-lesson-{lesson.position}.mp4",
                content_type="video/mp4",
                size=clip.stat().st_size,
                storage_key=f"lessons/{lesson.id}/source/demo-{lesson.position}.mp4",
                status="attached",
                expires_at=utcnow() + timedelta(hours=1),
                received_at=utcnow(),
            )
            storage.save_file(upload.storage_key, clip, "video/mp4")
            db.session.add(upload)
            db.session.flush()
            lesson.video_upload_id, lesson.video_status = upload.id, "pending"
            lesson_id, upload_id = lesson.id, upload.id
            db.session.commit()
            status = transcoding.transcode(
                lesson_id,
                upload_id,
                on_progress=lambda percent: click.echo(f"  transcoding {percent}%"),
            )
            click.echo(f"  {status}")
            made += status == "ready"
    return made


def _seed_accounts() -> int:
    created = 0
    for role, name, email, password in DEMO_ACCOUNTS:
        if users.find_by_email(email) is None:
            users.create_user(email=email, name=name, role=role, password=password)
            created += 1
    db.session.flush()
    return created


def _seed_courses(teacher: User) -> int:
    created = 0
    for spec in DEMO_COURSES:
        if db.session.scalar(select(Course.id).where(Course.slug == spec["slug"])):
            continue
        course = Course(
            instructor_id=teacher.id,
            slug=spec["slug"],
            title=spec["title"],
            subtitle=spec["subtitle"],
            description=spec["description"],
            price=spec["price"],
            level=spec["level"],
            category=spec["category"],
            is_published=True,
            published_at=utcnow(),
        )
        db.session.add(course)
        db.session.flush()
        for position, (section, title, seconds, preview) in enumerate(spec["lessons"], start=1):
            db.session.add(
                Lesson(
                    course_id=course.id,
                    section_title=section,
                    position=position,
                    title=title,
                    duration_seconds=seconds,
                    is_free_preview=preview,
                )
            )
        title, instructions, points = spec["classwork"]
        db.session.add(
            Classwork(
                course_id=course.id, title=title, instructions=instructions, max_points=points
            )
        )
        created += 1
    return created


@commands.cli.command("seed-demo")
def seed_demo() -> None:
    """Create the demo admin, teacher, student and courses (once) and print how to sign in."""
    settings = current_app.extensions["pathshala.settings"]
    if settings.is_production:
        raise click.ClickException(
            "seed-demo creates known passwords; it never runs in production."
        )
    users.ensure_roles_exist()
    accounts = _seed_accounts()
    teacher = users.find_by_email(DEMO_ACCOUNTS[1][2])
    courses = _seed_courses(teacher) if teacher is not None else 0
    db.session.commit()
    videos = _seed_videos(teacher) if teacher is not None else 0
    if accounts or courses or videos:
        click.echo(
            f"Demo data: {accounts} account(s), {courses} course(s) and {videos} lesson "
            "video(s) created."
        )
    else:
        click.echo("Demo data already present.")
    click.echo(f"Open {settings.public_url} and sign in with a demo account:")
    for role, _name, email, password in DEMO_ACCOUNTS:
        click.echo(f"  {role:<8} {email:<26} {password}")
