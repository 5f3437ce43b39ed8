"""`flask seed-demo`: the embedded setup's demo data, including real lesson videos."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from pathshala.courses.models import Course, Lesson
from pathshala.demo import DEMO_VIDEO_COURSE, DEMO_VIDEO_LESSONS
from pathshala.extensions import db


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="Debian's ffmpeg is not installed")
def test_seed_demo_once_with_transcoded_videos(app):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "3 course(s) and 2 lesson video(s) created" in first.output
    assert "transcoding 100%" in first.output

    course = db.session.scalar(select(Course).where(Course.slug == DEMO_VIDEO_COURSE))
    lessons = db.session.scalars(
        select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position)
    ).all()
    storage = app.extensions["pathshala.storage"]
    for lesson in lessons[:DEMO_VIDEO_LESSONS]:
        assert lesson.video_status == "ready", lesson.video_error
        assert lesson.duration_seconds == 12
        assert storage.exists(lesson.video_hls_key)
        assert storage.exists(lesson.video_poster_key)
    assert all(lesson.video_status is None for lesson in lessons[DEMO_VIDEO_LESSONS:])

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert "Demo data already present." in again.output
