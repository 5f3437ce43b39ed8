"""Catalog and course-page load benchmark: prints numbers, asserts nothing.

    .venv/bin/python bench/catalog.py [--courses 10000] [--lessons 200000] [--duration 15]
                                      [--concurrency 8] [--workers 2] [--keep]

1. Creates a dedicated Postgres database (default ``pathshala_bench`` on 127.0.0.1:5432),
   migrates it with ``flask --app wsgi db upgrade`` and seeds it with COPY: authors,
   courses (mostly published, some drafts and archived) and their lessons.
2. Prints EXPLAIN (ANALYZE) summaries of the SQL the catalog and course page really run
   (captured from the service functions), showing which indexes answer each query.
3. Starts the app under gunicorn (``gunicorn --chdir backend wsgi:app -w 2``) and, beside
   it with the same settings, bench/bare_app.py: one route with no SQL and two routes that
   run one comparable SQL query each. Then drives each scenario with ``--concurrency``
   client processes (HTTP/1.1; gunicorn's sync workers close each connection after its
   response) for ``--duration`` seconds and prints requests, req/s, p50 and p99 latency and
   errors. The app's req/s as a share of the bare route running comparable SQL is the
   figure to watch.

The load generator runs on the same machine as the servers and competes with them for CPU,
so the numbers are a floor, and only comparable between runs on the same machine.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import multiprocessing
import os
import random
import re
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import psycopg2
from psycopg2 import sql

REPO = Path(__file__).resolve().parents[1]
BACKEND = REPO / "backend"
BENCH = REPO / "bench"
BIN = Path(sys.executable).parent  # the virtualenv running this script
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/pathshala_bench"

# ---- what the seeded catalog is made of --------------------------------------------------

SUBJECTS = [
    ("Python", "Programming"),
    ("JavaScript", "Programming"),
    ("Web Development", "Programming"),
    ("Data Science", "Data"),
    ("Machine Learning", "Data"),
    ("SQL and Databases", "Data"),
    ("Carnatic Vocals", "Music"),
    ("Hindustani Flute", "Music"),
    ("Guitar", "Music"),
    ("Tabla", "Music"),
    ("Yoga", "Health"),
    ("Ayurveda", "Health"),
    ("Nutrition", "Health"),
    ("Watercolour Painting", "Art"),
    ("Sketching", "Art"),
    ("Photography", "Art"),
    ("Personal Finance", "Finance"),
    ("Stock Markets", "Finance"),
    ("Accounting", "Finance"),
    ("Digital Marketing", "Business"),
    ("Public Speaking", "Business"),
    ("Entrepreneurship", "Business"),
    ("Physics", "Science"),
    ("Chemistry", "Science"),
    ("Mathematics", "Science"),
    ("Hindi", "Languages"),
    ("Tamil", "Languages"),
    ("Spoken English", "Languages"),
    ("Indian Cooking", "Cooking"),
    ("Baking", "Cooking"),
]
CATEGORIES = sorted({category for _, category in SUBJECTS})
ADJECTIVES = [
    "Practical",
    "Complete",
    "Modern",
    "Essential",
    "Hands-on",
    "Advanced",
    "Introductory",
    "Applied",
    "Creative",
    "Professional",
]
SUFFIXES = [
    "for Beginners",
    "Masterclass",
    "Bootcamp",
    "from Scratch",
    "in 30 Days",
    "Fundamentals",
    "Workshop",
    "Crash Course",
    "Deep Dive",
    "for Working Professionals",
]
WORDS = (
    "learn practice project build understand skill technique exercise theory example real "
    "world step guide daily routine habit lesson chapter module quiz assignment feedback "
    "mentor community certificate career interview portfolio workflow tool method pattern "
    "principle foundation concept detail structure rhythm melody scale posture breath balance "
    "colour light shadow composition budget saving investing risk return market customer "
    "story voice audience confidence grammar vocabulary pronunciation conversation recipe "
    "flavour spice dough oven equation graph proof experiment energy motion reaction model "
    "dataset analysis chart insight function variable loop class module test debug deploy"
).split()
FIRST_NAMES = "Aarav Diya Ishaan Meera Kabir Ananya Rohan Kavya Arjun Saanvi Vikram Lakshmi".split()
LAST_NAMES = "Sharma Iyer Nair Reddy Gupta Menon Rao Das Patel Khan Singh Bose".split()
LEVELS = ("beginner", "intermediate", "advanced")
PAID_PRICES = (49900, 99900, 149900, 199900, 299900, 499900)
#: words that match many courses (10% to 70% of them: "practical" also matches "practice")
COMMON_TERMS = ("practical", "music", "beginners", "professional")
#: words that match a few courses (about 3% each)
RARE_TERMS = ("tabla", "yoga", "python", "data science")

USERS_COLUMNS = tuple("id email name password_hash role is_banned created_at updated_at".split())
COURSES_COLUMNS = tuple(
    "id title slug subtitle description price currency level category language is_published "
    "published_at archived_at instructor_id created_at updated_at".split()
)
LESSONS_COLUMNS = tuple(
    "id course_id section_title position title description is_free_preview duration_seconds "
    "created_at updated_at".split()
)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "")


def _copy(cursor, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
    """COPY rows in 50,000-row chunks (text format)."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    count = 0
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(map(_copy_value, row)))
        buffer.write("\n")
        count += 1
        if count % 50_000 == 0:
            buffer.seek(0)
            cursor.copy_expert(statement, buffer)
            buffer = io.StringIO()
    buffer.seek(0)
    cursor.copy_expert(statement, buffer)
    return count


