"""An app that stores files in this test's own directory and records queued jobs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from pathshala.extensions import db
from pathshala.jobs import JOBS_EXTENSION
from pathshala.media.storage import LocalStorage
from tests.conftest import random_loopback_ip
from tests.fakes.s3 import s3_bucket, s3_server  # noqa: F401 (fixtures)
from tests.uploads.helpers import RecordingJobs, make_mp4


@pytest.fixture
def storage_dir(tmp_path) -> Path:
    return tmp_path / "media"


@pytest.fixture
def jobs_recorder() -> RecordingJobs:
    return RecordingJobs()


def _bound(application: Flask, recorder: RecordingJobs) -> Iterator[Flask]:
    application.extensions[JOBS_EXTENSION] = recorder
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def media_app(make_app, storage_dir, jobs_recorder) -> Iterator[Flask]:
    yield from _bound(
        make_app(BACKEND_STORAGE_BACKEND="local", BACKEND_STORAGE_DIR=str(storage_dir)),
        jobs_recorder,
    )


@pytest.fixture
def storage(media_app) -> LocalStorage:
    return media_app.extensions["pathshala.storage"]


@pytest.fixture
def media_client(media_app) -> FlaskClient:
    test_client = media_app.test_client()
    test_client.environ_base["REMOTE_ADDR"] = random_loopback_ip()
    return test_client


@pytest.fixture
def s3_app(make_app, s3_server, s3_bucket, jobs_recorder) -> Iterator[Flask]:  # noqa: F811
    yield from _bound(make_app(**s3_server.settings(s3_bucket)), jobs_recorder)


@pytest.fixture(scope="session")
def mp4_bytes(tmp_path_factory) -> bytes:
    return make_mp4(tmp_path_factory.mktemp("video"))
