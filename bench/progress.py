"""Progress heartbeat benchmark: prints numbers, asserts nothing.

    .venv/bin/python bench/progress.py [--duration 10] [--concurrency 4] [--workers 2]
                                       [--students 200] [--lessons 20]

1. Creates a dedicated Postgres database (default ``pathshala_bench_progress``), migrates it,
   and seeds one course of ``--lessons`` ten-minute video lessons with ``--students`` enrolled
   students, each with a session; every student already has a progress row per lesson, so the
   measured heartbeats are the steady state: updates, not first inserts.
2. Starts the app under gunicorn (rate limits off) and runs, each for ``--duration`` seconds
   with ``--concurrency`` client processes sending one request after another on a fresh
   connection:
   - ``GET /health`` (no database): the ceiling of the setup;
   - ``GET /api/auth/me``: a signed-in request's fixed cost (token, revocation, user);
   - ``POST /api/lessons/<id>/progress`` heartbeats, each from a student and lesson taken in
     turn, the position moving forward as a playing video's would.
   Prints requests/s, p50/p95/p99 latency and errors per scenario, the heartbeat's share of
   the other two, and the plan Postgres uses for the upsert (its unique index, no scan).
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import psycopg2
from catalog import (
    BACKEND,
    REPO,
    app_environment,
    drop_database,
    gunicorn,
    migrate,
    recreate_database,
)

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/pathshala_bench_progress"


@dataclass
class Seeded:
    tokens: list[str]
    lesson_ids: list[str]


def seed(env: dict[str, str], students: int, lessons: int) -> Seeded:
    """The course, its lessons, the students and their sessions and progress, through the
    app's own models."""
    sys.path.insert(0, str(BACKEND))
    from pathshala import create_app
    from pathshala.auth import sessions
    from pathshala.columns import utcnow
    from pathshala.courses.models import Course, Lesson
    from pathshala.enrollments.models import Enrollment
    from pathshala.extensions import db
    from pathshala.learning.models import LessonProgress
    from pathshala.users import service as users

    app = create_app({k: v for k, v in env.items() if k.startswith("BACKEND_")})
    with app.app_context():
        teacher = users.create_user(
            email="bench-teacher@example.com",
            name="Teacher",
            role="teacher",
            password=None,
        )
        db.session.flush()
        course = Course(
            title="Bench course", slug="bench-progress", instructor_id=teacher.id
        )
        course.is_published = True
        db.session.add(course)
        db.session.flush()
        rows = [
            Lesson(
                course_id=course.id,
                title=f"Lesson {n}",
                position=n,
                duration_seconds=600,
                video_status="ready",
            )
            for n in range(lessons)
        ]
        db.session.add_all(rows)
        db.session.flush()
        tokens = []
        now = utcnow()
        for n in range(students):
            student = users.create_user(
                email=f"bench-student-{n}@example.com",
                name="Student",
                role="student",
                password=None,
            )
            db.session.flush()
            db.session.add(
                Enrollment(user_id=student.id, course_id=course.id, source="manual")
            )
            db.session.add_all(
                LessonProgress(
                    id=uuid.uuid4(),
                    user_id=student.id,
                    lesson_id=lesson.id,
                    course_id=course.id,
                    heartbeat_ms=int(now.timestamp() * 1000),
                )
                for lesson in rows
            )
            tokens.append(sessions.issue(student).access_token)
        db.session.commit()
        return Seeded(tokens, [str(lesson.id) for lesson in rows])


