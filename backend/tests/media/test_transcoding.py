"""Lesson videos to HLS with Debian's ffmpeg: the job, the status and retry endpoints, the CLI.

Clips are generated once per run (ffmpeg testsrc), stored as a lesson's upload, and the job
runs in an app context exactly as a worker would, against files on disk and against the S3
fake. What is checked is what a player and an author see: the playlists, segments and poster
in storage, and the lesson's status, progress and error.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from pathshala.columns import utcnow
from pathshala.courses.models import Lesson
from pathshala.extensions import db
from pathshala.media import transcoding
from pathshala.uploads.models import Upload
from tests import factories

pytestmark = pytest.mark.skipif(
    not (shutil.which("ffmpeg") and shutil.which("ffprobe")), reason="needs ffmpeg and ffprobe"
)

MASTER = re.compile(r"^lessons/([0-9a-f-]{36})/hls/([0-9a-f]{12})/master\.m3u8$")


def _generate(path: Path, *, seconds: int, size: str, audio: bool) -> Path:
    command = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi"]
    command += ["-i", f"testsrc=duration={seconds}:size={size}:rate=25"]
    if audio:
        command += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    command += ["-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast"]
    if audio:
        command += ["-c:a", "aac"]
    subprocess.run([*command, str(path)], check=True, timeout=120)  # noqa: S603
    return path


@pytest.fixture(scope="session")
def clips(tmp_path_factory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("clips")
    garbage = directory / "garbage.mp4"
    garbage.write_bytes(b"\x00\x00\x00\x18ftypmp42 but then nothing a player could use" * 50)
    return {
        "hd": _generate(directory / "hd.mp4", seconds=5, size="1280x720", audio=True),
        "small": _generate(directory / "small.mp4", seconds=5, size="320x240", audio=False),
        "long": _generate(directory / "long.mp4", seconds=13, size="1280x720", audio=True),
        "garbage": garbage,
    }


def _within(application):
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def local_app(make_app, tmp_path):
    yield from _within(
        make_app(BACKEND_STORAGE_BACKEND="local", BACKEND_STORAGE_DIR=str(tmp_path / "media"))
    )


@pytest.fixture(params=["local", "s3"])
def storage_app(request, make_app, tmp_path):
    if request.param == "local":
        overrides = {"BACKEND_STORAGE_BACKEND": "local", "BACKEND_STORAGE_DIR": str(tmp_path)}
    else:
        server = request.getfixturevalue("s3_server")
        overrides = server.settings(request.getfixturevalue("s3_bucket"))
    yield from _within(make_app(**overrides))


@pytest.fixture
def progress_seen(monkeypatch) -> list[tuple[int, int | None]]:
    """Every progress write as (percent, what another connection then reads), unthrottled."""
    seen: list[tuple[int, int | None]] = []
    save = transcoding._save_progress

    def recording(lesson_id, upload_id, percent):
        still_current = save(lesson_id, upload_id, percent)
        with db.engine.connect() as other:
            committed = other.scalar(select(Lesson.video_progress).where(Lesson.id == lesson_id))
        seen.append((percent, committed))
        return still_current

    monkeypatch.setattr(transcoding, "PROGRESS_INTERVAL_SECONDS", 0.0)
    monkeypatch.setattr(transcoding, "_save_progress", recording)
    return seen


def _storage():
    from flask import current_app

    return current_app.extensions["pathshala.storage"]


def _attach_video(lesson: Lesson, clip: Path, filename: str = "lecture.mp4") -> Upload:
    """Store ``clip`` as an uploaded original and make it the lesson's video (pending)."""
    key = f"lessons/{lesson.id}/source/{uuid.uuid4().hex}-{filename}"
    _storage().save_file(key, clip)
    upload = Upload(
        user_id=lesson.course.instructor_id,
        purpose="lesson_video",
        lesson_id=lesson.id,
        course_id=lesson.course_id,
        filename=filename,
        content_type="video/mp4",
        size=clip.stat().st_size,
        storage_key=key,
        status="attached",
        expires_at=utcnow() + timedelta(hours=1),
    )
    db.session.add(upload)
    db.session.flush()
    lesson.video_upload_id = upload.id
    lesson.video_status, lesson.video_progress = "pending", 0
    db.session.commit()
    return upload


