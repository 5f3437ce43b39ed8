"""flask --app wsgi seed-demo: demo accounts and courses for the embedded setup, created once."""

from __future__ import annotations

import click
from flask import Blueprint, current_app
from sqlalchemy import select

from pathshala.classwork.models import Classwork
from pathshala.columns import utcnow
from pathshala.courses.models import Course, Lesson
from pathshala.extensions import db
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
    if accounts or courses:
        click.echo(f"Demo data: {accounts} account(s) and {courses} course(s) created.")
    else:
        click.echo("Demo data already present.")
    click.echo(f"Open {settings.public_url} and sign in with a demo account:")
    for role, _name, email, password in DEMO_ACCOUNTS:
        click.echo(f"  {role:<8} {email:<26} {password}")
