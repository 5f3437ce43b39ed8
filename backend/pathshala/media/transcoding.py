"""Lesson videos to HLS: two renditions (360p, 720p) of ~6 s segments, a master playlist and a
poster, made by Debian's ffmpeg in a background job.

A run writes everything under a fresh version directory, ``lessons/<lesson_id>/hls/<version>/``
(``master.m3u8``, ``360p/index.m3u8``, ``360p/seg_00001.ts``..., ``720p/...``,
``poster.jpg``). Every playlist names what it points at relatively, so a signed URL prefix on
the version directory keeps them valid. A new version per run means a replaced video never
mixes with the old renditions and no cache serves a stale file under the same name; the old
version is deleted once the lesson points at the new one. The original upload is never
touched: a failed run can be retried from it.

``video_status``: pending (queued by the upload's completion, or a retry) -> processing ->
ready | failed (``video_error`` says why, in words an author can act on).
"""

from __future__ import annotations

import json
import logging
import math
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import redis
from botocore.exceptions import BotoCoreError, ClientError
from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from pathshala import jobs
from pathshala.columns import utcnow
from pathshala.courses.models import Lesson
from pathshala.courses.service import ensure_can_edit
from pathshala.errors import Conflict, NotFound
from pathshala.extensions import db
from pathshala.media.storage import LocalStorage, Storage
from pathshala.uploads.models import Upload
from pathshala.users.models import User

log = logging.getLogger(__name__)

#: the job the upload's completion (and a retry) queues, with lesson_id and upload_id
JOB_NAME = "pathshala.media.transcoding.transcode_lesson_video"
STORAGE_EXTENSION = "pathshala.storage"

FFMPEG = "ffmpeg"
FFPROBE = "ffprobe"
SEGMENT_SECONDS = 6
POSTER_AT_FRACTION = 0.10
MASTER_PLAYLIST = "master.m3u8"
VARIANT_PLAYLIST = "index.m3u8"
SEGMENT_PATTERN = "seg_%05d.ts"
POSTER = "poster.jpg"
#: progress reaches the database at most this often (one short transaction each)
PROGRESS_INTERVAL_SECONDS = 2.0
#: ffmpeg gets this long plus TIMEOUT_PER_VIDEO_SECOND per second of video before it is
#: killed (veryfast on 2 cores runs at about real time or faster; this is for a stuck process)
TIMEOUT_BASE_SECONDS = 300.0
TIMEOUT_PER_VIDEO_SECOND = 5.0
PROBE_TIMEOUT_SECONDS = 60.0
ERROR_MAX_CHARS = 300
UNEXPECTED_FAILURE = "Transcoding stopped on an unexpected error; retry, or ask an admin."
#: a video "pending" for this long has lost its job (queued jobs start within seconds)
STALE_PENDING = timedelta(minutes=10)
QUEUE_DOWN = "The job queue is not answering; the retry was not queued. Try again shortly."
# Noise ffmpeg prints after the line that says what went wrong.
GENERIC_FFMPEG_LINES = ("conversion failed", "exiting normally", "error while ", "error closing")


@dataclass(frozen=True)
class Rendition:
    """One HLS variant: scaled to fit a WIDTHxHEIGHT box (aspect ratio kept)."""

    name: str
    width: int
    height: int
    video_maxrate_kbps: int
    audio_kbps: int

    def fits(self, width: int, height: int) -> bool:
        """True when the source fills the box in one dimension: no upscaling needed."""
        return width >= self.width or height >= self.height


RENDITIONS = (
    Rendition("360p", 640, 360, video_maxrate_kbps=900, audio_kbps=96),
    Rendition("720p", 1280, 720, video_maxrate_kbps=3000, audio_kbps=128),
)


@dataclass(frozen=True)
class SourceInfo:
    duration: float
    width: int
    height: int
    video_stream: int
    has_audio: bool
    frame_rate: float | None


@dataclass(frozen=True)
class TranscodeResult:
    duration: float
    renditions: tuple[str, ...]
    files: tuple[str, ...]  # paths relative to the output directory, POSIX style