def _video_lesson(clip: Path, owner=None, filename: str = "lecture.mp4"):
    course = factories.make_course(owner)
    lesson = factories.make_lesson(course, duration_seconds=0)
    upload = _attach_video(lesson, clip, filename)
    return lesson, upload


def _run(lesson: Lesson, upload: Upload) -> Lesson:
    lesson_id, upload_id = str(lesson.id), str(upload.id)
    transcoding.transcode_lesson_video(lesson_id=lesson_id, upload_id=upload_id)
    db.session.expire_all()
    return db.session.get(Lesson, lesson.id)


def _read(key: str) -> bytes:
    with _storage().open_read(key) as stream:
        return stream.read()


def _playlist_uris(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def _extinf(text: str) -> list[float]:
    return [float(value) for value in re.findall(r"^#EXTINF:([0-9.]+),", text, re.MULTILINE)]


def _hls_keys(lesson_id) -> list[str]:
    return _storage().list_keys(f"lessons/{lesson_id}/hls/")


# ---- the job ------------------------------------------------------------------------------


def test_a_video_becomes_hls_renditions_a_poster_and_a_duration(storage_app, clips, progress_seen):
    lesson, upload = _video_lesson(clips["hd"])

    lesson = _run(lesson, upload)

    assert (lesson.video_status, lesson.video_progress, lesson.video_error) == ("ready", 100, None)
    assert lesson.duration_seconds == 5
    match = MASTER.match(lesson.video_hls_key)
    assert match and match.group(1) == str(lesson.id)
    version_dir = lesson.video_hls_key.removesuffix("master.m3u8")
    assert lesson.video_poster_key == version_dir + "poster.jpg"

    master = _read(lesson.video_hls_key).decode()
    assert _playlist_uris(master) == ["360p/index.m3u8", "720p/index.m3u8"]
    assert "RESOLUTION=640x360" in master and "RESOLUTION=1280x720" in master
    assert "mp4a.40.2" in master  # the audio came along
    keys = set(_hls_keys(lesson.id))
    for rendition in ("360p", "720p"):
        playlist = _read(f"{version_dir}{rendition}/index.m3u8").decode()
        assert "#EXT-X-PLAYLIST-TYPE:VOD" in playlist and "#EXT-X-ENDLIST" in playlist
        target = re.search(r"^#EXT-X-TARGETDURATION:(\d+)$", playlist, re.MULTILINE)
        assert target and int(target.group(1)) <= 6
        segments = _playlist_uris(playlist)
        assert segments and all(re.fullmatch(r"seg_\d{5}\.ts", name) for name in segments)
        assert segments[0] == "seg_00001.ts"
        assert sum(_extinf(playlist)) == pytest.approx(5.0, abs=0.1)
        for name in segments:
            assert f"{version_dir}{rendition}/{name}" in keys
    assert _read(lesson.video_poster_key)[:3] == b"\xff\xd8\xff"  # a JPEG
    assert keys == {key for key in keys if key.startswith(version_dir)}

    # Progress reached the database (committed, visible to a poller) while ffmpeg ran.
    assert progress_seen, "no progress was written"
    percents = [percent for percent, _committed in progress_seen]
    assert percents == sorted(percents) and all(0 <= p <= 99 for p in percents)
    assert all(percent == committed for percent, committed in progress_seen)
    # The original is kept.
    assert _storage().exists(upload.storage_key)


def test_segments_are_six_seconds_long(local_app, clips):
    lesson, upload = _video_lesson(clips["long"])

    lesson = _run(lesson, upload)

    assert lesson.video_status == "ready" and lesson.duration_seconds == 13
    version_dir = lesson.video_hls_key.removesuffix("master.m3u8")
    for rendition in ("360p", "720p"):
        playlist = _read(f"{version_dir}{rendition}/index.m3u8").decode()
        assert "#EXT-X-TARGETDURATION:6" in playlist
        durations = _extinf(playlist)
        assert durations[:-1] == pytest.approx([6.0, 6.0], abs=0.05)
        assert durations[-1] == pytest.approx(1.0, abs=0.1)
        assert _playlist_uris(playlist) == ["seg_00001.ts", "seg_00002.ts", "seg_00003.ts"]


def test_a_small_source_is_not_upscaled(local_app, clips):
    lesson, upload = _video_lesson(clips["small"], filename="tiny.mp4")

    lesson = _run(lesson, upload)

    assert lesson.video_status == "ready" and lesson.duration_seconds == 5
    master = _read(lesson.video_hls_key).decode()
    assert _playlist_uris(master) == ["360p/index.m3u8"]
    assert "RESOLUTION=320x240" in master  # kept at its own size
    assert "mp4a" not in master  # no audio in, no audio out
    keys = _hls_keys(lesson.id)
    assert not any("/720p/" in key for key in keys)
    assert any(key.endswith("/360p/seg_00001.ts") for key in keys)
    assert _read(lesson.video_poster_key)[:3] == b"\xff\xd8\xff"


def test_garbage_fails_with_a_readable_reason_and_keeps_the_original(
    storage_app, clips, monkeypatch
):
    made: list[str] = []
    mkdtemp = transcoding.tempfile.mkdtemp

    def recording_mkdtemp(*args, **kwargs):
        made.append(mkdtemp(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(transcoding.tempfile, "mkdtemp", recording_mkdtemp)
    lesson, upload = _video_lesson(clips["garbage"], filename="holiday.mp4")

    lesson = _run(lesson, upload)

    assert lesson.video_status == "failed"
    assert lesson.video_error.startswith("holiday.mp4: ")
    assert "Invalid data" in lesson.video_error or "moov atom" in lesson.video_error
    assert "Traceback" not in lesson.video_error
    assert tempfile.gettempdir() not in lesson.video_error and "source" not in lesson.video_error
    assert lesson.video_hls_key is None and lesson.video_poster_key is None
    assert _storage().exists(upload.storage_key)
    assert _read(upload.storage_key) == clips["garbage"].read_bytes()
    assert _hls_keys(lesson.id) == []
    assert made and not any(Path(directory).exists() for directory in made)


def test_a_stuck_ffmpeg_is_stopped_and_its_partial_output_deleted(local_app, clips, monkeypatch):
    monkeypatch.setattr(transcoding, "TIMEOUT_BASE_SECONDS", 0.3)
    monkeypatch.setattr(transcoding, "TIMEOUT_PER_VIDEO_SECOND", 0.0)
    lesson, upload = _video_lesson(clips["long"])

    lesson = _run(lesson, upload)

    assert lesson.video_status == "failed"
    assert "took longer than" in lesson.video_error
    assert _hls_keys(lesson.id) == []
    assert _storage().exists(upload.storage_key)


def test_a_missing_original_fails_with_a_reason(storage_app, clips):
    lesson, upload = _video_lesson(clips["small"], filename="gone.mp4")
    _storage().delete(upload.storage_key)

    lesson = _run(lesson, upload)

    assert lesson.video_status == "failed"
    assert lesson.video_error.startswith("gone.mp4: the uploaded file is missing")


def test_replacing_the_video_deletes_the_old_renditions(local_app, clips):
    lesson, first = _video_lesson(clips["small"], filename="first.mp4")
    lesson = _run(lesson, first)
    first_dir = lesson.video_hls_key.removesuffix("master.m3u8")
    assert any(key.startswith(first_dir) for key in _hls_keys(lesson.id))

    second = _attach_video(lesson, clips["hd"], filename="second.mp4")
    lesson = _run(lesson, second)

    assert lesson.video_status == "ready"
    second_dir = lesson.video_hls_key.removesuffix("master.m3u8")
    assert second_dir != first_dir
    keys = _hls_keys(lesson.id)
    assert keys and all(key.startswith(second_dir) for key in keys)
    assert any(key.endswith("/720p/index.m3u8") for key in keys)
    # Originals are the uploads' business, not the transcoder's.
    assert _storage().exists(first.storage_key) and _storage().exists(second.storage_key)


def test_a_job_for_a_replaced_video_does_nothing(local_app, clips):
    lesson, old = _video_lesson(clips["small"])
    new = _attach_video(lesson, clips["small"], filename="newer.mp4")

    lesson = _run(lesson, old)

    assert lesson.video_upload_id == new.id
    assert (lesson.video_status, lesson.video_hls_key) == ("pending", None)
    assert _hls_keys(lesson.id) == []


def test_a_video_replaced_while_transcoding_stops_the_run(local_app, clips, monkeypatch):
    lesson, upload = _video_lesson(clips["long"])
    other = Upload(
        user_id=lesson.course.instructor_id,
        purpose="lesson_video",
        lesson_id=lesson.id,
        filename="newer.mp4",
        content_type="video/mp4",
        size=1,
        storage_key=f"lessons/{lesson.id}/source/newer.mp4",
        status="attached",
        expires_at=utcnow() + timedelta(hours=1),
    )
    db.session.add(other)
    db.session.commit()
    other_id = other.id
    monkeypatch.setattr(transcoding, "PROGRESS_INTERVAL_SECONDS", 0.0)
    save = transcoding._save_progress

    def replace_then_save(lesson_id, upload_id, percent):
        # The author uploads another video while this one is being transcoded.
        with db.engine.begin() as other_session:
            other_session.execute(
                Lesson.__table__.update()
                .where(Lesson.id == lesson_id)
                .values(video_upload_id=other_id, video_status="pending")
            )
        return save(lesson_id, upload_id, percent)

    monkeypatch.setattr(transcoding, "_save_progress", replace_then_save)

    lesson = _run(lesson, upload)

    assert (lesson.video_upload_id, lesson.video_status) == (other_id, "pending")
    assert lesson.video_hls_key is None
    assert _hls_keys(lesson.id) == []


# ---- the CLI ----------------------------------------------------------------------------------


def test_the_cli_transcodes_in_the_foreground_printing_progress(local_app, clips, monkeypatch):
    monkeypatch.setattr(transcoding, "PROGRESS_INTERVAL_SECONDS", 0.0)
    lesson, _upload = _video_lesson(clips["small"])

    result = local_app.test_cli_runner().invoke(args=["media", "transcode", str(lesson.id)])

    assert result.exit_code == 0, result.output
    percents = re.findall(r"^(\d+)%$", result.output, re.MULTILINE)
    assert percents and percents[-1] == "100"
    assert "Ready: lessons/" in result.output
    db.session.expire_all()
    assert db.session.get(Lesson, lesson.id).video_status == "ready"


def test_the_cli_reports_a_failure(local_app, clips):
    lesson, _upload = _video_lesson(clips["garbage"], filename="broken.mp4")

    result = local_app.test_cli_runner().invoke(args=["media", "transcode", str(lesson.id)])

    assert result.exit_code != 0
    assert "Failed: broken.mp4: " in result.output


# ---- the endpoints ------------------------------------------------------------------------


class RecordingJobs:
    def __init__(self) -> None:
        self.queued: list[tuple[str, dict]] = []

    def enqueue(self, name: str, **kwargs) -> str:
        self.queued.append((name, kwargs))
        return uuid.uuid4().hex


@pytest.fixture
def recorded_jobs(app, monkeypatch) -> RecordingJobs:
    recording = RecordingJobs()
    monkeypatch.setitem(app.extensions, "pathshala.jobs", recording)
    return recording


def _lesson_with_status(status: str | None, **fields):
    owner = factories.make_user("teacher")
    course = factories.make_course(owner)
    lesson = factories.make_lesson(course, video_status=status, **fields)
    upload = Upload(
        user_id=owner.id,
        purpose="lesson_video",
        lesson_id=lesson.id,
        course_id=course.id,
        filename="lecture.mp4",
        content_type="video/mp4",
        size=1234,
        storage_key=f"lessons/{lesson.id}/source/lecture.mp4",
        status="attached",
        expires_at=utcnow() + timedelta(hours=1),
    )
    db.session.add(upload)
    db.session.flush()
    lesson.video_upload_id = upload.id
    db.session.commit()
    return owner, lesson


def test_the_owner_sees_the_video_status(client):
    owner, lesson = _lesson_with_status(
        "failed", video_progress=42, video_error="lecture.mp4: Invalid data found"
    )

    response = client.get(f"/api/lessons/{lesson.id}/video", headers=factories.auth_headers(owner))

    assert response.status_code == 200
    assert response.get_json() == {
        "status": "failed",
        "progress": 42,
        "error": "lecture.mp4: Invalid data found",
        "duration_seconds": 60,
        "retryable": True,
    }


def test_a_lesson_without_video_has_a_null_status(client):
    owner = factories.make_user("teacher")
    lesson = factories.make_lesson(factories.make_course(owner))

    response = client.get(f"/api/lessons/{lesson.id}/video", headers=factories.auth_headers(owner))

    assert response.status_code == 200
    assert response.get_json()["status"] is None


def test_retrying_a_failed_video_queues_it_again(client, recorded_jobs):
    owner, lesson = _lesson_with_status("failed", video_progress=30, video_error="boom")

    response = client.post(
        f"/api/lessons/{lesson.id}/video/retry", headers=factories.auth_headers(owner)
    )

    assert response.status_code == 202
    assert response.get_json() == {
        "status": "pending",
        "progress": 0,
        "error": None,
        "duration_seconds": 60,
        "retryable": False,
    }
    assert recorded_jobs.queued == [
        (
            transcoding.JOB_NAME,
            {"lesson_id": str(lesson.id), "upload_id": str(lesson.video_upload_id)},
        )
    ]
    db.session.expire_all()
    assert db.session.get(Lesson, lesson.id).video_status == "pending"


@pytest.mark.parametrize("status", [None, "pending", "processing", "ready"])
def test_only_a_failed_video_can_be_retried(client, recorded_jobs, status):
    owner, lesson = _lesson_with_status(status)

    response = client.post(
        f"/api/lessons/{lesson.id}/video/retry", headers=factories.auth_headers(owner)
    )

    assert response.status_code == 409
    assert response.get_json()["code"] == "video_not_failed"
    assert recorded_jobs.queued == []


def test_a_video_pending_for_long_lost_its_job_and_can_be_queued_again(client, recorded_jobs):
    owner, lesson = _lesson_with_status("pending")
    db.session.execute(
        update(Lesson)
        .where(Lesson.id == lesson.id)
        .values(updated_at=utcnow() - transcoding.STALE_PENDING - timedelta(minutes=1))
    )
    db.session.commit()
    headers = factories.auth_headers(owner)
    # The studio learns it may offer Retry.
    assert client.get(f"/api/lessons/{lesson.id}/video", headers=headers).get_json()["retryable"]

    response = client.post(f"/api/lessons/{lesson.id}/video/retry", headers=headers)

    assert response.status_code == 202, response.get_json()
    assert [name for name, _ in recorded_jobs.queued] == [transcoding.JOB_NAME]


def test_the_job_name_resolves_to_the_job():
    from pathshala.jobs import runner

    assert runner.resolve(transcoding.JOB_NAME) is transcoding.transcode_lesson_video


@pytest.mark.parametrize("method,suffix", [("get", "video"), ("post", "video/retry")])
def test_only_the_owner_or_an_admin_manages_the_video(client, recorded_jobs, method, suffix):
    owner, lesson = _lesson_with_status("failed")
    url = f"/api/lessons/{lesson.id}/{suffix}"
    enrolled = factories.make_user("student")
    factories.enroll(enrolled, lesson.course)
    callers = {
        "student": (factories.make_user("student"), 403),
        "enrolled student": (enrolled, 403),
        "instructor": (factories.make_user("instructor"), 403),
        "other teacher": (factories.make_user("teacher"), 403),
    }

    assert getattr(client, method)(url).status_code == 401
    for name, (user, expected) in callers.items():
        response = getattr(client, method)(url, headers=factories.auth_headers(user))
        assert response.status_code == expected, name
    # (the enrollment above queued its notification mail: only transcodes matter here)
    assert [job for job in recorded_jobs.queued if job[0] == transcoding.JOB_NAME] == []

    admin = factories.make_user("admin")
    expected = 202 if method == "post" else 200
    assert getattr(client, method)(url, headers=factories.auth_headers(admin)).status_code == (
        expected
    )
    missing = f"/api/lessons/{uuid.uuid4()}/{suffix}"
    response = getattr(client, method)(missing, headers=factories.auth_headers(owner))
    assert response.status_code == 404