@dataclass
class Seeded:
    course_ids: list[str]  # published and not archived, so every visitor may open them
    course_slugs: list[str]


def seed(url: str, *, courses: int, lessons: int, seed_value: int) -> None:
    rng = random.Random(seed_value)  # noqa: S311 (reproducible data, not secrets)
    now = datetime.now(UTC)
    author_count = max(1, courses // 25)
    authors = [_uuid(rng) for _ in range(author_count)]
    course_ids = [_uuid(rng) for _ in range(courses)]
    user_rows = (
        (
            author_id,
            f"author{index}@bench.pathshala.test",
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            None,
            "teacher" if index % 3 else "instructor",
            False,
            now,
            now,
        )
        for index, author_id in enumerate(authors)
    )

    def course_rows() -> Iterator[tuple]:
        for index in range(courses):
            subject, category = rng.choice(SUBJECTS)
            title = f"{rng.choice(ADJECTIVES)} {subject} {rng.choice(SUFFIXES)}"
            published_at = now - timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
            state = rng.random()
            description = (
                f"## About this course\n\n{_sentence(rng, 25)} {_sentence(rng, 20)}\n\n"
                f"- {_sentence(rng, 8)}\n- {_sentence(rng, 8)}\n- {_sentence(rng, 8)}\n\n"
                f"{_sentence(rng, 30)}"
            )
            yield (
                course_ids[index],
                title,
                re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") + f"-{index}",
                _sentence(rng, 9),
                description,
                0 if rng.random() < 0.3 else rng.choice(PAID_PRICES),
                "INR",
                rng.choice(LEVELS),
                category,
                rng.choice(("English", "English", "Hindi", "Tamil")),
                state >= 0.07,  # 7% drafts
                published_at if state >= 0.07 else None,
                now - timedelta(days=rng.randrange(1, 60)) if state >= 0.97 else None,
                rng.choice(authors),
                published_at - timedelta(days=rng.randrange(60)),
                published_at,
            )

    # Lessons per course vary around the mean (pairs trade lessons so the total is exact).
    per_course = [
        lessons // courses + (1 if index < lessons % courses else 0) for index in range(courses)
    ]
    for index in range(0, courses - 1, 2):
        shift = rng.randint(0, per_course[index + 1] // 2)
        per_course[index] += shift
        per_course[index + 1] -= shift

    def lesson_rows() -> Iterator[tuple]:
        for course_id, count in zip(course_ids, per_course, strict=True):
            for position in range(1, count + 1):
                yield (
                    _uuid(rng),
                    course_id,
                    f"Part {(position - 1) // 5 + 1}",
                    position,
                    f"Lesson {position}: {_sentence(rng, 4)[:-1]}",
                    _sentence(rng, 12),
                    position == 1,
                    rng.randrange(120, 1800),
                    now,
                    now,
                )

    connection = psycopg2.connect(url)
    try:
        with connection, connection.cursor() as cursor:
            _copy(cursor, "users", USERS_COLUMNS, user_rows)
            _copy(cursor, "courses", COURSES_COLUMNS, course_rows())
            _copy(cursor, "lessons", LESSONS_COLUMNS, lesson_rows())
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        connection.close()


def load_seeded(url: str, sample: int, rng: random.Random) -> Seeded:
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id::text, slug FROM courses WHERE is_published AND archived_at IS NULL"
            )
            rows = cursor.fetchall()
    finally:
        connection.close()
    picked = rng.sample(rows, min(sample, len(rows)))
    return Seeded([row[0] for row in picked], [row[1] for row in picked])


# ---- the database ------------------------------------------------------------------------


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


@contextmanager
def server_connection(url: str) -> Iterator[Any]:
    """A connection to the same server's ``postgres`` database, for CREATE/DROP DATABASE."""
    connection = psycopg2.connect(url, dbname="postgres")
    connection.autocommit = True
    try:
        yield connection
    finally:
        connection.close()


def recreate_database(url: str) -> None:
    name = sql.Identifier(database_name(url))
    with server_connection(url) as connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))


