"""Signed playback benchmark: prints numbers, asserts nothing.

    .venv/bin/python bench/media.py [--duration 10] [--concurrency 4] [--workers 2]
                                    [--segments 12] [--segment-kb 1024]

1. Creates a dedicated Postgres database (default ``pathshala_bench_media``), migrates it, and
   seeds one teacher, one paid course with one lesson, and an enrolled student with a session;
   writes a fake HLS tree for the lesson (master, 360p/720p playlists, ``--segments`` segments
   of ``--segment-kb`` random bytes per rendition) into a temporary BACKEND_STORAGE_DIR.
2. Starts the app under gunicorn (``gunicorn --chdir backend wsgi:app -w 2``, local storage,
   BACKEND_MEDIA_ACCEL off: the app streams the files itself) and, serving the same directory,
   Python's ``http.server`` (ThreadingHTTPServer) and, when installed, Debian's nginx as plain
   static servers.
3. Scenarios, each ``--duration`` seconds with ``--concurrency`` client processes sending one
   request after another, a new connection each (gunicorn's sync workers close it anyway):
   - video-url issuance: ``GET /api/lessons/<id>/video-url`` with the student's bearer token
     (JWT check, lesson, course and enrollment queries, HMAC): requests/s;
   - segment delivery through the app's signed route ``/media/s/<token>/...``: MB/s;
   - the same segment files from http.server and from nginx: MB/s, and the app's share.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from catalog import (
    BACKEND,
    BIN,
    REPO,
    app_environment,
    drop_database,
    free_port,
    gunicorn,
    migrate,
    recreate_database,
)

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/pathshala_bench_media"
NGINX = "/usr/sbin/nginx"


@dataclass
class Seeded:
    lesson_id: str
    token: str  # the student's access token
    segment_keys: list[str]  # storage keys, the same relative path on every server


def seed(env: dict[str, str], storage_dir: Path, segments: int, segment_kb: int) -> Seeded:
    """One course, lesson and enrolled student, through the app's own services."""
    sys.path.insert(0, str(BACKEND))
    from pathshala import create_app
    from pathshala.auth import sessions
    from pathshala.courses.models import Course, Lesson
    from pathshala.enrollments import service as enrollments
    from pathshala.extensions import db
    from pathshala.users import service as users

    app = create_app({k: v for k, v in env.items() if k.startswith("BACKEND_")})
    with app.app_context():
        teacher = users.create_user(
            email="bench-teacher@example.com", name="Teacher", role="teacher", password=None
        )
        student = users.create_user(
            email="bench-student@example.com", name="Student", role="student", password=None
        )
        db.session.flush()
        course = Course(
            title="Bench course", slug="bench-course", price=49900, instructor_id=teacher.id
        )
        course.is_published = True
        db.session.add(course)
        db.session.flush()
        lesson = Lesson(course_id=course.id, title="Bench lesson", position=1)
        db.session.add(lesson)
        db.session.flush()
        enrollments.grant(student.id, course.id, source="manual")

        directory = f"lessons/{lesson.id}/hls/bench0001"
        files: dict[str, bytes] = {
            f"{directory}/master.m3u8": b"#EXTM3U\n"
            b"#EXT-X-STREAM-INF:BANDWIDTH=800000\n360p/index.m3u8\n"
            b"#EXT-X-STREAM-INF:BANDWIDTH=2800000\n720p/index.m3u8\n"
        }
        segment_keys = []
        for rendition in ("360p", "720p"):
            playlist = ["#EXTM3U", "#EXT-X-TARGETDURATION:6"]
            for number in range(1, segments + 1):
                name = f"seg_{number:05d}.ts"
                playlist += ["#EXTINF:6.0,", name]
                key = f"{directory}/{rendition}/{name}"
                files[key] = os.urandom(segment_kb * 1024)
                segment_keys.append(key)
            files[f"{directory}/{rendition}/index.m3u8"] = "\n".join(playlist).encode() + b"\n"
        for key, data in files.items():
            path = storage_dir / key
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        lesson.video_status = "ready"
        lesson.video_hls_key = f"{directory}/master.m3u8"
        token = sessions.issue(student).access_token
        db.session.commit()
        return Seeded(str(lesson.id), token, segment_keys)


# ---- servers ------------------------------------------------------------------------------


