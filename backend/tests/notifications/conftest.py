"""An app that mails through a real local SMTP server (aiosmtpd) and holds its jobs until the
test runs them, so a test can tell what the request did from what the job did."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from pathshala.jobs import JOBS_EXTENSION, runner
from tests.fakes.smtp import SmtpServer, _smtp_server_instance, smtp_server  # noqa: F401
from tests.fakes.workers import client_for, spawn_app  # noqa: F401 (fixture)


@dataclass
class HeldQueue:
    """A job queue that keeps what is queued; ``run`` performs it as a worker would (the same
    ``runner.perform`` the RQ worker and the embedded thread call)."""

    app: Flask
    jobs: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def enqueue(self, name: str, **kwargs: Any) -> str:
        runner.resolve(name)
        self.jobs.append((name, kwargs))
        return uuid.uuid4().hex

    def run(self) -> int:
        ran = 0
        while self.jobs:
            name, kwargs = self.jobs.pop(0)
            runner.perform(self.app, name, kwargs, "held")
            ran += 1
        return ran


@dataclass
class MailSetup:
    app: Flask
    queue: HeldQueue
    smtp: SmtpServer

    def client(self) -> FlaskClient:
        return client_for(self.app)


@pytest.fixture
def mail_setup(spawn_app, smtp_server) -> MailSetup:  # noqa: F811
    application = spawn_app(BACKEND_SMTP_URL=smtp_server.url)
    queue = HeldQueue(application)
    application.extensions[JOBS_EXTENSION] = queue
    return MailSetup(application, queue, smtp_server)


@pytest.fixture
def in_mail_app(mail_setup) -> Callable:
    """Run service code as the mail app would (its job queue, its mailer)."""

    def run(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with mail_setup.app.app_context():
            return function(*args, **kwargs)

    return run
