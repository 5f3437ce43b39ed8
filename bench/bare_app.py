"""The ceiling for bench/catalog.py: a bare Flask app under the same gunicorn settings.

    BENCH_DATABASE_URL=postgresql://... gunicorn --chdir bench bare_app:app -w 2

- ``GET /bare``                one small JSON body, no SQL: what Flask + gunicorn cost alone.
- ``GET /bare/catalog?page=N`` one SQL query comparable to a catalog page (20 published
                               courses, newest first, with the instructor's name), plain
                               psycopg2, rows turned into JSON by hand.
- ``GET /bare/course/<id>``    one SQL query comparable to a course page (the course, its
                               instructor and its outline).

No ORM, no schemas, no auth, no error format: the distance from these to the real endpoints
is what Pathshala's layers cost.
"""

from __future__ import annotations

import os
import threading

import psycopg2
from flask import Flask, jsonify, request

app = Flask(__name__)
_local = threading.local()

CATALOG_PAGE_SQL = """
SELECT page.id::text, page.slug, page.title, page.subtitle, page.price, page.currency,
       page.level, page.category, u.name,
       (SELECT count(*) FROM lessons l WHERE l.course_id = page.id),
       (SELECT coalesce(sum(l.duration_seconds), 0) FROM lessons l WHERE l.course_id = page.id)
FROM (
    SELECT c.* FROM courses c
    WHERE c.is_published AND c.archived_at IS NULL
    ORDER BY c.published_at DESC NULLS LAST, c.created_at DESC, c.id
    LIMIT 20 OFFSET %s
) AS page
JOIN users u ON u.id = page.instructor_id
ORDER BY page.published_at DESC NULLS LAST, page.created_at DESC, page.id
"""

COURSE_SQL = """
SELECT c.id::text, c.slug, c.title, c.description, c.price, u.name,
       l.id::text, l.section_title, l.position, l.title, l.duration_seconds, l.is_free_preview
FROM courses c
JOIN users u ON u.id = c.instructor_id
LEFT JOIN lessons l ON l.course_id = c.id
WHERE c.id = %s AND c.is_published AND c.archived_at IS NULL
ORDER BY l.position
"""


def _cursor():
    """One connection per worker (sync workers serve one request at a time)."""
    connection = getattr(_local, "connection", None)
    if connection is None or connection.closed:
        connection = psycopg2.connect(os.environ["BENCH_DATABASE_URL"])
        connection.autocommit = True
        _local.connection = connection
    return connection.cursor()


@app.get("/bare")
def bare():
    return jsonify(status="ok")


@app.get("/bare/catalog")
def catalog_page():
    page = max(1, min(request.args.get("page", 1, type=int), 10_000))
    with _cursor() as cursor:
        cursor.execute(CATALOG_PAGE_SQL, ((page - 1) * 20,))
        rows = cursor.fetchall()
    keys = ("id", "slug", "title", "subtitle", "price", "currency", "level", "category")
    items = [
        {**dict(zip(keys, row[:8], strict=True)), "instructor": {"name": row[8]}}
        | {"lesson_count": row[9], "total_duration_seconds": row[10]}
        for row in rows
    ]
    return jsonify(items=items, page=page, per_page=20)


@app.get("/bare/course/<course_id>")
def course_page(course_id: str):
    with _cursor() as cursor:
        cursor.execute(COURSE_SQL, (course_id,))
        rows = cursor.fetchall()
    if not rows:
        return jsonify(code="course_not_found"), 404
    first = rows[0]
    lessons = [
        dict(
            zip(
                ("id", "section_title", "position", "title", "duration_seconds", "free"),
                row[6:],
                strict=True,
            )
        )
        for row in rows
        if row[6] is not None
    ]
    return jsonify(
        id=first[0],
        slug=first[1],
        title=first[2],
        description=first[3],
        price=first[4],
        instructor={"name": first[5]},
        lessons=lessons,
    )