def _wait_for(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.time() + 20
    while True:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with {process.returncode}")
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()
            return
        except OSError:
            if time.time() > deadline:
                raise SystemExit(f"{what} did not listen within 20 s") from None
            time.sleep(0.1)


@contextmanager
def _process(command: list[str], port: int, what: str, **kwargs):
    process = subprocess.Popen(command, **kwargs)  # noqa: S603 (fixed arguments)
    try:
        _wait_for(port, process, what)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def http_server(root: Path):
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "-b", "127.0.0.1", "-d", str(root)]
    return _process(
        command, port, "http.server", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def nginx_static(root: Path, prefix: Path):
    port = free_port()
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / name).mkdir(parents=True, exist_ok=True)
    temp_paths = "".join(
        f"    {name}_temp_path {prefix / name};\n"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = f"user {pwd.getpwuid(os.getuid()).pw_name};\n"
    (prefix / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\n"
        "events { worker_connections 256; }\n"
        "http {\n    include /etc/nginx/mime.types;\n    access_log off;\n    sendfile on;\n"
        f"{temp_paths}"
        f"    server {{ listen 127.0.0.1:{port}; root {root}; }}\n}}\n"
    )
    command = [NGINX, "-p", str(prefix), "-e", str(prefix / "error.log")]
    command += ["-c", str(prefix / "nginx.conf"), "-g", "daemon off;"]
    return _process(command, port, "nginx")


# ---- load ---------------------------------------------------------------------------------


def _client(port: int, paths: list[str], headers: dict[str, str], seconds: float, offset: int):
    """Requests one after another for ``seconds``: (requests, bytes, errors)."""
    requests = received = errors = 0
    index = offset
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", paths[index % len(paths)], headers=headers)
            response = connection.getresponse()
            body = response.read()
            if response.status == 200:
                requests += 1
                received += len(body)
            else:
                errors += 1
        except OSError:
            errors += 1
        finally:
            connection.close()
        index += 1
    return requests, received, errors


def run(port, paths, headers, *, seconds, concurrency, warmup) -> tuple[float, float, int]:
    """(requests/s, MB/s, errors) over ``seconds`` with ``concurrency`` client processes."""
    with ProcessPoolExecutor(concurrency) as pool:
        if warmup:
            warming = [
                pool.submit(_client, port, paths, headers, warmup, i) for i in range(concurrency)
            ]
            for job in warming:
                job.result()
        started = time.perf_counter()
        jobs = [
            pool.submit(_client, port, paths, headers, seconds, i * 7) for i in range(concurrency)
        ]
        results = [job.result() for job in jobs]
        elapsed = time.perf_counter() - started
    requests = sum(r[0] for r in results)
    received = sum(r[1] for r in results)
    return requests / elapsed, received / elapsed / 1e6, sum(r[2] for r in results)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="measured seconds each")
    parser.add_argument("--warmup", type=float, default=1, help="unmeasured seconds before")
    parser.add_argument("--concurrency", type=int, default=4, help="client processes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--segments", type=int, default=12, help="segments per rendition")
    parser.add_argument("--segment-kb", type=int, default=1024, help="size of each segment")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="pathshala-bench-media-"))
    storage_dir = scratch / "media"
    storage_dir.mkdir()
    env = app_environment(args.database_url)
    env.update(BACKEND_STORAGE_DIR=str(storage_dir), BACKEND_VIDEO_URL_TTL_SECONDS="3600")
    try:
        recreate_database(args.database_url)
        migrate(args.database_url)
        seeded = seed(env, storage_dir, args.segments, args.segment_kb)
        bearer = {"Authorization": f"Bearer {seeded.token}"}
        load = {"seconds": args.duration, "concurrency": args.concurrency, "warmup": args.warmup}
        rows: list[tuple[str, float, float, int]] = []
        with ExitStack() as servers:
            app_port = servers.enter_context(
                gunicorn(BACKEND, "wsgi:app", workers=args.workers, env=env, probe="/health")
            )
            connection = http.client.HTTPConnection("127.0.0.1", app_port, timeout=10)
            connection.request("GET", f"/api/lessons/{seeded.lesson_id}/video-url", headers=bearer)
            master_url = json.loads(connection.getresponse().read())["url"]
            link_prefix = master_url[: master_url.index("/lessons/")]
            signed = [f"{link_prefix}/{key}" for key in seeded.segment_keys]
            plain = [f"/{key}" for key in seeded.segment_keys]

            issuance = [f"/api/lessons/{seeded.lesson_id}/video-url"]
            rows.append(("video-url issuance (app)", *run(app_port, issuance, bearer, **load)))
            rows.append(("segments via app /media/s", *run(app_port, signed, {}, **load)))
            static_port = servers.enter_context(http_server(storage_dir))
            rows.append(("segments via http.server", *run(static_port, plain, {}, **load)))
            if os.path.exists(NGINX):
                nginx_port = servers.enter_context(nginx_static(storage_dir, scratch / "nginx"))
                rows.append(("segments via nginx static", *run(nginx_port, plain, {}, **load)))
    finally:
        drop_database(args.database_url)
        shutil.rmtree(scratch, ignore_errors=True)

    print(
        f"\n{args.concurrency} clients, {args.duration:g} s each; gunicorn -w {args.workers} "
        f"(sync); {2 * args.segments} segments of {args.segment_kb} KB; local storage, "
        "BACKEND_MEDIA_ACCEL off\n"
    )
    print(f"{'scenario':32} {'req/s':>9} {'MB/s':>9} {'errors':>7}  app MB/s as share")
    print("-" * 78)
    app_mb = next(mb for name, _, mb, _ in rows if name.startswith("segments via app"))
    for name, per_second, megabytes, errors in rows:
        share = ""
        if name.startswith("segments via") and "app" not in name and megabytes:
            share = f"{app_mb / megabytes:.2f}x"
        print(f"{name:32} {per_second:9.1f} {megabytes:9.1f} {errors:7d}  {share}")
    print(f"\n(repo: {REPO}; python: {BIN})")


if __name__ == "__main__":
    main()