def _client(port: int, scenario: str, seeded: Seeded, seconds: float, offset: int):
    """One request after another for ``seconds``: (latencies in ms, errors). ``scenario``:
    "health", "me" (GET /api/auth/me: the token and user checks alone) or "heartbeat"."""
    latencies: list[float] = []
    errors = 0
    index = offset
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        started = time.perf_counter()
        try:
            if seeded is None:
                connection.request("GET", "/health")
            else:
                token = seeded.tokens[index % len(seeded.tokens)]
                lesson = seeded.lesson_ids[
                    (index // len(seeded.tokens)) % len(seeded.lesson_ids)
                ]
                body = json.dumps({"position_seconds": (index * 15) % 590})
                headers = {
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/json",
                }
                connection.request(
                    "POST", f"/api/lessons/{lesson}/progress", body, headers
                )
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                latencies.append((time.perf_counter() - started) * 1000)
            else:
                errors += 1
        except OSError:
            errors += 1
        finally:
            connection.close()
        index += 1
    return latencies, errors


def run(
    port: int,
    scenario: str,
    seeded: Seeded,
    *,
    seconds: float,
    concurrency: int,
    warmup: float,
):
    """(requests/s, latencies in ms, errors) with ``concurrency`` client processes."""
    with ProcessPoolExecutor(concurrency) as pool:
        for job in [
            pool.submit(_client, port, scenario, seeded, warmup, i * 97)
            for i in range(concurrency)
        ]:
            job.result()
        started = time.perf_counter()
        jobs = [
            pool.submit(_client, port, scenario, seeded, seconds, i * 7919)
            for i in range(concurrency)
        ]
        results = [job.result() for job in jobs]
        elapsed = time.perf_counter() - started
    latencies = sorted(ms for result in results for ms in result[0])
    return len(latencies) / elapsed, latencies, sum(result[1] for result in results)


def _percentile(values: list[float], share: float) -> float:
    return (
        values[min(len(values) - 1, int(share * len(values)))]
        if values
        else float("nan")
    )


def upsert_plan(url: str) -> list[str]:
    """EXPLAIN of the heartbeat's upsert as the app sends it (its ON CONFLICT arbiter)."""
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT user_id, lesson_id, course_id FROM lesson_progress LIMIT 1"
            )
            user_id, lesson_id, course_id = cursor.fetchone()
            cursor.execute(
                "EXPLAIN INSERT INTO lesson_progress (id, user_id, lesson_id, course_id, "
                "position_seconds, watched_seconds, heartbeat_ms, created_at, updated_at) "
                "VALUES (%s, %s, %s, %s, 30, 0, 0, now(), now()) "
                "ON CONFLICT (user_id, lesson_id) DO UPDATE SET "
                "position_seconds = excluded.position_seconds",
                (str(uuid.uuid4()), user_id, lesson_id, course_id),
            )
            return [row[0] for row in cursor.fetchall()]
    finally:
        connection.rollback()
        connection.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--duration", type=float, default=10, help="measured seconds each"
    )
    parser.add_argument(
        "--warmup", type=float, default=1, help="unmeasured seconds before"
    )
    parser.add_argument("--concurrency", type=int, default=4, help="client processes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--lessons", type=int, default=20)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args(argv)

    env = app_environment(args.database_url)
    load = {
        "seconds": args.duration,
        "concurrency": args.concurrency,
        "warmup": args.warmup,
    }
    try:
        recreate_database(args.database_url)
        migrate(args.database_url)
        seeded = seed(env, args.students, args.lessons)
        with gunicorn(
            BACKEND, "wsgi:app", workers=args.workers, env=env, probe="/health"
        ) as port:
            rows = [
                ("GET /health (no database)", *run(port, "health", seeded, **load)),
                ("GET /api/auth/me (token+user)", *run(port, "me", seeded, **load)),
                (
                    "POST .../progress heartbeat",
                    *run(port, "heartbeat", seeded, **load),
                ),
            ]
        plan = upsert_plan(args.database_url)
    finally:
        drop_database(args.database_url)

    print(
        f"\n{args.concurrency} clients, {args.duration:g} s each; gunicorn -w {args.workers} "
        f"(sync); {args.students} students x {args.lessons} lessons already started\n"
    )
    print(
        f"{'scenario':30} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
    )
    print("-" * 74)
    for name, per_second, latencies, errors in rows:
        print(
            f"{name:30} {per_second:8.1f} {statistics.median(latencies) if latencies else 0:8.1f}"
            f" {_percentile(latencies, 0.95):8.1f} {_percentile(latencies, 0.99):8.1f} {errors:7d}"
        )
    ceiling, signed_in, heartbeats = rows[0][1], rows[1][1], rows[2][1]
    print(
        f"\nheartbeats/s as a share of /health: {heartbeats / ceiling:.2f}, "
        f"of /api/auth/me: {heartbeats / signed_in:.2f}"
    )
    print("upsert plan:\n  " + "\n  ".join(plan))
    print(f"\n(repo: {REPO})")


if __name__ == "__main__":
    main()