def drop_database(url: str) -> None:
    name = sql.Identifier(database_name(url))
    with server_connection(url) as connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def seeded_sizes(url: str, expected_indexes: set[str]) -> tuple[int, int] | None:
    """(courses, lessons) of an existing bench database with every index the models and the
    migrations name; None when there is no such database."""
    try:
        connection = psycopg2.connect(url, connect_timeout=3)
    except psycopg2.OperationalError:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
            present = {row[0] for row in cursor.fetchall()}
            if not expected_indexes <= present:
                return None
            cursor.execute("SELECT (SELECT count(*) FROM courses), (SELECT count(*) FROM lessons)")
            courses, lessons = cursor.fetchone()
            return courses, lessons
    except psycopg2.Error:
        return None
    finally:
        connection.close()


def app_environment(url: str) -> dict[str, str]:
    """The app's settings for the bench: development mode (no production secrets needed),
    no rate limits, quiet logs, no Redis (anonymous requests never touch it)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("BACKEND_")}
    env.update(
        BACKEND_ENV="development",
        BACKEND_DATABASE_URL=url,
        BACKEND_JWT_SECRET="bench-" + "s" * 58,
        BACKEND_RATELIMIT_ENABLED="false",
        BACKEND_LOG_LEVEL="warning",
        BENCH_DATABASE_URL=url,
    )
    return env


def migrate(url: str) -> None:
    done = subprocess.run(  # noqa: S603 (our own virtualenv's flask, fixed arguments)
        [str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"],
        cwd=BACKEND,
        env=app_environment(url),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"flask db upgrade failed:\n{done.stdout}\n{done.stderr}")


# ---- EXPLAIN -----------------------------------------------------------------------------


def _plan_nodes(node: dict) -> Iterator[dict]:
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


def _describe(node: dict) -> str | None:
    kind = node["Node Type"]
    if "Index Name" in node:
        return f"{kind} using {node['Index Name']}"
    if kind == "Seq Scan":
        return f"Seq Scan on {node['Relation Name']}"
    if kind in ("Sort", "Incremental Sort"):
        return f"{kind} ({node.get('Sort Method', '?')})"
    return None


def pathshala_app(url: str):
    """The app itself, in this process, on the bench database (for its models and SQL)."""
    sys.path.insert(0, str(BACKEND))
    from pathshala import create_app

    env = app_environment(url)
    return create_app({key: value for key, value in env.items() if key.startswith("BACKEND_")})


def model_index_names(url: str) -> set[str]:
    pathshala_app(url)  # imports every model
    from pathshala.extensions import db

    return {
        index.name
        for table in db.metadata.tables.values()
        for index in table.indexes
        if index.name is not None
    }


def explain_app_queries(url: str) -> dict[str, list[str]]:
    """Run the catalog and course-page service functions, capture their SQL, and EXPLAIN
    ANALYZE each statement with its parameters. Returns the index names each label used."""
    from sqlalchemy import event

    from pathshala.courses import service
    from pathshala.extensions import db

    app = pathshala_app(url)
    used: dict[str, list[str]] = {}
    with app.app_context():
        some = db.session.execute(
            db.text(
                "SELECT id::text, slug FROM courses "
                "WHERE is_published AND archived_at IS NULL ORDER BY slug LIMIT 1"
            )
        ).one()

        def catalog(**chosen: Any):
            arguments = dict(q=None, category=None, level=None, price=None, sort=None)
            return lambda: service.catalog(**{**arguments, "page": 1, "per_page": 20, **chosen})

        calls = [
            ("catalog list, newest, page 3", catalog(page=3)),
            ("catalog list, title, page 3", catalog(sort="title", page=3)),
            ("catalog list, price, page 3", catalog(sort="price", page=3)),
            (f"search q={COMMON_TERMS[0]} (common)", catalog(q=COMMON_TERMS[0])),
            (f"search q={RARE_TERMS[0]} (rare)", catalog(q=RARE_TERMS[0])),
            (
                "category+level+paid, sort=price",
                catalog(category="music", level="beginner", price="paid", sort="price"),
            ),
            ("category, sort=newest, page 2", catalog(category="Music", page=2)),
            ("course page by id", lambda: service.view_course(some.id, None)),
            ("course page by slug", lambda: service.view_course(some.slug, None)),
        ]
        statements: list[tuple[str, Any]] = []

        def record(_conn, _cursor, statement, parameters, _context, _many):
            statements.append((statement, parameters))

        raw = db.engine.raw_connection()
        try:
            for label, call in calls:
                statements.clear()
                event.listen(db.engine, "before_cursor_execute", record)
                try:
                    call()
                finally:
                    event.remove(db.engine, "before_cursor_execute", record)
                db.session.rollback()
                captured = list(statements)
                print(f"  {label}: {len(captured)} queries")
                used[label] = []
                for number, (statement, parameters) in enumerate(captured, start=1):
                    cursor = raw.cursor()
                    cursor.execute(
                        "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters
                    )
                    plan = cursor.fetchone()[0][0]
                    cursor.close()
                    steps = Counter(
                        step for step in map(_describe, _plan_nodes(plan["Plan"])) if step
                    )
                    used[label] += [
                        node["Index Name"]
                        for node in _plan_nodes(plan["Plan"])
                        if "Index Name" in node
                    ]
                    what = "count" if "count(*)" in statement else statement.split()[0].lower()
                    summary = ", ".join(
                        f"{step} x{count}" if count > 1 else step for step, count in steps.items()
                    )
                    print(f"    {number}. {what:6} {plan['Execution Time']:7.2f} ms  {summary}")
        finally:
            raw.close()
        db.engine.dispose()
    return used


# ---- load --------------------------------------------------------------------------------


def _client(
    job: tuple[str, int, list[str], float, float, float, int],
) -> tuple[list[float], int, dict]:
    """One client: requests one after another until the deadline, on one HTTP/1.1 connection
    reopened whenever the server closes it. Returns (latencies in ms of the 200s inside the
    measured window, errors, status counts)."""
    host, port, paths, start_at, measure_from, deadline, seed_value = job
    rng = random.Random(seed_value)  # noqa: S311 (reproducible data, not secrets)
    index = rng.randrange(len(paths))
    connection = http.client.HTTPConnection(host, port, timeout=30)
    latencies: list[float] = []
    errors = 0
    statuses: Counter = Counter()
    while time.time() < start_at:
        time.sleep(0.001)
    while True:
        began = time.time()
        if began >= deadline:
            break
        path = paths[index % len(paths)]
        index += 1
        tick = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Accept": "application/json"})
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()  # reconnects on the next request
            status = 0
        elapsed = (time.perf_counter() - tick) * 1000
        if began < measure_from:
            continue  # warm-up
        statuses[status] += 1
        if status == 200:
            latencies.append(elapsed)
        else:
            errors += 1
    connection.close()
    return latencies, errors, dict(statuses)


@dataclass
class Result:
    requests: int
    per_second: float
    p50: float
    p99: float
    errors: int
    statuses: dict


def run_scenario(
    pool: ProcessPoolExecutor,
    port: int,
    paths: list[str],
    *,
    concurrency: int,
    duration: float,
    warmup: float,
) -> Result:
    start_at = time.time() + 0.3
    measure_from = start_at + warmup
    deadline = measure_from + duration
    jobs = [
        ("127.0.0.1", port, paths, start_at, measure_from, deadline, 1000 + number)
        for number in range(concurrency)
    ]
    latencies: list[float] = []
    errors = 0
    statuses: Counter = Counter()
    for client_latencies, client_errors, client_statuses in pool.map(_client, jobs):
        latencies += client_latencies
        errors += client_errors
        statuses.update(client_statuses)
    latencies.sort()

    def percentile(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] if latencies else 0.0

    return Result(
        len(latencies),
        len(latencies) / duration,
        percentile(0.50),
        percentile(0.99),
        errors,
        dict(statuses),
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(chdir: Path, target: str, *, workers: int, env: dict[str, str], probe: str):
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "--chdir",
        str(chdir),
        target,
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=REPO, env=env)  # noqa: S603 (fixed arguments)
    try:
        deadline = time.time() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn {target} exited with {process.returncode}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", probe)
                if connection.getresponse().status == 200:
                    connection.close()
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise SystemExit(f"gunicorn {target} did not answer {probe} within 60 s")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ---- the run -----------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    server: str  # "app" or "bare"
    paths: list[str]  # clients cycle through these, each from a random offset
    compare_to: str | None = None  # the bare scenario running comparable SQL


BARE_PAGE = "bare: 1 SQL, catalog page"
BARE_COURSE = "bare: 1 SQL, course page"


def build_scenarios(seeded: Seeded, rng: random.Random) -> list[Scenario]:
    def catalog(**choices: Any) -> list[str]:
        return [
            "/api/courses?"
            + urlencode({key: rng.choice(values) for key, values in choices.items()})
            for _ in range(500)
        ]

    pages = range(1, 51)
    return [
        Scenario("bare: JSON, no SQL", "bare", ["/bare"]),
        Scenario(
            BARE_PAGE, "bare", [f"/bare/catalog?page={rng.choice(pages)}" for _ in range(500)]
        ),
        Scenario(BARE_COURSE, "bare", [f"/bare/course/{ref}" for ref in seeded.course_ids]),
        Scenario("catalog list page", "app", catalog(page=pages), BARE_PAGE),
        Scenario(
            "catalog search, common word", "app", catalog(q=COMMON_TERMS, page=(1, 2, 3)), BARE_PAGE
        ),
        Scenario("catalog search, rare word", "app", catalog(q=RARE_TERMS, page=(1, 2)), BARE_PAGE),
        Scenario(
            "catalog filtered+sorted",
            "app",
            catalog(
                category=[category.lower() for category in CATEGORIES],
                level=LEVELS,
                price=("free", "paid"),
                sort=("price", "price_desc", "title", "newest"),
                page=(1, 2, 3),
            ),
            BARE_PAGE,
        ),
        Scenario(
            "course page (id or slug)",
            "app",
            [
                f"/api/courses/{ref}"
                for pair in zip(seeded.course_ids, seeded.course_slugs, strict=True)
                for ref in pair
            ],
            BARE_COURSE,
        ),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--courses", type=int, default=10_000)
    parser.add_argument("--lessons", type=int, default=200_000)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per scenario")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds first")
    parser.add_argument("--concurrency", type=int, default=8, help="client processes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the database afterwards, and reuse it when already seeded to this size",
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--seed", type=int, default=20261123, help="random seed of the data")
    parser.add_argument("--only", help="run only scenarios whose name contains this text")
    args = parser.parse_args(argv)
    if args.courses < 1 or args.lessons < 0:
        parser.error("--courses must be at least 1 and --lessons at least 0")
    url = args.database_url

    print(
        f"Pathshala catalog bench: {args.courses:,} courses, {args.lessons:,} lessons, "
        f"{os.cpu_count()} CPUs, database {database_name(url)}, load average "
        f"{os.getloadavg()[0]:.1f} (other processes share these CPUs)"
    )
    expected_indexes = model_index_names(url) | {"ix_courses_search"}

    sizes = seeded_sizes(url, expected_indexes) if args.keep else None
    if sizes == (args.courses, args.lessons):
        print("reusing the seeded database (--keep)")
    else:
        began = time.perf_counter()
        recreate_database(url)
        migrate(url)
        migrated = time.perf_counter()
        seed(url, courses=args.courses, lessons=args.lessons, seed_value=args.seed)
        print(
            f"created and migrated in {migrated - began:.1f} s, seeded (COPY + VACUUM ANALYZE) "
            f"in {time.perf_counter() - migrated:.1f} s"
        )

    try:
        print("\nEXPLAIN (ANALYZE) of the SQL the app runs (indexes used per statement):")
        used = explain_app_queries(url)
        print_index_verdicts(used)

        rng = random.Random(args.seed)  # noqa: S311 (reproducible data, not secrets)
        scenarios = build_scenarios(load_seeded(url, 2000, rng), rng)
        if args.only:
            chosen = [scenario for scenario in scenarios if args.only in scenario.name]
            wanted = {scenario.name for scenario in chosen} | {s.compare_to for s in chosen}
            scenarios = [scenario for scenario in scenarios if scenario.name in wanted]
        env = app_environment(url)
        results: dict[str, Result] = {}
        context = multiprocessing.get_context("fork")
        print(
            f"\nload: {args.concurrency} client processes, {args.duration:g} s per scenario after "
            f"{args.warmup:g} s warm-up; gunicorn -w {args.workers} (sync workers: one connection "
            "per request)"
        )
        with (
            ProcessPoolExecutor(args.concurrency, mp_context=context) as pool,
            gunicorn(
                BACKEND, "wsgi:app", workers=args.workers, env=env, probe="/health"
            ) as app_port,
            gunicorn(
                BENCH, "bare_app:app", workers=args.workers, env=env, probe="/bare"
            ) as bare_port,
        ):
            for scenario in scenarios:
                result = results[scenario.name] = run_scenario(
                    pool,
                    app_port if scenario.server == "app" else bare_port,
                    scenario.paths,
                    concurrency=args.concurrency,
                    duration=args.duration,
                    warmup=args.warmup,
                )
                print(f"  {scenario.name}: {result.requests} requests, {result.errors} errors")
        print_table(scenarios, results)
        print(f"\nload average after the run: {os.getloadavg()[0]:.1f}")
    finally:
        if not args.keep:
            drop_database(url)


def print_index_verdicts(used: dict[str, list[str]]) -> None:
    checks = [
        ("search: GIN index", f"search q={RARE_TERMS[0]} (rare)", ("ix_courses_search",)),
        ("newest: sort index", "catalog list, newest, page 3", ("ix_courses_catalog_newest",)),
        ("title: sort index", "catalog list, title, page 3", ("ix_courses_catalog_by_title",)),
        ("price: sort index", "catalog list, price, page 3", ("ix_courses_catalog_by_price",)),
        ("category: filter index", "category, sort=newest, page 2", ("ix_courses_lower_category",)),
        ("level: filter index", "category+level+paid, sort=price", ("ix_courses_level",)),
        ("outline: lessons FK index", "course page by id", ("ix_lessons_course_id_position",)),
        ("slug: unique index", "course page by slug", ("uq_courses_slug",)),
    ]
    print()
    for what, label, names in checks:
        found = [name for name in names if name in used.get(label, [])]
        verdict = "used: " + ", ".join(found) if found else "NOT used (see the plan above)"
        print(f"  {what:27} {verdict}")


def print_table(scenarios: list[Scenario], results: dict[str, Result]) -> None:
    header = (
        f"{'scenario':28} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7}  vs bare SQL"
    )
    print("\n" + header)
    print("-" * len(header))
    for scenario in scenarios:
        result = results[scenario.name]
        bare = results.get(scenario.compare_to or "")
        ratio = ""
        if bare is not None and bare.per_second:
            ratio = f"{result.per_second / bare.per_second:.0%} of its req/s"
        errors = str(result.errors)
        if result.errors:
            errors += " " + json.dumps({k: v for k, v in result.statuses.items() if k != 200})
        print(
            f"{scenario.name:28} {result.requests:9d} {result.per_second:8.1f} {result.p50:8.1f} "
            f"{result.p99:8.1f} {errors:>7}  {ratio}"
        )


if __name__ == "__main__":
    main()