class TranscodeError(Exception):
    """A reason for an author: unreadable input, ffmpeg's own complaint, a timeout."""


class Superseded(Exception):
    """The lesson's video was replaced (or the lesson deleted) while this run was working."""


# ---- ffmpeg and ffprobe, no database -------------------------------------------------------


def renditions_for(width: int, height: int) -> tuple[Rendition, ...]:
    """The renditions a source gets: those it does not need upscaling for, and always the
    smallest (kept at the source's size when the source is smaller still)."""
    fitting = tuple(r for r in RENDITIONS if r.fits(width, height))
    return fitting or RENDITIONS[:1]


def probe(source: Path, display_name: str) -> SourceInfo:
    """Duration, size and streams of ``source``; TranscodeError if it is not a video."""
    command = [
        FFPROBE,
        "-v", "error",
        "-print_format", "json",
        "-show_format", "-show_streams",
        str(source),
    ]  # fmt: skip
    try:
        completed = subprocess.run(  # noqa: S603 - fixed program, no shell
            command, capture_output=True, timeout=PROBE_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise TranscodeError("Reading the video took too long; the file may be damaged.") from error
    except FileNotFoundError as error:
        raise TranscodeError("ffprobe is not installed on the server.") from error
    stderr = completed.stderr.decode(errors="replace")
    if completed.returncode != 0:
        reason = _last_meaningful_line(stderr, {str(source): display_name})
        raise TranscodeError(reason or "The file could not be read as a video.")
    try:
        info = json.loads(completed.stdout or b"{}")
    except ValueError as error:
        raise TranscodeError("The file could not be read as a video.") from error
    streams = info.get("streams") or []
    video = next(
        (
            s
            for s in streams
            if s.get("codec_type") == "video"
            and not (s.get("disposition") or {}).get("attached_pic")
        ),
        None,
    )
    if video is None or not video.get("width") or not video.get("height"):
        raise TranscodeError(f"{display_name}: the file has no video picture.")
    duration = _number((info.get("format") or {}).get("duration")) or _number(video.get("duration"))
    if not duration or duration <= 0:
        raise TranscodeError(f"{display_name}: the video's length could not be read.")
    width, height = int(video["width"]), int(video["height"])
    if _rotation(video) in (90, 270):  # phone videos: ffmpeg turns them upright
        width, height = height, width
    return SourceInfo(
        duration=duration,
        width=width,
        height=height,
        video_stream=int(video["index"]),
        has_audio=any(s.get("codec_type") == "audio" for s in streams),
        frame_rate=_rate(video.get("avg_frame_rate")) or _rate(video.get("r_frame_rate")),
    )


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _rate(value: object) -> float | None:
    if not isinstance(value, str) or "/" not in value:
        return None
    numerator, _, denominator = value.partition("/")
    top, bottom = _number(numerator), _number(denominator)
    if not top or not bottom:
        return None
    return top / bottom


def _rotation(video: dict) -> int:
    for side_data in video.get("side_data_list") or []:
        if "rotation" in side_data:
            return int(_number(side_data["rotation"]) or 0) % 360
    return int(_number((video.get("tags") or {}).get("rotate")) or 0) % 360


def hls_command(
    source: Path, out_dir: Path, info: SourceInfo, renditions: tuple[Rendition, ...]
) -> list[str]:
    """One ffmpeg run: every rendition from one decode, progress as key=value on stdout."""
    split = f"[0:{info.video_stream}]split={len(renditions)}" + "".join(
        f"[s{i}]" for i in range(len(renditions))
    )
    scales = [
        f"[s{i}]scale=w='min({r.width},iw)':h='min({r.height},ih)'"
        f":force_original_aspect_ratio=decrease:force_divisible_by=2[v{i}]"
        for i, r in enumerate(renditions)
    ]
    command = [
        FFMPEG, "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-nostats",
        "-progress", "pipe:1",
        "-i", str(source),
        "-filter_complex", ";".join([split, *scales]),
    ]  # fmt: skip
    stream_map = []
    for i, rendition in enumerate(renditions):
        command += ["-map", f"[v{i}]"]
        entry = f"v:{i}"
        if info.has_audio:
            command += ["-map", "0:a:0"]
            entry += f",a:{i}"
        stream_map.append(f"{entry},name:{rendition.name}")
    for i, rendition in enumerate(renditions):
        command += [
            f"-maxrate:v:{i}", f"{rendition.video_maxrate_kbps}k",
            f"-bufsize:v:{i}", f"{rendition.video_maxrate_kbps * 2}k",
        ]  # fmt: skip
        if info.has_audio:
            command += [f"-b:a:{i}", f"{rendition.audio_kbps}k"]
    # A keyframe exactly every SEGMENT_SECONDS (and none in between from scene cuts), so
    # every segment is the same length and starts with a keyframe.
    command += [
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
        "-force_key_frames", f"expr:gte(t,n_forced*{SEGMENT_SECONDS})",
        "-sc_threshold", "0",
    ]  # fmt: skip
    if info.frame_rate:
        gop = max(1, round(info.frame_rate * SEGMENT_SECONDS))
        command += ["-g", str(gop), "-keyint_min", str(gop)]
    if info.has_audio:
        command += ["-c:a", "aac", "-ac", "2"]
    command += [
        "-f", "hls",
        "-hls_time", str(SEGMENT_SECONDS),
        "-hls_playlist_type", "vod",
        "-hls_flags", "independent_segments",
        "-start_number", "1",
        "-hls_segment_filename", str(out_dir / "%v" / SEGMENT_PATTERN),
        "-master_pl_name", MASTER_PLAYLIST,
        "-var_stream_map", " ".join(stream_map),
        str(out_dir / "%v" / VARIANT_PLAYLIST),
    ]  # fmt: skip
    return command


def poster_command(source: Path, poster: Path, info: SourceInfo) -> list[str]:
    """A JPEG of the frame at POSTER_AT_FRACTION of the video, at most 1280x720."""
    top = RENDITIONS[-1]
    return [
        FFMPEG, "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
        "-ss", f"{info.duration * POSTER_AT_FRACTION:.3f}",
        "-i", str(source),
        "-map", f"0:{info.video_stream}",
        "-frames:v", "1",
        "-vf", f"scale=w='min({top.width},iw)':h='min({top.height},ih)'"
        ":force_original_aspect_ratio=decrease",
        "-q:v", "3",
        str(poster),
    ]  # fmt: skip


def run_ffmpeg(
    command: list[str],
    *,
    duration: float,
    timeout: float,
    on_progress: Callable[[int], None] | None = None,
    replacements: dict[str, str] | None = None,
) -> None:
    """Run ``command`` (which writes ``-progress`` to stdout), calling ``on_progress`` with
    the percent done (0..99) at most every PROGRESS_INTERVAL_SECONDS. TranscodeError with
    ffmpeg's last meaningful complaint on failure, or on ``timeout``; whatever
    ``on_progress`` raises stops ffmpeg and goes up unchanged."""
    with tempfile.TemporaryFile() as stderr:
        try:
            process = subprocess.Popen(  # noqa: S603 - fixed program, no shell
                command, stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL
            )
        except FileNotFoundError as error:
            raise TranscodeError("ffmpeg is not installed on the server.") from error
        timed_out = threading.Event()

        def kill_on_timeout() -> None:
            timed_out.set()
            process.kill()

        watchdog = threading.Timer(timeout, kill_on_timeout)
        watchdog.daemon = True
        watchdog.start()
        try:
            assert process.stdout is not None
            for percent in _progress(process.stdout, duration):
                if on_progress is not None:
                    on_progress(percent)
            returncode = process.wait()
        finally:
            watchdog.cancel()
            if process.poll() is None:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        if timed_out.is_set():
            raise TranscodeError(
                f"Transcoding took longer than {timeout:.0f} s and was stopped; "
                "the file may be damaged."
            )
        if returncode != 0:
            stderr.seek(0)
            text = stderr.read().decode(errors="replace")
            reason = _last_meaningful_line(text, replacements or {})
            raise TranscodeError(reason or f"ffmpeg stopped with exit code {returncode}.")


def _progress(stdout, duration: float) -> Iterator[int]:
    """Percent done from ffmpeg's ``-progress`` blocks, throttled to the interval."""
    last_sent = -math.inf
    last_percent = -1
    for raw in stdout:
        key, _, value = raw.decode(errors="replace").strip().partition("=")
        if key != "out_time_us":
            continue
        microseconds = _number(value)
        if microseconds is None or duration <= 0:
            continue
        percent = max(0, min(99, int(microseconds / 1_000_000 / duration * 100)))
        now = time.monotonic()
        if percent > last_percent and now - last_sent >= PROGRESS_INTERVAL_SECONDS:
            last_sent, last_percent = now, percent
            yield percent


_FFMPEG_CONTEXT = re.compile(r"^\[[^\]]*@ 0x[0-9a-f]+\]\s*")


def _last_meaningful_line(text: str, replacements: dict[str, str]) -> str:
    """ffmpeg's last line that says something (not "Conversion failed!"), without its
    "[codec @ 0x...]" context and with temporary paths replaced by the file's name."""
    for line in reversed(text.splitlines()):
        line = _FFMPEG_CONTEXT.sub("", line.strip())
        if not line or line.lower().startswith(GENERIC_FFMPEG_LINES):
            continue
        for path, name in replacements.items():
            line = line.replace(path, name)
        return line[:ERROR_MAX_CHARS]
    return ""


def transcode_file(
    source: Path,
    out_dir: Path,
    *,
    display_name: str | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> TranscodeResult:
    """Probe ``source`` and write the HLS renditions, master playlist and poster into
    ``out_dir`` (the layout of a version directory)."""
    name = display_name or source.name
    replacements = {str(source): name, str(out_dir): "output"}
    info = probe(source, name)
    renditions = renditions_for(info.width, info.height)
    out_dir.mkdir(parents=True, exist_ok=True)
    for rendition in renditions:
        (out_dir / rendition.name).mkdir(exist_ok=True)
    timeout = TIMEOUT_BASE_SECONDS + info.duration * TIMEOUT_PER_VIDEO_SECOND
    run_ffmpeg(
        hls_command(source, out_dir, info, renditions),
        duration=info.duration,
        timeout=timeout,
        on_progress=on_progress,
        replacements=replacements,
    )
    run_ffmpeg(
        poster_command(source, out_dir / POSTER, info),
        duration=info.duration,
        timeout=TIMEOUT_BASE_SECONDS,
        replacements=replacements,
    )
    if not (out_dir / MASTER_PLAYLIST).is_file() or not (out_dir / POSTER).is_file():
        raise TranscodeError("ffmpeg finished without writing the playlists or the poster.")
    files = sorted(
        path.relative_to(out_dir).as_posix() for path in out_dir.rglob("*") if path.is_file()
    )
    return TranscodeResult(
        duration=info.duration,
        renditions=tuple(r.name for r in renditions),
        files=tuple(files),
    )


# ---- the job --------------------------------------------------------------------------------


def hls_prefix(lesson_id: uuid.UUID | str, version: str) -> str:
    return f"lessons/{lesson_id}/hls/{version}/"


def _version_prefix_of(lesson_id: uuid.UUID, key: str | None) -> str | None:
    """``lessons/<id>/hls/<version>/`` of a master playlist key of this lesson, else None."""
    if not key:
        return None
    root = f"lessons/{lesson_id}/hls/"
    version, slash, _rest = key.removeprefix(root).partition("/")
    if not key.startswith(root) or not version or not slash:
        return None
    return hls_prefix(lesson_id, version)


def transcode_lesson_video(lesson_id: str, upload_id: str) -> None:
    """The background job: turn the lesson's uploaded video into HLS renditions."""
    transcode(uuid.UUID(str(lesson_id)), uuid.UUID(str(upload_id)))


def transcode(
    lesson_id: uuid.UUID,
    upload_id: uuid.UUID,
    on_progress: Callable[[int], None] | None = None,
) -> str | None:
    """Transcode ``upload_id`` for ``lesson_id`` if it is still the lesson's video; returns
    the final video_status (None when there was nothing to do). ``on_progress`` also hears
    each percent (the CLI prints it).

    The rules: the lesson is ``processing`` while this runs; it becomes ``ready`` with the new
    renditions in one transaction, and only then is the previous version deleted; on failure
    it becomes ``failed`` with a reason, this run's files are deleted and the original stays.
    """
    lesson = db.session.get(Lesson, lesson_id)
    upload = db.session.get(Upload, upload_id)
    if lesson is None or upload is None or lesson.video_upload_id != upload_id:
        log.info("transcode: lesson %s no longer has upload %s as its video", lesson_id, upload_id)
        db.session.rollback()
        return None
    # Read before the commit: touching the objects after it would open a transaction that
    # stays idle for the whole ffmpeg run.
    source_key, display_name = upload.storage_key, upload.filename
    lesson.video_status, lesson.video_progress, lesson.video_error = "processing", 0, None
    db.session.commit()

    storage: Storage = current_app.extensions[STORAGE_EXTENSION]
    version = uuid.uuid4().hex[:12]
    prefix = hls_prefix(lesson_id, version)
    workdir = Path(tempfile.mkdtemp(prefix="pathshala-transcode-"))
    finished = False
    reason = UNEXPECTED_FAILURE

    def progress(percent: int) -> None:
        if not _save_progress(lesson_id, upload_id, percent):
            raise Superseded
        if on_progress is not None:
            on_progress(percent)

    try:
        source = _local_source(storage, source_key, workdir)
        result = transcode_file(
            source, workdir / "hls", display_name=display_name, on_progress=progress
        )
        _store(storage, workdir / "hls", prefix, result.files)
        status = _finish(lesson_id, upload_id, prefix, result)
        finished = True
        if on_progress is not None and status == "ready":
            on_progress(100)
        return status
    except Superseded:
        log.info("transcode: lesson %s got another video meanwhile; stopping", lesson_id)
        reason = ""
        return None
    except TranscodeError as error:
        reason = str(error)
    except FileNotFoundError as error:
        log.warning("transcode: original %s is missing: %s", source_key, error)
        reason = f"{display_name}: the uploaded file is missing from storage; upload it again."
    except (OSError, BotoCoreError, ClientError) as error:
        log.exception("transcode: storage failed for lesson %s", lesson_id)
        reason = f"Storage failed while transcoding ({type(error).__name__}); retry."
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if not finished:
            db.session.rollback()
            _delete_quietly(storage, prefix)
            if reason:
                _mark_failed(lesson_id, upload_id, reason)
    return "failed"


def _local_source(storage: Storage, key: str, workdir: Path) -> Path:
    """The original as a local file: in place on local storage, else downloaded."""
    if isinstance(storage, LocalStorage):
        path = storage.local_path(key)
        if not path.is_file():
            raise FileNotFoundError(f"no stored object {key!r}")
        return path
    path = workdir / ("source" + Path(key).suffix.lower()[:10])
    storage.download_to(key, path)
    return path


def _save_progress(lesson_id: uuid.UUID, upload_id: uuid.UUID, percent: int) -> bool:
    """Progress in its own short transaction; False when the lesson's video was replaced."""
    result = db.session.execute(
        update(Lesson)
        .where(Lesson.id == lesson_id, Lesson.video_upload_id == upload_id)
        .values(video_progress=percent)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount > 0


#: what a bucket serves each output with (segments may come straight from S3 or a CDN)
OUTPUT_TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".ts": "video/mp2t", ".jpg": "image/jpeg"}


def _store(storage: Storage, out_dir: Path, prefix: str, files: tuple[str, ...]) -> None:
    # Playlists last: a reader following the master finds every file it names.
    for name in sorted(files, key=lambda f: (f.endswith(".m3u8"), f == MASTER_PLAYLIST, f)):
        storage.save_file(prefix + name, out_dir / name, OUTPUT_TYPES.get(Path(name).suffix))


def _finish(
    lesson_id: uuid.UUID, upload_id: uuid.UUID, prefix: str, result: TranscodeResult
) -> str | None:
    lesson = db.session.scalar(
        select(Lesson)
        .where(Lesson.id == lesson_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    storage: Storage = current_app.extensions[STORAGE_EXTENSION]
    if lesson is None or lesson.video_upload_id != upload_id:
        db.session.rollback()
        raise Superseded
    previous = _version_prefix_of(lesson_id, lesson.video_hls_key)
    lesson.video_hls_key = prefix + MASTER_PLAYLIST
    lesson.video_poster_key = prefix + POSTER
    lesson.duration_seconds = max(0, round(result.duration))
    lesson.video_status, lesson.video_progress, lesson.video_error = "ready", 100, None
    db.session.commit()
    if previous and previous != prefix:
        _delete_quietly(storage, previous)
    log.info(
        "transcode: lesson %s ready (%s, %.1f s) at %s",
        lesson_id,
        "+".join(result.renditions),
        result.duration,
        prefix,
    )
    return "ready"


def _mark_failed(lesson_id: uuid.UUID, upload_id: uuid.UUID, reason: str) -> None:
    db.session.execute(
        update(Lesson)
        .where(Lesson.id == lesson_id, Lesson.video_upload_id == upload_id)
        .values(video_status="failed", video_error=reason[:ERROR_MAX_CHARS])
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    log.warning("transcode: lesson %s failed: %s", lesson_id, reason)


def _delete_quietly(storage: Storage, prefix: str) -> None:
    """Clean-up must not hide what went before: a storage error here is only logged."""
    try:
        storage.delete_prefix(prefix)
    except (OSError, BotoCoreError, ClientError):
        log.exception("transcode: could not delete %s", prefix)


# ---- what the studio calls ------------------------------------------------------------------


def lesson_for_video_edit(lesson_id: uuid.UUID, user: User) -> Lesson:
    """The lesson, if ``user`` may manage its video (the course's owner or an admin)."""
    lesson = db.session.scalar(
        select(Lesson).options(joinedload(Lesson.course)).where(Lesson.id == lesson_id)
    )
    if lesson is None:
        raise NotFound("No such lesson.", code="lesson_not_found")
    ensure_can_edit(lesson.course, user)
    return lesson


def can_retry(lesson: Lesson) -> bool:
    """Failed, or pending for longer than STALE_PENDING (its job was lost), with the original
    still attached to retry from."""
    stale = lesson.video_status == "pending" and lesson.updated_at < utcnow() - STALE_PENDING
    return (lesson.video_status == "failed" or stale) and lesson.video_upload_id is not None


def retry_transcoding(lesson_id: uuid.UUID, user: User) -> Lesson:
    """Queue the lesson's current video again after a failed transcode (status back to
    pending), or when it has waited as pending for longer than STALE_PENDING (its job was
    lost: Redis went down between the upload and the queue). A processing video, or one
    pending for a short while, is already on its way."""
    lesson = lesson_for_video_edit(lesson_id, user)
    locked = db.session.scalar(
        select(Lesson)
        .where(Lesson.id == lesson.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if locked is None:
        raise NotFound("No such lesson.", code="lesson_not_found")
    if not can_retry(locked):
        db.session.rollback()
        raise Conflict(
            "Only a video whose transcoding failed can be retried.", code="video_not_failed"
        )
    upload_id = locked.video_upload_id
    locked.video_status, locked.video_progress, locked.video_error = "pending", 0, None
    db.session.commit()
    try:
        jobs.enqueue(JOB_NAME, lesson_id=str(locked.id), upload_id=str(upload_id))
    except redis.RedisError:
        # Not left pending with no job behind it: failed again, so the author can retry.
        _mark_failed(locked.id, upload_id, QUEUE_DOWN)
        raise
    return locked
